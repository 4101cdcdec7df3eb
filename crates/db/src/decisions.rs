//! The decisions register.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::models::{DecisionFields, DecisionRow};
use crate::schema::decisions;

pub use crate::listing::Archived;
use crate::listing::{
    Sort, archive_write, archived, list_filter, list_reads, order_by, text_matches, versioned_writes,
    where_given,
};

list_filter! {
    /// Filters, search and order of the list.
    pub struct DecisionFilter {
        pub body: Option<String>,
        /// Words to find in the subject or the registry number.
        pub q: Option<String>,
        pub archived: Archived,
        pub from: Option<chrono::NaiveDate>,
        pub to: Option<chrono::NaiveDate>,
    }

    /// What the list can be ordered by.
    pub enum DecisionSort {
        #[default]
        DecidedOn,
        Subject,
        Diarienummer,
    }
}

impl Default for DecisionFilter {
    /// Everything current, newest first.
    fn default() -> Self {
        Self {
            body: None,
            q: None,
            archived: Archived::Hide,
            from: None,
            to: None,
            sort: Sort::desc(DecisionSort::DecidedOn),
            ids: None,
        }
    }
}

fn filtered(f: &DecisionFilter) -> decisions::BoxedQuery<'static, MultiBackend> {
    let mut q = decisions::table.into_boxed();
    archived!(q, decisions::archived_at, f.archived);
    where_given!(
        q,
        f.body => eq decisions::body,
        f.from => ge decisions::decided_on,
        f.to => le decisions::decided_on,
    );
    if let Some(text) = &f.q {
        q = q.filter(text_matches(
            &["subject", "diarienummer", "diarienummer_as_registered", "paragraph"],
            text,
        ));
    }
    where_given!(q, f.ids => eq_any decisions::id);
    q
}

/// The filtered list in the filter's order.
fn ordered(f: &DecisionFilter) -> decisions::BoxedQuery<'static, MultiBackend> {
    let q = filtered(f);
    let (desc, id) = (f.sort.descending, decisions::id);
    match f.sort.key {
        DecisionSort::DecidedOn => order_by!(q, desc, decisions::decided_on, id),
        DecisionSort::Subject => order_by!(q, desc, text decisions::subject, id),
        DecisionSort::Diarienummer => order_by!(q, desc, decisions::diarienummer, id),
    }
}

/// Nothing but `archived` (and an order): the kept total answers the count.
fn unfiltered(f: &DecisionFilter) -> bool {
    // Every field named, so that a new filter cannot be forgotten here.
    let DecisionFilter { body, q, archived: _, from, to, sort: _, ids } = f;
    body.is_none() && q.is_none() && from.is_none() && to.is_none() && ids.is_none()
}

list_reads!(decisions, DecisionFilter, count count_decisions kept when unfiltered, ids decision_ids, page list_decisions -> DecisionRow);

versioned_writes!(decisions, DecisionFields => DecisionRow, get get_decision, insert insert_decision, update update_decision);

archive_write!(decisions, set_decision_archived);

crate::listing::by_ids!(DecisionFilter);
