//! A list as a real spreadsheet (XLSX, written by `rust_xlsxwriter`): the columns of the
//! CSV export, with typed cells — days as dates, money and hours as numbers with two
//! decimals, counts and ids as numbers, yes/no as booleans (words for people) — a bold
//! header row that stays in view and filters, and columns as wide as their contents.
//! Asked for in Swedish, the file is for people as the CSV is: Swedish headers, names
//! instead of codes and references.

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

use crate::error::ApiError;
use crate::export::{CsvRecord, ForPeople, plain_cell, swedish_header};

/// One cell of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// Hundredths shown as a number with two decimals.
    Hundredths(i64),
    Date(NaiveDate),
    Bool(bool),
}

/// The typed cell of a column's JSON value.
pub fn cell<T: CsvRecord>(key: &str, v: &Value, people: Option<&ForPeople>) -> Cell {
    let text = |v: &Value| people.map_or_else(|| plain_cell(v), |p| p.cell::<T>(key, v));
    match v {
        Value::Null => Cell::Empty,
        Value::Bool(b) if people.is_none() => Cell::Bool(*b),
        Value::Number(n) if T::HUNDREDTHS.contains(&key) => n.as_i64().map_or(Cell::Empty, Cell::Hundredths),
        Value::Number(n) => match text(v) {
            // A reference written as its name, for people.
            name if name != n.to_string() => Cell::Text(name),
            _ => n.as_f64().map_or(Cell::Empty, Cell::Number),
        },
        Value::String(s) if s.len() == 10 => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(day) => Cell::Date(day),
            Err(_) => Cell::Text(text(v)),
        },
        other => Cell::Text(text(other)),
    }
}

/// The workbook: one sheet named `sheet`, the header row and the rows.
pub fn workbook<T: CsvRecord>(
    sheet: &str,
    rows: &[Vec<Cell>],
    for_people: bool,
) -> Result<Vec<u8>, ApiError> {
    let headers: Vec<&str> =
        T::HEADERS.iter().map(|key| if for_people { swedish_header(key) } else { key }).collect();
    workbook_of(&[Sheet { name: sheet, headers: &headers, rows }])
}

/// One sheet of a workbook: its name, header row and rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<Cell>],
}

/// A workbook of one or more sheets, each with a bold header row that stays in view and
/// filters, and columns as wide as their contents.
pub fn workbook_of(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, ApiError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let two = Format::new().set_num_format("#,##0.00");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(fail)?;
        for (c, header) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, col(c)?, *header, &bold).map_err(fail)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| ApiError::Internal("xlsx: too many rows".into()))?;
            for (c, value) in row.iter().enumerate() {
                let c = col(c)?;
                match value {
                    Cell::Empty => continue,
                    Cell::Text(s) => ws.write_string(r, c, s),
                    Cell::Number(n) => ws.write_number(r, c, *n),
                    #[allow(clippy::cast_precision_loss)]
                    Cell::Hundredths(h) => ws.write_number_with_format(r, c, *h as f64 / 100.0, &two),
                    Cell::Date(d) => {
                        let excel = ExcelDateTime::from_ymd(
                            u16::try_from(chrono::Datelike::year(d)).unwrap_or(1900),
                            u8::try_from(chrono::Datelike::month(d)).unwrap_or(1),
                            u8::try_from(chrono::Datelike::day(d)).unwrap_or(1),
                        )
                        .map_err(fail)?;
                        ws.write_datetime_with_format(r, c, &excel, &day)
                    }
                    Cell::Bool(b) => ws.write_boolean(r, c, *b),
                }
                .map_err(fail)?;
            }
        }
        let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
        let last_col = col(sheet.headers.len().saturating_sub(1))?;
        ws.set_freeze_panes(1, 0).map_err(fail)?;
        ws.autofilter(0, 0, last_row, last_col).map_err(fail)?;
        ws.autofit();
    }
    book.save_to_buffer().map_err(fail)
}

fn col(c: usize) -> Result<u16, ApiError> {
    u16::try_from(c).map_err(|_| ApiError::Internal("xlsx: too many columns".into()))
}
