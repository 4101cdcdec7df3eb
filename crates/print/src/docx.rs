//! A document as DOCX, for the coordinator to finish in Word (the council's agenda has its
//! own template): real headings (Word's navigation pane and table of contents find them),
//! tables with a repeated header row and numbers aligned right, the document's title and
//! language set. Charts are left out: every chart's figures are the table beside it.

use docx_rs::{
    AlignmentType, BreakType, Docx, Paragraph, Run, RunFonts, Style, StyleType, Table, TableCell,
    TableLayoutType, TableRow,
};

use crate::{Block, Document, PrintError, paragraphs};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A run of text; a line break in the text is a line break in Word.
fn run(text: &str) -> Run {
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

fn styles(d: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .outline_lvl(level)
    };
    d.add_style(Style::new("Normal", StyleType::Paragraph).name("Normal"))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(40),
        )
        .add_style(heading("Heading1", "heading 1", 32, 0))
        .add_style(heading("Heading2", "heading 2", 26, 1))
        .add_style(heading("Heading3", "heading 3", 24, 2))
        .add_style(
            Style::new("Caption", StyleType::Paragraph).name("caption").based_on("Normal").bold().size(20),
        )
}

fn table(headers: &[String], numeric: &[bool], rows: &[Vec<String>]) -> Table {
    let right = |i: usize| numeric.get(i).copied().unwrap_or(false);
    let cell = |i: usize, text: &str, bold: bool| {
        let mut r = run(text);
        if bold {
            r = r.bold();
        }
        let p = Paragraph::new().add_run(r);
        TableCell::new().add_paragraph(if right(i) { p.align(AlignmentType::Right) } else { p })
    };
    let mut all = vec![TableRow::new(headers.iter().enumerate().map(|(i, h)| cell(i, h, true)).collect())];
    all.extend(
        rows.iter().map(|r| TableRow::new(r.iter().enumerate().map(|(i, c)| cell(i, c, false)).collect())),
    );
    Table::new(all).layout(TableLayoutType::Autofit)
}

/// The package's core properties: title, author, language, date.
fn core_properties(doc: &Document) -> Vec<u8> {
    let date = doc.date.format("%Y-%m-%dT00:00:00Z");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>{}</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        escape(&doc.title),
        escape(&doc.author),
        doc.language.tag(),
    )
    .into_bytes()
}

/// Puts `what` first inside the first `<element>` that follows each `start` in `xml`,
/// written open or empty (docx-rs writes neither a table's header-row mark nor the default
/// language; each is one element in a known place).
fn fill_after_each(xml: &[u8], start: &str, element: &str, what: &str) -> Result<Vec<u8>, PrintError> {
    let xml = std::str::from_utf8(xml).map_err(|e| PrintError::Docx(e.to_string()))?;
    let missing = || PrintError::Docx(format!("no <{element}> after {start}"));
    let open = format!("<{element}");
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(i) = rest.find(start) {
        let (head, tail) = rest.split_at(i + start.len());
        out.push_str(head);
        let j = tail.find(&open).ok_or_else(missing)?;
        let (before, tail) = tail.split_at(j + open.len());
        out.push_str(before);
        let end = tail.find('>').ok_or_else(missing)?;
        let attributes = tail[..end].trim_end();
        if let Some(attributes) = attributes.strip_suffix('/') {
            out.push_str(&format!("{}>{what}</{element}>", attributes.trim_end()));
        } else if attributes.is_empty() || attributes.starts_with(' ') {
            out.push_str(&format!("{attributes}>{what}"));
        } else {
            return Err(missing());
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

/// The document as a DOCX.
pub fn docx(doc: &Document) -> Result<Vec<u8>, PrintError> {
    let mut d = styles(Docx::new())
        .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri").cs("Calibri").east_asia("Calibri"))
        .default_size(22)
        .add_paragraph(Paragraph::new().style("Title").add_run(run(&doc.title)));
    for line in &doc.lead {
        d = d.add_paragraph(Paragraph::new().add_run(run(line)));
    }
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let style = format!("Heading{}", (*level).clamp(1, 3));
                d = d.add_paragraph(Paragraph::new().style(&style).add_run(run(text)));
            }
            Block::Text { text } => {
                for p in paragraphs(text) {
                    d = d.add_paragraph(Paragraph::new().add_run(run(&p)));
                }
            }
            Block::Table { caption, headers, numeric, rows } => {
                d = d
                    .add_paragraph(Paragraph::new().style("Caption").add_run(run(caption)))
                    .add_table(table(headers, numeric, rows))
                    .add_paragraph(Paragraph::new());
            }
            Block::Chart { .. } => {}
        }
    }
    let mut parts = d.build();
    parts.doc_props.core = core_properties(doc);
    // The first row of every table is its header, repeated on each page and read as such.
    parts.document = fill_after_each(&parts.document, "<w:tbl>", "w:trPr", "<w:tblHeader />")?;
    parts.styles = fill_after_each(
        &parts.styles,
        "<w:rPrDefault>",
        "w:rPr",
        &format!("<w:lang w:val=\"{0}\" w:eastAsia=\"{0}\" w:bidi=\"{0}\" />", doc.language.tag()),
    )?;
    let mut out = std::io::Cursor::new(Vec::new());
    parts.pack(&mut out).map_err(|e| PrintError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_becomes_a_docx_with_header_rows_and_its_language() {
        let bytes = docx(&crate::sample()).unwrap();
        assert!(bytes.starts_with(b"PK"));
        // What the package holds is read back by a DOCX reader in the browser suite.
    }

    #[test]
    fn filling_after_each_finds_every_place_open_or_empty_and_says_when_one_is_missing() {
        let xml = b"<w:tbl><w:tr><w:trPr></w:trPr></w:tr></w:tbl><w:tbl><w:tr><w:trPr /><w:trPrX/>";
        let out = fill_after_each(xml, "<w:tbl>", "w:trPr", "<h/>").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<w:tbl><w:tr><w:trPr><h/></w:trPr></w:tr></w:tbl><w:tbl><w:tr><w:trPr><h/></w:trPr><w:trPrX/>"
        );
        assert!(fill_after_each(b"<w:tbl>", "<w:tbl>", "w:trPr", "<h/>").is_err());
        assert!(fill_after_each(b"<w:tbl><w:trPrX>", "<w:tbl>", "w:trPr", "<h/>").is_err());
    }
}
