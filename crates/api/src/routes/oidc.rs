//! Signing in with the municipality's identity provider (OpenID Connect): the browser is sent
//! to the provider and comes back with a code, which becomes a session exactly like a
//! password sign-in's (the refresh cookie; the page gets its access token from
//! `/api/v1/auth/refresh`). Browser navigations, so the answers are redirects: back to the
//! sign-in page with `?sso=` saying how it went (`signed-in`, `pending`, `refused`,
//! `failed`, `unavailable`). Every refusal is in the security log.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{Duration, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use utblick_app::oidc::Outcome;
use utblick_db::DbPool;
use utblick_domain::access::SecurityEventKind::LoginFailed;
use utoipa::IntoParams;

use crate::auth::oidc::{OidcError, Provider};
use crate::auth::secrets::{random_hex, sha256_hex};
use crate::auth::{AuthState, Caller, cookie};
use crate::error::ApiError;
use crate::routes::{with_app, with_conn};
use crate::security_log::{SecurityEvent, SecurityLog};

/// How long a sign-in may stay at the provider.
const AT_THE_PROVIDER: Duration = Duration::minutes(10);

/// The sign-in page, told how it went.
fn back_to_sign_in(how: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/login.html?sso={how}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn no_provider() -> ApiError {
    ApiError::NotFound("an identity provider (single sign-on is not set up)".into())
}

/// Sign in with the municipality's identity provider: a redirect to the provider, with a new
/// `state`, `nonce` and PKCE challenge (kept for ten minutes, used once).
#[utoipa::path(
    tag = "auth",
    operation_id = "begin_oidc_sign_in",
    security(()),
    responses(
        (status = 303, description = "To the identity provider's sign-in.",
            headers(("Location" = String, description = "The provider's authorization URL."))),
        crate::responses::NotFound, crate::responses::Unavailable,
    )
)]
#[get("/auth/oidc/login")]
pub async fn begin(
    pool: web::Data<DbPool>,
    provider: Option<web::Data<Provider>>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.ok_or_else(no_provider)?;
    let begun = match provider.begin().await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on: the provider is unavailable");
            return Ok(back_to_sign_in("unavailable"));
        }
    };
    let (state, nonce, verifier, t) = (begun.state.clone(), begun.nonce, begun.pkce_verifier, now());
    with_conn(&pool, move |conn| {
        utblick_db::oidc::prune_logins(conn, t - Duration::days(1))?;
        utblick_db::oidc::begin_login(conn, &state, &nonce, &verifier, t)
    })
    .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, begun.url.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// What the provider sends the browser back with (other parameters, such as Keycloak's
/// `session_state`, are left aside).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code.
    #[param(max_length = 2048, pattern = "^[!-~]*$")]
    pub code: Option<String>,
    /// The `state` the sign-in began with.
    #[param(max_length = 200, pattern = "^[!-~]*$")]
    pub state: Option<String>,
    /// The provider's refusal (`access_denied`, …).
    #[param(max_length = 200, pattern = "^[!-~]*$")]
    pub error: Option<String>,
}

/// The provider's answer: the code exchanged, the ID token checked, the person's groups
/// matched to a role; then a session opens (the refresh cookie is set) and the browser goes
/// back to the sign-in page, which completes it.
#[utoipa::path(
    tag = "auth",
    operation_id = "finish_oidc_sign_in",
    params(CallbackQuery),
    security(()),
    responses(
        (status = 303, description = "To `/login.html?sso=signed-in` (with the refresh cookie), `pending` (the account waits for an administrator), `refused`, `failed` or `unavailable`.",
            headers(("Location" = String, description = "The sign-in page."))),
        crate::responses::NotFound,
    )
)]
#[get("/auth/oidc/callback")]
pub async fn finish(
    pool: web::Data<DbPool>,
    state: web::Data<AuthState>,
    seclog: web::Data<SecurityLog>,
    provider: Option<web::Data<Provider>>,
    caller: Caller,
    q: web::Query<CallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.ok_or_else(no_provider)?;
    let t = now();
    let refuse = |reason: &str, detail: serde_json::Value| {
        let mut d = json!({"method": "oidc", "reason": reason});
        if let (Some(d), serde_json::Value::Object(more)) = (d.as_object_mut(), detail) {
            d.extend(more);
        }
        SecurityEvent::anonymous(LoginFailed, d)
    };
    let record = |e: SecurityEvent| seclog.record(&pool, &caller.audit, t, e);
    if let Some(error) = &q.error {
        record(refuse("provider-refused", json!({"error": error}))).await;
        return Ok(back_to_sign_in("refused"));
    }
    let (Some(code), Some(key)) = (q.code.clone(), q.state.clone()) else {
        record(refuse("no-code", json!({}))).await;
        return Ok(back_to_sign_in("failed"));
    };
    // The sign-in this answer belongs to, once: a replayed or forged answer finds none.
    let taken =
        with_conn(&pool, move |conn| utblick_db::oidc::take_login(conn, &key, t - AT_THE_PROVIDER, t))
            .await?;
    let Some((nonce, verifier)) = taken else {
        record(refuse("unknown-state", json!({}))).await;
        return Ok(back_to_sign_in("failed"));
    };
    let who = match provider.finish(&code, &nonce, &verifier).await {
        Ok(who) => who,
        Err(OidcError::Unavailable(why)) => {
            tracing::warn!(error = %why, "single sign-on: the provider is unavailable");
            return Ok(back_to_sign_in("unavailable"));
        }
        Err(OidcError::Refused(why)) => {
            record(refuse("token-refused", json!({"detail": why}))).await;
            return Ok(back_to_sign_in("failed"));
        }
    };
    let refresh_token = random_hex(32);
    let secrets = utblick_app::sessions::NewSecrets {
        session_id: random_hex(16),
        refresh_hash: sha256_hex(&refresh_token),
    };
    let (audit, rules, ttl) =
        (caller.audit.clone(), provider.config.rules.clone(), state.settings.session_ttl_seconds);
    let person = who.clone();
    let outcome = with_app(&pool, move |conn| {
        utblick_app::oidc::sign_in(conn, &audit, &person, &rules, &secrets, ttl, t)
    })
    .await?;
    match outcome {
        Outcome::SignedIn(_) => Ok(HttpResponse::SeeOther()
            .cookie(cookie::refresh_cookie(&refresh_token, ttl.max(60)))
            .insert_header((header::LOCATION, "/login.html?sso=signed-in"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()),
        Outcome::Pending => {
            record(refuse("pending", json!({"email": who.email, "subject": who.subject}))).await;
            Ok(back_to_sign_in("pending"))
        }
        Outcome::Refused(reason) => {
            record(refuse(reason, json!({"email": who.email, "subject": who.subject}))).await;
            Ok(back_to_sign_in("refused"))
        }
    }
}

/// The provider's back-channel sign-out.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BackchannelLogout {
    /// The provider's signed logout token (a JWT).
    #[schema(max_length = 8192)]
    pub logout_token: String,
}

/// Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the provider tells Utblick,
/// server to server, that a person signed out there; the Utblick sessions that provider
/// session (or that person) opened end at once. Register
/// `<public url>/api/v1/auth/oidc/backchannel-logout` at the provider.
#[utoipa::path(
    tag = "auth",
    operation_id = "oidc_backchannel_logout",
    request_body(content = BackchannelLogout, content_type = "application/x-www-form-urlencoded"),
    security(()),
    responses(
        (status = 200, description = "The sessions it names have ended (or there were none)."),
        (status = 400, description = "The logout token is refused (`{\"error\": \"invalid_request\"}`, as the specification says), or the form is not one."),
        crate::responses::NotFound, crate::responses::Body, crate::responses::TooLarge,
    )
)]
#[post("/auth/oidc/backchannel-logout")]
pub async fn backchannel_logout(
    pool: web::Data<DbPool>,
    seclog: web::Data<SecurityLog>,
    provider: Option<web::Data<Provider>>,
    caller: Caller,
    form: web::Form<BackchannelLogout>,
) -> Result<HttpResponse, ApiError> {
    let provider = provider.ok_or_else(no_provider)?;
    let t = now();
    let out = match provider.verify_logout_token(&form.logout_token).await {
        Ok(out) => out,
        Err(e) => {
            let event = SecurityEvent::anonymous(
                utblick_domain::access::SecurityEventKind::LogoutRefused,
                json!({"method": "oidc", "reason": "logout-token-refused", "detail": e.to_string()}),
            );
            seclog.record(&pool, &caller.audit, t, event).await;
            return Ok(HttpResponse::BadRequest()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(json!({"error": "invalid_request", "error_description": e.to_string()})));
        }
    };
    let (audit, issuer) = (caller.audit.clone(), provider.config.issuer.clone());
    with_app(&pool, move |conn| {
        utblick_app::oidc::end_provider_sessions(
            conn,
            &audit,
            &issuer,
            out.subject.as_deref(),
            out.sid.as_deref(),
            t,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(begin).service(finish).service(backchannel_logout);
}
