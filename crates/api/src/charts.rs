//! A compilation's charts, drawn by the server as SVG: horizontal bars, each with its label
//! and its value written beside it, so that a chart reads without colour (printed in grey,
//! or by someone who does not tell colours apart); bars are hatched and outlined rather than
//! told apart by hue. The chart's figures are also its description (`<desc>`), for screen
//! readers, and a table beside it on every page that shows it.

use utblick_domain::compilation::Compilation;

use utblick_domain::money::swedish_whole;

use crate::export::with_two_decimals;

/// One bar: its label, its value and the value as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub shown: String,
}

/// A chart: its stable key (`/charts/{key}`), Swedish title, and bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub key: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
}

/// The keys of every chart.
pub const CHARTS: &[&str] = &["work_kind", "organisations", "countries", "years", "funding"];

fn counted(label: &str, n: u64) -> Bar {
    Bar { label: label.to_owned(), value: i64::try_from(n).unwrap_or(i64::MAX), shown: n.to_string() }
}

fn money(label: &str, ore: i64) -> Bar {
    // Whole kronor, spaced in thousands as Swedish text is.
    Bar { label: label.to_owned(), value: ore, shown: format!("{} kr", swedish_whole(ore / 100)) }
}

/// Every chart of a compilation.
pub fn charts(c: &Compilation) -> Vec<Chart> {
    let y = c.year;
    vec![
        Chart {
            key: "work_kind",
            title: format!("Aktiviteter per typ av arbete {y}"),
            bars: c.by_work_kind.iter().map(|p| counted(&p.label, p.totals.activities)).collect(),
        },
        Chart {
            key: "organisations",
            title: format!("Arbetstid per organisation {y} (timmar)"),
            bars: c
                .by_organisation
                .iter()
                .map(|p| {
                    let h = i64::try_from(p.totals.hours).unwrap_or(i64::MAX);
                    Bar { label: p.label.clone(), value: h, shown: with_two_decimals(h) }
                })
                .collect(),
        },
        Chart {
            key: "countries",
            title: format!("Aktiviteter per land {y} (de tio mest nämnda)"),
            bars: c.countries_named.iter().take(10).map(|n| counted(&n.label, n.activities)).collect(),
        },
        Chart {
            key: "years",
            title: format!("Aktiviteter per år {}–{y}", c.years.first().map_or(y, |f| f.year)),
            bars: c.years.iter().map(|t| counted(&t.year.to_string(), t.totals.activities)).collect(),
        },
        Chart {
            key: "funding",
            title: format!("Beviljad extern medfinansiering per program, projekt under {y}"),
            bars: c.funding.by_programme.iter().map(|p| money(&p.label, p.granted)).collect(),
        },
    ]
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn shortened(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

const WIDTH: i64 = 720;
const LABEL_WIDTH: i64 = 250;
const BAR_SPACE: i64 = 330;
const ROW: i64 = 30;
const TOP: i64 = 44;

/// The chart's figures as text: its description in the SVG, its text alternative in a PDF.
pub fn description(chart: &Chart) -> String {
    if chart.bars.is_empty() {
        "Inga uppgifter.".to_owned()
    } else {
        chart.bars.iter().map(|b| format!("{}: {}", b.label, b.shown)).collect::<Vec<_>>().join("; ")
    }
}

/// The chart drawn beside each table of a compilation (table key, chart key), on the page
/// and in the PDF.
pub const CHART_OF_TABLE: &[(&str, &str)] = &[
    ("by_work_kind", "work_kind"),
    ("by_organisation", "organisations"),
    ("countries_named", "countries"),
    ("years", "years"),
    ("funding", "funding"),
];

/// The chart as a standalone SVG document.
pub fn svg(chart: &Chart) -> String {
    let rows = i64::try_from(chart.bars.len().max(1)).unwrap_or(1);
    let height = TOP + rows * ROW + 16;
    let max = chart.bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let desc = description(chart);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"title desc\" lang=\"sv\" font-family=\"system-ui, sans-serif\" font-size=\"14\">\n\
         <title id=\"title\">{}</title>\n<desc id=\"desc\">{}</desc>\n\
         <defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#dfe7f1\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1e3a5f\" stroke-width=\"2\"/></pattern></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"0\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#111111\">{}</text>\n",
        escape(&chart.title),
        escape(&desc),
        escape(&chart.title),
    );
    if chart.bars.is_empty() {
        out.push_str(&format!("<text x=\"0\" y=\"{}\" fill=\"#111111\">Inga uppgifter.</text>\n", TOP + 18));
    }
    for (i, b) in chart.bars.iter().enumerate() {
        let y = TOP + i64::try_from(i).unwrap_or(0) * ROW;
        let len = if b.value <= 0 {
            0
        } else {
            (i128::from(b.value) * i128::from(BAR_SPACE) / i128::from(max)).max(2)
        };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#111111\">{}</text>\n\
             <rect x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{len}\" height=\"20\" fill=\"url(#hatch)\" stroke=\"#1e3a5f\" stroke-width=\"1.5\"/>\n\
             <text x=\"{}\" y=\"{}\" fill=\"#111111\">{}</text>\n",
            LABEL_WIDTH - 8,
            y + 15,
            escape(&shortened(&b.label, 32)),
            y + 1,
            i128::from(LABEL_WIDTH) + len + 8,
            y + 15,
            escape(&b.shown),
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_writes_every_value_beside_its_bar_and_escapes_its_labels() {
        let chart = Chart {
            key: "funding",
            title: "Beviljat <per> program".into(),
            bars: vec![money("Interreg & Co", 123_456_789), money("Erasmus+", 0)],
        };
        let s = svg(&chart);
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(s.contains("<title id=\"title\">Beviljat &lt;per&gt; program</title>"));
        assert!(s.contains(">1\u{a0}234\u{a0}567 kr</text>"), "{s}");
        assert!(s.contains(">Interreg &amp; Co</text>"));
        assert!(
            s.contains("<desc id=\"desc\">Interreg &amp; Co: 1\u{a0}234\u{a0}567 kr; Erasmus+: 0 kr</desc>")
        );
        assert!(s.contains("width=\"330\""), "the largest bar fills the space");
        assert!(s.contains("width=\"0\""), "nothing is no bar");
        assert!(!s.contains("<script"), "an SVG of the app's origin runs nothing");
    }
}
