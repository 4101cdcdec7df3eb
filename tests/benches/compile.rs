//! Compiling a year for the council: 50 organisations and 10 000 activities in the year (and
//! as many again over the four years before it, which the comparison sums), then ten times
//! that, on each backend this machine has. Rerun with
//!
//!     cargo bench -p utblick-tests --bench compile
//!
//! (PostgreSQL is measured when `UTBLICK_TEST_PG_URL` names a server, as
//! `scripts/pg-cluster start` gives one.) Beside each time stands the time of the year's
//! totals computed by one SQL query in `sqlite3` or `psql` — the floor no compilation goes
//! below; and the time of the compilation's PDF and DOCX for the council, over HTTP. The
//! targets are checked: a run that misses one exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use utblick_tests::{Backend, TestApp};

const ORGANISATIONS: u64 = 50;
const PROJECTS: u64 = 2_000;
/// Compiling a year of 10 000 activities (the median of the runs).
const COMPILE_10K: Duration = Duration::from_millis(50);
/// Ten times the activities take at most ten times as long.
const LINEAR: u32 = 10;
/// The compilation's PDF for the council, over HTTP (the median of the runs).
const PDF: Duration = Duration::from_secs(2);

/// `activities` in 2026 and as many over 2022–2025, each with a country; projects of every
/// kind; then `ANALYZE` (and on PostgreSQL `VACUUM`).
fn fill(app: &TestApp, activities: u64) {
    for i in 0..ORGANISATIONS {
        app.create_organisation(&format!("Förvaltning {i:02}"));
    }
    let (series, this_year, earlier): (fn(u64) -> String, &str, &str) = match app.backend {
        Backend::Sqlite => (
            |n: u64| format!("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})"),
            "date('2026-01-01', '+' || (i % 365) || ' days')",
            "date('2022-01-01', '+' || (i % 1460) || ' days')",
        ),
        Backend::Postgres => (
            |n: u64| format!("WITH s(i) AS (SELECT generate_series(1, {n}))"),
            "DATE '2026-01-01' + (i % 365)",
            "DATE '2022-01-01' + (i % 1460)",
        ),
    };
    let now = "CURRENT_TIMESTAMP";
    let kinds = "CASE i % 3 WHEN 0 THEN 'horizon_scanning' WHEN 1 THEN 'positioning' ELSE 'development' END";
    let insert = |day: &str| {
        format!(
            "{} INSERT INTO activities (title, kind, organisation_id, project_id, starts_on, ends_on, organiser, women, men, \
             total, hours, own_cost, external_cost, version, created_at, updated_at) \
             SELECT 'Aktivitet ' || i, CASE i % 4 WHEN 0 THEN 'conference' WHEN 1 THEN 'study_visit' WHEN 2 THEN 'fair' ELSE 'exchange' END, \
             1 + i % {ORGANISATIONS}, 1 + i % {PROJECTS}, {day}, {day}, 'own', i % 5, i % 3, i % 5 + i % 3 + 1, 50 * (i % 100), \
             1000 * (i % 900), 10 * (i % 700), 1, {now}, {now} FROM s;\n",
            series(activities)
        )
    };
    let sql = format!(
        "{} INSERT INTO projects (title, summary, kind, owner_organisation_id, own_money, own_hours, contribution, \
         lasting_value, status, period_from, period_to, version, created_at, updated_at) \
         SELECT 'Projekt ' || i, 'Utbyte och lärande', {kinds}, 1 + i % {ORGANISATIONS}, 100000 * (i % 50), 100 * (i % 400), \
         'Hållbar tillväxt', 'Ett nätverk', 'ongoing', {earlier}, {this_year}, 1, {now}, {now} FROM s;\n\
         {}{}\
         INSERT INTO activity_countries (activity_id, position, country) \
         SELECT id, 1, CASE id % 3 WHEN 0 THEN 'DK' WHEN 1 THEN 'PL' ELSE 'FI' END FROM activities;\n\
         ANALYZE;",
        series(PROJECTS),
        insert(this_year),
        insert(earlier),
    );
    app.load_in_bulk(&sql);
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The year's totals by one SQL query in the database's own command-line client: the median
/// of five runs of its own timer.
fn one_query(app: &TestApp) -> Option<Duration> {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let sql =
        utblick_db::compilations::activity_sums_sql(day(1, 1), day(12, 31), app.backend == Backend::Sqlite);
    let mut times = Vec::new();
    for _ in 0..5 {
        let (out, marker, unit) = match app.backend {
            Backend::Sqlite => {
                // The timer is a dot-command: it comes on standard input, before the query.
                let mut child = Command::new("sqlite3")
                    .arg(app.db.url())
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .ok()?;
                child.stdin.take()?.write_all(format!(".timer on\n{sql};\n").as_bytes()).ok()?;
                (child.wait_with_output().ok()?, "Run Time: real ", 1000.0)
            }
            Backend::Postgres => (
                Command::new("psql").args([&app.db.url(), "-c", "\\timing on", "-c", &sql]).output().ok()?,
                "Time: ",
                1.0,
            ),
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().find_map(|l| l.strip_prefix(marker))?;
        let number: f64 = line.split_whitespace().next()?.parse().ok()?;
        times.push(Duration::from_secs_f64(number * unit / 1000.0));
    }
    Some(median(times))
}

struct Run {
    compile: Duration,
    http: Duration,
    pdf: Duration,
    docx: Duration,
    sql: Option<Duration>,
}

async fn measure(backend: Backend, activities: u64) -> Option<Run> {
    let app = TestApp::spawn(backend).await?;
    fill(&app, activities);
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let ry = {
        let mut conn = app.db.connect();
        let d = NaiveDate::from_ymd_opt(2027, 2, 15).unwrap();
        utblick_db::reports::insert_reporting_year(&mut conn, 2026, d, chrono::Utc::now().naive_utc())
            .unwrap()
    };
    let res = app
        .req(reqwest::Method::POST, "/api/v1/compilations", Some(&coordinator))
        .json(&serde_json::json!({"reporting_year_id": ry.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let today = chrono::Utc::now().date_naive();
    let mut conn = app.db.connect();
    let check = utblick_app::compilations::compute(&mut conn, &ry, today).unwrap();
    assert_eq!(check.total.activities, activities, "the year holds the activities filled");
    let mut times = Vec::new();
    for _ in 0..15 {
        let t = Instant::now();
        std::hint::black_box(utblick_app::compilations::compute(&mut conn, &ry, today).unwrap());
        times.push(t.elapsed());
    }
    let compile = median(times);
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let res = app
            .req(reqwest::Method::GET, &format!("/api/v1/compilations/{id}"), Some(&coordinator))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    let http = median(times);
    let document = |format: &'static str| {
        let (app, coordinator) = (&app, &coordinator);
        async move {
            let mut times = Vec::new();
            for _ in 0..5 {
                let t = Instant::now();
                let res = app
                    .req(
                        reqwest::Method::GET,
                        &format!("/api/v1/compilations/{id}/export?format={format}"),
                        Some(coordinator),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "{format}");
                res.bytes().await.unwrap();
                times.push(t.elapsed());
            }
            median(times)
        }
    };
    let pdf = document("pdf").await;
    let docx = document("docx").await;
    let sql = one_query(&app);
    app.stop().await;
    Some(Run { compile, http, pdf, docx, sql })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut misses = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let mut base = None;
        // While looking for where the time goes: UTBLICK_COMPILE_SIZES=100000 measures only that.
        let sizes: Vec<u64> = std::env::var("UTBLICK_COMPILE_SIZES")
            .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|_| vec![10_000, 100_000]);
        for activities in sizes {
            let Some(run) = runtime.block_on(measure(backend, activities)) else {
                println!("{:<10} not available, skipped", backend.name());
                break;
            };
            let sql = run.sql.map_or_else(|| "client not found".to_owned(), |d| format!("{d:.1?}"));
            println!(
                "{:<10} {activities:>7} activities in the year: compiled in {:.1?} (median of 15), the draft over HTTP {:.1?}, its PDF {:.1?} and DOCX {:.1?} (median of 5); one SQL query for the totals {sql}",
                backend.name(),
                run.compile,
                run.http,
                run.pdf,
                run.docx,
            );
            if run.pdf > PDF {
                misses.push(format!(
                    "{}: the PDF of {activities} activities {:?} > {PDF:?}",
                    backend.name(),
                    run.pdf
                ));
            }
            match base {
                None => {
                    if run.compile > COMPILE_10K {
                        misses.push(format!(
                            "{}: compiling 10 000 activities {:?} > {COMPILE_10K:?}",
                            backend.name(),
                            run.compile
                        ));
                    }
                    base = Some(run.compile);
                }
                Some(b) if run.compile > b * LINEAR => {
                    misses.push(format!(
                        "{}: 100 000 activities {:?} > {LINEAR} × {b:?}",
                        backend.name(),
                        run.compile
                    ));
                }
                Some(_) => {}
            }
        }
    }
    if !misses.is_empty() {
        for m in &misses {
            println!("MISSED: {m}");
        }
        std::process::exit(1);
    }
    println!("all targets met");
}
