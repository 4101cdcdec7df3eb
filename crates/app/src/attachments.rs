//! Use cases of attached files (evidence) of reports, projects and activities: attach, list,
//! read and remove. Who may attach to or remove from something is who may edit it (a report
//! only while it may be edited: a draft or a returned one); every signed-in person who may
//! read internal records reads them. Handing a report in freezes its files (see
//! `reports::change_status`).

use sha2::{Digest, Sha256};
use utblick_db::DbConn;
use utblick_db::attachments::{self as repo, AttachmentRow, NewAttachment, Owner};
use utblick_domain::attachment;
use utblick_domain::report::ReportStatus;
use utblick_domain::{Action, Principal};

use crate::{AppError, Ctx, Done, Event, stored};

const ENTITY: &str = "attachment";

/// A file as it was sent.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub media_type: Option<&'a str>,
    pub content: &'a [u8],
}

/// What editing `owner` needs: the organisation whose record it is, and whether the record
/// may take files now.
fn edit_rights(conn: &mut DbConn, owner: Owner) -> Result<(Action, bool), AppError> {
    match owner {
        Owner::Report(id) => {
            let r = utblick_db::reports::get_report(conn, id)?
                .ok_or_else(|| AppError::NotFound(format!("report {id}")))?;
            let status = stored(ReportStatus::parse(&r.report.status))?;
            Ok((
                Action::EditOrganisationData { organisation_id: r.report.organisation_id },
                status.editable(),
            ))
        }
        Owner::Project(id) => {
            let p = crate::projects::load(conn, id)?;
            Ok((
                Action::EditOrganisationData { organisation_id: p.project.owner_organisation_id },
                p.project.archived_at.is_none(),
            ))
        }
        Owner::Activity(id) => {
            let a = crate::activities::load(conn, id)?;
            Ok((
                Action::EditOrganisationData { organisation_id: a.activity.organisation_id },
                a.activity.archived_at.is_none(),
            ))
        }
    }
}

fn owner_json(owner: Owner) -> serde_json::Value {
    match owner {
        Owner::Report(id) => serde_json::json!({"report_id": id}),
        Owner::Project(id) => serde_json::json!({"project_id": id}),
        Owner::Activity(id) => serde_json::json!({"activity_id": id}),
    }
}

/// Attaches a file of at most `max_bytes` to `owner`.
pub fn attach(
    conn: &mut DbConn,
    ctx: &Ctx,
    owner: Owner,
    upload: &Upload<'_>,
    max_bytes: u64,
) -> Result<Done<AttachmentRow>, AppError> {
    // Who may not read at all is told so before anything about the record.
    ctx.require(Action::ReadInternal)?;
    let (action, open) = edit_rights(conn, owner)?;
    ctx.require(action)?;
    let file_name = attachment::file_name(upload.file_name)?;
    let media_type = attachment::media_type(upload.media_type);
    attachment::check_size(upload.content.len() as u64, max_bytes)?;
    if !open {
        return Err(utblick_domain::FieldError::rule(
            "attachment",
            "not_editable",
            "files are attached only while the record may be edited",
            "filer bifogas bara medan posten får ändras",
        )
        .of_state()
        .into());
    }
    let sha256 = format!("{:x}", Sha256::digest(upload.content));
    let uploaded_by = match ctx.principal {
        Principal::User { id, .. } => Some(id),
        _ => None,
    };
    let row = repo::insert(
        conn,
        &NewAttachment {
            owner,
            file_name: &file_name,
            media_type: &media_type,
            sha256: &sha256,
            content: upload.content,
            uploaded_by,
            now: ctx.now,
        },
    )?;
    let mut changes = owner_json(owner);
    changes["file_name"] = file_name.into();
    changes["media_type"] = media_type.into();
    changes["size_bytes"] = row.size_bytes.into();
    changes["sha256"] = sha256.into();
    let id = row.id;
    Ok(Done::new(row, Event::new(ENTITY, "created", id, changes)))
}

/// The files offered of `owner` (it must exist). Reading needs `Action::ReadInternal`, as
/// reading the record does (the handler asks it).
pub fn list(conn: &mut DbConn, owner: Owner) -> Result<Vec<AttachmentRow>, AppError> {
    edit_rights(conn, owner)?;
    Ok(repo::list(conn, owner)?)
}

/// A file's record and content; a removed one is not found.
pub fn read(conn: &mut DbConn, id: i64) -> Result<(AttachmentRow, Vec<u8>), AppError> {
    let not_found = || AppError::NotFound(format!("attachment {id}"));
    let row = repo::get(conn, id)?.filter(|r| r.removed_at.is_none()).ok_or_else(not_found)?;
    let content = repo::content(conn, id)?.ok_or_else(not_found)?;
    Ok((row, content))
}

/// Removes a file not handed in with a report.
pub fn remove(conn: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Done<AttachmentRow>, AppError> {
    ctx.require(Action::ReadInternal)?;
    let not_found = || AppError::NotFound(format!("attachment {id}"));
    let row = repo::get(conn, id)?.filter(|r| r.removed_at.is_none()).ok_or_else(not_found)?;
    let owner = row
        .owner()
        .ok_or_else(|| AppError::Db(utblick_db::DbError::Corrupt(format!("attachment {id} has no owner"))))?;
    let (action, _) = edit_rights(conn, owner)?;
    ctx.require(action)?;
    attachment::check_removable(row.handed_in_version.is_some())?;
    if !repo::remove(conn, id, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = repo::get(conn, id)?.ok_or_else(not_found)?;
    let mut changes = owner_json(owner);
    changes["file_name"] = row.file_name.into();
    Ok(Done::new(after, Event::new(ENTITY, "removed", id, changes)))
}
