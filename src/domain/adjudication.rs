//! Adjudication: turning the annotators' layers into one gold layer, place by place.
//!
//! A [`Place`] is a stretch of one article where anyone annotated: annotators' spans grouped by
//! overlap (spans that overlap, directly or through a chain, are one place). Each annotator who
//! annotated that article has a [`Version`] of the place — their spans there, possibly none.
//! Two versions are the same when their spans have the same labels, offsets and attributes
//! (notes aside). A decision is an ordinary [`Edit`], so it is undoable and saved like any
//! other: accepting a version copies its spans (and the links between gold spans it implies)
//! into the gold layer with a `provenance` attribute naming whose versions it came from;
//! rejecting records the place as rejected (a key in the project's rejected set) and removes
//! its gold spans.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::domain::agreement::{layers, SpanKey, GOLD};
use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::ids::{RelationTypeId, SuggestionKey};
use crate::domain::project::{Edit, Project};
use crate::domain::schema::AttributeKind;

/// The attribute of a gold span that names the annotators it came from.
pub const PROVENANCE: &str = "provenance";

/// One annotator group's reading of a place.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    /// The annotators who gave exactly this version, in name order.
    pub authors: Vec<String>,
    /// The spans of the first of them, in reading order (empty: "nothing here").
    pub spans: Vec<Rc<Span>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    Open,
    Accepted(Vec<Rc<Span>>),
    Rejected,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub article: ArticleId,
    pub start: usize,
    pub end: usize,
    /// Largest group first, then the first author's name.
    pub versions: Vec<Version>,
    /// Annotators of the article (those with a span in it).
    pub annotators: usize,
    pub resolution: Resolution,
}

impl Place {
    /// The stable key of this place (also its rejection marker).
    pub fn key(&self) -> SuggestionKey {
        SuggestionKey::from(format!("adjudication:{}:{}:{}", self.article, self.start, self.end))
    }

    pub fn unanimous(&self) -> bool {
        self.versions.len() == 1 && self.versions[0].authors.len() == self.annotators
    }

    /// The share of annotators behind the largest version (1.0 when unanimous).
    pub fn agreement(&self) -> f64 {
        let largest = self.versions.first().map_or(0, |version| version.authors.len());
        largest as f64 / self.annotators.max(1) as f64
    }

    /// Whether `mode` accepts this place's largest version without asking.
    pub fn agreed(&self, mode: AutoAccept) -> bool {
        let largest = self.versions.first().map_or(0, |version| version.authors.len());
        match mode {
            AutoAccept::Unanimous => self.unanimous(),
            AutoAccept::Majority => largest * 2 > self.annotators,
            AutoAccept::None => false,
        }
    }

    pub fn is_resolved(&self) -> bool {
        self.resolution != Resolution::Open
    }
}

/// Automatic acceptance of agreed places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AutoAccept {
    /// Places where every annotator of the article gave the same version.
    Unanimous,
    /// Places where more than half of them did.
    Majority,
    #[default]
    None,
}

/// What makes two spans the same reading: key and attributes, without notes or provenance.
type Reading = (SpanKey, Vec<(String, String)>);

fn reading(project: &Project, span: &Span) -> Reading {
    let notes: BTreeSet<&str> = project
        .label(&span.label)
        .map(|label| {
            label
                .attributes
                .iter()
                .filter(|attribute| attribute.kind == AttributeKind::Note)
                .map(|a| a.key.as_str())
                .collect()
        })
        .unwrap_or_default();
    let attributes = span
        .attributes
        .iter()
        .filter(|(key, value)| !notes.contains(key) && *key != PROVENANCE && !value.trim().is_empty())
        .map(|(key, value)| (key.to_string(), value.trim().to_string()))
        .collect();
    (SpanKey::of(span), attributes)
}

/// Every place of the project's articles, in article then reading order.
pub fn places(project: &Project) -> Vec<Place> {
    let layers = layers(project);
    let mut places = Vec::new();
    for article in project.articles() {
        let by_author: BTreeMap<&String, Vec<&Rc<Span>>> = layers
            .iter()
            .map(|(author, spans)| (author, spans.iter().filter(|span| span.article == article.id).collect::<Vec<_>>()))
            .filter(|(_, spans)| !spans.is_empty())
            .collect();
        let mut all: Vec<&Rc<Span>> = by_author.values().flatten().copied().collect();
        crate::domain::sorting::sort_by_key(&mut all, |span| (span.start, std::cmp::Reverse(span.end)));
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for span in all {
            match groups.last_mut() {
                Some((_, end)) if span.start < *end => *end = (*end).max(span.end),
                _ => groups.push((span.start, span.end)),
            }
        }
        let gold: Vec<Rc<Span>> =
            project.spans_in_article(&article.id).into_iter().filter(|span| span.author == GOLD).collect();
        for (start, end) in groups {
            let mut versions: Vec<(Vec<Reading>, Version)> = Vec::new();
            for (author, spans) in &by_author {
                let here: Vec<Rc<Span>> = spans
                    .iter()
                    .filter(|span| span.start < end && start < span.end)
                    .map(|span| Rc::clone(span))
                    .collect();
                let mut signature: Vec<_> = here.iter().map(|span| reading(project, span)).collect();
                crate::domain::sorting::sort(&mut signature);
                match versions.iter_mut().find(|(known, _)| *known == signature) {
                    Some((_, version)) => version.authors.push((*author).clone()),
                    None => versions.push((signature, Version { authors: vec![(*author).clone()], spans: here })),
                }
            }
            let mut versions: Vec<Version> = versions.into_iter().map(|(_, version)| version).collect();
            crate::domain::sorting::sort_by(&mut versions, |a, b| {
                b.authors.len().cmp(&a.authors.len()).then(a.authors.cmp(&b.authors))
            });
            let accepted: Vec<Rc<Span>> =
                gold.iter().filter(|span| span.start < end && start < span.end).cloned().collect();
            let mut place = Place {
                article: article.id.clone(),
                start,
                end,
                versions,
                annotators: by_author.len(),
                resolution: Resolution::Open,
            };
            place.resolution = if !accepted.is_empty() {
                Resolution::Accepted(accepted)
            } else if project.is_rejected(&place.key()) {
                Resolution::Rejected
            } else {
                Resolution::Open
            };
            places.push(place);
        }
    }
    places
}

/// Undoes an earlier decision on the place: removes its gold spans and its rejection marker.
fn clear_decision(project: &Project, place: &Place) -> Vec<Edit> {
    let mut edits = Vec::new();
    if let Resolution::Accepted(spans) = &place.resolution {
        edits.extend(spans.iter().map(|span| Edit::RemoveSpan(span.id.clone())));
    }
    if project.is_rejected(&place.key()) {
        edits.push(Edit::UnrejectSuggestion(place.key()));
    }
    edits
}

/// The edit that puts `version` of `place` into the gold layer (replacing an earlier decision).
/// New ids are `id_base-1`, `id_base-2`, …; an empty version rejects the place.
pub fn accept(project: &Project, place: &Place, version: &Version, id_base: &str, now: i64) -> Edit {
    if version.spans.is_empty() {
        return reject(project, place);
    }
    let mut edits = clear_decision(project, place);
    let provenance = version.authors.join(", ");
    let mut gold_of: BTreeMap<SpanKey, SpanId> = project
        .spans()
        .values()
        .filter(|span| {
            span.author == GOLD && !matches!(&place.resolution, Resolution::Accepted(old) if old.contains(span))
        })
        .map(|span| (SpanKey::of(span), span.id.clone()))
        .collect();
    let mut counter = 0;
    let mut next_id = |prefix: &str| {
        counter += 1;
        format!("{prefix}-{id_base}-{counter}")
    };
    let mut added: Vec<&Rc<Span>> = Vec::new();
    for span in &version.spans {
        let key = SpanKey::of(span);
        if gold_of.contains_key(&key) {
            continue;
        }
        let mut copy = (**span).clone();
        copy.id = SpanId::from(next_id("g"));
        copy.author = GOLD.to_string();
        copy.created = now;
        copy.modified = now;
        copy.attributes.insert(PROVENANCE.to_string(), provenance.clone());
        gold_of.insert(key, copy.id.clone());
        edits.push(Edit::AddSpan(copy));
        added.push(span);
    }
    // Links of the version's authors that touch its spans, where both ends now have gold spans.
    let mut linked: BTreeSet<(RelationTypeId, SpanId, SpanId)> = project
        .relations()
        .values()
        .filter(|relation| relation.author == GOLD)
        .map(|relation| (relation.relation_type.clone(), relation.from.clone(), relation.to.clone()))
        .collect();
    let gold_end = |id: &SpanId| project.span(id).and_then(|span| gold_of.get(&SpanKey::of(span))).cloned();
    for relation in project.relations().values() {
        if !version.authors.contains(&relation.author) || !added.iter().any(|span| relation.touches(&span.id)) {
            continue;
        }
        let (Some(from), Some(to)) = (gold_end(&relation.from), gold_end(&relation.to)) else { continue };
        let symmetric = project.relation_type(&relation.relation_type).is_some_and(|kind| kind.symmetric);
        let exists = |a: &SpanId, b: &SpanId| linked.contains(&(relation.relation_type.clone(), a.clone(), b.clone()));
        if from == to || exists(&from, &to) || (symmetric && exists(&to, &from)) {
            continue;
        }
        linked.insert((relation.relation_type.clone(), from.clone(), to.clone()));
        edits.push(Edit::AddRelation(Relation {
            id: RelationId::from(next_id("gr")),
            from,
            to,
            author: GOLD.to_string(),
            note: format!("{PROVENANCE}: {}", relation.author),
            created: now,
            modified: now,
            take_overs: Vec::new(),
            ..(**relation).clone()
        }));
    }
    Edit::Batch(edits)
}

/// The edit that rejects `place`: no gold span there, and the place counts as resolved.
pub fn reject(project: &Project, place: &Place) -> Edit {
    let mut edits = clear_decision(project, place);
    edits.retain(|edit| !matches!(edit, Edit::UnrejectSuggestion(_)));
    if !project.is_rejected(&place.key()) {
        edits.push(Edit::RejectSuggestion(place.key()));
    }
    Edit::Batch(edits)
}

/// The edit that sets attribute `key` of gold span `span` to `value`, taken from `author`'s
/// version, adding `author` to its provenance.
pub fn merge_attribute(span: &Span, key: &str, value: &str, author: &str) -> Edit {
    let mut copy = span.clone();
    copy.attributes.insert(key.to_string(), value.to_string());
    let mut sources: Vec<String> =
        span.attribute(PROVENANCE).split(", ").filter(|name| !name.is_empty()).map(str::to_string).collect();
    if !sources.iter().any(|name| name == author) {
        sources.push(author.to_string());
    }
    copy.attributes.insert(PROVENANCE.to_string(), sources.join(", "));
    Edit::UpdateSpan(copy)
}

/// The edit that accepts every open place `mode` considers agreed (one undoable step).
pub fn auto_accept(project: &Project, places: &[Place], mode: AutoAccept, id_base: &str, now: i64) -> (usize, Edit) {
    let mut edits = Vec::new();
    let mut preview = project.clone();
    for (index, place) in places.iter().enumerate().filter(|(_, place)| !place.is_resolved()) {
        let Some(version) = place.versions.first() else { continue };
        if place.agreed(mode) {
            let edit = accept(&preview, place, version, &format!("{id_base}-{index}"), now);
            if preview.apply(edit.clone(), now).is_ok() {
                edits.push(edit);
            }
        }
    }
    (edits.len(), Edit::Batch(edits))
}

/// (resolved, all) places.
pub fn progress(places: &[Place]) -> (usize, usize) {
    (places.iter().filter(|place| place.is_resolved()).count(), places.len())
}
