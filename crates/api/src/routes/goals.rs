//! Goals in from the styrkort system: it pushes a whole scorecard, or one goal at a time, by
//! its own ids (`PUT`, idempotent, the `goals:write` scope); a goal it removes is archived,
//! never deleted. Every goal — of a scorecard or of a framework entered by hand — is listed
//! with both ids (the mapping between the styrkort system's ids and Utblick's), and projects
//! and annual reports link to them by Utblick's id.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, put};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_app::goals::{self as uc, Outcome, ScorecardPush};
use utblick_db::goals::{self as repo, GoalFilter, GoalSort};
use utblick_db::listing::Sort;
use utblick_db::models::GoalRecord;
use utblick_domain::goal::{GoalInput, PushedGoal, Scorecard, ScorecardInput};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::exec::{run, versioned};
use crate::export::CsvRecord;
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Conflict, NotFound, StaleIfSent};
use crate::routes::common::list_query;
use crate::routes::standard::{get_one, list_of};

/// A KPI's target for one year.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetDto {
    #[schema(example = 2027, minimum = 2000, maximum = 2100)]
    pub year: i64,
    /// In the KPI's unit.
    #[schema(example = 60.0, minimum = -10_000_000_000_000.0, maximum = 10_000_000_000_000.0)]
    pub value: f64,
}

/// A goal: of a scorecard pushed by the styrkort system (with its `external_id`), or of a
/// goal framework entered by hand.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalDto {
    /// Utblick's id: what projects and reports link to.
    pub id: i64,
    /// The framework (or scorecard) it belongs to.
    pub framework_id: i64,
    /// The external id of its scorecard; `null` for a framework's goal.
    #[schema(example = "BUN-2026")]
    pub scorecard: Option<String>,
    /// The styrkort system's id of the goal; `null` for a framework's goal.
    #[schema(example = "BUN-M3")]
    pub external_id: Option<String>,
    #[schema(example = 3, minimum = 1)]
    pub number: i32,
    #[schema(example = "Fler elever deltar i internationella utbyten")]
    pub title: String,
    pub description: Option<String>,
    /// Whose goal it is; `null` for a municipality-wide goal.
    pub organisation_id: Option<i64>,
    /// The KPI it is followed up by.
    #[schema(example = "UTB0005")]
    pub kpi: Option<String>,
    /// That KPI's targets, by year.
    pub targets: Vec<TargetDto>,
    /// When the styrkort system removed it; `null` while it is current.
    pub archived_at: Option<DateTime<Utc>>,
    /// Its version: the `ETag`.
    pub version: i32,
    /// When it last changed; `null` for a framework's goal entered by hand.
    pub updated_at: Option<DateTime<Utc>>,
}

fn dto(r: GoalRecord, _who: &Principal) -> Result<GoalDto, ApiError> {
    let g = r.goal;
    Ok(GoalDto {
        id: g.id,
        framework_id: g.framework_id,
        scorecard: r.scorecard,
        external_id: g.external_id,
        number: g.number,
        title: g.title,
        description: g.description,
        organisation_id: g.organisation_id,
        kpi: g.kpi,
        targets: r.targets.iter().map(|t| TargetDto { year: i64::from(t.year), value: t.value }).collect(),
        archived_at: g.archived_at.map(|t| t.and_utc()),
        version: g.version,
        updated_at: g.updated_at.map(|t| t.and_utc()),
    })
}

crate::exec::reply!(GoalRecord => GoalDto, |r| r.goal.version, dto);

crate::dto::sharing_fields! {
    {
        #[schema(format = "name", example = "Fler elever deltar i internationella utbyten", min_length = 1, max_length = 200)]
        pub title: String,
        #[schema(format = "optional-text", max_length = 20000)]
        pub description: Option<String>,
        /// Whose goal it is (Utblick's organisation id); leave out for a municipality-wide goal.
        #[schema(minimum = 1)]
        pub organisation_id: Option<i64>,
        /// The KPI (see `/api/v1/kpis`) the goal is followed up by; needed with targets.
        #[schema(pattern = "^UTB[0-9]{4}$", example = "UTB0005")]
        pub kpi: Option<String>,
        /// The KPI's targets, one per year.
        #[serde(default)]
        #[schema(max_items = 50)]
        pub targets: Vec<TargetDto>,
    }

    /// One goal as the styrkort system sends it (the path gives its id).
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct PushedGoalBody {}

    /// A goal of a scorecard's batch, with its id in the styrkort system.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct ScorecardGoalBody {
        #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$", example = "BUN-M3")]
        pub external_id: String,
    }
}

/// A goal as the use case reads it: the body's fields and the goal's external id.
macro_rules! goal_input {
    ($body:expr, $external_id:expr) => {{
        let external_id = $external_id;
        let b = $body;
        GoalInput {
            external_id,
            title: b.title,
            description: b.description,
            organisation_id: b.organisation_id,
            kpi: b.kpi,
            targets: b.targets.into_iter().map(|t| (t.year, t.value)).collect(),
        }
    }};
}

/// A whole scorecard as the styrkort system sends it: the goals it leaves out are archived.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardBody {
    #[schema(
        format = "name",
        example = "Barn- och utbildningsnämndens styrkort 2026",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    /// Who keeps it.
    #[schema(format = "name", example = "Barn- och utbildningsnämnden", min_length = 1, max_length = 200)]
    pub owner: String,
    #[schema(format = "optional-text", max_length = 20000)]
    pub description: Option<String>,
    /// Whose scorecard it is; leave out for the municipality's own.
    #[schema(minimum = 1)]
    pub organisation_id: Option<i64>,
    /// All its goals, each with its `external_id`.
    #[schema(max_items = 200)]
    pub goals: Vec<ScorecardGoalBody>,
}

impl ScorecardBody {
    fn parse(self, external_id: &str) -> Result<Scorecard, ValidationErrors> {
        Scorecard::parse(&ScorecardInput {
            external_id: external_id.to_owned(),
            name: self.name,
            owner: self.owner,
            description: self.description,
            organisation_id: self.organisation_id,
            goals: self.goals.into_iter().map(|g| goal_input!(g, g.external_id.clone())).collect(),
        })
    }
}

/// A scorecard's path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ScorecardPath {
    /// The styrkort system's id of the scorecard.
    #[param(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub scorecard: String,
}

/// A scorecard goal's path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct GoalPath {
    /// The styrkort system's id of the scorecard.
    #[param(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub scorecard: String,
    /// The styrkort system's id of the goal.
    #[param(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub external_id: String,
}

/// An id in a path, checked as the styrkort system's ids are (400 naming it otherwise).
fn path_id(field: &str, raw: &str) -> Result<String, ApiError> {
    utblick_domain::goal::parse_external_id(field, raw).map_err(|e| ApiError::InvalidParameter(vec![e]))
}

/// What became of one goal of a pushed scorecard.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalOutcomeDto {
    /// Utblick's id.
    pub id: i64,
    /// The styrkort system's id.
    pub external_id: Option<String>,
    /// `created`, `updated` (or brought back from the archive), `unchanged`, or `archived`
    /// (left out of the batch).
    #[schema(pattern = "^(created|updated|unchanged|archived)$")]
    pub outcome: &'static str,
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Created => "created",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
        Outcome::Archived => "archived",
    }
}

/// A scorecard after a push: the mapping of each goal's external id to Utblick's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScorecardPushDto {
    /// The goal framework the scorecard is in Utblick (`/api/v1/frameworks/{id}`).
    pub framework_id: i64,
    #[schema(example = "BUN-2026")]
    pub external_id: String,
    /// The scorecard's version: the `ETag`.
    pub version: i32,
    pub goals: Vec<GoalOutcomeDto>,
}

/// Push a whole scorecard from the styrkort system: creates it or brings it up to date, with
/// every goal it has; goals it no longer has are archived (never deleted: reports keep naming
/// them). Idempotent: pushing the same scorecard again changes nothing. Needs the
/// `goals:write` scope (or a coordinator). `If-Match`, if sent, is the scorecard's `ETag`.
#[utoipa::path(
    tag = "goals",
    params(ScorecardPath, ("If-Match" = Option<String>, Header, description = "The scorecard's ETag, to refuse a push over someone else's (optional).")),
    request_body = ScorecardBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Brought up to date (or already so); the ETag is its version.", body = ScorecardPushDto),
        (status = 201, description = "Created; the ETag is its version.", body = ScorecardPushDto),
        BadRequest, Auth, BodyErrors, Conflict, StaleIfSent,
    )
)]
#[put("/scorecards/{scorecard}")]
pub async fn push_scorecard(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: Caller,
    req: HttpRequest,
    path: actix_web::web::Path<ScorecardPath>,
    body: crate::dto::Json<ScorecardBody>,
) -> Result<HttpResponse, ApiError> {
    let external_id = path_id("scorecard", &path.scorecard)?;
    let s = body.into_inner().parse(&external_id)?;
    let push: ScorecardPush =
        run(&pool, &caller, &req, move |conn, ctx| uc::push_scorecard(conn, ctx, &s)).await?;
    let status = if push.created { StatusCode::CREATED } else { StatusCode::OK };
    let goals = push.goals.iter().map(|(r, o)| GoalOutcomeDto {
        id: r.goal.id,
        external_id: r.goal.external_id.clone(),
        outcome: outcome(*o),
    });
    let dto = ScorecardPushDto {
        framework_id: push.framework_id,
        external_id: push.external_id,
        version: push.version,
        goals: goals.collect(),
    };
    Ok(versioned(status, dto.version, &dto))
}

/// Push one goal of a scorecard (which exists: push the scorecard first). Idempotent:
/// pushing the same goal again changes nothing; pushing an archived goal brings it back.
/// Needs the `goals:write` scope (or a coordinator). `If-Match`, if sent, is the goal's `ETag`.
#[utoipa::path(
    tag = "goals",
    params(GoalPath, ("If-Match" = Option<String>, Header, description = "The goal's ETag, to refuse a push over someone else's (optional).")),
    request_body = PushedGoalBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Brought up to date (or already so); the ETag is its version.", body = GoalDto),
        (status = 201, description = "Created; the ETag is its version.", body = GoalDto),
        BadRequest, Auth, NotFound, BodyErrors, Conflict, StaleIfSent,
    )
)]
#[put("/scorecards/{scorecard}/goals/{external_id}")]
pub async fn push_goal(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: Caller,
    req: HttpRequest,
    path: actix_web::web::Path<GoalPath>,
    body: crate::dto::Json<PushedGoalBody>,
) -> Result<HttpResponse, ApiError> {
    let scorecard = path_id("scorecard", &path.scorecard)?;
    let external_id = path_id("external_id", &path.external_id)?;
    let g = PushedGoal::parse(&goal_input!(body.into_inner(), external_id))?;
    let (rec, o) =
        run(&pool, &caller, &req, move |conn, ctx| uc::push_goal(conn, ctx, &scorecard, &g)).await?;
    let status = if o == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    use crate::exec::Reply;
    rec.reply(status, &caller.principal)
}

/// The styrkort system removed a goal: it is archived, never deleted (reports and projects
/// keep naming it); removing it again changes nothing. Needs the `goals:write` scope (or a
/// coordinator).
#[utoipa::path(
    tag = "goals",
    params(GoalPath, ("If-Match" = Option<String>, Header, description = "The goal's ETag (optional).")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived; the ETag is its version.", body = GoalDto),
        BadRequest, Auth, NotFound, StaleIfSent,
    )
)]
#[delete("/scorecards/{scorecard}/goals/{external_id}")]
pub async fn remove_goal(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: Caller,
    req: HttpRequest,
    path: actix_web::web::Path<GoalPath>,
) -> Result<HttpResponse, ApiError> {
    let scorecard = path_id("scorecard", &path.scorecard)?;
    let external_id = path_id("external_id", &path.external_id)?;
    let (rec, _) =
        run(&pool, &caller, &req, move |conn, ctx| uc::remove_goal(conn, ctx, &scorecard, &external_id))
            .await?;
    use crate::exec::Reply;
    rec.reply(StatusCode::OK, &caller.principal)
}

list_query! {
    /// Filters, search and order of the goals.
    pub struct GoalQuery => GoalFilter {
        /// Only the goals of this framework or scorecard (Utblick's id).
        framework_id [value_type = Option<i64>, minimum = 1] = id;
        /// Only the goals of the scorecard with this external id.
        scorecard [pattern = "^[A-Za-z0-9._-]{1,64}$"] = external_id;
        /// `true`: only goals pushed by the styrkort system; `false`: only frameworks' goals.
        pushed [value_type = Option<bool>] = boolean;
        /// Only this organisation's goals.
        organisation_id [value_type = Option<i64>, minimum = 1] = id;
        /// Only goals followed up by this KPI.
        kpi [pattern = "^UTB[0-9]{4}$"] = kpi;
        /// Words in the title, the description or the external id.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(number|title|external_id)$",
    "`number` (default: by framework, then number), `title`, `external_id`; a leading `-` for descending.",
    ["number" => GoalSort::Number, "title" => GoalSort::Title, "external_id" => GoalSort::ExternalId],
    default Sort::asc(GoalSort::Number)
}

impl CsvRecord for GoalDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "framework_id",
        "scorecard",
        "external_id",
        "number",
        "title",
        "organisation_id",
        "kpi",
        "archived_at",
    ];
}

list_of! {
    /// Every goal, of scorecards and of frameworks, with Utblick's id and the styrkort
    /// system's (the mapping between them): filter, search, sort; a page, or all as CSV,
    /// XLSX or JSON.
    public fn list_goals, tag "goals", path "/goals", query GoalQuery,
    ok "A page of goals, or with `format` an export of all matching ones.",
    page GoalPage of GoalDto, action Action::ReadPublished, filter GoalFilter,
    count repo::count_goals, ids repo::goal_ids, list repo::list_goals,
    each dto, file "mal"
}

get_one! {
    /// One goal, with its targets.
    public fn get_goal, tag "goals", path "/goals/{id}", id "The goal's id (Utblick's).",
    ok "The goal; the ETag is its version.", body GoalDto,
    |conn, _who, id| uc::load(conn, id),
    |rec, caller| { use crate::exec::Reply; rec.reply(StatusCode::OK, &caller.principal) }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_goals).service(get_goal).service(push_scorecard).service(push_goal).service(remove_goal);
}
