//! The input rules a schema can state, as regular expressions: what each parser accepts,
//! written once for the API's OpenAPI document (a field names its kind with `format = "…"`;
//! the document carries the pattern). Clients can check a field before sending it, and a
//! schema-driven tester generates exactly what is accepted. The syntax is the part that
//! ECMA-262, Python and Rust's `regex` share (`\uXXXX`, classes, no look-around); the tests
//! below hold each pattern, with the schema's `maxLength` (characters as sent, spaces around
//! them too), equal to its parser.

use crate::text::{TRIM, TextKind};

/// The pattern of a field kind the API's schema names, by that name.
pub fn by_format(format: &str) -> Option<String> {
    Some(match format {
        "name" => TextKind::Name.pattern(),
        "text" => TextKind::Prose.pattern(),
        "optional-name" => TextKind::OptionalName.pattern(),
        "optional-text" => TextKind::OptionalProse.pattern(),
        "document-id" => document_id(),
        "framework-code" => framework_code(),
        "external-id" => external_id(),
        "phone" => phone(),
        "diarienummer" => diarienummer(),
        "link" => link(),
        _ => return None,
    })
}

/// A document number: letters, digits, dots and hyphens ([`crate::programme::DocumentId`]).
pub fn document_id() -> String {
    format!("^[{TRIM}]*[A-Za-z0-9.-]+[{TRIM}]*$")
}

/// A framework's code: lowercase letters, digits and inner hyphens, at least two.
pub fn framework_code() -> String {
    format!("^[{TRIM}]*[a-z0-9][a-z0-9-]*[a-z0-9][{TRIM}]*$")
}

/// The styrkort system's id of an organisation, or blank for none.
pub fn external_id() -> String {
    format!("^[{TRIM}]*([A-Za-z0-9._-]+[{TRIM}]*)?$")
}

/// A phone number (5–20 digits with spaces, `+`, `-`, parentheses), or blank for none.
pub fn phone() -> String {
    format!("^[{TRIM}]*([ +()-]*([0-9][ +()-]*){{5,20}}[{TRIM}]*)?$")
}

/// A number of exactly `len` digits that is not zero.
fn nonzero(len: usize) -> String {
    let digits = |n: usize| if n == 0 { String::new() } else { format!("[0-9]{{{n}}}") };
    (0..len)
        .map(|zeros| format!("{}[1-9]{}", "0".repeat(zeros), digits(len - zeros - 1)))
        .collect::<Vec<_>>()
        .join("|")
}

/// A registry number as [`crate::Diarienummer::parse`] reads it: an optional series of
/// Swedish letters, then year/number (`2016/20`) or number/year (`20/16`, `20/2016`).
pub fn diarienummer() -> String {
    let year = "(19|20|21)[0-9]{2}";
    let any: Vec<String> = (1..=6).map(nonzero).collect();
    let not_four: Vec<String> = [1, 2, 3, 5, 6].into_iter().map(nonzero).collect();
    format!(
        "^[{TRIM}]*([A-Za-zÅÄÖåäö]{{1,10}}[ /] *)?({year}[/.:-]({})|({})[/.:-]([0-9]{{2}}|{year}))[{TRIM}]*$",
        any.join("|"),
        not_four.join("|"),
    )
}

/// A link: blank for none, or an http(s) address with a host name (its last label begins
/// with a letter), an optional port, and a path, query and fragment of URL characters.
///
/// No host label has hyphens in its third and fourth places: those are reserved for
/// internationalised names in punycode (`xn--…`, RFC 5891), which the address parser decodes
/// and refuses when they are not valid punycode (`http://XN--A0aA.A`), and which no pattern
/// can check. A host is written in plain ASCII letters, digits and hyphens.
pub fn link() -> String {
    // After the first two characters: a third that is not a hyphen, or a hyphen not followed
    // by another.
    let rest = "([A-Za-z0-9-]([A-Za-z0-9][A-Za-z0-9-]*|-([A-Za-z0-9][A-Za-z0-9-]*)?)?)?";
    let host = format!("([A-Za-z0-9]{rest}\\.)*[A-Za-z]{rest}");
    format!("^[{TRIM}]*(https?://{host}(:[0-9]{{1,4}})?([/?#][A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?[{TRIM}]*)?$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A field kind's format, its maxLength and its parser's verdict.
    type Case = (&'static str, usize, fn(&str) -> bool);

    fn cases() -> Vec<Case> {
        vec![
            ("document-id", 20, |s| crate::programme::DocumentId::parse(s).is_ok()),
            ("framework-code", 40, |s| crate::framework::parse_code(s).is_ok()),
            ("external-id", 64, |s| crate::organisation::parse_external_id(Some(s)).is_ok()),
            ("phone", 30, |s| crate::governance::parse_phone(Some(s)).is_ok()),
            ("diarienummer", 40, |s| crate::Diarienummer::parse(s).is_ok()),
            ("link", 2000, |s| crate::governance::parse_link(Some(s)).is_ok()),
        ]
    }

    fn agree(format: &str, max: usize, parses: fn(&str) -> bool, s: &str) -> Result<(), TestCaseError> {
        let re = regex::Regex::new(&by_format(format).unwrap()).unwrap();
        let valid = re.is_match(s) && s.chars().count() <= max;
        prop_assert_eq!(valid, parses(s), "{} on {:?}", format, s);
        Ok(())
    }

    #[test]
    fn every_pattern_compiles_and_known_values_agree() {
        let known = [
            ("document-id", vec!["0424", " 0424 ", "A-1.2", "", "04 24", "0424/1"]),
            ("framework-code", vec!["europe-2020", "ab", "a", "-ab", "ab-", "Europe", " agenda-2030\t"]),
            ("external-id", vec!["", "  ", "FV-BUF", "a.b_c", "a b", "å"]),
            ("phone", vec!["", "0140-681 00", "+46 140 681 00", "1234", "(0140) 68100", "0140\t68100"]),
            (
                "diarienummer",
                vec![
                    "KS 2016/20",
                    "2016/20",
                    "20/16",
                    "20/2016",
                    "KS/2016:20",
                    "ks  2016-20",
                    "0/16",
                    "2016/0",
                ],
            ),
            (
                "diarienummer",
                vec![
                    "1899/1",
                    "2200/1",
                    "Ω 2016/20",
                    "KSKSKSKSKSK 2016/20",
                    "12345/16",
                    "20/123",
                    "2016/1234567",
                ],
            ),
            (
                "link",
                vec![
                    "",
                    "https://tranas.se",
                    "http://a.b:8080/x?y=1#z",
                    "ftp://a.b",
                    "https://1.2.3.4",
                    "https://a b",
                    "http://XN--A0aA.A",
                    "https://xn--trans-kua.se",
                    "https://ab--c.se",
                    "https://ab-c.se",
                    "https://a--.se",
                    "https://ab-.se",
                    "https://www.tranas.se",
                ],
            ),
        ];
        for (format, values) in known {
            let (_, max, parses) = cases().into_iter().find(|c| c.0 == format).unwrap();
            for v in values {
                agree(format, max, parses, v).unwrap();
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn strings_of_the_pattern_are_accepted((i, s) in (0usize..6).prop_flat_map(|i| {
            let pattern = by_format(cases()[i].0).unwrap();
            let inner = pattern.trim_start_matches('^').trim_end_matches('$').to_owned();
            proptest::string::string_regex(&inner).unwrap().prop_map(move |s| (i, s))
        })) {
            let (format, max, parses) = cases()[i];
            agree(format, max, parses, &s)?;
        }

        #[test]
        fn other_strings_are_judged_alike(i in 0usize..6, s in "[ \\t\\u{b}\\u{85}\\u{3000}0-9a-zA-ZåÄé/.:()+#?%@_-]{0,70}") {
            let (format, max, parses) = cases()[i];
            agree(format, max, parses, &s)?;
            agree(format, max, parses, &format!("https://{s}"))?;
            agree(format, max, parses, &format!("KS {s}"))?;
        }
    }
}
