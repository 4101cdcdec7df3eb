//! The horizon-scanning log: leads that contact persons record — calls for proposals with
//! their deadlines, trends, legislation, partner requests — with their source and the
//! organisations concerned. A lead can become a project idea; the two stay linked.

use chrono::NaiveDate;

use crate::error::{Collector, FieldError, ValidationErrors};
use crate::text::NonEmptyText;

code_enum! {
    /// What a lead is.
    LeadKind, "kind" {
        Call = "call", "Utlysning", "Call for proposals";
        Trend = "trend", "Trend", "Trend";
        Legislation = "legislation", "Lagstiftning", "Legislation";
        PartnerRequest = "partner_request", "Partnersökning", "Partner request";
    }
}

/// The most organisations one lead concerns.
pub const MAX_CONCERNED: usize = 100;

/// The raw fields of a lead.
#[derive(Debug, Clone, Default)]
pub struct LeadInput {
    pub title: String,
    pub kind: String,
    pub description: String,
    pub source_link: Option<String>,
    pub deadline: Option<NaiveDate>,
    /// The funding programme of a call (the catalogue's id), if known.
    pub funding_programme_id: Option<i64>,
    /// Other organisations the lead concerns (ids).
    pub concerns: Vec<i64>,
}

/// A lead, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub title: NonEmptyText,
    pub kind: LeadKind,
    pub description: NonEmptyText,
    pub source_link: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub funding_programme_id: Option<i64>,
    pub concerns: Vec<i64>,
}

impl Lead {
    /// Every field checked at once. A call for proposals has a deadline: that is what the
    /// calendar feed shows.
    pub fn parse(i: &LeadInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let title = c.take(NonEmptyText::title("title", &i.title));
        let kind = c.take(LeadKind::parse(&i.kind));
        let description = c.take(NonEmptyText::prose("description", &i.description));
        let source_link = c.take(
            crate::governance::parse_link(i.source_link.as_deref()).map_err(|e| e.named("source_link")),
        );
        c.take(crate::date::check_optional_day("deadline", i.deadline));
        if kind == Some(LeadKind::Call) && i.deadline.is_none() {
            c.push(FieldError::rule(
                "deadline",
                "required",
                "a call for proposals has a deadline",
                "en utlysning har ett sista ansökningsdatum",
            ));
        }
        crate::governance::check_at_most(&mut c, "concerns", i.concerns.len(), MAX_CONCERNED);
        if i.concerns.iter().enumerate().any(|(n, id)| i.concerns[..n].contains(id)) {
            c.push(FieldError::rule(
                "concerns",
                "duplicate",
                "names an organisation twice",
                "nämner en organisation två gånger",
            ));
        }
        c.finish()?;
        match (title, kind, description, source_link) {
            (Some(title), Some(kind), Some(description), Some(source_link)) => Ok(Self {
                title,
                kind,
                description,
                source_link,
                deadline: i.deadline,
                funding_programme_id: i.funding_programme_id,
                concerns: i.concerns.clone(),
            }),
            _ => Err(ValidationErrors::single("title", "invalid")),
        }
    }

    /// Is this an open call on `today`: a call whose deadline has not passed? (What the
    /// calendar feed shows.)
    pub fn is_open_call(kind: LeadKind, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
        kind == LeadKind::Call && deadline.is_some_and(|d| d >= today)
    }
}

/// An elected official who may represent the municipality (the presidia of the council and
/// the executive board, committee chairs), valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    pub name: NonEmptyText,
    /// The office held, in words (`Kommunstyrelsens ordförande`).
    pub office: NonEmptyText,
    pub body: crate::programme::Body,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

impl Official {
    pub fn parse(
        name: &str,
        office: &str,
        body: &str,
        term_from: Option<NaiveDate>,
        term_to: Option<NaiveDate>,
    ) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let name = c.take(NonEmptyText::title("name", name));
        let office = c.take(NonEmptyText::title("office", office));
        let body = c.take(crate::programme::Body::parse(body).map_err(|e| e.named("body")));
        let mut period = Collector::new();
        crate::governance::check_period(&mut period, term_from, term_to);
        if let Err(e) = period.finish() {
            for f in e.0 {
                let field = if f.field == "period_from" { "term_from" } else { "term_to" };
                c.push(f.named(field));
            }
        }
        c.finish()?;
        match (name, office, body) {
            (Some(name), Some(office), Some(body)) => Ok(Self { name, office, body, term_from, term_to }),
            _ => Err(ValidationErrors::single("name", "invalid")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> LeadInput {
        LeadInput {
            title: "Erasmus+ KA1 2027".into(),
            kind: "call".into(),
            description: "Mobilitet för skolpersonal.".into(),
            source_link: Some("https://www.utbyten.se/erasmus".into()),
            deadline: NaiveDate::from_ymd_opt(2027, 2, 19),
            funding_programme_id: Some(1),
            concerns: vec![2, 3],
        }
    }

    #[test]
    fn a_call_has_a_deadline_and_a_real_link() {
        assert!(Lead::parse(&call()).is_ok());
        let bad =
            LeadInput { deadline: None, source_link: Some("utbyten".into()), concerns: vec![2, 2], ..call() };
        let e = Lead::parse(&bad).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["source_link", "deadline", "concerns"]);
        let trend = LeadInput { kind: "trend".into(), deadline: None, ..call() };
        assert!(Lead::parse(&trend).is_ok(), "only a call needs a deadline");
    }

    #[test]
    fn an_open_call_is_a_call_before_its_deadline() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 2, d).unwrap();
        assert!(Lead::is_open_call(LeadKind::Call, Some(day(19)), day(19)));
        assert!(!Lead::is_open_call(LeadKind::Call, Some(day(19)), day(20)));
        assert!(!Lead::is_open_call(LeadKind::Trend, Some(day(19)), day(1)));
        assert!(!Lead::is_open_call(LeadKind::Call, None, day(1)));
    }

    #[test]
    fn an_officials_term_does_not_end_before_it_starts() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1);
        assert!(
            Official::parse("Anna Ek", "Kommunstyrelsens ordförande", "executive_board", d(2023), d(2026))
                .is_ok()
        );
        let e = Official::parse("", "Ordförande", "parliament", d(2026), d(2023)).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "body", "term_to"]);
    }
}
