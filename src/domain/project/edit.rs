//! Edits: the changes a project accepts, the errors that refuse them, and [`Project::apply`],
//! which carries one out whole or not at all and returns its inverse.

use std::fmt;
use std::rc::Rc;

use serde::Serialize;

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleDetailsChange, ArticleId};
use crate::domain::ids::{LabelId, RelationTypeId, SuggestionKey};
use crate::domain::schema::{LabelDef, RelationTypeDef};

use super::trail::Touched;
use super::validate::{validate_labels, validate_relation_types};
use super::{Project, Settings};

/// A change to a project. Every variant has an inverse, which [`Project::apply`] returns.
/// Edits are serialisable so that the undo history survives a reload.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    /// Applies `edit` at time `now` (ms since the epoch) and returns its inverse. On error the
    /// project is unchanged.
    pub fn apply(&mut self, edit: Edit, now: i64) -> Result<Edit, EditError> {
        let mut touched = Touched::default();
        let inverse = self.apply_edit(edit, now, &mut touched)?;
        if !touched.is_empty() {
            self.trail = self.trail.then(touched);
        }
        Ok(inverse)
    }

    /// [`Project::apply`], noting in `touched` every span and relation it inserts, replaces or
    /// removes.
    fn apply_edit(&mut self, edit: Edit, now: i64, touched: &mut Touched) -> Result<Edit, EditError> {
        match edit {
            Edit::AddSpan(mut span) => {
                if self.spans.contains_key(&span.id) {
                    return Err(EditError::DuplicateId(span.id.to_string()));
                }
                self.validate_span(&span)?;
                span.modified = now;
                self.untombstone(span.id.as_str());
                let id = span.id.clone();
                touched.spans.insert(id.clone());
                *Rc::make_mut(&mut self.span_counts).entry(span.article.clone()).or_insert(0) += 1;
                self.spans.insert(id.clone(), Rc::new(span));
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
                    if let Some(relation) = self.relations.remove(&relation_id) {
                        Rc::make_mut(&mut self.tombstones).insert(relation_id.to_string(), now);
                        touched.relations.insert(relation_id);
                        inverse.push(Edit::AddRelation((*relation).clone()));
                    }
                }
                let Some(span) = self.spans.remove(&id) else {
                    return Err(EditError::UnknownSpan(id));
                };
                Rc::make_mut(&mut self.tombstones).insert(id.to_string(), now);
                self.uncount_span(&span.article);
                touched.spans.insert(id);
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
                touched.spans.insert(span.id.clone());
                self.spans.insert(span.id.clone(), Rc::new(span));
                Ok(Edit::UpdateSpan((*old).clone()))
            }
            Edit::AddRelation(mut relation) => {
                if self.relations.contains_key(&relation.id) {
                    return Err(EditError::DuplicateId(relation.id.to_string()));
                }
                self.validate_relation(&relation)?;
                relation.modified = now;
                self.untombstone(relation.id.as_str());
                let id = relation.id.clone();
                touched.relations.insert(id.clone());
                self.relations.insert(id.clone(), Rc::new(relation));
                Ok(Edit::RemoveRelation(id))
            }
            Edit::RemoveRelation(id) => {
                let relation = self.relations.remove(&id).ok_or_else(|| EditError::UnknownRelation(id.clone()))?;
                Rc::make_mut(&mut self.tombstones).insert(id.to_string(), now);
                touched.relations.insert(id);
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
                touched.relations.insert(relation.id.clone());
                self.relations.insert(relation.id.clone(), Rc::new(relation));
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
                    let restore = match self.apply_edit(Edit::RemoveSpan(span_id), now, touched) {
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
                    match self.apply_edit(edit, now, touched) {
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

    /// Forgets the tombstone of an id that is live again; copies the (shared) tombstone map
    /// only when it holds one, not on every new span.
    fn untombstone(&mut self, id: &str) {
        if self.tombstones.contains_key(id) {
            Rc::make_mut(&mut self.tombstones).remove(id);
        }
    }

    /// One span fewer in `article`'s count (its entry goes with its last span).
    fn uncount_span(&mut self, article: &ArticleId) {
        let counts = Rc::make_mut(&mut self.span_counts);
        if let Some(count) = counts.get_mut(article) {
            *count -= 1;
            if *count == 0 {
                counts.remove(article);
            }
        }
    }
}
