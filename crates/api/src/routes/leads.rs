//! The horizon-scanning log: leads — calls for proposals with their deadlines, trends,
//! legislation, partner requests — that contact persons record; one step makes a lead a
//! project idea; the deadlines of open calls are a calendar feed (iCalendar, RFC 5545) that
//! Outlook and other calendars subscribe to.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::leads::{self as uc, Draft};
use utblick_db::leads::{self as repo, LeadFilter, LeadSort};
use utblick_db::listing::Sort;
use utblick_db::models::LeadRecord;
use utblick_domain::can::{self, Can};
use utblick_domain::lead::{Lead, LeadInput, LeadKind};
use utblick_domain::project::{Project, ProjectInput};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::projects::ProjectDto;
use crate::routes::standard::{archive_one, create_one, get_one, list_of, step_one, update_one};

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadDto {
    pub id: i64,
    #[schema(example = "Erasmus+ KA1 2027")]
    pub title: String,
    #[schema(value_type = schema::LeadKind)]
    pub kind: LeadKind,
    pub description: String,
    /// Where it was found.
    pub source_link: Option<String>,
    /// The last day to apply (calls).
    pub deadline: Option<NaiveDate>,
    /// The funding programme of a call (the catalogue's id).
    pub funding_programme_id: Option<i64>,
    /// The organisation that recorded it.
    pub organisation_id: i64,
    /// Other organisations it concerns (ids).
    pub concerns: Vec<i64>,
    /// The project idea it became, if any.
    pub project_id: Option<i64>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now: `add_work` — make it a project idea.
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

fn dto(r: LeadRecord, who: &Principal) -> Result<LeadDto, ApiError> {
    let l = r.lead;
    let kind = LeadKind::parse(&l.kind).map_err(|e| ApiError::Internal(format!("stored lead: {e}")))?;
    Ok(LeadDto {
        can: can::kept_by(who, l.organisation_id, l.archived_at.is_some(), l.project_id.is_none()),
        id: l.id,
        title: l.title,
        kind,
        description: l.description,
        source_link: l.source_link,
        deadline: l.deadline,
        funding_programme_id: l.funding_programme_id,
        organisation_id: l.organisation_id,
        concerns: r.concerns,
        project_id: l.project_id,
        stored: crate::dto::Stored::of(l.archived_at, l.version, l.created_at, l.updated_at),
    })
}

crate::exec::reply!(LeadRecord => LeadDto, |r| r.lead.version, dto);

/// A lead as written.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadBody {
    #[schema(format = "name", example = "Erasmus+ KA1 2027", min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(value_type = schema::LeadKind)]
    pub kind: String,
    #[schema(format = "text", min_length = 1, max_length = 20000)]
    pub description: String,
    #[schema(format = "link", max_length = 2000)]
    pub source_link: Option<String>,
    /// The last day to apply; a call needs one.
    pub deadline: Option<NaiveDate>,
    pub funding_programme_id: Option<i64>,
    /// The organisation that records it.
    pub organisation_id: i64,
    #[schema(max_items = 100)]
    pub concerns: Vec<i64>,
}

crate::patch_schema!(LeadPatch = LeadBody);

impl LeadBody {
    fn draft(&self) -> Result<Draft, ValidationErrors> {
        let lead = Lead::parse(&LeadInput {
            title: self.title.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            source_link: self.source_link.clone(),
            deadline: self.deadline,
            funding_programme_id: self.funding_programme_id,
            concerns: self.concerns.clone(),
        })?;
        Ok(Draft { organisation_id: self.organisation_id, lead })
    }

    fn of(r: &LeadRecord) -> Self {
        let i = uc::input_of(r);
        Self {
            title: i.title,
            kind: i.kind,
            description: i.description,
            source_link: i.source_link,
            deadline: i.deadline,
            funding_programme_id: i.funding_programme_id,
            organisation_id: r.lead.organisation_id,
            concerns: i.concerns,
        }
    }
}

/// What a lead's project idea needs beyond the lead: its kind of work and how it serves the
/// programme (priority areas, or the programme's two questions).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadToProject {
    #[schema(value_type = schema::WorkKind)]
    pub kind: String,
    #[schema(max_items = 20)]
    pub priority_areas: Vec<i64>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub contribution: Option<String>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub lasting_value: Option<String>,
}

impl LeadToProject {
    /// The idea: the lead's title and description, with this kind and fit.
    fn project(self, lead: &LeadRecord) -> Result<Project, ValidationErrors> {
        Project::parse(&ProjectInput {
            title: lead.lead.title.clone(),
            summary: lead.lead.description.clone(),
            kind: self.kind,
            priority_areas: self.priority_areas,
            contribution: self.contribution,
            lasting_value: self.lasting_value,
            ..ProjectInput::default()
        })
    }
}

list_query! {
    /// Filters, search and order of the horizon-scanning log.
    pub struct LeadQuery => LeadFilter {
        /// Leads of this organisation or concerning it.
        organisation_id [value_type = Option<i64>, minimum = 1] = id;
        kind [value_type = Option<schema::LeadKind>] = code::<LeadKind>;
        /// Only calls still open on this day.
        open_on [value_type = Option<NaiveDate>] = date;
        /// Words in the title or the description.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(recorded|deadline|title)$",
    "`-recorded` (default: newest first), `deadline`, `title`; a leading `-` for descending.",
    ["recorded" => LeadSort::Recorded, "deadline" => LeadSort::Deadline, "title" => LeadSort::Title],
    default Sort::desc(LeadSort::Recorded)
}

impl CsvRecord for LeadDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "title",
        "kind",
        "deadline",
        "organisation_id",
        "source_link",
        "description",
        "project_id",
        "archived_at",
    ];
    const CODES: &'static [(&'static str, CodeName)] = &[("kind", swedish_name::<LeadKind>)];
}

list_of! {
    /// The horizon-scanning log: filter by organisation (its own leads and those that concern
    /// it), kind and open calls; search; sort; a page, or all of them as CSV or JSON.
    fn list_leads, tag "leads", path "/leads", query LeadQuery,
    ok "A page of leads, or with `format` an export of all matching ones.",
    page LeadPage of LeadDto, action Action::ReadInternal, filter LeadFilter,
    count repo::count_leads, ids repo::lead_ids, list repo::list_leads,
    each dto, file "omvarldsbevakning"
}

create_one! {
    /// Record a lead. The organisation's reporters, coordinators and administrators may.
    fn create_lead, tag "leads", path "/leads", body LeadBody,
    ok "Recorded; the ETag is its version.", dto LeadDto,
    |body| d = body.draft()?, |conn, ctx| uc::create(conn, ctx, &d)
}

get_one! {
    /// One lead.
    fn get_lead, tag "leads", path "/leads/{id}", id "The lead's id.",
    ok "The lead; the ETag is its version.", body LeadDto, action Action::ReadInternal,
    load repo::get_lead, what "lead"
}

update_one! {
    /// Correct a lead. Needs `If-Match`.
    fn update_lead, tag "leads", path "/leads/{id}", id "The lead's id.",
    patch LeadPatch, dto LeadDto,
    |patch| uc::correct, move |r: &LeadRecord| Ok(patch.apply(&LeadBody::of(r))?.draft()?)
}

step_one! {
    /// Make the lead a project idea of its organisation: the idea takes the lead's title and
    /// description; the lead keeps the link. Needs the lead's `If-Match`; answers with the
    /// new project (its own ETag).
    fn lead_to_project, tag "leads", path "/leads/{id}/project",
    id "The lead's id.", etag "The ETag of the lead.", body LeadToProject,
    ok "The project idea; the ETag is its version.", dto ProjectDto,
    |body| b = body,
    |conn, ctx, id| {
        let lead = uc::load(conn, id)?;
        let project = b.project(&lead)?;
        uc::to_project(conn, ctx, id, &project)
    }
}

archive_one! {
    /// Archive (or, with `restore`, bring back) a lead. Needs `If-Match`.
    fn archive_lead, tag "leads", path "/leads/{id}/archive",
    id "The lead's id.", body LeadDto, kind uc::ARCHIVE
}

/// The calendar's filter: one organisation's open calls (its own and those that concern it),
/// or all.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// Only the calls of this organisation or concerning it.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub organisation_id: Option<String>,
    /// An API token with the `read` scope, for calendar programs that cannot send an
    /// `Authorization` header (Outlook's "subscribe from web"). Make one token for each
    /// subscription, and revoke it when it is no longer used.
    pub key: Option<String>,
}

/// The deadlines of open calls in the horizon-scanning log and of the annual report as an
/// iCalendar feed (RFC 5545): one all-day event on each call's last day, with the lead's
/// description and source, and one on each open reporting year's deadline.
/// Subscribe to it from Outlook with `?key=<API token>`.
#[utoipa::path(
    tag = "leads",
    params(CalendarQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The calendar.", content_type = "text/calendar", body = String),
        crate::responses::BadRequest, crate::responses::Auth,
    )
)]
#[get("/calendars/open-calls.ics")]
pub async fn leads_calendar(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    query: actix_web::web::Query<CalendarQuery>,
) -> Result<actix_web::HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let mut p = crate::routes::common::QueryParams::new();
    let organisation_id = p.id("organisation_id", query.organisation_id.as_deref());
    p.finish()?;
    let today = chrono::Utc::now().date_naive();
    let filter = LeadFilter {
        organisation_id,
        open_on: Some(today),
        sort: Sort::asc(LeadSort::Deadline),
        ..LeadFilter::default()
    };
    let (leads, years) = crate::routes::with_conn(&pool, move |conn| {
        let leads = repo::all_leads(conn, &filter, 5_000)?;
        let mut years = utblick_db::reports::list_reporting_years(conn)?;
        years.retain(|y| y.deadline >= today);
        Ok((leads, years))
    })
    .await?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", "inline; filename=\"utlysningar.ics\""))
        .body(crate::calendar::deadlines(&leads, &years)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(leads_calendar)
        .service(list_leads)
        .service(create_lead)
        .service(get_lead)
        .service(update_lead)
        .service(lead_to_project)
        .service(archive_lead);
}
