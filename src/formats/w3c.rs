//! W3C Web Annotation export and import (JSON-LD, <https://www.w3.org/TR/annotation-model/>).
//!
//! # Export
//!
//! One `AnnotationCollection` whose single embedded `AnnotationPage` (`first`) lists every span
//! (in [`Project::spans_in_order`]) and then every relation (by id). It passes the W3C test
//! suite's MUST assertions (`tests/consumers/test_w3c.py` runs them on every annotation).
//!
//! - Every annotation repeats `"@context": "http://www.w3.org/ns/anno.jsonld"`, so each item
//!   stands alone when a consumer splits the page.
//! - A span is an `Annotation` with id `urn:crosscheck:span:<id>` (ids are percent-encoded
//!   outside RFC 3986's unreserved characters), `motivation: "tagging"`, `created`/`modified`
//!   (ISO 8601 UTC), `creator` (`{"type":"Person","name":author}`) and `body`, an array of
//!   `TextualBody`s:
//!   - `purpose: "tagging"`, `value`: the label's name (first, always);
//!   - `purpose: "describing"`, `value`: `"<key>: <value>"` for every other non-empty attribute
//!     (`"kind: numeric"`, `"speaker: Joe Biden"`), in key order;
//!   - `purpose: "commenting"`, `value`: the `note` attribute, when not empty.
//! - Its `target` is a `SpecificResource` with id `urn:crosscheck:target:<span id>`, `source`
//!   `urn:crosscheck:article:<article id>` (plus `scope`: the article's URL when it has one) and
//!   two selectors: a `TextQuoteSelector` (`exact`, and `prefix`/`suffix` of up to
//!   [`CONTEXT_CHARS`] code points, left out when empty) and a `TextPositionSelector`
//!   (`start`/`end` in code points of the stored text, end exclusive).
//! - A relation is an `Annotation` with id `urn:crosscheck:relation:<id>`,
//!   `motivation: "linking"`, a tagging body with the relation type's id, a describing body
//!   `"kind: <kind>"` and a commenting body with the note (each when not empty), and `target`:
//!   the two spans' `SpecificResource`s — the same objects, with the same ids, as in the span
//!   annotations — in the order `[from, to]` (which matters for `attributed-to`).
//!
//! # Import
//!
//! [`from_w3c`] reads an `AnnotationCollection` (with embedded pages), an `AnnotationPage`, a
//! bare array of annotations or one annotation, against a project whose articles hold the
//! targets. A document of the wrong shape, or an item that is not an annotation object with a
//! `target`, is an error. Everything else that cannot be imported — unknown document, no label,
//! text not found — is listed in [`W3cImport::unanchored`] with the reason; nothing is dropped
//! silently.
//!
//! - The document: `urn:crosscheck:article:<id>`, else an article whose `url` equals `source`.
//! - Anchoring: the `TextPositionSelector`, if the text there equals the `TextQuoteSelector`'s
//!   `exact` (or there is no quote). Otherwise every exact occurrence of the quote, scored by
//!   how many code points of `prefix` and `suffix` match around it, ties going to the occurrence
//!   nearest the old `start`. Otherwise an approximate search (semi-global Levenshtein over code
//!   points) accepting the best passage whose similarity `1 - distance / max(len)` is at least
//!   [`FUZZY_THRESHOLD`] (ties: closest in length, then nearest the old start). Quotes longer
//!   than [`FUZZY_MAX_QUOTE_CHARS`], quote × article products above [`FUZZY_MAX_WORK`] and
//!   searches past the import's [`FUZZY_IMPORT_BUDGET`] are not searched approximately, so a
//!   file of unplaceable annotations cannot freeze the tab; likewise choosing among exact
//!   occurrences compares at most [`SCORED_CONTEXT_CHARS`] of context and stops at the first
//!   occurrence once the import's [`QUOTE_IMPORT_BUDGET`] is spent. Every moved span is listed in
//!   [`W3cImport::reanchored`]. The span's `text` is always the article's text at the final
//!   position.
//! - The label: the first tagging body (or, with no `purpose`, a body of a `tagging`
//!   annotation) whose value equals a label's name (case-insensitive) or id. No such body makes
//!   the annotation unanchored, as does an unknown link type — labels are never invented.
//! - Attributes: the label's defaults, overlaid with each describing body `"key: value"`; other
//!   describing or classifying text and every commenting body (and `bodyValue`) go to `note`.
//!   Non-textual bodies and extra tags are ignored.
//! - Ids: the id in a `urn:crosscheck:span:`/`urn:crosscheck:relation:` IRI is kept when the
//!   project does not already use it; otherwise (and for foreign IRIs) a deterministic new id
//!   `s-w3c-<hash>` / `r-w3c-<hash>` is made. An annotation whose id names a span already in the
//!   project at the same place with the same label is not imported again (it is reported as
//!   unanchored with reason "already in the project") and links may point to it.
//! - Links: `motivation: "linking"` with exactly two targets. Each target resolves by its `id`
//!   (the span target ids above), by an annotation IRI, or by anchoring it and finding the one
//!   imported or existing span at exactly that place.
//! - `created`/`modified` are read from ISO 8601 (else `now`); `creator`'s `name`, `nickname` or
//!   id (else the project's annotator) becomes the author.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::project::{Edit, Project};
use crate::formats::common::{
    first_chars, iri_escape, iri_unescape, iso8601_utc, json_line, label_name, last_chars, parse_iso8601, JsonStep,
};
use crate::formats::FormatError;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The media type the Web Annotation protocol gives this JSON-LD.
pub const MEDIA_TYPE: &str = "application/ld+json;profile=\"http://www.w3.org/ns/anno.jsonld\"";
/// A suggested download name.
pub const FILE_NAME: &str = "annotations.w3c.json";
pub const SPAN_IRI_PREFIX: &str = "urn:crosscheck:span:";
pub const RELATION_IRI_PREFIX: &str = "urn:crosscheck:relation:";
pub const TARGET_IRI_PREFIX: &str = "urn:crosscheck:target:";
pub const ARTICLE_IRI_PREFIX: &str = "urn:crosscheck:article:";
/// Code points of context in a `TextQuoteSelector`'s `prefix` and `suffix`.
pub const CONTEXT_CHARS: usize = 32;
/// The lowest similarity (1 − Levenshtein distance / longer length) an approximate match needs.
pub const FUZZY_THRESHOLD: f64 = 0.8;
/// Quotes longer than this (code points) are only searched exactly.
pub const FUZZY_MAX_QUOTE_CHARS: usize = 500;
/// The largest quote × article product (code points) searched approximately for one target.
pub const FUZZY_MAX_WORK: usize = 30_000_000;
/// Code points of a `TextQuoteSelector`'s `prefix` and `suffix` compared around each exact
/// occurrence of its quote: more than exports write ([`CONTEXT_CHARS`]), few enough to bound the
/// cost of scoring one occurrence.
pub const SCORED_CONTEXT_CHARS: usize = 256;
/// The total work (bytes of quote and context compared) one import may spend choosing among the
/// exact occurrences of its quotes. Past it, a quote takes its first occurrence unscored. Only
/// quotes that occur thousands of times each (a repetitive article) get there: ten thousand
/// copies of a quote occurring 60,000 times took a minute without it (found by the fuzzer,
/// `tests/fuzz_importers.rs`).
pub const QUOTE_IMPORT_BUDGET: usize = 100_000_000;
/// The total approximate-search work (quote × article code points) one import may spend;
/// targets beyond it are reported as unanchored rather than searched. A cell costs about 13 ns
/// in an optimised (`opt-level = "z"`) native build, so this is about 0.65 s; the former 300
/// million let a 7 KB file of ten unplaceable quotes freeze the tab for 4 s (found by the fuzzer,
/// `tests/fuzz_importers.rs`).
pub const FUZZY_IMPORT_BUDGET: usize = 50_000_000;

pub fn span_iri(id: &SpanId) -> String {
    format!("{SPAN_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

pub fn relation_iri(id: &RelationId) -> String {
    format!("{RELATION_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

pub fn target_iri(id: &SpanId) -> String {
    format!("{TARGET_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

pub fn article_iri(id: &ArticleId) -> String {
    format!("{ARTICLE_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct Collection {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    generated: String,
    generator: Agent,
    first: Page,
}

#[derive(Serialize)]
struct Page {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "partOf")]
    part_of: String,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Annotation>,
}

#[derive(Serialize)]
struct Agent {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct Annotation {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: String,
    modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Agent>,
    body: Vec<TextualBody>,
    target: Targets,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Targets {
    One(Box<Target>),
    Two(Box<[Target; 2]>),
}

#[derive(Serialize)]
struct TextualBody {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: String,
}

#[derive(Clone, Serialize)]
struct Target {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    scope: String,
    selector: [Selector; 2],
}

#[derive(Clone, Serialize)]
#[serde(untagged)]
enum Selector {
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

fn body(purpose: &'static str, value: String) -> TextualBody {
    TextualBody { kind: "TextualBody", purpose, value }
}

fn creator(author: &str) -> Option<Agent> {
    (!author.is_empty()).then(|| Agent { kind: "Person", name: author.to_string() })
}

fn span_target(article: Option<&Article>, span: &Span) -> Target {
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
        id: target_iri(&span.id),
        kind: "SpecificResource",
        source: if canonical.is_empty() { article_iri(&span.article) } else { canonical.to_string() },
        scope,
        selector: [
            Selector::Quote {
                kind: "TextQuoteSelector",
                exact: span.text.clone(),
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
            target: Targets::One(Box::new(target.clone())),
        });
        if let Some((id, _)) = project.spans().get_key_value(&span.id) {
            targets.insert(id, target);
        }
    }
    for relation in project.relations().values() {
        let (Some(from), Some(to)) = (targets.get(&relation.from), targets.get(&relation.to)) else {
            continue;
        };
        let mut bodies = vec![body("tagging", relation.relation_type.to_string())];
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
            target: Targets::Two(Box::new([from.clone(), to.clone()])),
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

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// An annotation that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unanchored {
    /// The annotation's `id`, or its position (`items[3]`) when it has none.
    pub annotation_id: String,
    pub reason: String,
}

/// How a span whose position did not match its quote was placed.
#[derive(Clone, Debug, PartialEq)]
pub enum AnchorMethod {
    /// An exact occurrence of the quote, chosen by prefix/suffix and distance.
    Quote,
    /// An approximate match with this similarity (0–1).
    Fuzzy { similarity: f64 },
}

/// A span that was imported at a different place than its `TextPositionSelector` said.
#[derive(Clone, Debug, PartialEq)]
pub struct Reanchored {
    pub annotation_id: String,
    pub span: SpanId,
    /// The start the position selector gave, if it had one.
    pub old_start: Option<usize>,
    pub start: usize,
    pub end: usize,
    pub method: AnchorMethod,
}

/// The result of [`from_w3c`]: new spans and relations, ready for [`W3cImport::into_edit`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct W3cImport {
    pub spans: Vec<Span>,
    pub relations: Vec<Relation>,
    pub unanchored: Vec<Unanchored>,
    pub reanchored: Vec<Reanchored>,
}

impl W3cImport {
    /// One undoable step adding every span, then every relation.
    pub fn into_edit(self) -> Edit {
        let spans = self.spans.into_iter().map(Edit::AddSpan);
        Edit::Batch(spans.chain(self.relations.into_iter().map(Edit::AddRelation)).collect())
    }
}

/// Parses W3C annotations and anchors them in `project`'s articles (see the module docs).
/// `now_ms` stands in for missing dates.
pub fn from_w3c(json: &str, project: &Project, now_ms: i64) -> Result<W3cImport, FormatError> {
    let root: Value = serde_json::from_str(json).map_err(FormatError::from_json_error)?;
    let items = annotation_items(json, &root)?;
    let mut importer = Importer::new(project, now_ms);
    let mut links = Vec::new();
    for (place, annotation) in &items {
        let Some(object) = annotation.as_object() else {
            return Err(place.error(json, "an annotation must be a JSON object"));
        };
        if !object.contains_key("target") {
            return Err(place.error(json, "not an annotation: it has no \"target\""));
        }
        let annotation_id = match object.get("id") {
            Some(Value::String(id)) => id.clone(),
            _ => place.field.clone(),
        };
        if strings(object.get("motivation")).contains(&"linking") {
            links.push((annotation_id, *annotation));
        } else {
            importer.import_span(&annotation_id, annotation);
        }
    }
    for (annotation_id, annotation) in links {
        importer.import_relation(&annotation_id, annotation);
    }
    Ok(importer.result)
}

/// Where something is in the document: a readable field path and the steps to find its line.
#[derive(Clone, Default)]
struct Place {
    field: String,
    steps: Vec<JsonStep>,
}

impl Place {
    fn key(&self, key: &str) -> Place {
        let field = if self.field.is_empty() { key.to_string() } else { format!("{}.{key}", self.field) };
        let mut steps = self.steps.clone();
        steps.push(JsonStep::Key(key.to_string()));
        Place { field, steps }
    }

    fn index(&self, index: usize) -> Place {
        let mut steps = self.steps.clone();
        steps.push(JsonStep::Index(index));
        Place { field: format!("{}[{index}]", self.field), steps }
    }

    fn error(&self, json: &str, message: &str) -> FormatError {
        match json_line(json, &self.steps) {
            Some(line) => FormatError::at_line(line, &self.field, message),
            None => FormatError::at(&self.field, message),
        }
    }
}

fn listed<'v>(json: &str, items: &'v Value, place: &Place) -> Result<Vec<(Place, &'v Value)>, FormatError> {
    let array = items.as_array().ok_or_else(|| place.error(json, "must be an array of annotations"))?;
    Ok(array.iter().enumerate().map(|(index, item)| (place.index(index), item)).collect())
}

/// The annotations of a collection, page, array or single annotation, with their places.
fn annotation_items<'v>(json: &str, root: &'v Value) -> Result<Vec<(Place, &'v Value)>, FormatError> {
    let top = Place::default();
    match root {
        Value::Array(_) => listed(json, root, &top),
        Value::Object(object) => {
            let types = strings(object.get("type"));
            if types.contains(&"AnnotationCollection") {
                let mut items = Vec::new();
                if let Some(direct) = object.get("items") {
                    items.extend(listed(json, direct, &top.key("items"))?);
                }
                let mut page = object.get("first");
                let mut place = top.key("first");
                while let Some(current) = page {
                    match current {
                        Value::Object(page_object) => {
                            let page_items = page_object
                                .get("items")
                                .ok_or_else(|| place.error(json, "an AnnotationPage needs \"items\""))?;
                            items.extend(listed(json, page_items, &place.key("items"))?);
                            page = page_object.get("next");
                            place = place.key("next");
                        }
                        Value::String(_) => {
                            return Err(place.error(
                                json,
                                "pages given by IRI cannot be fetched; embed the AnnotationPage in the file",
                            ))
                        }
                        _ => return Err(place.error(json, "must be an embedded AnnotationPage")),
                    }
                }
                Ok(items)
            } else if types.contains(&"AnnotationPage") {
                let page_items = object
                    .get("items")
                    .ok_or_else(|| top.key("items").error(json, "an AnnotationPage needs \"items\""))?;
                listed(json, page_items, &top.key("items"))
            } else if object.contains_key("target") {
                Ok(vec![(Place { field: "annotation".to_string(), steps: Vec::new() }, root)])
            } else {
                Err(top.key("type").error(
                    json,
                    "not a W3C annotation: expected an AnnotationCollection, an AnnotationPage, an Annotation or an array of annotations",
                ))
            }
        }
        _ => Err(FormatError::at_line(1, "", "not a W3C annotation document (expected a JSON object or array)")),
    }
}

/// A string or an array of strings, as a list (other values give an empty list).
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(text)) => vec![text.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A value or an array of values, as a list.
fn one_or_many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// Where a target points, once anchored.
#[derive(Clone, Debug, PartialEq)]
struct Anchor {
    article: ArticleId,
    start: usize,
    end: usize,
    old_start: Option<usize>,
    method: Option<AnchorMethod>,
}

/// The textual content of an annotation's bodies, sorted by purpose.
#[derive(Default)]
struct Bodies {
    tags: Vec<String>,
    attributes: BTreeMap<String, String>,
    notes: Vec<String>,
}

fn read_bodies(annotation: &Value) -> Bodies {
    let motivations = strings(annotation.get("motivation"));
    let mut bodies = Bodies::default();
    for body in one_or_many(annotation.get("body")) {
        let Some(value) = body.get("value").and_then(Value::as_str) else {
            continue;
        };
        let mut purposes = strings(body.get("purpose"));
        if purposes.is_empty() {
            purposes = motivations.clone();
        }
        if purposes.contains(&"tagging") {
            bodies.tags.push(value.to_string());
        } else if purposes.iter().any(|purpose| matches!(*purpose, "describing" | "classifying")) {
            match value.split_once(": ") {
                Some((key, attribute)) if is_attribute_key(key) => {
                    bodies.attributes.insert(key.to_string(), attribute.to_string());
                }
                _ => bodies.notes.push(value.to_string()),
            }
        } else {
            bodies.notes.push(value.to_string());
        }
    }
    if let Some(body_value) = annotation.get("bodyValue").and_then(Value::as_str) {
        bodies.notes.push(body_value.to_string());
    }
    bodies
}

/// Attribute keys as the schema makes them: short, no spaces.
fn is_attribute_key(key: &str) -> bool {
    !key.is_empty() && key.chars().count() <= 64 && !key.chars().any(char::is_whitespace)
}

fn author_of(annotation: &Value, fallback: &str) -> String {
    let creator = one_or_many(annotation.get("creator")).into_iter().next();
    let named = match creator {
        Some(Value::String(iri)) => Some(iri.as_str()),
        Some(Value::Object(agent)) => ["name", "nickname", "id"]
            .iter()
            .find_map(|key| strings(agent.get(*key)).into_iter().next().filter(|value| !value.trim().is_empty())),
        _ => None,
    };
    named.map_or_else(|| fallback.to_string(), str::to_string)
}

fn date_of(annotation: &Value, key: &str) -> Option<i64> {
    strings(annotation.get(key)).into_iter().next().and_then(parse_iso8601)
}

fn short_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().take(6).map(|byte| format!("{byte:02x}")).collect()
}

struct Importer<'p> {
    project: &'p Project,
    now_ms: i64,
    /// What is left of [`FUZZY_IMPORT_BUDGET`].
    fuzzy_budget: usize,
    /// What is left of [`QUOTE_IMPORT_BUDGET`].
    quote_budget: usize,
    result: W3cImport,
    used_span_ids: BTreeSet<SpanId>,
    used_relation_ids: BTreeSet<RelationId>,
    /// Annotation ids and target ids → the span they stand for (new or existing).
    span_for_iri: BTreeMap<String, SpanId>,
    /// Every span an imported link may point to: (article, start, end) → ids (new first).
    spans_at: BTreeMap<(ArticleId, usize, usize), Vec<SpanId>>,
    /// For each `fresh_id` base, the last suffix taken, so that many annotations with the same
    /// seed do not each probe `-2`, `-3`… from the start (quadratic).
    last_suffix: BTreeMap<String, usize>,
}

impl<'p> Importer<'p> {
    fn new(project: &'p Project, now_ms: i64) -> Importer<'p> {
        let mut spans_at: BTreeMap<(ArticleId, usize, usize), Vec<SpanId>> = BTreeMap::new();
        let mut span_for_iri = BTreeMap::new();
        for span in project.spans().values() {
            spans_at.entry((span.article.clone(), span.start, span.end)).or_default().push(span.id.clone());
            span_for_iri.insert(span_iri(&span.id), span.id.clone());
            span_for_iri.insert(target_iri(&span.id), span.id.clone());
        }
        Importer {
            project,
            now_ms,
            fuzzy_budget: FUZZY_IMPORT_BUDGET,
            quote_budget: QUOTE_IMPORT_BUDGET,
            result: W3cImport::default(),
            used_span_ids: project.spans().keys().cloned().collect(),
            used_relation_ids: project.relations().keys().cloned().collect(),
            span_for_iri,
            spans_at,
            last_suffix: BTreeMap::new(),
        }
    }

    fn unanchored(&mut self, annotation_id: &str, reason: String) {
        self.result.unanchored.push(Unanchored { annotation_id: annotation_id.to_string(), reason });
    }

    fn import_span(&mut self, annotation_id: &str, annotation: &Value) {
        let targets = one_or_many(annotation.get("target"));
        let target = match targets.as_slice() {
            [target] => *target,
            [] => return self.unanchored(annotation_id, "it has no target".to_string()),
            _ => {
                return self.unanchored(
                    annotation_id,
                    format!("it has {} targets; only links (motivation \"linking\") may have several", targets.len()),
                )
            }
        };
        let bodies = read_bodies(annotation);
        let Some(label) = bodies.tags.iter().find_map(|tag| {
            let tag = tag.trim();
            self.project.labels().iter().find(|label| same_name(&label.name, tag) || label.id == tag)
        }) else {
            let reason = if bodies.tags.is_empty() {
                "it has no tagging body naming a label".to_string()
            } else {
                format!("no label of this project is called {}", quoted_list(&bodies.tags))
            };
            return self.unanchored(annotation_id, reason);
        };
        let anchor = match anchor_target(self.project, target, &mut self.fuzzy_budget, &mut self.quote_budget) {
            Ok(anchor) => anchor,
            Err(reason) => return self.unanchored(annotation_id, reason),
        };
        let Some(article) = self.project.article(&anchor.article) else {
            return self.unanchored(annotation_id, "its document is not in the project".to_string());
        };
        let Some(text) = article.slice(anchor.start, anchor.end) else {
            return self.unanchored(annotation_id, "its range is outside the article".to_string());
        };
        let target_id = target.get("id").and_then(Value::as_str);

        let claimed = annotation_id.strip_prefix(SPAN_IRI_PREFIX).and_then(iri_unescape).map(SpanId::from);
        if let Some(existing) = claimed.as_ref().and_then(|id| self.project.spans().get(id)) {
            if existing.article == anchor.article
                && existing.start == anchor.start
                && existing.end == anchor.end
                && existing.label == label.id
            {
                let id = existing.id.clone();
                self.remember(annotation_id, target_id, &id, None);
                return self.unanchored(annotation_id, format!("already in the project as {id}"));
            }
        }
        let id = match claimed {
            Some(id) if !self.used_span_ids.contains(&id) => id,
            _ => {
                let seed = [annotation_id, anchor.article.as_str(), &anchor.start.to_string(), &anchor.end.to_string()];
                fresh_id(&self.used_span_ids, &mut self.last_suffix, "s-w3c", &seed, SpanId::from)
            }
        };
        let mut attributes: BTreeMap<String, String> =
            label.attributes.iter().map(|attribute| (attribute.key.clone(), attribute.default_value())).collect();
        attributes.extend(bodies.attributes);
        if !bodies.notes.is_empty() {
            attributes.insert("note".to_string(), bodies.notes.join("\n\n"));
        }
        let created = date_of(annotation, "created").unwrap_or(self.now_ms);
        let span = Span {
            id: id.clone(),
            article: anchor.article.clone(),
            start: anchor.start,
            end: anchor.end,
            label: label.id.clone(),
            text: text.to_string(),
            attributes,
            author: author_of(annotation, &self.project.settings().annotator),
            created,
            modified: date_of(annotation, "modified").unwrap_or(created),
        };
        if let Some(method) = anchor.method.clone() {
            self.result.reanchored.push(Reanchored {
                annotation_id: annotation_id.to_string(),
                span: id.clone(),
                old_start: anchor.old_start,
                start: anchor.start,
                end: anchor.end,
                method,
            });
        }
        self.used_span_ids.insert(id.clone());
        self.remember(annotation_id, target_id, &id, Some((anchor.article, anchor.start, anchor.end)));
        self.result.spans.push(span);
    }

    fn remember(
        &mut self,
        annotation_id: &str,
        target_id: Option<&str>,
        span: &SpanId,
        place: Option<(ArticleId, usize, usize)>,
    ) {
        self.span_for_iri.insert(annotation_id.to_string(), span.clone());
        if let Some(target_id) = target_id {
            self.span_for_iri.insert(target_id.to_string(), span.clone());
        }
        if let Some(place) = place {
            self.spans_at.entry(place).or_default().insert(0, span.clone());
        }
    }

    fn import_relation(&mut self, annotation_id: &str, annotation: &Value) {
        let targets = one_or_many(annotation.get("target"));
        let [from_target, to_target] = targets.as_slice() else {
            return self.unanchored(annotation_id, format!("a link needs exactly two targets, not {}", targets.len()));
        };
        let bodies = read_bodies(annotation);
        let Some(relation_type) = bodies.tags.iter().find_map(|tag| {
            let tag = tag.trim();
            self.project.relation_types().iter().find(|kind| same_name(&kind.id, tag) || same_name(&kind.name, tag))
        }) else {
            let reason = if bodies.tags.is_empty() {
                "the link has no tagging body naming its type".to_string()
            } else {
                format!("no link type of this project is called {}", quoted_list(&bodies.tags))
            };
            return self.unanchored(annotation_id, reason);
        };
        let from = match self.resolve_end(from_target) {
            Ok(span) => span,
            Err(reason) => return self.unanchored(annotation_id, format!("first target: {reason}")),
        };
        let to = match self.resolve_end(to_target) {
            Ok(span) => span,
            Err(reason) => return self.unanchored(annotation_id, format!("second target: {reason}")),
        };
        if from == to {
            return self.unanchored(annotation_id, "both targets are the same annotation".to_string());
        }
        let existing =
            self.project.relations().values().map(|relation| &**relation).chain(self.result.relations.iter());
        let duplicate = existing
            .filter(|relation| relation.relation_type == relation_type.id)
            .find(|relation| relation.links(&from, &to, relation_type.symmetric))
            .map(|relation| relation.id.clone());
        if let Some(duplicate) = duplicate {
            return self.unanchored(annotation_id, format!("these two spans are already linked ({duplicate})"));
        }
        let claimed = annotation_id.strip_prefix(RELATION_IRI_PREFIX).and_then(iri_unescape).map(RelationId::from);
        let id = match claimed {
            Some(id) if !self.used_relation_ids.contains(&id) => id,
            _ => fresh_id(
                &self.used_relation_ids,
                &mut self.last_suffix,
                "r-w3c",
                &[annotation_id, from.as_str(), to.as_str()],
                RelationId::from,
            ),
        };
        let mut attributes = bodies.attributes;
        let created = date_of(annotation, "created").unwrap_or(self.now_ms);
        let relation = Relation {
            id: id.clone(),
            relation_type: relation_type.id.clone(),
            from,
            to,
            kind: attributes.remove("kind").filter(|kind| !kind.is_empty()),
            note: bodies.notes.join("\n\n"),
            author: author_of(annotation, &self.project.settings().annotator),
            created,
            modified: date_of(annotation, "modified").unwrap_or(created),
        };
        self.used_relation_ids.insert(id);
        self.result.relations.push(relation);
    }

    /// The span a link's target stands for.
    fn resolve_end(&mut self, target: &Value) -> Result<SpanId, String> {
        let iri = match target {
            Value::String(iri) => Some(iri.as_str()),
            Value::Object(object) => object.get("id").and_then(Value::as_str),
            _ => return Err("a target must be an IRI or an object".to_string()),
        };
        if let Some(span) = iri.and_then(|iri| self.span_for_iri.get(iri)) {
            return Ok(span.clone());
        }
        if target.is_string() {
            return Err("it names no imported or existing annotation".to_string());
        }
        let anchor = anchor_target(self.project, target, &mut self.fuzzy_budget, &mut self.quote_budget)?;
        match self.spans_at.get(&(anchor.article, anchor.start, anchor.end)).map(Vec::as_slice) {
            Some([span, ..]) => Ok(span.clone()),
            _ => Err("no imported or existing annotation covers exactly this passage".to_string()),
        }
    }
}

/// Names compare case-insensitively (full Unicode lower-casing) and ignore surrounding spaces.
fn same_name(left: &str, right: &str) -> bool {
    left.trim().to_lowercase() == right.trim().to_lowercase()
}

fn quoted_list(values: &[String]) -> String {
    values.iter().map(|value| format!("\"{value}\"")).collect::<Vec<_>>().join(", ")
}

/// A new id `<prefix>-<hash>` (with `-2`, `-3`… on collision) not in `used`. `last_suffix`
/// remembers where each base's search ended; `used` only grows, so resuming there gives the same
/// id as searching from the start, without the quadratic cost of many equal seeds.
fn fresh_id<Id: Ord>(
    used: &BTreeSet<Id>,
    last_suffix: &mut BTreeMap<String, usize>,
    prefix: &str,
    seed: &[&str],
    make: fn(String) -> Id,
) -> Id {
    let base = format!("{prefix}-{}", short_hash(seed));
    let counter = last_suffix.entry(base.clone()).or_insert(1);
    let name = |counter: usize| if counter == 1 { base.clone() } else { format!("{base}-{counter}") };
    let mut candidate = make(name(*counter));
    while used.contains(&candidate) {
        *counter += 1;
        candidate = make(name(*counter));
    }
    candidate
}

/// The selectors of a target that matter here.
struct Selectors {
    position: Option<(usize, usize)>,
    exact: Option<String>,
    prefix: String,
    suffix: String,
}

fn read_selectors(target: &Value) -> Selectors {
    let mut selectors = Selectors { position: None, exact: None, prefix: String::new(), suffix: String::new() };
    for selector in one_or_many(target.get("selector")) {
        let types = strings(selector.get("type"));
        if types.contains(&"TextPositionSelector") && selectors.position.is_none() {
            let start = selector.get("start").and_then(Value::as_u64).and_then(|value| usize::try_from(value).ok());
            let end = selector.get("end").and_then(Value::as_u64).and_then(|value| usize::try_from(value).ok());
            if let (Some(start), Some(end)) = (start, end) {
                selectors.position = Some((start, end));
            }
        } else if types.contains(&"TextQuoteSelector") && selectors.exact.is_none() {
            if let Some(exact) = selector.get("exact").and_then(Value::as_str) {
                selectors.exact = Some(exact.to_string());
                selectors.prefix = selector.get("prefix").and_then(Value::as_str).unwrap_or("").to_string();
                selectors.suffix = selector.get("suffix").and_then(Value::as_str).unwrap_or("").to_string();
            }
        }
    }
    selectors
}

fn source_article<'p>(project: &'p Project, target: &Value) -> Result<&'p Article, String> {
    let source = match target.get("source") {
        Some(Value::String(iri)) => iri.as_str(),
        Some(Value::Object(resource)) => resource.get("id").and_then(Value::as_str).unwrap_or(""),
        _ => return Err("its target has no source document".to_string()),
    };
    if let Some(id) = source.strip_prefix(ARTICLE_IRI_PREFIX).and_then(iri_unescape) {
        if let Some(article) = project.article(&ArticleId::from(id)) {
            return Ok(article);
        }
    }
    if !source.is_empty() {
        if let Some(article) =
            project.articles().iter().find(|article| article.metadata.canonical_url == source || article.url == source)
        {
            return Ok(article);
        }
    }
    Err(format!("its document {source} is not in the project"))
}

/// Places a target in its article (see the module docs for the order of attempts).
fn anchor_target(
    project: &Project,
    target: &Value,
    fuzzy_budget: &mut usize,
    quote_budget: &mut usize,
) -> Result<Anchor, String> {
    if target.is_string() {
        return Err("it targets a whole document, not a passage".to_string());
    }
    let article = source_article(project, target)?;
    let selectors = read_selectors(target);
    let make = |start, end, method| Anchor {
        article: article.id.clone(),
        start,
        end,
        old_start: selectors.position.map(|(start, _)| start),
        method,
    };
    if let Some((start, end)) = selectors.position {
        if start < end {
            if let Some(found) = article.slice(start, end) {
                if selectors.exact.as_deref().is_none_or(|exact| exact == found) {
                    return Ok(make(start, end, None));
                }
            }
        }
    }
    let Some(exact) = selectors.exact.as_deref().filter(|exact| !exact.is_empty()) else {
        return Err(match selectors.position {
            Some((start, end)) => format!("its position {start}..{end} is not inside the article and it has no quote"),
            None => "its target has no TextPositionSelector or TextQuoteSelector".to_string(),
        });
    };
    let old_start = selectors.position.map(|(start, _)| start);
    if let Some((start, end)) =
        find_quote(article, exact, &selectors.prefix, &selectors.suffix, old_start, quote_budget)
    {
        return Ok(make(start, end, Some(AnchorMethod::Quote)));
    }
    let quote_chars = exact.chars().count();
    let work = quote_chars.saturating_mul(article.char_len());
    let shown = first_chars(exact, 60);
    if quote_chars > FUZZY_MAX_QUOTE_CHARS || work > FUZZY_MAX_WORK {
        return Err(format!("its quote \"{shown}\" is not in the article (too long to search approximately)"));
    }
    if work > *fuzzy_budget {
        return Err(format!(
            "its quote \"{shown}\" is not in the article exactly, and this import's time for approximate search is spent"
        ));
    }
    *fuzzy_budget -= work;
    match find_fuzzy(article, exact, old_start) {
        Some((start, end, similarity)) => Ok(make(start, end, Some(AnchorMethod::Fuzzy { similarity }))),
        None => Err(format!("its quote \"{}\" is not in the article", first_chars(exact, 60))),
    }
}

/// Code points that `a` and `b` share at their ends (`from_end`) or starts.
fn common_chars(a: &str, b: &str, from_end: bool) -> usize {
    if from_end {
        a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
    } else {
        a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
    }
}

/// The best exact occurrence of `exact`: most context matched (up to [`SCORED_CONTEXT_CHARS`]
/// each side), then nearest `old_start`. Each occurrence scored costs `budget` its share; once
/// that is spent, the search stops at the first occurrence.
fn find_quote(
    article: &Article,
    exact: &str,
    prefix: &str,
    suffix: &str,
    old_start: Option<usize>,
    budget: &mut usize,
) -> Option<(usize, usize)> {
    let text: &str = &article.text;
    let index = &article.layout().index;
    let exact_chars = exact.chars().count();
    let prefix = last_chars(prefix, SCORED_CONTEXT_CHARS);
    let suffix = first_chars(suffix, SCORED_CONTEXT_CHARS);
    // Finding the next overlapping occurrence re-reads the quote; scoring reads the context and
    // walks at most one checkpoint stride of the text index.
    let cost = exact.len() + prefix.len() + suffix.len() + 64;
    let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(exact)) {
        let byte = from + found;
        let start = index.char_offset(text, byte);
        let before = &text[..byte];
        let after = text.get(byte + exact.len()..).unwrap_or("");
        let score = common_chars(before, prefix, true) + common_chars(after, suffix, false);
        let distance = old_start.map_or(0, |old| old.abs_diff(start));
        let better = match best {
            None => true,
            Some((best_score, best_distance, _)) => {
                score > best_score || (score == best_score && distance < best_distance)
            }
        };
        if better {
            best = Some((score, distance, start));
        }
        if *budget < cost {
            break;
        }
        *budget -= cost;
        // Step one code point, so that overlapping occurrences are seen too.
        from = byte + text[byte..].chars().next().map_or(1, char::len_utf8);
    }
    best.map(|(_, _, start)| (start, start + exact_chars))
}

/// The best approximate occurrence of `exact` (semi-global Levenshtein over code points), if
/// its similarity reaches [`FUZZY_THRESHOLD`]: `(start, end, similarity)`.
fn find_fuzzy(article: &Article, exact: &str, old_start: Option<usize>) -> Option<(usize, usize, f64)> {
    let pattern: Vec<char> = exact.chars().collect();
    let text: Vec<char> = article.text.chars().collect();
    let (m, n) = (pattern.len(), text.len());
    if m == 0 || n == 0 || m > FUZZY_MAX_QUOTE_CHARS || m.saturating_mul(n) > FUZZY_MAX_WORK {
        return None;
    }
    // cost[i], start[i]: the cheapest alignment of pattern[..i] ending at the current column.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    // (cost, length difference, distance from the old start, start, end): lowest wins.
    let mut best: Option<(usize, usize, usize, usize, usize)> = None;
    for column in 1..=n {
        let mut diagonal_cost = cost[0];
        let mut diagonal_start = start[0];
        cost[0] = 0;
        start[0] = column;
        for row in 1..=m {
            let substitution = diagonal_cost + usize::from(pattern[row - 1] != text[column - 1]);
            let skip_text = cost[row] + 1;
            let skip_pattern = cost[row - 1] + 1;
            let (above_cost, above_start) = (cost[row], start[row]);
            let (new_cost, new_start) = if substitution <= skip_text && substitution <= skip_pattern {
                (substitution, diagonal_start)
            } else if skip_text <= skip_pattern {
                (skip_text, above_start)
            } else {
                (skip_pattern, start[row - 1])
            };
            diagonal_cost = above_cost;
            diagonal_start = above_start;
            cost[row] = new_cost;
            start[row] = new_start;
        }
        let (total, from) = (cost[m], start[m]);
        let key = (total, m.abs_diff(column - from), old_start.map_or(0, |old| old.abs_diff(from)));
        let better = best.is_none_or(|(cost, length, distance, _, _)| key < (cost, length, distance));
        if better && from < column {
            best = Some((key.0, key.1, key.2, from, column));
        }
    }
    let (total, _, _, from, to) = best?;
    let longer = m.max(to - from);
    let similarity = 1.0 - total as f64 / longer as f64;
    (similarity >= FUZZY_THRESHOLD).then_some((from, to, similarity))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::corpus::default_articles;
    use crate::domain::project::{new_relation, new_span};

    fn project_with_spans() -> Project {
        let mut articles = default_articles();
        articles.push(Article::new(
            "Emoji 🙂 and flags 🇺🇸: \"we will\nnot go\", he said. We will not go.",
            "",
            "e.txt",
        ));
        let mut project = Project::with_articles(articles);
        let emoji = project.articles()[5].clone();
        let mut quote = new_span(&project, SpanId::from("s 1/é"), &emoji, 23, 37, &"quote".into(), 1_000).unwrap();
        quote.attributes.insert("speaker".to_string(), "Benjamin Netanyahu".to_string());
        quote.attributes.insert("note".to_string(), "line break inside".to_string());
        project.apply(Edit::AddSpan(quote), 2_000).unwrap();
        let first = project.articles()[0].clone();
        let claim = new_span(&project, SpanId::from("s2"), &first, 0, 8, &"claim".into(), 1_000).unwrap();
        project.apply(Edit::AddSpan(claim), 2_000).unwrap();
        let mut relation = new_relation(
            &project,
            RelationId::from("r1"),
            &"attributed-to".into(),
            SpanId::from("s2"),
            SpanId::from("s 1/é"),
            3,
        );
        relation.kind = Some("x".to_string());
        relation.note = "why".to_string();
        project.apply(Edit::AddRelation(relation), 4).unwrap();
        project
    }

    fn without_spans(project: &Project) -> Project {
        project.without_annotations()
    }

    #[test]
    fn export_then_import_gives_back_the_same_spans_and_relations() {
        let project = project_with_spans();
        let json = to_w3c(&project, 5);
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["total"], 3);
        let first = &value["first"]["items"][0];
        assert_eq!(first["target"]["selector"][1]["start"], 0);
        let imported = from_w3c(&json, &without_spans(&project), 99).unwrap();
        assert_eq!(imported.unanchored, vec![]);
        assert_eq!(imported.reanchored, vec![]);
        let mut spans = imported.spans.clone();
        spans.sort_by(|a, b| a.id.cmp(&b.id));
        let expected: Vec<Span> = project.spans().values().map(|span| (**span).clone()).collect();
        assert_eq!(spans, expected);
        let expected: Vec<Relation> = project.relations().values().map(|relation| (**relation).clone()).collect();
        assert_eq!(imported.relations, expected);
        let mut target = without_spans(&project);
        target.apply(imported.into_edit(), 7).unwrap();
        assert_eq!(target.spans().len(), 2);
    }

    #[test]
    fn reimporting_into_the_same_project_adds_nothing() {
        let project = project_with_spans();
        let imported = from_w3c(&to_w3c(&project, 5), &project, 9).unwrap();
        assert!(imported.spans.is_empty(), "{:?}", imported.spans);
        assert_eq!(imported.unanchored.len(), 3);
        assert!(imported.unanchored[2].reason.contains("already linked"), "{:?}", imported.unanchored);
    }

    #[test]
    fn moved_text_is_reanchored_by_quote_then_fuzzily() {
        let article = Article::new("We will not go. Later: we will not go. And: we wil not go!", "", "x");
        let project = Project::with_articles(vec![article.clone()]);
        let target = |start: usize, end: usize, exact: &str, prefix: &str| {
            serde_json::json!({
                "id": "urn:x:1", "type": "Annotation", "body": {"purpose": "tagging", "value": "claim"},
                "target": {"source": article_iri(&article.id), "selector": [
                    {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix},
                    {"type": "TextPositionSelector", "start": start, "end": end}]}
            })
            .to_string()
        };
        // Position off by two; the quote occurs twice, the prefix picks the second.
        let imported = from_w3c(&target(21, 35, "we will not go", "Later: "), &project, 0).unwrap();
        assert_eq!((imported.spans[0].start, imported.spans[0].end), (23, 37));
        assert_eq!(imported.reanchored[0].method, AnchorMethod::Quote);
        assert_eq!(imported.spans[0].label, "claim");
        assert!(imported.spans[0].id.as_str().starts_with("s-w3c-"));
        // Without context the nearest occurrence to the old start wins.
        let imported = from_w3c(&target(3, 17, "we will not go", ""), &project, 0).unwrap();
        assert_eq!(imported.spans[0].start, 23);
        // Not present exactly: approximate match.
        let imported = from_w3c(&target(0, 5, "we wil not go?", ""), &project, 0).unwrap();
        let span = &imported.spans[0];
        assert_eq!(span.text, "we wil not go!");
        assert!(matches!(imported.reanchored[0].method, AnchorMethod::Fuzzy { similarity } if similarity > 0.9));
        let imported = from_w3c(&target(0, 5, "completely different words here", ""), &project, 0).unwrap();
        assert!(imported.spans.is_empty());
        assert!(imported.unanchored[0].reason.contains("not in the article"), "{:?}", imported.unanchored);
    }

    #[test]
    fn fuzzy_search_tolerates_small_edits() {
        let article = Article::new("The delegation was scheduled to discuss potential compromises.", "", "x");
        let (start, end, similarity) = find_fuzzy(&article, "delegation was schedulled to discuss", Some(0)).unwrap();
        assert_eq!(article.slice(start, end), Some("delegation was scheduled to discuss"));
        assert!(similarity > 0.9 && similarity < 1.0);
        assert_eq!(find_fuzzy(&article, "zzzz qqqq", None), None);
    }

    #[test]
    fn unknown_labels_documents_and_shapes() {
        let project = project_with_spans();
        let json = to_w3c(&project, 5).replace("\"Claim\"", "\"Opinion\"");
        let imported = from_w3c(&json, &without_spans(&project), 0).unwrap();
        assert_eq!(imported.spans.len(), 1);
        assert!(imported.unanchored[0].reason.contains("\"Opinion\""), "{:?}", imported.unanchored);
        assert!(imported.unanchored[1].reason.contains("first target"), "{:?}", imported.unanchored);
        let other = Project::with_articles(vec![Article::new("Unrelated.", "", "u")]);
        let imported = from_w3c(&to_w3c(&project, 5), &other, 0).unwrap();
        assert!(imported.spans.is_empty() && imported.unanchored.len() == 3);
        for bad in [
            "{}",
            "[1]",
            "\"x\"",
            "{\"type\":\"AnnotationPage\"}",
            "{\"type\":\"AnnotationCollection\",\"first\":\"urn:p\"}",
        ] {
            assert!(from_w3c(bad, &project, 0).is_err(), "{bad}");
        }
        let error = from_w3c("[{\"target\":\"urn:a\"}, {\"id\":\"x\"}]", &project, 0).unwrap_err();
        assert_eq!(error.field, "[1]");
        let page = "{\"type\": \"AnnotationPage\", \"items\": [\n{\"target\": \"urn:a\"},\n5]}";
        let error = from_w3c(page, &project, 0).unwrap_err();
        assert_eq!(error.to_string(), "line 3: items[1]: an annotation must be a JSON object");
    }
}
