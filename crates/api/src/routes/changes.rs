//! The change feed, for integrations that sync incrementally: every change of the registers
//! in the order it was committed, each with its record, action and the version it left, read
//! with a cursor that never passes over a change (the audit log's order, see
//! `utblick_db::audit::insert_audit_event`).

use actix_web::{HttpResponse, get};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_domain::Action;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::routes::common::QueryParams;

/// The most changes one read returns.
pub const MAX_LIMIT: u32 = 1000;

/// One change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// Its place in the feed: pass the last one you have as `after`.
    pub cursor: i64,
    pub occurred_at: DateTime<Utc>,
    /// The kind of record: `project`, `activity`, `report`, `goal`, …
    #[schema(example = "project")]
    pub entity: String,
    /// The record's id.
    #[schema(example = "12")]
    pub id: Option<String>,
    /// What happened to it: `project.created`, `project.updated`, `project.archived`, …
    #[schema(example = "project.updated")]
    pub action: String,
    /// The record's version after the change (its `ETag` then); `null` for records without
    /// versions (attachments).
    pub version: Option<i32>,
}

/// A read of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesDto {
    pub changes: Vec<ChangeDto>,
    /// The cursor to read on from: the last change's, or `after` when there was none.
    pub next: i64,
    /// More changes follow at once (this read was full).
    pub more: bool,
}

/// Where to read from.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// The cursor of the last change you have; `0` (default) from the beginning.
    #[param(value_type = Option<i64>, minimum = 0)]
    pub after: Option<String>,
    /// How many at most: 1–1000, default 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
}

/// Every change of the registers after `after`, in the order committed: programmes,
/// frameworks and scorecards with their goals, organisations, decisions, twin towns,
/// collaborations, contact persons (for people only), funding programmes, projects,
/// officials, activities, leads, reporting years, reports, compilations, attachments and the
/// settings. A cursor never passes over a change, also while others write.
#[utoipa::path(
    tag = "changes",
    params(ChangesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The next changes, oldest first.", body = ChangesDto),
        crate::responses::BadRequest, crate::responses::Auth,
    )
)]
#[get("/changes")]
pub async fn list_changes(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    q: actix_web::web::Query<ChangesQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let mut p = QueryParams::new();
    let after = p.count("after", q.after.as_deref()).unwrap_or(0);
    let limit = p.count("limit", q.limit.as_deref()).unwrap_or(100);
    if !(1..=i64::from(MAX_LIMIT)).contains(&limit) {
        p.problem(
            utblick_domain::FieldError::rule(
                "limit",
                "out_of_range",
                "must be from 1 to 1000",
                "ska vara från 1 till 1000",
            )
            .with("min", 1)
            .with("max", MAX_LIMIT),
        );
    }
    p.finish()?;
    let limit = u32::try_from(limit).unwrap_or(MAX_LIMIT);
    let entities = utblick_domain::access::change_feed_entities(&caller.principal);
    let rows = crate::routes::with_conn(&pool, move |conn| {
        utblick_db::audit::changes_after(conn, after, &entities, limit)
    })
    .await?;
    let more = rows.len() == limit as usize;
    let next = rows.last().map_or(after, |r| r.id);
    let changes = rows
        .into_iter()
        .map(|e| ChangeDto {
            cursor: e.id,
            occurred_at: e.occurred_at.and_utc(),
            entity: e.entity_type,
            id: e.entity_id,
            action: e.action,
            version: e.entity_version,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ChangesDto { changes, next, more }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_changes);
}
