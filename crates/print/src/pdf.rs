//! A document as an accessible PDF: typst lays out `document.typ`, which reads the document
//! as data; typst-pdf writes it tagged, conforming to PDF/UA-1 (title, language, headings,
//! table headers, text alternatives; checked by the writer, which refuses a document that
//! breaks a rule) and to PDF/A-2a, the archival standard for a public record kept for good.

use std::sync::LazyLock;

use chrono::Datelike;
use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::{Block, Document, PrintError, paragraphs};

const LAYOUT: &str = include_str!("document.typ");

/// The fonts built into the binary, read once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The most charts a document holds: each has a fixed file name (typst keeps every file
/// name it has seen for the life of the process, so names are never made per document).
const MAX_CHARTS: usize = 32;

fn file_id(path: &str) -> Result<FileId, PrintError> {
    let vpath = VirtualPath::new(path).map_err(|e| PrintError::Pdf(format!("{path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The document as the layout reads it.
#[derive(Serialize)]
struct Data<'a> {
    title: &'a str,
    author: &'a str,
    lang: &'static str,
    region: &'static str,
    page_word: &'static str,
    of_word: &'static str,
    date: [u32; 3],
    lead: &'a [String],
    blocks: Vec<DataBlock<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum DataBlock<'a> {
    Heading { level: u8, text: &'a str },
    Text { paragraphs: Vec<String> },
    Table { caption: &'a str, headers: &'a [String], numeric: Vec<bool>, rows: &'a [Vec<String>] },
    Chart { file: String, alt: &'a str },
}

struct DocWorld {
    main: Source,
    /// `/document.json` and the charts, by id.
    files: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn errors(diags: &[SourceDiagnostic]) -> PrintError {
    PrintError::Pdf(diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; "))
}

/// The document as a PDF (PDF/UA-1 and PDF/A-2a). Takes a few hundred milliseconds for a
/// long document: call it off the async runtime's threads.
pub fn pdf(doc: &Document) -> Result<Vec<u8>, PrintError> {
    let charts = doc.blocks.iter().filter(|b| matches!(b, Block::Chart { .. })).count();
    if charts > MAX_CHARTS {
        return Err(PrintError::Pdf(format!("{charts} charts, at most {MAX_CHARTS}")));
    }
    let (page_word, of_word) = doc.language.page_of();
    let mut files = Vec::new();
    let mut blocks = Vec::with_capacity(doc.blocks.len());
    for b in &doc.blocks {
        blocks.push(match b {
            Block::Heading { level, text } => DataBlock::Heading { level: (*level).clamp(1, 3), text },
            Block::Text { text } => DataBlock::Text { paragraphs: paragraphs(text) },
            Block::Table { caption, headers, numeric, rows } => DataBlock::Table {
                caption,
                headers,
                numeric: (0..headers.len()).map(|i| numeric.get(i).copied().unwrap_or(false)).collect(),
                rows,
            },
            Block::Chart { svg, alt } => {
                let file = format!("/chart-{}.svg", files.len());
                files.push((file_id(&file)?, Bytes::new(svg.clone().into_bytes())));
                DataBlock::Chart { file, alt }
            }
        });
    }
    // Every row as wide as its header (a table's cells flow into its columns).
    for b in &blocks {
        if let DataBlock::Table { headers, rows, caption, .. } = b
            && rows.iter().any(|r| r.len() != headers.len())
        {
            return Err(PrintError::Pdf(format!("a row of \"{caption}\" is not as wide as its header")));
        }
    }
    let data = Data {
        title: &doc.title,
        author: &doc.author,
        lang: doc.language.code(),
        region: doc.language.region(),
        page_word,
        of_word,
        date: [u32::try_from(doc.date.year()).unwrap_or(1970), doc.date.month(), doc.date.day()],
        lead: &doc.lead,
        blocks,
    };
    let json = serde_json::to_vec(&data).map_err(|e| PrintError::Pdf(e.to_string()))?;
    files.push((file_id("/document.json")?, Bytes::new(json)));
    let world = DocWorld {
        main: Source::new(file_id("/main.typ")?, LAYOUT.to_owned()),
        files,
        today: Datetime::from_ymd(
            doc.date.year(),
            u8::try_from(doc.date.month()).unwrap_or(1),
            u8::try_from(doc.date.day()).unwrap_or(1),
        ),
    };
    let laid_out = typst::compile::<PagedDocument>(&world).output;
    let written = laid_out.map_err(|e| errors(&e)).and_then(|document| {
        let standards = PdfStandards::new(&[PdfStandard::Ua_1, PdfStandard::A_2a])
            .map_err(|e| PrintError::Pdf(e.message().to_string()))?;
        let options = PdfOptions {
            standards,
            creator: typst::foundations::Smart::Custom(Some("Utblick".to_owned())),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|e| errors(&e))
    });
    // typst memoises what it laid out; a server writes each document once, so nothing is kept.
    comemo::evict(0);
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_becomes_a_tagged_pdf_with_its_title_and_language() {
        let bytes = pdf(&crate::sample()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/StructTreeRoot"), "tagged");
        assert!(text.contains("/Lang(sv-SE)"), "its language");
        assert!(text.contains("<pdfuaid:part>1</pdfuaid:part>"), "claims PDF/UA-1");
        assert!(text.contains("<pdfaid:part>2</pdfaid:part>"), "claims PDF/A-2");
    }

    #[test]
    fn a_row_wider_than_its_header_is_refused_not_laid_out_wrong() {
        let mut doc = crate::sample();
        if let Some(Block::Table { rows, .. }) =
            doc.blocks.iter_mut().find(|b| matches!(b, Block::Table { .. }))
        {
            rows.push(vec!["a".into(), "b".into(), "c".into()]);
        }
        assert!(matches!(pdf(&doc), Err(PrintError::Pdf(_))));
    }
}
