//! Suites run by outside tools against the real server: the independent OpenAPI validator,
//! schemathesis, and the browser suite (playwright-core driving Chromium, axe-core).
//! Each skips loudly when its tool is missing — and fails instead when `CI` is set.
//! `scripts/test` provisions all of them.

use std::path::PathBuf;
use std::process::Stdio;

use utblick_tests::{Backend, TestApp, repo_root, required_tool, say_loudly, venv_bin};

/// Runs a command with its output going straight to the terminal (past the test
/// harness's capture, so every suite is visible in the run's output).
async fn run_shown(
    cmd: &mut tokio::process::Command,
    what: &str,
) -> Result<std::process::ExitStatus, String> {
    say_loudly(&format!("RUNNING {what}"));
    cmd.stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .status()
        .await
        .map_err(|e| format!("{what} could not start: {e}"))
}

/// [`run_shown`], and fails unless the command succeeds.
async fn run_visible(cmd: &mut tokio::process::Command, what: &str) {
    let status = run_shown(cmd, what).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "{what} failed ({status}); its output is above");
    say_loudly(&format!("PASSED {what}"));
}

#[tokio::test]
async fn the_committed_spec_passes_the_independent_validator() {
    let Some(tool) = required_tool(
        &venv_bin("openapi-spec-validator"),
        "the OpenAPI validator suite",
        "run ./scripts/test, which installs it into target/venv",
    ) else {
        return;
    };
    let spec = repo_root().join("openapi/openapi.json");
    run_visible(
        tokio::process::Command::new(tool).arg(&spec),
        "openapi-spec-validator on openapi/openapi.json",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_errors_or_schema_violations() {
    let Some(tool) = required_tool(
        &venv_bin("schemathesis"),
        "the schemathesis suite",
        "run ./scripts/test, which installs it into target/venv",
    ) else {
        return;
    };
    let _heavy = utblick_tests::heavy().await;
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else { return };
    // As an administrator, so every operation is exercised past its access check. Logout
    // would end the session mid-run, so it is left out (the API suite covers it).
    let admin = app.create_user("admin", None);
    let token = app.login(&admin).await;
    let spec = repo_root().join("openapi/openapi.json");
    // Known records for the fields that refer to one (an active organisation, a contact
    // person): a schema cannot list the ids a database holds, so the run is given some, as
    // schemathesis recommends for test data.
    let organisations: Vec<i64> =
        (0..3).map(|i| app.create_organisation(&format!("Schemathesis {i}"))).collect();
    let contacts: Vec<i64> = organisations.iter().map(|o| app.create_contact(*o, "Schemathesis")).collect();
    let decisions: Vec<i64> = (0..3).map(|_| app.create_decision("council")).collect();
    let frameworks: Vec<i64> = (0..2).map(|i| app.create_framework(&format!("schemathesis-{i}"))).collect();
    let max_examples = std::env::var("UTBLICK_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "100".into());
    let report_dir = repo_root().join("target/schemathesis");
    let _ = std::fs::create_dir_all(&report_dir);
    let config = report_dir.join("schemathesis.toml");
    let base = std::fs::read_to_string(repo_root().join("tests/schemathesis.toml")).unwrap();
    let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let mut known = String::new();
    for (name, values) in [
        ("organisations", &organisations),
        ("contacts", &contacts),
        ("decisions", &decisions),
        ("frameworks", &frameworks),
    ] {
        known += &format!("\n[dictionaries.{name}]\nvalues = [{}]\n", ids(values));
    }
    known += "\n[parameters]\n";
    for (field, dictionary) in [
        ("owner_organisation_id", "organisations"),
        ("organisation_id", "organisations"),
        ("parent_id", "organisations"),
        ("representative_contact_id", "contacts"),
        ("decision_id", "decisions"),
        ("framework_id", "frameworks"),
    ] {
        known += &format!("\"body.{field}\" = {{ dictionary = \"{dictionary}\" }}\n");
    }
    std::fs::write(&config, base + &known).unwrap();
    // While working on some operations: UTBLICK_SCHEMATHESIS_ONLY=get_report,update_report
    // runs only those.
    let only: Vec<String> = std::env::var("UTBLICK_SCHEMATHESIS_ONLY")
        .map(|v| {
            v.split(',')
                .filter(|o| !o.trim().is_empty())
                .map(|o| format!("--include-operation-id={}", o.trim()))
                .collect()
        })
        .unwrap_or_default();
    run_visible(
        tokio::process::Command::new(tool)
            .arg("--config-file")
            .arg(&config)
            .arg("run")
            .args(&only)
            .arg(&spec)
            .args(["--url", &app.address])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--exclude-operation-id", "logout"])
            .args(["--max-examples", &max_examples])
            .args(["--phases", "examples,coverage,fuzzing,stateful"])
            .args(["--seed", "20261126"])
            .args(["--generation-database", "none"])
            .args(["--report", "junit", "--report-dir"])
            .arg(&report_dir)
            // Every check runs (tests/schemathesis.toml: the operations positive_data_acceptance
            // leaves out, and why); tests/schemathesis_hooks.py keeps generated valid data to
            // the rules that relate one field to another.
            .env("SCHEMATHESIS_HOOKS", repo_root().join("tests/schemathesis_hooks.py"))
            .env("UTBLICK_SCHEMATHESIS_DECISIONS", ids(&decisions))
            .env("UTBLICK_SCHEMATHESIS_ORGANISATIONS", ids(&organisations))
            .env("NO_COLOR", "1")
            .current_dir(&report_dir),
        "schemathesis against the running app",
    )
    .await;
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM_PATH").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The failing tests of a node test run, from its `spec` report: each failure's message
/// and where in the test file it happened, without node's own stack frames, so that the
/// end of a CI log (which is all some readers see) says what broke.
fn failures_of(spec: &str) -> String {
    let tail = spec.split_once("failing tests:").map_or(spec, |(_, t)| t);
    tail.lines()
        .filter(|l| !l.contains("node:internal") && !l.contains("node:async_hooks") && !l.trim().is_empty())
        .take(120)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A loopback port free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Failures as text: a test's `Err` is printed with `Debug`, which for a `String` would
/// fold every line into one quoted string.
struct Failures(String);

impl std::fmt::Debug for Failures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// Returns its failures instead of panicking: a test's `Err` is printed without a
// backtrace, so the failing browser steps stay at the end of the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_suite_passes() -> Result<(), Failures> {
    let browser_dir = repo_root().join("tests/browser");
    let how = "run ./scripts/test, which installs Chromium (apt) and the npm packages";
    if required_tool(&chromium(), "the browser suite", how).is_none()
        || required_tool(&browser_dir.join("node_modules/playwright-core"), "the browser suite", how)
            .is_none()
        || required_tool(&browser_dir.join("node_modules/axe-core"), "the browser suite", how).is_none()
    {
        return Ok(());
    }
    let _heavy = utblick_tests::heavy().await;
    let shots = repo_root().join("target/screenshots");
    let _ = std::fs::create_dir_all(&shots);
    let mut files: Vec<String> = std::fs::read_dir(&browser_dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.js"))
        .collect();
    files.sort();
    // While working on one page: UTBLICK_BROWSER_ONLY=projects runs only the files named so.
    if let Ok(only) = std::env::var("UTBLICK_BROWSER_ONLY") {
        files.retain(|f| f.contains(only.as_str()));
    }
    assert!(!files.is_empty(), "no browser tests found");
    let mut failed = Vec::new();
    // Each file gets a fresh Utblick, so no file depends on what another changed.
    for file in files {
        // The single sign-on file signs in through a real provider it starts itself, on a
        // port Utblick is told before it starts (and Utblick on a port told to the provider).
        let idp_port = free_port();
        let sso = file == "sso.test.js";
        let Some(app) = TestApp::spawn_with(Backend::Sqlite, move |s| {
            if sso {
                let port = free_port();
                s.server.port = port;
                s.oidc.issuer = Some(format!("http://127.0.0.1:{idp_port}"));
                s.oidc.client_id = "utblick".into();
                s.oidc.client_secret = Some(secrecy::SecretString::from("utblick-test-secret".to_owned()));
                s.oidc.redirect_url = Some(format!("http://127.0.0.1:{port}/api/v1/auth/oidc/callback"));
                s.oidc.scopes = "email profile groups".into();
                s.oidc.group_rules = "utblick-bou=reporter:BOU; utblick-samordnare=coordinator".into();
            }
        })
        .await
        else {
            return Ok(());
        };
        let admin = app.create_user("admin", None);
        let coordinator = app.create_user("coordinator", None);
        let own = app.create_organisation("Barn- och utbildningsförvaltningen");
        utblick_db::identity::set_organisation_links(&mut app.db.connect(), own, None, Some("BOU")).unwrap();
        let other = app.create_organisation("Tranås Energi AB");
        let reporter = app.create_user("reporter", Some(own));
        let other_reporter = app.create_user("reporter", Some(other));
        app.create_contact(own, "Anna Berg");
        let theirs = app.create_contact(other, "Bo Ek");
        // The run as TAP on the terminal, and as node's spec report in a file whose
        // "failing tests" part is handed back when the file fails.
        let report = shots.join(format!("{file}.spec.txt"));
        let _ = std::fs::remove_file(&report);
        let what = format!("the browser suite: tests/browser/{file}");
        let mut node = tokio::process::Command::new("node");
        node.args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=tap",
            "--test-reporter-destination=stdout",
        ])
        .arg("--test-reporter=spec")
        .arg(format!("--test-reporter-destination={}", report.display()))
        .arg(&file)
        .current_dir(&browser_dir)
        .env("UTBLICK_BASE_URL", &app.address)
        .env("UTBLICK_ADMIN_EMAIL", &admin.email)
        .env("UTBLICK_ADMIN_PASSWORD", &admin.password)
        .env("UTBLICK_COORDINATOR_EMAIL", &coordinator.email)
        .env("UTBLICK_COORDINATOR_PASSWORD", &coordinator.password)
        .env("UTBLICK_REPORTER_EMAIL", &reporter.email)
        .env("UTBLICK_REPORTER_PASSWORD", &reporter.password)
        .env("UTBLICK_OTHER_REPORTER_EMAIL", &other_reporter.email)
        .env("UTBLICK_OTHER_REPORTER_PASSWORD", &other_reporter.password)
        .env("UTBLICK_OTHER_CONTACT_ID", theirs.to_string())
        .env("UTBLICK_IDP_PORT", idp_port.to_string())
        .env("CHROMIUM_PATH", chromium())
        .env("SCREENSHOT_DIR", &shots)
        // The report is read as text: no colour codes in it.
        .env("NO_COLOR", "1");
        let status = run_shown(&mut node, &what).await.map_err(Failures)?;
        if status.success() {
            say_loudly(&format!("PASSED {what}"));
        } else {
            let spec = std::fs::read_to_string(&report).unwrap_or_default();
            say_loudly(&format!("FAILED {what} ({status})"));
            failed.push(format!("tests/browser/{file} ({status}):\n{}", failures_of(&spec)));
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(Failures(failed.join("\n\n"))) }
}
