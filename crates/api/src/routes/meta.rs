//! The API describing itself.

use actix_web::{HttpResponse, get, web};

/// The OpenAPI document, serialised once at start.
#[derive(Clone)]
pub struct SpecJson(pub String);

/// This API's OpenAPI 3.1 document.
#[utoipa::path(
    tag = "meta",
    operation_id = "get_openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = Object, content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn openapi_json(spec: web::Data<SpecJson>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(spec.0.clone())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(openapi_json);
}
