//! [`Caller`]: who is asking, established from the `Authorization` header and checked
//! against the database on every request.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::NaiveDateTime;
use tracing_actix_web::RequestId;
use utblick_db::models::{ApiTokenRow, UserRow};
use utblick_db::{DbConn, DbError, DbPool, identity};
use utblick_domain::{Action, Decision, Principal, Role, Scope, authorize};

use super::AuthState;
use super::secrets::{api_token_prefix, sha256_hex};
use crate::error::ApiError;

/// The person or machine behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub user: Option<UserRow>,
    pub session_id: Option<String>,
    pub token: Option<ApiTokenRow>,
    pub audit: AuditContext,
}

pub use utblick_app::AuditContext;

impl Caller {
    /// Allowed, or the 401/403 answer. A user whose password was reset must change it
    /// before doing anything else.
    /// Every change needs a signed-in person or a token: an anonymous one is answered 401
    /// before its input is read (what it may change is the use case's to say).
    pub fn signed_in(&self) -> Result<(), ApiError> {
        match self.principal {
            Principal::Anonymous => Err(ApiError::Unauthenticated("sign in, or send an API token".into())),
            _ => Ok(()),
        }
    }

    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        match authorize(&self.principal, action) {
            Decision::Allow => {
                if self.user.as_ref().is_some_and(|u| u.must_change_password) && action != Action::OwnAccount
                {
                    return Err(ApiError::PasswordChangeRequired);
                }
                Ok(())
            }
            Decision::Unauthenticated => {
                Err(ApiError::Unauthenticated("sign in, or send an API token".into()))
            }
            Decision::Forbidden => Err(ApiError::Forbidden),
        }
    }

    /// Who counts as one caller for limits on concurrent work: a person, a token, or an
    /// anonymous client address.
    pub fn export_key(&self) -> String {
        match &self.principal {
            Principal::User { id, .. } => format!("user:{id}"),
            Principal::Token { id, .. } => format!("token:{id}"),
            Principal::CommandLine => "command-line".to_owned(),
            Principal::Anonymous => {
                format!("client:{}", self.audit.client_ip.as_deref().unwrap_or("unknown"))
            }
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.principal == Principal::Anonymous
    }

    /// The signed-in user, or 401/403 for anonymous callers and machines.
    pub fn user(&self) -> Result<&UserRow, ApiError> {
        self.require(Action::OwnAccount)?;
        self.user.as_ref().ok_or(ApiError::Forbidden)
    }
}

/// Who the requests of `utblick`'s command line act as. Only the app the command line
/// builds for itself holds one (the server's never does), and only requests carrying its
/// secret — made for this one run, never written anywhere — are taken as from it.
#[derive(Clone)]
pub struct CommandLine {
    secret: String,
    /// An administrator the command acts for (`utblick token create --by`): an API token is
    /// always created by a person. Otherwise the command line itself ([`Principal::CommandLine`]).
    acting_for: Option<UserRow>,
    /// Who ran the command, for the audit log (`kommandoraden (root)`).
    label: String,
}

impl CommandLine {
    pub fn new(acting_for: Option<UserRow>) -> Self {
        let who = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
        let label =
            if who.is_empty() { "kommandoraden".to_owned() } else { format!("kommandoraden ({who})") };
        Self { secret: super::secrets::random_hex(32), acting_for, label }
    }

    /// The `Authorization` header value its requests carry.
    pub fn authorization(&self) -> String {
        format!("Bearer {}", self.secret)
    }

    fn caller(&self, base: AuditContext) -> Caller {
        let audit =
            AuditContext { actor_kind: "system", actor_id: None, actor_label: self.label.clone(), ..base };
        match &self.acting_for {
            Some(u) => Caller {
                principal: Principal::User {
                    id: u.id,
                    role: Role::Admin,
                    organisation_id: u.organisation_id,
                },
                // The command line is IT, not the person signing in: a password they must
                // change stops their own sign-in, not IT's work in their name.
                user: Some(UserRow { must_change_password: false, ..u.clone() }),
                session_id: None,
                token: None,
                audit: AuditContext {
                    actor_kind: "user",
                    actor_id: Some(u.id),
                    actor_label: format!("{} ({})", u.email, self.label),
                    ..audit
                },
            },
            None => {
                Caller { principal: Principal::CommandLine, user: None, session_id: None, token: None, audit }
            }
        }
    }
}

/// The command line's identity, when this app is the command line's and the request carries
/// its secret.
fn command_line(req: &HttpRequest) -> Option<web::Data<CommandLine>> {
    let identity = req.app_data::<web::Data<CommandLine>>()?;
    let sent = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let expected = identity.authorization();
    // Compared as hashes: equal-length strings, no early exit on the secret's bytes.
    (sha256_hex(sent) == sha256_hex(&expected)).then(|| identity.clone())
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`server.trusted_proxies`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpAddr>);

fn client_ip(req: &HttpRequest) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    let trusted =
        req.app_data::<actix_web::web::Data<TrustedProxies>>().map(|t| t.0.as_slice()).unwrap_or(&[]);
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    Some(client_address(peer, &forwarded, trusted).to_string())
}

/// The client behind a chain of proxies: the peer itself unless it is trusted; otherwise
/// the right-most `X-Forwarded-For` entry that is not a trusted proxy (entries to its left
/// were written by the client and prove nothing). An unreadable entry stops the walk.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&client) {
        return client;
    }
    for entry in forwarded_for.iter().rev() {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(ToString::to_string)
}

enum Credential {
    None,
    Jwt(String),
    ApiToken(String),
}

/// A calendar program subscribing to a feed (`….ics`) cannot send an `Authorization`
/// header: there, and only there, an API token may come as `?key=`.
fn calendar_key(req: &HttpRequest) -> Credential {
    if !req.path().ends_with(".ics") {
        return Credential::None;
    }
    let query = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string());
    let key = query.ok().and_then(|q| q.0.get("key").cloned());
    match key {
        Some(k) if k.starts_with(super::secrets::API_TOKEN_PREFIX) => Credential::ApiToken(k),
        _ => Credential::None,
    }
}

fn credential(req: &HttpRequest) -> Result<Credential, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(calendar_key(req)) };
    let bad = || ApiError::Unauthenticated("the Authorization header must be `Bearer <token>`".into());
    let value = value.to_str().map_err(|_| bad())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(bad());
    }
    let token = token.trim().to_owned();
    Ok(if token.starts_with(super::secrets::API_TOKEN_PREFIX) {
        Credential::ApiToken(token)
    } else {
        Credential::Jwt(token)
    })
}

/// What a credential resolved to: the principal, and the user (with session) or token.
type Resolved = (Principal, Option<UserRow>, Option<String>, Option<ApiTokenRow>);

/// Loads and checks what a credential names. `Err(Unauthenticated)` for anything invalid.
fn resolve(
    conn: &mut DbConn,
    state: &AuthState,
    cred: Credential,
    now: NaiveDateTime,
) -> Result<Resolved, ApiError> {
    let invalid = |why: &str| ApiError::Unauthenticated(why.to_owned());
    match cred {
        Credential::None => Ok((Principal::Anonymous, None, None, None)),
        Credential::Jwt(token) => {
            let claims =
                state.jwt.verify(&token).ok_or_else(|| invalid("the access token is invalid or expired"))?;
            let user_id: i64 = claims.sub.parse().map_err(|_| invalid("the access token is invalid"))?;
            let session = identity::get_session(conn, &claims.sid)?
                .filter(|s| s.user_id == user_id && s.revoked_at.is_none() && s.expires_at > now)
                .ok_or_else(|| invalid("the session has ended; sign in again"))?;
            let user = identity::get_user(conn, user_id)?
                .filter(|u| u.active)
                .ok_or_else(|| invalid("the account is not active"))?;
            let role = Role::parse(&user.role).map_err(|e| ApiError::Internal(e.to_string()))?;
            let principal = Principal::User { id: user.id, role, organisation_id: user.organisation_id };
            Ok((principal, Some(user), Some(session.id), None))
        }
        Credential::ApiToken(token) => {
            let prefix = api_token_prefix(&token).ok_or_else(|| invalid("the API token is invalid"))?;
            let row = identity::find_api_token_by_prefix(conn, prefix)?
                .filter(|t| t.token_hash == sha256_hex(&token))
                .ok_or_else(|| invalid("the API token is invalid"))?;
            if row.revoked_at.is_some() {
                return Err(invalid("the API token has been revoked"));
            }
            if row.expires_at.is_some_and(|e| e <= now) {
                return Err(invalid("the API token has expired"));
            }
            let scopes =
                Scope::parse_list(row.scopes.split(',')).map_err(|e| ApiError::Internal(e.to_string()))?;
            identity::touch_api_token(conn, row.id, now)?;
            Ok((Principal::Token { id: row.id, scopes }, None, None, Some(row)))
        }
    }
}

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let base = AuditContext {
                actor_kind: "anonymous",
                actor_id: None,
                actor_label: "anonymous".into(),
                request_id: request_id(&req),
                client_ip: client_ip(&req),
            };
            if let Some(identity) = command_line(&req) {
                return Ok(identity.caller(base));
            }
            let cred = credential(&req)?;
            if matches!(cred, Credential::None) {
                return Ok(Caller {
                    principal: Principal::Anonymous,
                    user: None,
                    session_id: None,
                    token: None,
                    audit: base,
                });
            }
            let pool = req
                .app_data::<web::Data<DbPool>>()
                .cloned()
                .ok_or_else(|| ApiError::Internal("no database pool".into()))?;
            let state = req
                .app_data::<web::Data<AuthState>>()
                .cloned()
                .ok_or_else(|| ApiError::Internal("no auth state".into()))?;
            let now = chrono::Utc::now().naive_utc();
            let resolved = web::block(move || -> Result<_, ApiError> {
                let mut conn = pool.get().map_err(DbError::Pool)?;
                resolve(&mut conn, &state, cred, now)
            })
            .await
            .map_err(ApiError::from)??;
            let (principal, user, session_id, token) = resolved;
            let audit = match (&user, &token) {
                (Some(u), _) => AuditContext {
                    actor_kind: "user",
                    actor_id: Some(u.id),
                    actor_label: u.email.clone(),
                    ..base
                },
                (_, Some(t)) => AuditContext {
                    actor_kind: "token",
                    actor_id: Some(t.id),
                    actor_label: format!("token {} ({})", t.name, t.prefix),
                    ..base
                },
                _ => base,
            };
            Ok(Caller { principal, user, session_id, token, audit })
        })
    }
}

#[cfg(test)]
mod client_address_tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| panic!("{s}"))
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.2")];
        // No proxy configured: the header is the client's word and ignored.
        assert_eq!(client_address(ip("203.0.113.7"), &["198.51.100.1"], &[]), ip("203.0.113.7"));
        // From an untrusted peer: ignored.
        assert_eq!(client_address(ip("203.0.113.7"), &["198.51.100.1"], &proxy), ip("203.0.113.7"));
        // From the proxy: the address it saw.
        assert_eq!(client_address(ip("10.0.0.2"), &["198.51.100.1"], &proxy), ip("198.51.100.1"));
        // A client forging the header only adds entries to the left of the real one.
        assert_eq!(client_address(ip("10.0.0.2"), &["1.2.3.4", " 198.51.100.1"], &proxy), ip("198.51.100.1"));
        // Two proxies in a row are both skipped.
        let two = [ip("10.0.0.2"), ip("10.0.0.3")];
        assert_eq!(client_address(ip("10.0.0.2"), &["198.51.100.1", "10.0.0.3"], &two), ip("198.51.100.1"));
        // Garbage stops the walk at the last good address; no header leaves the proxy.
        assert_eq!(client_address(ip("10.0.0.2"), &["junk"], &proxy), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), &[], &proxy), ip("10.0.0.2"));
    }
}
