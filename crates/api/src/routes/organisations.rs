//! The organisation register, at the minimum the identity slice needs: administrations,
//! companies and the central function. (The governance slice adds departments, external
//! ids and the contact network.)

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::identity::{self, OrganisationFilter, OrganisationSort};
use utblick_db::listing::Sort;
use utblick_db::models::OrganisationRow;
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::error::Collector;
use utblick_domain::{Action, NonEmptyText, OrganisationKind};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::codes::schema;
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::{ApiError, Problem};
use crate::export::{CsvRecord, List, cell};
use crate::routes::common::QueryParams;
use crate::routes::with_conn;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: i64,
    #[schema(example = "Kommunledningsförvaltningen")]
    pub name: String,
    #[schema(value_type = schema::OrganisationKind)]
    pub kind: OrganisationKind,
    /// Inactive organisations are kept (never deleted) but take no new data.
    pub active: bool,
    /// For a department: the administration or company it belongs to.
    pub parent_id: Option<i64>,
    /// The id the styrkort system knows the organisation by.
    #[schema(example = "FV-KLF")]
    pub external_id: Option<String>,
    /// The version this shows; also the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<OrganisationRow> for OrganisationDto {
    type Error = ApiError;
    fn try_from(o: OrganisationRow) -> Result<Self, ApiError> {
        let kind = OrganisationKind::parse(&o.kind).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Self {
            id: o.id,
            name: o.name,
            kind,
            active: o.active,
            parent_id: o.parent_id,
            external_id: o.external_id,
            version: o.version,
            created_at: o.created_at.and_utc(),
            updated_at: o.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[schema(example = "Barn- och utbildningsförvaltningen", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = schema::OrganisationKind)]
    pub kind: OrganisationKind,
    /// For a department: the organisation it belongs to.
    pub parent_id: Option<i64>,
    /// The styrkort system's id: 1–64 letters, digits, dots, hyphens, underscores.
    #[schema(example = "FV-BUF", max_length = 64)]
    pub external_id: Option<String>,
}

/// An organisation's editable fields (all of them; the version in If-Match).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationUpdate {
    #[schema(example = "Barn- och utbildningsförvaltningen", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = schema::OrganisationKind)]
    pub kind: OrganisationKind,
    pub parent_id: Option<i64>,
    #[schema(example = "FV-BUF", max_length = 64)]
    pub external_id: Option<String>,
    pub active: bool,
}

fn parse_external_id(raw: Option<&str>) -> Result<Option<String>, utblick_domain::FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) => {
            Ok(Some(s.to_owned()))
        }
        Some(_) => Err(utblick_domain::FieldError::new(
            "external_id",
            "must be 1–64 letters, digits, dots, hyphens or underscores, as the styrkort system writes it",
        )),
    }
}

/// A department's parent must be an active organisation, and not the organisation itself
/// or one of its own departments.
fn check_parent(conn: &mut utblick_db::DbConn, id: Option<i64>, parent: Option<i64>) -> Result<(), ApiError> {
    let Some(mut cursor) = parent else { return Ok(()) };
    let bad = |m: &str| ApiError::from(utblick_domain::ValidationErrors::single("parent_id", m));
    match identity::get_organisation(conn, cursor)? {
        Some(p) if p.active => {}
        _ => return Err(bad("is not an active organisation")),
    }
    for _ in 0..64 {
        if Some(cursor) == id {
            return Err(bad("an organisation cannot sit under itself or one of its own departments"));
        }
        match identity::get_organisation(conn, cursor)?.and_then(|o| o.parent_id) {
            Some(next) => cursor = next,
            None => return Ok(()),
        }
    }
    Err(bad("the organisation tree is too deep"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationDto>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// Filters, search, order and format of the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// `administration`, `company` or `central_function`.
    #[param(value_type = Option<schema::OrganisationKind>)]
    pub kind: Option<String>,
    /// `true`: active ones only; `false`: inactive ones only; absent: both.
    #[param(value_type = Option<bool>)]
    pub active: Option<String>,
    /// Only the departments directly under this organisation.
    #[param(value_type = Option<i64>)]
    pub parent_id: Option<String>,
    /// Words in the name or the external id.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `name` (default) or `kind`; a leading `-` for descending.
    #[param(pattern = "^-?(name|kind)$")]
    pub sort: Option<String>,
    /// `csv` or `json`: every match as a file.
    #[param(pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

impl OrganisationQuery {
    fn filter(&self) -> Result<OrganisationFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = OrganisationFilter {
            kind: p.code("kind", self.kind.as_deref(), OrganisationKind::parse, |k| k.code().to_owned()),
            active: p.boolean("active", self.active.as_deref()),
            parent_id: p.id("parent_id", self.parent_id.as_deref()),
            q: p.text(self.q.as_deref()),
            sort: p.sort(
                self.sort.as_deref(),
                &[("name", OrganisationSort::Name), ("kind", OrganisationSort::Kind)],
                Sort::asc(OrganisationSort::Name),
            ),
            ids: None,
        };
        p.finish()?;
        Ok(filter)
    }
}

impl CsvRecord for OrganisationDto {
    const HEADERS: &'static [&'static str] = &["id", "name", "kind", "active", "parent_id", "external_id"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.kind.code().to_owned(),
            self.active.to_string(),
            cell(self.parent_id),
            cell(self.external_id.as_ref()),
        ]
    }
}

/// List organisations: filter by kind, activity and parent, search, sort; a page, or all
/// of them as CSV or JSON.
#[utoipa::path(
    tag = "organisations",
    operation_id = "list_organisations",
    params(PageQuery, OrganisationQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations, or with `format` an export of all matching ones.", content(
            (OrganisationPage = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many exports are running, yours or in all; see Retry-After.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This token lacks the `read` scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    q: web::Query<OrganisationQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let list = List {
        filter: q.filter()?,
        count: identity::count_organisations,
        ids: identity::organisation_ids,
        fetch: |conn: &mut DbConn, f: &OrganisationFilter, offset, limit| {
            identity::list_organisations(conn, f, offset, limit)?
                .into_iter()
                .map(OrganisationDto::try_from)
                .collect()
        },
        filename: "organisationer",
        page: |items, page| OrganisationPage { items, page },
    };
    list.respond(&pool, &req, &caller, q.format.as_deref(), page.parse()?).await
}

/// One organisation.
#[utoipa::path(
    tag = "organisations",
    operation_id = "get_organisation",
    params(("id" = i64, Path, description = "The organisation's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisation.", body = OrganisationDto),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This token lacks the `read` scope.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let id = id.into_inner();
    let row = with_conn(&pool, move |conn| identity::get_organisation(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("organisation {id}")))?;
    let tag = crate::concurrency::etag(row.version);
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(OrganisationDto::try_from(row)?))
}

/// Change an organisation: name, kind, parent, external id, active. Organisations are
/// never deleted: deactivate them. Needs `If-Match`.
#[utoipa::path(
    tag = "organisations",
    operation_id = "update_organisation",
    params(
        ("id" = i64, Path, description = "The organisation's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you edit."),
    ),
    request_body = OrganisationUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = OrganisationDto),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name or the external id is taken.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: actix_web::HttpRequest,
    id: PathId,
    body: web::Json<OrganisationUpdate>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let mut c = Collector::new();
    let name = c.take(NonEmptyText::title("name", &body.name));
    let external_id = c.take(parse_external_id(body.external_id.as_deref()));
    c.finish()?;
    let (Some(name), Some(external_id)) = (name, external_id) else {
        return Err(ApiError::Internal("validated".into()));
    };
    let fields = utblick_db::models::OrganisationFields {
        name: name.into_string(),
        kind: body.kind.code().to_owned(),
        parent_id: body.parent_id,
        external_id,
        active: body.active,
    };
    let version = crate::concurrency::if_match(&req)?;
    let (audit, now) = (caller.audit.clone(), Utc::now().naive_utc());
    let row = web::block(move || -> Result<OrganisationRow, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let before = identity::get_organisation(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("organisation {id}")))?;
            if fields.parent_id != before.parent_id {
                check_parent(conn, Some(id), fields.parent_id)?;
            }
            let after = identity::update_organisation(conn, id, version, &fields, now)?.ok_or(ApiError::PreconditionFailed)?;
            let snap = |o: &OrganisationRow| {
                serde_json::json!({"name": o.name, "kind": o.kind, "parent_id": o.parent_id, "external_id": o.external_id, "active": o.active})
            };
            let changes = crate::routes::common::diff(&snap(&before), &snap(&after));
            audit.record(conn, now, "organisation.updated", "organisation", Some(id.to_string()), changes)?;
            Ok(after)
        })
    })
    .await??;
    let tag = crate::concurrency::etag(row.version);
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(OrganisationDto::try_from(row)?))
}

/// Register an organisation.
#[utoipa::path(
    tag = "organisations",
    operation_id = "create_organisation",
    request_body = NewOrganisation,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered; the ETag is its version.", body = OrganisationDto),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Coordinators and administrators only.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An organisation with this name exists.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<NewOrganisation>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditProgrammeDomain)?;
    let body = body.into_inner();
    let mut c = Collector::new();
    let name = c.take(NonEmptyText::title("name", &body.name));
    let external_id = c.take(parse_external_id(body.external_id.as_deref()));
    c.finish()?;
    let (Some(name), Some(external_id)) = (name, external_id) else {
        return Err(ApiError::Internal("validated".into()));
    };
    let kind = body.kind;
    let parent = body.parent_id;
    let (audit, now) = (caller.audit.clone(), Utc::now().naive_utc());
    let row = web::block(move || -> Result<OrganisationRow, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            check_parent(conn, None, parent)?;
            let row = identity::insert_organisation(conn, name.as_str(), kind.code(), now)?;
            let row = identity::set_organisation_links(conn, row.id, parent, external_id.as_deref())?;
            audit.record(
                conn,
                now,
                "organisation.created",
                "organisation",
                Some(row.id.to_string()),
                serde_json::json!({"name": row.name, "kind": row.kind, "parent_id": row.parent_id, "external_id": row.external_id}),
            )?;
            Ok(row)
        })
    })
    .await??;
    let tag = crate::concurrency::etag(row.version);
    Ok(HttpResponse::Created().insert_header(("ETag", tag)).json(OrganisationDto::try_from(row)?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_organisations)
        .service(get_organisation)
        .service(create_organisation)
        .service(update_organisation);
}
