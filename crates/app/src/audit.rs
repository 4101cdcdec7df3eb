//! Who did it, from where, in which request: what every audit event carries.

use chrono::NaiveDateTime;
use utblick_db::models::NewAuditEvent;
use utblick_db::{DbConn, DbError};

/// The actor and request of an audit event.
#[derive(Debug, Clone)]
pub struct AuditContext {
    pub actor_kind: &'static str,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
}

impl AuditContext {
    pub fn system(label: &str) -> Self {
        Self {
            actor_kind: "system",
            actor_id: None,
            actor_label: label.to_owned(),
            request_id: None,
            client_ip: None,
        }
    }

    /// An event of this actor; `changes` is `{field: {before, after}}` or a description.
    pub fn event(
        &self,
        now: NaiveDateTime,
        action: &str,
        entity_type: &str,
        entity_id: Option<String>,
        changes: serde_json::Value,
    ) -> NewAuditEvent {
        NewAuditEvent {
            occurred_at: now,
            actor_kind: self.actor_kind.to_owned(),
            actor_id: self.actor_id,
            actor_label: self.actor_label.clone(),
            action: action.to_owned(),
            entity_type: entity_type.to_owned(),
            entity_id,
            request_id: self.request_id.clone(),
            client_ip: self.client_ip.clone(),
            changes: changes.to_string(),
            entity_version: None,
        }
    }

    /// Writes an event (inside the caller's transaction).
    pub fn record(
        &self,
        conn: &mut DbConn,
        now: NaiveDateTime,
        action: &str,
        entity_type: &str,
        entity_id: Option<String>,
        changes: serde_json::Value,
    ) -> Result<(), DbError> {
        let version = utblick_db::versions::current(conn, entity_type, entity_id.as_deref())?;
        let event = NewAuditEvent {
            entity_version: version,
            ..self.event(now, action, entity_type, entity_id, changes)
        };
        utblick_db::audit::insert_audit_event(conn, &event)
    }
}
