//! The Kolada-shaped API under a whole country's worth of units: 2 900 reporting
//! organisations (290 municipalities' worth, ten each), ten reporting years (2017–2026) with
//! their reports and five activities per organisation and year, the first nine years compiled
//! and presented to the council (frozen), the tenth open. Rerun with
//!
//!     cargo bench -p utblick-tests --bench kolada
//!
//! (PostgreSQL is measured when `UTBLICK_TEST_PG_URL` names a server, as
//! `scripts/pg-cluster start` gives one; the target is PostgreSQL's.) Measured over HTTP with
//! a `kpi:read` token, the median of the runs: a page of 5 000 values of the units over the
//! nine frozen years (`/kolada/v3/oudata?kpi_id=…&year=2017,…,2025&per_page=5000`) — the
//! target; the same page with the open year too (computed from the data as it is now); and one
//! frozen year of one KPI for every unit (`oudata/kpi/UTB0001/year/2024`). The target is
//! checked: a run that misses it exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use utblick_tests::{Backend, TestApp};

/// 290 municipalities' worth of organisations.
const ORGANISATIONS: u64 = 2_900;
const FIRST_YEAR: i32 = 2017;
const YEARS: i32 = 10;
const ACTIVITIES_PER_ORGANISATION_AND_YEAR: u64 = 5;
/// A page of 5 000 values (the median of the runs), on PostgreSQL.
const PAGE: Duration = Duration::from_millis(50);

fn fill(app: &TestApp) {
    let series = |n: u64| match app.backend {
        Backend::Sqlite => {
            format!("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})")
        }
        Backend::Postgres => format!("WITH s(i) AS (SELECT generate_series(1, {n}))"),
    };
    let day = |year: i32| match app.backend {
        Backend::Sqlite => format!("date('{year}-01-01', '+' || (i % 365) || ' days')"),
        Backend::Postgres => format!("DATE '{year}-01-01' + (i % 365)"),
    };
    let now = "CURRENT_TIMESTAMP";
    // The organisations the test app has already (none report) keep their ids; these follow.
    let mut sql = format!(
        "{} INSERT INTO organisations (name, kind, active, version, created_at, updated_at) \
         SELECT 'Förvaltning ' || i, CASE i % 5 WHEN 0 THEN 'company' ELSE 'administration' END, TRUE, 1, {now}, {now} FROM s;\n",
        series(ORGANISATIONS)
    );
    let per_year = ORGANISATIONS * ACTIVITIES_PER_ORGANISATION_AND_YEAR;
    for year in FIRST_YEAR..FIRST_YEAR + YEARS {
        sql.push_str(&format!(
            "{} INSERT INTO activities (title, kind, organisation_id, starts_on, ends_on, organiser, women, men, total, \
             hours, own_cost, external_cost, version, created_at, updated_at) \
             SELECT 'Aktivitet ' || i, CASE i % 4 WHEN 0 THEN 'conference' WHEN 1 THEN 'study_visit' WHEN 2 THEN 'fair' ELSE 'exchange' END, \
             (SELECT MIN(id) FROM organisations WHERE name LIKE 'Förvaltning %') + i % {ORGANISATIONS}, {d}, {d}, 'own', \
             i % 5, i % 3, i % 5 + i % 3 + 1, 50 * (i % 100), 1000 * (i % 900), 10 * (i % 700), 1, {now}, {now} FROM s;\n",
            series(per_year),
            d = day(year),
        ));
    }
    sql.push_str(
        "INSERT INTO activity_countries (activity_id, position, country) \
         SELECT id, 1, CASE id % 3 WHEN 0 THEN 'DK' WHEN 1 THEN 'PL' ELSE 'FI' END FROM activities;\n",
    );
    app.load_in_bulk(&sql);
    // The reporting years with a report of every organisation, handed in.
    let mut conn = app.db.connect();
    let at = chrono::Utc::now().naive_utc();
    for year in FIRST_YEAR..FIRST_YEAR + YEARS {
        let deadline = NaiveDate::from_ymd_opt(year + 1, 2, 15).unwrap();
        utblick_db::reports::insert_reporting_year(&mut conn, year, deadline, at).unwrap();
    }
    app.load_in_bulk(&format!(
        "INSERT INTO reports (reporting_year_id, organisation_id, status, narrative, other_resources, version, created_at, updated_at) \
         SELECT y.id, o.id, 'approved', 'Året i korthet.', '', 1, {now}, {now} \
         FROM reporting_years y CROSS JOIN organisations o WHERE o.name LIKE 'Förvaltning %';"
    ));
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

struct Run {
    frozen_page: Duration,
    with_open_year: Duration,
    one_year: Duration,
    values: usize,
}

async fn time(app: &TestApp, key: &str, path: &str, runs: usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut values = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let res = app.req(reqwest::Method::GET, path, Some(key)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body: serde_json::Value = res.json().await.unwrap();
        times.push(t.elapsed());
        values =
            body["values"].as_array().unwrap().iter().map(|d| d["values"].as_array().unwrap().len()).sum();
    }
    (median(times), values)
}

async fn measure(backend: Backend) -> Option<Run> {
    let app = TestApp::spawn(backend).await?;
    fill(&app);
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let (_, key) = app.create_api_token("kpi:read", app.create_user("admin", None).id);
    // The first nine years compiled, made final and presented: their values are frozen.
    utblick_tests::bench::compile_years(&app, &coordinator, |year| year < FIRST_YEAR + YEARS - 1).await;
    let frozen: Vec<String> = (FIRST_YEAR..FIRST_YEAR + YEARS - 1).map(|y| y.to_string()).collect();
    let all: Vec<String> = (FIRST_YEAR..FIRST_YEAR + YEARS).map(|y| y.to_string()).collect();
    let kpis = "UTB0001,UTB0002,UTB0003,UTB0004,UTB0005";
    let page =
        |years: &[String]| format!("/kolada/v3/oudata?kpi_id={kpis}&year={}&per_page=5000", years.join(","));
    let (frozen_page, values) = time(&app, &key, &page(&frozen), 15).await;
    assert_eq!(values, 5_000, "a full page of values");
    let (with_open_year, _) = time(&app, &key, &page(&all), 5).await;
    let (one_year, n) = time(&app, &key, "/kolada/v3/oudata/kpi/UTB0001/year/2024?per_page=5000", 15).await;
    assert_eq!(n, ORGANISATIONS as usize, "one value of each unit");
    app.stop().await;
    Some(Run { frozen_page, with_open_year, one_year, values })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut missed = None;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(run) = runtime.block_on(measure(backend)) else {
            println!("{:<10} not available, skipped", backend.name());
            continue;
        };
        println!(
            "{:<10} {ORGANISATIONS} units, {YEARS} years: a page of {} values over the nine frozen years {:.1?} (median of 15), \
             with the open year computed now {:.1?} (median of 5), one frozen year of one KPI for every unit {:.1?}",
            backend.name(),
            run.values,
            run.frozen_page,
            run.with_open_year,
            run.one_year,
        );
        if backend == Backend::Postgres && run.frozen_page > PAGE {
            missed = Some(format!("PostgreSQL: a page of 5 000 values {:?} > {PAGE:?}", run.frozen_page));
        }
    }
    if let Some(m) = missed {
        println!("MISSED: {m}");
        std::process::exit(1);
    }
    println!("all targets met");
}
