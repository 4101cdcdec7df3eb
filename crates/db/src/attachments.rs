//! Attached files of reports, projects and activities, stored in the database itself so that
//! a backup holds them. The database refuses to change a file's content or name, and to
//! change or delete one handed in with a report.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::error::DbError;
use crate::schema::attachments;

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Report(i64),
    Project(i64),
    Activity(i64),
}

/// A file's record, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: i64,
    pub report_id: Option<i64>,
    pub project_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub handed_in_version: Option<i32>,
    pub uploaded_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
}

impl AttachmentRow {
    pub fn owner(&self) -> Option<Owner> {
        match (self.report_id, self.project_id, self.activity_id) {
            (Some(id), None, None) => Some(Owner::Report(id)),
            (None, Some(id), None) => Some(Owner::Project(id)),
            (None, None, Some(id)) => Some(Owner::Activity(id)),
            _ => None,
        }
    }
}

/// A new file (its name and type already checked by the domain).
pub struct NewAttachment<'a> {
    pub owner: Owner,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<i64>,
    pub now: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, a: &NewAttachment<'_>) -> Result<AttachmentRow, DbError> {
    let (report, project, activity) = match a.owner {
        Owner::Report(id) => (Some(id), None, None),
        Owner::Project(id) => (None, Some(id), None),
        Owner::Activity(id) => (None, None, Some(id)),
    };
    let size = i64::try_from(a.content.len()).map_err(|_| DbError::Corrupt("a file too large".into()))?;
    let id: i64 = diesel::insert_into(attachments::table)
        .values((
            attachments::report_id.eq(report),
            attachments::project_id.eq(project),
            attachments::activity_id.eq(activity),
            attachments::file_name.eq(a.file_name),
            attachments::media_type.eq(a.media_type),
            attachments::size_bytes.eq(size),
            attachments::sha256.eq(a.sha256),
            attachments::content.eq(a.content),
            attachments::uploaded_by.eq(a.uploaded_by),
            attachments::created_at.eq(a.now),
        ))
        .returning(attachments::id)
        .get_result(conn)?;
    get(conn, id)?.ok_or_else(|| DbError::Corrupt(format!("attachment {id} vanished")))
}

/// The files of `owner` that are offered: not removed, oldest first.
pub fn list(conn: &mut DbConn, owner: Owner) -> Result<Vec<AttachmentRow>, DbError> {
    let q = attachments::table.filter(attachments::removed_at.is_null()).into_boxed();
    let q = match owner {
        Owner::Report(id) => q.filter(attachments::report_id.eq(id)),
        Owner::Project(id) => q.filter(attachments::project_id.eq(id)),
        Owner::Activity(id) => q.filter(attachments::activity_id.eq(id)),
    };
    Ok(q.order(attachments::id.asc()).select(AttachmentRow::as_select()).load(conn)?)
}

/// The files handed in with version `number` of a report (those handed in with earlier
/// versions included: a version holds every file the report had when it was handed in).
pub fn handed_in_with(conn: &mut DbConn, report_id: i64, number: i32) -> Result<Vec<AttachmentRow>, DbError> {
    Ok(attachments::table
        .filter(attachments::report_id.eq(report_id))
        .filter(attachments::handed_in_version.le(number))
        .order(attachments::id.asc())
        .select(AttachmentRow::as_select())
        .load(conn)?)
}

/// A file's record, removed or not.
pub fn get(conn: &mut DbConn, id: i64) -> Result<Option<AttachmentRow>, DbError> {
    Ok(attachments::table.find(id).select(AttachmentRow::as_select()).first(conn).optional()?)
}

/// A file's content.
pub fn content(conn: &mut DbConn, id: i64) -> Result<Option<Vec<u8>>, DbError> {
    Ok(attachments::table.find(id).select(attachments::content).first(conn).optional()?)
}

/// Removes a file not handed in; false when it is handed in or already removed.
pub fn remove(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<bool, DbError> {
    Ok(diesel::update(
        attachments::table
            .find(id)
            .filter(attachments::removed_at.is_null())
            .filter(attachments::handed_in_version.is_null()),
    )
    .set(attachments::removed_at.eq(now))
    .execute(conn)?
        == 1)
}

/// Hands in a report's files with its version `number`: every offered file not handed in
/// before. Returns how many.
pub fn hand_in(conn: &mut DbConn, report_id: i64, number: i32) -> Result<usize, DbError> {
    Ok(diesel::update(
        attachments::table
            .filter(attachments::report_id.eq(report_id))
            .filter(attachments::removed_at.is_null())
            .filter(attachments::handed_in_version.is_null()),
    )
    .set(attachments::handed_in_version.eq(number))
    .execute(conn)?)
}
