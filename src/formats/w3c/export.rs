//! The W3C export: one `AnnotationCollection` of spans and directed links (see the module docs of `w3c`).

use super::*;
use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::Article;
use crate::domain::project::Project;
use crate::formats::common::{first_chars, iso8601_utc, label_name, last_chars};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub(super) struct Collection {
    #[serde(rename = "@context")]
    pub(super) context: &'static str,
    pub(super) id: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) label: String,
    pub(super) total: usize,
    pub(super) generated: String,
    pub(super) generator: Agent,
    pub(super) first: Page,
}

#[derive(Serialize)]
pub(super) struct Page {
    pub(super) id: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    #[serde(rename = "partOf")]
    pub(super) part_of: String,
    #[serde(rename = "startIndex")]
    pub(super) start_index: usize,
    pub(super) items: Vec<Annotation>,
}

#[derive(Serialize)]
pub(super) struct Agent {
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) name: String,
}

#[derive(Serialize)]
pub(super) struct Annotation {
    #[serde(rename = "@context")]
    pub(super) context: &'static str,
    pub(super) id: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) motivation: &'static str,
    pub(super) created: String,
    pub(super) modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) creator: Option<Agent>,
    pub(super) body: Vec<Body>,
    pub(super) target: Target,
}

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Body {
    Text(TextualBody),
    /// A link's `to` span: a `SpecificResource` whose `purpose` is `linking`.
    Resource(Box<Target>),
}

#[derive(Serialize)]
pub(super) struct TextualBody {
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) purpose: &'static str,
    pub(super) value: String,
}

#[derive(Clone, Serialize)]
pub(super) struct Target {
    /// Each annotation's target has an id of its own ([`target_iri`] for a span's annotation,
    /// [`link_end_iri`] for a link's ends), so no resource collects several annotations' selectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) purpose: Option<&'static str>,
    pub(super) source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(super) scope: String,
    pub(super) selector: [Selector; 2],
}

#[derive(Clone, Serialize)]
#[serde(untagged)]
pub(super) enum Selector {
    Quote {
        #[serde(rename = "type")]
        kind: &'static str,
        exact: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        prefix: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        suffix: String,
    },
    Position {
        #[serde(rename = "type")]
        kind: &'static str,
        start: usize,
        end: usize,
    },
}

pub(super) fn body(purpose: &'static str, value: String) -> Body {
    Body::Text(TextualBody { kind: "TextualBody", purpose, value })
}

pub(super) fn creator(author: &str) -> Option<Agent> {
    (!author.is_empty()).then(|| Agent { kind: "Person", name: author.to_string() })
}

pub(super) fn span_target(article: Option<&Article>, span: &Span) -> Target {
    let (prefix, suffix, scope) = match article {
        Some(article) => {
            let before = article.slice(0, span.start).unwrap_or("");
            let after = article.slice(span.end, article.char_len()).unwrap_or("");
            (last_chars(before, CONTEXT_CHARS), first_chars(after, CONTEXT_CHARS), article.url.clone())
        }
        None => ("", "", String::new()),
    };
    // The page's canonical URL names the document when it stated one.
    let canonical = article.map(|article| article.metadata.canonical_url.as_str()).unwrap_or("");
    Target {
        id: Some(target_iri(&span.id)),
        kind: "SpecificResource",
        purpose: None,
        source: if canonical.is_empty() { article_iri(&span.article) } else { canonical.to_string() },
        scope,
        selector: [
            Selector::Quote {
                kind: "TextQuoteSelector",
                exact: span.text.to_string(),
                prefix: prefix.to_string(),
                suffix: suffix.to_string(),
            },
            Selector::Position { kind: "TextPositionSelector", start: span.start, end: span.end },
        ],
    }
}

/// Serialises the project's spans and relations as a W3C `AnnotationCollection` (pretty JSON).
/// `now_ms` becomes the collection's `generated` date and part of its id.
pub fn to_w3c(project: &Project, now_ms: i64) -> String {
    let collection_id = format!("urn:crosscheck:export:{now_ms}");
    let mut targets: BTreeMap<&SpanId, Target> = BTreeMap::new();
    let mut items = Vec::new();
    for span in project.spans_in_order() {
        let target = span_target(project.article(&span.article).map(|article| &**article), &span);
        let mut bodies = vec![body("tagging", label_name(project, &span).to_string())];
        for (key, value) in &span.attributes {
            if key != "note" && !value.is_empty() {
                bodies.push(body("describing", format!("{key}: {value}")));
            }
        }
        let note = span.attribute("note");
        if !note.is_empty() {
            bodies.push(body("commenting", note.to_string()));
        }
        items.push(Annotation {
            context: CONTEXT,
            id: span_iri(&span.id),
            kind: "Annotation",
            motivation: "tagging",
            created: iso8601_utc(span.created),
            modified: iso8601_utc(span.modified),
            creator: creator(&span.author),
            body: bodies,
            target: target.clone(),
        });
        if let Some((id, _)) = project.spans().get_key_value(&span.id) {
            targets.insert(id, target);
        }
    }
    for relation in project.relations().values() {
        let (Some(from), Some(to)) = (targets.get(&relation.from), targets.get(&relation.to)) else {
            continue;
        };
        let symmetric = project.relation_type(&relation.relation_type).is_some_and(|kind| kind.symmetric);
        let direction = if symmetric { DIRECTION_SYMMETRIC } else { DIRECTION_DIRECTED };
        let mut bodies = vec![
            body("tagging", relation.relation_type.to_string()),
            body("describing", format!("direction: {direction}")),
            Body::Resource(Box::new(Target {
                id: Some(link_end_iri(&relation.to, &relation.id)),
                purpose: Some("linking"),
                ..to.clone()
            })),
        ];
        if let Some(kind) = &relation.kind {
            bodies.push(body("describing", format!("kind: {kind}")));
        }
        if !relation.note.is_empty() {
            bodies.push(body("commenting", relation.note.clone()));
        }
        items.push(Annotation {
            context: CONTEXT,
            id: relation_iri(&relation.id),
            kind: "Annotation",
            motivation: "linking",
            created: iso8601_utc(relation.created),
            modified: iso8601_utc(relation.modified),
            creator: creator(&relation.author),
            body: bodies,
            target: Target { id: Some(link_end_iri(&relation.from, &relation.id)), ..from.clone() },
        });
    }
    let collection = Collection {
        context: CONTEXT,
        id: collection_id.clone(),
        kind: "AnnotationCollection",
        label: format!("Crosscheck annotations of {} articles", project.articles().len()),
        total: items.len(),
        generated: iso8601_utc(now_ms),
        generator: Agent { kind: "Software", name: "Crosscheck".to_string() },
        first: Page {
            id: format!("{collection_id}:page:0"),
            kind: "AnnotationPage",
            part_of: collection_id,
            start_index: 0,
            items,
        },
    };
    // Plain data with string keys always serialises.
    serde_json::to_string_pretty(&collection).unwrap_or_default()
}
