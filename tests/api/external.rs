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

/// Known records for the fields that refer to one (an active organisation, a contact person,
/// a decision, a framework): a schema cannot list the ids a database holds, so a run is given
/// some, as schemathesis recommends for test data.
struct Known {
    organisations: Vec<i64>,
    contacts: Vec<i64>,
    decisions: Vec<i64>,
    frameworks: Vec<i64>,
}

fn ids(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// Writes `tests/schemathesis.toml` with the known records and `extra` appended as
/// `target/schemathesis/<name>/schemathesis.toml`, and returns that directory.
fn schemathesis_config(name: &str, known: &Known, extra: &str) -> PathBuf {
    let dir = repo_root().join("target/schemathesis").join(name);
    let _ = std::fs::create_dir_all(&dir);
    let base = std::fs::read_to_string(repo_root().join("tests/schemathesis.toml")).unwrap();
    let mut config = base + "\n";
    for (name, values) in [
        ("organisations", &known.organisations),
        ("contacts", &known.contacts),
        ("decisions", &known.decisions),
        ("frameworks", &known.frameworks),
    ] {
        config += &format!("\n[dictionaries.{name}]\nvalues = [{}]\n", ids(values));
    }
    config += "\n[parameters]\n";
    for (field, dictionary) in [
        ("owner_organisation_id", "organisations"),
        ("organisation_id", "organisations"),
        ("parent_id", "organisations"),
        ("representative_contact_id", "contacts"),
        ("contact_id", "contacts"),
        ("decision_id", "decisions"),
        ("framework_id", "frameworks"),
    ] {
        config += &format!("\"body.{field}\" = {{ dictionary = \"{dictionary}\" }}\n");
    }
    std::fs::write(dir.join("schemathesis.toml"), config + extra).unwrap();
    dir
}

/// schemathesis run against `app` with the config in `dir` (from [`schemathesis_config`]),
/// its report going there too, on `operations` (none: all of them).
fn schemathesis_run(
    tool: &std::path::Path,
    dir: &std::path::Path,
    app: &TestApp,
    known: &Known,
    operations: &[String],
) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(tool);
    cmd.arg("--config-file").arg(dir.join("schemathesis.toml")).arg("run");
    // The run's operations (none named: all of them). While working on some operations,
    // UTBLICK_SCHEMATHESIS_ONLY=get_report,update_report runs only those.
    let only: Vec<String> = std::env::var("UTBLICK_SCHEMATHESIS_ONLY")
        .map(|v| v.split(',').map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect())
        .unwrap_or_else(|_| operations.to_vec());
    for o in only {
        cmd.arg(format!("--include-operation-id={o}"));
    }
    cmd.arg(repo_root().join("openapi/openapi.json"))
        .args(["--url", &app.address])
        // A fixed seed, so that a run is repeatable; UTBLICK_SCHEMATHESIS_SEED searches elsewhere.
        .args(["--seed", &std::env::var("UTBLICK_SCHEMATHESIS_SEED").unwrap_or_else(|_| "20261126".into())])
        .args(["--generation-database", "none"])
        .args(["--report", "junit", "--report-dir"])
        .arg(dir)
        // Every check runs (tests/schemathesis.toml: the operations positive_data_acceptance
        // leaves out, and why); tests/schemathesis_hooks.py keeps generated valid data to
        // the rules that relate one field to another.
        .env("SCHEMATHESIS_HOOKS", repo_root().join("tests/schemathesis_hooks.py"))
        .env("UTBLICK_SCHEMATHESIS_DECISIONS", ids(&known.decisions))
        .env("UTBLICK_SCHEMATHESIS_ORGANISATIONS", ids(&known.organisations))
        .env("UTBLICK_SCHEMATHESIS_URL", &app.address)
        .env("NO_COLOR", "1")
        .current_dir(dir);
    cmd
}

/// schemathesis (or a loud skip without it), the heavy tests' turn, and a running app.
async fn schemathesis_and_app() -> Option<(PathBuf, tokio::sync::RwLockReadGuard<'static, ()>, TestApp)> {
    let tool = required_tool(
        &venv_bin("schemathesis"),
        "the schemathesis suite",
        "run ./scripts/test, which installs it into target/venv",
    )?;
    let heavy = utblick_tests::heavy().await;
    let app = TestApp::spawn(Backend::Sqlite).await?;
    Some((tool, heavy, app))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_errors_or_schema_violations() {
    let Some((tool, _heavy, app)) = schemathesis_and_app().await else { return };
    // As an administrator, so every operation is exercised past its access check. Logout
    // would end the session mid-run, so it is left out (the API suite covers it).
    let admin = app.create_user("admin", None);
    let token = app.login(&admin).await;
    let organisations: Vec<i64> =
        (0..3).map(|i| app.create_organisation(&format!("Schemathesis {i}"))).collect();
    let known = Known {
        contacts: organisations.iter().map(|o| app.create_contact(*o, "Schemathesis")).collect(),
        decisions: (0..3).map(|_| app.create_decision("council")).collect(),
        frameworks: (0..2).map(|i| app.create_framework(&format!("schemathesis-{i}"))).collect(),
        organisations,
    };
    let max_examples = std::env::var("UTBLICK_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "100".into());
    let dir = schemathesis_config("admin", &known, "");
    run_visible(
        schemathesis_run(&tool, &dir, &app, &known, &[])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--exclude-operation-id", "logout"])
            .args(["--max-examples", &max_examples])
            .args(["--phases", "examples,coverage,fuzzing,stateful"]),
        "schemathesis against the running app",
    )
    .await;
}

/// The operations `tests/authz-matrix.csv` keeps to the caller's own organisation: a reporter
/// may call them on their own organisation's records and gets 403 on another's.
fn kept_to_own_organisation() -> Vec<String> {
    let matrix = crate::authz::matrix();
    let column = |name: &str| matrix.callers.iter().position(|c| c == name).unwrap();
    let (own, other) = (column("reporter_own"), column("reporter_other"));
    matrix
        .rows
        .into_iter()
        .filter(|(_, statuses)| (200..300).contains(&statuses[own]) && statuses[other] == 403)
        .map(|(operation, _)| operation)
        .collect()
}

/// Object-level authorization, found by a search rather than by the fixed cases of the
/// authorization matrix: schemathesis's fuzzing and stateful phases, signed in as a reporter
/// of one organisation, create that organisation's projects, activities, leads, contacts and
/// collaborations, follow the spec's links to change, archive and attach to them, and change
/// the records it already has. The hooks' check `other_organisation_is_refused` replays each
/// change that succeeded as a reporter of another organisation: every change the matrix keeps
/// to the own organisation must be refused with 403, and so change nothing. (Reads are the
/// matrix's: every signed-in person reads the municipality's records by design, so
/// schemathesis's read-replaying `object_level_authorization` has nothing to find; README.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_as_a_reporter_reaches_no_other_organisations_records() {
    let Some((tool, _heavy, app)) = schemathesis_and_app().await else { return };
    let own = app.create_organisation("Schemathesis egen");
    let other = app.create_organisation("Schemathesis annan");
    let mut tokens = Vec::new();
    for organisation in [own, other] {
        let reporter = app.create_user("reporter", Some(organisation));
        tokens.push(app.login(&reporter).await);
    }
    let contact = app.create_contact(own, "Schemathesis");
    let known = Known {
        organisations: vec![own],
        contacts: vec![contact],
        decisions: vec![app.create_decision("council")],
        frameworks: vec![app.create_framework("schemathesis-reporter")],
    };
    let identities = serde_json::json!({"auth": [
        {"name": "own_reporter", "fixedHeaders": [{"name": "Authorization", "value": format!("Bearer {}", tokens[0])}]},
        {"name": "other_reporter", "fixedHeaders": [{"name": "Authorization", "value": format!("Bearer {}", tokens[1])}]},
    ]});
    // Beside the records the stateful phase creates, the fuzzing phase changes records the
    // own organisation already has: each operation that acts on one gets one of its own, so
    // that one operation's archiving or erasing does not leave the next nothing to change.
    let mut extra = String::from("\n[auth.wfc]\npath = \"identities.json\"\nuser = \"own_reporter\"\n");
    let kept = kept_to_own_organisation();
    for operation in &kept {
        let id = match operation.as_str() {
            "update_project"
            | "change_project_status"
            | "assess_project"
            | "archive_project"
            | "attach_to_project" => app.create_project(own),
            "update_activity" | "archive_activity" | "attach_to_activity" => app.create_activity(own),
            "update_lead" | "lead_to_project" | "archive_lead" => app.create_lead(own),
            "update_contact" | "erase_contact" => app.create_contact(own, "Schemathesis"),
            "update_collaboration" => app.create_collaboration(own),
            "update_report" | "change_report_status" | "attach_to_report" => app.create_report(own, false),
            "remove_attachment" => app.create_attachment(app.create_report(own, false)),
            _ => continue,
        };
        extra += &format!(
            "\n[dictionaries.{operation}]\nvalues = [{id}]\n\n[[operations]]\ninclude-operation-id = \"{operation}\"\nparameters = {{ \"path.id\" = {{ dictionary = \"{operation}\" }} }}\n"
        );
    }
    let dir = schemathesis_config("reporters", &known, &extra);
    std::fs::write(dir.join("identities.json"), identities.to_string()).unwrap();
    // The hooks append to it: an earlier run's replays must not count for this one.
    let _ = std::fs::remove_file(dir.join("replayed.txt"));
    let max_examples = std::env::var("UTBLICK_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "100".into());
    run_visible(
        schemathesis_run(&tool, &dir, &app, &known, &kept)
            .args(["--max-examples", &max_examples])
            .args(["--phases", "fuzzing,stateful"])
            .env("UTBLICK_SCHEMATHESIS_OWN_REPORTER", format!("Bearer {}", tokens[0]))
            .env("UTBLICK_SCHEMATHESIS_OTHER_REPORTER", format!("Bearer {}", tokens[1]))
            .env("UTBLICK_SCHEMATHESIS_KEPT_TO_OWN", kept.join(",")),
        "schemathesis as a reporter, replayed as another organisation's",
    )
    .await;
    // The hooks write down each replay (operation, status); a run that replayed nothing
    // would prove nothing. The imports are left out: their bodies are files, which the
    // generator does not make (tests/schemathesis.toml), so the matrix alone covers them.
    let replayed = std::fs::read_to_string(dir.join("replayed.txt")).unwrap_or_default();
    let reached: std::collections::BTreeSet<&str> =
        replayed.lines().filter_map(|l| l.split(' ').next()).collect();
    let missed: Vec<&String> =
        kept.iter().filter(|o| !o.starts_with("import_") && !reached.contains(o.as_str())).collect();
    assert!(missed.is_empty(), "no change by the own organisation's reporter was replayed for {missed:?}");
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
