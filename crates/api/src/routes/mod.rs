//! One module per resource; each has its handlers, DTOs, `#[utoipa::path]` and one
//! `configure` function.

pub mod frameworks;
pub mod health;
pub mod meta;
pub mod programmes;

use actix_web::web;
use utblick_db::{DbConn, DbError, DbPool};

use crate::error::ApiError;

/// Runs a database function on the blocking pool, with a connection taken there too.
pub async fn with_conn<T, F>(pool: &web::Data<DbPool>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, DbError> + Send + 'static,
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
