//! Storing and loading goal frameworks.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use utblick_domain::GoalFramework;

use crate::conn::DbConn;
use crate::error::DbError;
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

pub fn count_frameworks(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(frameworks::table.count().get_result(conn)?)
}

/// One page of frameworks, each with its number of goals.
pub fn list_frameworks(
    conn: &mut DbConn,
    offset: u64,
    limit: u32,
) -> Result<Vec<(FrameworkRow, i64)>, DbError> {
    let offset = i64::try_from(offset).map_err(|_| DbError::Corrupt("offset out of range".into()))?;
    let rows: Vec<FrameworkRow> = frameworks::table
        .select(FrameworkRow::as_select())
        .order(frameworks::id.asc())
        .offset(offset)
        .limit(i64::from(limit))
        .load(conn)?;
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
