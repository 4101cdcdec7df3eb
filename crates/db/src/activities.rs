//! Activities with their countries and representatives, and the elected officials.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{
    Archived, archive_write, archived, list_filter, list_reads, order_by, text_matches, versioned_writes,
    where_given,
};
use crate::models::{ActivityFields, ActivityRecord, ActivityRow, OfficialFields, OfficialRow};
use crate::schema::{activities, activity_countries, activity_representatives, elected_officials};

list_filter! {
    /// Filters, search and order of the activity register.
    #[derive(Default)]
    pub struct ActivityFilter {
        pub organisation_id: Option<i64>,
        pub project_id: Option<i64>,
        pub kind: Option<String>,
        /// Any of these kinds (the activities of one kind of work).
        pub work_kind: Option<Vec<String>>,
        /// Activities in this country.
        pub country: Option<String>,
        /// Activities that start in this year.
        pub year: Option<i32>,
        /// Words in the title, the outcome or the other resources.
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the activity register can be ordered by.
    pub enum ActivitySort {
        /// The day it starts (the default: newest first, see the API).
        #[default]
        StartsOn,
        Title,
        Kind,
    }
}

fn filtered(f: &ActivityFilter) -> activities::BoxedQuery<'static, MultiBackend> {
    let mut q = activities::table.into_boxed();
    archived!(q, activities::archived_at, f.archived);
    where_given!(
        q,
        f.organisation_id => eq activities::organisation_id,
        f.project_id => eq activities::project_id,
        f.kind => eq activities::kind,
        f.work_kind => eq_any activities::kind,
    );
    if let Some(country) = &f.country {
        let there = activity_countries::table
            .filter(activity_countries::country.eq(country.clone()))
            .select(activity_countries::activity_id);
        q = q.filter(activities::id.eq_any(there));
    }
    if let Some((first, last)) =
        f.year.and_then(|y| Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?)))
    {
        q = q.filter(activities::starts_on.ge(first)).filter(activities::starts_on.le(last));
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(
            &[
                "activities.title",
                "activities.outcome",
                "activities.other_resources",
                "activities.external_id",
            ],
            text,
        ));
    }
    where_given!(q, f.ids => eq_any activities::id);
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &ActivityFilter) -> activities::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, activities::id);
    match f.sort.key {
        ActivitySort::StartsOn => order_by!(q, desc, activities::starts_on, id),
        ActivitySort::Title => order_by!(q, desc, text activities::title, id),
        ActivitySort::Kind => order_by!(q, desc, activities::kind, id),
    }
}

/// Nothing but `archived` (and an order): the kept total answers the count.
fn unfiltered(f: &ActivityFilter) -> bool {
    // Every field named, so that a new filter cannot be forgotten here.
    let ActivityFilter {
        organisation_id,
        project_id,
        kind,
        work_kind,
        country,
        year,
        q,
        archived: _,
        sort: _,
        ids,
    } = f;
    organisation_id.is_none()
        && project_id.is_none()
        && kind.is_none()
        && work_kind.is_none()
        && country.is_none()
        && year.is_none()
        && q.is_none()
        && ids.is_none()
}

list_reads!(activities, ActivityFilter, count count_activities kept when unfiltered, ids activity_ids);

fn records(conn: &mut DbConn, rows: Vec<ActivityRow>) -> Result<Vec<ActivityRecord>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let countries: Vec<(i64, String)> = activity_countries::table
        .filter(activity_countries::activity_id.eq_any(&ids))
        .order((activity_countries::activity_id.asc(), activity_countries::position.asc()))
        .select((activity_countries::activity_id, activity_countries::country))
        .load(conn)?;
    let reps: Vec<(i64, i64)> = activity_representatives::table
        .filter(activity_representatives::activity_id.eq_any(&ids))
        .order((activity_representatives::activity_id.asc(), activity_representatives::official_id.asc()))
        .select((activity_representatives::activity_id, activity_representatives::official_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|activity| {
            let id = activity.id;
            ActivityRecord {
                countries: countries.iter().filter(|c| c.0 == id).map(|c| c.1.clone()).collect(),
                representatives: reps.iter().filter(|r| r.0 == id).map(|r| r.1).collect(),
                activity,
            }
        })
        .collect())
}

/// A page of the filtered list, each activity with its countries and representatives.
pub fn list_activities(
    conn: &mut DbConn,
    f: &ActivityFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<ActivityRecord>, DbError> {
    // The page's ids first (read from an index alone where one covers the order), then
    // those rows: a deep page no longer reads every row it skips.
    let ids: Vec<i64> = ordered(f)
        .select(activities::id)
        .offset(crate::listing::offset(skip)?)
        .limit(i64::from(limit))
        .load(conn)?;
    let mut rows: Vec<ActivityRow> =
        activities::table.filter(activities::id.eq_any(&ids)).select(ActivityRow::as_select()).load(conn)?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    records(conn, rows)
}

pub fn get_activity(conn: &mut DbConn, id: i64) -> Result<Option<ActivityRecord>, DbError> {
    let Some(row) = activities::table.find(id).select(ActivityRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    Ok(records(conn, vec![row])?.pop())
}

/// The activity imported under this external id, if any.
pub fn activity_by_external_id(conn: &mut DbConn, external_id: &str) -> Result<Option<i64>, DbError> {
    Ok(activities::table
        .filter(activities::external_id.eq(external_id))
        .select(activities::id)
        .first(conn)
        .optional()?)
}

fn put_parts(conn: &mut DbConn, id: i64, countries: &[String], reps: &[i64]) -> Result<(), DbError> {
    diesel::delete(activity_countries::table.filter(activity_countries::activity_id.eq(id))).execute(conn)?;
    diesel::delete(activity_representatives::table.filter(activity_representatives::activity_id.eq(id)))
        .execute(conn)?;
    for (i, country) in countries.iter().enumerate() {
        diesel::insert_into(activity_countries::table)
            .values((
                activity_countries::activity_id.eq(id),
                activity_countries::position.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                activity_countries::country.eq(country),
            ))
            .execute(conn)?;
    }
    for official in reps {
        diesel::insert_into(activity_representatives::table)
            .values((
                activity_representatives::activity_id.eq(id),
                activity_representatives::official_id.eq(official),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores a new activity (under `id` when given: an import keeping the ids of another
/// installation; the caller has checked it is free).
pub fn insert_activity(
    conn: &mut DbConn,
    id: Option<i64>,
    f: &ActivityFields,
    countries: &[String],
    reps: &[i64],
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let stamps = (activities::version.eq(1), activities::created_at.eq(now), activities::updated_at.eq(now));
    let id: i64 = match id {
        Some(id) => {
            diesel::insert_into(activities::table)
                .values((activities::id.eq(id), f, stamps))
                .execute(conn)?;
            crate::conn::after_explicit_id(conn, "activities")?;
            id
        }
        None => diesel::insert_into(activities::table)
            .values((f, stamps))
            .returning(activities::id)
            .get_result(conn)?,
    };
    put_parts(conn, id, countries, reps)?;
    Ok(id)
}

/// Replaces an activity if it is still at the `expected` version.
pub fn update_activity(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &ActivityFields,
    countries: &[String],
    reps: &[i64],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = activities::table.filter(activities::id.eq(id)).filter(activities::version.eq(expected));
    let n = diesel::update(current)
        .set((f, activities::version.eq(expected + 1), activities::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    put_parts(conn, id, countries, reps)?;
    Ok(true)
}

archive_write!(activities, set_activity_archived);

crate::listing::by_ids!(ActivityFilter);

// --- Elected officials -----------------------------------------------------------------

/// Every official, in Swedish order of name; archived ones only when asked for.
pub fn list_officials(conn: &mut DbConn, include_archived: bool) -> Result<Vec<OfficialRow>, DbError> {
    let mut q = elected_officials::table.into_boxed::<MultiBackend>();
    if !include_archived {
        q = q.filter(elected_officials::archived_at.is_null());
    }
    let q = order_by!(q, false, text elected_officials::name, elected_officials::id);
    Ok(q.select(OfficialRow::as_select()).load(conn)?)
}

versioned_writes!(
    elected_officials, OfficialFields => OfficialRow,
    get get_official, insert insert_official, update update_official
);

archive_write!(elected_officials, set_official_archived);

/// Gives the appointment for international matters to `id` (at the `expected` version),
/// with the council's decision, and takes it from whoever held it. The ids of those it was
/// taken from, or `None` when `id` has changed since.
pub fn appoint_international(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    decision_id: i64,
    now: NaiveDateTime,
) -> Result<Option<Vec<i64>>, DbError> {
    let current = elected_officials::table
        .filter(elected_officials::id.eq(id))
        .filter(elected_officials::version.eq(expected));
    let n = diesel::update(current)
        .set((
            elected_officials::international_decision_id.eq(decision_id),
            elected_officials::version.eq(expected + 1),
            elected_officials::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    let holders = elected_officials::table
        .filter(elected_officials::id.ne(id))
        .filter(elected_officials::international_decision_id.is_not_null());
    let before: Vec<i64> = holders.select(elected_officials::id).load(conn)?;
    diesel::update(elected_officials::table.filter(elected_officials::id.eq_any(&before)))
        .set((
            elected_officials::international_decision_id.eq(None::<i64>),
            elected_officials::version.eq(elected_officials::version + 1),
            elected_officials::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(before))
}

/// Of `ids`, those that are not officials on record (archived ones included: a past
/// visit keeps its representative).
pub fn officials_missing(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<i64>, DbError> {
    let found: Vec<i64> = elected_officials::table
        .filter(elected_officials::id.eq_any(ids))
        .select(elected_officials::id)
        .load(conn)?;
    Ok(ids.iter().copied().filter(|i| !found.contains(i)).collect())
}
