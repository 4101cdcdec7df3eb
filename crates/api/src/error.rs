//! RFC 9457 problem details for every error the API gives — its own and actix's.
//!
//! One table ([`ApiError::parts`]) gives each error its status, stable `code` and title.
//! Server-side failures log their cause and answer with a generic detail.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utblick_domain::{FieldError, ValidationErrors};
use utoipa::ToSchema;

use crate::lang::Lang;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One failing input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field, as named in the request (`per_page`, `priority_areas[1].title`).
    #[schema(example = "per_page")]
    pub field: String,
    /// A stable code for programs: `required`, `too_long`, `out_of_range`, `not_one_of`,
    /// `invalid_type`, `unknown_field`, … (`invalid` when nothing more specific applies).
    #[schema(example = "out_of_range")]
    pub code: String,
    /// The values the message depends on, by name (`{"min": "1", "max": "100"}`).
    #[schema(value_type = Object, example = json!({"min": "1", "max": "100"}))]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// What is wrong with it, in words an official understands, in the language asked for
    /// (`Accept-Language`: Swedish or English).
    #[schema(example = "must be between 1 and 100")]
    pub message: String,
}

impl FieldProblem {
    fn of(e: &FieldError, lang: Lang) -> Self {
        Self {
            field: e.field.clone(),
            code: e.code.to_owned(),
            params: e
                .params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(v.clone())))
                .collect(),
            message: e.message_in(lang == Lang::Sv).to_owned(),
        }
    }
}

/// An RFC 9457 problem document (`application/problem+json`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable: `urn:utblick:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(example = "urn:utblick:problem:invalid-parameter")]
    pub type_: String,
    /// A short summary of the kind of problem.
    #[schema(example = "A parameter is invalid")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 400)]
    pub status: u16,
    /// What happened in this case.
    #[schema(example = "per_page: must be between 1 and 100")]
    pub detail: String,
    /// The stable machine-readable code (the last part of `type`).
    #[schema(example = "invalid-parameter")]
    pub code: String,
    /// The failing fields, for validation problems; empty otherwise.
    pub errors: Vec<FieldProblem>,
}

/// Every error the API answers with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0} was not found")]
    NotFound(String),
    #[error("no such resource: {0}")]
    RouteNotFound(String),
    #[error("method {method} is not allowed here; allowed: {allow}")]
    MethodNotAllowed { method: String, allow: String },
    #[error("{}", field_summary(.0, Lang::En))]
    InvalidParameter(Vec<FieldError>),
    #[error("{}", field_summary(&.0.0, Lang::En))]
    Validation(ValidationErrors),
    /// Well-formed input that the record's present state does not allow (409).
    #[error("{}", field_summary(&.0.0, Lang::En))]
    StateConflict(ValidationErrors),
    #[error("the request body is not valid JSON for this operation: {detail}")]
    InvalidJson { detail: String, errors: Vec<FieldError> },
    #[error("the request body must be {expected}")]
    UnsupportedMediaType { expected: String },
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    Unauthenticated(String),
    #[error("you may not do this")]
    Forbidden,
    #[error("your password was reset; change it before you go on")]
    PasswordChangeRequired,
    #[error("the e-mail address or the password is wrong, or the account is not active")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    TooManyAttempts { retry_after: i64 },
    #[error("too many exports are running{}; try again in {retry_after} seconds", if *.per_caller { " for you" } else { "" })]
    TooManyExports { retry_after: i64, per_caller: bool },
    #[error(
        "this request must come from Utblick's own pages (the X-Utblick-Csrf header is missing, or it came from another site)"
    )]
    CsrfRefused,
    #[error("the request is not valid HTTP: {0}")]
    MalformedRequest(String),
    #[error("the request's URL is longer than {limit} bytes")]
    UriTooLong { limit: usize },
    #[error("{detail}")]
    HeadTooLarge { detail: String },
    #[error("this resource answers only as {available}")]
    NotAcceptable { available: String },
    #[error("this update must say which version it edits: send the ETag you read in If-Match")]
    PreconditionRequired,
    #[error("someone else changed this since you read it; reload and make your change again")]
    PreconditionFailed,
    #[error("{0}")]
    Conflict(String),
    #[error("the database is not reachable")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

fn field_summary(errors: &[FieldError], lang: Lang) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message_in(lang == Lang::Sv)))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    /// The one table: status, stable code, title.
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::RouteNotFound(_) => (StatusCode::NOT_FOUND, "route-not-found", "No such resource"),
            ApiError::MethodNotAllowed { .. } => {
                (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed")
            }
            ApiError::InvalidParameter(_) => {
                (StatusCode::BAD_REQUEST, "invalid-parameter", "A parameter is invalid")
            }
            ApiError::Validation(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation-failed", "The input is invalid")
            }
            ApiError::StateConflict(_) => {
                (StatusCode::CONFLICT, "state-conflict", "The record's present state does not allow this")
            }
            ApiError::InvalidJson { .. } => {
                (StatusCode::BAD_REQUEST, "invalid-json", "The request body is invalid")
            }
            ApiError::UnsupportedMediaType { .. } => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type")
            }
            ApiError::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "The request body is too large")
            }
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated", "Sign-in required"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            ApiError::PasswordChangeRequired => {
                (StatusCode::FORBIDDEN, "password-change-required", "Password change required")
            }
            ApiError::InvalidCredentials => {
                (StatusCode::UNAUTHORIZED, "invalid-credentials", "Sign-in failed")
            }
            ApiError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too-many-attempts", "Too many attempts")
            }
            ApiError::TooManyExports { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too-many-exports", "Too many exports at once")
            }
            ApiError::CsrfRefused => (StatusCode::FORBIDDEN, "csrf-refused", "Cross-site request refused"),
            ApiError::MalformedRequest(_) => {
                (StatusCode::BAD_REQUEST, "malformed-request", "Malformed request")
            }
            ApiError::UriTooLong { .. } => (StatusCode::URI_TOO_LONG, "uri-too-long", "URL too long"),
            ApiError::HeadTooLarge { .. } => (
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "request-header-fields-too-large",
                "Request header fields too large",
            ),
            ApiError::NotAcceptable { .. } => {
                (StatusCode::NOT_ACCEPTABLE, "not-acceptable", "No acceptable representation")
            }
            ApiError::PreconditionRequired => {
                (StatusCode::PRECONDITION_REQUIRED, "precondition-required", "If-Match required")
            }
            ApiError::PreconditionFailed => {
                (StatusCode::PRECONDITION_FAILED, "precondition-failed", "Changed by someone else")
            }
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::Unavailable(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "service-unavailable", "The service is not available")
            }
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal-error", "Internal error"),
        }
    }

    pub fn problem(&self) -> Problem {
        self.problem_in(crate::lang::current())
    }

    /// The problem document in a language: Swedish titles, details and field messages for
    /// `sv`, English ones otherwise.
    pub fn problem_in(&self, lang: Lang) -> Problem {
        let (status, code, title) = self.parts();
        let fields: &[FieldError] = match self {
            ApiError::InvalidParameter(errs) | ApiError::InvalidJson { errors: errs, .. } => errs,
            ApiError::Validation(v) | ApiError::StateConflict(v) => &v.0,
            _ => &[],
        };
        let detail = match (self, lang) {
            // Never leak internals: the cause is in the log, under the request id.
            (ApiError::Internal(_), Lang::En) => {
                "Something went wrong on our side. It has been logged; quote the X-Request-Id header when you report it."
                    .to_owned()
            }
            (ApiError::Unavailable(_), Lang::En) => {
                "The database is not reachable right now. Try again shortly.".to_owned()
            }
            (ApiError::InvalidParameter(_) | ApiError::Validation(_) | ApiError::StateConflict(_), _)
                if !fields.is_empty() =>
            {
                field_summary(fields, lang)
            }
            (other, Lang::En) => other.to_string(),
            (other, Lang::Sv) => crate::lang::swedish_detail(other, code, fields),
        };
        let errors = fields.iter().map(|e| FieldProblem::of(e, lang)).collect();
        let title = match lang {
            Lang::En => title.to_owned(),
            Lang::Sv => crate::lang::swedish_title(code).to_owned(),
        };
        Problem {
            type_: format!("urn:utblick:problem:{code}"),
            title,
            status: status.as_u16(),
            detail,
            code: code.to_owned(),
            errors,
        }
    }

    pub fn invalid_parameter(field: &str, message: impl Into<String>) -> Self {
        ApiError::InvalidParameter(vec![FieldError::new(field, message)])
    }

    /// A 400 naming one parameter, with its code and its message in both languages.
    pub fn bad_parameter(e: FieldError) -> Self {
        ApiError::InvalidParameter(vec![e])
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(v: ValidationErrors) -> Self {
        if v.is_conflict() { ApiError::StateConflict(v) } else { ApiError::Validation(v) }
    }
}

impl From<utblick_app::AppError> for ApiError {
    fn from(e: utblick_app::AppError) -> Self {
        use utblick_app::AppError as A;
        match e {
            A::Unauthenticated => ApiError::Unauthenticated("sign in, or send an API token".into()),
            A::Forbidden => ApiError::Forbidden,
            A::PasswordChangeRequired => ApiError::PasswordChangeRequired,
            A::NotFound(what) => ApiError::NotFound(what),
            A::Conflict(why) => ApiError::Conflict(why),
            A::PreconditionFailed => ApiError::PreconditionFailed,
            A::PreconditionRequired => ApiError::PreconditionRequired,
            A::Invalid(v) => v.into(),
            A::Db(e) => e.into(),
        }
    }
}

impl From<utblick_db::DbError> for ApiError {
    fn from(e: utblick_db::DbError) -> Self {
        match e {
            utblick_db::DbError::UniqueViolation { constraint } => {
                ApiError::Conflict(conflict_message(&constraint))
            }
            e if e.is_unavailable() => ApiError::Unavailable(e.to_string()),
            e => ApiError::Internal(e.to_string()),
        }
    }
}

/// Unique constraints, by name, in words (never the SQL).
fn conflict_message(constraint: &str) -> String {
    let what = match constraint {
        c if c.contains("users_email") || c.contains("users.email") => {
            "a user with this e-mail address already exists"
        }
        c if c.contains("organisations_name") || c.contains("organisations.name") => {
            "an organisation with this name already exists"
        }
        c if c.contains("programmes_document_version") || c.contains("programmes.document_id") => {
            "this document already has a version with this number"
        }
        c if c.contains("frameworks_code") || c.contains("frameworks.code") => {
            "a framework with this code already exists"
        }
        _ => "this already exists",
    };
    what.to_owned()
}

impl From<diesel_error::Error> for ApiError {
    fn from(e: diesel_error::Error) -> Self {
        utblick_db::DbError::from(e).into()
    }
}

/// Diesel's error type, as the db crate re-exports it.
mod diesel_error {
    pub use utblick_db::QueryError as Error;
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task failed: {e}"))
    }
}

/// Seconds a client is asked to wait when the database is unreachable: a restart or a
/// failover of the database usually takes a few seconds, and the pool reconnects by itself.
pub const UNAVAILABLE_RETRY_AFTER: u32 = 2;

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, code = self.parts().1, "request failed");
        }
        let mut res = HttpResponse::build(status);
        res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::MethodNotAllowed { allow, .. } => {
                res.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::Unauthenticated(_) | ApiError::InvalidCredentials => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"utblick\""));
            }
            ApiError::TooManyAttempts { retry_after } | ApiError::TooManyExports { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable(_) => {
                res.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER.to_string()));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------
// actix's own errors, as problems.

/// Bad JSON bodies: wrong syntax, wrong shape, wrong content type, too large.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let e = match &err {
        J::OverflowKnownLength { limit, .. } | J::Overflow { limit } => {
            ApiError::PayloadTooLarge { limit: *limit }
        }
        J::ContentType => ApiError::UnsupportedMediaType { expected: "application/json".into() },
        J::Deserialize(de) => crate::lang::json_problem(None, &de.to_string()),
        other => ApiError::InvalidJson { detail: other.to_string(), errors: Vec::new() },
    };
    e.into()
}

/// Bad path segments (`/programmes/abc`): a 400 naming the parameter.
pub fn path_error(err: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    let names: Vec<String> = req.match_info().iter().map(|(k, _)| k.to_owned()).collect();
    let field = if names.is_empty() { "path".to_owned() } else { names.join(",") };
    let _ = err;
    ApiError::bad_parameter(crate::lang::whole_number(&field)).into()
}

/// Bad query strings that do not even fit the query's shape.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let detail = err.to_string();
    let field = crate::lang::backticked_field(&detail).unwrap_or_else(|| "query".to_owned());
    let problem = if detail.contains("can not parse")
        || detail.contains("invalid digit")
        || detail.contains("number too large")
    {
        crate::lang::whole_number(&field)
    } else {
        crate::lang::serde_field_error(field, &detail)
    };
    ApiError::bad_parameter(problem).into()
}

/// Turns any error response that is not yet problem+json (actix's own 404, 405 from static
/// files, 413, …) into one, keeping its status and headers such as `Allow`.
pub fn problemize<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(PROBLEM_JSON));
    if already {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let method = res.request().method().clone();
    let path = res.request().path().to_owned();
    // actix answers 405 for a resource without the method but names no methods; the
    // route table (from the spec) knows them. Static files allow GET and HEAD.
    let allow =
        res.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()).map(str::to_owned).or_else(|| {
            let table = res.request().app_data::<actix_web::web::Data<crate::openapi::RouteTable>>()?;
            let methods = table.allowed(&path)?;
            Some(methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", "))
        });
    let err = match status {
        StatusCode::NOT_FOUND => ApiError::RouteNotFound(path),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed {
            method: method.to_string(),
            allow: allow.unwrap_or_else(|| "GET, HEAD".to_owned()),
        },
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit: 0 },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ApiError::UnsupportedMediaType { expected: "application/json".into() }
        }
        s if s.is_server_error() => ApiError::Internal(format!("{status} from {method} {path}")),
        _ => {
            // Another client error from actix: keep the status, give it a problem body.
            let (req, res) = res.into_parts();
            let body = Problem {
                type_: "urn:utblick:problem:bad-request".into(),
                title: status.canonical_reason().unwrap_or("Bad request").into(),
                status: status.as_u16(),
                detail: status.canonical_reason().unwrap_or("Bad request").into(),
                code: "bad-request".into(),
                errors: Vec::new(),
            };
            let mut new = HttpResponse::build(status);
            for (k, v) in res.headers() {
                if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                    new.append_header((k.clone(), v.clone()));
                }
            }
            new.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
            let res = new.body(serde_json::to_string(&body).unwrap_or_default());
            return Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, res).map_into_right_body()));
        }
    };
    let (req, old) = res.into_parts();
    let mut new = err.error_response();
    for (k, v) in old.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH && !new.headers().contains_key(k) {
            new.headers_mut().append(k.clone(), v.clone());
        }
    }
    if method == Method::HEAD {
        // A HEAD answer carries no body.
        let (res, _) = new.into_parts();
        return Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, res.set_body(BoxBody::new(()))).map_into_right_body(),
        ));
    }
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, new).map_into_right_body()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test as atest;
    use actix_web::{App, web};

    #[test]
    fn every_problem_has_type_code_and_status_in_agreement() {
        let errors = [
            ApiError::NotFound("programme 7".into()),
            ApiError::invalid_parameter("per_page", "must be between 1 and 100"),
            ApiError::Validation(ValidationErrors::single("title", "must not be empty")),
            ApiError::PayloadTooLarge { limit: 10 },
            ApiError::Internal("secret table name".into()),
        ];
        for e in errors {
            let p = e.problem();
            assert_eq!(p.type_, format!("urn:utblick:problem:{}", p.code));
            assert_eq!(p.status, e.status_code().as_u16());
            assert!(!p.detail.contains("secret"), "internal detail leaked: {}", p.detail);
        }
    }

    #[test]
    fn what_the_stored_state_refuses_is_a_409_and_the_input_itself_a_422() {
        let state = || FieldError::rule("status", "not_a_draft", "not a draft", "inget utkast").of_state();
        let data = || FieldError::rule("title", "required", "must not be empty", "får inte vara tomt");
        let p = ApiError::from(ValidationErrors(vec![state()])).problem_in(Lang::Sv);
        assert_eq!(
            (p.status, p.code.as_str(), p.errors[0].field.as_str()),
            (409, "state-conflict", "status")
        );
        assert_eq!(p.title, "Postens nuvarande läge tillåter inte detta");
        // Input that is wrong in itself is fixed first, whatever the state.
        let p = ApiError::from(ValidationErrors(vec![state(), data()])).problem_in(Lang::En);
        assert_eq!((p.status, p.errors.len()), (422, 2));
    }

    #[test]
    fn validation_problems_name_their_fields_with_a_code_in_either_language() {
        let e = ApiError::Validation(ValidationErrors(vec![
            FieldError::rule(
                "title",
                "too_long",
                "must be at most 200 characters",
                "får vara högst 200 tecken",
            )
            .with("max", 200),
        ]));
        let p = e.problem_in(Lang::En);
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].field, "title");
        assert_eq!(p.errors[0].code, "too_long");
        assert_eq!(p.errors[0].params["max"], "200");
        assert_eq!(p.errors[0].message, "must be at most 200 characters");
        let p = e.problem_in(Lang::Sv);
        assert_eq!(p.errors[0].message, "får vara högst 200 tecken");
        assert_eq!(p.title, "Uppgifterna är inte giltiga");
        assert_eq!(p.detail, "title: får vara högst 200 tecken");
        let p = ApiError::PreconditionFailed.problem_in(Lang::Sv);
        assert!(p.detail.contains("Någon annan"), "{}", p.detail);
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: String,
    }

    async fn echo(_b: web::Json<Body>) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    /// The JSON error handler that the server installs, tried on a route that takes JSON
    /// (the first slice has none in the public API yet).
    #[actix_web::test]
    async fn bad_json_wrong_type_and_too_large_bodies_are_problems() {
        let app = atest::init_service(
            App::new()
                .app_data(web::JsonConfig::default().limit(64).error_handler(json_error))
                .route("/echo", web::post().to(echo)),
        )
        .await;
        let cases = [
            ("application/json", "{not json".to_owned(), 400, "invalid-json"),
            ("application/json", "{}".to_owned(), 400, "invalid-json"),
            ("text/plain", "{\"title\":\"x\"}".to_owned(), 415, "unsupported-media-type"),
            ("application/json", format!("{{\"title\":\"{}\"}}", "x".repeat(100)), 413, "payload-too-large"),
        ];
        for (ct, body, status, code) in cases {
            // A missing field is named; a body that is not JSON at all is the body's fault.
            let field = if body == "{}" { "title" } else { "body" };
            let req =
                atest::TestRequest::post().uri("/echo").insert_header(("content-type", ct)).set_payload(body);
            let res = atest::call_service(&app, req.to_request()).await;
            assert_eq!(res.status().as_u16(), status, "{code}");
            assert_eq!(res.headers().get("content-type").unwrap(), PROBLEM_JSON);
            let v: serde_json::Value = atest::read_body_json(res).await;
            assert_eq!(v["code"], code);
            if code == "invalid-json" {
                assert_eq!(v["errors"][0]["field"], field);
                assert!(!v["errors"][0]["message"].as_str().unwrap().contains("line"), "no parser text");
            }
        }
        let ok = atest::TestRequest::post().uri("/echo").set_json(serde_json::json!({"title": "x"}));
        assert_eq!(atest::call_service(&app, ok.to_request()).await.status(), 204);
    }
}
