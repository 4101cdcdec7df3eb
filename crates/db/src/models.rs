//! Rows as stored. The api crate turns them into response DTOs; the domain crate's types
//! are what gets written.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{
    framework_goals, frameworks, goal_targets, priority_areas, programme_frameworks, programme_work_kinds,
    programmes,
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
    /// The version of this row, for If-Match (not the document's version).
    pub row_version: i32,
    pub adopted_by_decision_id: Option<i64>,
    /// The registry number as registered, to show (`diarienummer` is its normal form).
    pub diarienummer_as_registered: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = programmes)]
pub struct NewProgrammeRow<'a> {
    pub title: &'a str,
    pub document_id: &'a str,
    pub diarienummer: String,
    pub diarienummer_as_registered: &'a str,
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
    /// A scorecard's id in the styrkort system; none for a framework entered by hand.
    pub external_id: Option<String>,
    /// Whose scorecard it is; none for the municipality's own (and for frameworks).
    pub organisation_id: Option<i64>,
    pub version: i32,
    pub updated_at: Option<NaiveDateTime>,
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
    /// A scorecard goal's id in the styrkort system.
    pub external_id: Option<String>,
    /// Whose goal it is; none for a municipality-wide goal.
    pub organisation_id: Option<i64>,
    /// The KPI it is followed up by.
    pub kpi: Option<String>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub updated_at: Option<NaiveDateTime>,
}

/// A scorecard goal's target of its KPI for one year.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = goal_targets)]
pub struct GoalTargetRow {
    pub goal_id: i64,
    pub year: i32,
    pub value: f64,
}

/// The fields of a scorecard goal as stored (besides its number, kept from when it came).
#[derive(Debug, Clone, PartialEq, AsChangeset, Insertable)]
#[diesel(table_name = framework_goals, treat_none_as_null = true)]
pub struct GoalFields {
    pub title: String,
    pub description: Option<String>,
    pub organisation_id: Option<i64>,
    pub kpi: Option<String>,
}

/// A goal with its targets, by year.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalRecord {
    pub goal: FrameworkGoalRow,
    /// The external id of its scorecard; none for a goal of a framework entered by hand.
    pub scorecard: Option<String>,
    pub targets: Vec<GoalTargetRow>,
}

/// The fields of a scorecard (the framework it is) as stored.
#[derive(Debug, Clone, PartialEq, AsChangeset, Insertable)]
#[diesel(table_name = frameworks, treat_none_as_null = true)]
pub struct ScorecardFields {
    pub name: String,
    pub owner: String,
    pub description: Option<String>,
    pub organisation_id: Option<i64>,
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

// ---------------------------------------------------------------------------------------
// Identity, access and audit.

use crate::schema::{
    api_tokens, audit_events, login_throttle, organisations, security_events, sessions, users,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The administration or company a department belongs to.
    pub parent_id: Option<i64>,
    /// The id the styrkort system knows the organisation by.
    pub external_id: Option<String>,
    pub version: i32,
}

/// The editable fields of an organisation.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationFields {
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub external_id: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub password_hash: String,
    pub must_change_password: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The identity provider's issuer and subject of an account that signs in through it.
    pub oidc_issuer: Option<String>,
    pub oidc_subject: Option<String>,
    /// Where the role comes from (`utblick_domain::oidc::RoleSource`).
    pub role_source: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
    /// `password` or `oidc`.
    pub method: String,
    /// The provider's session id (`sid`), for its back-channel sign-out.
    pub oidc_sid: Option<String>,
    /// The provider's ID token, the hint of a sign-out at the provider.
    pub id_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub token_hash: String,
    pub scopes: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiTokenRow<'a> {
    pub name: &'a str,
    pub prefix: &'a str,
    pub token_hash: &'a str,
    pub scopes: &'a str,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_throttle)]
pub struct ThrottleRow {
    pub key: String,
    pub failures: i32,
    pub window_start: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub changes: String,
    pub entity_version: Option<i32>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent {
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub changes: String,
    pub entity_version: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = security_events)]
pub struct SecurityEventRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub kind: String,
    pub client_ip: Option<String>,
    pub account: Option<String>,
    pub user_id: Option<i64>,
    pub request_id: Option<String>,
    pub detail: String,
    pub suppressed: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = security_events)]
pub struct NewSecurityEvent {
    pub occurred_at: NaiveDateTime,
    pub kind: String,
    pub client_ip: Option<String>,
    pub account: Option<String>,
    pub user_id: Option<i64>,
    pub request_id: Option<String>,
    pub detail: String,
    pub suppressed: i32,
}

// ---------------------------------------------------------------------------------------
// Governance.

use crate::schema::decisions;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub id: i64,
    pub body: String,
    pub decided_on: NaiveDate,
    pub paragraph: String,
    pub diarienummer: String,
    pub subject: String,
    pub link: Option<String>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The registry number as registered, to show (`diarienummer` is its normal form).
    pub diarienummer_as_registered: String,
}

/// The stored fields of a decision, for insert and for update.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = decisions, treat_none_as_null = true)]
pub struct DecisionFields {
    pub body: String,
    pub decided_on: NaiveDate,
    pub paragraph: String,
    pub diarienummer: String,
    pub subject: String,
    pub link: Option<String>,
    pub diarienummer_as_registered: String,
}

use crate::schema::twin_towns;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = twin_towns)]
pub struct TwinTownRow {
    pub id: i64,
    pub town: String,
    pub country: String,
    pub region: Option<String>,
    pub since: Option<NaiveDate>,
    pub status: String,
    pub status_decision_id: Option<i64>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The descriptive fields of a twin town (its status changes separately).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = twin_towns, treat_none_as_null = true)]
pub struct TwinTownFields {
    pub town: String,
    pub country: String,
    pub region: Option<String>,
    pub since: Option<NaiveDate>,
}

use crate::schema::contacts;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
    pub erased_at: Option<NaiveDateTime>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = contacts, treat_none_as_null = true)]
pub struct ContactFields {
    pub organisation_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

use crate::schema::{collaboration_partners, collaborations};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = collaborations)]
pub struct CollaborationRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub owner_organisation_id: i64,
    pub purpose: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub representative_contact_id: Option<i64>,
    pub status: String,
    pub status_decision_id: Option<i64>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = collaborations, treat_none_as_null = true)]
pub struct CollaborationFields {
    pub kind: String,
    pub name: String,
    pub owner_organisation_id: i64,
    pub purpose: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub representative_contact_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = collaboration_partners)]
pub struct PartnerRow {
    pub id: i64,
    pub collaboration_id: i64,
    pub position: i32,
    pub name: String,
    pub country: String,
    pub kind: String,
}

/// A partner as stored (in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerFields {
    pub name: String,
    pub country: String,
    pub kind: String,
}

// ---------------------------------------------------------------------------------------
// Projects and the funding-programme catalogue.

use crate::schema::{
    co_funding_assessments, funding_programmes, project_funding, project_partners, projects,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = funding_programmes)]
pub struct FundingProgrammeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A funding programme's editable fields.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = funding_programmes)]
pub struct FundingProgrammeFields {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub owner_organisation_id: i64,
    pub contact_id: Option<i64>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub programme_id: Option<i64>,
    pub contribution: Option<String>,
    pub lasting_value: Option<String>,
    pub own_money: i64,
    pub own_hours: i64,
    pub results: Option<String>,
    pub value_given: Option<String>,
    pub outputs: Option<String>,
    pub status: String,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A project's own fields as written (its status changes separately).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = projects, treat_none_as_null = true)]
pub struct ProjectFields {
    pub external_id: Option<String>,
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub owner_organisation_id: i64,
    pub contact_id: Option<i64>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub programme_id: Option<i64>,
    pub contribution: Option<String>,
    pub lasting_value: Option<String>,
    pub own_money: i64,
    pub own_hours: i64,
    pub results: Option<String>,
    pub value_given: Option<String>,
    pub outputs: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = project_partners)]
pub struct ProjectPartnerRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub project_id: i64,
    pub position: i32,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = project_funding)]
pub struct ProjectFundingRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub project_id: i64,
    pub position: i32,
    pub funding_programme_id: i64,
    pub funding_call: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub rate: Option<i64>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = co_funding_assessments)]
pub struct AssessmentRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub project_id: i64,
    pub assessed_on: NaiveDate,
    pub assessed_by: String,
    pub outcome: String,
    pub motivation: String,
    pub recorded_at: NaiveDateTime,
}

/// A co-funding assessment with the funding programmes it considered.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentRecord {
    pub assessment: AssessmentRow,
    pub programmes: Vec<i64>,
}

/// What belongs to a project besides its own row, in order. (Rows to write carry id 0 and
/// the project's id is set when they are stored.)
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectParts {
    pub partners: Vec<ProjectPartnerRow>,
    pub priority_areas: Vec<i64>,
    pub goals: Vec<i64>,
    pub funding: Vec<ProjectFundingRow>,
}

/// A project with everything that belongs to it; its assessments newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRecord {
    pub project: ProjectRow,
    pub parts: ProjectParts,
    pub assessments: Vec<AssessmentRecord>,
}

// ---------------------------------------------------------------------------------------
// Activities, elected officials and leads.

use crate::schema::{activities, elected_officials, leads};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub title: String,
    pub kind: String,
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub organiser: String,
    pub women: i32,
    pub men: i32,
    pub total: i32,
    pub hours: i64,
    pub own_cost: i64,
    pub external_cost: i64,
    pub other_resources: Option<String>,
    pub outcome: Option<String>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An activity's own fields as written.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub struct ActivityFields {
    pub external_id: Option<String>,
    pub title: String,
    pub kind: String,
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub organiser: String,
    pub women: i32,
    pub men: i32,
    pub total: i32,
    pub hours: i64,
    pub own_cost: i64,
    pub external_cost: i64,
    pub other_resources: Option<String>,
    pub outcome: Option<String>,
}

/// An activity with its countries (in order) and the officials who represented the
/// municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRecord {
    pub activity: ActivityRow,
    pub countries: Vec<String>,
    pub representatives: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = elected_officials)]
pub struct OfficialRow {
    pub id: i64,
    pub name: String,
    pub office: String,
    pub body: String,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
    pub international_decision_id: Option<i64>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An official's own fields (the appointment for international matters changes apart).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = elected_officials, treat_none_as_null = true)]
pub struct OfficialFields {
    pub name: String,
    pub office: String,
    pub body: String,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = leads)]
pub struct LeadRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub source_link: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub funding_programme_id: Option<i64>,
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    pub archived_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A lead's own fields as written (the project it became is set apart).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = leads, treat_none_as_null = true)]
pub struct LeadFields {
    pub title: String,
    pub kind: String,
    pub description: String,
    pub source_link: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub funding_programme_id: Option<i64>,
    pub organisation_id: i64,
}

/// A lead with the other organisations it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadRecord {
    pub lead: LeadRow,
    pub concerns: Vec<i64>,
}

use crate::schema::{
    report_corrections, report_goal_contributions, report_versions, reporting_years, reports,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reporting_years)]
pub struct ReportingYearRow {
    pub id: i64,
    pub year: i32,
    pub deadline: NaiveDate,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i64,
    pub reporting_year_id: i64,
    pub organisation_id: i64,
    pub status: String,
    pub narrative: String,
    pub other_resources: String,
    pub comment: Option<String>,
    pub first_submitted_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A figure the reporter corrected: the computed value, the corrected one and why.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = report_corrections)]
pub struct CorrectionRow {
    pub report_id: i64,
    pub figure: String,
    pub computed: i64,
    pub corrected: i64,
    pub reason: String,
}

/// How the organisation's work helped reach one goal of a goal framework.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = report_goal_contributions)]
pub struct ContributionRow {
    pub report_id: i64,
    pub goal_id: i64,
    pub contribution: String,
}

/// A report with its corrections (by figure) and goal contributions (by goal).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRecord {
    pub report: ReportRow,
    pub corrections: Vec<CorrectionRow>,
    pub contributions: Vec<ContributionRow>,
}

/// A report's text as the reporter writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportText {
    pub narrative: String,
    pub other_resources: String,
    /// `(figure, computed, corrected, reason)`.
    pub corrections: Vec<(String, i64, i64, String)>,
    /// `(goal id, contribution)`.
    pub contributions: Vec<(i64, String)>,
}

/// One frozen handing-in of a report.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = report_versions)]
pub struct ReportVersionRow {
    pub id: i64,
    pub report_id: i64,
    pub number: i32,
    pub submitted_at: NaiveDateTime,
    pub submitted_by: Option<i64>,
    pub content: String,
}

use crate::schema::{compilation_versions, compilations};

/// A year's compilation for the council.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = compilations)]
pub struct CompilationRow {
    pub id: i64,
    pub reporting_year_id: i64,
    pub status: String,
    pub decision_id: Option<i64>,
    pub comment: Option<String>,
    pub presented_version: Option<i32>,
    pub published_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One frozen finalising of a compilation.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = compilation_versions)]
pub struct CompilationVersionRow {
    pub id: i64,
    pub compilation_id: i64,
    pub number: i32,
    pub frozen_at: NaiveDateTime,
    pub frozen_by: Option<i64>,
    pub content: String,
}
