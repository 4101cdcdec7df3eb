//! The `utblick` binary as IT runs it: help, bad arguments, and a database it cannot use
//! each end with one clear line and a non-zero exit, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::process::{Command, Output};

fn utblick(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = tempfile_dir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_utblick"));
    // Messages in English (a Swedish environment gets them in Swedish).
    cmd.args(args).current_dir(&dir).env_remove("DATABASE_URL").env("RUST_LOG", "off").env("LC_ALL", "C");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run utblick");
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "utblick-cli-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_one_clear_error(o: &Output, must_contain: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "must fail: {err}");
    assert!(!err.contains("panicked"), "must not panic: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, got: {err}");
    assert!(lines[0].starts_with("utblick: error: "), "{err}");
    assert!(lines[0].contains(must_contain), "{err}");
}

#[test]
fn help_and_version_answer() {
    let help = utblick(&["--help"], &[]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["migrate", "export", "import", "backup", "restore", "user", "token", "Exit codes:"] {
        assert!(text.contains(command), "{command}: {text}");
    }
    let version = utblick(&["--version"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("utblick {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_arguments_fail_clearly() {
    let o = utblick(&["serve", "--fast"], &[]);
    assert_one_clear_error(&o, "unexpected argument '--fast'");
    assert_eq!(o.status.code(), Some(2), "wrong arguments exit 2");
}

#[test]
fn an_unreachable_postgres_server_fails_clearly() {
    // Port 9 (discard) on loopback: nothing listens there.
    let o = utblick(&["migrate"], &[("DATABASE_URL", "postgres://utblick:secret@127.0.0.1:9/utblick")]);
    assert_one_clear_error(&o, "could not connect to the database");
    assert!(!stderr(&o).contains("secret"), "the password never reaches the log");
}

#[test]
fn an_unknown_url_scheme_fails_clearly() {
    assert_one_clear_error(&utblick(&["migrate"], &[("DATABASE_URL", "mysql://h/db")]), "unknown scheme");
}

#[test]
fn a_bad_setting_fails_clearly() {
    assert_one_clear_error(
        &utblick(&["migrate"], &[("UTBLICK__SERVER__PORT", "eighty")]),
        "invalid configuration",
    );
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_dir() {
    let dir = tempfile_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_utblick"))
        .arg("migrate")
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "off")
        .output()
        .expect("run utblick");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("data/utblick.sqlite3").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_create_reads_the_password_from_stdin_never_from_arguments() {
    use std::io::Write;
    let dir = tempfile_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_utblick"))
        .args(["user", "create", "--email", "IT.Drift@Tranas.se", "--role", "admin", "--name", "IT-drift"])
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env_remove("UTBLICK_NEW_PASSWORD")
        .env("RUST_LOG", "off")
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run utblick");
    child.stdin.take().unwrap().write_all("ett eget långt lösenord\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("it.drift@tranas.se"));
    let again = Command::new(env!("CARGO_BIN_EXE_utblick"))
        .args(["user", "create", "--email", "it.drift@tranas.se", "--role", "admin"])
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env("UTBLICK_NEW_PASSWORD", "ett eget långt lösenord")
        .env("RUST_LOG", "off")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert_one_clear_error(&again, "already exists");
    let _ = std::fs::remove_dir_all(&dir);
    assert_one_clear_error(
        &utblick(
            &[
                "user",
                "create",
                "--email",
                "a@b.se",
                "--role",
                "admin",
                "--password",
                "ett eget långt lösenord",
            ],
            &[],
        ),
        "never taken as arguments",
    );
    assert_one_clear_error(
        &utblick(
            &["user", "create", "--email", "a@b.se", "--role", "admin"],
            &[("UTBLICK_NEW_PASSWORD", "kort")],
        ),
        "at least 12 characters",
    );
    assert_one_clear_error(
        &utblick(
            &["user", "create", "--email", "a@b.se", "--role", "reporter"],
            &[("UTBLICK_NEW_PASSWORD", "ett eget långt lösenord")],
        ),
        "organisation",
    );
}

#[test]
fn production_mode_refuses_to_start_without_a_signing_secret() {
    let port = [("UTBLICK__SERVER__PORT", "0"), ("UTBLICK__AUTH__PRODUCTION", "true")];
    assert_one_clear_error(&utblick(&["serve"], &port), "jwt_secret is required in production mode");
    let short = [("UTBLICK__SERVER__PORT", "0"), ("UTBLICK__AUTH__JWT_SECRET", "too-short")];
    assert_one_clear_error(&utblick(&["serve"], &short), "at least 32 bytes");
}
