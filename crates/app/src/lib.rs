//! Utblick's use cases: one function per command (create, correct, adopt, change status,
//! archive, erase, …). Each takes a connection, the caller's context ([`Ctx`]) and input the
//! handler has parsed, asks the domain what may happen and what changes, stores exactly that
//! through the repository, and returns the stored record with its audit event ([`Done`]).
//!
//! [`execute`] runs a command inside one write transaction and writes its audit event there,
//! so a command is stored with its audit event or not at all. This crate holds no HTTP types:
//! every workflow is tested here without a server, on SQLite and PostgreSQL. It is a crate of
//! its own (not a module of the API crate) so that the compiler keeps it that way.

pub mod activities;
pub mod api_tokens;
pub mod archive;
pub mod attachments;
pub mod audit;
pub mod collaborations;
pub mod compilations;
pub mod contacts;
pub mod decisions;
pub mod frameworks;
pub mod goals;
pub mod import;
pub mod kpis;
pub mod leads;
pub mod oidc;
pub mod organisations;
pub mod patch;
pub mod programmes;
pub mod projects;
pub mod refs;
pub mod reminders;
pub mod reports;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod twin_towns;
pub mod users;

use chrono::{NaiveDate, NaiveDateTime};
use utblick_db::{DbConn, DbError};
use utblick_domain::{Action, Decision, FieldError, Principal, ValidationErrors, authorize};

pub use audit::AuditContext;
pub use patch::Patch;

/// Who runs a command, when, and which version of the record they edit.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Principal,
    /// A person whose password was reset may do nothing else until it is changed.
    pub must_change_password: bool,
    pub audit: AuditContext,
    pub now: NaiveDateTime,
    pub if_match: IfMatch,
}

/// The version the caller says it edits (HTTP `If-Match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    Missing,
    Unreadable,
    Version(i32),
}

impl Ctx {
    /// Allowed, or why not.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        match authorize(&self.principal, action) {
            Decision::Allow if self.must_change_password && action != Action::OwnAccount => {
                Err(AppError::PasswordChangeRequired)
            }
            Decision::Allow => Ok(()),
            Decision::Unauthenticated => Err(AppError::Unauthenticated),
            Decision::Forbidden => Err(AppError::Forbidden),
        }
    }

    /// Whether the caller may: a question, not a refusal.
    pub fn allows(&self, action: Action) -> bool {
        self.require(action).is_ok()
    }

    /// The version the caller edits: a change without one is refused (428), one that cannot
    /// be read matches nothing (412).
    pub fn expected_version(&self) -> Result<i32, AppError> {
        match self.if_match {
            IfMatch::Version(v) => Ok(v),
            IfMatch::Missing => Err(AppError::PreconditionRequired),
            IfMatch::Unreadable => Err(AppError::PreconditionFailed),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }
}

/// What a command did, for the audit log: `<entity>.<verb>`, the record, and the changes
/// (`{field: {before, after}}` or a description).
#[derive(Debug, Clone)]
pub struct Event {
    pub action: String,
    pub entity: &'static str,
    pub id: i64,
    pub changes: serde_json::Value,
}

impl Event {
    pub fn new(entity: &'static str, verb: &str, id: i64, changes: serde_json::Value) -> Self {
        Self { action: format!("{entity}.{verb}"), entity, id, changes }
    }
}

/// The stored record and its audit events (one for most commands; one per record touched
/// when a command touches several, none when it changed nothing).
#[derive(Debug)]
pub struct Done<R> {
    pub record: R,
    pub events: Vec<Event>,
}

impl<R> Done<R> {
    pub fn new(record: R, event: Event) -> Self {
        Self { record, events: vec![event] }
    }

    pub fn many(record: R, events: Vec<Event>) -> Self {
        Self { record, events }
    }
}

/// Why a command was refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in, or send an API token")]
    Unauthenticated,
    #[error("you may not do this")]
    Forbidden,
    #[error("your password was reset; change it before you go on")]
    PasswordChangeRequired,
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("someone else changed this since you read it")]
    PreconditionFailed,
    #[error("send If-Match with the ETag of the version you edit")]
    PreconditionRequired,
    #[error("{0:?}")]
    Invalid(ValidationErrors),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<ValidationErrors> for AppError {
    fn from(v: ValidationErrors) -> Self {
        AppError::Invalid(v)
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e.into())
    }
}

impl From<utblick_db::QueryError> for AppError {
    fn from(e: utblick_db::QueryError) -> Self {
        AppError::Db(e.into())
    }
}

/// A stored code or value that no longer parses is a defect of the data, never the caller's.
pub fn stored<T>(r: Result<T, FieldError>) -> Result<T, AppError> {
    r.map_err(|e| AppError::Db(DbError::Corrupt(e.to_string())))
}

/// Runs a command in one write transaction and records its audit event in it.
pub fn execute<R>(
    conn: &mut DbConn,
    ctx: &Ctx,
    command: impl FnOnce(&mut DbConn, &Ctx) -> Result<Done<R>, AppError>,
) -> Result<R, AppError> {
    utblick_db::write_transaction::<_, AppError, _>(conn, |conn| {
        let done = command(conn, ctx)?;
        for e in done.events {
            ctx.audit.record(conn, ctx.now, &e.action, e.entity, Some(e.id.to_string()), e.changes)?;
        }
        Ok(done.record)
    })
}

/// A register of the programme's domain that coordinators keep (decisions, twin towns): its
/// audit name, how a record reads in the audit log, and how one is loaded.
pub struct Register<R> {
    pub entity: &'static str,
    pub snapshot: fn(&R) -> serde_json::Value,
    pub load: fn(&mut DbConn, i64) -> Result<R, AppError>,
}

impl<R: Clone> Register<R> {
    /// A new record, stored by `insert`; the audit event holds all of it.
    pub fn create(
        &self,
        conn: &mut DbConn,
        ctx: &Ctx,
        insert: impl FnOnce(&mut DbConn) -> Result<R, DbError>,
        id: fn(&R) -> i64,
    ) -> Result<Done<R>, AppError> {
        ctx.require(Action::EditProgrammeDomain)?;
        let row = insert(conn)?;
        let event = Event::new(self.entity, "created", id(&row), (self.snapshot)(&row));
        Ok(Done::new(row, event))
    }

    /// A correction: `edit` makes the new value from the stored record (and checks what it
    /// refers to), `store` writes it
    /// against the version in `If-Match` (none when someone changed it since: 412), and the
    /// audit event holds what changed.
    pub fn correct<V>(
        &self,
        conn: &mut DbConn,
        ctx: &Ctx,
        id: i64,
        edit: impl FnOnce(&mut DbConn, &R) -> Result<V, AppError>,
        store: impl FnOnce(&mut DbConn, i32, &V) -> Result<Option<R>, DbError>,
    ) -> Result<Done<R>, AppError> {
        ctx.require(Action::EditProgrammeDomain)?;
        let before = (self.load)(conn, id)?;
        let value = edit(conn, &before)?;
        let after = store(conn, ctx.expected_version()?, &value)?.ok_or(AppError::PreconditionFailed)?;
        let changes = diff(&(self.snapshot)(&before), &(self.snapshot)(&after));
        Ok(Done::new(after, Event::new(self.entity, "updated", id, changes)))
    }
}

/// `{field: {before, after}}` for every field whose value differs between two snapshots.
pub fn diff(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (k, v) in a {
            if b.get(k) != Some(v) {
                out.insert(k.clone(), serde_json::json!({"before": b.get(k), "after": v}));
            }
        }
    }
    serde_json::Value::Object(out)
}
