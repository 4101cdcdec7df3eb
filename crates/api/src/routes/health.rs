//! Liveness and readiness, for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utblick_db::DbPool;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::responses::Unavailable;
use crate::routes::with_conn;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    #[schema(example = "ok")]
    pub status: String,
    /// The version of Utblick running.
    #[schema(example = "0.1.0")]
    pub version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` when the database answers.
    #[schema(example = "ready")]
    pub status: String,
    /// The database engine in use: `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    pub database: String,
}

/// The process is alive.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_health",
    responses((status = 200, description = "The process is alive.", body = Health))
)]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

/// The database is reachable: the instance can serve requests.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_ready",
    responses(
        (status = 200, description = "The database answers.", body = Readiness),
        Unavailable,
    )
)]
#[get("/ready")]
pub async fn ready(pool: web::Data<DbPool>) -> Result<HttpResponse, ApiError> {
    let backend = with_conn(&pool, |conn| {
        utblick_db::ping(conn)?;
        Ok(conn.backend())
    })
    .await
    .map_err(|e| match e {
        ApiError::Internal(msg) | ApiError::Unavailable(msg) => ApiError::Unavailable(msg),
        other => other,
    })?;
    Ok(HttpResponse::Ok().json(Readiness { status: "ready".into(), database: backend.name().into() }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health).service(ready);
}
