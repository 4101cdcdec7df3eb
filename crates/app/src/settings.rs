//! The settings administrators change while Utblick runs: today, whether the KPI feed
//! (`/api/v1/kpis`, `/api/v1/kpi-values`, `/kolada/v3`) is open to anyone.

use utblick_db::DbConn;
use utblick_db::settings as repo;
use utblick_domain::Action;

use crate::{AppError, Ctx, Done, Event};

/// The settings as they stand, with their version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub kpi_feed_published: bool,
    pub version: i32,
}

pub fn kpi_feed_published(conn: &mut DbConn) -> Result<bool, AppError> {
    Ok(repo::get(conn, repo::KPI_FEED_PUBLISHED)?.as_deref() == Some("true"))
}

pub fn read(conn: &mut DbConn) -> Result<Settings, AppError> {
    Ok(Settings { kpi_feed_published: kpi_feed_published(conn)?, version: repo::version(conn)? })
}

/// Publishes the KPI feed, or closes it (administrators), at the version the caller read.
pub fn change(conn: &mut DbConn, ctx: &Ctx, kpi_feed_published: bool) -> Result<Done<Settings>, AppError> {
    ctx.require(Action::ManageTokens)?;
    let before = read(conn)?;
    if ctx.expected_version()? != before.version {
        return Err(AppError::PreconditionFailed);
    }
    if before.kpi_feed_published == kpi_feed_published {
        return Ok(Done::many(before, vec![]));
    }
    repo::put(conn, repo::KPI_FEED_PUBLISHED, if kpi_feed_published { "true" } else { "false" })?;
    repo::bump_version(conn)?;
    let after = read(conn)?;
    let changes = serde_json::json!({"kpi_feed_published": {"before": before.kpi_feed_published, "after": kpi_feed_published}});
    // The one settings record of the installation.
    Ok(Done::new(after, Event::new("settings", "updated", 1, changes)))
}
