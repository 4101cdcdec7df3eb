//! ISO 3166-1 alpha-2 country codes.

use crate::error::FieldError;

/// Every officially assigned ISO 3166-1 alpha-2 code.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ \
FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT \
JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP \
MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE \
RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV \
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

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
        if b.len() != 2 || !b.iter().all(u8::is_ascii_uppercase) || !CODES.split(' ').any(|c| c == s) {
            return Err(bad());
        }
        Ok(Self([b[0], b[1]]))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
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
        assert_eq!(CODES.split(' ').count(), 249);
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
