//! What the measurements share: a municipality-sized data set, the release binary run as a
//! process of its own (as in production), and `wrk`'s figures read off its output.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Backend, TEST_JWT_SECRET, TEST_PASSWORD, TestApp, repo_root};

/// The size of a municipality's international work after some years.
pub struct Scale {
    pub organisations: u64,
    pub projects: u64,
    pub activities: u64,
    pub decisions: u64,
    /// Reporting years, ending with the last one (every organisation's report handed in).
    pub report_years: std::ops::RangeInclusive<i32>,
}

/// 50 organisations, 2 000 projects, 20 000 activities over five years, five years of
/// reports, 10 000 council decisions.
pub const MUNICIPALITY: Scale = Scale {
    organisations: 50,
    projects: 2_000,
    activities: 20_000,
    decisions: 10_000,
    report_years: 2021..=2025,
};

/// `WITH … s(i)` numbering 1..=n in the backend's own way.
fn series(backend: Backend, n: u64) -> String {
    match backend {
        Backend::Sqlite => {
            format!("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})")
        }
        Backend::Postgres => format!("WITH s(i) AS (SELECT generate_series(1, {n}))"),
    }
}

/// Organisations `Förvaltning 00…`, then projects and activities spread over them, five years
/// from 2022 and three kinds of work, each activity with a country; then `ANALYZE` (and on
/// PostgreSQL `VACUUM`), as autovacuum runs after a bulk load.
pub fn fill_projects_and_activities(app: &TestApp, organisations: u64, projects: u64, activities: u64) {
    for i in 0..organisations {
        app.create_organisation(&format!("Förvaltning {i:02}"));
    }
    let day = match app.backend {
        Backend::Sqlite => "date('2022-01-01', '+' || (i % 1800) || ' days')",
        Backend::Postgres => "DATE '2022-01-01' + (i % 1800)",
    };
    let now = "CURRENT_TIMESTAMP";
    let kinds = "CASE i % 3 WHEN 0 THEN 'horizon_scanning' WHEN 1 THEN 'positioning' ELSE 'development' END";
    let sql = format!(
        "{} INSERT INTO projects (title, summary, kind, owner_organisation_id, own_money, own_hours, contribution, \
         lasting_value, status, version, created_at, updated_at) \
         SELECT 'Projekt ' || i, 'Utbyte och lärande', {kinds}, 1 + i % {organisations}, 100000 * (i % 50), 100 * (i % 400), \
         'Hållbar tillväxt', 'Ett nätverk', 'idea', 1, {now}, {now} FROM s;\n\
         {} INSERT INTO activities (title, kind, organisation_id, project_id, starts_on, ends_on, organiser, women, men, \
         total, hours, own_cost, external_cost, version, created_at, updated_at) \
         SELECT 'Aktivitet ' || i, CASE i % 4 WHEN 0 THEN 'conference' WHEN 1 THEN 'study_visit' WHEN 2 THEN 'fair' ELSE 'exchange' END, \
         1 + i % {organisations}, 1 + i % {projects}, {day}, {day}, 'own', i % 5, i % 3, i % 5 + i % 3 + 1, 50 * (i % 100), \
         1000 * (i % 900), 0, 1, {now}, {now} FROM s;\n\
         INSERT INTO activity_countries (activity_id, position, country) SELECT id, 1, 'DK' FROM activities;\n\
         ANALYZE;",
        series(app.backend, projects),
        series(app.backend, activities),
    );
    app.load_in_bulk(&sql);
}

/// The whole data set of `scale`: projects and activities, decisions, and the reporting
/// years with every organisation's report handed in (approved).
pub fn fill_municipality(app: &TestApp, scale: &Scale) {
    fill_projects_and_activities(app, scale.organisations, scale.projects, scale.activities);
    app.fill_decisions(scale.decisions);
    let mut conn = app.db.connect();
    let at = chrono::Utc::now().naive_utc();
    for year in scale.report_years.clone() {
        let deadline = chrono::NaiveDate::from_ymd_opt(year + 1, 2, 15).expect("a date");
        utblick_db::reports::insert_reporting_year(&mut conn, year, deadline, at).expect("reporting year");
    }
    app.load_in_bulk(
        "INSERT INTO reports (reporting_year_id, organisation_id, status, narrative, other_resources, version, created_at, updated_at) \
         SELECT y.id, o.id, 'approved', 'Året i korthet.', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP \
         FROM reporting_years y CROSS JOIN organisations o WHERE o.name LIKE 'Förvaltning %';",
    );
}

/// Compiles each reporting year for which `present` holds, makes the compilation final and
/// presents it to the council (its KPI values are then frozen); the other years get a draft.
/// `token` is a coordinator's. Returns the compilations' ids, by year.
pub async fn compile_years(app: &TestApp, token: &str, present: impl Fn(i32) -> bool) -> Vec<(i32, i64)> {
    let decision = app.create_decision("council");
    let years = utblick_db::reports::list_reporting_years(&mut app.db.connect()).expect("reporting years");
    let mut ids = Vec::new();
    for y in &years {
        let res = app
            .req(reqwest::Method::POST, "/api/v1/compilations", Some(token))
            .json(&serde_json::json!({"reporting_year_id": y.id}))
            .send()
            .await
            .expect("compile");
        assert_eq!(res.status(), 201);
        let id = res.json::<serde_json::Value>().await.expect("JSON")["id"].as_i64().expect("id");
        ids.push((y.year, id));
        if !present(y.year) {
            continue;
        }
        for (version, body) in [
            (1, serde_json::json!({"status": "final"})),
            (2, serde_json::json!({"status": "presented", "decision_id": decision})),
        ] {
            let res = app
                .req(reqwest::Method::POST, &format!("/api/v1/compilations/{id}/status"), Some(token))
                .header("If-Match", format!("\"{version}\""))
                .json(&body)
                .send()
                .await
                .expect("status");
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        }
    }
    ids
}

/// The `utblick` binary to measure: `UTBLICK_BIN`, else the release build.
pub fn release_binary() -> PathBuf {
    std::env::var_os("UTBLICK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/release/utblick"))
}

/// A free loopback port (the OS's choice, released at once).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One `utblick` server process.
pub struct Server {
    pub port: u16,
    pub log: PathBuf,
    child: Child,
    db_url: String,
    env: Vec<(String, String)>,
    data_dir: PathBuf,
}

impl Server {
    /// Starts the binary on `db_url` and a free port, waits until `/health` answers.
    /// `env` adds settings (`UTBLICK__…`).
    pub fn start(db_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> Server {
        let env: Vec<(String, String)> =
            env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Self::start_on(free_port(), db_url, data_dir, env)
    }

    fn start_on(port: u16, db_url: &str, data_dir: &Path, env: Vec<(String, String)>) -> Server {
        std::fs::create_dir_all(data_dir).expect("data dir");
        let log = data_dir.join(format!("server-{port}.log"));
        let out = std::fs::OpenOptions::new().create(true).append(true).open(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let mut cmd = Command::new(release_binary());
        // Settings from this environment (`UTBLICK__…`) reach the server, under those below.
        let inherited: Vec<(String, String)> =
            std::env::vars().filter(|(k, _)| k.starts_with("UTBLICK__")).collect();
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(inherited)
            .env("UTBLICK__SERVER__PORT", port.to_string())
            .env("UTBLICK__DATABASE__URL", db_url)
            .env("UTBLICK__DATABASE__DATA_DIR", data_dir)
            .env("UTBLICK__DATABASE__SEED_DEMO_DATA", "false")
            .env("UTBLICK__AUTH__JWT_SECRET", TEST_JWT_SECRET)
            .env("UTBLICK__LOG__LEVEL", "warn")
            .env("UTBLICK__WEB__DIR", repo_root().join("web"))
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child =
            cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", release_binary().display()));
        let mut server =
            Server { port, log, child, db_url: db_url.to_owned(), env, data_dir: data_dir.to_owned() };
        server.wait_until_up(Duration::from_secs(60));
        server
    }

    /// The same server again, on the same port, database and settings (after a kill).
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let next = Self::start_on(self.port, &self.db_url, &self.data_dir, self.env.clone());
        *self = next;
    }

    fn wait_until_up(&mut self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                panic!("the server ended at start ({status}):\n{log}");
            }
            if http_status(self.port, "GET", "/health", &[], None) == Some(200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not answer /health within {limit:?}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now (`VmRSS`) and at most so far (`VmHWM`), in MiB.
    pub fn memory_mib(&self) -> (f64, f64) {
        let process = self.pid().to_string();
        (status_mib(&process, "VmRSS:"), status_mib(&process, "VmHWM:"))
    }

    /// Ends the process at once (SIGKILL): no shutdown, no flush.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Asks the process to stop (SIGTERM) and waits for it.
    pub fn stop(mut self) {
        terminate(&mut self.child);
    }

    /// Signs `email` in with the test password; the access token.
    pub async fn login(&self, client: &reqwest::Client, email: &str) -> String {
        let res = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": TEST_PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200, "login of {email}");
        let body: serde_json::Value = res.json().await.expect("login JSON");
        body["access_token"].as_str().expect("access_token").to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A memory figure of `/proc/<process>/status` (`process` a pid or `self`), in MiB.
pub fn status_mib(process: &str, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Asks a child process to stop (SIGTERM, which also ends an nginx master's workers) and
/// waits for it up to 10 s; then kills it.
pub fn terminate(child: &mut Child) {
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// One request with a fresh connection and no dependencies (for waiting loops): the status.
pub fn http_status(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Option<u16> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(500),
    )
    .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// What `wrk --latency` measured.
#[derive(Debug, Clone, Default)]
pub struct Wrk {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Answers that were not 2xx or 3xx.
    pub not_ok: u64,
    /// Connect, read, write and timeout errors.
    pub errors: u64,
}

/// Is `wrk` on this machine?
pub fn have_wrk() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

/// Runs `wrk -t{threads} -c{connections} -d{seconds}s --latency` against `url`.
pub fn wrk(url: &str, threads: u32, connections: u32, seconds: u32, headers: &[String]) -> Wrk {
    let mut cmd = Command::new("wrk");
    cmd.arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("--latency");
    for h in headers {
        cmd.arg("-H").arg(h);
    }
    let out = cmd.arg(url).output().expect("wrk runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    parse_wrk(&text)
}

/// Reads wrk's report.
pub fn parse_wrk(text: &str) -> Wrk {
    let ms = |v: &str| -> f64 {
        let v = v.trim();
        let (number, factor) = if let Some(n) = v.strip_suffix("us") {
            (n, 0.001)
        } else if let Some(n) = v.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = v.strip_suffix("m") {
            (n, 60_000.0)
        } else if let Some(n) = v.strip_suffix('s') {
            (n, 1000.0)
        } else {
            (v, 1.0)
        };
        number.parse::<f64>().map_or(f64::NAN, |n| n * factor)
    };
    let mut w = Wrk::default();
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => w.p50_ms = ms(v),
            ["99%", v] => w.p99_ms = ms(v),
            ["Requests/sec:", v] => w.requests_per_second = v.parse().unwrap_or(0.0),
            [n, "requests", "in", ..] => w.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => w.not_ok = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                w.errors = rest.iter().filter_map(|t| t.trim_end_matches(',').parse::<u64>().ok()).sum();
            }
            _ => {}
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrks_report() {
        let text = "Running 8s test @ http://127.0.0.1:1/health\n  2 threads and 32 connections\n  \
            Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency   450.12us  200.00us   5.00ms   90.00%\n  \
            Latency Distribution\n     50%  412.00us\n     75%  500.00us\n     90%  600.00us\n     99%    1.20ms\n  \
            565600 requests in 8.00s, 90.00MB read\n  Socket errors: connect 0, read 3, write 0, timeout 1\n  \
            Non-2xx or 3xx responses: 7\nRequests/sec:  70700.12\nTransfer/sec:     11.25MB\n";
        let w = parse_wrk(text);
        assert_eq!(w.requests, 565_600);
        assert!((w.p50_ms - 0.412).abs() < 1e-9);
        assert!((w.p99_ms - 1.2).abs() < 1e-9);
        assert!((w.requests_per_second - 70_700.12).abs() < 1e-6);
        assert_eq!((w.not_ok, w.errors), (7, 4));
    }
}
