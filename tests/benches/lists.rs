//! How fast lists answer and how little memory an export needs, on each backend this
//! machine has. Rerun with
//!
//!     cargo bench -p utblick-tests --bench lists
//!
//! (`UTBLICK_BENCH_ROWS` sets the export's size, default 1 000 000; PostgreSQL is measured
//! when `UTBLICK_TEST_PG_URL` names a server, as `scripts/pg-cluster start` gives one.)
//! The targets below are checked: a run that misses one exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use utblick_db::SimpleConnection;
use utblick_tests::{Backend, TestApp};

/// Rows while pages are measured: a national-scale register (290 municipalities × ~35).
const PAGE_ROWS: u64 = 10_000;
/// A page of a list, p95, on a quiet machine.
const PAGE_P95: Duration = Duration::from_millis(25);
/// A page of a text search (a scan of every row), p95.
const SEARCH_P95: Duration = Duration::from_millis(50);
/// The whole export's rows per second.
const EXPORT_ROWS_PER_SECOND: f64 = 50_000.0;
/// Peak memory the export may add to the process, however long the list.
const EXPORT_EXTRA_MEMORY_MIB: f64 = 64.0;

/// The process's peak resident memory so far (VmHWM), in MiB.
fn peak_mib() -> f64 {
    utblick_tests::bench::status_mib("self", "VmHWM:")
}

/// Adds twin towns numbered `from..=to`.
fn fill(app: &TestApp, from: u64, to: u64) {
    let mut conn = app.db.connect();
    let sql = match app.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i < {to}) \
             INSERT INTO twin_towns (town, country, region, since, status, version, created_at, updated_at) \
             SELECT 'Stad ' || i, 'PL', 'Region ' || (i % 16), NULL, 'proposed', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n"
        ),
        Backend::Postgres => format!(
            "INSERT INTO twin_towns (town, country, region, since, status, version, created_at, updated_at) \
             SELECT 'Stad ' || i, 'PL', 'Region ' || (i % 16), NULL, 'proposed', 1, now(), now() \
             FROM generate_series({from}, {to}) AS i"
        ),
    };
    conn.batch_execute(&sql).unwrap();
}

async fn measure(backend: Backend, rows: u64) -> Vec<String> {
    let Some(app) = TestApp::spawn_with(backend, |s| s.database.pool_size = 8).await else {
        return vec![format!("{}: not available, skipped", backend.name())];
    };
    fill(&app, 1, PAGE_ROWS);
    let admin = app.create_user("admin", None);
    let token = app.login(&admin).await;
    let mut misses = Vec::new();

    // Pages: one client, one request at a time, varied pages; then text searches.
    let timed = |paths: Vec<String>| {
        let (app, token) = (&app, token.clone());
        async move {
            let mut times = Vec::new();
            for path in paths {
                let t = Instant::now();
                let res = app.req(reqwest::Method::GET, &path, Some(&token)).send().await.unwrap();
                assert_eq!(res.status(), 200);
                res.bytes().await.unwrap();
                times.push(t.elapsed());
            }
            times.sort();
            (times[times.len() / 2], times[times.len() * 95 / 100])
        }
    };
    let (p50, p95) = timed(
        (0..400_u64)
            .map(|i| format!("/api/v1/twin-towns?page={}&per_page=20&sort=-town", 1 + i * 13 % 500))
            .collect(),
    )
    .await;
    let (s50, s95) =
        timed((0..100_u64).map(|i| format!("/api/v1/twin-towns?q=stad%20{}&per_page=20", i * 97)).collect())
            .await;
    if p95 > PAGE_P95 {
        misses.push(format!("{}: page p95 {p95:?} > {PAGE_P95:?}", backend.name()));
    }
    if s95 > SEARCH_P95 {
        misses.push(format!("{}: search p95 {s95:?} > {SEARCH_P95:?}", backend.name()));
    }
    let started = Instant::now();
    fill(&app, PAGE_ROWS + 1, rows.max(PAGE_ROWS));
    let filled = started.elapsed();
    let rows = rows.max(PAGE_ROWS);

    // The whole list as CSV, read as it arrives.
    let before = peak_mib();
    let t = Instant::now();
    let mut res =
        app.req(reqwest::Method::GET, "/api/v1/twin-towns?format=csv", Some(&token)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let (mut bytes, mut lines) = (0_u64, 0_u64);
    while let Some(chunk) = res.chunk().await.unwrap() {
        bytes += chunk.len() as u64;
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
    }
    let took = t.elapsed();
    let extra = peak_mib() - before;
    assert_eq!(lines, rows + 1, "every row and the header");
    let rate = rows as f64 / took.as_secs_f64();
    if rate < EXPORT_ROWS_PER_SECOND {
        misses.push(format!("{}: export {rate:.0} rows/s < {EXPORT_ROWS_PER_SECOND}", backend.name()));
    }
    if extra > EXPORT_EXTRA_MEMORY_MIB {
        misses
            .push(format!("{}: export added {extra:.1} MiB > {EXPORT_EXTRA_MEMORY_MIB} MiB", backend.name()));
    }
    println!(
        "{:<10} {PAGE_ROWS} rows: page p50 {p50:.1?} p95 {p95:.1?}, search p50 {s50:.1?} p95 {s95:.1?}; \
         {rows} rows (filled in {filled:.1?}): CSV export {:.1} MiB in {took:.1?} ({rate:.0} rows/s), \
         peak memory +{extra:.1} MiB",
        backend.name(),
        bytes as f64 / 1_048_576.0,
    );
    app.stop().await;
    misses
}

fn main() {
    let rows: u64 =
        std::env::var("UTBLICK_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut misses = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        misses.extend(runtime.block_on(measure(backend, rows)));
    }
    if misses.iter().any(|m| !m.ends_with("skipped")) {
        for m in &misses {
            println!("MISSED: {m}");
        }
        std::process::exit(1);
    }
    println!("all targets met");
}
