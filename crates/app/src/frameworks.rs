//! Goal frameworks: Europa 2020, the municipality's development plan, Agenda 2030 — what the
//! programme, its projects and the reports link their goals to. A framework is added whole,
//! with its goals.

use utblick_db::DbConn;
use utblick_db::frameworks as repo;
use utblick_db::models::FrameworkRecord;
use utblick_domain::{Action, GoalFramework};

use crate::{AppError, Ctx, Done, Event};

pub fn load(conn: &mut DbConn, id: i64) -> Result<FrameworkRecord, AppError> {
    repo::get_framework(conn, id)?.ok_or_else(|| AppError::NotFound(format!("framework {id}")))
}

/// Adds a framework with its goals (coordinators and administrators).
pub fn create(conn: &mut DbConn, ctx: &Ctx, f: &GoalFramework) -> Result<Done<FrameworkRecord>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let id = repo::insert_framework(conn, f, ctx.now)?;
    let changes = serde_json::json!({"code": f.code(), "name": f.name(), "goals": f.goals().len()});
    Ok(Done::new(load(conn, id)?, Event::new("framework", "created", id, changes)))
}
