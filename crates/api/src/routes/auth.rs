//! Signing in and out: login, refresh (rotating, with reuse detection), logout, and the
//! signed-in user's own account.

use actix_web::{HttpResponse, get, post, web};
use chrono::{Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::models::{SessionRow, UserRow};
use utblick_db::{DbError, DbPool, identity};
use utblick_domain::access::check_password;
use utblick_domain::{Action, Email, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::secrets::{random_hex, sha256_hex};
use crate::auth::{AuthState, Caller, throttle};
use crate::error::{ApiError, Problem};
use crate::routes::users::UserDto;
use crate::routes::with_conn;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "anna.berg@tranas.se", max_length = 254, format = Email)]
    pub email: String,
    #[schema(example = "gröna äpplen i november", max_length = 128)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh; each can be used once.
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// At least 12 characters and not a common password.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

/// A signed-in session's tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires (at most 900).
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Exchange at `/api/v1/auth/refresh` for new tokens; single use.
    pub refresh_token: String,
    pub user: UserDto,
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Opens a session for `user` (in the caller's transaction) and returns its tokens.
fn open_session(
    conn: &mut utblick_db::DbConn,
    state: &AuthState,
    user: &UserRow,
    now: NaiveDateTime,
) -> Result<(String, String), ApiError> {
    let session_id = random_hex(16);
    identity::insert_session(
        conn,
        &SessionRow {
            id: session_id.clone(),
            user_id: user.id,
            created_at: now,
            expires_at: now + Duration::seconds(state.settings.session_ttl_seconds.max(60)),
            revoked_at: None,
            revoked_reason: None,
        },
    )?;
    let refresh_token = random_hex(32);
    identity::insert_refresh_token(conn, &sha256_hex(&refresh_token), &session_id, now)?;
    Ok((session_id, refresh_token))
}

fn token_response(
    state: &AuthState,
    user: UserRow,
    session_id: &str,
    refresh_token: String,
) -> Result<TokenResponse, ApiError> {
    let access = state
        .jwt
        .issue(user.id, session_id, Utc::now().timestamp())
        .map_err(|e| ApiError::Internal(format!("signing: {e}")))?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl(),
        refresh_token,
        user: UserDto::try_from(user)?,
    })
}

/// Sign in with e-mail and password.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in.", body = TokenResponse),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong e-mail or password, or the account is not active (one answer for all).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The e-mail address is not an address.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this account or from this address; see Retry-After.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = Email::parse(&body.email).map_err(ValidationErrors::from)?;
    let keys = vec![
        throttle::account_key(email.as_str()),
        throttle::client_key(caller.audit.client_ip.as_deref().unwrap_or("unknown")),
    ];
    let t = now();
    let (user, wait) = {
        let (email, keys) = (email.as_str().to_owned(), keys.clone());
        with_conn(&pool, move |conn| {
            let wait = throttle::retry_after(conn, &keys, t)?;
            Ok((identity::find_user_by_email(conn, &email)?, wait))
        })
        .await?
    };
    let audit = caller.audit.clone();
    let settings = state.settings.clone();
    let user_id = user.as_ref().map(|u| u.id.to_string());
    if let Some(retry_after) = wait {
        with_conn(&pool, move |conn| {
            audit.record(conn, t, "login.failed", "user", user_id, serde_json::json!({"reason": "throttled"}))
        })
        .await?;
        return Err(ApiError::TooManyAttempts { retry_after });
    }
    let ok = state.hasher.verify(body.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = user.filter(|u| ok && u.active);
    let Some(user) = user else {
        let email = email.as_str().to_owned();
        with_conn(&pool, move |conn| {
            utblick_db::write_transaction(conn, |conn| {
                let window = Duration::seconds(settings.throttle_window_seconds.max(1));
                throttle::record_failure(conn, &keys[0], settings.max_failures_per_account, window, t)?;
                throttle::record_failure(conn, &keys[1], settings.max_failures_per_client, window, t)?;
                audit.record(conn, t, "login.failed", "user", user_id, serde_json::json!({"email": email}))
            })
        })
        .await?;
        return Err(ApiError::InvalidCredentials);
    };
    let st = state.get_ref().clone();
    let (user, session_id, refresh_token) = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            identity::clear_throttle(conn, &keys[0])?;
            let (session_id, refresh_token) = open_session(conn, &st, &user, t)?;
            let actor = crate::auth::AuditContext {
                actor_kind: "user",
                actor_id: Some(user.id),
                actor_label: user.email.clone(),
                ..audit
            };
            actor.record(conn, t, "login", "user", Some(user.id.to_string()), serde_json::json!({}))?;
            Ok((user, session_id, refresh_token))
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(token_response(&state, user, &session_id, refresh_token)?))
}

enum RefreshOutcome {
    Ok(UserRow, String, String),
    Refused(&'static str),
}

/// Exchange a refresh token for new tokens. Each refresh token works once; presenting a
/// spent one ends the whole session (a copy may have been stolen).
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh",
    request_body = RefreshRequest,
    security(()),
    responses(
        (status = 200, description = "New tokens; the presented refresh token is spent.", body = TokenResponse),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, spent or expired refresh token, or an ended session.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = sha256_hex(body.refresh_token.trim());
    let t = now();
    let audit = caller.audit.clone();
    let outcome = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            use identity::RefreshUse;
            let session_id = match identity::use_refresh_token(conn, &hash, t)? {
                RefreshUse::Unknown => return Ok(RefreshOutcome::Refused("the refresh token is not valid")),
                RefreshUse::Reused(session_id) => {
                    if identity::revoke_session(conn, &session_id, "refresh token reused", t)? {
                        audit.record(
                            conn,
                            t,
                            "session.revoked",
                            "session",
                            Some(session_id),
                            serde_json::json!({"reason": "refresh token reused"}),
                        )?;
                    }
                    return Ok(RefreshOutcome::Refused(
                        "the refresh token was already used; the session has ended",
                    ));
                }
                RefreshUse::Fresh(session_id) => session_id,
            };
            let Some(session) = identity::get_session(conn, &session_id)?
                .filter(|s| s.revoked_at.is_none() && s.expires_at > t)
            else {
                return Ok(RefreshOutcome::Refused("the session has ended; sign in again"));
            };
            let Some(user) = identity::get_user(conn, session.user_id)?.filter(|u| u.active) else {
                return Ok(RefreshOutcome::Refused("the account is not active"));
            };
            let refresh_token = random_hex(32);
            identity::insert_refresh_token(conn, &sha256_hex(&refresh_token), &session.id, t)?;
            let actor = crate::auth::AuditContext {
                actor_kind: "user",
                actor_id: Some(user.id),
                actor_label: user.email.clone(),
                ..audit.clone()
            };
            actor.record(
                conn,
                t,
                "session.refreshed",
                "session",
                Some(session.id.clone()),
                serde_json::json!({}),
            )?;
            Ok(RefreshOutcome::Ok(user, session.id, refresh_token))
        })
    })
    .await??;
    match outcome {
        RefreshOutcome::Ok(user, session_id, refresh_token) => {
            Ok(HttpResponse::Ok().json(token_response(&state, user, &session_id, refresh_token)?))
        }
        RefreshOutcome::Refused(why) => Err(ApiError::Unauthenticated(why.into())),
    }
}

/// End this session at once: its access and refresh tokens stop working.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out."),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API tokens have no session to end.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(pool: web::Data<DbPool>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Action::OwnAccount)?;
    let session_id = caller.session_id.clone().ok_or(ApiError::Forbidden)?;
    let audit = caller.audit.clone();
    let t = now();
    with_conn(&pool, move |conn| {
        utblick_db::write_transaction(conn, |conn| {
            identity::revoke_session(conn, &session_id, "logout", t)?;
            audit.record(conn, t, "logout", "session", Some(session_id), serde_json::json!({}))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    operation_id = "get_me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user.", body = UserDto),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API tokens are not people.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(caller: Caller) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    Ok(HttpResponse::Ok().json(UserDto::try_from(user)?))
}

/// Change your own password. Your other sessions end; this one goes on.
#[utoipa::path(
    tag = "auth",
    operation_id = "change_my_password",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed."),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API tokens have no password.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong, or the new one breaks the policy.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_my_password(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let body = body.into_inner();
    check_password(&body.new_password)
        .map_err(|e| ValidationErrors::from(utblick_domain::FieldError::new("new_password", e.message)))?;
    if !state.hasher.verify(body.current_password, Some(user.password_hash.clone())).await? {
        return Err(ValidationErrors::single("current_password", "is not your current password").into());
    }
    let hash = state.hasher.hash(body.new_password).await?;
    let (audit, keep, t) = (caller.audit.clone(), caller.session_id.clone(), now());
    with_conn(&pool, move |conn| {
        utblick_db::write_transaction(conn, |conn| {
            identity::set_password(conn, user.id, &hash, false, t)?;
            let ended =
                identity::revoke_user_sessions(conn, user.id, keep.as_deref(), "password changed", t)?;
            audit.record(
                conn,
                t,
                "user.password_changed",
                "user",
                Some(user.id.to_string()),
                serde_json::json!({"other_sessions_ended": ended}),
            )
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me).service(change_my_password);
}
