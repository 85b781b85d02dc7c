//! CSV export: one row per span, for spreadsheets and pandas.
//!
//! Columns, in this order:
//!
//! `article_id, article_title, start, end, label, text,`
//! `speaker, form, cue, kind, check_worthy, verdict, canonical, note,`
//! `<any other attribute keys used by some span, sorted>, author, created, span_id`
//!
//! - Rows follow [`Project::spans_in_order`]. `start`/`end` are Unicode code points, end
//!   exclusive. `label` is the label's current name. `created` is ISO 8601 UTC with milliseconds.
//! - The eight attribute columns of the default schema are always present (empty where a span's
//!   label has no such attribute). Attribute keys beyond them get a column each, after `note`;
//!   a key that equals a fixed column name is written as `attr_<key>`.
//! - When some article has a URL, date or page metadata, eight columns follow `span_id`:
//!   `article_url, article_canonical_url, article_published, article_modified, article_authors`
//!   (joined with `; `), `article_site, article_language, article_description`.
//! - RFC 4180: comma-separated, fields quoted when needed, rows end in CRLF, UTF-8 without BOM
//!   (in Excel, use Data → From Text/CSV and pick UTF-8).
//! - **Formula injection.** A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//!   return is prefixed with `'`, so that a spreadsheet shows it as text instead of evaluating it
//!   (OWASP's advice). So that this stays reversible, a cell that already begins with `'` gets
//!   one more. A leading `'` is therefore always this escape: strip exactly one from any cell that
//!   starts with `'` to get the original (pandas: `s.str.replace(r"^'", "", regex=True)`). Excel
//!   and LibreOffice show such cells without the `'`, as typed. This changes the `text` column of
//!   those rows; the JSONL export keeps every text exact.

use std::collections::BTreeSet;

use crate::domain::article::Article;
use crate::domain::project::Project;
use crate::formats::common::{iso8601_utc, label_name};

/// The media type of this CSV.
pub const MEDIA_TYPE: &str = "text/csv;charset=utf-8";
/// A suggested download name.
pub const FILE_NAME: &str = "annotations.csv";

/// The attribute columns that are always present, in order.
pub const ATTRIBUTE_COLUMNS: [&str; 8] =
    ["speaker", "form", "cue", "kind", "check_worthy", "verdict", "canonical", "note"];

const LEADING_COLUMNS: [&str; 6] = ["article_id", "article_title", "start", "end", "label", "text"];
const TRAILING_COLUMNS: [&str; 3] = ["author", "created", "span_id"];

/// Prefixes `'` to a cell that a spreadsheet would read as a formula, or that already starts
/// with `'` (see the module docs).
pub fn neutralize_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The header row: the fixed columns plus one per extra attribute key, in the order above.
pub fn columns(project: &Project) -> Vec<String> {
    let mut columns: Vec<String> =
        LEADING_COLUMNS.iter().chain(ATTRIBUTE_COLUMNS.iter()).map(|c| c.to_string()).collect();
    for key in extra_attribute_keys(project) {
        columns.push(extra_column_name(&key));
    }
    columns.extend(TRAILING_COLUMNS.iter().map(|column| column.to_string()));
    if has_article_metadata(project) {
        columns.extend(ARTICLE_METADATA_COLUMNS.iter().map(|column| column.to_string()));
    }
    columns
}

const ARTICLE_METADATA_COLUMNS: [&str; 8] = [
    "article_url",
    "article_canonical_url",
    "article_published",
    "article_modified",
    "article_authors",
    "article_site",
    "article_language",
    "article_description",
];

fn has_article_metadata(project: &Project) -> bool {
    project
        .articles()
        .iter()
        .any(|article| !article.url.is_empty() || !article.published.is_empty() || !article.metadata.is_empty())
}

/// The article metadata cells of a row, in [`ARTICLE_METADATA_COLUMNS`] order.
fn article_metadata_cells(article: Option<&Article>) -> Vec<String> {
    let Some(article) = article else { return vec![String::new(); ARTICLE_METADATA_COLUMNS.len()] };
    let metadata = &article.metadata;
    [
        article.url.as_str(),
        &metadata.canonical_url,
        &article.published,
        &metadata.modified,
        &metadata.authors.join("; "),
        &metadata.site_name,
        &metadata.language,
        &metadata.description,
    ]
    .iter()
    .map(|cell| neutralize_formula(cell))
    .collect()
}

fn extra_attribute_keys(project: &Project) -> BTreeSet<String> {
    project
        .spans()
        .values()
        .flat_map(|span| span.attributes.keys())
        .filter(|key| !ATTRIBUTE_COLUMNS.contains(key))
        .map(str::to_string)
        .collect()
}

fn extra_column_name(key: &str) -> String {
    if LEADING_COLUMNS.contains(&key) || TRAILING_COLUMNS.contains(&key) {
        format!("attr_{key}")
    } else {
        key.to_string()
    }
}

/// Serialises every span as a CSV row under a header row.
pub fn to_csv(project: &Project) -> String {
    write_csv(project).unwrap_or_default()
}

fn write_csv(project: &Project) -> Result<String, Box<dyn std::error::Error>> {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(columns(project))?;
    let extra_keys = extra_attribute_keys(project);
    let with_metadata = has_article_metadata(project);
    for span in project.spans_in_order() {
        let title = project.article(&span.article).map(|article| article.title.as_str()).unwrap_or("");
        let mut row: Vec<String> = vec![
            neutralize_formula(span.article.as_str()),
            neutralize_formula(title),
            span.start.to_string(),
            span.end.to_string(),
            neutralize_formula(label_name(project, &span)),
            neutralize_formula(&span.text),
        ];
        for key in ATTRIBUTE_COLUMNS.iter().copied().chain(extra_keys.iter().map(String::as_str)) {
            row.push(neutralize_formula(span.attribute(key)));
        }
        row.push(neutralize_formula(&span.author));
        row.push(iso8601_utc(span.created));
        row.push(neutralize_formula(span.id.as_str()));
        if with_metadata {
            row.extend(article_metadata_cells(project.article(&span.article).map(|article| &**article)));
        }
        writer.write_record(&row)?;
    }
    let bytes = writer.into_inner().map_err(|error| error.to_string())?;
    Ok(String::from_utf8(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::SpanId;
    use crate::domain::article::Article;
    use crate::domain::project::{new_span, Edit};

    #[test]
    fn rows_are_quoted_neutralised_and_complete() {
        let mut project = Project::with_articles(vec![Article::new("=SUM(A1) said \"he\",\nthen -5%.", "T", "t.txt")]);
        let article = project.articles()[0].clone();
        let mut formula = new_span(&project, SpanId::from("s1"), &article, 0, 8, &"claim".into(), 0).unwrap();
        formula.attributes.insert("author".to_string(), "x".to_string());
        project.apply(Edit::AddSpan(formula), 0).unwrap();
        let multiline = new_span(&project, SpanId::from("s2"), &article, 14, 28, &"quote".into(), 0).unwrap();
        project.apply(Edit::AddSpan(multiline), 0).unwrap();
        let csv = to_csv(&project);
        let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header.len(), 6 + 8 + 1 + 3);
        assert_eq!(header[14], "attr_author");
        assert_eq!(header.last().map(String::as_str), Some("span_id"));
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][5], "'=SUM(A1)");
        assert_eq!(&rows[0][4], "Claim");
        assert_eq!(&rows[0][16], "1970-01-01T00:00:00.000Z");
        assert_eq!(&rows[1][5], "\"he\",\nthen -5%");
        assert!(csv.contains("\r\n"));
        assert_eq!(neutralize_formula("@x"), "'@x");
        assert_eq!(neutralize_formula("\tx"), "'\tx");
        assert_eq!(neutralize_formula("x=1"), "x=1");
        assert_eq!(neutralize_formula("'quoted'"), "''quoted'");
    }
}
