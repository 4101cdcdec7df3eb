//! Utblick's domain: the governing documents of a municipality's international work and
//! the rules the programme "Internationellt arbete" sets for them.
//!
//! Pure types and rules. No I/O, no framework, no database, no clock: time and ids come in
//! as arguments. Every type parses on construction and keeps its fields private, so a value
//! of a domain type is always valid.

#[macro_use]
pub mod codes;

pub mod access;
pub mod country;
pub mod date;
pub mod diarienummer;
pub mod error;
pub mod framework;
pub mod governance;
pub mod organisation;
pub mod page;
pub mod programme;
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
