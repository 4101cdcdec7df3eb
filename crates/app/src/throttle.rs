//! Login throttling per account and per client address, stored in the database so that
//! every instance behind a load balancer sees the same counts. The rule is the domain's
//! ([`utblick_domain::throttle`]): an attempt is reserved, atomically, before its password
//! is checked.

use chrono::{Duration, NaiveDateTime};
use utblick_db::models::ThrottleRow;
use utblick_db::{DbConn, DbError, identity};
use utblick_domain::throttle::{self, Admission, Counter};

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn client_key(ip: &str) -> String {
    format!("client:{ip}")
}

fn counter(row: ThrottleRow) -> Counter {
    Counter { failures: row.failures, window_start: row.window_start, blocked_until: row.blocked_until }
}

fn row(key: &str, c: Counter) -> ThrottleRow {
    ThrottleRow {
        key: key.to_owned(),
        failures: c.failures,
        window_start: c.window_start,
        blocked_until: c.blocked_until,
    }
}

/// Reserves one attempt on every key (`(key, limit)`), inside the caller's write
/// transaction: all or none. `Err(seconds)` when any key is blocked (then nothing is
/// counted), with the longest wait.
pub fn reserve(
    conn: &mut DbConn,
    keys: &[(String, i32)],
    window: Duration,
    now: NaiveDateTime,
) -> Result<Result<(), i64>, DbError> {
    // Always lock in the same order, so two attempts cannot wait for each other.
    let mut keys: Vec<&(String, i32)> = keys.iter().collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    let mut admitted = Vec::with_capacity(keys.len());
    let mut wait: Option<i64> = None;
    for (key, limit) in keys {
        let current = identity::lock_throttle(conn, key, now)?.map(counter);
        match throttle::admit(current, *limit, window, now) {
            Admission::Admit(c) => admitted.push(row(key, c)),
            Admission::Refuse { retry_after } => {
                wait = Some(wait.map_or(retry_after, |w| w.max(retry_after)))
            }
        }
    }
    if let Some(wait) = wait {
        return Ok(Err(wait));
    }
    for r in &admitted {
        identity::put_throttle(conn, r)?;
    }
    Ok(Ok(()))
}

/// Gives back a successful attempt's reservation on `key` (inside the caller's write
/// transaction).
pub fn release(conn: &mut DbConn, key: &str, limit: i32, now: NaiveDateTime) -> Result<(), DbError> {
    if let Some(current) = identity::lock_throttle(conn, key, now)? {
        identity::put_throttle(conn, &row(key, throttle::release(counter(current), limit)))?;
    }
    Ok(())
}
