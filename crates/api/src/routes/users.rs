//! People's accounts, managed by administrators.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_app::users::{self as uc, Account};
use utblick_db::DbPool;
use utblick_db::identity;
use utblick_db::models::UserRow;
use utblick_domain::access::{check_password, parse_display_name};
use utblick_domain::can::{self, Can};
use utblick_domain::error::Collector;
use utblick_domain::{Action, Email, Principal, Role, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::{AuthState, Caller};
use crate::codes::schema;
use crate::dto::PathId;
use crate::error::ApiError;
use crate::exec::{answer, run};
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Conflict, NotFound};
use crate::routes::common::list_query;
use crate::routes::standard::{get_one, list_of, update_one};
use utblick_db::identity::{UserFilter, UserSort};
use utblick_db::listing::Sort;

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
    /// Where the role comes from: a local account's administrator, the identity provider's
    /// groups (set again at every sign-in), an administrator's choice for an account of the
    /// provider, or none yet (`pending`: approve it by giving it a role and making it active).
    #[schema(value_type = schema::RoleSource)]
    pub role_source: utblick_domain::oidc::RoleSource,
    /// Whether the person signs in with the municipality's identity provider.
    pub single_sign_on: bool,
    /// The version this shows; also sent as the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl UserDto {
    pub fn new(u: UserRow, who: &Principal) -> Result<Self, ApiError> {
        let role = Role::parse(&u.role).map_err(|e| ApiError::Internal(format!("stored role: {e}")))?;
        let role_source = utblick_domain::oidc::RoleSource::parse(&u.role_source)
            .map_err(|e| ApiError::Internal(format!("stored role source: {e}")))?;
        Ok(Self {
            role_source,
            single_sign_on: u.oidc_subject.is_some(),
            can: can::user(who, u.id),
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
    #[schema(format = "name", example = "Anna Berg", min_length = 1, max_length = 200)]
    pub display_name: String,
    #[schema(value_type = schema::Role)]
    pub role: Role,
    /// Required for reporters.
    pub organisation_id: Option<i64>,
    /// A first password, at least 12 characters; the user must change it at first sign-in.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
}

/// An account's changeable fields; `PATCH` sends a merge patch of them (`organisation_id:
/// null` removes the binding).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[schema(format = "name", min_length = 1, max_length = 200)]
    pub display_name: String,
    #[schema(value_type = schema::Role)]
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub active: bool,
}

crate::patch_schema!(UserPatch = UserUpdate);

impl UserUpdate {
    fn of(u: &UserRow, role: Role) -> Self {
        Self {
            display_name: u.display_name.clone(),
            role,
            organisation_id: u.organisation_id,
            active: u.active,
        }
    }

    fn account(&self) -> Result<Account, ValidationErrors> {
        let display_name = parse_display_name(&self.display_name)?;
        Ok(Account {
            display_name,
            role: self.role,
            organisation_id: self.organisation_id,
            active: self.active,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// A new password, at least 12 characters; the user must change it at next sign-in.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

crate::exec::reply!(UserRow => UserDto, |r| r.version, UserDto::new);

list_query! {
    /// Filters, search and order of people's accounts.
    pub struct UserQuery => UserFilter {
        role [value_type = Option<schema::Role>] = code::<Role>;
        /// The organisation a reporter reports for.
        organisation_id [value_type = Option<i64>, minimum = 1] = id;
        /// `true`: accounts that may sign in; `false`: deactivated ones.
        active [value_type = Option<bool>] = boolean;
        /// Words in the e-mail address or the name.
        q [max_length = 200] = text;
    }
    sort "^-?(email|name|role|created)$",
    "`email` (default), `name`, `role`, `created`; a leading `-` for descending.",
    ["email" => UserSort::Email, "name" => UserSort::Name, "role" => UserSort::Role, "created" => UserSort::Created],
    default Sort::asc(UserSort::Email)
}

impl CsvRecord for UserDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "email",
        "display_name",
        "role",
        "organisation_id",
        "active",
        "must_change_password",
        "role_source",
        "single_sign_on",
        "created_at",
    ];
    const CODES: &'static [(&'static str, CodeName)] =
        &[("role", swedish_name::<Role>), ("role_source", swedish_name::<utblick_domain::oidc::RoleSource>)];
}

list_of! {
    /// People's accounts: filter by role, organisation and whether active; search; sort; a
    /// page, or all of them as CSV, XLSX or JSON (an export of personal data, audited).
    fn list_users, tag "users", path "/users", query UserQuery,
    ok "A page of accounts, or with `format` an export of all matching ones.",
    page UserPage of UserDto, action Action::ManageUsers, filter UserFilter,
    count identity::count_users_matching, ids identity::user_ids, list identity::list_users,
    each UserDto::new, file "anvandare",
    audited "user" [role, organisation_id, active, q]
}

/// Create an account.
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    request_body = NewUser,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; the ETag is its version.", body = UserDto),
        BadRequest, Auth, BodyErrors, Conflict,
    )
)]
#[post("/users")]
pub async fn create_user(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    req: HttpRequest,
    body: crate::dto::Json<NewUser>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let b = body.into_inner();
    let mut c = Collector::new();
    let (email, display_name) = (c.take(Email::parse(&b.email)), c.take(parse_display_name(&b.display_name)));
    c.take(check_password(&b.password));
    c.finish()?;
    let (Some(email), Some(display_name)) = (email, display_name) else {
        return Err(ApiError::Internal("checked".into()));
    };
    let account = Account { display_name, role: b.role, organisation_id: b.organisation_id, active: true };
    let hash = state.hasher.hash(b.password).await?;
    answer(&pool, &caller, &req, StatusCode::CREATED, move |conn, ctx| {
        uc::create(conn, ctx, &email, &account, &hash)
    })
    .await
}

get_one! {
    /// One account.
    fn get_user, tag "users", path "/users/{id}", id "The account's id.",
    ok "The account; the ETag is its version.", body UserDto, action Action::ManageUsers,
    load identity::get_user, what "user"
}

update_one! {
    /// Change an account: a merge patch of name, role, organisation, active. Needs `If-Match`.
    /// Deactivating ends the person's sessions at once; a role change applies from their next
    /// request.
    fn update_user, tag "users", path "/users/{id}", id "The account's id.",
    patch UserPatch, dto UserDto,
    |patch| uc::correct, move |u: &UserRow, role| Ok(patch.apply(&UserUpdate::of(u, role))?.account()?)
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
        BadRequest, Auth, NotFound, BodyErrors, Conflict,
    )
)]
#[post("/users/{id}/password")]
pub async fn reset_user_password(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    body: crate::dto::Json<PasswordReset>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUsers)?;
    let password = body.into_inner().new_password;
    check_password(&password).map_err(|e| ValidationErrors::from(e.named("new_password")))?;
    let hash = state.hasher.hash(password).await?;
    run(&pool, &caller, &req, move |conn, ctx| uc::reset_password(conn, ctx, *id, &hash)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(reset_user_password);
}
