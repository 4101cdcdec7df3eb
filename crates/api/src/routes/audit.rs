//! The audit log, for administrators and coordinators. Read-only: no operation changes or
//! deletes an event.

use actix_web::get;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utblick_db::audit::{self, AuditFilter, AuditSort};
use utblick_db::listing::Sort;
use utblick_db::models::AuditEventRow;
use utblick_domain::Action;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::export::CsvRecord;
use crate::routes::common::list_query;
use crate::routes::standard::list_of;

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

list_query! {
    /// Filters, search and order of the audit log; all optional, combined with AND.
    pub struct AuditQuery => AuditFilter {
        /// `user`, `api_token`, `organisation`, `session`, …
        entity_type [max_length = 200] = text;
        entity_id [max_length = 200] = text;
        /// `user`, `token`, `anonymous`, `system`.
        actor_kind [max_length = 200] = text;
        actor_id [value_type = Option<i64>, minimum = 1] = id;
        /// `login`, `user.updated`, …
        action [max_length = 200] = text;
        /// From this moment (inclusive), RFC 3339.
        from [value_type = Option<DateTime<Utc>>] = moment;
        /// Until this moment (exclusive), RFC 3339.
        to [value_type = Option<DateTime<Utc>>] = moment;
        /// Words in the action, the record's kind or id, or who did it.
        q [max_length = 200] = text;
    }
    sort "^-?(occurred|action|actor)$",
    "`-occurred` (default: newest first), `action`, `actor`; a leading `-` for descending.",
    ["occurred" => AuditSort::Occurred, "action" => AuditSort::Action, "actor" => AuditSort::Actor],
    default Sort::desc(AuditSort::Occurred)
}

impl CsvRecord for AuditEventDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "occurred_at",
        "actor_kind",
        "actor_label",
        "action",
        "entity_type",
        "entity_id",
        "entity_version",
        "changes",
        "request_id",
        "client_ip",
    ];
}

list_of! {
    /// The audit log, newest first: filter, search, sort; a page, or all of it as CSV, XLSX or
    /// JSON (audited: it names people). Events about people's accounts and sessions show
    /// what changed only to administrators (and about API tokens, only to those who manage
    /// them).
    fn list_audit_events, tag "audit", path "/audit-events", query AuditQuery,
    ok "A page of events, or with `format` an export of all matching ones.",
    page AuditEventPage of AuditEventDto, action Action::ReadAudit, filter AuditFilter,
    count audit::count_audit_events, ids audit::audit_event_ids, list audit::list_audit_events,
    each |e, who| Ok::<_, ApiError>(AuditEventDto::for_caller(e, who)), file "granskningslogg",
    audited "audit_event" [entity_type, actor_kind, action, q]
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_events);
}
