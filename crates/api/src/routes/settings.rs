//! The settings administrators change while Utblick runs (the rest is configuration, read at
//! start): whether the KPI feed is open to anyone.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, put};
use serde::{Deserialize, Serialize};
use utblick_app::settings::{self as uc, Settings};
use utblick_domain::{Action, Principal};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::responses::{Auth, BadRequest, Body as BodyErrors, Stale};

/// The settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsDto {
    /// The KPIs (`/api/v1/kpis`, `/api/v1/kpi-values`, `/kolada/v3`) are open to anyone,
    /// without signing in or an API token.
    pub kpi_feed_published: bool,
    /// The settings' version: the `ETag`.
    pub version: i32,
}

fn dto(s: Settings, _who: &Principal) -> Result<SettingsDto, ApiError> {
    Ok(SettingsDto { kpi_feed_published: s.kpi_feed_published, version: s.version })
}

crate::exec::reply!(Settings => SettingsDto, |s| s.version, dto);

/// The settings as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Open the KPIs to anyone (`true`), or to signed-in people and `kpi:read` tokens only.
    pub kpi_feed_published: bool,
}

/// The settings (anyone may see whether the KPI feed is open).
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, description = "The settings; the ETag is their version.", body = SettingsDto),
        crate::responses::Unavailable,
    )
)]
#[get("/settings")]
pub async fn get_settings(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    use crate::exec::Reply;
    caller.require(Action::ReadPublished)?;
    let s = crate::routes::with_app(&pool, uc::read).await?;
    s.reply(StatusCode::OK, &caller.principal)
}

/// Change the settings (administrators). Needs `If-Match`.
#[utoipa::path(
    tag = "settings",
    params(("If-Match" = String, Header, description = "The ETag of the settings you change.")),
    request_body = SettingsBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed; the ETag is their new version.", body = SettingsDto),
        BadRequest, Auth, BodyErrors, Stale,
    )
)]
#[put("/settings")]
pub async fn update_settings(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: Caller,
    req: HttpRequest,
    body: crate::dto::Json<SettingsBody>,
) -> Result<HttpResponse, ApiError> {
    let published = body.into_inner().kpi_feed_published;
    let change =
        move |conn: &mut utblick_db::DbConn, ctx: &utblick_app::Ctx| uc::change(conn, ctx, published);
    crate::exec::answer(&pool, &caller, &req, StatusCode::OK, change).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_settings).service(update_settings);
}
