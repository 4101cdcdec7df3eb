//! Goals pushed in from the styrkort system. The programme asks that the international
//! perspective be worked into the administrations' scorecards (styrkort) as goals and KPIs
//! (mål- och styrtal). The scorecard suite is where those goals are kept; it pushes them to
//! Utblick with its own ids, so that projects and annual reports link to the very goals the
//! scorecards follow up, and so that a goal can carry the targets of one of Utblick's KPIs.
//!
//! A scorecard is a goal framework that came from the styrkort system; its goals are
//! framework goals with an external id. A goal the styrkort system removes is archived, never
//! deleted: reports already handed in keep naming it.

use crate::error::{Collector, FieldError, ValidationErrors};
use crate::kpi::{Kpi, Scope, kpi_of};
use crate::text::{NonEmptyText, OptionalText};

/// The most targets one goal has (one per year).
pub const MAX_TARGETS: usize = 50;
/// The most goals one scorecard has.
pub const MAX_GOALS: usize = crate::framework::GoalFramework::MAX_GOALS;
/// The years a target may be set for.
pub const TARGET_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// The largest target value, either way (the largest KPI values are kronor).
pub const MAX_TARGET: f64 = 1e13;

/// The raw fields of a goal as the styrkort system sends it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalInput {
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    /// The organisation whose goal it is; none for a municipality-wide goal.
    pub organisation_id: Option<i64>,
    /// The KPI (`UTB0001` …) the goal is followed up by, if any.
    pub kpi: Option<String>,
    /// `(year, target value)` of that KPI.
    pub targets: Vec<(i64, f64)>,
}

/// A target of a KPI for one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub year: i32,
    pub value: f64,
}

/// A goal of a scorecard, valid by construction.
#[derive(Debug, Clone, PartialEq)]
pub struct PushedGoal {
    pub external_id: String,
    pub title: NonEmptyText,
    pub description: OptionalText,
    pub organisation_id: Option<i64>,
    pub kpi: Option<&'static Kpi>,
    /// By year, each year once.
    pub targets: Vec<Target>,
}

/// The styrkort system's id of a scorecard or a goal: 1–64 letters, digits, dots, hyphens or
/// underscores.
pub fn parse_external_id(field: &str, raw: &str) -> Result<String, FieldError> {
    match crate::organisation::parse_external_id(Some(raw)) {
        Ok(Some(id)) if id == raw => Ok(id),
        // Spaces around an id are not part of it: the id is as the styrkort system writes it.
        Ok(Some(_)) => Err(FieldError::rule(
            field,
            "external_id",
            "must be 1–64 letters, digits, dots, hyphens or underscores, as the styrkort system writes it",
            "ska vara 1–64 bokstäver, siffror, punkter, bindestreck eller understreck, som styrkortssystemet skriver det",
        )),
        Ok(None) => Err(FieldError::rule(field, "required", "is required", "måste anges")),
        Err(e) => Err(e.named(field)),
    }
}

/// The framework code a scorecard gets: `styrkort-` and its external id in lowercase, other
/// characters than letters and digits as hyphens, at most 40 characters (a framework code's
/// form, see [`crate::framework::parse_code`]).
pub fn scorecard_code(external_id: &str) -> String {
    let mut code = String::from("styrkort");
    for ch in external_id.chars().map(|c| c.to_ascii_lowercase()) {
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            if code.ends_with(|c: char| c.is_ascii_alphanumeric()) && code.len() == "styrkort".len() {
                code.push('-');
            }
            code.push(ch);
        } else if !code.ends_with('-') {
            code.push('-');
        }
    }
    code.truncate(40);
    code.trim_end_matches('-').to_owned()
}

impl PushedGoal {
    /// Every field checked at once. A goal with targets names its KPI; the KPI exists; a KPI
    /// counted for the whole municipality only has no organisation's goal; each year has one
    /// target, within [`TARGET_YEARS`].
    pub fn parse(i: &GoalInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let external_id = c.take(parse_external_id("external_id", &i.external_id));
        let title = c.take(NonEmptyText::title("title", &i.title));
        let description =
            c.take(OptionalText::parse("description", i.description.as_deref(), NonEmptyText::PROSE_MAX));
        let kpi = match i.kpi.as_deref() {
            None => None,
            Some(k) => match kpi_of(k) {
                Some(kpi) => Some(kpi),
                None => {
                    c.push(
                        FieldError::rule(
                            "kpi",
                            "unknown_kpi",
                            "is not one of Utblick's KPIs (see /api/v1/kpis)",
                            "är inget av Utblicks nyckeltal (se /api/v1/kpis)",
                        )
                        .with("value", k),
                    );
                    None
                }
            },
        };
        if let (Some(k), Some(_)) = (kpi, i.organisation_id)
            && k.scope == Scope::Municipality
        {
            c.push(
                FieldError::rule(
                    "organisation_id",
                    "municipality_only",
                    "this KPI is counted for the whole municipality only; leave the organisation out",
                    "nyckeltalet räknas bara för hela kommunen; ange ingen organisation",
                )
                .with("kpi", k.id),
            );
        }
        if !i.targets.is_empty() && i.kpi.is_none() {
            c.push(FieldError::rule(
                "kpi",
                "required",
                "a goal with targets names the KPI they are targets of",
                "ett mål med målvärden anger vilket nyckeltal de gäller",
            ));
        }
        crate::governance::check_at_most(&mut c, "targets", i.targets.len(), MAX_TARGETS);
        let mut targets: Vec<Target> = Vec::with_capacity(i.targets.len());
        for (at, (year, value)) in i.targets.iter().enumerate() {
            let year = i32::try_from(*year).ok().filter(|y| TARGET_YEARS.contains(y));
            let Some(year) = year else {
                c.push(
                    FieldError::rule(
                        format!("targets[{at}].year"),
                        "out_of_range",
                        "must be a year between 2000 and 2100",
                        "ska vara ett år mellan 2000 och 2100",
                    )
                    .with("min", TARGET_YEARS.start())
                    .with("max", TARGET_YEARS.end()),
                );
                continue;
            };
            if !value.is_finite() || value.abs() > MAX_TARGET {
                c.push(FieldError::rule(
                    format!("targets[{at}].value"),
                    "out_of_range",
                    "must be a number no larger than 10 000 000 000 000 either way",
                    "ska vara ett tal som inte är större än 10 000 000 000 000 åt något håll",
                ));
                continue;
            }
            if targets.iter().any(|t| t.year == year) {
                c.push(
                    FieldError::rule(
                        format!("targets[{at}].year"),
                        "duplicate",
                        "names a year twice",
                        "nämner ett år två gånger",
                    )
                    .with("year", year),
                );
                continue;
            }
            targets.push(Target { year, value: *value });
        }
        c.finish()?;
        targets.sort_by_key(|t| t.year);
        match (external_id, title, description) {
            (Some(external_id), Some(title), Some(description)) => {
                Ok(Self { external_id, title, description, organisation_id: i.organisation_id, kpi, targets })
            }
            _ => Err(ValidationErrors::single("title", "invalid")),
        }
    }
}

/// The raw fields of a whole scorecard as the styrkort system sends it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScorecardInput {
    pub external_id: String,
    pub name: String,
    /// Who keeps it (`Kommunstyrelsen`, `Barn- och utbildningsnämnden`).
    pub owner: String,
    pub description: Option<String>,
    /// The organisation whose scorecard it is; none for the municipality's own.
    pub organisation_id: Option<i64>,
    pub goals: Vec<GoalInput>,
}

/// A scorecard with its goals, valid by construction.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub external_id: String,
    pub name: NonEmptyText,
    pub owner: NonEmptyText,
    pub description: OptionalText,
    pub organisation_id: Option<i64>,
    pub goals: Vec<PushedGoal>,
}

impl Scorecard {
    /// Every field and goal checked at once; each goal's external id once.
    pub fn parse(i: &ScorecardInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let external_id = c.take(parse_external_id("external_id", &i.external_id));
        let name = c.take(NonEmptyText::title("name", &i.name));
        let owner = c.take(NonEmptyText::title("owner", &i.owner));
        let description =
            c.take(OptionalText::parse("description", i.description.as_deref(), NonEmptyText::PROSE_MAX));
        crate::governance::check_at_most(&mut c, "goals", i.goals.len(), MAX_GOALS);
        let mut goals: Vec<PushedGoal> = Vec::with_capacity(i.goals.len());
        for (at, g) in i.goals.iter().enumerate() {
            let prefix = format!("goals[{at}]");
            if let Some(g) = c.take_all(&prefix, PushedGoal::parse(g)) {
                goals.push(g);
            }
            let id = g.external_id.trim();
            if !id.is_empty() && i.goals[..at].iter().any(|o| o.external_id.trim() == id) {
                c.push(
                    FieldError::rule(
                        format!("{prefix}.external_id"),
                        "duplicate",
                        "names a goal twice",
                        "nämner ett mål två gånger",
                    )
                    .with("value", id),
                );
            }
        }
        c.finish()?;
        match (external_id, name, owner, description) {
            (Some(external_id), Some(name), Some(owner), Some(description)) => {
                Ok(Self { external_id, name, owner, description, organisation_id: i.organisation_id, goals })
            }
            _ => Err(ValidationErrors::single("name", "invalid")),
        }
    }
}

/// A goal the styrkort system removed (archived) is not linked anew: of the goals a project
/// or a report names (`asked`), those archived and not named by it already (`before`). What
/// already names a removed goal keeps naming it.
pub fn newly_linked_removed(asked: &[i64], archived: &[i64], before: &[i64]) -> Vec<i64> {
    asked.iter().copied().filter(|g| archived.contains(g) && !before.contains(g)).collect()
}

/// A target as stored: the goal that sets it, its KPI, whose and which year.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFact {
    pub goal_id: i64,
    pub kpi: String,
    pub organisation_id: Option<i64>,
    pub year: i32,
    pub value: f64,
}

/// A KPI has one target per organisation (or the municipality) and year: the first pair of
/// active goals that set a target for the same KPI, organisation and year, if any. What the
/// scorecard shows next to a KPI's value must not depend on which goal happens to be read
/// first.
pub fn clashing_targets(targets: &[TargetFact]) -> Option<(&TargetFact, &TargetFact)> {
    targets.iter().enumerate().find_map(|(n, a)| {
        targets[..n].iter().find_map(|b| {
            (a.goal_id != b.goal_id
                && a.kpi == b.kpi
                && a.organisation_id == b.organisation_id
                && a.year == b.year)
                .then_some((b, a))
        })
    })
}

/// The target of `kpi` for `organisation_id` (`None`: the municipality) in `year`, if a goal
/// sets one.
pub fn target_of(targets: &[TargetFact], kpi: &str, organisation_id: Option<i64>, year: i32) -> Option<f64> {
    targets
        .iter()
        .find(|t| t.kpi == kpi && t.organisation_id == organisation_id && t.year == year)
        .map(|t| t.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal() -> GoalInput {
        GoalInput {
            external_id: "BUN-M3".into(),
            title: "Fler elever deltar i internationella utbyten".into(),
            description: Some("Nämndmål 3 i barn- och utbildningsnämndens styrkort.".into()),
            organisation_id: Some(11),
            kpi: Some("UTB0005".into()),
            targets: vec![(2027, 60.0), (2026, 40.0)],
        }
    }

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn a_goal_names_its_kpi_and_one_target_a_year() {
        let g = PushedGoal::parse(&goal()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(g.kpi.map(|k| k.id), Some("UTB0005"));
        assert_eq!(g.targets.iter().map(|t| t.year).collect::<Vec<_>>(), [2026, 2027], "by year");
        let bad = GoalInput {
            external_id: " BUN-M3".into(),
            title: " ".into(),
            kpi: Some("UTB9999".into()),
            targets: vec![(1999, 1.0), (2026, f64::NAN), (2027, 1.0), (2027, 2.0)],
            ..goal()
        };
        let e = PushedGoal::parse(&bad).unwrap_err();
        assert_eq!(
            fields(&e),
            ["external_id", "title", "kpi", "targets[0].year", "targets[1].value", "targets[3].year"]
        );
        let blank = GoalInput { kpi: Some(String::new()), targets: vec![], ..goal() };
        assert_eq!(fields(&PushedGoal::parse(&blank).unwrap_err()), ["kpi"], "a KPI named is a KPI");
        let no_kpi = GoalInput { kpi: None, ..goal() };
        assert_eq!(fields(&PushedGoal::parse(&no_kpi).unwrap_err()), ["kpi"]);
        let plain = GoalInput { kpi: None, targets: vec![], ..goal() };
        assert!(PushedGoal::parse(&plain).is_ok(), "a goal without a KPI is a goal to link to");
    }

    #[test]
    fn a_municipality_kpi_has_no_organisations_goal() {
        let g = GoalInput { kpi: Some("UTB0009".into()), ..goal() };
        assert_eq!(fields(&PushedGoal::parse(&g).unwrap_err()), ["organisation_id"]);
        let whole = GoalInput { organisation_id: None, ..g };
        assert!(PushedGoal::parse(&whole).is_ok());
    }

    #[test]
    fn a_scorecard_names_each_goal_once() {
        let s = ScorecardInput {
            external_id: "BUN-2026".into(),
            name: "Barn- och utbildningsnämndens styrkort".into(),
            owner: "Barn- och utbildningsnämnden".into(),
            description: None,
            organisation_id: Some(11),
            goals: vec![goal(), GoalInput { external_id: "BUN-M4".into(), ..goal() }, goal()],
        };
        let e = Scorecard::parse(&s).unwrap_err();
        assert_eq!(fields(&e), ["goals[2].external_id"]);
        let ok = ScorecardInput { goals: s.goals[..2].to_vec(), ..s.clone() };
        assert_eq!(Scorecard::parse(&ok).map(|s| s.goals.len()).ok(), Some(2));
        let empty = ScorecardInput { external_id: String::new(), goals: vec![], ..s };
        assert_eq!(fields(&Scorecard::parse(&empty).unwrap_err()), ["external_id"]);
    }

    #[test]
    fn a_removed_goal_is_not_linked_anew() {
        assert_eq!(newly_linked_removed(&[1, 2, 3], &[2, 3], &[3]), [2]);
        assert!(newly_linked_removed(&[1], &[], &[]).is_empty());
        assert!(newly_linked_removed(&[4], &[4], &[4]).is_empty(), "kept where it was named");
    }

    #[test]
    fn a_scorecard_gets_a_framework_code() {
        assert_eq!(scorecard_code("BUN-2026"), "styrkort-bun-2026");
        assert_eq!(scorecard_code("ks.mal_1"), "styrkort-ks-mal-1");
        assert_eq!(scorecard_code("__"), "styrkort");
        let long = scorecard_code(&"A".repeat(64));
        assert_eq!(long.len(), 40);
        for c in [scorecard_code("BUN-2026"), scorecard_code("x..y"), long] {
            assert_eq!(crate::framework::parse_code(&c).as_deref(), Ok(c.as_str()));
        }
    }

    #[test]
    fn a_kpi_has_one_target_per_organisation_and_year() {
        let t = |goal_id, org, year| TargetFact {
            goal_id,
            kpi: "UTB0001".into(),
            organisation_id: org,
            year,
            value: 10.0,
        };
        let apart = [t(1, Some(11), 2026), t(1, Some(11), 2027), t(2, Some(12), 2026), t(3, None, 2026)];
        assert!(clashing_targets(&apart).is_none());
        assert_eq!(target_of(&apart, "UTB0001", None, 2026), Some(10.0));
        assert_eq!(target_of(&apart, "UTB0001", Some(12), 2027), None);
        let clash = [t(1, Some(11), 2026), t(2, Some(12), 2026), t(4, Some(11), 2026)];
        let (a, b) = clashing_targets(&clash).unwrap_or_else(|| panic!("a clash"));
        assert_eq!((a.goal_id, b.goal_id), (1, 4));
    }
}
