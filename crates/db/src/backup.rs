//! What `utblick backup` and `utblick restore` ask of the database itself: SQLite's online
//! copy (`VACUUM INTO`, a consistent snapshot taken while the server keeps running), and
//! whether a database is empty and whether a file is a Utblick database. (PostgreSQL's
//! backups are `pg_dump`'s; the command line runs it.)

use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

use crate::conn::DbConn;
use crate::error::DbError;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Writes a consistent copy of a SQLite database to `target`, which must not exist or be
/// empty. Readers and writers go on meanwhile (it reads in one snapshot).
pub fn sqlite_copy_into(conn: &mut DbConn, target: &Path) -> Result<(), DbError> {
    let target = target.to_str().ok_or_else(|| DbError::BadUrl("the file name is not UTF-8".into()))?;
    match conn {
        DbConn::Sqlite(c) => {
            diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(target).execute(c)?;
            Ok(())
        }
        DbConn::Pg(_) => {
            Err(DbError::BadUrl("VACUUM INTO is SQLite's; PostgreSQL is backed up with pg_dump".into()))
        }
    }
}

/// How many tables the database has (in PostgreSQL, in the connection's schema): none
/// means a database nothing has been written to, which a restore may fill.
pub fn table_count(conn: &mut DbConn) -> Result<i64, DbError> {
    let sql = match conn {
        DbConn::Sqlite(_) => "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'",
        DbConn::Pg(_) => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

/// Opens a SQLite file read-only, as it is (no pragma written to it): to check and copy a
/// backup without touching it.
pub fn open_sqlite_read_only(path: &Path) -> Result<DbConn, DbError> {
    let path = path.to_str().ok_or_else(|| DbError::BadUrl("the file name is not UTF-8".into()))?;
    let uri = format!("file:{}?mode=ro", path.replace('%', "%25").replace('?', "%3f").replace('#', "%23"));
    let mut conn = SqliteConnection::establish(&uri)?;
    crate::conn::register_functions(&mut conn)?;
    Ok(DbConn::Sqlite(conn))
}

/// What is wrong with a SQLite file as a Utblick backup: not intact (`PRAGMA quick_check`),
/// or no Utblick database (no migrations recorded). `None` when it is one.
pub fn sqlite_backup_problem(conn: &mut DbConn) -> Result<Option<String>, DbError> {
    let DbConn::Sqlite(c) = conn else { return Ok(Some("not a SQLite database".into())) };
    let lines = diesel::sql_query("SELECT quick_check AS line FROM pragma_quick_check()").load::<Line>(c)?;
    if lines.iter().any(|l| l.line != "ok") {
        let found = lines.into_iter().map(|l| l.line).take(3).collect::<Vec<_>>().join("; ");
        return Ok(Some(format!("the file is damaged: {found}")));
    }
    let migrations = diesel::sql_query(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'",
    )
    .get_result::<Count>(c)?
    .n;
    Ok((migrations == 0).then(|| "the file is a SQLite database but not Utblick's".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::{DbSettings, establish};

    #[test]
    fn a_sqlite_copy_is_a_whole_utblick_database_and_the_original_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (original, copy) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
        let mut conn = establish(&DbSettings::sqlite_file(&original)).unwrap();
        assert_eq!(table_count(&mut conn).unwrap(), 0);
        crate::migrations::run_pending(&mut conn).unwrap();
        let tables = table_count(&mut conn).unwrap();
        assert!(tables > 10);
        sqlite_copy_into(&mut conn, &copy).unwrap();
        let mut backup = open_sqlite_read_only(&copy).unwrap();
        assert_eq!(table_count(&mut backup).unwrap(), tables);
        assert_eq!(sqlite_backup_problem(&mut backup).unwrap(), None);
        // Read-only: nothing can be written through it.
        let DbConn::Sqlite(c) = &mut backup else { panic!("sqlite") };
        assert!(diesel::sql_query("CREATE TABLE x (y INTEGER)").execute(c).is_err());
        // A SQLite file that is not Utblick's is named as such.
        let other = dir.path().join("c.sqlite3");
        let mut c = SqliteConnection::establish(other.to_str().unwrap()).unwrap();
        diesel::sql_query("CREATE TABLE t (x INTEGER)").execute(&mut c).unwrap();
        let mut other = open_sqlite_read_only(&other).unwrap();
        assert!(sqlite_backup_problem(&mut other).unwrap().unwrap().contains("not Utblick's"));
        // The target must be new (or empty).
        assert!(sqlite_copy_into(&mut conn, &copy).is_err());
    }
}
