//! The stored shapes of domain values that are not exported: edits (the undo history), the view
//! position. The domain types carry no serde; renaming a domain variant cannot change what is in
//! users' browsers, because the tags written here are spelled out once and frozen.

use serde::{Deserialize, Serialize};

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::history::{StoredHistory, StoredStep};
use crate::domain::project::{Edit, Settings};
use crate::domain::schema::{LabelDef, RelationTypeDef};
use crate::domain::state::{UiPosition, View};

/// [`Edit`] as stored (`{"edit": "add_span", "with": …}`), the v1 tags unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", content = "with", rename_all = "snake_case")]
pub enum StoredEdit {
    AddSpan(Span),
    RemoveSpan(SpanId),
    UpdateSpan(Span),
    AddRelation(Relation),
    RemoveRelation(RelationId),
    UpdateRelation(Relation),
    InsertArticle { position: usize, article: Article },
    RemoveArticle(ArticleId),
    UpdateArticleMeta { id: ArticleId, title: String, source: String },
    SetLabels(Vec<LabelDef>),
    SetRelationTypes(Vec<RelationTypeDef>),
    SetSettings(Settings),
    RejectSuggestion(String),
    UnrejectSuggestion(String),
    Batch(Vec<StoredEdit>),
}

impl From<&Edit> for StoredEdit {
    fn from(edit: &Edit) -> StoredEdit {
        match edit.clone() {
            Edit::AddSpan(span) => StoredEdit::AddSpan(span),
            Edit::RemoveSpan(id) => StoredEdit::RemoveSpan(id),
            Edit::UpdateSpan(span) => StoredEdit::UpdateSpan(span),
            Edit::AddRelation(relation) => StoredEdit::AddRelation(relation),
            Edit::RemoveRelation(id) => StoredEdit::RemoveRelation(id),
            Edit::UpdateRelation(relation) => StoredEdit::UpdateRelation(relation),
            Edit::InsertArticle { position, article } => StoredEdit::InsertArticle { position, article },
            Edit::RemoveArticle(id) => StoredEdit::RemoveArticle(id),
            Edit::UpdateArticleMeta { id, title, source } => StoredEdit::UpdateArticleMeta { id, title, source },
            Edit::SetLabels(labels) => StoredEdit::SetLabels(labels),
            Edit::SetRelationTypes(types) => StoredEdit::SetRelationTypes(types),
            Edit::SetSettings(settings) => StoredEdit::SetSettings(settings),
            Edit::RejectSuggestion(key) => StoredEdit::RejectSuggestion(key),
            Edit::UnrejectSuggestion(key) => StoredEdit::UnrejectSuggestion(key),
            Edit::Batch(edits) => StoredEdit::Batch(edits.iter().map(StoredEdit::from).collect()),
        }
    }
}

impl From<StoredEdit> for Edit {
    fn from(edit: StoredEdit) -> Edit {
        match edit {
            StoredEdit::AddSpan(span) => Edit::AddSpan(span),
            StoredEdit::RemoveSpan(id) => Edit::RemoveSpan(id),
            StoredEdit::UpdateSpan(span) => Edit::UpdateSpan(span),
            StoredEdit::AddRelation(relation) => Edit::AddRelation(relation),
            StoredEdit::RemoveRelation(id) => Edit::RemoveRelation(id),
            StoredEdit::UpdateRelation(relation) => Edit::UpdateRelation(relation),
            StoredEdit::InsertArticle { position, article } => Edit::InsertArticle { position, article },
            StoredEdit::RemoveArticle(id) => Edit::RemoveArticle(id),
            StoredEdit::UpdateArticleMeta { id, title, source } => Edit::UpdateArticleMeta { id, title, source },
            StoredEdit::SetLabels(labels) => Edit::SetLabels(labels),
            StoredEdit::SetRelationTypes(types) => Edit::SetRelationTypes(types),
            StoredEdit::SetSettings(settings) => Edit::SetSettings(settings),
            StoredEdit::RejectSuggestion(key) => Edit::RejectSuggestion(key),
            StoredEdit::UnrejectSuggestion(key) => Edit::UnrejectSuggestion(key),
            StoredEdit::Batch(edits) => Edit::Batch(edits.into_iter().map(Edit::from).collect()),
        }
    }
}

/// One undo or redo step as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredStepDoc {
    pub edit: StoredEdit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default)]
    pub at: i64,
}

impl From<&StoredStep> for StoredStepDoc {
    fn from(step: &StoredStep) -> StoredStepDoc {
        StoredStepDoc { edit: StoredEdit::from(&step.edit), group: step.group.clone(), at: step.at }
    }
}

impl From<StoredStepDoc> for StoredStep {
    fn from(step: StoredStepDoc) -> StoredStep {
        StoredStep { edit: Edit::from(step.edit), group: step.group, at: step.at }
    }
}

/// Both stacks, oldest first: the v1 document's `history` field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredHistoryDoc {
    pub undo: Vec<StoredStepDoc>,
    pub redo: Vec<StoredStepDoc>,
}

impl From<&StoredHistory> for StoredHistoryDoc {
    fn from(history: &StoredHistory) -> StoredHistoryDoc {
        StoredHistoryDoc {
            undo: history.undo.iter().map(StoredStepDoc::from).collect(),
            redo: history.redo.iter().map(StoredStepDoc::from).collect(),
        }
    }
}

impl From<StoredHistoryDoc> for StoredHistory {
    fn from(history: StoredHistoryDoc) -> StoredHistory {
        StoredHistory {
            undo: history.undo.into_iter().map(StoredStep::from).collect(),
            redo: history.redo.into_iter().map(StoredStep::from).collect(),
        }
    }
}

/// [`View`] as stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredView {
    #[default]
    Read,
    Compare,
    Graph,
}

/// [`UiPosition`] as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPosition {
    #[serde(default)]
    pub view: StoredView,
    #[serde(default)]
    pub article: Option<ArticleId>,
    #[serde(default)]
    pub compare_left: Option<ArticleId>,
    #[serde(default)]
    pub compare_right: Option<ArticleId>,
}

impl From<&UiPosition> for StoredPosition {
    fn from(position: &UiPosition) -> StoredPosition {
        StoredPosition {
            view: match position.view {
                View::Read => StoredView::Read,
                View::Compare => StoredView::Compare,
                View::Graph => StoredView::Graph,
            },
            article: position.article.clone(),
            compare_left: position.compare_left.clone(),
            compare_right: position.compare_right.clone(),
        }
    }
}

impl From<StoredPosition> for UiPosition {
    fn from(position: StoredPosition) -> UiPosition {
        UiPosition {
            view: match position.view {
                StoredView::Read => View::Read,
                StoredView::Compare => View::Compare,
                StoredView::Graph => View::Graph,
            },
            article: position.article,
            compare_left: position.compare_left,
            compare_right: position.compare_right,
        }
    }
}
