//! Answering a list: a page of JSON, or the whole list as an export — CSV that Swedish
//! Excel opens as it is (UTF-8 with BOM, `;`-separated, formula injection neutralised) or
//! JSON.
//!
//! Exports stream and never hold a database connection while they wait on the network: the
//! list's ids are read once (in one read-only snapshot), then each batch of rows is read
//! with a connection taken from the pool and given back before the batch is sent. The next
//! batch is read only when the client has taken the last one, so a client that stops
//! reading holds nothing but its place among the running exports — and the connection's
//! send timeout ends even that. Exports running at once are limited in total and per
//! caller ([`ExportGate`]), and the batches they read at once stay below the pool's size,
//! so sign-in and short reads always find a connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utblick_db::listing::ByIds;
use utblick_db::names::Named;
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::PageRequest;

use crate::auth::Caller;
use crate::dto::PageInfo;
use crate::error::ApiError;

/// How a list answers: a page of JSON, or all matching rows as a CSV or JSON export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Page,
    Csv,
    Json,
    /// A spreadsheet with typed cells ([`crate::xlsx`]).
    Xlsx,
}

/// Rows read from the database at a time while exporting.
const BATCH: usize = 500;

/// Seconds a refused export is told to wait before trying again.
const RETRY_AFTER: i64 = 5;

/// `?format=csv|json|xlsx`, else `Accept: text/csv`, else a page.
pub fn list_format(format: Option<&str>, req: &HttpRequest) -> Result<ListFormat, ApiError> {
    match format.map(str::trim) {
        Some("csv") => Ok(ListFormat::Csv),
        Some("json") => Ok(ListFormat::Json),
        Some("xlsx") => Ok(ListFormat::Xlsx),
        Some(_) => Err(ApiError::InvalidParameter(vec![utblick_domain::FieldError::rule(
            "format",
            "not_one_of",
            "must be csv, json or xlsx",
            "ska vara csv, json eller xlsx",
        )])),
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            Ok(if crate::negotiate::prefers_csv(accept) { ListFormat::Csv } else { ListFormat::Page })
        }
    }
}

/// A list item as a CSV row: its columns are fields of its JSON, named by their stable keys.
/// Asked for in Swedish (`Accept-Language: sv` or `?lang=sv`), the file is for people: Swedish
/// column headers, codes by their Swedish names, references by the name of what they refer
/// to (an organisation's name, a decision's registry number), countries by name, yes and no.
pub trait CsvRecord: Serialize {
    /// The columns, in order: keys of the item's JSON (stable, for scripts).
    const HEADERS: &'static [&'static str];
    /// Columns holding a code of a code list (`"partners.kind"`: the field of each item of
    /// a list column), with the list's Swedish names.
    const CODES: &'static [(&'static str, CodeName)] = &[];
    /// Columns holding hundredths (money in öre, hours in hundredths, shares in basis
    /// points), written for people as numbers with two decimals and a decimal comma.
    const HUNDREDTHS: &'static [&'static str] = &[];
}

/// Hundredths as a number with two decimals and a decimal comma (`123456` → `1234,56`), as
/// Swedish spreadsheets read numbers.
pub fn with_two_decimals(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let (whole, part) = (hundredths.unsigned_abs() / 100, hundredths.unsigned_abs() % 100);
    format!("{sign}{whole},{part:02}")
}

/// The Swedish name of a code of one code list.
pub type CodeName = fn(&str) -> Option<&'static str>;

/// The Swedish name of `code` in the code list `C`.
pub fn swedish_name<C: utblick_domain::codes::Code>(code: &str) -> Option<&'static str> {
    C::all().iter().find(|c| c.code() == code).map(|c| c.swedish())
}

/// The columns that refer to another record, and what kind of record.
const REFERENCES: &[(&str, Named)] = &[
    ("owner_organisation_id", Named::Organisation),
    ("organisation_id", Named::Organisation),
    ("parent_id", Named::Organisation),
    ("status_decision_id", Named::Decision),
    ("decision_id", Named::Decision),
    ("representative_contact_id", Named::Contact),
    ("contact_id", Named::Contact),
    ("representatives", Named::Official),
    ("funding.programme_id", Named::FundingProgramme),
];
// (An activity's or lead's `project_id` is shown as its id: projects are many, and the
// list of projects names them.)

/// The Swedish header of a column (the key itself where none is known, which a test forbids
/// for every list's columns).
pub fn swedish_header(key: &str) -> &str {
    match key {
        "id" => "Id",
        "kind" => "Typ",
        "name" => "Namn",
        "owner_organisation_id" => "Ägande organisation",
        "organisation_id" => "Organisation",
        "parent_id" => "Ingår i",
        "purpose" => "Syfte",
        "period_from" => "Från",
        "period_to" => "Till",
        "representative_contact_id" => "Representant",
        "status" => "Status",
        "status_decision_id" => "Beslut om status",
        "partners" => "Parter",
        "archived_at" => "Arkiverad",
        "title" => "Titel",
        "email" => "E-post",
        "role_source" => "Behörighet från",
        "single_sign_on" => "Kommunens inloggning",
        "phone" => "Telefon",
        "network_role" => "Roll i nätverket",
        "term_from" => "Uppdrag från",
        "term_to" => "Uppdrag till",
        "erased_at" => "Raderad",
        "body" => "Beslutande organ",
        "decided_on" => "Beslutsdatum",
        "paragraph" => "Paragraf",
        "diarienummer" => "Diarienummer",
        "subject" => "Ärende",
        "link" => "Länk",
        "code" => "Kod",
        "owner" => "Ägare",
        "description" => "Beskrivning",
        "representatives" => "Representerade kommunen",
        "adopted_year" => "Antaget år",
        "overall_goal" => "Övergripande mål",
        "goal_count" => "Antal mål",
        "framework_id" => "Målramverk eller styrkort (id)",
        "scorecard" => "Styrkort (externt id)",
        "number" => "Nummer",
        "kpi" => "Nyckeltal",
        "display_name" => "Namn på kontot",
        "role" => "Roll",
        "must_change_password" => "Måste byta lösenord",
        "created_at" => "Skapad",
        "prefix" => "Nyckelns början",
        "scopes" => "Behörigheter",
        "state" => "Status för nyckeln",
        "created_by_name" => "Skapad av",
        "expires_at" => "Gäller till",
        "last_used_at" => "Senast använd",
        "revoked_at" => "Återkallad",
        "occurred_at" => "Tidpunkt",
        "actor_kind" => "Slag av aktör",
        "actor_label" => "Vem",
        "action" => "Händelse",
        "entity_type" => "Slag av post",
        "entity_id" => "Postens id",
        "entity_version" => "Postens version",
        "changes" => "Ändringar",
        "request_id" => "Begärans id",
        "client_ip" => "IP-adress",
        "active" => "Aktiv",
        "external_id" => "Externt id",
        "document_id" => "Dokument-id",
        "version" => "Version",
        "document_type" => "Dokumenttyp",
        "decided_by" => "Beslutad av",
        "published" => "Publicerad",
        "revise_by" => "Revideras senast",
        "revision_due" => "Revision senast",
        "revision_overdue" => "Revision försenad",
        "town" => "Ort",
        "country" => "Land",
        "region" => "Region",
        "since" => "Sedan",
        "contact_id" => "Kontaktperson",
        "countries" => "Länder",
        "work_kind" => "Slag av arbete",
        "project_id" => "Projekt",
        "starts_on" => "Första dag",
        "ends_on" => "Sista dag",
        "organiser" => "Arrangör",
        "women" => "Kvinnor",
        "men" => "Män",
        "total" => "Deltagare totalt",
        "hours" => "Arbetstid (timmar)",
        "own_cost" => "Egen kostnad (kr)",
        "external_cost" => "Extern finansiering av kostnaden (kr)",
        "other_resources" => "Övriga resurser",
        "outcome" => "Resultat",
        "deadline" => "Sista dag att söka",
        "source_link" => "Källa",
        "own_money" => "Egna medel (kr)",
        "own_hours" => "Egen arbetstid (timmar)",
        "external_applied" => "Sökt extern finansiering (kr)",
        "external_granted" => "Beviljad extern finansiering (kr)",
        "co_funding_rate" => "Extern andel (%)",
        "summary" => "Sammanfattning",
        "priority_areas" => "Insatsområden (id)",
        "contribution" => "Bidrag till smart och hållbar tillväxt för alla",
        "lasting_value" => "Bestående värde",
        "goals" => "Mål (id)",
        "funding" => {
            "Extern finansiering: program (belopp, valuta, kurs i miljondelar, belopp i kr, status, utlysning)"
        }
        "results" => "Uppnådda resultat",
        "value_given" => "Bestående värde som gavs",
        "outputs" => "Det projektet gav (rapporter, länkar)",
        other => other,
    }
}

/// What an export for people reads once: the names of the records its columns refer to.
#[derive(Debug, Default)]
pub struct ForPeople {
    names: HashMap<Named, HashMap<i64, String>>,
}

impl ForPeople {
    /// Reads the names `T`'s columns need.
    fn read<T: CsvRecord>(conn: &mut DbConn) -> Result<Self, DbError> {
        let mut names = HashMap::new();
        let column = |key: &str| key.split('.').next().unwrap_or(key).to_owned();
        for (_, of) in REFERENCES.iter().filter(|(key, _)| T::HEADERS.contains(&column(key).as_str())) {
            if !names.contains_key(of) {
                names.insert(*of, utblick_db::names::names(conn, *of)?);
            }
        }
        Ok(Self { names })
    }

    pub fn cell<T: CsvRecord>(&self, key: &str, v: &serde_json::Value) -> String {
        use serde_json::Value;
        let code = T::CODES.iter().find(|(k, _)| *k == key).map(|(_, name)| *name);
        match v {
            Value::Null => String::new(),
            Value::Bool(b) => if *b { "ja" } else { "nej" }.to_owned(),
            Value::String(s) if key.ends_with("country") || key.ends_with("countries") => {
                utblick_domain::country::swedish_name(s).unwrap_or(s).to_owned()
            }
            Value::String(s) => code.and_then(|name| name(s)).unwrap_or(s).to_owned(),
            Value::Number(n) if T::HUNDREDTHS.contains(&key) => {
                n.as_i64().map_or_else(|| n.to_string(), with_two_decimals)
            }
            Value::Number(n) => REFERENCES
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, of)| self.names.get(of)?.get(&n.as_i64()?).cloned())
                .unwrap_or_else(|| n.to_string()),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::Object(fields) => {
                        let mut cells = fields.iter().map(|(k, v)| self.cell::<T>(&format!("{key}.{k}"), v));
                        nested(cells.next(), cells)
                    }
                    other => self.cell::<T>(key, other),
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Value::Object(_) => v.to_string(),
        }
    }
}

/// A cell as scripts read it: the JSON value, codes and ids as they are.
pub fn plain_cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(fields) => {
                    let mut cells = fields.values().map(plain_cell);
                    nested(cells.next(), cells)
                }
                other => plain_cell(other),
            })
            .collect::<Vec<_>>()
            .join(" | "),
        other => other.to_string(),
    }
}

/// An item of a list column in one cell: `first (second, third)`.
fn nested(first: Option<String>, rest: impl Iterator<Item = String>) -> String {
    let rest: Vec<String> = rest.collect();
    let first = first.unwrap_or_default();
    if rest.is_empty() { first } else { format!("{first} ({})", rest.join(", ")) }
}

/// The cells of one item.
fn cells<T: CsvRecord>(item: &T, people: Option<&ForPeople>) -> Result<Vec<String>, ApiError> {
    let values = crate::columns::columns(item, T::HEADERS)
        .map_err(|e| ApiError::Internal(format!("export item: {e}")))?;
    Ok(T::HEADERS
        .iter()
        .zip(&values)
        .map(|(key, cell)| people.map_or_else(|| plain_cell(cell), |p| p.cell::<T>(key, cell)))
        .collect())
}

/// How many exports may run at once (in all, and per caller), and how many of them may
/// read from the database at once (fewer than the pool's connections, so that sign-in and
/// short reads always find one).
#[derive(Debug)]
pub struct ExportGate {
    total: usize,
    per_caller: usize,
    running: Mutex<(usize, HashMap<String, usize>)>,
    reads: Arc<tokio::sync::Semaphore>,
}

/// A running export's place; given back when the export ends, however it ends.
#[derive(Debug)]
pub struct ExportPermit {
    gate: Arc<ExportGate>,
    caller: String,
}

impl ExportGate {
    /// `reads`: batches read from the database at once by all exports together.
    pub fn new(total: usize, per_caller: usize, reads: usize) -> Self {
        Self {
            total: total.max(1),
            per_caller: per_caller.max(1),
            running: Mutex::new((0, HashMap::new())),
            reads: Arc::new(tokio::sync::Semaphore::new(reads.max(1))),
        }
    }

    /// A place for one more export of `caller`, or 429.
    pub fn admit(gate: &Arc<ExportGate>, caller: String) -> Result<ExportPermit, ApiError> {
        let mut running =
            gate.running.lock().map_err(|_| ApiError::Internal("export gate poisoned".into()))?;
        let mine = running.1.get(&caller).copied().unwrap_or(0);
        if mine >= gate.per_caller {
            return Err(ApiError::TooManyExports { retry_after: RETRY_AFTER, per_caller: true });
        }
        if running.0 >= gate.total {
            return Err(ApiError::TooManyExports { retry_after: RETRY_AFTER, per_caller: false });
        }
        running.0 += 1;
        *running.1.entry(caller.clone()).or_insert(0) += 1;
        Ok(ExportPermit { gate: Arc::clone(gate), caller })
    }

    /// Exports running now (all callers).
    pub fn running(&self) -> usize {
        self.running.lock().map(|r| r.0).unwrap_or(0)
    }
}

impl Drop for ExportPermit {
    fn drop(&mut self) {
        if let Ok(mut running) = self.gate.running.lock() {
            running.0 = running.0.saturating_sub(1);
            if let Some(n) = running.1.get_mut(&self.caller) {
                *n -= 1;
                if *n == 0 {
                    running.1.remove(&self.caller);
                }
            }
        }
    }
}

/// A list: its filter, how to count it, list its ids in order and read a slice of it
/// (offset, limit), what its export file is called, and how a page of it is shaped.
pub struct List<Fl, F, P> {
    pub filter: Fl,
    pub count: fn(&mut DbConn, &Fl) -> Result<i64, DbError>,
    pub ids: fn(&mut DbConn, &Fl) -> Result<Vec<i64>, DbError>,
    pub fetch: F,
    pub filename: &'static str,
    pub page: P,
}

impl<T, Fl, Pg, F, P> List<Fl, F, P>
where
    T: CsvRecord + Send + 'static,
    Fl: ByIds + Send + Sync + 'static,
    Pg: Serialize,
    F: Fn(&mut DbConn, &Fl, u64, u32) -> Result<Vec<T>, ApiError> + Send + Sync + 'static,
    P: FnOnce(Vec<T>, PageInfo) -> Pg,
{
    /// Answers with a page, or (`?format=`, `Accept: text/csv`) the whole list; an export of
    /// personal data (`audited`) also writes an audit event `<entity>.exported`: who, when,
    /// the format, the filter and how many rows.
    pub async fn respond(
        self,
        pool: &web::Data<DbPool>,
        req: &HttpRequest,
        caller: &Caller,
        format: Option<&str>,
        paging: PageRequest,
        audited: Option<ExportAudit>,
    ) -> Result<HttpResponse, ApiError> {
        let format = list_format(format, req)?;
        let (filter, count, fetch) = (self.filter, self.count, self.fetch);
        if format == ListFormat::Page {
            let pool = pool.clone();
            let (items, total) = web::block(move || {
                let mut conn = pool.get().map_err(DbError::Pool)?;
                utblick_db::listing::read_snapshot::<_, ApiError, _>(&mut conn, |conn| {
                    let total = count(conn, &filter)?;
                    Ok((fetch(conn, &filter, paging.offset(), paging.per_page())?, total))
                })
            })
            .await??;
            return Ok(HttpResponse::Ok().json((self.page)(items, PageInfo::new(paging, total))));
        }
        let gate = req
            .app_data::<web::Data<ExportGate>>()
            .ok_or_else(|| ApiError::Internal("no export gate".into()))?
            .clone()
            .into_inner();
        let permit = ExportGate::admit(&gate, caller.export_key())?;
        let (list_ids, all, db) = (self.ids, filter.clone(), pool.clone());
        let for_people = matches!(format, ListFormat::Csv | ListFormat::Xlsx)
            && crate::lang::current() == crate::lang::Lang::Sv;
        let format_name = match format {
            ListFormat::Csv => "csv",
            ListFormat::Xlsx => "xlsx",
            _ => "json",
        };
        let (ids, people) = web::block(move || {
            let mut conn = db.get().map_err(DbError::Pool)?;
            let (ids, people) = utblick_db::listing::read_snapshot::<_, ApiError, _>(&mut conn, |conn| {
                let people = if for_people { Some(Arc::new(ForPeople::read::<T>(conn)?)) } else { None };
                Ok((list_ids(conn, &all)?, people))
            })?;
            if let Some(a) = audited {
                let changes = serde_json::json!({
                    "format": format_name, "filter": a.filter, "rows": ids.len(),
                });
                let t = chrono::Utc::now().naive_utc();
                a.audit.record(&mut conn, t, &format!("{}.exported", a.entity), a.entity, None, changes)?;
            }
            Ok::<_, ApiError>((ids, people))
        })
        .await??;
        let fetch = move |conn: &mut DbConn, batch: &[i64]| {
            let limit = u32::try_from(batch.len()).unwrap_or(u32::MAX);
            fetch(conn, &filter.only(batch), 0, limit)
        };
        if format == ListFormat::Xlsx {
            return spreadsheet::<T, _>(pool, ids, people, fetch, self.filename, permit).await;
        }
        let export = Export {
            pool: pool.get_ref().clone(),
            format,
            people,
            ids: Arc::from(ids),
            next: 0,
            written: 0,
            finished: false,
            fetch: Arc::new(fetch),
            ahead: None,
            permit,
            rows: std::marker::PhantomData,
        };
        export.respond(self.filename).await
    }
}

/// The whole list as one workbook: spreadsheets are not streamed, so the rows are read in
/// batches (one snapshot), typed, and written at once on the blocking pool; the export's
/// place in the gate is held until then.
async fn spreadsheet<T, F>(
    pool: &web::Data<DbPool>,
    ids: Vec<i64>,
    people: Option<Arc<ForPeople>>,
    fetch: F,
    filename: &'static str,
    permit: ExportPermit,
) -> Result<HttpResponse, ApiError>
where
    T: CsvRecord + Send + 'static,
    F: Fn(&mut DbConn, &[i64]) -> Result<Vec<T>, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    let bytes = web::block(move || -> Result<Vec<u8>, ApiError> {
        let _permit = permit;
        let mut conn = pool.get().map_err(DbError::Pool)?;
        let mut rows = Vec::with_capacity(ids.len());
        utblick_db::listing::read_snapshot::<_, ApiError, _>(&mut conn, |conn| {
            for batch in ids.chunks(BATCH) {
                for item in fetch(conn, batch)? {
                    let values = crate::columns::columns(&item, T::HEADERS)
                        .map_err(|e| ApiError::Internal(format!("export item: {e}")))?;
                    let row = T::HEADERS.iter().zip(&values);
                    rows.push(
                        row.map(|(key, v)| crate::xlsx::cell::<T>(key, v, people.as_deref())).collect(),
                    );
                }
            }
            Ok(())
        })?;
        drop(conn);
        let mut sheet = filename.to_owned();
        if let Some(first) = sheet.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        crate::xlsx::workbook::<T>(&sheet, &rows, people.is_some())
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}.xlsx\"")))
        .body(bytes))
}

/// The audit event an export of personal data writes.
pub struct ExportAudit {
    pub audit: crate::auth::AuditContext,
    /// The entity type (`contact`).
    pub entity: &'static str,
    /// The list's filter, search and order, as asked.
    pub filter: serde_json::Value,
}

/// An export under way: the ids still to send and how to read a batch of them.
struct Export<T, F> {
    /// For people: Swedish headers and names (see [`CsvRecord`]).
    people: Option<Arc<ForPeople>>,
    pool: DbPool,
    format: ListFormat,
    ids: Arc<[i64]>,
    /// The first id not yet read.
    next: usize,
    /// Rows sent so far.
    written: u64,
    finished: bool,
    fetch: Arc<F>,
    /// The read of the next batch, started while the last one is sent.
    ahead: Option<actix_web::rt::task::JoinHandle<Result<Encoded, ApiError>>>,
    permit: ExportPermit,
    /// The rows' type.
    rows: std::marker::PhantomData<fn() -> T>,
}

impl<T, F> Export<T, F>
where
    T: CsvRecord + Send + 'static,
    F: Fn(&mut DbConn, &[i64]) -> Result<Vec<T>, ApiError> + Send + Sync + 'static,
{
    /// Answers once the first batch is read, so a failure before any row (the database is
    /// down) is still a problem+json answer; the rest follows as the client reads.
    async fn respond(mut self, filename: &'static str) -> Result<HttpResponse, ApiError> {
        let format = self.format;
        let first = self.next_chunk().await?.unwrap_or_default();
        let rest = futures_util::stream::unfold(self, |mut export| async move {
            // A failure part-way ends the stream with an error: the response is broken off
            // rather than ended, so no client takes a short file for a whole one.
            match export.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok::<_, ApiError>(chunk), export)),
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!(error = %e, "export failed part-way");
                    export.finished = true;
                    Some((Err(e), export))
                }
            }
        });
        let body = futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(first) }), rest);
        let (content_type, name) = match format {
            ListFormat::Csv => ("text/csv; charset=utf-8", format!("{filename}.csv")),
            _ => ("application/json", format!("{filename}.json")),
        };
        Ok(HttpResponse::Ok()
            .content_type(content_type)
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
            .streaming(body))
    }

    /// Reads one batch (ids `from..to`) with a connection of its own, given back at once,
    /// and encodes it — both on the blocking pool, so that encoding many exports never
    /// keeps the server's workers from answering others; at most as many batches at a time
    /// as the gate allows.
    fn read(&self, from: usize, to: usize) -> actix_web::rt::task::JoinHandle<Result<Encoded, ApiError>> {
        let (pool, ids, fetch) = (self.pool.clone(), Arc::clone(&self.ids), Arc::clone(&self.fetch));
        let (format, people) = (self.format, self.people.clone());
        let reads = Arc::clone(&self.permit.gate.reads);
        actix_web::rt::spawn(async move {
            let reading = reads
                .acquire_owned()
                .await
                .map_err(|_| ApiError::Internal("the export gate is closed".into()))?;
            let rows = web::block(move || -> Result<Vec<T>, ApiError> {
                let mut conn = pool.get().map_err(DbError::Pool)?;
                fetch(&mut conn, &ids[from..to])
            })
            .await??;
            // The database is done with: the next batch may read while this one encodes.
            drop(reading);
            web::block(move || -> Result<Encoded, ApiError> {
                let mut bytes = Vec::new();
                encode(format, &rows, 0, people.as_deref(), &mut bytes)?;
                Ok(Encoded { rows: rows.len() as u64, bytes })
            })
            .await?
        })
    }

    /// The next chunk to send (the first carries the header, the last closes the document);
    /// `None` once everything is sent. While it is sent, the batch after it is read.
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, ApiError> {
        if self.finished {
            return Ok(None);
        }
        let (from, to) = (self.next, (self.next + BATCH).min(self.ids.len()));
        let batch = match self.ahead.take() {
            Some(read) => read.await.map_err(|e| ApiError::Internal(format!("export read: {e}")))??,
            None if from < to => {
                self.read(from, to).await.map_err(|e| ApiError::Internal(format!("export read: {e}")))??
            }
            None => Encoded::default(),
        };
        let last = to == self.ids.len();
        if !last {
            self.ahead = Some(self.read(to, (to + BATCH).min(self.ids.len())));
        }
        let mut out =
            if from == 0 { header_bytes::<T>(self.format, self.people.is_some()) } else { Vec::new() };
        // JSON items of a batch after the first that held any: a comma between the two.
        if self.format == ListFormat::Json && self.written > 0 && batch.rows > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&batch.bytes);
        self.written += batch.rows;
        if last {
            out.extend_from_slice(&footer_bytes(self.format, self.written)?);
        }
        self.next = to;
        self.finished = last;
        Ok(Some(Bytes::from(out)))
    }
}

/// A batch read and encoded: how many rows, and their CSV lines or JSON items.
#[derive(Debug, Default)]
struct Encoded {
    rows: u64,
    bytes: Vec<u8>,
}

/// What an export begins with: the BOM and header row, or the opening of the JSON.
fn header_bytes<T: CsvRecord>(format: ListFormat, for_people: bool) -> Vec<u8> {
    let header = |key: &&'static str| if for_people { swedish_header(key) } else { key };
    match format {
        ListFormat::Csv => format!("\u{feff}{}", csv_line(T::HEADERS.iter().map(header))).into_bytes(),
        _ => b"{\"items\":[".to_vec(),
    }
}

/// `rows` as CSV lines or JSON items (a comma before each item but the very first).
fn encode<T: CsvRecord>(
    format: ListFormat,
    rows: &[T],
    written_before: u64,
    people: Option<&ForPeople>,
    out: &mut Vec<u8>,
) -> Result<(), ApiError> {
    for (i, item) in rows.iter().enumerate() {
        match format {
            ListFormat::Csv => {
                out.extend_from_slice(csv_line(cells(item, people)?.iter().map(String::as_str)).as_bytes())
            }
            _ => {
                if written_before > 0 || i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, item)
                    .map_err(|e| ApiError::Internal(format!("export item: {e}")))?;
            }
        }
    }
    Ok(())
}

/// What an export ends with: nothing for CSV; for JSON the page fields of a page holding
/// every item, as if the page struct were flattened into the object.
fn footer_bytes(format: ListFormat, written: u64) -> Result<Vec<u8>, ApiError> {
    if format == ListFormat::Csv {
        return Ok(Vec::new());
    }
    let info = serde_json::to_string(&PageInfo::whole_list(written))
        .map_err(|e| ApiError::Internal(format!("export page: {e}")))?;
    let mut out = b"],".to_vec();
    out.extend_from_slice(info.trim_start_matches('{').as_bytes());
    Ok(out)
}

/// A cell Excel will show as text: a leading `= + - @` (or tab, CR) would start a
/// formula, so it gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn quote(cell: &str) -> String {
    let cell = neutralise(cell);
    if cell.contains([';', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

/// One CSV row: cells quoted where needed, `;` between them, CRLF at the end.
pub fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut line = cells.map(quote).collect::<Vec<_>>().join(";");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_quote_separators_and_neutralise_formulas() {
        assert_eq!(csv_line(["Rubrik", "Diarienummer"].into_iter()), "Rubrik;Diarienummer\r\n");
        assert_eq!(
            csv_line(["=HYPERLINK(\"x\")", "KS 2016/20"].into_iter()),
            "\"'=HYPERLINK(\"\"x\"\")\";KS 2016/20\r\n"
        );
        assert_eq!(csv_line(["a;b", "-5", "rad 1\nrad 2"].into_iter()), "\"a;b\";'-5;\"rad 1\nrad 2\"\r\n");
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Tranås"), "Tranås");
    }

    #[derive(Serialize)]
    struct Row {
        n: u32,
    }
    impl CsvRecord for Row {
        const HEADERS: &'static [&'static str] = &["n"];
    }

    #[derive(Serialize)]
    struct Partner {
        name: &'static str,
        country: &'static str,
        kind: &'static str,
    }

    #[derive(Serialize)]
    struct Work {
        id: i64,
        status: &'static str,
        active: bool,
        owner_organisation_id: i64,
        country: &'static str,
        partners: Vec<Partner>,
        archived_at: Option<String>,
        can: bool,
    }
    impl CsvRecord for Work {
        const HEADERS: &'static [&'static str] =
            &["id", "status", "active", "owner_organisation_id", "country", "partners", "archived_at"];
        const CODES: &'static [(&'static str, CodeName)] = &[
            ("status", swedish_name::<utblick_domain::governance::CollaborationStatus>),
            ("partners.kind", swedish_name::<utblick_domain::governance::PartnerKind>),
        ];
    }

    #[test]
    fn hundredths_are_written_with_two_decimals_and_a_comma() {
        assert_eq!(with_two_decimals(123_456), "1234,56");
        assert_eq!(with_two_decimals(5), "0,05");
        assert_eq!(with_two_decimals(-250), "-2,50");
        assert_eq!(with_two_decimals(0), "0,00");
    }

    #[test]
    fn every_column_of_every_list_has_a_swedish_header() {
        use crate::routes::*;
        let lists = [
            collaborations::CollaborationDto::HEADERS,
            contacts::ContactDto::HEADERS,
            decisions::DecisionDto::HEADERS,
            frameworks::FrameworkSummary::HEADERS,
            organisations::OrganisationDto::HEADERS,
            programmes::ProgrammeSummary::HEADERS,
            projects::ProjectDto::HEADERS,
            activities::ActivityDto::HEADERS,
            leads::LeadDto::HEADERS,
            twin_towns::TwinTownDto::HEADERS,
        ];
        for key in lists.concat() {
            assert_ne!(swedish_header(key), key, "no Swedish header for {key}");
        }
    }

    #[test]
    fn a_file_for_people_names_codes_references_and_countries_in_swedish() {
        let work = Work {
            id: 7,
            status: "active",
            active: true,
            owner_organisation_id: 3,
            country: "PL",
            partners: vec![Partner { name: "Eurocities", country: "BE", kind: "network" }],
            archived_at: None,
            can: true,
        };
        assert_eq!(
            cells(&work, None).unwrap(),
            ["7", "active", "true", "3", "PL", "Eurocities (BE, network)", ""],
            "scripts get the stable codes and ids"
        );
        let mut people = ForPeople::default();
        people.names.insert(Named::Organisation, HashMap::from([(3, "Tekniska förvaltningen".to_owned())]));
        let status = swedish_name::<utblick_domain::governance::CollaborationStatus>("active").unwrap();
        let network = swedish_name::<utblick_domain::governance::PartnerKind>("network").unwrap();
        assert_eq!(
            cells(&work, Some(&people)).unwrap(),
            [
                "7".to_owned(),
                status.to_owned(),
                "ja".into(),
                "Tekniska förvaltningen".into(),
                "Polen".into(),
                format!("Eurocities (Belgien, {network})"),
                String::new()
            ]
        );
        let headers: Vec<&str> = Work::HEADERS.iter().map(|k| swedish_header(k)).collect();
        assert_eq!(headers, ["Id", "Status", "Aktiv", "Ägande organisation", "Land", "Parter", "Arkiverad"]);
    }

    /// The chunks an export of `rows` rows would send, batch by batch.
    fn export(format: ListFormat, rows: u32) -> (Vec<Vec<u8>>, String) {
        let all: Vec<Row> = (0..rows).map(|n| Row { n }).collect();
        let mut chunks = Vec::new();
        let mut written = 0u64;
        let batches: Vec<&[Row]> = if all.is_empty() { vec![&all[..]] } else { all.chunks(BATCH).collect() };
        let n = batches.len();
        for (i, batch) in batches.into_iter().enumerate() {
            let mut out = if i == 0 { header_bytes::<Row>(format, false) } else { Vec::new() };
            encode(format, batch, written, None, &mut out).unwrap();
            written += batch.len() as u64;
            if i + 1 == n {
                out.extend_from_slice(&footer_bytes(format, written).unwrap());
            }
            chunks.push(out);
        }
        let text = String::from_utf8(chunks.concat()).expect("utf-8");
        (chunks, text)
    }

    #[test]
    fn exports_are_written_in_batches_and_whole() {
        let (chunks, text) = export(ListFormat::Csv, 1234);
        assert_eq!(chunks.len(), 3, "500 + 500 + 234 rows");
        assert!(text.starts_with("\u{feff}n\r\n0\r\n1\r\n"));
        assert!(text.ends_with("\r\n1233\r\n"));
        assert_eq!(text.lines().count(), 1235);

        let (chunks, text) = export(ListFormat::Json, 1000);
        assert_eq!(chunks.len(), 2, "two full batches, the second closing the list");
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["items"].as_array().map(Vec::len), Some(1000));
        assert_eq!(v["total"], 1000);
        assert_eq!(v["total_pages"], 1);

        let (_, text) = export(ListFormat::Json, 0);
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["items"], serde_json::json!([]));
        assert_eq!(v["total"], 0);
        assert_eq!(v["per_page"], 0, "an empty export holds no items");
        assert_eq!(v["total_pages"], 0);
    }

    #[test]
    fn exports_are_limited_per_caller_and_in_all_and_give_their_place_back() {
        let gate = Arc::new(ExportGate::new(3, 2, 1));
        let a1 = ExportGate::admit(&gate, "user:1".into()).unwrap();
        let _a2 = ExportGate::admit(&gate, "user:1".into()).unwrap();
        assert!(matches!(
            ExportGate::admit(&gate, "user:1".into()),
            Err(ApiError::TooManyExports { per_caller: true, .. })
        ));
        let _b1 = ExportGate::admit(&gate, "user:2".into()).unwrap();
        assert!(matches!(
            ExportGate::admit(&gate, "user:3".into()),
            Err(ApiError::TooManyExports { per_caller: false, .. })
        ));
        drop(a1);
        assert_eq!(gate.running(), 2);
        assert!(ExportGate::admit(&gate, "user:3".into()).is_ok());
    }
}
