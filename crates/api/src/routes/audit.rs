//! The audit log, for administrators and coordinators. Read-only: no operation changes or
//! deletes an event.

use actix_web::get;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::audit::{self, AuditFilter};
use utblick_db::models::AuditEventRow;
use utblick_domain::Action;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::routes::common::QueryParams;
use crate::routes::standard::page_of;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventDto {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// `user`, `token`, `anonymous` or `system`.
    #[schema(example = "user")]
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    /// The user's e-mail or the token's name at the time.
    pub actor_label: String,
    #[schema(example = "user.updated")]
    pub action: String,
    #[schema(example = "user")]
    pub entity_type: String,
    pub entity_id: Option<String>,
    /// The request's X-Request-Id, to find its log lines.
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    /// What changed: `{field: {before, after}}`, or details of the event; `null` when
    /// `redacted`.
    #[schema(value_type = Option<Object>)]
    pub changes: serde_json::Value,
    /// The caller may not read the entity this event is about (people's accounts, API
    /// tokens), so what changed is left out.
    pub redacted: bool,
    /// The record's version after the change, for records that have versions.
    pub entity_version: Option<i32>,
}

impl AuditEventDto {
    /// The event as `who` may see it.
    fn for_caller(e: AuditEventRow, who: &utblick_domain::Principal) -> Self {
        let mut dto = Self::from(e);
        if !utblick_domain::access::may_read_audit_details(who, &dto.entity_type) {
            dto.changes = serde_json::Value::Null;
            dto.redacted = true;
        }
        dto
    }
}

impl From<AuditEventRow> for AuditEventDto {
    fn from(e: AuditEventRow) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at.and_utc(),
            actor_kind: e.actor_kind,
            actor_id: e.actor_id,
            actor_label: e.actor_label,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            request_id: e.request_id,
            client_ip: e.client_ip,
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            redacted: false,
            entity_version: e.entity_version,
        }
    }
}

/// Filters; all optional, combined with AND.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `user`, `api_token`, `organisation`, `session`, …
    #[param(max_length = 100)]
    pub entity_type: Option<String>,
    #[param(max_length = 100)]
    pub entity_id: Option<String>,
    /// `user`, `token`, `anonymous`, `system`.
    #[param(max_length = 20)]
    pub actor_kind: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    pub actor_id: Option<String>,
    /// `login`, `user.updated`, …
    #[param(max_length = 100)]
    pub action: Option<String>,
    /// From this moment (inclusive), RFC 3339.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub from: Option<String>,
    /// Until this moment (exclusive), RFC 3339.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub to: Option<String>,
}

impl AuditQuery {
    fn filter(&self) -> Result<AuditFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = AuditFilter {
            entity_type: p.limited("entity_type", self.entity_type.as_deref(), 100),
            entity_id: p.limited("entity_id", self.entity_id.as_deref(), 100),
            actor_kind: p.limited("actor_kind", self.actor_kind.as_deref(), 20),
            actor_id: p.id("actor_id", self.actor_id.as_deref()),
            action: p.limited("action", self.action.as_deref(), 100),
            from: p.moment("from", self.from.as_deref()),
            to: p.moment("to", self.to.as_deref()),
        };
        p.finish()?;
        Ok(filter)
    }
}

page_of! {
    /// The audit log, newest first.
    fn list_audit_events, tag "audit", path "/audit-events", query AuditQuery,
    ok "A page of events. Events about people's accounts and sessions show what changed only to administrators (and about API tokens, only to those who manage them).",
    page AuditEventPage of AuditEventDto, action Action::ReadAudit, count audit::count_audit_events,
    list audit::list_audit_events, each |e, who| Ok::<_, ApiError>(AuditEventDto::for_caller(e, who))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_events);
}
