//! Importing a register (activities, projects) from the export's own files: each row is
//! found by its external id (or, a row exported from Utblick without one, by its id) and is
//! created, corrected or left as it is — through the same use cases and rules as one record
//! at a time, all or nothing. A file with any bad row stores nothing and every bad row is
//! named (`rows[N].field`, N its row in the file); a dry run does it all and rolls back.

use utblick_db::{Connection, DbConn};
use utblick_domain::error::Collector;
use utblick_domain::{Action, FieldError};

use crate::{AppError, Ctx, Done, Event};

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows equal to what is stored: nothing changes (importing a file twice changes nothing).
    pub unchanged: usize,
    /// Nothing was stored: the report says what the import would do.
    pub dry_run: bool,
}

/// A register an import writes to: how a row finds its record, and the use cases that
/// create and correct one. `bulk`: the caller may import for every organisation
/// (administrators, IT's import tokens); the others only for the organisations whose data
/// they keep.
pub trait Importable {
    /// The audit log's name of the records.
    const ENTITY: &'static str;
    type Record;
    /// A row as the use cases take it.
    type Draft: Clone + PartialEq;

    fn external_id(d: &Self::Draft) -> Option<&str>;
    fn by_external_id(conn: &mut DbConn, ext: &str) -> Result<Option<i64>, AppError>;
    fn load(conn: &mut DbConn, id: i64) -> Result<Option<Self::Record>, AppError>;
    fn version(r: &Self::Record) -> i32;
    /// Is the stored record what the row says (so that it is left alone)?
    fn same(r: &Self::Record, d: &Self::Draft) -> Result<bool, AppError>;
    /// Creates the record, under the id `keep` when that id is free (an import into another
    /// installation keeps the ids other records and files refer to).
    fn create(
        conn: &mut DbConn,
        ctx: &Ctx,
        d: &Self::Draft,
        keep: Option<i64>,
        bulk: bool,
    ) -> Result<Done<Self::Record>, AppError>;
    /// Corrects the record `before` (`ctx` carries its version).
    fn correct(
        conn: &mut DbConn,
        ctx: &Ctx,
        before: &Self::Record,
        d: &Self::Draft,
        bulk: bool,
    ) -> Result<Done<Self::Record>, AppError>;
}

/// How an imported row finds its record: by its external id, or (a row exported from
/// Utblick without one) by its id. A row with neither cannot be imported twice without
/// doubling, so it is refused.
pub fn import_key(keep: Option<i64>, external_id: Option<&str>) -> Result<String, FieldError> {
    match (external_id, keep) {
        (Some(ext), _) => Ok(format!("external:{ext}")),
        (None, Some(id)) => Ok(format!("id:{id}")),
        (None, None) => Err(FieldError::rule(
            "external_id",
            "required",
            "an imported row needs its external id (or the id of an exported row)",
            "en importerad rad behöver sitt externa id (eller id:t från en exporterad rad)",
        )),
    }
}

/// How an import transaction ends: its errors, or a dry run rolled back.
enum Stop {
    Failed(AppError),
    DryRun,
}

impl From<utblick_db::QueryError> for Stop {
    fn from(e: utblick_db::QueryError) -> Self {
        Stop::Failed(AppError::Db(e.into()))
    }
}

impl From<AppError> for Stop {
    fn from(e: AppError) -> Self {
        Stop::Failed(e)
    }
}

/// Imports the rows `(row number, id of an exported row, draft)` into the register `I`, all
/// or nothing; with `dry_run` everything is checked and rolled back. One `imported` event
/// sums the import up beside each record's own events; an import that changed nothing
/// leaves no trace.
pub fn import<I: Importable>(
    conn: &mut DbConn,
    ctx: &Ctx,
    rows: &[(usize, Option<i64>, I::Draft)],
    dry_run: bool,
) -> Result<Done<ImportReport>, AppError> {
    let bulk = ctx.allows(Action::Import);
    let mut report = ImportReport { rows: rows.len(), dry_run, ..ImportReport::default() };
    let mut events = Vec::new();
    let outcome = conn.transaction::<(), Stop, _>(|conn| {
        let mut c = Collector::new();
        let mut seen: Vec<String> = Vec::new();
        for (n, keep, d) in rows {
            let prefix = format!("rows[{n}]");
            let ext = I::external_id(d);
            let Some(key) = c.take(import_key(*keep, ext).map_err(|e| e.under(&prefix))) else { continue };
            if seen.contains(&key) {
                let (en, sv) = ("is on an earlier row too", "finns på en tidigare rad också");
                c.push(FieldError::rule("external_id", "duplicate", en, sv).under(&prefix));
                continue;
            }
            seen.push(key);
            let found = match (ext, keep) {
                (Some(ext), _) => match I::by_external_id(conn, ext)? {
                    Some(id) => I::load(conn, id)?,
                    None => None,
                },
                (None, Some(id)) => I::load(conn, *id)?,
                (None, None) => None,
            };
            let done = match found {
                None => I::create(conn, ctx, d, *keep, bulk).map(|done| {
                    report.created += 1;
                    Some(done)
                }),
                Some(before) if I::same(&before, d)? => {
                    report.unchanged += 1;
                    Ok(None)
                }
                Some(before) => {
                    let at = Ctx { if_match: crate::IfMatch::Version(I::version(&before)), ..ctx.clone() };
                    I::correct(conn, &at, &before, d, bulk).map(|done| {
                        report.updated += 1;
                        Some(done)
                    })
                }
            };
            match done {
                Ok(Some(done)) => events.extend(done.events),
                Ok(None) => {}
                Err(AppError::Invalid(e)) => e.0.into_iter().for_each(|f| c.push(f.under(&prefix))),
                Err(other) => return Err(Stop::Failed(other)),
            }
        }
        c.finish().map_err(AppError::from)?;
        if dry_run { Err(Stop::DryRun) } else { Ok(()) }
    });
    match outcome {
        Ok(()) if events.is_empty() => Ok(Done::many(report, events)),
        Ok(()) => {
            events.push(Event::new(I::ENTITY, "imported", 0, serde_json::json!(report)));
            Ok(Done::many(report, events))
        }
        Err(Stop::DryRun) => Ok(Done::many(report, Vec::new())),
        Err(Stop::Failed(e)) => Err(e),
    }
}
