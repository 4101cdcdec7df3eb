//! Storing and loading goal frameworks.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use utblick_domain::GoalFramework;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{list_filter, order_by, text_matches, where_given};
use crate::models::{FrameworkGoalRow, FrameworkRecord, FrameworkRow, NewFrameworkGoalRow, NewFrameworkRow};
use crate::schema::{framework_goals, frameworks};

/// Stores a framework with its goals, in one transaction.
pub fn insert_framework(conn: &mut DbConn, f: &GoalFramework, now: NaiveDateTime) -> Result<i64, DbError> {
    conn.transaction(|conn| {
        let id: i64 = diesel::insert_into(frameworks::table)
            .values(&NewFrameworkRow {
                code: f.code(),
                name: f.name(),
                owner: f.owner(),
                description: f.description(),
                adopted_year: f.adopted_year().map(i32::from),
                overall_goal: f.overall_goal(),
                created_at: now,
            })
            .returning(frameworks::id)
            .get_result(conn)?;
        for g in f.goals() {
            diesel::insert_into(framework_goals::table)
                .values(&NewFrameworkGoalRow {
                    framework_id: id,
                    number: i32::from(g.number()),
                    title: g.title(),
                    description: g.description(),
                })
                .execute(conn)?;
        }
        Ok(id)
    })
}

list_filter! {
    /// Search and order of the framework list.
    #[derive(Default)]
    pub struct FrameworkFilter {
        /// Words in the code, the name or the owner.
        pub q: Option<String>,
    }

    /// What the framework list can be ordered by.
    pub enum FrameworkSort {
        /// In the order they were added.
        #[default]
        Added,
        Code,
        Name,
    }
}

fn frameworks_filtered(f: &FrameworkFilter) -> frameworks::BoxedQuery<'static, MultiBackend> {
    let mut q = frameworks::table.into_boxed();
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["code", "name", "owner"], text));
    }
    where_given!(q, f.ids => eq_any frameworks::id);
    q
}

pub fn count_frameworks(conn: &mut DbConn, f: &FrameworkFilter) -> Result<i64, DbError> {
    Ok(frameworks_filtered(f).count().get_result(conn)?)
}

/// The filtered list in the filter's order.
fn ordered(f: &FrameworkFilter) -> frameworks::BoxedQuery<'static, MultiBackend> {
    let q = frameworks_filtered(f);
    let (desc, id) = (f.sort.descending, frameworks::id);
    match f.sort.key {
        FrameworkSort::Added if desc => q.order(id.desc()),
        FrameworkSort::Added => q.order(id.asc()),
        FrameworkSort::Code => order_by!(q, desc, frameworks::code, id),
        FrameworkSort::Name => order_by!(q, desc, text frameworks::name, id),
    }
}

/// The ids of the whole filtered list, in its order.
pub fn framework_ids(conn: &mut DbConn, f: &FrameworkFilter) -> Result<Vec<i64>, DbError> {
    Ok(ordered(f).select(frameworks::id).load(conn)?)
}

/// One page of frameworks, each with its number of goals.
pub fn list_frameworks(
    conn: &mut DbConn,
    f: &FrameworkFilter,
    offset: u64,
    limit: u32,
) -> Result<Vec<(FrameworkRow, i64)>, DbError> {
    let q = ordered(f).select(FrameworkRow::as_select());
    let rows: Vec<FrameworkRow> =
        q.offset(crate::listing::offset(offset)?).limit(i64::from(limit)).load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts: Vec<(i64, i64)> = framework_goals::table
        .filter(framework_goals::framework_id.eq_any(&ids))
        .group_by(framework_goals::framework_id)
        .select((framework_goals::framework_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = counts.iter().find(|(id, _)| *id == r.id).map_or(0, |(_, n)| *n);
            (r, n)
        })
        .collect())
}

pub fn get_framework(conn: &mut DbConn, id: i64) -> Result<Option<FrameworkRecord>, DbError> {
    let Some(framework) =
        frameworks::table.find(id).select(FrameworkRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    let goals = framework_goals::table
        .filter(framework_goals::framework_id.eq(id))
        .order(framework_goals::number.asc())
        .select(FrameworkGoalRow::as_select())
        .load(conn)?;
    Ok(Some(FrameworkRecord { framework, goals }))
}

crate::listing::by_ids!(FrameworkFilter);
