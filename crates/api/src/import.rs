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
    /// sheet) file; its header row names the columns by key or by Swedish header.
    pub fn read(content_type: &str, bytes: &[u8], known: &'static [&'static str]) -> Result<Self, ApiError> {
        let xlsx = content_type.starts_with(XLSX) || bytes.starts_with(b"PK\x03\x04");
        let mut lines = if xlsx { read_xlsx(bytes)? } else { read_csv(bytes)? }.into_iter();
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

/// Names a file for people uses instead of ids: name → id, per kind of record.
#[derive(Debug, Default)]
pub struct Names {
    pub organisations: HashMap<String, i64>,
    pub officials: HashMap<String, i64>,
}

impl Names {
    pub fn read(conn: &mut utblick_db::DbConn) -> Result<Self, utblick_db::DbError> {
        use utblick_db::names::{Named, names};
        let flip =
            |m: HashMap<i64, String>| m.into_iter().map(|(id, name)| (name.to_lowercase(), id)).collect();
        Ok(Self {
            organisations: flip(names(conn, Named::Organisation)?),
            officials: flip(names(conn, Named::Official)?),
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

impl Row<'_> {
    fn wrong(&mut self, key: &str, en: &str, sv: &str) {
        self.errors.push(FieldError::rule(key, "invalid_type", en, sv));
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
        let text = self.text(key);
        C::all()
            .iter()
            .find(|c| self.for_people && c.swedish().eq_ignore_ascii_case(&text))
            .map_or(text, |c| c.code().to_owned())
    }

    /// A whole number; 0 when blank.
    pub fn integer(&mut self, key: &str) -> i64 {
        let text = self.text(key);
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
        let text: String =
            self.text(key).chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
        if text.is_empty() {
            return 0;
        }
        if !self.decimals {
            return self.integer(key);
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
    pub fn reference(&mut self, key: &str, names: fn(&Names) -> &HashMap<String, i64>) -> Option<i64> {
        let text = self.text(key);
        if text.is_empty() {
            return None;
        }
        if let Ok(id) = text.trim_end_matches(".0").parse() {
            return Some(id);
        }
        let found = names(self.names).get(&text.to_lowercase()).copied();
        if found.is_none() {
            self.wrong(key, "is no id or name of a record", "är inget id eller namn på en post");
        }
        found
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
        let by_name = |n: &str| {
            utblick_domain::country_names::COUNTRIES
                .iter()
                .find(|c| c.1.eq_ignore_ascii_case(n))
                .map(|c| c.0.to_owned())
        };
        self.list(key).into_iter().map(|c| by_name(&c).unwrap_or(c)).collect()
    }

    /// References by id or name, `a | b`.
    pub fn references(&mut self, key: &str, names: fn(&Names) -> &HashMap<String, i64>) -> Vec<i64> {
        let mut out = Vec::new();
        for item in self.list(key) {
            match item.trim_end_matches(".0").parse() {
                Ok(id) => out.push(id),
                Err(_) => match names(self.names).get(&item.to_lowercase()) {
                    Some(id) => out.push(*id),
                    None => self.wrong(key, "names no record", "nämner ingen post"),
                },
            }
        }
        out
    }
}
