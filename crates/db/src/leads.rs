//! The horizon-scanning log: leads with the organisations they concern.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{
    Archived, archive_write, archived, list_filter, list_reads, order_by, text_matches, where_given,
};
use crate::models::{LeadFields, LeadRecord, LeadRow};
use crate::schema::{lead_organisations, leads};

list_filter! {
    /// Filters, search and order of the horizon-scanning log.
    #[derive(Default)]
    pub struct LeadFilter {
        /// Leads of this organisation or concerning it.
        pub organisation_id: Option<i64>,
        pub kind: Option<String>,
        /// Only calls whose deadline is on or after this day (open calls).
        pub open_on: Option<NaiveDate>,
        /// Words in the title or the description.
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the log can be ordered by.
    pub enum LeadSort {
        /// The newest first (see the API).
        #[default]
        Recorded,
        Deadline,
        Title,
    }
}

fn filtered(f: &LeadFilter) -> leads::BoxedQuery<'static, MultiBackend> {
    let mut q = leads::table.into_boxed();
    archived!(q, leads::archived_at, f.archived);
    where_given!(q, f.kind => eq leads::kind);
    if let Some(org) = f.organisation_id {
        let concerned = lead_organisations::table
            .filter(lead_organisations::organisation_id.eq(org))
            .select(lead_organisations::lead_id);
        q = q.filter(leads::organisation_id.eq(org).or(leads::id.eq_any(concerned)));
    }
    if let Some(day) = f.open_on {
        q = q.filter(leads::kind.eq("call")).filter(leads::deadline.ge(day));
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["leads.title", "leads.description"], text));
    }
    where_given!(q, f.ids => eq_any leads::id);
    q
}

fn ordered(f: &LeadFilter) -> leads::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, leads::id);
    match f.sort.key {
        LeadSort::Recorded => order_by!(q, desc, leads::created_at, id),
        LeadSort::Deadline => order_by!(q, desc, nullable leads::deadline, id),
        LeadSort::Title => order_by!(q, desc, text leads::title, id),
    }
}

list_reads!(leads, LeadFilter, count count_leads, ids lead_ids);

fn records(conn: &mut DbConn, rows: Vec<LeadRow>) -> Result<Vec<LeadRecord>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let concerns: Vec<(i64, i64)> = lead_organisations::table
        .filter(lead_organisations::lead_id.eq_any(&ids))
        .order((lead_organisations::lead_id.asc(), lead_organisations::organisation_id.asc()))
        .select((lead_organisations::lead_id, lead_organisations::organisation_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|lead| {
            let concerns = concerns.iter().filter(|c| c.0 == lead.id).map(|c| c.1).collect();
            LeadRecord { lead, concerns }
        })
        .collect())
}

pub fn list_leads(
    conn: &mut DbConn,
    f: &LeadFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<LeadRecord>, DbError> {
    let q = ordered(f).select(LeadRow::as_select());
    let rows = q.offset(crate::listing::offset(skip)?).limit(i64::from(limit)).load(conn)?;
    records(conn, rows)
}

/// Every lead the filter finds, in its order (the calendar feed: open calls are few).
pub fn all_leads(conn: &mut DbConn, f: &LeadFilter, at_most: u32) -> Result<Vec<LeadRecord>, DbError> {
    list_leads(conn, f, 0, at_most)
}

pub fn get_lead(conn: &mut DbConn, id: i64) -> Result<Option<LeadRecord>, DbError> {
    let Some(row) = leads::table.find(id).select(LeadRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(records(conn, vec![row])?.pop())
}

fn put_concerns(conn: &mut DbConn, id: i64, concerns: &[i64]) -> Result<(), DbError> {
    diesel::delete(lead_organisations::table.filter(lead_organisations::lead_id.eq(id))).execute(conn)?;
    for org in concerns {
        diesel::insert_into(lead_organisations::table)
            .values((lead_organisations::lead_id.eq(id), lead_organisations::organisation_id.eq(org)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_lead(
    conn: &mut DbConn,
    f: &LeadFields,
    concerns: &[i64],
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let stamps = (leads::version.eq(1), leads::created_at.eq(now), leads::updated_at.eq(now));
    let id: i64 =
        diesel::insert_into(leads::table).values((f, stamps)).returning(leads::id).get_result(conn)?;
    put_concerns(conn, id, concerns)?;
    Ok(id)
}

/// Replaces a lead if it is still at the `expected` version.
pub fn update_lead(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &LeadFields,
    concerns: &[i64],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = leads::table.filter(leads::id.eq(id)).filter(leads::version.eq(expected));
    let n = diesel::update(current)
        .set((f, leads::version.eq(expected + 1), leads::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    put_concerns(conn, id, concerns)?;
    Ok(true)
}

/// Records the project a lead became, if the lead is still at the `expected` version.
pub fn set_lead_project(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    project_id: i64,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = leads::table.filter(leads::id.eq(id)).filter(leads::version.eq(expected));
    let n = diesel::update(current)
        .set((leads::project_id.eq(project_id), leads::version.eq(expected + 1), leads::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n > 0)
}

archive_write!(leads, set_lead_archived);

crate::listing::by_ids!(LeadFilter);
