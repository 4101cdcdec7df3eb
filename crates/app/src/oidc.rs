//! Signing in through the municipality's identity provider (OpenID Connect), once the
//! provider's ID token is verified (the API does that, with the `openidconnect` crate): the
//! person's groups decide their role ([`utblick_domain::oidc`]), the account is created,
//! updated, left waiting or shut out, and a session opens — all in one transaction, every
//! change in the audit log.

use chrono::NaiveDateTime;
use utblick_db::models::{NewUserRow, UserRow};
use utblick_db::oidc::{self as repo, Access};
use utblick_db::{DbConn, DbError, identity, write_transaction};
use utblick_domain::oidc::{Granted, GroupRule, RoleSource, SignIn, granted_by_groups, sign_in as decide};

use crate::sessions::{How, NewSecrets, start};
use crate::{AppError, AuditContext};

/// Who the provider says signed in, from its verified ID token.
#[derive(Debug, Clone)]
pub struct ProviderIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub groups: Vec<String>,
    /// The provider's session id (`sid`), when it sends one.
    pub sid: Option<String>,
    /// The ID token itself (the hint of a sign-out at the provider).
    pub id_token: String,
}

/// What the sign-in came to.
#[derive(Debug)]
pub enum Outcome {
    /// Signed in: the session (its secrets the caller made) is open.
    SignedIn(Box<UserRow>),
    /// A new account waits for an administrator's approval.
    Pending,
    /// No access, and why (for the security log): `no-group` (the provider no longer puts
    /// the person in a group Utblick knows), `pending`, `deactivated`, `no-email`,
    /// `email-taken` (the address belongs to an account of another identity).
    Refused(&'static str),
}

/// The password hash of accounts that sign in only through the provider: no password
/// matches it (it is no PHC string).
pub const NO_PASSWORD: &str = "!provider";

/// Signs `who` in: see the module.
pub fn sign_in(
    conn: &mut DbConn,
    audit: &AuditContext,
    who: &ProviderIdentity,
    rules: &[GroupRule],
    secrets: &NewSecrets,
    session_ttl_s: i64,
    now: NaiveDateTime,
) -> Result<Outcome, AppError> {
    Ok(write_transaction::<_, DbError, _>(conn, |conn| {
        let provider = provider_acting(audit, &who.issuer);
        let account = account_of(conn, &provider, who, now)?;
        // The organisations the rules name, found first.
        let mut organisations = std::collections::HashMap::new();
        for external in rules.iter().filter_map(|r| r.organisation.as_deref()) {
            organisations.insert(external, repo::active_organisation_by_external_id(conn, external)?);
        }
        let granted =
            granted_by_groups(&who.groups, rules, |external| organisations.get(external).copied().flatten());
        let current = account.as_ref().map(|u| (source_of(u), u.active));
        match (decide(granted, current), account) {
            (SignIn::As(g), Some(user)) => {
                let user = give_access(conn, &provider, &user, g, now)?;
                start(conn, audit, &user, secrets, session_ttl_s, now, &how(who))?;
                Ok(Outcome::SignedIn(Box::new(user)))
            }
            (SignIn::As(g), None) => match create(conn, &provider, who, g, now)? {
                Ok(user) => {
                    start(conn, audit, &user, secrets, session_ttl_s, now, &how(who))?;
                    Ok(Outcome::SignedIn(Box::new(user)))
                }
                Err(reason) => Ok(Outcome::Refused(reason)),
            },
            (SignIn::Keep, Some(user)) => {
                start(conn, audit, &user, secrets, session_ttl_s, now, &how(who))?;
                Ok(Outcome::SignedIn(Box::new(user)))
            }
            (SignIn::Pending, None) => {
                let waiting = Granted { role: utblick_domain::Role::Reader, organisation_id: None };
                match create(conn, &provider, who, waiting, now)? {
                    Ok(user) => {
                        let a = Access {
                            active: false,
                            role_source: RoleSource::Pending.code().into(),
                            ..Access::of(&user)
                        };
                        repo::set_access(conn, user.id, &a, now)?;
                        Ok(Outcome::Pending)
                    }
                    Err(reason) => Ok(Outcome::Refused(reason)),
                }
            }
            (SignIn::Refused, Some(user)) => Ok(Outcome::Refused(shut_out(conn, &provider, &user, now)?)),
            // `Keep` and `Refused` need an account, `Pending` is only for a new one.
            (SignIn::Keep | SignIn::Refused, None) => Ok(Outcome::Refused("no-group")),
            (SignIn::Pending, Some(_)) => Ok(Outcome::Refused("pending")),
        }
    })?)
}

/// The provider acting, for the audit log: `identitetsleverantören (<issuer>)`, with the
/// request's id and address.
fn provider_acting(audit: &AuditContext, issuer: &str) -> AuditContext {
    AuditContext {
        actor_kind: "system",
        actor_id: None,
        actor_label: format!("identitetsleverantören ({issuer})"),
        ..audit.clone()
    }
}

fn how(who: &ProviderIdentity) -> How {
    How::Provider { issuer: who.issuer.clone(), sid: who.sid.clone(), id_token: who.id_token.clone() }
}

fn source_of(u: &UserRow) -> RoleSource {
    RoleSource::parse(&u.role_source).unwrap_or(RoleSource::Local)
}

/// The account of the provider's identity; an account with the same e-mail address and no
/// provider identity yet is linked to it (the municipality's accounts from before single
/// sign-on).
fn account_of(
    conn: &mut DbConn,
    provider: &AuditContext,
    who: &ProviderIdentity,
    now: NaiveDateTime,
) -> Result<Option<UserRow>, DbError> {
    if let Some(u) = repo::find_user_by_subject(conn, &who.issuer, &who.subject)? {
        return Ok(Some(u));
    }
    let Some(email) = who.email.as_deref().and_then(|e| utblick_domain::Email::parse(e).ok()) else {
        return Ok(None);
    };
    match identity::find_user_by_email(conn, email.as_str())? {
        Some(u) if u.oidc_subject.is_none() => {
            let linked = repo::link_user(conn, u.id, &who.issuer, &who.subject, now)?;
            let changes = serde_json::json!({"issuer": who.issuer, "subject": who.subject});
            provider.record(conn, now, "user.linked", "user", Some(u.id.to_string()), changes)?;
            Ok(Some(linked))
        }
        _ => Ok(None),
    }
}

/// A new account from the provider's identity, or why there can be none.
fn create(
    conn: &mut DbConn,
    provider: &AuditContext,
    who: &ProviderIdentity,
    g: Granted,
    now: NaiveDateTime,
) -> Result<Result<UserRow, &'static str>, DbError> {
    let Some(email) = who.email.as_deref().and_then(|e| utblick_domain::Email::parse(e).ok()) else {
        return Ok(Err("no-email"));
    };
    if identity::find_user_by_email(conn, email.as_str())?.is_some() {
        return Ok(Err("email-taken"));
    }
    let name = who
        .name
        .as_deref()
        .and_then(|n| utblick_domain::access::parse_display_name(n).ok())
        .map_or_else(|| email.as_str().to_owned(), |n| n.as_str().to_owned());
    let user = identity::insert_user(
        conn,
        &NewUserRow {
            email: email.as_str(),
            display_name: &name,
            role: g.role.code(),
            organisation_id: g.organisation_id,
            active: true,
            password_hash: NO_PASSWORD,
            must_change_password: false,
            version: 1,
            created_at: now,
            updated_at: now,
        },
    )?;
    repo::link_user(conn, user.id, &who.issuer, &who.subject, now)?;
    let a = Access { role_source: RoleSource::Provider.code().into(), ..Access::of(&user) };
    let user = repo::set_access(conn, user.id, &a, now)?;
    let changes = serde_json::json!({
        "email": user.email, "role": user.role, "organisation_id": user.organisation_id,
        "groups": who.groups, "issuer": who.issuer,
    });
    provider.record(conn, now, "user.created", "user", Some(user.id.to_string()), changes)?;
    Ok(Ok(user))
}

/// Gives the account what the groups give (recording a change).
fn give_access(
    conn: &mut DbConn,
    provider: &AuditContext,
    user: &UserRow,
    g: Granted,
    now: NaiveDateTime,
) -> Result<UserRow, DbError> {
    let before = Access::of(user);
    let after = Access {
        role: g.role.code().into(),
        organisation_id: g.organisation_id,
        active: true,
        role_source: RoleSource::Provider.code().into(),
    };
    if before == after {
        return Ok(user.clone());
    }
    let updated = repo::set_access(conn, user.id, &after, now)?;
    record_change(conn, provider, user.id, &before, &after, "the provider's groups", now)?;
    Ok(updated)
}

/// Shuts out an account the groups no longer give access to (deactivated, its sessions
/// ended); why it is refused.
fn shut_out(
    conn: &mut DbConn,
    provider: &AuditContext,
    user: &UserRow,
    now: NaiveDateTime,
) -> Result<&'static str, DbError> {
    match source_of(user) {
        RoleSource::Pending => Ok("pending"),
        RoleSource::Provider if user.active => {
            let before = Access::of(user);
            let after = Access { active: false, ..before.clone() };
            repo::set_access(conn, user.id, &after, now)?;
            identity::revoke_user_sessions(conn, user.id, None, "no group in the identity provider", now)?;
            record_change(conn, provider, user.id, &before, &after, "in no group of the provider", now)?;
            Ok("no-group")
        }
        RoleSource::Provider => Ok("no-group"),
        RoleSource::Local | RoleSource::Administrator => Ok("deactivated"),
    }
}

fn record_change(
    conn: &mut DbConn,
    provider: &AuditContext,
    id: i64,
    before: &Access,
    after: &Access,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let pair = |b: serde_json::Value, a: serde_json::Value| serde_json::json!({"before": b, "after": a});
    let mut changes = serde_json::Map::new();
    if before.role != after.role {
        changes.insert("role".into(), pair(before.role.clone().into(), after.role.clone().into()));
    }
    if before.organisation_id != after.organisation_id {
        changes.insert(
            "organisation_id".into(),
            pair(before.organisation_id.into(), after.organisation_id.into()),
        );
    }
    if before.active != after.active {
        changes.insert("active".into(), pair(before.active.into(), after.active.into()));
    }
    if before.role_source != after.role_source {
        changes.insert(
            "role_source".into(),
            pair(before.role_source.clone().into(), after.role_source.clone().into()),
        );
    }
    changes.insert("reason".into(), reason.into());
    provider.record(
        conn,
        now,
        "user.updated",
        "user",
        Some(id.to_string()),
        serde_json::Value::Object(changes),
    )
}

/// Ends the sessions the provider's back-channel sign-out names (its subject, its session
/// id or both): how many were open.
pub fn end_provider_sessions(
    conn: &mut DbConn,
    audit: &AuditContext,
    issuer: &str,
    subject: Option<&str>,
    sid: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    Ok(write_transaction::<_, DbError, _>(conn, |conn| {
        let open = repo::open_sessions_of_provider_session(conn, issuer, subject, sid)?;
        let provider = provider_acting(audit, issuer);
        for s in &open {
            if identity::revoke_session(conn, &s.id, "signed out at the identity provider", now)? {
                let why = serde_json::json!({"reason": "signed out at the identity provider"});
                provider.record(conn, now, "session.revoked", "session", Some(s.id.clone()), why)?;
            }
        }
        Ok(open.len())
    })?)
}
