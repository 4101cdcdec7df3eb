//! Storing and loading programmes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use utblick_domain::governance::{Adoption, DocumentVersions};
use utblick_domain::{Programme, ProgrammeStatus};

use crate::conn::{DbConn, MultiBackend};
use crate::error::DbError;
use crate::listing::{list_filter, order_by, text_matches, where_given};
use crate::models::{
    FrameworkRow, LinkedFramework, NewPriorityAreaRow, NewProgrammeRow, PriorityAreaRow,
    ProgrammeFrameworkRow, ProgrammeRecord, ProgrammeRow, WorkKindRow,
};
use crate::schema::{frameworks, priority_areas, programme_frameworks, programme_work_kinds, programmes};

/// Stores a programme version with its priority areas and work kinds, in one transaction.
pub fn insert_programme(conn: &mut DbConn, p: &Programme, now: NaiveDateTime) -> Result<i64, DbError> {
    conn.transaction(|conn| {
        let row = NewProgrammeRow {
            title: p.title(),
            document_id: p.document_id().as_str(),
            diarienummer: p.diarienummer().to_string(),
            diarienummer_as_registered: p.diarienummer().as_registered(),
            version: i32::try_from(p.version())
                .map_err(|_| DbError::Corrupt("version out of range".into()))?,
            document_type: p.document_type().code(),
            responsible_administration: p.responsible_administration(),
            responsible_department: p.responsible_department(),
            decided_by: p.decided_by().code(),
            published: p.published(),
            revise_by: p.revise_by(),
            purpose: p.purpose(),
            background: p.background(),
            status: p.status().code(),
            created_at: now,
            updated_at: now,
        };
        let id: i64 =
            diesel::insert_into(programmes::table).values(&row).returning(programmes::id).get_result(conn)?;
        insert_parts(conn, id, p)?;
        Ok(id)
    })
}

/// Records that a programme relates to a goal framework, and how.
pub fn link_framework(
    conn: &mut DbConn,
    programme_id: i64,
    framework_id: i64,
    relation: &str,
) -> Result<(), DbError> {
    diesel::insert_into(programme_frameworks::table)
        .values(&ProgrammeFrameworkRow { programme_id, framework_id, relation: relation.to_owned() })
        .execute(conn)?;
    Ok(())
}

list_filter! {
    /// Filters, search and order of the programme list.
    #[derive(Default)]
    pub struct ProgrammeFilter {
        /// Leave drafts out (what the public sees).
        pub published_only: bool,
        pub status: Option<String>,
        /// Words in the title, the registry number or the document id.
        pub q: Option<String>,
    }

    /// What the programme list can be ordered by.
    pub enum ProgrammeSort {
        /// Documents in the order they were registered, newest version first within each
        /// (descending: the documents in reverse order, versions still newest first).
        #[default]
        Document,
        Title,
        Published,
        ReviseBy,
    }
}

fn programmes_filtered(f: &ProgrammeFilter) -> programmes::BoxedQuery<'static, MultiBackend> {
    let mut q = programmes::table.into_boxed();
    if f.published_only {
        q = q.filter(programmes::status.ne(ProgrammeStatus::Draft.code()));
    }
    where_given!(q, f.status => eq programmes::status);
    if let Some(text) = &f.q {
        q = q.filter(text_matches(
            &["title", "diarienummer", "diarienummer_as_registered", "document_id"],
            text,
        ));
    }
    where_given!(q, f.ids => eq_any programmes::id);
    q
}

pub fn count_programmes(conn: &mut DbConn, f: &ProgrammeFilter) -> Result<i64, DbError> {
    Ok(programmes_filtered(f).count().get_result(conn)?)
}

/// The filtered list in the filter's order.
fn ordered(f: &ProgrammeFilter) -> programmes::BoxedQuery<'static, MultiBackend> {
    let q = programmes_filtered(f);
    let (desc, id) = (f.sort.descending, programmes::id);
    match f.sort.key {
        ProgrammeSort::Document if desc => {
            q.order((programmes::document_id.desc(), programmes::version.desc(), programmes::id.desc()))
        }
        ProgrammeSort::Document => {
            q.order((programmes::document_id.asc(), programmes::version.desc(), programmes::id.asc()))
        }
        ProgrammeSort::Title => order_by!(q, desc, text programmes::title, id),
        ProgrammeSort::Published => order_by!(q, desc, nullable programmes::published, id),
        ProgrammeSort::ReviseBy => order_by!(q, desc, nullable programmes::revise_by, id),
    }
}

/// The ids of the whole filtered list, in its order.
pub fn programme_ids(conn: &mut DbConn, f: &ProgrammeFilter) -> Result<Vec<i64>, DbError> {
    Ok(ordered(f).select(programmes::id).load(conn)?)
}

/// One page of programme versions in the filter's order.
pub fn list_programmes(
    conn: &mut DbConn,
    f: &ProgrammeFilter,
    offset: u64,
    limit: u32,
) -> Result<Vec<ProgrammeRow>, DbError> {
    let q = ordered(f).select(ProgrammeRow::as_select());
    Ok(q.offset(crate::listing::offset(offset)?).limit(i64::from(limit)).load(conn)?)
}

/// A programme with its priority areas (by number), work kinds and linked frameworks.
pub fn get_programme(conn: &mut DbConn, id: i64) -> Result<Option<ProgrammeRecord>, DbError> {
    let Some(programme) =
        programmes::table.find(id).select(ProgrammeRow::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    let priority_areas = PriorityAreaRow::belonging_to(&programme)
        .select(PriorityAreaRow::as_select())
        .order(priority_areas::number.asc())
        .load(conn)?;
    let mut work_kinds: Vec<WorkKindRow> = programme_work_kinds::table
        .filter(programme_work_kinds::programme_id.eq(id))
        .select(WorkKindRow::as_select())
        .load(conn)?;
    // The order the programme itself uses: scanning, positioning, development.
    work_kinds.sort_by_key(|w| {
        utblick_domain::WorkKind::ALL.iter().position(|k| k.code() == w.kind).unwrap_or(usize::MAX)
    });
    let frameworks = programme_frameworks::table
        .inner_join(frameworks::table)
        .filter(programme_frameworks::programme_id.eq(id))
        .order(frameworks::id.asc())
        .select((FrameworkRow::as_select(), programme_frameworks::relation))
        .load::<(FrameworkRow, String)>(conn)?
        .into_iter()
        .map(|(framework, relation)| LinkedFramework { framework, relation })
        .collect();
    Ok(Some(ProgrammeRecord { programme, priority_areas, work_kinds, frameworks }))
}

/// The highest version number of a document so far.
pub fn max_version(conn: &mut DbConn, document_id: &str) -> Result<Option<i32>, DbError> {
    Ok(programmes::table
        .filter(programmes::document_id.eq(document_id))
        .select(diesel::dsl::max(programmes::version))
        .first(conn)?)
}

/// The versions of one document, newest first.
pub fn versions_of(conn: &mut DbConn, document_id: &str) -> Result<Vec<ProgrammeRow>, DbError> {
    Ok(programmes::table
        .filter(programmes::document_id.eq(document_id))
        .select(ProgrammeRow::as_select())
        .order(programmes::version.desc())
        .load(conn)?)
}

/// Replaces the content of a draft (its fields, priority areas and kinds of work) if its
/// row is still at `expected`; `false` when someone else changed it first. Whether the
/// version may change at all is the domain's `check_editable`, asked before.
pub fn replace_draft(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    p: &Programme,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        programmes::table.filter(programmes::id.eq(id)).filter(programmes::row_version.eq(expected)),
    )
    .set((
        programmes::title.eq(p.title()),
        programmes::diarienummer.eq(p.diarienummer().to_string()),
        programmes::diarienummer_as_registered.eq(p.diarienummer().as_registered()),
        programmes::document_type.eq(p.document_type().code()),
        programmes::responsible_administration.eq(p.responsible_administration()),
        programmes::responsible_department.eq(p.responsible_department()),
        programmes::decided_by.eq(p.decided_by().code()),
        programmes::purpose.eq(p.purpose()),
        programmes::background.eq(p.background()),
        programmes::row_version.eq(expected + 1),
        programmes::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    // A draft's parts are its own working copy; the adopted versions are never touched.
    diesel::delete(priority_areas::table.filter(priority_areas::programme_id.eq(id))).execute(conn)?;
    diesel::delete(programme_work_kinds::table.filter(programme_work_kinds::programme_id.eq(id)))
        .execute(conn)?;
    insert_parts(conn, id, p)?;
    Ok(true)
}

fn insert_parts(conn: &mut DbConn, id: i64, p: &Programme) -> Result<(), DbError> {
    for area in p.priority_areas() {
        diesel::insert_into(priority_areas::table)
            .values(&NewPriorityAreaRow {
                programme_id: id,
                number: i32::from(area.number()),
                title: area.title(),
                description: area.description(),
            })
            .execute(conn)?;
    }
    for wk in p.work_kinds() {
        diesel::insert_into(programme_work_kinds::table)
            .values(&WorkKindRow {
                programme_id: id,
                kind: wk.kind().code().to_owned(),
                description: wk.description().to_owned(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Copies the framework links of one version to another (a new version starts with them).
pub fn copy_framework_links(conn: &mut DbConn, from: i64, to: i64) -> Result<(), DbError> {
    let links: Vec<ProgrammeFrameworkRow> = programme_frameworks::table
        .filter(programme_frameworks::programme_id.eq(from))
        .select(ProgrammeFrameworkRow::as_select())
        .load(conn)?;
    for l in links {
        link_framework(conn, to, l.framework_id, &l.relation)?;
    }
    Ok(())
}

/// The stored versions of one document, for the domain's version rules.
pub fn document_versions(conn: &mut DbConn, document_id: &str) -> Result<DocumentVersions, DbError> {
    let rows: Vec<(i64, i32, String)> = programmes::table
        .filter(programmes::document_id.eq(document_id))
        .select((programmes::id, programmes::version, programmes::status))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, version, status) in rows {
        let status = ProgrammeStatus::parse(&status).map_err(|e| DbError::Corrupt(e.to_string()))?;
        out.push((id, version, status));
    }
    Ok(DocumentVersions::new(out))
}

/// Stores an adoption the domain decided (a draft at row version `expected` becomes
/// adopted with its decision, dates and body; the version it supersedes becomes
/// superseded). `false` when the draft changed meanwhile.
pub fn adopt(
    conn: &mut DbConn,
    id: i64,
    expected: i32,
    decision_id: i64,
    a: &Adoption,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        programmes::table.filter(programmes::id.eq(id)).filter(programmes::row_version.eq(expected)),
    )
    .set((
        programmes::status.eq(ProgrammeStatus::Adopted.code()),
        programmes::adopted_by_decision_id.eq(decision_id),
        programmes::published.eq(a.published),
        programmes::revise_by.eq(a.revise_by),
        programmes::decided_by.eq(a.decided_by.code()),
        programmes::row_version.eq(expected + 1),
        programmes::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    if let Some(prev) = a.supersede {
        diesel::update(programmes::table.find(prev))
            .set((
                programmes::status.eq(ProgrammeStatus::Superseded.code()),
                programmes::row_version.eq(programmes::row_version + 1),
                programmes::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

/// Bumps a version's row version if it is still at `expected` (a change to its parts).
pub fn touch(conn: &mut DbConn, id: i64, expected: i32, now: NaiveDateTime) -> Result<bool, DbError> {
    let n = diesel::update(
        programmes::table.filter(programmes::id.eq(id)).filter(programmes::row_version.eq(expected)),
    )
    .set((programmes::row_version.eq(expected + 1), programmes::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n > 0)
}

crate::listing::by_ids!(ProgrammeFilter);
