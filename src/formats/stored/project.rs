//! The project document (schema version 1) and the shapes of what it holds: articles, the two
//! schemas, spans, relations and settings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::json_fields::JsonFields;
use super::{borrowed, StoredHistory, StoredUiPosition};
use crate::domain::annotation::{Attributes, Relation, Span, TakeOver};
use crate::domain::article::{Article, ArticleDetails, ArticleId, ArticleMetadata, TextDirection};
use crate::domain::project::Settings;
use crate::domain::schema::{AttributeDef, AttributeKind, LabelDef, RelationTypeDef};

/// The whole document: the browser's own copy, or (without `saved_at`, `ui` and `history`) the
/// project export. The field order is the order written.
#[derive(Serialize, Deserialize)]
pub struct StoredProject<'a> {
    pub schema_version: u64,
    pub format: Cow<'a, str>,
    /// When the browser saved its copy (ms); written, never read back.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub saved_at: Option<i64>,
    pub articles: Vec<StoredArticle<'a>>,
    pub labels: Vec<StoredLabel>,
    pub relation_types: Vec<StoredRelationType>,
    pub spans: Vec<StoredSpan<'a>>,
    pub relations: Vec<StoredRelation<'a>>,
    pub settings: StoredSettings,
    /// Deleted span and relation ids with the time of deletion (ms).
    #[serde(default)]
    pub tombstones: Cow<'a, BTreeMap<String, i64>>,
    /// Keys of rejected suggestions, sorted.
    #[serde(default)]
    pub rejected_suggestions: Vec<Cow<'a, str>>,
    /// Only in the browser's own copy: the view to restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<StoredUiPosition>,
    /// Only in the browser's own copy: the newest undo and redo steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<StoredHistory<'a>>,
}

#[derive(Serialize, Deserialize)]
pub struct StoredArticle<'a> {
    pub id: Cow<'a, str>,
    pub title: Cow<'a, str>,
    pub source: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub url: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub published: Cow<'a, str>,
    pub text: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "StoredArticleMetadata::is_empty")]
    pub metadata: StoredArticleMetadata,
}

impl<'a> From<&'a Article> for StoredArticle<'a> {
    fn from(article: &'a Article) -> StoredArticle<'a> {
        StoredArticle {
            id: borrowed(&article.id),
            title: borrowed(&article.title),
            source: borrowed(&article.source),
            url: borrowed(&article.url),
            published: borrowed(&article.published),
            text: borrowed(&article.text),
            metadata: StoredArticleMetadata::from(&article.metadata),
        }
    }
}

impl From<StoredArticle<'_>> for Article {
    fn from(article: StoredArticle<'_>) -> Article {
        let details = ArticleDetails {
            title: article.title.into_owned(),
            source: article.source.into_owned(),
            url: article.url.into_owned(),
            published: article.published.into_owned(),
            metadata: ArticleMetadata::from(article.metadata),
        };
        Article::from_stored(ArticleId::from(article.id.into_owned()), Rc::from(article.text.as_ref()), details)
    }
}

/// An article's metadata: each key only when it has a value. Read through a `Value` (see
/// `JsonFields`): a derived deserializer here and in every shape holding it cost kilobytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StoredArticleMetadata {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub site_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub modified: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub canonical_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// `"ltr"` or `"rtl"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<&'static str>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl StoredArticleMetadata {
    fn is_empty(&self) -> bool {
        *self == StoredArticleMetadata::default()
    }

    /// Reads the metadata object: missing keys are empty, a key of the wrong type is an error.
    pub fn from_json(value: &Value) -> Result<StoredArticleMetadata, String> {
        let fields = JsonFields::of(value, "`metadata`")?;
        let direction = match fields.get("direction") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text == "ltr" => Some("ltr"),
            Some(Value::String(text)) if text == "rtl" => Some("rtl"),
            Some(_) => return Err("unknown variant: `direction` must be \"ltr\" or \"rtl\"".to_string()),
        };
        Ok(StoredArticleMetadata {
            authors: fields.strings("authors")?,
            site_name: fields.string("site_name")?,
            modified: fields.string("modified")?,
            canonical_url: fields.string("canonical_url")?,
            language: fields.string("language")?,
            direction,
            description: fields.string("description")?,
        })
    }
}

impl<'de> Deserialize<'de> for StoredArticleMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        StoredArticleMetadata::from_json(&Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl From<&ArticleMetadata> for StoredArticleMetadata {
    fn from(metadata: &ArticleMetadata) -> StoredArticleMetadata {
        StoredArticleMetadata {
            authors: metadata.authors.clone(),
            site_name: metadata.site_name.clone(),
            modified: metadata.modified.clone(),
            canonical_url: metadata.canonical_url.clone(),
            language: metadata.language.clone(),
            direction: metadata.direction.map(TextDirection::as_str),
            description: metadata.description.clone(),
        }
    }
}

impl From<StoredArticleMetadata> for ArticleMetadata {
    fn from(metadata: StoredArticleMetadata) -> ArticleMetadata {
        ArticleMetadata {
            authors: metadata.authors,
            site_name: metadata.site_name,
            modified: metadata.modified,
            canonical_url: metadata.canonical_url,
            language: metadata.language,
            direction: metadata.direction.and_then(TextDirection::parse),
            description: metadata.description,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct StoredSpan<'a> {
    pub id: Cow<'a, str>,
    pub article: Cow<'a, str>,
    pub start: usize,
    pub end: usize,
    pub label: Cow<'a, str>,
    pub text: Cow<'a, str>,
    #[serde(default)]
    pub attributes: Cow<'a, Attributes>,
    #[serde(default)]
    pub author: Cow<'a, str>,
    pub created: i64,
    pub modified: i64,
    /// Absent when nobody took the span over (so older exports read and write back the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<StoredTakeOver>,
}

/// A take-over as stored and exported: who (`by`) made whose (`from`) annotation theirs, when
/// (`at`, ms since the epoch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTakeOver {
    pub from: String,
    pub by: String,
    pub at: i64,
}

impl From<&TakeOver> for StoredTakeOver {
    fn from(take_over: &TakeOver) -> StoredTakeOver {
        StoredTakeOver { from: take_over.from.clone(), by: take_over.by.clone(), at: take_over.at }
    }
}

impl From<StoredTakeOver> for TakeOver {
    fn from(take_over: StoredTakeOver) -> TakeOver {
        TakeOver { from: take_over.from, by: take_over.by, at: take_over.at }
    }
}

impl<'a> From<&'a Span> for StoredSpan<'a> {
    fn from(span: &'a Span) -> StoredSpan<'a> {
        StoredSpan {
            id: borrowed(&span.id),
            article: borrowed(&span.article),
            start: span.start,
            end: span.end,
            label: borrowed(&span.label),
            text: borrowed(&span.text),
            attributes: Cow::Borrowed(&span.attributes),
            author: borrowed(&span.author),
            created: span.created,
            modified: span.modified,
            take_overs: span.take_overs.iter().map(Into::into).collect(),
        }
    }
}

impl From<StoredSpan<'_>> for Span {
    fn from(span: StoredSpan<'_>) -> Span {
        Span {
            id: span.id.as_ref().into(),
            article: span.article.as_ref().into(),
            start: span.start,
            end: span.end,
            label: span.label.as_ref().into(),
            text: span.text.into_owned().into(),
            attributes: span.attributes.into_owned(),
            author: span.author.into_owned(),
            created: span.created,
            modified: span.modified,
            take_overs: span.take_overs.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct StoredRelation<'a> {
    pub id: Cow<'a, str>,
    #[serde(rename = "type")]
    pub relation_type: Cow<'a, str>,
    pub from: Cow<'a, str>,
    pub to: Cow<'a, str>,
    /// Absent when there is none; a stored `""` (older versions) reads as none.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "empty_as_none")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub note: Cow<'a, str>,
    #[serde(default)]
    pub author: Cow<'a, str>,
    /// The key of the suggestion accepted to make the link; absent when a person drew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Cow<'a, str>>,
    pub created: i64,
    pub modified: i64,
    /// Absent when nobody took the link over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<StoredTakeOver>,
}

fn empty_as_none<'de, 'a, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    Ok(value.filter(|kind| !kind.is_empty()).map(Cow::Owned))
}

impl<'a> From<&'a Relation> for StoredRelation<'a> {
    fn from(relation: &'a Relation) -> StoredRelation<'a> {
        StoredRelation {
            id: borrowed(&relation.id),
            relation_type: borrowed(&relation.relation_type),
            from: borrowed(&relation.from),
            to: borrowed(&relation.to),
            kind: relation.kind.as_deref().map(borrowed),
            note: borrowed(&relation.note),
            author: borrowed(&relation.author),
            suggestion: relation.suggestion.as_deref().map(borrowed),
            created: relation.created,
            modified: relation.modified,
            take_overs: relation.take_overs.iter().map(Into::into).collect(),
        }
    }
}

impl From<StoredRelation<'_>> for Relation {
    fn from(relation: StoredRelation<'_>) -> Relation {
        Relation {
            id: relation.id.as_ref().into(),
            relation_type: relation.relation_type.as_ref().into(),
            from: relation.from.as_ref().into(),
            to: relation.to.as_ref().into(),
            kind: relation.kind.map(Cow::into_owned),
            note: relation.note.into_owned(),
            author: relation.author.into_owned(),
            suggestion: relation.suggestion.map(|key| key.as_ref().into()),
            created: relation.created,
            modified: relation.modified,
            take_overs: relation.take_overs.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct StoredLabel {
    pub id: String,
    pub name: String,
    pub color: String,
    #[serde(default)]
    pub attributes: Vec<StoredAttribute>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct StoredAttribute {
    pub key: String,
    pub name: String,
    pub kind: StoredAttributeKind,
}

/// Written as an internally tagged enum (`{"type": "choice", "choices": […]}`); read through
/// [`FlatAttributeKind`], which reads the same objects without serde's buffered path for
/// internally tagged enums (a second deserializer for every type it holds).
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "FlatAttributeKind")]
pub enum StoredAttributeKind {
    Choice {
        choices: Vec<String>,
    },
    Text {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        suggest_from: Option<String>,
    },
    Note,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AttributeKindTag {
    Choice,
    Text,
    Note,
}

/// [`StoredAttributeKind`]'s object with every variant's fields optional.
#[derive(Deserialize)]
struct FlatAttributeKind {
    #[serde(rename = "type")]
    tag: AttributeKindTag,
    #[serde(default)]
    choices: Option<Vec<String>>,
    #[serde(default)]
    suggest_from: Option<String>,
}

impl TryFrom<FlatAttributeKind> for StoredAttributeKind {
    type Error = &'static str;

    fn try_from(flat: FlatAttributeKind) -> Result<StoredAttributeKind, &'static str> {
        Ok(match flat.tag {
            AttributeKindTag::Choice => {
                StoredAttributeKind::Choice { choices: flat.choices.ok_or("missing field `choices`")? }
            }
            AttributeKindTag::Text => StoredAttributeKind::Text { suggest_from: flat.suggest_from },
            AttributeKindTag::Note => StoredAttributeKind::Note,
        })
    }
}

impl From<&LabelDef> for StoredLabel {
    fn from(label: &LabelDef) -> StoredLabel {
        StoredLabel {
            id: label.id.to_string(),
            name: label.name.clone(),
            color: label.color.clone(),
            attributes: label.attributes.iter().map(StoredAttribute::from).collect(),
        }
    }
}

impl From<StoredLabel> for LabelDef {
    fn from(label: StoredLabel) -> LabelDef {
        LabelDef {
            id: label.id.into(),
            name: label.name,
            color: label.color,
            attributes: label.attributes.into_iter().map(AttributeDef::from).collect(),
        }
    }
}

impl From<&AttributeDef> for StoredAttribute {
    fn from(attribute: &AttributeDef) -> StoredAttribute {
        let kind = match &attribute.kind {
            AttributeKind::Choice { choices } => StoredAttributeKind::Choice { choices: choices.clone() },
            AttributeKind::Text { suggest_from } => StoredAttributeKind::Text { suggest_from: suggest_from.clone() },
            AttributeKind::Note => StoredAttributeKind::Note,
        };
        StoredAttribute { key: attribute.key.clone(), name: attribute.name.clone(), kind }
    }
}

impl From<StoredAttribute> for AttributeDef {
    fn from(attribute: StoredAttribute) -> AttributeDef {
        let kind = match attribute.kind {
            StoredAttributeKind::Choice { choices } => AttributeKind::Choice { choices },
            StoredAttributeKind::Text { suggest_from } => AttributeKind::Text { suggest_from },
            StoredAttributeKind::Note => AttributeKind::Note,
        };
        AttributeDef { key: attribute.key, name: attribute.name, kind }
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct StoredRelationType {
    pub id: String,
    pub name: String,
    pub color: String,
    pub symmetric: bool,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub hotkey: String,
}

impl From<&RelationTypeDef> for StoredRelationType {
    fn from(relation_type: &RelationTypeDef) -> StoredRelationType {
        StoredRelationType {
            id: relation_type.id.to_string(),
            name: relation_type.name.clone(),
            color: relation_type.color.clone(),
            symmetric: relation_type.symmetric,
            kinds: relation_type.kinds.clone(),
            hotkey: relation_type.hotkey.clone(),
        }
    }
}

impl From<StoredRelationType> for RelationTypeDef {
    fn from(relation_type: StoredRelationType) -> RelationTypeDef {
        RelationTypeDef {
            id: relation_type.id.into(),
            name: relation_type.name,
            color: relation_type.color,
            symmetric: relation_type.symmetric,
            kinds: relation_type.kinds,
            hotkey: relation_type.hotkey,
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct StoredSettings {
    pub annotator: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer_organisation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer_url: String,
}

impl From<&Settings> for StoredSettings {
    fn from(settings: &Settings) -> StoredSettings {
        StoredSettings {
            annotator: settings.annotator.clone(),
            reviewer_organisation: settings.reviewer_organisation.clone(),
            reviewer_url: settings.reviewer_url.clone(),
        }
    }
}

impl From<StoredSettings> for Settings {
    fn from(settings: StoredSettings) -> Settings {
        Settings {
            annotator: settings.annotator,
            reviewer_organisation: settings.reviewer_organisation,
            reviewer_url: settings.reviewer_url,
        }
    }
}
