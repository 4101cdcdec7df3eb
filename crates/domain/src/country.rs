//! ISO 3166-1 alpha-2 country codes.

use crate::error::FieldError;

use crate::country_names::COUNTRIES;

/// A country, as its ISO 3166-1 alpha-2 code (`SE`, `PL`, `DE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_uppercase();
        let bad = || {
            FieldError::rule(
                "country",
                "country_code",
                "must be a country code of two letters (ISO 3166-1), like SE, PL or DE",
                "måste vara en landskod med två bokstäver (ISO 3166-1), till exempel SE, PL eller DE",
            )
        };
        let b = s.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_uppercase) || !COUNTRIES.iter().any(|(c, _, _)| *c == s)
        {
            return Err(bad());
        }
        Ok(Self([b[0], b[1]]))
    }

    /// The country's Swedish name (`Polen`).
    pub fn swedish(&self) -> &'static str {
        swedish_name(self.as_str()).unwrap_or("")
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// The Swedish name of the country with the code `code` (`PL` → `Polen`).
pub fn swedish_name(code: &str) -> Option<&'static str> {
    COUNTRIES.binary_search_by(|(c, _, _)| (*c).cmp(code)).ok().map(|i| COUNTRIES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_codes_parse_in_any_case() {
        assert_eq!(CountryCode::parse("se").unwrap().as_str(), "SE");
        assert_eq!(CountryCode::parse(" PL ").unwrap().as_str(), "PL");
        for bad in ["", "S", "SWE", "XX", "ZZ", "1A", "Sverige"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(COUNTRIES.len(), 249);
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0), "sorted by code");
        assert_eq!(swedish_name("PL"), Some("Polen"));
        assert_eq!(CountryCode::parse("de").unwrap().swedish(), "Tyskland");
        assert_eq!(swedish_name("XX"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,5}") {
            if let Ok(c) = CountryCode::parse(&s) {
                prop_assert_eq!(c.as_str().len(), 2);
            }
        }
    }
}
