//! Organisations (rule 7): administrations, companies, the central function and their
//! departments, each owning its international work.

use crate::access::OrganisationKind;
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::text::NonEmptyText;

/// An organisation as registered, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: NonEmptyText,
    pub kind: OrganisationKind,
    pub parent_id: Option<i64>,
    /// The id the styrkort system knows it by.
    pub external_id: Option<String>,
    pub active: bool,
}

impl Organisation {
    pub fn parse(
        name: &str,
        kind: OrganisationKind,
        parent_id: Option<i64>,
        external_id: Option<&str>,
        active: bool,
    ) -> Result<Self, ValidationErrors> {
        let mut c = Collector::new();
        let name = c.take(NonEmptyText::title("name", name));
        let external_id = c.take(parse_external_id(external_id));
        c.finish()?;
        match (name, external_id) {
            (Some(name), Some(external_id)) => Ok(Self { name, kind, parent_id, external_id, active }),
            _ => Err(ValidationErrors::single("organisation", "is invalid")),
        }
    }
}

/// The styrkort system's id: 1–64 letters, digits, dots, hyphens or underscores; blank is none.
pub fn parse_external_id(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    raw.map_or(Ok(()), |r| crate::text::check_length("external_id", r, 64))?;
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) => {
            Ok(Some(s.to_owned()))
        }
        Some(_) => Err(FieldError::rule(
            "external_id",
            "external_id",
            "must be 1–64 letters, digits, dots, hyphens or underscores, as the styrkort system writes it",
            "ska vara 1–64 bokstäver, siffror, punkter, bindestreck eller understreck, som styrkortssystemet skriver det",
        )),
    }
}

/// The deepest organisation tree followed when looking for a cycle.
pub const MAX_DEPTH: usize = 64;

/// A department sits under another organisation, never under itself or one of its own
/// departments. `chain` is the proposed parent followed by its ancestors, upwards; `id` the
/// organisation being placed (`None` for a new one).
pub fn check_parent_chain(id: Option<i64>, chain: &[i64]) -> Result<(), FieldError> {
    if id.is_some_and(|id| chain.contains(&id)) {
        return Err(FieldError::rule(
            "parent_id",
            "cycle",
            "an organisation cannot sit under itself or one of its own departments",
            "en organisation kan inte ligga under sig själv eller en av sina egna avdelningar",
        )
        .of_state());
    }
    if chain.len() > MAX_DEPTH {
        return Err(FieldError::rule(
            "parent_id",
            "too_deep",
            "the organisation tree is too deep",
            "organisationsträdet är för djupt",
        )
        .of_state());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_external_ids_are_checked_at_once() {
        let o = Organisation::parse(
            " Tekniska förvaltningen ",
            OrganisationKind::Administration,
            None,
            Some(" FV-TF "),
            true,
        )
        .unwrap();
        assert_eq!(o.name.as_str(), "Tekniska förvaltningen");
        assert_eq!(o.external_id.as_deref(), Some("FV-TF"));
        let e = Organisation::parse(" ", OrganisationKind::Company, None, Some("a b"), true).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "external_id"]);
        assert_eq!(parse_external_id(Some("  ")), Ok(None));
    }

    #[test]
    fn no_organisation_sits_under_itself() {
        assert!(check_parent_chain(None, &[3, 2, 1]).is_ok());
        assert!(check_parent_chain(Some(7), &[3, 2, 1]).is_ok());
        assert!(check_parent_chain(Some(2), &[3, 2, 1]).is_err());
        assert!(check_parent_chain(Some(3), &[3]).is_err());
        let deep: Vec<i64> = (1..=65).collect();
        assert!(check_parent_chain(Some(100), &deep).is_err());
    }
}
