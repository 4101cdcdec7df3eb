//! International collaborations and network memberships (rule 6): owned by one
//! organisation; a collaboration becomes active only with the council's decision; a
//! network membership records who represents the municipality.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::collaborations::{self as repo, CollaborationFilter, CollaborationSort};
use utblick_db::listing::Sort;
use utblick_db::models::{CollaborationFields, CollaborationRow, PartnerFields, PartnerRow};
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::governance::{
    Collaboration, CollaborationInput, CollaborationKind, CollaborationStatus, PartnerKind,
};
use utblick_domain::{Action, ValidationErrors};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::codes::schema;
use crate::concurrency::{if_match, versioned};
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::{ApiError, Problem};
use crate::export::{CsvRecord, List, cell};
use crate::routes::common::{Archiving, QueryParams, set_archived};

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
}

fn dto((c, partners): (CollaborationRow, Vec<PartnerRow>)) -> Result<CollaborationDto, ApiError> {
    let stored =
        |e: utblick_domain::FieldError| ApiError::Internal(format!("stored value breaks a rule: {e}"));
    Ok(CollaborationDto {
        id: c.id,
        kind: CollaborationKind::parse(&c.kind).map_err(stored)?,
        name: c.name,
        owner_organisation_id: c.owner_organisation_id,
        purpose: c.purpose,
        period_from: c.period_from,
        period_to: c.period_to,
        representative_contact_id: c.representative_contact_id,
        status: CollaborationStatus::parse(&c.status).map_err(stored)?,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerBody {
    #[schema(example = "Eurocities", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(example = "BE", min_length = 2, max_length = 2)]
    pub country: String,
    #[schema(value_type = schema::PartnerKind)]
    pub kind: String,
}

#[derive(Debug, Deserialize, ToSchema)]
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

impl CollaborationBody {
    fn parse(&self) -> Result<(CollaborationFields, Vec<PartnerFields>), ApiError> {
        let c = Collaboration::parse(&CollaborationInput {
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
        let partners = c
            .partners
            .iter()
            .map(|p| PartnerFields {
                name: p.name.as_str().to_owned(),
                country: p.country.as_str().to_owned(),
                kind: p.kind.code().to_owned(),
            })
            .collect();
        Ok((
            CollaborationFields {
                kind: c.kind.code().to_owned(),
                name: c.name.into_string(),
                owner_organisation_id: self.owner_organisation_id,
                purpose: c.purpose.into_string(),
                period_from: c.period_from,
                period_to: c.period_to,
                representative_contact_id: self.representative_contact_id,
            },
            partners,
        ))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct CollaborationPage {
    pub items: Vec<CollaborationDto>,
    #[serde(flatten)]
    pub page: PageInfo,
}

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

fn respond(
    status: actix_web::http::StatusCode,
    rec: (CollaborationRow, Vec<PartnerRow>),
) -> Result<HttpResponse, ApiError> {
    Ok(versioned(status, rec.0.version, &dto(rec)?))
}

fn load(conn: &mut utblick_db::DbConn, id: i64) -> Result<(CollaborationRow, Vec<PartnerRow>), ApiError> {
    repo::get_collaboration(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("collaboration {id}")))
}

/// The owner must be an active organisation; the representative a contact person.
fn check_links(conn: &mut utblick_db::DbConn, f: &CollaborationFields) -> Result<(), ApiError> {
    let mut c = utblick_domain::error::Collector::new();
    match utblick_db::identity::get_organisation(conn, f.owner_organisation_id)? {
        Some(o) if o.active => {}
        _ => {
            c.push(utblick_domain::FieldError::new("owner_organisation_id", "is not an active organisation"))
        }
    }
    if let Some(cid) = f.representative_contact_id
        && utblick_db::contacts::get_contact(conn, cid)?.filter(|x| x.erased_at.is_none()).is_none()
    {
        c.push(utblick_domain::FieldError::new("representative_contact_id", "is not a contact person"));
    }
    Ok(c.finish()?)
}

/// List collaborations and network memberships: filter, search, sort; a page, or all of
/// them as CSV or JSON.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "list_collaborations",
    params(PageQuery, CollaborationQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of collaborations, or with `format` an export of all matching ones.", content(
            (CollaborationPage = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many exports are running, yours or in all; see Retry-After.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This token lacks the `read` scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/collaborations")]
pub async fn list_collaborations(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    q: web::Query<CollaborationQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let list = List {
        filter: q.filter()?,
        count: repo::count_collaborations,
        ids: repo::collaboration_ids,
        fetch: |conn: &mut DbConn, f: &CollaborationFilter, offset, limit| {
            repo::list_collaborations(conn, f, offset, limit)?.into_iter().map(dto).collect()
        },
        filename: "samarbeten",
        page: |items, page| CollaborationPage { items, page },
    };
    list.respond(&pool, &req, &caller, q.format.as_deref(), page.parse()?).await
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
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owning organisation's reporter, a coordinator or an administrator.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborations")]
pub async fn create_collaboration(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<CollaborationBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditOrganisationData { organisation_id: body.owner_organisation_id })?;
    let (fields, partners) = body.parse()?;
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            check_links(conn, &fields)?;
            let id = repo::insert_collaboration(conn, &fields, &partners, t)?;
            audit.record(conn, t, "collaboration.created", "collaboration", Some(id.to_string()), serde_json::json!({
                "kind": fields.kind, "name": fields.name, "owner_organisation_id": fields.owner_organisation_id,
            }))?;
            load(conn, id)
        })
    })
    .await??;
    respond(actix_web::http::StatusCode::CREATED, rec)
}

/// One collaboration with its partners.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "get_collaboration",
    params(("id" = i64, Path, description = "The collaboration's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The collaboration; the ETag is its version.", body = CollaborationDto),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This token lacks the `read` scope.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such collaboration.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/collaborations/{id}")]
pub async fn get_collaboration(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let id = id.into_inner();
    let rec = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        load(&mut conn, id)
    })
    .await??;
    respond(actix_web::http::StatusCode::OK, rec)
}

/// Change a collaboration's description and partners. Needs `If-Match`.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "update_collaboration",
    params(
        ("id" = i64, Path, description = "The collaboration's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you edit."),
    ),
    request_body = CollaborationBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = CollaborationDto),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owning organisation's reporter, a coordinator or an administrator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such collaboration.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/collaborations/{id}")]
pub async fn update_collaboration(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    body: web::Json<CollaborationBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditOrganisationData { organisation_id: body.owner_organisation_id })?;
    let id = id.into_inner();
    let (fields, partners) = body.parse()?;
    let req_version = if_match(&req);
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let (before, _) = load(conn, id)?;
            caller.require(Action::EditOrganisationData { organisation_id: before.owner_organisation_id })?;
            check_links(conn, &fields)?;
            let version = req_version?;
            if !repo::update_collaboration(conn, id, version, &fields, &partners, t)? {
                return Err(ApiError::PreconditionFailed);
            }
            audit.record(conn, t, "collaboration.updated", "collaboration", Some(id.to_string()), serde_json::json!({
                "name": {"before": before.name, "after": fields.name},
                "owner_organisation_id": {"before": before.owner_organisation_id, "after": fields.owner_organisation_id},
            }))?;
            load(conn, id)
        })
    })
    .await??;
    respond(actix_web::http::StatusCode::OK, rec)
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
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such collaboration.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The change is not allowed, or needs the council's decision.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborations/{id}/status")]
pub async fn change_collaboration_status(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    body: web::Json<CollaborationStatusChange>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let to = CollaborationStatus::parse(&body.status).map_err(ValidationErrors::from)?;
    let req_version = if_match(&req);
    let (audit, t) = (caller.audit.clone(), now());
    let rec = web::block(move || -> Result<_, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let (before, _) = load(conn, id)?;
            let from =
                CollaborationStatus::parse(&before.status).map_err(|e| ApiError::Internal(e.to_string()))?;
            let decision = crate::routes::common::registered_decision(conn, body.decision_id)?;
            from.change_to(to, decision.as_ref()).map_err(ValidationErrors::from)?;
            let version = req_version?;
            let decision_id = if decision.is_some() { body.decision_id } else { before.status_decision_id };
            if !repo::set_collaboration_status(conn, id, version, to.code(), decision_id, t)? {
                return Err(ApiError::PreconditionFailed);
            }
            audit.record(
                conn,
                t,
                "collaboration.status_changed",
                "collaboration",
                Some(id.to_string()),
                serde_json::json!({
                    "status": {"before": before.status, "after": to.code()}, "decision_id": decision_id,
                }),
            )?;
            load(conn, id)
        })
    })
    .await??;
    respond(actix_web::http::StatusCode::OK, rec)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RestoreQuery {
    pub restore: Option<bool>,
}

/// Archive (or, with `restore`, bring back) a collaboration. Needs `If-Match`.
#[utoipa::path(
    tag = "collaborations",
    operation_id = "archive_collaboration",
    params(
        ("id" = i64, Path, description = "The collaboration's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you archive."),
        ("restore" = Option<bool>, Query, description = "true: take it out of the archive."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived (or restored).", body = CollaborationDto),
        (status = 400, description = "The id or a parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such collaboration.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborations/{id}/archive")]
pub async fn archive_collaboration(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    q: web::Query<RestoreQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let version = if_match(&req)?;
    let what =
        Archiving { entity: "collaboration", id: id.into_inner(), restore: q.restore.unwrap_or(false) };
    let id = what.id;
    let rec = set_archived(
        &pool,
        caller.audit.clone(),
        what,
        |conn, id| Ok(repo::get_collaboration(conn, id)?),
        move |conn, at, t| Ok(repo::set_collaboration_archived(conn, id, version, at, t)?),
        |_| serde_json::json!({}),
    )
    .await?;
    respond(actix_web::http::StatusCode::OK, rec)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_collaborations)
        .service(create_collaboration)
        .service(get_collaboration)
        .service(update_collaboration)
        .service(change_collaboration_status)
        .service(archive_collaboration);
}
