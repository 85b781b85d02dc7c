//! Every document from the server is untrusted: each is checked into the stored v2 types
//! before anything keeps it, and a bad one is skipped with a reason, never a panic.
//!
//! Checked: size, `_id` (a known shared kind; this browser's own and foreign documents are
//! ignored), `_rev` and `_revisions` (one consistent, possible history), `_deleted`, and the
//! body against its stored type — an annotation's author, a span's offsets inside its article
//! (the text's length in code points, when the text is here), a link's two different ends,
//! schema colours (`#rrggbb`: they reach CSS) and unique ids, an article text whose hash is its
//! id. A span whose article has not arrived yet is accepted and marked
//! [`Validated::waiting_for_article`]: a changes feed lists each document at its latest
//! change, so an article edited after its spans comes after them, and the span must not be
//! lost. The v2 load leaves it out (reported) until the article is there.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::article::ArticleId;
use crate::domain::schema::is_valid_color;
use crate::formats::stored::docs::{ArticleBody, LabelsBody, ProjectBody, RelationTypesBody};
use crate::formats::stored::StoredTakeOver;
use crate::formats::sync::mapping::{classify, DocKind, Replication, TextBody, WireDoc, WireRelation, WireSpan};
use crate::formats::sync::replica::{Body, RevisionDoc};
use crate::formats::sync::revision::{Rev, RevPath};

/// The largest annotation, schema or metadata document accepted, in bytes of JSON.
pub const MAX_DOC_BYTES: usize = 256 * 1024;
/// The largest article text document accepted.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// The longest document id, label, author or attribute name.
pub const MAX_NAME_CHARS: usize = 256;
/// The longest attribute value or note.
pub const MAX_VALUE_CHARS: usize = 10_000;
/// The most attributes on a span, labels or link types in a schema, articles in the order.
pub const MAX_ENTRIES: usize = 10_000;

/// A document that may be kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Validated {
    pub doc: RevisionDoc,
    pub kind: DocKind,
    /// A live span whose article text is not here yet.
    pub waiting_for_article: Option<ArticleId>,
}

/// A document skipped, and why, in words for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub id: String,
    pub rev: Option<String>,
    pub reason: String,
}

/// The verdict on one incoming document.
#[derive(Clone, Debug, PartialEq)]
pub enum Checked {
    Accepted(Validated),
    /// Not project data (a design document, this browser's kind of local state): left alone.
    Ignored {
        id: String,
    },
    Rejected(Rejection),
}

/// Checks one document. `article_length` gives the length, in code points, of an article text
/// this browser has (stored, or earlier in the same batch).
pub fn check(value: &Value, article_length: &dyn Fn(&ArticleId) -> Option<usize>) -> Checked {
    let id = value.get("_id").and_then(Value::as_str).unwrap_or_default().to_string();
    let rev = value.get("_rev").and_then(Value::as_str).map(str::to_string);
    let reject = |reason: String| Checked::Rejected(Rejection { id: id.clone(), rev: rev.clone(), reason });
    let Some(object) = value.as_object() else { return reject("it is not a JSON object".to_string()) };
    if id.is_empty() {
        return reject("it has no _id".to_string());
    }
    if id.chars().count() > MAX_NAME_CHARS || id.chars().any(char::is_control) {
        return reject("its _id is too long or holds control characters".to_string());
    }
    let kind = match classify(&id) {
        Replication::Shared(kind) => kind,
        Replication::LocalOnly | Replication::Foreign => return Checked::Ignored { id },
    };
    let size = serde_json::to_string(value).map_or(usize::MAX, |json| json.len());
    let limit = if kind == DocKind::Text { MAX_TEXT_BYTES } else { MAX_DOC_BYTES };
    if size > limit {
        return reject(format!("it is {size} bytes, more than the {limit} allowed"));
    }
    match check_object(&id, kind, object, article_length) {
        Ok(validated) => Checked::Accepted(validated),
        Err(reason) => reject(reason),
    }
}

fn check_object(
    id: &str,
    kind: DocKind,
    object: &Map<String, Value>,
    article_length: &dyn Fn(&ArticleId) -> Option<usize>,
) -> Result<Validated, String> {
    let rev_text = object.get("_rev").and_then(Value::as_str).ok_or("it has no _rev")?;
    let rev = Rev::parse(rev_text).map_err(|error| error.to_string())?;
    let path = match object.get("_revisions") {
        None => RevPath::single(&rev),
        Some(revisions) => {
            serde_json::from_value::<RevPath>(revisions.clone()).map_err(|error| format!("_revisions: {error}"))?
        }
    };
    path.validate().map_err(|error| error.to_string())?;
    if path.leaf().as_ref() != Some(&rev) {
        return Err("_revisions does not end at _rev".to_string());
    }
    let deleted = match object.get("_deleted") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(deleted)) => *deleted,
        Some(_) => return Err("_deleted is not true or false".to_string()),
    };
    let body: Body = object
        .iter()
        .filter(|(key, _)| !key.starts_with('_'))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let envelope = Value::Object(body.clone());
    let mut waiting_for_article = None;
    if deleted {
        // A deletion carries no item; its time and author are kept when well-formed.
        parse::<WireDoc<Value>>(&envelope).map_err(|error| format!("deletion: {error}"))?;
    } else {
        waiting_for_article = check_body(id, kind, &envelope, article_length)?;
    }
    let doc = RevisionDoc { id: id.to_string(), path, deleted, body };
    Ok(Validated { doc, kind, waiting_for_article })
}

fn parse<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|error| error.to_string())
}

fn data<Body: DeserializeOwned + Serialize>(value: &Value) -> Result<WireDoc<Body>, String> {
    let doc: WireDoc<Body> =
        parse(value).map_err(|error| format!("a field is missing or has the wrong type ({error})"))?;
    if doc.data.is_none() {
        return Err("a live revision without data".to_string());
    }
    Ok(doc)
}

fn short(field: &str, text: &str, limit: usize) -> Result<(), String> {
    if text.chars().count() > limit {
        return Err(format!("{field} is longer than {limit} characters"));
    }
    Ok(())
}

fn name(field: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("{field} holds control characters"));
    }
    short(field, text, MAX_NAME_CHARS)
}

/// A span's or link's take-over record: a bounded list of two names each.
fn take_overs(records: &[StoredTakeOver]) -> Result<(), String> {
    if records.len() > MAX_ENTRIES {
        return Err("too many take-overs".to_string());
    }
    for record in records {
        name("a take-over's previous author", &record.from)?;
        name("a take-over's new author", &record.by)?;
    }
    Ok(())
}

fn article_id(field: &str, id: &str) -> Result<(), String> {
    let hex = id.strip_prefix("a-").unwrap_or_default();
    if hex.len() != 16 || !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(format!("{field} {id:?} is not an article id"));
    }
    Ok(())
}

/// The body's checks; `Ok(Some(article))` for a span waiting for its article's text.
fn check_body(
    id: &str,
    kind: DocKind,
    value: &Value,
    article_length: &dyn Fn(&ArticleId) -> Option<usize>,
) -> Result<Option<ArticleId>, String> {
    let suffix = id.split_once(':').map_or(id, |(_, rest)| rest);
    match kind {
        DocKind::Span => {
            let doc = data::<WireSpan>(value)?;
            name("author", &doc.author)?;
            let Some(span) = doc.data else { return Ok(None) };
            name("label", &span.label)?;
            article_id("article", &span.article)?;
            if span.attributes.len() > MAX_ENTRIES {
                return Err("too many attributes".to_string());
            }
            for (key, attribute) in &span.attributes {
                name("an attribute name", key)?;
                short(&format!("attribute {key}"), attribute, MAX_VALUE_CHARS)?;
            }
            take_overs(&span.take_overs)?;
            if span.start >= span.end {
                return Err(format!("the span {}..{} is empty or reversed", span.start, span.end));
            }
            let article = ArticleId::from(span.article.as_str());
            match article_length(&article) {
                Some(length) if span.end > length => {
                    Err(format!("the span {}..{} lies outside its article ({length} characters)", span.start, span.end))
                }
                Some(_) => Ok(None),
                None => Ok(Some(article)),
            }
        }
        DocKind::Relation => {
            let doc = data::<WireRelation>(value)?;
            name("author", &doc.author)?;
            let Some(relation) = doc.data else { return Ok(None) };
            name("type", &relation.relation_type)?;
            name("from", &relation.from)?;
            name("to", &relation.to)?;
            if relation.from == relation.to {
                return Err("a link from a span to itself".to_string());
            }
            short("kind", relation.kind.as_deref().unwrap_or_default(), MAX_NAME_CHARS)?;
            short("note", &relation.note, MAX_VALUE_CHARS)?;
            short("suggestion", relation.suggestion.as_deref().unwrap_or_default(), MAX_VALUE_CHARS)?;
            take_overs(&relation.take_overs)?;
            Ok(None)
        }
        DocKind::Article => {
            article_id("_id", suffix)?;
            let Some(article) = data::<ArticleBody>(value)?.data else { return Ok(None) };
            short("title", &article.title, MAX_VALUE_CHARS)?;
            short("source", &article.source, MAX_VALUE_CHARS)?;
            Ok(None)
        }
        DocKind::Text => {
            article_id("_id", suffix)?;
            let doc = data::<TextBody>(value)?;
            let text = doc.data.map(|body| body.text).unwrap_or_default();
            if ArticleId::for_text(&text).as_str() != suffix {
                return Err("the text does not match its article id (altered or truncated)".to_string());
            }
            Ok(None)
        }
        DocKind::ArticleOrder => {
            let order = data::<ProjectBody>(value)?.data.map(|body| body.articles).unwrap_or_default();
            if order.len() > MAX_ENTRIES {
                return Err("too many articles".to_string());
            }
            order.iter().try_for_each(|article| article_id("articles[]", article.as_str()))?;
            Ok(None)
        }
        DocKind::Labels => {
            let labels = data::<LabelsBody>(value)?.data.map(|body| body.labels).unwrap_or_default();
            schema_entries(labels.iter().map(|label| (label.id.as_str(), label.name.as_str(), label.color.as_str())))?;
            Ok(None)
        }
        DocKind::RelationTypes => {
            let types = data::<RelationTypesBody>(value)?.data.map(|body| body.relation_types).unwrap_or_default();
            schema_entries(types.iter().map(|kind| (kind.id.as_str(), kind.name.as_str(), kind.color.as_str())))?;
            Ok(None)
        }
    }
}

/// Schema entries: a name and id each, ids unique, colours `#rrggbb` (they reach CSS).
fn schema_entries<'a>(entries: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for (count, (id, label, color)) in entries.enumerate() {
        if count >= MAX_ENTRIES {
            return Err("too many schema entries".to_string());
        }
        name("a schema id", id)?;
        name("a schema name", label)?;
        if !is_valid_color(color) {
            return Err(format!("{color:?} is not a #rrggbb colour"));
        }
        if !seen.insert(id) {
            return Err(format!("two schema entries share the id {id:?}"));
        }
    }
    Ok(())
}
