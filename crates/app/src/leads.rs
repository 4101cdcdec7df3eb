//! The horizon-scanning log: contact persons record leads for their organisation; a lead
//! becomes a project idea in one step, and the two stay linked.

use utblick_db::DbConn;
use utblick_db::leads as repo;
use utblick_db::models::{LeadFields, LeadRecord, ProjectRecord};
use utblick_domain::error::Collector;
use utblick_domain::lead::{Lead, LeadInput};
use utblick_domain::project::Project;
use utblick_domain::{Action, FieldError};

use crate::archive::Archivable;
use crate::{AppError, Ctx, Done, Event, refs};

const ENTITY: &str = "lead";

/// A lead as the caller writes it: the organisation that records it, and the rest.
#[derive(Debug, Clone)]
pub struct Draft {
    pub organisation_id: i64,
    pub lead: Lead,
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<LeadRecord, AppError> {
    repo::get_lead(conn, id)?.ok_or_else(|| AppError::NotFound(format!("lead {id}")))
}

/// A stored lead's input (an edit starts from it).
pub fn input_of(r: &LeadRecord) -> LeadInput {
    let l = &r.lead;
    LeadInput {
        title: l.title.clone(),
        kind: l.kind.clone(),
        description: l.description.clone(),
        source_link: l.source_link.clone(),
        deadline: l.deadline,
        funding_programme_id: l.funding_programme_id,
        concerns: r.concerns.clone(),
    }
}

fn fields(d: &Draft) -> LeadFields {
    let l = &d.lead;
    LeadFields {
        title: l.title.as_str().to_owned(),
        kind: l.kind.code().to_owned(),
        description: l.description.as_str().to_owned(),
        source_link: l.source_link.clone(),
        deadline: l.deadline,
        funding_programme_id: l.funding_programme_id,
        organisation_id: d.organisation_id,
    }
}

/// The organisation takes new work; the organisations concerned exist; the funding
/// programme is an active one of the catalogue.
fn check_links(conn: &mut DbConn, d: &Draft) -> Result<(), AppError> {
    let mut c = Collector::new();
    refs::takes_work(conn, &mut c, "organisation_id", d.organisation_id)?;
    for (at, org) in d.lead.concerns.iter().enumerate() {
        if utblick_db::identity::get_organisation(conn, *org)?.is_none() {
            c.push(refs::not_there(
                &format!("concerns[{at}]"),
                "is not an organisation",
                "är ingen organisation",
            ));
        }
    }
    let programme: Vec<i64> = d.lead.funding_programme_id.into_iter().collect();
    if !utblick_db::projects::funding_programmes_missing(conn, &programme)?.is_empty() {
        let (en, sv) = (
            "is not an active funding programme of the catalogue",
            "är inget aktivt finansieringsprogram i katalogen",
        );
        c.push(refs::not_there("funding_programme_id", en, sv));
    }
    Ok(c.finish()?)
}

fn snapshot(r: &LeadRecord) -> serde_json::Value {
    let l = &r.lead;
    serde_json::json!({"title": l.title, "kind": l.kind, "deadline": l.deadline, "source_link": l.source_link,
        "organisation_id": l.organisation_id, "concerns": r.concerns, "project_id": l.project_id})
}

/// Records a lead of an organisation the caller may edit.
pub fn create(conn: &mut DbConn, ctx: &Ctx, d: &Draft) -> Result<Done<LeadRecord>, AppError> {
    ctx.require(Action::EditOrganisationData { organisation_id: d.organisation_id })?;
    check_links(conn, d)?;
    let id = repo::insert_lead(conn, &fields(d), &d.lead.concerns, ctx.now)?;
    let rec = load(conn, id)?;
    let event = Event::new(ENTITY, "created", id, snapshot(&rec));
    Ok(Done::new(rec, event))
}

/// Corrects a lead; the caller may edit both the organisation before and after.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&LeadRecord) -> Result<Draft, AppError>,
) -> Result<Done<LeadRecord>, AppError> {
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.lead.organisation_id })?;
    let d = edit(&before)?;
    ctx.require(Action::EditOrganisationData { organisation_id: d.organisation_id })?;
    check_links(conn, &d)?;
    if !repo::update_lead(conn, id, ctx.expected_version()?, &fields(&d), &d.lead.concerns, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = load(conn, id)?;
    let changes = crate::diff(&snapshot(&before), &snapshot(&after));
    Ok(Done::new(after, Event::new(ENTITY, "updated", id, changes)))
}

/// Turns a lead into a project idea of the lead's organisation: the idea takes the lead's
/// title and description, and the caller's kind of work and programme fit (`project`); the
/// lead keeps the link. A lead becomes one project.
pub fn to_project(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    project: &Project,
) -> Result<Done<ProjectRecord>, AppError> {
    let lead = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: lead.lead.organisation_id })?;
    if let Some(p) = lead.lead.project_id {
        return Err(FieldError::rule(
            "project",
            "already_a_project",
            "this lead is already a project",
            "spaningen är redan ett projekt",
        )
        .with("project_id", p)
        .of_state()
        .into());
    }
    let version = ctx.expected_version()?;
    let draft = crate::projects::Draft {
        owner_organisation_id: lead.lead.organisation_id,
        contact_id: None,
        external_id: None,
        project: project.clone(),
    };
    let mut done = crate::projects::create(conn, ctx, &draft)?;
    let project_id = done.record.project.id;
    if !repo::set_lead_project(conn, id, version, project_id, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    done.events.push(Event::new(ENTITY, "became_project", id, serde_json::json!({"project_id": project_id})));
    Ok(done)
}

/// Archiving leads: whoever may edit the organisation's data.
pub const ARCHIVE: Archivable<LeadRecord> = Archivable {
    entity: ENTITY,
    action: |r| Action::EditOrganisationData { organisation_id: r.lead.organisation_id },
    get: repo::get_lead,
    set: repo::set_lead_archived,
    archived_at: |r| r.lead.archived_at,
};
