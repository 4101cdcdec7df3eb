//! Governance rules of the seed (rules 1, 2 and 6): when a programme must be revised, how
//! adoption supersedes, what a decision is, and which changes of a twin town or a
//! collaboration need a decision of the council.

use chrono::{Datelike, Months, NaiveDate};

use crate::diarienummer::Diarienummer;
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::programme::{Body, ProgrammeStatus};
use crate::text::{NonEmptyText, OptionalText};

// --- Rule 2: revision after elections ---------------------------------------------------

/// Is `year` a Swedish general election year? (Every four years: …, 2018, 2022, 2026, ….)
pub fn is_election_year(year: i32) -> bool {
    (year - 2018).rem_euclid(4) == 0
}

/// The first general election year strictly after `date`'s year, or `date`'s own year when
/// the election (second Sunday of September) is still ahead of it.
pub fn next_election_year(date: NaiveDate) -> i32 {
    let y = date.year();
    if is_election_year(y) && date < election_day(y) {
        return y;
    }
    let mut next = y + 1;
    while !is_election_year(next) {
        next += 1;
    }
    next
}

/// Election day: the second Sunday of September.
pub fn election_day(year: i32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(NaiveDate::MIN);
    let to_sunday = (7 - first.weekday().num_days_from_sunday()) % 7;
    first + chrono::Days::new(u64::from(to_sunday) + 7)
}

/// When the management model asks for a revision: by the end of the year after the first
/// election following adoption.
pub fn revision_due(adopted: NaiveDate) -> NaiveDate {
    let year = next_election_year(adopted) + 1;
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A programme is valid for four years from adoption.
pub fn valid_until(adopted: NaiveDate) -> NaiveDate {
    adopted.checked_add_months(Months::new(48)).unwrap_or(NaiveDate::MAX)
}

/// The date a revision is due: the document's own revise-by date when it has one, else
/// the management model's.
pub fn revise_by(document_revise_by: Option<NaiveDate>, adopted: Option<NaiveDate>) -> Option<NaiveDate> {
    document_revise_by.or(adopted.map(revision_due))
}

// --- Decisions (rule 6) ---------------------------------------------------------------

/// A decision as registered: which body, when, the paragraph (§) of the minutes, the
/// registry number and what it was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    body: Body,
    date: NaiveDate,
    paragraph: String,
    diarienummer: Diarienummer,
    subject: NonEmptyText,
    link: Option<String>,
}

/// The raw fields of a decision.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub body: String,
    pub date: Option<NaiveDate>,
    pub paragraph: String,
    pub diarienummer: String,
    pub subject: String,
    pub link: Option<String>,
}

impl Decision {
    pub fn parse(input: &DecisionInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let body = c.take(Body::parse(&input.body).map_err(|e| e.named("body")));
        let date = c.take(
            input
                .date
                .ok_or_else(|| {
                    FieldError::rule(
                        "decided_on",
                        "required",
                        "the date of the decision is needed",
                        "beslutets datum behövs",
                    )
                })
                .and_then(|d| crate::date::check_day("decided_on", d)),
        );
        let paragraph = c.take(parse_paragraph(&input.paragraph));
        let diarienummer = c.take(Diarienummer::parse(&input.diarienummer));
        let subject = c.take(NonEmptyText::title("subject", &input.subject));
        let link = c.take(parse_link(input.link.as_deref()));
        c.finish()?;
        match (body, date, paragraph, diarienummer, subject, link) {
            (Some(body), Some(date), Some(paragraph), Some(diarienummer), Some(subject), Some(link)) => {
                Ok(Self { body, date, paragraph, diarienummer, subject, link })
            }
            _ => Err(ValidationErrors::single("decision", "is invalid")),
        }
    }

    pub fn body(&self) -> Body {
        self.body
    }
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    pub fn paragraph(&self) -> &str {
        &self.paragraph
    }
    pub fn diarienummer(&self) -> &Diarienummer {
        &self.diarienummer
    }
    pub fn subject(&self) -> &str {
        self.subject.as_str()
    }
    pub fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }
}

/// "§ 45", "§45", "45" → "45"; sub-paragraphs like "45 a" are kept. At most 14 characters
/// as written, spaces around and one `§` allowed: exactly the pattern the API's schema states
/// (`PARAGRAPH_PATTERN`), so that what the schema allows is what is accepted.
fn parse_paragraph(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim_start_matches(' ');
    let s = s.strip_prefix('§').unwrap_or(s).trim_matches(' ');
    let ok = raw.chars().count() <= PARAGRAPH_MAX
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == ':' || c == '.');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::rule(
            "paragraph",
            "paragraph",
            "must be the paragraph number of the minutes, like § 45",
            "ska vara protokollets paragrafnummer, till exempel § 45",
        ))
    }
}

/// The longest paragraph as written (`§ 1234 a:12`).
pub const PARAGRAPH_MAX: usize = 14;

/// A paragraph as written, as a regular expression (ECMA-262, for the API's schema).
pub const PARAGRAPH_PATTERN: &str = "^ *(§ *)?[0-9][0-9A-Za-z :.]*$";

/// A link to the decision: blank for none, or an http(s) address of the shape
/// [`crate::patterns::link`] states that the `url` crate (through `validator`) parses.
pub fn parse_link(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    // The pattern is a constant the tests compile; were it ever broken, no link would pass.
    static LINK: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(&crate::patterns::link()).ok());
    raw.map_or(Ok(()), |r| crate::text::check_length("link", r, 2000))?;
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s)
            if LINK.as_ref().is_some_and(|re| re.is_match(s)) && validator::ValidateUrl::validate_url(s) =>
        {
            Ok(Some(s.to_owned()))
        }
        Some(_) => Err(FieldError::rule(
            "link",
            "url",
            "must be a web address starting with https://",
            "ska vara en webbadress som börjar med https://",
        )),
    }
}

/// A phone number: blank for none, or 5–20 digits with spaces, `+`, `-` and parentheses, at
/// most 30 characters.
pub(crate) fn parse_phone(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    raw.map_or(Ok(()), |r| crate::text::check_length("phone", r, 30))?;
    let Some(p) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if (5..=20).contains(&digits) && p.chars().all(|ch| ch.is_ascii_digit() || " +-()".contains(ch)) {
        return Ok(Some(p.to_owned()));
    }
    Err(FieldError::rule(
        "phone",
        "phone",
        "must be a phone number like 0140-681 00 or +46 140 681 00",
        "ska vara ett telefonnummer som 0140-681 00 eller +46 140 681 00",
    ))
}

// --- Rule 1: adoption supersedes ---------------------------------------------------------

/// The stored versions of one governing document: (record id, version number, status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentVersions(Vec<(i64, i32, ProgrammeStatus)>);

/// Why a version cannot be started: the document's versions say no (HTTP 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionRefused {
    /// A new document would reuse the id of an existing one.
    DocumentExists,
    /// The document has a draft already; one draft per document at a time.
    DraftExists,
}

impl VersionRefused {
    pub fn message(self) -> &'static str {
        match self {
            Self::DocumentExists => "a document with this id exists; make a new version of it instead",
            Self::DraftExists => "this document already has a draft; continue that one",
        }
    }
}

impl DocumentVersions {
    pub fn new(versions: Vec<(i64, i32, ProgrammeStatus)>) -> Self {
        Self(versions)
    }

    /// A new document starts as version 1, under an id no document has.
    pub fn first(&self) -> Result<i32, VersionRefused> {
        if self.0.is_empty() { Ok(1) } else { Err(VersionRefused::DocumentExists) }
    }

    /// The number of the next version: after the highest, and only while the document has
    /// no draft (one draft per document at a time).
    pub fn next(&self) -> Result<i32, VersionRefused> {
        if self.0.iter().any(|(_, _, s)| *s == ProgrammeStatus::Draft) {
            return Err(VersionRefused::DraftExists);
        }
        Ok(self.0.iter().map(|(_, v, _)| *v).max().unwrap_or(0) + 1)
    }

    /// The version in force: the adopted one, if any.
    pub fn adopted(&self) -> Option<i64> {
        self.0.iter().find(|(_, _, s)| *s == ProgrammeStatus::Adopted).map(|(id, _, _)| *id)
    }
}

/// What adopting a draft changes (rule 1): the draft becomes adopted, decided by the
/// executive board, published on the decision's day and due for revision on `revise_by`;
/// the version adopted before it (`supersede`) becomes superseded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    pub supersede: Option<i64>,
    pub decided_by: Body,
    pub published: NaiveDate,
    pub revise_by: NaiveDate,
}

/// Rule 1: only a draft is adopted, only by the executive board; adoption supersedes the
/// version in force. Without a revise-by date of its own the programme is due for revision
/// by the end of the year after the first election following adoption; a given one must
/// come after the decision.
pub fn adopt(
    draft_status: ProgrammeStatus,
    versions: &DocumentVersions,
    decision: &Decision,
    revise_by_given: Option<NaiveDate>,
) -> Result<Adoption, ValidationErrors> {
    let mut c = Collector::new();
    if draft_status != ProgrammeStatus::Draft {
        c.push(
            FieldError::rule(
                "status",
                "not_a_draft",
                "only a draft can be adopted; create a new version to change an adopted programme",
                "bara ett utkast kan antas; skapa en ny version för att ändra ett antaget program",
            )
            .of_state(),
        );
    }
    if decision.body() != Body::ExecutiveBoard {
        c.push(FieldError::rule(
            "decision.body",
            "executive_board_only",
            "the executive board (Kommunstyrelsen) adopts and revises the programme",
            "det är kommunstyrelsen som antar och reviderar programmet",
        ));
    }
    c.take(crate::date::check_optional_day("revise_by", revise_by_given));
    let revise = revise_by_given.unwrap_or_else(|| revision_due(decision.date()));
    if revise <= decision.date() {
        c.push(FieldError::rule(
            "revise_by",
            "after_decision",
            "must be after the day of the decision",
            "ska vara efter beslutsdagen",
        ));
    }
    c.finish()?;
    Ok(Adoption {
        supersede: versions.adopted(),
        decided_by: Body::ExecutiveBoard,
        published: decision.date(),
        revise_by: revise,
    })
}

/// Priority areas, texts and links of a version change only while it is a draft; adopted
/// and superseded versions stay as the board saw them.
pub fn check_editable(status: ProgrammeStatus) -> Result<(), FieldError> {
    if status == ProgrammeStatus::Draft {
        Ok(())
    } else {
        Err(FieldError::rule(
            "status",
            "not_a_draft",
            "an adopted or superseded version cannot change; create a new version",
            "en antagen eller ersatt version kan inte ändras; skapa en ny version",
        )
        .of_state())
    }
}

// --- Twin towns and collaborations (rule 6) ------------------------------------------------

code_enum! {
    /// A twin town's life.
    TwinTownStatus, "status" {
        Proposed = "proposed", "Föreslagen", "Proposed";
        Active = "active", "Aktiv", "Active";
        Dormant = "dormant", "Vilande", "Dormant";
        Ended = "ended", "Avslutad", "Ended";
    }
}

code_enum! {
    /// A collaboration's or network membership's life.
    CollaborationStatus, "status" {
        Proposed = "proposed", "Föreslaget", "Proposed";
        Active = "active", "Aktivt", "Active";
        Ended = "ended", "Avslutat", "Ended";
    }
}

pub(crate) fn needs_council(decision: Option<&Decision>, what: &str) -> Result<(), FieldError> {
    match decision {
        Some(d) if d.body() == Body::Council => Ok(()),
        Some(_) => Err(FieldError::rule(
            "decision.body",
            "council_decision",
            format!("{what} needs a decision of the council (Kommunfullmäktige)"),
            "kräver ett beslut av kommunfullmäktige",
        )),
        None => Err(FieldError::rule(
            "decision",
            "council_decision",
            format!("{what} needs a decision of the council (Kommunfullmäktige)"),
            "kräver ett beslut av kommunfullmäktige, valt ur beslutsregistret",
        )),
    }
}

/// A change of status that the rules allow from where a record stands, and whether it needs
/// a decision of the council from the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move<S> {
    pub to: S,
    pub needs_decision: bool,
}

fn moves_of<S: crate::codes::Code + Copy>(route: impl Fn(S) -> Option<bool>) -> Vec<Move<S>> {
    S::all()
        .iter()
        .filter_map(|to| route(*to).map(|needs_decision| Move { to: *to, needs_decision }))
        .collect()
}

pub(crate) fn refused<S: crate::codes::Code>(what: &str, from: S, to: S) -> FieldError {
    FieldError::rule(
        "status",
        "status_move",
        format!("{what} cannot go from {} to {}", from.english().to_lowercase(), to.english().to_lowercase()),
        format!("kan inte gå från {} till {}", from.swedish().to_lowercase(), to.swedish().to_lowercase()),
    )
    .of_state()
    .with("from", from.code())
    .with("to", to.code())
}

impl TwinTownStatus {
    /// Where a twin town may go from `self`: `Some(true)` with the council's decision
    /// (becoming active, ending), `Some(false)` without one (resting), `None` not at all.
    fn route(self, to: TwinTownStatus) -> Option<bool> {
        use TwinTownStatus::{Active, Dormant, Ended, Proposed};
        match (self, to) {
            (Proposed | Dormant, Active) | (Proposed | Active | Dormant, Ended) => Some(true),
            (Active, Dormant) => Some(false),
            _ => None,
        }
    }

    /// Every change of status allowed from `self`.
    pub fn moves(self) -> Vec<Move<TwinTownStatus>> {
        moves_of(|to| self.route(to))
    }

    /// May a twin town go from `self` to `to`, with this decision?
    pub fn change_to(self, to: TwinTownStatus, decision: Option<&Decision>) -> Result<(), FieldError> {
        match self.route(to) {
            Some(true) if to == TwinTownStatus::Active => {
                needs_council(decision, "a twin town becoming active")
            }
            Some(true) => needs_council(decision, "ending a twin town"),
            Some(false) => Ok(()),
            None => Err(refused("a twin town", self, to)),
        }
    }
}

impl TwinTownStatus {
    /// The change of status, when allowed: the new status, and the day the twinning holds
    /// from — the council's decision's day when it becomes active without one.
    pub fn change(
        self,
        to: TwinTownStatus,
        decision: Option<&Decision>,
        since: Option<NaiveDate>,
    ) -> Result<(TwinTownStatus, Option<NaiveDate>), FieldError> {
        self.change_to(to, decision)?;
        let since = match (to, since, decision) {
            (TwinTownStatus::Active, None, Some(d)) => Some(d.date()),
            (_, since, _) => since,
        };
        Ok((to, since))
    }
}

impl CollaborationStatus {
    /// A collaboration becomes active only with a council decision; ending needs none.
    fn route(self, to: CollaborationStatus) -> Option<bool> {
        use CollaborationStatus::{Active, Ended, Proposed};
        match (self, to) {
            (Proposed, Active) => Some(true),
            (Proposed | Active, Ended) => Some(false),
            _ => None,
        }
    }

    /// Every change of status allowed from `self`.
    pub fn moves(self) -> Vec<Move<CollaborationStatus>> {
        moves_of(|to| self.route(to))
    }

    pub fn change_to(self, to: CollaborationStatus, decision: Option<&Decision>) -> Result<(), FieldError> {
        match self.route(to) {
            Some(true) => needs_council(decision, "a collaboration becoming active"),
            Some(false) => Ok(()),
            None => Err(refused("a collaboration", self, to)),
        }
    }
}

/// A twin town (vänort): the town, its country and region, and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwinTown {
    town: NonEmptyText,
    country: crate::country::CountryCode,
    region: Option<NonEmptyText>,
    since: Option<NaiveDate>,
}

impl TwinTown {
    pub fn parse(
        town: &str,
        country: &str,
        region: Option<&str>,
        since: Option<NaiveDate>,
    ) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let town = c.take(NonEmptyText::title("town", town));
        let country = c.take(crate::country::CountryCode::parse(country));
        let region = c
            .take(OptionalText::parse("region", region, NonEmptyText::TITLE_MAX))
            .map(OptionalText::into_inner);
        c.take(crate::date::check_optional_day("since", since));
        c.finish()?;
        match (town, country, region) {
            (Some(town), Some(country), Some(region)) => Ok(Self { town, country, region, since }),
            _ => Err(ValidationErrors::single("twin_town", "is invalid")),
        }
    }

    pub fn town(&self) -> &str {
        self.town.as_str()
    }
    pub fn country(&self) -> &str {
        self.country.as_str()
    }
    pub fn region(&self) -> Option<&str> {
        self.region.as_ref().map(NonEmptyText::as_str)
    }
    pub fn since(&self) -> Option<NaiveDate> {
        self.since
    }
}

/// Rule 7: an organisation that is no longer active is kept with its records but takes no
/// new work — no contact, collaboration or department is added to it or moved under it.
/// `active` is `None` when there is no such organisation.
pub fn check_takes_new_work(field: &str, active: Option<bool>) -> Result<(), FieldError> {
    match active {
        Some(true) => Ok(()),
        Some(false) => Err(FieldError::rule(
            field,
            "inactive_organisation",
            "is an organisation that is no longer active",
            "är en organisation som inte längre är aktiv",
        )
        .of_state()),
        None => Err(FieldError::rule(field, "not_found", "is not an organisation", "är ingen organisation")
            .of_state()),
    }
}

/// A person erased on request stays erased: the anonymised row is never edited back to a
/// person (a new contact is added instead).
pub fn check_not_erased(erased: bool) -> Result<(), FieldError> {
    if erased {
        Err(FieldError::rule(
            "id",
            "erased",
            "this person was erased on request; add a new contact instead",
            "personen är raderad på begäran; lägg till en ny kontaktperson i stället",
        )
        .of_state())
    } else {
        Ok(())
    }
}

/// A contact person of an organisation's network (rule 7). Personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: NonEmptyText,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

/// The raw fields of a contact person.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub network_role: Option<String>,
    pub term_from: Option<NaiveDate>,
    pub term_to: Option<NaiveDate>,
}

impl Contact {
    pub fn parse(i: &ContactInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let name = c.take(NonEmptyText::title("name", &i.name));
        let optional = |field: &str, v: &Option<String>, c: &mut Collector| -> Option<String> {
            let text = c.take(OptionalText::parse(field, v.as_deref(), NonEmptyText::TITLE_MAX));
            text.and_then(|t| t.as_deref().map(str::to_owned))
        };
        let title = optional("title", &i.title, &mut c);
        let network_role = optional("network_role", &i.network_role, &mut c);
        // No address is null; an empty string is no address either, and said so.
        let email = i.email.as_deref().and_then(|e| c.take(crate::access::Email::parse(e)));
        let email = email.map(|e| e.as_str().to_owned());
        let phone = c.take(parse_phone(i.phone.as_deref())).flatten();
        c.take(crate::date::check_optional_day("term_from", i.term_from));
        c.take(crate::date::check_optional_day("term_to", i.term_to));
        if let (Some(from), Some(to)) = (i.term_from, i.term_to)
            && to < from
        {
            c.push(FieldError::rule(
                "term_to",
                "before_start",
                "must not be before the start of the term",
                "får inte vara före uppdragets början",
            ));
        }
        c.finish()?;
        let Some(name) = name else { return Err(ValidationErrors::single("name", "is invalid")) };
        Ok(Self { name, title, email, phone, network_role, term_from: i.term_from, term_to: i.term_to })
    }
}

code_enum! {
    /// A collaboration or a membership of a network.
    CollaborationKind, "kind" {
        Collaboration = "collaboration", "Samarbete", "Collaboration";
        NetworkMembership = "network_membership", "Nätverksmedlemskap", "Network membership";
    }
}

code_enum! {
    /// What kind of organisation a partner is.
    PartnerKind, "kind" {
        Municipality = "municipality", "Kommun", "Municipality";
        Region = "region", "Region", "Region";
        University = "university", "Lärosäte", "University";
        Company = "company", "Företag", "Company";
        Association = "association", "Förening", "Association";
        Network = "network", "Nätverk", "Network";
        Authority = "authority", "Myndighet", "Public authority";
        Other = "other", "Annan", "Other";
    }
}

/// A partner organisation of a collaboration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub name: NonEmptyText,
    pub country: crate::country::CountryCode,
    pub kind: PartnerKind,
}

impl Partner {
    /// A partner's name, ISO 3166-1 country and kind, each checked.
    pub fn parse(name: &str, country: &str, kind: &str) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let name = c.take(NonEmptyText::title("name", name));
        let country = c.take(crate::country::CountryCode::parse(country));
        let kind = c.take(PartnerKind::parse(kind));
        c.finish()?;
        match (name, country, kind) {
            (Some(name), Some(country), Some(kind)) => Ok(Partner { name, country, kind }),
            _ => Err(ValidationErrors::single("name", "is invalid")),
        }
    }
}

/// A period's days are real days, and it does not end before it starts.
pub fn check_period(c: &mut Collector, from: Option<NaiveDate>, to: Option<NaiveDate>) {
    c.take(crate::date::check_optional_day("period_from", from));
    c.take(crate::date::check_optional_day("period_to", to));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        c.push(FieldError::rule(
            "period_to",
            "before_start",
            "must not be before the start",
            "får inte vara före starten",
        ));
    }
}

/// A list names at most `max` items.
pub fn check_at_most(c: &mut Collector, field: &str, len: usize, max: usize) {
    if len > max {
        c.push(
            FieldError::rule(field, "too_many", format!("at most {max}"), format!("högst {max}"))
                .with("max", max),
        );
    }
}

/// A collaboration or network membership, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collaboration {
    pub kind: CollaborationKind,
    pub name: NonEmptyText,
    pub purpose: NonEmptyText,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub partners: Vec<Partner>,
}

/// The raw fields of a collaboration.
#[derive(Debug, Clone, Default)]
pub struct CollaborationInput {
    pub kind: String,
    pub name: String,
    pub purpose: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// (name, country, kind) of each partner, in order.
    pub partners: Vec<(String, String, String)>,
}

impl Collaboration {
    pub const MAX_PARTNERS: usize = 50;

    pub fn parse(i: &CollaborationInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let kind = c.take(CollaborationKind::parse(&i.kind));
        let name = c.take(NonEmptyText::title("name", &i.name));
        let purpose = c.take(NonEmptyText::prose("purpose", &i.purpose));
        check_period(&mut c, i.period_from, i.period_to);
        check_at_most(&mut c, "partners", i.partners.len(), Self::MAX_PARTNERS);
        let partners: Vec<Partner> = (i.partners.iter().enumerate())
            .filter_map(|(n, (name, country, kind))| {
                c.take_all(&format!("partners[{n}]"), Partner::parse(name, country, kind))
            })
            .collect();
        c.finish()?;
        match (kind, name, purpose) {
            (Some(kind), Some(name), Some(purpose)) => {
                Ok(Self { kind, name, purpose, period_from: i.period_from, period_to: i.period_to, partners })
            }
            _ => Err(ValidationErrors::single("collaboration", "is invalid")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_stored_records_refuse_is_told_apart_from_bad_input() {
        // 409: the input is well formed, the records as they are now do not allow it.
        assert!(check_editable(ProgrammeStatus::Adopted).unwrap_err().conflict);
        assert!(check_takes_new_work("organisation_id", Some(false)).unwrap_err().conflict);
        assert!(check_takes_new_work("organisation_id", None).unwrap_err().conflict);
        assert!(check_not_erased(true).unwrap_err().conflict);
        let back = TwinTownStatus::Ended.change_to(TwinTownStatus::Active, None).unwrap_err();
        assert!(back.conflict);
        // 422: wrong whatever is stored.
        let council = TwinTownStatus::Proposed.change_to(TwinTownStatus::Active, None).unwrap_err();
        assert!(!council.conflict);
        assert!(!parse_link(Some("ftp://tranas.se")).unwrap_err().conflict);
    }
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn decision(body: &str) -> Decision {
        Decision::parse(&DecisionInput {
            body: body.into(),
            date: Some(d(2026, 11, 26)),
            paragraph: "§ 45".into(),
            diarienummer: "KS 2026/112".into(),
            subject: "Vänort".into(),
            link: None,
        })
        .unwrap()
    }

    #[test]
    fn election_years_and_days() {
        for y in [2010, 2014, 2018, 2022, 2026, 2030] {
            assert!(is_election_year(y), "{y}");
        }
        for y in [2016, 2019, 2020, 2021, 2023, 2025, 2027] {
            assert!(!is_election_year(y), "{y}");
        }
        assert_eq!(election_day(2022), d(2022, 9, 11));
        assert_eq!(election_day(2018), d(2018, 9, 9));
        assert_eq!(election_day(2026), d(2026, 9, 13));
    }

    #[test]
    fn revision_is_due_the_year_after_the_next_election() {
        assert_eq!(revision_due(d(2016, 4, 23)), d(2019, 12, 31), "the seed programme: election 2018");
        assert_eq!(revision_due(d(2022, 3, 1)), d(2023, 12, 31), "before the 2022 election");
        assert_eq!(
            revision_due(d(2022, 10, 1)),
            d(2027, 12, 31),
            "after the 2022 election: the next is 2026"
        );
        assert_eq!(revision_due(d(2023, 5, 1)), d(2027, 12, 31));
        assert_eq!(valid_until(d(2016, 4, 23)), d(2020, 4, 23));
        assert_eq!(
            revise_by(Some(d(2020, 4, 22)), Some(d(2016, 4, 23))),
            Some(d(2020, 4, 22)),
            "the document's date wins"
        );
        assert_eq!(revise_by(None, Some(d(2016, 4, 23))), Some(d(2019, 12, 31)));
    }

    #[test]
    fn only_active_organisations_take_new_work_and_erased_people_stay_erased() {
        assert!(check_takes_new_work("organisation_id", Some(true)).is_ok());
        assert_eq!(check_takes_new_work("parent_id", Some(false)).unwrap_err().field, "parent_id");
        assert!(check_takes_new_work("organisation_id", None).is_err());
        assert!(check_not_erased(false).is_ok());
        assert!(check_not_erased(true).is_err());
    }

    /// Every move `moves` offers is one `change_to` accepts with the council's decision, and
    /// needs the decision exactly when `change_to` refuses it without one.
    fn moves_agree<S: crate::codes::Code + Copy + PartialEq + std::fmt::Debug>(
        moves: fn(S) -> Vec<Move<S>>,
        change_to: fn(S, S, Option<&Decision>) -> Result<(), FieldError>,
    ) {
        let council = decision("council");
        for from in S::all() {
            for to in S::all() {
                let allowed = moves(*from).into_iter().find(|m| m.to == *to);
                assert_eq!(
                    allowed.is_some(),
                    change_to(*from, *to, Some(&council)).is_ok(),
                    "{from:?}->{to:?}"
                );
                if let Some(m) = allowed {
                    assert_eq!(m.needs_decision, change_to(*from, *to, None).is_err(), "{from:?}->{to:?}");
                }
            }
        }
    }

    #[test]
    fn the_allowed_moves_are_the_ones_change_to_accepts() {
        moves_agree(TwinTownStatus::moves, TwinTownStatus::change_to);
        moves_agree(CollaborationStatus::moves, CollaborationStatus::change_to);
        assert!(TwinTownStatus::Ended.moves().is_empty());
    }

    #[test]
    fn a_twin_town_holds_from_the_councils_decision() {
        use TwinTownStatus::{Active, Dormant, Proposed};
        let council = decision("council");
        assert_eq!(Proposed.change(Active, Some(&council), None), Ok((Active, Some(d(2026, 11, 26)))));
        let earlier = Some(d(1990, 5, 1));
        assert_eq!(Proposed.change(Active, Some(&council), earlier), Ok((Active, earlier)));
        assert_eq!(Active.change(Dormant, None, earlier), Ok((Dormant, earlier)));
        assert_eq!(Proposed.change(Active, None, None).unwrap_err().field, "decision");
    }

    #[test]
    fn adoption_supersedes_the_version_in_force_and_one_draft_at_a_time() {
        use ProgrammeStatus::{Adopted, Draft, Superseded};
        let fresh = DocumentVersions::default();
        assert_eq!(fresh.first(), Ok(1));
        assert_eq!(fresh.next(), Ok(1));
        let v = DocumentVersions::new(vec![(10, 1, Superseded), (11, 2, Adopted)]);
        assert_eq!(v.first(), Err(VersionRefused::DocumentExists));
        assert_eq!(v.next(), Ok(3));
        let a = adopt(Draft, &v, &decision("executive_board"), Some(d(2030, 1, 1))).unwrap();
        assert_eq!(a.supersede, Some(11));
        assert_eq!(a.decided_by, Body::ExecutiveBoard);
        assert_eq!(a.revise_by, d(2030, 1, 1));
        let with_draft = DocumentVersions::new(vec![(11, 2, Adopted), (12, 3, Draft)]);
        assert_eq!(with_draft.next(), Err(VersionRefused::DraftExists));
    }

    #[test]
    fn decisions_parse_and_name_bad_fields() {
        let ok = decision("council");
        assert_eq!(ok.paragraph(), "45");
        for (raw, want) in [("§45", Some("45")), ("  § 45 a ", Some("45 a")), ("12:3", Some("12:3"))] {
            assert_eq!(parse_paragraph(raw).ok().as_deref(), want, "{raw:?}");
        }
        for bad in ["", "§", "a1", "§§45", "\t45", "§ 1234567890123", "45!"] {
            assert!(parse_paragraph(bad).is_err(), "{bad:?}");
        }
        for bad in ["https://", "http://exa mple.se", "ftp://tranas.se", "https://[::1"] {
            assert!(parse_link(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            parse_link(Some(" https://diarium.tranas.se/2016-20 ")).unwrap().as_deref(),
            Some("https://diarium.tranas.se/2016-20")
        );
        assert_eq!(ok.diarienummer().to_string(), "KS 2026/112");
        let e = Decision::parse(&DecisionInput {
            body: "mayor".into(),
            date: None,
            paragraph: "femtio".into(),
            diarienummer: "x".into(),
            subject: " ".into(),
            link: Some("ftp://x".into()),
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["body", "decided_on", "paragraph", "diarienummer", "subject", "link"]);
    }

    #[test]
    fn only_the_executive_board_adopts_and_only_drafts() {
        let none = DocumentVersions::default();
        let a = adopt(ProgrammeStatus::Draft, &none, &decision("executive_board"), None).unwrap();
        assert_eq!(a.supersede, None);
        assert_eq!(
            adopt(ProgrammeStatus::Draft, &none, &decision("council"), None).unwrap_err().0[0].field,
            "decision.body"
        );
        assert_eq!(
            adopt(ProgrammeStatus::Adopted, &none, &decision("executive_board"), None).unwrap_err().0[0]
                .field,
            "status"
        );
        // Without a date of its own, due by the end of the year after the next election
        // (2026-11-26 → election 2030 → 2031-12-31); a given date must follow the decision.
        assert_eq!(a.revise_by, d(2031, 12, 31));
        assert_eq!(a.published, d(2026, 11, 26));
        let early = adopt(ProgrammeStatus::Draft, &none, &decision("executive_board"), Some(d(2026, 11, 26)));
        assert_eq!(early.unwrap_err().0[0].field, "revise_by");
        assert!(check_editable(ProgrammeStatus::Draft).is_ok());
        assert!(check_editable(ProgrammeStatus::Adopted).is_err());
        assert!(check_editable(ProgrammeStatus::Superseded).is_err());
    }

    #[test]
    fn twin_towns_need_the_council_to_become_active_and_to_end() {
        use TwinTownStatus::*;
        let kf = decision("council");
        let ks = decision("executive_board");
        assert!(Proposed.change_to(Active, Some(&kf)).is_ok());
        assert_eq!(Proposed.change_to(Active, None).unwrap_err().field, "decision");
        assert_eq!(Proposed.change_to(Active, Some(&ks)).unwrap_err().field, "decision.body");
        assert!(Active.change_to(Dormant, None).is_ok());
        assert!(Dormant.change_to(Active, Some(&kf)).is_ok());
        assert!(Active.change_to(Ended, None).is_err());
        assert!(Active.change_to(Ended, Some(&kf)).is_ok());
        assert!(
            Ended.change_to(Active, Some(&kf)).is_err(),
            "an ended twinning starts over as a new proposal"
        );
        assert!(Proposed.change_to(Dormant, None).is_err());
    }

    #[test]
    fn contacts_check_their_fields() {
        let ok = Contact::parse(&ContactInput {
            name: "Anna Berg".into(),
            email: Some("Anna.Berg@Tranas.se".into()),
            phone: Some("0140-681 00".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.email.as_deref(), Some("anna.berg@tranas.se"));
        let e = Contact::parse(&ContactInput {
            name: "".into(),
            email: Some("inte".into()),
            phone: Some("ring mig".into()),
            term_from: Some(d(2026, 1, 1)),
            term_to: Some(d(2025, 1, 1)),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
            ["name", "email", "phone", "term_to"]
        );
    }

    #[test]
    fn collaborations_check_partners_and_periods() {
        let ok = Collaboration::parse(&CollaborationInput {
            kind: "network_membership".into(),
            name: "Eurocities".into(),
            purpose: "Omvärldsbevakning".into(),
            partners: vec![("Eurocities".into(), "be".into(), "network".into())],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.partners[0].country.as_str(), "BE");
        let e = Collaboration::parse(&CollaborationInput {
            kind: "friendship".into(),
            name: "".into(),
            purpose: "Syfte".into(),
            period_from: Some(d(2026, 1, 1)),
            period_to: Some(d(2025, 1, 1)),
            partners: vec![("Lund".into(), "Sverige".into(), "kommun".into())],
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "name", "period_to", "partners[0].country", "partners[0].kind"]);
    }

    #[test]
    fn twin_towns_parse_with_iso_countries() {
        let t = TwinTown::parse("Nowogard", "pl", Some(" Västpommern "), None).unwrap();
        assert_eq!((t.town(), t.country(), t.region()), ("Nowogard", "PL", Some("Västpommern")));
        let e = TwinTown::parse(" ", "Polen", None, None).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["town", "country"]);
    }

    #[test]
    fn collaborations_become_active_only_with_the_council() {
        use CollaborationStatus::*;
        assert!(Proposed.change_to(Active, Some(&decision("council"))).is_ok());
        assert!(Proposed.change_to(Active, Some(&decision("committee"))).is_err());
        assert!(Proposed.change_to(Active, None).is_err());
        assert!(Active.change_to(Ended, None).is_ok());
        assert!(Ended.change_to(Active, Some(&decision("council"))).is_err());
    }

    proptest! {
        #[test]
        fn revision_is_always_after_adoption_and_within_six_years(days in 0i64..40_000) {
            let adopted = d(1950, 1, 1) + chrono::Days::new(days as u64);
            let due = revision_due(adopted);
            prop_assert!(due > adopted);
            prop_assert!(due.year() - adopted.year() <= 5);
            prop_assert!(is_election_year(due.year() - 1));
        }

        #[test]
        fn every_twin_town_change_to_active_or_ended_needs_the_council(from in 0usize..4, to in 0usize..4) {
            let (from, to) = (TwinTownStatus::ALL[from], TwinTownStatus::ALL[to]);
            if matches!(to, TwinTownStatus::Active | TwinTownStatus::Ended) {
                prop_assert!(from.change_to(to, None).is_err());
            }
        }

        #[test]
        fn paragraphs_never_panic(s in "\\PC{0,20}") {
            let _ = parse_paragraph(&s);
        }
    }
}
