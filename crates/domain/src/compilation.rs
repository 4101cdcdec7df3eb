//! The compilation (rule 8, its second half): the year's international work of every
//! administration and company, compiled centrally and presented to the council.
//!
//! Here: the compilation's path (draft → final → presented with the council's decision; a
//! final or presented compilation is reopened only with a note of what is corrected, and each
//! finalising freezes a new numbered version), and the arithmetic — the year's activities
//! summed per organisation, priority area, kind of work and country; the projects' money per
//! funding programme with the co-funding attracted and its leverage; the share of new
//! development projects whose co-funding was assessed before they left planning (the
//! programme's demand, measured); twin-town and network activity; participants by gender;
//! every organisation's report with its goal contributions; the years before, for comparison.
//!
//! Every breakdown is a partition: each activity is counted in exactly one part, so the parts
//! always add up to the total. An activity in several countries (or under a project in several
//! priority areas) counts in a part of its own ("several"); how often each country was named
//! is a separate count that may add up to more.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::{Datelike, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::activity::ActivityKind;
use crate::country::CountryCode;
use crate::error::FieldError;
use crate::governance::{Decision, Move, needs_council};
use crate::money::Sek;
use crate::programme::WorkKind;
use crate::project::FundingStatus;
use crate::report::{ActivityFacts, ProjectFacts, ReportStatus, Totals};
use crate::text::{OptionalText, swedish_cmp};

code_enum! {
    /// A compilation's path: a draft (figures as the data says now) → final (frozen as a
    /// numbered version) → presented to the council (with its decision). Reopening a final or
    /// presented compilation for a correction makes the next finalising a new version.
    CompilationStatus, "status" {
        /// Computed from the data as it is now.
        Draft = "draft", "Utkast", "Draft";
        /// Frozen: editing the data afterwards changes nothing in it.
        Final = "final", "Slutlig", "Final";
        /// Presented to the council, with its decision.
        Presented = "presented", "Redovisad för fullmäktige", "Presented to the council";
    }
}

impl CompilationStatus {
    /// `Some(needs a council decision)` when the path allows `self` → `to`.
    fn route(self, to: CompilationStatus) -> Option<bool> {
        use CompilationStatus::{Draft, Final, Presented};
        match (self, to) {
            (Draft, Final) | (Final | Presented, Draft) => Some(false),
            (Final, Presented) => Some(true),
            _ => None,
        }
    }

    /// Every move the path allows from `self`.
    pub fn moves(self) -> Vec<Move<CompilationStatus>> {
        Self::ALL
            .iter()
            .filter_map(|to| self.route(*to).map(|needs_decision| Move { to: *to, needs_decision }))
            .collect()
    }

    /// May a compilation go from `self` to `to`? Presenting it needs the council's decision
    /// from the register; reopening a final or presented one needs a note of what is
    /// corrected (the versions before stay readable).
    pub fn change_to(
        self,
        to: CompilationStatus,
        decision: Option<&Decision>,
        comment: Option<&str>,
    ) -> Result<(), FieldError> {
        let Some(needs_decision) = self.route(to) else {
            return Err(crate::governance::refused("a compilation", self, to));
        };
        if needs_decision {
            needs_council(decision, "presenting the compilation")?;
        }
        let comment = OptionalText::parse("comment", comment, crate::report::PART_MAX)?;
        if to == CompilationStatus::Draft && comment.as_deref().is_none() {
            return Err(FieldError::rule(
                "comment",
                "required",
                "reopening a frozen compilation needs a note of what is corrected",
                "att öppna en fryst sammanställning igen kräver en anteckning om vad som rättas",
            ));
        }
        Ok(())
    }

    /// Only a compilation presented to the council is published for anyone to read.
    pub fn check_publishable(self) -> Result<(), FieldError> {
        if self == CompilationStatus::Presented {
            return Ok(());
        }
        Err(FieldError::rule(
            "status",
            "not_presented",
            "only a compilation presented to the council is published",
            "bara en sammanställning som redovisats för fullmäktige publiceras",
        )
        .of_state())
    }
}

/// A reporting organisation (administration or company) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: i64,
    pub name: String,
}

/// An id and a name (a priority area, a funding programme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// An activity as the compilation sees it: the organisation whose report counts it, the
/// project it belongs to, and its facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledActivity {
    pub unit: i64,
    pub project_id: Option<i64>,
    pub facts: ActivityFacts,
}

/// Activities alike for every breakdown — the same reporting organisation, project, kind of
/// work, countries (in their order) and year — summed. The compilation counts groups, not
/// single activities: each breakdown puts a whole group in one part, so summing groups gives
/// the same figures as summing their activities one by one ([`group_activities`] is the
/// rule; the database groups the same way so that a year of 100 000 activities arrives as a
/// few thousand rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityGroup {
    pub unit: i64,
    pub project_id: Option<i64>,
    pub kind: ActivityKind,
    pub countries: Vec<CountryCode>,
    /// The year the activities start in.
    pub year: i32,
    pub totals: Totals,
}

impl ActivityGroup {
    /// The group of one activity.
    pub fn of(a: &CompiledActivity) -> Result<Self, FieldError> {
        let mut totals = Totals::default();
        totals.add(&a.facts).ok_or_else(overflow)?;
        Ok(Self {
            unit: a.unit,
            project_id: a.project_id,
            kind: a.facts.kind,
            countries: a.facts.countries.clone(),
            year: a.facts.starts_on.year(),
            totals,
        })
    }

    fn key(&self) -> GroupKey {
        (self.unit, self.project_id, self.kind, self.countries.clone(), self.year)
    }
}

/// What makes activities alike: unit, project, kind, countries, year.
type GroupKey = (i64, Option<i64>, ActivityKind, Vec<CountryCode>, i32);

/// Groups activities alike (see [`ActivityGroup`]), in the order each group first appears.
pub fn group_activities(activities: &[CompiledActivity]) -> Result<Vec<ActivityGroup>, FieldError> {
    let mut groups: Vec<ActivityGroup> = Vec::new();
    let mut at: HashMap<GroupKey, usize> = HashMap::new();
    for a in activities {
        let g = ActivityGroup::of(a)?;
        match at.get(&g.key()) {
            Some(i) => groups[*i].totals.merge(&g.totals).ok_or_else(overflow)?,
            None => {
                at.insert(g.key(), groups.len());
                groups.push(g);
            }
        }
    }
    Ok(groups)
}

/// A project as the compilation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledProject {
    pub title: String,
    pub facts: ProjectFacts,
    pub priority_areas: Vec<i64>,
    /// Own money of the whole period.
    pub own: Sek,
    /// `(funding programme id, where the application stands, amount in kronor)`.
    pub funding: Vec<(i64, FundingStatus, Sek)>,
    /// When it left planning (to apply or to start), if it has.
    pub left_planning_at: Option<NaiveDateTime>,
    /// When its first co-funding assessment was recorded, if one was.
    pub first_assessed_at: Option<NaiveDateTime>,
}

/// A twin town as the compilation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwinTownFacts {
    pub town: String,
    pub country: String,
    pub active: bool,
}

/// An organisation's report as the compilation shows it: its latest version handed in, or
/// its draft state when none was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub organisation_id: i64,
    pub organisation: String,
    pub status: String,
    pub days_late: u32,
    /// The number of the version shown; `None` when the report was never handed in.
    pub version: Option<i32>,
    pub narrative: String,
    /// `(figure code, computed, reported, reason)` for each figure the reporter corrected.
    pub corrections: Vec<ReportedCorrection>,
    pub contributions: Vec<GoalContribution>,
}

/// A figure an organisation corrected in its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedCorrection {
    pub figure: String,
    pub computed: i64,
    pub reported: i64,
    pub reason: String,
}

/// How an organisation's work contributed to a goal, in its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalContribution {
    pub goal: String,
    pub contribution: String,
}

/// Everything a compilation is computed from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub year: i32,
    /// The organisations a part is shown for, also when they did nothing this year.
    pub units: Vec<Unit>,
    /// The year's activities, grouped (groups of other years are left out).
    pub activities: Vec<ActivityGroup>,
    pub projects: Vec<CompiledProject>,
    pub priority_areas: Vec<Named>,
    pub funding_programmes: Vec<Named>,
    pub twin_towns: Vec<TwinTownFacts>,
    pub active_collaborations: u64,
    pub reports: Vec<ReportSummary>,
    /// The years before, for the comparison: each as frozen in that year's final
    /// compilation (what the council was told wins over a recount of data edited since), or
    /// else summed from its activities now.
    pub earlier_years: Vec<YearTotals>,
}

/// One part of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The organisation's or priority area's id, the kind of work's or country's code, or
    /// `several`, `none` or `other`.
    pub key: String,
    /// Its Swedish name, as it was when compiled.
    pub label: String,
    pub totals: Totals,
}

/// How many activities named a country (an activity may name several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryCount {
    pub country: String,
    pub label: String,
    pub activities: u64,
}

/// Projects' money from one funding programme (whole project periods), in öre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingPart {
    pub key: String,
    pub label: String,
    pub applied: i64,
    pub granted: i64,
}

/// The money of the projects worked on in the year (whole project periods), in öre.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Funding {
    pub projects: u64,
    pub own: i64,
    pub applied: i64,
    pub granted: i64,
    /// Granted kronor per own krona, in hundredths.
    pub leverage: Option<i64>,
    pub by_programme: Vec<FundingPart>,
}

/// The programme's demand, measured: of the development projects that left planning in the
/// year, how many had their co-funding assessed before.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Gate {
    pub left_planning: u64,
    pub assessed_before: u64,
    /// In basis points; `None` when no project left planning.
    pub share: Option<u32>,
    /// The titles of those without an assessment before, for follow-up.
    pub not_assessed: Vec<String>,
}

/// Twin-town and network activity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Twinning {
    /// The active twin towns, `town (country)`.
    pub twin_towns: Vec<String>,
    /// Activities that named a country of an active twin town.
    pub activities_in_twin_countries: u64,
    pub network_meetings: u64,
    pub active_collaborations: u64,
}

/// A year's totals, for the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTotals {
    pub year: i32,
    pub totals: Totals,
    /// Taken from that year's frozen compilation (else counted from the data now).
    pub frozen: bool,
}

/// A compiled year: every figure and text the council gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compilation {
    pub year: i32,
    pub total: Totals,
    pub by_organisation: Vec<Part>,
    pub by_priority_area: Vec<Part>,
    pub by_work_kind: Vec<Part>,
    pub by_country: Vec<Part>,
    pub countries_named: Vec<CountryCount>,
    pub funding: Funding,
    pub gate: Gate,
    pub twinning: Twinning,
    pub reports: Vec<ReportSummary>,
    /// The four years before and this one, oldest first.
    pub years: Vec<YearTotals>,
}

/// How many years the comparison shows, this one included.
pub const YEARS_COMPARED: i32 = 5;

fn overflow() -> FieldError {
    FieldError::rule(
        "figures",
        "out_of_range",
        "the year's figures are too large to sum",
        "årets siffror är för stora för att summeras",
    )
}

/// A breakdown being summed: its parts in order, found by a key of the caller's (an id, a
/// code) without a search through them.
struct Parts<K> {
    parts: Vec<Part>,
    at: HashMap<K, usize>,
}

impl<K: Hash + Eq> Parts<K> {
    fn new() -> Self {
        Self { parts: Vec::new(), at: HashMap::new() }
    }

    /// A part shown even when nothing counts in it.
    fn shown(&mut self, k: K, key: String, label: String) {
        self.at.insert(k, self.parts.len());
        self.parts.push(Part { key, label, totals: Totals::default() });
    }

    /// Adds `a` to the part of `k`, made with `named` (its key and label) when new.
    fn add(&mut self, k: K, named: impl FnOnce() -> (String, String), a: &Totals) -> Result<(), FieldError> {
        let at = match self.at.get(&k) {
            Some(at) => *at,
            None => {
                let (key, label) = named();
                self.shown(k, key, label);
                self.parts.len() - 1
            }
        };
        self.parts[at].totals.merge(a).ok_or_else(overflow)
    }
}

/// Where an activity counts among priority areas or countries: one, several or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Among<T> {
    One(T),
    Several,
    Nothing,
}

fn among<T: Copy>(items: &[T]) -> Among<T> {
    match items {
        [] => Among::Nothing,
        [one] => Among::One(*one),
        _ => Among::Several,
    }
}

fn several_or_none(parts: &mut [Part]) {
    // `several`, then `other`, then `none` after the named parts, in that order.
    let rank = |p: &Part| match p.key.as_str() {
        "several" => 1,
        "other" => 2,
        "none" => 3,
        _ => 0,
    };
    parts.sort_by_key(rank);
}

fn add_checked(a: i64, b: i64) -> Result<i64, FieldError> {
    a.checked_add(b).ok_or_else(overflow)
}

impl Compilation {
    /// Compiles `s.year` from its sources. Sums are exact; one that would overflow is refused
    /// rather than wrapped. The same sources give the same compilation, so a frozen one can be
    /// checked against a recount.
    pub fn compute(s: &Sources) -> Result<Self, FieldError> {
        let year = s.year;
        let this_year: Vec<&ActivityGroup> = s.activities.iter().filter(|a| a.year == year).collect();
        let mut total = Totals::default();
        for a in &this_year {
            total.merge(&a.totals).ok_or_else(overflow)?;
        }

        // Per organisation: every unit, Swedish order, then activities of others.
        let mut units: Vec<&Unit> = s.units.iter().collect();
        units.sort_by(|a, b| swedish_cmp(&a.name, &b.name).then(a.id.cmp(&b.id)));
        let mut by_organisation = Parts::new();
        for u in units {
            by_organisation.shown(Some(u.id), u.id.to_string(), u.name.clone());
        }
        let other = || ("other".to_owned(), "Övriga organisationer".to_owned());
        for a in &this_year {
            let known = by_organisation.at.contains_key(&Some(a.unit));
            by_organisation.add(known.then_some(a.unit), other, &a.totals)?;
        }

        // Per priority area (in the order given: the programme's numbering), through the
        // activity's project.
        let projects: HashMap<i64, &CompiledProject> = s.projects.iter().map(|p| (p.facts.id, p)).collect();
        let mut by_priority_area = Parts::new();
        for area in &s.priority_areas {
            by_priority_area.shown(Among::One(area.id), area.id.to_string(), area.name.clone());
        }
        for a in &this_year {
            let areas: Vec<i64> = a
                .project_id
                .and_then(|id| projects.get(&id))
                .map(|p| {
                    p.priority_areas
                        .iter()
                        .copied()
                        .filter(|id| by_priority_area.at.contains_key(&Among::One(*id)))
                        .collect()
                })
                .unwrap_or_default();
            let named = |k: Among<i64>| {
                move || match k {
                    Among::Several => ("several".to_owned(), "Flera prioriterade områden".to_owned()),
                    _ => ("none".to_owned(), "Inget prioriterat område".to_owned()),
                }
            };
            let k = among(&areas);
            by_priority_area.add(k, named(k), &a.totals)?;
        }
        let mut by_priority_area = by_priority_area.parts;
        several_or_none(&mut by_priority_area);

        // Per kind of work, in the programme's order.
        let mut by_work_kind = Parts::new();
        for k in WorkKind::ALL {
            by_work_kind.shown(*k, k.code().to_owned(), k.swedish().to_owned());
        }
        for a in &this_year {
            by_work_kind.add(a.kind.work_kind(), || (String::new(), String::new()), &a.totals)?;
        }

        // Per country (a partition), and how often each was named.
        let mut by_country = Parts::new();
        let mut named: HashMap<CountryCode, u64> = HashMap::new();
        for a in &this_year {
            let k = among(&a.countries);
            let label = move || match k {
                Among::One(c) => (c.as_str().to_owned(), c.swedish().to_owned()),
                Among::Several => ("several".to_owned(), "Flera länder".to_owned()),
                Among::Nothing => ("none".to_owned(), "Inget land angivet".to_owned()),
            };
            by_country.add(k, label, &a.totals)?;
            for c in &a.countries {
                *named.entry(*c).or_default() += a.totals.activities;
            }
        }
        let mut by_country = by_country.parts;
        by_country.sort_by(|a, b| {
            b.totals.activities.cmp(&a.totals.activities).then_with(|| swedish_cmp(&a.label, &b.label))
        });
        several_or_none(&mut by_country);
        let mut countries_named: Vec<CountryCount> = named
            .into_iter()
            .map(|(c, activities)| CountryCount {
                country: c.as_str().to_owned(),
                label: c.swedish().to_owned(),
                activities,
            })
            .collect();
        countries_named.sort_by(|a, b| {
            b.activities
                .cmp(&a.activities)
                .then_with(|| swedish_cmp(&a.label, &b.label))
                .then_with(|| a.country.cmp(&b.country))
        });

        let funding = funding(s)?;
        let gate = gate(s);
        let twinning = twinning(s, &this_year);

        let mut reports = s.reports.clone();
        reports.sort_by(|a, b| {
            swedish_cmp(&a.organisation, &b.organisation).then(a.organisation_id.cmp(&b.organisation_id))
        });

        // The years before (each once, oldest first; those outside the comparison left out),
        // then this one.
        let mut years: Vec<YearTotals> = Vec::new();
        for y in (year - (YEARS_COMPARED - 1))..year {
            let given = s.earlier_years.iter().find(|e| e.year == y);
            years.push(given.cloned().unwrap_or(YearTotals {
                year: y,
                totals: Totals::default(),
                frozen: false,
            }));
        }
        years.push(YearTotals { year, totals: total, frozen: false });

        Ok(Self {
            year,
            total,
            by_organisation: by_organisation.parts,
            by_priority_area,
            by_work_kind: by_work_kind.parts,
            by_country,
            countries_named,
            funding,
            gate,
            twinning,
            reports,
            years,
        })
    }

    /// The breakdowns that partition the year's activities, with their Swedish titles.
    pub fn breakdowns(&self) -> [(&'static str, &[Part]); 4] {
        [
            ("Per organisation", &self.by_organisation),
            ("Per prioriterat område", &self.by_priority_area),
            ("Per typ av arbete", &self.by_work_kind),
            ("Per land", &self.by_country),
        ]
    }
}

fn funding(s: &Sources) -> Result<Funding, FieldError> {
    let mut f = Funding::default();
    let mut by_programme: Vec<FundingPart> = Vec::new();
    for p in s.projects.iter().filter(|p| p.facts.active_in(s.year)) {
        f.projects += 1;
        f.own = add_checked(f.own, p.own.ore())?;
        for (programme, status, amount) in &p.funding {
            let key = programme.to_string();
            let at = match by_programme.iter().position(|b| b.key == key) {
                Some(at) => at,
                None => {
                    let label = s
                        .funding_programmes
                        .iter()
                        .find(|n| n.id == *programme)
                        .map_or_else(|| format!("Program {programme}"), |n| n.name.clone());
                    by_programme.push(FundingPart { key, label, applied: 0, granted: 0 });
                    by_programme.len() - 1
                }
            };
            let part = &mut by_programme[at];
            match status {
                FundingStatus::Applied => {
                    part.applied = add_checked(part.applied, amount.ore())?;
                    f.applied = add_checked(f.applied, amount.ore())?;
                }
                FundingStatus::Granted | FundingStatus::Paid => {
                    part.granted = add_checked(part.granted, amount.ore())?;
                    f.granted = add_checked(f.granted, amount.ore())?;
                }
                FundingStatus::Rejected => {}
            }
        }
    }
    by_programme.sort_by(|a, b| b.granted.cmp(&a.granted).then_with(|| swedish_cmp(&a.label, &b.label)));
    f.by_programme = by_programme;
    f.leverage = Sek::from_ore("own", f.own)
        .ok()
        .zip(Sek::from_ore("granted", f.granted).ok())
        .and_then(|(own, granted)| crate::money::leverage(own, granted));
    Ok(f)
}

fn gate(s: &Sources) -> Gate {
    let mut g = Gate::default();
    let mut left: Vec<&CompiledProject> = s
        .projects
        .iter()
        .filter(|p| p.facts.kind == WorkKind::Development)
        .filter(|p| p.left_planning_at.is_some_and(|t| t.year() == s.year))
        .collect();
    left.sort_by(|a, b| swedish_cmp(&a.title, &b.title));
    for p in left {
        g.left_planning += 1;
        let before = matches!((p.first_assessed_at, p.left_planning_at), (Some(a), Some(l)) if a <= l);
        if before {
            g.assessed_before += 1;
        } else {
            g.not_assessed.push(p.title.clone());
        }
    }
    g.share = (g.left_planning > 0)
        .then(|| u32::try_from(g.assessed_before * 10_000 / g.left_planning).unwrap_or(10_000));
    g
}

fn twinning(s: &Sources, this_year: &[&ActivityGroup]) -> Twinning {
    let active: Vec<&TwinTownFacts> = s.twin_towns.iter().filter(|t| t.active).collect();
    let mut twin_towns: Vec<String> = active
        .iter()
        .map(|t| {
            let country = crate::country::swedish_name(&t.country).unwrap_or(&t.country);
            format!("{} ({country})", t.town)
        })
        .collect();
    twin_towns.sort_by(|a, b| swedish_cmp(a, b));
    let activities_in_twin_countries = this_year
        .iter()
        .filter(|a| a.countries.iter().any(|c| active.iter().any(|t| t.country == c.as_str())))
        .map(|a| a.totals.activities)
        .sum();
    let network_meetings = this_year
        .iter()
        .filter(|a| a.kind == ActivityKind::NetworkMeeting)
        .map(|a| a.totals.activities)
        .sum();
    Twinning {
        twin_towns,
        activities_in_twin_countries,
        network_meetings,
        active_collaborations: s.active_collaborations,
    }
}

/// Whether a report in `status` counts as handed in for the compilation.
pub fn handed_in(status: ReportStatus) -> bool {
    matches!(status, ReportStatus::Submitted | ReportStatus::Approved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ProjectStatus;
    use crate::{activity::Hours, governance::DecisionInput};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn activity(
        unit: i64,
        project_id: Option<i64>,
        kind: ActivityKind,
        on: NaiveDate,
        countries: &[&str],
    ) -> CompiledActivity {
        CompiledActivity {
            unit,
            project_id,
            facts: ActivityFacts {
                kind,
                starts_on: on,
                hours: Hours::from_hundredths("hours", 1_050).unwrap(),
                own_cost: Sek::from_ore("own", 100_000).unwrap(),
                external_cost: Sek::from_ore("ext", 50_000).unwrap(),
                women: 2,
                men: 1,
                participants: 4,
                countries: countries.iter().map(|c| CountryCode::parse(c).unwrap()).collect(),
            },
        }
    }

    fn project(id: i64, title: &str, areas: &[i64]) -> CompiledProject {
        CompiledProject {
            title: title.to_owned(),
            facts: ProjectFacts {
                id,
                kind: WorkKind::Development,
                status: ProjectStatus::Ongoing,
                period_from: Some(day(2026, 1, 1)),
                period_to: Some(day(2027, 12, 31)),
            },
            priority_areas: areas.to_vec(),
            own: Sek::from_ore("own", 1_000_000).unwrap(),
            funding: vec![],
            left_planning_at: None,
            first_assessed_at: None,
        }
    }

    fn sources() -> Sources {
        Sources {
            year: 2026,
            units: vec![
                Unit { id: 1, name: "Tekniska förvaltningen".into() },
                Unit { id: 2, name: "Barn- och utbildningsförvaltningen".into() },
                Unit { id: 3, name: "Ägarbolaget".into() },
            ],
            activities: group_activities(&[
                activity(1, Some(10), ActivityKind::NetworkMeeting, day(2026, 3, 1), &["DE"]),
                activity(1, Some(11), ActivityKind::StudyVisit, day(2026, 4, 1), &["DE", "PL"]),
                activity(2, None, ActivityKind::Exchange, day(2026, 5, 1), &[]),
                activity(9, None, ActivityKind::Fair, day(2026, 6, 1), &["PL"]),
                activity(2, None, ActivityKind::Exchange, day(2025, 5, 1), &["PL"]),
            ])
            .unwrap(),
            earlier_years: vec![YearTotals {
                year: 2025,
                totals: Totals { activities: 1, ..Totals::default() },
                frozen: false,
            }],
            projects: vec![project(10, "Rent vatten", &[100]), project(11, "Skolutbyte", &[100, 101])],
            priority_areas: vec![
                Named { id: 100, name: "Hållbar utveckling".into() },
                Named { id: 101, name: "Kompetens".into() },
            ],
            funding_programmes: vec![Named { id: 7, name: "Interreg Östersjön".into() }],
            twin_towns: vec![
                TwinTownFacts { town: "Lohja".into(), country: "FI".into(), active: true },
                TwinTownFacts { town: "Wągrowiec".into(), country: "PL".into(), active: true },
            ],
            active_collaborations: 2,
            reports: vec![],
        }
    }

    #[test]
    fn each_activity_counts_once_per_breakdown_in_its_part() {
        let c = Compilation::compute(&sources()).unwrap();
        assert_eq!(c.total.activities, 4, "2025's exchange is left out of 2026");
        let labels: Vec<&str> = c.by_organisation.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Barn- och utbildningsförvaltningen",
                "Tekniska förvaltningen",
                "Ägarbolaget",
                "Övriga organisationer"
            ]
        );
        assert_eq!(c.by_organisation[1].totals.activities, 2);
        assert_eq!(c.by_organisation[2].totals.activities, 0, "an organisation with nothing is shown");
        let area = |key: &str| c.by_priority_area.iter().find(|p| p.key == key).map(|p| p.totals.activities);
        assert_eq!(
            (area("100"), area("101"), area("several"), area("none")),
            (Some(1), Some(0), Some(1), Some(2))
        );
        let country = |key: &str| c.by_country.iter().find(|p| p.key == key).map(|p| p.totals.activities);
        assert_eq!(
            (country("DE"), country("PL"), country("several"), country("none")),
            (Some(1), Some(1), Some(1), Some(1))
        );
        assert_eq!(c.by_country.last().unwrap().key, "none");
        let named: Vec<(&str, u64)> =
            c.countries_named.iter().map(|n| (n.country.as_str(), n.activities)).collect();
        assert_eq!(named, [("PL", 2), ("DE", 2)], "most named first, then Polen before Tyskland");
        assert_eq!(c.twinning.twin_towns, ["Lohja (Finland)", "Wągrowiec (Polen)"]);
        assert_eq!(
            (
                c.twinning.activities_in_twin_countries,
                c.twinning.network_meetings,
                c.twinning.active_collaborations
            ),
            (2, 1, 2)
        );
        assert_eq!(c.years.len(), 5);
        assert_eq!(
            (c.years[3].year, c.years[3].totals.activities, c.years[4].totals.activities),
            (2025, 1, 4)
        );
        assert_eq!((c.total.women, c.total.men, c.total.participants), (8, 4, 16));
    }

    #[test]
    fn project_money_is_summed_per_funding_programme_with_its_leverage() {
        let mut s = sources();
        let sek = |kr: i64| Sek::from_ore("x", kr * 100).unwrap();
        s.projects[0].funding =
            vec![(7, FundingStatus::Granted, sek(30_000)), (8, FundingStatus::Applied, sek(5_000))];
        s.projects[1].funding =
            vec![(7, FundingStatus::Paid, sek(10_000)), (7, FundingStatus::Rejected, sek(99_000))];
        let f = Compilation::compute(&s).unwrap().funding;
        assert_eq!((f.projects, f.own, f.granted, f.applied), (2, 2_000_000, 4_000_000, 500_000));
        assert_eq!(f.leverage, Some(200), "40 000 kr granted on 20 000 kr own");
        assert_eq!(f.by_programme[0].label, "Interreg Östersjön");
        assert_eq!(f.by_programme[1].label, "Program 8", "an unknown programme keeps its id");
    }

    #[test]
    fn the_gate_counts_development_projects_assessed_before_they_left_planning() {
        let mut s = sources();
        let at = |m: u32, d: u32| day(2026, m, d).and_hms_opt(12, 0, 0).unwrap();
        s.projects[0].left_planning_at = Some(at(3, 1));
        s.projects[0].first_assessed_at = Some(at(2, 1));
        s.projects[1].left_planning_at = Some(at(3, 1));
        s.projects[1].first_assessed_at = Some(at(4, 1));
        let mut before_the_year = project(12, "Gammalt", &[]);
        before_the_year.left_planning_at = Some(day(2025, 6, 1).and_hms_opt(0, 0, 0).unwrap());
        s.projects.push(before_the_year);
        let g = Compilation::compute(&s).unwrap().gate;
        assert_eq!((g.left_planning, g.assessed_before, g.share), (2, 1, Some(5_000)));
        assert_eq!(g.not_assessed, ["Skolutbyte"]);
    }

    #[test]
    fn the_comparison_shows_four_years_before_and_this_one_as_computed() {
        let mut s = sources();
        let told = Totals { activities: 9, ..Totals::default() };
        s.earlier_years = vec![
            YearTotals { year: 2025, totals: told, frozen: true },
            YearTotals { year: 2026, totals: told, frozen: true },
            YearTotals { year: 2019, totals: told, frozen: true },
        ];
        let c = Compilation::compute(&s).unwrap();
        assert_eq!(c.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2022, 2023, 2024, 2025, 2026]);
        assert_eq!(c.years[3], YearTotals { year: 2025, totals: told, frozen: true });
        assert_eq!(
            c.years[2],
            YearTotals { year: 2024, totals: Totals::default(), frozen: false },
            "a year without data"
        );
        assert_eq!((c.years[4].totals, c.years[4].frozen), (c.total, false), "this year is always computed");
    }

    #[test]
    fn a_compilation_is_final_then_presented_with_the_councils_decision() {
        use CompilationStatus::{Draft, Final, Presented};
        let decision = |body: &str| {
            Decision::parse(&DecisionInput {
                body: body.into(),
                date: Some(day(2027, 4, 20)),
                paragraph: "§ 41".into(),
                diarienummer: "KS 2027/12".into(),
                subject: "Redovisning av internationellt arbete 2026".into(),
                link: None,
            })
            .unwrap()
        };
        assert!(Draft.change_to(Final, None, None).is_ok());
        assert!(Final.change_to(Presented, Some(&decision("council")), None).is_ok());
        let e = Final.change_to(Presented, None, None).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("decision", "council_decision"));
        let e = Final.change_to(Presented, Some(&decision("executive_board")), None).unwrap_err();
        assert_eq!(e.code, "council_decision");
        assert_eq!(Draft.change_to(Presented, None, None).unwrap_err().field, "status");
        assert_eq!(Final.change_to(Draft, None, None).unwrap_err().code, "required");
        assert!(Presented.change_to(Draft, None, Some("Rättar timmarna för Tekniska.")).is_ok());
        assert!(Presented.check_publishable().is_ok());
        assert_eq!(Final.check_publishable().unwrap_err().code, "not_presented");
    }

    fn arb_activity() -> impl Strategy<Value = CompiledActivity> {
        let kinds = proptest::sample::select(ActivityKind::ALL.to_vec());
        let countries = proptest::sample::subsequence(vec!["DE", "PL", "FI", "NO", "EE"], 0..=3);
        (
            0i64..5,
            proptest::option::of(0i64..4),
            kinds,
            2024i32..=2027,
            1u32..=365,
            countries,
            0u32..1_000_000,
            0i64..10_000_000_000,
            0i64..10_000_000_000,
            0u32..100,
            0u32..100,
            0u32..50,
        )
            .prop_map(
                |(unit, project, kind, y, d, countries, hours, own, ext, women, men, extra)| {
                    CompiledActivity {
                        unit,
                        project_id: project,
                        facts: ActivityFacts {
                            kind,
                            starts_on: NaiveDate::from_yo_opt(y, d).unwrap(),
                            hours: Hours::from_hundredths("h", i64::from(hours)).unwrap(),
                            own_cost: Sek::from_ore("o", own).unwrap(),
                            external_cost: Sek::from_ore("e", ext).unwrap(),
                            women,
                            men,
                            participants: women + men + extra,
                            countries: countries.iter().map(|c| CountryCode::parse(c).unwrap()).collect(),
                        },
                    }
                },
            )
    }

    fn arb_sources() -> impl Strategy<Value = Sources> {
        arb_activities_and_sources().prop_map(|(_, s)| s)
    }

    /// Sources with each activity a group of its own, and the activities.
    fn arb_activities_and_sources() -> impl Strategy<Value = (Vec<CompiledActivity>, Sources)> {
        let areas =
            proptest::collection::vec(proptest::sample::subsequence(vec![100i64, 101, 102, 999], 0..=3), 4);
        let funding = proptest::collection::vec(
            proptest::collection::vec(
                (6i64..9, proptest::sample::select(FundingStatus::ALL.to_vec()), 0i64..1_000_000_000),
                0..4,
            ),
            4,
        );
        (proptest::collection::vec(arb_activity(), 0..60), areas, funding).prop_map(
            |(activities, areas, funding)| {
                let mut s = sources();
                s.activities = activities.iter().map(|a| ActivityGroup::of(a).unwrap()).collect();
                s.projects = (0..4)
                    .map(|id| {
                        let mut p = project(id, &format!("Projekt {id}"), &areas[id as usize]);
                        p.funding = funding[id as usize]
                            .iter()
                            .map(|(prog, st, ore)| (*prog, *st, Sek::from_ore("a", *ore).unwrap()))
                            .collect();
                        p
                    })
                    .collect();
                (activities, s)
            },
        )
    }

    proptest! {
        #[test]
        fn every_breakdown_adds_up_to_the_total(s in arb_sources()) {
            let c = Compilation::compute(&s).unwrap();
            for (title, parts) in c.breakdowns() {
                let mut sum = Totals::default();
                for p in parts {
                    sum.activities += p.totals.activities;
                    sum.hours += p.totals.hours;
                    sum.own_cost += p.totals.own_cost;
                    sum.external_cost += p.totals.external_cost;
                    sum.women += p.totals.women;
                    sum.men += p.totals.men;
                    sum.participants += p.totals.participants;
                }
                prop_assert_eq!(sum, c.total, "{}", title);
            }
            let granted: i64 = c.funding.by_programme.iter().map(|p| p.granted).sum();
            let applied: i64 = c.funding.by_programme.iter().map(|p| p.applied).sum();
            prop_assert_eq!((granted, applied), (c.funding.granted, c.funding.applied));
            prop_assert_eq!(c.years.last().map(|y| y.totals), Some(c.total));
            let named: u64 = c.countries_named.iter().map(|n| n.activities).sum();
            let with_country = c.total.activities - c.by_country.iter().find(|p| p.key == "none").map_or(0, |p| p.totals.activities);
            prop_assert!(named >= with_country, "every activity with a country names one at least");
        }

        #[test]
        fn activities_grouped_compile_as_they_do_one_by_one((activities, s) in arb_activities_and_sources()) {
            // Every activity twice, so that groups do form.
            let twice: Vec<CompiledActivity> = activities.iter().chain(&activities).cloned().collect();
            let mut one_by_one = s.clone();
            one_by_one.activities = twice.iter().map(|a| ActivityGroup::of(a).unwrap()).collect();
            let mut grouped = s.clone();
            grouped.activities = group_activities(&twice).unwrap();
            prop_assert!(grouped.activities.len() <= activities.len());
            let in_groups: u64 = grouped.activities.iter().map(|g| g.totals.activities).sum();
            prop_assert_eq!(in_groups, twice.len() as u64);
            prop_assert_eq!(Compilation::compute(&grouped).unwrap(), Compilation::compute(&one_by_one).unwrap());
        }

        #[test]
        fn a_frozen_snapshot_equals_a_fresh_compilation_of_the_same_data(s in arb_sources()) {
            let c = Compilation::compute(&s).unwrap();
            let frozen = serde_json::to_string(&c).unwrap();
            let thawed: Compilation = serde_json::from_str(&frozen).unwrap();
            prop_assert_eq!(&thawed, &Compilation::compute(&s).unwrap());
            prop_assert_eq!(thawed, c);
        }
    }
}
