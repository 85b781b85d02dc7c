//! The agreement report as files: JSON with every figure and its counts, and CSV with one row
//! per figure.
//!
//! JSON (`format: "crosscheck-agreement"`): `annotators`; `articles` (id, title);
//! `pairs[]` with `a`, `b`, the compared `articles` (ids both annotated), and per label
//! `exact_f1` / `overlap_f1` (`matches`, `a_spans`, `b_spans`), `cohen_kappa` (`items` and the
//! 2×2 table `both_inside`, `only_a`, `only_b`, `neither`), per attribute `krippendorff_alpha`
//! (`units`, `pairable_values`), per link type `f1` (`matches`, `a_links`, `b_links`), and the
//! same label figures `per_article`; `group` (three or more annotators, else `null`) with
//! `fleiss_kappa` per label (`items`, `items_with_votes[k]` = code points k annotators put
//! inside) and α per attribute. Every figure has `value` (a number, or `null`) and, when
//! `null`, `undefined` (a code such as `single_category`) and `reason` (words).
//!
//! CSV columns: `scope` (`pair`, `pair_article`, `group`), `a`, `b`, `article`, `label`,
//! `attribute`, `link_type`, `measure` (`exact_f1`, `overlap_f1`, `cohen_kappa`,
//! `krippendorff_alpha`, `link_f1`, `fleiss_kappa`), `value` (empty when undefined),
//! `undefined`, `matches`, `a_count`, `b_count`, `items`.

use serde_json::{json, Map, Value};

use crate::domain::agreement::measures::F1Counts;
use crate::domain::agreement::report::{AttributeAgreement, LabelAgreement};
use crate::domain::agreement::{AgreementReport, Figure};
use crate::domain::project::Project;

pub const FORMAT_NAME: &str = "crosscheck-agreement";

fn figure(figure: Figure, counts: Value) -> Value {
    let mut object = match counts {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    object.insert("value".into(), figure.value().map_or(Value::Null, Value::from));
    if let Some(why) = figure.undefined() {
        object.insert("undefined".into(), why.code().into());
        object.insert("reason".into(), why.reason().into());
    }
    Value::Object(object)
}

fn f1(counts: F1Counts, value: Figure, noun: &str) -> Value {
    figure(value, json!({ "matches": counts.matches, format!("a_{noun}"): counts.a, format!("b_{noun}"): counts.b }))
}

fn label_figures(labels: &[LabelAgreement]) -> Value {
    labels
        .iter()
        .map(|label| {
            let table = label.kappa_table;
            json!({
                "label": label.label,
                "exact_f1": f1(label.exact, label.exact_f1, "spans"),
                "overlap_f1": f1(label.overlap, label.overlap_f1, "spans"),
                "cohen_kappa": figure(label.kappa, json!({
                    "items": table.items(), "both_inside": table.both, "only_a": table.only_a,
                    "only_b": table.only_b, "neither": table.neither,
                })),
            })
        })
        .collect()
}

fn attribute_figures(attributes: &[AttributeAgreement]) -> Value {
    attributes
        .iter()
        .map(|attribute| {
            json!({
                "label": attribute.label,
                "attribute": attribute.attribute,
                "krippendorff_alpha": figure(attribute.alpha, json!({
                    "units": attribute.counts.units, "pairable_values": attribute.counts.pairable_values,
                })),
            })
        })
        .collect()
}

/// The report as pretty-printed JSON (see the module docs).
pub fn to_json(project: &Project, report: &AgreementReport) -> String {
    let pairs: Vec<Value> = report
        .pairs
        .iter()
        .map(|pair| {
            json!({
                "a": pair.a,
                "b": pair.b,
                "articles": pair.articles,
                "labels": label_figures(&pair.labels),
                "attributes": attribute_figures(&pair.attributes),
                "links": pair.links.iter().map(|link| json!({
                    "type": link.relation_type,
                    "f1": f1(link.counts, link.f1, "links"),
                })).collect::<Vec<_>>(),
                "per_article": pair.per_article.iter().map(|article| json!({
                    "article": article.article,
                    "labels": label_figures(&article.labels),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let group = report.group.as_ref().map_or(Value::Null, |group| {
        json!({
            "annotators": group.annotators,
            "articles": group.articles,
            "labels": group.labels.iter().map(|label| json!({
                "label": label.label,
                "fleiss_kappa": figure(label.kappa, json!({
                    "items": label.votes.items(), "raters": label.votes.raters,
                    "items_with_votes": label.votes.items_with_votes,
                })),
            })).collect::<Vec<_>>(),
            "attributes": attribute_figures(&group.attributes),
        })
    });
    let document = json!({
        "format": FORMAT_NAME,
        "version": 1,
        "items": "Cohen's and Fleiss' kappa rate every code point that is not Unicode White_Space",
        "annotators": report.annotators,
        "articles": project.articles().iter().map(|article| json!({ "id": article.id, "title": article.title })).collect::<Vec<_>>(),
        "pairs": pairs,
        "group": group,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// One CSV row: scope, a, b, article, label, attribute, link type, measure, figure, counts.
struct Row<'a> {
    scope: &'a str,
    a: &'a str,
    b: &'a str,
    article: &'a str,
    label: &'a str,
    attribute: &'a str,
    link_type: &'a str,
    measure: &'a str,
    figure: Figure,
    counts: [Option<u64>; 4],
}

fn label_rows<'a>(
    rows: &mut Vec<Row<'a>>,
    scope: &'a str,
    (a, b, article): (&'a str, &'a str, &'a str),
    labels: &'a [LabelAgreement],
) {
    for label in labels {
        let row = |measure, figure, counts| Row {
            scope,
            a,
            b,
            article,
            label: &label.label,
            attribute: "",
            link_type: "",
            measure,
            figure,
            counts,
        };
        rows.push(row("exact_f1", label.exact_f1, f1_counts(label.exact)));
        rows.push(row("overlap_f1", label.overlap_f1, f1_counts(label.overlap)));
        rows.push(row("cohen_kappa", label.kappa, [None, None, None, Some(label.kappa_table.items())]));
    }
}

fn f1_counts(counts: F1Counts) -> [Option<u64>; 4] {
    [Some(counts.matches as u64), Some(counts.a as u64), Some(counts.b as u64), None]
}

fn alpha_rows<'a>(
    rows: &mut Vec<Row<'a>>,
    scope: &'a str,
    (a, b): (&'a str, &'a str),
    attributes: &'a [AttributeAgreement],
) {
    for attribute in attributes {
        rows.push(Row {
            scope,
            a,
            b,
            article: "",
            label: &attribute.label,
            attribute: &attribute.attribute,
            link_type: "",
            measure: "krippendorff_alpha",
            figure: attribute.alpha,
            counts: [None, None, None, Some(attribute.counts.units as u64)],
        });
    }
}

/// The report as CSV, one row per figure (see the module docs).
pub fn to_csv(report: &AgreementReport) -> String {
    let mut rows: Vec<Row> = Vec::new();
    for pair in &report.pairs {
        label_rows(&mut rows, "pair", (&pair.a, &pair.b, ""), &pair.labels);
        alpha_rows(&mut rows, "pair", (&pair.a, &pair.b), &pair.attributes);
        for link in &pair.links {
            rows.push(Row {
                scope: "pair",
                a: &pair.a,
                b: &pair.b,
                article: "",
                label: "",
                attribute: "",
                link_type: &link.relation_type,
                measure: "link_f1",
                figure: link.f1,
                counts: f1_counts(link.counts),
            });
        }
        for article in &pair.per_article {
            label_rows(&mut rows, "pair_article", (&pair.a, &pair.b, article.article.as_str()), &article.labels);
        }
    }
    if let Some(group) = &report.group {
        for label in &group.labels {
            rows.push(Row {
                scope: "group",
                a: "all",
                b: "",
                article: "",
                label: &label.label,
                attribute: "",
                link_type: "",
                measure: "fleiss_kappa",
                figure: label.kappa,
                counts: [None, None, None, Some(label.votes.items())],
            });
        }
        alpha_rows(&mut rows, "group", ("all", ""), &group.attributes);
    }
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let header = [
        "scope",
        "a",
        "b",
        "article",
        "label",
        "attribute",
        "link_type",
        "measure",
        "value",
        "undefined",
        "matches",
        "a_count",
        "b_count",
        "items",
    ];
    let _ = writer.write_record(header);
    for row in rows {
        let number = |count: Option<u64>| count.map(|count| count.to_string()).unwrap_or_default();
        let value = row.figure.value().map(|value| format!("{value:?}")).unwrap_or_default();
        let undefined = row.figure.undefined().map(|why| why.code()).unwrap_or_default();
        let _ = writer.write_record([
            row.scope,
            row.a,
            row.b,
            row.article,
            row.label,
            row.attribute,
            row.link_type,
            row.measure,
            &value,
            undefined,
            &number(row.counts[0]),
            &number(row.counts[1]),
            &number(row.counts[2]),
            &number(row.counts[3]),
        ]);
    }
    writer.into_inner().ok().and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default()
}
