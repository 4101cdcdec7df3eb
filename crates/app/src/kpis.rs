//! KPI values for the scorecards: for each reporting year, the KPIs of the domain
//! ([`utblick_domain::kpi`]) read from that year's compilation — as the council was told it
//! when the compilation is final or presented (its frozen snapshot: the scorecard shows what
//! the council saw), else computed from the data as it is now.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use utblick_db::DbConn;
use utblick_db::reports as reports_repo;
use utblick_domain::kpi::{KpiValue, values};

use crate::AppError;
use crate::compilations::{compute, thawed, told_version};

/// The KPI values of frozen compilation versions, kept once read: a version never changes,
/// so its values are read from its snapshot once per server (a scorecard suite reads the
/// same years again and again). Keyed by compilation id and version number; one per
/// database, as the server holds one.
#[derive(Debug, Default)]
pub struct FrozenValues {
    kept: Mutex<HashMap<Version, Arc<Vec<KpiValue>>>>,
}

/// A frozen compilation version: its compilation's id and its number.
type Version = (i64, i32);

impl FrozenValues {
    /// The most versions kept (ten years of compilations, each corrected a few times).
    const MAX: usize = 64;

    fn get(&self, key: Version) -> Option<Arc<Vec<KpiValue>>> {
        self.kept.lock().ok()?.get(&key).cloned()
    }

    fn keep(&self, key: Version, values: Arc<Vec<KpiValue>>) {
        if let Ok(mut kept) = self.kept.lock() {
            if kept.len() >= Self::MAX {
                kept.clear();
            }
            kept.insert(key, values);
        }
    }
}

/// The KPI values of one year, and whether they come from a frozen compilation.
#[derive(Debug, Clone, PartialEq)]
pub struct YearValues {
    pub year: i32,
    pub frozen: bool,
    pub values: Arc<Vec<KpiValue>>,
}

/// The KPI values of every reporting year in `years` (every reporting year when `None`),
/// oldest first. A year without a reporting year has no values. A frozen year's values are
/// taken from `kept` when it has them (and kept there once read).
pub fn values_of_years(
    conn: &mut DbConn,
    years: Option<&[i32]>,
    today: NaiveDate,
    kept: Option<&FrozenValues>,
) -> Result<Vec<YearValues>, AppError> {
    let mut all = reports_repo::list_reporting_years(conn)?;
    all.retain(|y| years.is_none_or(|ys| ys.contains(&y.year)));
    all.sort_by_key(|y| y.year);
    let mut out = Vec::with_capacity(all.len());
    for ry in all {
        let frozen = match told_version(conn, ry.year)? {
            None => None,
            Some(version) => match kept.and_then(|k| k.get(version)) {
                Some(values) => Some(values),
                None => match thawed(conn, version)? {
                    None => None,
                    Some(compilation) => {
                        let values = Arc::new(values(&compilation));
                        if let Some(k) = kept {
                            k.keep(version, values.clone());
                        }
                        Some(values)
                    }
                },
            },
        };
        let (values, frozen) = match frozen {
            Some(values) => (values, true),
            None => (Arc::new(values(&compute(conn, &ry, today)?)), false),
        };
        out.push(YearValues { year: ry.year, frozen, values });
    }
    Ok(out)
}
