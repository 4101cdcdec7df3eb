//! The contact network.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{Archived, Sort, archived, list_reads, order_by, text_matches};
use crate::models::{ContactFields, ContactRow};
use crate::schema::contacts;

#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    pub organisation_id: Option<i64>,
    pub q: Option<String>,
    pub archived: Archived,
    pub sort: Sort<ContactSort>,
    /// Only these records (an export reads its ids once, then its rows by batches of ids).
    pub ids: Option<Vec<i64>>,
}

/// What the list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactSort {
    #[default]
    Name,
    TermFrom,
    TermTo,
}

fn filtered(f: &ContactFilter) -> contacts::BoxedQuery<'static, MultiBackend> {
    let mut q = contacts::table.into_boxed();
    archived!(q, contacts::archived_at, f.archived);
    if let Some(o) = f.organisation_id {
        q = q.filter(contacts::organisation_id.eq(o));
    }
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["name", "title", "network_role", "email"], text));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(contacts::id.eq_any(ids.clone()));
    }
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &ContactFilter) -> contacts::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, contacts::id);
    match f.sort.key {
        ContactSort::Name => order_by!(q, desc, text contacts::name, id),
        ContactSort::TermFrom => order_by!(q, desc, nullable contacts::term_from, id),
        ContactSort::TermTo => order_by!(q, desc, nullable contacts::term_to, id),
    }
}

list_reads!(contacts, ContactFilter, count count_contacts, ids contact_ids, page list_contacts -> ContactRow);

pub fn get_contact(conn: &mut DbConn, id: i64) -> Result<Option<ContactRow>, DbError> {
    Ok(contacts::table.find(id).select(ContactRow::as_select()).first(conn).optional()?)
}

pub fn insert_contact(
    conn: &mut DbConn,
    f: &ContactFields,
    now: NaiveDateTime,
) -> Result<ContactRow, DbError> {
    Ok(diesel::insert_into(contacts::table)
        .values((f, contacts::version.eq(1), contacts::created_at.eq(now), contacts::updated_at.eq(now)))
        .returning(contacts::all_columns)
        .get_result(conn)?)
}

pub fn update_contact(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    f: &ContactFields,
    now: NaiveDateTime,
) -> Result<Option<ContactRow>, DbError> {
    let n =
        diesel::update(contacts::table.filter(contacts::id.eq(id)).filter(contacts::version.eq(expected)))
            .set((f, contacts::version.eq(expected + 1), contacts::updated_at.eq(now)))
            .execute(conn)?;
    if n == 0 { Ok(None) } else { get_contact(conn, id) }
}

/// Anonymises a person: name and contact details replaced, the row (and everything that
/// refers to it) kept.
pub fn erase_contact(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    now: NaiveDateTime,
) -> Result<Option<ContactRow>, DbError> {
    let n =
        diesel::update(contacts::table.filter(contacts::id.eq(id)).filter(contacts::version.eq(expected)))
            .set((
                contacts::name.eq(format!("Borttagen person {id}")),
                contacts::title.eq(None::<String>),
                contacts::email.eq(None::<String>),
                contacts::phone.eq(None::<String>),
                contacts::erased_at.eq(now),
                contacts::version.eq(expected + 1),
                contacts::updated_at.eq(now),
            ))
            .execute(conn)?;
    if n == 0 { Ok(None) } else { get_contact(conn, id) }
}

crate::listing::by_ids!(ContactFilter);
