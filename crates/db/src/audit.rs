//! The audit log: append-only. There is no update or delete here, and none in the API.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::listing::where_given;
use crate::models::{AuditEventRow, NewAuditEvent};
use crate::schema::audit_events;

/// Appends an event. Events are numbered in the order their transactions commit, so that the
/// change feed read with a cursor (the last id seen) never passes over an event committed
/// later with a smaller id: on PostgreSQL each event is inserted under a transaction-level
/// advisory lock held until its transaction ends (the event is the last thing a command
/// writes, so the lock is held only for the commit); SQLite has one writer at a time.
pub fn insert_audit_event(conn: &mut DbConn, e: &NewAuditEvent) -> Result<(), DbError> {
    use diesel::Connection;
    conn.transaction::<_, DbError, _>(|conn| {
        if let DbConn::Pg(pg) = conn {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({AUDIT_ORDER_LOCK})")).execute(pg)?;
        }
        diesel::insert_into(audit_events::table).values(e).execute(conn)?;
        Ok(())
    })
}

/// The advisory lock that orders audit events (an arbitrary number of Utblick's own).
const AUDIT_ORDER_LOCK: i64 = 0x7574_626c_6963_6b01;

/// Filters of the audit log; every one optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_kind: Option<String>,
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

fn filtered(f: &AuditFilter) -> audit_events::BoxedQuery<'static, crate::conn::MultiBackend> {
    let mut q = audit_events::table.into_boxed();
    where_given!(
        q,
        f.entity_type => eq audit_events::entity_type,
        f.entity_id => eq audit_events::entity_id,
        f.actor_kind => eq audit_events::actor_kind,
        f.actor_id => eq audit_events::actor_id,
        f.action => eq audit_events::action,
        f.from => ge audit_events::occurred_at,
        f.to => lt audit_events::occurred_at,
    );
    q
}

pub fn count_audit_events(conn: &mut DbConn, f: &AuditFilter) -> Result<i64, DbError> {
    Ok(filtered(f).count().get_result(conn)?)
}

/// Newest first.
pub fn list_audit_events(
    conn: &mut DbConn,
    f: &AuditFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<AuditEventRow>, DbError> {
    let skip = i64::try_from(skip).map_err(|_| DbError::Corrupt("offset out of range".into()))?;
    Ok(filtered(f)
        .select(AuditEventRow::as_select())
        .order(audit_events::id.desc())
        .offset(skip)
        .limit(i64::from(limit))
        .load(conn)?)
}

/// The change feed: the events after `after` (an event id) about `entities`, in order, at
/// most `limit`; exports (`*.exported`) are not changes.
pub fn changes_after(
    conn: &mut DbConn,
    after: i64,
    entities: &[&str],
    limit: u32,
) -> Result<Vec<AuditEventRow>, DbError> {
    Ok(audit_events::table
        .filter(audit_events::id.gt(after))
        .filter(audit_events::entity_type.eq_any(entities))
        .filter(audit_events::action.not_like("%.exported"))
        .order(audit_events::id.asc())
        .limit(i64::from(limit))
        .select(AuditEventRow::as_select())
        .load(conn)?)
}
