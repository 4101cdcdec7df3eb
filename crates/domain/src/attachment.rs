//! Attached files: the evidence behind a report, a project or an activity (the application,
//! minutes, a signed agreement, photos).
//!
//! The rules: a file has a name a person can read and save (a name as every other name in
//! Utblick — no control or invisible characters, at most 200 characters — with no folder
//! separators), a media type of the form `type/subtype`
//! (`application/octet-stream` when none is given), and at most the configured number of
//! bytes. A file attached to a report is handed in with it: from then on it belongs to a
//! public document and is never removed; one not handed in yet may be. A file is always
//! served for download, never shown inside the application's pages, whatever its type —
//! an HTML or SVG file could otherwise run script as the application.

use crate::error::FieldError;
use crate::text::NonEmptyText;

/// The size limit when the configuration sets none: 10 MiB, enough for a scanned agreement
/// or a few photos, small enough to keep backups of the database manageable.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The longest file name kept, in characters: as long as any other name.
pub const NAME_MAX: usize = NonEmptyText::TITLE_MAX;

/// The media type stored when the sender names none, or one that is not a media type.
pub const UNKNOWN_TYPE: &str = "application/octet-stream";

/// A file's name as it is kept and offered when downloaded: a name like any other (trimmed,
/// no control or invisible characters, at most [`NAME_MAX`]), with each `/` and `\` made `_`
/// so that no part of it reads as a folder wherever it is saved.
pub fn file_name(raw: &str) -> Result<String, FieldError> {
    let name = NonEmptyText::title("file_name", raw)?.into_string();
    Ok(name.replace(['/', '\\'], "_"))
}

/// The media type kept for a file: the `type/subtype` of what the sender said (lower case,
/// parameters such as `charset` dropped), or [`UNKNOWN_TYPE`].
pub fn media_type(raw: Option<&str>) -> String {
    let Some(raw) = raw else { return UNKNOWN_TYPE.to_owned() };
    let essence = raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 127
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    match essence.split_once('/') {
        Some((t, s)) if token(t) && token(s) => essence,
        _ => UNKNOWN_TYPE.to_owned(),
    }
}

/// Whether a file of `size` bytes may be kept under a limit of `max` bytes; the error says
/// the limit (the API answers it with 413).
pub fn check_size(size: u64, max: u64) -> Result<(), FieldError> {
    if size == 0 {
        return Err(FieldError::rule("file", "empty_file", "is empty", "är tom"));
    }
    if size > max {
        return Err(FieldError::rule(
            "file",
            "too_large",
            format!("is larger than the limit of {max} bytes"),
            format!("är större än gränsen på {max} byte"),
        )
        .with("max", max));
    }
    Ok(())
}

/// Whether an attached file may be removed: not once it was handed in with a report (then it
/// is part of a public document).
pub fn check_removable(handed_in: bool) -> Result<(), FieldError> {
    if handed_in {
        return Err(FieldError::rule(
            "attachment",
            "handed_in",
            "was handed in with the report and belongs to a public document; it cannot be removed",
            "lämnades in med redovisningen och hör till en allmän handling; den kan inte tas bort",
        )
        .of_state());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_file_name_is_a_name_without_folder_separators() {
        assert_eq!(file_name("  Avtal med Lohja.pdf ").unwrap(), "Avtal med Lohja.pdf");
        assert_eq!(file_name("C:\\fakepath\\Protokoll 2026.pdf").unwrap(), "C:_fakepath_Protokoll 2026.pdf");
        assert_eq!(file_name("../../etc/passwd").unwrap(), ".._.._etc_passwd");
        for bad in ["", "   ", "a\u{0}b", "namn\u{202E}fdp.exe"] {
            assert!(file_name(bad).is_err(), "{bad:?}");
        }
        assert!(file_name(&"å".repeat(NAME_MAX)).is_ok());
        assert!(file_name(&"å".repeat(NAME_MAX + 1)).is_err());
    }

    #[test]
    fn a_media_type_is_kept_as_type_and_subtype_or_unknown() {
        assert_eq!(media_type(Some("Application/PDF")), "application/pdf");
        assert_eq!(media_type(Some("text/html; charset=utf-8")), "text/html");
        assert_eq!(media_type(Some("image/svg+xml")), "image/svg+xml");
        for bad in [None, Some(""), Some("pdf"), Some("text/"), Some("a/b/c"), Some("text/html\r\nX: y")] {
            assert_eq!(media_type(bad), UNKNOWN_TYPE, "{bad:?}");
        }
    }

    #[test]
    fn a_file_over_the_limit_or_empty_is_refused() {
        assert!(check_size(1, 1).is_ok());
        let e = check_size(DEFAULT_MAX_BYTES + 1, DEFAULT_MAX_BYTES).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("file", "too_large"));
        assert_eq!(check_size(0, 10).unwrap_err().code, "empty_file");
    }

    #[test]
    fn a_file_handed_in_with_a_report_stays() {
        assert!(check_removable(false).is_ok());
        let e = check_removable(true).unwrap_err();
        assert!(e.conflict && e.code == "handed_in");
    }

    proptest! {
        #[test]
        fn a_name_is_kept_exactly_when_it_is_a_name(raw in "\\PC{0,300}") {
            // Every name the API's schema allows (the `name` pattern) is kept: no other rule.
            prop_assert_eq!(file_name(&raw).is_ok(), NonEmptyText::title("file_name", &raw).is_ok());
            if let Ok(name) = file_name(&raw) {
                prop_assert!(!name.contains('/') && !name.contains('\\'));
                prop_assert_eq!(file_name(&name).unwrap(), name);
            }
        }

        #[test]
        fn a_kept_media_type_is_safe_in_a_header(raw in "\\PC{0,80}") {
            let t = media_type(Some(&raw));
            prop_assert!(t.is_ascii() && !t.contains(['\r', '\n', ';', ' ']));
            prop_assert_eq!(media_type(Some(&t)), t.clone());
        }
    }
}
