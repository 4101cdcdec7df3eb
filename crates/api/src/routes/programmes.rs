//! Programmes: the governing documents of the international work (rules 1–4).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::listing::Sort;
use utblick_db::models::{ProgrammeRecord, ProgrammeRow};
use utblick_db::programmes::{ProgrammeFilter, ProgrammeSort};
use utblick_db::{DbConn, DbPool};
use utblick_domain::governance::revise_by;
use utblick_domain::programme::revision_overdue;
use utblick_domain::{Body, DocumentType, ProgrammeStatus, WorkKind};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::codes::schema;
use crate::concurrency::{etag, if_match};
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::{ApiError, Problem};
use crate::export::{CsvRecord, List, cell, code_cell};
use crate::routes::common::QueryParams;
use crate::routes::decisions::DecisionBody;
use crate::routes::with_conn;
use utblick_domain::{Action, Decision, authorize};

/// A stored code that no longer parses is a server-side defect, never the client's.
fn stored<T>(r: Result<T, utblick_domain::FieldError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::Internal(format!("stored value breaks a rule: {e}")))
}

/// A programme version as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeSummary {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "Internationellt arbete")]
    pub title: String,
    /// The municipality's document number (dokument-ID).
    #[schema(example = "0424")]
    pub document_id: String,
    /// The registry number in its normal form (`[SERIES ]YYYY/N`).
    #[schema(example = "2016/20")]
    pub diarienummer: String,
    #[schema(example = 1, minimum = 1)]
    pub version: i32,
    #[schema(value_type = schema::DocumentType)]
    pub document_type: DocumentType,
    #[schema(value_type = schema::ProgrammeStatus)]
    pub status: ProgrammeStatus,
    #[schema(value_type = schema::Body)]
    pub decided_by: Body,
    /// The publishing date (the day the decision took effect).
    #[schema(example = "2016-04-23")]
    pub published: Option<NaiveDate>,
    /// The date by which the document must be revised.
    #[schema(example = "2020-04-22")]
    pub revise_by: Option<NaiveDate>,
    /// When the revision is due: the document's revise-by date, or else the end of the
    /// year after the first election following adoption.
    #[schema(example = "2020-04-22")]
    pub revision_due: Option<NaiveDate>,
    /// True when an adopted programme is past its revision date.
    pub revision_overdue: bool,
    /// The version of this record, for If-Match (also sent as the ETag).
    pub row_version: i32,
}

impl ProgrammeSummary {
    fn from_row(r: &ProgrammeRow, today: NaiveDate) -> Result<Self, ApiError> {
        let status = stored(ProgrammeStatus::parse(&r.status))?;
        Ok(Self {
            id: r.id,
            title: r.title.clone(),
            document_id: r.document_id.clone(),
            diarienummer: r.diarienummer.clone(),
            version: r.version,
            document_type: stored(DocumentType::parse(&r.document_type))?,
            status,
            decided_by: stored(Body::parse(&r.decided_by))?,
            published: r.published,
            revise_by: r.revise_by,
            revision_due: revise_by(r.revise_by, r.published),
            revision_overdue: revision_overdue(status, revise_by(r.revise_by, r.published), today),
            row_version: r.row_version,
        })
    }
}

/// A priority area of a programme version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriorityAreaDto {
    pub id: i64,
    #[schema(example = 1, minimum = 1)]
    pub number: i32,
    #[schema(example = "Livslångt lärande för individen och för samhället")]
    pub title: String,
    pub description: String,
}

/// What the programme says about one kind of international work.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkKindDescriptionDto {
    #[schema(value_type = schema::WorkKind)]
    pub kind: WorkKind,
    /// The Swedish name of the kind.
    #[schema(example = "Omvärldsbevakning")]
    pub name: String,
    pub description: String,
}

/// A goal framework the programme relates to.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedFrameworkDto {
    pub id: i64,
    #[schema(example = "europe-2020")]
    pub code: String,
    #[schema(example = "Europa 2020")]
    pub name: String,
    /// How the programme relates to the framework, in the programme's words.
    pub relation: String,
}

/// A programme version with everything that belongs to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDetail {
    #[serde(flatten)]
    pub summary: ProgrammeSummary,
    #[schema(example = "Kommunledningsförvaltningen")]
    pub responsible_administration: String,
    #[schema(example = "Kansli- och personalavdelningen")]
    pub responsible_department: String,
    /// Syfte & mål.
    pub purpose: String,
    /// Bakgrund.
    pub background: String,
    /// The priority areas, by number.
    pub priority_areas: Vec<PriorityAreaDto>,
    /// The kinds of international work, in the programme's order.
    pub work_kinds: Vec<WorkKindDescriptionDto>,
    /// The goal frameworks the programme links to.
    pub frameworks: Vec<LinkedFrameworkDto>,
    /// The executive board's decision that adopted this version.
    pub adopted_by_decision_id: Option<i64>,
    /// When this version was registered in Utblick.
    pub created_at: DateTime<Utc>,
    /// When this version was last changed in Utblick.
    pub updated_at: DateTime<Utc>,
}

impl ProgrammeDetail {
    fn from_record(rec: ProgrammeRecord, today: NaiveDate) -> Result<Self, ApiError> {
        let summary = ProgrammeSummary::from_row(&rec.programme, today)?;
        let work_kinds = rec
            .work_kinds
            .into_iter()
            .map(|w| {
                let kind = stored(WorkKind::parse(&w.kind))?;
                Ok(WorkKindDescriptionDto { kind, name: kind.swedish().into(), description: w.description })
            })
            .collect::<Result<_, ApiError>>()?;
        let p = rec.programme;
        Ok(Self {
            summary,
            responsible_administration: p.responsible_administration,
            responsible_department: p.responsible_department,
            purpose: p.purpose,
            background: p.background,
            priority_areas: rec
                .priority_areas
                .into_iter()
                .map(|a| PriorityAreaDto {
                    id: a.id,
                    number: a.number,
                    title: a.title,
                    description: a.description,
                })
                .collect(),
            work_kinds,
            frameworks: rec
                .frameworks
                .into_iter()
                .map(|l| LinkedFrameworkDto {
                    id: l.framework.id,
                    code: l.framework.code,
                    name: l.framework.name,
                    relation: l.relation,
                })
                .collect(),
            adopted_by_decision_id: p.adopted_by_decision_id,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
        })
    }
}

/// A page of programmes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammePage {
    pub items: Vec<ProgrammeSummary>,
    #[serde(flatten)]
    pub page: PageInfo,
}

pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Filters, search, order and format of the programme list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeQuery {
    /// `draft`, `adopted` or `superseded` (drafts only for signed-in readers).
    #[param(value_type = Option<schema::ProgrammeStatus>)]
    pub status: Option<String>,
    /// Words in the title, the registry number or the document id.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `document` (default: documents in registration order, newest version first),
    /// `title`, `published` or `revise_by`; a leading `-` for descending.
    #[param(pattern = "^-?(document|title|published|revise_by)$")]
    pub sort: Option<String>,
    /// `csv` or `json`: every match as a file.
    #[param(pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

impl ProgrammeQuery {
    fn filter(&self, published_only: bool) -> Result<ProgrammeFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = ProgrammeFilter {
            published_only,
            status: p.code("status", self.status.as_deref(), ProgrammeStatus::parse, |s| s.code().to_owned()),
            q: p.text(self.q.as_deref()),
            sort: p.sort(
                self.sort.as_deref(),
                &[
                    ("document", ProgrammeSort::Document),
                    ("title", ProgrammeSort::Title),
                    ("published", ProgrammeSort::Published),
                    ("revise_by", ProgrammeSort::ReviseBy),
                ],
                Sort::asc(ProgrammeSort::Document),
            ),
            ids: None,
        };
        p.finish()?;
        Ok(filter)
    }
}

impl CsvRecord for ProgrammeSummary {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "title",
        "document_id",
        "diarienummer",
        "version",
        "document_type",
        "status",
        "decided_by",
        "published",
        "revise_by",
        "revision_due",
        "revision_overdue",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.document_id.clone(),
            self.diarienummer.clone(),
            self.version.to_string(),
            code_cell(&self.document_type),
            code_cell(&self.status),
            code_cell(&self.decided_by),
            cell(self.published),
            cell(self.revise_by),
            cell(self.revision_due),
            self.revision_overdue.to_string(),
        ]
    }
}

/// List programme versions: filter by status, search, sort; a page, or all of them as CSV
/// or JSON. Drafts are listed for signed-in readers only.
#[utoipa::path(
    tag = "programmes",
    operation_id = "list_programmes",
    params(PageQuery, ProgrammeQuery),
    responses(
        (status = 200, description = "A page of programme versions, or with `format` an export of all matching ones.", content(
            (ProgrammePage = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many exports are running, yours or in all; see Retry-After.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is not reachable.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/programmes")]
pub async fn list_programmes(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    q: web::Query<ProgrammeQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPublished)?;
    // Drafts are internal: the public (and tokens without `read`) see adopted and
    // superseded versions only.
    let internal = authorize(&caller.principal, Action::ReadInternal) == Decision::Allow;
    let today = today();
    let list = List {
        filter: q.filter(!internal)?,
        count: utblick_db::programmes::count_programmes,
        ids: utblick_db::programmes::programme_ids,
        fetch: move |conn: &mut DbConn, f: &ProgrammeFilter, offset, limit| {
            utblick_db::programmes::list_programmes(conn, f, offset, limit)?
                .iter()
                .map(|r| ProgrammeSummary::from_row(r, today))
                .collect()
        },
        filename: "program",
        page: |items, page| ProgrammePage { items, page },
    };
    list.respond(&pool, &req, &caller, q.format.as_deref(), page.parse()?).await
}

/// One programme version with its priority areas, kinds of work and linked frameworks.
#[utoipa::path(
    tag = "programmes",
    operation_id = "get_programme",
    params(("id" = i64, Path, description = "The programme version's id.", minimum = 1)),
    responses(
        (status = 200, description = "The programme version; the ETag is its record's version.", body = ProgrammeDetail),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No programme version has this id.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is not reachable.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/programmes/{id}")]
pub async fn get_programme(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPublished)?;
    let id = id.into_inner();
    let internal = authorize(&caller.principal, Action::ReadInternal) == Decision::Allow;
    let rec = with_conn(&pool, move |conn| utblick_db::programmes::get_programme(conn, id))
        .await?
        .filter(|r| internal || r.programme.status != "draft")
        .ok_or_else(|| ApiError::NotFound(format!("programme {id}")))?;
    detail_response(actix_web::http::StatusCode::OK, rec)
}

fn detail_response(
    status: actix_web::http::StatusCode,
    rec: ProgrammeRecord,
) -> Result<HttpResponse, ApiError> {
    let tag = etag(rec.programme.row_version);
    Ok(HttpResponse::build(status)
        .insert_header(("ETag", tag))
        .json(ProgrammeDetail::from_record(rec, today())?))
}

// --- The programme's life: drafts, new versions, adoption (rule 1) ---------------------

/// A priority area as written in a draft; numbered by its place in the list.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityAreaBody {
    #[schema(
        example = "Livslångt lärande för individen och för samhället",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub description: String,
}

/// What a programme says about one kind of work.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkKindBody {
    #[schema(value_type = schema::WorkKind)]
    pub kind: WorkKind,
    #[schema(min_length = 1, max_length = 20000)]
    pub description: String,
}

/// The content of a draft programme version.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeContent {
    #[schema(example = "Internationellt arbete", min_length = 1, max_length = 200)]
    pub title: String,
    /// The registry number of the case, in any usual form.
    #[schema(example = "KS 2026/112", min_length = 1, max_length = 40)]
    pub diarienummer: String,
    #[schema(example = "Kommunledningsförvaltningen", min_length = 1, max_length = 200)]
    pub responsible_administration: String,
    #[schema(example = "Kansli- och personalavdelningen", min_length = 1, max_length = 200)]
    pub responsible_department: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub purpose: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub background: String,
    #[schema(max_items = 20)]
    pub priority_areas: Vec<PriorityAreaBody>,
    #[schema(max_items = 3)]
    pub work_kinds: Vec<WorkKindBody>,
}

/// A new governing document, as a draft: its document id and type, and the content of a
/// draft (the same fields as [`ProgrammeContent`]).
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    /// The municipality's document number; a new number starts at version 1.
    #[schema(example = "0512", min_length = 1, max_length = 20)]
    pub document_id: String,
    #[schema(value_type = schema::DocumentType)]
    pub document_type: DocumentType,
    #[schema(example = "Internationellt arbete", min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(example = "KS 2026/112", min_length = 1, max_length = 40)]
    pub diarienummer: String,
    #[schema(example = "Kommunledningsförvaltningen", min_length = 1, max_length = 200)]
    pub responsible_administration: String,
    #[schema(example = "Kansli- och personalavdelningen", min_length = 1, max_length = 200)]
    pub responsible_department: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub purpose: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub background: String,
    #[schema(max_items = 20)]
    pub priority_areas: Vec<PriorityAreaBody>,
    #[schema(max_items = 3)]
    pub work_kinds: Vec<WorkKindBody>,
}

impl NewProgramme {
    fn into_parts(self) -> (String, DocumentType, ProgrammeContent) {
        (
            self.document_id,
            self.document_type,
            ProgrammeContent {
                title: self.title,
                diarienummer: self.diarienummer,
                responsible_administration: self.responsible_administration,
                responsible_department: self.responsible_department,
                purpose: self.purpose,
                background: self.background,
                priority_areas: self.priority_areas,
                work_kinds: self.work_kinds,
            },
        )
    }
}

/// The executive board's decision that adopts a draft, and optionally its own revise-by
/// date (else: the end of the year after the next election).
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptBody {
    pub decision: DecisionBody,
    #[schema(example = "2030-04-30")]
    pub revise_by: Option<NaiveDate>,
}

fn parse_content(
    document_id: &str,
    version: i64,
    document_type: &str,
    c: &ProgrammeContent,
) -> Result<utblick_domain::Programme, ApiError> {
    use utblick_domain::programme::ProgrammeInput;
    Ok(utblick_domain::Programme::parse(&ProgrammeInput {
        title: c.title.clone(),
        document_id: document_id.to_owned(),
        diarienummer: c.diarienummer.clone(),
        version,
        document_type: document_type.to_owned(),
        responsible_administration: c.responsible_administration.clone(),
        responsible_department: c.responsible_department.clone(),
        decided_by: "executive_board".into(),
        published: None,
        revise_by: None,
        purpose: c.purpose.clone(),
        background: c.background.clone(),
        status: "draft".into(),
        priority_areas: c
            .priority_areas
            .iter()
            .enumerate()
            .map(|(i, a)| (i as i64 + 1, a.title.clone(), a.description.clone()))
            .collect(),
        work_kinds: c.work_kinds.iter().map(|w| (w.kind.code().to_owned(), w.description.clone())).collect(),
    })?)
}

fn load_record(conn: &mut utblick_db::DbConn, id: i64) -> Result<ProgrammeRecord, ApiError> {
    utblick_db::programmes::get_programme(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("programme {id}")))
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Start a new governing document as a draft (version 1 of a new document id).
#[utoipa::path(
    tag = "programmes",
    operation_id = "create_programme",
    request_body = NewProgramme,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The draft; the ETag is its record's version.", body = ProgrammeDetail),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A document with this id exists; make a new version of it instead.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/programmes")]
pub async fn create_programme(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<NewProgramme>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let (document_id, document_type, content) = body.into_inner().into_parts();
    let p = parse_content(&document_id, 1, document_type.code(), &content)?;
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<ProgrammeRecord, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            if utblick_db::programmes::max_version(conn, p.document_id().as_str())?.is_some() {
                return Err(ApiError::Conflict(
                    "a document with this id exists; make a new version of it instead".into(),
                ));
            }
            let id = utblick_db::programmes::insert_programme(conn, &p, t)?;
            audit.record(
                conn,
                t,
                "programme.created",
                "programme",
                Some(id.to_string()),
                serde_json::json!({
                    "document_id": p.document_id().as_str(), "version": 1, "title": p.title(),
                }),
            )?;
            load_record(conn, id)
        })
    })
    .await??;
    detail_response(actix_web::http::StatusCode::CREATED, rec)
}

/// Change a draft: its texts, priority areas and kinds of work. Adopted and superseded
/// versions never change. Needs `If-Match`.
#[utoipa::path(
    tag = "programmes",
    operation_id = "update_programme",
    params(
        ("id" = i64, Path, description = "The draft's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you edit."),
    ),
    request_body = ProgrammeContent,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = ProgrammeDetail),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme version.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the draft since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or the version is not a draft.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/programmes/{id}")]
pub async fn update_programme(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: actix_web::HttpRequest,
    id: PathId,
    body: web::Json<ProgrammeContent>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let (audit, t) = (caller.audit.clone(), now());
    let req_version = if_match(&req);
    let rec = web::block(move || -> Result<ProgrammeRecord, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let before = load_record(conn, id)?;
            let status = ProgrammeStatus::parse(&before.programme.status)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            utblick_domain::governance::check_editable(status)
                .map_err(utblick_domain::ValidationErrors::from)?;
            let p = parse_content(
                &before.programme.document_id,
                i64::from(before.programme.version),
                &before.programme.document_type,
                &body,
            )?;
            let version = req_version?;
            if !utblick_db::programmes::replace_draft(conn, id, version, &p, t)? {
                return Err(ApiError::PreconditionFailed);
            }
            let after = load_record(conn, id)?;
            let titles =
                |r: &ProgrammeRecord| r.priority_areas.iter().map(|a| a.title.clone()).collect::<Vec<_>>();
            audit.record(
                conn,
                t,
                "programme.updated",
                "programme",
                Some(id.to_string()),
                serde_json::json!({
                    "title": {"before": before.programme.title, "after": after.programme.title},
                    "priority_areas": {"before": titles(&before), "after": titles(&after)},
                }),
            )?;
            Ok(after)
        })
    })
    .await??;
    detail_response(actix_web::http::StatusCode::OK, rec)
}

/// Start the next version of an adopted document: a draft copying its texts, priority
/// areas, kinds of work and framework links. One draft per document at a time.
#[utoipa::path(
    tag = "programmes",
    operation_id = "new_programme_version",
    params(("id" = i64, Path, description = "The version to start from.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new draft version.", body = ProgrammeDetail),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme version.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The document already has a draft.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/programmes/{id}/versions")]
pub async fn new_programme_version(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let id = id.into_inner();
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<ProgrammeRecord, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let from = load_record(conn, id)?;
            let doc = from.programme.document_id.clone();
            if utblick_db::programmes::versions_of(conn, &doc)?.iter().any(|v| v.status == "draft") {
                return Err(ApiError::Conflict(
                    "this document already has a draft; continue that one".into(),
                ));
            }
            let next = utblick_db::programmes::max_version(conn, &doc)?.unwrap_or(0) + 1;
            let f = &from.programme;
            let p = utblick_domain::Programme::parse(&utblick_domain::programme::ProgrammeInput {
                title: f.title.clone(),
                document_id: doc.clone(),
                diarienummer: f.diarienummer.clone(),
                version: i64::from(next),
                document_type: f.document_type.clone(),
                responsible_administration: f.responsible_administration.clone(),
                responsible_department: f.responsible_department.clone(),
                decided_by: "executive_board".into(),
                published: None,
                revise_by: None,
                purpose: f.purpose.clone(),
                background: f.background.clone(),
                status: "draft".into(),
                priority_areas: from
                    .priority_areas
                    .iter()
                    .map(|a| (i64::from(a.number), a.title.clone(), a.description.clone()))
                    .collect(),
                work_kinds: from.work_kinds.iter().map(|w| (w.kind.clone(), w.description.clone())).collect(),
            })?;
            let new_id = utblick_db::programmes::insert_programme(conn, &p, t)?;
            utblick_db::programmes::copy_framework_links(conn, id, new_id)?;
            audit.record(
                conn,
                t,
                "programme.version_created",
                "programme",
                Some(new_id.to_string()),
                serde_json::json!({
                    "document_id": doc, "version": next, "from": id,
                }),
            )?;
            load_record(conn, new_id)
        })
    })
    .await??;
    detail_response(actix_web::http::StatusCode::CREATED, rec)
}

/// Adopt a draft with the executive board's decision. The decision is registered, the
/// draft becomes adopted (published on the decision's day, with its revise-by date), and
/// the version adopted before it becomes superseded — readable, unchanged, forever.
/// Needs `If-Match`.
#[utoipa::path(
    tag = "programmes",
    operation_id = "adopt_programme",
    params(
        ("id" = i64, Path, description = "The draft's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the draft you adopt."),
    ),
    request_body = AdoptBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Adopted.", body = ProgrammeDetail),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme version.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The decision is already registered (same body, day and §).", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the draft since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a draft, not the executive board's decision, or a field is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/programmes/{id}/adopt")]
pub async fn adopt_programme(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: actix_web::HttpRequest,
    id: PathId,
    body: web::Json<AdoptBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let id = id.into_inner();
    let body = body.into_inner();
    // Field errors of the decision are named as in the body: `decision.paragraph`.
    let fields = body.decision.fields().map_err(|e| match e {
        ApiError::Validation(v) => ApiError::Validation(utblick_domain::ValidationErrors(
            v.0.into_iter().map(|f| f.under("decision")).collect(),
        )),
        other => other,
    })?;
    let decision = utblick_domain::governance::Decision::parse(&utblick_domain::governance::DecisionInput {
        body: fields.body.clone(),
        date: Some(fields.decided_on),
        paragraph: fields.paragraph.clone(),
        diarienummer: fields.diarienummer.clone(),
        subject: fields.subject.clone(),
        link: fields.link.clone(),
    })?;
    utblick_domain::date::check_optional_day("revise_by", body.revise_by)
        .map_err(utblick_domain::ValidationErrors::from)?;
    let revise = body.revise_by.unwrap_or_else(|| utblick_domain::governance::revision_due(decision.date()));
    if revise <= decision.date() {
        return Err(utblick_domain::ValidationErrors::single(
            "revise_by",
            "must be after the day of the decision",
        )
        .into());
    }
    let req_version = if_match(&req);
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<ProgrammeRecord, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let draft = load_record(conn, id)?;
            let status = ProgrammeStatus::parse(&draft.programme.status).map_err(|e| ApiError::Internal(e.to_string()))?;
            utblick_domain::governance::adopt(status, &decision).map_err(utblick_domain::ValidationErrors::from)?;
            let version = req_version?;
            let d = utblick_db::decisions::insert_decision(conn, &fields, t)?;
            let Some(superseded) = utblick_db::programmes::adopt(conn, id, version, d.id, decision.date(), revise, t)? else {
                return Err(ApiError::PreconditionFailed);
            };
            audit.record(conn, t, "programme.adopted", "programme", Some(id.to_string()), serde_json::json!({
                "status": {"before": "draft", "after": "adopted"},
                "decision_id": d.id, "diarienummer": d.diarienummer, "published": decision.date(), "revise_by": revise,
                "superseded_programme_id": superseded,
            }))?;
            load_record(conn, id)
        })
    })
    .await??;
    detail_response(actix_web::http::StatusCode::OK, rec)
}

/// A link from a draft to a goal framework.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkLinkBody {
    pub framework_id: i64,
    /// How the programme relates to the framework, in the programme's words.
    #[schema(min_length = 1, max_length = 2000)]
    pub relation: String,
}

/// Link a draft to a goal framework. Only drafts change. Needs `If-Match`.
#[utoipa::path(
    tag = "programmes",
    operation_id = "link_programme_framework",
    params(
        ("id" = i64, Path, description = "The draft's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the draft."),
    ),
    request_body = FrameworkLinkBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Linked; the ETag is the draft's new version.", body = ProgrammeDetail),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such programme version.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The draft is already linked to this framework.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed the draft since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a draft, no such framework, or no relation given.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/programmes/{id}/frameworks")]
pub async fn link_programme_framework(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: actix_web::HttpRequest,
    id: PathId,
    body: web::Json<FrameworkLinkBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let relation = utblick_domain::NonEmptyText::parse("relation", &body.relation, 2000)
        .map_err(utblick_domain::ValidationErrors::from)?;
    let req_version = if_match(&req);
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<ProgrammeRecord, ApiError> {
        let mut conn = pool.get().map_err(utblick_db::DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let draft = load_record(conn, id)?;
            let status = ProgrammeStatus::parse(&draft.programme.status)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            utblick_domain::governance::check_editable(status)
                .map_err(utblick_domain::ValidationErrors::from)?;
            if utblick_db::frameworks::get_framework(conn, body.framework_id)?.is_none() {
                return Err(
                    utblick_domain::ValidationErrors::single("framework_id", "is not a framework").into()
                );
            }
            let version = req_version?;
            if !utblick_db::programmes::touch_draft(conn, id, version, t)? {
                return Err(ApiError::PreconditionFailed);
            }
            utblick_db::programmes::link_framework(conn, id, body.framework_id, relation.as_str())?;
            audit.record(
                conn,
                t,
                "programme.framework_linked",
                "programme",
                Some(id.to_string()),
                serde_json::json!({
                    "framework_id": body.framework_id,
                }),
            )?;
            load_record(conn, id)
        })
    })
    .await??;
    detail_response(actix_web::http::StatusCode::OK, rec)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(link_programme_framework);
    cfg.service(list_programmes)
        .service(get_programme)
        .service(create_programme)
        .service(update_programme)
        .service(new_programme_version)
        .service(adopt_programme);
}
