//! Scorecards and their goals as the styrkort system pushes them: a scorecard is a goal
//! framework with an external id; its goals are framework goals with theirs, and the targets
//! of the KPI each goal is followed up by.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use utblick_domain::goal::TargetFact;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{Archived, archive_write, archived, list_filter, order_by, text_matches, where_given};
use crate::models::{FrameworkGoalRow, GoalFields, GoalRecord, GoalTargetRow, ScorecardFields};
use crate::schema::{framework_goals, frameworks, goal_targets};

/// The framework id of the scorecard with this external id.
pub fn scorecard_id(conn: &mut DbConn, external_id: &str) -> Result<Option<i64>, DbError> {
    Ok(frameworks::table
        .filter(frameworks::external_id.eq(external_id))
        .select(frameworks::id)
        .first(conn)
        .optional()?)
}

/// Whether a framework already has this code.
fn code_taken(conn: &mut DbConn, code: &str) -> Result<bool, DbError> {
    let n: i64 = frameworks::table.filter(frameworks::code.eq(code)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Stores a new scorecard; its code is `code`, or `code-2`, `code-3` … when another
/// framework has that one.
pub fn insert_scorecard(
    conn: &mut DbConn,
    external_id: &str,
    code: &str,
    f: &ScorecardFields,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let mut unique = code.to_owned();
    let mut n = 1;
    while code_taken(conn, &unique)? {
        n += 1;
        let suffix = format!("-{n}");
        let keep = code.len().min(40 - suffix.len());
        unique = format!("{}{suffix}", code[..keep].trim_end_matches('-'));
    }
    Ok(diesel::insert_into(frameworks::table)
        .values((
            f,
            frameworks::code.eq(unique),
            frameworks::external_id.eq(external_id),
            frameworks::created_at.eq(now),
            frameworks::updated_at.eq(now),
            frameworks::version.eq(1),
        ))
        .returning(frameworks::id)
        .get_result(conn)?)
}

/// The stored fields of a scorecard.
pub fn scorecard_fields(conn: &mut DbConn, id: i64) -> Result<Option<ScorecardFields>, DbError> {
    Ok(frameworks::table
        .find(id)
        .select((frameworks::name, frameworks::owner, frameworks::description, frameworks::organisation_id))
        .first::<(String, String, Option<String>, Option<i64>)>(conn)
        .optional()?
        .map(|(name, owner, description, organisation_id)| ScorecardFields {
            name,
            owner,
            description,
            organisation_id,
        }))
}

/// A scorecard's version.
pub fn scorecard_version(conn: &mut DbConn, id: i64) -> Result<Option<i32>, DbError> {
    Ok(frameworks::table.find(id).select(frameworks::version).first(conn).optional()?)
}

/// Replaces a scorecard's fields; a new version.
pub fn update_scorecard(
    conn: &mut DbConn,
    id: i64,
    f: &ScorecardFields,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(frameworks::table.find(id))
        .set((f, frameworks::version.eq(frameworks::version + 1), frameworks::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

fn with_targets(conn: &mut DbConn, rows: Vec<FrameworkGoalRow>) -> Result<Vec<GoalRecord>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let targets: Vec<GoalTargetRow> = goal_targets::table
        .filter(goal_targets::goal_id.eq_any(&ids))
        .order((goal_targets::goal_id.asc(), goal_targets::year.asc()))
        .select(GoalTargetRow::as_select())
        .load(conn)?;
    let framework_ids: Vec<i64> = rows.iter().map(|r| r.framework_id).collect();
    let scorecards: Vec<(i64, Option<String>)> = frameworks::table
        .filter(frameworks::id.eq_any(&framework_ids))
        .select((frameworks::id, frameworks::external_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|goal| {
            let targets = targets.iter().filter(|t| t.goal_id == goal.id).cloned().collect();
            let scorecard = scorecards.iter().find(|s| s.0 == goal.framework_id).and_then(|s| s.1.clone());
            GoalRecord { goal, scorecard, targets }
        })
        .collect())
}

pub fn get_goal(conn: &mut DbConn, id: i64) -> Result<Option<GoalRecord>, DbError> {
    let Some(row) =
        framework_goals::table.find(id).select(FrameworkGoalRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    Ok(with_targets(conn, vec![row])?.pop())
}

/// The goal of a scorecard with this external id.
pub fn goal_by_external_id(
    conn: &mut DbConn,
    framework_id: i64,
    external_id: &str,
) -> Result<Option<GoalRecord>, DbError> {
    let row = framework_goals::table
        .filter(framework_goals::framework_id.eq(framework_id))
        .filter(framework_goals::external_id.eq(external_id))
        .select(FrameworkGoalRow::as_select())
        .first(conn)
        .optional()?;
    match row {
        None => Ok(None),
        Some(row) => Ok(with_targets(conn, vec![row])?.pop()),
    }
}

/// Every goal of a framework, archived ones too, by number.
pub fn goals_of(conn: &mut DbConn, framework_id: i64) -> Result<Vec<GoalRecord>, DbError> {
    let rows = framework_goals::table
        .filter(framework_goals::framework_id.eq(framework_id))
        .order(framework_goals::number.asc())
        .select(FrameworkGoalRow::as_select())
        .load(conn)?;
    with_targets(conn, rows)
}

fn put_targets(conn: &mut DbConn, goal_id: i64, targets: &[(i32, f64)]) -> Result<(), DbError> {
    diesel::delete(goal_targets::table.filter(goal_targets::goal_id.eq(goal_id))).execute(conn)?;
    for (year, value) in targets {
        diesel::insert_into(goal_targets::table)
            .values((
                goal_targets::goal_id.eq(goal_id),
                goal_targets::year.eq(year),
                goal_targets::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds a goal to a scorecard, numbered after its last.
pub fn insert_goal(
    conn: &mut DbConn,
    framework_id: i64,
    external_id: &str,
    f: &GoalFields,
    targets: &[(i32, f64)],
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let last: Option<i32> = framework_goals::table
        .filter(framework_goals::framework_id.eq(framework_id))
        .select(diesel::dsl::max(framework_goals::number))
        .first(conn)?;
    let id: i64 = diesel::insert_into(framework_goals::table)
        .values((
            f,
            framework_goals::framework_id.eq(framework_id),
            framework_goals::number.eq(last.unwrap_or(0) + 1),
            framework_goals::external_id.eq(external_id),
            framework_goals::version.eq(1),
            framework_goals::updated_at.eq(now),
        ))
        .returning(framework_goals::id)
        .get_result(conn)?;
    put_targets(conn, id, targets)?;
    Ok(id)
}

/// Replaces a goal's fields and targets and brings it back if it was archived, if it is
/// still at the `expected` version.
pub fn update_goal(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &GoalFields,
    targets: &[(i32, f64)],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let current = framework_goals::table
        .filter(framework_goals::id.eq(id))
        .filter(framework_goals::version.eq(expected));
    let n = diesel::update(current)
        .set((
            f,
            framework_goals::archived_at.eq(None::<NaiveDateTime>),
            framework_goals::version.eq(expected + 1),
            framework_goals::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    put_targets(conn, id, targets)?;
    Ok(true)
}

// Archives a goal (or, with `None`, brings it back) if it is still at the `expected` version.
archive_write!(framework_goals, set_goal_archived);

/// Of `ids`, the goals the styrkort system has removed (archived).
pub fn goals_archived(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<i64>, DbError> {
    Ok(framework_goals::table
        .filter(framework_goals::id.eq_any(ids))
        .filter(framework_goals::archived_at.is_not_null())
        .select(framework_goals::id)
        .load(conn)?)
}

/// Every target set by a goal that is not archived, by KPI, organisation and year.
pub fn active_targets(conn: &mut DbConn) -> Result<Vec<TargetFact>, DbError> {
    type Row = (i64, Option<String>, Option<i64>, i32, f64);
    let rows: Vec<Row> = goal_targets::table
        .inner_join(framework_goals::table)
        .filter(framework_goals::archived_at.is_null())
        .filter(framework_goals::kpi.is_not_null())
        .order((framework_goals::kpi.asc(), goal_targets::year.asc(), framework_goals::id.asc()))
        .select((
            framework_goals::id,
            framework_goals::kpi,
            framework_goals::organisation_id,
            goal_targets::year,
            goal_targets::value,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(goal_id, kpi, organisation_id, year, value)| {
            Some(TargetFact { goal_id, kpi: kpi?, organisation_id, year, value })
        })
        .collect())
}

list_filter! {
    /// Filters, search and order of the list of goals (of frameworks and scorecards).
    #[derive(Default)]
    pub struct GoalFilter {
        pub framework_id: Option<i64>,
        /// Only the goals of the scorecard with this external id.
        pub scorecard: Option<String>,
        /// Only goals that came from the styrkort system (`true`) or were entered with a
        /// framework (`false`).
        pub pushed: Option<bool>,
        pub organisation_id: Option<i64>,
        pub kpi: Option<String>,
        /// Words in the title, the description or the external id.
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the list of goals can be ordered by.
    pub enum GoalSort {
        /// By framework, then number.
        #[default]
        Number,
        Title,
        ExternalId,
    }
}

fn filtered(f: &GoalFilter) -> framework_goals::BoxedQuery<'static, MultiBackend> {
    let mut q = framework_goals::table.into_boxed();
    archived!(q, framework_goals::archived_at, f.archived);
    where_given!(
        q,
        f.framework_id => eq framework_goals::framework_id,
        f.organisation_id => eq framework_goals::organisation_id,
        f.kpi => eq framework_goals::kpi,
    );
    if let Some(ext) = &f.scorecard {
        let of = frameworks::table.filter(frameworks::external_id.eq(ext.clone())).select(frameworks::id);
        q = q.filter(framework_goals::framework_id.eq_any(of));
    }
    match f.pushed {
        Some(true) => q = q.filter(framework_goals::external_id.is_not_null()),
        Some(false) => q = q.filter(framework_goals::external_id.is_null()),
        None => {}
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(
            &["framework_goals.title", "framework_goals.description", "framework_goals.external_id"],
            text,
        ));
    }
    where_given!(q, f.ids => eq_any framework_goals::id);
    q
}

fn ordered(f: &GoalFilter) -> framework_goals::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, framework_goals::id);
    match f.sort.key {
        GoalSort::Number if desc => {
            q.order((framework_goals::framework_id.desc(), framework_goals::number.desc(), id.desc()))
        }
        GoalSort::Number => {
            q.order((framework_goals::framework_id.asc(), framework_goals::number.asc(), id.asc()))
        }
        GoalSort::Title => order_by!(q, desc, text framework_goals::title, id),
        GoalSort::ExternalId => order_by!(q, desc, nullable framework_goals::external_id, id),
    }
}

pub fn count_goals(conn: &mut DbConn, f: &GoalFilter) -> Result<i64, DbError> {
    Ok(filtered(f).count().get_result(conn)?)
}

/// The ids of the whole filtered list, in its order.
pub fn goal_ids(conn: &mut DbConn, f: &GoalFilter) -> Result<Vec<i64>, DbError> {
    Ok(ordered(f).select(framework_goals::id).load(conn)?)
}

/// A page of goals with their targets.
pub fn list_goals(
    conn: &mut DbConn,
    f: &GoalFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<GoalRecord>, DbError> {
    let rows = ordered(f)
        .select(FrameworkGoalRow::as_select())
        .offset(crate::listing::offset(skip)?)
        .limit(i64::from(limit))
        .load(conn)?;
    with_targets(conn, rows)
}

crate::listing::by_ids!(GoalFilter);
