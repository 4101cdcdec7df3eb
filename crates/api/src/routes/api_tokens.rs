//! API tokens for machines (the styrkort system, IT scripts): created by administrators,
//! shown once, stored as a hash, revocable at once.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::identity::{self, ApiTokenWithCreator};
use utblick_db::models::{ApiTokenRow, NewApiTokenRow};
use utblick_db::{DbError, DbPool};
use utblick_domain::access::{TokenState, token_state};
use utblick_domain::error::Collector;
use utblick_domain::{Action, FieldError, NonEmptyText, Scope};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::auth::secrets::{new_api_token, sha256_hex};
use crate::codes::schema;
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::{ApiError, Problem};
use crate::routes::{load_page, with_conn};

/// A token as listed (never the secret), with who created it and whether it works now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenDto {
    pub id: i64,
    #[schema(example = "Styrkort (Stratsys)")]
    pub name: String,
    /// The recognisable start of the token: `utb_<prefix>_…`.
    #[schema(example = "3fa85f64")]
    pub prefix: String,
    #[schema(value_type = Vec<schema::Scope>)]
    pub scopes: Vec<Scope>,
    #[schema(value_type = schema::TokenState)]
    pub state: TokenState,
    pub created_by: i64,
    /// The creator's name.
    pub created_by_name: String,
    pub created_by_email: String,
    /// Whether the creator's account is active. A token outlives its creator's account (it
    /// belongs to the integration it serves) until an administrator revokes it.
    pub created_by_active: bool,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiTokenDto {
    fn new(
        t: ApiTokenRow,
        creator_name: String,
        creator_email: String,
        creator_active: bool,
    ) -> Result<Self, ApiError> {
        let scopes = Scope::parse_list(t.scopes.split(',')).map_err(|e| ApiError::Internal(e.to_string()))?;
        let state = token_state(t.revoked_at.is_some(), t.expires_at, Utc::now().naive_utc());
        Ok(Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            scopes,
            state,
            created_by: t.created_by,
            created_by_name: creator_name,
            created_by_email: creator_email,
            created_by_active: creator_active,
            created_at: t.created_at.and_utc(),
            expires_at: t.expires_at.map(|d| d.and_utc()),
            last_used_at: t.last_used_at.map(|d| d.and_utc()),
            revoked_at: t.revoked_at.map(|d| d.and_utc()),
        })
    }
}

impl TryFrom<ApiTokenWithCreator> for ApiTokenDto {
    type Error = ApiError;
    fn try_from((t, name, email, active): ApiTokenWithCreator) -> Result<Self, ApiError> {
        Self::new(t, name, email, active)
    }
}

/// A new token, with its secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    #[serde(flatten)]
    pub info: ApiTokenDto,
    /// Send as `Authorization: Bearer <token>`. Store it now: it cannot be shown again.
    #[schema(example = "utb_3fa85f64_0123456789abcdef0123456789abcdef01234567")]
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiToken {
    /// What the token is for.
    #[schema(example = "Styrkort (Stratsys)", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_items = 1, value_type = Vec<schema::Scope>)]
    pub scopes: Vec<Scope>,
    /// When the token stops working; none means until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A page of tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenPage {
    pub items: Vec<ApiTokenDto>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// List API tokens, newest first, with when each was last used.
#[utoipa::path(
    tag = "api-tokens",
    operation_id = "list_api_tokens",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of tokens.", body = ApiTokenPage),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api-tokens")]
pub async fn list_api_tokens(
    pool: web::Data<DbPool>,
    caller: Caller,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageTokens)?;
    let (rows, page) = load_page(&pool, &q, identity::count_api_tokens, identity::list_api_tokens).await?;
    let items = rows.into_iter().map(ApiTokenDto::try_from).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(ApiTokenPage { items, page }))
}

/// Create an API token. The answer holds the token itself, this once.
#[utoipa::path(
    tag = "api-tokens",
    operation_id = "create_api_token",
    request_body = NewApiToken,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; copy `token` now.", body = CreatedApiToken),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-tokens")]
pub async fn create_api_token(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<NewApiToken>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageTokens)?;
    let me = caller.user()?.clone();
    let creator = me.id;
    let body = body.into_inner();
    let t = Utc::now();
    let mut c = Collector::new();
    let name = c.take(NonEmptyText::title("name", &body.name));
    let mut scopes: Vec<Scope> = body.scopes.clone();
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        c.push(FieldError::new("scopes", "a token needs at least one scope"));
    }
    if body.expires_at.is_some_and(|e| e <= t) {
        c.push(FieldError::new("expires_at", "must be in the future"));
    }
    if let Some(e) = body.expires_at {
        c.take(utblick_domain::date::check_moment("expires_at", e.naive_utc()));
    }
    c.finish()?;
    let Some(name) = name else { return Err(ApiError::Internal("validated".into())) };
    let (token, prefix) = new_api_token();
    let hash = sha256_hex(&token);
    let scopes_text = scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(",");
    let (audit, now) = (caller.audit.clone(), t.naive_utc());
    let expires_at = body.expires_at.map(|e| e.naive_utc());
    let row = with_conn(&pool, move |conn| {
        utblick_db::write_transaction::<_, DbError, _>(conn, |conn| {
            let row = identity::insert_api_token(
                conn,
                &NewApiTokenRow {
                    name: name.as_str(),
                    prefix: &prefix,
                    token_hash: &hash,
                    scopes: &scopes_text,
                    created_by: creator,
                    created_at: now,
                    expires_at,
                },
            )?;
            audit.record(
                conn,
                now,
                "api_token.created",
                "api_token",
                Some(row.id.to_string()),
                serde_json::json!({"name": row.name, "prefix": row.prefix, "scopes": row.scopes, "expires_at": row.expires_at}),
            )?;
            Ok(row)
        })
    })
    .await?;
    let info = ApiTokenDto::new(row, me.display_name, me.email, me.active)?;
    Ok(HttpResponse::Created().json(CreatedApiToken { info, token }))
}

/// Revoke an API token: it stops working at once. Revoked tokens stay listed; revoking one
/// again changes nothing.
#[utoipa::path(
    tag = "api-tokens",
    operation_id = "revoke_api_token",
    params(("id" = i64, Path, description = "The token's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Revoked (or already revoked).", body = ApiTokenDto),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such token.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-tokens/{id}/revoke")]
pub async fn revoke_api_token(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageTokens)?;
    let id = id.into_inner();
    let (audit, now) = (caller.audit.clone(), Utc::now().naive_utc());
    let row = with_conn(&pool, move |conn| {
        utblick_db::write_transaction::<_, DbError, _>(conn, |conn| {
            if identity::get_api_token(conn, id)?.is_none() {
                return Ok(None);
            }
            // Only a change is recorded: a token revoked already stays as it is.
            let stopped: Vec<i64> =
                identity::revoke_api_token(conn, id, now)?.then_some(id).into_iter().collect();
            record_revocations(conn, &audit, now, &stopped, serde_json::json!({}))?;
            identity::get_api_token_with_creator(conn, id)
        })
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("API token {id}")))?;
    Ok(HttpResponse::Ok().json(ApiTokenDto::try_from(row)?))
}

/// One audit event `api_token.revoked` per token that stopped working.
fn record_revocations(
    conn: &mut utblick_db::DbConn,
    audit: &crate::auth::AuditContext,
    now: chrono::NaiveDateTime,
    ids: &[i64],
    changes: serde_json::Value,
) -> Result<(), DbError> {
    for id in ids {
        audit.record(conn, now, "api_token.revoked", "api_token", Some(id.to_string()), changes.clone())?;
    }
    Ok(())
}

/// The tokens a revocation of a person's tokens stopped.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedTokens {
    /// The ids of the tokens that worked until now (none when all were revoked already).
    pub revoked: Vec<i64>,
}

/// Revoke every API token a person created, in one action (for example when they leave:
/// their tokens otherwise keep working, as they belong to the integrations they serve).
#[utoipa::path(
    tag = "api-tokens",
    operation_id = "revoke_user_api_tokens",
    params(("id" = i64, Path, description = "The person's (user's) id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Revoked; one audit event per token.", body = RevokedTokens),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/revoke-api-tokens")]
pub async fn revoke_user_api_tokens(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageTokens)?;
    let user = id.into_inner();
    let (audit, now) = (caller.audit.clone(), Utc::now().naive_utc());
    let revoked = with_conn(&pool, move |conn| {
        utblick_db::write_transaction::<_, DbError, _>(conn, |conn| {
            if identity::get_user(conn, user)?.is_none() {
                return Ok(None);
            }
            let ids = identity::revoke_api_tokens_of(conn, user, now)?;
            let why = serde_json::json!({"reason": "every token of its creator revoked", "created_by": user});
            record_revocations(conn, &audit, now, &ids, why)?;
            Ok(Some(ids))
        })
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("user {user}")))?;
    Ok(HttpResponse::Ok().json(RevokedTokens { revoked }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_tokens)
        .service(create_api_token)
        .service(revoke_api_token)
        .service(revoke_user_api_tokens);
}
