//! The version-2 document types. Each is `Doc<Body>`: CouchDB's `_id`, `_rev`, `_deleted`, then
//! `author`, `modified` and the item under `data` (absent in a tombstone). Bodies are their own
//! types, not the domain's: a span's text is not stored (it is the article's text at its offsets),
//! its id is its `_id`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::project::Settings;
use crate::domain::schema::{LabelDef, RelationTypeDef};
use crate::formats::stored::boundary::{StoredPosition, StoredStepDoc};

pub const MANIFEST_ID: &str = "_local/manifest";
pub const POSITION_ID: &str = "_local/position";
pub const JOURNAL_ID: &str = "_local/journal";
pub const PROJECT_ID: &str = "project";
pub const SETTINGS_ID: &str = "settings";
pub const LABELS_ID: &str = "schema:labels";
pub const RELATION_TYPES_ID: &str = "schema:relation-types";
pub const SPAN_PREFIX: &str = "span:";
pub const RELATION_PREFIX: &str = "rel:";
pub const ARTICLE_PREFIX: &str = "art:";
pub const REJECTED_PREFIX: &str = "rej:";
pub const UNDO_PREFIX: &str = "_local/undo:";
pub const REDO_PREFIX: &str = "_local/redo:";

fn is_false(value: &bool) -> bool {
    !*value
}

/// One stored document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Doc<Body> {
    /// The key says it: not repeated in the stored JSON (add it back for CouchDB).
    #[serde(rename = "_id", default, skip_serializing)]
    pub id: String,
    #[serde(rename = "_rev", default)]
    pub rev: String,
    #[serde(rename = "_deleted", default, skip_serializing_if = "is_false")]
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default)]
    pub modified: i64,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<Body>,
}

impl<Body: Serialize> Doc<Body> {
    pub fn live(id: String, author: &str, modified: i64, data: Body) -> Doc<Body> {
        Doc { id, rev: String::new(), deleted: false, author: author.to_string(), modified, data: Some(data) }
    }

    pub fn tombstone(id: String, modified: i64) -> Doc<Body> {
        Doc { id, rev: String::new(), deleted: true, author: String::new(), modified, data: None }
    }

    /// The JSON text with a fresh revision following `previous`: `N-hash`, N one more than the
    /// previous generation, the hash the first 64 bits of SHA-256 over the previous revision and
    /// the document — a CouchDB-style revision, so a revision tree can be kept from it.
    pub fn to_json_with_rev(&self, previous: Option<&str>) -> (String, String) {
        let unrevised = serde_json::to_string(self).unwrap_or_default();
        let previous = previous.filter(|rev| !rev.is_empty());
        let generation = previous.and_then(|rev| rev.split_once('-')).and_then(|(n, _)| n.parse::<u64>().ok());
        let mut hasher = Sha256::new();
        hasher.update(previous.unwrap_or("").as_bytes());
        hasher.update([0]);
        hasher.update(self.id.as_bytes());
        hasher.update([0]);
        hasher.update(unrevised.as_bytes());
        let digest = hasher.finalize();
        let hex: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
        let rev = format!("{}-{hex}", generation.unwrap_or(0) + 1);
        // `_rev` is the first field: `{"_rev":""…`.
        let empty = "{\"_rev\":\"\"";
        let json = match unrevised.strip_prefix(empty) {
            Some(rest) => format!("{{\"_rev\":\"{rev}\"{rest}"),
            None => unrevised,
        };
        (json, rev)
    }
}

/// Just the envelope, for reading any document's id, revision and deletion.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    #[serde(rename = "_rev", default)]
    pub rev: String,
    #[serde(rename = "_deleted", default)]
    pub deleted: bool,
    #[serde(default)]
    pub modified: i64,
}

/// A span without its id (the `_id`), text (the article's), author and modification time (the
/// envelope's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanBody {
    pub article: ArticleId,
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Left out when equal to `modified` (a span never edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
}

impl SpanBody {
    pub fn doc(span: &Span) -> Doc<SpanBody> {
        let body = SpanBody {
            article: span.article.clone(),
            start: span.start,
            end: span.end,
            label: span.label.clone(),
            attributes: span.attributes.clone(),
            created: (span.created != span.modified).then_some(span.created),
        };
        Doc::live(format!("{SPAN_PREFIX}{}", span.id), &span.author, span.modified, body)
    }

    /// The span, given its article's text slice.
    pub fn into_span(self, id: SpanId, author: String, modified: i64, text: String) -> Span {
        Span {
            id,
            article: self.article,
            start: self.start,
            end: self.end,
            label: self.label,
            text,
            attributes: self.attributes,
            author,
            created: self.created.unwrap_or(modified),
            modified,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationBody {
    #[serde(rename = "type")]
    pub relation_type: String,
    pub from: SpanId,
    pub to: SpanId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Left out when equal to `modified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
}

impl RelationBody {
    pub fn doc(relation: &Relation) -> Doc<RelationBody> {
        let body = RelationBody {
            relation_type: relation.relation_type.clone(),
            from: relation.from.clone(),
            to: relation.to.clone(),
            kind: relation.kind.clone(),
            note: relation.note.clone(),
            created: (relation.created != relation.modified).then_some(relation.created),
        };
        Doc::live(format!("{RELATION_PREFIX}{}", relation.id), &relation.author, relation.modified, body)
    }

    pub fn into_relation(self, id: RelationId, author: String, modified: i64) -> Relation {
        Relation {
            id,
            relation_type: self.relation_type,
            from: self.from,
            to: self.to,
            kind: self.kind,
            note: self.note,
            author,
            created: self.created.unwrap_or(modified),
            modified,
        }
    }
}

/// An article's metadata: every field of the article's exported form except `id` (the `_id`)
/// and `text` (in IndexedDB, keyed by the id). Kept as the exported object so that a metadata
/// field added to `Article` is stored without touching this file.
pub type ArticleBody = Map<String, Value>;

pub fn article_doc(article: &Article, modified: i64) -> Doc<ArticleBody> {
    let mut body = match serde_json::to_value(article) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    body.remove("id");
    body.remove("text");
    Doc::live(format!("{ARTICLE_PREFIX}{}", article.id), "", modified, body)
}

/// The article from its metadata and its text (from IndexedDB).
pub fn article_from_body(id: &ArticleId, mut body: ArticleBody, text: &str) -> Result<Article, String> {
    body.insert("id".to_string(), Value::from(id.as_str()));
    body.insert("text".to_string(), Value::from(text));
    let article: Article = serde_json::from_value(Value::Object(body)).map_err(|error| error.to_string())?;
    if !article.id_matches_text() {
        return Err("its text does not match its id".to_string());
    }
    Ok(article)
}

/// The project's own document: the order of its articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectBody {
    pub articles: Vec<ArticleId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelsBody {
    pub labels: Vec<LabelDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationTypesBody {
    pub relation_types: Vec<RelationTypeDef>,
}

pub type SettingsBody = Settings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedBody {
    pub key: String,
}

/// One chunk of the undo or redo stack: steps `first..first + steps.len()` counted from the
/// bottom, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryChunkBody {
    pub first: usize,
    pub steps: Vec<StoredStepDoc>,
}

pub type PositionBody = StoredPosition;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestBody {
    pub format: String,
    pub schema_version: u64,
}

impl ManifestBody {
    pub fn current() -> ManifestBody {
        ManifestBody {
            format: crate::formats::stored::STORE_FORMAT.to_string(),
            schema_version: crate::formats::stored::STORE_SCHEMA_VERSION,
        }
    }
}

/// The id of the chunk document holding undo (or redo) steps from `depth` on.
pub fn chunk_id(redo: bool, depth: usize) -> String {
    let prefix = if redo { REDO_PREFIX } else { UNDO_PREFIX };
    format!("{prefix}{}", depth / crate::formats::stored::HISTORY_CHUNK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_couchdb_shaped_and_change_with_every_write() {
        let doc = Doc::live("span:a\"b".to_string(), "Zoë", 5, RejectedBody { key: "k".into() });
        let (json, first) = doc.to_json_with_rev(None);
        assert!(first.starts_with("1-") && first.len() == 18, "{first}");
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["_rev"], first.as_str());
        assert!(value.get("_id").is_none(), "the key is the id");
        let (_, second) = doc.to_json_with_rev(Some(&first));
        assert!(second.starts_with("2-") && second != first);
        let tombstone: Doc<RejectedBody> = Doc::tombstone("rej:k".into(), 9);
        let (json, _) = tombstone.to_json_with_rev(Some(&second));
        assert!(json.contains("\"_deleted\":true") && !json.contains("\"data\""), "{json}");
    }
}
