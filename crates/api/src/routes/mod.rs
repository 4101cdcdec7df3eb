//! One module per resource; each has its handlers, DTOs, `#[utoipa::path]` and one
//! `configure` function.

pub mod activities;
pub mod api_tokens;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod changes;
pub mod collaborations;
pub mod common;
pub mod compilations;
pub mod contacts;
pub mod decisions;
pub mod frameworks;
pub mod goals;
pub mod health;
pub mod kolada;
pub mod kpis;
pub mod leads;
pub mod meta;
pub mod oidc;
pub mod organisations;
pub mod programmes;
pub mod projects;
pub mod reports;
pub mod security_events;
pub mod settings;

pub mod standard;
pub mod twin_towns;
pub mod users;

use actix_web::web;
use utblick_db::{DbConn, DbError, DbPool};

use crate::dto::{PageInfo, PageQuery};
use crate::error::ApiError;

/// Runs a use case that needs no caller context (signing in, reading one record) on the
/// blocking pool, with a connection taken there too.
pub async fn with_app<T, F>(pool: &web::Data<DbPool>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, utblick_app::AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let result = web::block(move || {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        f(&mut conn)
    })
    .await?;
    Ok(result?)
}

/// Runs a database function on the blocking pool.
pub async fn with_conn<T, F>(pool: &web::Data<DbPool>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    with_app(pool, move |conn| Ok(f(conn)?)).await
}

/// One page of a list: parses `?page=&per_page=`, counts and loads in one blocking task.
pub async fn load_page<T: Send + 'static>(
    pool: &web::Data<DbPool>,
    query: &PageQuery,
    count: fn(&mut DbConn) -> Result<i64, DbError>,
    list: fn(&mut DbConn, u64, u32) -> Result<Vec<T>, DbError>,
) -> Result<(Vec<T>, PageInfo), ApiError> {
    let req = query.parse()?;
    let (rows, total) = with_conn(pool, move |conn| {
        let total = count(conn)?;
        let rows = list(conn, req.offset(), req.per_page())?;
        Ok((rows, total))
    })
    .await?;
    Ok((rows, PageInfo::new(req, total)))
}

/// Reads a slice (offset, limit) of a filtered list.
pub type FilteredSlice<Fl, T> = fn(&mut DbConn, &Fl, u64, u32) -> Result<Vec<T>, DbError>;

/// One page of a filtered list: parses `?page=&per_page=`, counts and loads in one blocking
/// task.
pub async fn load_filtered_page<Fl: Send + 'static, T: Send + 'static>(
    pool: &web::Data<DbPool>,
    query: &PageQuery,
    filter: Fl,
    count: fn(&mut DbConn, &Fl) -> Result<i64, DbError>,
    list: FilteredSlice<Fl, T>,
) -> Result<(Vec<T>, PageInfo), ApiError> {
    let req = query.parse()?;
    let (rows, total) = with_conn(pool, move |conn| {
        let total = count(conn, &filter)?;
        Ok((list(conn, &filter, req.offset(), req.per_page())?, total))
    })
    .await?;
    Ok((rows, PageInfo::new(req, total)))
}
