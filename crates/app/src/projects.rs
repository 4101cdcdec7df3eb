//! Projects (rules 4, 5 and 7): owned by an active organisation, checked against the
//! programme version in force, moved along their path only as the domain allows — a
//! development project leaves planning only after its co-funding assessment, whatever the
//! route — and archived, never deleted. The catalogue of funding programmes is kept here
//! too.

use utblick_db::DbConn;
use utblick_db::models::{
    AssessmentRow, FundingProgrammeFields, FundingProgrammeRow, ProjectFields, ProjectFundingRow,
    ProjectPartnerRow, ProjectParts, ProjectRecord,
};
use utblick_db::projects as repo;
use utblick_domain::Action;
use utblick_domain::error::Collector;
use utblick_domain::project::{
    CoFundingAssessment, FundingInput, FundingProgramme, ProgrammeFit, Project, ProjectInput, ProjectStatus,
    programme_version,
};

use crate::archive::Archivable;
use crate::{AppError, Ctx, Done, Event, Register, refs, stored};

const ENTITY: &str = "project";

/// A funding programme that is not (or no longer) offered.
const NOT_IN_CATALOGUE: (&str, &str) = (
    "is not an active funding programme of the catalogue",
    "är inget aktivt finansieringsprogram i katalogen",
);

/// A project as the caller writes it: its owner, contact person, external id (for imports)
/// and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub owner_organisation_id: i64,
    pub contact_id: Option<i64>,
    pub external_id: Option<String>,
    pub project: Project,
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<ProjectRecord, AppError> {
    repo::get_project(conn, id)?.ok_or_else(|| AppError::NotFound(format!("project {id}")))
}

/// A stored project's input, as the domain reads it (and an edit starts from).
pub fn input_of(r: &ProjectRecord) -> ProjectInput {
    let (p, parts) = (&r.project, &r.parts);
    ProjectInput {
        title: p.title.clone(),
        summary: p.summary.clone(),
        kind: p.kind.clone(),
        period_from: p.period_from,
        period_to: p.period_to,
        partners: (parts.partners.iter())
            .map(|x| (x.name.clone(), x.country.clone(), x.kind.clone(), x.role.clone()))
            .collect(),
        priority_areas: parts.priority_areas.clone(),
        contribution: p.contribution.clone(),
        lasting_value: p.lasting_value.clone(),
        goals: parts.goals.clone(),
        own_money: p.own_money,
        own_hours: p.own_hours,
        funding: (parts.funding.iter())
            .map(|f| FundingInput {
                programme_id: f.funding_programme_id,
                call: f.funding_call.clone(),
                amount: f.amount,
                currency: f.currency.clone(),
                rate: f.rate,
                status: f.status.clone(),
            })
            .collect(),
        results: p.results.clone(),
        value_given: p.value_given.clone(),
        outputs: p.outputs.clone(),
    }
}

/// A stored project as the domain's type.
pub fn parse_stored(r: &ProjectRecord) -> Result<Project, AppError> {
    Project::parse(&input_of(r)).map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))
}

fn fields(d: &Draft, programme_id: Option<i64>) -> (ProjectFields, ProjectParts) {
    let p = &d.project;
    let (areas, contribution, lasting_value) = match &p.fit {
        ProgrammeFit::PriorityAreas(ids) => (ids.clone(), None, None),
        ProgrammeFit::Motivated { contribution, lasting_value } => {
            (Vec::new(), Some(contribution.as_str().to_owned()), Some(lasting_value.as_str().to_owned()))
        }
    };
    let partners = (p.partners.iter())
        .map(|x| ProjectPartnerRow {
            id: 0,
            project_id: 0,
            position: 0,
            name: x.partner.name.as_str().to_owned(),
            country: x.partner.country.as_str().to_owned(),
            kind: x.partner.kind.code().to_owned(),
            role: x.role.code().to_owned(),
        })
        .collect();
    let funding = (p.funding.iter())
        .map(|f| ProjectFundingRow {
            id: 0,
            project_id: 0,
            position: 0,
            funding_programme_id: f.source.programme_id,
            funding_call: f.call.clone(),
            amount: f.source.amount.minor,
            currency: f.source.amount.currency.code().to_owned(),
            rate: f.source.rate.map(|r| r.millionths()),
            status: f.source.status.code().to_owned(),
        })
        .collect();
    let f = ProjectFields {
        external_id: d.external_id.clone(),
        title: p.title.as_str().to_owned(),
        summary: p.summary.as_str().to_owned(),
        kind: p.kind.code().to_owned(),
        owner_organisation_id: d.owner_organisation_id,
        contact_id: d.contact_id,
        period_from: p.period_from,
        period_to: p.period_to,
        programme_id,
        contribution,
        lasting_value,
        own_money: p.own_money.ore(),
        own_hours: i64::from(p.own_hours.hundredths()),
        results: p.results.clone(),
        value_given: p.value_given.clone(),
        outputs: p.outputs.clone(),
    };
    (f, ProjectParts { partners, priority_areas: areas, goals: p.goals.clone(), funding })
}

/// The owner takes new work (rule 7); the contact person exists and is not erased; the
/// priority areas are the programme version's; the goals and funding programmes exist; the
/// external id is not another project's.
fn check_links(
    conn: &mut DbConn,
    id: Option<i64>,
    d: &Draft,
    programme_id: Option<i64>,
) -> Result<(), AppError> {
    let mut c = Collector::new();
    refs::takes_work(conn, &mut c, "owner_organisation_id", d.owner_organisation_id)?;
    if let Some(cid) = d.contact_id
        && utblick_db::contacts::get_contact(conn, cid)?.filter(|x| x.erased_at.is_none()).is_none()
    {
        c.push(refs::not_there("contact_id", "is not a contact person", "är ingen kontaktperson"));
    }
    let (fields, parts) = fields(d, programme_id);
    let (areas, goals) = (&parts.priority_areas, &parts.goals);
    let outside = repo::areas_outside(conn, programme_id, areas)?;
    let (en, sv) = (
        "is not a priority area of the programme in force",
        "är inget insatsområde i det gällande programmet",
    );
    refs::each_missing(&mut c, "priority_areas", "", areas, &outside, en, sv);
    let missing = repo::goals_missing(conn, goals)?;
    refs::each_missing(
        &mut c,
        "goals",
        "",
        goals,
        &missing,
        "is not a goal of a goal framework",
        "är inget mål i ett målramverk",
    );
    let named = match id {
        Some(id) => load(conn, id)?.parts.goals,
        None => Vec::new(),
    };
    refs::no_removed_goals(conn, &mut c, "goals", "", goals, &named)?;
    let sources: Vec<i64> = parts.funding.iter().map(|f| f.funding_programme_id).collect();
    let missing = repo::funding_programmes_missing(conn, &sources)?;
    refs::each_missing(
        &mut c,
        "funding",
        ".programme_id",
        &sources,
        &missing,
        NOT_IN_CATALOGUE.0,
        NOT_IN_CATALOGUE.1,
    );
    let holder = match &fields.external_id {
        Some(ext) => repo::project_by_external_id(conn, ext)?,
        None => None,
    };
    refs::external_id_free(&mut c, holder, id, "is another project's id", "är ett annat projekts id");
    Ok(c.finish()?)
}

fn snapshot(r: &ProjectRecord) -> serde_json::Value {
    let p = &r.project;
    serde_json::json!({
        "title": p.title, "kind": p.kind, "owner_organisation_id": p.owner_organisation_id,
        "contact_id": p.contact_id, "period_from": p.period_from, "period_to": p.period_to,
        "programme_id": p.programme_id, "priority_areas": r.parts.priority_areas, "goals": r.parts.goals,
        "own_money": p.own_money, "own_hours": p.own_hours, "funding": r.parts.funding.len(),
        "partners": r.parts.partners.len(), "status": p.status, "external_id": p.external_id,
    })
}

/// Records a project idea of an organisation the caller may edit. It points at the
/// programme version in force.
pub fn create(conn: &mut DbConn, ctx: &Ctx, d: &Draft) -> Result<Done<ProjectRecord>, AppError> {
    create_as(conn, ctx, d, None, false)
}

/// Records a project idea, under the id `keep` when that id is free; `bulk`: the caller may
/// import for every organisation.
fn create_as(
    conn: &mut DbConn,
    ctx: &Ctx,
    d: &Draft,
    keep: Option<i64>,
    bulk: bool,
) -> Result<Done<ProjectRecord>, AppError> {
    if !bulk {
        ctx.require(Action::EditOrganisationData { organisation_id: d.owner_organisation_id })?;
    }
    let programme_id = repo::programme_in_force(conn)?;
    check_links(conn, None, d, programme_id)?;
    let (f, parts) = fields(d, programme_id);
    let keep = match keep {
        Some(id) if repo::get_project(conn, id)?.is_none() => Some(id),
        _ => None,
    };
    let id = repo::insert_project(conn, keep, &f, &parts, ProjectStatus::Idea.code(), ctx.now)?;
    let rec = load(conn, id)?;
    let event = Event::new(ENTITY, "created", id, snapshot(&rec));
    Ok(Done::new(rec, event))
}

/// Changes a project's description, partners, areas, goals and money; `edit` makes it from
/// the stored one. The caller may edit both the owner before and the owner after.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ProjectRecord) -> Result<Draft, AppError>,
) -> Result<Done<ProjectRecord>, AppError> {
    correct_as(conn, ctx, id, edit, false)
}

fn correct_as(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ProjectRecord) -> Result<Draft, AppError>,
    bulk: bool,
) -> Result<Done<ProjectRecord>, AppError> {
    let may = |org: i64| {
        if bulk { Ok(()) } else { ctx.require(Action::EditOrganisationData { organisation_id: org }) }
    };
    let before = load(conn, id)?;
    may(before.project.owner_organisation_id)?;
    let d = edit(&before)?;
    may(d.owner_organisation_id)?;
    let status = stored(ProjectStatus::parse(&before.project.status))?;
    let programme_id =
        programme_version(status, before.project.programme_id, repo::programme_in_force(conn)?);
    check_links(conn, Some(id), &d, programme_id)?;
    let (f, parts) = fields(&d, programme_id);
    if !repo::update_project(conn, id, ctx.expected_version()?, &f, &parts, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = load(conn, id)?;
    let changes = crate::diff(&snapshot(&before), &snapshot(&after));
    Ok(Done::new(after, Event::new(ENTITY, "updated", id, changes)))
}

/// Moves a project along its path as the domain allows: the co-funding gate for a
/// development project leaving planning, results and lasting value on completion.
pub fn change_status(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    to: ProjectStatus,
) -> Result<Done<ProjectRecord>, AppError> {
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.project.owner_organisation_id })?;
    let from = stored(ProjectStatus::parse(&before.project.status))?;
    parse_stored(&before)?.check_move(from, to, !before.assessments.is_empty())?;
    let version = ctx.expected_version()?;
    if !repo::set_project_status(conn, id, version, to.code(), before.project.programme_id, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    if from.leaves_planning(to) {
        utblick_db::compilations::mark_left_planning(conn, id, ctx.now)?;
    }
    let changes = serde_json::json!({"status": {"before": from.code(), "after": to.code()}});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "status_changed", id, changes)))
}

/// Records a co-funding assessment of the project: the funding programmes considered are
/// the catalogue's. Earlier assessments stay on record; the newest counts.
pub fn assess(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    a: &CoFundingAssessment,
) -> Result<Done<ProjectRecord>, AppError> {
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.project.owner_organisation_id })?;
    let mut c = Collector::new();
    let missing = repo::funding_programmes_missing(conn, &a.programmes)?;
    refs::each_missing(
        &mut c,
        "programmes",
        "",
        &a.programmes,
        &missing,
        NOT_IN_CATALOGUE.0,
        NOT_IN_CATALOGUE.1,
    );
    c.finish()?;
    let row = AssessmentRow {
        id: 0,
        project_id: id,
        assessed_on: a.assessed_on,
        assessed_by: a.assessed_by.as_str().to_owned(),
        outcome: a.outcome.code().to_owned(),
        motivation: a.motivation.as_str().to_owned(),
        recorded_at: ctx.now,
    };
    if !repo::insert_assessment(conn, ctx.expected_version()?, &row, &a.programmes, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let changes = serde_json::json!({"assessed_on": a.assessed_on, "outcome": a.outcome.code(), "programmes": a.programmes});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "assessed", id, changes)))
}

/// Archiving projects: whoever may edit the owner's data.
pub const ARCHIVE: Archivable<ProjectRecord> = Archivable {
    entity: ENTITY,
    action: |r| Action::EditOrganisationData { organisation_id: r.project.owner_organisation_id },
    get: repo::get_project,
    set: repo::set_project_archived,
    archived_at: |r| r.project.archived_at,
};

// --- Import ------------------------------------------------------------------------------

/// A project as an import row gives it: the draft and, when the file names one, its status.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub draft: Draft,
    pub status: Option<ProjectStatus>,
}

/// Brings an imported project to the status its row names, move by move as the domain
/// allows ([`Project::check_way`]): the co-funding gate holds an unassessed development
/// project in planning however it arrives.
fn arrive(
    conn: &mut DbConn,
    ctx: &Ctx,
    rec: ProjectRecord,
    to: ProjectStatus,
    bulk: bool,
) -> Result<Done<ProjectRecord>, AppError> {
    if !bulk {
        ctx.require(Action::EditOrganisationData { organisation_id: rec.project.owner_organisation_id })?;
    }
    let from = stored(ProjectStatus::parse(&rec.project.status))?;
    if from == to {
        return Ok(Done::many(rec, Vec::new()));
    }
    parse_stored(&rec)?.check_way(from, to, !rec.assessments.is_empty())?;
    let (id, version) = (rec.project.id, rec.project.version);
    if !repo::set_project_status(conn, id, version, to.code(), rec.project.programme_id, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    if from.leaves_planning(to) {
        utblick_db::compilations::mark_left_planning(conn, id, ctx.now)?;
    }
    let changes =
        serde_json::json!({"status": {"before": from.code(), "after": to.code()}, "imported": true});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "status_changed", id, changes)))
}

/// The stored project as the draft an import row would be.
fn stored_draft(r: &ProjectRecord) -> Result<Draft, AppError> {
    let p = &r.project;
    Ok(Draft {
        owner_organisation_id: p.owner_organisation_id,
        contact_id: p.contact_id,
        external_id: p.external_id.clone(),
        project: parse_stored(r)?,
    })
}

/// The projects as an import writes to them ([`crate::import::import`]).
pub struct Projects;

impl crate::import::Importable for Projects {
    const ENTITY: &'static str = ENTITY;
    type Record = ProjectRecord;
    type Draft = Imported;

    fn external_id(d: &Imported) -> Option<&str> {
        d.draft.external_id.as_deref()
    }

    fn by_external_id(conn: &mut DbConn, ext: &str) -> Result<Option<i64>, AppError> {
        Ok(repo::project_by_external_id(conn, ext)?)
    }

    fn load(conn: &mut DbConn, id: i64) -> Result<Option<ProjectRecord>, AppError> {
        Ok(repo::get_project(conn, id)?)
    }

    fn version(r: &ProjectRecord) -> i32 {
        r.project.version
    }

    fn same(r: &ProjectRecord, d: &Imported) -> Result<bool, AppError> {
        let status = stored(ProjectStatus::parse(&r.project.status))?;
        Ok(stored_draft(r)? == d.draft && d.status.is_none_or(|s| s == status))
    }

    fn create(
        conn: &mut DbConn,
        ctx: &Ctx,
        d: &Imported,
        keep: Option<i64>,
        bulk: bool,
    ) -> Result<Done<ProjectRecord>, AppError> {
        let created = create_as(conn, ctx, &d.draft, keep, bulk)?;
        match d.status {
            None => Ok(created),
            Some(to) => {
                let moved = arrive(conn, ctx, created.record, to, bulk)?;
                Ok(Done::many(moved.record, created.events.into_iter().chain(moved.events).collect()))
            }
        }
    }

    fn correct(
        conn: &mut DbConn,
        ctx: &Ctx,
        before: &ProjectRecord,
        d: &Imported,
        bulk: bool,
    ) -> Result<Done<ProjectRecord>, AppError> {
        let corrected = if stored_draft(before)? == d.draft {
            Done::many(load(conn, before.project.id)?, Vec::new())
        } else {
            correct_as(conn, ctx, before.project.id, |_| Ok(d.draft.clone()), bulk)?
        };
        match d.status {
            None => Ok(corrected),
            Some(to) => {
                let moved = arrive(conn, ctx, corrected.record, to, bulk)?;
                Ok(Done::many(moved.record, corrected.events.into_iter().chain(moved.events).collect()))
            }
        }
    }
}

// --- The funding-programme catalogue (coordinators) --------------------------------------

fn programme_fields(p: &FundingProgramme) -> FundingProgrammeFields {
    FundingProgrammeFields {
        code: p.code.clone(),
        name: p.name.as_str().to_owned(),
        kind: p.kind.code().to_owned(),
        active: p.active,
    }
}

fn programme_snapshot(r: &FundingProgrammeRow) -> serde_json::Value {
    serde_json::json!({"code": r.code, "name": r.name, "kind": r.kind, "active": r.active})
}

pub fn load_programme(conn: &mut DbConn, id: i64) -> Result<FundingProgrammeRow, AppError> {
    repo::get_funding_programme(conn, id)?
        .ok_or_else(|| AppError::NotFound(format!("funding programme {id}")))
}

const CATALOGUE: Register<FundingProgrammeRow> =
    Register { entity: "funding_programme", snapshot: programme_snapshot, load: load_programme };

/// Adds a funding programme to the catalogue.
pub fn add_programme(
    conn: &mut DbConn,
    ctx: &Ctx,
    p: &FundingProgramme,
) -> Result<Done<FundingProgrammeRow>, AppError> {
    CATALOGUE.create(
        conn,
        ctx,
        |conn| repo::insert_funding_programme(conn, &programme_fields(p), ctx.now),
        |r| r.id,
    )
}

/// Corrects a funding programme, or takes it out of use (`active: false`).
pub fn correct_programme(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&FundingProgrammeRow) -> Result<FundingProgramme, AppError>,
) -> Result<Done<FundingProgrammeRow>, AppError> {
    let store = |conn: &mut DbConn, version, p: &FundingProgramme| {
        repo::update_funding_programme(conn, id, version, &programme_fields(p), ctx.now)
    };
    CATALOGUE.correct(conn, ctx, id, |_, before| edit(before), store)
}
