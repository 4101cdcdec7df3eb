//! Optimistic concurrency: responses carry an `ETag` of the version they show; updates
//! send it back in `If-Match` (428 without it, 412 when someone else changed it first).

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::error::ApiError;

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// A JSON answer carrying the version it shows as its `ETag`.
pub fn versioned(
    status: actix_web::http::StatusCode,
    version: i32,
    body: &impl serde::Serialize,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::build(status)
        .insert_header((actix_web::http::header::ETAG, etag(version)))
        .json(body)
}

/// The version an update edits, from `If-Match`.
pub fn if_match(req: &HttpRequest) -> Result<i32, ApiError> {
    let raw = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let raw = raw.to_str().map_err(|_| ApiError::PreconditionFailed)?.trim();
    let raw = raw.strip_prefix("W/").unwrap_or(raw);
    raw.trim_matches('"').parse::<i32>().map_err(|_| ApiError::PreconditionFailed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn reads_strong_and_weak_etags() {
        let r = TestRequest::default().insert_header(("If-Match", "\"7\"")).to_http_request();
        assert_eq!(if_match(&r).unwrap(), 7);
        let r = TestRequest::default().insert_header(("If-Match", "W/\"8\"")).to_http_request();
        assert_eq!(if_match(&r).unwrap(), 8);
        let r = TestRequest::default().to_http_request();
        assert!(matches!(if_match(&r), Err(ApiError::PreconditionRequired)));
        let r = TestRequest::default().insert_header(("If-Match", "*")).to_http_request();
        assert!(matches!(if_match(&r), Err(ApiError::PreconditionFailed)));
        assert_eq!(etag(3), "\"3\"");
    }
}
