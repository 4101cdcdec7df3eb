//! Contact persons (rule 7): personal data. Reporters edit their own organisation's only; an
//! inactive organisation takes no new contact; an erased person stays erased.

use utblick_db::DbConn;
use utblick_db::contacts as repo;
use utblick_db::models::{ContactFields, ContactRow};
use utblick_domain::Action;
use utblick_domain::governance::{Contact, check_not_erased};

use crate::{AppError, Ctx, Done, Event};

const ENTITY: &str = "contact";

fn fields(organisation_id: i64, c: &Contact) -> ContactFields {
    ContactFields {
        organisation_id,
        name: c.name.as_str().to_owned(),
        title: c.title.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        network_role: c.network_role.clone(),
        term_from: c.term_from,
        term_to: c.term_to,
    }
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<ContactRow, AppError> {
    repo::get_contact(conn, id)?.ok_or_else(|| AppError::NotFound(format!("contact {id}")))
}

/// Which fields changed, without the personal data itself: the audit log names the fields,
/// not their values.
fn changed_fields(before: &ContactRow, after: &ContactRow) -> serde_json::Value {
    let mut out = Vec::new();
    if before.organisation_id != after.organisation_id {
        out.push("organisation_id");
    }
    for (name, b, a) in [
        ("name", Some(&before.name), Some(&after.name)),
        ("title", before.title.as_ref(), after.title.as_ref()),
        ("email", before.email.as_ref(), after.email.as_ref()),
        ("phone", before.phone.as_ref(), after.phone.as_ref()),
        ("network_role", before.network_role.as_ref(), after.network_role.as_ref()),
    ] {
        if b != a {
            out.push(name);
        }
    }
    serde_json::json!({
        "changed": out,
        "organisation_id": {"before": before.organisation_id, "after": after.organisation_id},
        "term": {"before": [before.term_from, before.term_to], "after": [after.term_from, after.term_to]},
    })
}

/// Adds a contact person to an active organisation the caller may edit.
pub fn create(
    conn: &mut DbConn,
    ctx: &Ctx,
    organisation_id: i64,
    c: &Contact,
) -> Result<Done<ContactRow>, AppError> {
    ctx.require(Action::EditOrganisationData { organisation_id })?;
    crate::organisations::takes_new_work(conn, "organisation_id", organisation_id)?;
    let row = repo::insert_contact(conn, &fields(organisation_id, c), ctx.now)?;
    let event =
        Event::new(ENTITY, "created", row.id, serde_json::json!({"organisation_id": row.organisation_id}));
    Ok(Done::new(row, event))
}

/// Changes a contact person; `edit` gives the organisation and the person from the stored
/// row. A reporter may neither touch another organisation's contact nor move one there.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ContactRow) -> Result<(i64, Contact), AppError>,
) -> Result<Done<ContactRow>, AppError> {
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.organisation_id })?;
    check_not_erased(before.erased_at.is_some())?;
    let (organisation_id, c) = edit(&before)?;
    ctx.require(Action::EditOrganisationData { organisation_id })?;
    crate::organisations::takes_new_work(conn, "organisation_id", organisation_id)?;
    let version = ctx.expected_version()?;
    let after = repo::update_contact(conn, id, version, &fields(organisation_id, &c), ctx.now)?
        .ok_or(AppError::PreconditionFailed)?;
    let changes = changed_fields(&before, &after);
    Ok(Done::new(after, Event::new(ENTITY, "updated", id, changes)))
}

/// Erases a person on request (GDPR): the name and contact details are replaced; the row
/// and everything that refers to it stay.
pub fn erase(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Done<ContactRow>, AppError> {
    ctx.require(Action::ReadPersonalData)?;
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.organisation_id })?;
    let version = ctx.expected_version()?;
    let after = repo::erase_contact(conn, id, version, ctx.now)?.ok_or(AppError::PreconditionFailed)?;
    let changes = serde_json::json!({"erased": ["name", "title", "email", "phone"]});
    Ok(Done::new(after, Event::new(ENTITY, "erased", id, changes)))
}
