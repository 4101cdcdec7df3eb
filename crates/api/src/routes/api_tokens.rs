//! API tokens for machines (the styrkort system, IT scripts): created by administrators,
//! shown once, stored as a hash, revocable at once.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_app::api_tokens::{self as uc, Secret};
use utblick_db::DbPool;
use utblick_db::identity::{self, ApiTokenWithCreator};
use utblick_domain::access::{NewToken, TokenState, token_state};
use utblick_domain::{Action, Scope};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::auth::secrets::{new_api_token, sha256_hex};
use crate::codes::schema;
use crate::dto::PathId;
use crate::error::ApiError;
use crate::exec::run;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::responses::{Auth, BadRequest, Body as BodyErrors, NotFound};
use crate::routes::common::list_query;
use crate::routes::standard::list_of;
use utblick_db::identity::{TokenFilter, TokenSort};
use utblick_db::listing::Sort;

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

impl TryFrom<ApiTokenWithCreator> for ApiTokenDto {
    type Error = ApiError;
    fn try_from(
        (t, created_by_name, created_by_email, created_by_active): ApiTokenWithCreator,
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
            created_by_name,
            created_by_email,
            created_by_active,
            created_at: t.created_at.and_utc(),
            expires_at: t.expires_at.map(|d| d.and_utc()),
            last_used_at: t.last_used_at.map(|d| d.and_utc()),
            revoked_at: t.revoked_at.map(|d| d.and_utc()),
        })
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
    #[schema(format = "name", example = "Styrkort (Stratsys)", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_items = 1, value_type = Vec<schema::Scope>)]
    pub scopes: Vec<Scope>,
    /// When the token stops working; none means until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

list_query! {
    /// Filters, search and order of the API tokens.
    pub struct TokenQuery => TokenFilter {
        /// Whether it works now.
        state [value_type = Option<schema::TokenState>] = code::<TokenState>;
        /// Tokens with this scope.
        scope [value_type = Option<schema::Scope>] = code::<Scope>;
        /// Words in the token's name or its prefix.
        q [max_length = 200] = text;
    }
    sort "^-?(created|name|last_used)$",
    "`-created` (default: newest first), `name`, `last_used`; a leading `-` for descending.",
    ["created" => TokenSort::Created, "name" => TokenSort::Name, "last_used" => TokenSort::LastUsed],
    default Sort::desc(TokenSort::Created)
}

impl CsvRecord for ApiTokenDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "name",
        "prefix",
        "scopes",
        "state",
        "created_by_name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ];
    const CODES: &'static [(&'static str, CodeName)] =
        &[("scopes", swedish_name::<Scope>), ("state", swedish_name::<TokenState>)];
}

list_of! {
    /// API tokens with when each was last used (never the secret): filter by state and
    /// scope; search; sort; a page, or all of them as CSV, XLSX or JSON (audited: it names
    /// the people who created them).
    fn list_api_tokens, tag "api-tokens", path "/api-tokens", query TokenQuery,
    ok "A page of tokens, or with `format` an export of all matching ones.",
    page ApiTokenPage of ApiTokenDto, action Action::ManageTokens, filter TokenFilter,
    count identity::count_api_tokens, ids identity::api_token_ids, list identity::list_api_tokens,
    each |t, _| ApiTokenDto::try_from(t), file "api-nycklar",
    narrow |f, _who| f.now = Some(Utc::now().naive_utc()),
    audited "api_token" [state, scope, q]
}

/// Create an API token. The answer holds the token itself, this once.
#[utoipa::path(
    tag = "api-tokens",
    operation_id = "create_api_token",
    request_body = NewApiToken,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; copy `token` now.", body = CreatedApiToken),
        BadRequest, Auth, BodyErrors,
    )
)]
#[post("/api-tokens")]
pub async fn create_api_token(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    body: crate::dto::Json<NewApiToken>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageTokens)?;
    let now = Utc::now().naive_utc();
    let t = NewToken::parse(&body.name, &body.scopes, body.expires_at.map(|e| e.naive_utc()), now)?;
    let (token, prefix) = new_api_token();
    let secret = Secret { prefix, hash: sha256_hex(&token) };
    let row = run(&pool, &caller, &req, move |conn, ctx| uc::create(conn, ctx, &t, &secret)).await?;
    Ok(HttpResponse::Created().json(CreatedApiToken { info: ApiTokenDto::try_from(row)?, token }))
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
        BadRequest, Auth, NotFound,
    )
)]
#[post("/api-tokens/{id}/revoke")]
pub async fn revoke_api_token(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    let row = run(&pool, &caller, &req, move |conn, ctx| uc::revoke(conn, ctx, *id)).await?;
    Ok(HttpResponse::Ok().json(ApiTokenDto::try_from(row)?))
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
        BadRequest, Auth, NotFound,
    )
)]
#[post("/users/{id}/revoke-api-tokens")]
pub async fn revoke_user_api_tokens(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    let revoked = run(&pool, &caller, &req, move |conn, ctx| uc::revoke_all_of(conn, ctx, *id)).await?;
    Ok(HttpResponse::Ok().json(RevokedTokens { revoked }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_tokens)
        .service(create_api_token)
        .service(revoke_api_token)
        .service(revoke_user_api_tokens);
}
