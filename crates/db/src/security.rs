//! The security-event log: failed and throttled sign-ins and other refusals. Unlike the
//! audit log it is pruned: rows older than the retention period are deleted.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::where_given;
use crate::models::{NewSecurityEvent, SecurityEventRow};
use crate::schema::security_events;

pub fn insert_security_event(conn: &mut DbConn, e: &NewSecurityEvent) -> Result<(), DbError> {
    diesel::insert_into(security_events::table).values(e).execute(conn)?;
    Ok(())
}

/// Deletes the events that happened before `before`; returns how many.
pub fn prune_security_events(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(security_events::table.filter(security_events::occurred_at.lt(before)))
        .execute(conn)?)
}

/// Filters of the security-event log; every one optional.
#[derive(Debug, Clone, Default)]
pub struct SecurityEventFilter {
    pub kind: Option<String>,
    pub client_ip: Option<String>,
    pub account: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

fn filtered(f: &SecurityEventFilter) -> security_events::BoxedQuery<'static, MultiBackend> {
    let mut q = security_events::table.into_boxed();
    where_given!(
        q,
        f.kind => eq security_events::kind,
        f.client_ip => eq security_events::client_ip,
        f.account => eq security_events::account,
        f.from => ge security_events::occurred_at,
        f.to => lt security_events::occurred_at,
    );
    q
}

pub fn count_security_events(conn: &mut DbConn, f: &SecurityEventFilter) -> Result<i64, DbError> {
    Ok(filtered(f).count().get_result(conn)?)
}

/// Newest first.
pub fn list_security_events(
    conn: &mut DbConn,
    f: &SecurityEventFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<SecurityEventRow>, DbError> {
    let skip = i64::try_from(skip).map_err(|_| DbError::Corrupt("offset out of range".into()))?;
    Ok(filtered(f)
        .select(SecurityEventRow::as_select())
        .order(security_events::id.desc())
        .offset(skip)
        .limit(i64::from(limit))
        .load(conn)?)
}
