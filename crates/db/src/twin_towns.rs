//! Twin towns.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use utblick_domain::governance::TwinTownStatus;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{
    Archived, archive_write, archived, list_filter, list_reads, order_by, text_matches, versioned_writes,
    where_given,
};
use crate::models::{TwinTownFields, TwinTownRow};
use crate::schema::twin_towns;

list_filter! {
    #[derive(Default)]
    pub struct TwinTownFilter {
        pub status: Option<String>,
        pub country: Option<String>,
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the list can be ordered by.
    pub enum TwinTownSort {
        #[default]
        Town,
        Country,
        Since,
        Status,
    }
}

fn filtered(f: &TwinTownFilter) -> twin_towns::BoxedQuery<'static, MultiBackend> {
    let mut q = twin_towns::table.into_boxed();
    archived!(q, twin_towns::archived_at, f.archived);
    where_given!(q, f.status => eq twin_towns::status, f.country => eq twin_towns::country);
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["town", "region", "country"], text));
    }
    where_given!(q, f.ids => eq_any twin_towns::id);
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &TwinTownFilter) -> twin_towns::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, twin_towns::id);
    match f.sort.key {
        TwinTownSort::Town => order_by!(q, desc, text twin_towns::town, id),
        TwinTownSort::Country => order_by!(q, desc, twin_towns::country, id),
        TwinTownSort::Since => order_by!(q, desc, nullable twin_towns::since, id),
        TwinTownSort::Status => order_by!(q, desc, twin_towns::status, id),
    }
}

list_reads!(twin_towns, TwinTownFilter, count count_twin_towns, ids twin_town_ids, page list_twin_towns -> TwinTownRow);

versioned_writes!(twin_towns, TwinTownFields => TwinTownRow, get get_twin_town,
    insert insert_twin_town [twin_towns::status.eq(TwinTownStatus::Proposed.code())], update update_twin_town);

pub fn set_twin_town_status(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    status: &str,
    decision_id: Option<i64>,
    since: Option<NaiveDate>,
    now: NaiveDateTime,
) -> Result<Option<TwinTownRow>, DbError> {
    let n = diesel::update(
        twin_towns::table.filter(twin_towns::id.eq(id)).filter(twin_towns::version.eq(expected)),
    )
    .set((
        twin_towns::status.eq(status),
        twin_towns::status_decision_id.eq(decision_id),
        twin_towns::since.eq(since),
        twin_towns::version.eq(expected + 1),
        twin_towns::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 { Ok(None) } else { get_twin_town(conn, id) }
}

archive_write!(twin_towns, set_twin_town_archived);

crate::listing::by_ids!(TwinTownFilter);
