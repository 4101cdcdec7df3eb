//! Twin towns (rule 6): propose, correct, change status with the council's decision, archive.

use utblick_db::DbConn;
use utblick_db::models::{TwinTownFields, TwinTownRow};
use utblick_db::twin_towns as repo;
use utblick_domain::Action;
use utblick_domain::governance::{TwinTown, TwinTownStatus};

use crate::archive::Archivable;
use crate::{AppError, Ctx, Done, Event, Register, diff, stored};

const ENTITY: &str = "twin_town";

fn fields(t: &TwinTown) -> TwinTownFields {
    TwinTownFields {
        town: t.town().to_owned(),
        country: t.country().to_owned(),
        region: t.region().map(str::to_owned),
        since: t.since(),
    }
}

fn snapshot(t: &TwinTownRow) -> serde_json::Value {
    serde_json::json!({"town": t.town, "country": t.country, "region": t.region, "since": t.since,
        "status": t.status, "status_decision_id": t.status_decision_id, "archived_at": t.archived_at})
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<TwinTownRow, AppError> {
    repo::get_twin_town(conn, id)?.ok_or_else(|| AppError::NotFound(format!("twin town {id}")))
}

const REGISTER: Register<TwinTownRow> = Register { entity: ENTITY, snapshot, load };

/// Proposes a twin town; it starts as proposed.
pub fn create(conn: &mut DbConn, ctx: &Ctx, t: &TwinTown) -> Result<Done<TwinTownRow>, AppError> {
    REGISTER.create(conn, ctx, |conn| repo::insert_twin_town(conn, &fields(t), ctx.now), |r| r.id)
}

/// Corrects a twin town's description; `edit` makes it from the stored one.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&TwinTownRow) -> Result<TwinTown, AppError>,
) -> Result<Done<TwinTownRow>, AppError> {
    let store = |conn: &mut DbConn, version, t: &TwinTown| {
        repo::update_twin_town(conn, id, version, &fields(t), ctx.now)
    };
    REGISTER.correct(conn, ctx, id, |_, before| edit(before), store)
}

/// Changes a twin town's status as the domain allows; becoming active and ending refer to
/// the council's decision in the register (`decision_id`).
pub fn change_status(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    to: TwinTownStatus,
    decision_id: Option<i64>,
) -> Result<Done<TwinTownRow>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let before = load(conn, id)?;
    let decision = crate::decisions::registered(conn, "decision_id", decision_id)?;
    let from = stored(TwinTownStatus::parse(&before.status))?;
    let (status, since) = from.change(to, decision.as_ref(), before.since)?;
    let version = ctx.expected_version()?;
    let after = repo::set_twin_town_status(conn, id, version, status.code(), decision_id, since, ctx.now)?
        .ok_or(AppError::PreconditionFailed)?;
    let changes = diff(&snapshot(&before), &snapshot(&after));
    Ok(Done::new(after, Event::new(ENTITY, "status_changed", id, changes)))
}

/// Archiving twin towns: coordinators and administrators.
pub const ARCHIVE: Archivable<TwinTownRow> = Archivable {
    entity: ENTITY,
    action: |_| Action::EditProgrammeDomain,
    get: repo::get_twin_town,
    set: repo::set_twin_town_archived,
    archived_at: |t| t.archived_at,
};
