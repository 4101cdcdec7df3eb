//! `Content-Disposition: attachment` for a file name chosen by a person: the name in UTF-8
//! (RFC 6266, `filename*`) and an ASCII stand-in for old clients (`filename`), in which
//! nothing can end the quoted string or the header.

use actix_web::http::header;

/// The header that makes a browser save the answer as `name` rather than show it.
pub fn attachment(name: &str) -> (header::HeaderName, String) {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'Å' | 'Ä' | 'Á' | 'À' => 'A',
            'ö' | 'ó' | 'ø' => 'o',
            'Ö' | 'Ó' | 'Ø' => 'O',
            'é' | 'è' | 'ë' => 'e',
            'É' | 'È' => 'E',
            'ü' => 'u',
            'Ü' => 'U',
            c if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_offered_in_utf8_with_a_safe_ascii_stand_in() {
        let (_, v) = attachment("Protokoll Tranås \"slut\"\\.pdf");
        assert_eq!(
            v,
            "attachment; filename=\"Protokoll Tranas _slut__.pdf\"; \
             filename*=UTF-8''Protokoll%20Tran%C3%A5s%20%22slut%22%5C.pdf"
        );
        let (_, v) = attachment("a\r\nSet-Cookie: x");
        assert!(!v.contains('\r') && !v.contains('\n'), "{v}");
        assert!(actix_web::http::header::HeaderValue::from_str(&attachment("日本語.txt").1).is_ok());
    }
}
