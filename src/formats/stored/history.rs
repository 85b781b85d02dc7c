//! The undo history as stored: every edit as `{"edit": "<tag>", "with": …}`, the tags of schema
//! version 1 spelled out here (not derived from the domain's variant names).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::json_fields::JsonFields;
use super::{borrowed, StoredArticle, StoredArticleMetadata, StoredLabel, StoredRelation, StoredRelationType};
use super::{StoredSettings, StoredSpan};
use crate::domain::article::{ArticleDetails, ArticleDetailsChange, ArticleId, ArticleMetadata};
use crate::domain::history::{HistoryStep, HistorySteps};
use crate::domain::project::Edit;

/// [`Edit`] as stored. Each variant names its tag, so renaming a domain variant changes nothing
/// here, and changing a tag here is a visible change of the stored format.
///
/// Written by the derived serializer; read by [`StoredEdit`]'s own `Deserialize` below, which
/// reads the same shape without serde's buffered path for adjacently tagged enums.
#[derive(Serialize)]
#[serde(tag = "edit", content = "with")]
pub enum StoredEdit<'a> {
    #[serde(rename = "add_span")]
    AddSpan(StoredSpan<'a>),
    #[serde(rename = "remove_span")]
    RemoveSpan(Cow<'a, str>),
    #[serde(rename = "update_span")]
    UpdateSpan(StoredSpan<'a>),
    #[serde(rename = "add_relation")]
    AddRelation(StoredRelation<'a>),
    #[serde(rename = "remove_relation")]
    RemoveRelation(Cow<'a, str>),
    #[serde(rename = "update_relation")]
    UpdateRelation(StoredRelation<'a>),
    #[serde(rename = "insert_article")]
    InsertArticle { position: usize, article: StoredArticle<'a> },
    #[serde(rename = "remove_article")]
    RemoveArticle(Cow<'a, str>),
    #[serde(rename = "update_article_meta")]
    UpdateArticleMeta { id: Cow<'a, str>, title: Cow<'a, str>, source: Cow<'a, str> },
    #[serde(rename = "set_article_details")]
    SetArticleDetails(StoredArticleDetailsChange),
    #[serde(rename = "set_labels")]
    SetLabels(Vec<StoredLabel>),
    #[serde(rename = "set_relation_types")]
    SetRelationTypes(Vec<StoredRelationType>),
    #[serde(rename = "set_settings")]
    SetSettings(StoredSettings),
    #[serde(rename = "reject_suggestion")]
    RejectSuggestion(Cow<'a, str>),
    #[serde(rename = "unreject_suggestion")]
    UnrejectSuggestion(Cow<'a, str>),
    #[serde(rename = "batch")]
    Batch(Vec<StoredEdit<'a>>),
}

/// The `edit` tags: the same names as [`StoredEdit`]'s `rename`s (a test reads every variant back).
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum EditTag {
    AddSpan,
    RemoveSpan,
    UpdateSpan,
    AddRelation,
    RemoveRelation,
    UpdateRelation,
    InsertArticle,
    RemoveArticle,
    UpdateArticleMeta,
    SetArticleDetails,
    SetLabels,
    SetRelationTypes,
    SetSettings,
    RejectSuggestion,
    UnrejectSuggestion,
    Batch,
}

#[derive(Deserialize)]
struct InsertArticleWith<'a> {
    position: usize,
    article: StoredArticle<'a>,
}

#[derive(Deserialize)]
struct UpdateArticleMetaWith<'a> {
    id: Cow<'a, str>,
    title: Cow<'a, str>,
    source: Cow<'a, str>,
}

/// Reads an edit's `with` once its tag is known.
struct EditWith<'a>(EditTag, PhantomData<StoredEdit<'a>>);

impl<'de, 'a> DeserializeSeed<'de> for EditWith<'a> {
    type Value = StoredEdit<'a>;

    fn deserialize<D: Deserializer<'de>>(self, with: D) -> Result<StoredEdit<'a>, D::Error> {
        Ok(match self.0 {
            EditTag::AddSpan => StoredEdit::AddSpan(StoredSpan::deserialize(with)?),
            EditTag::RemoveSpan => StoredEdit::RemoveSpan(Cow::deserialize(with)?),
            EditTag::UpdateSpan => StoredEdit::UpdateSpan(StoredSpan::deserialize(with)?),
            EditTag::AddRelation => StoredEdit::AddRelation(StoredRelation::deserialize(with)?),
            EditTag::RemoveRelation => StoredEdit::RemoveRelation(Cow::deserialize(with)?),
            EditTag::UpdateRelation => StoredEdit::UpdateRelation(StoredRelation::deserialize(with)?),
            EditTag::InsertArticle => {
                let InsertArticleWith { position, article } = InsertArticleWith::deserialize(with)?;
                StoredEdit::InsertArticle { position, article }
            }
            EditTag::RemoveArticle => StoredEdit::RemoveArticle(Cow::deserialize(with)?),
            EditTag::UpdateArticleMeta => {
                let UpdateArticleMetaWith { id, title, source } = UpdateArticleMetaWith::deserialize(with)?;
                StoredEdit::UpdateArticleMeta { id, title, source }
            }
            EditTag::SetArticleDetails => StoredEdit::SetArticleDetails(StoredArticleDetailsChange::deserialize(with)?),
            EditTag::SetLabels => StoredEdit::SetLabels(Vec::deserialize(with)?),
            EditTag::SetRelationTypes => StoredEdit::SetRelationTypes(Vec::deserialize(with)?),
            EditTag::SetSettings => StoredEdit::SetSettings(StoredSettings::deserialize(with)?),
            EditTag::RejectSuggestion => StoredEdit::RejectSuggestion(Cow::deserialize(with)?),
            EditTag::UnrejectSuggestion => StoredEdit::UnrejectSuggestion(Cow::deserialize(with)?),
            EditTag::Batch => StoredEdit::Batch(Vec::deserialize(with)?),
        })
    }
}

/// `{"edit": tag, "with": …}`, as the derived deserializer read it, but with `with` read straight
/// from the JSON when the tag comes first (always, in what Crosscheck writes). serde's derived
/// adjacently tagged reader also handles `with` before `edit` by buffering it in its private
/// `Content` and reading every payload type a second time from that buffer: a second
/// deserializer per stored type, 60 KB of the first load's wasm before optimisation. Here a
/// `with` that comes first is kept as JSON text and read by the same deserializer once the tag is
/// known.
impl<'de, 'a> Deserialize<'de> for StoredEdit<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StoredEdit<'a>, D::Error> {
        deserializer.deserialize_struct("StoredEdit", &["edit", "with"], EditVisitor(PhantomData))
    }
}

struct EditVisitor<'a>(PhantomData<StoredEdit<'a>>);

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum EditKey {
    Edit,
    With,
    #[serde(other)]
    Other,
}

impl<'de, 'a> Visitor<'de> for EditVisitor<'a> {
    type Value = StoredEdit<'a>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an edit: {\"edit\": …, \"with\": …}")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<StoredEdit<'a>, M::Error> {
        let mut tag = None;
        let mut early_with: Option<Value> = None;
        let mut edit = None;
        while let Some(key) = map.next_key::<EditKey>()? {
            match key {
                EditKey::Edit if tag.is_some() => return Err(M::Error::duplicate_field("edit")),
                EditKey::Edit => tag = Some(map.next_value::<EditTag>()?),
                EditKey::With if edit.is_some() || early_with.is_some() => {
                    return Err(M::Error::duplicate_field("with"))
                }
                EditKey::With => match tag {
                    Some(tag) => edit = Some(map.next_value_seed(EditWith(tag, PhantomData))?),
                    None => early_with = Some(map.next_value()?),
                },
                EditKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let tag = tag.ok_or_else(|| M::Error::missing_field("edit"))?;
        match (edit, early_with) {
            (Some(edit), _) => Ok(edit),
            (None, Some(with)) => {
                let text = with.to_string();
                EditWith(tag, PhantomData)
                    .deserialize(&mut serde_json::Deserializer::from_str(&text))
                    .map_err(M::Error::custom)
            }
            (None, None) => Err(M::Error::missing_field("with")),
        }
    }
}

impl<'a> From<&'a Edit> for StoredEdit<'a> {
    fn from(edit: &'a Edit) -> StoredEdit<'a> {
        match edit {
            Edit::AddSpan(span) => StoredEdit::AddSpan(span.into()),
            Edit::RemoveSpan(id) => StoredEdit::RemoveSpan(borrowed(id)),
            Edit::UpdateSpan(span) => StoredEdit::UpdateSpan(span.into()),
            Edit::AddRelation(relation) => StoredEdit::AddRelation(relation.into()),
            Edit::RemoveRelation(id) => StoredEdit::RemoveRelation(borrowed(id)),
            Edit::UpdateRelation(relation) => StoredEdit::UpdateRelation(relation.into()),
            Edit::InsertArticle { position, article } => {
                StoredEdit::InsertArticle { position: *position, article: article.into() }
            }
            Edit::RemoveArticle(id) => StoredEdit::RemoveArticle(borrowed(id)),
            Edit::UpdateArticleMeta { id, title, source } => {
                StoredEdit::UpdateArticleMeta { id: borrowed(id), title: borrowed(title), source: borrowed(source) }
            }
            Edit::SetArticleDetails(change) => StoredEdit::SetArticleDetails(change.into()),
            Edit::SetLabels(labels) => StoredEdit::SetLabels(labels.iter().map(StoredLabel::from).collect()),
            Edit::SetRelationTypes(types) => {
                StoredEdit::SetRelationTypes(types.iter().map(StoredRelationType::from).collect())
            }
            Edit::SetSettings(settings) => StoredEdit::SetSettings(settings.into()),
            Edit::RejectSuggestion(key) => StoredEdit::RejectSuggestion(borrowed(key)),
            Edit::UnrejectSuggestion(key) => StoredEdit::UnrejectSuggestion(borrowed(key)),
            Edit::Batch(edits) => StoredEdit::Batch(edits.iter().map(StoredEdit::from).collect()),
        }
    }
}

impl From<StoredEdit<'_>> for Edit {
    fn from(edit: StoredEdit<'_>) -> Edit {
        match edit {
            StoredEdit::AddSpan(span) => Edit::AddSpan(span.into()),
            StoredEdit::RemoveSpan(id) => Edit::RemoveSpan(id.as_ref().into()),
            StoredEdit::UpdateSpan(span) => Edit::UpdateSpan(span.into()),
            StoredEdit::AddRelation(relation) => Edit::AddRelation(relation.into()),
            StoredEdit::RemoveRelation(id) => Edit::RemoveRelation(id.as_ref().into()),
            StoredEdit::UpdateRelation(relation) => Edit::UpdateRelation(relation.into()),
            StoredEdit::InsertArticle { position, article } => {
                Edit::InsertArticle { position, article: article.into() }
            }
            StoredEdit::RemoveArticle(id) => Edit::RemoveArticle(id.as_ref().into()),
            StoredEdit::UpdateArticleMeta { id, title, source } => Edit::UpdateArticleMeta {
                id: id.as_ref().into(),
                title: title.into_owned(),
                source: source.into_owned(),
            },
            StoredEdit::SetArticleDetails(change) => Edit::SetArticleDetails(change.into()),
            StoredEdit::SetLabels(labels) => Edit::SetLabels(labels.into_iter().map(Into::into).collect()),
            StoredEdit::SetRelationTypes(types) => Edit::SetRelationTypes(types.into_iter().map(Into::into).collect()),
            StoredEdit::SetSettings(settings) => Edit::SetSettings(settings.into()),
            StoredEdit::RejectSuggestion(key) => Edit::RejectSuggestion(key.as_ref().into()),
            StoredEdit::UnrejectSuggestion(key) => Edit::UnrejectSuggestion(key.as_ref().into()),
            StoredEdit::Batch(edits) => Edit::Batch(edits.into_iter().map(Edit::from).collect()),
        }
    }
}

/// An article's editable part as `set_article_details` stores it: every key written.
#[derive(Serialize)]
pub struct StoredArticleDetails {
    pub title: String,
    pub source: String,
    pub url: String,
    pub published: String,
    pub metadata: StoredArticleMetadata,
}

impl StoredArticleDetails {
    /// Read through a `Value` like [`StoredArticleMetadata`]: missing keys are empty.
    fn from_json(value: &Value) -> Result<StoredArticleDetails, String> {
        let fields = JsonFields::of(value, "`details`")?;
        Ok(StoredArticleDetails {
            title: fields.string("title")?,
            source: fields.string("source")?,
            url: fields.string("url")?,
            published: fields.string("published")?,
            metadata: fields.get("metadata").map(StoredArticleMetadata::from_json).transpose()?.unwrap_or_default(),
        })
    }
}

/// What `set_article_details` carries: the article's id and its details, both required.
#[derive(Serialize)]
pub struct StoredArticleDetailsChange {
    pub id: String,
    pub details: StoredArticleDetails,
}

impl<'de> Deserialize<'de> for StoredArticleDetailsChange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let read = || -> Result<StoredArticleDetailsChange, String> {
            let fields = JsonFields::of(&value, "the details change")?;
            let id = match fields.get("id") {
                Some(Value::String(id)) => id.clone(),
                _ => return Err("missing field `id` (a string)".to_string()),
            };
            let details = fields.get("details").ok_or("missing field `details`")?;
            Ok(StoredArticleDetailsChange { id, details: StoredArticleDetails::from_json(details)? })
        };
        read().map_err(D::Error::custom)
    }
}

impl From<&ArticleDetailsChange> for StoredArticleDetailsChange {
    fn from(change: &ArticleDetailsChange) -> StoredArticleDetailsChange {
        let details = &change.details;
        StoredArticleDetailsChange {
            id: change.id.to_string(),
            details: StoredArticleDetails {
                title: details.title.clone(),
                source: details.source.clone(),
                url: details.url.clone(),
                published: details.published.clone(),
                metadata: StoredArticleMetadata::from(&details.metadata),
            },
        }
    }
}

impl From<StoredArticleDetailsChange> for ArticleDetailsChange {
    fn from(change: StoredArticleDetailsChange) -> ArticleDetailsChange {
        let details = change.details;
        ArticleDetailsChange {
            id: ArticleId::from(change.id),
            details: ArticleDetails {
                title: details.title,
                source: details.source,
                url: details.url,
                published: details.published,
                metadata: ArticleMetadata::from(details.metadata),
            },
        }
    }
}

/// One undo or redo step.
#[derive(Serialize, Deserialize)]
pub struct StoredStep<'a> {
    pub edit: StoredEdit<'a>,
    /// The typing group the step belongs to (see `History::apply_grouped`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Cow<'a, str>>,
    #[serde(default)]
    pub at: i64,
}

/// The document's `history`: both stacks, each oldest first.
#[derive(Serialize, Deserialize)]
pub struct StoredHistory<'a> {
    pub undo: Vec<StoredStep<'a>>,
    pub redo: Vec<StoredStep<'a>>,
}

impl<'a> From<&'a HistorySteps> for StoredHistory<'a> {
    fn from(steps: &'a HistorySteps) -> StoredHistory<'a> {
        let stack = |steps: &'a [HistoryStep]| {
            steps
                .iter()
                .map(|step| StoredStep {
                    edit: StoredEdit::from(&step.edit),
                    group: step.group.as_deref().map(borrowed),
                    at: step.at,
                })
                .collect()
        };
        StoredHistory { undo: stack(&steps.undo), redo: stack(&steps.redo) }
    }
}

impl From<StoredHistory<'_>> for HistorySteps {
    fn from(history: StoredHistory<'_>) -> HistorySteps {
        let stack = |steps: Vec<StoredStep<'_>>| {
            steps
                .into_iter()
                .map(|step| HistoryStep {
                    edit: Edit::from(step.edit),
                    group: step.group.map(Cow::into_owned),
                    at: step.at,
                })
                .collect()
        };
        HistorySteps { undo: stack(history.undo), redo: stack(history.redo) }
    }
}
