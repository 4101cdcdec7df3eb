//! The security-event log, for administrators: failed and throttled sign-ins, refused
//! refresh tokens and cross-site requests. Kept for a retention period, then deleted.

use actix_web::get;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utblick_db::models::SecurityEventRow;
use utblick_db::security::{self, SecurityEventFilter};
use utblick_domain::Action;
use utblick_domain::access::SecurityEventKind;
use utoipa::{IntoParams, ToSchema};

use crate::codes::schema;
use crate::error::ApiError;
use crate::routes::common::QueryParams;
use crate::routes::standard::page_of;

#[derive(Debug, Serialize, ToSchema)]
pub struct SecurityEventDto {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    #[schema(value_type = schema::SecurityEventKind)]
    pub kind: SecurityEventKind,
    /// The client's address (as the trusted proxy saw it).
    pub client_ip: Option<String>,
    /// The e-mail address tried, for sign-ins.
    pub account: Option<String>,
    /// The account's id, when the address belongs to one.
    pub user_id: Option<i64>,
    /// The request's X-Request-Id, to find its log lines.
    pub request_id: Option<String>,
    /// Details, such as the reason a sign-in failed.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// Events from this client left unwritten by the rate limit since its previous event.
    #[schema(minimum = 0)]
    pub suppressed: i32,
}

impl TryFrom<SecurityEventRow> for SecurityEventDto {
    type Error = ApiError;
    fn try_from(e: SecurityEventRow) -> Result<Self, ApiError> {
        Ok(Self {
            id: e.id,
            occurred_at: e.occurred_at.and_utc(),
            kind: SecurityEventKind::parse(&e.kind)
                .map_err(|e| ApiError::Internal(format!("stored kind: {e}")))?,
            client_ip: e.client_ip,
            account: e.account,
            user_id: e.user_id,
            request_id: e.request_id,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            suppressed: e.suppressed,
        })
    }
}

/// Filters; all optional, combined with AND.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SecurityEventQuery {
    #[param(value_type = Option<schema::SecurityEventKind>)]
    pub kind: Option<String>,
    /// Events from this client address.
    #[param(max_length = 64)]
    pub client_ip: Option<String>,
    /// Events about this e-mail address.
    #[param(max_length = 254)]
    pub account: Option<String>,
    /// From this moment (inclusive), RFC 3339.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub from: Option<String>,
    /// Until this moment (exclusive), RFC 3339.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub to: Option<String>,
}

impl SecurityEventQuery {
    fn filter(&self) -> Result<SecurityEventFilter, ApiError> {
        let mut p = QueryParams::new();
        let filter = SecurityEventFilter {
            kind: p.code::<SecurityEventKind>("kind", self.kind.as_deref()),
            client_ip: p.limited("client_ip", self.client_ip.as_deref(), 64),
            account: p.limited("account", self.account.as_deref(), 254).map(|a| a.trim().to_lowercase()),
            from: p.moment("from", self.from.as_deref()),
            to: p.moment("to", self.to.as_deref()),
        };
        p.finish()?;
        Ok(filter)
    }
}

page_of! {
    /// The security-event log, newest first.
    fn list_security_events, tag "audit", path "/security-events", query SecurityEventQuery,
    ok "A page of events.", page SecurityEventPage of SecurityEventDto, action Action::ReadSecurityLog,
    count security::count_security_events, list security::list_security_events,
    each |e, _| SecurityEventDto::try_from(e)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_security_events);
}
