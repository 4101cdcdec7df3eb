//! Signing in and keeping a session: the sign-in attempt (throttled before the password is
//! checked), opening the session, and using a refresh token (rotating, with reuse detection).
//! The caller makes the secrets (session id, refresh tokens) and checks the password; these
//! functions decide and store, each in one write transaction.

use chrono::{Duration, NaiveDateTime};
use utblick_db::models::{SessionRow, UserRow};
use utblick_db::{DbConn, DbError, identity, write_transaction};
use utblick_domain::session::Reuse;

use crate::{AppError, AuditContext, throttle};

/// The throttling keys of a sign-in attempt with their limits: the account's and the
/// client address's.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub account: (String, i32),
    pub client: (String, i32),
    pub window: Duration,
}

impl Attempt {
    /// `limits`: failures allowed per account and per client address in the window.
    pub fn new(email: &str, client_ip: Option<&str>, limits: (i32, i32), window_s: i64) -> Self {
        let (per_account, per_client) = limits;
        Self {
            account: (throttle::account_key(email), per_account),
            client: (throttle::client_key(client_ip.unwrap_or("unknown")), per_client),
            window: Duration::seconds(window_s.max(1)),
        }
    }
}

/// Counts the attempt before the password is checked, in one transaction with the check
/// of the block, so parallel attempts cannot get more passwords checked than allowed:
/// the account to check the password of (none when unknown), or the seconds to wait.
pub fn admit(
    conn: &mut DbConn,
    attempt: &Attempt,
    email: &str,
    now: NaiveDateTime,
) -> Result<(Option<UserRow>, Result<(), i64>), AppError> {
    let keys = [attempt.account.clone(), attempt.client.clone()];
    Ok(write_transaction::<_, DbError, _>(conn, |conn| {
        let admitted = throttle::reserve(conn, &keys, attempt.window, now)?;
        let user = match admitted {
            Ok(()) => identity::find_user_by_email(conn, email)?,
            Err(_) => None,
        };
        Ok((user, admitted))
    })?)
}

/// Why a sign-in is refused, for the security log: no such account, an inactive one, or
/// the wrong password (the caller is told none of this); none when it is admitted.
pub fn refusal(password_ok: bool, user: Option<&UserRow>) -> Option<&'static str> {
    match user {
        None => Some("unknown-account"),
        Some(u) if !u.active => Some("inactive-account"),
        Some(_) if !password_ok => Some("wrong-password"),
        Some(_) => None,
    }
}

/// The secrets of a new session or refresh, made by the caller: the session id and the
/// SHA-256 of the refresh token (the token itself goes only to the client).
#[derive(Debug, Clone)]
pub struct NewSecrets {
    pub session_id: String,
    pub refresh_hash: String,
}

/// After the right password: the account's count starts over, the client gets its
/// reservation back, the session opens and the sign-in is in the audit log.
pub fn open(
    conn: &mut DbConn,
    audit: &AuditContext,
    attempt: &Attempt,
    user: &UserRow,
    secrets: &NewSecrets,
    session_ttl_s: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    Ok(write_transaction::<_, DbError, _>(conn, |conn| {
        identity::clear_throttle(conn, &attempt.account.0)?;
        throttle::release(conn, &attempt.client.0, attempt.client.1, now)?;
        start(conn, audit, user, secrets, session_ttl_s, now, &How::Password)
    })?)
}

/// How a session was opened.
#[derive(Debug, Clone)]
pub enum How {
    /// With the account's password.
    Password,
    /// Through the identity provider: its issuer, its session id (`sid`), the ID token.
    Provider { issuer: String, sid: Option<String>, id_token: String },
}

/// Opens a session for `user` and records the sign-in (and how) in the audit log.
pub(crate) fn start(
    conn: &mut DbConn,
    audit: &AuditContext,
    user: &UserRow,
    secrets: &NewSecrets,
    session_ttl_s: i64,
    now: NaiveDateTime,
    how: &How,
) -> Result<(), DbError> {
    let (method, oidc_sid, id_token, changes) = match how {
        How::Password => ("password", None, None, serde_json::json!({"method": "password"})),
        How::Provider { issuer, sid, id_token } => (
            "oidc",
            sid.clone(),
            Some(id_token.clone()),
            serde_json::json!({"method": "oidc", "issuer": issuer}),
        ),
    };
    let session = SessionRow {
        id: secrets.session_id.clone(),
        user_id: user.id,
        created_at: now,
        expires_at: now + Duration::seconds(session_ttl_s.max(60)),
        revoked_at: None,
        revoked_reason: None,
        method: method.into(),
        oidc_sid,
        id_token,
    };
    identity::insert_session(conn, &session)?;
    identity::insert_refresh_token(conn, &secrets.refresh_hash, &session.id, now)?;
    let actor = AuditContext {
        actor_kind: "user",
        actor_id: Some(user.id),
        actor_label: user.email.clone(),
        ..audit.clone()
    };
    actor.record(conn, now, "login", "user", Some(user.id.to_string()), changes)
}

/// What a refresh token bought.
#[derive(Debug)]
pub enum Refreshed {
    /// The account, the session and (the caller's) new refresh token are stored.
    Ok(Box<(UserRow, SessionRow)>),
    /// A stable reason (for the security log) and the words for the caller.
    Refused(&'static str, &'static str),
}

/// Uses the refresh token with the SHA-256 `hash`: each works once and is replaced by the
/// one hashed `next_hash`; a spent one presented again ends the whole session (a copy may
/// have been stolen) — unless the domain calls it a retry of a lost answer.
pub fn refresh(
    conn: &mut DbConn,
    audit: &AuditContext,
    hash: &str,
    next_hash: &str,
    now: NaiveDateTime,
) -> Result<Refreshed, AppError> {
    Ok(write_transaction::<_, DbError, _>(conn, |conn| {
        let session_id = match identity::use_refresh_token(conn, hash, now)? {
            identity::RefreshUse::Unknown => {
                return Ok(Refreshed::Refused("unknown-token", "the refresh token is not valid"));
            }
            identity::RefreshUse::Reused { session_id, spent_at, successor_used } => {
                match utblick_domain::session::reuse(spent_at, now, successor_used) {
                    // The browser lost the last answer: the token it never got is
                    // discarded and it gets a new one.
                    Reuse::Retry => {
                        identity::discard_unused_refresh_tokens(conn, &session_id)?;
                        session_id
                    }
                    Reuse::Theft => {
                        if identity::revoke_session(conn, &session_id, "refresh token reused", now)? {
                            let why = serde_json::json!({"reason": "refresh token reused"});
                            audit.record(conn, now, "session.revoked", "session", Some(session_id), why)?;
                        }
                        return Ok(Refreshed::Refused(
                            "reused-token",
                            "the refresh token was already used; the session has ended",
                        ));
                    }
                }
            }
            identity::RefreshUse::Fresh(session_id) => session_id,
        };
        let Some(session) = identity::get_session(conn, &session_id)?
            .filter(|s| s.revoked_at.is_none() && s.expires_at > now)
        else {
            return Ok(Refreshed::Refused("session-ended", "the session has ended; sign in again"));
        };
        let Some(user) = identity::get_user(conn, session.user_id)?.filter(|u| u.active) else {
            return Ok(Refreshed::Refused("inactive-account", "the account is not active"));
        };
        // Rotating the token is bookkeeping of the session, not a change to record in the
        // audit log (every page a browser opens refreshes).
        identity::insert_refresh_token(conn, next_hash, &session.id, now)?;
        Ok(Refreshed::Ok(Box::new((user, session))))
    })?)
}
