//! Signing in and out: login, refresh (rotating, with reuse detection), logout, and the
//! signed-in user's own account.

use actix_web::{HttpRequest, HttpResponse, ResponseError, get, post, web};
use chrono::{Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utblick_app::{sessions, users};
use utblick_db::models::UserRow;
use utblick_db::{DbPool, identity};
use utblick_domain::access::SecurityEventKind::{CsrfRefused, LoginFailed, LoginThrottled, RefreshRefused};
use utblick_domain::access::{check_current_password, check_new_password};
use utblick_domain::{Action, Email, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::secrets::{random_hex, sha256_hex};
use crate::auth::{AuthState, Caller, cookie};
use crate::error::ApiError;
use crate::exec::run;
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Busy};
use crate::routes::users::UserDto;
use crate::routes::{with_app, with_conn};
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
    provider: Option<web::Data<crate::auth::oidc::Provider>>,
    caller: Caller,
    body: crate::dto::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = Email::parse(&body.email).map_err(ValidationErrors::from)?.as_str().to_owned();
    let attempt = state.settings.attempt(&email, caller.audit.client_ip.as_deref());
    let log = Refusals { pool: &pool, log: &seclog, who: &caller.audit, t: now() };
    let (t, a, e) = (log.t, attempt.clone(), email.clone());
    let (user, admitted) = with_app(&pool, move |conn| sessions::admit(conn, &a, &e, t)).await?;
    if let Err(retry_after) = admitted {
        let event = SecurityEvent::login(LoginThrottled, &email, None, json!({"retry_after": retry_after}));
        return Err(log.refuse(event, ApiError::TooManyAttempts { retry_after }).await);
    }
    let ok = state.hasher.verify(body.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let administrators_only = provider.as_ref().is_some_and(|p| p.config.passwords_for_administrators_only);
    let allowed = |u: &UserRow| {
        let role = utblick_domain::Role::parse(&u.role).unwrap_or(utblick_domain::Role::Reader);
        utblick_domain::oidc::password_sign_in_allowed(role, provider.is_some(), administrators_only)
    };
    match (sessions::refusal(ok, user.as_ref()), user) {
        (None, Some(user)) if !allowed(&user) => {
            let why = json!({"reason": "passwords-off"});
            let event = SecurityEvent::login(LoginFailed, &email, Some(&user), why);
            Err(log.refuse(event, ApiError::InvalidCredentials).await)
        }
        (None, Some(user)) => open_session(&pool, &state, &caller, attempt, user, t).await,
        (reason, user) => {
            let event = SecurityEvent::login(LoginFailed, &email, user.as_ref(), json!({"reason": reason}));
            Err(log.refuse(event, ApiError::InvalidCredentials).await)
        }
    }
}

/// After the right password: the session opens, and the answer carries its tokens.
async fn open_session(
    pool: &web::Data<DbPool>,
    state: &AuthState,
    caller: &Caller,
    attempt: sessions::Attempt,
    user: UserRow,
    t: NaiveDateTime,
) -> Result<HttpResponse, ApiError> {
    let (refresh_token, secrets) = new_secrets();
    let (audit, ttl, u, s) =
        (caller.audit.clone(), state.settings.session_ttl_seconds, user.clone(), secrets.clone());
    with_app(pool, move |conn| sessions::open(conn, &audit, &attempt, &u, &s, ttl, t)).await?;
    let left = Duration::seconds(ttl.max(60));
    token_response(state, user, &secrets.session_id, &refresh_token, left)
}

/// A new session's secrets: the refresh token for the client, its hash and the session id
/// for the database.
fn new_secrets() -> (String, sessions::NewSecrets) {
    let refresh_token = random_hex(32);
    let secrets =
        sessions::NewSecrets { session_id: random_hex(16), refresh_hash: sha256_hex(&refresh_token) };
    (refresh_token, secrets)
}

/// Where this request's refusals are recorded: the security log, with who asked and when.
struct Refusals<'a> {
    pool: &'a web::Data<DbPool>,
    log: &'a SecurityLog,
    who: &'a crate::auth::AuditContext,
    t: NaiveDateTime,
}

impl Refusals<'_> {
    /// Records the event and returns the refusal's error.
    async fn refuse(&self, event: SecurityEvent, err: ApiError) -> ApiError {
        self.log.refuse(self.pool, self.who, self.t, event, err).await
    }
}

/// The refresh token the request presents, or the answer refusing it (a cross-site request
/// is recorded in the security log; a missing cookie only clears it).
async fn presented_token(
    req: &HttpRequest,
    log: &Refusals<'_>,
) -> Result<String, Result<HttpResponse, ApiError>> {
    match cookie::refresh_token(req) {
        Ok(token) => Ok(token),
        Err(cookie::CsrfOrMissing::Csrf) => {
            let e = SecurityEvent::anonymous(CsrfRefused, json!({"path": req.path()}));
            Err(Err(log.refuse(e, ApiError::CsrfRefused).await))
        }
        Err(why) => Err(Ok(refused(why.error()))),
    }
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
    let log = Refusals { pool: &pool, log: &seclog, who: &caller.audit, t: now() };
    let token = match presented_token(&req, &log).await {
        Ok(token) => token,
        Err(answer) => return answer,
    };
    let (hash, next_token) = (sha256_hex(token.trim()), random_hex(32));
    let (audit, next_hash, t) = (caller.audit.clone(), sha256_hex(&next_token), log.t);
    match with_app(&pool, move |conn| sessions::refresh(conn, &audit, &hash, &next_hash, t)).await? {
        sessions::Refreshed::Ok(ok) => {
            token_response(&state, ok.0, &ok.1.id, &next_token, ok.1.expires_at - t)
        }
        sessions::Refreshed::Refused(reason, why) => {
            let e = SecurityEvent::anonymous(RefreshRefused, json!({"reason": reason}));
            Ok(refused(log.refuse(e, ApiError::Unauthenticated(why.into())).await))
        }
    }
}

/// After signing out of a session opened through the identity provider: where to send the
/// browser so that the provider's own session ends too.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedOut {
    /// The provider's end-session URL (RP-initiated logout), with the ID token as the hint.
    pub end_session_url: String,
}

/// End this session at once: its access and refresh tokens stop working. A session opened
/// through the identity provider is answered with the provider's sign-out address, for the
/// browser to go on to.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed out of a session of the identity provider; `Set-Cookie` clears the refresh token; go on to `end_session_url` to sign out there too.", body = SignedOut),
        (status = 204, description = "Signed out; `Set-Cookie` clears the refresh token."),
        Auth,
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    pool: web::Data<DbPool>,
    provider: Option<web::Data<crate::auth::oidc::Provider>>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::OwnAccount)?;
    let session_id = caller.session_id.clone().ok_or(ApiError::Forbidden)?;
    let audit = caller.audit.clone();
    let t = now();
    let session = with_conn(&pool, move |conn| {
        utblick_db::write_transaction(conn, |conn| {
            let session = identity::get_session(conn, &session_id)?;
            identity::revoke_session(conn, &session_id, "logout", t)?;
            audit.record(conn, t, "logout", "session", Some(session_id), serde_json::json!({}))?;
            Ok(session)
        })
    })
    .await?;
    let at_provider = match (&provider, session.filter(|s| s.method == "oidc")) {
        (Some(p), Some(s)) => {
            let back = login_page_of(&p.config.redirect_url);
            p.end_session_url(s.id_token.as_deref(), &back).await
        }
        _ => None,
    };
    Ok(match at_provider {
        Some(url) => HttpResponse::Ok()
            .cookie(cookie::cleared_cookie())
            .json(SignedOut { end_session_url: url.to_string() }),
        None => HttpResponse::NoContent().cookie(cookie::cleared_cookie()).finish(),
    })
}

/// The sign-in page beside the provider's callback (`https://host/login.html`): where the
/// provider sends people back after signing out (register it at the provider too).
fn login_page_of(redirect_url: &str) -> String {
    match url::Url::parse(redirect_url) {
        Ok(mut u) => {
            u.set_path("/login.html");
            u.set_query(Some("sso=signed-out"));
            u.to_string()
        }
        Err(_) => "/login.html".into(),
    }
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
    req: HttpRequest,
    body: crate::dto::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let (stored_hash, body) = (caller.user()?.password_hash.clone(), body.into_inner());
    check_new_password(&body.current_password, &body.new_password).map_err(ValidationErrors::from)?;
    let known = state.hasher.verify(body.current_password, Some(stored_hash)).await?;
    check_current_password(known).map_err(ValidationErrors::from)?;
    let (hash, keep) = (state.hasher.hash(body.new_password).await?, caller.session_id.clone());
    run(&pool, &caller, &req, move |conn, ctx| users::change_own_password(conn, ctx, &hash, keep.as_deref()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me).service(change_my_password);
}
