//! Fresh databases for the test suites of this crate and of the black-box tests.
//!
//! SQLite: a new file in a temporary directory. PostgreSQL: a new database cloned from a
//! migrated template (named by the migrations' content hash) on the server named by
//! `UTBLICK_TEST_PG_URL`, dropped when the test ends. Without that variable the PostgreSQL
//! tests say loudly that they are skipped — unless `CI` is set, where they fail instead.
//!
//! Built only with the `test-support` feature; a failure to set up is a test failure, so
//! this module panics where production code would return an error.
#![allow(clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::conn::{Backend, DbConn, DbSettings, establish};
use crate::migrations;

/// The variable that names a PostgreSQL server (any database on it) for the tests.
pub const PG_URL_VAR: &str = "UTBLICK_TEST_PG_URL";

static SKIP_NOTICE: Once = Once::new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Is this a CI run, where nothing may be skipped?
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Prints straight to the terminal (past the test harness's capture), so a skip is seen.
pub fn say_loudly(msg: &str) {
    let _ = writeln!(std::io::stderr(), "\n*** {msg} ***\n");
}

/// The PostgreSQL server for tests, if any. Panics under CI when there is none.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if in_ci() => panic!(
            "CI is set but {PG_URL_VAR} is not: the PostgreSQL suites are mandatory in CI. \
             Run ./scripts/test, which starts a throwaway PostgreSQL cluster."
        ),
        _ => {
            SKIP_NOTICE.call_once(|| {
                say_loudly(&format!(
                    "SKIPPING the PostgreSQL tests: {PG_URL_VAR} is not set. \
                     ./scripts/test runs them against a throwaway cluster."
                ))
            });
            None
        }
    }
}

/// A database that lives as long as the test.
pub struct TestDb {
    pub settings: DbSettings,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh, migrated, empty database; `None` when PostgreSQL is asked for but not
    /// configured (outside CI).
    pub fn migrated(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite()),
            Backend::Postgres => postgres_admin_url().map(|url| Self::postgres(&url)),
        }
    }

    /// A database with nothing in it, not even migrations (what a restore fills): a SQLite
    /// file not yet made, or a new PostgreSQL database. `None` as for [`Self::migrated`].
    pub fn empty(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let settings = DbSettings::sqlite_file(&dir.path().join("restored.sqlite3"));
                Some(TestDb { settings, _dir: Some(dir), pg: None })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url()?;
                let name = format!(
                    "utblick_empty_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("cannot reach the test PostgreSQL server at {PG_URL_VAR}: {e}")
                });
                admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create empty database");
                let settings =
                    DbSettings::parse(&with_database(&admin_url, &name)).expect("test database URL");
                Some(TestDb { settings, _dir: None, pg: Some((admin_url, name)) })
            }
        }
    }

    fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let settings = DbSettings::sqlite_file(&dir.path().join("utblick-test.sqlite3"));
        let mut conn = establish(&settings).expect("open SQLite test database");
        migrations::run_pending(&mut conn).expect("migrate SQLite test database");
        TestDb { settings, _dir: Some(dir), pg: None }
    }

    fn postgres(admin_url: &str) -> TestDb {
        let template = format!("utblick_tmpl_{}", env!("UTBLICK_PG_MIGRATIONS_HASH"));
        let name = format!(
            "utblick_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        let mut admin = PgConnection::establish(admin_url)
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server at {PG_URL_VAR}: {e}"));
        // One process at a time builds the template or clones it.
        admin.batch_execute("SELECT pg_advisory_lock(7262026)").expect("advisory lock");
        let ready = template_ready(&mut admin, &template);
        if !ready {
            // Two statements, two calls: PostgreSQL runs a multi-statement string as one
            // transaction, and CREATE/DROP DATABASE refuse to run inside one.
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {template}")).expect("drop stale template");
            admin.batch_execute(&format!("CREATE DATABASE {template}")).expect("create template database");
            let settings = DbSettings::parse(&with_database(admin_url, &template)).expect("template URL");
            let mut conn = establish(&settings).expect("connect to template database");
            migrations::run_pending(&mut conn).expect("migrate template database");
            drop(conn);
            admin
                .batch_execute(&format!("ALTER DATABASE {template} IS_TEMPLATE true"))
                .expect("mark template");
        }
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("clone test database");
        admin.batch_execute("SELECT pg_advisory_unlock(7262026)").expect("advisory unlock");
        let settings = DbSettings::parse(&with_database(admin_url, &name)).expect("test database URL");
        TestDb { settings, _dir: None, pg: Some((admin_url.to_owned(), name)) }
    }

    pub fn connect(&self) -> DbConn {
        establish(&self.settings).expect("connect to test database")
    }

    /// PostgreSQL only: drops the database under a running application, as an outage
    /// would (its connections are terminated). Returns false on SQLite.
    pub fn take_away(&self) -> bool {
        let Some((admin_url, name)) = &self.pg else { return false };
        let mut admin = PgConnection::establish(admin_url).expect("connect to the test server");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .expect("drop test database");
        true
    }

    /// The URL the application gets (a SQLite path or a PostgreSQL URL).
    pub fn url(&self) -> String {
        match self.settings.sqlite_path() {
            Some(p) => p.display().to_string(),
            None => self.pg.as_ref().map(|(admin, name)| with_database(admin, name)).unwrap_or_default(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.pg
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

#[derive(QueryableByName)]
struct IsTemplate {
    #[diesel(sql_type = Bool)]
    datistemplate: bool,
}

fn template_ready(admin: &mut PgConnection, template: &str) -> bool {
    diesel::sql_query("SELECT datistemplate FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(template)
        .load::<IsTemplate>(admin)
        .ok()
        .and_then(|rows| rows.into_iter().next())
        .is_some_and(|r| r.datistemplate)
}

/// The same server URL with another database name (keeps any `?query`).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

/// Runs `body` once per backend that is available, naming the backend in a failure.
pub fn for_each_backend(mut body: impl FnMut(Backend, TestDb)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some(db) = TestDb::migrated(backend) {
            body(backend, db);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_the_database_name_and_keeps_the_query() {
        assert_eq!(with_database("postgres://u@h:5/postgres", "x"), "postgres://u@h:5/x");
        assert_eq!(with_database("postgres://u@h:5/postgres?host=/tmp", "x"), "postgres://u@h:5/x?host=/tmp");
        assert_eq!(with_database("postgres://u@h:5", "x"), "postgres://u@h:5/x");
    }
}
