//! Sign-in throttling: how many attempts an account or a client address may make within a
//! window before it is blocked.
//!
//! An attempt is *reserved* before the password is checked: the reservation is counted as
//! a failure at once, so any number of parallel attempts can never get more than `limit`
//! passwords checked within a window. A successful sign-in gives its reservation back
//! ([`release`]); a failed one keeps it.

use chrono::{Duration, NaiveDateTime};

/// The stored state of one throttled key (an account or a client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    /// Attempts reserved (failed, or still being checked) in the current window.
    pub failures: i32,
    pub window_start: NaiveDateTime,
    /// No attempt is checked before this moment.
    pub blocked_until: Option<NaiveDateTime>,
}

/// The answer to "may one more attempt be checked now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Yes; store this counter (the attempt is reserved in it).
    Admit(Counter),
    /// No; try again after this many seconds (at least 1).
    Refuse { retry_after: i64 },
}

/// Reserves one attempt against `current`, or refuses it while the key is blocked. The
/// attempt that reaches `limit` is still checked, and blocks every later one for `window`.
pub fn admit(current: Option<Counter>, limit: i32, window: Duration, now: NaiveDateTime) -> Admission {
    if let Some(until) = current.and_then(|c| c.blocked_until)
        && until > now
    {
        return Admission::Refuse { retry_after: (until - now).num_seconds().max(1) };
    }
    let mut c = match current {
        Some(c) if now - c.window_start < window && c.blocked_until.is_none() => c,
        _ => Counter { failures: 0, window_start: now, blocked_until: None },
    };
    c.failures += 1;
    if c.failures >= limit.max(1) {
        c.blocked_until = Some(now + window);
    }
    Admission::Admit(c)
}

/// Gives back one reservation (the attempt succeeded): the count goes down by one, and a
/// block that this very attempt set is lifted.
pub fn release(current: Counter, limit: i32) -> Counter {
    let failures = (current.failures - 1).max(0);
    Counter {
        failures,
        window_start: current.window_start,
        blocked_until: if failures < limit.max(1) { None } else { current.blocked_until },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn t(min: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn reserve(c: Option<Counter>, now: NaiveDateTime) -> Admission {
        admit(c, 5, Duration::minutes(15), now)
    }

    #[test]
    fn the_limit_th_attempt_is_checked_and_blocks_the_rest_for_the_window() {
        let mut c = None;
        for i in 0..5 {
            match reserve(c, t(0)) {
                Admission::Admit(next) => c = Some(next),
                Admission::Refuse { .. } => panic!("attempt {i} refused"),
            }
        }
        assert_eq!(c.and_then(|c| c.blocked_until), Some(t(15)));
        assert_eq!(reserve(c, t(1)), Admission::Refuse { retry_after: 14 * 60 });
        // After the block a new window starts.
        assert!(matches!(
            reserve(c, t(15)),
            Admission::Admit(Counter { failures: 1, blocked_until: None, .. })
        ));
    }

    #[test]
    fn an_old_window_is_forgotten() {
        let old = Counter { failures: 4, window_start: t(0), blocked_until: None };
        assert!(matches!(reserve(Some(old), t(20)), Admission::Admit(Counter { failures: 1, .. })));
        assert!(matches!(reserve(Some(old), t(10)), Admission::Admit(Counter { failures: 5, .. })));
    }

    #[test]
    fn a_success_gives_its_reservation_back() {
        let Admission::Admit(c) =
            reserve(Some(Counter { failures: 4, window_start: t(0), blocked_until: None }), t(1))
        else {
            panic!("admitted")
        };
        assert!(c.blocked_until.is_some(), "the fifth reservation blocks");
        let back = release(c, 5);
        assert_eq!((back.failures, back.blocked_until), (4, None));
        let zero = release(Counter { failures: 0, window_start: t(0), blocked_until: None }, 5);
        assert_eq!(zero.failures, 0);
    }

    proptest! {
        /// However attempts interleave within one window, at most `limit` are admitted.
        #[test]
        fn never_more_than_the_limit_within_a_window(limit in 1i32..30, attempts in 1usize..200, minutes in proptest::collection::vec(0i64..14, 200)) {
            let mut c = None;
            let mut admitted = 0;
            let mut times: Vec<i64> = minutes.into_iter().take(attempts).collect();
            times.sort_unstable();
            for m in times {
                if let Admission::Admit(next) = admit(c, limit, Duration::minutes(15), t(m)) {
                    admitted += 1;
                    c = Some(next);
                }
            }
            prop_assert!(admitted <= limit);
        }
    }
}
