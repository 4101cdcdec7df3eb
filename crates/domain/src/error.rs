//! Validation errors that name the failing field, so every layer above can tell the user
//! exactly what to fix.

use std::fmt;

/// One failing field: a stable machine code with its parameters (`too_long` with `max`), and
/// the message a municipal official understands, in English and Swedish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// What is wrong, in English.
    pub message: String,
    /// A stable code for programs (`required`, `too_long`, `not_a_draft`, …); `invalid` when
    /// nothing more specific applies.
    pub code: &'static str,
    /// The values the message depends on (`max` = `200`).
    pub params: Vec<(&'static str, String)>,
    /// What is wrong, in Swedish (the English one stands in when there is none yet).
    pub swedish: Option<String>,
    /// The input is well formed, but the current state of a record does not allow it (a
    /// version no longer a draft, a status move from the present status, an erased person,
    /// an organisation no longer active, one's own account): HTTP 409, not 422.
    pub conflict: bool,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code: "invalid",
            params: Vec::new(),
            swedish: None,
            conflict: false,
        }
    }

    /// An error with its code and its message in both languages.
    pub fn rule(
        field: impl Into<String>,
        code: &'static str,
        english: impl Into<String>,
        swedish: impl Into<String>,
    ) -> Self {
        Self { code, swedish: Some(swedish.into()), ..Self::new(field, english) }
    }

    /// The same error as one of state: the request is well formed, but the records as they
    /// are now do not allow it.
    pub fn of_state(self) -> Self {
        Self { conflict: true, ..self }
    }

    /// The same error with a parameter its message depends on.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The message in Swedish (`sv`) or English.
    pub fn message_in(&self, swedish: bool) -> &str {
        match (&self.swedish, swedish) {
            (Some(sv), true) => sv,
            _ => &self.message,
        }
    }

    /// The same error, with its field placed under `prefix` (`priority_areas[0]` + `title`
    /// → `priority_areas[0].title`).
    pub fn under(self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        Self { field: format!("{prefix}.{}", self.field), ..self }
    }

    /// The same error, named as another field.
    pub fn named(self, field: impl Into<String>) -> Self {
        Self { field: field.into(), ..self }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// All the field errors found in one value; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }

    /// Every error is one of state ([`FieldError::of_state`]): the input itself is fine.
    pub fn is_conflict(&self) -> bool {
        self.0.iter().all(|e| e.conflict)
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

/// Collects field errors while a composite value is parsed, so the user sees all of them
/// at once instead of one per round trip.
#[derive(Debug, Default)]
pub struct Collector {
    errors: Vec<FieldError>,
}

impl Collector {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keep the value, or remember the error and return `None`.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// Keep the value, or remember every error (each under `prefix`) and return `None`.
    pub fn take_all<T>(&mut self, prefix: &str, result: Result<T, ValidationErrors>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(ValidationErrors(errs)) => {
                self.errors.extend(errs.into_iter().map(|e| e.under(prefix)));
                None
            }
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing failed.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(ValidationErrors(self.errors)) }
    }
}
