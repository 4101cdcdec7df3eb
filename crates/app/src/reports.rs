//! The annual report (rule 8): a coordinator opens a reporting year, which creates a report
//! for every reporting organisation; the organisation writes it from the figures Utblick sums
//! from its activities and projects (correcting a figure by hand keeps both values and the
//! reason) and hands it in; each handing-in is frozen as a numbered version, a public record;
//! the coordinator returns it with a comment or approves it.

use chrono::NaiveDate;
use utblick_db::DbConn;
use utblick_db::models::{ReportRecord, ReportRow, ReportText, ReportVersionRow, ReportingYearRow};
use utblick_db::reports::{self as repo, ActivityFactsRow};
use utblick_domain::activity::{ActivityKind, Hours};
use utblick_domain::country::CountryCode;
use utblick_domain::error::Collector;
use utblick_domain::money::Sek;
use utblick_domain::programme::WorkKind;
use utblick_domain::project::ProjectStatus;
use utblick_domain::report::{
    ActivityFacts, Correction, Figures, OrganisationFacts, ProjectFacts, ReportFigure, ReportStatus,
    ReportWriting, ReportingYear, reporters, reporting_unit,
};
use utblick_domain::{Action, FieldError, OrganisationKind, Principal};

use crate::{AppError, Ctx, Done, Event, refs, stored};

const ENTITY: &str = "report";

/// A reporting year with its reports, in the Swedish order of their organisations' names.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRecord {
    pub year: ReportingYearRow,
    /// Each report with its organisation's name.
    pub reports: Vec<(ReportRow, String)>,
    /// Every reminder sent (or tried) for the year's reports, in the order attempted.
    pub reminders: Vec<utblick_db::reminders::ReminderRow>,
}

fn with_names(
    conn: &mut DbConn,
    year: ReportingYearRow,
    reports: Vec<ReportRow>,
) -> Result<YearRecord, AppError> {
    let organisations = utblick_db::identity::list_organisations(conn, &Default::default(), 0, u32::MAX)?;
    let mut named: Vec<(ReportRow, String)> = reports
        .into_iter()
        .map(|r| {
            let name = organisations.iter().find(|o| o.id == r.organisation_id).map(|o| o.name.clone());
            (r, name.unwrap_or_default())
        })
        .collect();
    named.sort_by(|a, b| utblick_domain::text::swedish_cmp(&a.1, &b.1));
    let reminders = utblick_db::reminders::of_year(conn, year.id)?;
    Ok(YearRecord { year, reports: named, reminders })
}

/// A report as it is read: its text, its year, the figures summed now, and every frozen
/// version.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub record: ReportRecord,
    pub year: ReportingYearRow,
    pub status: ReportStatus,
    pub figures: Figures,
    pub versions: Vec<ReportVersionRow>,
    /// The same organisation's report of the year before, if any: its text is offered as a
    /// start.
    pub last_year: Option<ReportRecord>,
}

/// The organisations that report (active administrations and companies), as (id, name), in
/// Swedish order.
pub fn reporting_organisations(conn: &mut DbConn) -> Result<Vec<(i64, String)>, AppError> {
    let rows = utblick_db::identity::list_organisations(conn, &Default::default(), 0, u32::MAX)?;
    let mut out: Vec<(i64, String)> = reporters(&organisation_facts_of(&rows)?)
        .into_iter()
        .filter_map(|id| rows.iter().find(|o| o.id == id).map(|o| (o.id, o.name.clone())))
        .collect();
    out.sort_by(|a, b| utblick_domain::text::swedish_cmp(&a.1, &b.1));
    Ok(out)
}

fn organisation_facts(conn: &mut DbConn) -> Result<Vec<OrganisationFacts>, AppError> {
    let rows = utblick_db::identity::list_organisations(conn, &Default::default(), 0, u32::MAX)?;
    organisation_facts_of(&rows)
}

/// The organisations as the reporting year sees them.
pub(crate) fn organisation_facts_of(
    rows: &[utblick_db::models::OrganisationRow],
) -> Result<Vec<OrganisationFacts>, AppError> {
    rows.iter()
        .map(|o| {
            let kind = stored(OrganisationKind::parse(&o.kind))?;
            Ok(OrganisationFacts { id: o.id, kind, parent_id: o.parent_id, active: o.active })
        })
        .collect()
}

/// Opens a reporting year: one draft report for every reporting organisation (active
/// administrations and companies; departments report through theirs). A year opens once.
pub fn open_year(conn: &mut DbConn, ctx: &Ctx, y: ReportingYear) -> Result<Done<YearRecord>, AppError> {
    ctx.require(Action::CoordinateReporting)?;
    if repo::reporting_year_of(conn, y.year)?.is_some() {
        return Err(FieldError::rule(
            "year",
            "already_open",
            format!("reporting for {} is already open", y.year),
            format!("rapporteringen för {} är redan öppnad", y.year),
        )
        .of_state()
        .into());
    }
    let year = repo::insert_reporting_year(conn, y.year, y.deadline, ctx.now)?;
    let mut reports = Vec::new();
    for organisation_id in reporters(&organisation_facts(conn)?) {
        reports.push(repo::insert_report(
            conn,
            year.id,
            organisation_id,
            ReportStatus::Draft.code(),
            ctx.now,
        )?);
    }
    let changes = serde_json::json!({"year": year.year, "deadline": year.deadline,
        "organisations": reports.iter().map(|r| r.organisation_id).collect::<Vec<_>>()});
    let event = Event::new("reporting_year", "opened", year.id, changes);
    Ok(Done::new(with_names(conn, year, reports)?, event))
}

/// Every reporting year with its reports, the newest first. (Reading needs
/// [`Action::ReadInternal`]; the caller checks it.)
pub fn years(conn: &mut DbConn) -> Result<Vec<YearRecord>, AppError> {
    let mut out = Vec::new();
    for year in repo::list_reporting_years(conn)? {
        let reports = repo::reports_of_year(conn, year.id)?;
        out.push(with_names(conn, year, reports)?);
    }
    Ok(out)
}

/// A reporting year with its reports.
pub fn year(conn: &mut DbConn, id: i64) -> Result<YearRecord, AppError> {
    let year =
        repo::reporting_year(conn, id)?.ok_or_else(|| AppError::NotFound(format!("reporting year {id}")))?;
    let reports = repo::reports_of_year(conn, id)?;
    with_names(conn, year, reports)
}

/// The figures of an organisation's year: its own activities and projects and those of its
/// departments.
pub fn figures(conn: &mut DbConn, organisation_id: i64, year: i32) -> Result<Figures, AppError> {
    let organisations = organisation_facts(conn)?;
    let units: Vec<i64> = organisations
        .iter()
        .map(|o| o.id)
        .filter(|id| reporting_unit(*id, &organisations) == organisation_id)
        .collect();
    let (Some(first), Some(last)) =
        (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return Err(FieldError::rule(
            "year",
            "out_of_range",
            "is not a year of the calendar",
            "är inget år i kalendern",
        )
        .into());
    };
    let mut activities = Vec::new();
    for (a, countries) in repo::activity_facts(conn, Some(&units), first, last)? {
        activities.push(facts_of(&a, &countries)?);
    }
    let mut projects = Vec::new();
    for p in repo::project_facts(conn, &units)? {
        projects.push(ProjectFacts {
            id: p.id,
            kind: stored(WorkKind::parse(&p.kind))?,
            status: stored(ProjectStatus::parse(&p.status))?,
            period_from: p.period_from,
            period_to: p.period_to,
        });
    }
    Ok(Figures::compute(year, &activities, &projects)?)
}

/// A stored activity's facts as the domain sums them (`countries` in their order).
pub fn facts_of(a: &ActivityFactsRow, countries: &[String]) -> Result<ActivityFacts, AppError> {
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(ActivityFacts {
        kind: stored(ActivityKind::parse(&a.kind))?,
        starts_on: a.starts_on,
        hours: stored(Hours::from_hundredths("hours", a.hours))?,
        own_cost: stored(Sek::from_ore("own_cost", a.own_cost))?,
        external_cost: stored(Sek::from_ore("external_cost", a.external_cost))?,
        women: count(a.women),
        men: count(a.men),
        participants: count(a.total),
        countries: countries.iter().map(|c| stored(CountryCode::parse(c))).collect::<Result<_, _>>()?,
    })
}

fn view_of(conn: &mut DbConn, record: ReportRecord) -> Result<ReportView, AppError> {
    let year_id = record.report.reporting_year_id;
    let year = repo::reporting_year(conn, year_id)?
        .ok_or_else(|| AppError::NotFound(format!("reporting year {year_id}")))?;
    let status = stored(ReportStatus::parse(&record.report.status))?;
    let figures = figures(conn, record.report.organisation_id, year.year)?;
    let versions = repo::report_versions(conn, record.report.id)?;
    let last_year = repo::report_of(conn, record.report.organisation_id, year.year - 1)?;
    Ok(ReportView { record, year, status, figures, versions, last_year })
}

fn load(conn: &mut DbConn, id: i64) -> Result<ReportView, AppError> {
    let record = repo::get_report(conn, id)?.ok_or_else(|| AppError::NotFound(format!("report {id}")))?;
    view_of(conn, record)
}

/// A report, for every signed-in reader (a submitted report is a public record anyway).
pub fn read(conn: &mut DbConn, id: i64) -> Result<ReportView, AppError> {
    load(conn, id)
}

/// Writes a report's text, corrections and goal contributions while it may be edited (a
/// draft, or a returned report): the organisation's reporters or a coordinator. A correction
/// is checked against the figure as summed now, and keeps that value beside its own.
pub fn write(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    edit: impl FnOnce(&ReportView) -> Result<ReportWriting, AppError>,
) -> Result<Done<ReportView>, AppError> {
    let before = load(conn, id)?;
    ctx.require(Action::EditOrganisationData { organisation_id: before.record.report.organisation_id })?;
    before.status.check_editable()?;
    let w = &edit(&before)?;
    let mut c = Collector::new();
    let mut corrections = Vec::new();
    for (at, (figure, corrected, reason)) in w.corrections.iter().enumerate() {
        let computed = before.figures.value(*figure);
        if let Some(k) =
            c.take(Correction::parse(&format!("corrections[{at}]"), *figure, computed, *corrected, reason))
        {
            corrections.push((k.figure.code().to_owned(), k.computed, k.corrected, k.reason.into_string()));
        }
    }
    let goals: Vec<i64> = w.contributions.iter().map(|(g, _)| *g).collect();
    let missing = utblick_db::projects::goals_missing(conn, &goals)?;
    let (en, sv) = ("is not a goal of a goal framework", "är inget mål i ett målramverk");
    refs::each_missing(&mut c, "contributions", ".goal_id", &goals, &missing, en, sv);
    let named: Vec<i64> = before.record.contributions.iter().map(|k| k.goal_id).collect();
    refs::no_removed_goals(conn, &mut c, "contributions", ".goal_id", &goals, &named)?;
    c.finish()?;
    let text = ReportText {
        narrative: w.narrative.as_deref().unwrap_or_default().to_owned(),
        other_resources: w.other_resources.as_deref().unwrap_or_default().to_owned(),
        corrections,
        contributions: w.contributions.iter().map(|(g, t)| (*g, t.as_str().to_owned())).collect(),
    };
    let Some(after) = repo::update_report_text(conn, id, ctx.expected_version()?, &text, ctx.now)? else {
        return Err(AppError::PreconditionFailed);
    };
    let changes = crate::diff(&snapshot(&before.record), &snapshot(&after));
    let view = view_of(conn, after)?;
    Ok(Done::new(view, Event::new(ENTITY, "updated", id, changes)))
}

fn snapshot(r: &ReportRecord) -> serde_json::Value {
    serde_json::json!({
        "narrative": r.report.narrative,
        "other_resources": r.report.other_resources,
        "corrections": r.corrections.iter().map(|c| serde_json::json!({"figure": c.figure, "computed": c.computed, "corrected": c.corrected, "reason": c.reason})).collect::<Vec<_>>(),
        "contributions": r.contributions.iter().map(|c| serde_json::json!({"goal_id": c.goal_id, "contribution": c.contribution})).collect::<Vec<_>>(),
    })
}

/// Everything a handing-in says, as it is frozen: the text, every figure as summed and as
/// reported, the corrections with their reasons, the goal contributions.
fn frozen(v: &ReportView) -> serde_json::Value {
    let corrections: Vec<Correction> = v
        .record
        .corrections
        .iter()
        .filter_map(|c| {
            let figure = ReportFigure::parse(&c.figure).ok()?;
            let reason = utblick_domain::NonEmptyText::prose("reason", &c.reason).ok()?;
            Some(Correction { figure, computed: c.computed, corrected: c.corrected, reason })
        })
        .collect();
    let figures: serde_json::Map<String, serde_json::Value> = ReportFigure::ALL
        .iter()
        .map(|f| {
            let reported = utblick_domain::report::reported(&v.figures, &corrections, *f);
            (f.code().to_owned(), serde_json::json!({"computed": v.figures.value(*f), "reported": reported}))
        })
        .collect();
    let mut out = snapshot(&v.record);
    out["organisation_id"] = v.record.report.organisation_id.into();
    out["year"] = v.year.year.into();
    out["figures"] = figures.into();
    out["by_work_kind"] = v
        .figures
        .by_work_kind
        .iter()
        .map(|(k, t)| {
            serde_json::json!({"kind": k.code(), "activities": t.activities, "hours": t.hours,
            "own_cost": t.own_cost, "external_cost": t.external_cost, "women": t.women, "men": t.men,
            "participants": t.participants})
        })
        .collect::<Vec<_>>()
        .into();
    out["countries"] = v
        .figures
        .countries
        .iter()
        .map(|(c, n)| serde_json::json!({"country": c.as_str(), "activities": n}))
        .collect::<Vec<_>>()
        .into();
    out["projects"] = v.figures.projects.clone().into();
    out
}

/// A handed-in version read back (as [`frozen`] wrote it): its text, the figures corrected
/// by hand and the goal contributions `(goal id, text)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FrozenReport {
    pub narrative: String,
    pub corrections: Vec<utblick_domain::compilation::ReportedCorrection>,
    pub contributions: Vec<(i64, String)>,
}

/// Reads a handed-in version's content back.
pub(crate) fn thaw(content: &str) -> Result<FrozenReport, AppError> {
    let v: serde_json::Value = serde_json::from_str(content)
        .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))?;
    let list = |key: &str| v[key].as_array().cloned().unwrap_or_default();
    let corrections = list("corrections")
        .iter()
        .filter_map(|c| {
            let figure = ReportFigure::parse(c["figure"].as_str()?).ok()?;
            Some(utblick_domain::compilation::ReportedCorrection {
                figure: figure.code().to_owned(),
                computed: c["computed"].as_i64()?,
                reported: c["corrected"].as_i64()?,
                reason: c["reason"].as_str()?.to_owned(),
            })
        })
        .collect();
    let contributions = list("contributions")
        .iter()
        .filter_map(|c| Some((c["goal_id"].as_i64()?, c["contribution"].as_str()?.to_owned())))
        .collect();
    Ok(FrozenReport {
        narrative: v["narrative"].as_str().unwrap_or_default().to_owned(),
        corrections,
        contributions,
    })
}

/// Moves a report on its path. Handing it in (the organisation) freezes it as its next
/// version (its number in the audit event); returning it (a coordinator) needs a comment, which the organisation reads;
/// approving it (a coordinator) accepts the version handed in.
pub fn change_status(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    to: ReportStatus,
    comment: Option<&str>,
) -> Result<Done<ReportView>, AppError> {
    let before = load(conn, id)?;
    ctx.require(ReportStatus::action_for(to, before.record.report.organisation_id))?;
    before.status.change_to(to, comment)?;
    let version = ctx.expected_version()?;
    let submitted_at = (to == ReportStatus::Submitted).then_some(ctx.now);
    let mut frozen_as = None;
    if to == ReportStatus::Submitted {
        let by = match ctx.principal {
            Principal::User { id, .. } => Some(id),
            _ => None,
        };
        let content = frozen(&before).to_string();
        let number = repo::insert_report_version(conn, id, ctx.now, by, &content)?.number;
        // The report's files are handed in with it: from now on part of the public document.
        utblick_db::attachments::hand_in(conn, id, number)?;
        frozen_as = Some(number);
    }
    let comment = (to == ReportStatus::Returned).then_some(comment.map(str::trim)).flatten();
    if !repo::set_report_status(conn, id, version, to.code(), comment, submitted_at, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let after = load(conn, id)?;
    let changes = serde_json::json!({"status": {"from": before.status.code(), "to": to.code()},
        "comment": comment, "frozen_version": frozen_as});
    Ok(Done::new(after, Event::new(ENTITY, "status_changed", id, changes)))
}

/// Days past the deadline of a report: handed in late (counted at its first handing-in), or
/// not handed in yet on `today`.
pub fn days_late(year: &ReportingYearRow, r: &ReportRow, today: NaiveDate) -> u32 {
    let y = ReportingYear { year: year.year, deadline: year.deadline };
    y.days_late(r.first_submitted_at.map(|t| t.date()), today)
}
