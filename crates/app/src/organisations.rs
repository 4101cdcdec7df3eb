//! Organisations (rule 7): administrations, companies and their departments. Never deleted:
//! an organisation is deactivated, keeps its records and takes no new work.

use utblick_db::DbConn;
use utblick_db::identity as repo;
use utblick_db::models::{OrganisationFields, OrganisationRow};
use utblick_domain::Action;
use utblick_domain::governance::check_takes_new_work;
use utblick_domain::organisation::{MAX_DEPTH, Organisation, check_parent_chain};

use crate::{AppError, Ctx, Done, Event, Register};

const ENTITY: &str = "organisation";
const REGISTER: Register<OrganisationRow> = Register { entity: ENTITY, snapshot, load };

/// The organisation `id` exists and is active, so it may take new work (`field` names the
/// input that points at it).
pub fn takes_new_work(conn: &mut DbConn, field: &str, id: i64) -> Result<(), AppError> {
    let active = repo::get_organisation(conn, id)?.map(|o| o.active);
    Ok(check_takes_new_work(field, active)?)
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<OrganisationRow, AppError> {
    repo::get_organisation(conn, id)?.ok_or_else(|| AppError::NotFound(format!("organisation {id}")))
}

/// A department's parent takes new work, and is neither the organisation itself nor one of
/// its own departments.
fn check_parent(conn: &mut DbConn, id: Option<i64>, parent: Option<i64>) -> Result<(), AppError> {
    let Some(first) = parent else { return Ok(()) };
    takes_new_work(conn, "parent_id", first)?;
    let mut chain = vec![first];
    while let Some(next) = repo::get_organisation(conn, chain[chain.len() - 1])?.and_then(|o| o.parent_id) {
        chain.push(next);
        if chain.len() > MAX_DEPTH || id == Some(next) {
            break;
        }
    }
    Ok(check_parent_chain(id, &chain)?)
}

fn snapshot(o: &OrganisationRow) -> serde_json::Value {
    serde_json::json!({"name": o.name, "kind": o.kind, "parent_id": o.parent_id, "external_id": o.external_id, "active": o.active})
}

/// Registers an organisation (active).
pub fn create(conn: &mut DbConn, ctx: &Ctx, o: &Organisation) -> Result<Done<OrganisationRow>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    check_parent(conn, None, o.parent_id)?;
    let row = repo::insert_organisation(conn, o.name.as_str(), o.kind.code(), ctx.now)?;
    let row = repo::set_organisation_links(conn, row.id, o.parent_id, o.external_id.as_deref())?;
    let changes = serde_json::json!({"name": row.name, "kind": row.kind, "parent_id": row.parent_id, "external_id": row.external_id});
    Ok(Done::new(row.clone(), Event::new(ENTITY, "created", row.id, changes)))
}

/// Changes an organisation (name, kind, parent, external id, active); `edit` makes it from
/// the stored one.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&OrganisationRow) -> Result<Organisation, AppError>,
) -> Result<Done<OrganisationRow>, AppError> {
    let edit = |conn: &mut DbConn, before: &OrganisationRow| {
        let o = edit(before)?;
        if o.parent_id != before.parent_id {
            check_parent(conn, Some(id), o.parent_id)?;
        }
        Ok(o)
    };
    let store = |conn: &mut DbConn, version, o: &Organisation| {
        let fields = OrganisationFields {
            name: o.name.as_str().to_owned(),
            kind: o.kind.code().to_owned(),
            parent_id: o.parent_id,
            external_id: o.external_id.clone(),
            active: o.active,
        };
        repo::update_organisation(conn, id, version, &fields, ctx.now)
    };
    REGISTER.correct(conn, ctx, id, edit, store)
}
