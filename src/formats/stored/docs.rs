//! The version-2 document types. Each is `Doc<Body>`: CouchDB's `_rev` and `_deleted` (the
//! `_id` is the key), then the author (`a`), the modification time in ms (`m`) and the item under
//! `d` (absent in a tombstone). Bodies are their own types, not the domain's, with short field
//! names and no default-valued fields, so that a span costs about a hundred UTF-16 units of the
//! `localStorage` quota: a span's text is not stored (it is the article's text at its offsets), its
//! id is its `_id`. For CouchDB, add `_id` back; every other field is the document's own.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::domain::annotation::{Attributes, Relation, RelationId, Span, SpanId, SpanText};
use crate::domain::article::{Article, ArticleDetails, ArticleId, ArticleMetadata};
use crate::domain::attributes::LabelKeys;
use crate::domain::ids::{LabelId, RelationTypeId, SuggestionKey};
use crate::domain::project::Project;
use crate::domain::schema::LabelDef;
use crate::domain::sorting::InsertEach;
use crate::formats::stored::{
    StoredArticleMetadata, StoredLabel, StoredRelationType, StoredSettings, StoredStep, StoredTakeOver,
    StoredUiPosition,
};

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
    #[serde(rename = "a", default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(rename = "m", default)]
    pub modified: i64,
    #[serde(rename = "d", default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<Body>,
}

/// Hex digits of a revision's hash: 32 bits tell one writer's successive revisions and two
/// writers' conflicting ones apart (CouchDB and PouchDB take any `N-string` revision).
const REV_HASH_HEX: usize = 8;

impl<Body: Serialize> Doc<Body> {
    pub fn live(id: String, author: &str, modified: i64, data: Body) -> Doc<Body> {
        Doc { id, rev: String::new(), deleted: false, author: author.to_string(), modified, data: Some(data) }
    }

    pub fn tombstone(id: String, modified: i64) -> Doc<Body> {
        Doc { id, rev: String::new(), deleted: true, author: String::new(), modified, data: None }
    }

    /// The JSON text with a fresh revision following `previous`: `N-hash`, N one more than the
    /// previous generation, the hash the first 32 bits of SHA-256 over the previous revision, the
    /// id and the document — a CouchDB-style revision, so a revision tree can be kept from it.
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
        let hex: String = digest.iter().take(REV_HASH_HEX / 2).map(|byte| format!("{byte:02x}")).collect();
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

impl<Body: DeserializeOwned> Doc<Body> {
    /// Reads a stored document: the envelope, then the item as `Body`. The same as
    /// `serde_json::from_str::<Doc<Body>>` but for where an error in the item says it is.
    pub fn read(raw: &str) -> Result<Doc<Body>, serde_json::Error> {
        let Envelope { id, rev, deleted, author, modified, data } = serde_json::from_str(raw)?;
        let data = match data {
            Some(item) => Some(serde_json::from_str(item.get())?),
            None => None,
        };
        Ok(Doc { id, rev, deleted, author, modified, data })
    }
}

/// A document as stored, its item left unread (as `RawValue`, not parsed): for reading any
/// document's id, revision and deletion, and, through [`Doc::read`], every kind with one
/// envelope reader, so that the first load carries one instead of one per kind of item.
#[derive(Debug, Deserialize)]
pub struct Envelope<'a> {
    #[serde(rename = "_id", default)]
    pub id: String,
    #[serde(rename = "_rev", default)]
    pub rev: String,
    #[serde(rename = "_deleted", default)]
    pub deleted: bool,
    #[serde(rename = "a", default)]
    pub author: String,
    #[serde(rename = "m", default)]
    pub modified: i64,
    #[serde(rename = "d", borrow, default)]
    pub data: Option<&'a RawValue>,
}

/// How spans name their article: the first [`ARTICLE_REF_CHARS`] characters of its id when no
/// other article's id starts with them (ids are content hashes, so that is almost always), the
/// whole id otherwise; read back by exact id first, then by the one article the prefix fits.
const ARTICLE_REF_CHARS: usize = 10;

/// The article references of one project, both ways.
#[derive(Debug, Default)]
pub struct ArticleRefs {
    refs: HashMap<ArticleId, String>,
    ids: HashMap<String, ArticleId>,
}

impl ArticleRefs {
    pub fn of(project: &Project) -> ArticleRefs {
        let mut by_prefix: HashMap<String, Vec<&ArticleId>> = HashMap::new();
        for article in project.articles() {
            by_prefix
                .entry(article.id.as_str().chars().take(ARTICLE_REF_CHARS).collect())
                .or_default()
                .push(&article.id);
        }
        // Every whole id, so that a prefix equal to another article's id is found in one look-up
        // (a walk over every other article for each was 40,000 comparisons per save at 200).
        let whole: std::collections::HashSet<&str> =
            project.articles().iter().map(|article| article.id.as_str()).collect();
        let mut refs = ArticleRefs::default();
        for article in project.articles() {
            let id = article.id.as_str();
            let prefix: String = id.chars().take(ARTICLE_REF_CHARS).collect();
            let unique = by_prefix.get(&prefix).is_some_and(|ids| ids.len() == 1)
                && (prefix == id || !whole.contains(prefix.as_str()));
            let short = if unique { prefix } else { id.to_string() };
            refs.ids.insert(id.to_string(), article.id.clone());
            if short != id {
                refs.ids.entry(short.clone()).or_insert_with(|| article.id.clone());
            }
            refs.refs.insert(article.id.clone(), short);
        }
        refs
    }

    /// The references of the articles `needed` alone, for writing (nothing to resolve): what a
    /// save's few spans store. Building every article's reference was ~1,000 allocations per
    /// save at 200 articles; this walks the articles once per needed article, allocating nothing
    /// but the reference. The same references as [`ArticleRefs::of`].
    pub fn of_articles<'a>(project: &Project, needed: impl IntoIterator<Item = &'a ArticleId>) -> ArticleRefs {
        let mut refs = ArticleRefs::default();
        for id in needed {
            if refs.refs.contains_key(id) || project.article(id).is_none() {
                continue;
            }
            let prefix: String = id.as_str().chars().take(ARTICLE_REF_CHARS).collect();
            // Another article whose id starts with the same characters (or is them).
            let shared = project
                .articles()
                .iter()
                .any(|other| other.id != *id && other.id.as_str().chars().take(ARTICLE_REF_CHARS).eq(prefix.chars()));
            refs.refs.insert(id.clone(), if shared { id.as_str().to_string() } else { prefix });
        }
        refs
    }

    /// The reference a span stores (the whole id for an article the project lacks).
    pub fn to_ref(&self, id: &ArticleId) -> String {
        self.refs.get(id).cloned().unwrap_or_else(|| id.as_str().to_string())
    }

    /// The article a stored reference names (an unknown one as it is: the load reports it).
    pub fn resolve(&self, reference: &str) -> ArticleId {
        self.ids.get(reference).cloned().unwrap_or_else(|| ArticleId::from(reference))
    }
}

/// A span without its id (the `_id`), text (the article's), author and modification time (the
/// envelope's).
///
/// Attributes: when the span has exactly its label's attribute keys (as every span the app makes
/// has), `v` holds the values in the label's order, `null` for the label's default, trailing
/// defaults left out (all defaults: no `v`); otherwise `at` holds them all by key. Since `v` reads
/// through the label, a save that changes a label rewrites that label's spans with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanBody {
    #[serde(rename = "ar")]
    pub article: String,
    #[serde(rename = "s")]
    pub start: usize,
    #[serde(rename = "e")]
    pub end: usize,
    #[serde(rename = "l")]
    pub label: String,
    #[serde(rename = "v", default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Option<String>>,
    #[serde(rename = "at", default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, String>>,
    /// Left out when equal to `modified` (a span never edited).
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// Who took the span over from whom, when; left out when nobody did.
    #[serde(rename = "to", default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<StoredTakeOver>,
}

/// The span's attribute values in its label's order, or `None` when its keys are not the label's.
fn values_by_label(span: &Span, label: &LabelDef) -> Option<Vec<Option<String>>> {
    if span.attributes.len() != label.attributes.len() {
        return None;
    }
    let mut values = Vec::with_capacity(label.attributes.len());
    for attribute in &label.attributes {
        let value = span.attributes.get(&attribute.key)?;
        values.push((*value != attribute.default_value()).then(|| value.clone()));
    }
    while values.last().is_some_and(Option::is_none) {
        values.pop();
    }
    Some(values)
}

impl SpanBody {
    /// The span's document; `label` is its label's definition in the project.
    pub fn doc(span: &Span, label: Option<&LabelDef>, refs: &ArticleRefs) -> Doc<SpanBody> {
        let by_label = label.and_then(|label| values_by_label(span, label));
        let body = SpanBody {
            article: refs.to_ref(&span.article),
            start: span.start,
            end: span.end,
            label: span.label.as_str().to_string(),
            attributes: if by_label.is_some() {
                None
            } else {
                Some(span.attributes.iter().map(|(key, value)| (key.to_string(), value.clone())).into_map())
            },
            values: by_label.unwrap_or_default(),
            created: (span.created != span.modified).then_some(span.created),
            take_overs: span.take_overs.iter().map(Into::into).collect(),
        };
        Doc::live(format!("{SPAN_PREFIX}{}", span.id), &span.author, span.modified, body)
    }

    /// The article the body names.
    pub fn article_id(&self, refs: &ArticleRefs) -> ArticleId {
        refs.resolve(&self.article)
    }

    /// The span, given its article (see [`SpanBody::article_id`]), the article's text slice and
    /// the project's definition of its label.
    pub fn into_span(
        self,
        id: SpanId,
        author: String,
        modified: i64,
        article: ArticleId,
        text: SpanText,
        label: Option<(&LabelDef, &LabelKeys)>,
    ) -> Span {
        let attributes = match (self.attributes, label) {
            (Some(attributes), _) => attributes.into_iter().collect(),
            // The label's keys, shared by its spans: no key is allocated per span.
            (None, Some((label, keys))) => Attributes::from_label_values(keys, label, self.values),
            (None, None) => Attributes::new(),
        };
        Span {
            id,
            article,
            start: self.start,
            end: self.end,
            // The schema's id where the label is known: shared, not one copy per span.
            label: label.map_or_else(|| LabelId::from(self.label), |(label, _)| label.id.clone()),
            text,
            attributes,
            author,
            created: self.created.unwrap_or(modified),
            modified,
            take_overs: self.take_overs.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationBody {
    #[serde(rename = "t")]
    pub relation_type: String,
    #[serde(rename = "f")]
    pub from: String,
    #[serde(rename = "o")]
    pub to: String,
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(rename = "n", default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The suggestion the link was accepted from.
    #[serde(rename = "sg", default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Left out when equal to `modified`.
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// Who took the link over from whom, when; left out when nobody did.
    #[serde(rename = "to", default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<StoredTakeOver>,
}

impl RelationBody {
    pub fn doc(relation: &Relation) -> Doc<RelationBody> {
        let body = RelationBody {
            relation_type: relation.relation_type.as_str().to_string(),
            from: relation.from.as_str().to_string(),
            to: relation.to.as_str().to_string(),
            kind: relation.kind.clone(),
            note: relation.note.clone(),
            suggestion: relation.suggestion.as_ref().map(|key| key.as_str().to_string()),
            created: (relation.created != relation.modified).then_some(relation.created),
            take_overs: relation.take_overs.iter().map(Into::into).collect(),
        };
        Doc::live(format!("{RELATION_PREFIX}{}", relation.id), &relation.author, relation.modified, body)
    }

    pub fn into_relation(self, id: RelationId, author: String, modified: i64) -> Relation {
        Relation {
            id,
            relation_type: RelationTypeId::from(self.relation_type),
            from: SpanId::from(self.from),
            to: SpanId::from(self.to),
            kind: self.kind,
            note: self.note,
            author,
            suggestion: self.suggestion.map(SuggestionKey::from),
            created: self.created.unwrap_or(modified),
            modified,
            take_overs: self.take_overs.into_iter().map(Into::into).collect(),
        }
    }
}

/// An article's details: every field of the article's stored form except `id` (the `_id`) and
/// `text` (in IndexedDB, keyed by the id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleBody {
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub published: String,
    #[serde(default, skip_serializing_if = "is_default_metadata")]
    pub metadata: StoredArticleMetadata,
    /// The text's word count, so that a load need not count it (`None` in stores written before
    /// it was kept: counted then).
    #[serde(rename = "w", default, skip_serializing_if = "Option::is_none")]
    pub words: Option<usize>,
}

fn is_default_metadata(metadata: &StoredArticleMetadata) -> bool {
    *metadata == StoredArticleMetadata::default()
}

pub fn article_doc(article: &Article, modified: i64) -> Doc<ArticleBody> {
    let body = ArticleBody {
        title: article.title.clone(),
        source: article.source.clone(),
        url: article.url.clone(),
        published: article.published.clone(),
        metadata: StoredArticleMetadata::from(&article.metadata),
        words: Some(article.word_count()),
    };
    Doc::live(format!("{ARTICLE_PREFIX}{}", article.id), "", modified, body)
}

/// The article from its details and its text (from IndexedDB), checked against its id.
pub fn article_from_body(id: &ArticleId, body: ArticleBody, text: &Rc<str>) -> Result<Article, String> {
    let article = article_from_checked_body(id, body, text);
    if !article.id_matches_text() {
        return Err("its text does not match its id".to_string());
    }
    Ok(article)
}

/// [`article_from_body`] for a text already found to match its id (`js/early_texts.js` hashes
/// the texts it reads with the browser's SHA-256 while the wasm compiles).
pub fn article_from_checked_body(id: &ArticleId, body: ArticleBody, text: &Rc<str>) -> Article {
    let details = ArticleDetails {
        title: body.title,
        source: body.source,
        url: body.url,
        published: body.published,
        metadata: ArticleMetadata::from(body.metadata),
    };
    let article = Article::from_stored(id.clone(), text.clone(), details);
    if let Some(words) = body.words {
        article.know_word_count(words);
    }
    article
}

/// The project's own document: the order of its articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectBody {
    pub articles: Vec<String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct LabelsBody {
    pub labels: Vec<StoredLabel>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct RelationTypesBody {
    pub relation_types: Vec<StoredRelationType>,
}

pub type SettingsBody = StoredSettings;

/// A rejected suggestion: its key is in the `_id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RejectedBody {}

/// One chunk of the undo or redo stack: steps `first..first + steps.len()` counted from the
/// bottom, oldest first.
#[derive(Serialize, Deserialize)]
pub struct HistoryChunkBody<'a> {
    pub first: usize,
    pub steps: Vec<StoredStep<'a>>,
}

pub type PositionBody = StoredUiPosition;

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
        let doc = Doc::live("span:a\"b".to_string(), "Zoë", 5, RejectedBody {});
        let (json, first) = doc.to_json_with_rev(None);
        assert!(first.starts_with("1-") && first.len() == 10, "{first}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["_rev"], first.as_str());
        assert!(value.get("_id").is_none(), "the key is the id");
        let (_, second) = doc.to_json_with_rev(Some(&first));
        assert!(second.starts_with("2-") && second != first);
        let tombstone: Doc<RejectedBody> = Doc::tombstone("rej:k".into(), 9);
        let (json, _) = tombstone.to_json_with_rev(Some(&second));
        assert!(json.contains("\"_deleted\":true") && !json.contains("\"d\""), "{json}");
    }

    #[test]
    fn an_article_keeps_its_word_count_so_a_load_need_not_count_it() {
        let article = Article::new("One two three.\nFour five", "Title", "Source");
        let doc = article_doc(&article, 1);
        let (json, _) = doc.to_json_with_rev(None);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["d"]["w"], 5, "{json}");
        let text = article.text.clone();
        let body = |words: Option<usize>| ArticleBody { words, ..doc.data.clone().unwrap() };
        // The stored count is taken as it is (4, not the 5 a count would give: nothing counted).
        assert_eq!(article_from_checked_body(&article.id, body(Some(4)), &text).word_count(), 4);
        // A store from before the count was kept, and a count no text this long can have.
        assert_eq!(article_from_checked_body(&article.id, body(None), &text).word_count(), 5);
        assert_eq!(article_from_checked_body(&article.id, body(Some(text.len() + 1)), &text).word_count(), 5);
    }

    #[test]
    fn a_document_read_through_the_shared_envelope_reads_as_read_whole() {
        let span = r#"{"_rev":"3-ab","a":"Zoë","m":7,"d":{"ar":"a-1","s":0,"e":4,"l":"claim","v":[null,"x"],"c":5}}"#;
        let documents = [
            span,
            r#"{"d":{"ar":"a-1","s":0,"e":4,"l":"claim"},"m":1,"_rev":"1-cd","_id":"span:s"}"#,
            r#"{"_rev":"2-ef","_deleted":true,"m":9}"#,
            r#"{"_rev":"2-ef","d":null}"#,
            r#"{}"#,
        ];
        for raw in documents {
            let whole = serde_json::from_str::<Doc<SpanBody>>(raw).unwrap();
            assert_eq!(Doc::<SpanBody>::read(raw).unwrap(), whole, "{raw}");
        }
        assert_eq!(Doc::<SpanBody>::read(span).unwrap().data.unwrap().values, vec![None, Some("x".to_string())]);
        // Whatever the whole document's reader refuses, this one refuses too.
        let refused = [
            r#"{"_rev":"1-a","d":{"ar":"a-1","s":"zero","e":4,"l":"claim"}}"#,
            r#"{"_rev":"1-a","d":{"ar":"a-1","e":4,"l":"claim"}}"#,
            r#"{"_rev":1,"d":{"ar":"a-1","s":0,"e":4,"l":"claim"}}"#,
            r#"{"_rev":"1-a","d":[]}"#,
            r#"{"_rev":"1-a","d":{"ar":"a-1","s":0,"e":4,"l":"claim"}"#,
            r#"[1]"#,
        ];
        for raw in refused {
            assert!(serde_json::from_str::<Doc<SpanBody>>(raw).is_err(), "{raw}");
            let error = Doc::<SpanBody>::read(raw).unwrap_err().to_string();
            assert!(!error.is_empty(), "{raw}");
        }
        assert!(Doc::<SpanBody>::read(refused[0]).unwrap_err().to_string().contains("invalid type"));
    }
}
