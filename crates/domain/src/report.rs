//! The annual report (rule 8): once a year every administration and company reports its
//! international work — the activities and efforts, the resources as working time, money and
//! other resources, and how the work helped reach its own or the municipality-wide goals.
//!
//! Here: the reporting year and its deadline, who reports, the report's path (draft →
//! submitted → returned → submitted → approved) and what may change on it, the figures a
//! report is prefilled with (summed from the year's activities and projects), a figure the
//! reporter corrects by hand (both values and the reason kept), and how late a report is.
//!
//! A submitted report is a public record (allmän handling): it never changes afterwards. A
//! returned report is corrected as a new version; every submitted version stays readable.

use chrono::{Datelike, NaiveDate};

use crate::activity::{ActivityKind, Hours};
use crate::country::CountryCode;
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::governance::Move;
use crate::money::Sek;
use crate::programme::WorkKind;
use crate::project::ProjectStatus;
use crate::text::{NonEmptyText, OptionalText};
use crate::{Action, OrganisationKind};

code_enum! {
    /// An annual report's path: draft → submitted → returned (with the coordinator's
    /// comment) → submitted → approved. An approved report may be returned for a correction.
    ReportStatus, "status" {
        /// Being written by the organisation.
        Draft = "draft", "Utkast", "Draft";
        /// Handed in: a public record from now on.
        Submitted = "submitted", "Inlämnad", "Submitted";
        /// Sent back by the coordinator, with a comment, for a new version.
        Returned = "returned", "Återsänd", "Returned";
        /// Accepted by the coordinator for the compilation.
        Approved = "approved", "Godkänd", "Approved";
    }
}

code_enum! {
    /// The figures of a report that the reporter may correct by hand.
    ReportFigure, "figure" {
        /// The number of activities.
        Activities = "activities", "Antal aktiviteter", "Activities";
        /// Working time, in hundredths of an hour.
        Hours = "hours", "Arbetstid (timmar)", "Working time (hours)";
        /// Own money spent on activities, in öre.
        OwnMoney = "own_money", "Egna medel (kr)", "Own money (SEK)";
        /// External money spent on activities, in öre.
        ExternalMoney = "external_money", "Extern finansiering (kr)", "External funding (SEK)";
        /// The number of people who took part.
        Participants = "participants", "Antal deltagare", "Participants";
        /// The number of projects the organisation worked on in the year.
        Projects = "projects", "Antal projekt", "Projects";
    }
}

impl ReportStatus {
    fn allows(self, to: ReportStatus) -> bool {
        use ReportStatus::{Approved, Draft, Returned, Submitted};
        matches!(
            (self, to),
            (Draft | Returned, Submitted) | (Submitted, Returned | Approved) | (Approved, Returned)
        )
    }

    /// Every move the path allows from `self` (none needs a council decision).
    pub fn moves(self) -> Vec<Move<ReportStatus>> {
        Self::ALL
            .iter()
            .filter(|to| self.allows(**to))
            .map(|to| Move { to: *to, needs_decision: false })
            .collect()
    }

    /// What the caller must be allowed to move a report of `organisation_id` to `to`: the
    /// organisation (its reporters, or a coordinator on its behalf) hands the report in; only
    /// a coordinator returns or approves it.
    pub fn action_for(to: ReportStatus, organisation_id: i64) -> Action {
        match to {
            ReportStatus::Draft | ReportStatus::Submitted => Action::EditOrganisationData { organisation_id },
            ReportStatus::Returned | ReportStatus::Approved => Action::CoordinateReporting,
        }
    }

    /// May a report go from `self` to `to`? A report is returned only with a comment that
    /// says what to correct.
    pub fn change_to(self, to: ReportStatus, comment: Option<&str>) -> Result<(), FieldError> {
        if !self.allows(to) {
            return Err(crate::governance::refused("a report", self, to));
        }
        let comment = OptionalText::parse("comment", comment, PART_MAX)?;
        if to == ReportStatus::Returned && comment.as_deref().is_none() {
            return Err(FieldError::rule(
                "comment",
                "required",
                "a returned report needs a comment that says what to correct",
                "en återsänd rapport behöver en kommentar om vad som ska rättas",
            ));
        }
        Ok(())
    }

    /// Whether the report's text and figures may be edited: only before it is handed in, or
    /// after it was returned (then as its next version). A submitted or approved report is a
    /// public record and never changes.
    pub fn editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// Refuses an edit of a report that is not [`editable`](Self::editable).
    pub fn check_editable(self) -> Result<(), FieldError> {
        if self.editable() {
            return Ok(());
        }
        Err(FieldError::rule(
            "status",
            "report_frozen",
            "a submitted report is a public record and never changes; the coordinator returns it for a new version",
            "en inlämnad rapport är en allmän handling och ändras aldrig; samordnaren återsänder den för en ny version",
        )
        .of_state())
    }
}

/// A reporting year as the coordinator opens it: the year reported on and the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportingYear {
    pub year: i32,
    pub deadline: NaiveDate,
}

impl ReportingYear {
    /// A year from 2000 to 2199; the deadline falls in the year or in the year after it (a
    /// report on 2026 is typically due in February 2027).
    pub fn parse(year: i64, deadline: NaiveDate) -> Result<Self, FieldError> {
        let year = i32::try_from(year).ok().filter(|y| (2000..=2199).contains(y)).ok_or_else(|| {
            FieldError::rule(
                "year",
                "out_of_range",
                "must be a year from 2000 to 2199",
                "ska vara ett år från 2000 till 2199",
            )
        })?;
        if deadline.year() != year && deadline.year() != year + 1 {
            return Err(FieldError::rule(
                "deadline",
                "deadline_outside_year",
                format!("must fall in {year} or {}", year + 1),
                format!("ska ligga under {year} eller {}", year + 1),
            ));
        }
        Ok(Self { year, deadline })
    }

    /// Whether `day` falls in the year reported on.
    pub fn contains(self, day: NaiveDate) -> bool {
        day.year() == self.year
    }

    /// Days past the deadline: of a report handed in on `submitted_on`, or not yet handed in
    /// on `today`. Zero when on time.
    pub fn days_late(self, submitted_on: Option<NaiveDate>, today: NaiveDate) -> u32 {
        let day = submitted_on.unwrap_or(today);
        u32::try_from((day - self.deadline).num_days()).unwrap_or(0)
    }
}

/// An organisation as the reporting year sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganisationFacts {
    pub id: i64,
    pub kind: OrganisationKind,
    pub parent_id: Option<i64>,
    pub active: bool,
}

/// The organisations that report: every active administration and company that is not a
/// department of another (departments report through their organisation; the central
/// function compiles, it does not report), in the order given.
pub fn reporters(organisations: &[OrganisationFacts]) -> Vec<i64> {
    organisations
        .iter()
        .filter(|o| {
            o.active
                && o.parent_id.is_none()
                && matches!(o.kind, OrganisationKind::Administration | OrganisationKind::Company)
        })
        .map(|o| o.id)
        .collect()
}

/// The organisation whose report counts the work of `id`: `id` itself, or the topmost
/// organisation above a department. A broken chain (a loop the register refuses anyway)
/// stops where it would repeat.
pub fn reporting_unit(id: i64, organisations: &[OrganisationFacts]) -> i64 {
    let parent = |of: i64| organisations.iter().find(|o| o.id == of).and_then(|o| o.parent_id);
    let mut at = id;
    let mut seen = vec![id];
    while let Some(up) = parent(at) {
        if seen.contains(&up) {
            break;
        }
        seen.push(up);
        at = up;
    }
    at
}

/// What a report needs of one activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFacts {
    pub kind: ActivityKind,
    pub starts_on: NaiveDate,
    pub hours: Hours,
    pub own_cost: Sek,
    pub external_cost: Sek,
    pub women: u32,
    pub men: u32,
    pub participants: u32,
    pub countries: Vec<CountryCode>,
}

/// What a report needs of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub id: i64,
    pub kind: WorkKind,
    pub status: ProjectStatus,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
}

impl ProjectFacts {
    /// Whether the project counts as worked on in `year`: it went past the idea and its
    /// period (either end may be open) reaches into the year; a project with no period at
    /// all counts while it is under way (planning to ongoing).
    pub fn active_in(&self, year: i32) -> bool {
        if self.status == ProjectStatus::Idea {
            return false;
        }
        match (self.period_from, self.period_to) {
            (None, None) => matches!(
                self.status,
                ProjectStatus::Planning
                    | ProjectStatus::Applied
                    | ProjectStatus::Granted
                    | ProjectStatus::Ongoing
            ),
            (from, to) => from.is_none_or(|d| d.year() <= year) && to.is_none_or(|d| d.year() >= year),
        }
    }
}

/// Sums of a set of activities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Totals {
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

impl Totals {
    pub(crate) fn add(&mut self, a: &ActivityFacts) -> Option<()> {
        self.activities = self.activities.checked_add(1)?;
        self.hours = self.hours.checked_add(u64::from(a.hours.hundredths()))?;
        self.own_cost = self.own_cost.checked_add(a.own_cost.ore())?;
        self.external_cost = self.external_cost.checked_add(a.external_cost.ore())?;
        self.women = self.women.checked_add(u64::from(a.women))?;
        self.men = self.men.checked_add(u64::from(a.men))?;
        self.participants = self.participants.checked_add(u64::from(a.participants))?;
        Some(())
    }

    /// Adds another sum to this one; `None` on overflow.
    pub fn merge(&mut self, o: &Totals) -> Option<()> {
        self.activities = self.activities.checked_add(o.activities)?;
        self.hours = self.hours.checked_add(o.hours)?;
        self.own_cost = self.own_cost.checked_add(o.own_cost)?;
        self.external_cost = self.external_cost.checked_add(o.external_cost)?;
        self.women = self.women.checked_add(o.women)?;
        self.men = self.men.checked_add(o.men)?;
        self.participants = self.participants.checked_add(o.participants)?;
        Some(())
    }
}

/// The figures a report is prefilled with: the year's activities summed, per kind of work and
/// in all, the countries they went to or came from (how many activities each), and the
/// projects worked on in the year. A project's money is its whole period's, so it is shown
/// beside the year's figures, never added into them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub year: i32,
    pub total: Totals,
    /// Every kind of work, in the programme's order, also those without activities.
    pub by_work_kind: Vec<(WorkKind, Totals)>,
    /// Countries by number of activities, most first, then by code.
    pub countries: Vec<(CountryCode, u64)>,
    /// The ids of the projects worked on in the year, in the order given.
    pub projects: Vec<i64>,
}

impl Figures {
    /// The figures of `year` from an organisation's activities and projects (those of other
    /// years are left out here, so the caller may pass more). Sums are exact; a sum that
    /// would overflow is refused rather than wrapped.
    pub fn compute(
        year: i32,
        activities: &[ActivityFacts],
        projects: &[ProjectFacts],
    ) -> Result<Self, FieldError> {
        let overflow = || {
            FieldError::rule(
                "figures",
                "out_of_range",
                "the year's figures are too large to sum",
                "årets siffror är för stora för att summeras",
            )
        };
        let mut total = Totals::default();
        let mut by_work_kind: Vec<(WorkKind, Totals)> =
            WorkKind::ALL.iter().map(|k| (*k, Totals::default())).collect();
        let mut countries: Vec<(CountryCode, u64)> = Vec::new();
        for a in activities.iter().filter(|a| a.starts_on.year() == year) {
            total.add(a).ok_or_else(overflow)?;
            let kind = a.kind.work_kind();
            if let Some((_, t)) = by_work_kind.iter_mut().find(|(k, _)| *k == kind) {
                t.add(a).ok_or_else(overflow)?;
            }
            for c in &a.countries {
                match countries.iter_mut().find(|(code, _)| code == c) {
                    Some((_, n)) => *n += 1,
                    None => countries.push((*c, 1)),
                }
            }
        }
        countries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
        let projects = projects.iter().filter(|p| p.active_in(year)).map(|p| p.id).collect();
        Ok(Self { year, total, by_work_kind, countries, projects })
    }

    /// A correctable figure's computed value (hours in hundredths, money in öre).
    pub fn value(&self, figure: ReportFigure) -> i64 {
        let big = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        match figure {
            ReportFigure::Activities => big(self.total.activities),
            ReportFigure::Hours => big(self.total.hours),
            ReportFigure::OwnMoney => self.total.own_cost,
            ReportFigure::ExternalMoney => self.total.external_cost,
            ReportFigure::Participants => big(self.total.participants),
            ReportFigure::Projects => big(self.projects.len() as u64),
        }
    }
}

/// A figure the reporter corrected by hand: what Utblick computed, what the reporter says,
/// and why. Both values stay on the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub figure: ReportFigure,
    pub computed: i64,
    pub corrected: i64,
    pub reason: NonEmptyText,
}

impl Correction {
    /// A correction of `figure` from its computed value: not negative, different from the
    /// computed value, and with a reason (an activity left out of Utblick, a cost booked
    /// late). `field` names the correction in the request (`corrections[2]`).
    pub fn parse(
        field: &str,
        figure: ReportFigure,
        computed: i64,
        corrected: i64,
        reason: &str,
    ) -> Result<Self, FieldError> {
        if corrected < 0 {
            return Err(FieldError::rule(
                format!("{field}.corrected"),
                "out_of_range",
                "must be zero or more",
                "ska vara noll eller mer",
            ));
        }
        if corrected == computed {
            return Err(FieldError::rule(
                format!("{field}.corrected"),
                "unchanged",
                "is the computed value; leave the figure uncorrected instead",
                "är det beräknade värdet; låt siffran vara orättad i stället",
            )
            // The computed value comes from the stored activities: a rule of the data's
            // present state (409), not of the request's shape.
            .of_state());
        }
        let reason = NonEmptyText::parse(&format!("{field}.reason"), reason, PART_MAX)?;
        Ok(Self { figure, computed, corrected, reason })
    }
}

/// A figure as reported: the correction's value where the reporter corrected it, else the
/// computed one.
pub fn reported(figures: &Figures, corrections: &[Correction], figure: ReportFigure) -> i64 {
    corrections.iter().find(|c| c.figure == figure).map_or_else(|| figures.value(figure), |c| c.corrected)
}

/// The longest narrative a report takes (about ten pages).
pub const NARRATIVE_MAX: usize = 30_000;
/// The longest text of a goal contribution, of the other resources, or of a correction's
/// reason.
pub const PART_MAX: usize = 4_000;

/// A report's text as the reporter sends it.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub narrative: String,
    pub other_resources: String,
    /// `(figure, corrected value, reason)`.
    pub corrections: Vec<(String, i64, String)>,
    /// `(goal id, how the work contributed)`.
    pub contributions: Vec<(i64, String)>,
}

/// A report's text, checked: lengths, each figure corrected at most once, each goal named at
/// most once. (Whether a correction differs from the computed value, and whether the goals
/// exist, the use case checks against the stored data with [`Correction::parse`].)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportWriting {
    pub narrative: OptionalText,
    pub other_resources: OptionalText,
    pub corrections: Vec<(ReportFigure, i64, String)>,
    pub contributions: Vec<(i64, NonEmptyText)>,
}

impl ReportWriting {
    pub fn parse(i: &ReportInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let narrative = c.take(OptionalText::parse("narrative", Some(&i.narrative), NARRATIVE_MAX));
        let other_resources =
            c.take(OptionalText::parse("other_resources", Some(&i.other_resources), PART_MAX));
        let mut corrections = Vec::new();
        for (at, (figure, corrected, reason)) in i.corrections.iter().enumerate() {
            let field = format!("corrections[{at}].figure");
            let Some(figure) = c.take(ReportFigure::parse(figure).map_err(|e| e.named(field.clone()))) else {
                continue;
            };
            if corrections.iter().any(|(f, _, _)| *f == figure) {
                c.push(FieldError::rule(
                    field,
                    "duplicate",
                    "corrects a figure twice",
                    "rättar samma siffra två gånger",
                ));
                continue;
            }
            corrections.push((figure, *corrected, reason.clone()));
        }
        let mut contributions: Vec<(i64, NonEmptyText)> = Vec::new();
        for (at, (goal, text)) in i.contributions.iter().enumerate() {
            if contributions.iter().any(|(g, _)| g == goal) {
                c.push(FieldError::rule(
                    format!("contributions[{at}].goal_id"),
                    "duplicate",
                    "names a goal twice",
                    "anger samma mål två gånger",
                ));
                continue;
            }
            if let Some(t) =
                c.take(NonEmptyText::parse(&format!("contributions[{at}].contribution"), text, PART_MAX))
            {
                contributions.push((*goal, t));
            }
        }
        c.finish()?;
        Ok(Self {
            narrative: narrative.unwrap_or_default(),
            other_resources: other_resources.unwrap_or_default(),
            corrections,
            contributions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_report_goes_draft_submitted_returned_submitted_approved() {
        use ReportStatus::{Approved, Draft, Returned, Submitted};
        assert!(Draft.change_to(Submitted, None).is_ok());
        assert!(Submitted.change_to(Returned, Some("Timmarna saknas för mars.")).is_ok());
        assert!(Returned.change_to(Submitted, None).is_ok());
        assert!(Submitted.change_to(Approved, None).is_ok());
        assert!(Approved.change_to(Returned, Some("En rättelse.")).is_ok());
        for (from, to) in [
            (Draft, Approved),
            (Draft, Returned),
            (Returned, Approved),
            (Approved, Submitted),
            (Submitted, Draft),
        ] {
            let e = from.change_to(to, Some("x")).unwrap_err();
            assert_eq!(e.field, "status", "{from:?} → {to:?}");
        }
    }

    #[test]
    fn a_report_is_returned_only_with_a_comment() {
        for comment in [None, Some(""), Some("  \t")] {
            let e = ReportStatus::Submitted.change_to(ReportStatus::Returned, comment).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("comment", "required"));
            assert!(e.swedish.as_deref().unwrap_or_default().contains("kommentar"));
        }
    }

    #[test]
    fn the_organisation_hands_in_and_only_coordinators_return_and_approve() {
        use crate::{Decision, Principal, Role, authorize};
        let person = |role, organisation_id| Principal::User { id: 1, role, organisation_id };
        let allowed =
            |who: &Principal, to| authorize(who, ReportStatus::action_for(to, 7)) == Decision::Allow;
        let own = person(Role::Reporter, Some(7));
        let other = person(Role::Reporter, Some(8));
        let coordinator = person(Role::Coordinator, None);
        assert!(allowed(&own, ReportStatus::Submitted));
        assert!(!allowed(&other, ReportStatus::Submitted));
        assert!(!allowed(&own, ReportStatus::Returned) && !allowed(&own, ReportStatus::Approved));
        assert!(allowed(&coordinator, ReportStatus::Submitted));
        assert!(
            allowed(&coordinator, ReportStatus::Returned) && allowed(&coordinator, ReportStatus::Approved)
        );
        assert!(!allowed(&person(Role::Reader, Some(7)), ReportStatus::Submitted));
    }

    #[test]
    fn a_submitted_report_never_changes() {
        for s in ReportStatus::ALL {
            let e = s.check_editable();
            assert_eq!(e.is_ok(), matches!(s, ReportStatus::Draft | ReportStatus::Returned), "{s:?}");
            if let Err(e) = e {
                assert_eq!(e.code, "report_frozen");
                assert!(e.swedish.as_deref().unwrap_or_default().contains("allmän handling"));
            }
        }
    }

    #[test]
    fn the_deadline_falls_in_the_year_or_the_next_and_lateness_counts_days() {
        assert!(ReportingYear::parse(2026, day(2027, 2, 15)).is_ok());
        assert!(ReportingYear::parse(2026, day(2026, 12, 1)).is_ok());
        assert_eq!(ReportingYear::parse(2026, day(2028, 1, 1)).unwrap_err().field, "deadline");
        assert_eq!(ReportingYear::parse(2026, day(2025, 12, 31)).unwrap_err().field, "deadline");
        assert_eq!(ReportingYear::parse(1999, day(2000, 1, 1)).unwrap_err().field, "year");
        let y = ReportingYear::parse(2026, day(2027, 2, 15)).unwrap();
        assert_eq!(y.days_late(Some(day(2027, 2, 15)), day(2027, 6, 1)), 0);
        assert_eq!(y.days_late(Some(day(2027, 2, 18)), day(2027, 6, 1)), 3);
        assert_eq!(y.days_late(None, day(2027, 2, 1)), 0);
        assert_eq!(y.days_late(None, day(2027, 3, 1)), 14);
    }

    #[test]
    fn administrations_and_companies_report_and_departments_count_under_them() {
        let org = |id, kind, parent_id, active| OrganisationFacts { id, kind, parent_id, active };
        let all = [
            org(1, OrganisationKind::Administration, None, true),
            org(2, OrganisationKind::Company, None, true),
            org(3, OrganisationKind::CentralFunction, None, true),
            org(4, OrganisationKind::Administration, Some(1), true),
            org(5, OrganisationKind::Administration, Some(4), true),
            org(6, OrganisationKind::Administration, None, false),
        ];
        assert_eq!(reporters(&all), vec![1, 2]);
        assert_eq!(reporting_unit(5, &all), 1);
        assert_eq!(reporting_unit(2, &all), 2);
        let looped = [
            org(7, OrganisationKind::Administration, Some(8), true),
            org(8, OrganisationKind::Administration, Some(7), true),
        ];
        assert!([7, 8].contains(&reporting_unit(7, &looped)));
    }

    #[test]
    fn projects_count_in_the_years_their_period_reaches() {
        let p = |status, from: Option<NaiveDate>, to: Option<NaiveDate>| ProjectFacts {
            id: 1,
            kind: WorkKind::Development,
            status,
            period_from: from,
            period_to: to,
        };
        let ongoing = p(ProjectStatus::Ongoing, Some(day(2025, 9, 1)), Some(day(2027, 6, 30)));
        assert!(!ongoing.active_in(2024));
        assert!(ongoing.active_in(2025) && ongoing.active_in(2026) && ongoing.active_in(2027));
        assert!(!ongoing.active_in(2028));
        assert!(p(ProjectStatus::Completed, Some(day(2026, 1, 1)), None).active_in(2030));
        assert!(!p(ProjectStatus::Idea, Some(day(2026, 1, 1)), None).active_in(2026));
        assert!(p(ProjectStatus::Ongoing, None, None).active_in(2026));
        assert!(!p(ProjectStatus::Completed, None, None).active_in(2026));
    }

    #[test]
    fn a_correction_keeps_both_values_and_needs_a_reason() {
        let c =
            Correction::parse("corrections[0]", ReportFigure::Hours, 1_000, 1_250, "Två resdagar saknades.")
                .unwrap();
        assert_eq!((c.computed, c.corrected), (1_000, 1_250));
        let e = Correction::parse("corrections[0]", ReportFigure::Hours, 1_000, 1_250, " ").unwrap_err();
        assert_eq!(e.field, "corrections[0].reason");
        let e = Correction::parse("corrections[1]", ReportFigure::Hours, 1_000, 1_000, "Samma").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("corrections[1].corrected", "unchanged"));
        let e = Correction::parse("corrections[1]", ReportFigure::OwnMoney, 0, -1, "Minus").unwrap_err();
        assert_eq!(e.code, "out_of_range");
        let f = Figures::compute(2026, &[], &[]).unwrap();
        assert_eq!(reported(&f, &[c], ReportFigure::Hours), 1_250);
        assert_eq!(reported(&f, &[], ReportFigure::Hours), 0);
    }

    #[test]
    fn a_sum_past_the_largest_number_is_refused_not_wrapped() {
        let a = ActivityFacts {
            kind: ActivityKind::Conference,
            starts_on: day(2026, 3, 1),
            hours: Hours::default(),
            own_cost: Sek::from_ore("own_cost", 1).unwrap(),
            external_cost: Sek::default(),
            women: 0,
            men: 0,
            participants: 0,
            countries: vec![],
        };
        let mut t = Totals { own_cost: i64::MAX, ..Totals::default() };
        assert_eq!(t.add(&a), None);
        let mut t = Totals::default();
        assert_eq!(t.add(&a), Some(()));
        assert_eq!((t.activities, t.own_cost), (1, 1));
    }

    #[test]
    fn a_reports_text_names_each_figure_and_goal_once() {
        let ok = ReportInput {
            narrative: "Två studiebesök.".into(),
            other_resources: String::new(),
            corrections: vec![("hours".into(), 1_250, "Resdagar.".into())],
            contributions: vec![(3, "Lärarutbyte.".into())],
        };
        let w = ReportWriting::parse(&ok).unwrap();
        assert_eq!(w.corrections, vec![(ReportFigure::Hours, 1_250, "Resdagar.".to_owned())]);
        assert_eq!(w.other_resources.as_deref(), None);
        let twice = ReportInput {
            corrections: vec![
                ("hours".into(), 1, "a".into()),
                ("hours".into(), 2, "b".into()),
                ("weight".into(), 1, "c".into()),
            ],
            contributions: vec![(3, "a".into()), (3, "b".into()), (4, " ".into())],
            ..ok
        };
        let fields: Vec<String> =
            ReportWriting::parse(&twice).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "corrections[1].figure",
                "corrections[2].figure",
                "contributions[1].goal_id",
                "contributions[2].contribution"
            ]
        );
    }

    fn activity() -> impl Strategy<Value = ActivityFacts> {
        (
            0..ActivityKind::ALL.len(),
            2024_i32..2028,
            1_u32..366,
            0_i64..=10_000_000,
            0_i64..=100_000_000_000_000,
            0_i64..=100_000_000_000_000,
            (0_u32..1000, 0_u32..1000, 0_u32..3000),
            proptest::collection::vec(prop_oneof![Just("SE"), Just("DK"), Just("EE"), Just("LT")], 0..3),
        )
            .prop_map(|(k, y, d, h, own, ext, (women, men, participants), countries)| {
                let mut countries: Vec<CountryCode> =
                    countries.into_iter().map(|c| CountryCode::parse(c).unwrap()).collect();
                countries.dedup();
                ActivityFacts {
                    kind: ActivityKind::ALL[k],
                    starts_on: NaiveDate::from_yo_opt(y, d.min(365)).unwrap(),
                    hours: Hours::from_hundredths("hours", h).unwrap(),
                    own_cost: Sek::from_ore("own_cost", own).unwrap(),
                    external_cost: Sek::from_ore("external_cost", ext).unwrap(),
                    women,
                    men,
                    participants,
                    countries,
                }
            })
    }

    proptest! {
        /// Every breakdown sums to the total, and the total sums the year's activities and
        /// no others.
        #[test]
        fn the_kinds_of_work_sum_to_the_total(activities in proptest::collection::vec(activity(), 0..40)) {
            let year = 2026;
            match Figures::compute(year, &activities, &[]) {
                Ok(f) => {
                    let mine: Vec<&ActivityFacts> = activities.iter().filter(|a| a.starts_on.year() == year).collect();
                    prop_assert_eq!(f.total.activities, mine.len() as u64);
                    prop_assert_eq!(f.total.hours, mine.iter().map(|a| u64::from(a.hours.hundredths())).sum::<u64>());
                    prop_assert_eq!(i128::from(f.total.own_cost), mine.iter().map(|a| i128::from(a.own_cost.ore())).sum::<i128>());
                    let sum = |pick: fn(&Totals) -> i128| f.by_work_kind.iter().map(|(_, t)| pick(t)).sum::<i128>();
                    prop_assert_eq!(sum(|t| i128::from(t.activities)), i128::from(f.total.activities));
                    prop_assert_eq!(sum(|t| i128::from(t.hours)), i128::from(f.total.hours));
                    prop_assert_eq!(sum(|t| i128::from(t.own_cost)), i128::from(f.total.own_cost));
                    prop_assert_eq!(sum(|t| i128::from(t.external_cost)), i128::from(f.total.external_cost));
                    prop_assert_eq!(sum(|t| i128::from(t.participants)), i128::from(f.total.participants));
                    prop_assert_eq!(sum(|t| i128::from(t.women) + i128::from(t.men)), i128::from(f.total.women + f.total.men));
                    prop_assert_eq!(f.by_work_kind.len(), WorkKind::ALL.len());
                    let visits: u64 = mine.iter().map(|a| a.countries.len() as u64).sum();
                    prop_assert_eq!(f.countries.iter().map(|(_, n)| n).sum::<u64>(), visits);
                    prop_assert!(f.countries.windows(2).all(|w| w[0].1 >= w[1].1));
                }
                // Amounts are at most 10^14 öre each: a year's sum fits many thousand times over.
                Err(e) => prop_assert!(false, "{e:?}"),
            }
        }

        /// No move leads out of the path, and every way to approval passes a submission.
        #[test]
        fn every_approval_follows_a_submission(steps in proptest::collection::vec(0..ReportStatus::ALL.len(), 0..12)) {
            let mut at = ReportStatus::Draft;
            let mut submitted_since_edit = false;
            for s in steps {
                let to = ReportStatus::ALL[s];
                if at.change_to(to, Some("Rätta timmarna.")).is_ok() {
                    prop_assert!(at.moves().iter().any(|m| m.to == to));
                    if to == ReportStatus::Approved {
                        prop_assert!(submitted_since_edit && at == ReportStatus::Submitted);
                    }
                    submitted_since_edit = to == ReportStatus::Submitted || (submitted_since_edit && to != ReportStatus::Returned);
                    at = to;
                } else {
                    prop_assert!(!at.moves().iter().any(|m| m.to == to));
                }
            }
        }
    }
}
