//! Goal frameworks: Europa 2020, the municipality's development plan, and later others.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utblick_db::frameworks::{self as frameworks_repo, FrameworkFilter, FrameworkSort};
use utblick_db::listing::Sort;
use utblick_db::models::FrameworkRow;
use utblick_db::{DbConn, DbPool};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::ApiError;
use crate::export::{CsvRecord, List};
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Busy, Conflict, NotFound, Unavailable};
use crate::routes::common::QueryParams;
use crate::routes::with_conn;

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
}

/// A goal framework with its goals.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkDetail {
    #[serde(flatten)]
    pub summary: FrameworkSummary,
    /// The goals, by number.
    pub goals: Vec<FrameworkGoalDto>,
}

/// A page of frameworks.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkPage {
    pub items: Vec<FrameworkSummary>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// Search, order and format of the framework list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FrameworkQuery {
    /// Words in the code, the name or the owner.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `added` (default, in the order they were added), `code` or `name`; a leading `-` for
    /// descending.
    #[param(pattern = "^-?(added|code|name)$")]
    pub sort: Option<String>,
    /// `csv` or `json`: every match as a file.
    #[param(pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

impl FrameworkQuery {
    fn filter(&self) -> Result<FrameworkFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = FrameworkFilter {
            q: p.text("q", self.q.as_deref()),
            sort: p.sort(
                self.sort.as_deref(),
                &[
                    ("added", FrameworkSort::Added),
                    ("code", FrameworkSort::Code),
                    ("name", FrameworkSort::Name),
                ],
                Sort::asc(FrameworkSort::Added),
            ),
            ids: None,
        };
        p.finish()?;
        Ok(filter)
    }
}

impl CsvRecord for FrameworkSummary {
    const HEADERS: &'static [&'static str] =
        &["id", "code", "name", "owner", "description", "adopted_year", "overall_goal", "goal_count"];
}

/// List goal frameworks: search, sort; a page, or all of them as CSV or JSON.
#[utoipa::path(
    tag = "frameworks",
    operation_id = "list_frameworks",
    params(PageQuery, FrameworkQuery),
    responses(
        (status = 200, description = "A page of goal frameworks, or with `format` an export of all matching ones.", content(
            (FrameworkPage = "application/json"),
            (String = "text/csv"),
        )),
        Unavailable,
        BadRequest, Busy,
    )
)]
#[get("/frameworks")]
pub async fn list_frameworks(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    q: web::Query<FrameworkQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = List {
        filter: q.filter()?,
        count: frameworks_repo::count_frameworks,
        ids: frameworks_repo::framework_ids,
        fetch: |conn: &mut DbConn, f: &FrameworkFilter, offset, limit| {
            Ok(frameworks_repo::list_frameworks(conn, f, offset, limit)?
                .into_iter()
                .map(|(r, n)| FrameworkSummary::new(r, n))
                .collect())
        },
        filename: "malramverk",
        page: |items, page| FrameworkPage { items, page },
    };
    list.respond(&pool, &req, &caller, q.format.as_deref(), page.parse()?).await
}

/// One goal framework with its goals.
#[utoipa::path(
    tag = "frameworks",
    operation_id = "get_framework",
    params(("id" = i64, Path, description = "The framework's id.", minimum = 1)),
    responses(
        (status = 200, description = "The framework with its goals.", body = FrameworkDetail),
        Unavailable,
        BadRequest, NotFound,
    )
)]
#[get("/frameworks/{id}")]
pub async fn get_framework(pool: web::Data<DbPool>, id: PathId) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rec = with_conn(&pool, move |conn| utblick_db::frameworks::get_framework(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("framework {id}")))?;
    let goal_count = i64::try_from(rec.goals.len()).unwrap_or(i64::MAX);
    let goals = rec
        .goals
        .into_iter()
        .map(|g| FrameworkGoalDto { id: g.id, number: g.number, title: g.title, description: g.description })
        .collect();
    Ok(HttpResponse::Ok()
        .json(FrameworkDetail { summary: FrameworkSummary::new(rec.framework, goal_count), goals }))
}

/// A goal as entered; numbered by its place in the list.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    #[schema(example = "Ingen fattigdom", min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
}

/// A new goal framework with its goals.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFramework {
    #[schema(example = "agenda-2030", min_length = 2, max_length = 40)]
    pub code: String,
    #[schema(example = "Agenda 2030", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(example = "Förenta nationerna", min_length = 1, max_length = 200)]
    pub owner: String,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    #[schema(example = 2015, minimum = 1900, maximum = 2199)]
    pub adopted_year: Option<i64>,
    #[schema(max_length = 20000)]
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
    body: crate::dto::Json<NewFramework>,
) -> Result<HttpResponse, ApiError> {
    caller.require(utblick_domain::Action::EditProgrammeDomain)?;
    let b = body.into_inner();
    let f = utblick_domain::GoalFramework::parse(&utblick_domain::framework::FrameworkInput {
        code: b.code,
        name: b.name,
        owner: b.owner,
        description: b.description,
        adopted_year: b.adopted_year,
        overall_goal: b.overall_goal,
        goals: b.goals.into_iter().enumerate().map(|(i, g)| (i as i64 + 1, g.title, g.description)).collect(),
    })?;
    let (audit, t) = (caller.audit.clone(), chrono::Utc::now().naive_utc());
    let rec = with_conn(&pool, move |conn| {
        utblick_db::write_transaction::<_, utblick_db::DbError, _>(conn, |conn| {
            let id = utblick_db::frameworks::insert_framework(conn, &f, t)?;
            audit.record(
                conn,
                t,
                "framework.created",
                "framework",
                Some(id.to_string()),
                serde_json::json!({
                    "code": f.code(), "name": f.name(), "goals": f.goals().len(),
                }),
            )?;
            utblick_db::frameworks::get_framework(conn, id)
        })
    })
    .await?
    .ok_or_else(|| ApiError::Internal("the new framework vanished".into()))?;
    let goal_count = i64::try_from(rec.goals.len()).unwrap_or(i64::MAX);
    let goals = rec
        .goals
        .into_iter()
        .map(|g| FrameworkGoalDto { id: g.id, number: g.number, title: g.title, description: g.description })
        .collect();
    Ok(HttpResponse::Created()
        .json(FrameworkDetail { summary: FrameworkSummary::new(rec.framework, goal_count), goals }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_frameworks).service(get_framework).service(create_framework);
}
