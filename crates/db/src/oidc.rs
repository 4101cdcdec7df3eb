//! Storage for sign-in through the identity provider (OpenID Connect): accounts by the
//! provider's issuer and subject, where their role comes from, sign-ins under way, and the
//! provider's sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::models::{SessionRow, UserRow};
use crate::schema::{oidc_logins, organisations, sessions, users};

/// The account the provider's `issuer` and `subject` name.
pub fn find_user_by_subject(
    conn: &mut DbConn,
    issuer: &str,
    subject: &str,
) -> Result<Option<UserRow>, DbError> {
    Ok(users::table
        .filter(users::oidc_issuer.eq(issuer))
        .filter(users::oidc_subject.eq(subject))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Links an account to the provider's identity.
pub fn link_user(
    conn: &mut DbConn,
    id: i64,
    issuer: &str,
    subject: &str,
    now: NaiveDateTime,
) -> Result<UserRow, DbError> {
    diesel::update(users::table.find(id))
        .set((
            users::oidc_issuer.eq(issuer),
            users::oidc_subject.eq(subject),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(users::table.find(id).select(UserRow::as_select()).first(conn)?)
}

/// What a sign-in sets of an account's access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: String,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub role_source: String,
}

impl Access {
    pub fn of(u: &UserRow) -> Self {
        Self {
            role: u.role.clone(),
            organisation_id: u.organisation_id,
            active: u.active,
            role_source: u.role_source.clone(),
        }
    }
}

/// Sets an account's role, organisation, whether it is active and where its role comes from.
pub fn set_access(conn: &mut DbConn, id: i64, a: &Access, now: NaiveDateTime) -> Result<UserRow, DbError> {
    diesel::update(users::table.find(id))
        .set((
            users::role.eq(&a.role),
            users::organisation_id.eq(a.organisation_id),
            users::active.eq(a.active),
            users::role_source.eq(&a.role_source),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(users::table.find(id).select(UserRow::as_select()).first(conn)?)
}

/// Marks where an account's role comes from (an administrator's change of a provider account).
pub fn set_role_source(conn: &mut DbConn, id: i64, source: &str) -> Result<(), DbError> {
    diesel::update(users::table.find(id)).set(users::role_source.eq(source)).execute(conn)?;
    Ok(())
}

/// The active organisation with this external id.
pub fn active_organisation_by_external_id(
    conn: &mut DbConn,
    external_id: &str,
) -> Result<Option<i64>, DbError> {
    Ok(organisations::table
        .filter(organisations::external_id.eq(external_id))
        .filter(organisations::active.eq(true))
        .select(organisations::id)
        .first(conn)
        .optional()?)
}

/// Records a sign-in sent to the provider.
pub fn begin_login(
    conn: &mut DbConn,
    state: &str,
    nonce: &str,
    pkce_verifier: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(oidc_logins::table)
        .values((
            oidc_logins::state.eq(state),
            oidc_logins::nonce.eq(nonce),
            oidc_logins::pkce_verifier.eq(pkce_verifier),
            oidc_logins::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the sign-in `state` names, once: its nonce and PKCE verifier, if it was begun after
/// `not_before` and not taken before. Whoever takes it first gets it.
pub fn take_login(
    conn: &mut DbConn,
    state: &str,
    not_before: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<Option<(String, String)>, DbError> {
    let taken = diesel::update(
        oidc_logins::table
            .filter(oidc_logins::state.eq(state))
            .filter(oidc_logins::used_at.is_null())
            .filter(oidc_logins::created_at.ge(not_before)),
    )
    .set(oidc_logins::used_at.eq(now))
    .execute(conn)?;
    if taken == 0 {
        return Ok(None);
    }
    Ok(oidc_logins::table
        .find(state)
        .select((oidc_logins::nonce, oidc_logins::pkce_verifier))
        .first(conn)
        .optional()?)
}

/// Forgets sign-ins begun before `before`.
pub fn prune_logins(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(oidc_logins::table.filter(oidc_logins::created_at.lt(before))).execute(conn)?)
}

/// The open sessions the provider's session `sid` opened (of the provider's `subject`).
pub fn open_sessions_of_provider_session(
    conn: &mut DbConn,
    issuer: &str,
    subject: Option<&str>,
    sid: Option<&str>,
) -> Result<Vec<SessionRow>, DbError> {
    let mut q = sessions::table
        .inner_join(users::table)
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::method.eq("oidc"))
        .filter(users::oidc_issuer.eq(issuer))
        .select(SessionRow::as_select())
        .into_boxed();
    if let Some(sub) = subject {
        q = q.filter(users::oidc_subject.eq(sub));
    }
    if let Some(sid) = sid {
        q = q.filter(sessions::oidc_sid.eq(sid));
    }
    if subject.is_none() && sid.is_none() {
        return Ok(Vec::new());
    }
    Ok(q.load(conn)?)
}
