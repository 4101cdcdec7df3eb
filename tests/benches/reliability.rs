//! Reliability, with pass/fail output: the release binary as its own process (as in
//! production) under load with writes, killed with SIGKILL, with its PostgreSQL stopped under
//! it, and as two instances behind nginx on one PostgreSQL. Rerun with
//!
//!     scripts/reliability
//!
//! which builds the release binary, installs nginx and wrk if missing, starts a throwaway
//! PostgreSQL that commits durably (its directory in `UTBLICK_RELIABILITY_PG_DIR`, so that the
//! outage check can stop and start it) and runs this. `UTBLICK_LOAD_SECONDS` sets each load's
//! length (default 60), `UTBLICK_RELIABILITY_ONLY` a comma-separated choice of checks:
//! `crash-sqlite`, `crash-postgres`, `outage`, `load-sqlite`, `two-instances`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use utblick_db::SimpleConnection;
use utblick_tests::bench::{MUNICIPALITY, Server, compile_years, fill_municipality, free_port};
use utblick_tests::{Backend, TestApp, TestDb, repo_root};

/// Simulated people, and how often each acts on average.
const USERS: u64 = 200;
const REQUESTS_PER_USER_PER_SECOND: f64 = 0.5;
/// Activities the edits share, so that two people sometimes correct one at the same time.
const HOT_ACTIVITIES: i64 = 20;
/// Accounts the simulated people sign in as (several people per account, as on a shared desk).
const ACCOUNTS: usize = 40;
/// Writers while the server is killed.
const WRITERS: usize = 16;
/// The pool's wait for a connection in the outage check (`database.connect_timeout_seconds`).
const CONNECT_TIMEOUT: u64 = 2;

type Check = Result<String, String>;

fn seconds() -> u64 {
    std::env::var("UTBLICK_LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60)
}

/// A small deterministic generator (no dependency for a benchmark's dice).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_idle_timeout(Duration::from_secs(2))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn version_of(res: &reqwest::Response) -> Option<i64> {
    res.headers().get("etag")?.to_str().ok()?.trim_matches(|c| c == '"' || c == 'W' || c == '/').parse().ok()
}

// ---------------------------------------------------------------------------------------
// Load with writes.

#[derive(Default)]
struct Tally {
    /// (kind, status) → latencies in ms.
    answers: HashMap<(&'static str, u16), Vec<f64>>,
    transport_errors: Vec<String>,
    /// Successful edits: (activity, the version it made).
    edits: Vec<(i64, i64)>,
    /// Refused edits: (activity, the version the editor had read).
    refused: Vec<(i64, i64)>,
}

impl Tally {
    fn add(&mut self, kind: &'static str, status: StatusCode, started: Instant) {
        self.answers
            .entry((kind, status.as_u16()))
            .or_default()
            .push(started.elapsed().as_secs_f64() * 1000.0);
    }
}

struct LoadReport {
    lines: Vec<String>,
    failures: Vec<String>,
}

/// The shared activities' versions now.
async fn hot_versions(client: &reqwest::Client, base: &str, token: &str) -> HashMap<i64, i64> {
    let mut versions = HashMap::new();
    for id in 1..=HOT_ACTIVITIES {
        let res =
            client.get(format!("{base}/api/v1/activities/{id}")).bearer_auth(token).send().await.unwrap();
        versions.insert(id, version_of(&res).unwrap());
    }
    versions
}

/// `USERS` people for `seconds`, arriving at a fixed rate whatever the answers take (an open
/// model: a slow server meets more requests at once, not fewer): 80 % list pages, 8 %
/// details, 10 % corrections of a shared activity (read, think 100 ms, write with
/// `If-Match`), 1.5 % CSV exports, 0.5 % a computed compilation.
async fn load(base: &str, tokens: &[String], compilation: i64, seconds: u64) -> LoadReport {
    let client = client();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let rate = USERS as f64 * REQUESTS_PER_USER_PER_SECOND;
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let start_versions = hot_versions(&client, base, &tokens[0]).await;
    let started = Instant::now();
    let mut tasks = Vec::new();
    while started.elapsed() < Duration::from_secs(seconds) {
        ticker.tick().await;
        let user = dice.below(USERS);
        let token = tokens[user as usize % tokens.len()].clone();
        let roll = dice.below(1000);
        let page = 1 + dice.below(100);
        let hot = 1 + dice.below(HOT_ACTIVITIES as u64) as i64;
        let (client, tally, base) = (client.clone(), tally.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let get = |path: String| client.get(format!("{base}{path}")).bearer_auth(&token).send();
            let t = Instant::now();
            let (kind, res, t) = match roll {
                0..=299 => ("list", get(format!("/api/v1/decisions?page={page}")).await, t),
                300..=599 => ("list", get(format!("/api/v1/activities?page={page}")).await, t),
                600..=799 => ("list", get("/api/v1/projects?sort=title".to_owned()).await, t),
                800..=879 => ("detail", get(format!("/api/v1/activities/{}", 100 + page)).await, t),
                880..=979 => {
                    let read = get(format!("/api/v1/activities/{hot}")).await;
                    let read = match read {
                        Ok(r) if r.status() == 200 => r,
                        Ok(r) => {
                            tally.lock().unwrap().add("edit-read", r.status(), t);
                            return;
                        }
                        Err(e) => {
                            tally.lock().unwrap().transport_errors.push(format!("edit-read: {e}"));
                            return;
                        }
                    };
                    let had = version_of(&read).unwrap();
                    drop(read.bytes().await);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    let t = Instant::now();
                    let res = client
                        .patch(format!("{base}/api/v1/activities/{hot}"))
                        .bearer_auth(&token)
                        .header("If-Match", format!("\"{had}\""))
                        .json(&serde_json::json!({"outcome": format!("Rättat av person {user} (hade version {had})")}))
                        .send()
                        .await;
                    if let Ok(r) = &res {
                        let mut tally = tally.lock().unwrap();
                        match r.status().as_u16() {
                            200 => tally.edits.push((hot, version_of(r).unwrap())),
                            412 => tally.refused.push((hot, had)),
                            _ => {}
                        }
                    }
                    ("edit", res, t)
                }
                980..=994 => ("export", get("/api/v1/decisions?format=csv".to_owned()).await, t),
                _ => ("compilation", get(format!("/api/v1/compilations/{compilation}")).await, t),
            };
            match res {
                Ok(r) => {
                    let status = r.status();
                    let body = r.bytes().await;
                    let mut tally = tally.lock().unwrap();
                    match body {
                        Ok(_) => tally.add(kind, status, t),
                        Err(e) => tally.transport_errors.push(format!("{kind}: body cut: {e}")),
                    }
                }
                Err(e) => tally.lock().unwrap().transport_errors.push(format!("{kind}: {e}")),
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let tally = Arc::try_unwrap(tally).ok().unwrap().into_inner().unwrap();
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let total: usize = tally.answers.values().map(Vec::len).sum();
    lines.push(format!(
        "{total} answers in {elapsed:.0} s ({:.0}/s offered by {USERS} people), {} transport errors",
        rate,
        tally.transport_errors.len()
    ));
    for e in tally.transport_errors.iter().take(5) {
        failures.push(format!("transport error: {e}"));
    }
    let mut keys: Vec<_> = tally.answers.keys().copied().collect();
    keys.sort();
    for key in keys {
        let mut ms = tally.answers[&key].clone();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
        lines.push(format!(
            "  {:<12} {} × {:>5}: p50 {:>7.1} ms, p99 {:>7.1} ms, max {:>7.1} ms",
            key.0,
            key.1,
            ms.len(),
            at(0.5),
            at(0.99),
            ms[ms.len() - 1]
        ));
        if key.1 >= 500 {
            failures.push(format!("{} answers {} to {}", ms.len(), key.1, key.0));
        }
        let allowed = matches!(
            key,
            ("list" | "detail" | "compilation" | "edit-read", 200)
                | ("edit", 200 | 412)
                | ("export", 200 | 429)
        );
        if !allowed && key.1 < 500 {
            failures.push(format!("{} unexpected answers {} to {}", ms.len(), key.1, key.0));
        }
    }
    // Every refused edit had read a version that a successful edit replaced; and every
    // successful edit moved its activity exactly one version on (no lost update).
    let unexplained = tally
        .refused
        .iter()
        .filter(|(id, had)| !tally.edits.iter().any(|(e, made)| e == id && made > had))
        .count();
    let end_versions = hot_versions(&reqwest::Client::new(), base, &tokens[0]).await;
    let mut lost = Vec::new();
    for id in 1..=HOT_ACTIVITIES {
        let now = end_versions[&id];
        let made = tally.edits.iter().filter(|(e, _)| *e == id).count() as i64;
        if now != start_versions[&id] + made {
            lost.push(format!("activity {id}: version {} + {made} edits ≠ {now}", start_versions[&id]));
        }
    }
    lines.push(format!(
        "  edits: {} stored, {} refused with 412 ({} explained by an edit stored after the version read), {} activities checked: every stored edit is one version",
        tally.edits.len(),
        tally.refused.len(),
        tally.refused.len() - unexplained,
        HOT_ACTIVITIES
    ));
    if unexplained > 0 {
        failures.push(format!("{unexplained} edits refused with 412 without a conflicting edit"));
    }
    failures.extend(lost);
    if tally.edits.is_empty() {
        failures.push("no edit was stored".into());
    }
    LoadReport { lines, failures }
}

/// The municipality's data on a fresh database of `backend`, a draft compilation of the last
/// year, and `ACCOUNTS` coordinators; the database handed back with their e-mails.
async fn prepared(backend: Backend) -> Option<(TestDb, i64, Vec<String>)> {
    let app = TestApp::spawn(backend).await?;
    fill_municipality(&app, &MUNICIPALITY);
    let token = app.login(&app.create_user("coordinator", None)).await;
    let last = *MUNICIPALITY.report_years.end();
    let ids = compile_years(&app, &token, |year| year < last).await;
    let draft = ids.iter().find(|(y, _)| *y == last).unwrap().1;
    let emails = (0..ACCOUNTS).map(|_| app.create_user("coordinator", None).email).collect();
    Some((app.stop().await, draft, emails))
}

async fn sign_in_all(server_url: &str, emails: &[String]) -> Vec<String> {
    let client = client();
    let mut tokens = Vec::new();
    for email in emails {
        let res = client
            .post(format!("{server_url}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": utblick_tests::TEST_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "login of {email}");
        tokens.push(
            res.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned(),
        );
    }
    tokens
}

async fn load_sqlite() -> Check {
    let (db, draft, emails) = prepared(Backend::Sqlite).await.ok_or("SQLite unavailable")?;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(&db.url(), data.path(), &[]);
    let base = server.url("");
    let tokens = sign_in_all(&base, &emails).await;
    let report = load(&base, &tokens, draft, seconds()).await;
    let memory = server.memory_mib().1;
    server.stop();
    let mut text = report.lines.join("\n");
    text.push_str(&format!("\n  server memory at most {memory:.0} MiB"));
    if report.failures.is_empty() { Ok(text) } else { Err(format!("{text}\n{}", report.failures.join("\n"))) }
}

// ---------------------------------------------------------------------------------------
// Crash: kill -9 under a write load, restart, every acknowledged write is there.

async fn crash(backend: Backend) -> Check {
    let app = TestApp::spawn(backend).await.ok_or("backend unavailable")?;
    let org = app.create_organisation("Kultur- och fritidsförvaltningen");
    let email = app.create_user("coordinator", None).email;
    let db = app.stop().await;
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start(&db.url(), data.path(), &[]);
    let base = server.url("");
    let token = sign_in_all(&base, &[email]).await.remove(0);
    let acknowledged = Arc::new(Mutex::new(Vec::<(i64, String)>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = client();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (client, token, base, acknowledged, stop) =
            (client.clone(), token.clone(), base.clone(), acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let title = format!("Studiebesök {w}-{n}");
                let body = serde_json::json!({
                    "title": title, "kind": "study_visit", "organisation_id": org,
                    "starts_on": "2026-05-12", "ends_on": "2026-05-14", "countries": ["DK"], "organiser": "own",
                    "women": 1, "men": 1, "total": 2, "hours": 800, "own_cost": 100_000, "external_cost": 0,
                    "representatives": []
                });
                let res = client.post(format!("{base}/api/v1/activities")).bearer_auth(&token).json(&body).send().await;
                match res {
                    Ok(r) if r.status() == 201 => {
                        if let Ok(v) = r.json::<serde_json::Value>().await {
                            acknowledged.lock().unwrap().push((v["id"].as_i64().unwrap(), title));
                        }
                    }
                    // Refused or cut off by the kill: not acknowledged, so not promised.
                    _ => tokio::time::sleep(Duration::from_millis(5)).await,
                }
            }
        }));
    }
    let writing = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.kill9();
    let rate = acknowledged.lock().unwrap().len() as f64 / writing.elapsed().as_secs_f64();
    let killed_with = acknowledged.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    server.restart();
    let mut missing = Vec::new();
    for (id, title) in &acknowledged {
        let res =
            client.get(server.url(&format!("/api/v1/activities/{id}"))).bearer_auth(&token).send().await;
        match res {
            Ok(r) if r.status() == 200 => {
                let v: serde_json::Value = r.json().await.unwrap();
                if v["title"] != title.as_str() {
                    missing.push(format!("{id} holds {} instead of {title}", v["title"]));
                }
            }
            Ok(r) => missing.push(format!("{id}: {}", r.status())),
            Err(e) => missing.push(format!("{id}: {e}")),
        }
    }
    server.stop();
    let integrity = match backend {
        Backend::Sqlite => {
            let text = utblick_db::integrity_check(&mut db.connect()).unwrap().unwrap_or_default();
            if text != "ok" {
                missing.push(format!("integrity_check: {text}"));
            }
            format!("PRAGMA integrity_check: {text}")
        }
        Backend::Postgres => {
            // Rows in the table beyond those acknowledged are requests the kill cut off after
            // their commit; none of the acknowledged may be missing (checked above).
            let mut conn = db.connect();
            conn.batch_execute("SELECT 1").unwrap();
            "PostgreSQL answers after the kill".to_owned()
        }
    };
    let text = format!(
        "{} activities acknowledged by {WRITERS} writers ({rate:.0} a second) before SIGKILL ({killed_with} when it was sent), all there after the restart; {integrity}",
        acknowledged.len()
    );
    if acknowledged.is_empty() {
        return Err(format!("{text}\nno write was acknowledged"));
    }
    if missing.is_empty() { Ok(text) } else { Err(format!("{text}\nmissing: {}", missing.join(", "))) }
}

// ---------------------------------------------------------------------------------------
// PostgreSQL stopped for 10 s under load.

fn pg_cluster(command: &str, dir: &Path) {
    let status = std::process::Command::new(repo_root().join("scripts/pg-cluster"))
        .arg(command)
        .arg(dir)
        .env("PG_CLUSTER_DURABLE", "1")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pg-cluster {command}");
}

async fn outage(pg_dir: &Path) -> Check {
    let app = TestApp::spawn(Backend::Postgres).await.ok_or("PostgreSQL unavailable")?;
    app.fill_decisions(2_000);
    let email = app.create_user("coordinator", None).email;
    let db = app.stop().await;
    let data = tempfile::tempdir().unwrap();
    let timeout = CONNECT_TIMEOUT.to_string();
    let server =
        Server::start(&db.url(), data.path(), &[("UTBLICK__DATABASE__CONNECT_TIMEOUT_SECONDS", &timeout)]);
    let base = server.url("");
    let token = sign_in_all(&base, &[email]).await.remove(0);
    let client = client();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // (at, status, took, Retry-After) of every answer.
    let seen = Arc::new(Mutex::new(Vec::<(Instant, u16, Duration, Option<String>, bool)>::new()));
    let mut readers = Vec::new();
    for r in 0..8 {
        let (client, token, base, stop, seen) =
            (client.clone(), token.clone(), base.clone(), stop.clone(), seen.clone());
        readers.push(tokio::spawn(async move {
            let mut errors = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let path =
                    if r == 0 { "/ready".to_owned() } else { format!("/api/v1/decisions?page={}", 1 + r) };
                match client.get(format!("{base}{path}")).bearer_auth(&token).send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        let retry =
                            res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
                        drop(res.bytes().await);
                        seen.lock().unwrap().push((t, status, t.elapsed(), retry, r == 0));
                    }
                    Err(e) => errors.push(e.to_string()),
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            errors
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let down_at = Instant::now();
    pg_cluster("stop", pg_dir);
    let stopped_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let starting_at = Instant::now();
    pg_cluster("start", pg_dir);
    let up_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut failures = Vec::new();
    for r in readers {
        for e in r.await.unwrap() {
            failures.push(format!("transport error: {e}"));
        }
    }
    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    server.stop();
    let seen = seen.lock().unwrap().clone();
    // Requests begun once the database had stopped and answered before it was started again
    // (one that waited for a connection until the database was back is served, rightly).
    let during: Vec<_> =
        seen.iter().filter(|(t, _, took, ..)| *t > stopped_at && *t + *took < starting_at).collect();
    let status_count = |s: u16| during.iter().filter(|(_, st, ..)| *st == s).count();
    let unavailable = status_count(503);
    let others: Vec<_> = during.iter().filter(|(_, st, ..)| *st != 503).map(|(_, st, ..)| *st).collect();
    if unavailable == 0 {
        failures.push("no 503 while the database was down".into());
    }
    if !others.is_empty() {
        let at: Vec<_> = during
            .iter()
            .filter(|(_, st, ..)| *st != 503)
            .map(|(t, _, took, _, ready)| (t.duration_since(stopped_at), *took, *ready))
            .take(5)
            .collect();
        failures.push(format!(
            "answers other than 503 while it was down: {:?}; (begun after the stop, took, /ready): {at:?}",
            &others[..others.len().min(10)]
        ));
    }
    let server_errors: Vec<_> = seen.iter().filter(|(_, st, ..)| *st >= 500 && *st != 503).collect();
    if !server_errors.is_empty() {
        let errors: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("ERROR") && !l.contains("unavailable") && !l.contains("Unavailable"))
            .take(5)
            .collect();
        failures.push(format!(
            "{} answers 5xx other than 503 ({:?}), {:.1?} after the stop began; the server's log says:\n{}",
            server_errors.len(),
            server_errors.iter().map(|(_, st, ..)| *st).collect::<std::collections::BTreeSet<_>>(),
            server_errors[0].0.duration_since(down_at),
            errors.join("\n")
        ));
    }
    let without_retry = during.iter().filter(|(_, st, _, r, _)| *st == 503 && r.is_none()).count();
    if without_retry > 0 {
        failures.push(format!("{without_retry} answers 503 without Retry-After"));
    }
    let slowest = seen.iter().map(|(_, _, took, ..)| *took).max().unwrap_or_default();
    let limit = Duration::from_secs(CONNECT_TIMEOUT) + Duration::from_secs(1);
    if slowest > limit {
        failures.push(format!("an answer took {slowest:.1?} (the pool's timeout is {CONNECT_TIMEOUT} s)"));
    }
    let ready_down = during.iter().filter(|(.., ready)| *ready).all(|(_, st, ..)| *st == 503);
    // Service is back when every request begun after the first 200 succeeds.
    let back = seen
        .iter()
        .filter(|(t, st, ..)| *t >= up_at && *st == 200)
        .map(|(t, ..)| *t)
        .min()
        .map(|t| t.duration_since(up_at));
    let after_back: Vec<_> = seen
        .iter()
        .filter(|(t, ..)| back.is_some_and(|b| *t > up_at + b + Duration::from_millis(100)))
        .collect();
    let errors_after = after_back.iter().filter(|(_, st, ..)| *st != 200).count();
    match back {
        Some(b) if b <= Duration::from_secs(2) => {}
        Some(b) => failures.push(format!("service came back {b:.1?} after the database")),
        None => failures.push("service did not come back".into()),
    }
    if errors_after > 0 {
        failures.push(format!("{errors_after} failed answers after service came back"));
    }
    let text = format!(
        "database down 10 s under 8 readers: {unavailable} answers 503 with Retry-After, /ready not ready: {ready_down}, \
         slowest answer {slowest:.1?} (pool timeout {CONNECT_TIMEOUT} s), service back {} after the database, no restart",
        back.map_or("never".to_owned(), |b| format!("{b:.2?}"))
    );
    if failures.is_empty() { Ok(text) } else { Err(format!("{text}\n{}", failures.join("\n"))) }
}

// ---------------------------------------------------------------------------------------
// Two instances behind nginx on one PostgreSQL.

struct Nginx {
    child: std::process::Child,
    port: u16,
    access_log: PathBuf,
}

impl Nginx {
    /// nginx with `deploy/nginx.conf` (the file docker-compose mounts), its listen address
    /// and web root set for this machine, in front of `upstreams` as the group `app`.
    fn start(dir: &Path, upstreams: &[u16]) -> Nginx {
        let port = free_port();
        let site = std::fs::read_to_string(repo_root().join("deploy/nginx.conf")).unwrap();
        assert!(
            site.contains("listen 80;") && site.contains("http://app:8080"),
            "deploy/nginx.conf changed shape"
        );
        let site = site
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace("root /usr/share/nginx/html;", &format!("root {};", repo_root().join("web").display()))
            .replace("http://app:8080", "http://app");
        std::fs::write(dir.join("site.conf"), site).unwrap();
        let servers: String = upstreams.iter().map(|p| format!("    server 127.0.0.1:{p};\n")).collect();
        let access_log = dir.join("access.log");
        let conf = format!(
            "worker_processes 1;\nerror_log {d}/error.log warn;\npid {d}/nginx.pid;\ndaemon off;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  \
             uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
             log_format upstream '$status $upstream_addr';\n  access_log {log} upstream;\n  \
             upstream app {{\n{servers}    keepalive 32;\n  }}\n  include {d}/site.conf;\n}}\n",
            d = dir.display(),
            log = access_log.display(),
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let child = std::process::Command::new("nginx")
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-p")
            .arg(dir)
            .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
            .spawn()
            .expect("nginx (apt-get install nginx-light)");
        let start = Instant::now();
        while utblick_tests::bench::http_status(port, "GET", "/health", &[], None) != Some(200) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "nginx did not start: {}",
                std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx { child, port, access_log }
    }
}

impl Drop for Nginx {
    /// SIGTERM to the master, which ends its workers too (SIGKILL would leave them behind).
    fn drop(&mut self) {
        utblick_tests::bench::terminate(&mut self.child);
    }
}

async fn two_instances() -> Check {
    let (db, draft, emails) = prepared(Backend::Postgres).await.ok_or("PostgreSQL unavailable")?;
    let (dir_a, dir_b, dir_n) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let proxied = [("UTBLICK__SERVER__TRUSTED_PROXIES", "127.0.0.1")];
    let a = Server::start(&db.url(), dir_a.path(), &proxied);
    let b = Server::start(&db.url(), dir_b.path(), &proxied);
    let nginx = Nginx::start(dir_n.path(), &[a.port, b.port]);
    let front = format!("http://127.0.0.1:{}", nginx.port);
    let client = client();
    let mut failures = Vec::new();
    let mut lines = Vec::new();

    // A sign-out on one is refused on the other at once.
    let token = sign_in_all(&a.url(""), &emails[..1]).await.remove(0);
    let read = |url: String, token: String| {
        let client = client.clone();
        async move { client.get(url).bearer_auth(token).send().await.unwrap().status().as_u16() }
    };
    let before = read(b.url("/api/v1/decisions"), token.clone()).await;
    let out =
        client.post(a.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap().status().as_u16();
    let after = read(b.url("/api/v1/decisions"), token.clone()).await;
    lines
        .push(format!("sign-out: read on B {before}, sign-out on A {out}, the same token on B then {after}"));
    if (before, after) != (200, 401) || !(200..300).contains(&out) {
        failures.push("a sign-out on one instance is not refused on the other".into());
    }

    // Login throttling counts across both.
    let email = &emails[1];
    let mut statuses = Vec::new();
    for i in 0..6 {
        let server = if i % 2 == 0 { &a } else { &b };
        let res = client
            .post(server.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": "fel lösenord"}))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    let right = client
        .post(b.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": utblick_tests::TEST_PASSWORD}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    lines.push(format!("throttling: wrong passwords alternately on A and B answered {statuses:?}; the right one on B then {right}"));
    if !statuses.contains(&429) || right != 429 {
        failures.push("failed sign-ins on both instances are not counted together".into());
    }

    // A stale edit through one is refused through the other.
    let token = sign_in_all(&a.url(""), &emails[2..3]).await.remove(0);
    let res = client.get(a.url("/api/v1/activities/500")).bearer_auth(&token).send().await.unwrap();
    let had = version_of(&res).unwrap();
    let edit = |url: String| {
        client
            .patch(url)
            .bearer_auth(&token)
            .header("If-Match", format!("\"{had}\""))
            .json(&serde_json::json!({"outcome": "Rättat"}))
            .send()
    };
    let first = edit(b.url("/api/v1/activities/500")).await.unwrap().status().as_u16();
    let second = edit(a.url("/api/v1/activities/500")).await.unwrap().status().as_u16();
    lines.push(format!("stale edit: version {had} edited on B {first}, the same version on A then {second}"));
    if (first, second) != (200, 412) {
        failures.push("a stale edit on one instance is not refused on the other".into());
    }

    // The load, through nginx, over both.
    let tokens = sign_in_all(&front, &emails[3..]).await;
    let report = load(&front, &tokens, draft, seconds()).await;
    lines.extend(report.lines);
    failures.extend(report.failures);
    let log = std::fs::read_to_string(&nginx.access_log).unwrap_or_default();
    let to = |port: u16| log.lines().filter(|l| l.ends_with(&format!("127.0.0.1:{port}"))).count();
    let (to_a, to_b) = (to(a.port), to(b.port));
    lines.push(format!("nginx sent {to_a} requests to A and {to_b} to B"));
    if to_a < 100 || to_b < 100 {
        failures.push("the load was not spread over both instances".into());
    }
    drop(nginx);
    a.stop();
    b.stop();
    let text = lines.join("\n");
    if failures.is_empty() { Ok(text) } else { Err(format!("{text}\n{}", failures.join("\n"))) }
}

fn main() {
    let only: Option<Vec<String>> =
        std::env::var("UTBLICK_RELIABILITY_ONLY").ok().map(|s| s.split(',').map(str::to_owned).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|n| n == name));
    let pg_dir = std::env::var_os("UTBLICK_RELIABILITY_PG_DIR").map(PathBuf::from);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut results: Vec<(&str, Check)> = Vec::new();
    let mut run = |name: &'static str, f: &dyn Fn() -> Check| {
        if wanted(name) {
            println!("--- {name}");
            let r = f();
            match &r {
                Ok(t) => println!("{t}\nPASS {name}"),
                Err(t) => println!("{t}\nFAIL {name}"),
            }
            results.push((name, r));
        }
    };
    run("crash-sqlite", &|| runtime.block_on(crash(Backend::Sqlite)));
    run("crash-postgres", &|| runtime.block_on(crash(Backend::Postgres)));
    run("outage", &|| match &pg_dir {
        Some(dir) => runtime.block_on(outage(dir)),
        None => Err("UTBLICK_RELIABILITY_PG_DIR is not set (scripts/reliability sets it)".into()),
    });
    run("load-sqlite", &|| runtime.block_on(load_sqlite()));
    run("two-instances", &|| runtime.block_on(two_instances()));
    println!();
    for (name, r) in &results {
        println!("{} {name}", if r.is_ok() { "PASS" } else { "FAIL" });
    }
    if results.iter().any(|(_, r)| r.is_err()) {
        std::process::exit(1);
    }
}
