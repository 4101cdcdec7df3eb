//! Activities — what the annual report counts: conferences, study visits and network
//! meetings (horizon scanning); delegations, fairs and representation (positioning);
//! exchanges, project meetings and staff mobility (development) — with the people, hours and
//! money they took; and the elected officials who represent the municipality at visits.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::activities::{self as uc, Draft};
use utblick_db::activities::{self as repo, ActivityFilter, ActivitySort};
use utblick_db::listing::Sort;
use utblick_db::models::{ActivityRecord, OfficialRow};
use utblick_domain::activity::{Activity, ActivityInput, ActivityKind, Organiser};
use utblick_domain::can::{self, Can};
use utblick_domain::lead::Official;
use utblick_domain::programme::{Body, WorkKind};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::standard::{archive_one, create_one, get_one, import_into, list_of, step_one, update_one};

fn stored<T>(r: Result<T, utblick_domain::FieldError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::Internal(format!("stored value breaks a rule: {e}")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: i64,
    /// The id it was imported under, if any.
    pub external_id: Option<String>,
    #[schema(example = "Studiebesök i Lyngby")]
    pub title: String,
    #[schema(value_type = schema::ActivityKind)]
    pub kind: ActivityKind,
    /// The kind of international work it is (from its kind).
    #[schema(value_type = schema::WorkKind)]
    pub work_kind: WorkKind,
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// ISO 3166-1 alpha-2 codes, in the order given.
    #[schema(value_type = Vec<crate::codes::Country>)]
    pub countries: Vec<String>,
    #[schema(value_type = schema::Organiser)]
    pub organiser: Organiser,
    /// Participants: women and men as counted, and the total (which also counts those not
    /// counted by gender).
    pub women: i32,
    pub men: i32,
    pub total: i32,
    /// Working time in hundredths of an hour.
    pub hours: i64,
    /// Own cost in öre.
    pub own_cost: i64,
    /// Cost covered from outside, in öre.
    pub external_cost: i64,
    pub other_resources: Option<String>,
    pub outcome: Option<String>,
    /// The elected officials who represented the municipality (ids).
    pub representatives: Vec<i64>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

fn dto(r: ActivityRecord, who: &Principal) -> Result<ActivityDto, ApiError> {
    let a = r.activity;
    let kind = stored(ActivityKind::parse(&a.kind))?;
    Ok(ActivityDto {
        can: can::kept_by(who, a.organisation_id, a.archived_at.is_some(), false),
        id: a.id,
        external_id: a.external_id,
        title: a.title,
        kind,
        work_kind: kind.work_kind(),
        organisation_id: a.organisation_id,
        project_id: a.project_id,
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        countries: r.countries,
        organiser: stored(Organiser::parse(&a.organiser))?,
        women: a.women,
        men: a.men,
        total: a.total,
        hours: a.hours,
        own_cost: a.own_cost,
        external_cost: a.external_cost,
        other_resources: a.other_resources,
        outcome: a.outcome,
        representatives: r.representatives,
        stored: crate::dto::Stored::of(a.archived_at, a.version, a.created_at, a.updated_at),
    })
}

crate::exec::reply!(ActivityRecord => ActivityDto, |r| r.activity.version, dto);

/// An activity as written.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    #[schema(format = "name", example = "Studiebesök i Lyngby", min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(value_type = schema::ActivityKind)]
    pub kind: String,
    /// The organisation whose activity it is (rule 7).
    pub organisation_id: i64,
    pub project_id: Option<i64>,
    /// An id of your own (for imports): 1–64 letters, digits, dots, hyphens, underscores.
    #[schema(format = "external-id", max_length = 64)]
    pub external_id: Option<String>,
    pub starts_on: NaiveDate,
    /// The last day; a one-day activity may leave it out.
    pub ends_on: Option<NaiveDate>,
    #[schema(value_type = Vec<crate::codes::Country>, max_items = 60)]
    pub countries: Vec<String>,
    #[schema(value_type = schema::Organiser)]
    pub organiser: String,
    #[schema(minimum = 0, maximum = 100_000)]
    pub women: i64,
    #[schema(minimum = 0, maximum = 100_000)]
    pub men: i64,
    #[schema(minimum = 0, maximum = 100_000)]
    pub total: i64,
    /// Working time in hundredths of an hour (2,5 h is 250).
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub hours: i64,
    /// Own cost in öre.
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub own_cost: i64,
    /// Cost covered from outside, in öre.
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub external_cost: i64,
    /// Other resources, in words (premises, lent staff, …).
    #[schema(format = "optional-text", max_length = 20000)]
    pub other_resources: Option<String>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub outcome: Option<String>,
    /// Elected officials who represented the municipality (ids).
    #[schema(max_items = 50)]
    pub representatives: Vec<i64>,
}

crate::patch_schema!(ActivityPatch = ActivityBody);

impl ActivityBody {
    fn draft(&self) -> Result<Draft, ValidationErrors> {
        let activity = Activity::parse(&ActivityInput {
            title: self.title.clone(),
            kind: self.kind.clone(),
            starts_on: Some(self.starts_on),
            ends_on: self.ends_on,
            countries: self.countries.clone(),
            organiser: self.organiser.clone(),
            women: self.women,
            men: self.men,
            total: self.total,
            hour_hundredths: self.hours,
            own_cost_ore: self.own_cost,
            external_cost_ore: self.external_cost,
            other_resources: self.other_resources.clone(),
            outcome: self.outcome.clone(),
        })?;
        let external_id = utblick_domain::organisation::parse_external_id(self.external_id.as_deref())
            .map_err(ValidationErrors::from)?;
        Ok(Draft {
            organisation_id: self.organisation_id,
            project_id: self.project_id,
            external_id,
            representatives: self.representatives.clone(),
            activity,
        })
    }

    fn of(r: &ActivityRecord) -> Self {
        let i = uc::input_of(r);
        Self {
            title: i.title,
            kind: i.kind,
            organisation_id: r.activity.organisation_id,
            project_id: r.activity.project_id,
            external_id: r.activity.external_id.clone(),
            starts_on: i.starts_on.unwrap_or_default(),
            ends_on: i.ends_on,
            countries: i.countries,
            organiser: i.organiser,
            women: i.women,
            men: i.men,
            total: i.total,
            hours: i.hour_hundredths,
            own_cost: i.own_cost_ore,
            external_cost: i.external_cost_ore,
            other_resources: i.other_resources,
            outcome: i.outcome,
            representatives: r.representatives.clone(),
        }
    }
}

list_query! {
    /// Filters, search and order of the activity register.
    pub struct ActivityQuery => ActivityFilter {
        organisation_id [value_type = Option<i64>, minimum = 1] = id;
        project_id [value_type = Option<i64>, minimum = 1] = id;
        kind [value_type = Option<schema::ActivityKind>] = code::<ActivityKind>;
        /// Activities of one kind of international work.
        work_kind [value_type = Option<schema::WorkKind>] = kinds_of_work;
        /// Activities in this country.
        country [value_type = Option<crate::codes::Country>] = country;
        /// Activities that start in this year.
        year [value_type = Option<i32>, minimum = 1900, maximum = 2199] = year;
        /// Words in the title, the outcome, the other resources or the external id.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(starts_on|title|kind)$",
    "`-starts_on` (default: newest first), `starts_on`, `title` or `kind`; a leading `-` for descending.",
    ["starts_on" => ActivitySort::StartsOn, "title" => ActivitySort::Title, "kind" => ActivitySort::Kind],
    default Sort::desc(ActivitySort::StartsOn)
}

impl CsvRecord for ActivityDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "external_id",
        "title",
        "kind",
        "work_kind",
        "organisation_id",
        "project_id",
        "starts_on",
        "ends_on",
        "countries",
        "organiser",
        "women",
        "men",
        "total",
        "hours",
        "own_cost",
        "external_cost",
        "other_resources",
        "outcome",
        "representatives",
        "archived_at",
    ];
    const CODES: &'static [(&'static str, CodeName)] = &[
        ("kind", swedish_name::<ActivityKind>),
        ("work_kind", swedish_name::<WorkKind>),
        ("organiser", swedish_name::<Organiser>),
    ];
    const HUNDREDTHS: &'static [&'static str] = &["hours", "own_cost", "external_cost"];
}

list_of! {
    /// The activity register: filter by organisation, project, kind or kind of work,
    /// country and year; search; sort; a page, or all of them as CSV or JSON.
    fn list_activities, tag "activities", path "/activities", query ActivityQuery,
    ok "A page of activities, or with `format` an export of all matching ones.",
    page ActivityPage of ActivityDto, action Action::ReadInternal, filter ActivityFilter,
    count repo::count_activities, ids repo::activity_ids, list repo::list_activities,
    each dto, file "aktiviteter"
}

create_one! {
    /// Record an activity. The organisation's reporters, coordinators and administrators may.
    fn create_activity, tag "activities", path "/activities", body ActivityBody,
    ok "Recorded; the ETag is its version.", dto ActivityDto,
    |body| d = body.draft()?, |conn, ctx| uc::create(conn, ctx, &d)
}

get_one! {
    /// One activity.
    fn get_activity, tag "activities", path "/activities/{id}", id "The activity's id.",
    ok "The activity; the ETag is its version.", body ActivityDto, action Action::ReadInternal,
    load repo::get_activity, what "activity"
}

update_one! {
    /// Correct an activity: a merge patch of the fields to change (lists are replaced as a
    /// whole). Needs `If-Match`.
    fn update_activity, tag "activities", path "/activities/{id}", id "The activity's id.",
    patch ActivityPatch, dto ActivityDto,
    |patch| uc::correct, move |r: &ActivityRecord| Ok(patch.apply(&ActivityBody::of(r))?.draft()?)
}

archive_one! {
    /// Archive (or, with `restore`, bring back) an activity. Needs `If-Match`.
    fn archive_activity, tag "activities", path "/activities/{id}/archive",
    id "The activity's id.", body ActivityDto, kind uc::ARCHIVE
}

// --- Import ------------------------------------------------------------------------------

impl ActivityBody {
    /// A row of an import file as the body the API takes (by column key).
    fn of_row(r: &mut crate::import::Row) -> Self {
        Self {
            title: r.text("title"),
            kind: r.code::<ActivityKind>("kind"),
            organisation_id: r.reference("organisation_id", |n| &n.organisations).unwrap_or(0),
            project_id: r.id("project_id"),
            external_id: r.optional("external_id"),
            starts_on: r.required_date("starts_on"),
            ends_on: r.date("ends_on"),
            countries: r.countries("countries"),
            organiser: r.code::<Organiser>("organiser"),
            women: r.integer("women"),
            men: r.integer("men"),
            total: r.integer("total"),
            hours: r.hundredths("hours"),
            own_cost: r.hundredths("own_cost"),
            external_cost: r.hundredths("external_cost"),
            other_resources: r.optional("other_resources"),
            outcome: r.optional("outcome"),
            representatives: r.references("representatives", |n| &n.officials),
        }
    }
}

/// The import of this register (`fuzz/` reads files with it too).
pub const IMPORT: crate::import::Importer<uc::Activities, ActivityBody> = crate::import::Importer {
    columns: ActivityDto::HEADERS,
    of_row: ActivityBody::of_row,
    draft: |body, _| body.draft(),
};

import_into! {
    /// Import activities from the CSV or XLSX format of the export (for scripts or for people):
    /// by external id each row is created, corrected or left as it is; all or nothing — a file
    /// with bad rows stores nothing, and the answer names every bad row and field
    /// (`rows[N].field`, N the row's number in the file); `?dry_run=true` stores nothing either
    /// way and says what the import would do.
    fn import_activities, tag "activities", path "/imports/activities", importer IMPORT
}

// --- Elected officials -------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficialDto {
    pub id: i64,
    #[schema(example = "Anna Ek")]
    pub name: String,
    /// The office held, in words.
    #[schema(example = "Kommunstyrelsens ordförande")]
    pub office: String,
    #[schema(value_type = schema::Body)]
    pub body: Body,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
    /// Appointed by the council with special responsibility for international matters.
    pub international: bool,
    /// The council's decision of that appointment.
    pub international_decision_id: Option<i64>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl OfficialDto {
    fn new(o: OfficialRow, who: &Principal) -> Result<Self, ApiError> {
        Ok(Self {
            can: can::decision(who, o.archived_at.is_some()),
            body: stored(Body::parse(&o.body))?,
            id: o.id,
            name: o.name,
            office: o.office,
            term_from: o.term_from,
            term_to: o.term_to,
            international: o.international_decision_id.is_some(),
            international_decision_id: o.international_decision_id,
            stored: crate::dto::Stored::of(o.archived_at, o.version, o.created_at, o.updated_at),
        })
    }
}

crate::exec::reply!(OfficialRow => OfficialDto, |r| r.version, OfficialDto::new);

/// An elected official as written.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficialBody {
    #[schema(format = "name", example = "Anna Ek", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(format = "name", example = "Kommunstyrelsens ordförande", min_length = 1, max_length = 200)]
    pub office: String,
    #[schema(value_type = schema::Body)]
    pub body: String,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

crate::patch_schema!(OfficialPatch = OfficialBody);

impl OfficialBody {
    fn parse(&self) -> Result<Official, ValidationErrors> {
        Official::parse(&self.name, &self.office, &self.body, self.term_from, self.term_to)
    }

    fn of(o: &OfficialRow) -> Self {
        Self {
            name: o.name.clone(),
            office: o.office.clone(),
            body: o.body.clone(),
            term_from: o.term_from,
            term_to: o.term_to,
        }
    }
}

/// The council's appointment of the official for international matters.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    /// The council's decision in the register.
    pub decision_id: i64,
}

/// The elected officials, in Swedish order of name (a few dozen: no paging); `?all=true`
/// includes those archived.
#[utoipa::path(
    tag = "activities",
    params(("all" = Option<bool>, Query, description = "Include archived officials.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The officials.", body = Vec<OfficialDto>),
        crate::responses::BadRequest, crate::responses::Auth,
    )
)]
#[get("/officials")]
pub async fn list_officials(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    query: actix_web::web::Query<crate::routes::common::AllQuery>,
) -> Result<actix_web::HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let all = query.all()?;
    let rows = crate::routes::with_conn(&pool, move |conn| repo::list_officials(conn, all)).await?;
    let list =
        rows.into_iter().map(|r| OfficialDto::new(r, &caller.principal)).collect::<Result<Vec<_>, _>>()?;
    Ok(actix_web::HttpResponse::Ok().json(list))
}

create_one! {
    /// Record an elected official (coordinators and administrators).
    fn create_official, tag "activities", path "/officials", body OfficialBody,
    ok "Recorded; the ETag is its version.", dto OfficialDto,
    |body| o = body.parse()?, |conn, ctx| uc::add_official(conn, ctx, &o)
}

update_one! {
    /// Correct an elected official. Needs `If-Match`.
    fn update_official, tag "activities", path "/officials/{id}", id "The official's id.",
    patch OfficialPatch, dto OfficialDto,
    |patch| uc::correct_official, move |o: &OfficialRow| Ok(patch.apply(&OfficialBody::of(o))?.parse()?)
}

step_one! {
    /// The council appoints this official with special responsibility for international
    /// matters (one at a time: whoever held it no longer does). Needs the council's decision
    /// from the register and `If-Match`.
    fn appoint_official, tag "activities", path "/officials/{id}/international",
    id "The official's id.", etag "The ETag of the version you change.", body Appointment,
    ok "Appointed; the ETag is the new version.", dto OfficialDto,
    |body| decision_id = body.decision_id,
    |conn, ctx, id| uc::appoint_international(conn, ctx, id, decision_id)
}

archive_one! {
    /// Archive (or, with `restore`, bring back) an official who has left office. Needs
    /// `If-Match`.
    fn archive_official, tag "activities", path "/officials/{id}/archive",
    id "The official's id.", body OfficialDto, kind uc::ARCHIVE_OFFICIAL
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_activities)
        .service(import_activities)
        .service(create_activity)
        .service(get_activity)
        .service(update_activity)
        .service(archive_activity)
        .service(list_officials)
        .service(create_official)
        .service(update_official)
        .service(appoint_official)
        .service(archive_official);
}
