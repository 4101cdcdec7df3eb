//! The programme: a governing document (styrdokument) with its document identity, its
//! life (draft → adopted → superseded), its priority areas and the kinds of international
//! work it describes. Rules 1, 3 and 4 of the design card.

use chrono::NaiveDate;

use crate::diarienummer::Diarienummer;
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::text::NonEmptyText;

/// The municipality's own document number (dokument-ID), e.g. `0424`. Kept as written:
/// leading zeros are part of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentId(String);

impl DocumentId {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::rule(
                "document_id",
                "required",
                "must not be empty",
                "får inte vara tomt",
            ));
        }
        if raw.chars().count() > 20 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            return Err(FieldError::rule(
                "document_id",
                "document_id",
                "must be 1–20 letters, digits, dots or hyphens, like 0424",
                "ska vara 1–20 bokstäver, siffror, punkter eller bindestreck, till exempel 0424",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

code_enum! {
    /// The kind of governing document (dokumenttyp).
    DocumentType, "document_type" {
        Programme = "programme", "Program", "Programme";
        Policy = "policy", "Policy", "Policy";
        Plan = "plan", "Plan", "Plan";
        Strategy = "strategy", "Strategi", "Strategy";
        Guideline = "guideline", "Riktlinje", "Guideline";
    }
}

code_enum! {
    /// A body that takes decisions. The council decides collaborations and twin towns;
    /// the executive board adopts and revises the programme (rule 6).
    Body, "decided_by" {
        /// Kommunfullmäktige (KF).
        Council = "council", "Kommunfullmäktige", "Municipal council";
        /// Kommunstyrelsen (KS).
        ExecutiveBoard = "executive_board", "Kommunstyrelsen", "Municipal executive board";
        /// A committee (nämnd).
        Committee = "committee", "Nämnd", "Committee";
        /// The board of a municipal company (bolagsstyrelse).
        CompanyBoard = "company_board", "Bolagsstyrelse", "Company board";
    }
}

code_enum! {
    /// Where a programme version is in its life (rule 1).
    ProgrammeStatus, "status" {
        Draft = "draft", "Utkast", "Draft";
        Adopted = "adopted", "Antagen", "Adopted";
        Superseded = "superseded", "Ersatt", "Superseded";
    }
}

code_enum! {
    /// The three kinds of international work the programme names (rule 4).
    WorkKind, "kind" {
        /// Omvärldsbevakning: conferences, study visits, networks.
        HorizonScanning = "horizon_scanning", "Omvärldsbevakning", "Horizon scanning";
        /// Positionering: new establishments, exports, tourism, in-migration.
        Positioning = "positioning", "Positionering", "Positioning";
        /// Verksamhetsutveckling: collaborations and projects.
        Development = "development", "Verksamhetsutveckling", "Operational development";
    }
}

/// A priority area of one programme version (rule 3): numbered from 1 in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityArea {
    number: u16,
    title: NonEmptyText,
    description: NonEmptyText,
}

impl PriorityArea {
    pub const MAX: usize = 20;

    pub fn parse(number: i64, title: &str, description: &str) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let number = c.take(
            u16::try_from(number).ok().filter(|n| (1..=Self::MAX as u16).contains(n)).ok_or_else(|| {
                FieldError::rule(
                    "number",
                    "out_of_range",
                    format!("must be between 1 and {}", Self::MAX),
                    format!("ska vara mellan 1 och {}", Self::MAX),
                )
            }),
        );
        let title = c.take(NonEmptyText::title("title", title));
        let description = c.take(NonEmptyText::prose("description", description));
        c.finish()?;
        match (number, title, description) {
            (Some(number), Some(title), Some(description)) => Ok(Self { number, title, description }),
            _ => Err(ValidationErrors::single("priority_area", "is invalid")),
        }
    }

    pub fn number(&self) -> u16 {
        self.number
    }
    pub fn title(&self) -> &str {
        self.title.as_str()
    }
    pub fn description(&self) -> &str {
        self.description.as_str()
    }
}

/// What one programme says about one kind of international work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkKindDescription {
    kind: WorkKind,
    description: NonEmptyText,
}

impl WorkKindDescription {
    pub fn parse(kind: &str, description: &str) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let kind = c.take(WorkKind::parse(kind));
        let description = c.take(NonEmptyText::prose("description", description));
        c.finish()?;
        match (kind, description) {
            (Some(kind), Some(description)) => Ok(Self { kind, description }),
            _ => Err(ValidationErrors::single("work_kind", "is invalid")),
        }
    }

    pub fn kind(&self) -> WorkKind {
        self.kind
    }
    pub fn description(&self) -> &str {
        self.description.as_str()
    }
}

/// The raw fields of a programme version, as they arrive from a form, the API or the seed.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeInput {
    pub title: String,
    pub document_id: String,
    pub diarienummer: String,
    pub version: i64,
    pub document_type: String,
    pub responsible_administration: String,
    pub responsible_department: String,
    pub decided_by: String,
    pub published: Option<NaiveDate>,
    pub revise_by: Option<NaiveDate>,
    pub purpose: String,
    pub background: String,
    pub status: String,
    pub priority_areas: Vec<(i64, String, String)>,
    pub work_kinds: Vec<(String, String)>,
}

impl ProgrammeInput {
    /// This input as a draft for the executive board to adopt: no publishing or revise-by
    /// date until it is adopted.
    pub fn as_draft(self) -> Self {
        Self {
            decided_by: Body::ExecutiveBoard.code().to_owned(),
            status: ProgrammeStatus::Draft.code().to_owned(),
            published: None,
            revise_by: None,
            ..self
        }
    }
}

/// One version of a governing document, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    title: NonEmptyText,
    document_id: DocumentId,
    diarienummer: Diarienummer,
    version: u32,
    document_type: DocumentType,
    responsible_administration: NonEmptyText,
    responsible_department: NonEmptyText,
    decided_by: Body,
    published: Option<NaiveDate>,
    revise_by: Option<NaiveDate>,
    purpose: NonEmptyText,
    background: NonEmptyText,
    status: ProgrammeStatus,
    priority_areas: Vec<PriorityArea>,
    work_kinds: Vec<WorkKindDescription>,
}

impl Programme {
    /// Parses every field and checks the rules that tie them together; reports every
    /// failing field at once.
    pub fn parse(input: &ProgrammeInput) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let title = c.take(NonEmptyText::title("title", &input.title));
        let document_id = c.take(DocumentId::parse(&input.document_id));
        let diarienummer = c.take(Diarienummer::parse(&input.diarienummer));
        let version =
            c.take(u32::try_from(input.version).ok().filter(|v| (1..=9999).contains(v)).ok_or_else(|| {
                FieldError::rule(
                    "version",
                    "out_of_range",
                    "must be between 1 and 9999",
                    "ska vara mellan 1 och 9999",
                )
            }));
        let document_type = c.take(DocumentType::parse(&input.document_type));
        let responsible_administration =
            c.take(NonEmptyText::title("responsible_administration", &input.responsible_administration));
        let responsible_department =
            c.take(NonEmptyText::title("responsible_department", &input.responsible_department));
        let decided_by = c.take(Body::parse(&input.decided_by));
        let purpose = c.take(NonEmptyText::prose("purpose", &input.purpose));
        let background = c.take(NonEmptyText::prose("background", &input.background));
        let status = c.take(ProgrammeStatus::parse(&input.status));

        if input.priority_areas.len() > PriorityArea::MAX {
            c.push(
                FieldError::rule(
                    "priority_areas",
                    "too_many",
                    format!("a programme has at most {} priority areas", PriorityArea::MAX),
                    format!("ett program har högst {} prioriterade områden", PriorityArea::MAX),
                )
                .with("max", PriorityArea::MAX),
            );
        }
        let mut priority_areas = Vec::with_capacity(input.priority_areas.len());
        for (i, (number, title, description)) in input.priority_areas.iter().enumerate() {
            let prefix = format!("priority_areas[{i}]");
            if let Some(area) = c.take_all(&prefix, PriorityArea::parse(*number, title, description)) {
                if usize::from(area.number) != i + 1 {
                    c.push(FieldError::rule(
                        format!("{prefix}.number"),
                        "numbering",
                        format!("priority areas are numbered 1, 2, 3 … in order; expected {}", i + 1),
                        format!("områdena numreras 1, 2, 3 … i ordning; här väntades {}", i + 1),
                    ));
                }
                priority_areas.push(area);
            }
        }

        let mut work_kinds: Vec<WorkKindDescription> = Vec::with_capacity(input.work_kinds.len());
        for (i, (kind, description)) in input.work_kinds.iter().enumerate() {
            let prefix = format!("work_kinds[{i}]");
            if let Some(wk) = c.take_all(&prefix, WorkKindDescription::parse(kind, description)) {
                if work_kinds.iter().any(|w| w.kind == wk.kind) {
                    c.push(FieldError::rule(
                        format!("{prefix}.kind"),
                        "duplicate",
                        "each kind of work is described once",
                        "varje slag av arbete beskrivs en gång",
                    ));
                }
                work_kinds.push(wk);
            }
        }

        c.take(crate::date::check_optional_day("published", input.published));
        c.take(crate::date::check_optional_day("revise_by", input.revise_by));
        if let (Some(p), Some(r)) = (input.published, input.revise_by)
            && r <= p
        {
            c.push(FieldError::rule(
                "revise_by",
                "after_published",
                "must be after the publishing date",
                "ska vara efter publiceringsdagen",
            ));
        }
        if status.is_some_and(|s| s != ProgrammeStatus::Draft) {
            if input.published.is_none() {
                c.push(FieldError::rule(
                    "published",
                    "required",
                    "an adopted programme has a publishing date",
                    "ett antaget program har ett publiceringsdatum",
                ));
            }
            if input.revise_by.is_none() {
                c.push(FieldError::rule(
                    "revise_by",
                    "required",
                    "an adopted programme has a revise-by date",
                    "ett antaget program har ett datum för revidering",
                ));
            }
        }

        c.finish()?;
        match (
            title,
            document_id,
            diarienummer,
            version,
            document_type,
            responsible_administration,
            responsible_department,
            decided_by,
            purpose,
            background,
            status,
        ) {
            (
                Some(title),
                Some(document_id),
                Some(diarienummer),
                Some(version),
                Some(document_type),
                Some(responsible_administration),
                Some(responsible_department),
                Some(decided_by),
                Some(purpose),
                Some(background),
                Some(status),
            ) => Ok(Self {
                title,
                document_id,
                diarienummer,
                version,
                document_type,
                responsible_administration,
                responsible_department,
                decided_by,
                published: input.published,
                revise_by: input.revise_by,
                purpose,
                background,
                status,
                priority_areas,
                work_kinds,
            }),
            _ => Err(ValidationErrors::single("programme", "is invalid")),
        }
    }

    pub fn title(&self) -> &str {
        self.title.as_str()
    }
    pub fn document_id(&self) -> &DocumentId {
        &self.document_id
    }
    pub fn diarienummer(&self) -> &Diarienummer {
        &self.diarienummer
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn document_type(&self) -> DocumentType {
        self.document_type
    }
    pub fn responsible_administration(&self) -> &str {
        self.responsible_administration.as_str()
    }
    pub fn responsible_department(&self) -> &str {
        self.responsible_department.as_str()
    }
    pub fn decided_by(&self) -> Body {
        self.decided_by
    }
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }
    pub fn revise_by(&self) -> Option<NaiveDate> {
        self.revise_by
    }
    pub fn purpose(&self) -> &str {
        self.purpose.as_str()
    }
    pub fn background(&self) -> &str {
        self.background.as_str()
    }
    pub fn status(&self) -> ProgrammeStatus {
        self.status
    }
    pub fn priority_areas(&self) -> &[PriorityArea] {
        &self.priority_areas
    }
    pub fn work_kinds(&self) -> &[WorkKindDescription] {
        &self.work_kinds
    }

    /// The next version of this document: a draft numbered `version` with this version's
    /// texts, priority areas and kinds of work, to be adopted by the executive board; no
    /// publishing or revise-by date until it is adopted.
    pub fn next_draft(&self, version: i32) -> Result<Self, ValidationErrors> {
        let version = u32::try_from(version).ok().filter(|v| (1..=9999).contains(v)).ok_or_else(|| {
            ValidationErrors::from(FieldError::rule(
                "version",
                "out_of_range",
                "must be between 1 and 9999",
                "ska vara mellan 1 och 9999",
            ))
        })?;
        Ok(Self {
            version,
            decided_by: Body::ExecutiveBoard,
            published: None,
            revise_by: None,
            status: ProgrammeStatus::Draft,
            ..self.clone()
        })
    }
}

/// Rule 2, first part: an adopted programme whose revise-by date has passed is overdue
/// for revision. (Drafts and superseded versions are never overdue: a draft is being
/// written, a superseded version has been replaced.)
/// Drafts are internal: the public (and tokens without `read`) see adopted and superseded
/// versions only.
pub fn sees_drafts(who: &crate::Principal) -> bool {
    crate::authorize(who, crate::Action::ReadInternal) == crate::Decision::Allow
}

pub fn revision_overdue(status: ProgrammeStatus, revise_by: Option<NaiveDate>, today: NaiveDate) -> bool {
    status == ProgrammeStatus::Adopted && revise_by.is_some_and(|r| r < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn valid() -> ProgrammeInput {
        ProgrammeInput {
            title: "Internationellt arbete".into(),
            document_id: "0424".into(),
            diarienummer: "20/16".into(),
            version: 1,
            document_type: "programme".into(),
            responsible_administration: "Kommunledningsförvaltningen".into(),
            responsible_department: "Kansli- och personalavdelningen".into(),
            decided_by: "executive_board".into(),
            published: Some(date(2016, 4, 23)),
            revise_by: Some(date(2020, 4, 22)),
            purpose: "Syftet".into(),
            background: "Bakgrund".into(),
            status: "adopted".into(),
            priority_areas: vec![
                (1, "Livslångt lärande för individen och för samhället".into(), "a".into()),
                (2, "Goda och kreativa livsmiljöer".into(), "b".into()),
                (3, "Hållbar samhällsplanering".into(), "c".into()),
            ],
            work_kinds: vec![("horizon_scanning".into(), "x".into()), ("development".into(), "y".into())],
        }
    }

    fn fields(e: ValidationErrors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn the_seed_programme_parses() {
        let p = Programme::parse(&valid()).unwrap();
        assert_eq!(p.document_id().as_str(), "0424");
        assert_eq!(p.diarienummer().to_string(), "2016/20");
        assert_eq!(p.decided_by(), Body::ExecutiveBoard);
        assert_eq!(p.priority_areas().len(), 3);
        assert_eq!(p.priority_areas()[2].title(), "Hållbar samhällsplanering");
    }

    #[test]
    fn a_new_version_copies_the_texts_as_an_unpublished_draft() {
        let adopted = Programme::parse(&valid()).unwrap();
        let next = adopted.next_draft(2).unwrap();
        assert_eq!(next.version(), 2);
        assert_eq!(next.status(), ProgrammeStatus::Draft);
        assert_eq!((next.published(), next.revise_by()), (None, None));
        assert_eq!(next.priority_areas(), adopted.priority_areas());
        assert_eq!(next.purpose(), adopted.purpose());
        assert!(adopted.next_draft(0).is_err());
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let mut i = valid();
        i.title = " ".into();
        i.document_id = "04 24".into();
        i.diarienummer = "tjugo".into();
        i.decided_by = "mayor".into();
        i.version = 0;
        let f = fields(Programme::parse(&i).unwrap_err());
        assert_eq!(f, vec!["title", "document_id", "diarienummer", "version", "decided_by"]);
    }

    #[test]
    fn priority_areas_are_numbered_in_order() {
        let mut i = valid();
        i.priority_areas[1].0 = 3;
        assert_eq!(fields(Programme::parse(&i).unwrap_err()), vec!["priority_areas[1].number"]);
        i.priority_areas[1].0 = 2;
        i.priority_areas[2].2 = "".into();
        assert_eq!(fields(Programme::parse(&i).unwrap_err()), vec!["priority_areas[2].description"]);
    }

    #[test]
    fn each_kind_of_work_is_described_once() {
        let mut i = valid();
        i.work_kinds.push(("development".into(), "again".into()));
        assert_eq!(fields(Programme::parse(&i).unwrap_err()), vec!["work_kinds[2].kind"]);
        i.work_kinds.pop();
        i.work_kinds.push(("tourism".into(), "no".into()));
        assert_eq!(fields(Programme::parse(&i).unwrap_err()), vec!["work_kinds[2].kind"]);
    }

    #[test]
    fn an_adopted_programme_has_its_dates_in_order() {
        let mut i = valid();
        i.revise_by = Some(date(2016, 4, 23));
        assert_eq!(fields(Programme::parse(&i).unwrap_err()), vec!["revise_by"]);
        i.revise_by = None;
        i.published = None;
        assert_eq!(fields(Programme::parse(&i).unwrap_err()), vec!["published", "revise_by"]);
        i.status = "draft".into();
        assert!(Programme::parse(&i).is_ok(), "a draft has no dates yet");
    }

    #[test]
    fn the_three_kinds_of_work_have_stable_codes() {
        let codes: Vec<_> = WorkKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes, ["horizon_scanning", "positioning", "development"]);
        assert_eq!(WorkKind::parse("positioning").unwrap().swedish(), "Positionering");
    }

    #[test]
    fn revision_is_overdue_only_for_an_adopted_programme_past_its_date() {
        let r = Some(date(2020, 4, 22));
        assert!(!revision_overdue(ProgrammeStatus::Adopted, r, date(2020, 4, 22)));
        assert!(revision_overdue(ProgrammeStatus::Adopted, r, date(2020, 4, 23)));
        assert!(revision_overdue(ProgrammeStatus::Adopted, r, date(2026, 11, 26)));
        assert!(!revision_overdue(ProgrammeStatus::Superseded, r, date(2026, 11, 26)));
        assert!(!revision_overdue(ProgrammeStatus::Draft, r, date(2026, 11, 26)));
        assert!(!revision_overdue(ProgrammeStatus::Adopted, None, date(2026, 11, 26)));
    }

    proptest! {
        #[test]
        fn document_id_never_panics_and_keeps_what_it_accepts(s in "\\PC{0,30}") {
            if let Ok(d) = DocumentId::parse(&s) {
                prop_assert_eq!(d.as_str(), s.trim());
            }
        }

        #[test]
        fn codes_round_trip(i in 0usize..4) {
            let s = ProgrammeStatus::ALL[i % ProgrammeStatus::ALL.len()];
            prop_assert_eq!(ProgrammeStatus::parse(s.code()).unwrap(), s);
            let b = Body::ALL[i % Body::ALL.len()];
            prop_assert_eq!(Body::parse(b.code()).unwrap(), b);
        }
    }
}
