//! Activities (what the annual report counts) and the elected officials who represent the
//! municipality at them. An activity belongs to an organisation that takes new work (rule
//! 7), may belong to a project, and names the officials who represented the municipality;
//! the council appoints one official with special responsibility for international matters.

use utblick_db::DbConn;
use utblick_db::activities as repo;
use utblick_db::models::{ActivityFields, ActivityRecord, OfficialFields, OfficialRow};
use utblick_domain::activity::{Activity, ActivityInput, check_international_appointment};
use utblick_domain::error::Collector;
use utblick_domain::lead::Official;
use utblick_domain::{Action, FieldError};

use crate::archive::Archivable;

use crate::{AppError, Ctx, Done, Event, Register, refs};

const ENTITY: &str = "activity";

/// An activity as the caller writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    pub external_id: Option<String>,
    /// The elected officials who represented the municipality (ids).
    pub representatives: Vec<i64>,
    pub activity: Activity,
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<ActivityRecord, AppError> {
    repo::get_activity(conn, id)?.ok_or_else(|| AppError::NotFound(format!("activity {id}")))
}

/// A stored activity's input, as the domain reads it (and an edit starts from).
pub fn input_of(r: &ActivityRecord) -> ActivityInput {
    let a = &r.activity;
    ActivityInput {
        title: a.title.clone(),
        kind: a.kind.clone(),
        starts_on: Some(a.starts_on),
        ends_on: Some(a.ends_on),
        countries: r.countries.clone(),
        organiser: a.organiser.clone(),
        women: i64::from(a.women),
        men: i64::from(a.men),
        total: i64::from(a.total),
        hour_hundredths: a.hours,
        own_cost_ore: a.own_cost,
        external_cost_ore: a.external_cost,
        other_resources: a.other_resources.clone(),
        outcome: a.outcome.clone(),
    }
}

fn fields(d: &Draft) -> (ActivityFields, Vec<String>) {
    let a = &d.activity;
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let f = ActivityFields {
        external_id: d.external_id.clone(),
        title: a.title.as_str().to_owned(),
        kind: a.kind.code().to_owned(),
        organisation_id: d.organisation_id,
        project_id: d.project_id,
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        organiser: a.organiser.code().to_owned(),
        women: count(a.participants.women),
        men: count(a.participants.men),
        total: count(a.participants.total),
        hours: i64::from(a.hours.hundredths()),
        own_cost: a.own_cost.ore(),
        external_cost: a.external_cost.ore(),
        other_resources: a.other_resources.as_deref().map(str::to_owned),
        outcome: a.outcome.as_deref().map(str::to_owned),
    };
    (f, a.countries.iter().map(|c| c.as_str().to_owned()).collect())
}

/// The organisation takes new work; the project and the officials exist; the external id
/// is not another activity's.
fn check_links(conn: &mut DbConn, id: Option<i64>, d: &Draft) -> Result<(), AppError> {
    let mut c = Collector::new();
    refs::takes_work(conn, &mut c, "organisation_id", d.organisation_id)?;
    if let Some(p) = d.project_id
        && utblick_db::projects::get_project(conn, p)?.is_none()
    {
        c.push(refs::not_there("project_id", "is not a project", "är inget projekt"));
    }
    let reps = &d.representatives;
    let missing = repo::officials_missing(conn, reps)?;
    let (en, sv) = ("is not an elected official on record", "är ingen registrerad förtroendevald");
    refs::each_missing(&mut c, "representatives", "", reps, &missing, en, sv);
    if reps.iter().enumerate().any(|(n, r)| reps[..n].contains(r)) {
        let (en, sv) = ("names an official twice", "nämner en förtroendevald två gånger");
        c.push(FieldError::rule("representatives", "duplicate", en, sv));
    }
    let holder = match &d.external_id {
        Some(ext) => repo::activity_by_external_id(conn, ext)?,
        None => None,
    };
    refs::external_id_free(&mut c, holder, id, "is another activity's id", "är en annan aktivitets id");
    Ok(c.finish()?)
}

fn snapshot(r: &ActivityRecord) -> serde_json::Value {
    let a = &r.activity;
    serde_json::json!({
        "title": a.title, "kind": a.kind, "organisation_id": a.organisation_id, "project_id": a.project_id,
        "starts_on": a.starts_on, "ends_on": a.ends_on, "countries": r.countries, "total": a.total,
        "hours": a.hours, "own_cost": a.own_cost, "external_cost": a.external_cost,
        "representatives": r.representatives, "external_id": a.external_id,
    })
}

/// Records an activity of an organisation the caller may edit.
pub fn create(conn: &mut DbConn, ctx: &Ctx, d: &Draft) -> Result<Done<ActivityRecord>, AppError> {
    create_as(conn, ctx, d, None, false)
}

/// Records an activity, under the id `keep` when that id is free (an import into another
/// installation keeps the ids other records and files refer to); `bulk`: the caller may
/// import for every organisation (administrators, IT's import tokens).
fn create_as(
    conn: &mut DbConn,
    ctx: &Ctx,
    d: &Draft,
    keep: Option<i64>,
    bulk: bool,
) -> Result<Done<ActivityRecord>, AppError> {
    if !bulk {
        ctx.require(Action::EditOrganisationData { organisation_id: d.organisation_id })?;
    }
    check_links(conn, None, d)?;
    let (f, countries) = fields(d);
    let keep = match keep {
        Some(id) if repo::get_activity(conn, id)?.is_none() => Some(id),
        _ => None,
    };
    let id = repo::insert_activity(conn, keep, &f, &countries, &d.representatives, ctx.now)?;
    let rec = load(conn, id)?;
    let event = Event::new(ENTITY, "created", id, snapshot(&rec));
    Ok(Done::new(rec, event))
}

/// Corrects an activity; the caller may edit both the organisation before and after.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ActivityRecord) -> Result<Draft, AppError>,
) -> Result<Done<ActivityRecord>, AppError> {
    correct_as(conn, ctx, id, edit, false)
}

fn correct_as(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ActivityRecord) -> Result<Draft, AppError>,
    bulk: bool,
) -> Result<Done<ActivityRecord>, AppError> {
    let before = load(conn, id)?;
    let may = |org: i64| {
        if bulk { Ok(()) } else { ctx.require(Action::EditOrganisationData { organisation_id: org }) }
    };
    may(before.activity.organisation_id)?;
    let d = edit(&before)?;
    may(d.organisation_id)?;
    check_links(conn, Some(id), &d)?;
    let (f, countries) = fields(&d);
    if !repo::update_activity(conn, id, ctx.expected_version()?, &f, &countries, &d.representatives, ctx.now)?
    {
        return Err(AppError::PreconditionFailed);
    }
    let after = load(conn, id)?;
    let changes = crate::diff(&snapshot(&before), &snapshot(&after));
    Ok(Done::new(after, Event::new(ENTITY, "updated", id, changes)))
}

/// Archiving activities: whoever may edit the organisation's data.
pub const ARCHIVE: Archivable<ActivityRecord> = Archivable {
    entity: ENTITY,
    action: |r| Action::EditOrganisationData { organisation_id: r.activity.organisation_id },
    get: repo::get_activity,
    set: repo::set_activity_archived,
    archived_at: |r| r.activity.archived_at,
};

// --- Import ------------------------------------------------------------------------------

/// The activity register as an import writes to it ([`crate::import::import`]).
pub struct Activities;

impl crate::import::Importable for Activities {
    const ENTITY: &'static str = ENTITY;
    type Record = ActivityRecord;
    type Draft = Draft;

    fn external_id(d: &Draft) -> Option<&str> {
        d.external_id.as_deref()
    }

    fn by_external_id(conn: &mut DbConn, ext: &str) -> Result<Option<i64>, AppError> {
        Ok(repo::activity_by_external_id(conn, ext)?)
    }

    fn load(conn: &mut DbConn, id: i64) -> Result<Option<ActivityRecord>, AppError> {
        Ok(repo::get_activity(conn, id)?)
    }

    fn version(r: &ActivityRecord) -> i32 {
        r.activity.version
    }

    fn same(r: &ActivityRecord, d: &Draft) -> Result<bool, AppError> {
        let a = &r.activity;
        let activity = Activity::parse(&input_of(r))
            .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))?;
        let stored = Draft {
            organisation_id: a.organisation_id,
            project_id: a.project_id,
            external_id: a.external_id.clone(),
            representatives: r.representatives.clone(),
            activity,
        };
        Ok(stored == *d)
    }

    fn create(
        conn: &mut DbConn,
        ctx: &Ctx,
        d: &Draft,
        keep: Option<i64>,
        bulk: bool,
    ) -> Result<Done<ActivityRecord>, AppError> {
        create_as(conn, ctx, d, keep, bulk)
    }

    fn correct(
        conn: &mut DbConn,
        ctx: &Ctx,
        before: &ActivityRecord,
        d: &Draft,
        bulk: bool,
    ) -> Result<Done<ActivityRecord>, AppError> {
        correct_as(conn, ctx, before.activity.id, |_| Ok(d.clone()), bulk)
    }
}

// --- Elected officials (coordinators) ----------------------------------------------------

fn official_fields(o: &Official) -> OfficialFields {
    OfficialFields {
        name: o.name.as_str().to_owned(),
        office: o.office.as_str().to_owned(),
        body: o.body.code().to_owned(),
        term_from: o.term_from,
        term_to: o.term_to,
    }
}

fn official_snapshot(o: &OfficialRow) -> serde_json::Value {
    serde_json::json!({"name": o.name, "office": o.office, "body": o.body, "term_from": o.term_from,
        "term_to": o.term_to, "international_decision_id": o.international_decision_id, "archived_at": o.archived_at})
}

pub fn load_official(conn: &mut DbConn, id: i64) -> Result<OfficialRow, AppError> {
    repo::get_official(conn, id)?.ok_or_else(|| AppError::NotFound(format!("elected official {id}")))
}

const OFFICIALS: Register<OfficialRow> =
    Register { entity: "elected_official", snapshot: official_snapshot, load: load_official };

pub fn add_official(conn: &mut DbConn, ctx: &Ctx, o: &Official) -> Result<Done<OfficialRow>, AppError> {
    OFFICIALS.create(conn, ctx, |conn| repo::insert_official(conn, &official_fields(o), ctx.now), |r| r.id)
}

pub fn correct_official(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&OfficialRow) -> Result<Official, AppError>,
) -> Result<Done<OfficialRow>, AppError> {
    let store = |conn: &mut DbConn, version, o: &Official| {
        repo::update_official(conn, id, version, &official_fields(o), ctx.now)
    };
    OFFICIALS.correct(conn, ctx, id, |_, before| edit(before), store)
}

/// The council appoints the official with special responsibility for international matters
/// (one at a time): the appointment refers to its decision in the register, and whoever
/// held it before no longer does.
pub fn appoint_international(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    decision_id: i64,
) -> Result<Done<OfficialRow>, AppError> {
    ctx.require(Action::EditProgrammeDomain)?;
    load_official(conn, id)?;
    let decision = crate::decisions::registered(conn, "decision_id", Some(decision_id))?
        .ok_or_else(|| AppError::NotFound(format!("decision {decision_id}")))?;
    check_international_appointment(&decision).map_err(|e| e.named("decision_id").of_state())?;
    let relieved = repo::appoint_international(conn, id, ctx.expected_version()?, decision_id, ctx.now)?
        .ok_or(AppError::PreconditionFailed)?;
    let mut events = vec![Event::new(
        "elected_official",
        "appointed_international",
        id,
        serde_json::json!({"decision_id": decision_id}),
    )];
    events.extend(relieved.into_iter().map(|other| {
        Event::new(
            "elected_official",
            "relieved_international",
            other,
            serde_json::json!({"by_decision_id": decision_id}),
        )
    }));
    Ok(Done::many(load_official(conn, id)?, events))
}

/// Archiving officials (who have left office): coordinators.
pub const ARCHIVE_OFFICIAL: Archivable<OfficialRow> = Archivable {
    entity: "elected_official",
    action: |_| Action::EditProgrammeDomain,
    get: repo::get_official,
    set: repo::set_official_archived,
    archived_at: |r| r.archived_at,
};
