//! The organisation register, at the minimum the identity slice needs: administrations,
//! companies and the central function. (The governance slice adds departments, external
//! ids and the contact network.)

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::identity;
use utblick_db::models::OrganisationRow;
use utblick_db::{DbError, DbPool};
use utblick_domain::error::Collector;
use utblick_domain::{Action, NonEmptyText, OrganisationKind};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::dto::{PageInfo, PageQuery};
use crate::error::{ApiError, Problem};
use crate::routes::{load_page, with_conn};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKindDto {
    /// Förvaltning.
    Administration,
    /// Kommunalt bolag.
    Company,
    /// The central international function.
    CentralFunction,
}

impl From<OrganisationKindDto> for OrganisationKind {
    fn from(k: OrganisationKindDto) -> Self {
        match k {
            OrganisationKindDto::Administration => Self::Administration,
            OrganisationKindDto::Company => Self::Company,
            OrganisationKindDto::CentralFunction => Self::CentralFunction,
        }
    }
}

impl From<OrganisationKind> for OrganisationKindDto {
    fn from(k: OrganisationKind) -> Self {
        match k {
            OrganisationKind::Administration => Self::Administration,
            OrganisationKind::Company => Self::Company,
            OrganisationKind::CentralFunction => Self::CentralFunction,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: i64,
    #[schema(example = "Kommunledningsförvaltningen")]
    pub name: String,
    pub kind: OrganisationKindDto,
    pub active: bool,
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
            kind: kind.into(),
            active: o.active,
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
    pub kind: OrganisationKindDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationDto>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// List organisations, by name.
#[utoipa::path(
    tag = "organisations",
    operation_id = "list_organisations",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations.", body = OrganisationPage),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This token lacks the `read` scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    pool: web::Data<DbPool>,
    caller: Caller,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let (rows, page) =
        load_page(&pool, &q, identity::count_organisations, identity::list_organisations).await?;
    let items = rows.into_iter().map(OrganisationDto::try_from).collect::<Result<_, _>>()?;
    Ok(HttpResponse::Ok().json(OrganisationPage { items, page }))
}

/// One organisation.
#[utoipa::path(
    tag = "organisations",
    operation_id = "get_organisation",
    params(("id" = i64, Path, description = "The organisation's id.")),
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
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let id = id.into_inner();
    let row = with_conn(&pool, move |conn| identity::get_organisation(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("organisation {id}")))?;
    Ok(HttpResponse::Ok().json(OrganisationDto::try_from(row)?))
}

/// Register an organisation.
#[utoipa::path(
    tag = "organisations",
    operation_id = "create_organisation",
    request_body = NewOrganisation,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered.", body = OrganisationDto),
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
    c.finish()?;
    let Some(name) = name else { return Err(ApiError::Internal("validated".into())) };
    let kind = OrganisationKind::from(body.kind);
    let (audit, now) = (caller.audit.clone(), Utc::now().naive_utc());
    let row = with_conn(&pool, move |conn| {
        utblick_db::write_transaction::<_, DbError, _>(conn, |conn| {
            let row = identity::insert_organisation(conn, name.as_str(), kind.code(), now)?;
            audit.record(
                conn,
                now,
                "organisation.created",
                "organisation",
                Some(row.id.to_string()),
                serde_json::json!({"name": row.name, "kind": row.kind}),
            )?;
            Ok(row)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(OrganisationDto::try_from(row)?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_organisations).service(get_organisation).service(create_organisation);
}
