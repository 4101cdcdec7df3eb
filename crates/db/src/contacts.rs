//! The contact network.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{
    Archived, archived, list_filter, list_reads, order_by, text_matches, versioned_writes, where_given,
};
use crate::models::{ContactFields, ContactRow};
use crate::schema::contacts;

list_filter! {
    #[derive(Default)]
    pub struct ContactFilter {
        pub organisation_id: Option<i64>,
        pub q: Option<String>,
        pub archived: Archived,
    }

    /// What the list can be ordered by.
    pub enum ContactSort {
        #[default]
        Name,
        TermFrom,
        TermTo,
    }
}

fn filtered(f: &ContactFilter) -> contacts::BoxedQuery<'static, MultiBackend> {
    let mut q = contacts::table.into_boxed();
    archived!(q, contacts::archived_at, f.archived);
    where_given!(q, f.organisation_id => eq contacts::organisation_id);
    if let Some(text) = &f.q {
        q = q.filter(text_matches(&["name", "title", "network_role", "email"], text));
    }
    where_given!(q, f.ids => eq_any contacts::id);
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

versioned_writes!(contacts, ContactFields => ContactRow, get get_contact, insert insert_contact, update update_contact);

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
