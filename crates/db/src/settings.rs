//! The installation's settings that administrators change while it runs (the rest is
//! configuration, read at start): kept as rows of `app_meta`, with one version for all of
//! them (the `ETag` of `/api/v1/settings`).

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::schema::app_meta;

/// Whether the KPI feed is open to anyone (`true`/`false`).
pub const KPI_FEED_PUBLISHED: &str = "kpi_feed_published";
const VERSION: &str = "settings_version";

pub fn get(conn: &mut DbConn, key: &str) -> Result<Option<String>, DbError> {
    Ok(app_meta::table.find(key).select(app_meta::value).first(conn).optional()?)
}

/// Stores `value` under `key`, replacing what was there.
pub fn put(conn: &mut DbConn, key: &str, value: &str) -> Result<(), DbError> {
    diesel::delete(app_meta::table.find(key)).execute(conn)?;
    diesel::insert_into(app_meta::table)
        .values((app_meta::key.eq(key), app_meta::value.eq(value)))
        .execute(conn)?;
    Ok(())
}

/// The settings' version: 1 until they are first changed.
pub fn version(conn: &mut DbConn) -> Result<i32, DbError> {
    let raw = get(conn, VERSION)?;
    raw.map_or(Ok(1), |v| v.parse().map_err(|_| DbError::Corrupt(format!("settings version {v}"))))
}

/// Moves the settings' version on by one.
pub fn bump_version(conn: &mut DbConn) -> Result<i32, DbError> {
    let next = version(conn)? + 1;
    put(conn, VERSION, &next.to_string())?;
    Ok(next)
}
