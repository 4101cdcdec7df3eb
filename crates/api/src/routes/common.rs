//! Small pieces the resource modules share: the audit diff, archiving, reading list
//! parameters, and reading a decision from the register for a change of status.

use actix_web::web;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use utblick_db::listing::{Archived, Sort};
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::governance::{Decision, DecisionInput};
use utblick_domain::{FieldError, ValidationErrors};

use crate::auth::AuditContext;
use crate::error::{ApiError, FieldProblem};

/// `{field: {before, after}}` for every field whose value differs between two snapshots.
pub fn diff(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (k, v) in a {
            if b.get(k) != Some(v) {
                out.insert(k.clone(), serde_json::json!({"before": b.get(k), "after": v}));
            }
        }
    }
    serde_json::Value::Object(out)
}

/// Stores a new record in one write transaction with its audit event `<entity>.created`,
/// which holds `snapshot` of what was stored.
pub async fn create_audited<R, I>(
    pool: &web::Data<DbPool>,
    audit: AuditContext,
    entity: &'static str,
    insert: I,
    id: fn(&R) -> i64,
    snapshot: fn(&R) -> serde_json::Value,
) -> Result<R, ApiError>
where
    R: Send + 'static,
    I: FnOnce(&mut DbConn, NaiveDateTime) -> Result<R, DbError> + Send + 'static,
{
    let t = Utc::now().naive_utc();
    crate::routes::with_conn(pool, move |conn| {
        utblick_db::write_transaction::<_, DbError, _>(conn, |conn| {
            let row = insert(conn, t)?;
            audit.record(
                conn,
                t,
                &format!("{entity}.created"),
                entity,
                Some(id(&row).to_string()),
                snapshot(&row),
            )?;
            Ok(row)
        })
    })
    .await
}

/// Which record an archiving touches: its entity type (`twin_town`), id, and whether it is
/// taken out of the archive instead.
pub struct Archiving {
    pub entity: &'static str,
    pub id: i64,
    pub restore: bool,
}

/// Archives a public record (or restores it) in one write transaction with its audit event
/// `<entity>.archived` / `<entity>.restored`. `get` reads the record (404 when missing);
/// `set` stores the new `archived_at` if the record still has the version the caller read,
/// and says whether it did (412 when not); `changes` is what the audit event records.
pub async fn set_archived<R, G, S>(
    pool: &web::Data<DbPool>,
    audit: AuditContext,
    what: Archiving,
    get: G,
    set: S,
    changes: fn(&R) -> serde_json::Value,
) -> Result<R, ApiError>
where
    R: Send + 'static,
    G: Fn(&mut DbConn, i64) -> Result<Option<R>, ApiError> + Send + 'static,
    S: FnOnce(&mut DbConn, Option<NaiveDateTime>, NaiveDateTime) -> Result<bool, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    let Archiving { entity, id, restore } = what;
    let t = Utc::now().naive_utc();
    web::block(move || -> Result<R, ApiError> {
        let mut conn = pool.get().map_err(DbError::Pool)?;
        utblick_db::write_transaction::<_, ApiError, _>(&mut conn, |conn| {
            let missing = || ApiError::NotFound(format!("{} {id}", entity.replace('_', " ")));
            get(conn, id)?.ok_or_else(missing)?;
            if !set(conn, if restore { None } else { Some(t) }, t)? {
                return Err(ApiError::PreconditionFailed);
            }
            let after = get(conn, id)?.ok_or_else(missing)?;
            let action = format!("{entity}.{}", if restore { "restored" } else { "archived" });
            audit.record(conn, t, &action, entity, Some(id.to_string()), changes(&after))?;
            Ok(after)
        })
    })
    .await?
}

/// Reads a list's query parameters, collecting every problem so the client learns all that
/// is wrong at once; [`QueryParams::finish`] answers 400 naming each parameter.
#[derive(Debug, Default)]
pub struct QueryParams {
    errors: Vec<FieldProblem>,
}

impl QueryParams {
    pub fn new() -> Self {
        Self::default()
    }

    fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldProblem { field: field.to_owned(), message: message.into() });
    }

    /// `?q=`: words to search for (trimmed; empty means no search; at most 200 characters).
    pub fn text(&mut self, raw: Option<&str>) -> Option<String> {
        let q = raw.map(str::trim).filter(|q| !q.is_empty())?;
        if q.chars().count() > 200 {
            self.problem("q", "must be at most 200 characters");
            return None;
        }
        Some(q.to_owned())
    }

    /// A whole number, such as an id.
    pub fn id(&mut self, field: &str, raw: Option<&str>) -> Option<i64> {
        match crate::dto::PathId::parse(raw?) {
            Ok(id) => Some(id.into_inner()),
            Err(_) => {
                self.problem(field, "must be an id: a whole number from 1, digits only");
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, field: &str, raw: Option<&str>) -> Option<bool> {
        match raw? {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.problem(field, "must be true or false");
                None
            }
        }
    }

    /// A day, `2026-11-26`.
    pub fn date(&mut self, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(raw?, "%Y-%m-%d") {
            Ok(d) => match utblick_domain::date::check_day(field, d) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.problem(field, e.message);
                    None
                }
            },
            Err(_) => {
                self.problem(field, "must be a date like 2026-11-26");
                None
            }
        }
    }

    /// A code the domain parses (a status, a kind); the stored code when valid.
    pub fn code<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
        code: impl FnOnce(T) -> String,
    ) -> Option<String> {
        match parse(raw?) {
            Ok(v) => Some(code(v)),
            Err(e) => {
                self.problem(field, e.message);
                None
            }
        }
    }

    /// `?archived=` — `false` (default), `true` or `all`.
    pub fn archived(&mut self, raw: Option<&str>) -> Archived {
        match raw {
            None | Some("false") => Archived::Hide,
            Some("true") => Archived::Only,
            Some("all") => Archived::Include,
            Some(_) => {
                self.problem("archived", "must be true, false or all");
                Archived::Hide
            }
        }
    }

    /// `?sort=key` (ascending) or `?sort=-key` (descending), `key` one of `keys`.
    pub fn sort<K: Copy>(&mut self, raw: Option<&str>, keys: &[(&str, K)], default: Sort<K>) -> Sort<K> {
        let Some(raw) = raw.map(str::trim) else { return default };
        let (name, descending) = match raw.strip_prefix('-') {
            Some(name) => (name, true),
            None => (raw, false),
        };
        match keys.iter().find(|(k, _)| *k == name) {
            Some((_, key)) => Sort { key: *key, descending },
            None => {
                let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                self.problem(
                    "sort",
                    format!("must be one of {}, each optionally with a leading -", names.join(", ")),
                );
                default
            }
        }
    }

    /// Everything read was valid, or a 400 naming each bad parameter.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::InvalidParameter(self.errors)) }
    }
}

/// The decision with this id from the register (not archived), as the domain's type.
pub fn registered_decision(
    conn: &mut utblick_db::DbConn,
    id: Option<i64>,
) -> Result<Option<Decision>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    let d = utblick_db::decisions::get_decision(conn, id)?
        .filter(|d| d.archived_at.is_none())
        .ok_or_else(|| ValidationErrors::single("decision_id", "is not a decision in the register"))?;
    Ok(Some(Decision::parse(&DecisionInput {
        body: d.body,
        date: Some(d.decided_on),
        paragraph: d.paragraph,
        diarienummer: d.diarienummer,
        subject: d.subject,
        link: d.link,
    })?))
}
