//! List exports: CSV that Swedish Excel opens as it is (UTF-8 with BOM, `;`-separated),
//! with formula injection neutralised, and JSON.

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::header;

use crate::error::ApiError;

/// How a list answers: a page of JSON, or all matching rows as a CSV or JSON export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Page,
    Csv,
    Json,
}

/// The most rows one export holds.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

/// `?format=csv|json`, else `Accept: text/csv`, else a page.
pub fn list_format(format: Option<&str>, req: &HttpRequest) -> Result<ListFormat, ApiError> {
    match format.map(str::trim) {
        Some("csv") => Ok(ListFormat::Csv),
        Some("json") => Ok(ListFormat::Json),
        Some(_) => Err(ApiError::invalid_parameter("format", "must be csv or json")),
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            Ok(if accept.contains("text/csv") { ListFormat::Csv } else { ListFormat::Page })
        }
    }
}

/// A cell Excel will show as text: a leading `= + - @` (or tab, CR) would start a
/// formula, so it gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn quote(cell: &str) -> String {
    let cell = neutralise(cell);
    if cell.contains([';', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

/// The CSV text: BOM, header row, rows; `;` between cells, CRLF between rows.
pub fn csv(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&headers.iter().map(|h| quote(h)).collect::<Vec<_>>().join(";"));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|c| quote(c)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

pub fn csv_response(filename: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_semicolons_quotes_and_no_formulas() {
        let text = csv(
            &["Rubrik", "Diarienummer"],
            vec![vec!["=HYPERLINK(\"x\")".into(), "KS 2016/20".into()], vec!["a;b".into(), "-5".into()]],
        );
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Rubrik;Diarienummer");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"x\"\")\";KS 2016/20");
        assert_eq!(lines[2], "\"a;b\";'-5");
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Tranås"), "Tranås");
    }
}
