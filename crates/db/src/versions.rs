//! The version a record has now, by the entity name the audit log uses: what the change feed
//! says each change left behind.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable};

use crate::conn::DbConn;
use crate::error::DbError;

/// The table of an audited entity that keeps versions.
fn table_of(entity_type: &str) -> Option<&'static str> {
    Some(match entity_type {
        "programme" => "programmes",
        "framework" | "scorecard" => "frameworks",
        "goal" => "framework_goals",
        "organisation" => "organisations",
        "user" => "users",
        "decision" => "decisions",
        "twin_town" => "twin_towns",
        "contact" => "contacts",
        "collaboration" => "collaborations",
        "funding_programme" => "funding_programmes",
        "project" => "projects",
        "elected_official" => "elected_officials",
        "activity" => "activities",
        "lead" => "leads",
        "reporting_year" => "reporting_years",
        "report" => "reports",
        "compilation" => "compilations",
        _ => return None,
    })
}

/// The version of the record `entity_id` of `entity_type` now (inside the caller's
/// transaction: after its change); `None` for entities without versions.
pub fn current(
    conn: &mut DbConn,
    entity_type: &str,
    entity_id: Option<&str>,
) -> Result<Option<i32>, DbError> {
    if entity_type == "settings" {
        return crate::settings::version(conn).map(Some);
    }
    let (Some(table), Some(id)) = (table_of(entity_type), entity_id.and_then(|i| i.parse::<i64>().ok()))
    else {
        return Ok(None);
    };
    let query = diesel::dsl::sql::<Nullable<Integer>>(&format!("(SELECT version FROM {table} WHERE id = "))
        .bind::<BigInt, _>(id)
        .sql(")");
    Ok(diesel::select(query).get_result(conn)?)
}
