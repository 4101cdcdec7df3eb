//! Utblick's domain: the governing documents of a municipality's international work and
//! the rules the programme "Internationellt arbete" sets for them.
//!
//! Pure types and rules. No I/O, no framework, no database, no clock: time and ids come in
//! as arguments. Every type parses on construction and keeps its fields private, so a value
//! of a domain type is always valid.
//!
//! # The rules
//!
//! Code comments across Utblick cite these by number. They come from the programme
//! "Internationellt arbete" (Tranås kommun, adopted by the executive board 2016-04-23,
//! dnr 20/16), each enforced in one function here and tested beside it.
//!
//! 1. A programme has a document identity (dokument-ID, diarienummer, version, type,
//!    responsible administration and department, decided by, published, revise-by) and a
//!    life: draft → adopted → superseded. Only the executive board adopts; adopting a new
//!    version supersedes the old one, and old versions stay readable for ever
//!    ([`governance::adopt`], [`governance::DocumentVersions`], [`governance::check_editable`]).
//! 2. The programme is revised the year after a general election (2018, 2022, 2026, … on the
//!    second Sunday of September) and is valid for four years; a programme past its revise-by
//!    date is flagged ([`governance::revision_due`], [`programme::revision_overdue`]).
//! 3. The programme names priority areas. They guide, they do not limit: work outside every
//!    area is allowed but must say how it contributes to smart and sustainable growth for
//!    all and what lasting value it gives.
//! 4. International work is of three kinds: horizon scanning, positioning, operational
//!    development ([`programme::WorkKind`]).
//! 5. Before every new development project the possibility of external co-funding is
//!    assessed; a development project cannot leave planning without that assessment.
//! 6. The council decides collaborations and twin towns (with its decision's date, § and
//!    diarienummer, from the decisions register); the executive board adopts and revises the
//!    programme ([`governance::TwinTownStatus::change_to`],
//!    [`governance::CollaborationStatus::change_to`]).
//! 7. Each administration and company owns its international work and appoints contact
//!    persons; work sits with one owning organisation, and an organisation no longer active
//!    takes no new work ([`governance::check_takes_new_work`], [`access::authorize`]).
//! 8. Each administration and company reports once a year: activities, resources (hours,
//!    money, other) and the contribution to its own or the municipality-wide goals
//!    ([`report::reporters`], [`report::Figures::compute`]); a submitted report is a public
//!    record that never changes ([`report::ReportStatus::change_to`],
//!    [`report::ReportStatus::check_editable`]).
//! 9. The reports are compiled centrally and presented to the council; what the council saw
//!    never changes afterwards (later corrections are new versions).
//! 10. The international perspective is worked into the scorecards (styrkort) as goals and
//!     KPIs, computed per organisation and period for the styrkort system.

#[macro_use]
pub mod codes;

pub mod access;
pub mod activity;
pub mod attachment;
pub mod can;
pub mod compilation;
pub mod country;
pub mod country_names;
pub mod date;
pub mod diarienummer;
pub mod error;
pub mod framework;
pub mod goal;
pub mod governance;
pub mod kpi;
pub mod lead;
pub mod money;
pub mod oidc;
pub mod organisation;
pub mod page;
pub mod patterns;
pub mod programme;
pub mod project;
pub mod reminder;
pub mod report;
pub mod session;
pub mod text;
pub mod throttle;

pub use access::{Action, Decision, Email, OrganisationKind, Principal, Role, Scope, authorize};
pub use codes::Code;
pub use diarienummer::Diarienummer;
pub use error::{FieldError, ValidationErrors};
pub use framework::{FrameworkGoal, GoalFramework};
pub use page::PageRequest;
pub use programme::{
    Body, DocumentId, DocumentType, PriorityArea, Programme, ProgrammeStatus, WorkKind, WorkKindDescription,
};
pub use text::{NonEmptyText, OptionalText};
