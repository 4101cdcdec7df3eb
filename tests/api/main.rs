//! The black-box suites, one binary: the API over HTTP on both backends, the spec, the
//! independent spec validator, schemathesis, and the browser suite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod activities;
mod attachments;
mod auth;
mod authz;
mod changes;
mod cli;
mod codes;
mod collaborations;
mod compilations;
mod contacts;
mod decisions;
mod errors;
mod external;
mod goals;
mod hardening;
mod imports;
mod kpis;
mod lists;
mod oidc;
mod organisations;
mod programme_life;
mod programmes;
mod projects;
mod reminders;
mod reports;
mod spec;
mod twin_towns;

/// Defines each listed async test once per backend: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = utblick_tests::TestApp::spawn(utblick_tests::Backend::Sqlite).await {
                    super::$name(app).await
                }
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(app) = utblick_tests::TestApp::spawn(utblick_tests::Backend::Postgres).await {
                    super::$name(app).await
                }
            })*
        }
    };
}
