//! The decisions register.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::models::{DecisionFields, DecisionRow};
use crate::schema::decisions;

pub use crate::listing::Archived;
use crate::listing::{Sort, archived, list_reads, order_by, text_matches};

/// What the list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecisionSort {
    #[default]
    DecidedOn,
    Subject,
    Diarienummer,
}

/// Filters, search and order of the list.
#[derive(Debug, Clone)]
pub struct DecisionFilter {
    pub body: Option<String>,
    /// Words to find in the subject or the registry number.
    pub q: Option<String>,
    pub archived: Archived,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub sort: Sort<DecisionSort>,
    /// Only these records (an export reads its ids once, then its rows by batches of ids).
    pub ids: Option<Vec<i64>>,
}

impl Default for DecisionFilter {
    /// Everything current, newest first.
    fn default() -> Self {
        Self {
            body: None,
            q: None,
            archived: Archived::Hide,
            from: None,
            to: None,
            sort: Sort::desc(DecisionSort::DecidedOn),
            ids: None,
        }
    }
}

fn filtered(f: &DecisionFilter) -> decisions::BoxedQuery<'static, MultiBackend> {
    let mut q = decisions::table.into_boxed();
    archived!(q, decisions::archived_at, f.archived);
    if let Some(b) = &f.body {
        q = q.filter(decisions::body.eq(b.clone()));
    }
    if let Some(d) = f.from {
        q = q.filter(decisions::decided_on.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(decisions::decided_on.le(d));
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(
            &["subject", "diarienummer", "diarienummer_as_registered", "paragraph"],
            text,
        ));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(decisions::id.eq_any(ids.clone()));
    }
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &DecisionFilter) -> decisions::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, decisions::id);
    match f.sort.key {
        DecisionSort::DecidedOn => order_by!(q, desc, decisions::decided_on, id),
        DecisionSort::Subject => order_by!(q, desc, text decisions::subject, id),
        DecisionSort::Diarienummer => order_by!(q, desc, decisions::diarienummer, id),
    }
}

list_reads!(decisions, DecisionFilter, count count_decisions, ids decision_ids, page list_decisions -> DecisionRow);

pub fn get_decision(conn: &mut DbConn, id: i64) -> Result<Option<DecisionRow>, DbError> {
    Ok(decisions::table.find(id).select(DecisionRow::as_select()).first(conn).optional()?)
}

pub fn insert_decision(
    conn: &mut DbConn,
    d: &DecisionFields,
    now: NaiveDateTime,
) -> Result<DecisionRow, DbError> {
    Ok(diesel::insert_into(decisions::table)
        .values((d, decisions::version.eq(1), decisions::created_at.eq(now), decisions::updated_at.eq(now)))
        .returning(decisions::all_columns)
        .get_result(conn)?)
}

/// Replaces the fields if the stored version is still `expected`; `None` otherwise.
pub fn update_decision(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    d: &DecisionFields,
    now: NaiveDateTime,
) -> Result<Option<DecisionRow>, DbError> {
    let n =
        diesel::update(decisions::table.filter(decisions::id.eq(id)).filter(decisions::version.eq(expected)))
            .set((d, decisions::version.eq(expected + 1), decisions::updated_at.eq(now)))
            .execute(conn)?;
    if n == 0 { Ok(None) } else { get_decision(conn, id) }
}

/// Archives (or restores, with `None`) if the stored version is still `expected`.
pub fn set_decision_archived(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    archived_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n =
        diesel::update(decisions::table.filter(decisions::id.eq(id)).filter(decisions::version.eq(expected)))
            .set((
                decisions::archived_at.eq(archived_at),
                decisions::version.eq(expected + 1),
                decisions::updated_at.eq(now),
            ))
            .execute(conn)?;
    Ok(n > 0)
}

crate::listing::by_ids!(DecisionFilter);
