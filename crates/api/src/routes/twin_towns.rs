//! Twin towns (vänorter, rule 6): proposed → active → dormant → ended. Becoming active and
//! ending need a decision of the council, taken from the decisions register.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::twin_towns as uc;
use utblick_db::listing::Sort;
use utblick_db::models::TwinTownRow;
use utblick_db::twin_towns::{self as repo, TwinTownFilter, TwinTownSort};
use utblick_domain::can::{self, Can};
use utblick_domain::governance::{TwinTown, TwinTownStatus};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::standard::{archive_one, create_one, get_one, list_of, step_one, update_one};

#[derive(Debug, Serialize, ToSchema)]
pub struct TwinTownDto {
    pub id: i64,
    #[schema(example = "Nowogard")]
    pub town: String,
    /// ISO 3166-1 alpha-2.
    #[schema(value_type = crate::codes::Country)]
    pub country: String,
    #[schema(example = "Västpommern")]
    pub region: Option<String>,
    /// Twinned since (set from the council's decision when it becomes active).
    pub since: Option<NaiveDate>,
    #[schema(value_type = schema::TwinTownStatus)]
    pub status: TwinTownStatus,
    /// The council's decision behind the latest change of status, if it needed one.
    pub status_decision_id: Option<i64>,

    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl TwinTownDto {
    fn new(t: TwinTownRow, who: &Principal) -> Result<Self, ApiError> {
        let status = TwinTownStatus::parse(&t.status).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Self {
            id: t.id,
            town: t.town,
            country: t.country,
            region: t.region,
            since: t.since,
            status,
            status_decision_id: t.status_decision_id,
            stored: crate::dto::Stored::of(t.archived_at, t.version, t.created_at, t.updated_at),
            can: can::twin_town(who, status, t.archived_at.is_some()),
        })
    }
}

/// A twin town's description (its status changes with its own operation).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwinTownBody {
    #[schema(format = "name", example = "Nowogard", min_length = 1, max_length = 200)]
    pub town: String,
    /// ISO 3166-1 alpha-2, e.g. PL.
    #[schema(value_type = crate::codes::Country)]
    pub country: String,
    #[schema(format = "optional-name", example = "Västpommern", max_length = 200)]
    pub region: Option<String>,
    pub since: Option<NaiveDate>,
}

crate::patch_schema!(TwinTownPatch = TwinTownBody);

impl TwinTownBody {
    fn twin_town(&self) -> Result<TwinTown, ValidationErrors> {
        TwinTown::parse(&self.town, &self.country, self.region.as_deref(), self.since)
    }

    fn of(t: &TwinTownRow) -> Self {
        Self { town: t.town.clone(), country: t.country.clone(), region: t.region.clone(), since: t.since }
    }
}

crate::exec::reply!(TwinTownRow => TwinTownDto, |r| r.version, TwinTownDto::new);

/// A change of status, with the council's decision from the register when the change
/// needs one (becoming active, ending).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwinTownStatusChange {
    #[schema(value_type = schema::TwinTownStatus)]
    pub status: TwinTownStatus,
    /// The id of the decision in the decisions register.
    pub decision_id: Option<i64>,
}

list_query! {
    /// Filters, search and order of the twin towns.
    pub struct TwinTownQuery => TwinTownFilter {
        status [value_type = Option<schema::TwinTownStatus>] = code::<TwinTownStatus>;
        /// ISO 3166-1 alpha-2.
        country [value_type = Option<crate::codes::Country>] = country;
        /// Words in the town, the region or the country code.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(town|country|since|status)$",
    "`town` (default), `country`, `since` or `status`; a leading `-` for descending.",
    ["town" => TwinTownSort::Town, "country" => TwinTownSort::Country, "since" => TwinTownSort::Since,
     "status" => TwinTownSort::Status],
    default Sort::asc(TwinTownSort::Town)
}

impl CsvRecord for TwinTownDto {
    const HEADERS: &'static [&'static str] =
        &["id", "town", "country", "region", "since", "status", "status_decision_id", "archived_at"];
    const CODES: &'static [(&'static str, CodeName)] = &[("status", swedish_name::<TwinTownStatus>)];
}

list_of! {
    /// List twin towns by name: filter by status and country, search town and region; a
    /// page, or all of them as CSV or JSON.
    fn list_twin_towns, tag "twin-towns", path "/twin-towns", query TwinTownQuery,
    ok "A page of twin towns, or with `format` an export of all matching ones.",
    page TwinTownPage of TwinTownDto, action Action::ReadInternal, filter TwinTownFilter,
    count repo::count_twin_towns, ids repo::twin_town_ids, list repo::list_twin_towns,
    each TwinTownDto::new, file "vanorter"
}

create_one! {
    /// Propose a twin town. It starts as `proposed`; the council's decision makes it active.
    fn create_twin_town, tag "twin-towns", path "/twin-towns", body TwinTownBody,
    ok "Proposed; the ETag is its version.", dto TwinTownDto,
    |body| t = body.twin_town()?, |conn, ctx| uc::create(conn, ctx, &t)
}

get_one! {
    /// One twin town.
    fn get_twin_town, tag "twin-towns", path "/twin-towns/{id}", id "The twin town's id.",
    ok "The twin town; the ETag is its version.", body TwinTownDto, action Action::ReadInternal,
    load repo::get_twin_town, what "twin town"
}

update_one! {
    /// Correct a twin town's description: a merge patch of the fields to change. Needs
    /// `If-Match`.
    fn update_twin_town, tag "twin-towns", path "/twin-towns/{id}", id "The twin town's id.",
    patch TwinTownPatch, dto TwinTownDto,
    |patch| uc::correct, move |t: &TwinTownRow| Ok(patch.apply(&TwinTownBody::of(t))?.twin_town()?)
}

step_one! {
    /// Change a twin town's status. Becoming active and ending need a decision of the council
    /// (`decision_id` from the decisions register); becoming active sets `since` to the day of
    /// the decision if it was not set. Needs `If-Match`.
    fn change_twin_town_status, tag "twin-towns", path "/twin-towns/{id}/status", id "The twin town's id.",
    etag "The ETag of the version you change.", body TwinTownStatusChange,
    ok "Changed; the ETag is the new version.", dto TwinTownDto,
    |body| TwinTownStatusChange { status, decision_id } = body,
    |conn, ctx, id| uc::change_status(conn, ctx, id, status, decision_id)
}

archive_one! {
    /// Archive a twin town or, with `restore`, bring it back. Needs `If-Match`.
    fn archive_twin_town, tag "twin-towns", path "/twin-towns/{id}/archive", id "The twin town's id.",
    body TwinTownDto, kind uc::ARCHIVE
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_twin_towns)
        .service(create_twin_town)
        .service(get_twin_town)
        .service(update_twin_town)
        .service(change_twin_town_status)
        .service(archive_twin_town);
}
