//! The compilation (rule 8): the coordinator compiles a reporting year from every
//! organisation's activities, projects and reports; makes it final (every figure and text
//! frozen as a numbered version, a public record that editing the data never changes);
//! presents it to the council with its decision; and publishes it for anyone to read.

use chrono::{NaiveDate, NaiveDateTime};
use utblick_db::DbConn;
use utblick_db::compilations::{self as repo, ActivityGroupRow};
use utblick_db::models::{CompilationRow, CompilationVersionRow, DecisionRow, ReportingYearRow};
use utblick_db::reports as reports_repo;
use utblick_domain::activity::ActivityKind;
use utblick_domain::compilation::{
    ActivityGroup, CompilationStatus, CompiledProject, GoalContribution, Named, ReportSummary, Sources,
    TwinTownFacts, Unit, YEARS_COMPARED, YearTotals,
};
use utblick_domain::country::CountryCode;
use utblick_domain::governance::{CollaborationStatus, TwinTownStatus};
use utblick_domain::money::{Amount, Currency, ExchangeRate, Sek};
use utblick_domain::programme::WorkKind;
use utblick_domain::project::{FundingStatus, ProjectStatus};
use utblick_domain::report::{ProjectFacts, ReportStatus, Totals, reporters, reporting_unit};
use utblick_domain::{Action, FieldError, Principal};

pub use utblick_domain::compilation::Compilation;

use crate::{AppError, Ctx, Done, Event, stored};

const ENTITY: &str = "compilation";

/// A compilation as it is read: a draft computed from the data now, or the version frozen
/// last (a final or presented compilation never changes when the data does).
#[derive(Debug, Clone, PartialEq)]
pub struct CompilationView {
    pub row: CompilationRow,
    pub year: ReportingYearRow,
    pub status: CompilationStatus,
    pub compilation: Compilation,
    /// The number of the frozen version shown; `None` for a draft.
    pub shown_version: Option<i32>,
    /// `(number, frozen at, by user id)` of every frozen version.
    pub versions: Vec<(i32, NaiveDateTime, Option<i64>)>,
    /// The council's decision it was presented with.
    pub decision: Option<DecisionRow>,
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(format!("compilation {id}"))
}

/// Begins the compilation of a reporting year (one per year): a draft computed from the data.
pub fn begin(
    conn: &mut DbConn,
    ctx: &Ctx,
    reporting_year_id: i64,
) -> Result<Done<CompilationView>, AppError> {
    ctx.require(Action::CoordinateReporting)?;
    let Some(year) = reports_repo::reporting_year(conn, reporting_year_id)? else {
        return Err(FieldError::rule(
            "reporting_year_id",
            "not_found",
            "is not an opened reporting year",
            "är inget öppnat rapporteringsår",
        )
        .of_state()
        .into());
    };
    if repo::compilation_of_year(conn, year.id)?.is_some() {
        return Err(FieldError::rule(
            "reporting_year_id",
            "already_begun",
            format!("the compilation of {} is already begun", year.year),
            format!("sammanställningen för {} är redan påbörjad", year.year),
        )
        .of_state()
        .into());
    }
    let row = repo::insert_compilation(conn, year.id, CompilationStatus::Draft.code(), ctx.now)?;
    let event = Event::new(ENTITY, "created", row.id, serde_json::json!({"year": year.year}));
    Ok(Done::new(view_of(conn, row, ctx.today())?, event))
}

/// Every compilation with its year, the newest first. (Reading needs
/// [`Action::ReadInternal`]; the caller checks it.)
pub fn list(conn: &mut DbConn) -> Result<Vec<(CompilationRow, i32)>, AppError> {
    Ok(repo::list_compilations(conn)?)
}

/// A compilation: a draft as the data says on `today`, a frozen one as it was frozen.
pub fn read(conn: &mut DbConn, id: i64, today: NaiveDate) -> Result<CompilationView, AppError> {
    let row = repo::compilation(conn, id)?.ok_or_else(|| not_found(id))?;
    view_of(conn, row, today)
}

/// A frozen version of a compilation: when and by whom it was frozen, and what it says.
pub fn version(
    conn: &mut DbConn,
    id: i64,
    number: i32,
) -> Result<(CompilationVersionRow, Compilation), AppError> {
    let v = repo::compilation_version(conn, id, number)?
        .ok_or_else(|| AppError::NotFound(format!("version {number} of compilation {id}")))?;
    let c = thaw(&v.content)?;
    Ok((v, c))
}

/// A published compilation, for anyone: the version presented to the council. Not found
/// unless it is published (an unpublished one is not revealed to exist).
pub fn published(conn: &mut DbConn, id: i64) -> Result<CompilationView, AppError> {
    let row =
        repo::compilation(conn, id)?.filter(|r| r.published_at.is_some()).ok_or_else(|| not_found(id))?;
    let number = row.presented_version.ok_or_else(|| not_found(id))?;
    let v = repo::compilation_version(conn, id, number)?.ok_or_else(|| not_found(id))?;
    let year = year_of(conn, &row)?;
    let decision = decision_of(conn, &row)?;
    Ok(CompilationView {
        status: CompilationStatus::Presented,
        compilation: thaw(&v.content)?,
        shown_version: Some(number),
        versions: vec![(v.number, v.frozen_at, None)],
        decision,
        year,
        row,
    })
}

/// Every published compilation with its year, the newest first.
pub fn list_published(conn: &mut DbConn) -> Result<Vec<(CompilationRow, i32)>, AppError> {
    Ok(repo::list_compilations(conn)?.into_iter().filter(|(r, _)| r.published_at.is_some()).collect())
}

fn thaw(content: &str) -> Result<Compilation, AppError> {
    serde_json::from_str(content).map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))
}

fn year_of(conn: &mut DbConn, row: &CompilationRow) -> Result<ReportingYearRow, AppError> {
    reports_repo::reporting_year(conn, row.reporting_year_id)?
        .ok_or_else(|| AppError::NotFound(format!("reporting year {}", row.reporting_year_id)))
}

fn decision_of(conn: &mut DbConn, row: &CompilationRow) -> Result<Option<DecisionRow>, AppError> {
    match row.decision_id {
        Some(id) => Ok(utblick_db::decisions::get_decision(conn, id)?),
        None => Ok(None),
    }
}

fn view_of(conn: &mut DbConn, row: CompilationRow, today: NaiveDate) -> Result<CompilationView, AppError> {
    let year = year_of(conn, &row)?;
    let status = stored(CompilationStatus::parse(&row.status))?;
    let versions = repo::compilation_versions(conn, row.id)?;
    let (compilation, shown_version) = match (status, versions.last()) {
        (CompilationStatus::Final | CompilationStatus::Presented, Some((number, _, _))) => {
            let v = repo::compilation_version(conn, row.id, *number)?.ok_or_else(|| not_found(row.id))?;
            (thaw(&v.content)?, Some(*number))
        }
        _ => (compute(conn, &year, today)?, None),
    };
    let decision = decision_of(conn, &row)?;
    Ok(CompilationView { row, year, status, compilation, shown_version, versions, decision })
}

/// Moves a compilation on its path (a coordinator): making it final freezes a new version;
/// presenting it needs the council's decision from the register; reopening it needs a note
/// of what is corrected.
pub fn change_status(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    to: CompilationStatus,
    decision_id: Option<i64>,
    comment: Option<&str>,
) -> Result<Done<CompilationView>, AppError> {
    ctx.require(Action::CoordinateReporting)?;
    let row = repo::compilation(conn, id)?.ok_or_else(|| not_found(id))?;
    let from = stored(CompilationStatus::parse(&row.status))?;
    let decision = crate::decisions::registered(conn, "decision_id", decision_id)?;
    from.change_to(to, decision.as_ref(), comment)?;
    let version = ctx.expected_version()?;
    let mut frozen_as = None;
    let mut presented = row.presented_version;
    let mut decision_kept = row.decision_id;
    match to {
        CompilationStatus::Final => {
            let year = year_of(conn, &row)?;
            let content = serde_json::to_string(&compute(conn, &year, ctx.today())?)
                .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))?;
            let by = match ctx.principal {
                Principal::User { id, .. } => Some(id),
                _ => None,
            };
            frozen_as = Some(repo::insert_compilation_version(conn, id, ctx.now, by, &content)?.number);
        }
        CompilationStatus::Presented => {
            presented = repo::compilation_versions(conn, id)?.last().map(|v| v.0);
            decision_kept = decision_id;
        }
        CompilationStatus::Draft => {}
    }
    let comment = (to == CompilationStatus::Draft).then(|| comment.map(str::trim)).flatten();
    if !repo::set_compilation_status(
        conn,
        id,
        version,
        to.code(),
        decision_kept,
        comment,
        presented,
        ctx.now,
    )? {
        return Err(AppError::PreconditionFailed);
    }
    let after = read(conn, id, ctx.today())?;
    let changes = serde_json::json!({"status": {"from": from.code(), "to": to.code()},
        "decision_id": decision_id, "comment": comment, "frozen_version": frozen_as});
    Ok(Done::new(after, Event::new(ENTITY, "status_changed", id, changes)))
}

/// Publishes a presented compilation for anyone to read without signing in, or withdraws
/// the publication.
pub fn publish(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    published: bool,
) -> Result<Done<CompilationView>, AppError> {
    ctx.require(Action::CoordinateReporting)?;
    let row = repo::compilation(conn, id)?.ok_or_else(|| not_found(id))?;
    if published {
        stored(CompilationStatus::parse(&row.status))?.check_publishable()?;
    }
    let at = published.then_some(row.published_at.unwrap_or(ctx.now));
    if !repo::set_compilation_published(conn, id, ctx.expected_version()?, at, ctx.now)? {
        return Err(AppError::PreconditionFailed);
    }
    let verb = if published { "published" } else { "withdrawn" };
    let after = read(conn, id, ctx.today())?;
    let changes = serde_json::json!({"published_version": after.row.presented_version.filter(|_| published)});
    Ok(Done::new(after, Event::new(ENTITY, verb, id, changes)))
}

/// Compiles a reporting year from the data as it is now (`today` counts the days late of the
/// reports not handed in).
pub fn compute(
    conn: &mut DbConn,
    year: &ReportingYearRow,
    today: NaiveDate,
) -> Result<Compilation, AppError> {
    Ok(Compilation::compute(&sources(conn, year, today)?)?)
}

fn calendar_day(y: i32, m: u32, d: u32) -> Result<NaiveDate, AppError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        FieldError::rule("year", "out_of_range", "is not a year of the calendar", "är inget år i kalendern")
            .into()
    })
}

/// A group of activities as the database summed it (`ActivityGroupRow`), counted for `unit`
/// in `year`.
pub fn group_of(g: ActivityGroupRow, unit: i64, year: i32) -> Result<ActivityGroup, AppError> {
    Ok(ActivityGroup {
        unit,
        project_id: g.project_id,
        kind: stored(ActivityKind::parse(&g.kind))?,
        countries: g
            .countries
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| stored(CountryCode::parse(c)))
            .collect::<Result<_, _>>()?,
        year,
        totals: totals_of(&g.sums)?,
    })
}

fn sources(conn: &mut DbConn, year: &ReportingYearRow, today: NaiveDate) -> Result<Sources, AppError> {
    let y = year.year;
    let organisations = utblick_db::identity::list_organisations(conn, &Default::default(), 0, u32::MAX)?;
    let facts = crate::reports::organisation_facts_of(&organisations)?;
    let name_of =
        |id: i64| organisations.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default();

    let first = calendar_day(y, 1, 1)?;
    let last = calendar_day(y, 12, 31)?;
    let unit_of: std::collections::HashMap<i64, i64> =
        facts.iter().map(|o| (o.id, reporting_unit(o.id, &facts))).collect();
    // The year's activities arrive grouped and summed by the database, as the domain groups
    // them (`group_activities`); a department's groups count for its organisation.
    let mut activities = Vec::new();
    for g in repo::activity_groups(conn, first, last)? {
        let unit = unit_of.get(&g.organisation_id).copied().unwrap_or(g.organisation_id);
        activities.push(group_of(g, unit, y)?);
    }

    // Every reporting organisation, and any other whose work was recorded in the year.
    let mut unit_ids = reporters(&facts);
    for a in &activities {
        if !unit_ids.contains(&a.unit) {
            unit_ids.push(a.unit);
        }
    }
    let units = unit_ids.iter().map(|id| Unit { id: *id, name: name_of(*id) }).collect();

    // Priority areas: the programme in force's; an area of an earlier version counts as the
    // one of the same title in force, else as itself.
    let all_areas = repo::all_priority_areas(conn)?;
    let in_force = utblick_db::projects::programme_in_force(conn)?;
    let current: Vec<&utblick_db::models::PriorityAreaRow> =
        all_areas.iter().filter(|a| Some(a.programme_id) == in_force).collect();
    let canonical = |id: i64| -> i64 {
        let Some(area) = all_areas.iter().find(|a| a.id == id) else { return id };
        current
            .iter()
            .find(|c| c.title.trim().to_lowercase() == area.title.trim().to_lowercase())
            .map_or(id, |c| c.id)
    };
    let mut priority_areas: Vec<Named> =
        current.iter().map(|a| Named { id: a.id, name: format!("{}. {}", a.number, a.title) }).collect();

    let mut projects = Vec::new();
    for p in repo::compilation_projects(conn)? {
        let mut areas: Vec<i64> = Vec::new();
        for a in p.priority_areas.iter().map(|a| canonical(*a)) {
            if !areas.contains(&a) {
                areas.push(a);
            }
            if !priority_areas.iter().any(|n| n.id == a)
                && let Some(old) = all_areas.iter().find(|x| x.id == a)
            {
                priority_areas
                    .push(Named { id: a, name: format!("{} (tidigare programversion)", old.title) });
            }
        }
        let mut funding = Vec::new();
        for f in &p.funding {
            let field = "funding";
            let currency = stored(Currency::parse(&f.currency))?;
            let amount = stored(Amount::parse(field, f.amount, currency))?;
            let rate = f.rate.map(|r| stored(ExchangeRate::from_millionths(field, r))).transpose()?;
            let sek = stored(amount.in_sek(rate, field))?;
            funding.push((f.funding_programme_id, stored(FundingStatus::parse(&f.status))?, sek));
        }
        projects.push(CompiledProject {
            title: p.row.title.clone(),
            facts: ProjectFacts {
                id: p.row.id,
                kind: stored(WorkKind::parse(&p.row.kind))?,
                status: stored(ProjectStatus::parse(&p.row.status))?,
                period_from: p.row.period_from,
                period_to: p.row.period_to,
            },
            priority_areas: areas,
            own: stored(Sek::from_ore("own_money", p.row.own_money))?,
            funding,
            left_planning_at: p.row.left_planning_at,
            first_assessed_at: p.first_assessed_at,
        });
    }

    let funding_programmes = utblick_db::projects::list_funding_programmes(conn, true)?
        .into_iter()
        .map(|f| Named { id: f.id, name: f.name })
        .collect();
    let twin_towns = repo::twin_town_facts(conn)?
        .into_iter()
        .map(|(town, country, status)| TwinTownFacts {
            town,
            country,
            active: status == TwinTownStatus::Active.code(),
        })
        .collect();
    let active_collaborations = repo::collaborations_with_status(conn, CollaborationStatus::Active.code())?;
    let reports = report_summaries(conn, year, today, &name_of)?;

    let mut earlier_years = Vec::new();
    for earlier in (y - (YEARS_COMPARED - 1))..y {
        earlier_years.push(match frozen_total(conn, earlier)? {
            Some(totals) => YearTotals { year: earlier, totals, frozen: true },
            None => {
                let s =
                    repo::activity_sums(conn, calendar_day(earlier, 1, 1)?, calendar_day(earlier, 12, 31)?)?;
                YearTotals { year: earlier, totals: totals_of(&s)?, frozen: false }
            }
        });
    }
    Ok(Sources {
        year: y,
        units,
        activities,
        projects,
        priority_areas,
        funding_programmes,
        twin_towns,
        active_collaborations,
        reports,
        earlier_years,
    })
}

/// Sums as the database gives them, as the domain counts them.
pub fn totals_of(s: &repo::ActivitySums) -> Result<Totals, AppError> {
    let negative = |n: i64| AppError::Db(utblick_db::DbError::Corrupt(format!("a negative sum: {n}")));
    let count = |n: i64| u64::try_from(n).map_err(|_| negative(n));
    // A sum may pass what one amount may be (each activity's cost is checked when written).
    let cost = |n: i64| if n >= 0 { Ok(n) } else { Err(negative(n)) };
    Ok(Totals {
        activities: count(s.activities)?,
        hours: count(s.hours)?,
        own_cost: cost(s.own_cost)?,
        external_cost: cost(s.external_cost)?,
        women: count(s.women)?,
        men: count(s.men)?,
        participants: count(s.participants)?,
    })
}

/// The compilation of `year` as the council was told it: the presented version of that
/// year's compilation, else its last frozen one while it is final; `None` without either.
pub fn told(conn: &mut DbConn, year: i32) -> Result<Option<Compilation>, AppError> {
    let Some(version) = told_version(conn, year)? else { return Ok(None) };
    thawed(conn, version)
}

/// Which frozen version of `year`'s compilation the council was told: `(compilation id,
/// version number)` — a version never changes, so what is read from it may be kept.
pub fn told_version(conn: &mut DbConn, year: i32) -> Result<Option<(i64, i32)>, AppError> {
    let Some(ry) = reports_repo::reporting_year_of(conn, year)? else { return Ok(None) };
    let Some(c) = repo::compilation_of_year(conn, ry.id)? else { return Ok(None) };
    let number = match (c.presented_version, c.status.as_str()) {
        (Some(n), _) => Some(n),
        (None, "final") => repo::compilation_versions(conn, c.id)?.last().map(|v| v.0),
        _ => None,
    };
    Ok(number.map(|n| (c.id, n)))
}

/// A frozen version's compilation.
pub fn thawed(
    conn: &mut DbConn,
    (compilation_id, number): (i64, i32),
) -> Result<Option<Compilation>, AppError> {
    match repo::compilation_version(conn, compilation_id, number)? {
        Some(v) => Ok(Some(thaw(&v.content)?)),
        None => Ok(None),
    }
}

fn frozen_total(conn: &mut DbConn, year: i32) -> Result<Option<Totals>, AppError> {
    Ok(told(conn, year)?.map(|c| c.total))
}

/// Each organisation's report of the year: its latest version handed in (text, corrections
/// with their reasons, goal contributions), or where it stands when none was.
fn report_summaries(
    conn: &mut DbConn,
    year: &ReportingYearRow,
    today: NaiveDate,
    name_of: &dyn Fn(i64) -> String,
) -> Result<Vec<ReportSummary>, AppError> {
    let goals = repo::goal_titles(conn)?;
    let mut out = Vec::new();
    for r in reports_repo::reports_of_year(conn, year.id)? {
        let status = stored(ReportStatus::parse(&r.status))?;
        let latest = reports_repo::report_versions(conn, r.id)?.pop();
        let frozen = match &latest {
            Some(v) => crate::reports::thaw(&v.content)?,
            None => crate::reports::FrozenReport::default(),
        };
        let contributions = frozen
            .contributions
            .into_iter()
            .map(|(id, contribution)| {
                let goal = goals
                    .iter()
                    .find(|g| g.0 == id)
                    .map_or_else(|| format!("Mål {id}"), |g| format!("{}. {}", g.1, g.2));
                GoalContribution { goal, contribution }
            })
            .collect();
        out.push(ReportSummary {
            organisation_id: r.organisation_id,
            organisation: name_of(r.organisation_id),
            status: status.code().to_owned(),
            days_late: crate::reports::days_late(year, &r, today),
            version: latest.as_ref().map(|v| v.number),
            narrative: frozen.narrative,
            corrections: frozen.corrections,
            contributions,
        });
    }
    Ok(out)
}
