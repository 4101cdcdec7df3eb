//! Collaborations and network memberships (rule 6): owned by an active organisation,
//! represented by a contact person, active only with the council's decision, archived.

use utblick_db::DbConn;
use utblick_db::collaborations as repo;
use utblick_db::models::{CollaborationFields, CollaborationRow, PartnerFields, PartnerRow};
use utblick_domain::Action;
use utblick_domain::error::Collector;
use utblick_domain::governance::{Collaboration, CollaborationStatus};

use crate::archive::Archivable;
use crate::{AppError, Ctx, Done, Event, stored};

const ENTITY: &str = "collaboration";

/// A collaboration with its partners, as stored.
pub type Record = (CollaborationRow, Vec<PartnerRow>);

/// A collaboration as the caller writes it: its owner, its representative, and the rest.
#[derive(Debug, Clone)]
pub struct Draft {
    pub owner_organisation_id: i64,
    pub representative_contact_id: Option<i64>,
    pub collaboration: Collaboration,
}

fn fields(d: &Draft) -> (CollaborationFields, Vec<PartnerFields>) {
    let c = &d.collaboration;
    let partners = c
        .partners
        .iter()
        .map(|p| PartnerFields {
            name: p.name.as_str().to_owned(),
            country: p.country.as_str().to_owned(),
            kind: p.kind.code().to_owned(),
        })
        .collect();
    let f = CollaborationFields {
        kind: c.kind.code().to_owned(),
        name: c.name.as_str().to_owned(),
        owner_organisation_id: d.owner_organisation_id,
        purpose: c.purpose.as_str().to_owned(),
        period_from: c.period_from,
        period_to: c.period_to,
        representative_contact_id: d.representative_contact_id,
    };
    (f, partners)
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<Record, AppError> {
    repo::get_collaboration(conn, id)?.ok_or_else(|| AppError::NotFound(format!("collaboration {id}")))
}

/// The owner takes new work (rule 7); the representative is a contact person, not erased.
fn check_links(conn: &mut DbConn, d: &Draft) -> Result<(), AppError> {
    let mut c = Collector::new();
    crate::refs::takes_work(conn, &mut c, "owner_organisation_id", d.owner_organisation_id)?;
    if let Some(cid) = d.representative_contact_id
        && utblick_db::contacts::get_contact(conn, cid)?.filter(|x| x.erased_at.is_none()).is_none()
    {
        c.push(crate::refs::not_there(
            "representative_contact_id",
            "is not a contact person",
            "är ingen kontaktperson",
        ));
    }
    Ok(c.finish()?)
}

/// Registers a collaboration of an organisation the caller may edit.
pub fn create(conn: &mut DbConn, ctx: &Ctx, d: &Draft) -> Result<Done<Record>, AppError> {
    ctx.require(Action::EditOrganisationData { organisation_id: d.owner_organisation_id })?;
    check_links(conn, d)?;
    let (f, partners) = fields(d);
    let id = repo::insert_collaboration(conn, &f, &partners, ctx.now)?;
    let changes =
        serde_json::json!({"kind": f.kind, "name": f.name, "owner_organisation_id": f.owner_organisation_id});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "created", id, changes)))
}

/// Changes a collaboration's description and partners; `edit` makes it from the stored one.
/// The caller may edit both the owner before and the owner after.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&Record) -> Result<Draft, AppError>,
) -> Result<Done<Record>, AppError> {
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.0.owner_organisation_id })?;
    let d = edit(&before)?;
    ctx.require(Action::EditOrganisationData { organisation_id: d.owner_organisation_id })?;
    check_links(conn, &d)?;
    let version = ctx.expected_version()?;
    let (f, partners) = fields(&d);
    if !repo::update_collaboration(conn, id, version, &f, &partners, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let changes = serde_json::json!({
        "name": {"before": before.0.name, "after": f.name},
        "owner_organisation_id": {"before": before.0.owner_organisation_id, "after": f.owner_organisation_id},
    });
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "updated", id, changes)))
}

/// Changes a collaboration's status as the domain allows: becoming active refers to the
/// council's decision in the register; the decision stays recorded when it ends.
pub fn change_status(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    to: CollaborationStatus,
    decision_id: Option<i64>,
) -> Result<Done<Record>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let (before, _) = load(conn, id)?;
    let from = stored(CollaborationStatus::parse(&before.status))?;
    let decision = crate::decisions::registered(conn, "decision_id", decision_id)?;
    from.change_to(to, decision.as_ref())?;
    let version = ctx.expected_version()?;
    let decision_id = if decision.is_some() { decision_id } else { before.status_decision_id };
    if !repo::set_collaboration_status(conn, id, version, to.code(), decision_id, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let changes = serde_json::json!({"status": {"before": before.status, "after": to.code()}, "decision_id": decision_id});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "status_changed", id, changes)))
}

/// Archiving collaborations: coordinators and administrators.
pub const ARCHIVE: Archivable<Record> = Archivable {
    entity: ENTITY,
    action: |_| Action::EditProgrammeDomain,
    get: repo::get_collaboration,
    set: repo::set_collaboration_archived,
    archived_at: |r| r.0.archived_at,
};
