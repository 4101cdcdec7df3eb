//! The annual report: reporting years, one report per organisation and year with its
//! corrections and goal contributions, and each submitted version frozen (the database's
//! triggers refuse to change or delete one).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::models::{
    ContributionRow, CorrectionRow, ReportRecord, ReportRow, ReportText, ReportVersionRow, ReportingYearRow,
};
use crate::schema::{
    activities, activity_countries, projects, report_corrections, report_goal_contributions, report_versions,
    reporting_years, reports,
};

pub fn insert_reporting_year(
    conn: &mut DbConn,
    year: i32,
    deadline: NaiveDate,
    now: NaiveDateTime,
) -> Result<ReportingYearRow, DbError> {
    Ok(diesel::insert_into(reporting_years::table)
        .values((
            reporting_years::year.eq(year),
            reporting_years::deadline.eq(deadline),
            reporting_years::version.eq(1),
            reporting_years::created_at.eq(now),
            reporting_years::updated_at.eq(now),
        ))
        .returning(reporting_years::all_columns)
        .get_result(conn)?)
}

pub fn reporting_year(conn: &mut DbConn, id: i64) -> Result<Option<ReportingYearRow>, DbError> {
    Ok(reporting_years::table.find(id).select(ReportingYearRow::as_select()).first(conn).optional()?)
}

/// The reporting year of `year`, if opened.
pub fn reporting_year_of(conn: &mut DbConn, year: i32) -> Result<Option<ReportingYearRow>, DbError> {
    Ok(reporting_years::table
        .filter(reporting_years::year.eq(year))
        .select(ReportingYearRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every reporting year, the newest first (a municipality opens one a year).
pub fn list_reporting_years(conn: &mut DbConn) -> Result<Vec<ReportingYearRow>, DbError> {
    Ok(reporting_years::table
        .order(reporting_years::year.desc())
        .select(ReportingYearRow::as_select())
        .load(conn)?)
}

/// A new draft report of `organisation_id` for the reporting year, with no text yet.
pub fn insert_report(
    conn: &mut DbConn,
    reporting_year_id: i64,
    organisation_id: i64,
    status: &str,
    now: NaiveDateTime,
) -> Result<ReportRow, DbError> {
    Ok(diesel::insert_into(reports::table)
        .values((
            reports::reporting_year_id.eq(reporting_year_id),
            reports::organisation_id.eq(organisation_id),
            reports::status.eq(status),
            reports::narrative.eq(""),
            reports::other_resources.eq(""),
            reports::version.eq(1),
            reports::created_at.eq(now),
            reports::updated_at.eq(now),
        ))
        .returning(reports::all_columns)
        .get_result(conn)?)
}

/// The reports of a reporting year, by id (the caller orders them by organisation name).
pub fn reports_of_year(conn: &mut DbConn, reporting_year_id: i64) -> Result<Vec<ReportRow>, DbError> {
    Ok(reports::table
        .filter(reports::reporting_year_id.eq(reporting_year_id))
        .order(reports::id.asc())
        .select(ReportRow::as_select())
        .load(conn)?)
}

/// The report of an organisation for the reporting year of `year`, if there is one (last
/// year's text is offered as a start).
pub fn report_of(
    conn: &mut DbConn,
    organisation_id: i64,
    year: i32,
) -> Result<Option<ReportRecord>, DbError> {
    let row = reports::table
        .inner_join(reporting_years::table)
        .filter(reports::organisation_id.eq(organisation_id))
        .filter(reporting_years::year.eq(year))
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|r| record(conn, r)).transpose()
}

fn record(conn: &mut DbConn, report: ReportRow) -> Result<ReportRecord, DbError> {
    let corrections = report_corrections::table
        .filter(report_corrections::report_id.eq(report.id))
        .order(report_corrections::figure.asc())
        .select(CorrectionRow::as_select())
        .load(conn)?;
    let contributions = report_goal_contributions::table
        .filter(report_goal_contributions::report_id.eq(report.id))
        .order(report_goal_contributions::goal_id.asc())
        .select(ContributionRow::as_select())
        .load(conn)?;
    Ok(ReportRecord { report, corrections, contributions })
}

pub fn get_report(conn: &mut DbConn, id: i64) -> Result<Option<ReportRecord>, DbError> {
    let Some(row) = reports::table.find(id).select(ReportRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(Some(record(conn, row)?))
}

/// Replaces a report's text, corrections and goal contributions if it is still at the
/// `expected` version; `None` when someone changed it since. (The use case has checked that
/// the report may be edited.)
pub fn update_report_text(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    text: &ReportText,
    now: NaiveDateTime,
) -> Result<Option<ReportRecord>, DbError> {
    let n = diesel::update(reports::table.filter(reports::id.eq(id)).filter(reports::version.eq(expected)))
        .set((
            reports::narrative.eq(&text.narrative),
            reports::other_resources.eq(&text.other_resources),
            reports::version.eq(expected + 1),
            reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    diesel::delete(report_corrections::table.filter(report_corrections::report_id.eq(id))).execute(conn)?;
    for (figure, computed, corrected, reason) in &text.corrections {
        diesel::insert_into(report_corrections::table)
            .values(CorrectionRow {
                report_id: id,
                figure: figure.clone(),
                computed: *computed,
                corrected: *corrected,
                reason: reason.clone(),
            })
            .execute(conn)?;
    }
    diesel::delete(report_goal_contributions::table.filter(report_goal_contributions::report_id.eq(id)))
        .execute(conn)?;
    for (goal_id, contribution) in &text.contributions {
        diesel::insert_into(report_goal_contributions::table)
            .values(ContributionRow { report_id: id, goal_id: *goal_id, contribution: contribution.clone() })
            .execute(conn)?;
    }
    get_report(conn, id)
}

/// Moves a report to `status` (with the coordinator's `comment` when returned, cleared
/// otherwise) if it is still at the `expected` version; false when someone changed it since.
/// The first handing-in's time is kept once set.
pub fn set_report_status(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    status: &str,
    comment: Option<&str>,
    submitted_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = reports::table.filter(reports::id.eq(id)).filter(reports::version.eq(expected));
    let Some(first) =
        current.select(reports::first_submitted_at).first::<Option<NaiveDateTime>>(conn).optional()?
    else {
        return Ok(false);
    };
    let n = diesel::update(current)
        .set((
            reports::status.eq(status),
            reports::comment.eq(comment),
            reports::first_submitted_at.eq(first.or(submitted_at)),
            reports::version.eq(expected + 1),
            reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Freezes a handing-in of a report as its next numbered version.
pub fn insert_report_version(
    conn: &mut DbConn,
    report_id: i64,
    submitted_at: NaiveDateTime,
    submitted_by: Option<i64>,
    content: &str,
) -> Result<ReportVersionRow, DbError> {
    let last: Option<i32> = report_versions::table
        .filter(report_versions::report_id.eq(report_id))
        .select(diesel::dsl::max(report_versions::number))
        .first(conn)?;
    Ok(diesel::insert_into(report_versions::table)
        .values((
            report_versions::report_id.eq(report_id),
            report_versions::number.eq(last.unwrap_or(0) + 1),
            report_versions::submitted_at.eq(submitted_at),
            report_versions::submitted_by.eq(submitted_by),
            report_versions::content.eq(content),
        ))
        .returning(report_versions::all_columns)
        .get_result(conn)?)
}

/// Every frozen version of a report, the first first.
pub fn report_versions(conn: &mut DbConn, report_id: i64) -> Result<Vec<ReportVersionRow>, DbError> {
    Ok(report_versions::table
        .filter(report_versions::report_id.eq(report_id))
        .order(report_versions::number.asc())
        .select(ReportVersionRow::as_select())
        .load(conn)?)
}

/// What a report or the compilation sums of one activity.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = activities)]
pub struct ActivityFactsRow {
    pub id: i64,
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub hours: i64,
    pub own_cost: i64,
    pub external_cost: i64,
    pub women: i32,
    pub men: i32,
    pub total: i32,
}

/// The current (not archived) activities that start between `first` and `last` — of these
/// organisations, or of all with `None` — as a report or the compilation sums them, each
/// with its countries in their order. Two queries whatever the number of activities (the
/// rows, and their countries joined on the same conditions), neither sorted by the
/// database: the countries are put in order here.
pub fn activity_facts(
    conn: &mut DbConn,
    organisations: Option<&[i64]>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(ActivityFactsRow, Vec<String>)>, DbError> {
    let mut rows_q = activities::table
        .filter(activities::archived_at.is_null())
        .filter(activities::starts_on.ge(first))
        .filter(activities::starts_on.le(last))
        .into_boxed();
    let mut countries_q = activity_countries::table
        .inner_join(activities::table)
        .filter(activities::archived_at.is_null())
        .filter(activities::starts_on.ge(first))
        .filter(activities::starts_on.le(last))
        .into_boxed();
    if let Some(ids) = organisations {
        rows_q = rows_q.filter(activities::organisation_id.eq_any(ids.to_vec()));
        countries_q = countries_q.filter(activities::organisation_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<ActivityFactsRow> = rows_q.select(ActivityFactsRow::as_select()).load(conn)?;
    let countries: Vec<(i64, i32, String)> = countries_q
        .select((activity_countries::activity_id, activity_countries::position, activity_countries::country))
        .load(conn)?;
    let mut of: HashMap<i64, Vec<(i32, String)>> = HashMap::with_capacity(countries.len());
    for (id, position, country) in countries {
        of.entry(id).or_default().push((position, country));
    }
    let mut out: Vec<(ActivityFactsRow, Vec<String>)> = rows
        .into_iter()
        .map(|r| {
            let mut theirs = of.remove(&r.id).unwrap_or_default();
            theirs.sort_unstable_by_key(|(position, _)| *position);
            (r, theirs.into_iter().map(|(_, c)| c).collect())
        })
        .collect();
    out.sort_unstable_by_key(|(r, _)| r.id);
    Ok(out)
}

/// What a report needs of one project.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct ProjectFactsRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
}

/// The current projects these organisations own.
pub fn project_facts(conn: &mut DbConn, organisations: &[i64]) -> Result<Vec<ProjectFactsRow>, DbError> {
    Ok(projects::table
        .filter(projects::owner_organisation_id.eq_any(organisations))
        .filter(projects::archived_at.is_null())
        .order(projects::id.asc())
        .select(ProjectFactsRow::as_select())
        .load(conn)?)
}
