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
//! `Rc::make_mut`), so cloning a project with 10,000 spans copies eight pointers, not the maps;
//! the Yew shell clones the state on every action, and only an edit copies the map it changes
//! (whose keys are `Rc<str>` ids and values `Rc`s, so still no text is copied).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleDetailsChange, ArticleId};
use crate::domain::ids::{LabelId, RelationTypeId, SuggestionKey};
use crate::domain::schema::{self, LabelDef, RelationTypeDef};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

pub type SpanMap = BTreeMap<SpanId, Rc<Span>>;
pub type RelationMap = BTreeMap<RelationId, Rc<Relation>>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    articles: Rc<Vec<Rc<Article>>>,
    labels: Rc<Vec<LabelDef>>,
    relation_types: Rc<Vec<RelationTypeDef>>,
    spans: Rc<SpanMap>,
    relations: Rc<RelationMap>,
    settings: Rc<Settings>,
    /// Ids of deleted spans and relations, with the time of deletion (ms), for merging tabs.
    tombstones: Rc<BTreeMap<String, i64>>,
    /// Keys of suggestions the annotator rejected, so they are not proposed again.
    rejected_suggestions: Rc<BTreeSet<SuggestionKey>>,
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

/// A change to a project. Every variant has an inverse, which [`Project::apply`] returns.
/// Edits are serialisable so that the undo history survives a reload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", content = "with", rename_all = "snake_case")]
pub enum Edit {
    AddSpan(Span),
    /// Removes a span and, in the same step, every relation that touches it.
    RemoveSpan(SpanId),
    /// Replaces a span's label and attributes (offsets and text must not change).
    UpdateSpan(Span),
    AddRelation(Relation),
    RemoveRelation(RelationId),
    UpdateRelation(Relation),
    /// Inserts an article at a position in the list (clamped to the end).
    InsertArticle {
        position: usize,
        article: Article,
    },
    /// Removes an article and, in the same step, its spans and their relations.
    RemoveArticle(ArticleId),
    /// Changes an article's title and source (the text never changes).
    UpdateArticleMeta {
        id: ArticleId,
        title: String,
        source: String,
    },
    /// Replaces an article's title, source, URL, dates and metadata (the text never changes).
    SetArticleDetails(ArticleDetailsChange),
    SetLabels(Vec<LabelDef>),
    SetRelationTypes(Vec<RelationTypeDef>),
    SetSettings(Settings),
    RejectSuggestion(SuggestionKey),
    UnrejectSuggestion(SuggestionKey),
    /// Several edits applied as one undoable step, all or nothing.
    Batch(Vec<Edit>),
}

/// What makes two relations the same link: their type and ends, the ends in a fixed order when
/// the type is symmetric (a contradiction from A to B is the one from B to A).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RelationKey {
    relation_type: RelationTypeId,
    first: SpanId,
    second: SpanId,
}

impl RelationKey {
    pub fn new(relation: &Relation, symmetric: bool) -> RelationKey {
        let (first, second) = if symmetric && relation.to < relation.from {
            (relation.to.clone(), relation.from.clone())
        } else {
            (relation.from.clone(), relation.to.clone())
        };
        RelationKey { relation_type: relation.relation_type.clone(), first, second }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    UnknownArticle(ArticleId),
    UnknownSpan(SpanId),
    UnknownRelation(RelationId),
    UnknownLabel(LabelId),
    UnknownRelationType(RelationTypeId),
    DuplicateId(String),
    DuplicateArticle(ArticleId),
    BadRange { start: usize, end: usize, length: usize },
    TextMismatch { expected: String, found: String },
    OffsetsChanged(SpanId),
    SelfRelation,
    DuplicateRelation { existing: RelationId },
    InvalidSchema(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::UnknownArticle(id) => write!(formatter, "there is no article {id}"),
            EditError::UnknownSpan(id) => write!(formatter, "there is no annotation {id}"),
            EditError::UnknownRelation(id) => write!(formatter, "there is no link {id}"),
            EditError::UnknownLabel(label) => write!(formatter, "there is no label \"{label}\""),
            EditError::UnknownRelationType(kind) => write!(formatter, "there is no link type \"{kind}\""),
            EditError::DuplicateId(id) => write!(formatter, "the id {id} is already used"),
            EditError::DuplicateArticle(id) => write!(formatter, "the article {id} is already in the project"),
            EditError::BadRange { start, end, length } => {
                write!(formatter, "the range {start}..{end} is not inside the article (length {length})")
            }
            EditError::TextMismatch { expected, found } => {
                write!(formatter, "the span text \"{found}\" does not match the article text \"{expected}\"")
            }
            EditError::OffsetsChanged(id) => write!(formatter, "annotation {id} cannot move"),
            EditError::SelfRelation => write!(formatter, "a span cannot be linked to itself"),
            EditError::DuplicateRelation { existing } => {
                write!(formatter, "these two spans are already linked ({existing})")
            }
            EditError::InvalidSchema(why) => write!(formatter, "invalid schema: {why}"),
        }
    }
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
            spans: Rc::new(parts.spans),
            relations: Rc::new(parts.relations),
            settings: Rc::new(parts.settings),
            tombstones: Rc::new(parts.tombstones),
            rejected_suggestions: Rc::new(parts.rejected_suggestions),
        }
    }

    /// The parts, to build a different project from (a loader's or a test's business); copies
    /// only what another clone of this project still shares.
    pub fn into_parts(self) -> ProjectParts {
        ProjectParts {
            articles: Rc::unwrap_or_clone(self.articles),
            labels: Rc::unwrap_or_clone(self.labels),
            relation_types: Rc::unwrap_or_clone(self.relation_types),
            spans: Rc::unwrap_or_clone(self.spans),
            relations: Rc::unwrap_or_clone(self.relations),
            settings: Rc::unwrap_or_clone(self.settings),
            tombstones: Rc::unwrap_or_clone(self.tombstones),
            rejected_suggestions: Rc::unwrap_or_clone(self.rejected_suggestions),
        }
    }

    /// The same articles, schemas and settings with no spans or relations (what a file of
    /// annotations is imported onto).
    pub fn without_annotations(&self) -> Project {
        Project { spans: Rc::default(), relations: Rc::default(), ..self.clone() }
    }

    /// The same project with other settings (for building fixtures; the app changes settings
    /// with [`Edit::SetSettings`]).
    pub fn with_settings(self, settings: Settings) -> Project {
        Project { settings: Rc::new(settings), ..self }
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
    ///
    /// The keys are unique (the id breaks ties), so an unstable sort gives the same order.
    pub fn spans_in_article(&self, article: &ArticleId) -> Vec<Rc<Span>> {
        let mut spans: Vec<Rc<Span>> = self.spans.values().filter(|span| &span.article == article).cloned().collect();
        spans.sort_unstable_by(|left, right| left.reading_order_key().cmp(&right.reading_order_key()));
        spans
    }

    /// Every span in article order, then reading order: the order of every export.
    pub fn spans_in_order(&self) -> Vec<Rc<Span>> {
        let position: BTreeMap<&ArticleId, usize> =
            self.articles.iter().enumerate().map(|(index, article)| (&article.id, index)).collect();
        // Each span's article position is looked up once, not twice per comparison.
        let mut keyed: Vec<(Option<usize>, Rc<Span>)> =
            self.spans.values().map(|span| (position.get(&span.article).copied(), span.clone())).collect();
        keyed.sort_unstable_by(|(left_article, left), (right_article, right)| {
            (left_article, left.reading_order_key()).cmp(&(right_article, right.reading_order_key()))
        });
        keyed.into_iter().map(|(_, span)| span).collect()
    }

    /// Counts of spans per article id.
    pub fn span_counts(&self) -> BTreeMap<ArticleId, usize> {
        let mut counts: BTreeMap<&ArticleId, usize> = BTreeMap::new();
        for span in self.spans.values() {
            *counts.entry(&span.article).or_insert(0) += 1;
        }
        counts.into_iter().map(|(article, count)| (article.clone(), count)).collect()
    }

    pub fn relations_of(&self, span: &SpanId) -> Vec<Rc<Relation>> {
        self.relations.values().filter(|relation| relation.touches(span)).cloned().collect()
    }

    /// Spans of an article that share a code point with `start..end`.
    pub fn spans_overlapping(&self, article: &ArticleId, start: usize, end: usize) -> Vec<Rc<Span>> {
        self.spans_in_article(article).into_iter().filter(|span| span.start < end && start < span.end).collect()
    }

    /// Checks that a span fits its article and schema, returning a precise error if not.
    pub fn validate_span(&self, span: &Span) -> Result<(), EditError> {
        let article = self.article(&span.article).ok_or_else(|| EditError::UnknownArticle(span.article.clone()))?;
        if self.label(&span.label).is_none() {
            return Err(EditError::UnknownLabel(span.label.clone()));
        }
        let length = article.char_len();
        if span.start >= span.end || span.end > length {
            return Err(EditError::BadRange { start: span.start, end: span.end, length });
        }
        let expected = article.slice(span.start, span.end).unwrap_or_default();
        if expected != span.text {
            return Err(EditError::TextMismatch { expected: expected.to_string(), found: span.text.clone() });
        }
        Ok(())
    }

    /// Checks that a relation's ends exist, its type exists, and it does not repeat a link.
    pub fn validate_relation(&self, relation: &Relation) -> Result<(), EditError> {
        let symmetric = self.validate_relation_ends(relation)?;
        let duplicate = self.relations.values().find(|existing| {
            existing.relation_type == relation.relation_type
                && existing.links(&relation.from, &relation.to, symmetric)
                && existing.id != relation.id
        });
        if let Some(existing) = duplicate {
            return Err(EditError::DuplicateRelation { existing: existing.id.clone() });
        }
        Ok(())
    }

    /// Checks what [`Project::validate_relation`] checks except repeated links (which a loader of
    /// thousands of relations checks with a set, see [`RelationKey`]); returns whether the
    /// relation's type is symmetric.
    pub fn validate_relation_ends(&self, relation: &Relation) -> Result<bool, EditError> {
        let relation_type = self
            .relation_type(&relation.relation_type)
            .ok_or_else(|| EditError::UnknownRelationType(relation.relation_type.clone()))?;
        for end in [&relation.from, &relation.to] {
            if !self.spans.contains_key(end) {
                return Err(EditError::UnknownSpan(end.clone()));
            }
        }
        if relation.from == relation.to {
            return Err(EditError::SelfRelation);
        }
        Ok(relation_type.symmetric)
    }

    /// Applies `edit` at time `now` (ms since the epoch) and returns its inverse. On error the
    /// project is unchanged.
    pub fn apply(&mut self, edit: Edit, now: i64) -> Result<Edit, EditError> {
        match edit {
            Edit::AddSpan(mut span) => {
                if self.spans.contains_key(&span.id) {
                    return Err(EditError::DuplicateId(span.id.to_string()));
                }
                self.validate_span(&span)?;
                span.modified = now;
                Rc::make_mut(&mut self.tombstones).remove(span.id.as_str());
                let id = span.id.clone();
                Rc::make_mut(&mut self.spans).insert(id.clone(), Rc::new(span));
                Ok(Edit::RemoveSpan(id))
            }
            Edit::RemoveSpan(id) => {
                if !self.spans.contains_key(&id) {
                    return Err(EditError::UnknownSpan(id));
                }
                let touching: Vec<RelationId> = self
                    .relations
                    .values()
                    .filter(|relation| relation.touches(&id))
                    .map(|relation| relation.id.clone())
                    .collect();
                let mut inverse = Vec::new();
                for relation_id in touching {
                    if let Some(relation) = Rc::make_mut(&mut self.relations).remove(&relation_id) {
                        Rc::make_mut(&mut self.tombstones).insert(relation_id.to_string(), now);
                        inverse.push(Edit::AddRelation((*relation).clone()));
                    }
                }
                let Some(span) = Rc::make_mut(&mut self.spans).remove(&id) else {
                    return Err(EditError::UnknownSpan(id));
                };
                Rc::make_mut(&mut self.tombstones).insert(id.to_string(), now);
                inverse.insert(0, Edit::AddSpan((*span).clone()));
                Ok(if inverse.len() == 1 { inverse.remove(0) } else { Edit::Batch(inverse) })
            }
            Edit::UpdateSpan(mut span) => {
                let old = self.spans.get(&span.id).cloned().ok_or_else(|| EditError::UnknownSpan(span.id.clone()))?;
                if old.article != span.article || old.start != span.start || old.end != span.end {
                    return Err(EditError::OffsetsChanged(span.id));
                }
                self.validate_span(&span)?;
                span.modified = now;
                Rc::make_mut(&mut self.spans).insert(span.id.clone(), Rc::new(span));
                Ok(Edit::UpdateSpan((*old).clone()))
            }
            Edit::AddRelation(mut relation) => {
                if self.relations.contains_key(&relation.id) {
                    return Err(EditError::DuplicateId(relation.id.to_string()));
                }
                self.validate_relation(&relation)?;
                relation.modified = now;
                Rc::make_mut(&mut self.tombstones).remove(relation.id.as_str());
                let id = relation.id.clone();
                Rc::make_mut(&mut self.relations).insert(id.clone(), Rc::new(relation));
                Ok(Edit::RemoveRelation(id))
            }
            Edit::RemoveRelation(id) => {
                let relation = Rc::make_mut(&mut self.relations)
                    .remove(&id)
                    .ok_or_else(|| EditError::UnknownRelation(id.clone()))?;
                Rc::make_mut(&mut self.tombstones).insert(id.to_string(), now);
                Ok(Edit::AddRelation((*relation).clone()))
            }
            Edit::UpdateRelation(mut relation) => {
                let old = self
                    .relations
                    .get(&relation.id)
                    .cloned()
                    .ok_or_else(|| EditError::UnknownRelation(relation.id.clone()))?;
                self.validate_relation(&relation)?;
                relation.modified = now;
                Rc::make_mut(&mut self.relations).insert(relation.id.clone(), Rc::new(relation));
                Ok(Edit::UpdateRelation((*old).clone()))
            }
            Edit::InsertArticle { position, article } => {
                if self.article(&article.id).is_some() {
                    return Err(EditError::DuplicateArticle(article.id));
                }
                let id = article.id.clone();
                let position = position.min(self.articles.len());
                Rc::make_mut(&mut self.articles).insert(position, Rc::new(article));
                Ok(Edit::RemoveArticle(id))
            }
            Edit::RemoveArticle(id) => {
                let position = self.article_position(&id).ok_or_else(|| EditError::UnknownArticle(id.clone()))?;
                let span_ids: Vec<SpanId> = self.spans_in_article(&id).iter().map(|span| span.id.clone()).collect();
                // The inverse puts the article back, then every span, then every link: a link
                // between two of the article's spans needs both ends back first.
                let snapshot = self.clone();
                let (mut spans_back, mut links_back) = (Vec::new(), Vec::new());
                for span_id in span_ids {
                    let restore = match self.apply(Edit::RemoveSpan(span_id), now) {
                        Ok(Edit::Batch(edits)) => edits,
                        Ok(edit) => vec![edit],
                        Err(error) => {
                            *self = snapshot;
                            return Err(error);
                        }
                    };
                    for edit in restore {
                        match edit {
                            Edit::AddSpan(_) => spans_back.push(edit),
                            _ => links_back.push(edit),
                        }
                    }
                }
                let article = Rc::make_mut(&mut self.articles).remove(position);
                let mut inverse = vec![Edit::InsertArticle { position, article: (*article).clone() }];
                inverse.append(&mut spans_back);
                inverse.append(&mut links_back);
                Ok(Edit::Batch(inverse))
            }
            Edit::UpdateArticleMeta { id, title, source } => {
                let position = self.article_position(&id).ok_or_else(|| EditError::UnknownArticle(id.clone()))?;
                let mut article = (*self.articles[position]).clone();
                let inverse =
                    Edit::UpdateArticleMeta { id, title: article.title.clone(), source: article.source.clone() };
                article.title = title;
                article.source = source;
                Rc::make_mut(&mut self.articles)[position] = Rc::new(article);
                Ok(inverse)
            }
            Edit::SetArticleDetails(ArticleDetailsChange { id, details }) => {
                let position = self.article_position(&id).ok_or_else(|| EditError::UnknownArticle(id.clone()))?;
                let mut article = (*self.articles[position]).clone();
                let inverse =
                    Edit::SetArticleDetails(ArticleDetailsChange { id, details: article.set_details(details) });
                Rc::make_mut(&mut self.articles)[position] = Rc::new(article);
                Ok(inverse)
            }
            Edit::SetLabels(labels) => {
                validate_labels(&labels)?;
                for span in self.spans.values() {
                    if !labels.iter().any(|label| label.id == span.label) {
                        return Err(EditError::InvalidSchema(format!(
                            "label \"{}\" is still used by annotations; delete them first",
                            self.label(&span.label).map_or(span.label.as_str(), |label| label.name.as_str())
                        )));
                    }
                }
                Ok(Edit::SetLabels(std::mem::replace(Rc::make_mut(&mut self.labels), labels)))
            }
            Edit::SetRelationTypes(relation_types) => {
                validate_relation_types(&relation_types)?;
                for relation in self.relations.values() {
                    if !relation_types.iter().any(|relation_type| relation_type.id == relation.relation_type) {
                        return Err(EditError::InvalidSchema(format!(
                            "link type \"{}\" is still used; delete those links first",
                            relation.relation_type
                        )));
                    }
                }
                Ok(Edit::SetRelationTypes(std::mem::replace(Rc::make_mut(&mut self.relation_types), relation_types)))
            }
            Edit::SetSettings(settings) => {
                Ok(Edit::SetSettings(std::mem::replace(Rc::make_mut(&mut self.settings), settings)))
            }
            // Rejecting what is already rejected (or the reverse) changes nothing, and so does its
            // inverse: undoing it must not un-reject a suggestion rejected before.
            Edit::RejectSuggestion(key) => Ok(if self.rejected_suggestions.contains(&key) {
                Edit::Batch(Vec::new())
            } else {
                Rc::make_mut(&mut self.rejected_suggestions).insert(key.clone());
                Edit::UnrejectSuggestion(key)
            }),
            Edit::UnrejectSuggestion(key) => Ok(if self.rejected_suggestions.contains(&key) {
                Rc::make_mut(&mut self.rejected_suggestions).remove(&key);
                Edit::RejectSuggestion(key)
            } else {
                Edit::Batch(Vec::new())
            }),
            Edit::Batch(edits) => {
                let snapshot = self.clone();
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match self.apply(edit, now) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            *self = snapshot;
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }
}

fn validate_labels(labels: &[LabelDef]) -> Result<(), EditError> {
    let mut seen = BTreeSet::new();
    for label in labels {
        if label.id.trim().is_empty() || label.name.trim().is_empty() {
            return Err(EditError::InvalidSchema("every label needs a name".to_string()));
        }
        if !seen.insert(label.id.as_str()) {
            return Err(EditError::InvalidSchema(format!("two labels share the id \"{}\"", label.id)));
        }
        if !schema::is_valid_color(&label.color) {
            return Err(EditError::InvalidSchema(format!("\"{}\" is not a #rrggbb colour", label.color)));
        }
    }
    Ok(())
}

fn validate_relation_types(relation_types: &[RelationTypeDef]) -> Result<(), EditError> {
    let mut seen = BTreeSet::new();
    for relation_type in relation_types {
        if relation_type.id.trim().is_empty() || relation_type.name.trim().is_empty() {
            return Err(EditError::InvalidSchema("every link type needs a name".to_string()));
        }
        if !seen.insert(relation_type.id.as_str()) {
            return Err(EditError::InvalidSchema(format!("two link types share the id \"{}\"", relation_type.id)));
        }
        if !schema::is_valid_color(&relation_type.color) {
            return Err(EditError::InvalidSchema(format!("\"{}\" is not a #rrggbb colour", relation_type.color)));
        }
    }
    Ok(())
}

/// Builds a span over `start..end` of `article`, copying the covered text and filling the label's
/// attribute defaults. Returns `None` if the range is outside the article.
pub fn new_span(
    project: &Project,
    id: SpanId,
    article: &Article,
    start: usize,
    end: usize,
    label: &LabelId,
    now: i64,
) -> Option<Span> {
    let text = article.slice(start, end)?.to_string();
    let attributes = project
        .label(label)
        .map(|label| {
            label.attributes.iter().map(|attribute| (attribute.key.clone(), attribute.default_value())).collect()
        })
        .unwrap_or_default();
    Some(Span {
        id,
        article: article.id.clone(),
        start,
        end,
        label: label.clone(),
        text,
        attributes,
        author: project.settings.annotator.clone(),
        created: now,
        modified: now,
    })
}

/// Builds a relation between two spans with the annotator's name.
pub fn new_relation(
    project: &Project,
    id: RelationId,
    relation_type: &RelationTypeId,
    from: SpanId,
    to: SpanId,
    now: i64,
) -> Relation {
    Relation {
        id,
        relation_type: relation_type.clone(),
        from,
        to,
        kind: None,
        note: String::new(),
        author: project.settings.annotator.clone(),
        suggestion: None,
        created: now,
        modified: now,
    }
}
