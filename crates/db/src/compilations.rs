//! The compilation for the council: one per reporting year, its status, and each finalising
//! frozen as a numbered version (the database's triggers refuse to change or delete one); and
//! the facts it is compiled from that the annual report does not already read.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::models::{CompilationRow, CompilationVersionRow, PriorityAreaRow, ProjectFundingRow};
use crate::schema::{
    co_funding_assessments, collaborations, compilation_versions, compilations, priority_areas,
    project_funding, project_priority_areas, projects, reporting_years, twin_towns,
};

pub fn insert_compilation(
    conn: &mut DbConn,
    reporting_year_id: i64,
    status: &str,
    now: NaiveDateTime,
) -> Result<CompilationRow, DbError> {
    Ok(diesel::insert_into(compilations::table)
        .values((
            compilations::reporting_year_id.eq(reporting_year_id),
            compilations::status.eq(status),
            compilations::version.eq(1),
            compilations::created_at.eq(now),
            compilations::updated_at.eq(now),
        ))
        .returning(compilations::all_columns)
        .get_result(conn)?)
}

pub fn compilation(conn: &mut DbConn, id: i64) -> Result<Option<CompilationRow>, DbError> {
    Ok(compilations::table.find(id).select(CompilationRow::as_select()).first(conn).optional()?)
}

/// The compilation of a reporting year, if begun.
pub fn compilation_of_year(
    conn: &mut DbConn,
    reporting_year_id: i64,
) -> Result<Option<CompilationRow>, DbError> {
    Ok(compilations::table
        .filter(compilations::reporting_year_id.eq(reporting_year_id))
        .select(CompilationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every compilation with its year, the newest year first.
pub fn list_compilations(conn: &mut DbConn) -> Result<Vec<(CompilationRow, i32)>, DbError> {
    Ok(compilations::table
        .inner_join(reporting_years::table)
        .order(reporting_years::year.desc())
        .select((CompilationRow::as_select(), reporting_years::year))
        .load(conn)?)
}

/// Moves a compilation still at the `expected` version; `false` when it has moved on.
#[allow(clippy::too_many_arguments)]
pub fn set_compilation_status(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    status: &str,
    decision_id: Option<i64>,
    comment: Option<&str>,
    presented_version: Option<i32>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current =
        compilations::table.filter(compilations::id.eq(id)).filter(compilations::version.eq(expected));
    let n = diesel::update(current)
        .set((
            compilations::status.eq(status),
            compilations::decision_id.eq(decision_id),
            compilations::comment.eq(comment),
            compilations::presented_version.eq(presented_version),
            compilations::version.eq(expected + 1),
            compilations::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Publishes (`Some(at)`) or withdraws (`None`) a compilation still at the `expected` version.
pub fn set_compilation_published(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    published_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current =
        compilations::table.filter(compilations::id.eq(id)).filter(compilations::version.eq(expected));
    let n = diesel::update(current)
        .set((
            compilations::published_at.eq(published_at),
            compilations::version.eq(expected + 1),
            compilations::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Freezes a finalising of a compilation as its next numbered version.
pub fn insert_compilation_version(
    conn: &mut DbConn,
    compilation_id: i64,
    frozen_at: NaiveDateTime,
    frozen_by: Option<i64>,
    content: &str,
) -> Result<CompilationVersionRow, DbError> {
    let last: Option<i32> = compilation_versions::table
        .filter(compilation_versions::compilation_id.eq(compilation_id))
        .select(diesel::dsl::max(compilation_versions::number))
        .first(conn)?;
    Ok(diesel::insert_into(compilation_versions::table)
        .values((
            compilation_versions::compilation_id.eq(compilation_id),
            compilation_versions::number.eq(last.unwrap_or(0) + 1),
            compilation_versions::frozen_at.eq(frozen_at),
            compilation_versions::frozen_by.eq(frozen_by),
            compilation_versions::content.eq(content),
        ))
        .returning(compilation_versions::all_columns)
        .get_result(conn)?)
}

/// The number, time and author of every frozen version of a compilation, the first first
/// (without their content).
pub fn compilation_versions(
    conn: &mut DbConn,
    compilation_id: i64,
) -> Result<Vec<(i32, NaiveDateTime, Option<i64>)>, DbError> {
    Ok(compilation_versions::table
        .filter(compilation_versions::compilation_id.eq(compilation_id))
        .order(compilation_versions::number.asc())
        .select((
            compilation_versions::number,
            compilation_versions::frozen_at,
            compilation_versions::frozen_by,
        ))
        .load(conn)?)
}

/// One frozen version of a compilation.
pub fn compilation_version(
    conn: &mut DbConn,
    compilation_id: i64,
    number: i32,
) -> Result<Option<CompilationVersionRow>, DbError> {
    Ok(compilation_versions::table
        .filter(compilation_versions::compilation_id.eq(compilation_id))
        .filter(compilation_versions::number.eq(number))
        .select(CompilationVersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// What the compilation needs of one project.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct CompilationProjectRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub owner_organisation_id: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub own_money: i64,
    pub left_planning_at: Option<NaiveDateTime>,
}

/// A current project with its priority areas, its funding lines and when its first co-funding
/// assessment was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct CompilationProject {
    pub row: CompilationProjectRow,
    pub priority_areas: Vec<i64>,
    pub funding: Vec<ProjectFundingRow>,
    pub first_assessed_at: Option<NaiveDateTime>,
}

/// Every current (not archived) project as the compilation reads it: four queries whatever
/// their number.
pub fn compilation_projects(conn: &mut DbConn) -> Result<Vec<CompilationProject>, DbError> {
    let rows: Vec<CompilationProjectRow> = projects::table
        .filter(projects::archived_at.is_null())
        .order(projects::id.asc())
        .select(CompilationProjectRow::as_select())
        .load(conn)?;
    let mut areas: HashMap<i64, Vec<i64>> = HashMap::new();
    for (project, area) in project_priority_areas::table
        .select((project_priority_areas::project_id, project_priority_areas::priority_area_id))
        .order((project_priority_areas::project_id, project_priority_areas::priority_area_id))
        .load::<(i64, i64)>(conn)?
    {
        areas.entry(project).or_default().push(area);
    }
    let mut funding: HashMap<i64, Vec<ProjectFundingRow>> = HashMap::new();
    for f in project_funding::table
        .order((project_funding::project_id, project_funding::position))
        .select(ProjectFundingRow::as_select())
        .load::<ProjectFundingRow>(conn)?
    {
        funding.entry(f.project_id).or_default().push(f);
    }
    let assessed: HashMap<i64, Option<NaiveDateTime>> = co_funding_assessments::table
        .group_by(co_funding_assessments::project_id)
        .select((co_funding_assessments::project_id, diesel::dsl::min(co_funding_assessments::recorded_at)))
        .load::<(i64, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| CompilationProject {
            priority_areas: areas.remove(&row.id).unwrap_or_default(),
            funding: funding.remove(&row.id).unwrap_or_default(),
            first_assessed_at: assessed.get(&row.id).copied().flatten(),
            row,
        })
        .collect())
}

/// Every priority area of every programme version, by programme and number.
pub fn all_priority_areas(conn: &mut DbConn) -> Result<Vec<PriorityAreaRow>, DbError> {
    Ok(priority_areas::table
        .order((priority_areas::programme_id, priority_areas::number))
        .select(PriorityAreaRow::as_select())
        .load(conn)?)
}

/// Every current twin town: `(town, country code, status)`.
pub fn twin_town_facts(conn: &mut DbConn) -> Result<Vec<(String, String, String)>, DbError> {
    Ok(twin_towns::table
        .filter(twin_towns::archived_at.is_null())
        .order(twin_towns::id)
        .select((twin_towns::town, twin_towns::country, twin_towns::status))
        .load(conn)?)
}

/// How many current collaborations and network memberships have `status`.
pub fn collaborations_with_status(conn: &mut DbConn, status: &str) -> Result<u64, DbError> {
    let n: i64 = collaborations::table
        .filter(collaborations::archived_at.is_null())
        .filter(collaborations::status.eq(status))
        .count()
        .get_result(conn)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Records when a project left planning, the first time it does.
pub fn mark_left_planning(conn: &mut DbConn, project_id: i64, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(
        projects::table.filter(projects::id.eq(project_id)).filter(projects::left_planning_at.is_null()),
    )
    .set(projects::left_planning_at.eq(at))
    .execute(conn)?;
    Ok(())
}

/// Every goal of the goal frameworks: `(id, number, title)`.
pub fn goal_titles(conn: &mut DbConn) -> Result<Vec<(i64, i32, String)>, DbError> {
    use crate::schema::framework_goals;
    Ok(framework_goals::table
        .order(framework_goals::id)
        .select((framework_goals::id, framework_goals::number, framework_goals::title))
        .load(conn)?)
}

/// The sums of a set of activities, as one SQL query gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct ActivitySums {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub activities: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub hours: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub own_cost: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub external_cost: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub women: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub men: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub participants: i64,
}

/// Activities of one organisation, project, kind and countries (in their order, joined by
/// commas; empty for none) that start in the asked days, summed.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ActivityGroupRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub organisation_id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub project_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub countries: String,
    #[diesel(embed)]
    pub sums: ActivitySums,
}

/// The current activities as the year's sums read them. SQLite's planner, left to itself,
/// takes the narrower index of every activity in start order and reads each row from the
/// table (ten times slower for a year of 100 000); it is told to use the index of current
/// activities, which holds every column summed. PostgreSQL picks its index-only scan.
fn current_activities(sqlite: bool) -> &'static str {
    if sqlite { "activities INDEXED BY activities_current_starts_on_id_idx" } else { "activities" }
}

/// The query that groups the current activities starting from `first` to `last` as the
/// compilation counts them (organisation, project, kind, countries — the list the database's
/// triggers keep) and sums each group. Days are written as ISO dates: no text from outside
/// reaches it.
pub fn activity_groups_sql(first: NaiveDate, last: NaiveDate, sqlite: bool) -> String {
    let activities = current_activities(sqlite);
    format!(
        "SELECT organisation_id, project_id, kind, country_list AS countries, COUNT(*) AS activities, \
         CAST(COALESCE(SUM(hours), 0) AS BIGINT) AS hours, \
         CAST(COALESCE(SUM(own_cost), 0) AS BIGINT) AS own_cost, \
         CAST(COALESCE(SUM(external_cost), 0) AS BIGINT) AS external_cost, \
         CAST(COALESCE(SUM(women), 0) AS BIGINT) AS women, CAST(COALESCE(SUM(men), 0) AS BIGINT) AS men, \
         CAST(COALESCE(SUM(total), 0) AS BIGINT) AS participants \
         FROM {activities} WHERE archived_at IS NULL AND starts_on >= '{first}' AND starts_on <= '{last}' \
         GROUP BY organisation_id, project_id, kind, country_list"
    )
}

/// The current activities starting from `first` to `last`, grouped and summed by the
/// database as the compilation counts them (a year of 100 000 activities is a few thousand
/// groups), in no particular order.
pub fn activity_groups(
    conn: &mut DbConn,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<ActivityGroupRow>, DbError> {
    Ok(match conn {
        DbConn::Sqlite(c) => diesel::sql_query(activity_groups_sql(first, last, true)).load(c)?,
        DbConn::Pg(c) => diesel::sql_query(activity_groups_sql(first, last, false)).load(c)?,
    })
}

/// The query that sums the current activities starting from `first` to `last` (days, written
/// as ISO dates: no text from outside reaches it).
pub fn activity_sums_sql(first: NaiveDate, last: NaiveDate, sqlite: bool) -> String {
    let activities = current_activities(sqlite);
    format!(
        "SELECT COUNT(*) AS activities, CAST(COALESCE(SUM(hours), 0) AS BIGINT) AS hours, \
         CAST(COALESCE(SUM(own_cost), 0) AS BIGINT) AS own_cost, \
         CAST(COALESCE(SUM(external_cost), 0) AS BIGINT) AS external_cost, \
         CAST(COALESCE(SUM(women), 0) AS BIGINT) AS women, CAST(COALESCE(SUM(men), 0) AS BIGINT) AS men, \
         CAST(COALESCE(SUM(total), 0) AS BIGINT) AS participants \
         FROM {activities} WHERE archived_at IS NULL AND starts_on >= '{first}' AND starts_on <= '{last}'"
    )
}

/// The current activities starting from `first` to `last`, summed by the database (the
/// comparison with earlier years needs their totals, not their rows).
pub fn activity_sums(conn: &mut DbConn, first: NaiveDate, last: NaiveDate) -> Result<ActivitySums, DbError> {
    Ok(match conn {
        DbConn::Sqlite(c) => diesel::sql_query(activity_sums_sql(first, last, true)).get_result(c)?,
        DbConn::Pg(c) => diesel::sql_query(activity_sums_sql(first, last, false)).get_result(c)?,
    })
}
