//! Reading an import: the same CSV and XLSX files the exports write, for scripts (column
//! keys, codes, ids, whole hundredths in CSV) or for people (Swedish headers, names of codes,
//! organisations and countries, kronor and hours with decimals). A file is read into a
//! [`Table`]; each resource turns a row into its request body with [`Row`], and every bad
//! cell is named `rows[N].column`, N being the row's number in the spreadsheet (the header
//! is row 1).

use std::collections::HashMap;

use calamine::{Data, Reader};
use utblick_domain::FieldError;
use utblick_domain::codes::Code;

use crate::error::ApiError;
use crate::export::swedish_header;

/// The spreadsheet MIME type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An import file as rows of cell texts, by column key.
#[derive(Debug)]
pub struct Table {
    /// The column key of each column (`None`: a column the resource does not know).
    columns: Vec<Option<&'static str>>,
    /// Each row's number in the sheet and its cells.
    pub rows: Vec<(usize, Vec<String>)>,
    /// Money and hours are written with decimals (a spreadsheet, or a file for people)
    /// rather than as whole hundredths (a CSV file for scripts).
    decimals: bool,
    /// The file names things for people (Swedish headers).
    for_people: bool,
}

fn bad_file(en: &str, sv: &str) -> ApiError {
    ApiError::Validation(utblick_domain::ValidationErrors(vec![FieldError::rule(
        "file",
        "unreadable",
        en,
        sv,
    )]))
}

impl Table {
    /// Reads a CSV (`;`-separated, as exported, with or without the BOM) or XLSX (its first
    /// sheet) file, whose header row names the columns by key or by Swedish header; or a JSON
    /// export (`{"items": [...]}`), whose items' fields are the columns.
    pub fn read(content_type: &str, bytes: &[u8], known: &'static [&'static str]) -> Result<Self, ApiError> {
        let xlsx = content_type.starts_with(XLSX) || bytes.starts_with(b"PK\x03\x04");
        let json = !xlsx
            && (content_type.starts_with("application/json")
                || bytes
                    .trim_ascii_start()
                    .strip_prefix(b"\xef\xbb\xbf")
                    .unwrap_or(bytes)
                    .trim_ascii_start()
                    .starts_with(b"{"));
        let mut lines = if xlsx {
            read_xlsx(bytes)?
        } else if json {
            read_json(bytes, known)?
        } else {
            read_csv(bytes)?
        }
        .into_iter();
        let header = lines.next().ok_or_else(|| bad_file("the file is empty", "filen är tom"))?;
        let columns: Vec<Option<&'static str>> = header
            .iter()
            .map(|h| known.iter().copied().find(|k| *k == h.trim() || swedish_header(k) == h.trim()))
            .collect();
        if columns.iter().all(Option::is_none) {
            return Err(bad_file(
                "the header row names none of the columns of the export",
                "rubrikraden nämner ingen av exportens kolumner",
            ));
        }
        let for_people =
            header.iter().any(|h| known.iter().any(|k| swedish_header(k) == h.trim() && *k != h.trim()));
        let rows = lines
            .enumerate()
            .map(|(i, cells)| (i + 2, cells))
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        Ok(Self { columns, rows, decimals: xlsx || for_people, for_people })
    }

    /// The cells of one row by column key.
    pub fn row<'a>(&'a self, number: usize, cells: &'a [String], names: &'a Names) -> Row<'a> {
        let mut by_key = HashMap::new();
        for (key, cell) in self.columns.iter().zip(cells) {
            if let Some(key) = key {
                by_key.insert(*key, cell.trim());
            }
        }
        Row {
            number,
            cells: by_key,
            decimals: self.decimals,
            for_people: self.for_people,
            names,
            errors: Vec::new(),
        }
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ApiError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(bytes);
    reader
        .records()
        .map(|r| {
            let r =
                r.map_err(|e| bad_file(&format!("not a CSV file: {e}"), &format!("ingen CSV-fil: {e}")))?;
            Ok(r.iter()
                .map(|c| c.strip_prefix('\'').filter(|_| c.starts_with("'=")).unwrap_or(c).to_owned())
                .collect())
        })
        .collect()
}

/// A JSON export as rows: a header row of the known columns, then each item's fields as
/// scripts' CSV has them ([`crate::export::plain_cell`]).
fn read_json(bytes: &[u8], known: &'static [&'static str]) -> Result<Vec<Vec<String>>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Export {
        items: Vec<serde_json::Map<String, serde_json::Value>>,
    }
    let export: Export = serde_json::from_slice(bytes).map_err(|e| {
        bad_file(
            &format!("not a JSON export (an object with `items`): {e}"),
            &format!("ingen JSON-export (ett objekt med `items`): {e}"),
        )
    })?;
    let header = known.iter().map(|k| (*k).to_owned()).collect();
    let rows = export.items.iter().map(|item| {
        known.iter().map(|k| item.get(*k).map(crate::export::plain_cell).unwrap_or_default()).collect()
    });
    Ok(std::iter::once(header).chain(rows).collect())
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ApiError> {
    let unreadable =
        |e: String| bad_file(&format!("not a spreadsheet: {e}"), &format!("inget kalkylark: {e}"));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("no sheet".into()))?
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(sheet
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d.as_datetime().map(|t| t.date().to_string()).unwrap_or_default(),
                    Data::Error(e) => format!("{e:?}"),
                })
                .collect()
        })
        .collect())
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows equal to what is stored: importing a file twice changes nothing.
    pub unchanged: usize,
    /// Nothing was stored.
    pub dry_run: bool,
}

/// `?dry_run=true`: check the whole file and say what it would do, storing nothing.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    #[param(value_type = Option<bool>)]
    pub dry_run: Option<String>,
}

/// A register's import: its columns (the export's), how a row becomes the body the API
/// takes, and how that body becomes the use case's draft.
pub struct Importer<I: utblick_app::import::Importable, B> {
    pub columns: &'static [&'static str],
    pub of_row: fn(&mut Row) -> B,
    pub draft: fn(&B, &mut Row) -> Result<I::Draft, utblick_domain::ValidationErrors>,
}

impl<I, B> Importer<I, B>
where
    I: utblick_app::import::Importable + 'static,
    I::Draft: Send + 'static,
{
    /// Reads the file and checks every row, without the database: each row's number, the id
    /// of the record it changes (if it names one) and its draft; or every bad row and field
    /// at once. (`fuzz/` feeds it arbitrary files.)
    #[allow(clippy::type_complexity)]
    pub fn read(
        &self,
        content_type: &str,
        body: &[u8],
        names: &Names,
    ) -> Result<Vec<(usize, Option<i64>, I::Draft)>, ApiError> {
        let table = Table::read(content_type, body, self.columns)?;
        let mut errors = Vec::new();
        let mut drafts = Vec::new();
        for (n, cells) in &table.rows {
            let mut row = table.row(*n, cells, names);
            let body = (self.of_row)(&mut row);
            let keep = row.id("id");
            let draft = (self.draft)(&body, &mut row);
            let prefix = format!("rows[{n}]");
            errors.extend(row.errors.into_iter().map(|e| e.under(&prefix)));
            match draft {
                Ok(d) => match utblick_app::import::import_key(keep, I::external_id(&d)) {
                    Ok(_) => drafts.push((*n, keep, d)),
                    Err(e) => errors.push(e.under(&prefix)),
                },
                Err(e) => errors.extend(e.0.into_iter().map(|e| e.under(&prefix))),
            }
        }
        if errors.is_empty() {
            Ok(drafts)
        } else {
            Err(ApiError::Validation(utblick_domain::ValidationErrors(errors)))
        }
    }

    /// Reads the file, checks every row (all bad rows and fields named at once), and runs
    /// the import as one command.
    pub async fn run(
        &self,
        pool: &actix_web::web::Data<utblick_db::DbPool>,
        caller: &crate::auth::Caller,
        req: &actix_web::HttpRequest,
        query: &ImportQuery,
        body: &[u8],
    ) -> Result<actix_web::HttpResponse, ApiError> {
        caller.signed_in()?;
        let mut p = crate::routes::common::QueryParams::new();
        let dry_run = p.boolean("dry_run", query.dry_run.as_deref()).unwrap_or(false);
        p.finish()?;
        let content_type =
            req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let names = crate::routes::with_conn(pool, Names::read).await?;
        let drafts = self.read(&content_type, body, &names)?;
        let r = crate::exec::run(pool, caller, req, move |conn, ctx| {
            utblick_app::import::import::<I>(conn, ctx, &drafts, dry_run)
        })
        .await?;
        let report = ImportReport {
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            dry_run: r.dry_run,
        };
        Ok(actix_web::HttpResponse::Ok().json(report))
    }
}

/// Names a file for people uses instead of ids: name (in lower case) → id, per kind of
/// record; `None` for a name two records share (the file must give the id).
#[derive(Debug, Default)]
pub struct Names {
    pub organisations: HashMap<String, Option<i64>>,
    pub officials: HashMap<String, Option<i64>>,
    pub contacts: HashMap<String, Option<i64>>,
    pub funding_programmes: HashMap<String, Option<i64>>,
}

/// Which names of [`Names`] a column refers to.
pub type NamesOf = fn(&Names) -> &HashMap<String, Option<i64>>;

impl Names {
    pub fn read(conn: &mut utblick_db::DbConn) -> Result<Self, utblick_db::DbError> {
        use utblick_db::names::{Named, names};
        let flip = |m: HashMap<i64, String>| {
            let mut by_name: HashMap<String, Option<i64>> = HashMap::new();
            for (id, name) in m {
                by_name.entry(name.to_lowercase()).and_modify(|found| *found = None).or_insert(Some(id));
            }
            by_name
        };
        Ok(Self {
            organisations: flip(names(conn, Named::Organisation)?),
            officials: flip(names(conn, Named::Official)?),
            contacts: flip(names(conn, Named::Contact)?),
            funding_programmes: flip(names(conn, Named::FundingProgramme)?),
        })
    }
}

/// One row being read: each typed read records what is wrong with its cell.
pub struct Row<'a> {
    pub number: usize,
    cells: HashMap<&'static str, &'a str>,
    decimals: bool,
    for_people: bool,
    names: &'a Names,
    pub errors: Vec<FieldError>,
}

impl<'a> Row<'a> {
    fn wrong(&mut self, key: &str, en: &str, sv: &str) {
        self.errors.push(FieldError::rule(key, "invalid_type", en, sv));
    }

    /// The names a file for people may use instead of ids.
    pub fn names(&self) -> &'a Names {
        self.names
    }

    /// The text of a column ("" when the column or the cell is missing).
    pub fn text(&self, key: &str) -> String {
        self.cells.get(key).copied().unwrap_or("").to_owned()
    }

    /// An optional text: `None` when blank.
    pub fn optional(&self, key: &str) -> Option<String> {
        Some(self.text(key)).filter(|t| !t.is_empty())
    }

    /// A code of the list `C`: the code, or (in a file for people) its Swedish name.
    pub fn code<C: Code>(&self, key: &str) -> String {
        self.code_in::<C>(&self.text(key))
    }

    /// `text`, a code of the list `C` or (in a file for people) its Swedish name, as the code.
    pub fn code_in<C: Code>(&self, text: &str) -> String {
        C::all()
            .iter()
            .find(|c| self.for_people && c.swedish().eq_ignore_ascii_case(text))
            .map_or_else(|| text.to_owned(), |c| c.code().to_owned())
    }

    /// A whole number; 0 when blank.
    pub fn integer(&mut self, key: &str) -> i64 {
        self.integer_in(key, &self.text(key))
    }

    /// `text` as a whole number; 0 when blank.
    pub fn integer_in(&mut self, key: &str, text: &str) -> i64 {
        if text.is_empty() {
            return 0;
        }
        match text.trim_end_matches(".0").parse() {
            Ok(n) => n,
            Err(_) => {
                self.wrong(key, "must be a whole number", "ska vara ett heltal");
                0
            }
        }
    }

    /// Money or hours in whole hundredths: decimals (`72,5`, `72.50`) in a spreadsheet or a
    /// file for people, whole hundredths (`7250`) in a CSV file for scripts; 0 when blank.
    pub fn hundredths(&mut self, key: &str) -> i64 {
        self.hundredths_in(key, &self.text(key), self.decimals)
    }

    /// Hundredths inside a list column's item: with decimals in a file for people only (a
    /// spreadsheet for scripts writes them as text, whole hundredths).
    pub fn item_hundredths(&mut self, key: &str, text: &str) -> i64 {
        self.hundredths_in(key, text, self.for_people)
    }

    fn hundredths_in(&mut self, key: &str, text: &str, decimals: bool) -> i64 {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
        if text.is_empty() {
            return 0;
        }
        if !decimals {
            return self.integer_in(key, &text);
        }
        let (whole, part) = text.split_once('.').unwrap_or((&text, ""));
        let value = (whole.parse::<i64>(), part.len() <= 2 && part.chars().all(|c| c.is_ascii_digit()));
        match value {
            (Ok(w), true) if !whole.starts_with(['-', '+']) => {
                let part: i64 = format!("{part:0<2}").parse().unwrap_or(0);
                w.checked_mul(100).and_then(|w| w.checked_add(part)).unwrap_or(i64::MAX)
            }
            _ => {
                self.wrong(
                    key,
                    "must be a number with at most two decimals",
                    "ska vara ett tal med högst två decimaler",
                );
                0
            }
        }
    }

    /// A day, `2026-11-29`; `None` when blank.
    pub fn date(&mut self, key: &str) -> Option<chrono::NaiveDate> {
        let text = self.text(key);
        if text.is_empty() {
            return None;
        }
        let day = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        if day.is_none() {
            self.wrong(key, "must be a date like 2026-11-26", "ska vara ett datum som 2026-11-26");
        }
        day
    }

    /// A day that must be there; a placeholder when it is not (and the row is refused).
    pub fn required_date(&mut self, key: &str) -> chrono::NaiveDate {
        if self.text(key).is_empty() {
            self.errors.push(FieldError::rule(key, "required", "is required", "måste anges"));
        }
        self.date(key).unwrap_or_default()
    }

    /// A reference by id, or (in a file for people) by name.
    pub fn reference(&mut self, key: &str, names: NamesOf) -> Option<i64> {
        let text = self.text(key);
        if text.is_empty() {
            return None;
        }
        self.reference_in(key, &text, names)
    }

    /// `text`, an id or a name, as the id of a record.
    pub fn reference_in(&mut self, key: &str, text: &str, names: NamesOf) -> Option<i64> {
        if let Ok(id) = text.trim_end_matches(".0").parse() {
            return Some(id);
        }
        match names(self.names).get(&text.to_lowercase()) {
            Some(Some(id)) => Some(*id),
            Some(None) => {
                let (en, sv) =
                    ("names more than one record: write its id", "namnet har flera poster: skriv dess id");
                self.errors.push(FieldError::rule(key, "ambiguous", en, sv));
                None
            }
            None => {
                self.wrong(key, "is no id or name of a record", "är inget id eller namn på en post");
                None
            }
        }
    }

    /// An id; `None` when blank.
    pub fn id(&mut self, key: &str) -> Option<i64> {
        let text = self.text(key);
        if text.is_empty() {
            return None;
        }
        let id = text.trim_end_matches(".0").parse().ok();
        if id.is_none() {
            self.wrong(key, "must be an id", "ska vara ett id");
        }
        id
    }

    /// The items of a list column, `a | b`.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.text(key).split(" | ").map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }

    /// Countries: codes, or (in a file for people) Swedish names.
    pub fn countries(&self, key: &str) -> Vec<String> {
        self.list(key).into_iter().map(|c| Self::country(&c).unwrap_or(c)).collect()
    }

    /// References by id or name, `a | b`.
    pub fn references(&mut self, key: &str, names: NamesOf) -> Vec<i64> {
        self.list(key).iter().filter_map(|item| self.reference_in(key, item, names)).collect()
    }

    /// Ids, `3 | 7`.
    pub fn ids(&mut self, key: &str) -> Vec<i64> {
        let mut out = Vec::new();
        for item in self.list(key) {
            match item.trim_end_matches(".0").parse() {
                Ok(id) => out.push(id),
                Err(_) => self.wrong(key, "must be ids separated by |", "ska vara id:n åtskilda med |"),
            }
        }
        out
    }

    /// The items of a list column whose items have fields, `head (a, b, …) | …`, each as its
    /// head and the text inside its parentheses. A head or a field may itself hold ` (`: the
    /// item is split at the first ` (` where `fits(head, inside)`, else at the last one (and
    /// the fields' own checks name what is wrong). An item without its parentheses is named.
    pub fn items(&mut self, key: &str, fits: &dyn Fn(&str, &str) -> bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for item in self.list(key) {
            let split = item.strip_suffix(')').and_then(|inner| {
                let opens: Vec<usize> = inner.match_indices(" (").map(|(i, _)| i).collect();
                let at = (opens.iter().copied())
                    .find(|i| fits(&inner[..*i], &inner[i + 2..]))
                    .or_else(|| opens.last().copied())?;
                Some((inner[..at].to_owned(), inner[at + 2..].to_owned()))
            });
            match split {
                Some(found) => out.push(found),
                None => self.wrong(
                    key,
                    "each item must read as in the export: a name and its fields in parentheses",
                    "varje del ska se ut som i exporten: ett namn och dess fält inom parentes",
                ),
            }
        }
        out
    }

    /// A country: its code, or (in a file for people) its Swedish name.
    pub fn country(text: &str) -> Option<String> {
        utblick_domain::country_names::COUNTRIES
            .iter()
            .find(|c| c.0 == text || c.1.eq_ignore_ascii_case(text))
            .map(|c| c.0.to_owned())
    }
}
