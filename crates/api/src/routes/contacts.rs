//! The contact network (rule 7): each organisation's contact persons. Personal data:
//! signed-in people only, never API tokens or the public. Reporters keep their own
//! organisation's contacts; coordinators everyone's. An erasure request anonymises the
//! person and keeps the history.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utblick_app::contacts as uc;
use utblick_db::DbPool;
use utblick_db::contacts::{self as repo, ContactFilter, ContactSort};
use utblick_db::listing::Sort;
use utblick_db::models::ContactRow;
use utblick_domain::can::{self, Can};
use utblick_domain::governance::{Contact, ContactInput};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::dto::PathId;
use crate::error::ApiError;
use crate::exec::answer;
use crate::export::CsvRecord;
use crate::responses::{Auth, BadRequest, NotFound, Stale};
use crate::routes::common::list_query;
use crate::routes::standard::{create_one, get_one, list_of, update_one};

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

    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl ContactDto {
    fn new(c: ContactRow, who: &Principal) -> Self {
        Self {
            can: can::contact(who, c.organisation_id, c.erased_at.is_some()),
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
            stored: crate::dto::Stored::of(c.archived_at, c.version, c.created_at, c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// The organisation the person represents.
    pub organisation_id: i64,
    #[schema(format = "name", example = "Anna Berg", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(format = "optional-name", max_length = 200)]
    pub title: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(format = "phone", max_length = 30)]
    pub phone: Option<String>,
    #[schema(format = "optional-name", max_length = 200)]
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

crate::patch_schema!(ContactPatch = ContactBody);

impl ContactBody {
    fn contact(&self) -> Result<Contact, ValidationErrors> {
        Contact::parse(&ContactInput {
            name: self.name.clone(),
            title: self.title.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            network_role: self.network_role.clone(),
            term_from: self.term_from,
            term_to: self.term_to,
        })
    }

    fn of(c: &ContactRow) -> Self {
        Self {
            organisation_id: c.organisation_id,
            name: c.name.clone(),
            title: c.title.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            network_role: c.network_role.clone(),
            term_from: c.term_from,
            term_to: c.term_to,
        }
    }
}

crate::exec::reply!(ContactRow => ContactDto, |r| r.version, |r, who| Ok(ContactDto::new(r, who)));

list_query! {
    /// Filters, search and order of the contact persons.
    pub struct ContactQuery => ContactFilter {
        organisation_id [value_type = Option<i64>, minimum = 1] = id;
        /// Words in the name, title, network role or e-mail address.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(name|term_from|term_to)$", "`name` (default), `term_from` or `term_to`; a leading `-` for descending.",
    ["name" => ContactSort::Name, "term_from" => ContactSort::TermFrom, "term_to" => ContactSort::TermTo],
    default Sort::asc(ContactSort::Name)
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
}

list_of! {
    /// List contact persons: filter by organisation, search, sort; a page, or all of them as
    /// CSV or JSON (an export is audited: personal data leaving the system).
    fn list_contacts, tag "contacts", path "/contacts", query ContactQuery,
    ok "A page of contact persons, or with `format` an export of all matching ones.",
    page ContactPage of ContactDto, action Action::ReadPersonalData, filter ContactFilter,
    count repo::count_contacts, ids repo::contact_ids, list repo::list_contacts, each contact_dto,
    file "kontaktpersoner", audited "contact" [organisation_id, q, archived, sort]
}

fn contact_dto(c: ContactRow, who: &Principal) -> Result<ContactDto, ApiError> {
    Ok(ContactDto::new(c, who))
}

create_one! {
    /// Add a contact person to an organisation's network.
    fn create_contact, tag "contacts", path "/contacts", body ContactBody,
    ok "Added; the ETag is its version.", dto ContactDto,
    |body| (organisation, c) = (body.organisation_id, body.contact()?),
    |conn, ctx| uc::create(conn, ctx, organisation, &c)
}

get_one! {
    /// One contact person.
    fn get_contact, tag "contacts", path "/contacts/{id}", id "The contact's id.",
    ok "The contact person; the ETag is its version.", body ContactDto, action Action::ReadPersonalData,
    load repo::get_contact, what "contact"
}

update_one! {
    /// Change a contact person: a merge patch of the fields to change. Reporters may change
    /// their own organisation's contacts only (and not move them to another). Needs `If-Match`.
    fn update_contact, tag "contacts", path "/contacts/{id}", id "The contact's id.",
    patch ContactPatch, dto ContactDto,
    |patch| uc::correct, move |c: &ContactRow| {
        let body = patch.apply(&ContactBody::of(c))?;
        Ok((body.organisation_id, body.contact()?))
    }
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
        BadRequest, Auth, NotFound, Stale,
    )
)]
#[post("/contacts/{id}/erase")]
pub async fn erase_contact(
    pool: web::Data<DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    answer(&pool, &caller, &req, StatusCode::OK, move |conn, ctx| uc::erase(conn, ctx, *id)).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(erase_contact);
}
