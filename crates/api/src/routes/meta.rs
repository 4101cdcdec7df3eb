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

/// Who runs this Utblick: what every page's header says.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Site {
    /// The municipality (setting `web.municipality`).
    #[schema(example = "Tranås kommun")]
    pub municipality: String,
    /// The product's name.
    #[schema(example = "Utblick")]
    pub product: &'static str,
    /// Whether people sign in with the municipality's identity provider
    /// (`/api/v1/auth/oidc/login`).
    pub single_sign_on: bool,
}

/// The municipality running this Utblick and the product's name, for the pages' header.
#[utoipa::path(
    tag = "meta",
    operation_id = "get_site",
    responses((status = 200, description = "The municipality and the product.", body = Site))
)]
#[get("/site")]
pub async fn site(site: web::Data<Site>) -> HttpResponse {
    HttpResponse::Ok().json(site.get_ref())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(openapi_json).service(site);
}
