//! The error answers operations share, for their `#[utoipa::path(responses(...))]`: each
//! operation lists the groups that apply to it after its own success answers. Every error is
//! `application/problem+json` (RFC 9457) with `errors` naming each bad field.

use utoipa::IntoResponses;

use crate::error::Problem;

/// 401 and 403.
#[derive(IntoResponses)]
pub enum Auth {
    /// Not signed in, and no API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// This person or token may not do this: see who may do what in the API description.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
}

/// 400: the id in the path or a query parameter is not valid.
#[derive(IntoResponses)]
pub enum BadRequest {
    /// The id, a parameter or the body is not valid; `errors` names each.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
}

/// 404.
#[derive(IntoResponses)]
pub enum NotFound {
    /// There is no such record.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// 415 and 422: a request body that is not JSON, or breaks a rule.
#[derive(IntoResponses)]
pub enum Body {
    /// The body is not `application/json` (or, for `PATCH`, `application/merge-patch+json`).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// A field breaks a rule; `errors` names every such field.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
}

/// 409.
#[derive(IntoResponses)]
pub enum Conflict {
    /// It would duplicate a record that exists, or the record's state does not allow it.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
}

/// 412 and 428: optimistic concurrency.
#[derive(IntoResponses)]
pub enum Stale {
    /// Someone else changed the record since you read it: read it again.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// `If-Match` with the ETag of the version you edit is missing.
    #[response(status = 428, content_type = "application/problem+json")]
    PreconditionRequired(Problem),
}

/// 429 for exports.
#[derive(IntoResponses)]
pub enum Busy {
    /// Too many exports are running, yours or in all; see `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooMany(Problem),
}

/// 503.
#[derive(IntoResponses)]
pub enum Unavailable {
    /// The database is not reachable right now; try again after `Retry-After` seconds.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// 413.
#[derive(IntoResponses)]
pub enum TooLarge {
    /// The file is larger than the configured limit (`server.max_attachment_bytes`).
    #[response(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Problem),
}

/// 412 alone: a write whose `If-Match` is optional.
#[derive(IntoResponses)]
pub enum StaleIfSent {
    /// `If-Match` was sent and someone else changed the record since: read it again.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
}
