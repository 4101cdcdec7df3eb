//! Diarienummer: the registry number a Swedish municipality gives every case.
//!
//! Municipalities write the same number in several ways. Tranås writes `20/16` (case 20 of
//! 2016) on the programme; the registry itself writes `KS 2016/20`, and older documents
//! `KS 2016.20` or `KS/2016:20`. All of them parse to one value with one normal form:
//! `[SERIES ]YYYY/N` — `KS 2016/20`, or `2016/20` when no series was written.
//!
//! The number is an official identifier: it is shown exactly as registered (`20/16`), and
//! the normal form serves only matching and uniqueness. Two numbers are equal when their
//! normal forms are, however they were written.

use std::fmt;

use crate::error::FieldError;

#[derive(Debug, Clone)]
pub struct Diarienummer {
    series: Option<String>,
    year: u16,
    number: u32,
    /// As registered (trimmed): what people are shown.
    written: String,
}

impl Diarienummer {
    fn key(&self) -> (&Option<String>, u16, u32) {
        (&self.series, self.year, self.number)
    }
}

impl PartialEq for Diarienummer {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Diarienummer {}

impl std::hash::Hash for Diarienummer {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for Diarienummer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Diarienummer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

const MIN_YEAR: u16 = 1900;
const MAX_YEAR: u16 = 2199;
const MAX_NUMBER: u32 = 999_999;
const MAX_SERIES: usize = 10;

impl Diarienummer {
    pub fn new(series: Option<&str>, year: u16, number: u32) -> Result<Self, FieldError> {
        let series = match series.map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                if s.chars().count() > MAX_SERIES || !s.chars().all(is_series_letter) {
                    return Err(FieldError::rule(
                        "diarienummer",
                        "diarienummer",
                        format!("the series must be 1–{MAX_SERIES} letters, like KS or KF"),
                        format!("serien ska vara 1–{MAX_SERIES} bokstäver, till exempel KS eller KF"),
                    ));
                }
                Some(s.to_uppercase())
            }
        };
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(FieldError::rule(
                "diarienummer",
                "diarienummer",
                format!("the year must be between {MIN_YEAR} and {MAX_YEAR}"),
                format!("året måste ligga mellan {MIN_YEAR} och {MAX_YEAR}"),
            ));
        }
        if number == 0 || number > MAX_NUMBER {
            return Err(FieldError::rule(
                "diarienummer",
                "diarienummer",
                format!("the case number must be between 1 and {MAX_NUMBER}"),
                format!("ärendenumret måste ligga mellan 1 och {MAX_NUMBER}"),
            ));
        }
        let written = match &series {
            Some(s) => format!("{s} {year}/{number}"),
            None => format!("{year}/{number}"),
        };
        Ok(Self { series, year, number, written })
    }

    /// Parses the forms municipalities write: `20/16`, `20/2016`, `2016/20`, `KS 2016/20`,
    /// `KS 2016.20`, `KS/2016:20`, `KS 2016-20`, `ks 20/16`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::parse_field("diarienummer", raw)
    }

    /// As [`Diarienummer::parse`], naming `field` in the error.
    pub fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let rename = |e: FieldError| e.named(field);
        let bad = || {
            FieldError::rule(
                field,
                "diarienummer",
                "is not a diarienummer; write it as KS 2016/20, 2016/20 or 20/16",
                "är inget diarienummer; skriv det som KS 2016/20, 2016/20 eller 20/16",
            )
        };
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::rule(field, "required", "must not be empty", "får inte vara tomt"));
        }
        if raw.chars().count() > 40 {
            return Err(bad());
        }
        // Optional series: leading letters, then a space or a slash.
        let letters: String = s.chars().take_while(|c| is_series_letter(*c)).collect();
        let (series, rest) = if letters.is_empty() {
            (None, s)
        } else {
            let rest = &s[letters.len()..];
            let rest = rest.strip_prefix([' ', '/']).ok_or_else(bad)?.trim_start_matches(' ');
            (Some(letters.as_str()), rest)
        };
        let sep = rest.find(['/', '.', ':', '-']).ok_or_else(bad)?;
        let (left, right) = (&rest[..sep], &rest[sep + 1..]);
        let digits = |t: &str| !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(left) || !digits(right) {
            return Err(bad());
        }
        let num = |t: &str| t.parse::<u32>().map_err(|_| bad());
        let (year, number) = match (left.len(), right.len()) {
            // 2016/20: year first.
            (4, _) => (num(left)?, num(right)?),
            // 20/16 and 20/2016: case number first, then the year.
            (_, 2) => (expand_two_digit_year(num(right)?), num(left)?),
            (_, 4) => (num(right)?, num(left)?),
            _ => return Err(bad()),
        };
        let year = u16::try_from(year).map_err(|_| bad())?;
        let parsed = Self::new(series, year, number).map_err(rename)?;
        Ok(Self { written: s.to_owned(), ..parsed })
    }

    /// The number exactly as registered (`20/16`), to show; [`fmt::Display`] gives the
    /// normal form (`2016/20`), to match.
    pub fn as_registered(&self) -> &str {
        &self.written
    }

    pub fn series(&self) -> Option<&str> {
        self.series.as_deref()
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn number(&self) -> u32 {
        self.number
    }
}

/// Two-digit years are this century's: `16` is 2016. (Registry numbers from the 1900s
/// are written with four digits in every system we know of.)
/// A series is written in Swedish letters: a–z and å, ä, ö, in either case.
fn is_series_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || "åäöÅÄÖ".contains(c)
}

fn expand_two_digit_year(yy: u32) -> u32 {
    2000 + yy
}

impl fmt::Display for Diarienummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.series {
            Some(s) => write!(f, "{s} {}/{}", self.year, self.number),
            None => write!(f, "{}/{}", self.year, self.number),
        }
    }
}

impl std::str::FromStr for Diarienummer {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn normal(s: &str) -> String {
        Diarienummer::parse(s).unwrap().to_string()
    }

    #[test]
    fn the_seed_programmes_number_is_case_20_of_2016() {
        let d = Diarienummer::parse("20/16").unwrap();
        assert_eq!((d.series(), d.year(), d.number()), (None, 2016, 20));
        assert_eq!(d.to_string(), "2016/20");
        assert_eq!(d.as_registered(), "20/16", "shown exactly as registered");
    }

    #[test]
    fn numbers_written_differently_are_the_same_number() {
        let (a, b) = (Diarienummer::parse(" KS 20/16").unwrap(), Diarienummer::parse("ks 2016.20").unwrap());
        assert_eq!(a, b);
        assert_eq!((a.as_registered(), b.as_registered()), ("KS 20/16", "ks 2016.20"));
        let mut set = std::collections::HashSet::new();
        set.insert(a);
        assert!(!set.insert(b), "one number, however written");
    }

    #[test]
    fn the_usual_forms_share_one_normal_form() {
        for form in ["KS 2016/20", "KS 2016.20", "KS/2016:20", "ks 2016-20", "KS 20/16", "KS 20/2016"] {
            assert_eq!(normal(form), "KS 2016/20", "{form}");
        }
        assert_eq!(normal(" 2016/20 "), "2016/20");
    }

    #[test]
    fn refuses_what_is_not_a_registry_number() {
        for bad in [
            "",
            "KS",
            "2016",
            "KS2016/20",
            "20/",
            "/16",
            "20/165",
            "KS 2016/0",
            "abc/def",
            "KS 1899/3",
            "KSKSKSKSKSK 2016/20",
        ] {
            let e = Diarienummer::parse(bad).unwrap_err();
            assert_eq!(e.field, "diarienummer", "{bad}");
        }
    }

    #[test]
    fn names_the_field_it_was_given() {
        assert_eq!(
            Diarienummer::parse_field("decision.diarienummer", "x").unwrap_err().field,
            "decision.diarienummer"
        );
    }

    proptest! {
        #[test]
        fn normal_form_round_trips(series in proptest::option::of("[A-Z]{1,4}"), year in 1900u16..2199, number in 1u32..999_999) {
            let d = Diarienummer::new(series.as_deref(), year, number).unwrap();
            let again = Diarienummer::parse(&d.to_string()).unwrap();
            prop_assert_eq!(again, d);
        }

        #[test]
        fn never_panics_on_any_input(s in "\\PC{0,40}") {
            let _ = Diarienummer::parse(&s);
        }

        #[test]
        fn every_separator_means_the_same(year in 1900u16..2199, number in 1u32..99_999, sep in "[/.:-]") {
            let a = Diarienummer::parse(&format!("KS {year}{sep}{number}")).unwrap();
            prop_assert_eq!(a.to_string(), format!("KS {year}/{number}"));
        }
    }
}
