//! The audit log: append-only. There is no update or delete here, and none in the API.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::listing::{list_filter, order_by, text_matches, where_given};
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

list_filter! {
    /// Filters, search and order of the audit log; every one optional. By default the newest
    /// first.
    pub struct AuditFilter {
        pub entity_type: Option<String>,
        pub entity_id: Option<String>,
        pub actor_kind: Option<String>,
        pub actor_id: Option<i64>,
        pub action: Option<String>,
        pub from: Option<NaiveDateTime>,
        pub to: Option<NaiveDateTime>,
        /// Words in the action, the record's kind or id, or who did it.
        pub q: Option<String>,
    }

    /// What the audit log can be ordered by.
    pub enum AuditSort {
        /// The newest first (see the API).
        #[default]
        Occurred,
        Action,
        Actor,
    }
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
    if let Some(text) = &f.q {
        q = q.filter(text_matches(
            &[
                "audit_events.action",
                "audit_events.entity_type",
                "audit_events.entity_id",
                "audit_events.actor_label",
            ],
            text,
        ));
    }
    where_given!(q, f.ids => eq_any audit_events::id);
    q
}

fn ordered(f: &AuditFilter) -> audit_events::BoxedQuery<'static, crate::conn::MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, audit_events::id);
    match f.sort.key {
        AuditSort::Occurred if desc => q.order(id.desc()),
        AuditSort::Occurred => q.order(id.asc()),
        AuditSort::Action => order_by!(q, desc, audit_events::action, id),
        AuditSort::Actor => order_by!(q, desc, text audit_events::actor_label, id),
    }
}

pub fn count_audit_events(conn: &mut DbConn, f: &AuditFilter) -> Result<i64, DbError> {
    Ok(filtered(f).count().get_result(conn)?)
}

/// The ids of the whole filtered log, in its order.
pub fn audit_event_ids(conn: &mut DbConn, f: &AuditFilter) -> Result<Vec<i64>, DbError> {
    Ok(ordered(f).select(audit_events::id).load(conn)?)
}

/// A page of the log in the filter's order (by default the newest first).
pub fn list_audit_events(
    conn: &mut DbConn,
    f: &AuditFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<AuditEventRow>, DbError> {
    Ok(ordered(f)
        .select(AuditEventRow::as_select())
        .offset(crate::listing::offset(skip)?)
        .limit(i64::from(limit))
        .load(conn)?)
}

crate::listing::by_ids!(AuditFilter);

impl Default for AuditFilter {
    fn default() -> Self {
        Self {
            entity_type: None,
            entity_id: None,
            actor_kind: None,
            actor_id: None,
            action: None,
            from: None,
            to: None,
            q: None,
            sort: crate::listing::Sort::desc(AuditSort::Occurred),
            ids: None,
        }
    }
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
