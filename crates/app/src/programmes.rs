//! Programmes (rules 1–4): start a document, edit its draft, start a new version, adopt,
//! link a framework. The domain decides (editable? which version number? what does adoption
//! change?); these functions store exactly that.

use chrono::NaiveDate;
use utblick_db::DbConn;
use utblick_db::models::ProgrammeRecord;
use utblick_db::programmes as repo;
use utblick_domain::governance::{self, Decision};
use utblick_domain::programme::{ProgrammeInput, sees_drafts};
use utblick_domain::{Action, NonEmptyText, Programme, ProgrammeStatus};

use crate::{AppError, Ctx, Done, Event, stored};

const ENTITY: &str = "programme";

/// One version as `who` may read it (the public sees no drafts).
pub fn read(
    conn: &mut DbConn,
    who: &utblick_domain::Principal,
    id: i64,
) -> Result<ProgrammeRecord, AppError> {
    let draft = ProgrammeStatus::Draft.code();
    let rec = repo::get_programme(conn, id)?.filter(|r| sees_drafts(who) || r.programme.status != draft);
    rec.ok_or_else(|| AppError::NotFound(format!("programme {id}")))
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<ProgrammeRecord, AppError> {
    repo::get_programme(conn, id)?.ok_or_else(|| AppError::NotFound(format!("programme {id}")))
}

/// A stored version as the domain's type.
pub fn parse_stored(r: &ProgrammeRecord) -> Result<Programme, AppError> {
    let p = &r.programme;
    Programme::parse(&ProgrammeInput {
        title: p.title.clone(),
        document_id: p.document_id.clone(),
        diarienummer: p.diarienummer_as_registered.clone(),
        version: i64::from(p.version),
        document_type: p.document_type.clone(),
        responsible_administration: p.responsible_administration.clone(),
        responsible_department: p.responsible_department.clone(),
        decided_by: p.decided_by.clone(),
        published: p.published,
        revise_by: p.revise_by,
        purpose: p.purpose.clone(),
        background: p.background.clone(),
        status: p.status.clone(),
        priority_areas: r
            .priority_areas
            .iter()
            .map(|a| (i64::from(a.number), a.title.clone(), a.description.clone()))
            .collect(),
        work_kinds: r.work_kinds.iter().map(|w| (w.kind.clone(), w.description.clone())).collect(),
    })
    .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(format!("programme {}: {e:?}", p.id))))
}

fn status_of(r: &ProgrammeRecord) -> Result<ProgrammeStatus, AppError> {
    stored(ProgrammeStatus::parse(&r.programme.status))
}

/// Starts a new document: version 1, a draft, under an id no document has (409 otherwise).
pub fn create(conn: &mut DbConn, ctx: &Ctx, p: &Programme) -> Result<Done<ProgrammeRecord>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    repo::document_versions(conn, p.document_id().as_str())?
        .first()
        .map_err(|r| AppError::Conflict(r.message().into()))?;
    let id = repo::insert_programme(conn, p, ctx.now)?;
    let changes = serde_json::json!({
        "document_id": p.document_id().as_str(), "version": p.version(), "title": p.title(),
    });
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "created", id, changes)))
}

/// Changes a draft's texts, priority areas and kinds of work; `edit` makes the new content
/// from the stored version (a merge patch applied to it). Only drafts change (rule 1).
pub fn edit_draft(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ProgrammeRecord) -> Result<Programme, AppError>,
) -> Result<Done<ProgrammeRecord>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let before = load(conn, id)?;
    governance::check_editable(status_of(&before)?)?;
    let p = edit(&before)?;
    let version = ctx.expected_version()?;
    if !repo::replace_draft(conn, id, version, &p, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = load(conn, id)?;
    let titles = |r: &ProgrammeRecord| r.priority_areas.iter().map(|a| a.title.clone()).collect::<Vec<_>>();
    let changes = serde_json::json!({
        "title": {"before": before.programme.title, "after": after.programme.title},
        "priority_areas": {"before": titles(&before), "after": titles(&after)},
    });
    Ok(Done::new(after, Event::new(ENTITY, "updated", id, changes)))
}

/// Starts the next version of a document from version `from`: a draft copying its texts,
/// priority areas, kinds of work and framework links; one draft per document at a time.
pub fn new_version(conn: &mut DbConn, ctx: &Ctx, from: i64) -> Result<Done<ProgrammeRecord>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let source = load(conn, from)?;
    let doc = source.programme.document_id.clone();
    let number =
        repo::document_versions(conn, &doc)?.next().map_err(|r| AppError::Conflict(r.message().into()))?;
    let draft = parse_stored(&source)?.next_draft(number)?;
    let id = repo::insert_programme(conn, &draft, ctx.now)?;
    repo::copy_framework_links(conn, from, id)?;
    let changes = serde_json::json!({"document_id": doc, "version": number, "from": from});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "version_created", id, changes)))
}

/// Adopts a draft with the executive board's decision (rule 1): the decision is registered,
/// the draft adopted and the version in force superseded, as the domain's adoption says.
pub fn adopt(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    decision: &Decision,
    revise_by: Option<NaiveDate>,
) -> Result<Done<ProgrammeRecord>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let draft = load(conn, id)?;
    let versions = repo::document_versions(conn, &draft.programme.document_id)?;
    let adoption = governance::adopt(status_of(&draft)?, &versions, decision, revise_by)?;
    let version = ctx.expected_version()?;
    let d = utblick_db::decisions::insert_decision(conn, &crate::decisions::fields(decision), ctx.now)?;
    if !repo::adopt(conn, id, version, d.id, &adoption, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let changes = serde_json::json!({
        "status": {"before": ProgrammeStatus::Draft.code(), "after": ProgrammeStatus::Adopted.code()},
        "decision_id": d.id, "diarienummer": d.diarienummer_as_registered, "published": adoption.published,
        "revise_by": adoption.revise_by, "superseded_programme_id": adoption.supersede,
    });
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "adopted", id, changes)))
}

/// Links a draft to a goal framework, saying how the programme relates to it.
pub fn link_framework(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    framework_id: i64,
    relation: &NonEmptyText,
) -> Result<Done<ProgrammeRecord>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    let draft = load(conn, id)?;
    governance::check_editable(status_of(&draft)?)?;
    if utblick_db::frameworks::get_framework(conn, framework_id)?.is_none() {
        return Err(utblick_domain::FieldError::rule(
            "framework_id",
            "not_found",
            "is not a framework",
            "är inget målramverk",
        )
        .of_state()
        .into());
    }
    let version = ctx.expected_version()?;
    if !repo::touch(conn, id, version, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    repo::link_framework(conn, id, framework_id, relation.as_str())?;
    let changes = serde_json::json!({"framework_id": framework_id});
    Ok(Done::new(load(conn, id)?, Event::new(ENTITY, "framework_linked", id, changes)))
}
