//! KPIs for the scorecards (styrkort): the programme ends by asking that the international
//! perspective be worked into the administrations' scorecards and followed up with goals and
//! KPIs. Each KPI has a stable id in the style of Kolada, the national municipal KPI database
//! (`UTB0001`), a title, a description, a unit and which way is better; its values per
//! organisation and year, and for the whole municipality, are the compilation's figures of
//! that year — the same numbers the council is told, never counted a second way.

use serde::Serialize;

use crate::compilation::Compilation;
use crate::report::Totals;

/// Which way a KPI is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    /// Neither: a figure to follow, not a target to push (costs).
    Neither,
}

/// Whom a KPI has values for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Each reporting organisation and the whole municipality.
    OrganisationsAndMunicipality,
    /// The whole municipality only.
    Municipality,
}

/// A KPI's definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Kpi {
    /// Stable: `UTB` and four digits. Never reused for another meaning.
    pub id: &'static str,
    /// Its Swedish title.
    pub title: &'static str,
    pub description: &'static str,
    /// The unit of its values, in Swedish (`antal`, `timmar`, `kr`, `procent`, `kr per kr`).
    pub unit: &'static str,
    pub better: Better,
    pub scope: Scope,
    /// Its values come for women (`K`) and men (`M`) besides the total (`T`).
    pub by_gender: bool,
}

const fn kpi(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    unit: &'static str,
    better: Better,
    scope: Scope,
    by_gender: bool,
) -> Kpi {
    Kpi { id, title, description, unit, better, scope, by_gender }
}

use Better::{Higher, Neither};
use Scope::{Municipality, OrganisationsAndMunicipality as Both};

/// Every KPI, by id.
pub const KPIS: &[Kpi] = &[
    kpi(
        "UTB0001",
        "Aktiviteter i internationellt arbete",
        "Antal registrerade aktiviteter under året (studiebesök, utbyten, nätverksmöten, mässor, konferenser och annat).",
        "antal",
        Higher,
        Both,
        false,
    ),
    kpi(
        "UTB0002",
        "Arbetstid i internationellt arbete",
        "Arbetstid i aktiviteterna under året, i timmar.",
        "timmar",
        Neither,
        Both,
        false,
    ),
    kpi(
        "UTB0003",
        "Egna kostnader för internationella aktiviteter",
        "Egna medel som aktiviteterna under året kostade, i kronor.",
        "kr",
        Neither,
        Both,
        false,
    ),
    kpi(
        "UTB0004",
        "Extern finansiering av internationella aktiviteter",
        "Extern finansiering av aktiviteterna under året, i kronor.",
        "kr",
        Higher,
        Both,
        false,
    ),
    kpi(
        "UTB0005",
        "Deltagare i internationella aktiviteter",
        "Antal deltagare i aktiviteterna under året; kvinnor och män där det är registrerat.",
        "antal",
        Higher,
        Both,
        true,
    ),
    kpi(
        "UTB0006",
        "Projekt med internationell inriktning",
        "Antal projekt som pågick någon gång under året.",
        "antal",
        Higher,
        Municipality,
        false,
    ),
    kpi(
        "UTB0007",
        "Beviljad extern medfinansiering av projekt",
        "Beviljad extern medfinansiering av årets projekt, hela projektperioderna, i kronor.",
        "kr",
        Higher,
        Municipality,
        false,
    ),
    kpi(
        "UTB0008",
        "Hävstång i projekten",
        "Beviljade kronor extern medfinansiering per egen krona i årets projekt.",
        "kr per kr",
        Higher,
        Municipality,
        false,
    ),
    kpi(
        "UTB0009",
        "Andel nya utvecklingsprojekt med prövad medfinansiering",
        "Andel av de utvecklingsprojekt som lämnade planeringen under året där möjligheten till extern medfinansiering prövades innan, i procent.",
        "procent",
        Higher,
        Municipality,
        false,
    ),
    kpi(
        "UTB0010",
        "Länder i det internationella arbetet",
        "Antal länder som årets aktiviteter ägde rum i.",
        "antal",
        Higher,
        Municipality,
        false,
    ),
    kpi(
        "UTB0011",
        "Aktiviteter i vänorternas länder",
        "Antal aktiviteter under året i länder där kommunen har en aktiv vänort.",
        "antal",
        Higher,
        Municipality,
        false,
    ),
    kpi("UTB0012", "Nätverksmöten", "Antal nätverksmöten under året.", "antal", Higher, Municipality, false),
    kpi(
        "UTB0013",
        "Årsrapporter inlämnade i tid",
        "Andel av organisationernas årsrapporter som lämnades in senast sista dagen, i procent.",
        "procent",
        Higher,
        Municipality,
        false,
    ),
];

/// Whether `id` has the form of a KPI id: `UTB` and four digits (whether or not such a KPI
/// exists).
pub fn is_id(id: &str) -> bool {
    id.len() == 7 && id.starts_with("UTB") && id[3..].bytes().all(|b| b.is_ascii_digit())
}

/// The KPI with this id.
pub fn kpi_of(id: &str) -> Option<&'static Kpi> {
    KPIS.iter().find(|k| k.id == id)
}

/// Total, women or men (Kolada's `T`, `K`, `M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Gender {
    #[serde(rename = "T")]
    Total,
    #[serde(rename = "K")]
    Women,
    #[serde(rename = "M")]
    Men,
}

/// One value of one KPI: for an organisation (its id) or the whole municipality (`None`),
/// for a year and a gender. `value` is `None` where the figure does not exist (a leverage
/// without own money).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiValue {
    pub kpi: &'static str,
    pub organisation_id: Option<i64>,
    pub year: i32,
    pub gender: Gender,
    pub value: Option<f64>,
}

#[allow(clippy::cast_precision_loss)]
fn count(n: u64) -> Option<f64> {
    Some(n as f64)
}

/// Hundredths (hours, öre, basis points of a percent) as a number with two decimals.
#[allow(clippy::cast_precision_loss)]
fn hundredths(n: i64) -> Option<f64> {
    Some(n as f64 / 100.0)
}

/// The values of the KPIs counted from sums of activities (UTB0001–UTB0005).
fn of_totals(year: i32, organisation_id: Option<i64>, t: &Totals, out: &mut Vec<KpiValue>) {
    let v = |kpi: &'static str, gender: Gender, value: Option<f64>| KpiValue {
        kpi,
        organisation_id,
        year,
        gender,
        value,
    };
    out.push(v("UTB0001", Gender::Total, count(t.activities)));
    out.push(v("UTB0002", Gender::Total, hundredths(i64::try_from(t.hours).unwrap_or(i64::MAX))));
    out.push(v("UTB0003", Gender::Total, hundredths(t.own_cost)));
    out.push(v("UTB0004", Gender::Total, hundredths(t.external_cost)));
    out.push(v("UTB0005", Gender::Total, count(t.participants)));
    out.push(v("UTB0005", Gender::Women, count(t.women)));
    out.push(v("UTB0005", Gender::Men, count(t.men)));
}

/// Every KPI value of a compilation's year: for each organisation it breaks down by (those
/// that report) and for the whole municipality, in the order of [`KPIS`] within each.
pub fn values(c: &Compilation) -> Vec<KpiValue> {
    let y = c.year;
    let mut out = Vec::new();
    of_totals(y, None, &c.total, &mut out);
    let whole = |kpi: &'static str, value: Option<f64>| KpiValue {
        kpi,
        organisation_id: None,
        year: y,
        gender: Gender::Total,
        value,
    };
    out.push(whole("UTB0006", count(c.funding.projects)));
    out.push(whole("UTB0007", hundredths(c.funding.granted)));
    out.push(whole("UTB0008", c.funding.leverage.and_then(hundredths)));
    out.push(whole("UTB0009", c.gate.share.and_then(|bp| hundredths(i64::from(bp)))));
    let countries = c.by_country.iter().filter(|p| p.key.len() == 2 && p.totals.activities > 0).count();
    out.push(whole("UTB0010", count(u64::try_from(countries).unwrap_or(u64::MAX))));
    out.push(whole("UTB0011", count(c.twinning.activities_in_twin_countries)));
    out.push(whole("UTB0012", count(c.twinning.network_meetings)));
    let on_time = c.reports.iter().filter(|r| r.version.is_some() && r.days_late == 0).count();
    let share = (!c.reports.is_empty()).then(|| {
        let (n, all) = (u64::try_from(on_time).unwrap_or(0), u64::try_from(c.reports.len()).unwrap_or(1));
        i64::try_from(n * 10_000 / all.max(1)).unwrap_or(0)
    });
    out.push(whole("UTB0013", share.and_then(hundredths)));
    for p in &c.by_organisation {
        if let Ok(id) = p.key.parse::<i64>() {
            of_totals(y, Some(id), &p.totals, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Compilation {
        serde_json::from_value(serde_json::json!({
            "year": 2026,
            "total": {"activities": 3, "hours": 4850, "own_cost": 1234500, "external_cost": 50000, "women": 4, "men": 2, "participants": 7},
            "by_organisation": [
                {"key": "11", "label": "Barn- och utbildningsförvaltningen", "totals": {"activities": 2, "hours": 4050, "own_cost": 1000000, "external_cost": 50000, "women": 3, "men": 1, "participants": 5}},
                {"key": "12", "label": "Tranås Energi AB", "totals": {"activities": 1, "hours": 800, "own_cost": 234500, "external_cost": 0, "women": 1, "men": 1, "participants": 2}}
            ],
            "by_priority_area": [], "by_work_kind": [],
            "by_country": [
                {"key": "EE", "label": "Estland", "totals": {"activities": 2, "hours": 0, "own_cost": 0, "external_cost": 0, "women": 0, "men": 0, "participants": 0}},
                {"key": "several", "label": "Flera länder", "totals": {"activities": 1, "hours": 0, "own_cost": 0, "external_cost": 0, "women": 0, "men": 0, "participants": 0}}
            ],
            "countries_named": [],
            "funding": {"projects": 4, "own": 200000, "applied": 0, "granted": 500000, "leverage": 250, "by_programme": []},
            "gate": {"left_planning": 3, "assessed_before": 2, "share": 6666, "not_assessed": ["X"]},
            "twinning": {"twin_towns": [], "activities_in_twin_countries": 2, "network_meetings": 1, "active_collaborations": 0},
            "reports": [
                {"organisation_id": 11, "organisation": "B", "status": "approved", "days_late": 0, "version": 1, "narrative": "", "corrections": [], "contributions": []},
                {"organisation_id": 12, "organisation": "T", "status": "draft", "days_late": 9, "version": null, "narrative": "", "corrections": [], "contributions": []}
            ],
            "years": []
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn value(all: &[KpiValue], kpi: &str, org: Option<i64>, gender: Gender) -> Option<f64> {
        all.iter()
            .find(|v| v.kpi == kpi && v.organisation_id == org && v.gender == gender)
            .unwrap_or_else(|| panic!("no {kpi} {org:?} {gender:?}"))
            .value
    }

    #[test]
    fn every_kpi_has_a_stable_unique_id_and_swedish_text() {
        let ids: Vec<&str> = KPIS.iter().map(|k| k.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "unique, in order");
        for k in KPIS {
            assert!(is_id(k.id), "{}", k.id);
            assert!(!k.title.is_empty() && k.description.ends_with('.'), "{}", k.id);
        }
        assert_eq!(kpi_of("UTB0005").map(|k| k.by_gender), Some(true));
        assert!(kpi_of("UTB9999").is_none() && is_id("UTB9999"));
        assert!(!is_id("UTB001") && !is_id("utb0001") && !is_id("UTB00012") && !is_id("UTB000x"));
    }

    #[test]
    fn the_values_are_the_compilations_figures() {
        let c = sample();
        let all = values(&c);
        // The municipality: every KPI once per gender it has.
        for k in KPIS {
            let genders = if k.by_gender { 3 } else { 1 };
            let n = all.iter().filter(|v| v.kpi == k.id && v.organisation_id.is_none()).count();
            assert_eq!(n, genders, "{}", k.id);
        }
        assert_eq!(value(&all, "UTB0001", None, Gender::Total), Some(3.0));
        assert_eq!(value(&all, "UTB0002", None, Gender::Total), Some(48.5));
        assert_eq!(value(&all, "UTB0003", None, Gender::Total), Some(12345.0));
        assert_eq!(value(&all, "UTB0005", None, Gender::Women), Some(4.0));
        assert_eq!(value(&all, "UTB0008", None, Gender::Total), Some(2.5));
        assert_eq!(value(&all, "UTB0009", None, Gender::Total), Some(66.66));
        assert_eq!(value(&all, "UTB0010", None, Gender::Total), Some(1.0), "countries, not `several`");
        assert_eq!(value(&all, "UTB0013", None, Gender::Total), Some(50.0));
        // Each organisation: the activity KPIs, summing to the municipality's.
        assert_eq!(value(&all, "UTB0001", Some(11), Gender::Total), Some(2.0));
        assert_eq!(value(&all, "UTB0005", Some(12), Gender::Men), Some(1.0));
        for kpi in ["UTB0001", "UTB0002", "UTB0003", "UTB0004", "UTB0005"] {
            let parts: f64 = all
                .iter()
                .filter(|v| v.kpi == kpi && v.organisation_id.is_some() && v.gender == Gender::Total)
                .filter_map(|v| v.value)
                .sum();
            assert!(
                (parts - value(&all, kpi, None, Gender::Total).unwrap_or_default()).abs() < 1e-9,
                "{kpi}"
            );
        }
        assert!(
            all.iter()
                .filter(|v| v.organisation_id.is_some())
                .all(|v| kpi_of(v.kpi).is_some_and(|k| k.scope == Scope::OrganisationsAndMunicipality))
        );
    }

    #[test]
    fn a_figure_that_does_not_exist_has_no_value() {
        let mut c = sample();
        c.funding.leverage = None;
        c.gate.share = None;
        c.reports.clear();
        let all = values(&c);
        assert_eq!(value(&all, "UTB0008", None, Gender::Total), None);
        assert_eq!(value(&all, "UTB0009", None, Gender::Total), None);
        assert_eq!(value(&all, "UTB0013", None, Gender::Total), None);
    }
}
