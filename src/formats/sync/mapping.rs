//! Which stored v2 documents replicate, and how an article's text travels.
//!
//! Shared with the team: spans (`span:`), links (`rel:`), article metadata (`art:`), article
//! texts (`text:` + the article id, one document per text: a text never changes, its id is its
//! hash, so it replicates once and is checked against that hash on arrival), the article order
//! (`project`) and the two schemas. Kept in this browser: everything under `_local/` (history,
//! view position, manifest, journal, checkpoints), `settings` (this browser's annotator name)
//! and `rej:` (suggestions this person dismissed: a colleague's triage must not hide
//! suggestions from me, and an agreement study needs annotators blind to each other).
//!
//! Texts are separate documents rather than attachments: an attachment would travel base64
//! inside `_bulk_get` and `_bulk_docs` and again with every metadata edit unless stubs and
//! `atts_since` are handled, while a `text:` document is plain JSON, replicated exactly once.

use serde_json::{Map, Value};

use crate::formats::stored::docs::{
    ARTICLE_PREFIX, LABELS_ID, PROJECT_ID, REJECTED_PREFIX, RELATION_PREFIX, RELATION_TYPES_ID, SETTINGS_ID,
    SPAN_PREFIX,
};
use crate::formats::sync::replica::Body;
use crate::formats::sync::revision::Rev;

/// Prefix of an article text's document id; the rest is the article id.
pub const TEXT_PREFIX: &str = "text:";

/// The kinds of document that replicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Span,
    Relation,
    Article,
    Text,
    ArticleOrder,
    Labels,
    RelationTypes,
}

impl DocKind {
    /// Annotations carry their author on every revision.
    pub fn needs_author(self) -> bool {
        matches!(self, DocKind::Span | DocKind::Relation)
    }

    /// The order in which a batch is applied: what others refer to first.
    pub fn apply_rank(self) -> u8 {
        match self {
            DocKind::Text => 0,
            DocKind::Article => 1,
            DocKind::Labels | DocKind::RelationTypes | DocKind::ArticleOrder => 2,
            DocKind::Span => 3,
            DocKind::Relation => 4,
        }
    }
}

/// What a document id means for replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replication {
    /// Shared with the team.
    Shared(DocKind),
    /// This browser's own; never sent, skipped when received.
    LocalOnly,
    /// Not a Crosscheck document (a design document with a validation function, say):
    /// left alone without alarming anyone.
    Foreign,
}

/// Classifies a document id (a stored key's id, or `_id` from the server).
pub fn classify(id: &str) -> Replication {
    let with_suffix = |prefix: &str| id.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty());
    if id.starts_with("_local/") || id == SETTINGS_ID || id.starts_with(REJECTED_PREFIX) {
        Replication::LocalOnly
    } else if with_suffix(SPAN_PREFIX) {
        Replication::Shared(DocKind::Span)
    } else if with_suffix(RELATION_PREFIX) {
        Replication::Shared(DocKind::Relation)
    } else if with_suffix(ARTICLE_PREFIX) {
        Replication::Shared(DocKind::Article)
    } else if with_suffix(TEXT_PREFIX) {
        Replication::Shared(DocKind::Text)
    } else if id == PROJECT_ID {
        Replication::Shared(DocKind::ArticleOrder)
    } else if id == LABELS_ID {
        Replication::Shared(DocKind::Labels)
    } else if id == RELATION_TYPES_ID {
        Replication::Shared(DocKind::RelationTypes)
    } else {
        Replication::Foreign
    }
}

/// Whether a document with this id is sent to the server.
pub fn replicates(id: &str) -> bool {
    matches!(classify(id), Replication::Shared(_))
}

/// A stored v2 document's JSON (as the store holds it) as a replicated body and whether it is a
/// deletion: the stored fields without CouchDB's `_` fields. The one place where the stored shape
/// meets the wire shape (a compacted stored form is expanded here).
pub fn stored_to_body(json: &str) -> Option<(Body, bool)> {
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(json) else { return None };
    let deleted = object.get("_deleted") == Some(&Value::Bool(true));
    let body: Body = object.into_iter().filter(|(key, _)| !key.starts_with('_')).collect();
    Some((body, deleted))
}

/// The stored JSON of a replicated revision (the inverse of [`stored_to_body`]).
pub fn body_to_stored(body: &Body, rev: &Rev, deleted: bool) -> String {
    let mut object = Map::new();
    object.insert("_rev".to_string(), Value::from(rev.to_string()));
    if deleted {
        object.insert("_deleted".to_string(), Value::Bool(true));
    }
    for (key, value) in body {
        let dropped = key.starts_with('_') || (deleted && key == "data");
        if !dropped {
            object.insert(key.clone(), value.clone());
        }
    }
    Value::Object(object).to_string()
}

/// The body of an article text's document: the same for every browser that has the text, so
/// its first revision is the same everywhere and two browsers never conflict over it.
pub fn text_body(text: &str) -> Body {
    let mut data = Map::new();
    data.insert("text".to_string(), Value::from(text));
    let mut body = Body::new();
    body.insert("data".to_string(), Value::Object(data));
    body
}

/// The id of an article's text document.
pub fn text_id(article: &str) -> String {
    format!("{TEXT_PREFIX}{article}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::stored::docs::{chunk_id, JOURNAL_ID, MANIFEST_ID, POSITION_ID};

    #[test]
    fn stored_documents_and_replicated_bodies_map_both_ways() {
        let stored = r#"{"_rev":"3-abc","author":"ann","modified":7,"data":{"article":"a-1","start":0,"end":3,"label":"claim"}}"#;
        let (body, deleted) = stored_to_body(stored).unwrap();
        assert!(!deleted);
        assert_eq!(body.keys().collect::<Vec<_>>(), ["author", "data", "modified"]);
        let rev = Rev::parse("4-def").unwrap();
        let back: Value = serde_json::from_str(&body_to_stored(&body, &rev, false)).unwrap();
        assert_eq!(back["_rev"], "4-def");
        assert_eq!(back["data"]["label"], "claim");
        let (tombstone, deleted) = stored_to_body(r#"{"_rev":"2-x","_deleted":true,"modified":9}"#).unwrap();
        assert!(deleted);
        let back: Value = serde_json::from_str(&body_to_stored(&tombstone, &rev, true)).unwrap();
        assert_eq!((back["_deleted"].clone(), back["modified"].clone()), (Value::Bool(true), Value::from(9)));
        assert!(stored_to_body("not json").is_none() && stored_to_body("[1]").is_none());
        assert_eq!(text_body("Rafah"), text_body("Rafah"));
    }

    #[test]
    fn shared_work_replicates_and_this_browsers_state_does_not() {
        for id in
            ["span:s1", "rel:r1", "art:a-0123", "text:a-0123", "project", "schema:labels", "schema:relation-types"]
        {
            assert!(replicates(id), "{id}");
        }
        let undo = chunk_id(false, 0);
        let redo = chunk_id(true, 40);
        for id in
            [MANIFEST_ID, POSITION_ID, JOURNAL_ID, undo.as_str(), redo.as_str(), "settings", "rej:x", "_local/cc-abc"]
        {
            assert_eq!(classify(id), Replication::LocalOnly, "{id}");
        }
        for id in ["_design/validate", "span:", "user:1", ""] {
            assert_eq!(classify(id), Replication::Foreign, "{id}");
        }
    }
}
