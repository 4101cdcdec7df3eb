//! Organisations (the minimum the identity slice needs), people, sessions, refresh tokens,
//! API tokens and login throttling.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::offset;
use crate::listing::{list_filter, order_by, text_matches, where_given};
use crate::models::{
    ApiTokenRow, NewApiTokenRow, NewUserRow, OrganisationRow, SessionRow, ThrottleRow, UserRow,
};
use crate::schema::{api_tokens, login_throttle, organisations, refresh_tokens, sessions, users};

// --- organisations ---------------------------------------------------------------------

pub fn insert_organisation(
    conn: &mut DbConn,
    name: &str,
    kind: &str,
    now: NaiveDateTime,
) -> Result<OrganisationRow, DbError> {
    Ok(diesel::insert_into(organisations::table)
        .values((
            organisations::name.eq(name),
            organisations::kind.eq(kind),
            organisations::active.eq(true),
            organisations::created_at.eq(now),
            organisations::updated_at.eq(now),
        ))
        .returning(organisations::all_columns)
        .get_result(conn)?)
}

/// Sets parent and external id of a new organisation (kept apart from `insert_organisation`
/// so the identity slice's callers stay as they are).
pub fn set_organisation_links(
    conn: &mut DbConn,
    id: i64,
    parent_id: Option<i64>,
    external_id: Option<&str>,
) -> Result<OrganisationRow, DbError> {
    diesel::update(organisations::table.find(id))
        .set((organisations::parent_id.eq(parent_id), organisations::external_id.eq(external_id)))
        .execute(conn)?;
    get_organisation(conn, id)?.ok_or_else(|| DbError::Corrupt("organisation vanished".into()))
}

/// Changes an organisation if it is still at `expected`.
pub fn update_organisation(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &crate::models::OrganisationFields,
    now: NaiveDateTime,
) -> Result<Option<OrganisationRow>, DbError> {
    let n = diesel::update(
        organisations::table.filter(organisations::id.eq(id)).filter(organisations::version.eq(expected)),
    )
    .set((f, organisations::version.eq(expected + 1), organisations::updated_at.eq(now)))
    .execute(conn)?;
    if n == 0 { Ok(None) } else { get_organisation(conn, id) }
}

list_filter! {
    /// Filters, search and order of the organisation list.
    #[derive(Default)]
    pub struct OrganisationFilter {
        pub kind: Option<String>,
        pub active: Option<bool>,
        /// Only the departments directly under this organisation.
        pub parent_id: Option<i64>,
        /// Words in the name or the external id.
        pub q: Option<String>,
    }

    /// What the organisation list can be ordered by.
    pub enum OrganisationSort {
        #[default]
        Name,
        Kind,
    }
}

fn organisations_filtered(f: &OrganisationFilter) -> organisations::BoxedQuery<'static, MultiBackend> {
    let mut q = organisations::table.into_boxed();
    where_given!(
        q,
        f.kind => eq organisations::kind,
        f.active => eq organisations::active,
        f.parent_id => eq organisations::parent_id,
    );
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["name", "external_id"], text));
    }
    where_given!(q, f.ids => eq_any organisations::id);
    q
}

pub fn count_organisations(conn: &mut DbConn, f: &OrganisationFilter) -> Result<i64, DbError> {
    Ok(organisations_filtered(f).count().get_result(conn)?)
}

/// The filtered list in the filter's order.
fn ordered(f: &OrganisationFilter) -> organisations::BoxedQuery<'static, MultiBackend> {
    let q = organisations_filtered(f);
    let (desc, id) = (f.sort.descending, organisations::id);
    match f.sort.key {
        OrganisationSort::Name => order_by!(q, desc, text organisations::name, id),
        OrganisationSort::Kind => order_by!(q, desc, organisations::kind, id),
    }
}

/// The ids of the whole filtered list, in its order.
pub fn organisation_ids(conn: &mut DbConn, f: &OrganisationFilter) -> Result<Vec<i64>, DbError> {
    Ok(ordered(f).select(organisations::id).load(conn)?)
}

pub fn list_organisations(
    conn: &mut DbConn,
    f: &OrganisationFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<OrganisationRow>, DbError> {
    let q = ordered(f).select(OrganisationRow::as_select());
    Ok(q.offset(offset(skip)?).limit(i64::from(limit)).load(conn)?)
}

pub fn get_organisation(conn: &mut DbConn, id: i64) -> Result<Option<OrganisationRow>, DbError> {
    Ok(organisations::table.find(id).select(OrganisationRow::as_select()).first(conn).optional()?)
}

// --- users -----------------------------------------------------------------------------

list_filter! {
    /// Filters, search and order of people's accounts.
    #[derive(Default)]
    pub struct UserFilter {
        pub role: Option<String>,
        pub organisation_id: Option<i64>,
        pub active: Option<bool>,
        /// Words in the e-mail address or the name.
        pub q: Option<String>,
    }

    /// What the accounts can be ordered by.
    pub enum UserSort {
        #[default]
        Email,
        Name,
        Role,
        Created,
    }
}

fn users_filtered(f: &UserFilter) -> users::BoxedQuery<'static, MultiBackend> {
    let mut q = users::table.into_boxed();
    where_given!(q, f.role => eq users::role, f.organisation_id => eq users::organisation_id, f.active => eq users::active);
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["users.email", "users.display_name"], text));
    }
    where_given!(q, f.ids => eq_any users::id);
    q
}

fn users_ordered(f: &UserFilter) -> users::BoxedQuery<'static, MultiBackend> {
    let q = users_filtered(f);
    let (desc, id) = (f.sort.descending, users::id);
    match f.sort.key {
        UserSort::Email => order_by!(q, desc, users::email, id),
        UserSort::Name => order_by!(q, desc, text users::display_name, id),
        UserSort::Role => order_by!(q, desc, users::role, id),
        UserSort::Created => order_by!(q, desc, users::created_at, id),
    }
}

/// How many accounts there are (the first start asks: none yet?).
pub fn count_users(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(users::table.count().get_result(conn)?)
}

pub fn count_users_matching(conn: &mut DbConn, f: &UserFilter) -> Result<i64, DbError> {
    Ok(users_filtered(f).count().get_result(conn)?)
}

/// The ids of the whole filtered list, in its order.
pub fn user_ids(conn: &mut DbConn, f: &UserFilter) -> Result<Vec<i64>, DbError> {
    Ok(users_ordered(f).select(users::id).load(conn)?)
}

pub fn list_users(conn: &mut DbConn, f: &UserFilter, skip: u64, limit: u32) -> Result<Vec<UserRow>, DbError> {
    Ok(users_ordered(f)
        .select(UserRow::as_select())
        .offset(offset(skip)?)
        .limit(i64::from(limit))
        .load(conn)?)
}

crate::listing::by_ids!(UserFilter);

pub fn get_user(conn: &mut DbConn, id: i64) -> Result<Option<UserRow>, DbError> {
    Ok(users::table.find(id).select(UserRow::as_select()).first(conn).optional()?)
}

pub fn find_user_by_email(conn: &mut DbConn, email: &str) -> Result<Option<UserRow>, DbError> {
    Ok(users::table.filter(users::email.eq(email)).select(UserRow::as_select()).first(conn).optional()?)
}

pub fn insert_user(conn: &mut DbConn, u: &NewUserRow<'_>) -> Result<UserRow, DbError> {
    Ok(diesel::insert_into(users::table).values(u).returning(users::all_columns).get_result(conn)?)
}

/// The fields an administrator may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub organisation_id: Option<Option<i64>>,
    pub active: Option<bool>,
}

/// Applies `changes` if the stored version is still `expected_version`; `None` when it is
/// not (someone else changed the user first) or the user does not exist.
pub fn update_user(
    conn: &mut DbConn,
    id: i64,
    expected_version: i32,
    changes: &UserChanges,
    now: NaiveDateTime,
) -> Result<Option<UserRow>, DbError> {
    let n = diesel::update(users::table.filter(users::id.eq(id)).filter(users::version.eq(expected_version)))
        .set((changes, users::version.eq(expected_version + 1), users::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get_user(conn, id)
}

pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    must_change: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(must_change),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

// --- sessions and refresh tokens --------------------------------------------------------

pub fn insert_session(conn: &mut DbConn, s: &SessionRow) -> Result<(), DbError> {
    diesel::insert_into(sessions::table).values(s).execute(conn)?;
    Ok(())
}

pub fn get_session(conn: &mut DbConn, id: &str) -> Result<Option<SessionRow>, DbError> {
    Ok(sessions::table.find(id).select(SessionRow::as_select()).first(conn).optional()?)
}

/// Revokes one session; returns whether it was still open.
pub fn revoke_session(
    conn: &mut DbConn,
    id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(sessions::table.find(id).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
        .execute(conn)?;
    Ok(n > 0)
}

/// Revokes every open session of a user, except `keep`; returns how many.
pub fn revoke_user_sessions(
    conn: &mut DbConn,
    user_id: i64,
    keep: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::revoked_at.is_null());
    let n = match keep {
        Some(k) => diesel::update(q.filter(sessions::id.ne(k)))
            .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
            .execute(conn)?,
        None => diesel::update(q)
            .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
            .execute(conn)?,
    };
    Ok(n)
}

pub fn insert_refresh_token(
    conn: &mut DbConn,
    hash: &str,
    session_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// What presenting a refresh token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshUse {
    /// Unknown token.
    Unknown,
    /// First use: the token is now spent. Carries the session id.
    Fresh(String),
    /// The token was already spent: when it was, and whether a token the session got
    /// after that has been used since.
    Reused { session_id: String, spent_at: NaiveDateTime, successor_used: bool },
}

/// Spends a refresh token, atomically: of two concurrent uses only one is `Fresh`.
pub fn use_refresh_token(conn: &mut DbConn, hash: &str, now: NaiveDateTime) -> Result<RefreshUse, DbError> {
    let found: Option<(String, Option<NaiveDateTime>)> = refresh_tokens::table
        .find(hash)
        .select((refresh_tokens::session_id, refresh_tokens::used_at))
        .first(conn)
        .optional()?;
    let Some((session, _)) = found else { return Ok(RefreshUse::Unknown) };
    let n = diesel::update(refresh_tokens::table.find(hash).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)?;
    if n == 1 {
        return Ok(RefreshUse::Fresh(session));
    }
    let spent_at: Option<NaiveDateTime> =
        refresh_tokens::table.find(hash).select(refresh_tokens::used_at).first(conn)?;
    let spent_at = spent_at.unwrap_or(now);
    let successors_used: i64 = refresh_tokens::table
        .filter(refresh_tokens::session_id.eq(&session))
        .filter(refresh_tokens::created_at.ge(spent_at))
        .filter(refresh_tokens::token_hash.ne(hash))
        .filter(refresh_tokens::used_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(RefreshUse::Reused { session_id: session, spent_at, successor_used: successors_used > 0 })
}

/// Discards every unused refresh token of a session (a retried refresh replaces the token
/// its client never received; that token then works for no one).
pub fn discard_unused_refresh_tokens(conn: &mut DbConn, session_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(
        refresh_tokens::table
            .filter(refresh_tokens::session_id.eq(session_id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .execute(conn)?)
}

// --- API tokens ------------------------------------------------------------------------

pub fn insert_api_token(conn: &mut DbConn, t: &NewApiTokenRow<'_>) -> Result<ApiTokenRow, DbError> {
    Ok(diesel::insert_into(api_tokens::table)
        .values(t)
        .returning(api_tokens::all_columns)
        .get_result(conn)?)
}

list_filter! {
    /// Filters, search and order of the API tokens.
    #[derive(Default)]
    pub struct TokenFilter {
        /// `active`, `expired` or `revoked`, at `now`.
        pub state: Option<String>,
        pub now: Option<NaiveDateTime>,
        /// Tokens with this scope.
        pub scope: Option<String>,
        /// Words in the token's name or its prefix.
        pub q: Option<String>,
    }

    /// What the tokens can be ordered by.
    pub enum TokenSort {
        /// The newest first (see the API).
        #[default]
        Created,
        Name,
        LastUsed,
    }
}

fn tokens_filtered(f: &TokenFilter) -> api_tokens::BoxedQuery<'static, MultiBackend> {
    let mut q = api_tokens::table.into_boxed();
    let now = f.now.unwrap_or_default();
    match f.state.as_deref() {
        Some("revoked") => q = q.filter(api_tokens::revoked_at.is_not_null()),
        Some("expired") => {
            q = q.filter(api_tokens::revoked_at.is_null()).filter(api_tokens::expires_at.le(now));
        }
        Some("active") => {
            q = q
                .filter(api_tokens::revoked_at.is_null())
                .filter(api_tokens::expires_at.is_null().or(api_tokens::expires_at.gt(now)));
        }
        _ => {}
    }
    if let Some(scope) = &f.scope {
        // Scopes are stored comma-separated.
        let pattern = format!("%,{},%", crate::listing::escape_like(scope));
        let padded = diesel::dsl::sql::<diesel::sql_types::Bool>("(',' || api_tokens.scopes || ',') LIKE ")
            .bind::<diesel::sql_types::Text, _>(pattern)
            .sql(" ESCAPE '\\'");
        q = q.filter(padded);
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["api_tokens.name", "api_tokens.prefix"], text));
    }
    where_given!(q, f.ids => eq_any api_tokens::id);
    q
}

fn tokens_ordered(f: &TokenFilter) -> api_tokens::BoxedQuery<'static, MultiBackend> {
    let q = tokens_filtered(f);
    let (desc, id) = (f.sort.descending, api_tokens::id);
    match f.sort.key {
        TokenSort::Created => order_by!(q, desc, api_tokens::created_at, id),
        TokenSort::Name => order_by!(q, desc, text api_tokens::name, id),
        TokenSort::LastUsed => order_by!(q, desc, nullable api_tokens::last_used_at, id),
    }
}

pub fn count_api_tokens(conn: &mut DbConn, f: &TokenFilter) -> Result<i64, DbError> {
    Ok(tokens_filtered(f).count().get_result(conn)?)
}

/// The ids of the whole filtered list, in its order.
pub fn api_token_ids(conn: &mut DbConn, f: &TokenFilter) -> Result<Vec<i64>, DbError> {
    Ok(tokens_ordered(f).select(api_tokens::id).load(conn)?)
}

crate::listing::by_ids!(TokenFilter);

/// A token with the person who created it: their name, e-mail and whether their account
/// is still active.
pub type ApiTokenWithCreator = (ApiTokenRow, String, String, bool);

pub fn list_api_tokens(
    conn: &mut DbConn,
    f: &TokenFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<ApiTokenWithCreator>, DbError> {
    let rows: Vec<ApiTokenRow> = tokens_ordered(f)
        .select(ApiTokenRow::as_select())
        .offset(offset(skip)?)
        .limit(i64::from(limit))
        .load(conn)?;
    let creators: Vec<i64> = rows.iter().map(|r| r.created_by).collect();
    let people: Vec<(i64, String, String, bool)> = users::table
        .filter(users::id.eq_any(&creators))
        .select((users::id, users::display_name, users::email, users::active))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|t| {
            let (_, name, email, active) = people.iter().find(|p| p.0 == t.created_by)?.clone();
            Some((t, name, email, active))
        })
        .collect())
}

/// One token with its creator.
pub fn get_api_token_with_creator(
    conn: &mut DbConn,
    id: i64,
) -> Result<Option<ApiTokenWithCreator>, DbError> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::id.eq(id))
        .select((ApiTokenRow::as_select(), users::display_name, users::email, users::active))
        .first(conn)
        .optional()?)
}

/// Revokes every still valid token a person created; returns their ids.
pub fn revoke_api_tokens_of(
    conn: &mut DbConn,
    created_by: i64,
    now: NaiveDateTime,
) -> Result<Vec<i64>, DbError> {
    let ids: Vec<i64> = api_tokens::table
        .filter(api_tokens::created_by.eq(created_by))
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::id)
        .order(api_tokens::id.asc())
        .load(conn)?;
    diesel::update(api_tokens::table.filter(api_tokens::id.eq_any(&ids)))
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
    Ok(ids)
}

pub fn get_api_token(conn: &mut DbConn, id: i64) -> Result<Option<ApiTokenRow>, DbError> {
    Ok(api_tokens::table.find(id).select(ApiTokenRow::as_select()).first(conn).optional()?)
}

pub fn find_api_token_by_prefix(conn: &mut DbConn, prefix: &str) -> Result<Option<ApiTokenRow>, DbError> {
    Ok(api_tokens::table
        .filter(api_tokens::prefix.eq(prefix))
        .select(ApiTokenRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn touch_api_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(api_tokens::table.find(id)).set(api_tokens::last_used_at.eq(now)).execute(conn)?;
    Ok(())
}

/// Revokes a token; returns whether it was still valid.
pub fn revoke_api_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<bool, DbError> {
    let n = diesel::update(api_tokens::table.find(id).filter(api_tokens::revoked_at.is_null()))
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
    Ok(n > 0)
}

// --- login throttling ------------------------------------------------------------------

pub fn get_throttle(conn: &mut DbConn, key: &str) -> Result<Option<ThrottleRow>, DbError> {
    Ok(login_throttle::table.find(key).select(ThrottleRow::as_select()).first(conn).optional()?)
}

/// Reads a throttle key for changing it, inside a write transaction: no other transaction
/// can read it for changing (or change it) until this one ends. SQLite's write transaction
/// already holds the database's one write lock; PostgreSQL locks the row, creating it first
/// (with nothing counted) so that there is a row to lock.
pub fn lock_throttle(
    conn: &mut DbConn,
    key: &str,
    now: NaiveDateTime,
) -> Result<Option<ThrottleRow>, DbError> {
    match conn {
        DbConn::Sqlite(_) => get_throttle(conn, key),
        DbConn::Pg(pg) => {
            use diesel::sql_types::{Text, Timestamp};
            diesel::sql_query(
                "INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 0, $2) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(now)
            .execute(pg)?;
            Ok(login_throttle::table
                .find(key)
                .for_update()
                .select(ThrottleRow::as_select())
                .first(pg)
                .optional()?)
        }
    }
}

/// Stores the throttle state for a key (insert or replace, portably).
pub fn put_throttle(conn: &mut DbConn, row: &ThrottleRow) -> Result<(), DbError> {
    let n = diesel::update(login_throttle::table.find(&row.key))
        .set((
            login_throttle::failures.eq(row.failures),
            login_throttle::window_start.eq(row.window_start),
            login_throttle::blocked_until.eq(row.blocked_until),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(login_throttle::table).values(row).execute(conn)?;
    }
    Ok(())
}

pub fn clear_throttle(conn: &mut DbConn, key: &str) -> Result<(), DbError> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)?;
    Ok(())
}

crate::listing::by_ids!(OrganisationFilter);
