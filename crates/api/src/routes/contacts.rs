//! The contact network (rule 7): each organisation's contact persons. Personal data:
//! signed-in people only, never API tokens or the public. Reporters keep their own
//! organisation's contacts; coordinators everyone's. An erasure request anonymises the
//! person and keeps the history.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::contacts::{self as repo, ContactFilter, ContactSort};
use utblick_db::listing::Sort;
use utblick_db::models::{ContactFields, ContactRow};
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::Action;
use utblick_domain::governance::{Contact, ContactInput};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::concurrency::{if_match, versioned};
use crate::dto::{PageInfo, PageQuery, PathId};
use crate::error::{ApiError, Problem};
use crate::export::{CsvRecord, ExportAudit, List, cell};
use crate::routes::common::QueryParams;
use crate::routes::with_conn;

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactDto {
    pub id: i64,
    pub organisation_id: i64,
    #[schema(example = "Anna Berg")]
    pub name: String,
    #[schema(example = "Utvecklingsstrateg")]
    pub title: Option<String>,
    #[schema(example = "anna.berg@tranas.se")]
    pub email: Option<String>,
    #[schema(example = "0140-681 00")]
    pub phone: Option<String>,
    /// The person's role in the network.
    #[schema(example = "Kontaktperson")]
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
    /// Set when the person asked to be erased: the name and contact details are gone.
    pub erased_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The version this shows; also the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ContactRow> for ContactDto {
    fn from(c: ContactRow) -> Self {
        Self {
            id: c.id,
            organisation_id: c.organisation_id,
            name: c.name,
            title: c.title,
            email: c.email,
            phone: c.phone,
            network_role: c.network_role,
            term_from: c.term_from,
            term_to: c.term_to,
            erased_at: c.erased_at.map(|d| d.and_utc()),
            archived_at: c.archived_at.map(|d| d.and_utc()),
            version: c.version,
            created_at: c.created_at.and_utc(),
            updated_at: c.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// The organisation the person represents.
    pub organisation_id: i64,
    #[schema(example = "Anna Berg", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    #[schema(max_length = 30)]
    pub phone: Option<String>,
    #[schema(max_length = 200)]
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

impl ContactBody {
    fn fields(&self) -> Result<ContactFields, ApiError> {
        let c = Contact::parse(&ContactInput {
            name: self.name.clone(),
            title: self.title.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            network_role: self.network_role.clone(),
            term_from: self.term_from,
            term_to: self.term_to,
        })?;
        Ok(ContactFields {
            organisation_id: self.organisation_id,
            name: c.name.into_string(),
            title: c.title,
            email: c.email,
            phone: c.phone,
            network_role: c.network_role,
            term_from: c.term_from,
            term_to: c.term_to,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    #[param(value_type = Option<i64>)]
    pub organisation_id: Option<String>,
    /// Words in the name, title, network role or e-mail address.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `false` (default), `true` or `all`.
    #[param(pattern = "^(true|false|all)$")]
    pub archived: Option<String>,
    /// `name` (default), `term_from` or `term_to`; a leading `-` for descending.
    #[param(pattern = "^-?(name|term_from|term_to)$")]
    pub sort: Option<String>,
    /// `csv` or `json`: every match as a file.
    #[param(pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

impl ContactQuery {
    fn filter(&self) -> Result<ContactFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = ContactFilter {
            organisation_id: p.id("organisation_id", self.organisation_id.as_deref()),
            q: p.text(self.q.as_deref()),
            archived: p.archived(self.archived.as_deref()),
            sort: p.sort(
                self.sort.as_deref(),
                &[
                    ("name", ContactSort::Name),
                    ("term_from", ContactSort::TermFrom),
                    ("term_to", ContactSort::TermTo),
                ],
                Sort::asc(ContactSort::Name),
            ),
            ids: None,
        };
        p.finish()?;
        Ok(filter)
    }
}

impl CsvRecord for ContactDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "organisation_id",
        "name",
        "title",
        "email",
        "phone",
        "network_role",
        "term_from",
        "term_to",
        "erased_at",
        "archived_at",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.organisation_id.to_string(),
            self.name.clone(),
            cell(self.title.as_ref()),
            cell(self.email.as_ref()),
            cell(self.phone.as_ref()),
            cell(self.network_role.as_ref()),
            cell(self.term_from),
            cell(self.term_to),
            cell(self.erased_at.map(|t| t.to_rfc3339())),
            cell(self.archived_at.map(|t| t.to_rfc3339())),
        ]
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPage {
    pub items: Vec<ContactDto>,
    #[serde(flatten)]
    pub page: PageInfo,
}

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

fn with_etag(status: actix_web::http::StatusCode, row: ContactRow) -> HttpResponse {
    versioned(status, row.version, &ContactDto::from(row))
}

/// Which fields changed, without the personal data itself: the audit log names the
/// fields, not their values.
fn changed_fields(before: &ContactRow, after: &ContactRow) -> serde_json::Value {
    let mut out = Vec::new();
    if before.organisation_id != after.organisation_id {
        out.push("organisation_id");
    }
    for (name, b, a) in [
        ("name", Some(&before.name), Some(&after.name)),
        ("title", before.title.as_ref(), after.title.as_ref()),
        ("email", before.email.as_ref(), after.email.as_ref()),
        ("phone", before.phone.as_ref(), after.phone.as_ref()),
        ("network_role", before.network_role.as_ref(), after.network_role.as_ref()),
    ] {
        if b != a {
            out.push(name);
        }
    }
    serde_json::json!({
        "changed": out,
        "organisation_id": {"before": before.organisation_id, "after": after.organisation_id},
        "term": {"before": [before.term_from, before.term_to], "after": [after.term_from, after.term_to]},
    })
}

fn check_organisation(conn: &mut utblick_db::DbConn, id: i64) -> Result<(), ApiError> {
    match utblick_db::identity::get_organisation(conn, id)? {
        Some(o) if o.active => Ok(()),
        _ => {
            Err(utblick_domain::ValidationErrors::single("organisation_id", "is not an active organisation")
                .into())
        }
    }
}

/// List contact persons: filter by organisation, search, sort; a page, or all of them as
/// CSV or JSON.
#[utoipa::path(
    tag = "contacts",
    operation_id = "list_contacts",
    params(PageQuery, ContactQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of contact persons, or with `format` an export of all matching ones.", content(
            (ContactPage = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A query parameter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many exports are running, yours or in all; see Retry-After.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Personal data is for signed-in people, not API tokens.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts")]
pub async fn list_contacts(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    q: web::Query<ContactQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPersonalData)?;
    let list = List {
        filter: q.filter()?,
        count: repo::count_contacts,
        ids: repo::contact_ids,
        fetch: |conn: &mut DbConn, f: &ContactFilter, offset, limit| {
            Ok(repo::list_contacts(conn, f, offset, limit)?.into_iter().map(ContactDto::from).collect())
        },
        filename: "kontaktpersoner",
        page: |items, page| ContactPage { items, page },
    };
    // Personal data leaving the system: the export is audited, with its filter.
    let audited = ExportAudit {
        audit: caller.audit.clone(),
        entity: "contact",
        filter: serde_json::json!({
            "organisation_id": q.organisation_id, "q": q.q, "archived": q.archived, "sort": q.sort,
        }),
    };
    list.respond_audited(&pool, &req, &caller, q.format.as_deref(), page.parse()?, Some(audited)).await
}

/// Add a contact person to an organisation's network.
#[utoipa::path(
    tag = "contacts",
    operation_id = "create_contact",
    request_body = ContactBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added; the ETag is its version.", body = ContactDto),
        (status = 400, description = "The body is not valid JSON of this shape.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the organisation's reporters, coordinators and administrators.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `errors` names it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contacts")]
pub async fn create_contact(
    pool: web::Data<DbPool>,
    caller: Caller,
    body: web::Json<ContactBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditOrganisationData { organisation_id: body.organisation_id })?;
    let fields = body.fields()?;
    let (audit, t) = (caller.audit.clone(), now());
    let row = web::block(move || -> Result<ContactRow, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            check_organisation(conn, fields.organisation_id)?;
            let row = repo::insert_contact(conn, &fields, t)?;
            audit.record(
                conn,
                t,
                "contact.created",
                "contact",
                Some(row.id.to_string()),
                serde_json::json!({
                    "organisation_id": row.organisation_id,
                }),
            )?;
            Ok(row)
        })
    })
    .await??;
    Ok(with_etag(actix_web::http::StatusCode::CREATED, row))
}

/// One contact person.
#[utoipa::path(
    tag = "contacts",
    operation_id = "get_contact",
    params(("id" = i64, Path, description = "The contact's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contact person; the ETag is its version.", body = ContactDto),
        (status = 400, description = "The id is not a whole number.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Personal data is for signed-in people, not API tokens.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts/{id}")]
pub async fn get_contact(
    pool: web::Data<DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPersonalData)?;
    let id = id.into_inner();
    let row = with_conn(&pool, move |conn| repo::get_contact(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    Ok(with_etag(actix_web::http::StatusCode::OK, row))
}

/// Change a contact person. Reporters may change their own organisation's contacts only
/// (and not move them to another). Needs `If-Match`.
#[utoipa::path(
    tag = "contacts",
    operation_id = "update_contact",
    params(
        ("id" = i64, Path, description = "The contact's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you edit."),
    ),
    request_body = ContactBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is the new version.", body = ContactDto),
        (status = 400, description = "The body or id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the organisation's reporters, coordinators and administrators.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or the person was erased.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/contacts/{id}")]
pub async fn update_contact(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
    body: web::Json<ContactBody>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::EditOrganisationData { organisation_id: body.organisation_id })?;
    let id = id.into_inner();
    let fields = body.fields()?;
    let req_version = if_match(&req);
    let (audit, t) = (caller.audit.clone(), now());
    let row = web::block(move || -> Result<ContactRow, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let before =
                repo::get_contact(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
            caller.require(Action::EditOrganisationData { organisation_id: before.organisation_id })?;
            if before.erased_at.is_some() {
                return Err(utblick_domain::ValidationErrors::single(
                    "id",
                    "this person was erased on request; add a new contact instead",
                )
                .into());
            }
            check_organisation(conn, fields.organisation_id)?;
            let version = req_version?;
            let after =
                repo::update_contact(conn, id, version, &fields, t)?.ok_or(ApiError::PreconditionFailed)?;
            audit.record(
                conn,
                t,
                "contact.updated",
                "contact",
                Some(id.to_string()),
                changed_fields(&before, &after),
            )?;
            Ok(after)
        })
    })
    .await??;
    Ok(with_etag(actix_web::http::StatusCode::OK, row))
}

/// Erase a person on request (GDPR): the name and contact details are replaced; the row
/// and everything that refers to it stay. Needs `If-Match`.
#[utoipa::path(
    tag = "contacts",
    operation_id = "erase_contact",
    params(
        ("id" = i64, Path, description = "The contact's id.", minimum = 1),
        ("If-Match" = String, Header, description = "The ETag of the version you erase."),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Erased; the ETag is the new version.", body = ContactDto),
        (status = 400, description = "The id is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the organisation's reporters, coordinators and administrators.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Someone else changed it since you read it.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contacts/{id}/erase")]
pub async fn erase_contact(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadPersonalData)?;
    let id = id.into_inner();
    let req_version = if_match(&req);
    let (audit, t) = (caller.audit.clone(), now());
    let row = web::block(move || -> Result<ContactRow, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let before =
                repo::get_contact(conn, id)?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
            caller.require(Action::EditOrganisationData { organisation_id: before.organisation_id })?;
            let version = req_version?;
            let after = repo::erase_contact(conn, id, version, t)?.ok_or(ApiError::PreconditionFailed)?;
            audit.record(
                conn,
                t,
                "contact.erased",
                "contact",
                Some(id.to_string()),
                serde_json::json!({
                    "erased": ["name", "title", "email", "phone"],
                }),
            )?;
            Ok(after)
        })
    })
    .await??;
    Ok(with_etag(actix_web::http::StatusCode::OK, row))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(erase_contact);
}
