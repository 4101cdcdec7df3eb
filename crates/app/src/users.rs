//! People's accounts, managed by administrators: create, change (name, role, organisation,
//! active), reset a lost password. Deactivating or resetting ends the person's sessions.

use utblick_db::DbConn;
use utblick_db::identity::{self as repo, UserChanges};
use utblick_db::models::{NewUserRow, UserRow};
use utblick_domain::access::{check_own_account_change, check_reset_of_other, check_role_binding};
use utblick_domain::error::Collector;
use utblick_domain::{Action, Email, NonEmptyText, Principal, Role};

use crate::{AppError, Ctx, Done, Event, diff, stored};

const ENTITY: &str = "user";

/// An account as an administrator writes it.
#[derive(Debug, Clone)]
pub struct Account {
    pub display_name: NonEmptyText,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub active: bool,
}

fn snapshot(u: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "email": u.email, "display_name": u.display_name, "role": u.role,
        "organisation_id": u.organisation_id, "active": u.active, "role_source": u.role_source,
    })
}

fn acting(ctx: &Ctx) -> Option<i64> {
    match ctx.principal {
        Principal::User { id, .. } => Some(id),
        _ => None,
    }
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<UserRow, AppError> {
    repo::get_user(conn, id)?.ok_or_else(|| AppError::NotFound(format!("user {id}")))
}

/// The role fits the organisation binding, and a new binding names an organisation that
/// takes new work.
fn check_binding(conn: &mut DbConn, a: &Account, before: Option<i64>) -> Result<(), AppError> {
    let mut c = Collector::new();
    c.take(check_role_binding(a.role, a.organisation_id));
    if let Some(org) = a.organisation_id.filter(|o| Some(*o) != before)
        && let Err(AppError::Invalid(e)) = crate::organisations::takes_new_work(conn, "organisation_id", org)
    {
        e.0.into_iter().for_each(|f| c.push(f));
    }
    Ok(c.finish()?)
}

/// Creates an account with a first password (already hashed) that must be changed at the
/// first sign-in.
pub fn create(
    conn: &mut DbConn,
    ctx: &Ctx,
    email: &Email,
    a: &Account,
    password_hash: &str,
) -> Result<Done<UserRow>, AppError> {
    ctx.require(Action::ManageUsers)?;
    check_binding(conn, a, None)?;
    let user = repo::insert_user(
        conn,
        &NewUserRow {
            email: email.as_str(),
            display_name: a.display_name.as_str(),
            role: a.role.code(),
            organisation_id: a.organisation_id,
            active: true,
            password_hash,
            must_change_password: true,
            version: 1,
            created_at: ctx.now,
            updated_at: ctx.now,
        },
    )?;
    let event = Event::new(ENTITY, "created", user.id, snapshot(&user));
    Ok(Done::new(user, event))
}

/// Changes an account; `edit` makes it from the stored one. Deactivating ends the person's
/// sessions at once; a role change applies from their next request.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&UserRow, Role) -> Result<Account, AppError>,
) -> Result<Done<UserRow>, AppError> {
    ctx.require(Action::ManageUsers)?;
    let before = load(conn, id)?;
    let a = edit(&before, stored(Role::parse(&before.role))?)?;
    check_own_account_change(acting(ctx), id, a.role, a.active)?;
    check_binding(conn, &a, before.organisation_id)?;
    let version = ctx.expected_version()?;
    let changes = UserChanges {
        display_name: Some(a.display_name.as_str().to_owned()),
        role: Some(a.role.code().to_owned()),
        organisation_id: Some(a.organisation_id),
        active: Some(a.active),
    };
    let mut after =
        repo::update_user(conn, id, version, &changes, ctx.now)?.ok_or(AppError::PreconditionFailed)?;
    // An account of the identity provider whose access an administrator sets (approving one
    // that waits, or changing the groups' role) keeps it while no group gives another.
    let access_changed = (before.role.as_str(), before.organisation_id, before.active)
        != (after.role.as_str(), after.organisation_id, after.active);
    if before.oidc_subject.is_some() && access_changed {
        let source = utblick_domain::oidc::RoleSource::Administrator.code();
        utblick_db::oidc::set_role_source(conn, id, source)?;
        after.role_source = source.to_owned();
    }
    if before.active && !after.active {
        repo::revoke_user_sessions(conn, id, None, "deactivated", ctx.now)?;
    }
    Ok(Done::new(
        after.clone(),
        Event::new(ENTITY, "updated", id, diff(&snapshot(&before), &snapshot(&after))),
    ))
}

/// Sets a new password (already hashed) for someone who lost theirs: their sessions end and
/// they must change it at their next sign-in.
pub fn reset_password(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    password_hash: &str,
) -> Result<Done<UserRow>, AppError> {
    ctx.require(Action::ManageUsers)?;
    check_reset_of_other(acting(ctx), id)?;
    load(conn, id)?;
    repo::set_password(conn, id, password_hash, true, ctx.now)?;
    let ended = repo::revoke_user_sessions(conn, id, None, "password reset", ctx.now)?;
    let event = Event::new(ENTITY, "password_reset", id, serde_json::json!({"sessions_ended": ended}));
    Ok(Done::new(load(conn, id)?, event))
}

/// Sets the signed-in person's own new password (already hashed, its policy and the current
/// password checked): their other sessions end, the session `keep` goes on.
pub fn change_own_password(
    conn: &mut DbConn,
    ctx: &Ctx,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<Done<UserRow>, AppError> {
    ctx.require(Action::OwnAccount)?;
    let id = acting(ctx).ok_or(AppError::Forbidden)?;
    repo::set_password(conn, id, password_hash, false, ctx.now)?;
    let ended = repo::revoke_user_sessions(conn, id, keep, "password changed", ctx.now)?;
    let event =
        Event::new(ENTITY, "password_changed", id, serde_json::json!({"other_sessions_ended": ended}));
    Ok(Done::new(load(conn, id)?, event))
}
