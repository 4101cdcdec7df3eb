//! The international work at a municipality's scale: 50 organisations, 2 000 projects and
//! 20 000 activities, on each backend this machine has. Rerun with
//!
//!     cargo bench -p utblick-tests --bench work
//!
//! (PostgreSQL is measured when `UTBLICK_TEST_PG_URL` names a server, as
//! `scripts/pg-cluster start` gives one.) The targets below are checked: a run that misses
//! one exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use utblick_tests::{Backend, TestApp};

const ORGANISATIONS: u64 = 50;
const PROJECTS: u64 = 2_000;
const ACTIVITIES: u64 = 20_000;
/// A page of a list, p95, on a quiet machine.
const PAGE_P95: Duration = Duration::from_millis(25);
/// The XLSX export of every activity.
const XLSX_ALL: Duration = Duration::from_secs(2);

fn fill(app: &TestApp) {
    utblick_tests::bench::fill_projects_and_activities(app, ORGANISATIONS, PROJECTS, ACTIVITIES);
}

async fn measure(backend: Backend) -> Vec<String> {
    let Some(app) = TestApp::spawn_with(backend, |s| s.database.pool_size = 8).await else {
        return vec![format!("{}: not available, skipped", backend.name())];
    };
    fill(&app);
    let admin = app.create_user("admin", None);
    let token = app.login(&admin).await;
    let mut misses = Vec::new();
    let timed = |paths: Vec<String>| {
        let (app, token) = (&app, token.clone());
        async move {
            let mut times = Vec::new();
            for path in paths {
                let t = Instant::now();
                let res = app.req(reqwest::Method::GET, &path, Some(&token)).send().await.unwrap();
                assert_eq!(res.status(), 200, "{path}");
                res.bytes().await.unwrap();
                times.push(t.elapsed());
            }
            times.sort();
            (times[times.len() / 2], times[times.len() * 95 / 100])
        }
    };
    let mut lines = Vec::new();
    for (name, paths) in [
        (
            "projects",
            (0..200_u64)
                .map(|i| format!("/api/v1/projects?page={}&per_page=50&sort=title", 1 + i * 7 % 40))
                .collect::<Vec<_>>(),
        ),
        (
            "projects by organisation and kind",
            (0..200_u64)
                .map(|i| {
                    format!(
                        "/api/v1/projects?owner_organisation_id={}&kind=development&per_page=50",
                        1 + i % 50
                    )
                })
                .collect(),
        ),
        (
            "activities",
            (0..200_u64)
                .map(|i| format!("/api/v1/activities?page={}&per_page=50", 1 + i * 13 % 400))
                .collect(),
        ),
        (
            "activities by year and kind of work",
            (0..200_u64)
                .map(|i| {
                    format!("/api/v1/activities?year={}&work_kind=positioning&per_page=50", 2022 + i % 5)
                })
                .collect(),
        ),
    ] {
        let (p50, p95) = timed(paths).await;
        if p95 > PAGE_P95 {
            misses.push(format!("{}: {name} page p95 {p95:?} > {PAGE_P95:?}", backend.name()));
        }
        lines.push(format!("{name} p50 {p50:.1?} p95 {p95:.1?}"));
    }
    let t = Instant::now();
    let res = app
        .req(reqwest::Method::GET, "/api/v1/activities?format=xlsx", Some(&token))
        .header("Accept-Language", "sv")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let size = res.bytes().await.unwrap().len();
    let took = t.elapsed();
    if took > XLSX_ALL {
        misses.push(format!("{}: XLSX of {ACTIVITIES} activities {took:?} > {XLSX_ALL:?}", backend.name()));
    }
    println!(
        "{:<10} {ORGANISATIONS} organisations, {PROJECTS} projects, {ACTIVITIES} activities: {}; XLSX of every activity {:.1} MiB in {took:.1?}",
        backend.name(),
        lines.join(", "),
        size as f64 / 1_048_576.0,
    );
    app.stop().await;
    misses
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut misses = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        misses.extend(runtime.block_on(measure(backend)));
    }
    if misses.iter().any(|m| !m.ends_with("skipped")) {
        for m in &misses {
            println!("MISSED: {m}");
        }
        std::process::exit(1);
    }
    println!("all targets met");
}
