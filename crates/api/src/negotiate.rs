//! Content negotiation: what the API can answer with, read against the `Accept` header.
//!
//! The API answers JSON (`application/json`, errors as `application/problem+json`) and,
//! for lists, CSV (`text/csv`). A request whose `Accept` allows none of these gets 406.

/// What the API can answer with.
pub const OFFERED: [&str; 3] = ["application/json", "application/problem+json", "text/csv"];

/// One media range of an `Accept` header and its weight.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    sub: String,
    q: f32,
}

fn ranges(accept: &str) -> Vec<Range> {
    accept
        .split(',')
        .filter_map(|part| {
            let mut params = part.split(';');
            let media = params.next()?.trim().to_ascii_lowercase();
            let (kind, sub) = media.split_once('/')?;
            let q = params
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0)
                .clamp(0.0, 1.0);
            Some(Range { kind: kind.trim().to_owned(), sub: sub.trim().to_owned(), q })
        })
        .collect()
}

/// The weight `accept` gives `media` (`type/subtype`): that of the most specific range that
/// matches it, 0 when none does.
fn weight(ranges: &[Range], media: &str) -> f32 {
    let (kind, sub) = media.split_once('/').unwrap_or((media, ""));
    let mut best: Option<(u8, f32)> = None;
    for r in ranges {
        let specificity = match (r.kind.as_str(), r.sub.as_str()) {
            (k, s) if k == kind && s == sub => 2,
            (k, "*") if k == kind => 1,
            ("*", "*") => 0,
            _ => continue,
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, r.q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Whether an answer of one of [`OFFERED`] is acceptable. No header, or one that cannot be
/// read at all, accepts anything.
pub fn acceptable(accept: Option<&str>) -> bool {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else { return true };
    let ranges = ranges(accept);
    if ranges.is_empty() {
        return true;
    }
    OFFERED.iter().any(|m| weight(&ranges, m) > 0.0)
}

/// Whether a list should answer as CSV: `text/csv` is asked for by name and weighs at least
/// as much as JSON.
pub fn prefers_csv(accept: &str) -> bool {
    let ranges = ranges(accept);
    let named = ranges.iter().any(|r| r.kind == "text" && r.sub == "csv" && r.q > 0.0);
    named && weight(&ranges, "text/csv") >= weight(&ranges, "application/json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_csv_and_wildcards_are_acceptable_xml_is_not() {
        for ok in [
            None,
            Some(""),
            Some("*/*"),
            Some("application/json"),
            Some("application/*"),
            Some("text/csv"),
            Some("application/problem+json"),
            Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Some("garbage"),
        ] {
            assert!(acceptable(ok), "{ok:?}");
        }
        for refused in [
            Some("application/xml"),
            Some("text/html"),
            Some("application/json;q=0"),
            Some("image/*, text/plain"),
        ] {
            assert!(!acceptable(refused), "{refused:?}");
        }
    }

    #[test]
    fn csv_only_when_named_and_not_outweighed_by_json() {
        assert!(prefers_csv("text/csv"));
        assert!(prefers_csv("text/csv, application/json;q=0.5"));
        assert!(!prefers_csv("application/json, text/csv;q=0.5"));
        assert!(!prefers_csv("*/*"));
        assert!(!prefers_csv("text/*"));
        assert!(!prefers_csv("text/csv;q=0"));
    }
}
