//! Documents back into a project, one document at a time: a document that does not parse or
//! does not fit (a span outside its article, a link to a missing span) is reported by its id and
//! left out; everything else loads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use serde::de::DeserializeOwned;

use crate::domain::annotation::{LabelId, RelationId, Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::attributes::LabelKeys;
use crate::domain::history::{History, HistoryStep, HistorySteps};
use crate::domain::ids::SuggestionKey;
use crate::domain::project::{EditError, Project, ProjectParts, RelationKey};
use crate::domain::schema;
use crate::domain::state::UiPosition;
use crate::formats::stored::docs::*;
use crate::formats::stored::save::{chunk_of, Chunk, HistoryBases, Revisions};
use crate::formats::stored::{prefixed, STORE_SCHEMA_VERSION};
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
    pub revs: Revisions,
    pub problems: Vec<Problem>,
    /// Where each loaded stack starts in the stored numbering of history chunks.
    pub history_bases: HistoryBases,
    /// The history chunk documents read (those `revs` holds), for
    /// [`SavedState::loaded`](crate::formats::stored::save::SavedState::loaded): found in the
    /// documents' two chunk ranges, not by testing every revision's id (a walk over 12,300 was
    /// ~4 ms of a new tab's load).
    pub stored_chunks: Vec<Chunk>,
    /// [`load_unread`]'s history documents, not read yet (`history` is then
    /// [`History::unread`], and `history_bases` and `stored_chunks` wait for [`read_history`]).
    pub unread_history: Option<UnreadHistory>,
}

/// The undo history's chunk documents as stored, `(id, document)`, not read yet.
#[derive(Clone, Debug, Default)]
pub struct UnreadHistory {
    undo: Vec<(String, String)>,
    redo: Vec<(String, String)>,
}

/// Documents a read left out, each with its stored text (to keep a copy of).
pub type LeftOut = Vec<(Problem, String)>;

/// The undo history [`read_history`] read, with what the load would have given with it.
#[derive(Debug)]
pub struct HistoryRead {
    pub history: History,
    pub bases: HistoryBases,
    /// The revision of each chunk document read.
    pub revs: Vec<(String, String)>,
    /// The chunk documents read, as [`Loaded::stored_chunks`].
    pub stored_chunks: Vec<Chunk>,
    /// The documents left out, each with its stored text.
    pub problems: LeftOut,
}

/// Whether the documents are a version-2 store (its manifest exists).
pub fn is_store(documents: &BTreeMap<String, String>) -> bool {
    documents.contains_key(MANIFEST_ID)
}

/// The ids of the live articles, whose texts the load needs from IndexedDB.
pub fn needed_texts(documents: &BTreeMap<String, String>) -> Vec<ArticleId> {
    prefixed(documents, ARTICLE_PREFIX)
        .filter(|(_, raw)| serde_json::from_str::<Envelope>(raw).is_ok_and(|envelope| !envelope.deleted))
        .map(|(id, _)| ArticleId::from(&id[ARTICLE_PREFIX.len()..]))
        .collect()
}

struct Reader<'a> {
    revs: Revisions,
    problems: Vec<Problem>,
    documents: &'a BTreeMap<String, String>,
}

impl Reader<'_> {
    fn parse<Body: DeserializeOwned>(&mut self, id: &str, raw: &str) -> Option<Doc<Body>> {
        match Doc::<Body>::read(raw) {
            Ok(mut doc) => {
                // The id is the key's (`doc.id` stays empty: nothing here reads it); the revision
                // moves into `revs` (12,000 documents: no copies).
                self.revs.insert(id.to_string(), std::mem::take(&mut doc.rev));
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

    /// Keeps a checked item, or reports document `id` with why it does not fit.
    fn keep<K, T>(&mut self, id: &str, checked: Result<(), EditError>, into: &mut Vec<(K, Rc<T>)>, key: K, item: T) {
        match checked {
            Ok(()) => into.push((key, Rc::new(item))),
            Err(error) => self.problem(id, &error.to_string()),
        }
    }

    fn problem(&mut self, id: &str, why: &str) {
        self.problems.push(Problem { id: id.to_string(), why: why.to_string() });
    }
}

/// The article texts a load builds from: by article id, and the ids whose text is known to match
/// its id (for [`load_texts`], those known already: it hashes the others; for [`load_unread`],
/// all of them: a text not named does not match, and its article is left out).
pub struct Texts<'a> {
    pub by_id: &'a HashMap<ArticleId, Rc<str>>,
    pub checked: &'a HashSet<ArticleId>,
}

/// Builds the project from version-2 documents and the article texts (by article id), hashing
/// every text against its id.
pub fn load(documents: &BTreeMap<String, String>, texts: &HashMap<ArticleId, Rc<str>>) -> Result<Loaded, FormatError> {
    load_texts(documents, &Texts { by_id: texts, checked: &HashSet::new() })
}

/// The ids of `texts` whose text matches its id: those in `checked`, and the others hashed.
pub fn matching_ids(texts: &HashMap<ArticleId, Rc<str>>, checked: &HashSet<ArticleId>) -> HashSet<ArticleId> {
    texts
        .iter()
        .filter(|(id, text)| checked.contains(*id) || ArticleId::for_text(text) == **id)
        .map(|(id, _)| id.clone())
        .collect()
}

/// [`load`], hashing only the texts not already checked.
pub fn load_texts(documents: &BTreeMap<String, String>, texts: &Texts<'_>) -> Result<Loaded, FormatError> {
    let checked = matching_ids(texts.by_id, texts.checked);
    let mut loaded = load_unread(documents, &Texts { by_id: texts.by_id, checked: &checked })?;
    if let Some(unread) = loaded.unread_history.take() {
        let read = read_history(&unread);
        loaded.history = read.history;
        loaded.history_bases = read.bases;
        loaded.revs.extend(read.revs);
        loaded.stored_chunks = read.stored_chunks;
        loaded.problems.extend(read.problems.into_iter().map(|(problem, _)| problem));
    }
    Ok(loaded)
}

/// [`load_texts`] but for the undo history, whose documents are kept as they are
/// ([`Loaded::unread_history`]) for [`read_history`]: the app reads them with its editing code,
/// after the first paint, so the first load does not carry their readers (every kind of edit's).
/// It hashes nothing: `texts.checked` names every text that matches its id ([`matching_ids`]).
pub fn load_unread(documents: &BTreeMap<String, String>, texts: &Texts<'_>) -> Result<Loaded, FormatError> {
    let mut reader = Reader {
        revs: Revisions::with_capacity_and_hasher(documents.len(), Default::default()),
        problems: Vec::new(),
        documents,
    };
    let manifest: Doc<ManifestBody> = reader
        .one(MANIFEST_ID)
        .ok_or_else(|| FormatError::at(MANIFEST_ID, "the store's manifest is missing or unreadable"))?;
    let version = manifest.data.map_or(0, |body| body.schema_version);
    if version > STORE_SCHEMA_VERSION {
        return Err(FormatError::newer_version(version, STORE_SCHEMA_VERSION));
    }
    let mut parts = ProjectParts::default();

    // Articles, in the project's order, then any the order does not name.
    let order = reader.one::<ProjectBody>(PROJECT_ID).and_then(|doc| doc.data).map(|body| body.articles);
    let mut articles = BTreeMap::new();
    for (id, raw) in prefixed(documents, ARTICLE_PREFIX) {
        let Some(doc) = reader.parse::<ArticleBody>(id, raw) else { continue };
        let (Some(body), false) = (doc.data, doc.deleted) else { continue };
        let article_id = ArticleId::from(&id[ARTICLE_PREFIX.len()..]);
        let Some(text) = texts.by_id.get(&article_id) else {
            reader.problem(id, "its text is missing from IndexedDB");
            continue;
        };
        if !texts.checked.contains(&article_id) {
            reader.problem(id, "its text does not match its id");
            continue;
        }
        let article = article_from_checked_body(&article_id, body, text);
        articles.insert(article_id, article);
    }
    for id in order.unwrap_or_default() {
        if let Some(article) = articles.remove(&ArticleId::from(id)) {
            parts.articles.push(Rc::new(article));
        }
    }
    parts.articles.extend(articles.into_values().map(Rc::new));

    parts.labels = reader
        .one::<LabelsBody>(LABELS_ID)
        .and_then(|doc| doc.data)
        .map_or_else(schema::default_labels, |body| body.labels.into_iter().map(Into::into).collect());
    parts.relation_types = reader
        .one::<RelationTypesBody>(RELATION_TYPES_ID)
        .and_then(|doc| doc.data)
        .map_or_else(schema::default_relation_types, |body| body.relation_types.into_iter().map(Into::into).collect());
    for (index, label) in parts.labels.iter().enumerate() {
        if !schema::is_valid_color(&label.color) {
            return Err(FormatError::at(&format!("{LABELS_ID}: labels[{index}].color"), "must be a #rrggbb colour"));
        }
    }
    for (index, kind) in parts.relation_types.iter().enumerate() {
        if !schema::is_valid_color(&kind.color) {
            let field = format!("{RELATION_TYPES_ID}: relation_types[{index}].color");
            return Err(FormatError::at(&field, "must be a #rrggbb colour"));
        }
    }
    if let Some(settings) = reader.one::<SettingsBody>(SETTINGS_ID).and_then(|doc| doc.data) {
        parts.settings = settings.into();
    }
    // Spans are checked against the articles and schemas, relations against the spans.
    let mut project = Project::from_parts(parts);
    let refs = ArticleRefs::of(&project);
    let label_keys: Vec<LabelKeys> = project.labels().iter().map(LabelKeys::of).collect();
    // Collected in key order and built in one go (inserting 10,000 spans one by one compared
    // ids down the tree each time: 8 % of a reload's build).
    let mut spans: Vec<(SpanId, Rc<Span>)> = Vec::new();
    let mut tombstones: BTreeMap<String, i64> = BTreeMap::new();
    let mut tombstone = |id: &str, time: i64| {
        let entry = tombstones.entry(id.to_string()).or_insert(time);
        *entry = (*entry).max(time);
    };
    for (id, raw) in prefixed(documents, SPAN_PREFIX) {
        if let Some(span) = read_span(&mut reader, &project, &refs, &label_keys, id, raw, &mut tombstone) {
            spans.push((span.id.clone(), Rc::new(span)));
        }
    }
    let mut parts = project.into_parts();
    parts.spans = spans.into_iter().collect();
    project = Project::from_parts(parts);
    let mut relations = Vec::new();
    let mut links: BTreeMap<RelationKey, RelationId> = BTreeMap::new();
    for (id, raw) in prefixed(documents, RELATION_PREFIX) {
        let Some(doc) = reader.parse::<RelationBody>(id, raw) else { continue };
        let relation_id = RelationId::from(&id[RELATION_PREFIX.len()..]);
        let Some(body) = doc.data.filter(|_| !doc.deleted) else {
            tombstone(relation_id.as_str(), doc.modified);
            continue;
        };
        let relation = body.into_relation(relation_id, doc.author, doc.modified);
        let checked = project.validate_relation_ends(&relation).and_then(|symmetric| {
            match links.insert(RelationKey::new(&relation, symmetric), relation.id.clone()) {
                Some(existing) => Err(EditError::DuplicateRelation { existing }),
                None => Ok(()),
            }
        });
        reader.keep(id, checked, &mut relations, relation.id.clone(), relation);
    }
    let mut parts = project.into_parts();
    parts.relations = relations.into_iter().collect();
    // A tombstone of an id that is live again (re-added after the deletion) is not one any more.
    tombstones.retain(|id, _| {
        !parts.spans.contains_key(&SpanId::from(id.as_str()))
            && !parts.relations.contains_key(&RelationId::from(id.as_str()))
    });
    parts.tombstones = tombstones;
    for (id, raw) in prefixed(documents, REJECTED_PREFIX) {
        let Some(doc) = reader.parse::<RejectedBody>(id, raw) else { continue };
        if doc.data.is_some() && !doc.deleted {
            parts.rejected_suggestions.insert(SuggestionKey::from(&id[REJECTED_PREFIX.len()..]));
        }
    }
    let project = Project::from_parts(parts);

    let position =
        reader.one::<PositionBody>(POSITION_ID).and_then(|doc| doc.data).map(UiPosition::from).unwrap_or_default();
    let stack = |prefix| prefixed(documents, prefix).map(|(id, raw)| (id.clone(), raw.clone())).collect::<Vec<_>>();
    let unread = UnreadHistory { undo: stack(UNDO_PREFIX), redo: stack(REDO_PREFIX) };
    let (history, unread_history) = match unread.undo.is_empty() && unread.redo.is_empty() {
        true => (History::default(), None),
        false => (History::unread(!unread.undo.is_empty(), !unread.redo.is_empty()), Some(unread)),
    };
    Ok(Loaded {
        project,
        position,
        history,
        stored_chunks: Vec::new(),
        revs: reader.revs,
        problems: reader.problems,
        history_bases: HistoryBases::default(),
        unread_history,
    })
}

/// Reads the undo history [`load_unread`] left unread. A chunk document that does not parse is
/// left out and reported, as [`load_texts`] does.
pub fn read_history(unread: &UnreadHistory) -> HistoryRead {
    let none = BTreeMap::new();
    let mut reader = Reader { revs: Revisions::default(), problems: Vec::new(), documents: &none };
    let (undo, undo_base) = read_stack(&mut reader, &unread.undo);
    let (redo, redo_base) = read_stack(&mut reader, &unread.redo);
    let documents = || unread.undo.iter().chain(&unread.redo);
    let stored_chunks = documents()
        .filter(|(id, _)| reader.revs.contains_key(id.as_str()))
        .filter_map(|(id, _)| chunk_of(id))
        .collect();
    let problems = std::mem::take(&mut reader.problems)
        .into_iter()
        .map(|problem| {
            let raw = documents().find(|(id, _)| *id == problem.id).map(|(_, raw)| raw.clone()).unwrap_or_default();
            (problem, raw)
        })
        .collect();
    HistoryRead {
        history: History::from_stored(HistorySteps { undo, redo }),
        bases: HistoryBases { undo: undo_base, redo: redo_base },
        revs: reader.revs.into_iter().collect(),
        stored_chunks,
        problems,
    }
}

/// Span document `id`: the span, or `None` for a tombstone (handed to `tombstone`) or a document
/// that does not parse or fit (reported). A function of its own, called per document, so that V8
/// optimises it during a load (ARCHITECTURE.md, "Long loops run as many calls").
#[inline(never)]
fn read_span(
    reader: &mut Reader<'_>,
    project: &Project,
    refs: &ArticleRefs,
    label_keys: &[LabelKeys],
    id: &str,
    raw: &str,
    tombstone: &mut impl FnMut(&str, i64),
) -> Option<Span> {
    let doc = reader.parse::<SpanBody>(id, raw)?;
    let span_id = SpanId::from(&id[SPAN_PREFIX.len()..]);
    let Some(body) = doc.data.filter(|_| !doc.deleted) else {
        tombstone(span_id.as_str(), doc.modified);
        return None;
    };
    let article_id = body.article_id(refs);
    let article = project.article(&article_id);
    // Shared with the article's text: no copy per span.
    let text = article.and_then(|article| article.span_text(body.start, body.end));
    // The label and its keys (`label_keys` is in the project's label order).
    let label = project.labels().iter().zip(label_keys).find(|(label, _)| label.id == *body.label);
    // What `Project::validate_span` checks, in its order, but the text: it is the article's own
    // slice.
    let checked = match (article, &text) {
        (None, _) => Err(EditError::UnknownArticle(article_id.clone())),
        (Some(article), None) => {
            Err(EditError::BadRange { start: body.start, end: body.end, length: article.char_len() })
        }
        (Some(_), Some(_)) if label.is_none() => Err(EditError::UnknownLabel(LabelId::from(body.label.clone()))),
        (Some(article), Some(_)) if body.start >= body.end => {
            Err(EditError::BadRange { start: body.start, end: body.end, length: article.char_len() })
        }
        (Some(_), Some(_)) => Ok(()),
    };
    match checked {
        Ok(()) => Some(body.into_span(span_id, doc.author, doc.modified, article_id, text.unwrap_or_default(), label)),
        Err(error) => {
            reader.problem(id, &error.to_string());
            None
        }
    }
}

/// The steps of one stack, oldest first: the unbroken run of chunks that ends at the newest; and
/// the stored depth of its oldest step.
fn read_stack(reader: &mut Reader<'_>, documents: &[(String, String)]) -> (Vec<HistoryStep>, usize) {
    let mut chunks: Vec<HistoryChunkBody<'static>> = Vec::new();
    for (id, raw) in documents {
        if let Some(body) = reader.parse::<HistoryChunkBody>(id, raw).and_then(|doc| doc.data) {
            chunks.push(body);
        }
    }
    crate::domain::sorting::sort_by_key(&mut chunks, |chunk| chunk.first);
    let mut steps: Vec<HistoryStep> = Vec::new();
    let mut next = None;
    let mut base = 0;
    for chunk in chunks {
        if next.is_none() || next.is_some_and(|expected| expected != chunk.first) {
            steps.clear();
            base = chunk.first;
        }
        next = Some(chunk.first + chunk.steps.len());
        let chunk_steps =
            HistorySteps::from(crate::formats::stored::StoredHistory { undo: chunk.steps, redo: Vec::new() });
        steps.extend(chunk_steps.undo);
    }
    (steps, base)
}
