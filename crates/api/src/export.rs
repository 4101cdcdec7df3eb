//! Answering a list: a page of JSON, or the whole list as an export — CSV that Swedish
//! Excel opens as it is (UTF-8 with BOM, `;`-separated, formula injection neutralised) or
//! JSON. Exports stream: rows are read in batches inside one read-only snapshot and sent as
//! they are written, so memory stays flat however long the list is.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utblick_db::listing::ByIds;
use utblick_db::{DbConn, DbError, DbPool};
use utblick_domain::PageRequest;

use crate::dto::PageInfo;
use crate::error::ApiError;

/// How a list answers: a page of JSON, or all matching rows as a CSV or JSON export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Page,
    Csv,
    Json,
}

/// Rows read from the database at a time while exporting.
const BATCH: u32 = 500;

/// How long an export waits for a client that stopped reading before it gives up (and
/// gives its database connection back).
const STALLED_CLIENT: Duration = Duration::from_secs(60);

/// `?format=csv|json`, else `Accept: text/csv`, else a page.
pub fn list_format(format: Option<&str>, req: &HttpRequest) -> Result<ListFormat, ApiError> {
    match format.map(str::trim) {
        Some("csv") => Ok(ListFormat::Csv),
        Some("json") => Ok(ListFormat::Json),
        Some(_) => Err(ApiError::invalid_parameter("format", "must be csv or json")),
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            Ok(if accept.contains("text/csv") { ListFormat::Csv } else { ListFormat::Page })
        }
    }
}

/// A list item as a CSV row.
pub trait CsvRecord {
    /// The header row (stable, English field names as in the JSON).
    const HEADERS: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
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
    T: Serialize + CsvRecord + Send + 'static,
    Fl: ByIds + Send + 'static,
    Pg: Serialize,
    F: Fn(&mut DbConn, &Fl, u64, u32) -> Result<Vec<T>, ApiError> + Send + 'static,
    P: FnOnce(Vec<T>, PageInfo) -> Pg,
{
    /// Answers with a page, or (`?format=`, `Accept: text/csv`) the whole list.
    pub async fn respond(
        self,
        pool: &web::Data<DbPool>,
        req: &HttpRequest,
        format: Option<&str>,
        paging: PageRequest,
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
        let list_ids = self.ids;
        let all = filter.clone();
        let ids = move |conn: &mut DbConn| Ok(list_ids(conn, &all)?);
        let fetch = move |conn: &mut DbConn, batch: &[i64]| {
            let limit = u32::try_from(batch.len()).unwrap_or(BATCH);
            fetch(conn, &filter.only(batch), 0, limit)
        };
        stream_export(pool.get_ref().clone(), format, self.filename, ids, fetch).await
    }
}

/// Starts the export on the blocking pool and answers once its first batch is written, so a
/// failure before any row (the database is down) is still a problem+json answer.
async fn stream_export<T, I, F>(
    pool: DbPool,
    format: ListFormat,
    filename: &'static str,
    ids: I,
    fetch: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize + CsvRecord + Send + 'static,
    I: FnOnce(&mut DbConn) -> Result<Vec<i64>, ApiError> + Send + 'static,
    F: Fn(&mut DbConn, &[i64]) -> Result<Vec<T>, ApiError> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<Result<(), ApiError>>();
    // Set once the last row is sent; a stream that ends without it was cut short, and the
    // response is broken off rather than ended, so no client takes a short file for a
    // whole one.
    let complete = Arc::new(AtomicBool::new(false));
    let finished = Arc::clone(&complete);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut ready = Some(ready_tx);
        let mut emit = |chunk: Vec<u8>| -> bool {
            if let Some(r) = ready.take() {
                let _ = r.send(Ok(()));
            }
            // Waiting on a client that stopped reading would hold a database connection
            // forever; after a minute the export ends.
            matches!(
                runtime.block_on(tokio::time::timeout(STALLED_CLIENT, tx.send(Bytes::from(chunk)))),
                Ok(Ok(()))
            )
        };
        let result = (|| -> Result<bool, ApiError> {
            let mut conn = pool.get().map_err(DbError::Pool)?;
            utblick_db::listing::read_snapshot::<_, ApiError, _>(&mut conn, |conn| {
                let ids = ids(conn)?;
                write_export(conn, format, &ids, &fetch, &mut emit)
            })
        })();
        match result {
            Ok(true) => finished.store(true, Ordering::SeqCst),
            Ok(false) => tracing::warn!("export stopped: the client went away or stopped reading"),
            Err(e) => match ready.take() {
                Some(r) => {
                    let _ = r.send(Err(e));
                }
                None => tracing::error!(error = %e, "export failed part-way"),
            },
        }
    });
    match ready_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e),
        Err(_) => return Err(ApiError::Internal("the export stopped before it began".into())),
    }
    let body = futures_util::stream::unfold((rx, complete, false), |(mut rx, complete, ended)| async move {
        if ended {
            return None;
        }
        match rx.recv().await {
            Some(chunk) => Some((Ok(chunk), (rx, complete, false))),
            None if complete.load(Ordering::SeqCst) => None,
            None => Some((Err(ApiError::Internal("the export was cut short".into())), (rx, complete, true))),
        }
    });
    let (content_type, name) = match format {
        ListFormat::Csv => ("text/csv; charset=utf-8", format!("{filename}.csv")),
        _ => ("application/json", format!("{filename}.json")),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .streaming(body))
}

/// Writes the export batch by batch: the rows of `ids` (the whole list, in order), read
/// [`BATCH`] at a time; `emit` sends a chunk and says whether to go on (the client may have
/// gone). True when every row was sent. The JSON has the shape of a page holding every
/// item.
fn write_export<T, F>(
    conn: &mut DbConn,
    format: ListFormat,
    ids: &[i64],
    fetch: &F,
    emit: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<bool, ApiError>
where
    T: Serialize + CsvRecord,
    F: Fn(&mut DbConn, &[i64]) -> Result<Vec<T>, ApiError>,
{
    let mut buf: Vec<u8> = match format {
        ListFormat::Csv => format!("\u{feff}{}", csv_line(T::HEADERS.iter().copied())).into_bytes(),
        _ => b"{\"items\":[".to_vec(),
    };
    let mut written: u64 = 0;
    let mut batches = ids.chunks(BATCH as usize).peekable();
    loop {
        let batch = match batches.next() {
            Some(batch) => fetch(conn, batch)?,
            None => Vec::new(),
        };
        for item in &batch {
            match format {
                ListFormat::Csv => {
                    buf.extend_from_slice(csv_line(item.cells().iter().map(String::as_str)).as_bytes())
                }
                _ => {
                    if written > 0 {
                        buf.push(b',');
                    }
                    serde_json::to_writer(&mut buf, item)
                        .map_err(|e| ApiError::Internal(format!("export item: {e}")))?;
                }
            }
            written += 1;
        }
        let done = batches.peek().is_none();
        if done && format == ListFormat::Json {
            let info = PageInfo::whole_list(written);
            let info =
                serde_json::to_string(&info).map_err(|e| ApiError::Internal(format!("export page: {e}")))?;
            // `],` then the page fields, as if the page struct were flattened into this object.
            buf.extend_from_slice(b"],");
            buf.extend_from_slice(info.trim_start_matches('{').as_bytes());
        }
        if !emit(std::mem::take(&mut buf)) {
            return Ok(false);
        }
        if done {
            return Ok(true);
        }
    }
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

/// An optional value as a cell: empty when absent.
pub fn cell<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A value serialised as a JSON string (a code like `executive_board`) as a cell.
pub fn code_cell<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
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

    struct Row(u32);
    impl Serialize for Row {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_u32(self.0)
        }
    }
    impl CsvRecord for Row {
        const HEADERS: &'static [&'static str] = &["n"];
        fn cells(&self) -> Vec<String> {
            vec![self.0.to_string()]
        }
    }

    fn export(format: ListFormat, rows: u32) -> (Vec<Vec<u8>>, String) {
        let settings = utblick_db::DbSettings::parse(":memory:").expect("url");
        let mut conn = utblick_db::establish(&settings).expect("sqlite");
        let fetch = |_: &mut DbConn, batch: &[i64]| -> Result<Vec<Row>, ApiError> {
            Ok(batch.iter().map(|i| Row(u32::try_from(*i).expect("small"))).collect())
        };
        let ids: Vec<i64> = (0..i64::from(rows)).collect();
        let mut chunks = Vec::new();
        let whole = write_export(&mut conn, format, &ids, &fetch, &mut |c| {
            chunks.push(c);
            true
        })
        .expect("export");
        assert!(whole);
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
    }

    #[test]
    fn an_export_stops_when_the_client_goes() {
        let settings = utblick_db::DbSettings::parse(":memory:").expect("url");
        let mut conn = utblick_db::establish(&settings).expect("sqlite");
        let fetched = std::cell::Cell::new(0);
        let fetch = |_: &mut DbConn, batch: &[i64]| -> Result<Vec<Row>, ApiError> {
            fetched.set(fetched.get() + 1);
            Ok(batch.iter().map(|i| Row(u32::try_from(*i).expect("small"))).collect())
        };
        let ids: Vec<i64> = (0..5000).collect();
        let mut sent = 0;
        let whole = write_export(&mut conn, ListFormat::Csv, &ids, &fetch, &mut |_| {
            sent += 1;
            sent < 2
        })
        .expect("export");
        assert!(!whole, "cut short");
        assert_eq!((sent, fetched.get()), (2, 2), "no batch read after the client went");
    }
}
