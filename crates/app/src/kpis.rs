//! KPI values for the scorecards: for each reporting year, the KPIs of the domain
//! ([`utblick_domain::kpi`]) read from that year's compilation — as the council was told it
//! when the compilation is final or presented (its frozen snapshot: the scorecard shows what
//! the council saw), else computed from the data as it is now.

use chrono::NaiveDate;
use utblick_db::DbConn;
use utblick_db::reports as reports_repo;
use utblick_domain::kpi::{KpiValue, values};

use crate::AppError;
use crate::compilations::{compute, told};

/// The KPI values of one year, and whether they come from a frozen compilation.
#[derive(Debug, Clone, PartialEq)]
pub struct YearValues {
    pub year: i32,
    pub frozen: bool,
    pub values: Vec<KpiValue>,
}

/// The KPI values of every reporting year in `years` (every reporting year when `None`),
/// oldest first. A year without a reporting year has no values.
pub fn values_of_years(
    conn: &mut DbConn,
    years: Option<&[i32]>,
    today: NaiveDate,
) -> Result<Vec<YearValues>, AppError> {
    let mut all = reports_repo::list_reporting_years(conn)?;
    all.retain(|y| years.is_none_or(|ys| ys.contains(&y.year)));
    all.sort_by_key(|y| y.year);
    let mut out = Vec::with_capacity(all.len());
    for ry in all {
        let (compilation, frozen) = match told(conn, ry.year)? {
            Some(c) => (c, true),
            None => (compute(conn, &ry, today)?, false),
        };
        out.push(YearValues { year: ry.year, frozen, values: values(&compilation) });
    }
    Ok(out)
}
