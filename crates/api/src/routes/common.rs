//! Small pieces the resource modules share: reading list parameters (and declaring them,
//! [`list_query`]), and `?restore=`.

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

    pub fn problem(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// `?q=`: words to search for (trimmed; empty means no search; at most 200 characters).
    pub fn text(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        self.limited(field, raw.map(str::trim).filter(|q| !q.is_empty()), 200)
    }

    /// A text parameter of at most `max` characters, as given.
    pub fn limited(&mut self, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
        let v = raw?;
        if v.chars().count() > max {
            self.problem(too_long(field, max));
            return None;
        }
        Some(v.to_owned())
    }

    /// A moment (`2026-11-26T10:00:00Z`, or a day, meaning its start).
    pub fn moment(&mut self, field: &str, raw: Option<&str>) -> Option<chrono::NaiveDateTime> {
        let mut errors = Vec::new();
        let at = crate::dto::parse_moment(field, raw, &mut errors);
        self.errors.extend(errors);
        at
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

    /// A whole number from 0, digits only (a cursor, a count).
    pub fn count(&mut self, field: &str, raw: Option<&str>) -> Option<i64> {
        let raw = raw?;
        let n = raw.parse::<i64>().ok().filter(|n| *n >= 0 && raw.bytes().all(|b| b.is_ascii_digit()));
        if n.is_none() {
            self.problem(FieldError::rule(
                field,
                "not_a_number",
                "must be a whole number from 0, digits only",
                "ska vara ett heltal från 0, bara siffror",
            ));
        }
        n
    }

    /// A year, 1900–2199 (as every date Utblick keeps).
    pub fn year(&mut self, field: &str, raw: Option<&str>) -> Option<i32> {
        let raw = raw?;
        let year = raw.parse::<i32>().ok().filter(|y| (1900..=2199).contains(y) && raw.len() == 4);
        if year.is_none() {
            self.problem(FieldError::rule(
                field,
                "out_of_range",
                "must be a year from 1900 to 2199",
                "ska vara ett år från 1900 till 2199",
            ));
        }
        year
    }

    /// An id of the styrkort system's (a scorecard's, a goal's): 1–64 letters, digits, dots,
    /// hyphens or underscores.
    pub fn external_id(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        match utblick_domain::goal::parse_external_id(field, raw?) {
            Ok(id) => Some(id),
            Err(e) => {
                self.problem(e);
                None
            }
        }
    }

    /// A KPI's id: `UTB` and four digits (whether or not such a KPI exists).
    pub fn kpi(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let raw = raw?;
        if utblick_domain::kpi::is_id(raw) {
            return Some(raw.to_owned());
        }
        self.problem(FieldError::rule(
            field,
            "invalid",
            "must be a KPI id: UTB and four digits",
            "ska vara ett nyckeltals id: UTB och fyra siffror",
        ));
        None
    }

    /// A kind of international work, as the codes of its activity kinds.
    pub fn kinds_of_work(&mut self, field: &str, raw: Option<&str>) -> Option<Vec<String>> {
        use utblick_domain::activity::ActivityKind;
        let work = self.code::<utblick_domain::programme::WorkKind>(field, raw)?;
        let kinds = ActivityKind::ALL.iter().filter(|k| k.work_kind().code() == work);
        Some(kinds.map(|k| k.code().to_owned()).collect())
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

    /// A code of the code list `T` (a status, a kind); the code when valid.
    pub fn code<T: utblick_domain::codes::Code>(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        match T::parse(raw?) {
            Ok(v) => Some(v.code().to_owned()),
            Err(e) => {
                self.problem(e.named(field));
                None
            }
        }
    }

    /// A country code (ISO 3166-1 alpha-2, any case); the code when valid.
    pub fn country(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        match utblick_domain::country::CountryCode::parse(raw?) {
            Ok(c) => Some(c.as_str().to_owned()),
            Err(e) => {
                self.problem(e.named(field));
                None
            }
        }
    }

    /// `?archived=` — `false` (default), `true` or `all`.
    pub fn archived(&mut self, field: &str, raw: Option<&str>) -> Archived {
        match raw {
            None | Some("false") => Archived::Hide,
            Some("true") => Archived::Only,
            Some("all") => Archived::Include,
            Some(_) => {
                self.problem(FieldError::rule(
                    field,
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

/// A list's query parameters and the filter they make, written once: each parameter's
/// documentation and schema, how it is read (every problem named at once: `code::<List>`,
/// `id`, `date`, `boolean`, `country`, `text`, `archived`), the sort keys with the default
/// order, and `format` for an export. The filter's fields are named like the parameters.
macro_rules! list_query {
    (
        $(#[doc = $doc:literal])*
        pub struct $query:ident => $filter:ident {
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident [$($param:tt)*] = $read:ident $(::<$t:ty>)?;
            )*
        }
        sort $pattern:literal, $sort_doc:literal, [$($key:literal => $value:expr),+ $(,)?], default $default:expr
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $query {
            $(
                $(#[doc = $fdoc])*
                #[param($($param)*)]
                pub $field: Option<String>,
            )*
            #[doc = $sort_doc]
            #[param(pattern = $pattern)]
            pub sort: Option<String>,
            /// `csv`, `json` or `xlsx`: every match as a file.
            #[param(pattern = "^(csv|json|xlsx)$")]
            pub format: Option<String>,
        }

        impl $query {
            /// The list's filter, or 400 naming every bad parameter.
            pub fn filter(&self) -> Result<$filter, $crate::error::ApiError> {
                let mut p = $crate::routes::common::QueryParams::new();
                let filter = $filter {
                    $($field: p.$read$(::<$t>)?(stringify!($field), self.$field.as_deref()),)*
                    sort: p.sort(self.sort.as_deref(), &[$(($key, $value)),+], $default),
                    ..Default::default()
                };
                p.finish()?;
                Ok(filter)
            }
        }
    };
}
pub(crate) use list_query;

/// `?all=true`: a short register with what is archived or out of use too.
#[derive(Debug, serde::Deserialize)]
pub struct AllQuery {
    pub all: Option<String>,
}

impl AllQuery {
    pub fn all(&self) -> Result<bool, crate::error::ApiError> {
        let mut p = QueryParams::new();
        let all = p.boolean("all", self.all.as_deref()).unwrap_or(false);
        p.finish()?;
        Ok(all)
    }
}
