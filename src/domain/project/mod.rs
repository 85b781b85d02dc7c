//! The project and every change to it.
//!
//! A [`Project`] is the whole of an annotator's work: articles, the two schemas, spans,
//! relations, settings, and tombstones for deleted items (so a second tab cannot resurrect
//! them). It changes only through [`Project::apply`], which validates an [`Edit`], applies it
//! whole or not at all, and returns the edit that undoes it. Undo history is therefore just a
//! stack of inverse edits (see `domain::history`).
//!
//! The fields are private: outside this module a project is read through its accessors, built
//! whole by a loader ([`Project::from_parts`]), and changed only by [`Project::apply`], which
//! the compiler enforces. Every collection sits behind one `Rc` (copy-on-write through
//! `Rc::make_mut`), so cloning a project with 10,000 spans copies a few pointers, not the maps;
//! the Yew shell clones the state on every action, and an edit copies only what it changes: the
//! span and relation maps are [`SharedMap`]s, whose edits copy one chunk of at most 128 entries
//! (keys are `Rc<str>` ids and values `Rc`s, so no text is copied), the smaller maps whole.

mod builders;
mod edit;
pub mod trail;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde::Serialize;

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::ids::{LabelId, SuggestionKey};
use crate::domain::schema::{self, LabelDef, RelationTypeDef};
use crate::domain::shared_map::SharedMap;
use crate::domain::sorting::InsertEach;

pub use builders::{new_relation, new_span};
pub use edit::{Edit, EditError};
pub use validate::RelationKey;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// The name written into every span and relation this browser creates.
    pub annotator: String,
    /// The fact-checking organisation named as the author of exported ClaimReviews.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer_organisation: String,
    /// That organisation's web address; a ClaimReview's `url` is it plus `#` and the claim's id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer_url: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            annotator: "anonymous".to_string(),
            reviewer_organisation: String::new(),
            reviewer_url: String::new(),
        }
    }
}

pub type SpanMap = SharedMap<SpanId, Rc<Span>>;
pub type RelationMap = SharedMap<RelationId, Rc<Relation>>;
/// Spans per article id; an article without spans has no entry.
pub type SpanCounts = BTreeMap<ArticleId, usize>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    articles: Rc<Vec<Rc<Article>>>,
    labels: Rc<Vec<LabelDef>>,
    relation_types: Rc<Vec<RelationTypeDef>>,
    spans: SpanMap,
    /// How many spans each article has (the article list's counts), kept by every edit so that
    /// a tag does not count 10,000 spans again.
    span_counts: Rc<SpanCounts>,
    relations: RelationMap,
    settings: Rc<Settings>,
    /// Ids of deleted spans and relations, with the time of deletion (ms), for merging tabs.
    tombstones: Rc<BTreeMap<String, i64>>,
    /// Keys of suggestions the annotator rejected, so they are not proposed again.
    rejected_suggestions: Rc<BTreeSet<SuggestionKey>>,
    /// Which spans and relations each edit touched (bookkeeping for saves, not content).
    trail: trail::Trail,
}

/// A project taken apart: what a loader (project JSON, a merge of two tabs) builds after
/// checking every invariant itself, and what [`Project::from_parts`] assembles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectParts {
    pub articles: Vec<Rc<Article>>,
    pub labels: Vec<LabelDef>,
    pub relation_types: Vec<RelationTypeDef>,
    pub spans: SpanMap,
    pub relations: RelationMap,
    pub settings: Settings,
    pub tombstones: BTreeMap<String, i64>,
    pub rejected_suggestions: BTreeSet<SuggestionKey>,
}

impl Project {
    /// A project with the default schemas and the given articles.
    pub fn with_articles(articles: Vec<Article>) -> Project {
        Project::from_parts(ProjectParts {
            articles: articles.into_iter().map(Rc::new).collect(),
            labels: schema::default_labels(),
            relation_types: schema::default_relation_types(),
            ..ProjectParts::default()
        })
    }

    /// Assembles a project from parts the caller has checked (see `formats::project_json`).
    pub fn from_parts(parts: ProjectParts) -> Project {
        Project {
            articles: Rc::new(parts.articles),
            labels: Rc::new(parts.labels),
            relation_types: Rc::new(parts.relation_types),
            span_counts: Rc::new(count_spans(&parts.spans)),
            spans: parts.spans,
            relations: parts.relations,
            settings: Rc::new(parts.settings),
            tombstones: Rc::new(parts.tombstones),
            rejected_suggestions: Rc::new(parts.rejected_suggestions),
            trail: trail::Trail::default(),
        }
    }

    /// The parts, to build a different project from (a loader's or a test's business); copies
    /// only what another clone of this project still shares.
    pub fn into_parts(self) -> ProjectParts {
        ProjectParts {
            articles: Rc::unwrap_or_clone(self.articles),
            labels: Rc::unwrap_or_clone(self.labels),
            relation_types: Rc::unwrap_or_clone(self.relation_types),
            spans: self.spans,
            relations: self.relations,
            settings: Rc::unwrap_or_clone(self.settings),
            tombstones: Rc::unwrap_or_clone(self.tombstones),
            rejected_suggestions: Rc::unwrap_or_clone(self.rejected_suggestions),
        }
    }

    /// The same articles, schemas and settings with no spans or relations (what a file of
    /// annotations is imported onto).
    pub fn without_annotations(&self) -> Project {
        Project {
            spans: SpanMap::default(),
            span_counts: Rc::default(),
            relations: RelationMap::default(),
            trail: trail::Trail::default(),
            ..self.clone()
        }
    }

    /// The same project with other settings (for building fixtures; the app changes settings
    /// with [`Edit::SetSettings`]).
    pub fn with_settings(self, settings: Settings) -> Project {
        Project { settings: Rc::new(settings), ..self }
    }

    /// This version's place in its chain of edits: which spans and relations changed since an
    /// earlier version (see [`trail::Trail::since`]).
    pub fn trail(&self) -> &trail::Trail {
        &self.trail
    }

    pub fn articles(&self) -> &[Rc<Article>] {
        &self.articles
    }

    pub fn labels(&self) -> &[LabelDef] {
        &self.labels
    }

    pub fn relation_types(&self) -> &[RelationTypeDef] {
        &self.relation_types
    }

    /// Every span by id.
    pub fn spans(&self) -> &SpanMap {
        &self.spans
    }

    /// Every relation by id.
    pub fn relations(&self) -> &RelationMap {
        &self.relations
    }

    /// Whether `article` already has a span of `label` over exactly `start..end`: tagging the same
    /// text with the same label twice is refused.
    pub fn has_span_at(&self, article: &ArticleId, start: usize, end: usize, label: &LabelId) -> bool {
        // Offsets first: two integer comparisons rule out almost every one of 10,000 spans.
        self.spans
            .values()
            .any(|span| span.start == start && span.end == end && span.article == *article && span.label == *label)
    }

    pub fn span(&self, id: &SpanId) -> Option<&Rc<Span>> {
        self.spans.get(id)
    }

    pub fn relation(&self, id: &RelationId) -> Option<&Rc<Relation>> {
        self.relations.get(id)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Ids of deleted spans and relations with the time of deletion (ms), for merging tabs.
    pub fn tombstones(&self) -> &BTreeMap<String, i64> {
        &self.tombstones
    }

    /// Keys of suggestions the annotator rejected.
    pub fn rejected_suggestions(&self) -> &BTreeSet<SuggestionKey> {
        &self.rejected_suggestions
    }

    /// Whether the annotator rejected the suggestion with this key.
    pub fn is_rejected(&self, key: &SuggestionKey) -> bool {
        self.rejected_suggestions.contains(key)
    }

    pub fn article(&self, id: &ArticleId) -> Option<&Rc<Article>> {
        self.articles.iter().find(|article| &article.id == id)
    }

    pub fn article_position(&self, id: &ArticleId) -> Option<usize> {
        self.articles.iter().position(|article| &article.id == id)
    }

    pub fn label(&self, id: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|label| label.id == id)
    }

    pub fn relation_type(&self, id: &str) -> Option<&RelationTypeDef> {
        self.relation_types.iter().find(|relation_type| relation_type.id == id)
    }

    /// The spans of one article in reading order (start, longer first, id).
    pub fn spans_in_article(&self, article: &ArticleId) -> Vec<Rc<Span>> {
        // Sorted by keys held beside each span, so that a comparison reads two integers instead
        // of two spans behind their pointers (a new tab's first render sorts 10,000). The map
        // gives the spans in id order and the sort is stable, so spans with the same range stay
        // in id order: the whole reading order (`Span::reading_order_key`).
        let mut keyed: Vec<(usize, std::cmp::Reverse<usize>, Rc<Span>)> = self
            .spans
            .values()
            .filter(|span| &span.article == article)
            .map(|span| (span.start, std::cmp::Reverse(span.end), span.clone()))
            .collect();
        keyed.sort_by_key(|(start, end, _)| (*start, *end));
        keyed.into_iter().map(|(_, _, span)| span).collect()
    }

    /// Every span in article order, then reading order: the order of every export.
    pub fn spans_in_order(&self) -> Vec<Rc<Span>> {
        let position: BTreeMap<&ArticleId, usize> =
            self.articles.iter().enumerate().map(|(index, article)| (&article.id, index)).into_map();
        // Each span's article position is looked up once, not twice per comparison.
        let mut keyed: Vec<(Option<usize>, Rc<Span>)> =
            self.spans.values().map(|span| (position.get(&span.article).copied(), span.clone())).collect();
        keyed.sort_unstable_by(|(left_article, left), (right_article, right)| {
            (left_article, left.reading_order_key()).cmp(&(right_article, right.reading_order_key()))
        });
        keyed.into_iter().map(|(_, span)| span).collect()
    }

    /// Counts of spans per article id (no entry for an article without spans).
    pub fn span_counts(&self) -> &SpanCounts {
        &self.span_counts
    }

    pub fn relations_of(&self, span: &SpanId) -> Vec<Rc<Relation>> {
        self.relations.values().filter(|relation| relation.touches(span)).cloned().collect()
    }

    /// Spans of an article that share a code point with `start..end`.
    pub fn spans_overlapping(&self, article: &ArticleId, start: usize, end: usize) -> Vec<Rc<Span>> {
        self.spans_in_article(article).into_iter().filter(|span| span.start < end && start < span.end).collect()
    }
}

/// How many spans of `spans` each article has.
fn count_spans(spans: &SpanMap) -> SpanCounts {
    let mut counts: BTreeMap<&ArticleId, usize> = BTreeMap::new();
    for span in spans.values() {
        *counts.entry(&span.article).or_insert(0) += 1;
    }
    counts.into_iter().map(|(article, count)| (article.clone(), count)).into_map()
}
