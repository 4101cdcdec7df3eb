//! One connection type over both backends, a pool of them, and the choice of backend from
//! the database URL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;

use crate::error::DbError;

/// A connection to either backend. Queries are written once against this type; where a
/// backend needs its own SQL, the db crate matches on the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Sqlite(_) => Backend::Sqlite,
            DbConn::Pg(_) => Backend::Postgres,
        }
    }
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database URL, understood: `postgres://…` or `postgresql://…` is PostgreSQL;
/// `sqlite://PATH`, `sqlite:PATH`, `file:PATH` or a bare path is a SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbSettings {
    backend: Backend,
    /// What the driver gets: the PostgreSQL URL, or the SQLite file path.
    target: String,
    /// SQLite only: how hard each commit is pushed to the disk.
    synchronous: SqliteSynchronous,
}

/// How durable a SQLite commit is (`PRAGMA synchronous`, in WAL mode).
///
/// `Full` (the default) syncs the write-ahead log at every commit, so a commit that was
/// acknowledged survives a power cut or an operating-system crash; public records are kept
/// so. `Normal` syncs only at checkpoints: the database stays consistent after a power cut,
/// but the last acknowledged commits may be lost (a killed process loses nothing either way:
/// the log is in the operating system's cache). The setting `database.sqlite_synchronous`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    #[default]
    Full,
    Normal,
}

impl SqliteSynchronous {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "FULL",
            SqliteSynchronous::Normal => "NORMAL",
        }
    }
}

impl DbSettings {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(DbError::BadUrl("it is empty".into()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self {
                backend: Backend::Postgres,
                target: url.to_owned(),
                synchronous: SqliteSynchronous::Full,
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .or_else(|| url.strip_prefix("file:"))
            .unwrap_or(url);
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(DbError::BadUrl(format!(
                "unknown scheme `{scheme}`; use postgres://… for PostgreSQL or a file path for SQLite"
            )));
        }
        if path.is_empty() {
            return Err(DbError::BadUrl("the SQLite file path is empty".into()));
        }
        Ok(Self { backend: Backend::Sqlite, target: path.to_owned(), synchronous: SqliteSynchronous::Full })
    }

    /// A SQLite file at `path`.
    pub fn sqlite_file(path: &Path) -> Self {
        Self {
            backend: Backend::Sqlite,
            target: path.display().to_string(),
            synchronous: SqliteSynchronous::Full,
        }
    }

    /// The same database with SQLite commits made `synchronous` (no effect on PostgreSQL).
    pub fn with_sqlite_synchronous(mut self, synchronous: SqliteSynchronous) -> Self {
        self.synchronous = synchronous;
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What the driver gets: the PostgreSQL URL (with its password), or the SQLite path.
    /// Never for logs: [`Self::redacted`] is.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The SQLite file, if this is SQLite and not in memory.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        (self.backend == Backend::Sqlite && self.target != ":memory:").then(|| PathBuf::from(&self.target))
    }

    /// A description safe for logs: the PostgreSQL URL without its password.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite file {}", self.target),
            Backend::Postgres => redact_password(&self.target),
        }
    }
}

fn redact_password(url: &str) -> String {
    // postgres://user:secret@host/db → postgres://user:***@host/db
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((userinfo, host)) = rest.split_once('@') else { return url.to_owned() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Opens one connection, configured as every Utblick connection must be.
pub fn establish(settings: &DbSettings) -> Result<DbConn, DbError> {
    match settings.backend {
        Backend::Postgres => Ok(DbConn::Pg(PgConnection::establish(&settings.target)?)),
        Backend::Sqlite => {
            if let Some(path) = settings.sqlite_path() {
                create_private_file(&path)?;
            }
            let mut conn = SqliteConnection::establish(&settings.target)?;
            conn.batch_execute(&format!(
                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = {};",
                settings.synchronous.pragma()
            ))
            .map_err(DbError::from)?;
            register_functions(&mut conn)?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

/// What every SQLite connection to a Utblick database needs besides pragmas: the Unicode
/// `lower()` and the Swedish collation `sv`, which an index (projects in title order) is built
/// with — so even a read-only check of a backup (`quick_check`) needs them.
pub(crate) fn register_functions(conn: &mut SqliteConnection) -> Result<(), DbError> {
    // SQLite's own lower() folds ASCII only; searches must find "Örebro" by
    // "örebro" as PostgreSQL does, so lower() is replaced by Rust's Unicode one.
    unicode::lower_utils::register_impl(conn, |s: Option<String>| s.map(|s| s.to_lowercase()))
        .map_err(DbError::from)?;
    // Names and titles sort in Swedish order (`COLLATE sv`), as on PostgreSQL. Diesel
    // 2.3 hands the callback SQLite's two keys in reverse order (second, first), so
    // the arguments are swapped back here; the db tests' Swedish-order test fails if
    // that ever changes.
    conn.register_collation("sv", |second, first| utblick_domain::text::swedish_cmp(first, second))
        .map_err(DbError::from)?;
    Ok(())
}

/// Creates the SQLite file (and its directory) readable by its owner only, as the signing
/// secret is: it holds password hashes and personal data. SQLite gives its `-wal` and `-shm`
/// files the database file's permissions. An existing file is left as it is.
fn create_private_file(path: &Path) -> Result<(), DbError> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| DbError::BadUrl(format!("cannot create the directory {}: {e}", dir.display())))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another connection created it a moment ago.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(DbError::BadUrl(format!("cannot create the database file {}: {e}", path.display()))),
    }
}

mod unicode {
    use diesel::sql_types::{Nullable, Text};

    #[diesel::declare_sql_function]
    extern "SQL" {
        fn lower(text: Nullable<Text>) -> Nullable<Text>;
    }
}

/// Is the database answering?
pub fn ping(conn: &mut DbConn) -> Result<(), DbError> {
    conn.batch_execute("SELECT 1").map_err(DbError::from)
}

/// SQLite's own check of the whole file (`PRAGMA integrity_check`): `Some("ok")` when sound,
/// else its findings; `None` on PostgreSQL, which checks its pages as it reads them.
pub fn integrity_check(conn: &mut DbConn) -> Result<Option<String>, DbError> {
    #[derive(diesel::QueryableByName)]
    struct Finding {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    match conn {
        DbConn::Pg(_) => Ok(None),
        DbConn::Sqlite(c) => {
            let found: Vec<Finding> = diesel::sql_query("PRAGMA integrity_check").load(c)?;
            Ok(Some(found.into_iter().map(|f| f.integrity_check).collect::<Vec<_>>().join("; ")))
        }
    }
}

/// r2d2 manager that opens connections with [`establish`].
#[derive(Debug, Clone)]
pub struct Manager {
    settings: DbSettings,
}

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ManagerError(#[from] DbError);

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ManagerError;

    fn connect(&self) -> Result<DbConn, ManagerError> {
        Ok(establish(&self.settings)?)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ManagerError> {
        Ok(ping(conn)?)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        // A connection the server has closed (restart, failover) leaves the pool.
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

/// Builds a pool and opens its first connection, so a wrong URL or an unreachable server
/// shows up at start with the driver's own message, not at the first request.
pub fn build_pool(settings: &DbSettings, max_size: u32, timeout: Duration) -> Result<DbPool, DbError> {
    // Fail fast with the real error: r2d2 would only say "timed out".
    drop(establish(settings)?);
    let max_size = match settings.backend {
        // One writer at a time in SQLite; a few readers beside it are plenty.
        Backend::Sqlite => max_size.clamp(1, 8),
        Backend::Postgres => max_size.max(1),
    };
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(timeout)
        .test_on_check_out(false)
        .build(Manager { settings: settings.clone() })
        .map_err(DbError::Pool)
}

/// A transaction that writes. On SQLite it takes the write lock with its first statement,
/// so concurrent writers wait their turn (`busy_timeout`) instead of failing: a deferred
/// transaction that reads first and writes later cannot upgrade its lock while another
/// writer holds it, and SQLite answers that with SQLITE_BUSY at once.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|c| {
        if let DbConn::Sqlite(s) = c {
            s.batch_execute("UPDATE app_meta SET value = value WHERE key = 'write-lock'")?;
        }
        f(c)
    })
}

/// After a row was stored under an id of its own choosing: PostgreSQL's id sequence moves
/// past it, so that the next row stored without an id does not take it. (SQLite's
/// AUTOINCREMENT does so by itself.) `table` is one of Utblick's own table names.
pub fn after_explicit_id(conn: &mut DbConn, table: &'static str) -> Result<(), DbError> {
    use diesel::RunQueryDsl;
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
        ))
        .execute(pg)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_the_backend_from_the_url() {
        assert_eq!(DbSettings::parse("postgres://u@h/db").unwrap().backend(), Backend::Postgres);
        assert_eq!(DbSettings::parse("postgresql://u@h/db").unwrap().backend(), Backend::Postgres);
        let s = DbSettings::parse("sqlite://data/utblick.sqlite3").unwrap();
        assert_eq!(s.sqlite_path().unwrap(), PathBuf::from("data/utblick.sqlite3"));
        assert_eq!(DbSettings::parse("data/x.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DbSettings::parse("sqlite::memory:").unwrap().sqlite_path(), None);
    }

    #[test]
    fn refuses_unknown_schemes_and_empty_urls() {
        assert!(matches!(DbSettings::parse("mysql://h/db"), Err(DbError::BadUrl(m)) if m.contains("mysql")));
        assert!(DbSettings::parse("  ").is_err());
        assert!(DbSettings::parse("sqlite://").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_sqlite_file_and_its_journal_are_readable_by_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("utblick-perm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = dir.join("data/utblick.sqlite3");
        let settings = DbSettings::sqlite_file(&file);
        let mut conn = establish(&settings).unwrap();
        conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir.join("data")), 0o700);
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", file.display()));
            assert_eq!(mode(&side), 0o600, "{suffix}");
        }
        drop(conn);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sqlite_commits_are_durable_unless_told_otherwise() {
        let read = |settings: &DbSettings| {
            #[derive(diesel::QueryableByName)]
            struct Level {
                #[diesel(sql_type = diesel::sql_types::Integer)]
                synchronous: i32,
            }
            let mut conn = establish(settings).unwrap();
            diesel::sql_query("PRAGMA synchronous").get_result::<Level>(&mut conn).unwrap().synchronous
        };
        let memory = DbSettings::parse("sqlite::memory:").unwrap();
        // SQLite's numbers: 1 NORMAL, 2 FULL.
        assert_eq!(read(&memory), 2);
        assert_eq!(read(&memory.clone().with_sqlite_synchronous(SqliteSynchronous::Normal)), 1);
        assert_eq!(integrity_check(&mut establish(&memory).unwrap()).unwrap().as_deref(), Some("ok"));
        assert_eq!(DbSettings::parse("sqlite:x.db").unwrap(), DbSettings::sqlite_file(Path::new("x.db")));
    }

    #[test]
    fn never_logs_a_password() {
        let s = DbSettings::parse("postgres://app:hemligt@db:5432/utblick").unwrap();
        assert_eq!(s.redacted(), "postgres://app:***@db:5432/utblick");
        assert!(!s.redacted().contains("hemligt"));
    }
}
