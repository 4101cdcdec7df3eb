//! Programmes: the governing documents of the international work (rules 1–4).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utblick_db::DbPool;
use utblick_db::listing::Sort;
use utblick_db::models::{ProgrammeRecord, ProgrammeRow};
use utblick_db::programmes::{self as repo, ProgrammeFilter, ProgrammeSort};
use utblick_domain::governance::revise_by;
use utblick_domain::programme::{revision_overdue, sees_drafts};
use utblick_domain::{Body, DocumentType, ProgrammeStatus, WorkKind};
use utoipa::ToSchema;

use actix_web::http::StatusCode;
use utblick_app::programmes as uc;
use utblick_app::{AppError, stored};
use utblick_domain::can::{self, Can};
use utblick_domain::{Action, NonEmptyText, Principal, ValidationErrors};

use crate::auth::Caller;
use crate::codes::schema;
use crate::dto::PathId;
use crate::error::ApiError;
use crate::exec::{Reply, answer};
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::responses::{Auth, BadRequest, Conflict, NotFound};
use crate::routes::common::list_query;
use crate::routes::decisions::DecisionBody;
use crate::routes::standard::{create_one, get_one, list_of, step_one, update_one};

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
    /// The registry number exactly as registered (an official identifier).
    #[schema(example = "20/16")]
    pub diarienummer: String,
    /// The registry number's normal form (`[SERIES ]YYYY/N`), for matching.
    #[schema(example = "2016/20")]
    pub diarienummer_normal: String,
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
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl ProgrammeSummary {
    fn from_row(r: &ProgrammeRow, today: NaiveDate, who: &Principal) -> Result<Self, ApiError> {
        let status = stored(ProgrammeStatus::parse(&r.status))?;
        Ok(Self {
            id: r.id,
            title: r.title.clone(),
            document_id: r.document_id.clone(),
            diarienummer: r.diarienummer_as_registered.clone(),
            diarienummer_normal: r.diarienummer.clone(),
            version: r.version,
            document_type: stored(DocumentType::parse(&r.document_type))?,
            status,
            decided_by: stored(Body::parse(&r.decided_by))?,
            published: r.published,
            revise_by: r.revise_by,
            revision_due: revise_by(r.revise_by, r.published),
            revision_overdue: revision_overdue(status, revise_by(r.revise_by, r.published), today),
            row_version: r.row_version,
            can: can::programme(who, status),
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
    fn from_record(rec: ProgrammeRecord, today: NaiveDate, who: &Principal) -> Result<Self, ApiError> {
        let summary = ProgrammeSummary::from_row(&rec.programme, today, who)?;
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

pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

list_query! {
    /// Filters, search, order and format of the programme list.
    pub struct ProgrammeQuery => ProgrammeFilter {
        /// `draft`, `adopted` or `superseded` (drafts only for signed-in readers).
        status [value_type = Option<schema::ProgrammeStatus>] = code::<ProgrammeStatus>;
        /// Words in the title, the registry number or the document id.
        q [max_length = 200] = text;
    }
    sort "^-?(document|title|published|revise_by)$",
    "`document` (default: documents in registration order, newest version first), `title`, `published` or `revise_by`; a leading `-` for descending.",
    ["document" => ProgrammeSort::Document, "title" => ProgrammeSort::Title,
     "published" => ProgrammeSort::Published, "revise_by" => ProgrammeSort::ReviseBy],
    default Sort::asc(ProgrammeSort::Document)
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
    const CODES: &'static [(&'static str, CodeName)] = &[
        ("document_type", swedish_name::<DocumentType>),
        ("status", swedish_name::<ProgrammeStatus>),
        ("decided_by", swedish_name::<utblick_domain::programme::Body>),
    ];
}

list_of! {
    /// List programme versions: filter by status, search, sort; a page, or all of them as CSV
    /// or JSON. Drafts are listed for signed-in readers only.
    public fn list_programmes, tag "programmes", path "/programmes", query ProgrammeQuery,
    ok "A page of programme versions, or with `format` an export of all matching ones.",
    page ProgrammePage of ProgrammeSummary, action Action::ReadPublished, filter ProgrammeFilter,
    count repo::count_programmes, ids repo::programme_ids, list repo::list_programmes,
    each |r: ProgrammeRow, who: &Principal| ProgrammeSummary::from_row(&r, today(), who), file "program",
    narrow |filter, who| filter.published_only = !sees_drafts(who)
}

get_one! {
    /// One programme version with its priority areas, kinds of work and linked frameworks.
    public fn get_programme, tag "programmes", path "/programmes/{id}", id "The programme version's id.",
    ok "The programme version; the ETag is its record's version.", body ProgrammeDetail,
    |conn, who, id| uc::read(conn, &who, id), |rec, caller| rec.reply(StatusCode::OK, &caller.principal)
}

// --- The programme's life: drafts, new versions, adoption (rule 1) ---------------------

/// A priority area as written in a draft; numbered by its place in the list.
#[derive(Debug, serde::Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityAreaBody {
    #[schema(
        example = "Livslångt lärande för individen och för samhället",
        min_length = 1,
        max_length = 200
    )]
    #[schema(format = "name")]
    pub title: String,
    #[schema(format = "text", min_length = 1, max_length = 20000)]
    pub description: String,
}

/// What a programme says about one kind of work.
#[derive(Debug, serde::Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkKindBody {
    #[schema(value_type = schema::WorkKind)]
    pub kind: WorkKind,
    #[schema(format = "text", min_length = 1, max_length = 20000)]
    pub description: String,
}

crate::dto::sharing_fields! {
    {
        #[schema(format = "name", example = "Internationellt arbete", min_length = 1, max_length = 200)]
        pub title: String,
        /// The registry number of the case, in any usual form.
        #[schema(format = "diarienummer", example = "KS 2026/112", min_length = 1, max_length = 40)]
        pub diarienummer: String,
        #[schema(format = "name", example = "Kommunledningsförvaltningen", min_length = 1, max_length = 200)]
        pub responsible_administration: String,
        #[schema(format = "name", example = "Kansli- och personalavdelningen", min_length = 1, max_length = 200)]
        pub responsible_department: String,
        #[schema(format = "text", min_length = 1, max_length = 20000)]
        pub purpose: String,
        #[schema(format = "text", min_length = 1, max_length = 20000)]
        pub background: String,
        #[schema(max_items = 20)]
        pub priority_areas: Vec<PriorityAreaBody>,
        #[schema(max_items = 3)]
        pub work_kinds: Vec<WorkKindBody>,
    }

    /// The content of a draft programme version.
    #[derive(Debug, serde::Deserialize, Serialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct ProgrammeContent {}

    /// A new governing document, as a draft: its document id and type, and the content of a
    /// draft (the same fields as [`ProgrammeContent`]).
    #[derive(Debug, serde::Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct NewProgramme {
        /// The municipality's document number; a new number starts at version 1.
        #[schema(format = "document-id", example = "0512", min_length = 1, max_length = 20)]
        pub document_id: String,
        #[schema(value_type = schema::DocumentType)]
        pub document_type: DocumentType,
    }
}

crate::patch_schema!(ProgrammePatch = ProgrammeContent);

impl ProgrammeContent {
    /// The stored content of a version, as a body.
    fn of(r: &ProgrammeRecord) -> Result<Self, AppError> {
        let p = &r.programme;
        let areas = r.priority_areas.iter();
        Ok(Self {
            title: p.title.clone(),
            diarienummer: p.diarienummer_as_registered.clone(),
            responsible_administration: p.responsible_administration.clone(),
            responsible_department: p.responsible_department.clone(),
            purpose: p.purpose.clone(),
            background: p.background.clone(),
            priority_areas: areas
                .map(|a| PriorityAreaBody { title: a.title.clone(), description: a.description.clone() })
                .collect(),
            work_kinds: r
                .work_kinds
                .iter()
                .map(|w| {
                    Ok(WorkKindBody {
                        kind: stored(WorkKind::parse(&w.kind))?,
                        description: w.description.clone(),
                    })
                })
                .collect::<Result<_, AppError>>()?,
        })
    }
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
    #[schema(value_type = AdoptionDecision)]
    pub decision: DecisionBody,
    #[schema(example = "2030-04-30")]
    pub revise_by: Option<NaiveDate>,
}

/// The decision of an adoption: a decision as registered, by the executive board (rule 1).
pub struct AdoptionDecision;

impl utoipa::PartialSchema for AdoptionDecision {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Ref, Schema};
        let mut schema = <DecisionBody as utoipa::PartialSchema>::schema();
        if let utoipa::openapi::RefOr::T(Schema::Object(o)) = &mut schema {
            let board = AllOfBuilder::new()
                .item(Ref::from_schema_name("Body"))
                .item(
                    ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::String)
                        .enum_values(Some([Body::ExecutiveBoard.code()])),
                )
                .description(Some("Only the executive board adopts and revises the programme."));
            o.properties.insert("body".into(), board.into());
        }
        schema
    }
}

impl ToSchema for AdoptionDecision {}

fn parse_content(
    document_id: &str,
    version: i64,
    document_type: &str,
    c: &ProgrammeContent,
) -> Result<utblick_domain::Programme, ValidationErrors> {
    use utblick_domain::programme::ProgrammeInput;
    utblick_domain::Programme::parse(
        &ProgrammeInput {
            title: c.title.clone(),
            document_id: document_id.to_owned(),
            diarienummer: c.diarienummer.clone(),
            version,
            document_type: document_type.to_owned(),
            responsible_administration: c.responsible_administration.clone(),
            responsible_department: c.responsible_department.clone(),
            purpose: c.purpose.clone(),
            background: c.background.clone(),
            priority_areas: c
                .priority_areas
                .iter()
                .enumerate()
                .map(|(i, a)| (i as i64 + 1, a.title.clone(), a.description.clone()))
                .collect(),
            work_kinds: c
                .work_kinds
                .iter()
                .map(|w| (w.kind.code().to_owned(), w.description.clone()))
                .collect(),
            ..ProgrammeInput::default()
        }
        .as_draft(),
    )
}

create_one! {
    /// Start a new governing document as a draft (version 1 of a new document id).
    fn create_programme, tag "programmes", path "/programmes", body NewProgramme,
    ok "The draft; the ETag is its record's version.", dto ProgrammeDetail,
    |body| p = {
        let (document_id, document_type, content) = body.into_parts();
        parse_content(&document_id, 1, document_type.code(), &content)?
    },
    |conn, ctx| uc::create(conn, ctx, &p)
}

update_one! {
    /// Change a draft: a merge patch of its texts, priority areas and kinds of work (a list is
    /// replaced as a whole). Adopted and superseded versions never change. Needs `If-Match`.
    fn update_programme, tag "programmes", path "/programmes/{id}", id "The draft's id.",
    patch ProgrammePatch, dto ProgrammeDetail,
    |patch| uc::edit_draft, move |r: &ProgrammeRecord| {
        let p = &r.programme;
        let content = patch.apply(&ProgrammeContent::of(r)?)?;
        parse_content(&p.document_id, i64::from(p.version), &p.document_type, &content).map_err(AppError::from)
    }
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
        BadRequest, Auth, NotFound, Conflict,
    )
)]
#[post("/programmes/{id}/versions")]
pub async fn new_programme_version(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    answer(&pool, &caller, &req, StatusCode::CREATED, move |conn, ctx| uc::new_version(conn, ctx, *id)).await
}

step_one! {
    /// Adopt a draft with the executive board's decision. The decision is registered, the
    /// draft becomes adopted (published on the decision's day, with its revise-by date), and
    /// the version adopted before it becomes superseded — readable, unchanged, forever.
    /// Needs `If-Match`.
    fn adopt_programme, tag "programmes", path "/programmes/{id}/adopt", id "The draft's id.",
    etag "The ETag of the draft you adopt.", body AdoptBody, ok "Adopted.", dto ProgrammeDetail,
    // Field errors of the decision are named as in the body: `decision.paragraph`.
    |body| (decision, revise_by) = (
        body.decision.decision().map_err(|v| ValidationErrors(v.0.into_iter().map(|f| f.under("decision")).collect()))?,
        body.revise_by,
    ),
    |conn, ctx, id| uc::adopt(conn, ctx, id, &decision, revise_by)
}

/// A link from a draft to a goal framework.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkLinkBody {
    pub framework_id: i64,
    /// How the programme relates to the framework, in the programme's words.
    #[schema(format = "text", min_length = 1, max_length = 2000)]
    pub relation: String,
}

step_one! {
    /// Link a draft to a goal framework. Only drafts change. Needs `If-Match`.
    fn link_programme_framework, tag "programmes", path "/programmes/{id}/frameworks", id "The draft's id.",
    etag "The ETag of the draft.", body FrameworkLinkBody, ok "Linked; the ETag is the draft's new version.",
    dto ProgrammeDetail,
    |body| (framework, relation) =
        (body.framework_id, NonEmptyText::parse("relation", &body.relation, 2000).map_err(ValidationErrors::from)?),
    |conn, ctx, id| uc::link_framework(conn, ctx, id, framework, &relation)
}

crate::exec::reply!(ProgrammeRecord => ProgrammeDetail, |r| r.programme.row_version, |r: ProgrammeRecord, who: &Principal| ProgrammeDetail::from_record(r, today(), who));

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(link_programme_framework);
    cfg.service(list_programmes)
        .service(get_programme)
        .service(create_programme)
        .service(update_programme)
        .service(new_programme_version)
        .service(adopt_programme);
}
