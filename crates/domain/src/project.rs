//! Projects (the programme's development work and the horizon scanning and positioning done
//! as projects): their path from idea to completion, the co-funding gate, and the programme's
//! test for work outside its priority areas.
//!
//! The programme: "Inför varje nytt utvecklingsprojekt ska möjligheten till extern
//! medfinansiering alltid prövas." A development project therefore cannot leave planning —
//! neither to apply for funding nor to start on its own money — until a co-funding
//! assessment is recorded. [`ProjectStatus::change_to`] is the only place that says so, and
//! every route (API, web, import) goes through it.

use chrono::NaiveDate;

use crate::activity::Hours;
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::governance::{Move, Partner, check_at_most, check_period};
use crate::money::{Amount, Currency, ExchangeRate, Sek};
use crate::programme::WorkKind;
use crate::text::{NonEmptyText, OptionalText};

code_enum! {
    /// A project's path: idea → planning → applied → granted | rejected → ongoing →
    /// completed | cancelled, and planning → ongoing for work on own funds.
    ProjectStatus, "status" {
        Idea = "idea", "Idé", "Idea";
        Planning = "planning", "Planering", "Planning";
        Applied = "applied", "Ansökt", "Applied";
        Granted = "granted", "Beviljat", "Granted";
        Rejected = "rejected", "Avslag", "Rejected";
        Ongoing = "ongoing", "Pågående", "Ongoing";
        Completed = "completed", "Avslutat", "Completed";
        Cancelled = "cancelled", "Avbrutet", "Cancelled";
    }
}

impl ProjectStatus {
    /// Where a project may go from `self`. A project may be cancelled at any point before
    /// it ends (an idea that is dropped, an application withdrawn); a rejected application
    /// may be planned again.
    fn allows(self, to: ProjectStatus) -> bool {
        use ProjectStatus::{Applied, Cancelled, Completed, Granted, Idea, Ongoing, Planning, Rejected};
        matches!(
            (self, to),
            (Idea, Planning)
                | (Planning, Applied | Ongoing)
                | (Applied, Granted | Rejected)
                | (Rejected, Planning)
                | (Granted, Ongoing)
                | (Ongoing, Completed)
                | (Idea | Planning | Applied | Granted | Rejected | Ongoing, Cancelled)
        )
    }

    /// Whether going from `self` to `to` (in one move, or along the way an import takes)
    /// takes a project out of planning, to apply or to start; cancelling does not. The
    /// compilation measures the co-funding gate at this moment.
    pub fn leaves_planning(self, to: ProjectStatus) -> bool {
        use ProjectStatus::{Applied, Completed, Granted, Idea, Ongoing, Planning, Rejected};
        matches!(self, Idea | Planning | Rejected) && matches!(to, Applied | Granted | Ongoing | Completed)
    }

    /// The statuses a project passes on the shortest way from `self` to `to`, ending with
    /// `to` (empty when `to` is `self`), or `None` when the path does not lead there. An
    /// import that names a later status takes these moves one by one.
    pub fn way_to(self, to: ProjectStatus) -> Option<Vec<ProjectStatus>> {
        // Breadth first over eight statuses: each reached once, from the status before it.
        let mut before: Vec<(ProjectStatus, ProjectStatus)> = Vec::new();
        let mut frontier = vec![self];
        while !frontier.is_empty() && to != self && !before.iter().any(|(s, _)| *s == to) {
            let mut next = Vec::new();
            for from in frontier {
                for step in Self::ALL.iter().copied().filter(|s| from.allows(*s)) {
                    if step != self && !before.iter().any(|(s, _)| *s == step) {
                        before.push((step, from));
                        next.push(step);
                    }
                }
            }
            frontier = next;
        }
        let mut way = Vec::new();
        let mut at = to;
        while at != self {
            way.push(at);
            at = before.iter().find(|(s, _)| *s == at)?.1;
        }
        way.reverse();
        Some(way)
    }

    /// Every move the path allows from `self` (none needs a council decision).
    pub fn moves(self) -> Vec<Move<ProjectStatus>> {
        Self::ALL
            .iter()
            .filter(|to| self.allows(**to))
            .map(|to| Move { to: *to, needs_decision: false })
            .collect()
    }

    /// May a project of this kind go from `self` to `to`, with or without a co-funding
    /// assessment on record? The gate: a development project leaves planning (to apply or to
    /// start) only after its assessment (cancelling it needs none).
    pub fn change_to(self, to: ProjectStatus, kind: WorkKind, assessed: bool) -> Result<(), FieldError> {
        if !self.allows(to) {
            return Err(crate::governance::refused("a project", self, to));
        }
        let leaves_planning = self == ProjectStatus::Planning && to != ProjectStatus::Cancelled;
        if leaves_planning && kind == WorkKind::Development && !assessed {
            return Err(FieldError::rule(
                "status",
                "co_funding_not_assessed",
                "a development project leaves planning only after the possibility of external co-funding has been assessed (the programme: every new development project); record the assessment first",
                "ett utvecklingsprojekt lämnar planeringen först när möjligheten till extern medfinansiering har prövats (programmet: inför varje nytt utvecklingsprojekt); registrera prövningen först",
            )
            .of_state());
        }
        Ok(())
    }
}

code_enum! {
    /// What a co-funding assessment concluded.
    CoFundingOutcome, "outcome" {
        WillApply = "will_apply", "Vi söker", "Will apply";
        NotEligible = "not_eligible", "Inte stödberättigat", "Not eligible";
        NotWorthwhile = "not_worthwhile", "Inte värt insatsen", "Not worthwhile";
        NoSuitableCall = "no_suitable_call", "Ingen lämplig utlysning nu", "No suitable call now";
    }
}

/// The raw fields of a co-funding assessment.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    pub assessed_on: Option<NaiveDate>,
    pub assessed_by: String,
    /// Ids of the funding programmes considered (the catalogue's).
    pub programmes: Vec<i64>,
    pub outcome: String,
    pub motivation: String,
}

/// A co-funding assessment, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoFundingAssessment {
    pub assessed_on: NaiveDate,
    pub assessed_by: NonEmptyText,
    pub programmes: Vec<i64>,
    pub outcome: CoFundingOutcome,
    pub motivation: NonEmptyText,
}

impl CoFundingAssessment {
    /// Every field checked at once. To apply, at least one funding programme was considered;
    /// each is named once.
    pub fn parse(i: &AssessmentInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let assessed_on = c.take(crate::date::required_day("assessed_on", i.assessed_on));
        let assessed_by = c.take(NonEmptyText::title("assessed_by", &i.assessed_by));
        let outcome = c.take(CoFundingOutcome::parse(&i.outcome));
        let motivation = c.take(NonEmptyText::prose("motivation", &i.motivation));
        if names_one_twice(&i.programmes) {
            c.push(FieldError::rule(
                "programmes",
                "duplicate",
                "names a programme twice",
                "nämner ett program två gånger",
            ));
        }
        if outcome == Some(CoFundingOutcome::WillApply) && i.programmes.is_empty() {
            c.push(FieldError::rule(
                "programmes",
                "required",
                "name the funding programme you will apply to",
                "ange det program ni söker från",
            ));
        }
        c.finish()?;
        match (assessed_on, assessed_by, outcome, motivation) {
            (Some(assessed_on), Some(assessed_by), Some(outcome), Some(motivation)) => {
                Ok(Self { assessed_on, assessed_by, programmes: i.programmes.clone(), outcome, motivation })
            }
            _ => Err(ValidationErrors::single("body", "invalid")),
        }
    }
}

code_enum! {
    /// A partner's part in a project.
    PartnerRole, "role" {
        Lead = "lead", "Huvudsökande", "Lead partner";
        Partner = "partner", "Partner", "Partner";
        Associate = "associate", "Associerad partner", "Associated partner";
    }
}

/// A list of ids that names one of them more than once.
fn names_one_twice(ids: &[i64]) -> bool {
    ids.iter().enumerate().any(|(n, id)| ids[..n].contains(id))
}

/// How a project serves the programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgrammeFit {
    /// It names one or more of the adopted programme's priority areas (their ids).
    PriorityAreas(Vec<i64>),
    /// It names none, and says how it contributes to smart and sustainable growth for all
    /// and what lasting value it gives — the programme's test for work outside its areas.
    Motivated { contribution: NonEmptyText, lasting_value: NonEmptyText },
}

/// Priority areas guide, they do not limit: a project names areas of the programme, or
/// answers the programme's two questions.
pub fn programme_fit(
    areas: &[i64],
    contribution: Option<&str>,
    lasting_value: Option<&str>,
) -> Result<ProgrammeFit, ValidationErrors> {
    if !areas.is_empty() {
        if names_one_twice(areas) {
            return Err(FieldError::rule(
                "priority_areas",
                "duplicate",
                "names a priority area twice",
                "nämner ett insatsområde två gånger",
            )
            .into());
        }
        return Ok(ProgrammeFit::PriorityAreas(areas.to_vec()));
    }
    let mut c = Collector::new();
    let max = NonEmptyText::PROSE_MAX;
    let contribution =
        c.take(OptionalText::parse("contribution", contribution, max)).and_then(OptionalText::into_inner);
    let lasting_value =
        c.take(OptionalText::parse("lasting_value", lasting_value, max)).and_then(OptionalText::into_inner);
    let outside = |field: &str, en: &str, sv: &str| FieldError::rule(field, "required", en, sv);
    if contribution.is_none() {
        c.push(outside(
            "contribution",
            "a project outside the priority areas says how it contributes to smart and sustainable growth for all",
            "ett projekt utanför insatsområdena beskriver hur det bidrar till smart och hållbar tillväxt för alla",
        ));
    }
    if lasting_value.is_none() {
        c.push(outside(
            "lasting_value",
            "a project outside the priority areas says what lasting value it gives",
            "ett projekt utanför insatsområdena beskriver vilket bestående värde det ger",
        ));
    }
    c.finish()?;
    match (contribution, lasting_value) {
        (Some(contribution), Some(lasting_value)) => {
            Ok(ProgrammeFit::Motivated { contribution, lasting_value })
        }
        _ => Err(ValidationErrors::single("contribution", "invalid")),
    }
}

code_enum! {
    /// Where an application for external funding stands.
    FundingStatus, "status" {
        Applied = "applied", "Ansökt", "Applied";
        Granted = "granted", "Beviljat", "Granted";
        Rejected = "rejected", "Avslag", "Rejected";
        Paid = "paid", "Utbetalt", "Paid";
    }
}

/// One source of external funding: an amount from a funding programme (the catalogue's id),
/// in its currency, with the rate used for euro, and where the application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingSource {
    pub programme_id: i64,
    pub amount: Amount,
    pub rate: Option<ExchangeRate>,
    pub status: FundingStatus,
}

impl FundingSource {
    /// The amount in kronor, converted once at the rate the project used.
    pub fn in_sek(&self, field: &str) -> Result<Sek, FieldError> {
        self.amount.in_sek(self.rate, &format!("{field}.rate"))
    }
}

/// A project's money as the report and the scorecards count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Budget {
    /// Own money.
    pub own: Sek,
    /// External money applied for and not yet decided.
    pub applied: Sek,
    /// External money granted (paid or not): what the co-funding rate and leverage count.
    pub granted: Sek,
    /// Of the granted money, what has been paid.
    pub paid: Sek,
    /// Granted money as a share of all, in basis points; `None` without money.
    pub co_funding_rate: Option<u32>,
    /// Granted kronor per own krona, in hundredths; `None` without own money.
    pub leverage: Option<i64>,
}

/// Sums a project's funding: each source converted once, rejected applications left out.
/// An amount too large to add is an error naming the source.
pub fn budget(own: Sek, sources: &[FundingSource]) -> Result<Budget, FieldError> {
    let mut b = Budget { own, ..Budget::default() };
    let overflow =
        |field: &str| FieldError::rule(field, "out_of_range", "the sum is too large", "summan är för stor");
    for (i, s) in sources.iter().enumerate() {
        let field = format!("funding[{i}]");
        let sek = s.in_sek(&field)?;
        let add = |to: Sek| to.checked_add(sek).ok_or_else(|| overflow(&field));
        match s.status {
            FundingStatus::Applied => b.applied = add(b.applied)?,
            FundingStatus::Granted => b.granted = add(b.granted)?,
            FundingStatus::Paid => {
                b.granted = add(b.granted)?;
                b.paid = add(b.paid)?;
            }
            FundingStatus::Rejected => {}
        }
    }
    b.co_funding_rate = crate::money::co_funding_rate(b.own, b.granted);
    b.leverage = crate::money::leverage(b.own, b.granted);
    Ok(b)
}

/// A project is completed with its results and the lasting value it gave (the programme's
/// final test); both are required then.
pub fn check_completion(results: Option<&str>, value_given: Option<&str>) -> Result<(), ValidationErrors> {
    let mut c = Collector::new();
    let max = NonEmptyText::PROSE_MAX;
    for (field, text, en, sv) in [
        (
            "results",
            results,
            "a completed project records its results",
            "ett avslutat projekt redovisar sina resultat",
        ),
        (
            "value_given",
            value_given,
            "a completed project records the lasting value it gave",
            "ett avslutat projekt redovisar vilket bestående värde det gav",
        ),
    ] {
        if c.take(OptionalText::parse(field, text, max)).is_some_and(|t| t.as_deref().is_none()) {
            c.push(FieldError::rule(field, "required", en, sv));
        }
    }
    c.finish()
}

/// The most partners, goals, priority areas and funding sources one project names.
pub const MAX_PARTNERS: usize = 50;
pub const MAX_GOALS: usize = 200;
pub const MAX_AREAS: usize = 20;
pub const MAX_FUNDING: usize = 50;

/// A partner of a project and its part in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectPartner {
    pub partner: Partner,
    pub role: PartnerRole,
}

/// One source of external funding as the project records it: the source and the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingLine {
    pub source: FundingSource,
    /// The call for proposals (its name or id), when there is one.
    pub call: Option<String>,
}

/// The raw fields of a funding source.
#[derive(Debug, Clone, Default)]
pub struct FundingInput {
    pub programme_id: i64,
    pub call: Option<String>,
    /// Minor units (öre, euro cents).
    pub amount: i64,
    pub currency: String,
    /// Kronor per euro in millionths (11,2345 SEK/EUR is 11 234 500); euro only.
    pub rate: Option<i64>,
    pub status: String,
}

impl FundingLine {
    pub fn parse(i: &FundingInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let currency = c.take(Currency::parse(&i.currency));
        let amount = currency.and_then(|cur| c.take(Amount::parse("amount", i.amount, cur)));
        let rate = i.rate.and_then(|r| c.take(ExchangeRate::from_millionths("rate", r)));
        let status = c.take(FundingStatus::parse(&i.status));
        let call =
            c.take(OptionalText::parse("call", i.call.as_deref(), 200)).and_then(OptionalText::into_inner);
        if currency == Some(Currency::Sek) && i.rate.is_some() {
            c.push(FieldError::rule(
                "rate",
                "not_allowed",
                "kronor take no exchange rate",
                "kronor har ingen växelkurs",
            ));
        }
        if let Some(a) = amount {
            c.take(a.in_sek(rate, "rate"));
        }
        c.finish()?;
        match (amount, status) {
            (Some(amount), Some(status)) => Ok(Self {
                source: FundingSource { programme_id: i.programme_id, amount, rate, status },
                call: call.map(|t| t.as_str().to_owned()),
            }),
            _ => Err(ValidationErrors::single("amount", "invalid")),
        }
    }
}

/// The raw fields of a project.
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// (name, country, kind, role) of each partner, in order.
    pub partners: Vec<(String, String, String, String)>,
    /// Ids of the adopted programme's priority areas.
    pub priority_areas: Vec<i64>,
    pub contribution: Option<String>,
    pub lasting_value: Option<String>,
    /// Ids of goals of the goal frameworks.
    pub goals: Vec<i64>,
    /// Own money in öre.
    pub own_money: i64,
    /// Own working time in hundredths of an hour.
    pub own_hours: i64,
    pub funding: Vec<FundingInput>,
    pub results: Option<String>,
    pub value_given: Option<String>,
    pub outputs: Option<String>,
}

/// A project, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub title: NonEmptyText,
    pub summary: NonEmptyText,
    pub kind: WorkKind,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub partners: Vec<ProjectPartner>,
    pub fit: ProgrammeFit,
    pub goals: Vec<i64>,
    pub own_money: Sek,
    pub own_hours: Hours,
    pub funding: Vec<FundingLine>,
    /// What it achieved, the lasting value it gave and what it produced (reports, links):
    /// required when it is completed.
    pub results: Option<String>,
    pub value_given: Option<String>,
    pub outputs: Option<String>,
}

impl Project {
    /// Every field checked at once; an error names the field (`partners[2].country`,
    /// `funding[0].rate`).
    pub fn parse(i: &ProjectInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let title = c.take(NonEmptyText::title("title", &i.title));
        let summary = c.take(NonEmptyText::prose("summary", &i.summary));
        let kind = c.take(WorkKind::parse(&i.kind));
        check_period(&mut c, i.period_from, i.period_to);
        check_at_most(&mut c, "partners", i.partners.len(), MAX_PARTNERS);
        check_at_most(&mut c, "priority_areas", i.priority_areas.len(), MAX_AREAS);
        check_at_most(&mut c, "goals", i.goals.len(), MAX_GOALS);
        check_at_most(&mut c, "funding", i.funding.len(), MAX_FUNDING);
        let partners: Vec<ProjectPartner> = (i.partners.iter().enumerate())
            .filter_map(|(n, (name, country, kind, role))| {
                let prefix = format!("partners[{n}]");
                let partner = c.take_all(&prefix, Partner::parse(name, country, kind));
                let role = c.take(PartnerRole::parse(role).map_err(|e| e.under(&prefix)));
                Some(ProjectPartner { partner: partner?, role: role? })
            })
            .collect();
        let fit = c.take_all(
            "",
            programme_fit(&i.priority_areas, i.contribution.as_deref(), i.lasting_value.as_deref()),
        );
        if names_one_twice(&i.goals) {
            c.push(FieldError::rule("goals", "duplicate", "names a goal twice", "nämner ett mål två gånger"));
        }
        let own_money = c.take(Sek::from_ore("own_money", i.own_money));
        let own_hours = c.take(Hours::from_hundredths("own_hours", i.own_hours));
        let funding: Vec<FundingLine> = (i.funding.iter().enumerate())
            .filter_map(|(n, f)| c.take_all(&format!("funding[{n}]"), FundingLine::parse(f)))
            .collect();
        let mut text = |field: &str, v: &Option<String>| {
            c.take(OptionalText::parse(field, v.as_deref(), NonEmptyText::PROSE_MAX))
                .and_then(OptionalText::into_inner)
                .map(|t| t.as_str().to_owned())
        };
        let (results, value_given, outputs) =
            (text("results", &i.results), text("value_given", &i.value_given), text("outputs", &i.outputs));
        if let Some(m) = own_money {
            let sources: Vec<FundingSource> = funding.iter().map(|f| f.source).collect();
            c.take(budget(m, &sources));
        }
        c.finish()?;
        match (title, summary, kind, fit, own_money, own_hours) {
            (Some(title), Some(summary), Some(kind), Some(fit), Some(own_money), Some(own_hours)) => {
                Ok(Self {
                    title,
                    summary,
                    kind,
                    period_from: i.period_from,
                    period_to: i.period_to,
                    partners,
                    fit,
                    goals: i.goals.clone(),
                    own_money,
                    own_hours,
                    funding,
                    results,
                    value_given,
                    outputs,
                })
            }
            _ => Err(ValidationErrors::single("title", "invalid")),
        }
    }

    /// The project's money: own, and each external source converted once.
    pub fn budget(&self) -> Result<Budget, FieldError> {
        let sources: Vec<FundingSource> = self.funding.iter().map(|f| f.source).collect();
        budget(self.own_money, &sources)
    }

    /// May this project move from `from` to `to`? The path and the co-funding gate
    /// ([`ProjectStatus::change_to`]), and on completion its results and the value it gave.
    pub fn check_move(
        &self,
        from: ProjectStatus,
        to: ProjectStatus,
        assessed: bool,
    ) -> Result<(), ValidationErrors> {
        from.change_to(to, self.kind, assessed)?;
        if to == ProjectStatus::Completed {
            check_completion(self.results.as_deref(), self.value_given.as_deref())
                .map_err(|e| ValidationErrors(e.0.into_iter().map(FieldError::of_state).collect()))?;
        }
        Ok(())
    }
}

impl Project {
    /// May this project be brought from `from` to `to` at once (an import that names a later
    /// status)? Each move on the way is checked as if made one by one ([`Project::check_move`]),
    /// so the co-funding gate holds an unassessed development project in planning however it
    /// arrives.
    pub fn check_way(
        &self,
        from: ProjectStatus,
        to: ProjectStatus,
        assessed: bool,
    ) -> Result<(), ValidationErrors> {
        let way = from.way_to(to).ok_or_else(|| crate::governance::refused("a project", from, to))?;
        let mut at = from;
        for step in way {
            self.check_move(at, step, assessed)?;
            at = step;
        }
        Ok(())
    }
}

impl ProjectStatus {
    /// Has the project been approved, that is left planning (to apply or to start)? From
    /// then on it keeps the programme version that was in force.
    pub fn approved(self) -> bool {
        !matches!(self, ProjectStatus::Idea | ProjectStatus::Planning)
    }
}

/// The programme version a project points at: while it is an idea or in planning, the one
/// in force now (its priority areas are those it may name); once approved, the one it
/// pointed at then, whatever the council adopts later.
pub fn programme_version(status: ProjectStatus, stored: Option<i64>, in_force: Option<i64>) -> Option<i64> {
    if status.approved() { stored } else { in_force }
}

code_enum! {
    /// Where a funding programme comes from.
    FundingProgrammeKind, "kind" {
        Eu = "eu", "EU-program", "EU programme";
        Nordic = "nordic", "Nordiskt program", "Nordic programme";
        National = "national", "Nationellt", "National";
        Foundation = "foundation", "Stiftelse eller fond", "Foundation";
        Other = "other", "Annat", "Other";
    }
}

/// A funding programme of the catalogue, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingProgramme {
    /// A short stable slug (`erasmus-plus`).
    pub code: String,
    pub name: NonEmptyText,
    pub kind: FundingProgrammeKind,
    /// False: no longer offered for new funding or assessments (kept for the old ones).
    pub active: bool,
}

impl FundingProgramme {
    pub fn parse(code: &str, name: &str, kind: &str, active: bool) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let code = c.take(crate::framework::parse_code(code));
        let name = c.take(NonEmptyText::title("name", name));
        let kind = c.take(FundingProgrammeKind::parse(kind));
        c.finish()?;
        match (code, name, kind) {
            (Some(code), Some(name), Some(kind)) => Ok(Self { code, name, kind, active }),
            _ => Err(ValidationErrors::single("code", "invalid")),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_project_leaves_planning_when_it_applies_or_starts_not_when_cancelled() {
        use ProjectStatus::*;
        assert!(Planning.leaves_planning(Applied) && Planning.leaves_planning(Ongoing));
        assert!(Idea.leaves_planning(Ongoing), "an import that names a later status passes it");
        assert!(!Planning.leaves_planning(Cancelled) && !Idea.leaves_planning(Planning));
        assert!(!Applied.leaves_planning(Granted), "it left before");
    }

    use super::*;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = ProjectStatus> {
        proptest::sample::select(ProjectStatus::ALL)
    }

    fn kind() -> impl Strategy<Value = WorkKind> {
        proptest::sample::select(WorkKind::ALL)
    }

    #[test]
    fn the_path_of_a_project() {
        use ProjectStatus::*;
        let path = [Idea, Planning, Applied, Granted, Ongoing, Completed];
        for w in path.windows(2) {
            assert!(w[0].change_to(w[1], WorkKind::Development, true).is_ok(), "{:?} → {:?}", w[0], w[1]);
        }
        assert!(Planning.change_to(Ongoing, WorkKind::Development, true).is_ok(), "own funds");
        assert!(Applied.change_to(Rejected, WorkKind::Development, true).is_ok());
        let back = Completed.change_to(Ongoing, WorkKind::Development, true).unwrap_err();
        assert_eq!((back.code, back.conflict), ("status_move", true));
        assert_eq!(Idea.moves().iter().map(|m| m.to).collect::<Vec<_>>(), [Planning, Cancelled]);
    }

    #[test]
    fn the_gate_stops_a_development_project_without_an_assessment() {
        use ProjectStatus::*;
        for to in [Applied, Ongoing] {
            let e = Planning.change_to(to, WorkKind::Development, false).unwrap_err();
            assert_eq!((e.field.as_str(), e.code, e.conflict), ("status", "co_funding_not_assessed", true));
            assert!(e.message_in(true).contains("extern medfinansiering"));
            assert!(Planning.change_to(to, WorkKind::Development, true).is_ok());
            // Horizon scanning and positioning are not development projects.
            assert!(Planning.change_to(to, WorkKind::HorizonScanning, false).is_ok());
        }
        assert!(
            Planning.change_to(Cancelled, WorkKind::Development, false).is_ok(),
            "a cancelled idea needs no assessment"
        );
    }

    proptest! {
        #[test]
        fn no_development_project_leaves_planning_unassessed(to in status()) {
            let ok = ProjectStatus::Planning.change_to(to, WorkKind::Development, false).is_ok();
            prop_assert_eq!(ok, to == ProjectStatus::Cancelled);
        }

        #[test]
        fn a_move_is_allowed_exactly_when_the_moves_list_it(from in status(), to in status(), kind in kind()) {
            let listed = from.moves().iter().any(|m| m.to == to);
            prop_assert_eq!(from.change_to(to, kind, true).is_ok(), listed);
            prop_assert!(!from.moves().iter().any(|m| m.to == from), "no move stays where it is");
        }
    }

    #[test]
    fn an_assessment_is_complete_and_names_what_it_applies_to() {
        let ok = AssessmentInput {
            assessed_on: NaiveDate::from_ymd_opt(2026, 11, 29),
            assessed_by: "Anna Berg".into(),
            programmes: vec![3, 7],
            outcome: "will_apply".into(),
            motivation: "Erasmus+ KA1 passar skolans utbyte.".into(),
        };
        assert_eq!(CoFundingAssessment::parse(&ok).unwrap().outcome, CoFundingOutcome::WillApply);
        let none = AssessmentInput { programmes: vec![], ..ok.clone() };
        assert_eq!(CoFundingAssessment::parse(&none).unwrap_err().0[0].field, "programmes");
        let declined =
            AssessmentInput { programmes: vec![], outcome: "no_suitable_call".into(), ..ok.clone() };
        assert!(CoFundingAssessment::parse(&declined).is_ok());
        let empty = CoFundingAssessment::parse(&AssessmentInput::default()).unwrap_err();
        let fields: Vec<_> = empty.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["assessed_on", "assessed_by", "outcome", "motivation"]);
    }

    fn source(minor: i64, currency: crate::money::Currency, status: FundingStatus) -> FundingSource {
        let rate = ExchangeRate::from_millionths("rate", 11_000_000).ok();
        FundingSource {
            programme_id: 1,
            amount: Amount::parse("amount", minor, currency).unwrap(),
            rate,
            status,
        }
    }

    #[test]
    fn a_budget_counts_granted_money_once_in_kronor() {
        use crate::money::Currency::{Eur, Sek as Kr};
        let own = Sek::from_ore("own", 40_000_000).unwrap(); // 400 000 kr
        let sources = [
            source(10_000_000, Eur, FundingStatus::Granted), // 100 000 € = 1 100 000 kr
            source(5_000_000, Kr, FundingStatus::Paid),      // 50 000 kr
            source(9_900_000, Kr, FundingStatus::Rejected),
            source(2_000_000, Kr, FundingStatus::Applied),
        ];
        let b = budget(own, &sources).unwrap();
        assert_eq!((b.granted.ore(), b.paid.ore(), b.applied.ore()), (115_000_000, 5_000_000, 2_000_000));
        assert_eq!(b.co_funding_rate, Some(7_419)); // 1 150 000 of 1 550 000
        assert_eq!(b.leverage, Some(288)); // 2,875 kr per own krona
        let no_rate = FundingSource { rate: None, ..sources[0] };
        assert_eq!(budget(own, &[no_rate]).unwrap_err().field, "funding[0].rate");
    }

    proptest! {
        #[test]
        fn a_budget_is_the_sum_of_its_sources(parts in proptest::collection::vec((0..=crate::money::MAX_MINOR, 0usize..4), 0..30)) {
            let statuses = [FundingStatus::Applied, FundingStatus::Granted, FundingStatus::Rejected, FundingStatus::Paid];
            let sources: Vec<_> = parts.iter().map(|(m, s)| source(*m, crate::money::Currency::Sek, statuses[*s])).collect();
            let b = budget(Sek::ZERO, &sources).unwrap();
            let of = |wanted: &[FundingStatus]| -> i64 {
                parts.iter().filter(|(_, s)| wanted.contains(&statuses[*s])).map(|(m, _)| *m).sum()
            };
            prop_assert_eq!(b.granted.ore(), of(&[FundingStatus::Granted, FundingStatus::Paid]));
            prop_assert_eq!(b.paid.ore(), of(&[FundingStatus::Paid]));
            prop_assert_eq!(b.applied.ore(), of(&[FundingStatus::Applied]));
        }
    }

    #[test]
    fn a_completed_project_says_what_it_gave() {
        let e = check_completion(Some(" "), None).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["results", "value_given"]);
        assert!(check_completion(Some("Tre skolor i utbyte."), Some("Ett bestående partnerskap.")).is_ok());
    }

    #[test]
    fn priority_areas_guide_and_do_not_limit() {
        assert_eq!(programme_fit(&[1, 2], None, None).unwrap(), ProgrammeFit::PriorityAreas(vec![1, 2]));
        let e = programme_fit(&[], Some(" "), None).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["contribution", "lasting_value"]);
        let fit =
            programme_fit(&[], Some("Hållbar tillväxt genom …"), Some("Ett bestående nätverk")).unwrap();
        assert!(matches!(fit, ProgrammeFit::Motivated { .. }));
        assert_eq!(programme_fit(&[2, 2], None, None).unwrap_err().0[0].code, "duplicate");
    }
    fn school_exchange() -> ProjectInput {
        ProjectInput {
            title: "Skolutbyte med Ängelholm och Tartu".into(),
            summary: "Elever och lärare möts två gånger om året.".into(),
            kind: "development".into(),
            period_from: NaiveDate::from_ymd_opt(2026, 1, 1),
            period_to: NaiveDate::from_ymd_opt(2027, 12, 31),
            partners: vec![("Tartu linn".into(), "EE".into(), "municipality".into(), "partner".into())],
            priority_areas: vec![4],
            goals: vec![11, 12],
            own_money: 20_000_000,
            own_hours: 40_000,
            funding: vec![FundingInput {
                programme_id: 1,
                call: Some("KA1 2026".into()),
                amount: 3_000_000,
                currency: "EUR".into(),
                rate: Some(11_200_000),
                status: "granted".into(),
            }],
            ..ProjectInput::default()
        }
    }

    #[test]
    fn a_project_is_checked_field_by_field() {
        let p = Project::parse(&school_exchange()).unwrap();
        assert_eq!(p.kind, WorkKind::Development);
        assert_eq!(p.budget().unwrap().granted.ore(), 33_600_000); // 30 000 € at 11,20
        let mut bad = school_exchange();
        bad.partners[0].3 = "sponsor".into();
        bad.funding[0].rate = None;
        bad.goals = vec![11, 11];
        bad.own_hours = -1;
        let e = Project::parse(&bad).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["partners[0].role", "goals", "own_hours", "funding[0].rate"]);
        let kronor = FundingInput { currency: "SEK".into(), ..school_exchange().funding[0].clone() };
        assert_eq!(FundingLine::parse(&kronor).unwrap_err().0[0].code, "not_allowed");
    }

    #[test]
    fn a_project_completes_only_with_its_results() {
        let p = Project::parse(&school_exchange()).unwrap();
        let e = p.check_move(ProjectStatus::Ongoing, ProjectStatus::Completed, true).unwrap_err();
        assert!(e.0.iter().all(|f| f.conflict));
        let done = Project {
            results: Some("Fyra utbyten.".into()),
            value_given: Some("Ett varaktigt partnerskap.".into()),
            ..p
        };
        assert!(done.check_move(ProjectStatus::Ongoing, ProjectStatus::Completed, true).is_ok());
        let gate = done.check_move(ProjectStatus::Planning, ProjectStatus::Applied, false).unwrap_err();
        assert_eq!(gate.0[0].code, "co_funding_not_assessed");
    }
    #[test]
    fn an_imported_status_is_reached_move_by_move_through_the_gate() {
        use ProjectStatus::*;
        assert_eq!(Idea.way_to(Completed), Some(vec![Planning, Ongoing, Completed]));
        assert_eq!(Idea.way_to(Rejected), Some(vec![Planning, Applied, Rejected]));
        assert_eq!(Rejected.way_to(Granted), Some(vec![Planning, Applied, Granted]));
        assert_eq!(Ongoing.way_to(Ongoing), Some(vec![]));
        assert_eq!(Completed.way_to(Idea), None);
        let p = Project::parse(&school_exchange()).unwrap();
        assert_eq!(p.kind, WorkKind::Development);
        let gate = p.check_way(Idea, Ongoing, false).unwrap_err();
        assert_eq!(gate.0[0].code, "co_funding_not_assessed", "an import does not pass the gate");
        assert!(p.check_way(Idea, Ongoing, true).is_ok());
        assert!(p.check_way(Idea, Planning, false).is_ok());
        assert!(p.check_way(Idea, Cancelled, false).is_ok());
        let done = p.check_way(Idea, Completed, true).unwrap_err();
        assert!(done.0.iter().any(|f| f.field == "results"), "completion needs results");
        assert_eq!(p.check_way(Completed, Planning, true).unwrap_err().0[0].code, "status_move");
        let positioning = Project { kind: WorkKind::Positioning, ..p };
        assert!(positioning.check_way(Idea, Granted, false).is_ok());
    }

    proptest! {
        #[test]
        fn a_way_is_a_chain_of_allowed_moves_ending_where_asked(from in status(), to in status()) {
            if let Some(way) = from.way_to(to) {
                let mut at = from;
                for step in &way {
                    prop_assert!(at.allows(*step), "{:?} → {:?}", at, step);
                    at = *step;
                }
                prop_assert_eq!(at, to);
                prop_assert!(way.len() <= ProjectStatus::ALL.len());
            } else {
                prop_assert!(from != to);
                prop_assert!(!from.allows(to));
            }
        }
    }

    #[test]
    fn an_approved_project_keeps_its_programme_version() {
        use ProjectStatus::*;
        assert_eq!(programme_version(Idea, Some(1), Some(2)), Some(2));
        assert_eq!(programme_version(Planning, None, Some(2)), Some(2));
        for s in [Applied, Granted, Rejected, Ongoing, Completed, Cancelled] {
            assert_eq!(programme_version(s, Some(1), Some(2)), Some(1), "{s:?}");
        }
    }

    #[test]
    fn a_funding_programme_has_a_slug_a_name_and_a_kind() {
        let p = FundingProgramme::parse(" erasmus-plus ", "Erasmus+", "eu", true).unwrap();
        assert_eq!((p.code.as_str(), p.kind), ("erasmus-plus", FundingProgrammeKind::Eu));
        let e = FundingProgramme::parse("Erasmus+", "", "eu-ish", true).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["code", "name", "kind"]);
    }
}
