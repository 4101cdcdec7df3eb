//! Small pieces the resource modules share: reading list parameters, and `?restore=`.

use chrono::NaiveDate;
use utblick_db::listing::{Archived, Sort};
use utblick_domain::FieldError;

use crate::error::ApiError;

/// A parameter longer than its ceiling.
pub fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::rule(
        field,
        "too_long",
        format!("must be at most {max} characters"),
        format!("får vara högst {max} tecken"),
    )
    .with("max", max)
}

/// Reads a list's query parameters, collecting every problem so the client learns all that
/// is wrong at once; [`QueryParams::finish`] answers 400 naming each parameter.
#[derive(Debug, Default)]
pub struct QueryParams {
    errors: Vec<FieldError>,
}

impl QueryParams {
    pub fn new() -> Self {
        Self::default()
    }

    fn problem(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// `?q=`: words to search for (trimmed; empty means no search; at most 200 characters).
    pub fn text(&mut self, raw: Option<&str>) -> Option<String> {
        let q = raw.map(str::trim).filter(|q| !q.is_empty())?;
        if q.chars().count() > 200 {
            self.problem(too_long("q", 200));
            return None;
        }
        Some(q.to_owned())
    }

    /// A whole number, such as an id.
    pub fn id(&mut self, field: &str, raw: Option<&str>) -> Option<i64> {
        match crate::dto::PathId::parse(raw?) {
            Ok(id) => Some(id.into_inner()),
            Err(_) => {
                self.problem(FieldError::rule(
                    field,
                    "not_an_id",
                    "must be an id: a whole number from 1, digits only",
                    "ska vara ett id: ett heltal från 1, bara siffror",
                ));
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, field: &str, raw: Option<&str>) -> Option<bool> {
        match raw? {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.problem(FieldError::rule(
                    field,
                    "invalid_type",
                    "must be true or false",
                    "ska vara true eller false",
                ));
                None
            }
        }
    }

    /// A day, `2026-11-26`.
    pub fn date(&mut self, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(raw?, "%Y-%m-%d") {
            Ok(d) => match utblick_domain::date::check_day(field, d) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.problem(e);
                    None
                }
            },
            Err(_) => {
                self.problem(FieldError::rule(
                    field,
                    "invalid_type",
                    "must be a date like 2026-11-26",
                    "ska vara ett datum som 2026-11-26",
                ));
                None
            }
        }
    }

    /// A code the domain parses (a status, a kind); the stored code when valid.
    pub fn code<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
        code: impl FnOnce(T) -> String,
    ) -> Option<String> {
        match parse(raw?) {
            Ok(v) => Some(code(v)),
            Err(e) => {
                self.problem(e.named(field));
                None
            }
        }
    }

    /// `?archived=` — `false` (default), `true` or `all`.
    pub fn archived(&mut self, raw: Option<&str>) -> Archived {
        match raw {
            None | Some("false") => Archived::Hide,
            Some("true") => Archived::Only,
            Some("all") => Archived::Include,
            Some(_) => {
                self.problem(FieldError::rule(
                    "archived",
                    "not_one_of",
                    "must be true, false or all",
                    "ska vara true, false eller all",
                ));
                Archived::Hide
            }
        }
    }

    /// `?sort=key` (ascending) or `?sort=-key` (descending), `key` one of `keys`.
    pub fn sort<K: Copy>(&mut self, raw: Option<&str>, keys: &[(&str, K)], default: Sort<K>) -> Sort<K> {
        let Some(raw) = raw.map(str::trim) else { return default };
        let (name, descending) = match raw.strip_prefix('-') {
            Some(name) => (name, true),
            None => (raw, false),
        };
        match keys.iter().find(|(k, _)| *k == name) {
            Some((_, key)) => Sort { key: *key, descending },
            None => {
                let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                self.problem(
                    FieldError::rule(
                        "sort",
                        "not_one_of",
                        format!("must be one of {}, each optionally with a leading -", names.join(", ")),
                        format!(
                            "ska vara något av {}, vart och ett med ett inledande - för fallande",
                            names.join(", ")
                        ),
                    )
                    .with("allowed", names.join(",")),
                );
                default
            }
        }
    }

    /// Everything read was valid, or a 400 naming each bad parameter.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::InvalidParameter(self.errors)) }
    }
}

/// `?restore=true` takes a record out of the archive.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RestoreQuery {
    /// true: take the record out of the archive.
    pub restore: Option<bool>,
}
