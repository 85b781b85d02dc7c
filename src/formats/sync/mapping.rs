//! Which stored v2 documents replicate, how a stored document becomes a CouchDB document and
//! back, and how an article's text travels.
//!
//! Shared with the team: spans (`span:`), links (`rel:`), article metadata (`art:`), article
//! texts (`text:` + the article id, one document per text: a text never changes, its id is its
//! hash, so it replicates once and is checked against that hash on arrival), the article order
//! (`project`) and the two schemas. Kept in this browser: everything under `_local/` (history,
//! view position, manifest, journal, checkpoints), `settings` (this browser's annotator name)
//! and `rej:` (suggestions this person dismissed: a colleague's triage must not hide
//! suggestions from me, and an agreement study needs annotators blind to each other).
//!
//! **The one place where the stored shape meets the wire shape.** The stored form is compact and
//! reads through the project (`a`/`m`/`d`; a span names its article by a short prefix and its
//! attribute values in its label's order, see `formats::stored::docs`). On the wire a document is
//! CouchDB's `_id`/`_rev`/`_deleted`/`_revisions` plus readable, self-contained fields that any
//! peer (another Crosscheck, a script, Fauxton) can read without the project:
//! `{"author", "modified", "data": {…}}`, a span's `data` being `article` (the whole id),
//! `start`, `end`, `label`, `attributes` (by key) and `created` (when it differs from
//! `modified`), a link's `type`, `from`, `to`, `kind`, `note`, `suggestion`, `created`. Validation
//! (`validate`), the replica and conflict handling (`conflict`) all work on this wire shape only.
//!
//! Texts are separate documents rather than attachments: an attachment would travel base64
//! inside `_bulk_get` and `_bulk_docs` and again with every metadata edit unless stubs and
//! `atts_since` are handled, while a `text:` document is plain JSON, replicated exactly once.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::attributes::LabelKeys;
use crate::domain::ids::LabelId;
use crate::domain::project::Project;
use crate::formats::stored::docs::{
    ArticleBody, ArticleRefs, Doc, LabelsBody, ProjectBody, RelationBody, RelationTypesBody, SpanBody, ARTICLE_PREFIX,
    LABELS_ID, PROJECT_ID, REJECTED_PREFIX, RELATION_PREFIX, RELATION_TYPES_ID, SETTINGS_ID, SPAN_PREFIX,
};
use crate::formats::stored::StoredTakeOver;
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

    /// Whether a conflict on this kind is shown for a person to resolve: annotations, article
    /// metadata and the schemas. A text never conflicts (its id is its hash); the article order
    /// is each browser's own arrangement, and the deterministic winner is good enough for it.
    pub fn resolved_by_a_person(self) -> bool {
        !matches!(self, DocKind::Text | DocKind::ArticleOrder)
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

/// A document on the wire without CouchDB's `_` fields: the author (annotations only), the
/// modification time in ms and, unless deleted, the item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireDoc<Data> {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// Absent in a deletion that carries nothing but `_deleted` (CouchDB's own, or one whose
    /// body this replica did not keep).
    #[serde(default)]
    pub modified: i64,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
}

/// A span on the wire: everything by name, nothing read through the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireSpan {
    pub article: String,
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Left out when equal to `modified` (a span never edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// Who took the span over from whom, when (`from`, `by`, `at`); left out when nobody did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<StoredTakeOver>,
}

/// A link on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireRelation {
    #[serde(rename = "type")]
    pub relation_type: String,
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// As a span's: who took the link over from whom, when; left out when nobody did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<StoredTakeOver>,
}

/// An article text's body (`data` of a `text:` document).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextBody {
    pub text: String,
}

/// What the mapping reads through: the project the stored documents belong to (a span's short
/// article reference, its label's attribute order).
pub struct MappingContext<'a> {
    project: &'a Project,
    refs: ArticleRefs,
}

impl<'a> MappingContext<'a> {
    pub fn new(project: &'a Project) -> MappingContext<'a> {
        MappingContext { project, refs: ArticleRefs::of(project) }
    }
}

fn to_body<T: Serialize>(doc: &WireDoc<T>) -> Option<Body> {
    match serde_json::to_value(doc).ok()? {
        Value::Object(body) => Some(body),
        _ => None,
    }
}

fn parse_stored<T: DeserializeOwned>(json: &str) -> Option<Doc<T>> {
    serde_json::from_str(json).ok()
}

/// Moves a stored document's envelope to the wire, its item converted by `convert`.
fn envelope_to_wire<Stored: DeserializeOwned, Wire: Serialize>(
    json: &str,
    convert: impl FnOnce(Stored) -> Option<Wire>,
) -> Option<(Body, bool)> {
    let doc = parse_stored::<Stored>(json)?;
    let deleted = doc.deleted;
    let data = match (deleted, doc.data) {
        (false, Some(data)) => Some(convert(data)?),
        (false, None) => return None,
        (true, _) => None,
    };
    Some((to_body(&WireDoc { author: doc.author, modified: doc.modified, data })?, deleted))
}

/// A stored v2 document's JSON (as the store holds it under `id`) on the wire: the body and
/// whether it is a deletion. `None` for a document that is not shared or does not parse.
pub fn stored_to_wire(id: &str, json: &str, context: &MappingContext) -> Option<(Body, bool)> {
    let Replication::Shared(kind) = classify(id) else { return None };
    let project = context.project;
    match kind {
        DocKind::Span => envelope_to_wire(json, |span: SpanBody| {
            let article = span.article_id(&context.refs);
            let created = span.created;
            let label = project.label(&span.label);
            let keys = label.map(LabelKeys::of);
            let label = label.zip(keys.as_ref());
            let expanded =
                span.into_span(SpanId::from(""), String::new(), 0, article.clone(), Default::default(), label);
            Some(WireSpan {
                article: article.as_str().to_string(),
                start: expanded.start,
                end: expanded.end,
                label: expanded.label.as_str().to_string(),
                attributes: expanded.attributes.into_iter().map(|(key, value)| (key.to_string(), value)).collect(),
                created,
                take_overs: expanded.take_overs.iter().map(Into::into).collect(),
            })
        }),
        DocKind::Relation => envelope_to_wire(json, |relation: RelationBody| {
            Some(WireRelation {
                relation_type: relation.relation_type,
                from: relation.from,
                to: relation.to,
                kind: relation.kind,
                note: relation.note,
                suggestion: relation.suggestion,
                created: relation.created,
                take_overs: relation.take_overs,
            })
        }),
        DocKind::Article => envelope_to_wire(json, |article: ArticleBody| Some(article)),
        DocKind::ArticleOrder => envelope_to_wire(json, |order: ProjectBody| Some(order)),
        DocKind::Labels => envelope_to_wire(json, |labels: LabelsBody| Some(labels)),
        DocKind::RelationTypes => envelope_to_wire(json, |types: RelationTypesBody| Some(types)),
        // Texts live in IndexedDB, never in the stored documents.
        DocKind::Text => None,
    }
}

/// Moves a wire body's envelope to the stored form, its item converted by `convert`.
fn envelope_to_stored<Wire: DeserializeOwned, Stored: Serialize>(
    body: &Body,
    rev: &Rev,
    deleted: bool,
    convert: impl FnOnce(Wire) -> Option<Stored>,
) -> Option<String> {
    let wire: WireDoc<Wire> = serde_json::from_value(Value::Object(body.clone())).ok()?;
    let data = match (deleted, wire.data) {
        (false, Some(data)) => Some(convert(data)?),
        (false, None) => return None,
        (true, _) => None,
    };
    let doc =
        Doc { id: String::new(), rev: rev.to_string(), deleted, author: wire.author, modified: wire.modified, data };
    serde_json::to_string(&doc).ok()
}

/// The stored JSON of a replicated revision of `id` (the inverse of [`stored_to_wire`]), with
/// `rev` as its `_rev`. `None` for a text (it goes to IndexedDB) or a body that does not parse
/// (validation keeps those out of the replica).
pub fn wire_to_stored(id: &str, body: &Body, rev: &Rev, deleted: bool, context: &MappingContext) -> Option<String> {
    let Replication::Shared(kind) = classify(id) else { return None };
    match kind {
        DocKind::Span => {
            let span_id = SpanId::from(id.strip_prefix(SPAN_PREFIX)?);
            envelope_to_stored(body, rev, deleted, |wire: WireSpan| {
                let label = context.project.label(&wire.label);
                let span = Span {
                    id: span_id,
                    article: ArticleId::from(wire.article),
                    start: wire.start,
                    end: wire.end,
                    label: LabelId::from(wire.label.as_str()),
                    text: Default::default(),
                    attributes: wire.attributes.into_iter().collect(),
                    author: String::new(),
                    created: 0,
                    modified: 0,
                    take_overs: wire.take_overs.into_iter().map(Into::into).collect(),
                };
                let mut stored = SpanBody::doc(&span, label, &context.refs).data?;
                stored.created = wire.created;
                Some(stored)
            })
        }
        DocKind::Relation => envelope_to_stored(body, rev, deleted, |wire: WireRelation| {
            Some(RelationBody {
                relation_type: wire.relation_type,
                from: wire.from,
                to: wire.to,
                kind: wire.kind.filter(|kind| !kind.is_empty()),
                note: wire.note,
                suggestion: wire.suggestion,
                created: wire.created,
                take_overs: wire.take_overs,
            })
        }),
        DocKind::Article => envelope_to_stored(body, rev, deleted, |article: ArticleBody| Some(article)),
        DocKind::ArticleOrder => envelope_to_stored(body, rev, deleted, |order: ProjectBody| Some(order)),
        DocKind::Labels => envelope_to_stored(body, rev, deleted, |labels: LabelsBody| Some(labels)),
        DocKind::RelationTypes => envelope_to_stored(body, rev, deleted, |types: RelationTypesBody| Some(types)),
        DocKind::Text => None,
    }
}

/// Reads a wire body's item as `Data` (`None`: a deletion or a body of another shape).
pub fn wire_data<Data: DeserializeOwned>(body: &Body) -> Option<Data> {
    serde_json::from_value(body.get("data")?.clone()).ok()
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

    use crate::domain::annotation::{Relation, RelationId};
    use crate::domain::article::Article;
    use crate::domain::ids::RelationTypeId;
    use crate::domain::project::new_span;
    use crate::formats::stored::docs::article_doc;

    fn project_and_span() -> (Project, Span) {
        let article = Article::new("Rafah: 1.4 million people sheltered in the city.", "Rafah", "Wire");
        let project = Project::with_articles(vec![article.clone()]);
        let mut span = new_span(&project, SpanId::from("s1"), &article, 0, 5, &LabelId::from("claim"), 1_000).unwrap();
        span.author = "ann".to_string();
        span.modified = 2_000;
        if let Some(value) = span.attributes.values_mut().next() {
            *value = "changed by ann".to_string();
        }
        (project, span)
    }

    fn stored_json<T: Serialize>(doc: &Doc<T>) -> String {
        doc.to_json_with_rev(None).0
    }

    #[test]
    fn a_compact_stored_span_goes_on_the_wire_readable_and_comes_back_the_same() {
        let (project, span) = project_and_span();
        let context = MappingContext::new(&project);
        let refs = ArticleRefs::of(&project);
        let stored = stored_json(&SpanBody::doc(&span, project.label(&span.label), &refs));
        let (body, deleted) = stored_to_wire("span:s1", &stored, &context).unwrap();
        assert!(!deleted);
        let expected = serde_json::json!({
            "author": "ann", "modified": 2_000,
            "data": {"article": span.article.as_str(), "start": 0, "end": 5, "label": "claim",
                     "attributes": span.attributes, "created": 1_000}});
        assert_eq!(Value::Object(body.clone()), expected);
        let rev = Rev::parse("4-0123abcd").unwrap();
        let back: Value =
            serde_json::from_str(&wire_to_stored("span:s1", &body, &rev, false, &context).unwrap()).unwrap();
        let mut original: Value = serde_json::from_str(&stored).unwrap();
        original["_rev"] = Value::from("4-0123abcd");
        assert_eq!(back, original, "the stored form read through the project again");
        assert_eq!(stored_to_wire("span:s1", &back.to_string(), &context).unwrap().0, body);
    }

    #[test]
    fn deletions_links_articles_and_schemas_map_both_ways() {
        let (project, _) = project_and_span();
        let context = MappingContext::new(&project);
        let rev = Rev::parse("2-00000000").unwrap();
        let tombstone = stored_json(&Doc::<SpanBody>::tombstone("span:s1".to_string(), 9));
        let (body, deleted) = stored_to_wire("span:s1", &tombstone, &context).unwrap();
        assert!(deleted);
        assert_eq!(Value::Object(body.clone()), serde_json::json!({"modified": 9}));
        let back: Value =
            serde_json::from_str(&wire_to_stored("span:s1", &body, &rev, true, &context).unwrap()).unwrap();
        assert_eq!(back, serde_json::json!({"_rev": "2-00000000", "_deleted": true, "m": 9}));

        let relation = Relation {
            id: RelationId::from("r1"),
            relation_type: RelationTypeId::from("contradicts"),
            from: SpanId::from("s1"),
            to: SpanId::from("s2"),
            kind: Some("number".to_string()),
            note: "1 million vs 1.4 million".to_string(),
            author: "bob".to_string(),
            suggestion: None,
            created: 5,
            modified: 5,
            take_overs: Vec::new(),
        };
        let stored = stored_json(&RelationBody::doc(&relation));
        let (body, _) = stored_to_wire("rel:r1", &stored, &context).unwrap();
        assert_eq!(wire_data::<WireRelation>(&body).unwrap().relation_type, "contradicts");
        assert_eq!(body["data"]["type"], "contradicts");
        assert_eq!(body["data"]["note"], "1 million vs 1.4 million");
        assert_eq!(body["author"], "bob");
        let back = wire_to_stored("rel:r1", &body, &rev, false, &context).unwrap();
        assert_eq!(stored_to_wire("rel:r1", &back, &context).unwrap().0, body);

        let article = &project.articles()[0];
        let id = format!("{ARTICLE_PREFIX}{}", article.id);
        let stored = stored_json(&article_doc(article, 3));
        let (body, _) = stored_to_wire(&id, &stored, &context).unwrap();
        assert_eq!((body["data"]["title"].clone(), body["modified"].clone()), (Value::from("Rafah"), Value::from(3)));
        let back = wire_to_stored(&id, &body, &rev, false, &context).unwrap();
        assert_eq!(stored_to_wire(&id, &back, &context).unwrap().0, body);

        let labels = stored_json(&Doc::live(
            LABELS_ID.to_string(),
            "",
            4,
            LabelsBody { labels: project.labels().iter().map(Into::into).collect() },
        ));
        let (body, _) = stored_to_wire(LABELS_ID, &labels, &context).unwrap();
        assert_eq!(body["data"]["labels"][0]["id"], "claim");
        assert!(wire_to_stored(LABELS_ID, &body, &rev, false, &context).is_some());
    }

    #[test]
    fn what_does_not_replicate_or_parse_has_no_wire_form() {
        let (project, _) = project_and_span();
        let context = MappingContext::new(&project);
        assert!(stored_to_wire("settings", r#"{"_rev":"1-a","m":1,"d":{"annotator":"ann"}}"#, &context).is_none());
        assert!(stored_to_wire("span:s1", "not json", &context).is_none());
        assert!(stored_to_wire("span:s1", r#"{"_rev":"1-a","m":1}"#, &context).is_none(), "live without data");
        let rev = Rev::parse("1-a").unwrap();
        assert!(wire_to_stored(&text_id("a-1"), &text_body("Rafah"), &rev, false, &context).is_none());
        assert_eq!(text_body("Rafah"), text_body("Rafah"));
    }

    #[test]
    fn conflicts_on_annotations_metadata_and_schemas_are_shown_and_on_texts_and_order_not() {
        let shown = |id: &str| matches!(classify(id), Replication::Shared(kind) if kind.resolved_by_a_person());
        for id in ["span:s1", "rel:r1", "art:a-0123", "schema:labels", "schema:relation-types"] {
            assert!(shown(id), "{id}");
        }
        for id in ["text:a-0123", "project", "settings"] {
            assert!(!shown(id), "{id}");
        }
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
