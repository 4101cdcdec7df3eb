//! Utblick's persistence: one Diesel code base over embedded SQLite (the default) and
//! PostgreSQL (production), chosen by the database URL.
//!
//! This crate stores and loads; it decides no rule. Every query is a plain function taking
//! a `&mut DbConn`.

pub mod activities;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod collaborations;
pub mod compilations;
pub mod conn;
pub mod contacts;
pub mod decisions;
pub mod error;
pub mod frameworks;
pub mod goals;
pub mod identity;
pub mod leads;
pub mod listing;
pub mod migrations;
pub mod models;
pub mod names;
pub mod oidc;
pub mod programmes;
pub mod projects;
pub mod reminders;
pub mod reports;
pub mod schema;
pub mod security;
pub mod seed;
pub mod settings;
#[cfg(feature = "test-support")]
pub mod test_support;
pub mod twin_towns;
pub mod versions;

pub use conn::{
    Backend, DbConn, DbPool, DbSettings, SqliteSynchronous, build_pool, establish, integrity_check, ping,
    write_transaction,
};
pub use diesel::Connection;
pub use diesel::connection::SimpleConnection;
pub use diesel::result::Error as QueryError;
pub use error::DbError;
