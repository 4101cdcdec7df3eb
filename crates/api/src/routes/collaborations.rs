//! International collaborations and network memberships (rule 6): owned by one
//! organisation; a collaboration becomes active only with the council's decision; a
//! network membership records who represents the municipality.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::collaborations::{self as uc, Draft, Record};
use utblick_db::collaborations::{self as repo, CollaborationFilter, CollaborationSort};
use utblick_db::listing::Sort;
use utblick_db::models::{CollaborationRow, PartnerRow};
use utblick_domain::can::{self, Can};
use utblick_domain::governance::{
    Collaboration, CollaborationInput, CollaborationKind, CollaborationStatus, PartnerKind,
};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::standard::{archive_one, create_one, get_one, list_of, step_one, update_one};

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerDto {
    #[schema(example = "Eurocities")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(value_type = crate::codes::Country)]
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

    #[serde(flatten)]
    pub stored: crate::dto::Stored,
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
        stored: crate::dto::Stored::of(c.archived_at, c.version, c.created_at, c.updated_at),
    })
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerBody {
    #[schema(format = "name", example = "Eurocities", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = crate::codes::Country)]
    pub country: String,
    #[schema(value_type = schema::PartnerKind)]
    pub kind: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollaborationBody {
    #[schema(value_type = schema::CollaborationKind)]
    pub kind: String,
    #[schema(format = "name", example = "Nordiskt skolsamarbete", min_length = 1, max_length = 200)]
    pub name: String,
    /// The organisation that owns the work (rule 7).
    pub owner_organisation_id: i64,
    #[schema(format = "text", min_length = 1, max_length = 20000)]
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

crate::exec::reply!(Record => CollaborationDto, |r| r.0.version, dto);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollaborationStatusChange {
    /// The new status: `active` (with the council's decision) or `ended`.
    #[schema(value_type = schema::CollaborationStatus)]
    pub status: String,
    /// The council's decision (from the register) that makes it active.
    pub decision_id: Option<i64>,
}

list_query! {
    /// Filters, search and order of the collaborations.
    pub struct CollaborationQuery => CollaborationFilter {
        kind [value_type = Option<schema::CollaborationKind>] = code::<CollaborationKind>;
        status [value_type = Option<schema::CollaborationStatus>] = code::<CollaborationStatus>;
        owner_organisation_id [value_type = Option<i64>, minimum = 1] = id;
        /// Words in the name, the purpose or a partner's name.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(name|period_from|period_to|status)$",
    "`name` (default), `period_from`, `period_to` or `status`; a leading `-` for descending.",
    ["name" => CollaborationSort::Name, "period_from" => CollaborationSort::PeriodFrom,
     "period_to" => CollaborationSort::PeriodTo, "status" => CollaborationSort::Status],
    default Sort::asc(CollaborationSort::Name)
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
    const CODES: &'static [(&'static str, CodeName)] = &[
        ("kind", swedish_name::<CollaborationKind>),
        ("status", swedish_name::<CollaborationStatus>),
        ("partners.kind", swedish_name::<PartnerKind>),
    ];
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

create_one! {
    /// Record a proposed collaboration or network membership. The owning organisation's
    /// reporters, coordinators and administrators may.
    fn create_collaboration, tag "collaborations", path "/collaborations", body CollaborationBody,
    ok "Recorded as proposed; the ETag is its version.", dto CollaborationDto,
    |body| d = body.draft()?, |conn, ctx| uc::create(conn, ctx, &d)
}

get_one! {
    /// One collaboration with its partners.
    fn get_collaboration, tag "collaborations", path "/collaborations/{id}", id "The collaboration's id.",
    ok "The collaboration; the ETag is its version.", body CollaborationDto, action Action::ReadInternal,
    load repo::get_collaboration, what "collaboration"
}

update_one! {
    /// Change a collaboration's description and partners: a merge patch of the fields to
    /// change (`partners` is replaced as a whole). Needs `If-Match`.
    fn update_collaboration, tag "collaborations", path "/collaborations/{id}", id "The collaboration's id.",
    patch CollaborationPatch, dto CollaborationDto,
    |patch| uc::correct, move |r: &Record| Ok(patch.apply(&CollaborationBody::of(r))?.draft()?)
}

step_one! {
    /// Change a collaboration's status: becoming active needs the council's decision from the
    /// register; ending does not. Coordinators and administrators. Needs `If-Match`.
    fn change_collaboration_status, tag "collaborations", path "/collaborations/{id}/status",
    id "The collaboration's id.", etag "The ETag of the version you change.", body CollaborationStatusChange,
    ok "Changed; the ETag is the new version.", dto CollaborationDto,
    |body| (to, decision_id) = (CollaborationStatus::parse(&body.status).map_err(ValidationErrors::from)?, body.decision_id),
    |conn, ctx, id| uc::change_status(conn, ctx, id, to, decision_id)
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
