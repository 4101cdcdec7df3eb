//! Dates people and machines give: within a range that makes sense for a municipality's
//! records, so that a typo such as year 20260 or a negative year is refused, not stored
//! (and sorted first).

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::FieldError;

/// The first year a date may have.
pub const EARLIEST_YEAR: i32 = 1900;
/// The last year a date may have.
pub const LATEST_YEAR: i32 = 2199;

fn out_of_range(field: &str) -> FieldError {
    FieldError::rule(
        field,
        "out_of_range",
        format!("must be between {EARLIEST_YEAR}-01-01 and {LATEST_YEAR}-12-31"),
        format!("måste ligga mellan {EARLIEST_YEAR}-01-01 och {LATEST_YEAR}-12-31"),
    )
    .with("min", format!("{EARLIEST_YEAR}-01-01"))
    .with("max", format!("{LATEST_YEAR}-12-31"))
}

/// A day within the range.
pub fn check_day(field: &str, day: NaiveDate) -> Result<NaiveDate, FieldError> {
    use chrono::Datelike;
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&day.year()) { Ok(day) } else { Err(out_of_range(field)) }
}

/// A day that must be given, in range.
pub fn required_day(field: &str, day: Option<NaiveDate>) -> Result<NaiveDate, FieldError> {
    let day = day.ok_or_else(|| FieldError::rule(field, "required", "is required", "måste anges"))?;
    check_day(field, day)
}

/// An optional day within the range.
pub fn check_optional_day(field: &str, day: Option<NaiveDate>) -> Result<Option<NaiveDate>, FieldError> {
    day.map(|d| check_day(field, d)).transpose()
}

/// A moment within the range.
pub fn check_moment(field: &str, moment: NaiveDateTime) -> Result<NaiveDateTime, FieldError> {
    check_day(field, moment.date()).map(|_| moment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 6, 1).unwrap()
    }

    #[test]
    fn years_1900_to_2199_pass_and_nothing_else() {
        for ok in [1900, 2016, 2026, 2199] {
            assert_eq!(check_day("decided_on", d(ok)), Ok(d(ok)));
        }
        for bad in [-1, 0, 1899, 2200, 10000] {
            let e = check_day("decided_on", d(bad)).unwrap_err();
            assert_eq!(e.field, "decided_on");
            assert_eq!(e.message, "must be between 1900-01-01 and 2199-12-31");
        }
        assert_eq!(check_optional_day("x", None), Ok(None));
        assert!(check_moment("expires_at", d(2300).and_hms_opt(0, 0, 0).unwrap()).is_err());
    }
}
