//! Programmes: the governing documents of the international work (rules 1–4).

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utblick_db::DbPool;
use utblick_db::models::{ProgrammeRecord, ProgrammeRow};
use utblick_domain::programme::revision_overdue;
use utblick_domain::{Body, DocumentType, ProgrammeStatus, WorkKind};
use utoipa::ToSchema;

use crate::dto::{PageInfo, PageQuery};
use crate::error::{ApiError, Problem};
use crate::routes::{load_page, with_conn};

/// Where a programme version is in its life.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStatusDto {
    Draft,
    Adopted,
    Superseded,
}

/// The body that decided (adopted) the document.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BodyDto {
    /// Kommunfullmäktige.
    Council,
    /// Kommunstyrelsen.
    ExecutiveBoard,
    /// A committee (nämnd).
    Committee,
    /// The board of a municipal company.
    CompanyBoard,
}

/// The kind of governing document.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentTypeDto {
    Programme,
    Policy,
    Plan,
    Strategy,
    Guideline,
}

/// The three kinds of international work.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkKindDto {
    /// Omvärldsbevakning.
    HorizonScanning,
    /// Positionering.
    Positioning,
    /// Verksamhetsutveckling.
    Development,
}

impl From<ProgrammeStatus> for ProgrammeStatusDto {
    fn from(s: ProgrammeStatus) -> Self {
        match s {
            ProgrammeStatus::Draft => Self::Draft,
            ProgrammeStatus::Adopted => Self::Adopted,
            ProgrammeStatus::Superseded => Self::Superseded,
        }
    }
}

impl From<Body> for BodyDto {
    fn from(b: Body) -> Self {
        match b {
            Body::Council => Self::Council,
            Body::ExecutiveBoard => Self::ExecutiveBoard,
            Body::Committee => Self::Committee,
            Body::CompanyBoard => Self::CompanyBoard,
        }
    }
}

impl From<DocumentType> for DocumentTypeDto {
    fn from(d: DocumentType) -> Self {
        match d {
            DocumentType::Programme => Self::Programme,
            DocumentType::Policy => Self::Policy,
            DocumentType::Plan => Self::Plan,
            DocumentType::Strategy => Self::Strategy,
            DocumentType::Guideline => Self::Guideline,
        }
    }
}

impl From<WorkKind> for WorkKindDto {
    fn from(k: WorkKind) -> Self {
        match k {
            WorkKind::HorizonScanning => Self::HorizonScanning,
            WorkKind::Positioning => Self::Positioning,
            WorkKind::Development => Self::Development,
        }
    }
}

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
    pub document_type: DocumentTypeDto,
    pub status: ProgrammeStatusDto,
    pub decided_by: BodyDto,
    /// The publishing date (the day the decision took effect).
    #[schema(example = "2016-04-23")]
    pub published: Option<NaiveDate>,
    /// The date by which the document must be revised.
    #[schema(example = "2020-04-22")]
    pub revise_by: Option<NaiveDate>,
    /// True when an adopted programme is past its revise-by date.
    pub revision_overdue: bool,
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
            document_type: stored(DocumentType::parse(&r.document_type))?.into(),
            status: status.into(),
            decided_by: stored(Body::parse(&r.decided_by))?.into(),
            published: r.published,
            revise_by: r.revise_by,
            revision_overdue: revision_overdue(status, r.revise_by, today),
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
    pub kind: WorkKindDto,
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
                Ok(WorkKindDescriptionDto {
                    kind: kind.into(),
                    name: kind.swedish().into(),
                    description: w.description,
                })
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

/// List programme versions, newest version of each document first.
#[utoipa::path(
    tag = "programmes",
    operation_id = "list_programmes",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of programme versions.", body = ProgrammePage),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is not reachable.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/programmes")]
pub async fn list_programmes(
    pool: web::Data<DbPool>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let (rows, page) = load_page(
        &pool,
        &q,
        utblick_db::programmes::count_programmes,
        utblick_db::programmes::list_programmes,
    )
    .await?;
    let today = today();
    let items = rows.iter().map(|r| ProgrammeSummary::from_row(r, today)).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(ProgrammePage { items, page }))
}

/// One programme version with its priority areas, kinds of work and linked frameworks.
#[utoipa::path(
    tag = "programmes",
    operation_id = "get_programme",
    params(("id" = i64, Path, description = "The programme version's id.", minimum = 1)),
    responses(
        (status = 200, description = "The programme version.", body = ProgrammeDetail),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No programme version has this id.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is not reachable.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/programmes/{id}")]
pub async fn get_programme(pool: web::Data<DbPool>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rec = with_conn(&pool, move |conn| utblick_db::programmes::get_programme(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("programme {id}")))?;
    Ok(HttpResponse::Ok().json(ProgrammeDetail::from_record(rec, today())?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_programmes).service(get_programme);
}
