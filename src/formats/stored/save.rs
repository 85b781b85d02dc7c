//! What a change writes: the documents that differ from the last save, and nothing else.
//!
//! [`SavedState`] remembers what was last written (the project and history as values, sharing
//! their `Rc`s with the app's state, and each document's revision). [`plan`] compares the current
//! project with it — pointers first, so 10,000 unchanged spans cost a pointer comparison each —
//! and returns the writes in dependency order: articles and schemas before the spans that use
//! them, spans before their relations, relation tombstones before span tombstones.

use crate::domain::shared_map::SharedMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use serde::Serialize;

use crate::domain::annotation::{RelationId, Span, SpanId};
use crate::domain::history::{History, StepView};
use crate::domain::project::trail::differing;
use crate::domain::project::{Project, ProjectParts};
use crate::domain::sorting::InsertEach;
use crate::domain::state::UiPosition;
use crate::formats::stored::docs::*;
use crate::formats::stored::journal::Write;
use crate::formats::stored::load::{read_history, LeftOut, UnreadHistory};
use crate::formats::stored::{StoredEdit, StoredSettings, StoredStep, StoredUiPosition};
use crate::formats::stored::{HISTORY_CHUNK, HISTORY_STEPS};

/// A chunk's content identity: the identity of its newest step and how many steps it holds.
type ChunkKey = (usize, usize);
/// A chunk document: redo (or undo) stack, and its number (its id is [`chunk_id`] of it).
pub(super) type Chunk = (bool, usize);

/// The revision of each stored document, by id: 12,300 of them for the benchmark project, every
/// one inserted by a load, so hashed with foldhash (std's SipHash was ~3 ms of a new tab's load).
pub type Revisions = HashMap<String, String, foldhash::fast::RandomState>;

/// What the store holds, as last written.
#[derive(Clone, Debug, Default)]
pub struct SavedState {
    pub project: Project,
    pub history: History,
    pub position: Option<UiPosition>,
    /// The current revision of every document written or read.
    pub revs: Revisions,
    chunks: BTreeMap<Chunk, ChunkKey>,
    /// Whether the manifest has been written.
    pub has_manifest: bool,
    /// Where the in-memory history starts in the stored numbering (see [`HistoryBases`]).
    bases: HistoryBases,
    /// The stored undo history a load left unread ([`load_unread`]), until
    /// [`SavedState::read_history`] reads it; meanwhile saves leave it as it is.
    pub unread_history: Option<UnreadHistory>,
}

/// The stored depth of the oldest step of each stack in memory: a stack stored after its oldest
/// steps were dropped (more than [`HISTORY_STEPS`]) loads from a chunk numbered above 0, and its
/// steps keep their stored numbers, so a save after a load rewrites none of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryBases {
    pub undo: usize,
    pub redo: usize,
}

impl HistoryBases {
    fn of(&self, redo: bool) -> usize {
        if redo {
            self.redo
        } else {
            self.undo
        }
    }
}

impl SavedState {
    /// After a load: what is stored is what was loaded, the history chunks included (a chunk is
    /// known by the identity of its newest step, which the loaded history gives), so the first
    /// save writes only what changed. A stored chunk the loaded history does not hold (a broken
    /// run left out) is written over or removed at the first save. `stored_chunks` are the chunk
    /// documents the load read ([`crate::formats::stored::load::Loaded::stored_chunks`]).
    pub fn loaded(
        project: Project,
        history: History,
        position: UiPosition,
        revs: Revisions,
        bases: HistoryBases,
        stored_chunks: &[Chunk],
    ) -> SavedState {
        let chunks: BTreeMap<Chunk, ChunkKey> = stored_chunks.iter().map(|chunk| (*chunk, (0, 0))).into_map();
        let mut saved = SavedState {
            project,
            history,
            position: Some(position),
            revs,
            chunks,
            has_manifest: true,
            bases,
            unread_history: None,
        };
        saved.key_chunks();
        saved
    }

    /// Gives each stored chunk the content identity of the history's steps it holds.
    fn key_chunks(&mut self) {
        for redo in [false, true] {
            for (chunk, key, _) in history_chunks(&stack_views(&self.history, redo), self.bases.of(redo)) {
                if let Some(stored) = self.chunks.get_mut(&(redo, chunk)) {
                    *stored = key;
                }
            }
        }
    }

    /// Reads the stored undo history a load left unread ([`SavedState::unread_history`]), as
    /// [`SavedState::loaded`] would have known it: the history for the app's state (whose unread
    /// one it replaces) and the chunk documents left out, with their text. `None` when nothing
    /// was left unread.
    pub fn read_history(&mut self) -> Option<(History, LeftOut)> {
        let unread = self.unread_history.take()?;
        let read = read_history(&unread);
        self.history = read.history.clone();
        self.bases = read.bases;
        self.revs.extend(read.revs);
        self.chunks.extend(read.stored_chunks.into_iter().map(|chunk| (chunk, (0, 0))));
        self.key_chunks();
        Some((read.history, read.problems))
    }
}

/// The writes of one save, and what the saved state becomes once they are all written.
#[derive(Debug, Default)]
pub struct Plan {
    pub writes: Vec<Write>,
    revs: Vec<(String, String)>,
    chunks: BTreeMap<Chunk, ChunkKey>,
}

impl Plan {
    fn write<Body: Serialize>(&mut self, saved: &SavedState, doc: Doc<Body>) {
        let previous = saved.revs.get(&doc.id).map(String::as_str);
        let (json, rev) = doc.to_json_with_rev(previous);
        self.revs.push((doc.id.clone(), rev));
        self.writes.push(Write { id: doc.id, json: Some(json) });
    }

    /// Bytes (UTF-16 code units) of the documents this plan writes.
    pub fn written_units(&self) -> usize {
        self.writes.iter().filter_map(|write| write.json.as_ref()).map(|json| json.encode_utf16().count()).sum()
    }
}

impl SavedState {
    /// Records a plan as written.
    pub fn commit(&mut self, plan: Plan, project: &Project, history: &History, position: &UiPosition) {
        for (id, rev) in plan.revs {
            self.revs.insert(id, rev);
        }
        for write in &plan.writes {
            if write.json.is_none() {
                self.revs.remove(&write.id);
            }
            if write.id == MANIFEST_ID {
                self.has_manifest = true;
            }
        }
        self.chunks = plan.chunks;
        self.project = project.clone();
        // (An unread history's save left the stacks as stored: what was known of them stays.)
        if !history.is_unread() {
            self.history = history.clone();
        }
        self.position = Some(position.clone());
    }

    /// Plans the saves of a tag (a copy of the project's first span under a new id) and of its
    /// undo, with their journals, as [`plan`] and [`commit`] would make them over this state
    /// reduced to that span; `self` is left as it is and nothing is written anywhere. Returns
    /// the ids the two saves would write.
    ///
    /// The app runs it once after a load, in idle time: a browser compiles WebAssembly one
    /// function at a time, the first time it is called, so the first save after every load paid
    /// for compiling the save's code (5–6 ms of a save that takes 0.5 ms after, in `make bench`).
    /// The code a save runs does not depend on the project's size, so the rehearsal uses one span
    /// and does not copy the span map.
    ///
    /// [`commit`]: crate::formats::stored::journal::commit
    pub fn rehearse_edit(&self, now: i64) -> Vec<String> {
        use crate::domain::project::Edit;
        use crate::formats::stored::journal::journal_json;
        let Some(first) = self.project.spans().values().next() else { return Vec::new() };
        let position = self.position.clone().unwrap_or_default();
        let mut small = self.project.without_annotations();
        if small.apply(Edit::AddSpan(Span::clone(first)), now).is_err() {
            return Vec::new();
        }
        // No revisions and no position known: the tag's plan writes every kind of document once.
        let mut saved = SavedState::loaded(
            small.clone(),
            History::default(),
            position.clone(),
            Revisions::default(),
            self.bases,
            &[],
        );
        saved.position = None;
        let copy = Span { id: SpanId::from(format!("{}~rehearsal", first.id).as_str()), ..Span::clone(first) };
        let mut tagged = small;
        let Ok(tag_history) = History::default().apply(&mut tagged, Edit::AddSpan(copy), now) else {
            return Vec::new();
        };
        let tag = plan(&saved, &tagged, &position, &tag_history, now);
        let _ = journal_json(&tag.writes);
        let mut after_tag = saved;
        let tag_ids: Vec<String> = tag.writes.iter().map(|write| write.id.clone()).collect();
        after_tag.commit(tag, &tagged, &tag_history, &position);
        let mut undone = tagged;
        let Ok(Some(undo_history)) = tag_history.undo(&mut undone, now) else { return Vec::new() };
        let undo = plan(&after_tag, &undone, &position, &undo_history, now);
        let _ = journal_json(&undo.writes);
        tag_ids.into_iter().chain(undo.writes.into_iter().map(|write| write.id)).collect()
    }
}

impl SavedState {
    /// Records the items another tab (or the team server) wrote — documents `(id, rev)` — as
    /// stored, taking them from `merged`, so that the next save does not write them back. The saved
    /// project is taken apart once for all of them (once per document copied the span map each
    /// time: a pull of 1,000 documents copied 10,000 spans 1,000 times).
    pub fn absorb(&mut self, merged: &Project, documents: &[(String, String)]) {
        if documents.is_empty() {
            return;
        }
        let mut parts = std::mem::take(&mut self.project).into_parts();
        let mut changed = ItemsAbsorbed::default();
        for (id, rev) in documents {
            absorb_one(&mut parts, merged, id, &mut changed);
            self.revs.insert(id.clone(), rev.clone());
        }
        if changed.spans {
            // A span merged away takes its links with it.
            parts.relations.retain(|id, _| merged.relations().contains_key(id));
        }
        if changed.spans || changed.relations {
            parts.tombstones = merged.tombstones().clone();
        }
        self.project = Project::from_parts(parts);
    }
}

/// Which kinds of item an absorb took.
#[derive(Default)]
struct ItemsAbsorbed {
    spans: bool,
    relations: bool,
}

/// [`SavedState::absorb`] of one document into the saved project's parts.
fn absorb_one(parts: &mut ProjectParts, merged: &Project, id: &str, changed: &mut ItemsAbsorbed) {
    if let Some(span) = id.strip_prefix(SPAN_PREFIX) {
        let span = SpanId::from(span);
        match merged.span(&span) {
            Some(item) => parts.spans.insert(span, item.clone()),
            None => parts.spans.remove(&span),
        };
        changed.spans = true;
    } else if let Some(relation) = id.strip_prefix(RELATION_PREFIX) {
        let relation = RelationId::from(relation);
        match merged.relation(&relation) {
            Some(item) => parts.relations.insert(relation, item.clone()),
            None => parts.relations.remove(&relation),
        };
        changed.relations = true;
    } else if let Some(article) = id.strip_prefix(ARTICLE_PREFIX) {
        // Only this article's metadata counts as saved: the order is the project document's.
        let article = crate::domain::article::ArticleId::from(article);
        if let Some(item) = merged.article(&article) {
            match parts.articles.iter_mut().find(|old| old.id == article) {
                Some(old) => *old = item.clone(),
                // Put first, so that the saved order differs from the project's and the next
                // save writes the project document (the order) naming the new article.
                None => parts.articles.insert(0, item.clone()),
            }
        }
    } else if id.starts_with(REJECTED_PREFIX) {
        parts.rejected_suggestions = merged.rejected_suggestions().clone();
    } else if id == LABELS_ID {
        parts.labels = merged.labels().to_vec();
    } else if id == RELATION_TYPES_ID {
        parts.relation_types = merged.relation_types().to_vec();
    } else if id == SETTINGS_ID {
        parts.settings = merged.settings().clone();
    }
}

/// Items of two sorted maps whose values differ (by pointer, then by value). `same_key` says
/// whether two keys share their text by pointer: an item both maps share (the same key and value
/// pointers, as after an edit elsewhere) costs two pointer comparisons, not a string comparison
/// (10,000 of those were most of a save's time).
fn changed<'a, K: Ord, T: PartialEq>(
    before: &'a SharedMap<K, Rc<T>>,
    after: &'a SharedMap<K, Rc<T>>,
    same_key: fn(&K, &K) -> bool,
) -> (Vec<&'a Rc<T>>, Vec<&'a K>) {
    let mut upserts = Vec::new();
    let mut removed = Vec::new();
    if std::ptr::eq(before, after) {
        // The same shared map (a save of the view position or of another kind of item): no walk.
        return (upserts, removed);
    }
    let mut old = before.iter().peekable();
    let mut new = after.iter().peekable();
    loop {
        match (old.peek(), new.peek()) {
            (Some((old_key, old_value)), Some((new_key, new_value)))
                if Rc::ptr_eq(old_value, new_value) && same_key(old_key, new_key) =>
            {
                old.next();
                new.next();
            }
            (Some((old_key, old_value)), Some((new_key, new_value))) => match old_key.cmp(new_key) {
                std::cmp::Ordering::Less => {
                    removed.push(*old_key);
                    old.next();
                }
                std::cmp::Ordering::Greater => {
                    upserts.push(*new_value);
                    new.next();
                }
                std::cmp::Ordering::Equal => {
                    if !Rc::ptr_eq(old_value, new_value) && old_value != new_value {
                        upserts.push(*new_value);
                    }
                    old.next();
                    new.next();
                }
            },
            (Some((old_key, _)), None) => {
                removed.push(*old_key);
                old.next();
            }
            (None, Some((_, new_value))) => {
                upserts.push(*new_value);
                new.next();
            }
            (None, None) => break,
        }
    }
    (upserts, removed)
}

/// [`changed`] over the given keys only (those an edit touched): what is in `after` and differs
/// from `before`, and what `before` held that `after` does not.
fn changed_among<'a, K: Ord, T: PartialEq>(
    before: &'a SharedMap<K, Rc<T>>,
    after: &'a SharedMap<K, Rc<T>>,
    keys: &'a BTreeSet<K>,
) -> (Vec<&'a Rc<T>>, Vec<&'a K>) {
    let mut upserts = Vec::new();
    let mut removed = Vec::new();
    for (key, _, new) in differing(before, after, keys) {
        match new {
            Some(new) => upserts.push(new),
            None => removed.push(key),
        }
    }
    (upserts, removed)
}

/// The chunk a history document id names.
pub(super) fn chunk_of(id: &str) -> Option<Chunk> {
    let (redo, number) = match id.strip_prefix(UNDO_PREFIX) {
        Some(number) => (false, number),
        None => (true, id.strip_prefix(REDO_PREFIX)?),
    };
    number.parse().ok().map(|number| (redo, number))
}

/// The writes that take the store from `saved` to the given state.
pub fn plan(saved: &SavedState, project: &Project, position: &UiPosition, history: &History, now: i64) -> Plan {
    let mut plan = Plan::default();
    let before = &saved.project;
    if !saved.has_manifest {
        plan.write(saved, Doc::live(MANIFEST_ID.to_string(), "", now, ManifestBody::current()));
    }
    let author = project.settings().annotator.as_str();

    // Articles and schemas first: spans refer to them.
    // The same shared list as at the last save (every edit but an article's): no walk (each
    // article looked up by id in the other list was 40,000 comparisons over 200 articles).
    let same_articles = std::ptr::eq(project.articles(), before.articles());
    let ids = |project: &Project| project.articles().iter().map(|article| article.id.clone()).collect::<Vec<_>>();
    for article in project.articles().iter().filter(|_| !same_articles) {
        let unchanged = before.article(&article.id).is_some_and(|old| Rc::ptr_eq(old, article) || old == article);
        if !unchanged {
            plan.write(saved, article_doc(article, now));
        }
    }
    if (!same_articles && ids(project) != ids(before)) || !saved.revs.contains_key(PROJECT_ID) {
        let order = ids(project);
        plan.write(
            saved,
            Doc::live(
                PROJECT_ID.to_string(),
                author,
                now,
                ProjectBody { articles: order.iter().map(|id| id.as_str().to_string()).collect() },
            ),
        );
    }
    if project.labels() != before.labels() || !saved.revs.contains_key(LABELS_ID) {
        let body = LabelsBody { labels: project.labels().iter().map(Into::into).collect() };
        plan.write(saved, Doc::live(LABELS_ID.to_string(), author, now, body));
    }
    if project.relation_types() != before.relation_types() || !saved.revs.contains_key(RELATION_TYPES_ID) {
        let body = RelationTypesBody { relation_types: project.relation_types().iter().map(Into::into).collect() };
        plan.write(saved, Doc::live(RELATION_TYPES_ID.to_string(), author, now, body));
    }
    if project.settings() != before.settings() || !saved.revs.contains_key(SETTINGS_ID) {
        let body = StoredSettings::from(project.settings());
        plan.write(saved, Doc::live(SETTINGS_ID.to_string(), author, now, body));
    }

    let deleted_at = |id: &str| project.tombstones().get(id).copied().unwrap_or(now);
    // The spans and relations the edits since the last save touched, from the project's trail;
    // the whole maps are compared only when it cannot say (a project loaded, merged or imported).
    let touched = project.trail().since(before.trail());
    let ((spans, removed_spans), (relations, removed_relations)) = match &touched {
        Some(touched) => (
            changed_among(before.spans(), project.spans(), &touched.spans),
            changed_among(before.relations(), project.relations(), &touched.relations),
        ),
        None => (
            changed(before.spans(), project.spans(), |old, new| std::ptr::eq(old.as_str(), new.as_str())),
            changed(before.relations(), project.relations(), |old, new| std::ptr::eq(old.as_str(), new.as_str())),
        ),
    };
    // A span's attribute values are stored by its label's order and defaults: a changed label
    // rewrites its spans in the same save.
    let relabelled: BTreeSet<&str> = project
        .labels()
        .iter()
        .filter(|label| before.label(label.id.as_str()).is_some_and(|old| old != *label))
        .map(|label| label.id.as_str())
        .into_set();
    let mut spans = spans;
    if !relabelled.is_empty() {
        let written: BTreeSet<&SpanId> = spans.iter().map(|span| &span.id).into_set();
        let more: Vec<&Rc<Span>> = project
            .spans()
            .values()
            .filter(|span| relabelled.contains(span.label.as_str()) && !written.contains(&span.id))
            .collect();
        spans.extend(more);
    }
    if !spans.is_empty() {
        let refs = ArticleRefs::of_articles(project, spans.iter().map(|span| &span.article));
        for span in spans {
            plan.write(saved, SpanBody::doc(span, project.label(span.label.as_str()), &refs));
        }
    }
    for relation in relations {
        plan.write(saved, RelationBody::doc(relation));
    }
    for id in &removed_relations {
        let doc: Doc<RelationBody> = Doc::tombstone(format!("{RELATION_PREFIX}{id}"), deleted_at(id.as_str()));
        plan.write(saved, doc);
    }
    for id in &removed_spans {
        let doc: Doc<SpanBody> = Doc::tombstone(format!("{SPAN_PREFIX}{id}"), deleted_at(id.as_str()));
        plan.write(saved, doc);
    }
    // Tombstones of items this store never held (a migrated file, another tab's deletions):
    // the id alone does not say whether it was a span or a link, so both are written.
    let removed: BTreeSet<&str> =
        removed_spans.iter().map(|id| id.as_str()).chain(removed_relations.iter().map(|id| id.as_str())).into_set();
    // The same shared map as at the last save (most edits): nothing new in it, no walk.
    let new_tombstones =
        if std::ptr::eq(before.tombstones(), project.tombstones()) { None } else { Some(project.tombstones()) };
    for (id, time) in new_tombstones.into_iter().flatten() {
        if removed.contains(id.as_str()) || before.tombstones().get(id) == Some(time) {
            continue;
        }
        let span_id = format!("{SPAN_PREFIX}{id}");
        let relation_id = format!("{RELATION_PREFIX}{id}");
        if project.spans().contains_key(&SpanId::from(id)) || project.relations().contains_key(&RelationId::from(id)) {
            continue;
        }
        let span_known = saved.revs.contains_key(&span_id);
        let relation_known = saved.revs.contains_key(&relation_id);
        if span_known || !relation_known {
            plan.write(saved, Doc::<SpanBody>::tombstone(span_id, *time));
        }
        if relation_known || !span_known {
            plan.write(saved, Doc::<RelationBody>::tombstone(relation_id, *time));
        }
    }
    for article in before.articles() {
        if project.article(&article.id).is_none() {
            plan.write(saved, Doc::<ArticleBody>::tombstone(format!("{ARTICLE_PREFIX}{}", article.id), now));
        }
    }

    // Rejected suggestions: one document each, a tombstone when un-rejected.
    for key in project.rejected_suggestions().difference(before.rejected_suggestions()) {
        plan.write(saved, Doc::live(format!("{REJECTED_PREFIX}{key}"), author, now, RejectedBody {}));
    }
    for key in before.rejected_suggestions().difference(project.rejected_suggestions()) {
        plan.write(saved, Doc::<RejectedBody>::tombstone(format!("{REJECTED_PREFIX}{key}"), now));
    }

    // This browser's own documents: the undo history, left as it is stored while it is not read.
    if history.is_unread() {
        plan.chunks = saved.chunks.clone();
    } else {
        for redo in [false, true] {
            plan_history(&mut plan, saved, redo, &stack_views(history, redo), now);
        }
        let stale: Vec<Chunk> = saved.chunks.keys().filter(|chunk| !plan.chunks.contains_key(chunk)).copied().collect();
        for (redo, chunk) in stale {
            plan.writes.push(Write { id: chunk_id(redo, chunk * HISTORY_CHUNK), json: None });
        }
    }
    if saved.position.as_ref() != Some(position) {
        plan.write(saved, Doc::live(POSITION_ID.to_string(), "", now, StoredUiPosition::from(position)));
    }
    plan
}

/// The steps of one stack a save looks at, newest first: the kept ones and one chunk more.
fn stack_views(history: &History, redo: bool) -> Vec<StepView<'_>> {
    let limit = HISTORY_STEPS + HISTORY_CHUNK;
    if redo {
        history.redo_views(limit)
    } else {
        history.undo_views(limit)
    }
}

/// The kept chunks of a stack, oldest first: each chunk's number (in the stored numbering, the
/// in-memory depth plus `base`), its content identity, and its steps (newest first). Whole chunks
/// only: the oldest kept chunk is the one holding step `top - HISTORY_STEPS`, and the views reach
/// one chunk further back, so it is complete.
fn history_chunks<'v, 'h>(views: &'v [StepView<'h>], base: usize) -> Vec<(usize, ChunkKey, &'v [StepView<'h>])> {
    let Some(newest) = views.first() else { return Vec::new() };
    let first_chunk = (base + newest.depth + 1).saturating_sub(HISTORY_STEPS) / HISTORY_CHUNK;
    // Views are newest first, so each chunk's steps are a run of them; oldest chunk first.
    let by_chunk =
        views.chunk_by(|newer, older| (base + newer.depth) / HISTORY_CHUNK == (base + older.depth) / HISTORY_CHUNK);
    let mut chunks: Vec<_> = by_chunk
        .map(|steps| ((base + steps[0].depth) / HISTORY_CHUNK, (steps[0].identity, steps.len()), steps))
        .filter(|(chunk, _, _)| *chunk >= first_chunk)
        .collect();
    chunks.reverse();
    chunks
}

/// Chunks of the newest [`HISTORY_STEPS`] steps (whole chunks, so up to a chunk more is kept); only
/// chunks whose newest step or length changed are written.
fn plan_history(plan: &mut Plan, saved: &SavedState, redo: bool, views: &[StepView<'_>], now: i64) {
    let base = saved.bases.of(redo);
    for (chunk, key, steps) in history_chunks(views, base) {
        plan.chunks.insert((redo, chunk), key);
        if saved.chunks.get(&(redo, chunk)) == Some(&key) {
            continue;
        }
        let id = chunk_id(redo, chunk * HISTORY_CHUNK);
        let mut stored: Vec<StoredStep<'_>> = steps
            .iter()
            .map(|view| StoredStep {
                edit: StoredEdit::from(view.edit),
                group: view.group.map(std::borrow::Cow::Borrowed),
                at: view.at,
            })
            .collect();
        stored.reverse();
        let first = base + steps.last().map_or(0, |view| view.depth);
        plan.write(saved, Doc::live(id, "", now, HistoryChunkBody { first, steps: stored }));
    }
}
