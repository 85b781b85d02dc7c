//! The W3C import: annotations anchored in the project's articles, links resolved to their ends.

use super::*;
use super::{anchor::*, read::*};
use crate::domain::annotation::{Attributes, Relation, RelationId, Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::project::{Edit, Project};
use crate::formats::common::iri_unescape;
use crate::formats::FormatError;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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

pub(super) struct Importer<'p> {
    pub(super) project: &'p Project,
    pub(super) now_ms: i64,
    /// What is left of [`FUZZY_IMPORT_BUDGET`].
    pub(super) fuzzy_budget: usize,
    /// What is left of [`QUOTE_IMPORT_BUDGET`].
    pub(super) quote_budget: usize,
    pub(super) result: W3cImport,
    pub(super) used_span_ids: BTreeSet<SpanId>,
    pub(super) used_relation_ids: BTreeSet<RelationId>,
    /// Annotation ids and target ids → the span they stand for (new or existing).
    pub(super) span_for_iri: BTreeMap<String, SpanId>,
    /// Every span an imported link may point to: (article, start, end) → ids (new first).
    pub(super) spans_at: BTreeMap<(ArticleId, usize, usize), Vec<SpanId>>,
    /// For each `fresh_id` base, the last suffix taken, so that many annotations with the same
    /// seed do not each probe `-2`, `-3`… from the start (quadratic).
    pub(super) last_suffix: BTreeMap<String, usize>,
}

impl<'p> Importer<'p> {
    pub(super) fn new(project: &'p Project, now_ms: i64) -> Importer<'p> {
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

    pub(super) fn unanchored(&mut self, annotation_id: &str, reason: String) {
        self.result.unanchored.push(Unanchored { annotation_id: annotation_id.to_string(), reason });
    }

    pub(super) fn import_span(&mut self, annotation_id: &str, annotation: &Value) {
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
        let mut attributes: Attributes =
            label.attributes.iter().map(|attribute| (attribute.key.as_str(), attribute.default_value())).collect();
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
            text: text.into(),
            attributes,
            author: author_of(annotation, &self.project.settings().annotator),
            created,
            modified: date_of(annotation, "modified").unwrap_or(created),
            take_overs: Vec::new(),
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

    pub(super) fn remember(
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

    pub(super) fn import_relation(&mut self, annotation_id: &str, annotation: &Value) {
        let targets = one_or_many(annotation.get("target"));
        let linked: Vec<&Value> = one_or_many(annotation.get("body"))
            .into_iter()
            .filter(|body| strings(body.get("type")).contains(&"SpecificResource"))
            .collect();
        let (from_target, to_target) = match (targets.as_slice(), linked.as_slice()) {
            ([from], [to]) => (*from, *to),
            ([from, to], []) => (*from, *to),
            _ => {
                let reason = format!(
                    "a link needs one target and one SpecificResource body (or two targets), not {} and {}",
                    targets.len(),
                    linked.len()
                );
                return self.unanchored(annotation_id, reason);
            }
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
            Err(reason) => return self.unanchored(annotation_id, format!("the link's from end: {reason}")),
        };
        let to = match self.resolve_end(to_target) {
            Ok(span) => span,
            Err(reason) => return self.unanchored(annotation_id, format!("the link's to end: {reason}")),
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
            suggestion: None,
            created,
            modified: date_of(annotation, "modified").unwrap_or(created),
            take_overs: Vec::new(),
        };
        self.used_relation_ids.insert(id);
        self.result.relations.push(relation);
    }

    /// The span a link's target stands for.
    pub(super) fn resolve_end(&mut self, target: &Value) -> Result<SpanId, String> {
        let iri = match target {
            Value::String(iri) => Some(iri.as_str()),
            Value::Object(object) => object.get("id").and_then(Value::as_str),
            _ => return Err("a target must be an IRI or an object".to_string()),
        };
        // A link end named `<span target>/in/<relation>` stands for that span's target.
        let span_target = iri.map(|iri| match iri.strip_prefix(TARGET_IRI_PREFIX) {
            Some(rest) => &iri[..TARGET_IRI_PREFIX.len() + rest.find("/in/").unwrap_or(rest.len())],
            None => iri,
        });
        if let Some(span) = span_target.and_then(|iri| self.span_for_iri.get(iri)) {
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
pub(super) fn same_name(left: &str, right: &str) -> bool {
    left.trim().to_lowercase() == right.trim().to_lowercase()
}

pub(super) fn quoted_list(values: &[String]) -> String {
    values.iter().map(|value| format!("\"{value}\"")).collect::<Vec<_>>().join(", ")
}

/// A new id `<prefix>-<hash>` (with `-2`, `-3`… on collision) not in `used`. `last_suffix`
/// remembers where each base's search ended; `used` only grows, so resuming there gives the same
/// id as searching from the start, without the quadratic cost of many equal seeds.
pub(super) fn fresh_id<Id: Ord>(
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
