//! Embedded migrations, one set per backend, run at start and by `utblick migrate`.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::conn::DbConn;
use crate::error::DbError;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

fn err(e: impl std::fmt::Display) -> DbError {
    DbError::Migration(e.to_string())
}

/// Runs every pending migration; returns the versions applied.
pub fn run_pending(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE).map_err(err)?,
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES).map_err(err)?,
    };
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration (tests, and a deliberate teardown).
pub fn revert_all(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE).map_err(err)?,
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES).map_err(err)?,
    };
    Ok(reverted.into_iter().map(|v| v.to_string()).collect())
}

/// The migrations this binary carries and the database has not yet applied.
pub fn pending(conn: &mut DbConn) -> Result<usize, DbError> {
    let n = match conn {
        DbConn::Sqlite(c) => c.pending_migrations(SQLITE).map_err(err)?.len(),
        DbConn::Pg(c) => c.pending_migrations(POSTGRES).map_err(err)?.len(),
    };
    Ok(n)
}
