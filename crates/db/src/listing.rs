//! What every list shares: the archived filter, text search, the order, and reading a
//! whole list as one consistent snapshot (exports).

use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;

/// Which records a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Archived {
    /// Current ones only (the default).
    #[default]
    Hide,
    /// Archived ones only.
    Only,
    /// Both.
    Include,
}

/// The order of a list: a resource's sort key, ascending or descending. Ties are broken by
/// id in the same direction, so pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub descending: bool,
}

impl<K> Sort<K> {
    pub fn asc(key: K) -> Self {
        Self { key, descending: false }
    }
    pub fn desc(key: K) -> Self {
        Self { key, descending: true }
    }
}

impl<K: Default> Default for Sort<K> {
    fn default() -> Self {
        Self::asc(K::default())
    }
}

/// A list filter that an export narrows to one batch of ids at a time: it reads the whole
/// list's ids in order once (one sort), then the rows batch by batch, which keeps a long
/// export linear where OFFSET paging would be quadratic.
pub trait ByIds: Clone {
    fn only(&self, ids: &[i64]) -> Self;
}

macro_rules! by_ids {
    ($filter:ty) => {
        impl $crate::listing::ByIds for $filter {
            fn only(&self, ids: &[i64]) -> Self {
                Self { ids: Some(ids.to_vec()), ..self.clone() }
            }
        }
    };
}
pub(crate) use by_ids;

/// `%` and `_` in the search text are literal characters, not wildcards.
pub(crate) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The LIKE pattern that finds `text` anywhere, ignoring case (compare with `lower(…)` and
/// `ESCAPE '\'`).
pub(crate) fn like_pattern(text: &str) -> String {
    format!("%{}%", escape_like(&text.to_lowercase()))
}

/// A condition true when any of `columns` (raw column names of the queried table) contains
/// `text`, ignoring case. Case is folded by `lower()`, which is Unicode-aware on both
/// backends (SQLite connections get a Unicode `lower`, see `conn::establish`), so `örebro`
/// finds `Örebro`.
pub(crate) fn text_matches<QS: 'static>(
    columns: &[&'static str],
    text: &str,
) -> Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>> {
    let pattern = like_pattern(text);
    let mut cond: Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>> =
        Box::new(diesel::dsl::sql::<Bool>("1 = 0"));
    for column in columns {
        let one = diesel::dsl::sql::<Bool>(&format!("lower(coalesce({column}, '')) LIKE "))
            .bind::<Text, _>(pattern.clone())
            .sql(" ESCAPE '\\'");
        cond = Box::new(cond.or(one));
    }
    cond
}

/// `expr COLLATE sv`: text in Swedish alphabetical order (Å, Ä, Ö after Z, case ignored).
/// SQLite connections register `sv` with the domain's `swedish_cmp`; on PostgreSQL a
/// migration creates `sv` from ICU's `sv-SE`.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId, diesel::expression::ValidGrouping)]
pub struct Swedish<E>(pub E);

impl<E: Expression> Expression for Swedish<E> {
    type SqlType = E::SqlType;
}

impl<E, DB> diesel::query_builder::QueryFragment<DB> for Swedish<E>
where
    DB: diesel::backend::Backend,
    E: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" COLLATE sv");
        Ok(())
    }
}

impl<E: AppearsOnTable<QS>, QS: ?Sized> AppearsOnTable<QS> for Swedish<E> {}
impl<E: SelectableExpression<QS>, QS: ?Sized> SelectableExpression<QS> for Swedish<E> {}

/// Orders a boxed query by `$col` then id, both in the sort's direction; for nullable
/// columns empty values come last either way (the backends disagree on where NULL sorts);
/// `text` columns (names, titles) in Swedish order.
macro_rules! order_by {
    ($q:expr, $desc:expr, text $col:expr, $id:expr) => {{
        let col = $crate::listing::Swedish($col);
        if $desc { $q.order((col.desc(), $id.desc())) } else { $q.order((col.asc(), $id.asc())) }
    }};
    ($q:expr, $desc:expr, $col:expr, $id:expr) => {
        if $desc { $q.order(($col.desc(), $id.desc())) } else { $q.order(($col.asc(), $id.asc())) }
    };
    ($q:expr, $desc:expr, nullable $col:expr, $id:expr) => {
        if $desc {
            $q.order(($col.is_null(), $col.desc(), $id.desc()))
        } else {
            $q.order(($col.is_null(), $col.asc(), $id.asc()))
        }
    };
}
pub(crate) use order_by;

/// Runs `f` in a read-only transaction that sees one snapshot of the database, so a list
/// read in several batches (an export) is consistent even while others write.
pub fn read_snapshot<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<DbError> + From<diesel::result::Error>,
{
    use diesel::connection::SimpleConnection;
    conn.transaction::<T, E, _>(|conn| {
        if let DbConn::Pg(pg) = conn {
            // SQLite's transactions are snapshots already; PostgreSQL's default (read
            // committed) sees other commits statement by statement.
            pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .map_err(DbError::from)?;
        }
        f(conn)
    })
}

/// The row offset of a page, as the database takes it.
pub fn offset(skip: u64) -> Result<i64, crate::error::DbError> {
    i64::try_from(skip).map_err(|_| crate::error::DbError::Corrupt("offset out of range".into()))
}

/// A register's list filter: its own fields, then its order (`sort`, by the keys of the
/// sort enum it defines beside it) and `ids` (an export reads its ids once, then its rows
/// by batches of ids).
macro_rules! list_filter {
    (
        $(#[$fm:meta])* pub struct $filter:ident { $($fields:tt)* }
        $(#[$sm:meta])* pub enum $sort:ident { $($keys:tt)* }
    ) => {
        $(#[$fm])*
        #[derive(Debug, Clone)]
        pub struct $filter {
            $($fields)*
            pub sort: $crate::listing::Sort<$sort>,
            /// Only these records (an export reads its ids once, then its rows by batches of ids).
            pub ids: Option<Vec<i64>>,
        }

        $(#[$sm])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $sort { $($keys)* }
    };
}
pub(crate) use list_filter;

/// `?archived=`: hides archived records, shows only them, or both.
macro_rules! archived {
    ($q:ident, $column:path, $archived:expr) => {
        match $archived {
            $crate::listing::Archived::Hide => $q = $q.filter($column.is_null()),
            $crate::listing::Archived::Only => $q = $q.filter($column.is_not_null()),
            $crate::listing::Archived::Include => {}
        }
    };
}
pub(crate) use archived;

/// One condition for each filter value that is given (`None`: no condition), as
/// `value => op column` with `op` a comparison of diesel's (`eq`, `ge`, `le`, `lt`,
/// `eq_any` for an export's batch of ids).
macro_rules! where_given {
    ($q:ident, $($value:expr => $op:ident $column:path),+ $(,)?) => {
        $(
            if let Some(v) = &$value {
                $q = $q.filter($column.$op(v.clone()));
            }
        )+
    };
}
pub(crate) use where_given;

/// A register's list reads, written once from its module's `filtered` and `ordered`
/// queries: how many match, their ids in order (an export's snapshot), and — for a list
/// of plain rows — a page of them.
///
/// `count n kept when unfiltered`: the register's total is kept in `register_totals` (by
/// triggers, see the migration `register_totals`), and read from there when `unfiltered`
/// says the filter holds nothing but `archived`.
macro_rules! list_reads {
    ($table:ident, $filter:ty, count $count:ident $(kept when $unfiltered:path)?, ids $ids:ident $(, page $page:ident -> $row:ty)?) => {
        pub fn $count(conn: &mut DbConn, f: &$filter) -> Result<i64, DbError> {
            $(
                if $unfiltered(f) {
                    if let Some(n) = $crate::listing::kept_total(conn, stringify!($table), f.archived)? {
                        return Ok(n);
                    }
                }
            )?
            Ok(filtered(f).count().get_result(conn)?)
        }

        /// The ids of the whole filtered list, in its order.
        pub fn $ids(conn: &mut DbConn, f: &$filter) -> Result<Vec<i64>, DbError> {
            Ok(ordered(f).select($table::id).load(conn)?)
        }

        $(
            /// A page of the filtered list, in its order.
            pub fn $page(conn: &mut DbConn, f: &$filter, skip: u64, limit: u32) -> Result<Vec<$row>, DbError> {
                let q = ordered(f).select(<$row>::as_select());
                Ok(q.offset($crate::listing::offset(skip)?).limit(i64::from(limit)).load(conn)?)
            }
        )?
    };
}
pub(crate) use list_reads;

/// A register's total as `register_totals` keeps it, for the archived filter given; `None`
/// when the register's total is not kept.
pub(crate) fn kept_total(
    conn: &mut DbConn,
    register: &str,
    archived: Archived,
) -> Result<Option<i64>, DbError> {
    use crate::schema::register_totals as t;
    let Some((current, gone)) =
        t::table.find(register).select((t::current, t::archived)).first::<(i64, i64)>(conn).optional()?
    else {
        return Ok(None);
    };
    Ok(Some(match archived {
        Archived::Hide => current,
        Archived::Only => gone,
        Archived::Include => current + gone,
    }))
}

/// A register's record by id, a new one stored at version 1 (with any `extra` columns), and
/// a change stored only if the record is still at the `expected` version (`None` when someone
/// changed it since).
macro_rules! versioned_writes {
    ($table:ident, $fields:ty => $row:ty, get $get:ident, insert $insert:ident $([$($extra:expr),*])?, update $update:ident) => {
        pub fn $get(conn: &mut DbConn, id: i64) -> Result<Option<$row>, DbError> {
            Ok($table::table.find(id).select(<$row>::as_select()).first(conn).optional()?)
        }

        pub fn $insert(conn: &mut DbConn, f: &$fields, now: NaiveDateTime) -> Result<$row, DbError> {
            let stamps = ($table::version.eq(1), $table::created_at.eq(now), $table::updated_at.eq(now));
            Ok(diesel::insert_into($table::table)
                .values((f, $($($extra,)*)? stamps))
                .returning($table::all_columns)
                .get_result(conn)?)
        }

        /// Replaces the fields if the stored version is still `expected`; `None` otherwise.
        pub fn $update(
            conn: &mut DbConn,
            id: i64,
            expected: i32,
            f: &$fields,
            now: NaiveDateTime,
        ) -> Result<Option<$row>, DbError> {
            let n = diesel::update($table::table.filter($table::id.eq(id)).filter($table::version.eq(expected)))
                .set((f, $table::version.eq(expected + 1), $table::updated_at.eq(now)))
                .execute(conn)?;
            if n == 0 { Ok(None) } else { $get(conn, id) }
        }
    };
}
pub(crate) use versioned_writes;

/// Archives a record (or restores it, with `None`) if it is still at the `expected` version:
/// false when someone changed it since.
macro_rules! archive_write {
    ($table:ident, $name:ident) => {
        pub fn $name(
            conn: &mut DbConn,
            id: i64,
            expected: i32,
            archived_at: Option<NaiveDateTime>,
            now: NaiveDateTime,
        ) -> Result<bool, DbError> {
            let current = $table::table.filter($table::id.eq(id)).filter($table::version.eq(expected));
            let stamps = ($table::version.eq(expected + 1), $table::updated_at.eq(now));
            let n =
                diesel::update(current).set(($table::archived_at.eq(archived_at), stamps)).execute(conn)?;
            Ok(n > 0)
        }
    };
}
pub(crate) use archive_write;
