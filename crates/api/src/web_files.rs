//! The static web frontend (`web/`) and the API docs viewer.

use std::path::Path;

use actix_files::Files;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, ResponseError};

use crate::error::ApiError;

/// `web/` at `/`, with `index.html` for directories; anything missing is a 404 problem.
pub fn files(dir: &Path) -> Files {
    Files::new("/", dir)
        .index_file("index.html")
        .prefer_utf8(true)
        .use_etag(true)
        .use_last_modified(true)
        .default_handler(fn_service(|req: ServiceRequest| async {
            let (req, _) = req.into_parts();
            let res = ApiError::RouteNotFound(req.path().to_owned()).error_response();
            Ok(ServiceResponse::new(req, res))
        }))
}

/// `/api/docs` → `/api/docs/` (Swagger UI lives under the slash).
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
}
