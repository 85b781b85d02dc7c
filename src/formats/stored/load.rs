//! Documents back into a project, one document at a time: a document that does not parse or
//! does not fit (a span outside its article, a link to a missing span) is reported by its id and
//! left out; everything else loads.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::de::DeserializeOwned;

use crate::domain::annotation::{RelationId, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::history::{History, StoredHistory, StoredStep};
use crate::domain::project::{EditError, Project, RelationKey};
use crate::domain::schema;
use crate::domain::state::UiPosition;
use crate::formats::stored::docs::*;
use crate::formats::stored::STORE_SCHEMA_VERSION;
use crate::formats::FormatError;

/// A document left out of the load, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub id: String,
    pub why: String,
}

/// What a load gives.
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    pub position: UiPosition,
    pub history: History,
    /// The revision of every document read.
    pub revs: HashMap<String, String>,
    pub problems: Vec<Problem>,
}

/// Whether the documents are a version-2 store (its manifest exists).
pub fn is_store(documents: &BTreeMap<String, String>) -> bool {
    documents.contains_key(MANIFEST_ID)
}

/// The ids of the live articles, whose texts the load needs from IndexedDB.
pub fn needed_texts(documents: &BTreeMap<String, String>) -> Vec<ArticleId> {
    documents
        .range(ARTICLE_PREFIX.to_string()..)
        .take_while(|(id, _)| id.starts_with(ARTICLE_PREFIX))
        .filter(|(_, raw)| serde_json::from_str::<Envelope>(raw).is_ok_and(|envelope| !envelope.deleted))
        .map(|(id, _)| ArticleId(id[ARTICLE_PREFIX.len()..].to_string()))
        .collect()
}

fn with_prefix<'a>(
    documents: &'a BTreeMap<String, String>,
    prefix: &'a str,
) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
    documents.range(prefix.to_string()..).take_while(move |(id, _)| id.starts_with(prefix))
}

struct Reader<'a> {
    revs: HashMap<String, String>,
    problems: Vec<Problem>,
    documents: &'a BTreeMap<String, String>,
}

impl Reader<'_> {
    fn parse<Body: DeserializeOwned>(&mut self, id: &str, raw: &str) -> Option<Doc<Body>> {
        match serde_json::from_str::<Doc<Body>>(raw) {
            Ok(mut doc) => {
                doc.id = id.to_string();
                self.revs.insert(doc.id.clone(), doc.rev.clone());
                Some(doc)
            }
            Err(error) => {
                self.problem(id, &format!("it is not a readable document ({error})"));
                None
            }
        }
    }

    fn one<Body: DeserializeOwned>(&mut self, id: &str) -> Option<Doc<Body>> {
        let raw = self.documents.get(id)?;
        self.parse(id, raw)
    }

    fn problem(&mut self, id: &str, why: &str) {
        self.problems.push(Problem { id: id.to_string(), why: why.to_string() });
    }
}

/// Builds the project from version-2 documents and the article texts (by article id).
pub fn load(documents: &BTreeMap<String, String>, texts: &HashMap<ArticleId, Rc<str>>) -> Result<Loaded, FormatError> {
    let mut reader = Reader { revs: HashMap::new(), problems: Vec::new(), documents };
    let manifest: Doc<ManifestBody> = reader
        .one(MANIFEST_ID)
        .ok_or_else(|| FormatError::at(MANIFEST_ID, "the store's manifest is missing or unreadable"))?;
    let version = manifest.data.map_or(0, |body| body.schema_version);
    if version > STORE_SCHEMA_VERSION {
        return Err(FormatError::newer_version(version, STORE_SCHEMA_VERSION));
    }
    let mut project = Project::default();

    // Articles, in the project's order, then any the order does not name.
    let order = reader.one::<ProjectBody>(PROJECT_ID).and_then(|doc| doc.data).map(|body| body.articles);
    let mut articles = BTreeMap::new();
    for (id, raw) in with_prefix(documents, ARTICLE_PREFIX) {
        let Some(doc) = reader.parse::<ArticleBody>(id, raw) else { continue };
        let (Some(body), false) = (doc.data, doc.deleted) else { continue };
        let article_id = ArticleId(id[ARTICLE_PREFIX.len()..].to_string());
        let Some(text) = texts.get(&article_id) else {
            reader.problem(id, "its text is missing from IndexedDB");
            continue;
        };
        match article_from_body(&article_id, body, text) {
            Ok(article) => {
                articles.insert(article_id, article);
            }
            Err(why) => reader.problem(id, &why),
        }
    }
    for id in order.unwrap_or_default() {
        if let Some(article) = articles.remove(&id) {
            project.articles.push(Rc::new(article));
        }
    }
    project.articles.extend(articles.into_values().map(Rc::new));

    project.labels = reader
        .one::<LabelsBody>(LABELS_ID)
        .and_then(|doc| doc.data)
        .map_or_else(schema::default_labels, |body| body.labels);
    project.relation_types = reader
        .one::<RelationTypesBody>(RELATION_TYPES_ID)
        .and_then(|doc| doc.data)
        .map_or_else(schema::default_relation_types, |body| body.relation_types);
    for (index, label) in project.labels.iter().enumerate() {
        if !schema::is_valid_color(&label.color) {
            return Err(FormatError::at(&format!("{LABELS_ID}: labels[{index}].color"), "must be a #rrggbb colour"));
        }
    }
    for (index, kind) in project.relation_types.iter().enumerate() {
        if !schema::is_valid_color(&kind.color) {
            let field = format!("{RELATION_TYPES_ID}: relation_types[{index}].color");
            return Err(FormatError::at(&field, "must be a #rrggbb colour"));
        }
    }
    if let Some(settings) = reader.one::<SettingsBody>(SETTINGS_ID).and_then(|doc| doc.data) {
        project.settings = settings;
    }

    let tombstone = |project: &mut Project, id: &str, time: i64| {
        let entry = project.tombstones.entry(id.to_string()).or_insert(time);
        *entry = (*entry).max(time);
    };
    for (id, raw) in with_prefix(documents, SPAN_PREFIX) {
        let Some(doc) = reader.parse::<SpanBody>(id, raw) else { continue };
        let span_id = SpanId(id[SPAN_PREFIX.len()..].to_string());
        let Some(body) = doc.data.filter(|_| !doc.deleted) else {
            tombstone(&mut project, span_id.as_str(), doc.modified);
            continue;
        };
        let text =
            project.article(&body.article).and_then(|article| article.slice(body.start, body.end).map(str::to_string));
        let span = body.into_span(span_id, doc.author, doc.modified, text.clone().unwrap_or_default());
        let checked = match text {
            None if project.article(&span.article).is_none() => Err(EditError::UnknownArticle(span.article.clone())),
            None => Err(EditError::BadRange { start: span.start, end: span.end, length: 0 }),
            Some(_) => project.validate_span(&span),
        };
        match checked {
            Ok(()) => {
                project.spans.insert(span.id.clone(), Rc::new(span));
            }
            Err(error) => reader.problem(id, &error.to_string()),
        }
    }
    let mut links: BTreeMap<RelationKey, RelationId> = BTreeMap::new();
    for (id, raw) in with_prefix(documents, RELATION_PREFIX) {
        let Some(doc) = reader.parse::<RelationBody>(id, raw) else { continue };
        let relation_id = RelationId(id[RELATION_PREFIX.len()..].to_string());
        let Some(body) = doc.data.filter(|_| !doc.deleted) else {
            tombstone(&mut project, relation_id.as_str(), doc.modified);
            continue;
        };
        let relation = body.into_relation(relation_id, doc.author, doc.modified);
        let checked = project.validate_relation_ends(&relation).and_then(|symmetric| {
            match links.insert(RelationKey::new(&relation, symmetric), relation.id.clone()) {
                Some(existing) => Err(EditError::DuplicateRelation { existing }),
                None => Ok(()),
            }
        });
        match checked {
            Ok(()) => {
                project.relations.insert(relation.id.clone(), Rc::new(relation));
            }
            Err(error) => reader.problem(id, &error.to_string()),
        }
    }
    // A tombstone of an id that is live again (re-added after the deletion) is not one any more.
    let live = |project: &Project, id: &String| {
        project.spans.contains_key(&SpanId(id.clone())) || project.relations.contains_key(&RelationId(id.clone()))
    };
    let stale: Vec<String> = project.tombstones.keys().filter(|id| live(&project, id)).cloned().collect();
    for id in stale {
        project.tombstones.remove(&id);
    }
    for (id, raw) in with_prefix(documents, REJECTED_PREFIX) {
        let Some(doc) = reader.parse::<RejectedBody>(id, raw) else { continue };
        if let (Some(body), false) = (doc.data, doc.deleted) {
            project.rejected_suggestions.insert(body.key);
        }
    }

    let history =
        StoredHistory { undo: read_stack(&mut reader, UNDO_PREFIX), redo: read_stack(&mut reader, REDO_PREFIX) };
    let position =
        reader.one::<PositionBody>(POSITION_ID).and_then(|doc| doc.data).map(UiPosition::from).unwrap_or_default();
    Ok(Loaded {
        project,
        position,
        history: History::from_stored(history),
        revs: reader.revs,
        problems: reader.problems,
    })
}

/// The steps of one stack, oldest first: the unbroken run of chunks that ends at the newest.
fn read_stack(reader: &mut Reader<'_>, prefix: &str) -> Vec<StoredStep> {
    let mut chunks: Vec<HistoryChunkBody> = Vec::new();
    let documents = reader.documents;
    for (id, raw) in with_prefix(documents, prefix) {
        if let Some(body) = reader.parse::<HistoryChunkBody>(id, raw).and_then(|doc| doc.data) {
            chunks.push(body);
        }
    }
    chunks.sort_by_key(|chunk| chunk.first);
    let mut steps: Vec<StoredStep> = Vec::new();
    let mut next = None;
    for chunk in chunks {
        if next.is_some_and(|expected| expected != chunk.first) {
            steps.clear();
        }
        next = Some(chunk.first + chunk.steps.len());
        steps.extend(chunk.steps.into_iter().map(StoredStep::from));
    }
    steps
}
