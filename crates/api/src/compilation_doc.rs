//! A compilation as the council reads it: every figure as a table with Swedish headings (the
//! same tables beside each chart on the web page, in the CSV and XLSX exports and in the
//! printable page), and the tables as CSV or a workbook of one sheet per table; the whole
//! document — tables, charts and the organisations' texts — as a PDF or DOCX for the council.

use utblick_domain::compilation::{Compilation, Part};
use utblick_domain::report::{ReportFigure, ReportStatus, Totals};

use crate::error::ApiError;
use crate::export::{csv_line, with_two_decimals};
use crate::xlsx::{Cell, Sheet, workbook_of};
use chrono::NaiveDate;
use utblick_print::{Block, Document, Language};

/// One table of a compilation.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable, for scripts (`?table=by_organisation`).
    pub key: &'static str,
    /// Its Swedish title (also the sheet's name: at most 31 characters).
    pub title: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The keys of every table, in the document's order.
pub const TABLES: &[&str] = &[
    "overview",
    "by_organisation",
    "by_priority_area",
    "by_work_kind",
    "by_country",
    "countries_named",
    "funding",
    "years",
    "reports",
    "contributions",
];

fn count(n: u64) -> Cell {
    #[allow(clippy::cast_precision_loss)]
    Cell::Number(n as f64)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

const TOTALS_HEADERS: [&str; 7] = [
    "Aktiviteter",
    "Arbetstid (timmar)",
    "Egna kostnader (kr)",
    "Extern finansiering (kr)",
    "Deltagare",
    "varav kvinnor",
    "varav män",
];

fn totals_cells(t: &Totals) -> Vec<Cell> {
    vec![
        count(t.activities),
        Cell::Hundredths(i64::try_from(t.hours).unwrap_or(i64::MAX)),
        Cell::Hundredths(t.own_cost),
        Cell::Hundredths(t.external_cost),
        count(t.participants),
        count(t.women),
        count(t.men),
    ]
}

fn breakdown(
    key: &'static str,
    title: &'static str,
    first: &'static str,
    parts: &[Part],
    total: &Totals,
) -> Table {
    let mut headers = vec![first];
    headers.extend(TOTALS_HEADERS);
    let mut rows: Vec<Vec<Cell>> = parts
        .iter()
        .map(|p| {
            let mut row = vec![text(p.label.clone())];
            row.extend(totals_cells(&p.totals));
            row
        })
        .collect();
    let mut sum = vec![text("Totalt")];
    sum.extend(totals_cells(total));
    rows.push(sum);
    Table { key, title, headers, rows }
}

/// A share in basis points as a percentage with two decimals.
fn share(bp: Option<u32>) -> Cell {
    bp.map_or(Cell::Empty, |bp| Cell::Hundredths(i64::from(bp)))
}

/// Every table of a compilation, in the document's order ([`TABLES`]).
pub fn tables(c: &Compilation) -> Vec<Table> {
    let t = &c.total;
    let f = &c.funding;
    let g = &c.gate;
    let w = &c.twinning;
    let figure = |label: &str, value: Cell| vec![text(label), value];
    let overview = Table {
        key: "overview",
        title: "Översikt",
        headers: vec!["Mått", "Värde"],
        rows: vec![
            figure("Aktiviteter", count(t.activities)),
            figure("Arbetstid (timmar)", Cell::Hundredths(i64::try_from(t.hours).unwrap_or(i64::MAX))),
            figure("Egna kostnader för aktiviteter (kr)", Cell::Hundredths(t.own_cost)),
            figure("Extern finansiering av aktiviteter (kr)", Cell::Hundredths(t.external_cost)),
            figure("Deltagare", count(t.participants)),
            figure("varav kvinnor", count(t.women)),
            figure("varav män", count(t.men)),
            figure("Projekt under året", count(f.projects)),
            figure("Egna medel i projekten, hela perioden (kr)", Cell::Hundredths(f.own)),
            figure("Beviljad extern medfinansiering, hela perioden (kr)", Cell::Hundredths(f.granted)),
            figure("Sökt extern medfinansiering, ej beslutad (kr)", Cell::Hundredths(f.applied)),
            figure(
                "Hävstång (beviljade kr per egen krona)",
                f.leverage.map_or(Cell::Empty, Cell::Hundredths),
            ),
            figure("Utvecklingsprojekt som lämnade planeringen", count(g.left_planning)),
            figure("varav med prövad medfinansiering innan", count(g.assessed_before)),
            figure("Andel prövade innan (%)", share(g.share)),
            figure(
                "Utvecklingsprojekt utan prövning innan",
                if g.not_assessed.is_empty() { text("–") } else { text(g.not_assessed.join(", ")) },
            ),
            figure(
                "Aktiva vänorter",
                if w.twin_towns.is_empty() { text("–") } else { text(w.twin_towns.join(", ")) },
            ),
            figure("Aktiviteter i vänorternas länder", count(w.activities_in_twin_countries)),
            figure("Nätverksmöten", count(w.network_meetings)),
            figure("Aktiva samarbeten och nätverk", count(w.active_collaborations)),
        ],
    };
    let mut funding = Table {
        key: "funding",
        title: "Extern medfinansiering",
        headers: vec!["Finansieringsprogram", "Beviljat (kr)", "Sökt, ej beslutat (kr)"],
        rows: f
            .by_programme
            .iter()
            .map(|p| vec![text(p.label.clone()), Cell::Hundredths(p.granted), Cell::Hundredths(p.applied)])
            .collect(),
    };
    funding.rows.push(vec![text("Totalt"), Cell::Hundredths(f.granted), Cell::Hundredths(f.applied)]);
    let years = Table {
        key: "years",
        title: "Jämförelse med tidigare år",
        headers: {
            let mut h = vec!["År"];
            h.extend(TOTALS_HEADERS);
            h.push("Källa");
            h
        },
        rows: c
            .years
            .iter()
            .map(|y| {
                let mut row = vec![text(y.year.to_string())];
                row.extend(totals_cells(&y.totals));
                row.push(text(if y.frozen {
                    "Fastställd sammanställning"
                } else {
                    "Registrerade uppgifter nu"
                }));
                row
            })
            .collect(),
    };
    let reports = Table {
        key: "reports",
        title: "Organisationernas rapporter",
        headers: vec!["Organisation", "Status", "Dagar för sent", "Version", "Rättade siffror"],
        rows: c
            .reports
            .iter()
            .map(|r| {
                let status =
                    ReportStatus::parse(&r.status).map_or(r.status.clone(), |s| s.swedish().to_owned());
                let corrections = r
                    .corrections
                    .iter()
                    .map(|k| {
                        let name = ReportFigure::parse(&k.figure)
                            .map_or(k.figure.clone(), |f| f.swedish().to_owned());
                        format!(
                            "{name}: {} i stället för {} ({})",
                            figure_value(&k.figure, k.reported),
                            figure_value(&k.figure, k.computed),
                            k.reason
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    text(r.organisation.clone()),
                    text(status),
                    count(u64::from(r.days_late)),
                    r.version.map_or(Cell::Empty, |v| Cell::Number(f64::from(v))),
                    if corrections.is_empty() { Cell::Empty } else { text(corrections) },
                ]
            })
            .collect(),
    };
    let contributions = Table {
        key: "contributions",
        title: "Bidrag till mål",
        headers: vec!["Organisation", "Mål", "Bidrag"],
        rows: c
            .reports
            .iter()
            .flat_map(|r| {
                r.contributions.iter().map(|k| {
                    vec![text(r.organisation.clone()), text(k.goal.clone()), text(k.contribution.clone())]
                })
            })
            .collect(),
    };
    vec![
        overview,
        breakdown("by_organisation", "Per organisation", "Organisation", &c.by_organisation, t),
        breakdown("by_priority_area", "Per prioriterat område", "Prioriterat område", &c.by_priority_area, t),
        breakdown("by_work_kind", "Per typ av arbete", "Typ av arbete", &c.by_work_kind, t),
        breakdown("by_country", "Per land", "Land", &c.by_country, t),
        Table {
            key: "countries_named",
            title: "Länder som aktiviteterna nämner",
            headers: vec!["Land", "Aktiviteter som nämner landet"],
            rows: c
                .countries_named
                .iter()
                .map(|n| vec![text(n.label.clone()), count(n.activities)])
                .collect(),
        },
        funding,
        years,
        reports,
        contributions,
    ]
}

/// A report figure's value as people read it: hours and money with two decimals.
fn figure_value(figure: &str, v: i64) -> String {
    match figure {
        "hours" | "own_money" | "external_money" => with_two_decimals(v),
        _ => v.to_string(),
    }
}

fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => format!("{n}"),
        Cell::Hundredths(h) => with_two_decimals(*h),
        Cell::Date(d) => d.to_string(),
        Cell::Bool(b) => (if *b { "ja" } else { "nej" }).to_owned(),
    }
}

/// A cell as people read it on a page: numbers with spaces between thousands, two decimals
/// with a decimal comma where the figure has them.
pub fn display_cell(c: &Cell) -> String {
    match c {
        #[allow(clippy::cast_possible_truncation)]
        Cell::Number(n) if n.fract() == 0.0 => utblick_domain::money::swedish_whole(*n as i64),
        Cell::Hundredths(h) => utblick_domain::money::swedish_hundredths(*h),
        other => csv_cell(other),
    }
}

/// Whether a column holds numbers (right-aligned on a page).
pub fn numeric_columns(t: &Table) -> Vec<bool> {
    (0..t.headers.len())
        .map(|i| {
            let mut cells = t.rows.iter().filter_map(|r| r.get(i)).filter(|c| **c != Cell::Empty).peekable();
            cells.peek().is_some() && cells.all(|c| matches!(c, Cell::Number(_) | Cell::Hundredths(_)))
        })
        .collect()
}

/// One table as CSV that Swedish Excel opens as it is: UTF-8 with BOM, `;`-separated,
/// decimal commas, formulas neutralised.
pub fn csv(t: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_line(t.headers.iter().copied()));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(csv_cell).collect();
        out.push_str(&csv_line(cells.iter().map(String::as_str)));
    }
    out.into_bytes()
}

/// Every table as a workbook, one sheet each.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, ApiError> {
    let sheets: Vec<Sheet<'_>> =
        tables.iter().map(|t| Sheet { name: t.title, headers: &t.headers, rows: &t.rows }).collect();
    workbook_of(&sheets)
}

/// The compilation as a document for the council, in the page's order: each table under its
/// heading with its chart, then every organisation's text and its contributions to goals.
/// `lead`: the lines under the title (status, version, the council's decision).
pub fn document(c: &Compilation, lead: Vec<String>, author: &str, date: NaiveDate) -> Document {
    let charts = crate::charts::charts(c);
    let mut blocks = Vec::new();
    for t in tables(c) {
        blocks.push(Block::Heading { level: 1, text: t.title.to_owned() });
        let chart = crate::charts::CHART_OF_TABLE
            .iter()
            .find(|(table, _)| *table == t.key)
            .and_then(|(_, key)| charts.iter().find(|ch| ch.key == *key));
        if let Some(chart) = chart {
            blocks.push(Block::Chart {
                svg: crate::charts::svg(chart),
                alt: format!("{}. {}", chart.title, crate::charts::description(chart)),
            });
        }
        blocks.push(Block::Table {
            caption: t.title.to_owned(),
            headers: t.headers.iter().map(|h| (*h).to_owned()).collect(),
            numeric: numeric_columns(&t),
            rows: t.rows.iter().map(|r| r.iter().map(display_cell).collect()).collect(),
        });
    }
    blocks.push(Block::Heading {
        level: 1,
        text: "Organisationernas berättelser och bidrag till mål".to_owned(),
    });
    for r in &c.reports {
        blocks.push(Block::Heading { level: 2, text: r.organisation.clone() });
        let narrative = if r.narrative.trim().is_empty() { "Ingen text inlämnad." } else { &r.narrative };
        blocks.push(Block::Text { text: narrative.to_owned() });
        for k in &r.contributions {
            blocks.push(Block::Heading { level: 3, text: k.goal.clone() });
            blocks.push(Block::Text { text: k.contribution.clone() });
        }
    }
    Document {
        title: format!("Internationellt arbete {}", c.year),
        author: author.to_owned(),
        language: Language::Swedish,
        date,
        lead,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_listed_named_for_a_sheet_and_as_wide_as_its_headers() {
        let c: Compilation = serde_json::from_value(serde_json::json!({
            "year": 2026,
            "total": {"activities": 1, "hours": 150, "own_cost": 12345, "external_cost": 0, "women": 1, "men": 0, "participants": 1},
            "by_organisation": [{"key": "1", "label": "Tekniska förvaltningen", "totals": {"activities": 1, "hours": 150, "own_cost": 12345, "external_cost": 0, "women": 1, "men": 0, "participants": 1}}],
            "by_priority_area": [], "by_work_kind": [], "by_country": [], "countries_named": [],
            "funding": {"projects": 0, "own": 0, "applied": 0, "granted": 0, "leverage": null, "by_programme": []},
            "gate": {"left_planning": 0, "assessed_before": 0, "share": null, "not_assessed": []},
            "twinning": {"twin_towns": [], "activities_in_twin_countries": 0, "network_meetings": 0, "active_collaborations": 0},
            "reports": [{"organisation_id": 1, "organisation": "Tekniska förvaltningen", "status": "approved", "days_late": 2, "version": 1, "narrative": "",
                "corrections": [{"figure": "hours", "computed": 150, "reported": 200, "reason": "En resdag saknades."}], "contributions": []}],
            "years": []
        }))
        .unwrap();
        let all = tables(&c);
        assert_eq!(all.iter().map(|t| t.key).collect::<Vec<_>>(), TABLES);
        for t in &all {
            assert!(
                t.title.chars().count() <= 31 && !t.title.contains(['[', ']', ':', '*', '?', '/', '\\']),
                "{}",
                t.title
            );
            assert!(t.rows.iter().all(|r| r.len() == t.headers.len()), "{}", t.key);
        }
        let by_organisation = String::from_utf8(csv(&all[1])).unwrap();
        assert_eq!(
            by_organisation,
            "\u{feff}Organisation;Aktiviteter;Arbetstid (timmar);Egna kostnader (kr);Extern finansiering (kr);Deltagare;varav kvinnor;varav män\r\n\
             Tekniska förvaltningen;1;1,50;123,45;0,00;1;1;0\r\nTotalt;1;1,50;123,45;0,00;1;1;0\r\n"
        );
        let reports = String::from_utf8(csv(&all[8])).unwrap();
        assert!(
            reports.contains("Godkänd;2;1;Arbetstid (timmar): 2,00 i stället för 1,50 (En resdag saknades.)"),
            "{reports}"
        );
        assert!(xlsx(&all).unwrap().starts_with(b"PK"));
    }
}
