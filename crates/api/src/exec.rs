//! The one executor of use cases: a command runs on the blocking pool with a connection taken
//! there, in one write transaction with its audit event (`utblick_app::execute`), against the
//! version the request names in `If-Match`; the answer carries the new version as its `ETag`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use utblick_app::{AppError, Ctx, Done, IfMatch};
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::Principal;

use crate::auth::Caller;
use crate::error::ApiError;

/// The use-case context of a request: who, when, and the version it edits.
pub fn context(caller: &Caller, req: &HttpRequest) -> Ctx {
    Ctx {
        principal: caller.principal.clone(),
        must_change_password: caller.user.as_ref().is_some_and(|u| u.must_change_password),
        audit: caller.audit.clone(),
        now: chrono::Utc::now().naive_utc(),
        if_match: if_match(req),
    }
}

fn if_match(req: &HttpRequest) -> IfMatch {
    let Some(raw) = req.headers().get(header::IF_MATCH) else { return IfMatch::Missing };
    let Ok(raw) = raw.to_str() else { return IfMatch::Unreadable };
    let raw = raw.trim();
    let raw = raw.strip_prefix("W/").unwrap_or(raw);
    raw.trim_matches('"').parse::<i32>().map_or(IfMatch::Unreadable, IfMatch::Version)
}

/// Runs a command for this request and returns the stored record.
pub async fn run<R, C>(
    pool: &web::Data<DbPool>,
    caller: &Caller,
    req: &HttpRequest,
    command: C,
) -> Result<R, ApiError>
where
    R: Send + 'static,
    C: FnOnce(&mut DbConn, &Ctx) -> Result<Done<R>, AppError> + Send + 'static,
{
    let ctx = context(caller, req);
    let pool = pool.clone();
    let result = web::block(move || -> Result<R, AppError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_app::execute(&mut conn, &ctx, command)
    })
    .await?;
    Ok(result?)
}

/// [`run`]s `command` and answers with `status`, the record as this caller sees it and its
/// `ETag`: the whole of a standard handler after parsing.
pub async fn answer<R, C>(
    pool: &web::Data<DbPool>,
    caller: &Caller,
    req: &HttpRequest,
    status: StatusCode,
    command: C,
) -> Result<HttpResponse, ApiError>
where
    R: Reply + Send + 'static,
    C: FnOnce(&mut DbConn, &Ctx) -> Result<Done<R>, AppError> + Send + 'static,
{
    run(pool, caller, req, command).await?.reply(status, &caller.principal)
}

/// A JSON answer carrying the version it shows as its `ETag` (optimistic concurrency: an
/// update sends it back in `If-Match`; 428 without it, 412 when someone else changed it).
pub fn versioned(status: StatusCode, version: i32, body: &impl serde::Serialize) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, format!("\"{version}\""))).json(body)
}

/// A record as answered: its wire shape, with its version as the `ETag`.
pub trait Reply: Sized {
    type Dto: serde::Serialize;
    fn etag_version(&self) -> i32;
    /// The wire shape for this caller: it says what `who` may do with the record now.
    fn into_dto(self, who: &Principal) -> Result<Self::Dto, ApiError>;

    /// `status` with the record as JSON and its `ETag`.
    fn reply(self, status: StatusCode, who: &Principal) -> Result<HttpResponse, ApiError> {
        let version = self.etag_version();
        Ok(versioned(status, version, &self.into_dto(who)?))
    }
}

/// `impl Reply`: a stored record, its wire type, where its version is and how it becomes the
/// wire type for a caller (`fn(record, &Principal) -> Result<Dto, ApiError>`).
macro_rules! reply {
    ($record:ty => $dto:ty, |$r:ident| $version:expr, $into:expr) => {
        impl $crate::exec::Reply for $record {
            type Dto = $dto;
            fn etag_version(&self) -> i32 {
                let $r = self;
                $version
            }
            fn into_dto(self, who: &utblick_domain::Principal) -> Result<$dto, $crate::error::ApiError> {
                ($into)(self, who)
            }
        }
    };
}
pub(crate) use reply;

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn reads_strong_and_weak_etags() {
        let r = |v: &str| if_match(&TestRequest::default().insert_header(("If-Match", v)).to_http_request());
        assert_eq!(r("\"7\""), IfMatch::Version(7));
        assert_eq!(r("W/\"8\""), IfMatch::Version(8));
        assert_eq!(r("*"), IfMatch::Unreadable);
        assert_eq!(if_match(&TestRequest::default().to_http_request()), IfMatch::Missing);
    }
}
