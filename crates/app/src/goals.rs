//! Goals pushed in from the styrkort system: a whole scorecard at once, or one goal at a
//! time, by the styrkort system's own ids. Pushing is idempotent: what is already stored as
//! sent is left alone (no new version, no audit event). A goal left out of a scorecard's
//! batch, or removed one by one, is archived, never deleted; pushing it again brings it back.
//!
//! The styrkort system owns these goals: a push without `If-Match` replaces what is stored;
//! with `If-Match`, a stale version is refused (412) like every other edit.

use utblick_db::DbConn;
use utblick_db::goals as repo;
use utblick_db::models::{GoalFields, GoalRecord, ScorecardFields};
use utblick_domain::error::Collector;
use utblick_domain::goal::{PushedGoal, Scorecard, clashing_targets};
use utblick_domain::{Action, FieldError};

use crate::{AppError, Ctx, Done, Event, IfMatch};

const GOAL: &str = "goal";
const SCORECARD: &str = "scorecard";

/// What a push did to one goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    /// Changed, or brought back from the archive.
    Updated,
    /// Already stored as sent.
    Unchanged,
    /// Left out of its scorecard's batch, or removed: archived.
    Archived,
}

/// A scorecard after a push: its framework id and each goal with what became of it.
#[derive(Debug, Clone)]
pub struct ScorecardPush {
    pub framework_id: i64,
    pub external_id: String,
    pub created: bool,
    /// The scorecard's own version (its name, owner and organisation).
    pub version: i32,
    pub goals: Vec<(GoalRecord, Outcome)>,
}

fn fields(g: &PushedGoal) -> (GoalFields, Vec<(i32, f64)>) {
    let f = GoalFields {
        title: g.title.as_str().to_owned(),
        description: g.description.as_deref().map(str::to_owned),
        organisation_id: g.organisation_id,
        kpi: g.kpi.map(|k| k.id.to_owned()),
    };
    (f, g.targets.iter().map(|t| (t.year, t.value)).collect())
}

fn stored_fields(r: &GoalRecord) -> (GoalFields, Vec<(i32, f64)>) {
    let g = &r.goal;
    let f = GoalFields {
        title: g.title.clone(),
        description: g.description.clone(),
        organisation_id: g.organisation_id,
        kpi: g.kpi.clone(),
    };
    (f, r.targets.iter().map(|t| (t.year, t.value)).collect())
}

fn snapshot(r: &GoalRecord) -> serde_json::Value {
    let g = &r.goal;
    let targets: Vec<_> =
        r.targets.iter().map(|t| serde_json::json!({"year": t.year, "value": t.value})).collect();
    serde_json::json!({"framework_id": g.framework_id, "external_id": g.external_id, "title": g.title,
        "organisation_id": g.organisation_id, "kpi": g.kpi, "targets": targets, "archived_at": g.archived_at})
}

pub fn load(conn: &mut DbConn, id: i64) -> Result<GoalRecord, AppError> {
    repo::get_goal(conn, id)?.ok_or_else(|| AppError::NotFound(format!("goal {id}")))
}

fn scorecard_of(conn: &mut DbConn, external_id: &str) -> Result<i64, AppError> {
    repo::scorecard_id(conn, external_id)?
        .ok_or_else(|| AppError::NotFound(format!("scorecard {external_id}")))
}

/// The organisations a goal names exist (`prefix` places the field in a batch).
fn check_organisation(
    conn: &mut DbConn,
    c: &mut Collector,
    field: &str,
    id: Option<i64>,
) -> Result<(), AppError> {
    if let Some(id) = id
        && utblick_db::identity::get_organisation(conn, id)?.is_none()
    {
        c.push(crate::refs::not_there(field, "is not an organisation", "är ingen organisation"));
    }
    Ok(())
}

/// The version a push may replace: the caller's `If-Match` if it sent one, else the stored.
fn version_to_replace(ctx: &Ctx, stored: i32) -> Result<i32, AppError> {
    match ctx.if_match {
        IfMatch::Missing => Ok(stored),
        _ => ctx.expected_version(),
    }
}

/// Stores one goal of the scorecard `framework_id` as sent.
fn put(
    conn: &mut DbConn,
    ctx: &Ctx,
    framework_id: i64,
    g: &PushedGoal,
    events: &mut Vec<Event>,
) -> Result<(GoalRecord, Outcome), AppError> {
    let (f, targets) = fields(g);
    let Some(before) = repo::goal_by_external_id(conn, framework_id, &g.external_id)? else {
        let id = repo::insert_goal(conn, framework_id, &g.external_id, &f, &targets, ctx.now)?;
        let rec = load(conn, id)?;
        events.push(Event::new(GOAL, "created", id, snapshot(&rec)));
        return Ok((rec, Outcome::Created));
    };
    let id = before.goal.id;
    if before.goal.archived_at.is_none() && stored_fields(&before) == (f.clone(), targets.clone()) {
        if let IfMatch::Version(v) = ctx.if_match
            && v != before.goal.version
        {
            return Err(AppError::PreconditionFailed);
        }
        return Ok((before, Outcome::Unchanged));
    }
    let expected = version_to_replace(ctx, before.goal.version)?;
    if !repo::update_goal(conn, id, expected, &f, &targets, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = load(conn, id)?;
    let verb = if before.goal.archived_at.is_some() { "restored" } else { "updated" };
    events.push(Event::new(GOAL, verb, id, crate::diff(&snapshot(&before), &snapshot(&after))));
    Ok((after, Outcome::Updated))
}

/// A KPI has one target per organisation and year among the goals that are not archived
/// (checked after a push has stored everything, so a target may move from one goal to
/// another in one batch).
fn check_targets(conn: &mut DbConn) -> Result<(), AppError> {
    let targets = repo::active_targets(conn)?;
    if let Some((a, b)) = clashing_targets(&targets) {
        return Err(FieldError::rule(
            "targets",
            "target_taken",
            format!(
                "another goal (id {}) already sets a target of {} for that organisation and {}",
                a.goal_id, a.kpi, a.year
            ),
            format!(
                "ett annat mål (id {}) har redan ett målvärde för {} för den organisationen och {}",
                a.goal_id, a.kpi, a.year
            ),
        )
        .with("goal_id", a.goal_id)
        .with("kpi", &a.kpi)
        .with("year", a.year)
        .with("clashes_with", b.goal_id)
        .of_state()
        .into());
    }
    Ok(())
}

/// Pushes one goal into a scorecard that exists.
pub fn push_goal(
    conn: &mut DbConn,
    ctx: &Ctx,
    scorecard: &str,
    g: &PushedGoal,
) -> Result<Done<(GoalRecord, Outcome)>, AppError> {
    ctx.require(Action::WriteGoals)?;
    let framework_id = scorecard_of(conn, scorecard)?;
    let mut c = Collector::new();
    check_organisation(conn, &mut c, "organisation_id", g.organisation_id)?;
    c.finish()?;
    let mut events = Vec::new();
    let done = put(conn, ctx, framework_id, g, &mut events)?;
    check_targets(conn)?;
    Ok(Done::many(done, events))
}

/// Archives a goal the styrkort system removed; a goal already archived stays as it is.
pub fn remove_goal(
    conn: &mut DbConn,
    ctx: &Ctx,
    scorecard: &str,
    external_id: &str,
) -> Result<Done<(GoalRecord, Outcome)>, AppError> {
    ctx.require(Action::WriteGoals)?;
    let framework_id = scorecard_of(conn, scorecard)?;
    let before = repo::goal_by_external_id(conn, framework_id, external_id)?
        .ok_or_else(|| AppError::NotFound(format!("goal {external_id} of scorecard {scorecard}")))?;
    if before.goal.archived_at.is_some() {
        return Ok(Done::many((before, Outcome::Unchanged), vec![]));
    }
    let mut events = Vec::new();
    let rec = archive(conn, ctx, before, &mut events)?;
    Ok(Done::many((rec, Outcome::Archived), events))
}

fn archive(
    conn: &mut DbConn,
    ctx: &Ctx,
    before: GoalRecord,
    events: &mut Vec<Event>,
) -> Result<GoalRecord, AppError> {
    let id = before.goal.id;
    let expected = version_to_replace(ctx, before.goal.version)?;
    if !repo::set_goal_archived(conn, id, expected, Some(ctx.now), ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    events.push(Event::new(
        GOAL,
        "archived",
        id,
        serde_json::json!({"external_id": before.goal.external_id}),
    ));
    load(conn, id)
}

/// Pushes a whole scorecard: creates or updates it and each of its goals, and archives its
/// goals the batch leaves out. `If-Match`, if sent, is the scorecard's version.
pub fn push_scorecard(conn: &mut DbConn, ctx: &Ctx, s: &Scorecard) -> Result<Done<ScorecardPush>, AppError> {
    ctx.require(Action::WriteGoals)?;
    let mut c = Collector::new();
    check_organisation(conn, &mut c, "organisation_id", s.organisation_id)?;
    for (at, g) in s.goals.iter().enumerate() {
        check_organisation(conn, &mut c, &format!("goals[{at}].organisation_id"), g.organisation_id)?;
    }
    c.finish()?;
    let f = ScorecardFields {
        name: s.name.as_str().to_owned(),
        owner: s.owner.as_str().to_owned(),
        description: s.description.as_deref().map(str::to_owned),
        organisation_id: s.organisation_id,
    };
    let mut events = Vec::new();
    let (framework_id, created) = match repo::scorecard_id(conn, &s.external_id)? {
        None => {
            let code = utblick_domain::goal::scorecard_code(&s.external_id);
            let id = repo::insert_scorecard(conn, &s.external_id, &code, &f, ctx.now)?;
            events.push(Event::new(
                SCORECARD,
                "created",
                id,
                serde_json::json!({"external_id": s.external_id,
                "name": f.name, "owner": f.owner, "organisation_id": f.organisation_id}),
            ));
            (id, true)
        }
        Some(id) => {
            let stored = repo::scorecard_fields(conn, id)?;
            if let IfMatch::Version(v) = ctx.if_match
                && repo::scorecard_version(conn, id)? != Some(v)
            {
                return Err(AppError::PreconditionFailed);
            }
            if stored.as_ref() != Some(&f) {
                repo::update_scorecard(conn, id, &f, ctx.now)?;
                events.push(Event::new(
                    SCORECARD,
                    "updated",
                    id,
                    serde_json::json!({"name": f.name,
                    "owner": f.owner, "organisation_id": f.organisation_id}),
                ));
            }
            (id, false)
        }
    };
    // Each goal is replaced as sent: the scorecard's `If-Match` does not apply to them.
    let goal_ctx = Ctx { if_match: IfMatch::Missing, ..ctx.clone() };
    let mut goals = Vec::with_capacity(s.goals.len());
    for g in &s.goals {
        goals.push(put(conn, &goal_ctx, framework_id, g, &mut events)?);
    }
    for left_out in repo::goals_of(conn, framework_id)? {
        let sent =
            left_out.goal.external_id.as_ref().is_some_and(|e| s.goals.iter().any(|g| &g.external_id == e));
        if !sent && left_out.goal.archived_at.is_none() {
            let rec = archive(conn, &goal_ctx, left_out, &mut events)?;
            goals.push((rec, Outcome::Archived));
        }
    }
    check_targets(conn)?;
    let version = repo::scorecard_version(conn, framework_id)?.unwrap_or(1);
    let push = ScorecardPush { framework_id, external_id: s.external_id.clone(), created, version, goals };
    Ok(Done::many(push, events))
}
