//! Archiving: public records are never deleted; they are archived (hidden from lists unless
//! asked for) and can be restored. One use case for every archivable record.

use chrono::NaiveDateTime;
use utblick_db::{DbConn, DbError};
use utblick_domain::Action;

use crate::{AppError, Ctx, Done, Event};

/// Stores a record's new `archived_at` (`None`: restored) if it is still at the expected
/// version: `(conn, id, expected, archived_at, now)`.
pub type SetArchived =
    fn(&mut DbConn, i64, i32, Option<NaiveDateTime>, NaiveDateTime) -> Result<bool, DbError>;

/// How one kind of record is archived: its entity name in the audit log (`twin_town`), who
/// may archive it, and its repository functions.
pub struct Archivable<R> {
    pub entity: &'static str,
    pub action: fn(&R) -> Action,
    pub get: fn(&mut DbConn, i64) -> Result<Option<R>, DbError>,
    pub set: SetArchived,
    pub archived_at: fn(&R) -> Option<NaiveDateTime>,
}

impl<R> Archivable<R> {
    pub fn load(&self, conn: &mut DbConn, id: i64) -> Result<R, AppError> {
        (self.get)(conn, id)?
            .ok_or_else(|| AppError::NotFound(format!("{} {id}", self.entity.replace('_', " "))))
    }
}

/// Archives a record, or with `restore` takes it out of the archive; event
/// `<entity>.archived` / `<entity>.restored`.
pub fn archive<R>(
    conn: &mut DbConn,
    ctx: &Ctx,
    kind: &Archivable<R>,
    id: i64,
    restore: bool,
) -> Result<Done<R>, AppError> {
    let before = kind.load(conn, id)?;
    ctx.require((kind.action)(&before))?;
    let version = ctx.expected_version()?;
    if !(kind.set)(conn, id, version, if restore { None } else { Some(ctx.now) }, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = kind.load(conn, id)?;
    let verb = if restore { "restored" } else { "archived" };
    let changes = serde_json::json!({"archived_at": (kind.archived_at)(&after)});
    Ok(Done::new(after, Event::new(kind.entity, verb, id, changes)))
}
