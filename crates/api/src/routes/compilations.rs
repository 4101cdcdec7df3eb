//! The compilation for the council (rule 8): one per reporting year; a draft computed from
//! the data now, made final (frozen as a numbered version), presented with the council's
//! decision, published for anyone; its tables as CSV, XLSX and JSON and its charts as SVG.
//! A published compilation is read without signing in under `/published-compilations`.

use actix_web::{HttpRequest, HttpResponse, get, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::compilations::{self as uc, Compilation, CompilationView};
use utblick_db::models::DecisionRow;
use utblick_domain::can::{self, Can};
use utblick_domain::compilation::CompilationStatus;
use utblick_domain::{Action, FieldError, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::routes::standard::{create_one, get_one, step_one};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The decision of the council a compilation was presented with.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionRefDto {
    pub id: i64,
    #[schema(value_type = schema::Body)]
    pub body: String,
    pub decided_on: NaiveDate,
    pub paragraph: String,
    pub diarienummer: String,
    pub subject: String,
}

impl From<DecisionRow> for DecisionRefDto {
    fn from(d: DecisionRow) -> Self {
        Self {
            id: d.id,
            body: d.body,
            decided_on: d.decided_on,
            paragraph: d.paragraph,
            diarienummer: d.diarienummer_as_registered,
            subject: d.subject,
        }
    }
}

/// A frozen version of a compilation.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompilationVersionDto {
    pub number: i32,
    pub frozen_at: chrono::DateTime<chrono::Utc>,
    /// Who made it final (a person's id); not shown to the public.
    pub frozen_by: Option<i64>,
}

/// A chart of the compilation: its key (`/charts/{key}`) and title.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChartRefDto {
    pub key: &'static str,
    pub title: String,
}

/// A table of the compilation as people read it (Swedish headings and numbers), as in the
/// exports.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableDto {
    /// Stable, for `export?table=`.
    pub key: &'static str,
    pub title: &'static str,
    pub headers: Vec<&'static str>,
    /// Whether each column holds numbers.
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

fn table_dtos(c: &Compilation) -> Vec<TableDto> {
    crate::compilation_doc::tables(c)
        .into_iter()
        .map(|t| TableDto {
            numeric: crate::compilation_doc::numeric_columns(&t),
            rows: t
                .rows
                .iter()
                .map(|r| r.iter().map(crate::compilation_doc::display_cell).collect())
                .collect(),
            key: t.key,
            title: t.title,
            headers: t.headers,
        })
        .collect()
}

/// A compilation for the council.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompilationDto {
    pub id: i64,
    pub reporting_year_id: i64,
    /// The year compiled.
    pub year: i32,
    #[schema(value_type = schema::CompilationStatus)]
    pub status: CompilationStatus,
    /// The note of its last reopening: what is corrected.
    pub comment: Option<String>,
    /// The council's decision it was presented with.
    pub decision: Option<DecisionRefDto>,
    /// The version presented to the council (what the public reads once published).
    pub presented_version: Option<i32>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The frozen version shown in `compilation`; null for a draft (computed now).
    pub shown_version: Option<i32>,
    /// Every frozen version, the first first; each is a public record.
    pub versions: Vec<CompilationVersionDto>,
    /// Every figure and text.
    #[schema(value_type = CompilationSchema)]
    pub compilation: Compilation,
    /// Its charts (SVG).
    pub charts: Vec<ChartRefDto>,
    /// Its tables, as the council reads them.
    pub tables: Vec<TableDto>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now: `publish`, and the moves of `status`.
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

fn chart_refs(c: &Compilation) -> Vec<ChartRefDto> {
    crate::charts::charts(c).into_iter().map(|c| ChartRefDto { key: c.key, title: c.title }).collect()
}

fn compilation_dto(v: CompilationView, who: &Principal) -> Result<CompilationDto, ApiError> {
    let charts = chart_refs(&v.compilation);
    let public = matches!(who, Principal::Anonymous);
    let r = v.row;
    Ok(CompilationDto {
        can: can::compilation(who, v.status, r.published_at.is_some()),
        id: r.id,
        reporting_year_id: r.reporting_year_id,
        year: v.year.year,
        status: v.status,
        comment: r.comment,
        decision: v.decision.map(Into::into),
        presented_version: r.presented_version,
        published_at: r.published_at.map(|t| t.and_utc()),
        shown_version: v.shown_version,
        versions: v
            .versions
            .into_iter()
            .map(|(number, at, by)| CompilationVersionDto {
                number,
                frozen_at: at.and_utc(),
                frozen_by: by.filter(|_| !public),
            })
            .collect(),
        tables: table_dtos(&v.compilation),
        compilation: v.compilation,
        charts,
        stored: crate::dto::Stored::of(None, r.version, r.created_at, r.updated_at),
    })
}

crate::exec::reply!(CompilationView => CompilationDto, |r| r.row.version, compilation_dto);

/// A compilation in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompilationSummaryDto {
    pub id: i64,
    pub reporting_year_id: i64,
    pub year: i32,
    #[schema(value_type = schema::CompilationStatus)]
    pub status: String,
    pub presented_version: Option<i32>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

fn summaries(rows: Vec<(utblick_db::models::CompilationRow, i32)>) -> Vec<CompilationSummaryDto> {
    rows.into_iter()
        .map(|(r, year)| CompilationSummaryDto {
            id: r.id,
            reporting_year_id: r.reporting_year_id,
            year,
            status: r.status,
            presented_version: r.presented_version,
            published_at: r.published_at.map(|t| t.and_utc()),
            updated_at: r.updated_at.and_utc(),
        })
        .collect()
}

/// Beginning the compilation of a reporting year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompilationBody {
    /// The reporting year to compile (its id).
    #[schema(minimum = 1)]
    pub reporting_year_id: i64,
}

/// A move of a compilation on its path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompilationStatusChange {
    #[schema(value_type = schema::CompilationStatus)]
    pub status: String,
    /// The council's decision from the register: needed to present it.
    #[schema(minimum = 1)]
    pub decision_id: Option<i64>,
    /// What is corrected: needed to reopen a final or presented compilation.
    #[schema(format = "optional-text", max_length = 4000)]
    pub comment: Option<String>,
}

/// Publishing a presented compilation, or withdrawing the publication.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationChange {
    pub published: bool,
}

/// Every compilation, the newest year first.
#[utoipa::path(
    tag = "compilations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The compilations.", body = Vec<CompilationSummaryDto>),
        crate::responses::Auth,
    )
)]
#[get("/compilations")]
pub async fn list_compilations(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let rows = crate::routes::with_app(&pool, uc::list).await?;
    Ok(HttpResponse::Ok().json(summaries(rows)))
}

create_one! {
    /// Begin the compilation of a reporting year: a draft computed from the year's
    /// activities, projects and reports as they are now. Coordinators and administrators
    /// may; a year has one compilation.
    fn begin_compilation, tag "compilations", path "/compilations", body CompilationBody,
    ok "Begun; the ETag is its version.", dto CompilationDto,
    |body| year = body.reporting_year_id, |conn, ctx| uc::begin(conn, ctx, year)
}

fn read_now(conn: &mut utblick_db::DbConn, id: i64) -> Result<CompilationView, utblick_app::AppError> {
    uc::read(conn, id, today())
}

get_one! {
    /// One compilation: a draft as the data says now, a final or presented one as it was
    /// frozen; its versions, decision and charts.
    fn get_compilation, tag "compilations", path "/compilations/{id}", id "The compilation's id.",
    ok "The compilation; the ETag is its version.", body CompilationDto, action Action::ReadInternal,
    read read_now
}

step_one! {
    /// Move a compilation: `final` (every figure and text frozen as its next version, which
    /// editing the data never changes), `presented` (with the council's `decision_id` from
    /// the register), `draft` (reopened for a correction, with a `comment`; the versions stay
    /// readable). Coordinators and administrators. Needs `If-Match`.
    fn change_compilation_status, tag "compilations", path "/compilations/{id}/status",
    id "The compilation's id.", etag "The ETag of the compilation.", body CompilationStatusChange,
    ok "Moved; the ETag is the new version.", dto CompilationDto,
    |body| (to, decision, comment) = (CompilationStatus::parse(&body.status).map_err(ValidationErrors::from)?, body.decision_id, body.comment),
    |conn, ctx, id| uc::change_status(conn, ctx, id, to, decision, comment.as_deref())
}

step_one! {
    /// Publish a presented compilation for anyone to read without signing in (the version
    /// presented to the council), or withdraw the publication. Coordinators and
    /// administrators. Needs `If-Match`.
    fn publish_compilation, tag "compilations", path "/compilations/{id}/publication",
    id "The compilation's id.", etag "The ETag of the compilation.", body PublicationChange,
    ok "Published or withdrawn; the ETag is the new version.", dto CompilationDto,
    |body| published = body.published, |conn, ctx, id| uc::publish(conn, ctx, id, published)
}

/// A frozen version's path parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VersionPath {
    /// The compilation's id.
    #[param(minimum = 1)]
    pub id: i64,
    /// The version's number (1 is the first made final).
    #[param(minimum = 1)]
    pub number: i32,
}

/// A frozen version of a compilation: every figure and text as it was frozen, its tables
/// and its charts.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrozenCompilationDto {
    pub number: i32,
    pub frozen_at: chrono::DateTime<chrono::Utc>,
    /// Who made it final (a person's id).
    pub frozen_by: Option<i64>,
    #[schema(value_type = CompilationSchema)]
    pub compilation: Compilation,
    pub tables: Vec<TableDto>,
    pub charts: Vec<ChartRefDto>,
}

/// One frozen version of a compilation, as it was frozen.
#[utoipa::path(
    tag = "compilations",
    params(VersionPath),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The frozen version.", body = FrozenCompilationDto),
        crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
    )
)]
#[get("/compilations/{id}/versions/{number}")]
pub async fn get_compilation_version(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    path: actix_web::web::Path<VersionPath>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let VersionPath { id, number } = path.into_inner();
    let (v, c) = crate::routes::with_app(&pool, move |conn| uc::version(conn, id, number)).await?;
    Ok(HttpResponse::Ok().json(FrozenCompilationDto {
        number: v.number,
        frozen_at: v.frozen_at.and_utc(),
        frozen_by: v.frozen_by,
        tables: table_dtos(&c),
        charts: chart_refs(&c),
        compilation: c,
    }))
}

/// What to export of a compilation, and which version.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `pdf` (the whole document for the council: tagged PDF/UA-1 and PDF/A-2a), `docx`
    /// (the same to finish in Word, without the charts), `xlsx` (every table, a sheet each,
    /// or the one named by `table`), `csv` (the table named by `table`; the overview when
    /// none is) or `json` (every figure and text).
    #[param(pattern = "^(csv|xlsx|json|pdf|docx)$")]
    pub format: String,
    /// The table of a CSV export: `overview`, `by_organisation`, `by_priority_area`,
    /// `by_work_kind`, `by_country`, `countries_named`, `funding`, `years`, `reports`,
    /// `contributions`.
    #[param(
        pattern = "^(overview|by_organisation|by_priority_area|by_work_kind|by_country|countries_named|funding|years|reports|contributions)$"
    )]
    pub table: Option<String>,
    /// A frozen version (else the one shown: the draft computed now, or the last frozen).
    #[param(minimum = 1)]
    pub version: Option<i32>,
}

/// Which version a chart shows.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChartQuery {
    /// A frozen version (else the one shown: the draft computed now, or the last frozen).
    #[param(minimum = 1)]
    pub version: Option<i32>,
}

/// A chart's path parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ChartPath {
    /// The compilation's id.
    #[param(minimum = 1)]
    pub id: i64,
    /// `work_kind`, `organisations`, `countries`, `years` or `funding`.
    #[param(pattern = "^(work_kind|organisations|countries|years|funding)$")]
    pub chart: String,
}

fn not_one_of(field: &str, values: &[&str]) -> ApiError {
    let list = values.join(", ");
    ApiError::InvalidParameter(vec![FieldError::rule(
        field,
        "not_one_of",
        format!("must be one of: {list}"),
        format!("ska vara något av: {list}"),
    )])
}

/// The compilation shown, or a frozen version of it: its year, its figures and the lines a
/// document carries under its title (status, version, the council's decision; Swedish).
struct Shown {
    year: i32,
    compilation: Compilation,
    lead: Vec<String>,
}

fn lead_of(v: &CompilationView) -> Vec<String> {
    let status = v.status.swedish();
    let mut lead = vec![match v.shown_version {
        Some(n) => {
            let at = v.versions.iter().find(|x| x.0 == n).map(|x| x.1.date().to_string()).unwrap_or_default();
            format!("Status: {status}. Version {n}, fryst {at}.")
        }
        None => format!("Status: {status}. Utkastet räknas fram ur uppgifterna som de är nu."),
    }];
    if let Some(d) = &v.decision {
        lead.push(format!(
            "Redovisad för kommunfullmäktige {}, § {} ({}).",
            d.decided_on, d.paragraph, d.diarienummer
        ));
    }
    lead
}

async fn shown(
    pool: &actix_web::web::Data<utblick_db::DbPool>,
    id: i64,
    version: Option<i32>,
    public: bool,
) -> Result<Shown, ApiError> {
    crate::routes::with_app(pool, move |conn| {
        if public {
            let v = uc::published(conn, id)?;
            if version.is_some_and(|n| Some(n) != v.shown_version) {
                return Err(utblick_app::AppError::NotFound(format!("version of compilation {id}")));
            }
            let lead = lead_of(&v);
            return Ok(Shown { year: v.year.year, compilation: v.compilation, lead });
        }
        match version {
            Some(n) => {
                let (row, c) = uc::version(conn, id, n)?;
                let lead = vec![format!("Version {n}, fryst {}.", row.frozen_at.date())];
                Ok(Shown { year: c.year, compilation: c, lead })
            }
            None => {
                let v = uc::read(conn, id, today())?;
                let lead = lead_of(&v);
                Ok(Shown { year: v.year.year, compilation: v.compilation, lead })
            }
        }
    })
    .await
}

/// The compilation as a PDF or DOCX for the council. Laying a document out takes a CPU for a
/// while, so it runs on the blocking pool and counts as an export (429 past the limits).
async fn document(
    req: &HttpRequest,
    caller: &crate::auth::Caller,
    shown: Shown,
    pdf: bool,
) -> Result<HttpResponse, ApiError> {
    let gate = req
        .app_data::<actix_web::web::Data<crate::export::ExportGate>>()
        .ok_or_else(|| ApiError::Internal("no export gate".into()))?
        .clone()
        .into_inner();
    let permit = crate::export::ExportGate::admit(&gate, caller.export_key())?;
    let author = req
        .app_data::<actix_web::web::Data<crate::routes::meta::Site>>()
        .map_or_else(|| "Utblick".to_owned(), |s| s.municipality.clone());
    let base = format!("sammanställning-{}", shown.year);
    let bytes = actix_web::web::block(move || {
        let _permit = permit;
        let doc = crate::compilation_doc::document(&shown.compilation, shown.lead, &author, today());
        if pdf { utblick_print::pdf(&doc) } else { utblick_print::docx(&doc) }
    })
    .await
    .map_err(|e| ApiError::Internal(format!("document: {e}")))?
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let (ext, media) = if pdf {
        ("pdf", "application/pdf")
    } else {
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    };
    Ok(HttpResponse::Ok()
        .content_type(media)
        .insert_header(crate::disposition::attachment(&format!("{base}.{ext}")))
        .body(bytes))
}

async fn export(
    req: &HttpRequest,
    caller: &crate::auth::Caller,
    pool: &actix_web::web::Data<utblick_db::DbPool>,
    id: i64,
    q: ExportQuery,
    public: bool,
) -> Result<HttpResponse, ApiError> {
    const FORMATS: &[&str] = &["csv", "xlsx", "json", "pdf", "docx"];
    if !FORMATS.contains(&q.format.as_str()) {
        return Err(not_one_of("format", FORMATS));
    }
    let table = match (&q.format[..], q.table.as_deref()) {
        (_, Some(t)) if !crate::compilation_doc::TABLES.contains(&t) => {
            return Err(not_one_of("table", crate::compilation_doc::TABLES));
        }
        ("csv", None) => Some("overview".to_owned()),
        (_, t) => t.map(str::to_owned),
    };
    let shown = shown(pool, id, q.version, public).await?;
    if matches!(q.format.as_str(), "pdf" | "docx") {
        return document(req, caller, shown, q.format == "pdf").await;
    }
    let (year, c) = (shown.year, shown.compilation);
    let base = format!("sammanställning-{year}");
    match q.format.as_str() {
        "json" => Ok(HttpResponse::Ok()
            .insert_header(crate::disposition::attachment(&format!("{base}.json")))
            .json(c)),
        "xlsx" => {
            let tables = crate::compilation_doc::tables(&c);
            let chosen: Vec<_> =
                tables.into_iter().filter(|t| table.as_deref().is_none_or(|k| k == t.key)).collect();
            let bytes = crate::compilation_doc::xlsx(&chosen)?;
            Ok(HttpResponse::Ok()
                .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .insert_header(crate::disposition::attachment(&format!("{base}.xlsx")))
                .body(bytes))
        }
        _ => {
            let key = table.unwrap_or_default();
            let t = crate::compilation_doc::tables(&c).into_iter().find(|t| t.key == key);
            let t = t.ok_or_else(|| not_one_of("table", crate::compilation_doc::TABLES))?;
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header(crate::disposition::attachment(&format!(
                    "{base}-{}.csv",
                    t.title.to_lowercase().replace(' ', "-")
                )))
                .body(crate::compilation_doc::csv(&t)))
        }
    }
}

async fn chart(
    pool: &actix_web::web::Data<utblick_db::DbPool>,
    path: ChartPath,
    version: Option<i32>,
    public: bool,
) -> Result<HttpResponse, ApiError> {
    if !crate::charts::CHARTS.contains(&path.chart.as_str()) {
        return Err(not_one_of("chart", crate::charts::CHARTS));
    }
    let c = shown(pool, path.id, version, public).await?.compilation;
    let chart = crate::charts::charts(&c).into_iter().find(|x| x.key == path.chart);
    let chart = chart.ok_or_else(|| not_one_of("chart", crate::charts::CHARTS))?;
    Ok(HttpResponse::Ok().content_type("image/svg+xml; charset=utf-8").body(crate::charts::svg(&chart)))
}

/// A compilation's tables as a workbook (a sheet each), one table as CSV, or every figure
/// and text as JSON; Swedish headings and numbers for people.
#[utoipa::path(
    tag = "compilations",
    params(("id" = i64, Path, description = "The compilation's id.", minimum = 1), ExportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment.", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv"),
            (CompilationSchema = "application/json"),
        )),
        crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound, crate::responses::Busy,
    )
)]
#[get("/compilations/{id}/export")]
pub async fn export_compilation(
    req: HttpRequest,
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    id: crate::dto::PathId,
    q: actix_web::web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    export(&req, &caller, &pool, *id, q.into_inner(), false).await
}

/// A chart of a compilation as SVG: bars with their labels and values written beside them,
/// readable without colour; its figures are its description.
#[utoipa::path(
    tag = "compilations",
    params(ChartPath, ChartQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The chart.", content((String = "image/svg+xml"))),
        crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
    )
)]
#[get("/compilations/{id}/charts/{chart}")]
pub async fn get_compilation_chart(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    path: actix_web::web::Path<ChartPath>,
    q: actix_web::web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    chart(&pool, path.into_inner(), q.into_inner().version, false).await
}

/// Every published compilation, the newest year first; for anyone, without signing in.
#[utoipa::path(
    tag = "compilations",
    responses((status = 200, description = "The published compilations.", body = Vec<CompilationSummaryDto>))
)]
#[get("/published-compilations")]
pub async fn list_published_compilations(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPublished)?;
    let rows = crate::routes::with_app(&pool, uc::list_published).await?;
    Ok(HttpResponse::Ok().json(summaries(rows)))
}

/// A published compilation, for anyone: the version presented to the council, with its
/// decision.
#[utoipa::path(
    tag = "compilations",
    params(("id" = i64, Path, description = "The compilation's id.", minimum = 1)),
    responses(
        (status = 200, description = "The compilation as presented.", body = CompilationDto),
        crate::responses::BadRequest, crate::responses::NotFound,
    )
)]
#[get("/published-compilations/{id}")]
pub async fn get_published_compilation(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    id: crate::dto::PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPublished)?;
    let id = *id;
    let v = crate::routes::with_app(&pool, move |conn| uc::published(conn, id)).await?;
    Ok(HttpResponse::Ok().json(compilation_dto(v, &Principal::Anonymous)?))
}

/// A published compilation's tables or figures, for anyone (as `/compilations/{id}/export`).
#[utoipa::path(
    tag = "compilations",
    params(("id" = i64, Path, description = "The compilation's id.", minimum = 1), ExportQuery),
    responses(
        (status = 200, description = "The file, as an attachment.", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv"),
            (CompilationSchema = "application/json"),
        )),
        crate::responses::BadRequest, crate::responses::NotFound, crate::responses::Busy,
    )
)]
#[get("/published-compilations/{id}/export")]
pub async fn export_published_compilation(
    req: HttpRequest,
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    id: crate::dto::PathId,
    q: actix_web::web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPublished)?;
    export(&req, &caller, &pool, *id, q.into_inner(), true).await
}

/// A published compilation's chart, for anyone (as `/compilations/{id}/charts/{chart}`).
#[utoipa::path(
    tag = "compilations",
    params(ChartPath, ChartQuery),
    responses(
        (status = 200, description = "The chart.", content((String = "image/svg+xml"))),
        crate::responses::BadRequest, crate::responses::NotFound,
    )
)]
#[get("/published-compilations/{id}/charts/{chart}")]
pub async fn get_published_compilation_chart(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    path: actix_web::web::Path<ChartPath>,
    q: actix_web::web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPublished)?;
    chart(&pool, path.into_inner(), q.into_inner().version, true).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_compilations)
        .service(begin_compilation)
        .service(get_compilation)
        .service(change_compilation_status)
        .service(publish_compilation)
        .service(get_compilation_version)
        .service(export_compilation)
        .service(get_compilation_chart)
        .service(list_published_compilations)
        .service(get_published_compilation)
        .service(export_published_compilation)
        .service(get_published_compilation_chart);
}

// The compilation's shape, for the spec (the domain's types carry no framework).

/// Sums of activities: how many, working time (hundredths of an hour), money (öre) and
/// people.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct TotalsSchema {
    activities: u64,
    hours: u64,
    own_cost: i64,
    external_cost: i64,
    women: u64,
    men: u64,
    participants: u64,
}

/// One part of a breakdown: the organisation's or priority area's id, the kind of work's or
/// country's code, or `several`, `none`, `other`; its Swedish name as compiled.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PartSchema {
    key: String,
    label: String,
    totals: TotalsSchema,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct CountryNamedSchema {
    country: String,
    label: String,
    /// Activities that named it (an activity may name several countries).
    activities: u64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct FundingPartSchema {
    key: String,
    label: String,
    applied: i64,
    granted: i64,
}

/// The money of the projects worked on in the year, whole periods, in öre.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct FundingSchema {
    projects: u64,
    own: i64,
    applied: i64,
    granted: i64,
    /// Granted kronor per own krona, in hundredths.
    leverage: Option<i64>,
    by_programme: Vec<FundingPartSchema>,
}

/// Development projects that left planning in the year, and how many had their co-funding
/// assessed before.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct GateSchema {
    left_planning: u64,
    assessed_before: u64,
    /// Basis points.
    share: Option<u32>,
    not_assessed: Vec<String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct TwinningSchema {
    twin_towns: Vec<String>,
    activities_in_twin_countries: u64,
    network_meetings: u64,
    active_collaborations: u64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ReportedCorrectionSchema {
    #[schema(value_type = schema::ReportFigure)]
    figure: String,
    computed: i64,
    reported: i64,
    reason: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct GoalContributionSchema {
    goal: String,
    contribution: String,
}

/// An organisation's report: its latest version handed in, or where it stands.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ReportSummarySchema {
    organisation_id: i64,
    organisation: String,
    #[schema(value_type = schema::ReportStatus)]
    status: String,
    days_late: u32,
    version: Option<i32>,
    narrative: String,
    corrections: Vec<ReportedCorrectionSchema>,
    contributions: Vec<GoalContributionSchema>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct YearTotalsSchema {
    year: i32,
    totals: TotalsSchema,
    /// Taken from that year's frozen compilation.
    frozen: bool,
}

/// Every figure and text of a compiled year. Each breakdown's parts add up to `total`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct CompilationSchema {
    year: i32,
    total: TotalsSchema,
    by_organisation: Vec<PartSchema>,
    by_priority_area: Vec<PartSchema>,
    by_work_kind: Vec<PartSchema>,
    by_country: Vec<PartSchema>,
    countries_named: Vec<CountryNamedSchema>,
    funding: FundingSchema,
    gate: GateSchema,
    twinning: TwinningSchema,
    reports: Vec<ReportSummarySchema>,
    /// The four years before and this one, oldest first.
    years: Vec<YearTotalsSchema>,
}
