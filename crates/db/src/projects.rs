//! Projects with their partners, priority areas, goals, funding and co-funding assessments,
//! and the catalogue of funding programmes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{
    Archived, archive_write, archived, list_filter, list_reads, order_by, text_matches, versioned_writes,
    where_given,
};
use crate::models::{
    AssessmentRecord, AssessmentRow, FundingProgrammeFields, FundingProgrammeRow, ProjectFields,
    ProjectFundingRow, ProjectPartnerRow, ProjectParts, ProjectRecord, ProjectRow,
};
use crate::schema::{
    assessment_programmes, co_funding_assessments, framework_goals, funding_programmes, priority_areas,
    programmes, project_funding, project_goals, project_partners, project_priority_areas, projects,
};

list_filter! {
    /// Filters, search and order of the project list.
    #[derive(Default)]
    pub struct ProjectFilter {
        pub owner_organisation_id: Option<i64>,
        pub status: Option<String>,
        pub kind: Option<String>,
        /// Projects that name this priority area.
        pub priority_area_id: Option<i64>,
        /// Projects with a partner in this country (ISO 3166-1 alpha-2).
        pub country: Option<String>,
        /// Projects whose period touches this year (an open end touches every later year).
        pub year: Option<i32>,
        /// Projects with funding from this programme of the catalogue.
        pub funding_programme_id: Option<i64>,
        /// Words in the title, the summary or a partner's name.
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the project list can be ordered by.
    pub enum ProjectSort {
        #[default]
        Title,
        Status,
        PeriodFrom,
        PeriodTo,
        Updated,
    }
}

fn filtered(f: &ProjectFilter) -> projects::BoxedQuery<'static, MultiBackend> {
    let mut q = projects::table.into_boxed();
    archived!(q, projects::archived_at, f.archived);
    where_given!(
        q,
        f.owner_organisation_id => eq projects::owner_organisation_id,
        f.status => eq projects::status,
        f.kind => eq projects::kind,
    );
    if let Some(area) = f.priority_area_id {
        let named = project_priority_areas::table
            .filter(project_priority_areas::priority_area_id.eq(area))
            .select(project_priority_areas::project_id);
        q = q.filter(projects::id.eq_any(named));
    }
    if let Some(country) = &f.country {
        let there = project_partners::table
            .filter(project_partners::country.eq(country.clone()))
            .select(project_partners::project_id);
        q = q.filter(projects::id.eq_any(there));
    }
    if let Some(programme) = f.funding_programme_id {
        let funded = project_funding::table
            .filter(project_funding::funding_programme_id.eq(programme))
            .select(project_funding::project_id);
        q = q.filter(projects::id.eq_any(funded));
    }
    if let Some((first, last)) =
        f.year.and_then(|y| Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?)))
    {
        q = q
            .filter(projects::period_from.is_null().or(projects::period_from.le(last)))
            .filter(projects::period_to.is_null().or(projects::period_to.ge(first)));
    }
    if let Some(text) = &f.q {
        let partner_named = diesel::dsl::sql::<diesel::sql_types::Bool>(
            "projects.id IN (SELECT project_id FROM project_partners WHERE lower(name) LIKE ",
        )
        .bind::<diesel::sql_types::Text, _>(crate::listing::like_pattern(text))
        .sql(" ESCAPE '\\')");
        q = q.filter(
            text_matches(&["projects.title", "projects.summary", "projects.external_id"], text)
                .or(partner_named),
        );
    }
    where_given!(q, f.ids => eq_any projects::id);
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &ProjectFilter) -> projects::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, projects::id);
    match f.sort.key {
        ProjectSort::Title => order_by!(q, desc, text projects::title, id),
        ProjectSort::Status => order_by!(q, desc, projects::status, id),
        ProjectSort::PeriodFrom => order_by!(q, desc, nullable projects::period_from, id),
        ProjectSort::PeriodTo => order_by!(q, desc, nullable projects::period_to, id),
        ProjectSort::Updated => order_by!(q, desc, projects::updated_at, id),
    }
}

/// Nothing but `archived` (and an order): the kept total answers the count.
fn unfiltered(f: &ProjectFilter) -> bool {
    // Every field named, so that a new filter cannot be forgotten here.
    let ProjectFilter {
        owner_organisation_id,
        status,
        kind,
        priority_area_id,
        country,
        year,
        funding_programme_id,
        q,
        archived: _,
        sort: _,
        ids,
    } = f;
    owner_organisation_id.is_none()
        && status.is_none()
        && kind.is_none()
        && priority_area_id.is_none()
        && country.is_none()
        && year.is_none()
        && funding_programme_id.is_none()
        && q.is_none()
        && ids.is_none()
}

list_reads!(projects, ProjectFilter, count count_projects kept when unfiltered, ids project_ids);

/// The parts and assessments of the given projects, each project's in order.
fn records(conn: &mut DbConn, rows: Vec<ProjectRow>) -> Result<Vec<ProjectRecord>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let partners: Vec<ProjectPartnerRow> = project_partners::table
        .filter(project_partners::project_id.eq_any(&ids))
        .order((project_partners::project_id.asc(), project_partners::position.asc()))
        .select(ProjectPartnerRow::as_select())
        .load(conn)?;
    let areas: Vec<(i64, i64)> = project_priority_areas::table
        .filter(project_priority_areas::project_id.eq_any(&ids))
        .order((project_priority_areas::project_id.asc(), project_priority_areas::priority_area_id.asc()))
        .select((project_priority_areas::project_id, project_priority_areas::priority_area_id))
        .load(conn)?;
    let goals: Vec<(i64, i64)> = project_goals::table
        .filter(project_goals::project_id.eq_any(&ids))
        .order((project_goals::project_id.asc(), project_goals::goal_id.asc()))
        .select((project_goals::project_id, project_goals::goal_id))
        .load(conn)?;
    let funding: Vec<ProjectFundingRow> = project_funding::table
        .filter(project_funding::project_id.eq_any(&ids))
        .order((project_funding::project_id.asc(), project_funding::position.asc()))
        .select(ProjectFundingRow::as_select())
        .load(conn)?;
    let assessments: Vec<AssessmentRow> = co_funding_assessments::table
        .filter(co_funding_assessments::project_id.eq_any(&ids))
        .order((co_funding_assessments::recorded_at.desc(), co_funding_assessments::id.desc()))
        .select(AssessmentRow::as_select())
        .load(conn)?;
    let assessment_ids: Vec<i64> = assessments.iter().map(|a| a.id).collect();
    let considered: Vec<(i64, i64)> = assessment_programmes::table
        .filter(assessment_programmes::assessment_id.eq_any(&assessment_ids))
        .order((
            assessment_programmes::assessment_id.asc(),
            assessment_programmes::funding_programme_id.asc(),
        ))
        .select((assessment_programmes::assessment_id, assessment_programmes::funding_programme_id))
        .load(conn)?;
    let of = |pairs: &[(i64, i64)], id: i64| pairs.iter().filter(|p| p.0 == id).map(|p| p.1).collect();
    Ok(rows
        .into_iter()
        .map(|project| {
            let id = project.id;
            let parts = ProjectParts {
                partners: partners.iter().filter(|p| p.project_id == id).cloned().collect(),
                priority_areas: of(&areas, id),
                goals: of(&goals, id),
                funding: funding.iter().filter(|f| f.project_id == id).cloned().collect(),
            };
            let assessments = (assessments.iter().filter(|a| a.project_id == id))
                .map(|a| AssessmentRecord { assessment: a.clone(), programmes: of(&considered, a.id) })
                .collect();
            ProjectRecord { project, parts, assessments }
        })
        .collect())
}

/// A page of the filtered list, each project with its parts.
pub fn list_projects(
    conn: &mut DbConn,
    f: &ProjectFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<ProjectRecord>, DbError> {
    let q = ordered(f).select(ProjectRow::as_select());
    let rows = q.offset(crate::listing::offset(skip)?).limit(i64::from(limit)).load(conn)?;
    records(conn, rows)
}

pub fn get_project(conn: &mut DbConn, id: i64) -> Result<Option<ProjectRecord>, DbError> {
    let Some(row) = projects::table.find(id).select(ProjectRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(records(conn, vec![row])?.pop())
}

/// The project imported under this external id, if any.
pub fn project_by_external_id(conn: &mut DbConn, external_id: &str) -> Result<Option<i64>, DbError> {
    Ok(projects::table
        .filter(projects::external_id.eq(external_id))
        .select(projects::id)
        .first(conn)
        .optional()?)
}

fn put_parts(conn: &mut DbConn, id: i64, parts: &ProjectParts) -> Result<(), DbError> {
    diesel::delete(project_partners::table.filter(project_partners::project_id.eq(id))).execute(conn)?;
    diesel::delete(project_priority_areas::table.filter(project_priority_areas::project_id.eq(id)))
        .execute(conn)?;
    diesel::delete(project_goals::table.filter(project_goals::project_id.eq(id))).execute(conn)?;
    diesel::delete(project_funding::table.filter(project_funding::project_id.eq(id))).execute(conn)?;
    let position = |i: usize| i32::try_from(i + 1).unwrap_or(i32::MAX);
    for (i, p) in parts.partners.iter().enumerate() {
        let row = ProjectPartnerRow { project_id: id, position: position(i), ..p.clone() };
        diesel::insert_into(project_partners::table).values(&row).execute(conn)?;
    }
    for area in &parts.priority_areas {
        diesel::insert_into(project_priority_areas::table)
            .values((
                project_priority_areas::project_id.eq(id),
                project_priority_areas::priority_area_id.eq(area),
            ))
            .execute(conn)?;
    }
    for goal in &parts.goals {
        diesel::insert_into(project_goals::table)
            .values((project_goals::project_id.eq(id), project_goals::goal_id.eq(goal)))
            .execute(conn)?;
    }
    for (i, f) in parts.funding.iter().enumerate() {
        let row = ProjectFundingRow { project_id: id, position: position(i), ..f.clone() };
        diesel::insert_into(project_funding::table).values(&row).execute(conn)?;
    }
    Ok(())
}

pub fn insert_project(
    conn: &mut DbConn,
    id: Option<i64>,
    f: &ProjectFields,
    parts: &ProjectParts,
    status: &str,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let stamps = (projects::version.eq(1), projects::created_at.eq(now), projects::updated_at.eq(now));
    let id: i64 = match id {
        Some(id) => {
            diesel::insert_into(projects::table)
                .values((projects::id.eq(id), f, projects::status.eq(status), stamps))
                .execute(conn)?;
            crate::conn::after_explicit_id(conn, "projects")?;
            id
        }
        None => diesel::insert_into(projects::table)
            .values((f, projects::status.eq(status), stamps))
            .returning(projects::id)
            .get_result(conn)?,
    };
    put_parts(conn, id, parts)?;
    Ok(id)
}

/// Replaces a project's fields and parts if it is still at the `expected` version.
pub fn update_project(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &ProjectFields,
    parts: &ProjectParts,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = projects::table.filter(projects::id.eq(id)).filter(projects::version.eq(expected));
    let n = diesel::update(current)
        .set((f, projects::version.eq(expected + 1), projects::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    put_parts(conn, id, parts)?;
    Ok(true)
}

/// Moves a project to `status` (and the programme version it points at) if it is still at
/// the `expected` version.
pub fn set_project_status(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    status: &str,
    programme_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = projects::table.filter(projects::id.eq(id)).filter(projects::version.eq(expected));
    let n = diesel::update(current)
        .set((
            projects::status.eq(status),
            projects::programme_id.eq(programme_id),
            projects::version.eq(expected + 1),
            projects::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Records a co-funding assessment of a project that is still at the `expected` version
/// (the project's version moves on: its record has changed).
pub fn insert_assessment(
    conn: &mut DbConn,
    expected: i32,
    a: &AssessmentRow,
    considered: &[i64],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current =
        projects::table.filter(projects::id.eq(a.project_id)).filter(projects::version.eq(expected));
    let n = diesel::update(current)
        .set((projects::version.eq(expected + 1), projects::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    let id: i64 = diesel::insert_into(co_funding_assessments::table)
        .values(a)
        .returning(co_funding_assessments::id)
        .get_result(conn)?;
    for p in considered {
        diesel::insert_into(assessment_programmes::table)
            .values((
                assessment_programmes::assessment_id.eq(id),
                assessment_programmes::funding_programme_id.eq(p),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

archive_write!(projects, set_project_archived);

crate::listing::by_ids!(ProjectFilter);

/// The adopted programme version in force: the newest adopted version of a document of
/// type programme (its priority areas are the ones projects name).
pub fn programme_in_force(conn: &mut DbConn) -> Result<Option<i64>, DbError> {
    Ok(programmes::table
        .filter(programmes::status.eq(utblick_domain::programme::ProgrammeStatus::Adopted.code()))
        .filter(programmes::document_type.eq(utblick_domain::programme::DocumentType::Programme.code()))
        .order((programmes::published.desc(), programmes::id.desc()))
        .select(programmes::id)
        .first(conn)
        .optional()?)
}

/// Of `ids`, those that are not priority areas of programme version `programme_id`.
pub fn areas_outside(conn: &mut DbConn, programme_id: Option<i64>, ids: &[i64]) -> Result<Vec<i64>, DbError> {
    let inside: Vec<i64> = match programme_id {
        Some(p) => priority_areas::table
            .filter(priority_areas::programme_id.eq(p))
            .filter(priority_areas::id.eq_any(ids))
            .select(priority_areas::id)
            .load(conn)?,
        None => Vec::new(),
    };
    Ok(ids.iter().copied().filter(|i| !inside.contains(i)).collect())
}

/// Of `ids`, those that are not goals of a goal framework.
pub fn goals_missing(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<i64>, DbError> {
    let found: Vec<i64> = framework_goals::table
        .filter(framework_goals::id.eq_any(ids))
        .select(framework_goals::id)
        .load(conn)?;
    Ok(ids.iter().copied().filter(|i| !found.contains(i)).collect())
}

/// Of `ids`, those that are not active funding programmes of the catalogue.
pub fn funding_programmes_missing(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<i64>, DbError> {
    let found: Vec<i64> = funding_programmes::table
        .filter(funding_programmes::id.eq_any(ids))
        .filter(funding_programmes::active.eq(true))
        .select(funding_programmes::id)
        .load(conn)?;
    Ok(ids.iter().copied().filter(|i| !found.contains(i)).collect())
}

// --- The funding-programme catalogue -----------------------------------------------------

/// The whole catalogue (a few dozen rows), in Swedish order of name; inactive ones only
/// when asked for.
pub fn list_funding_programmes(
    conn: &mut DbConn,
    include_inactive: bool,
) -> Result<Vec<FundingProgrammeRow>, DbError> {
    let mut q = funding_programmes::table.into_boxed::<MultiBackend>();
    if !include_inactive {
        q = q.filter(funding_programmes::active.eq(true));
    }
    let q = order_by!(q, false, text funding_programmes::name, funding_programmes::id);
    Ok(q.select(FundingProgrammeRow::as_select()).load(conn)?)
}

versioned_writes!(
    funding_programmes, FundingProgrammeFields => FundingProgrammeRow,
    get get_funding_programme, insert insert_funding_programme, update update_funding_programme
);
