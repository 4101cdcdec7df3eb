//! Signing in and out: login, refresh (rotating, with reuse detection), logout, and the
//! signed-in user's own account.

use actix_web::{HttpRequest, HttpResponse, ResponseError, get, post, web};
use chrono::{Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::models::{SessionRow, UserRow};
use utblick_db::{DbError, DbPool, identity};
use utblick_domain::access::{SecurityEventKind, check_new_password};
use utblick_domain::{Action, Email, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::secrets::{random_hex, sha256_hex};
use crate::auth::{AuthState, Caller, cookie, throttle};
use crate::error::ApiError;
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Busy};
use crate::routes::users::UserDto;
use crate::routes::with_conn;
use crate::security_log::{SecurityEvent, SecurityLog};

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
    /// Seconds until the access token expires (at most 900). Then get a new one from
    /// `/api/v1/auth/refresh`, which reads the refresh token from its cookie.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// The signed-in person, and what they may start or open.
    pub user: MeDto,
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

/// The answer to a sign-in or refresh: the access token in the body, the refresh token in
/// its cookie (living as long as the session).
fn token_response(
    state: &AuthState,
    user: UserRow,
    session_id: &str,
    refresh_token: &str,
    session_left: Duration,
) -> Result<HttpResponse, ApiError> {
    let access = state
        .jwt
        .issue(user.id, session_id, Utc::now().timestamp())
        .map_err(|e| ApiError::Internal(format!("signing: {e}")))?;
    let body = TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl(),
        user: MeDto::of(user)?,
    };
    Ok(HttpResponse::Ok()
        .cookie(cookie::refresh_cookie(refresh_token, session_left.num_seconds()))
        .json(body))
}

/// Sign in with e-mail and password. The answer holds the access token; the refresh
/// token is set as an `HttpOnly` cookie for `/api/v1/auth/refresh`.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in. `Set-Cookie` carries the refresh token (`utblick_refresh`, HttpOnly, Secure, SameSite=Strict, path `/api/v1/auth/refresh`).", body = TokenResponse),
        BadRequest, Auth, BodyErrors, Busy,
    )
)]
#[post("/auth/login")]
pub async fn login(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    seclog: web::Data<SecurityLog>,
    caller: Caller,
    body: crate::dto::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = Email::parse(&body.email).map_err(ValidationErrors::from)?;
    let settings = state.settings.clone();
    let account = (throttle::account_key(email.as_str()), settings.max_failures_per_account);
    let client = (
        throttle::client_key(caller.audit.client_ip.as_deref().unwrap_or("unknown")),
        settings.max_failures_per_client,
    );
    let window = Duration::seconds(settings.throttle_window_seconds.max(1));
    let t = now();
    // The attempt is counted before the password is checked, in one transaction with the
    // check of the block: parallel attempts cannot get more passwords checked than allowed.
    let (user, admitted) = {
        let (email, keys) = (email.as_str().to_owned(), [account.clone(), client.clone()]);
        with_conn(&pool, move |conn| {
            utblick_db::write_transaction(conn, |conn| {
                let admitted = throttle::reserve(conn, &keys, window, t)?;
                let user = match admitted {
                    Ok(()) => identity::find_user_by_email(conn, &email)?,
                    Err(_) => None,
                };
                Ok((user, admitted))
            })
        })
        .await?
    };
    let event = |kind: SecurityEventKind, user: Option<&UserRow>, detail: serde_json::Value| SecurityEvent {
        kind,
        account: Some(email.as_str().to_owned()),
        user_id: user.map(|u| u.id),
        detail,
    };
    if let Err(retry_after) = admitted {
        let e =
            event(SecurityEventKind::LoginThrottled, None, serde_json::json!({"retry_after": retry_after}));
        seclog.record(&pool, &caller.audit, t, e).await;
        return Err(ApiError::TooManyAttempts { retry_after });
    }
    let ok = state.hasher.verify(body.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match user {
        Some(u) if ok && u.active => u,
        other => {
            let reason = match &other {
                None => "unknown-account",
                Some(u) if !u.active => "inactive-account",
                Some(_) => "wrong-password",
            };
            let e =
                event(SecurityEventKind::LoginFailed, other.as_ref(), serde_json::json!({"reason": reason}));
            seclog.record(&pool, &caller.audit, t, e).await;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let st = state.get_ref().clone();
    let audit = caller.audit.clone();
    let (user, session_id, refresh_token) = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            // The right password: the account's count starts over, the client gets its
            // reservation back.
            identity::clear_throttle(conn, &account.0)?;
            throttle::release(conn, &client.0, client.1, t)?;
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
    let left = Duration::seconds(state.settings.session_ttl_seconds.max(60));
    token_response(&state, user, &session_id, &refresh_token, left)
}

enum RefreshOutcome {
    Ok(Box<(UserRow, SessionRow, String)>),
    /// A stable reason (for the security log) and the words for the caller.
    Refused(&'static str, &'static str),
}

/// A refused refresh: 401, and the browser forgets the cookie.
fn refused(err: ApiError) -> HttpResponse {
    let mut res = err.error_response();
    let _ = res.add_cookie(&cookie::cleared_cookie());
    res
}

/// Get a new access token from the refresh token in the `utblick_refresh` cookie. The
/// request must carry the header `X-Utblick-Csrf` (any value), which pages of other sites
/// cannot send. Each refresh token works once and is replaced by a new cookie; presenting
/// a spent one ends the whole session (a copy may have been stolen) — unless it comes back
/// within 20 seconds and the token that replaced it is unused: then the browser lost the
/// answer, and the retry gets a new token.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh",
    params(
        ("utblick_refresh" = String, Cookie, description = "The refresh token, as set by sign-in or the last refresh."),
        ("X-Utblick-Csrf" = String, Header, description = "Any value; proves the request comes from a page of this site."),
    ),
    security(()),
    responses(
        (status = 200, description = "A new access token; `Set-Cookie` replaces the spent refresh token.", body = TokenResponse),
        Auth,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    seclog: web::Data<SecurityLog>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let t = now();
    let token = match cookie::refresh_token(&req) {
        Ok(token) => token,
        Err(why) => {
            if why == cookie::CsrfOrMissing::Csrf {
                let e = SecurityEvent {
                    kind: SecurityEventKind::CsrfRefused,
                    account: None,
                    user_id: None,
                    detail: serde_json::json!({"path": req.path()}),
                };
                seclog.record(&pool, &caller.audit, t, e).await;
                return Err(why.error());
            }
            return Ok(refused(why.error()));
        }
    };
    let hash = sha256_hex(token.trim());
    let audit = caller.audit.clone();
    let db = pool.clone();
    let outcome = web::block(move || -> Result<_, ApiError> {
        let mut conn = db.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            use identity::RefreshUse;
            use utblick_domain::session::Reuse;
            let session_id = match identity::use_refresh_token(conn, &hash, t)? {
                RefreshUse::Unknown => {
                    return Ok(RefreshOutcome::Refused("unknown-token", "the refresh token is not valid"));
                }
                RefreshUse::Reused { session_id, spent_at, successor_used } => {
                    match utblick_domain::session::reuse(spent_at, t, successor_used) {
                        // The browser lost the last answer: the token it never got is
                        // discarded and it gets a new one.
                        Reuse::Retry => {
                            identity::discard_unused_refresh_tokens(conn, &session_id)?;
                            session_id
                        }
                        Reuse::Theft => {
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
                                "reused-token",
                                "the refresh token was already used; the session has ended",
                            ));
                        }
                    }
                }
                RefreshUse::Fresh(session_id) => session_id,
            };
            let Some(session) = identity::get_session(conn, &session_id)?
                .filter(|s| s.revoked_at.is_none() && s.expires_at > t)
            else {
                return Ok(RefreshOutcome::Refused("session-ended", "the session has ended; sign in again"));
            };
            let Some(user) = identity::get_user(conn, session.user_id)?.filter(|u| u.active) else {
                return Ok(RefreshOutcome::Refused("inactive-account", "the account is not active"));
            };
            // Rotating the token is bookkeeping of the session, not a change to record in
            // the audit log (every page a browser opens refreshes).
            let refresh_token = random_hex(32);
            identity::insert_refresh_token(conn, &sha256_hex(&refresh_token), &session.id, t)?;
            Ok(RefreshOutcome::Ok(Box::new((user, session, refresh_token))))
        })
    })
    .await??;
    match outcome {
        RefreshOutcome::Ok(ok) => {
            let (user, session, refresh_token) = *ok;
            token_response(&state, user, &session.id, &refresh_token, session.expires_at - t)
        }
        RefreshOutcome::Refused(reason, why) => {
            let e = SecurityEvent {
                kind: SecurityEventKind::RefreshRefused,
                account: None,
                user_id: None,
                detail: serde_json::json!({"reason": reason}),
            };
            seclog.record(&pool, &caller.audit, t, e).await;
            Ok(refused(ApiError::Unauthenticated(why.into())))
        }
    }
}

/// End this session at once: its access and refresh tokens stop working.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out; `Set-Cookie` clears the refresh token."),
        Auth,
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
    Ok(HttpResponse::NoContent().cookie(cookie::cleared_cookie()).finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    operation_id = "get_me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user, and what they may start or open.", body = MeDto),
        Auth,
    )
)]
#[get("/me")]
pub async fn me(caller: Caller) -> Result<HttpResponse, ApiError> {
    let user = UserDto::new(caller.user()?.clone(), &caller.principal)?;
    Ok(HttpResponse::Ok().json(MeDto { user, may: utblick_domain::can::may(&caller.principal) }))
}

impl MeDto {
    /// A person as they see themselves.
    fn of(user: UserRow) -> Result<Self, ApiError> {
        let role = utblick_app::stored(utblick_domain::Role::parse(&user.role))?;
        let person =
            utblick_domain::Principal::User { id: user.id, role, organisation_id: user.organisation_id };
        Ok(Self { user: UserDto::new(user, &person)?, may: utblick_domain::can::may(&person) })
    }
}

/// The signed-in user, with what they may start or open (menus, "new" forms).
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    #[serde(flatten)]
    pub user: UserDto,
    #[schema(value_type = crate::dto::MaySchema)]
    pub may: utblick_domain::can::May,
}

/// Change your own password. Your other sessions end; this one goes on.
#[utoipa::path(
    tag = "auth",
    operation_id = "change_my_password",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed."),
        BadRequest, Auth, BodyErrors,
    )
)]
#[post("/me/password")]
pub async fn change_my_password(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    caller: Caller,
    body: crate::dto::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let body = body.into_inner();
    check_new_password(&body.current_password, &body.new_password).map_err(ValidationErrors::from)?;
    if !state.hasher.verify(body.current_password, Some(user.password_hash.clone())).await? {
        return Err(ValidationErrors::rule(
            "current_password",
            "wrong_password",
            "is not your current password",
            "är inte ditt nuvarande lösenord",
        )
        .into());
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
