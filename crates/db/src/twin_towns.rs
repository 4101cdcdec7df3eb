//! Twin towns.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use utblick_domain::governance::TwinTownStatus;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{Archived, Sort, archived, list_reads, order_by, text_matches};
use crate::models::{TwinTownFields, TwinTownRow};
use crate::schema::twin_towns;

#[derive(Debug, Clone, Default)]
pub struct TwinTownFilter {
    pub status: Option<String>,
    pub country: Option<String>,
    pub q: Option<String>,
    pub archived: Archived,
    pub sort: Sort<TwinTownSort>,
    /// Only these records (an export reads its ids once, then its rows by batches of ids).
    pub ids: Option<Vec<i64>>,
}

/// What the list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TwinTownSort {
    #[default]
    Town,
    Country,
    Since,
    Status,
}

fn filtered(f: &TwinTownFilter) -> twin_towns::BoxedQuery<'static, MultiBackend> {
    let mut q = twin_towns::table.into_boxed();
    archived!(q, twin_towns::archived_at, f.archived);
    if let Some(s) = &f.status {
        q = q.filter(twin_towns::status.eq(s.clone()));
    }
    if let Some(c) = &f.country {
        q = q.filter(twin_towns::country.eq(c.clone()));
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["town", "region", "country"], text));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(twin_towns::id.eq_any(ids.clone()));
    }
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &TwinTownFilter) -> twin_towns::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, twin_towns::id);
    match f.sort.key {
        TwinTownSort::Town => order_by!(q, desc, text twin_towns::town, id),
        TwinTownSort::Country => order_by!(q, desc, twin_towns::country, id),
        TwinTownSort::Since => order_by!(q, desc, nullable twin_towns::since, id),
        TwinTownSort::Status => order_by!(q, desc, twin_towns::status, id),
    }
}

list_reads!(twin_towns, TwinTownFilter, count count_twin_towns, ids twin_town_ids, page list_twin_towns -> TwinTownRow);

pub fn get_twin_town(conn: &mut DbConn, id: i64) -> Result<Option<TwinTownRow>, DbError> {
    Ok(twin_towns::table.find(id).select(TwinTownRow::as_select()).first(conn).optional()?)
}

pub fn insert_twin_town(
    conn: &mut DbConn,
    f: &TwinTownFields,
    now: NaiveDateTime,
) -> Result<TwinTownRow, DbError> {
    Ok(diesel::insert_into(twin_towns::table)
        .values((
            f,
            twin_towns::status.eq(TwinTownStatus::Proposed.code()),
            twin_towns::version.eq(1),
            twin_towns::created_at.eq(now),
            twin_towns::updated_at.eq(now),
        ))
        .returning(twin_towns::all_columns)
        .get_result(conn)?)
}

pub fn update_twin_town(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &TwinTownFields,
    now: NaiveDateTime,
) -> Result<Option<TwinTownRow>, DbError> {
    let n = diesel::update(
        twin_towns::table.filter(twin_towns::id.eq(id)).filter(twin_towns::version.eq(expected)),
    )
    .set((f, twin_towns::version.eq(expected + 1), twin_towns::updated_at.eq(now)))
    .execute(conn)?;
    if n == 0 { Ok(None) } else { get_twin_town(conn, id) }
}

pub fn set_twin_town_status(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    status: &str,
    decision_id: Option<i64>,
    since: Option<NaiveDate>,
    now: NaiveDateTime,
) -> Result<Option<TwinTownRow>, DbError> {
    let n = diesel::update(
        twin_towns::table.filter(twin_towns::id.eq(id)).filter(twin_towns::version.eq(expected)),
    )
    .set((
        twin_towns::status.eq(status),
        twin_towns::status_decision_id.eq(decision_id),
        twin_towns::since.eq(since),
        twin_towns::version.eq(expected + 1),
        twin_towns::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 { Ok(None) } else { get_twin_town(conn, id) }
}

pub fn set_twin_town_archived(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    archived_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        twin_towns::table.filter(twin_towns::id.eq(id)).filter(twin_towns::version.eq(expected)),
    )
    .set((
        twin_towns::archived_at.eq(archived_at),
        twin_towns::version.eq(expected + 1),
        twin_towns::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

crate::listing::by_ids!(TwinTownFilter);
