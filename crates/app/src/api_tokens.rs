//! API tokens for machines (the styrkort system, IT's scripts): created by administrators,
//! shown once, revoked — one at a time or every token a person created.

use utblick_db::DbConn;
use utblick_db::identity::{self as repo, ApiTokenWithCreator};
use utblick_db::models::NewApiTokenRow;
use utblick_domain::access::NewToken;
use utblick_domain::{Action, Principal};

use crate::{AppError, Ctx, Done, Event};

const ENTITY: &str = "api_token";

/// A token's secret as stored: the prefix that finds it and the hash that checks it.
#[derive(Debug, Clone)]
pub struct Secret {
    pub prefix: String,
    pub hash: String,
}

fn load(conn: &mut DbConn, id: i64) -> Result<ApiTokenWithCreator, AppError> {
    repo::get_api_token_with_creator(conn, id)?.ok_or_else(|| AppError::NotFound(format!("API token {id}")))
}

/// Creates a token for the signed-in administrator.
pub fn create(
    conn: &mut DbConn,
    ctx: &Ctx,
    t: &NewToken,
    secret: &Secret,
) -> Result<Done<ApiTokenWithCreator>, AppError> {
    ctx.require(Action::ManageTokens)?;
    let Principal::User { id: creator, .. } = ctx.principal else { return Err(AppError::Forbidden) };
    let scopes = t.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(",");
    let row = repo::insert_api_token(
        conn,
        &NewApiTokenRow {
            name: t.name.as_str(),
            prefix: &secret.prefix,
            token_hash: &secret.hash,
            scopes: &scopes,
            created_by: creator,
            created_at: ctx.now,
            expires_at: t.expires_at,
        },
    )?;
    let changes = serde_json::json!({"name": row.name, "prefix": row.prefix, "scopes": row.scopes, "expires_at": row.expires_at});
    Ok(Done::new(load(conn, row.id)?, Event::new(ENTITY, "created", row.id, changes)))
}

/// Revokes a token: it stops working at once. Revoking a revoked token changes nothing and
/// records nothing.
pub fn revoke(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Done<ApiTokenWithCreator>, AppError> {
    ctx.require(Action::ManageTokens)?;
    load(conn, id)?;
    let stopped = repo::revoke_api_token(conn, id, ctx.now)?;
    let events =
        stopped.then(|| Event::new(ENTITY, "revoked", id, serde_json::json!({}))).into_iter().collect();
    Ok(Done::many(load(conn, id)?, events))
}

/// Revokes every token a person created (when they leave, their tokens would otherwise keep
/// working); the ids of those that worked until now, one audit event each.
pub fn revoke_all_of(conn: &mut DbConn, ctx: &Ctx, user: i64) -> Result<Done<Vec<i64>>, AppError> {
    ctx.require(Action::ManageTokens)?;
    repo::get_user(conn, user)?.ok_or_else(|| AppError::NotFound(format!("user {user}")))?;
    let ids = repo::revoke_api_tokens_of(conn, user, ctx.now)?;
    let why = serde_json::json!({"reason": "every token of its creator revoked", "created_by": user});
    let events = ids.iter().map(|id| Event::new(ENTITY, "revoked", *id, why.clone())).collect();
    Ok(Done::many(ids, events))
}
