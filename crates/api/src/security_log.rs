//! The security-event log: failed and throttled sign-ins, refused refresh tokens, refused
//! cross-site requests. Anyone can cause these events, so they are kept apart from the
//! audit log (the permanent record of changes): they are written at a limited rate — per
//! client address and in total, per minute — and deleted after the retention period. The
//! events a limit leaves unwritten are counted into the client's next written row
//! (`suppressed`), so the log still tells how much happened.

use crate::error::ApiError;
use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::web;
use chrono::{Duration, NaiveDateTime};
use utblick_db::models::NewSecurityEvent;
use utblick_db::{DbPool, security};

use utblick_domain::access::SecurityEventKind;

use crate::auth::AuditContext;
use crate::settings::AuthSettings;

/// At most this many clients are remembered within one minute; beyond it, what they
/// leave unwritten is counted together.
const MAX_CLIENTS: usize = 10_000;

/// How often old events are pruned (at most).
const PRUNE_EVERY: Duration = Duration::hours(1);

/// One security event, before it is written.
#[derive(Debug, Clone)]
pub struct SecurityEvent {
    pub kind: SecurityEventKind,
    /// The account the event concerns (the e-mail address tried), if any.
    pub account: Option<String>,
    pub user_id: Option<i64>,
    pub detail: serde_json::Value,
}

impl SecurityEvent {
    /// An event of a sign-in attempt for `account` (the account's user when it exists).
    pub fn login(
        kind: SecurityEventKind,
        account: &str,
        user: Option<&utblick_db::models::UserRow>,
        detail: serde_json::Value,
    ) -> Self {
        Self { kind, account: Some(account.to_owned()), user_id: user.map(|u| u.id), detail }
    }

    /// An event of no account (a refused refresh, a cross-site request).
    pub fn anonymous(kind: SecurityEventKind, detail: serde_json::Value) -> Self {
        Self { kind, account: None, user_id: None, detail }
    }
}

#[derive(Debug, Default)]
struct Window {
    minute: i64,
    total: u32,
    /// Per client: events written this minute, and events left unwritten since its last row.
    clients: HashMap<String, (u32, i32)>,
    /// Unwritten events of clients beyond [`MAX_CLIENTS`].
    overflow: i32,
    last_prune: Option<NaiveDateTime>,
}

/// The rate-limited writer of security events, shared by all workers.
#[derive(Debug)]
pub struct SecurityLog {
    per_client: u32,
    total: u32,
    retention: Duration,
    window: Mutex<Window>,
}

/// What the rate limit decided for one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Write it, carrying this many earlier unwritten events; prune first if asked.
    Write {
        suppressed: i32,
        prune: bool,
    },
    Skip,
}

impl SecurityLog {
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            per_client: settings.security_log_per_client_per_minute,
            total: settings.security_log_per_minute,
            retention: Duration::days(settings.security_log_retention_days.max(1)),
            window: Mutex::new(Window::default()),
        }
    }

    /// The oldest moment an event is kept for, seen from `now`.
    pub fn cutoff(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - self.retention
    }

    fn decide(&self, client: &str, now: NaiveDateTime) -> Verdict {
        let Ok(mut w) = self.window.lock() else { return Verdict::Skip };
        let minute = now.and_utc().timestamp().div_euclid(60);
        // The window only moves forward: requests that began in the minute before reach this
        // point after one of the new minute, and must not open the old minute again (a burst
        // across a minute's turn wrote 66 rows where 20 were allowed).
        if minute > w.minute {
            w.minute = minute;
            w.total = 0;
            // Forget the counts of the old minute, keep what is still unwritten.
            w.clients.retain(|_, (n, suppressed)| {
                *n = 0;
                *suppressed > 0
            });
        }
        let known = w.clients.contains_key(client);
        if !known && w.clients.len() >= MAX_CLIENTS {
            w.overflow = w.overflow.saturating_add(1);
            return Verdict::Skip;
        }
        let (per_client, total) = (self.per_client, self.total);
        let over_total = w.total >= total;
        let entry = w.clients.entry(client.to_owned()).or_insert((0, 0));
        if over_total || entry.0 >= per_client {
            entry.1 = entry.1.saturating_add(1);
            return Verdict::Skip;
        }
        entry.0 += 1;
        let mut suppressed = std::mem::take(&mut entry.1);
        w.total += 1;
        suppressed = suppressed.saturating_add(std::mem::take(&mut w.overflow));
        let prune = w.last_prune.is_none_or(|t| now - t >= PRUNE_EVERY);
        if prune {
            w.last_prune = Some(now);
        }
        Verdict::Write { suppressed, prune }
    }

    /// Records the event of a refusal and returns the refusal's error.
    pub async fn refuse(
        &self,
        pool: &web::Data<DbPool>,
        who: &AuditContext,
        now: NaiveDateTime,
        e: SecurityEvent,
        err: ApiError,
    ) -> ApiError {
        self.record(pool, who, now, e).await;
        err
    }

    /// Writes the event unless the rate limit says no. Never fails the request: a failure
    /// to write is logged.
    pub async fn record(
        &self,
        pool: &web::Data<DbPool>,
        who: &AuditContext,
        now: NaiveDateTime,
        e: SecurityEvent,
    ) {
        let client = who.client_ip.clone().unwrap_or_else(|| "unknown".into());
        let Verdict::Write { suppressed, prune } = self.decide(&client, now) else { return };
        tracing::info!(kind = e.kind.code(), client = %client, account = e.account.as_deref(), suppressed, "security event");
        let row = NewSecurityEvent {
            occurred_at: now,
            kind: e.kind.code().to_owned(),
            client_ip: who.client_ip.clone(),
            account: e.account.map(|a| a.chars().take(254).collect()),
            user_id: e.user_id,
            request_id: who.request_id.clone(),
            detail: e.detail.to_string(),
            suppressed,
        };
        let cutoff = self.cutoff(now);
        let written = crate::routes::with_conn(pool, move |conn| {
            if prune {
                security::prune_security_events(conn, cutoff)?;
            }
            security::insert_security_event(conn, &row)
        })
        .await;
        if let Err(err) = written {
            tracing::warn!(error = %err, "could not write a security event");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn log(per_client: u32, total: u32) -> SecurityLog {
        SecurityLog {
            per_client,
            total,
            retention: Duration::days(90),
            window: Mutex::new(Window::default()),
        }
    }

    fn t(sec: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap() + Duration::seconds(sec)
    }

    #[test]
    fn writes_at_most_the_limit_per_client_and_minute_and_counts_the_rest() {
        let l = log(3, 100);
        let written: Vec<Verdict> = (0..10).map(|i| l.decide("10.0.0.1", t(i))).collect();
        assert_eq!(written.iter().filter(|v| matches!(v, Verdict::Write { .. })).count(), 3);
        assert_eq!(written[0], Verdict::Write { suppressed: 0, prune: true });
        assert_eq!(written[1], Verdict::Write { suppressed: 0, prune: false });
        // Another client is not held back by the first.
        assert!(matches!(l.decide("10.0.0.2", t(11)), Verdict::Write { suppressed: 0, .. }));
        // The next minute: the seven left unwritten are carried by the next row.
        assert_eq!(l.decide("10.0.0.1", t(61)), Verdict::Write { suppressed: 7, prune: false });
        assert_eq!(l.decide("10.0.0.1", t(62)), Verdict::Write { suppressed: 0, prune: false });
    }

    #[test]
    fn a_late_event_of_the_minute_before_does_not_open_it_again() {
        let l = log(3, 100);
        // Events of minute 0 and minute 1 arrive interleaved, as a burst across the turn does.
        let written = (0..40)
            .filter(|i| {
                matches!(l.decide("10.0.0.1", if i % 2 == 0 { t(59) } else { t(61) }), Verdict::Write { .. })
            })
            .count();
        // One in minute 0 before the turn; after it, the late ones of minute 0 count in minute
        // 1 with the rest: three there. (Before, each late one opened minute 0 again: 40.)
        assert_eq!(written, 4);
    }

    #[test]
    fn a_total_limit_holds_across_many_clients() {
        let l = log(10, 5);
        let n = (0..50)
            .filter(|i| matches!(l.decide(&format!("10.0.1.{i}"), t(1)), Verdict::Write { .. }))
            .count();
        assert_eq!(n, 5);
    }

    #[test]
    fn prunes_at_most_once_an_hour() {
        let l = log(100, 1000);
        assert!(matches!(l.decide("a", t(0)), Verdict::Write { prune: true, .. }));
        assert!(matches!(l.decide("a", t(1800)), Verdict::Write { prune: false, .. }));
        assert!(matches!(l.decide("a", t(3600)), Verdict::Write { prune: true, .. }));
        assert_eq!(l.cutoff(t(0)), t(0) - Duration::days(90));
    }
}
