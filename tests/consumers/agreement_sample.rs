//! Three annotators' layers over the sample project, for the agreement checks: `alice` has the
//! sample's spans and links; `bob` and `carol` each drop, shrink, widen, relabel some of them,
//! change or leave out attributes, add spans of their own, and keep (bob: reversed) some links.
//! Deterministic, so the figures are the same on every run.
//!
//! Shared by `examples/write_exports.rs` (through `#[path]`, after `sample.rs`).

use std::collections::BTreeMap;

use crosscheck::domain::annotation::{RelationId, Span, SpanId, SpanText};
use crosscheck::domain::layers::{limit_to_scope, ExportScope};
use crosscheck::domain::project::{Edit, Project, Settings};

use super::sample::{sample_project, SAMPLE_TIME};

pub const ANNOTATORS: [&str; 3] = ["alice", "bob", "carol"];

/// `span` as annotator number `annotator` reads it, or `None` when they did not tag it.
fn variant(project: &Project, span: &Span, index: usize, annotator: usize) -> Option<Span> {
    let mut copy = span.clone();
    if annotator == 0 {
        return Some(copy);
    }
    let article = project.article(&span.article)?;
    let reshape = |start: usize, end: usize| -> Option<(usize, usize, SpanText)> {
        let text = article.span_text(start, end)?;
        (start < end).then_some((start, end, text))
    };
    match (index * 7 + annotator * 5) % 11 {
        0 => return None,
        1 => {
            (copy.start, copy.end, copy.text) = reshape(span.start, span.end.saturating_sub(1).max(span.start + 1))?;
        }
        2 => (copy.start, copy.end, copy.text) = reshape(span.start.saturating_sub(2), span.end)?,
        3 => {
            let (key, value) = match span.label.as_str() {
                "claim" => ("verdict", "accurate"),
                "quote" => ("form", "indirect"),
                _ => ("canonical", "Someone Else"),
            };
            copy.attributes.insert(key.to_string(), value.to_string());
        }
        4 if annotator == 2 => copy.label = if span.label == "claim" { "quote".into() } else { "claim".into() },
        5 => {
            copy.attributes.remove("kind");
            copy.attributes.remove("form");
            copy.attributes.insert("check_worthy".to_string(), "no".to_string());
        }
        _ => {}
    }
    Some(copy)
}

/// The project holding all three layers (only the first `articles` articles when given).
pub fn agreement_project(articles: Option<usize>) -> Result<Project, String> {
    let base = sample_project()?;
    let mut parts = base.clone().into_parts();
    parts.spans.clear();
    parts.relations.clear();
    parts.tombstones.clear();
    if let Some(count) = articles {
        parts.articles.truncate(count);
    }
    let mut project = Project::from_parts(parts);
    let kept = |span: &Span| project.article(&span.article).is_some();
    let spans: Vec<_> = base.spans_in_order().into_iter().filter(|span| kept(span)).collect();
    for (annotator, author) in ANNOTATORS.iter().enumerate() {
        let mut ids: BTreeMap<SpanId, SpanId> = BTreeMap::new();
        let mut edits = Vec::new();
        for (index, span) in spans.iter().enumerate() {
            let Some(mut copy) = variant(&project, span, index, annotator) else { continue };
            copy.id = SpanId::from(format!("{author}-{}", span.id));
            copy.author = author.to_string();
            ids.insert(span.id.clone(), copy.id.clone());
            edits.push(Edit::AddSpan(copy));
        }
        for (position, article) in project.articles().iter().enumerate().filter(|_| annotator > 0) {
            let start = 40 + 17 * annotator + 5 * position;
            let Some(text) = article.slice(start, start + 23) else { continue };
            edits.push(Edit::AddSpan(Span {
                id: SpanId::from(format!("{author}-extra-{position}")),
                article: article.id.clone(),
                start,
                end: start + 23,
                label: "claim".into(),
                text: text.into(),
                attributes: [("verdict".to_string(), "unverified".to_string())].into(),
                author: author.to_string(),
                created: SAMPLE_TIME,
                modified: SAMPLE_TIME,
                take_overs: Vec::new(),
            }));
        }
        for (index, relation) in base.relations().values().enumerate() {
            let (Some(from), Some(to)) = (ids.get(&relation.from), ids.get(&relation.to)) else { continue };
            if annotator == 2 && index % 2 == 1 {
                continue;
            }
            let mut copy = (**relation).clone();
            copy.id = RelationId::from(format!("{author}-{}", relation.id));
            (copy.from, copy.to) = if annotator == 1 { (to.clone(), from.clone()) } else { (from.clone(), to.clone()) };
            copy.author = author.to_string();
            edits.push(Edit::AddRelation(copy));
        }
        project.apply(Edit::Batch(edits), SAMPLE_TIME).map_err(|error| format!("{author}: {error}"))?;
    }
    Ok(project)
}

/// One annotator's project export, as they would send it to the lead.
pub fn annotator_export(project: &Project, author: &str) -> Project {
    limit_to_scope(project, &ExportScope::Author(author.to_string()))
        .with_settings(Settings { annotator: author.to_string(), ..Settings::default() })
}
