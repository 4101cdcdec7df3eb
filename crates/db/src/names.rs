//! What a person reads instead of an id: an organisation's name, a decision's registry
//! number, a contact's name — read once per export for the references its columns hold.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::DbError;
use crate::schema::{contacts, decisions, elected_officials, funding_programmes, organisations};

/// The kinds of record a column may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Named {
    Organisation,
    Decision,
    Contact,
    Official,
    FundingProgramme,
}

/// Every record of a kind, id → the name a person knows it by.
pub fn names(conn: &mut DbConn, of: Named) -> Result<HashMap<i64, String>, DbError> {
    let rows: Vec<(i64, String)> = match of {
        Named::Organisation => {
            organisations::table.select((organisations::id, organisations::name)).load(conn)?
        }
        Named::Decision => {
            decisions::table.select((decisions::id, decisions::diarienummer_as_registered)).load(conn)?
        }
        Named::Contact => contacts::table.select((contacts::id, contacts::name)).load(conn)?,
        Named::Official => {
            elected_officials::table.select((elected_officials::id, elected_officials::name)).load(conn)?
        }
        Named::FundingProgramme => {
            funding_programmes::table.select((funding_programmes::id, funding_programmes::name)).load(conn)?
        }
    };
    Ok(rows.into_iter().collect())
}
