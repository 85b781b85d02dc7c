//! The story report: one self-contained HTML file an editor can open from disk, print or paste
//! into an email.
//!
//! Inline CSS (light, with print rules), no script, no external request: the file carries a
//! Content-Security-Policy of `default-src 'none'` so even a browser that met injected markup
//! would neither run nor fetch anything. Every text from the project (article content, titles,
//! outlets, labels, notes, speakers) goes through [`escape`], so none of it can become markup.

use std::fmt::Write;

use crate::domain::graph::consistency_warnings;
use crate::domain::project::Project;
use crate::domain::story::{Entry, MatrixFilter, RowOrder, StoryMatrix};

/// `text` with `& < > " '` as character references: safe in element content and in quoted
/// attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

const STYLE: &str = "\
body{font:15px/1.5 Georgia,'Noto Serif',serif;color:#1d1c1a;background:#fff;margin:2rem auto;max-width:75rem;padding:0 1rem}\
h1,h2,th,.meta,.verdict,.mark{font-family:system-ui,'Segoe UI',Roboto,sans-serif}\
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:2px solid #1d1c1a}\
.meta{color:#5c5850;font-size:.85rem}\
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.9rem}\
th,td{overflow-wrap:anywhere;border:1px solid #cfcac0;padding:.4rem .5rem;vertical-align:top;text-align:left}\
thead th{background:#f0eee9}th[scope=row]{background:#faf9f6;width:14rem}\
.empty{color:#8a857c;font-style:italic}\
.figure{background:#ffe08a;font-weight:700;padding:0 .15em;border-radius:2px}\
.figures{display:block;font-weight:400;font-size:.8rem;color:#8a1c22}\
.verdict{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;border-radius:3px;padding:0 .35em;border:1px solid currentColor}\
.v-accurate{color:#1e6b42}.v-inaccurate{color:#a3242b}.v-misleading{color:#9a5a00}.v-unsupported{color:#6a3d9a}.v-unverified{color:#5c5850}\
.speaker{font-size:.8rem;color:#5c5850}\
.mark{color:#a3242b;font-weight:700;font-size:.8rem}\
.pair{display:grid;grid-template-columns:1fr auto 1fr;gap:.75rem;align-items:start;border:1px solid #cfcac0;border-left:4px solid #a3242b;padding:.6rem;margin:.6rem 0;break-inside:avoid}\
.pair .vs{font-family:system-ui,sans-serif;color:#a3242b;font-weight:700}\
blockquote{margin:0}.note{margin:.3rem 0 0;font-size:.85rem}\
li{margin:.3rem 0}\
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}tr,li{break-inside:avoid}thead{display:table-header-group}}";

fn verdict_badge(out: &mut String, verdict: &str) {
    if !verdict.is_empty() {
        let known = ["accurate", "inaccurate", "misleading", "unsupported", "unverified"];
        let class = if known.contains(&verdict) { verdict } else { "other" };
        let _ = write!(out, "<span class=\"verdict v-{class}\">{}</span> ", escape(verdict));
    }
}

/// An entry's text with its differing figures marked.
fn entry_text(out: &mut String, entry: &Entry) {
    for (piece, figure) in entry.pieces() {
        if figure {
            let _ = write!(out, "<mark class=\"figure\">{}</mark>", escape(&piece));
        } else {
            out.push_str(&escape(&piece));
        }
    }
}

fn where_from(matrix: &StoryMatrix, column: usize) -> String {
    matrix.columns.get(column).map_or_else(String::new, |column| {
        if column.date.is_empty() {
            escape(&column.outlet)
        } else {
            format!("{}, {}", escape(&column.outlet), escape(&column.date))
        }
    })
}

/// The whole report; `generated` is the date shown in its heading (e.g. `2024-03-26`).
pub fn to_report_html(project: &Project, generated: &str) -> String {
    let matrix = StoryMatrix::build(project);
    let rows = matrix.view(&MatrixFilter::default(), RowOrder::MostContradicted);
    let warnings = consistency_warnings(project);
    let label_name = |id: &str| project.label(id).map_or_else(|| id.to_string(), |label| label.name.clone());
    let contradictions: usize = rows.iter().map(|row| row.contradictions.len()).sum();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    out.push_str("<title>Crosscheck story report</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n<h1>Story report</h1>");
    let _ = writeln!(
        out,
        "<p class=\"meta\">Crosscheck · {} · {} articles · {} linked statements · {} contradictions · {} consistency warnings</p>",
        escape(generated),
        matrix.columns.len(),
        rows.len(),
        contradictions,
        warnings.len()
    );

    out.push_str("<h2>Who says what</h2>\n<table><thead><tr><th scope=\"col\">Statement</th>");
    for column in &matrix.columns {
        let _ = write!(
            out,
            "<th scope=\"col\">{}<br><span class=\"meta\">{}</span></th>",
            escape(&column.outlet),
            escape(if column.date.is_empty() { "undated" } else { &column.date })
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}", escape(&row.row.title));
        if !row.contradictions.is_empty() {
            let _ = write!(
                out,
                "<br><span class=\"mark\">✕ {} contradiction{}</span>",
                row.contradictions.len(),
                if row.contradictions.len() == 1 { "" } else { "s" }
            );
        }
        let figures = row.row.differing_figures();
        if !figures.is_empty() {
            let list: Vec<String> = figures.iter().map(|(_, figures)| escape(&figures.join(", "))).collect();
            let _ = write!(out, "<span class=\"figures\">Figures differ: {}</span>", list.join(" | "));
        }
        out.push_str("</th>");
        for cell in &row.cells {
            if cell.is_empty() {
                out.push_str("<td class=\"empty\">not reported</td>");
                continue;
            }
            out.push_str("<td>");
            for entry in cell {
                out.push_str("<div>");
                verdict_badge(&mut out, &entry.verdict);
                let _ = write!(out, "<span class=\"meta\">{}</span> ", escape(&label_name(&entry.label)));
                entry_text(&mut out, entry);
                if !entry.speaker.is_empty() {
                    let _ = write!(out, " <span class=\"speaker\">— {}</span>", escape(&entry.speaker));
                }
                out.push_str("</div>");
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");

    out.push_str("<h2>Contradictions</h2>\n");
    if contradictions == 0 {
        out.push_str("<p class=\"empty\">No contradictions linked.</p>\n");
    }
    for row in &rows {
        for mark in &row.contradictions {
            let find = |id| row.row.cells.iter().flatten().find(|entry| &entry.span == id);
            let (Some(from), Some(to)) = (find(&mark.from), find(&mark.to)) else { continue };
            out.push_str("<div class=\"pair\">");
            for (entry, column, separator) in [(from, mark.from_column, true), (to, mark.to_column, false)] {
                out.push_str("<blockquote>");
                verdict_badge(&mut out, &entry.verdict);
                entry_text(&mut out, entry);
                let _ = write!(out, "<div class=\"meta\">{}", where_from(&matrix, column));
                if !entry.speaker.is_empty() {
                    let _ = write!(out, " · {}", escape(&entry.speaker));
                }
                out.push_str("</div></blockquote>");
                if separator {
                    let kind = if mark.kind.is_empty() { String::new() } else { format!(" ({})", escape(&mark.kind)) };
                    let _ = write!(out, "<span class=\"vs\">✕ contradicts{kind}</span>");
                }
            }
            if !mark.note.is_empty() {
                let _ = write!(out, "<p class=\"note\" style=\"grid-column:1/-1\">Note: {}</p>", escape(&mark.note));
            }
            out.push_str("</div>\n");
        }
    }

    out.push_str("<h2>Verdicts</h2>\n");
    let verdicts: Vec<(usize, &Entry)> = rows
        .iter()
        .flat_map(|row| {
            row.cells.iter().enumerate().flat_map(|(column, cell)| cell.iter().map(move |entry| (column, *entry)))
        })
        .filter(|(_, entry)| !entry.verdict.is_empty() && (entry.verdict != "unverified" || !entry.note.is_empty()))
        .collect();
    if verdicts.is_empty() {
        out.push_str("<p class=\"empty\">No verdicts given yet.</p>\n");
    } else {
        out.push_str("<ul>");
        for (column, entry) in verdicts {
            out.push_str("<li>");
            verdict_badge(&mut out, &entry.verdict);
            entry_text(&mut out, entry);
            let _ = write!(out, " <span class=\"meta\">{}</span>", where_from(&matrix, column));
            if !entry.note.is_empty() {
                let _ = write!(out, "<p class=\"note\">{}</p>", escape(&entry.note));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }

    out.push_str("<h2>Consistency warnings</h2>\n");
    if warnings.is_empty() {
        out.push_str("<p class=\"empty\">None.</p>\n");
    } else {
        out.push_str("<ul>");
        for warning in &warnings {
            let _ = write!(out, "<li>{}</li>", escape(&warning.message));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}
