//! The decisions register (rule 6): register, correct, archive.

use utblick_db::DbConn;
use utblick_db::decisions as repo;
use utblick_db::models::{DecisionFields, DecisionRow};
use utblick_domain::Action;
use utblick_domain::governance::{Decision, DecisionInput};

use crate::archive::Archivable;
use crate::{AppError, Ctx, Done, Register};

const ENTITY: &str = "decision";

/// What the repository stores of a decision the domain accepted.
pub fn fields(d: &Decision) -> DecisionFields {
    DecisionFields {
        body: d.body().code().to_owned(),
        decided_on: d.date(),
        paragraph: d.paragraph().to_owned(),
        diarienummer: d.diarienummer().to_string(),
        subject: d.subject().to_owned(),
        link: d.link().map(str::to_owned),
        diarienummer_as_registered: d.diarienummer().as_registered().to_owned(),
    }
}

/// A stored decision as the domain's type.
pub fn parse_stored(d: &DecisionRow) -> Result<Decision, AppError> {
    Decision::parse(&DecisionInput {
        body: d.body.clone(),
        date: Some(d.decided_on),
        paragraph: d.paragraph.clone(),
        diarienummer: d.diarienummer_as_registered.clone(),
        subject: d.subject.clone(),
        link: d.link.clone(),
    })
    .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(format!("{e:?}"))))
}

/// The decision with this id from the register, not archived: what a change of status
/// refers to. `field` names the input that pointed at it.
pub fn registered(conn: &mut DbConn, field: &str, id: Option<i64>) -> Result<Option<Decision>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let d = repo::get_decision(conn, id)?.filter(|d| d.archived_at.is_none()).ok_or_else(|| {
        utblick_domain::FieldError::rule(
            field,
            "not_registered",
            "is not a decision in the register",
            "är inget beslut i beslutsregistret",
        )
        .of_state()
    })?;
    parse_stored(&d).map(Some)
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<DecisionRow, AppError> {
    repo::get_decision(conn, id)?.ok_or_else(|| AppError::NotFound(format!("decision {id}")))
}

fn snapshot(d: &DecisionRow) -> serde_json::Value {
    serde_json::json!({
        "body": d.body, "decided_on": d.decided_on, "paragraph": d.paragraph,
        "diarienummer": d.diarienummer_as_registered, "subject": d.subject, "link": d.link, "archived_at": d.archived_at,
    })
}

const REGISTER: Register<DecisionRow> = Register { entity: ENTITY, snapshot, load };

/// Registers a decision.
pub fn create(conn: &mut DbConn, ctx: &Ctx, d: &Decision) -> Result<Done<DecisionRow>, AppError> {
    REGISTER.create(conn, ctx, |conn| repo::insert_decision(conn, &fields(d), ctx.now), |r| r.id)
}

/// Corrects a decision's registration; `edit` makes the corrected decision from the stored
/// one (a merge patch applied to it).
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&DecisionRow) -> Result<Decision, AppError>,
) -> Result<Done<DecisionRow>, AppError> {
    let store = |conn: &mut DbConn, version, d: &Decision| {
        repo::update_decision(conn, id, version, &fields(d), ctx.now)
    };
    REGISTER.correct(conn, ctx, id, |_, before| edit(before), store)
}

/// Archiving decisions: coordinators and administrators.
pub const ARCHIVE: Archivable<DecisionRow> = Archivable {
    entity: ENTITY,
    action: |_| Action::EditProgrammeDomain,
    get: repo::get_decision,
    set: repo::set_decision_archived,
    archived_at: |d| d.archived_at,
};
