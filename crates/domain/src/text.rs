//! Text that must be present (titles, names) and text that may be absent.

use crate::error::FieldError;

/// Trimmed, non-empty text of at most `max` characters as sent (counted as Unicode scalar
/// values, so "Tranås" is six characters, not seven bytes; spaces around it count, as the
/// schema's `maxLength` counts them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NonEmptyText(String);

impl NonEmptyText {
    /// The default ceiling for titles and names.
    pub const TITLE_MAX: usize = 200;
    /// The ceiling for long prose (purpose, background, descriptions).
    pub const PROSE_MAX: usize = 20_000;

    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Self, FieldError> {
        check_controls(field, raw)?;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::rule(field, "required", "must not be empty", "får inte vara tomt"));
        }
        check_length(field, raw, max)?;
        // Names and titles are shown in lists beside others: no character in them may be
        // invisible. Longer prose may join characters (emoji, some scripts).
        let name = max <= Self::TITLE_MAX;
        if let Some(c) = trimmed.chars().find(|c| is_invisible(*c) || (name && is_joiner(*c))) {
            let found = format!("U+{:04X}", u32::from(c));
            return Err(FieldError::rule(
                field,
                "invisible_characters",
                format!("must not contain invisible formatting characters (found {found})"),
                format!("får inte innehålla osynliga formateringstecken (hittade {found})"),
            )
            .with("found", found));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn title(field: &str, raw: &str) -> Result<Self, FieldError> {
        Self::parse(field, raw, Self::TITLE_MAX)
    }

    pub fn prose(field: &str, raw: &str) -> Result<Self, FieldError> {
        Self::parse(field, raw, Self::PROSE_MAX)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for NonEmptyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// --- The text rules as regular expressions, for the API's schema ------------------------
//
// Written in the syntax ECMA-262, Python and Rust's `regex` share (`\uXXXX`, classes), so a
// client can check a field before sending it and a schema-driven tester generates what is
// accepted; `the_patterns_say_what_parse_accepts` holds them equal to `NonEmptyText::parse`.

/// What `trim` removes (Unicode White_Space outside the control characters).
pub const WHITESPACE: &str = "\\t\\n\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
/// Everything `trim` removes (Unicode White_Space), for the edges of codes and numbers.
pub const TRIM: &str =
    "\\t\\n\\u000B\\u000C\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
/// Control characters, but tab, line feed and carriage return.
const CONTROLS: &str = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F";
/// [`is_invisible`] as a class.
const INVISIBLE: &str = "\\u061C\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF";
/// [`is_joiner`] as a class.
const JOINERS: &str = "\\u200C\\u200D";

/// The kinds of free text: a name or title (at most [`NonEmptyText::TITLE_MAX`] characters,
/// no joiners) or prose, required ([`NonEmptyText`]) or not ([`OptionalText`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Name,
    Prose,
    OptionalName,
    OptionalProse,
}

impl TextKind {
    /// The rule as a regular expression (the length is the schema's `maxLength`).
    pub fn pattern(self) -> String {
        let name = matches!(self, TextKind::Name | TextKind::OptionalName);
        let bad = format!("{CONTROLS}{INVISIBLE}{}", if name { JOINERS } else { "" });
        match self {
            TextKind::Name | TextKind::Prose => format!("^[^{bad}]*[^{bad}{WHITESPACE}][^{bad}]*$"),
            TextKind::OptionalName | TextKind::OptionalProse => format!("^[^{bad}]*$"),
        }
    }
}

/// At most `max` characters as sent.
pub fn check_length(field: &str, raw: &str, max: usize) -> Result<(), FieldError> {
    if raw.chars().count() > max {
        return Err(FieldError::rule(
            field,
            "too_long",
            format!("must be at most {max} characters"),
            format!("får vara högst {max} tecken"),
        )
        .with("max", max));
    }
    Ok(())
}

/// No control character but tab, line feed and carriage return, anywhere in what was sent
/// (before trimming, so a vertical tab is refused at the edge as inside).
fn check_controls(field: &str, raw: &str) -> Result<(), FieldError> {
    if raw.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(FieldError::rule(
            field,
            "control_characters",
            "must not contain control characters",
            "får inte innehålla styrtecken",
        ));
    }
    Ok(())
}

/// Characters that change how text around them is shown without showing themselves:
/// direction marks, embeddings, overrides and isolates (U+202E turns "gpj.exe" into
/// "exe.jpg"), zero-width spaces, the word joiner and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Zero-width (non-)joiners: they have uses in prose, none in a name.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Swedish alphabetical order, as lists of names and titles are read in Sweden: letters
/// compare without regard to case, a–z and then å, ä, ö (æ sorts as ä, ø as ö, ü as y; é, à
/// and other accented letters as their base letter); spaces and punctuation before digits,
/// digits before letters. Words equal so far are ordered unaccented before accented, then
/// lower case before upper case, then by the exact text, so the order is total. SQLite sorts
/// with this function; on PostgreSQL the ICU collation `sv-SE` gives the same order for
/// names and titles.
pub fn swedish_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    // Compared lazily, character by character, allocating nothing: SQLite calls this for
    // every comparison of a sort.
    fn primary(s: &str) -> impl Iterator<Item = u32> + '_ {
        s.chars().flat_map(char::to_lowercase).map(swedish_weight)
    }
    fn accents(s: &str) -> impl Iterator<Item = bool> + '_ {
        s.chars().flat_map(char::to_lowercase).map(|c| !c.is_ascii() && !"åäö".contains(c))
    }
    fn case(s: &str) -> impl Iterator<Item = bool> + '_ {
        s.chars().map(char::is_uppercase)
    }
    primary(a)
        .cmp(primary(b))
        .then_with(|| accents(a).cmp(accents(b)))
        .then_with(|| case(a).cmp(case(b)))
        .then_with(|| a.cmp(b))
}

fn swedish_weight(c: char) -> u32 {
    let letter = |l: char| 1000 + 10 * (u32::from(l) - u32::from('a'));
    match c {
        'a'..='z' => letter(c),
        'å' => letter('z') + 10,
        'ä' | 'æ' => letter('z') + 20,
        'ö' | 'ø' => letter('z') + 30,
        'á' | 'à' | 'â' | 'ã' => letter('a'),
        'ç' => letter('c'),
        'é' | 'è' | 'ê' | 'ë' => letter('e'),
        'í' | 'ì' | 'î' | 'ï' => letter('i'),
        'ñ' => letter('n'),
        'ó' | 'ò' | 'ô' | 'õ' => letter('o'),
        'ú' | 'ù' | 'û' => letter('u'),
        'ü' | 'ý' | 'ÿ' => letter('y'),
        '0'..='9' => 500 + (u32::from(c) - u32::from('0')),
        c if c.is_whitespace() => 10,
        c if c.is_ascii_punctuation() => 100 + u32::from(c),
        // Other scripts after the Swedish alphabet, in code point order.
        c => 2000 + u32::from(c),
    }
}

/// Text that may be absent; blank input counts as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionalText(Option<NonEmptyText>);

impl OptionalText {
    pub fn parse(field: &str, raw: Option<&str>, max: usize) -> Result<Self, FieldError> {
        raw.map_or(Ok(()), |r| check_controls(field, r).and_then(|()| check_length(field, r, max)))?;
        match raw.map(str::trim) {
            None | Some("") => Ok(Self(None)),
            Some(s) => NonEmptyText::parse(field, s, max).map(|t| Self(Some(t))),
        }
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_ref().map(NonEmptyText::as_str)
    }

    pub fn into_inner(self) -> Option<NonEmptyText> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_patterns_say_what_parse_accepts() {
        let kinds = [TextKind::Name, TextKind::Prose, TextKind::OptionalName, TextKind::OptionalProse];
        for kind in kinds {
            let re = regex::Regex::new(&kind.pattern()).unwrap();
            let max = if matches!(kind, TextKind::Name | TextKind::OptionalName) { 200 } else { 20_000 };
            let accepts = |s: &str| match kind {
                TextKind::Name | TextKind::Prose => NonEmptyText::parse("f", s, max).is_ok(),
                _ => OptionalText::parse("f", Some(s), max).is_ok(),
            };
            let chars = (0..=0x3_0000u32).filter_map(char::from_u32);
            for c in chars {
                for s in [format!("{c}"), format!("a{c}b"), format!(" {c} "), format!("{c}{c}")] {
                    assert_eq!(re.is_match(&s), accepts(&s), "{kind:?} on {s:?} (U+{:04X})", u32::from(c));
                }
            }
            for s in ["", " ", "\t\n", " a ", "\u{3000}"] {
                assert_eq!(re.is_match(s), accepts(s), "{kind:?} on {s:?}");
            }
        }
    }

    #[test]
    fn swedish_order_puts_a_ring_a_diaeresis_o_diaeresis_after_z() {
        // The order PostgreSQL's ICU collation sv-SE gives the same words.
        let mut towns = vec![
            "Örebro",
            "Åre",
            "ängelholm",
            "Zagreb",
            "Aalborg",
            "Ærøskøbing",
            "Tranås",
            "älmhult",
            "Écija",
            "anna",
            "Anna",
            "anders",
            "Ecija",
        ];
        towns.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(
            towns,
            [
                "Aalborg",
                "anders",
                "anna",
                "Anna",
                "Ecija",
                "Écija",
                "Tranås",
                "Zagreb",
                "Åre",
                "älmhult",
                "ängelholm",
                "Ærøskøbing",
                "Örebro"
            ]
        );
        assert!(swedish_cmp("KS 2016/20", "Kultur").is_lt(), "space before letters");
    }

    #[test]
    fn trims_and_keeps_swedish_letters() {
        let t = NonEmptyText::title("title", "  Internationellt arbete i Tranås ").unwrap();
        assert_eq!(t.as_str(), "Internationellt arbete i Tranås");
    }

    #[test]
    fn refuses_blank_and_names_the_field() {
        let e = NonEmptyText::title("title", " \n\t ").unwrap_err();
        assert_eq!(e.field, "title");
        assert_eq!(e.message, "must not be empty");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let exactly = "å".repeat(NonEmptyText::TITLE_MAX);
        assert!(NonEmptyText::title("t", &exactly).is_ok());
        let over = "å".repeat(NonEmptyText::TITLE_MAX + 1);
        assert!(NonEmptyText::title("t", &over).is_err());
    }

    #[test]
    fn refuses_control_characters_but_keeps_newlines_in_prose() {
        assert!(NonEmptyText::prose("p", "a\u{0}b").is_err());
        assert!(NonEmptyText::prose("p", "stycke ett\n\nstycke två").is_ok());
    }

    #[test]
    fn refuses_invisible_characters_in_names_and_direction_overrides_anywhere() {
        for bad in [
            "Anna\u{202E}greB",
            "Anna\u{200B}Berg",
            "\u{FEFF}Tranås",
            "a\u{2066}b\u{2069}",
            "Anna\u{200D}Berg",
        ] {
            let e = NonEmptyText::title("name", bad).unwrap_err();
            assert_eq!(e.field, "name");
            assert!(e.message.starts_with("must not contain invisible formatting characters"), "{bad:?}");
        }
        assert!(NonEmptyText::prose("p", "fel \u{202E}riktning").is_err());
        assert!(NonEmptyText::prose("p", "familj 👨\u{200D}👩\u{200D}👧").is_ok(), "joiners in prose");
        assert!(NonEmptyText::title("t", "Vänort: Nowogard – Tranås").is_ok());
    }

    #[test]
    fn optional_text_treats_blank_as_absent() {
        assert_eq!(OptionalText::parse("x", Some("   "), 10).unwrap().as_deref(), None);
        assert_eq!(OptionalText::parse("x", None, 10).unwrap().as_deref(), None);
        assert_eq!(OptionalText::parse("x", Some(" a "), 10).unwrap().as_deref(), Some("a"));
    }

    proptest! {
        #[test]
        fn parsed_text_is_trimmed_nonempty_and_within_bounds(s in "\\PC{0,300}") {
            match NonEmptyText::title("f", &s) {
                Ok(t) => {
                    prop_assert!(!t.as_str().is_empty());
                    prop_assert_eq!(t.as_str(), t.as_str().trim());
                    prop_assert!(t.as_str().chars().count() <= NonEmptyText::TITLE_MAX);
                }
                Err(e) => prop_assert_eq!(e.field, "f"),
            }
        }
    }
}
