//! Rows as stored. The api crate turns them into response DTOs; the domain crate's types
//! are what gets written.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{
    framework_goals, frameworks, priority_areas, programme_frameworks, programme_work_kinds, programmes,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = programmes)]
pub struct ProgrammeRow {
    pub id: i64,
    pub title: String,
    pub document_id: String,
    pub diarienummer: String,
    pub version: i32,
    pub document_type: String,
    pub responsible_administration: String,
    pub responsible_department: String,
    pub decided_by: String,
    pub published: Option<NaiveDate>,
    pub revise_by: Option<NaiveDate>,
    pub purpose: String,
    pub background: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = programmes)]
pub struct NewProgrammeRow<'a> {
    pub title: &'a str,
    pub document_id: &'a str,
    pub diarienummer: String,
    pub version: i32,
    pub document_type: &'a str,
    pub responsible_administration: &'a str,
    pub responsible_department: &'a str,
    pub decided_by: &'a str,
    pub published: Option<NaiveDate>,
    pub revise_by: Option<NaiveDate>,
    pub purpose: &'a str,
    pub background: &'a str,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = priority_areas, belongs_to(ProgrammeRow, foreign_key = programme_id))]
pub struct PriorityAreaRow {
    pub id: i64,
    pub programme_id: i64,
    pub number: i32,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = priority_areas)]
pub struct NewPriorityAreaRow<'a> {
    pub programme_id: i64,
    pub number: i32,
    pub title: &'a str,
    pub description: &'a str,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = programme_work_kinds)]
pub struct WorkKindRow {
    pub programme_id: i64,
    pub kind: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = frameworks)]
pub struct FrameworkRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner: String,
    pub description: Option<String>,
    pub adopted_year: Option<i32>,
    pub overall_goal: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = frameworks)]
pub struct NewFrameworkRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub owner: &'a str,
    pub description: Option<&'a str>,
    pub adopted_year: Option<i32>,
    pub overall_goal: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = framework_goals)]
pub struct FrameworkGoalRow {
    pub id: i64,
    pub framework_id: i64,
    pub number: i32,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = framework_goals)]
pub struct NewFrameworkGoalRow<'a> {
    pub framework_id: i64,
    pub number: i32,
    pub title: &'a str,
    pub description: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = programme_frameworks)]
pub struct ProgrammeFrameworkRow {
    pub programme_id: i64,
    pub framework_id: i64,
    pub relation: String,
}

/// A framework linked to a programme, with how the programme relates to it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedFramework {
    pub framework: FrameworkRow,
    pub relation: String,
}

/// A programme with everything that belongs to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeRecord {
    pub programme: ProgrammeRow,
    pub priority_areas: Vec<PriorityAreaRow>,
    pub work_kinds: Vec<WorkKindRow>,
    pub frameworks: Vec<LinkedFramework>,
}

/// A framework with its goals.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkRecord {
    pub framework: FrameworkRow,
    pub goals: Vec<FrameworkGoalRow>,
}
