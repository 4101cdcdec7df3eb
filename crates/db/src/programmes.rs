//! Storing and loading programmes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use utblick_domain::Programme;

use crate::conn::DbConn;
use crate::error::DbError;
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

pub fn count_programmes(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(programmes::table.count().get_result(conn)?)
}

/// One page of programmes: newest document versions first within a document, documents in
/// the order they were registered.
pub fn list_programmes(conn: &mut DbConn, offset: u64, limit: u32) -> Result<Vec<ProgrammeRow>, DbError> {
    let offset = i64::try_from(offset).map_err(|_| DbError::Corrupt("offset out of range".into()))?;
    Ok(programmes::table
        .select(ProgrammeRow::as_select())
        .order((programmes::document_id.asc(), programmes::version.desc(), programmes::id.asc()))
        .offset(offset)
        .limit(i64::from(limit))
        .load(conn)?)
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
