//! Activities: what each administration and company did internationally, as the annual
//! report counts it — the kind of activity (and so the kind of work), when, where, who took
//! part, the hours and the money spent, and what came of it. Representation at visits is
//! the presidia's, with one elected official the council appoints for international matters.

use chrono::NaiveDate;

use crate::country::CountryCode;
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::governance::Decision;
use crate::money::Sek;
use crate::programme::{Body, WorkKind};
use crate::text::{NonEmptyText, OptionalText};

code_enum! {
    /// What an activity was; each belongs to one kind of international work.
    ActivityKind, "kind" {
        Conference = "conference", "Konferens", "Conference";
        StudyVisit = "study_visit", "Studiebesök", "Study visit";
        NetworkMeeting = "network_meeting", "Nätverksmöte", "Network meeting";
        DelegationReceived = "delegation_received", "Mottaget delegationsbesök", "Delegation received";
        DelegationMade = "delegation_made", "Delegationsresa", "Delegation visit made";
        Fair = "fair", "Mässa", "Fair";
        Representation = "representation", "Representation", "Representation";
        Exchange = "exchange", "Utbyte", "Exchange";
        ProjectMeeting = "project_meeting", "Projektmöte", "Project meeting";
        StaffMobility = "staff_mobility", "Personalrörlighet", "Staff mobility";
    }
}

code_enum! {
    /// Who organised an activity.
    Organiser, "organiser" {
        Own = "own", "Egen verksamhet", "Own";
        Region = "region", "Regionen", "The region";
        National = "national", "Nationell aktör", "National";
        International = "international", "EU eller internationellt nätverk", "EU or international network";
    }
}

impl ActivityKind {
    /// The programme's kind of work: horizon scanning (conferences, study visits, networks),
    /// positioning (delegations, fairs, representation) or operational development
    /// (exchanges, project meetings, staff mobility).
    pub fn work_kind(self) -> WorkKind {
        use ActivityKind::*;
        match self {
            Conference | StudyVisit | NetworkMeeting => WorkKind::HorizonScanning,
            DelegationReceived | DelegationMade | Fair | Representation => WorkKind::Positioning,
            Exchange | ProjectMeeting | StaffMobility => WorkKind::Development,
        }
    }
}

/// The most people one activity counts.
pub const MAX_PARTICIPANTS: u32 = 100_000;
/// The most hours one activity counts, in hundredths (100 000 hours).
pub const MAX_HOUR_HUNDREDTHS: u32 = 10_000_000;
/// The most countries one activity names.
pub const MAX_COUNTRIES: usize = 60;

/// Who took part: women and men as counted, and the total (which also counts those not
/// counted by gender).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Participants {
    pub women: u32,
    pub men: u32,
    pub total: u32,
}

impl Participants {
    pub fn parse(women: i64, men: i64, total: i64) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let count = |field: &str, v: i64, c: &mut Collector| {
            let ok = u32::try_from(v).ok().filter(|n| *n <= MAX_PARTICIPANTS);
            if ok.is_none() {
                c.push(
                    FieldError::rule(
                        field,
                        "out_of_range",
                        format!("must be a number of people from 0 to {MAX_PARTICIPANTS}"),
                        format!("ska vara ett antal personer från 0 till {MAX_PARTICIPANTS}"),
                    )
                    .with("max", MAX_PARTICIPANTS),
                );
            }
            ok
        };
        let (w, m, t) =
            (count("women", women, &mut c), count("men", men, &mut c), count("total", total, &mut c));
        if let (Some(w), Some(m), Some(t)) = (w, m, t)
            && w + m > t
        {
            c.push(FieldError::rule(
                "total",
                "below_parts",
                "must be at least the women and men counted",
                "ska vara minst antalet kvinnor och män",
            ));
        }
        c.finish()?;
        Ok(Self { women: w.unwrap_or(0), men: m.unwrap_or(0), total: t.unwrap_or(0) })
    }
}

/// Working time in hundredths of an hour (2,5 h is 250), so that sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Hours(u32);

impl Hours {
    pub fn from_hundredths(field: &str, v: i64) -> Result<Self, FieldError> {
        u32::try_from(v).ok().filter(|h| *h <= MAX_HOUR_HUNDREDTHS).map(Hours).ok_or_else(|| {
            FieldError::rule(
                field,
                "out_of_range",
                "must be hours in hundredths, from 0 to 100 000 hours",
                "ska vara timmar i hundradelar, från 0 till 100 000 timmar",
            )
        })
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// The sum of hours, exact (a u64 holds any realistic number of activities).
    pub fn total(hours: impl IntoIterator<Item = Hours>) -> u64 {
        hours.into_iter().map(|h| u64::from(h.0)).sum()
    }
}

/// The raw fields of an activity.
#[derive(Debug, Clone, Default)]
pub struct ActivityInput {
    pub title: String,
    pub kind: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub countries: Vec<String>,
    pub organiser: String,
    pub women: i64,
    pub men: i64,
    pub total: i64,
    pub hour_hundredths: i64,
    pub own_cost_ore: i64,
    pub external_cost_ore: i64,
    pub other_resources: Option<String>,
    pub outcome: Option<String>,
}

/// An activity, valid by construction (the organisation and the project it belongs to are
/// references the use case checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub title: NonEmptyText,
    pub kind: ActivityKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub countries: Vec<CountryCode>,
    pub organiser: Organiser,
    pub participants: Participants,
    pub hours: Hours,
    pub own_cost: Sek,
    pub external_cost: Sek,
    pub other_resources: OptionalText,
    pub outcome: OptionalText,
}

impl Activity {
    /// Every field checked at once: it ends on or after the day it starts (a one-day
    /// activity may leave the end out), names each country once, and counts people, hours
    /// and money in range.
    pub fn parse(i: &ActivityInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let title = c.take(NonEmptyText::title("title", &i.title));
        let kind = c.take(ActivityKind::parse(&i.kind));
        let organiser = c.take(Organiser::parse(&i.organiser));
        let starts_on = c.take(crate::date::required_day("starts_on", i.starts_on));
        let ends_on = c.take(crate::date::check_optional_day("ends_on", i.ends_on)).flatten().or(starts_on);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            c.push(FieldError::rule(
                "ends_on",
                "before_start",
                "must not be before the start",
                "får inte vara före starten",
            ));
        }
        if i.countries.len() > MAX_COUNTRIES {
            c.push(FieldError::rule(
                "countries",
                "too_many",
                "names too many countries",
                "anger för många länder",
            ));
        }
        let mut countries: Vec<CountryCode> = Vec::new();
        for (n, raw) in i.countries.iter().enumerate() {
            let field = format!("countries[{n}]");
            match CountryCode::parse(raw) {
                Ok(code) if countries.contains(&code) => c.push(FieldError::rule(
                    field,
                    "duplicate",
                    "names a country twice",
                    "anger ett land två gånger",
                )),
                Ok(code) => countries.push(code),
                Err(e) => c.push(e.named(field)),
            }
        }
        let participants = match Participants::parse(i.women, i.men, i.total) {
            Ok(p) => Some(p),
            Err(e) => {
                e.0.into_iter().for_each(|f| c.push(f));
                None
            }
        };
        let hours = c.take(Hours::from_hundredths("hours", i.hour_hundredths));
        let own_cost = c.take(Sek::from_ore("own_cost", i.own_cost_ore));
        let external_cost = c.take(Sek::from_ore("external_cost", i.external_cost_ore));
        let max = NonEmptyText::PROSE_MAX;
        let other_resources =
            c.take(OptionalText::parse("other_resources", i.other_resources.as_deref(), max));
        let outcome = c.take(OptionalText::parse("outcome", i.outcome.as_deref(), max));
        c.finish()?;
        match (title, kind, organiser, starts_on, ends_on, participants, hours, own_cost, external_cost) {
            (
                Some(title),
                Some(kind),
                Some(organiser),
                Some(starts_on),
                Some(ends_on),
                Some(participants),
                Some(hours),
                Some(own_cost),
                Some(external_cost),
            ) => Ok(Self {
                title,
                kind,
                starts_on,
                ends_on,
                countries,
                organiser,
                participants,
                hours,
                own_cost,
                external_cost,
                other_resources: other_resources.unwrap_or_default(),
                outcome: outcome.unwrap_or_default(),
            }),
            _ => Err(ValidationErrors::single("body", "invalid")),
        }
    }
}

/// The council appoints the elected official with special responsibility for
/// international matters: the appointment refers to a decision of the council.
pub fn check_international_appointment(decision: &Decision) -> Result<(), FieldError> {
    if decision.body() == Body::Council {
        Ok(())
    } else {
        Err(FieldError::rule(
            "decision.body",
            "council_decision",
            "the council (Kommunfullmäktige) appoints the elected official for international matters",
            "det är kommunfullmäktige som utser den förtroendevalda med särskilt ansvar för internationella frågor",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input() -> ActivityInput {
        ActivityInput {
            title: "Studiebesök i Lyngby".into(),
            kind: "study_visit".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 5, 12),
            ends_on: NaiveDate::from_ymd_opt(2026, 5, 14),
            countries: vec!["DK".into()],
            organiser: "region".into(),
            women: 4,
            men: 2,
            total: 7,
            hour_hundredths: 7_250,
            own_cost_ore: 1_850_000,
            external_cost_ore: 0,
            other_resources: None,
            outcome: Some("Idéer till skolornas digitala lärande.".into()),
        }
    }

    #[test]
    fn every_kind_of_activity_is_a_kind_of_work() {
        let kinds: Vec<_> = ActivityKind::ALL.iter().map(|k| k.work_kind()).collect();
        for w in WorkKind::ALL {
            assert!(kinds.contains(w), "{w:?} has no activity");
        }
        assert_eq!(ActivityKind::Fair.work_kind(), WorkKind::Positioning);
    }

    #[test]
    fn an_activity_is_checked_whole() {
        let a = Activity::parse(&input()).unwrap();
        assert_eq!((a.hours.hundredths(), a.own_cost.ore(), a.participants.total), (7_250, 1_850_000, 7));
        let one_day = Activity::parse(&ActivityInput { ends_on: None, ..input() }).unwrap();
        assert_eq!(one_day.ends_on, one_day.starts_on);
        let bad = ActivityInput {
            title: " ".into(),
            ends_on: NaiveDate::from_ymd_opt(2026, 5, 1),
            countries: vec!["DK".into(), "dk".into(), "XX".into()],
            total: 5,
            hour_hundredths: -1,
            ..input()
        };
        let fields: Vec<_> = Activity::parse(&bad).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "ends_on", "countries[1]", "countries[2]", "total", "hours"]);
    }

    #[test]
    fn only_the_council_appoints_the_official_for_international_matters() {
        let decision = |body: &str| {
            Decision::parse(&crate::governance::DecisionInput {
                body: body.into(),
                date: NaiveDate::from_ymd_opt(2026, 11, 23),
                paragraph: "§ 12".into(),
                diarienummer: "KF 2026/40".into(),
                subject: "Val av förtroendevald för internationella frågor".into(),
                link: None,
            })
            .unwrap()
        };
        assert!(check_international_appointment(&decision("council")).is_ok());
        assert_eq!(
            check_international_appointment(&decision("executive_board")).unwrap_err().code,
            "council_decision"
        );
    }

    proptest! {
        #[test]
        fn a_total_counts_at_least_the_women_and_men(w in 0i64..2_000, m in 0i64..2_000, t in 0i64..4_000) {
            prop_assert_eq!(Participants::parse(w, m, t).is_ok(), w + m <= t);
        }

        #[test]
        fn hours_add_up_exactly(hs in proptest::collection::vec(0i64..=i64::from(MAX_HOUR_HUNDREDTHS), 0..200)) {
            let hours: Vec<Hours> = hs.iter().map(|h| Hours::from_hundredths("hours", *h).unwrap()).collect();
            prop_assert_eq!(Hours::total(hours), hs.iter().map(|h| *h as u64).sum::<u64>());
        }
    }
}
