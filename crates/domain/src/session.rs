//! Sessions: what a refresh token presented a second time means.
//!
//! Each refresh token works once and is replaced by a new one. A spent token presented
//! again is usually a stolen copy, and the session ends. But a browser that navigates away
//! while a refresh is under way can lose the answer — the new token — and present the spent
//! one again a moment later. That is a retry, not a theft, as long as it comes within
//! [`RETRY_GRACE_SECONDS`] and the token it lost has not been used.

use chrono::{Duration, NaiveDateTime};

/// How long after a refresh its spent token may come back as a retry.
pub const RETRY_GRACE_SECONDS: i64 = 20;

/// What a spent refresh token presented again is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// The client lost the answer: spend the token it never received and give a new one.
    Retry,
    /// A copy is in someone else's hands: end the session.
    Theft,
}

/// Decides a second use of a refresh token spent at `spent_at`; `successor_used` says
/// whether a token issued since has been used.
pub fn reuse(spent_at: NaiveDateTime, now: NaiveDateTime, successor_used: bool) -> Reuse {
    if !successor_used && now - spent_at <= Duration::seconds(RETRY_GRACE_SECONDS) && now >= spent_at {
        Reuse::Retry
    } else {
        Reuse::Theft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(sec: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap() + Duration::seconds(sec)
    }

    #[test]
    fn a_quick_second_use_whose_successor_is_unused_is_a_retry() {
        assert_eq!(reuse(t(0), t(3), false), Reuse::Retry);
        assert_eq!(reuse(t(0), t(RETRY_GRACE_SECONDS), false), Reuse::Retry);
    }

    #[test]
    fn late_or_after_the_successor_was_used_it_is_theft() {
        assert_eq!(reuse(t(0), t(RETRY_GRACE_SECONDS + 1), false), Reuse::Theft);
        assert_eq!(reuse(t(0), t(1), true), Reuse::Theft);
        assert_eq!(reuse(t(10), t(0), false), Reuse::Theft, "a clock that went back proves nothing");
    }
}
