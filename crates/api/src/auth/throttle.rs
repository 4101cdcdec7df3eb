//! Login throttling per account and per client address, stored in the database so that
//! every instance behind a load balancer sees the same counts.

use chrono::{Duration, NaiveDateTime};
use utblick_db::models::ThrottleRow;
use utblick_db::{DbConn, DbError, identity};

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn client_key(ip: &str) -> String {
    format!("client:{ip}")
}

/// Seconds until the longest block among `keys` ends, if any is blocked.
pub fn retry_after(conn: &mut DbConn, keys: &[String], now: NaiveDateTime) -> Result<Option<i64>, DbError> {
    let mut wait: Option<i64> = None;
    for key in keys {
        if let Some(until) = identity::get_throttle(conn, key)?.and_then(|r| r.blocked_until)
            && until > now
        {
            let secs = (until - now).num_seconds().max(1);
            wait = Some(wait.map_or(secs, |w| w.max(secs)));
        }
    }
    Ok(wait)
}

/// The state after one more failure: counts within a window, blocks at `limit`.
pub fn after_failure(
    row: Option<ThrottleRow>,
    key: &str,
    limit: i32,
    window: Duration,
    now: NaiveDateTime,
) -> ThrottleRow {
    let mut row = match row {
        Some(r) if now - r.window_start < window => r,
        _ => ThrottleRow { key: key.to_owned(), failures: 0, window_start: now, blocked_until: None },
    };
    row.failures += 1;
    if row.failures >= limit {
        row.blocked_until = Some(now + window);
    }
    row
}

pub fn record_failure(
    conn: &mut DbConn,
    key: &str,
    limit: i32,
    window: Duration,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let row = after_failure(identity::get_throttle(conn, key)?, key, limit, window, now);
    identity::put_throttle(conn, &row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(min: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap() + Duration::minutes(min)
    }

    #[test]
    fn blocks_at_the_limit_within_the_window_and_forgets_after_it() {
        let w = Duration::minutes(15);
        let mut row = None;
        for i in 0..4 {
            let r = after_failure(row, "account:a@b.se", 5, w, t(i));
            assert_eq!(r.blocked_until, None);
            row = Some(r);
        }
        let blocked = after_failure(row, "account:a@b.se", 5, w, t(4));
        assert_eq!(blocked.blocked_until, Some(t(19)));
        let later = after_failure(Some(blocked), "account:a@b.se", 5, w, t(40));
        assert_eq!((later.failures, later.blocked_until), (1, None), "a new window starts");
    }
}
