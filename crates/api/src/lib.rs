//! Utblick's HTTP API: settings, telemetry, startup, one module per resource, the OpenAPI
//! document, and the static web frontend. The `utblick` binary lives in `main.rs`.

pub mod auth;
pub mod calendar;
pub mod charts;
pub mod cli;
pub mod codes;
pub mod columns;
pub mod compilation_doc;
pub mod disposition;
pub mod dto;
pub mod error;
pub mod exec;
pub mod export;
pub mod import;
pub mod lang;
pub mod mail;
pub mod negotiate;
pub mod openapi;
pub mod responses;
pub mod routes;
pub mod security_log;
pub mod server;
pub mod settings;
pub mod startup;
pub mod telemetry;
pub mod web_files;
pub mod xlsx;

pub use openapi::openapi;
pub use settings::Settings;
pub use startup::Application;
