//! The seed data set: Tranås kommun's programme "Internationellt arbete" (version 1), its
//! priority areas, the three kinds of work, and the two goal frameworks it links to.
//!
//! Loaded once, on the first start against an empty database. A marker row in `app_meta`
//! remembers that it happened, so the seed never comes back after a user has changed or
//! archived anything.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utblick_domain::framework::FrameworkInput;
use utblick_domain::programme::ProgrammeInput;
use utblick_domain::{GoalFramework, Programme};

use crate::conn::DbConn;
use crate::error::DbError;
use crate::schema::app_meta;
use crate::{frameworks, programmes};

/// The seed as shipped, embedded in the binary.
pub const SEED_JSON: &str = include_str!("../seed/tranas-internationellt-arbete.json");

const MARKER: &str = "seed_loaded_at";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[allow(dead_code)]
    source: String,
    programme: SeedProgramme,
    frameworks: Vec<SeedFramework>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedProgramme {
    title: String,
    document_id: String,
    diarienummer: String,
    version: i64,
    document_type: String,
    responsible_administration: String,
    responsible_department: String,
    decided_by: String,
    published: Option<NaiveDate>,
    revise_by: Option<NaiveDate>,
    status: String,
    purpose: String,
    background: String,
    priority_areas: Vec<SeedNumbered>,
    work_kinds: Vec<SeedWorkKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedNumbered {
    number: i64,
    title: String,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedWorkKind {
    kind: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFramework {
    code: String,
    name: String,
    owner: String,
    description: Option<String>,
    adopted_year: Option<i64>,
    overall_goal: Option<String>,
    goals: Vec<SeedNumbered>,
    relation: String,
}

/// The seed, parsed and checked by the domain's rules.
pub struct SeedData {
    pub programme: Programme,
    pub frameworks: Vec<(GoalFramework, String)>,
}

/// Parses the embedded seed. A failure here is a defect in the shipped file.
pub fn parse_seed(json: &str) -> Result<SeedData, DbError> {
    let file: SeedFile =
        serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("seed file: {e}")))?;
    let p = file.programme;
    let programme = Programme::parse(&ProgrammeInput {
        title: p.title,
        document_id: p.document_id,
        diarienummer: p.diarienummer,
        version: p.version,
        document_type: p.document_type,
        responsible_administration: p.responsible_administration,
        responsible_department: p.responsible_department,
        decided_by: p.decided_by,
        published: p.published,
        revise_by: p.revise_by,
        purpose: p.purpose,
        background: p.background,
        status: p.status,
        priority_areas: p
            .priority_areas
            .into_iter()
            .map(|a| (a.number, a.title, a.description.unwrap_or_default()))
            .collect(),
        work_kinds: p.work_kinds.into_iter().map(|w| (w.kind, w.description)).collect(),
    })
    .map_err(|e| DbError::Corrupt(format!("seed programme: {e}")))?;
    let mut frameworks = Vec::new();
    for f in file.frameworks {
        let parsed = GoalFramework::parse(&FrameworkInput {
            code: f.code,
            name: f.name,
            owner: f.owner,
            description: f.description,
            adopted_year: f.adopted_year,
            overall_goal: f.overall_goal,
            goals: f.goals.into_iter().map(|g| (g.number, g.title, g.description)).collect(),
        })
        .map_err(|e| DbError::Corrupt(format!("seed framework: {e}")))?;
        frameworks.push((parsed, f.relation));
    }
    Ok(SeedData { programme, frameworks })
}

/// What happened at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The database was empty; the seed is now in it.
    Loaded,
    /// The seed was loaded at some earlier start; it is never loaded again.
    AlreadyLoaded,
    /// The database already held data (e.g. an import); the seed stays out.
    SkippedExistingData,
}

/// Loads the seed if and only if this is the first start against an empty database.
pub fn load_if_first_start(conn: &mut DbConn, now: NaiveDateTime) -> Result<SeedOutcome, DbError> {
    let seed = parse_seed(SEED_JSON)?;
    let outcome = conn.transaction::<_, DbError, _>(|conn| {
        let marker: Option<String> =
            app_meta::table.find(MARKER).select(app_meta::value).first(conn).optional()?;
        if marker.is_some() {
            return Ok(SeedOutcome::AlreadyLoaded);
        }
        // The marker goes in first: of two instances starting at once on one PostgreSQL
        // database, the second fails on the primary key and rolls back.
        diesel::insert_into(app_meta::table)
            .values((
                app_meta::key.eq(MARKER),
                app_meta::value.eq(now.format("%Y-%m-%dT%H:%M:%S").to_string()),
            ))
            .execute(conn)?;
        if programmes::count_programmes(conn, &Default::default())? > 0
            || frameworks::count_frameworks(conn, &Default::default())? > 0
        {
            return Ok(SeedOutcome::SkippedExistingData);
        }
        let programme_id = programmes::insert_programme(conn, &seed.programme, now)?;
        for (framework, relation) in &seed.frameworks {
            let framework_id = frameworks::insert_framework(conn, framework, now)?;
            programmes::link_framework(conn, programme_id, framework_id, relation)?;
        }
        Ok(SeedOutcome::Loaded)
    });
    match outcome {
        // Another instance seeded the database between our read and our write.
        Err(DbError::UniqueViolation { .. }) => Ok(SeedOutcome::AlreadyLoaded),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_seed_is_the_programme_as_written() {
        let seed = parse_seed(SEED_JSON).unwrap();
        let p = &seed.programme;
        assert_eq!(p.title(), "Internationellt arbete");
        assert_eq!(p.document_id().as_str(), "0424");
        assert_eq!(p.diarienummer().to_string(), "2016/20");
        assert_eq!(p.responsible_administration(), "Kommunledningsförvaltningen");
        assert_eq!(p.responsible_department(), "Kansli- och personalavdelningen");
        assert_eq!(p.published(), NaiveDate::from_ymd_opt(2016, 4, 23));
        assert_eq!(p.revise_by(), NaiveDate::from_ymd_opt(2020, 4, 22));
        let areas: Vec<_> = p.priority_areas().iter().map(|a| a.title()).collect();
        assert_eq!(
            areas,
            [
                "Livslångt lärande för individen och för samhället",
                "Goda och kreativa livsmiljöer",
                "Hållbar samhällsplanering"
            ]
        );
        assert_eq!(p.work_kinds().len(), 3);
        assert!(p.work_kinds()[2].description().contains("extern medfinansiering"));
        let fw: Vec<_> = seed.frameworks.iter().map(|(f, _)| (f.code(), f.goals().len())).collect();
        assert_eq!(fw, [("europe-2020", 5), ("tranas-utvecklingsplan-2010", 6)]);
        assert_eq!(seed.frameworks[1].0.overall_goal(), Some("20 000 invånare år 2020"));
    }
}
