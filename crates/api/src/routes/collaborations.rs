//! International collaborations and network memberships (rule 6): owned by one
//! organisation; a collaboration becomes active only with the council's decision; a
//! network membership records who represents the municipality.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utblick_app::collaborations::{self as uc, Draft, Record};
use utblick_db::collaborations::{self as repo, CollaborationFilter, CollaborationSort};
use utblick_db::listing::Sort;
use utblick_db::models::{CollaborationRow, PartnerRow};
use utblick_db::{DbConn, DbPool};
use utblick_domain::can::{self, Can};
use utblick_domain::governance::{
    Collaboration, CollaborationInput, CollaborationKind, CollaborationStatus, PartnerKind,
};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::codes::schema;
use crate::dto::{MergePatch, PathId};
use crate::error::ApiError;
use crate::exec::{Reply, run};
use crate::export::{CsvRecord, cell};
use crate::responses::{Auth, BadRequest, Body as BodyErrors, NotFound, Stale};
use crate::routes::common::QueryParams;
use crate::routes::standard::{archive_one, get_one, list_of};

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerDto {
    #[schema(example = "Eurocities")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "BE")]
    pub country: String,
    #[schema(value_type = schema::PartnerKind)]
    pub kind: PartnerKind,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CollaborationDto {
    pub id: i64,
    #[schema(value_type = schema::CollaborationKind)]
    pub kind: CollaborationKind,
    #[schema(example = "Nordiskt skolsamarbete")]
    pub name: String,
    pub owner_organisation_id: i64,
    pub purpose: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// Who represents the municipality (a contact person), for network memberships.
    pub representative_contact_id: Option<i64>,
    #[schema(value_type = schema::CollaborationStatus)]
    pub status: CollaborationStatus,
    /// The council's decision that made it active.
    pub status_decision_id: Option<i64>,
    pub partners: Vec<PartnerDto>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The version this shows; also the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

fn dto(
    (c, partners): (CollaborationRow, Vec<PartnerRow>),
    who: &Principal,
) -> Result<CollaborationDto, ApiError> {
    let stored =
        |e: utblick_domain::FieldError| ApiError::Internal(format!("stored value breaks a rule: {e}"));
    let status = CollaborationStatus::parse(&c.status).map_err(stored)?;
    Ok(CollaborationDto {
        can: can::collaboration(who, c.owner_organisation_id, status, c.archived_at.is_some()),
        id: c.id,
        kind: CollaborationKind::parse(&c.kind).map_err(stored)?,
        name: c.name,
        owner_organisation_id: c.owner_organisation_id,
        purpose: c.purpose,
        period_from: c.period_from,
        period_to: c.period_to,
        representative_contact_id: c.representative_contact_id,
        status,
        status_decision_id: c.status_decision_id,
        partners: partners
            .into_iter()
            .map(|p| {
                Ok(PartnerDto {
                    name: p.name,
                    country: p.country,
                    kind: PartnerKind::parse(&p.kind).map_err(stored)?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        archived_at: c.archived_at.map(|d| d.and_utc()),
        version: c.version,
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
    })
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerBody {
    #[schema(example = "Eurocities", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(example = "BE", min_length = 2, max_length = 2)]
    pub country: String,
    #[schema(value_type = schema::PartnerKind)]
    pub kind: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollaborationBody {
    #[schema(value_type = schema::CollaborationKind)]
    pub kind: String,
    #[schema(example = "Nordiskt skolsamarbete", min_length = 1, max_length = 200)]
    pub name: String,
    /// The organisation that owns the work (rule 7).
    pub owner_organisation_id: i64,
    #[schema(min_length = 1, max_length = 20000)]
    pub purpose: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// A contact person who represents the municipality.
    pub representative_contact_id: Option<i64>,
    #[schema(max_items = 50)]
    pub partners: Vec<PartnerBody>,
}

crate::patch_schema!(CollaborationPatch = CollaborationBody);

impl CollaborationBody {
    fn draft(&self) -> Result<Draft, ValidationErrors> {
        let collaboration = Collaboration::parse(&CollaborationInput {
            kind: self.kind.clone(),
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            period_from: self.period_from,
            period_to: self.period_to,
            partners: self
                .partners
                .iter()
                .map(|p| (p.name.clone(), p.country.clone(), p.kind.clone()))
                .collect(),
        })?;
        Ok(Draft {
            owner_organisation_id: self.owner_organisation_id,
            representative_contact_id: self.representative_contact_id,
            collaboration,
        })
    }

    fn of((c, partners): &Record) -> Self {
        Self {
            kind: c.kind.clone(),
            name: c.name.clone(),
            owner_organisation_id: c.owner_organisation_id,
            purpose: c.purpose.clone(),
            period_from: c.period_from,
            period_to: c.period_to,
            representative_contact_id: c.representative_contact_id,
            partners: partners
                .iter()
                .map(|p| PartnerBody {
                    name: p.name.clone(),
                    country: p.country.clone(),
                    kind: p.kind.clone(),
                })
                .collect(),
        }
    }
}

impl Reply for Record {
    type Dto = CollaborationDto;
    fn etag_version(&self) -> i32 {
        self.0.version
    }
    fn into_dto(self, who: &Principal) -> Result<CollaborationDto, ApiError> {
        dto(self, who)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollaborationStatusChange {
    /// The new status: `active` (with the council's decision) or `ended`.
    #[schema(value_type = schema::CollaborationStatus)]
    pub status: String,
    /// The council's decision (from the register) that makes it active.
    pub decision_id: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CollaborationQuery {
    #[param(value_type = Option<schema::CollaborationKind>)]
    pub kind: Option<String>,
    #[param(value_type = Option<schema::CollaborationStatus>)]
    pub status: Option<String>,
    #[param(value_type = Option<i64>)]
    pub owner_organisation_id: Option<String>,
    /// Words in the name, the purpose or a partner's name.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `false` (default), `true` or `all`.
    #[param(pattern = "^(true|false|all)$")]
    pub archived: Option<String>,
    /// `name` (default), `period_from`, `period_to` or `status`; a leading `-` for
    /// descending.
    #[param(pattern = "^-?(name|period_from|period_to|status)$")]
    pub sort: Option<String>,
    /// `csv` or `json`: every match as a file.
    #[param(pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

impl CollaborationQuery {
    fn filter(&self) -> Result<CollaborationFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = CollaborationFilter {
            kind: p.code("kind", self.kind.as_deref(), CollaborationKind::parse, |k| k.code().to_owned()),
            status: p
                .code("status", self.status.as_deref(), CollaborationStatus::parse, |s| s.code().to_owned()),
            owner_organisation_id: p.id("owner_organisation_id", self.owner_organisation_id.as_deref()),
            q: p.text(self.q.as_deref()),
            archived: p.archived(self.archived.as_deref()),
            sort: p.sort(
                self.sort.as_deref(),
                &[
                    ("name", CollaborationSort::Name),
                    ("period_from", CollaborationSort::PeriodFrom),
                    ("period_to", CollaborationSort::PeriodTo),
                    ("status", CollaborationSort::Status),
                ],
                Sort::asc(CollaborationSort::Name),
            ),
            ids: None,
        };
        p.finish()?;
        Ok(filter)
    }
}

impl CsvRecord for CollaborationDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "kind",
        "name",
        "owner_organisation_id",
        "purpose",
        "period_from",
        "period_to",
        "representative_contact_id",
        "status",
        "status_decision_id",
        "partners",
        "archived_at",
    ];
    fn cells(&self) -> Vec<String> {
        // Partners share one cell: "Name (SE, municipality) | Name (DE, network)".
        let partners: Vec<String> =
            self.partners.iter().map(|p| format!("{} ({}, {})", p.name, p.country, p.kind.code())).collect();
        vec![
            self.id.to_string(),
            self.kind.code().to_owned(),
            self.name.clone(),
            self.owner_organisation_id.to_string(),
            self.purpose.clone(),
            cell(self.period_from),
            cell(self.period_to),
            cell(self.representative_contact_id),
            self.status.code().to_owned(),
            cell(self.status_decision_id),
            partners.join(" | "),
            cell(self.archived_at.map(|t| t.to_rfc3339())),
        ]
    }
}

list_of! {
    /// List collaborations and network memberships: filter, search, sort; a page, or all of
    /// them as CSV or JSON.
    fn list_collaborations, tag "collaborations", path "/collaborations", query CollaborationQuery,
    ok "A page of collaborations, or with `format` an export of all matching ones.",
    page CollaborationPage of CollaborationDto, action Action::ReadInternal, filter CollaborationFilter,
    count repo::count_collaborations, ids repo::collaboration_ids, list repo::list_collaborations,
    each dto, file "samarbeten"
}

/// Record a proposed collaboration or network membership. The owning organisation's
/// reporters, coordinators and administrators may.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "create_collaboration",
    request_body = CollaborationBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded as proposed; the ETag is its version.", body = CollaborationDto),
        BadRequest, Auth, BodyErrors,
    )
)]
#[post("/collaborations")]
pub async fn create_collaboration(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    body: crate::dto::Json<CollaborationBody>,
) -> Result<HttpResponse, ApiError> {
    let d = body.draft()?;
    let rec = run(&pool, &caller, &req, move |conn, ctx| uc::create(conn, ctx, &d)).await?;
    rec.reply(StatusCode::CREATED, &caller.principal)
}

get_one! {
    /// One collaboration with its partners.
    fn get_collaboration, tag "collaborations", path "/collaborations/{id}", id "The collaboration's id.",
    ok "The collaboration; the ETag is its version.", body CollaborationDto, action Action::ReadInternal,
    load repo::get_collaboration, what "collaboration"
}

/// Change a collaboration's description and partners: a merge patch of the fields to
/// change (`partners` is replaced as a whole). Needs `If-Match`.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "update_collaboration",
    params(
        ("id" = i64, Path, description = "The collaboration's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you edit."),
    ),
    request_body(content((CollaborationPatch = "application/merge-patch+json"), (CollaborationPatch = "application/json"))),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = CollaborationDto),
        BadRequest, Auth, NotFound, BodyErrors, Stale,
    )
)]
#[patch("/collaborations/{id}")]
pub async fn update_collaboration(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    patch: MergePatch,
) -> Result<HttpResponse, ApiError> {
    let edit = move |r: &Record| Ok(patch.0.apply(&CollaborationBody::of(r))?.draft()?);
    let rec = run(&pool, &caller, &req, move |conn, ctx| uc::correct(conn, ctx, *id, edit)).await?;
    rec.reply(StatusCode::OK, &caller.principal)
}

/// Change a collaboration's status: becoming active needs the council's decision from the
/// register; ending does not. Coordinators and administrators. Needs `If-Match`.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "change_collaboration_status",
    params(
        ("id" = i64, Path, description = "The collaboration's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you change."),
    ),
    request_body = CollaborationStatusChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = CollaborationDto),
        BadRequest, Auth, NotFound, BodyErrors, Stale,
    )
)]
#[post("/collaborations/{id}/status")]
pub async fn change_collaboration_status(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    body: crate::dto::Json<CollaborationStatusChange>,
) -> Result<HttpResponse, ApiError> {
    let to = CollaborationStatus::parse(&body.status).map_err(ValidationErrors::from)?;
    let decision_id = body.decision_id;
    let change = move |conn: &mut DbConn, ctx: &_| uc::change_status(conn, ctx, *id, to, decision_id);
    run(&pool, &caller, &req, change).await?.reply(StatusCode::OK, &caller.principal)
}

archive_one! {
    /// Archive (or, with `restore`, bring back) a collaboration. Needs `If-Match`.
    fn archive_collaboration, tag "collaborations", path "/collaborations/{id}/archive",
    id "The collaboration's id.", body CollaborationDto, kind uc::ARCHIVE
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_collaborations)
        .service(create_collaboration)
        .service(get_collaboration)
        .service(update_collaboration)
        .service(change_collaboration_status)
        .service(archive_collaboration);
}
