//! Goal frameworks: Europa 2020, the municipality's development plan, and later others.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use utblick_db::DbPool;
use utblick_db::frameworks::{self as repo, FrameworkFilter, FrameworkSort};
use utblick_db::listing::Sort;
use utblick_db::models::{FrameworkRecord, FrameworkRow};
use utblick_domain::{Action, GoalFramework, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::exec::run;
use crate::export::CsvRecord;
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Conflict};
use crate::routes::common::list_query;
use crate::routes::standard::{get_one, list_of};

/// A goal framework as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkSummary {
    #[schema(example = 1)]
    pub id: i64,
    /// A stable short name for integrations.
    #[schema(example = "europe-2020")]
    pub code: String,
    #[schema(example = "Europa 2020")]
    pub name: String,
    /// Who adopted the framework.
    #[schema(example = "Europeiska unionen")]
    pub owner: String,
    pub description: Option<String>,
    #[schema(example = 2010)]
    pub adopted_year: Option<i32>,
    /// The framework's overall goal, if it names one.
    #[schema(example = "20 000 invånare år 2020")]
    pub overall_goal: Option<String>,
    /// How many goals the framework has.
    #[schema(example = 5, minimum = 0)]
    pub goal_count: i64,
    /// A scorecard's id in the styrkort system, for a framework the styrkort system pushed
    /// (see `PUT /api/v1/scorecards/{scorecard}`); `null` for one entered by hand.
    pub external_id: Option<String>,
    /// Whose scorecard it is; `null` for the municipality's own, and for frameworks.
    pub organisation_id: Option<i64>,
}

impl FrameworkSummary {
    fn new(r: FrameworkRow, goal_count: i64) -> Self {
        Self {
            id: r.id,
            code: r.code,
            name: r.name,
            owner: r.owner,
            description: r.description,
            adopted_year: r.adopted_year,
            overall_goal: r.overall_goal,
            goal_count,
            external_id: r.external_id,
            organisation_id: r.organisation_id,
        }
    }
}

/// One goal (target area, priority area) of a framework.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkGoalDto {
    pub id: i64,
    #[schema(example = 1, minimum = 1)]
    pub number: i32,
    #[schema(example = "Sysselsättning")]
    pub title: String,
    pub description: Option<String>,
    /// A scorecard goal's id in the styrkort system.
    pub external_id: Option<String>,
    /// Whose goal a scorecard goal is; `null` for a municipality-wide goal.
    pub organisation_id: Option<i64>,
    /// The KPI a scorecard goal is followed up by.
    pub kpi: Option<String>,
    /// When the styrkort system removed the goal: it is kept for what already names it, and
    /// not offered for new links.
    pub archived_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A goal framework with its goals.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkDetail {
    #[serde(flatten)]
    pub summary: FrameworkSummary,
    /// The goals, by number.
    pub goals: Vec<FrameworkGoalDto>,
}

impl From<FrameworkRecord> for FrameworkDetail {
    fn from(rec: FrameworkRecord) -> Self {
        let goal_count = i64::try_from(rec.goals.len()).unwrap_or(i64::MAX);
        let goals = rec.goals.into_iter();
        let goals = goals.map(|g| FrameworkGoalDto {
            id: g.id,
            number: g.number,
            title: g.title,
            description: g.description,
            external_id: g.external_id,
            organisation_id: g.organisation_id,
            kpi: g.kpi,
            archived_at: g.archived_at.map(|t| t.and_utc()),
        });
        Self { summary: FrameworkSummary::new(rec.framework, goal_count), goals: goals.collect() }
    }
}

list_query! {
    /// Search, order and format of the framework list.
    pub struct FrameworkQuery => FrameworkFilter {
        /// Words in the code, the name or the owner.
        q [max_length = 200] = text;
    }
    sort "^-?(added|code|name)$",
    "`added` (default, in the order they were added), `code` or `name`; a leading `-` for descending.",
    ["added" => FrameworkSort::Added, "code" => FrameworkSort::Code, "name" => FrameworkSort::Name],
    default Sort::asc(FrameworkSort::Added)
}

impl CsvRecord for FrameworkSummary {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "code",
        "name",
        "owner",
        "description",
        "adopted_year",
        "overall_goal",
        "goal_count",
        "external_id",
    ];
}

list_of! {
    /// List goal frameworks: search, sort; a page, or all of them as CSV or JSON.
    public fn list_frameworks, tag "frameworks", path "/frameworks", query FrameworkQuery,
    ok "A page of goal frameworks, or with `format` an export of all matching ones.",
    page FrameworkPage of FrameworkSummary, action Action::ReadPublished, filter FrameworkFilter,
    count repo::count_frameworks, ids repo::framework_ids, list repo::list_frameworks,
    each |(r, n): (FrameworkRow, i64), _: &Principal| Ok(FrameworkSummary::new(r, n)), file "malramverk"
}

get_one! {
    /// One goal framework with its goals.
    public fn get_framework, tag "frameworks", path "/frameworks/{id}", id "The framework's id.",
    ok "The framework with its goals.", body FrameworkDetail,
    |conn, _who, id| utblick_app::frameworks::load(conn, id),
    |rec, _caller| Ok(HttpResponse::Ok().json(FrameworkDetail::from(rec)))
}

/// A goal as entered; numbered by its place in the list.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    #[schema(format = "name", example = "Ingen fattigdom", min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(format = "optional-text", max_length = 20000)]
    pub description: Option<String>,
}

/// A new goal framework with its goals.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFramework {
    #[schema(format = "framework-code", example = "agenda-2030", min_length = 2, max_length = 40)]
    pub code: String,
    #[schema(format = "name", example = "Agenda 2030", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(format = "name", example = "Förenta nationerna", min_length = 1, max_length = 200)]
    pub owner: String,
    #[schema(format = "optional-text", max_length = 20000)]
    pub description: Option<String>,
    #[schema(example = 2015, minimum = 1900, maximum = 2199)]
    pub adopted_year: Option<i64>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub overall_goal: Option<String>,
    #[schema(max_items = 200)]
    pub goals: Vec<GoalBody>,
}

/// Add a goal framework (Agenda 2030, the EU's policy objectives, a new development plan).
#[utoipa::path(
    tag = "frameworks",
    operation_id = "create_framework",
    request_body = NewFramework,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added.", body = FrameworkDetail),
        BadRequest, Auth, BodyErrors, Conflict,
    )
)]
#[post("/frameworks")]
pub async fn create_framework(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    body: crate::dto::Json<NewFramework>,
) -> Result<HttpResponse, ApiError> {
    let f = body.into_inner().parse()?;
    let rec =
        run(&pool, &caller, &req, move |conn, ctx| utblick_app::frameworks::create(conn, ctx, &f)).await?;
    Ok(HttpResponse::Created().json(FrameworkDetail::from(rec)))
}

impl NewFramework {
    fn parse(self) -> Result<GoalFramework, ValidationErrors> {
        let goals = self.goals.into_iter().enumerate();
        GoalFramework::parse(&utblick_domain::framework::FrameworkInput {
            code: self.code,
            name: self.name,
            owner: self.owner,
            description: self.description,
            adopted_year: self.adopted_year,
            overall_goal: self.overall_goal,
            goals: goals.map(|(i, g)| (i as i64 + 1, g.title, g.description)).collect(),
        })
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_frameworks).service(get_framework).service(create_framework);
}
