//! Documents for people: a plain model of a document — a title, headings, paragraphs, tables
//! and charts — written as an accessible PDF ([`pdf`]: tagged, PDF/UA-1, with its title,
//! language and headings, laid out by typst) and as a DOCX to finish in Word ([`docx`]).
//!
//! The model holds text only as text: nothing a person wrote is ever read as markup by
//! either engine (the PDF's layout reads the document as data).

mod docx;
mod pdf;

pub use docx::docx;
pub use pdf::pdf;

use chrono::NaiveDate;
use serde::Serialize;

/// A document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The document's title: its first heading and the title readers and screen readers show.
    pub title: String,
    /// Who issues it (the PDF's and DOCX's author).
    pub author: String,
    /// The language of its text, as BCP 47 (`sv-SE`).
    pub language: Language,
    /// The day it is dated.
    pub date: NaiveDate,
    /// A line under the title (a status, a decision), if any.
    pub lead: Vec<String>,
    pub blocks: Vec<Block>,
}

/// The languages a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Language {
    Swedish,
    English,
}

impl Language {
    /// ISO 639-1, as typst and the PDF know it.
    pub fn code(self) -> &'static str {
        match self {
            Language::Swedish => "sv",
            Language::English => "en",
        }
    }

    /// BCP 47 with the region, as Word knows it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Swedish => "sv-SE",
            Language::English => "en-GB",
        }
    }

    fn region(self) -> &'static str {
        match self {
            Language::Swedish => "SE",
            Language::English => "GB",
        }
    }

    /// "Page 2 of 7" in the document's language.
    fn page_of(self) -> (&'static str, &'static str) {
        match self {
            Language::Swedish => ("Sida", "av"),
            Language::English => ("Page", "of"),
        }
    }
}

/// One part of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section's heading: level 1 under the document's title, 2 under that.
    Heading { level: u8, text: String },
    /// Running text; a blank line starts a new paragraph.
    Text { text: String },
    /// A table with a header row; `numeric` says which columns hold numbers (right-aligned).
    Table { caption: String, headers: Vec<String>, numeric: Vec<bool>, rows: Vec<Vec<String>> },
    /// A chart drawn as SVG, with its text alternative. The PDF shows it; the DOCX, which
    /// carries the same figures as the table beside it, leaves it out.
    Chart { svg: String, alt: String },
}

/// What could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The layout or the PDF writer refused the document (a bug, or a PDF/UA rule broken).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the DOCX could not be written: {0}")]
    Docx(String),
}

/// The text of a [`Block::Text`] as paragraphs: split at blank lines, each trimmed, the empty
/// ones left out.
pub fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
pub(crate) fn sample() -> Document {
    Document {
        title: "Internationellt arbete 2026".into(),
        author: "Tranås kommun".into(),
        language: Language::Swedish,
        date: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default(),
        lead: vec!["Slutlig, version 1".into()],
        blocks: vec![
            Block::Heading { level: 1, text: "Översikt".into() },
            Block::Text {
                text: "Första stycket om #set och *stjärnor* och $pengar$ och <märken>.\n\nAndra stycket, \\ med [hakar]."
                    .into(),
            },
            Block::Table {
                caption: "Per organisation".into(),
                headers: vec!["Organisation".into(), "Aktiviteter".into()],
                numeric: vec![false, true],
                rows: vec![
                    vec!["Barn- och utbildningsförvaltningen".into(), "12".into()],
                    vec!["Totalt".into(), "12".into()],
                ],
            },
            Block::Heading { level: 2, text: "Diagram".into() },
            Block::Chart {
                svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 40\" width=\"100\" height=\"40\">\
                      <rect x=\"0\" y=\"10\" width=\"80\" height=\"20\" fill=\"#1e3a5f\"/>\
                      <text x=\"2\" y=\"8\" font-size=\"8\" font-family=\"system-ui, sans-serif\">Åtta</text></svg>"
                    .into(),
                alt: "Aktiviteter: Åtta".into(),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_paragraphs_at_blank_lines() {
        assert_eq!(paragraphs("Ett\r\nrad två\r\n\r\n  Två  \n\n\n\n"), vec!["Ett\nrad två", "Två"]);
        assert!(paragraphs(" \n\n ").is_empty());
    }
}
