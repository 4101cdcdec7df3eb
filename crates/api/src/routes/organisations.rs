//! The organisation register, at the minimum the identity slice needs: administrations,
//! companies and the central function. (The governance slice adds departments, external
//! ids and the contact network.)

use actix_web::{get, patch, post};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_app::organisations as uc;
use utblick_app::{AppError, stored};
use utblick_db::identity::{self, OrganisationFilter, OrganisationSort};
use utblick_db::listing::Sort;
use utblick_db::models::OrganisationRow;
use utblick_domain::can::{self, Can};
use utblick_domain::organisation::Organisation;
use utblick_domain::{Action, OrganisationKind, Principal};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::standard::{create_one, get_one, list_of, update_one};

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
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl OrganisationDto {
    fn new(o: OrganisationRow, who: &Principal) -> Result<Self, ApiError> {
        let kind = OrganisationKind::parse(&o.kind).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Self {
            can: can::organisation(who, o.id, o.active),
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

crate::dto::sharing_fields! {
    {
        #[schema(
            format = "name",
            example = "Barn- och utbildningsförvaltningen",
            min_length = 1,
            max_length = 200
        )]
        pub name: String,
        #[schema(value_type = schema::OrganisationKind)]
        pub kind: OrganisationKind,
        /// For a department: the organisation it belongs to.
        pub parent_id: Option<i64>,
        /// The styrkort system's id: 1–64 letters, digits, dots, hyphens, underscores.
        #[schema(format = "external-id", example = "FV-BUF", max_length = 64)]
        pub external_id: Option<String>,
    }

    /// A new organisation.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct NewOrganisation {}

    /// An organisation's editable fields (the version in If-Match).
    #[derive(Debug, Deserialize, Serialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct OrganisationUpdate {
        /// False: the organisation has closed; it takes no new data.
        pub active: bool,
    }
}

crate::patch_schema!(OrganisationPatch = OrganisationUpdate);

impl OrganisationUpdate {
    fn of(o: &OrganisationRow) -> Result<Self, AppError> {
        Ok(Self {
            name: o.name.clone(),
            kind: stored(OrganisationKind::parse(&o.kind))?,
            parent_id: o.parent_id,
            external_id: o.external_id.clone(),
            active: o.active,
        })
    }
}

crate::exec::reply!(OrganisationRow => OrganisationDto, |r| r.version, OrganisationDto::new);

list_query! {
    /// Filters, search and order of the organisations.
    pub struct OrganisationQuery => OrganisationFilter {
        /// `administration`, `company` or `central_function`.
        kind [value_type = Option<schema::OrganisationKind>] = code::<OrganisationKind>;
        /// `true`: active ones only; `false`: inactive ones only; absent: both.
        active [value_type = Option<bool>] = boolean;
        /// Only the departments directly under this organisation.
        parent_id [value_type = Option<i64>, minimum = 1] = id;
        /// Words in the name or the external id.
        q [max_length = 200] = text;
    }
    sort "^-?(name|kind)$", "`name` (default) or `kind`; a leading `-` for descending.",
    ["name" => OrganisationSort::Name, "kind" => OrganisationSort::Kind],
    default Sort::asc(OrganisationSort::Name)
}

impl CsvRecord for OrganisationDto {
    const HEADERS: &'static [&'static str] = &["id", "name", "kind", "active", "parent_id", "external_id"];
    const CODES: &'static [(&'static str, CodeName)] =
        &[("kind", swedish_name::<utblick_domain::access::OrganisationKind>)];
}

list_of! {
    /// List organisations: filter by kind, activity and parent, search, sort; a page, or all
    /// of them as CSV or JSON.
    fn list_organisations, tag "organisations", path "/organisations", query OrganisationQuery,
    ok "A page of organisations, or with `format` an export of all matching ones.",
    page OrganisationPage of OrganisationDto, action Action::ReadInternal, filter OrganisationFilter,
    count identity::count_organisations, ids identity::organisation_ids, list identity::list_organisations,
    each OrganisationDto::new, file "organisationer"
}

get_one! {
    /// One organisation.
    fn get_organisation, tag "organisations", path "/organisations/{id}", id "The organisation's id.",
    ok "The organisation; the ETag is its version.", body OrganisationDto, action Action::ReadInternal,
    load identity::get_organisation, what "organisation"
}

update_one! {
    /// Change an organisation: a merge patch of name, kind, parent, external id, active.
    /// Organisations are never deleted: deactivate them. Needs `If-Match`.
    fn update_organisation, tag "organisations", path "/organisations/{id}", id "The organisation's id.",
    patch OrganisationPatch, dto OrganisationDto,
    |patch| uc::correct, move |o: &OrganisationRow| {
        let b = patch.apply(&OrganisationUpdate::of(o)?)?;
        Ok(Organisation::parse(&b.name, b.kind, b.parent_id, b.external_id.as_deref(), b.active)?)
    }
}

create_one! {
    /// Register an organisation.
    fn create_organisation, tag "organisations", path "/organisations", body NewOrganisation,
    ok "Registered; the ETag is its version.", dto OrganisationDto,
    |b| o = Organisation::parse(&b.name, b.kind, b.parent_id, b.external_id.as_deref(), true)?,
    |conn, ctx| uc::create(conn, ctx, &o)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_organisations)
        .service(get_organisation)
        .service(create_organisation)
        .service(update_organisation);
}
