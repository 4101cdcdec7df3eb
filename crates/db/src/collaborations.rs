//! Collaborations and network memberships, with their partner organisations.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use utblick_domain::governance::CollaborationStatus;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{
    Archived, archive_write, archived, list_filter, list_reads, order_by, text_matches, where_given,
};
use crate::models::{CollaborationFields, CollaborationRow, PartnerFields, PartnerRow};
use crate::schema::{collaboration_partners, collaborations};

list_filter! {
    #[derive(Default)]
    pub struct CollaborationFilter {
        pub kind: Option<String>,
        pub status: Option<String>,
        pub owner_organisation_id: Option<i64>,
        /// Words in the name, the purpose or a partner's name.
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the list can be ordered by.
    pub enum CollaborationSort {
        #[default]
        Name,
        PeriodFrom,
        PeriodTo,
        Status,
    }
}

fn filtered(f: &CollaborationFilter) -> collaborations::BoxedQuery<'static, MultiBackend> {
    let mut q = collaborations::table.into_boxed();
    archived!(q, collaborations::archived_at, f.archived);
    where_given!(
        q,
        f.kind => eq collaborations::kind,
        f.status => eq collaborations::status,
        f.owner_organisation_id => eq collaborations::owner_organisation_id,
    );
    if let Some(text) = &f.q {
        let partner_named = diesel::dsl::sql::<diesel::sql_types::Bool>(
            "collaborations.id IN (SELECT collaboration_id FROM collaboration_partners \
             WHERE lower(name) LIKE ",
        )
        .bind::<diesel::sql_types::Text, _>(crate::listing::like_pattern(text))
        .sql(" ESCAPE '\\')");
        q = q
            .filter(text_matches(&["collaborations.name", "collaborations.purpose"], text).or(partner_named));
    }
    where_given!(q, f.ids => eq_any collaborations::id);
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &CollaborationFilter) -> collaborations::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, collaborations::id);
    match f.sort.key {
        CollaborationSort::Name => order_by!(q, desc, text collaborations::name, id),
        CollaborationSort::PeriodFrom => order_by!(q, desc, nullable collaborations::period_from, id),
        CollaborationSort::PeriodTo => order_by!(q, desc, nullable collaborations::period_to, id),
        CollaborationSort::Status => order_by!(q, desc, collaborations::status, id),
    }
}

list_reads!(collaborations, CollaborationFilter, count count_collaborations, ids collaboration_ids);

pub fn list_collaborations(
    conn: &mut DbConn,
    f: &CollaborationFilter,
    skip: u64,
    limit: u32,
) -> Result<Vec<(CollaborationRow, Vec<PartnerRow>)>, DbError> {
    let q = ordered(f).select(CollaborationRow::as_select());
    let rows: Vec<CollaborationRow> =
        q.offset(crate::listing::offset(skip)?).limit(i64::from(limit)).load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let partners: Vec<PartnerRow> = collaboration_partners::table
        .filter(collaboration_partners::collaboration_id.eq_any(&ids))
        .order((collaboration_partners::collaboration_id.asc(), collaboration_partners::position.asc()))
        .select(PartnerRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = partners.iter().filter(|p| p.collaboration_id == r.id).cloned().collect();
            (r, mine)
        })
        .collect())
}

pub fn get_collaboration(
    conn: &mut DbConn,
    id: i64,
) -> Result<Option<(CollaborationRow, Vec<PartnerRow>)>, DbError> {
    let Some(row) =
        collaborations::table.find(id).select(CollaborationRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    let partners = collaboration_partners::table
        .filter(collaboration_partners::collaboration_id.eq(id))
        .order(collaboration_partners::position.asc())
        .select(PartnerRow::as_select())
        .load(conn)?;
    Ok(Some((row, partners)))
}

fn put_partners(conn: &mut DbConn, id: i64, partners: &[PartnerFields]) -> Result<(), DbError> {
    diesel::delete(collaboration_partners::table.filter(collaboration_partners::collaboration_id.eq(id)))
        .execute(conn)?;
    for (i, p) in partners.iter().enumerate() {
        diesel::insert_into(collaboration_partners::table)
            .values((
                collaboration_partners::collaboration_id.eq(id),
                collaboration_partners::position.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                collaboration_partners::name.eq(&p.name),
                collaboration_partners::country.eq(&p.country),
                collaboration_partners::kind.eq(&p.kind),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_collaboration(
    conn: &mut DbConn,
    f: &CollaborationFields,
    partners: &[PartnerFields],
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let id: i64 = diesel::insert_into(collaborations::table)
        .values((
            f,
            collaborations::status.eq(CollaborationStatus::Proposed.code()),
            collaborations::version.eq(1),
            collaborations::created_at.eq(now),
            collaborations::updated_at.eq(now),
        ))
        .returning(collaborations::id)
        .get_result(conn)?;
    put_partners(conn, id, partners)?;
    Ok(id)
}

pub fn update_collaboration(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &CollaborationFields,
    partners: &[PartnerFields],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        collaborations::table.filter(collaborations::id.eq(id)).filter(collaborations::version.eq(expected)),
    )
    .set((f, collaborations::version.eq(expected + 1), collaborations::updated_at.eq(now)))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    put_partners(conn, id, partners)?;
    Ok(true)
}

pub fn set_collaboration_status(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    status: &str,
    decision_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        collaborations::table.filter(collaborations::id.eq(id)).filter(collaborations::version.eq(expected)),
    )
    .set((
        collaborations::status.eq(status),
        collaborations::status_decision_id.eq(decision_id),
        collaborations::version.eq(expected + 1),
        collaborations::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

archive_write!(collaborations, set_collaboration_archived);

crate::listing::by_ids!(CollaborationFilter);
