//! People's accounts, managed by administrators.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::identity::{self, UserChanges};
use utblick_db::models::{NewUserRow, UserRow};
use utblick_db::{DbPool, identity as ids};
use utblick_domain::access::{check_password, check_role_binding, parse_display_name};
use utblick_domain::error::Collector;
use utblick_domain::{Action, Email, FieldError, Role, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::{AuthState, Caller};
use crate::codes::schema;
use crate::concurrency::{if_match, versioned};
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::{ApiError, Problem};
use crate::routes::{load_page, with_conn};

/// A person's account (never the password).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    #[schema(example = "anna.berg@tranas.se")]
    pub email: String,
    #[schema(example = "Anna Berg")]
    pub display_name: String,
    #[schema(value_type = schema::Role)]
    pub role: Role,
    /// The organisation a reporter reports for.
    pub organisation_id: Option<i64>,
    pub active: bool,
    /// True after an administrator reset the password: change it before anything else.
    pub must_change_password: bool,
    /// The version this shows; also sent as the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for UserDto {
    type Error = ApiError;
    fn try_from(u: UserRow) -> Result<Self, ApiError> {
        let role = Role::parse(&u.role).map_err(|e| ApiError::Internal(format!("stored role: {e}")))?;
        Ok(Self {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role,
            organisation_id: u.organisation_id,
            active: u.active,
            must_change_password: u.must_change_password,
            version: u.version,
            created_at: u.created_at.and_utc(),
            updated_at: u.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(example = "anna.berg@tranas.se", max_length = 254, format = Email)]
    pub email: String,
    #[schema(example = "Anna Berg", min_length = 1, max_length = 200)]
    pub display_name: String,
    #[schema(value_type = schema::Role)]
    pub role: Role,
    /// Required for reporters.
    pub organisation_id: Option<i64>,
    /// A first password, at least 12 characters; the user must change it at first sign-in.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
}

/// Changes to an account; absent fields stay as they are. `organisation_id: null` removes
/// the binding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    #[schema(value_type = Option<schema::Role>)]
    pub role: Option<Role>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub organisation_id: Option<Option<i64>>,
    pub active: Option<bool>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
        Option::<i64>::deserialize(d).map(Some)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// A new password, at least 12 characters; the user must change it at next sign-in.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserDto>,
    #[serde(flatten)]
    pub page: PageInfo,
}

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

fn with_etag(status: actix_web::http::StatusCode, u: UserRow) -> Result<HttpResponse, ApiError> {
    let version = u.version;
    Ok(versioned(status, version, &UserDto::try_from(u)?))
}

/// What an account looked like, for the audit log.
fn snapshot(u: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "email": u.email, "display_name": u.display_name, "role": u.role,
        "organisation_id": u.organisation_id, "active": u.active,
    })
}

fn diff(before: &UserRow, after: &UserRow) -> serde_json::Value {
    crate::routes::common::diff(&snapshot(before), &snapshot(after))
}

/// Checks an organisation id names an active organisation.
fn check_organisation(
    conn: &mut utblick_db::DbConn,
    id: Option<i64>,
) -> Result<Result<(), FieldError>, ApiError> {
    match id {
        None => Ok(Ok(())),
        Some(id) => Ok(match ids::get_organisation(conn, id)? {
            Some(o) if o.active => Ok(()),
            _ => Err(FieldError::new("organisation_id", "is not an active organisation")),
        }),
    }
}

/// List accounts.
#[utoipa::path(
    tag = "users",
    operation_id = "list_users",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts.", body = UserPage),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    pool: web::Data<DbPool>,
    caller: Caller,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let (rows, page) = load_page(&pool, &q, identity::count_users, identity::list_users).await?;
    let items = rows.into_iter().map(UserDto::try_from).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(UserPage { items, page }))
}

/// Create an account.
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    request_body = NewUser,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; the ETag is its version.", body = UserDto),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account with this e-mail address exists.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let body = body.into_inner();
    let mut c = Collector::new();
    let email = c.take(Email::parse(&body.email));
    let name = c.take(parse_display_name(&body.display_name));
    let role: Role = body.role;
    c.take(check_role_binding(role, body.organisation_id));
    c.take(check_password(&body.password));
    c.finish()?;
    let (Some(email), Some(name)) = (email, name) else { return Err(ApiError::Internal("validated".into())) };
    let hash = state.hasher.hash(body.password).await?;
    let (audit, t, org) = (caller.audit.clone(), now(), body.organisation_id);
    let user = web::block(move || -> Result<UserRow, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            check_organisation(conn, org)?.map_err(ValidationErrors::from)?;
            let user = identity::insert_user(
                conn,
                &NewUserRow {
                    email: email.as_str(),
                    display_name: name.as_str(),
                    role: role.code(),
                    organisation_id: org,
                    active: true,
                    password_hash: &hash,
                    must_change_password: true,
                    version: 1,
                    created_at: t,
                    updated_at: t,
                },
            )?;
            audit.record(conn, t, "user.created", "user", Some(user.id.to_string()), snapshot(&user))?;
            Ok(user)
        })
    })
    .await??;
    with_etag(actix_web::http::StatusCode::CREATED, user)
}

/// One account.
#[utoipa::path(
    tag = "users",
    operation_id = "get_user",
    params(("id" = i64, Path, description = "The account's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account; the ETag is its version.", body = UserDto),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(pool: web::Data<DbPool>, caller: Caller, id: PathId) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let id = id.into_inner();
    let user = with_conn(&pool, move |conn| identity::get_user(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("user {id}")))?;
    with_etag(actix_web::http::StatusCode::OK, user)
}

/// Change an account: name, role, organisation, active. Needs `If-Match`. Deactivating
/// ends the person's sessions at once; a role change applies from their next request.
#[utoipa::path(
    tag = "users",
    operation_id = "update_user",
    params(
        ("id" = i64, Path, description = "The account's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you edit."),
    ),
    request_body = UserPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = UserDto),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the account since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    body: web::Json<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let mut c = Collector::new();
    let display_name = match &body.display_name {
        Some(n) => c.take(parse_display_name(n)).map(|n| Some(n.into_string())),
        None => Some(None),
    };
    if caller.user.as_ref().is_some_and(|me| me.id == id)
        && (body.active == Some(false) || body.role.is_some_and(|r| r != Role::Admin))
    {
        c.push(FieldError::new(
            if body.active == Some(false) { "active" } else { "role" },
            "you cannot deactivate or demote yourself; ask another administrator",
        ));
    }
    c.finish()?;
    // The body is checked first: a bad body is a 422 whatever version it names.
    let version = if_match(&req)?;
    let (audit, t) = (caller.audit.clone(), now());
    let user = web::block(move || -> Result<UserRow, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let before =
                identity::get_user(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("user {id}")))?;
            let role = match body.role {
                Some(r) => r,
                None => Role::parse(&before.role).map_err(|e| ApiError::Internal(e.to_string()))?,
            };
            let org = body.organisation_id.unwrap_or(before.organisation_id);
            let mut c = Collector::new();
            c.take(check_role_binding(role, org));
            c.take(check_organisation(conn, org.filter(|o| Some(*o) != before.organisation_id))?);
            c.finish()?;
            let changes = UserChanges {
                display_name: display_name.flatten(),
                role: body.role.map(|r| r.code().to_owned()),
                organisation_id: body.organisation_id,
                active: body.active,
            };
            let after =
                identity::update_user(conn, id, version, &changes, t)?.ok_or(ApiError::PreconditionFailed)?;
            if before.active && !after.active {
                identity::revoke_user_sessions(conn, id, None, "deactivated", t)?;
            }
            audit.record(conn, t, "user.updated", "user", Some(id.to_string()), diff(&before, &after))?;
            Ok(after)
        })
    })
    .await??;
    with_etag(actix_web::http::StatusCode::OK, user)
}

/// Set a new password for someone who lost theirs. Their sessions end, and they must
/// change the password at their next sign-in.
#[utoipa::path(
    tag = "users",
    operation_id = "reset_user_password",
    params(("id" = i64, Path, description = "The account's id.", minimum = 1)),
    request_body = PasswordReset,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Reset."),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password breaks the policy, or it is your own account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/password")]
pub async fn reset_user_password(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    id: PathId,
    body: web::Json<PasswordReset>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let id = id.into_inner();
    let body = body.into_inner();
    check_password(&body.new_password)
        .map_err(|e| ValidationErrors::from(FieldError::new("new_password", e.message)))?;
    if caller.user.as_ref().is_some_and(|me| me.id == id) {
        return Err(
            ValidationErrors::single("id", "change your own password under your account instead").into()
        );
    }
    let exists = with_conn(&pool, move |conn| identity::get_user(conn, id)).await?;
    if exists.is_none() {
        return Err(ApiError::NotFound(format!("user {id}")));
    }
    let hash = state.hasher.hash(body.new_password).await?;
    let (audit, t) = (caller.audit.clone(), now());
    with_conn(&pool, move |conn| {
        utblick_db::write_transaction(conn, |conn| {
            identity::set_password(conn, id, &hash, true, t)?;
            let ended = identity::revoke_user_sessions(conn, id, None, "password reset", t)?;
            audit.record(
                conn,
                t,
                "user.password_reset",
                "user",
                Some(id.to_string()),
                serde_json::json!({"sessions_ended": ended}),
            )
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(reset_user_password);
}
