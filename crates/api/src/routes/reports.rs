//! The annual report (rule 8): reporting years a coordinator opens, one report per
//! administration and company, its figures summed from the year's activities and projects,
//! its text and corrections, its path (draft → submitted → returned → submitted → approved),
//! and every handed-in version, frozen.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::reports::{self as uc, ReportView, YearRecord};
use utblick_db::models::ReportRecord;
use utblick_domain::can::{self, Can};
use utblick_domain::reminder::{ReminderKind, ReminderStatus};
use utblick_domain::report::{
    Figures, ReportFigure, ReportInput, ReportStatus, ReportWriting, ReportingYear, Totals,
};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::routes::standard::{create_one, get_one, step_one, update_one};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// One organisation's report in a reporting year's overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSummaryDto {
    pub id: i64,
    pub organisation_id: i64,
    /// The organisation's name.
    pub organisation: String,
    #[schema(value_type = schema::ReportStatus)]
    pub status: ReportStatus,
    /// When it was first handed in.
    pub first_submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Days past the deadline: handed in late, or not handed in yet today.
    pub days_late: u32,
    /// The e-mail reminders of this report: who was reminded when.
    pub reminders: Vec<ReminderDto>,
}

/// An e-mail reminder of a report to its organisation's contact persons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderDto {
    #[schema(value_type = schema::ReminderKind)]
    pub kind: ReminderKind,
    #[schema(value_type = schema::ReminderStatus)]
    pub status: ReminderStatus,
    /// The addresses it went to.
    pub recipients: Vec<String>,
    /// When it was sent, or last tried.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Why the mail server did not take it (`failed`).
    pub error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportingYearDto {
    pub id: i64,
    /// The year reported on.
    #[schema(example = 2026)]
    pub year: i32,
    /// The last day to hand reports in.
    pub deadline: NaiveDate,
    /// Every reporting organisation's report, by organisation name.
    pub reports: Vec<ReportSummaryDto>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
}

fn year_dto(y: YearRecord, _who: &Principal) -> Result<ReportingYearDto, ApiError> {
    let today = today();
    let mut reports = Vec::new();
    for (r, organisation) in y.reports {
        let reminders = y
            .reminders
            .iter()
            .filter(|m| m.report_id == r.id)
            .map(|m| {
                Ok(ReminderDto {
                    kind: stored(ReminderKind::parse(&m.kind))?,
                    status: stored(ReminderStatus::parse(&m.status))?,
                    recipients: m
                        .recipients
                        .split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    at: m.sent_at.unwrap_or(m.attempted_at).and_utc(),
                    error: m.error.clone(),
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        reports.push(ReportSummaryDto {
            reminders,
            days_late: uc::days_late(&y.year, &r, today),
            id: r.id,
            organisation_id: r.organisation_id,
            organisation,
            status: stored(ReportStatus::parse(&r.status))?,
            first_submitted_at: r.first_submitted_at.map(|t| t.and_utc()),
        });
    }
    let yr = y.year;
    Ok(ReportingYearDto {
        id: yr.id,
        year: yr.year,
        deadline: yr.deadline,
        reports,
        stored: crate::dto::Stored::of(None, yr.version, yr.created_at, yr.updated_at),
    })
}

fn stored<T>(r: Result<T, utblick_domain::FieldError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::Internal(format!("stored report: {e}")))
}

crate::exec::reply!(YearRecord => ReportingYearDto, |r| r.year.version, year_dto);

/// Sums of activities: how many, working time, money and people.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsDto {
    pub activities: u64,
    /// Hundredths of an hour.
    pub hours: u64,
    /// Öre.
    pub own_cost: i64,
    /// Öre.
    pub external_cost: i64,
    pub women: u64,
    pub men: u64,
    pub participants: u64,
}

impl From<Totals> for TotalsDto {
    fn from(t: Totals) -> Self {
        Self {
            activities: t.activities,
            hours: t.hours,
            own_cost: t.own_cost,
            external_cost: t.external_cost,
            women: t.women,
            men: t.men,
            participants: t.participants,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkKindTotalsDto {
    #[schema(value_type = schema::WorkKind)]
    pub kind: &'static str,
    #[serde(flatten)]
    pub totals: TotalsDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountryCountDto {
    #[schema(value_type = crate::codes::Country)]
    pub country: String,
    /// The year's activities that went to or came from it.
    pub activities: u64,
}

/// A correctable figure: as Utblick sums it, and as reported (the correction's value where
/// the reporter corrected it).
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureDto {
    #[schema(value_type = schema::ReportFigure)]
    pub figure: &'static str,
    pub computed: i64,
    pub reported: i64,
}

/// The year's figures, summed now from the organisation's and its departments' current
/// activities and projects.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresDto {
    pub total: TotalsDto,
    pub by_work_kind: Vec<WorkKindTotalsDto>,
    pub countries: Vec<CountryCountDto>,
    /// The projects worked on in the year (ids).
    pub projects: Vec<i64>,
    /// The figures a reporter may correct, each as computed and as reported.
    pub figures: Vec<FigureDto>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    #[schema(value_type = schema::ReportFigure)]
    pub figure: String,
    /// The figure as it should read (hours in hundredths, money in öre).
    #[schema(minimum = 0, maximum = 9_007_199_254_740_991_i64)]
    pub corrected: i64,
    /// Why (an activity not recorded in Utblick, a cost booked late).
    #[schema(format = "text", min_length = 1, max_length = 4000)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionDto {
    #[schema(value_type = schema::ReportFigure)]
    pub figure: String,
    /// What Utblick summed when the correction was written.
    pub computed: i64,
    pub corrected: i64,
    pub reason: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionBody {
    /// A goal of a goal framework (its id).
    #[schema(minimum = 1)]
    pub goal_id: i64,
    /// How the year's international work helped reach it.
    #[schema(format = "text", min_length = 1, max_length = 4000)]
    pub contribution: String,
}

/// A handed-in version of the report, frozen.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportVersionDto {
    pub number: i32,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// Who handed it in (a person's id).
    pub submitted_by: Option<i64>,
}

/// The same organisation's text of the year before, offered as a start.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastYearDto {
    pub year: i32,
    pub narrative: String,
    pub other_resources: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDto {
    pub id: i64,
    pub reporting_year_id: i64,
    pub year: i32,
    pub deadline: NaiveDate,
    pub organisation_id: i64,
    #[schema(value_type = schema::ReportStatus)]
    pub status: ReportStatus,
    /// What was done, in the organisation's words.
    pub narrative: String,
    /// Resources other than working time and money.
    pub other_resources: String,
    /// The coordinator's comment when it was last returned.
    pub comment: Option<String>,
    pub first_submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Days past the deadline: handed in late, or not handed in yet today.
    pub days_late: u32,
    pub figures: FiguresDto,
    pub corrections: Vec<CorrectionDto>,
    pub contributions: Vec<ContributionBody>,
    /// Every handed-in version, the first first; each is a public record.
    pub versions: Vec<ReportVersionDto>,
    pub last_year: Option<LastYearDto>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now: `edit`, and the moves of `status`.
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

fn figures_dto(f: &Figures, r: &ReportRecord) -> FiguresDto {
    let corrected = |figure: ReportFigure| {
        r.corrections
            .iter()
            .find(|c| c.figure == figure.code())
            .map_or_else(|| f.value(figure), |c| c.corrected)
    };
    FiguresDto {
        total: f.total.into(),
        by_work_kind: f
            .by_work_kind
            .iter()
            .map(|(k, t)| WorkKindTotalsDto { kind: k.code(), totals: (*t).into() })
            .collect(),
        countries: f
            .countries
            .iter()
            .map(|(c, n)| CountryCountDto { country: c.as_str().to_owned(), activities: *n })
            .collect(),
        projects: f.projects.clone(),
        figures: ReportFigure::ALL
            .iter()
            .map(|g| FigureDto { figure: g.code(), computed: f.value(*g), reported: corrected(*g) })
            .collect(),
    }
}

fn report_dto(v: ReportView, who: &Principal) -> Result<ReportDto, ApiError> {
    let figures = figures_dto(&v.figures, &v.record);
    let r = v.record.report;
    Ok(ReportDto {
        can: can::report(who, r.organisation_id, v.status),
        days_late: uc::days_late(&v.year, &r, today()),
        id: r.id,
        reporting_year_id: r.reporting_year_id,
        year: v.year.year,
        deadline: v.year.deadline,
        organisation_id: r.organisation_id,
        status: v.status,
        narrative: r.narrative,
        other_resources: r.other_resources,
        comment: r.comment,
        first_submitted_at: r.first_submitted_at.map(|t| t.and_utc()),
        figures,
        corrections: v
            .record
            .corrections
            .into_iter()
            .map(|c| CorrectionDto {
                figure: c.figure,
                computed: c.computed,
                corrected: c.corrected,
                reason: c.reason,
            })
            .collect(),
        contributions: v
            .record
            .contributions
            .into_iter()
            .map(|c| ContributionBody { goal_id: c.goal_id, contribution: c.contribution })
            .collect(),
        versions: v
            .versions
            .into_iter()
            .map(|x| ReportVersionDto {
                number: x.number,
                submitted_at: x.submitted_at.and_utc(),
                submitted_by: x.submitted_by,
            })
            .collect(),
        last_year: v.last_year.map(|l| LastYearDto {
            year: v.year.year - 1,
            narrative: l.report.narrative,
            other_resources: l.report.other_resources,
        }),
        stored: crate::dto::Stored::of(None, r.version, r.created_at, r.updated_at),
    })
}

crate::exec::reply!(ReportView => ReportDto, |r| r.record.report.version, report_dto);

/// Opening a reporting year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportingYearBody {
    /// The year reported on.
    #[schema(minimum = 2000, maximum = 2199, example = 2026)]
    pub year: i64,
    /// The last day to hand reports in: in the year or the year after it.
    #[schema(example = "2027-02-15")]
    pub deadline: NaiveDate,
}

/// A report's text as written.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    #[schema(format = "optional-text", max_length = 30000)]
    pub narrative: String,
    #[schema(format = "optional-text", max_length = 4000)]
    pub other_resources: String,
    /// Figures corrected by hand, each at most once.
    #[schema(max_items = 6)]
    pub corrections: Vec<CorrectionBody>,
    /// How the work helped reach goals of the goal frameworks, each goal at most once.
    #[schema(max_items = 200)]
    pub contributions: Vec<ContributionBody>,
}

crate::patch_schema!(ReportPatch = ReportBody);

impl ReportBody {
    fn of(v: &ReportView) -> Self {
        let r = &v.record;
        Self {
            narrative: r.report.narrative.clone(),
            other_resources: r.report.other_resources.clone(),
            corrections: r
                .corrections
                .iter()
                .map(|c| CorrectionBody {
                    figure: c.figure.clone(),
                    corrected: c.corrected,
                    reason: c.reason.clone(),
                })
                .collect(),
            contributions: r
                .contributions
                .iter()
                .map(|c| ContributionBody { goal_id: c.goal_id, contribution: c.contribution.clone() })
                .collect(),
        }
    }

    fn writing(self) -> Result<ReportWriting, ValidationErrors> {
        ReportWriting::parse(&ReportInput {
            narrative: self.narrative,
            other_resources: self.other_resources,
            corrections: self.corrections.into_iter().map(|c| (c.figure, c.corrected, c.reason)).collect(),
            contributions: self.contributions.into_iter().map(|c| (c.goal_id, c.contribution)).collect(),
        })
    }
}

/// A move of a report on its path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportStatusChange {
    #[schema(value_type = schema::ReportStatus)]
    pub status: String,
    /// What to correct: needed when the report is returned.
    #[schema(format = "optional-text", max_length = 4000)]
    pub comment: Option<String>,
}

/// Every reporting year with its reports' status and days late, the newest first.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reporting years.", body = Vec<ReportingYearDto>),
        crate::responses::Auth,
    )
)]
#[get("/reporting-years")]
pub async fn list_reporting_years(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
) -> Result<actix_web::HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let years = crate::routes::with_app(&pool, uc::years).await?;
    let dtos = years.into_iter().map(|y| year_dto(y, &caller.principal)).collect::<Result<Vec<_>, _>>()?;
    Ok(actix_web::HttpResponse::Ok().json(dtos))
}

create_one! {
    /// Open a reporting year: a draft report for every active administration and company
    /// (departments report through theirs). Coordinators and administrators may; a year
    /// opens once.
    fn open_reporting_year, tag "reports", path "/reporting-years", body ReportingYearBody,
    ok "Opened; the ETag is its version.", dto ReportingYearDto,
    |body| y = ReportingYear::parse(body.year, body.deadline).map_err(ValidationErrors::from)?, |conn, ctx| uc::open_year(conn, ctx, y)
}

get_one! {
    /// One reporting year with its reports' status and days late.
    fn get_reporting_year, tag "reports", path "/reporting-years/{id}", id "The reporting year's id.",
    ok "The reporting year; the ETag is its version.", body ReportingYearDto, action Action::ReadInternal,
    read uc::year
}

get_one! {
    /// One report: its text, corrections, goal contributions, the figures summed now, its
    /// handed-in versions, and last year's text.
    fn get_report, tag "reports", path "/reports/{id}", id "The report's id.",
    ok "The report; the ETag is its version.", body ReportDto, action Action::ReadInternal,
    read uc::read
}

update_one! {
    /// Write a report's text, corrections and goal contributions: a draft or a returned
    /// report, by its organisation's reporters or a coordinator. A correction keeps the figure
    /// as summed now beside its own value. Needs `If-Match`; a handed-in report never changes
    /// (409 `report_frozen`).
    fn update_report, tag "reports", path "/reports/{id}", id "The report's id.",
    patch ReportPatch, dto ReportDto,
    |patch| uc::write, move |v: &ReportView| Ok(patch.apply(&ReportBody::of(v))?.writing()?)
}

step_one! {
    /// Move a report: `submitted` (its organisation hands it in; the version is frozen as a
    /// public record), `returned` (a coordinator, with a `comment`), `approved` (a
    /// coordinator). Needs `If-Match`.
    fn change_report_status, tag "reports", path "/reports/{id}/status",
    id "The report's id.", etag "The ETag of the report.", body ReportStatusChange,
    ok "Moved; the ETag is the new version.", dto ReportDto,
    |body| (to, comment) = (ReportStatus::parse(&body.status).map_err(ValidationErrors::from)?, body.comment),
    |conn, ctx, id| uc::change_status(conn, ctx, id, to, comment.as_deref())
}

/// A handed-in version's path parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VersionPath {
    /// The report's id.
    #[param(minimum = 1)]
    pub id: i64,
    /// The version's number (1 is the first handing-in).
    #[param(minimum = 1)]
    pub number: i32,
}

/// One handed-in version of a report, as it was frozen: the text, every figure as summed and
/// as reported, the corrections, the goal contributions, the countries and projects.
#[utoipa::path(
    tag = "reports",
    params(VersionPath),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The frozen version.", body = Object),
        crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
    )
)]
#[get("/reports/{id}/versions/{number}")]
pub async fn get_report_version(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    path: actix_web::web::Path<VersionPath>,
) -> Result<actix_web::HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let VersionPath { id, number } = path.into_inner();
    let versions =
        crate::routes::with_conn(&pool, move |conn| utblick_db::reports::report_versions(conn, id)).await?;
    let v = versions
        .into_iter()
        .find(|v| v.number == number)
        .ok_or_else(|| ApiError::NotFound(format!("version {number} of report {id}")))?;
    let mut content: serde_json::Value =
        serde_json::from_str(&v.content).map_err(|e| ApiError::Internal(format!("frozen report: {e}")))?;
    content["number"] = v.number.into();
    content["submitted_at"] = serde_json::json!(v.submitted_at.and_utc());
    content["submitted_by"] = v.submitted_by.into();
    Ok(actix_web::HttpResponse::Ok().json(content))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_reporting_years)
        .service(open_reporting_year)
        .service(get_reporting_year)
        .service(get_report)
        .service(update_report)
        .service(change_report_status)
        .service(get_report_version);
}
