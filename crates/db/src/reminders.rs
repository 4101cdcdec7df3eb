//! Reminders of the annual report: who was reminded of which report, when, and what became
//! of it. A reminder is claimed (its row inserted, `sending`) before it is sent, so that two
//! servers on one database never send the same one twice.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConn;
use crate::error::DbError;
use crate::schema::{contacts, reminders, reports};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = reminders)]
pub struct ReminderRow {
    pub id: i64,
    pub report_id: i64,
    pub kind: String,
    pub status: String,
    /// The addresses it went to, comma-separated.
    pub recipients: String,
    pub error: Option<String>,
    pub attempted_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// Claims the reminder `kind` of a report for this server: `Some(row)` when it is now this
/// server's to send — newly, or again after a failure older than `retry_before` — and `None`
/// when it was sent already, is being sent by another, or failed too recently.
pub fn claim(
    conn: &mut DbConn,
    report_id: i64,
    kind: &str,
    now: NaiveDateTime,
    retry_before: NaiveDateTime,
) -> Result<Option<ReminderRow>, DbError> {
    // In a transaction of its own (a savepoint inside another): on PostgreSQL a refused insert
    // spoils the transaction it runs in.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(reminders::table)
            .values((
                reminders::report_id.eq(report_id),
                reminders::kind.eq(kind),
                reminders::status.eq("sending"),
                reminders::recipients.eq(""),
                reminders::attempted_at.eq(now),
            ))
            .returning(reminders::id)
            .get_result::<i64>(conn)
    });
    match inserted.map_err(DbError::from) {
        Ok(id) => Ok(Some(get(conn, id)?)),
        Err(DbError::UniqueViolation { .. }) => {
            // Taken again only from a failure old enough, by one server: the update's WHERE
            // decides which.
            let id = diesel::update(
                reminders::table
                    .filter(reminders::report_id.eq(report_id))
                    .filter(reminders::kind.eq(kind))
                    .filter(reminders::status.eq("failed"))
                    .filter(reminders::attempted_at.lt(retry_before)),
            )
            .set((reminders::status.eq("sending"), reminders::attempted_at.eq(now)))
            .returning(reminders::id)
            .get_result::<i64>(conn)
            .optional()?;
            id.map(|id| get(conn, id)).transpose()
        }
        Err(e) => Err(e),
    }
}

/// What became of a claimed reminder.
pub fn finish(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    recipients: &str,
    error: Option<&str>,
    sent_at: Option<NaiveDateTime>,
) -> Result<ReminderRow, DbError> {
    diesel::update(reminders::table.find(id))
        .set((
            reminders::status.eq(status),
            reminders::recipients.eq(recipients),
            reminders::error.eq(error),
            reminders::sent_at.eq(sent_at),
        ))
        .execute(conn)?;
    get(conn, id)
}

fn get(conn: &mut DbConn, id: i64) -> Result<ReminderRow, DbError> {
    Ok(reminders::table.find(id).select(ReminderRow::as_select()).first(conn)?)
}

/// Every reminder of a reporting year's reports, in the order they were attempted.
pub fn of_year(conn: &mut DbConn, reporting_year_id: i64) -> Result<Vec<ReminderRow>, DbError> {
    Ok(reminders::table
        .inner_join(reports::table)
        .filter(reports::reporting_year_id.eq(reporting_year_id))
        .order((reminders::attempted_at.asc(), reminders::id.asc()))
        .select(ReminderRow::as_select())
        .load(conn)?)
}

/// The kinds of reminder of a report that are settled: sent, being sent, or found without a
/// recipient (a failed one is not: it is tried again).
pub fn settled_kinds(conn: &mut DbConn, report_id: i64) -> Result<Vec<String>, DbError> {
    Ok(reminders::table
        .filter(reminders::report_id.eq(report_id))
        .filter(reminders::status.ne("failed"))
        .select(reminders::kind)
        .load(conn)?)
}

/// The current contact persons of an organisation with an e-mail address — not archived, not
/// erased, their term begun by `today` and not ended before it — as (name, address), by name.
pub fn recipients(
    conn: &mut DbConn,
    organisation_id: i64,
    today: NaiveDate,
) -> Result<Vec<(String, String)>, DbError> {
    let rows: Vec<(String, Option<String>)> = contacts::table
        .filter(contacts::organisation_id.eq(organisation_id))
        .filter(contacts::archived_at.is_null())
        .filter(contacts::erased_at.is_null())
        .filter(contacts::email.is_not_null())
        .filter(contacts::term_from.is_null().or(contacts::term_from.le(today)))
        .filter(contacts::term_to.is_null().or(contacts::term_to.ge(today)))
        .order((contacts::name.asc(), contacts::id.asc()))
        .select((contacts::name, contacts::email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, email)| email.filter(|e| !e.trim().is_empty()).map(|e| (name, e)))
        .collect())
}
