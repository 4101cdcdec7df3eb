//! Throughput against the framework's own ceiling: the release binary, run as its own
//! process on a municipality-sized data set (50 organisations, 2 000 projects, 20 000
//! activities, five years of reports, 10 000 decisions), loaded by `wrk` over loopback. Each
//! endpoint's requests per second are set beside `/health` of the same process in the same
//! run (the most the server and the machine give without Utblick's work). Rerun with
//!
//!     scripts/bench
//!
//! (which builds the release binary, installs `wrk` if missing, starts a throwaway
//! PostgreSQL and runs this). The targets below are checked: a run that misses one prints
//! it and exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use utblick_tests::bench::{MUNICIPALITY, Server, Wrk, compile_years, fill_municipality, have_wrk, wrk};
use utblick_tests::{Backend, TestApp};

/// Seconds each endpoint is loaded.
const SECONDS: u32 = 8;
/// Connections, as in a busy office's browsers and a scorecard system together.
const CONNECTIONS: u32 = 32;
/// Signed-in list and detail reads, as a share of `/health` in the same run.
fn share_target(backend: Backend) -> f64 {
    match backend {
        Backend::Sqlite => 0.30,
        Backend::Postgres => 0.20,
    }
}
/// p99 of signed-in list and detail reads at 32 connections, in ms.
const P99_TARGET_MS: f64 = 10.0;
/// Memory after start, and at most under the list and detail load, in MiB.
const IDLE_MIB: f64 = 25.0;
const LOADED_MIB: f64 = 80.0;

/// What an endpoint is, for the table.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Ceiling,
    /// A read with a target.
    Target,
    /// Measured and shown, no target.
    Shown,
}

struct Row {
    name: &'static str,
    path: String,
    signed_in: bool,
    connections: u32,
    kind: Kind,
}

struct Measured {
    backend: Backend,
    rows: Vec<(Row, Wrk)>,
    idle_mib: f64,
    loaded_mib: f64,
    peak_mib: f64,
}

async fn measure(backend: Backend) -> Option<Measured> {
    let app = TestApp::spawn(backend).await?;
    fill_municipality(&app, &MUNICIPALITY);
    let admin = app.create_user("admin", None);
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    // The years before the last presented to the council (their KPI values frozen), the last
    // one a draft computed at each request.
    let last = *MUNICIPALITY.report_years.end();
    let compilations = compile_years(&app, &coordinator, |year| year < last).await;
    let draft = compilations.iter().find(|(y, _)| *y == last).map(|(_, id)| *id).unwrap();
    let db = app.stop().await;

    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&db.url(), data.path(), &[]);
    std::thread::sleep(std::time::Duration::from_secs(1));
    let idle_mib = server.memory_mib().0;
    let client = reqwest::Client::new();
    let token = server.login(&client, &admin.email).await;
    let signed_in = vec![format!("Authorization: Bearer {token}")];

    let row = |name, path: &str, signed_in, connections, kind| Row {
        name,
        path: path.to_owned(),
        signed_in,
        connections,
        kind,
    };
    let c = CONNECTIONS;
    let frozen_years =
        (*MUNICIPALITY.report_years.start()..last).map(|y| y.to_string()).collect::<Vec<_>>().join(",");
    let plan = vec![
        row("`/health`", "/health", false, c, Kind::Ceiling),
        row("anonymous: programmes", "/api/v1/programmes", false, c, Kind::Shown),
        row("list: decisions, page 1 of 200", "/api/v1/decisions", true, c, Kind::Target),
        row("list: activities, page 1 of 400", "/api/v1/activities", true, c, Kind::Target),
        row("list: projects by title", "/api/v1/projects?sort=title", true, c, Kind::Target),
        row("detail: a decision", "/api/v1/decisions/5000", true, c, Kind::Target),
        row("detail: an activity", "/api/v1/activities/10000", true, c, Kind::Target),
        row("detail: a project", "/api/v1/projects/1000", true, c, Kind::Target),
        row(
            "search: activities, words in the title",
            "/api/v1/activities?q=Aktivitet%2012345",
            true,
            c,
            Kind::Shown,
        ),
        row(
            "export: 20 000 activities as CSV (1 connection)",
            "/api/v1/activities?format=csv",
            true,
            1,
            Kind::Shown,
        ),
        row(
            "compilation: a draft year, computed",
            &format!("/api/v1/compilations/{draft}"),
            true,
            4,
            Kind::Shown,
        ),
        row(
            "KPI feed: Kolada `oudata`, four frozen years",
            &format!("/kolada/v3/oudata?kpi_id=UTB0001,UTB0002,UTB0003&year={frozen_years}"),
            true,
            c,
            Kind::Shown,
        ),
        row(
            "KPI feed: the open year, computed",
            &format!("/api/v1/kpi-values?year={last}"),
            true,
            4,
            Kind::Shown,
        ),
    ];
    // `UTBLICK_BENCH_ONLY=decisions` measures only the rows whose name holds that (and the
    // ceiling), e.g. while a profiler watches the server (its pid is printed).
    let only = std::env::var("UTBLICK_BENCH_ONLY").ok();
    let plan: Vec<Row> = plan
        .into_iter()
        .filter(|r| r.kind == Kind::Ceiling || only.as_ref().is_none_or(|o| r.name.contains(o.as_str())))
        .collect();
    println!("  {:<8} server pid {}", backend.name(), server.pid());
    let mut rows = Vec::new();
    let mut loaded_mib = 0.0;
    for r in plan {
        // Each answers once before it is loaded, so a wrong path fails here, not in a table of 404s.
        let res = client.get(server.url(&r.path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), 200, "{}: {}", r.path, res.text().await.unwrap_or_default());
        let headers = if r.signed_in { signed_in.clone() } else { Vec::new() };
        let threads = r.connections.min(2);
        let w = wrk(&server.url(&r.path), threads, r.connections, SECONDS, &headers);
        println!(
            "  {:<8} {:<50} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  {} not 2xx, {} errors",
            backend.name(),
            r.name,
            w.requests_per_second,
            w.p50_ms,
            w.p99_ms,
            w.not_ok,
            w.errors
        );
        if r.kind != Kind::Shown {
            loaded_mib = server.memory_mib().1;
        }
        rows.push((r, w));
    }
    let peak_mib = server.memory_mib().1;
    server.stop();
    Some(Measured { backend, rows, idle_mib, loaded_mib, peak_mib })
}

fn main() {
    if !have_wrk() {
        println!("wrk is not installed (apt-get install wrk; scripts/bench does so)");
        std::process::exit(1);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut misses = Vec::new();
    let mut tables = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(m) = runtime.block_on(measure(backend)) else {
            println!("{:<10} not available, skipped", backend.name());
            continue;
        };
        let ceiling =
            m.rows.iter().find(|(r, _)| r.kind == Kind::Ceiling).map(|(_, w)| w.requests_per_second).unwrap();
        let mut table = format!(
            "\n{}: idle {:.0} MiB, at most {:.0} MiB under the list and detail load, {:.0} MiB at the end\n\n\
             | endpoint | req/s | share of `/health` | p50 | p99 | target |\n|---|---|---|---|---|---|\n",
            match m.backend {
                Backend::Sqlite => "SQLite",
                Backend::Postgres => "PostgreSQL",
            },
            m.idle_mib,
            m.loaded_mib,
            m.peak_mib
        );
        for (r, w) in &m.rows {
            let share = w.requests_per_second / ceiling;
            let verdict = match r.kind {
                Kind::Ceiling => "ceiling".to_owned(),
                Kind::Shown => String::new(),
                Kind::Target => {
                    let mut missed = Vec::new();
                    if share < share_target(m.backend) {
                        missed.push(format!("share < {:.0} %", share_target(m.backend) * 100.0));
                    }
                    if w.p99_ms > P99_TARGET_MS {
                        missed.push(format!("p99 > {P99_TARGET_MS} ms"));
                    }
                    if missed.is_empty() {
                        "met".to_owned()
                    } else {
                        misses.push(format!("{} {}: {}", m.backend.name(), r.name, missed.join(", ")));
                        format!("**missed**: {}", missed.join(", "))
                    }
                }
            };
            if w.not_ok > 0 || w.errors > 0 {
                misses.push(format!(
                    "{} {}: {} not 2xx, {} errors",
                    m.backend.name(),
                    r.name,
                    w.not_ok,
                    w.errors
                ));
            }
            table.push_str(&format!(
                "| {} | {:.0} | {:.1} % | {:.2} ms | {:.2} ms | {verdict} |\n",
                r.name,
                w.requests_per_second,
                share * 100.0,
                w.p50_ms,
                w.p99_ms
            ));
        }
        if m.idle_mib > IDLE_MIB {
            misses.push(format!("{} idle memory {:.0} MiB > {IDLE_MIB} MiB", m.backend.name(), m.idle_mib));
        }
        if m.loaded_mib > LOADED_MIB {
            misses.push(format!(
                "{} memory under load {:.0} MiB > {LOADED_MIB} MiB",
                m.backend.name(),
                m.loaded_mib
            ));
        }
        tables.push(table);
    }
    println!(
        "\n{} cores, wrk -t2 -c{CONNECTIONS} -d{SECONDS}s (fewer connections where the table says), release build",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for t in tables {
        println!("{t}");
    }
    if misses.is_empty() {
        println!("all targets met");
    } else {
        for m in &misses {
            println!("MISSED: {m}");
        }
        std::process::exit(1);
    }
}
