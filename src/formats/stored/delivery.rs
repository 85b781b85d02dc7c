//! A delivery of documents — a batch the team server sent, or what another tab saved — merged
//! into the project, pass after pass until a pass merges nothing more.
//!
//! An item may arrive before what it names: a link before its spans, a span before its article
//! (whose text comes last in a large pull). Such an item waits, with what it waits for, and is
//! tried again as soon as that is in the project — later in the same delivery (the next pass) or
//! in a later delivery. A waiting item whose need is not met is not even parsed again, so a long
//! waiting list costs nothing per delivery; an item waiting for something unknown is retried once
//! per delivery. Nothing is dropped: what never becomes mergeable stays waiting.
//!
//! The writes come out in the order the items merged, which is dependency order (an article
//! before its spans, a span before the links naming it), so a store that keeps any prefix of
//! them holds a consistent project (see `journal::commit_in_chunks`).

use std::collections::{HashMap, HashSet};

use crate::domain::annotation::SpanId;
use crate::domain::article::Article;
use crate::domain::merge::{merge_item_into, Incoming, MergedInto};
use crate::domain::project::Project;
use crate::formats::stored::docs::{ArticleRefs, Envelope, ARTICLE_PREFIX};
use crate::formats::stored::incoming::incoming_with;
use crate::formats::stored::journal::Write;

/// What a waiting item needs before it can merge.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WaitsFor {
    /// An article, by the reference its span document holds (a whole id or its unique prefix).
    Article(String),
    Label(String),
    RelationType(String),
    Span(SpanId),
    /// Nothing this code can name (a span whose text does not match its article's): retried
    /// once per delivery.
    Unknown,
}

/// A document that could not merge yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingDocument {
    pub id: String,
    pub raw: String,
    pub waits_for: WaitsFor,
    /// Whether it is to be written to the store when it merges (the team server's; another
    /// tab's is there already).
    pub store: bool,
}

/// What merging (a slice of) a delivery gives.
#[derive(Debug, Default)]
pub struct Merged {
    /// Whether the project changed.
    pub changed: bool,
    /// The documents to store that changed the project, in the order they merged (dependency
    /// order).
    pub writes: Vec<Write>,
    /// Every document that changed the project `(id, raw)`, stored or not: what to merge again
    /// onto a project that changed meanwhile.
    pub changed_documents: Vec<(String, String)>,
    /// Every document now both in the project and in the store `(id, rev)`: what changed the
    /// project, and another tab's documents the project already held (that tab stored them).
    pub absorbed: Vec<(String, String)>,
    /// Documents that could not be read at all (skipped, each reported once), each with whether
    /// it was to be stored (the team server's).
    pub unreadable: Vec<(String, bool)>,
}

/// What merging a whole delivery gives.
#[derive(Debug, Default)]
pub struct Delivered {
    pub project: Project,
    pub changed: bool,
    pub writes: Vec<Write>,
    pub absorbed: Vec<(String, String)>,
    /// What still waits (for the next delivery).
    pub waiting: Vec<WaitingDocument>,
    pub unreadable: Vec<String>,
}

/// The most passes over one delivery: each pass after the first only retries items whose need
/// the previous pass met, so real chains (article → span → link) end in three or four.
const MAX_PASSES: usize = 64;

/// Merges `documents` (`(id, raw JSON)`, in any order, all to be stored) and every item of
/// `waiting` whose need is met into `project`, to the end. `articles` are the whole articles
/// (metadata and text) among the documents, each used for the `art:` document of its id.
pub fn merge_delivery(
    mut project: Project,
    documents: Vec<(String, String)>,
    articles: Vec<Article>,
    waiting: Vec<WaitingDocument>,
) -> Delivered {
    let mut merge = DeliveryMerge::new(&project, waiting);
    merge.add(documents, true, articles);
    let merged = merge.step(&mut project, usize::MAX);
    Delivered {
        project,
        changed: merged.changed,
        writes: merged.writes,
        absorbed: merged.absorbed,
        waiting: merge.into_waiting(),
        unreadable: merged.unreadable.into_iter().map(|(id, _)| id).collect(),
    }
}

/// Slices of a delivery merged onto a project that then changed (an edit between two slices,
/// in the browser), merged again onto the project as it now is, so the edit is kept and the
/// slices' documents land on it. `documents` are what those slices changed
/// ([`Merged::changed_documents`], already stored), `merged` the project they built (which
/// holds their articles whole). Returns the project and what waits on it (a link whose span the
/// edit deleted), for [`DeliveryMerge::wait`]; nothing is written again.
pub fn merge_again(
    onto: &Project,
    documents: &[(String, String)],
    merged: &Project,
) -> (Project, Vec<WaitingDocument>) {
    let articles = documents
        .iter()
        .filter_map(|(id, _)| merged.article(&id.strip_prefix(ARTICLE_PREFIX)?.into()))
        .map(|article| (**article).clone())
        .collect();
    let mut project = onto.clone();
    let mut again = DeliveryMerge::default();
    again.add(documents.to_vec(), false, articles);
    again.step(&mut project, usize::MAX);
    (project, again.into_waiting())
}

/// A delivery being merged, a slice at a time ([`DeliveryMerge::step`]), so a large one never
/// holds the main thread: between slices the project may change (an edit), and each slice
/// merges into the project as it then is.
#[derive(Debug, Default)]
pub struct DeliveryMerge {
    articles: HashMap<String, Article>,
    /// This pass's documents, next first (reversed).
    queue: Vec<(String, String, bool)>,
    still: Vec<WaitingDocument>,
    passes: usize,
    /// Whether this pass merged anything.
    progress: bool,
}

impl DeliveryMerge {
    /// A merge of what `waiting` holds whose need `project` meets (or that waits for something
    /// unknown); [`DeliveryMerge::add`] adds the delivery.
    pub fn new(project: &Project, waiting: Vec<WaitingDocument>) -> DeliveryMerge {
        let needs = Needs::of(project);
        let mut merge = DeliveryMerge::default();
        for item in waiting {
            if item.waits_for == WaitsFor::Unknown || needs.met(&item.waits_for) {
                merge.queue.push((item.id, item.raw, item.store));
            } else {
                merge.still.push(item);
            }
        }
        merge.queue.reverse();
        merge
    }

    /// Adds documents (`store`: to be written when they merge) to this pass, before what it
    /// still has to try.
    pub fn add(&mut self, documents: Vec<(String, String)>, store: bool, articles: Vec<Article>) {
        self.articles.extend(articles.into_iter().map(|article| (format!("{ARTICLE_PREFIX}{}", article.id), article)));
        self.queue.extend(documents.into_iter().rev().map(|(id, raw)| (id, raw, store)));
    }

    /// Whether every document has been tried as often as it can usefully be.
    pub fn is_done(&self) -> bool {
        self.queue.is_empty() && (!self.progress || self.passes + 1 >= MAX_PASSES)
    }

    /// Merges at most `budget` documents into `project`.
    pub fn step(&mut self, project: &mut Project, budget: usize) -> Merged {
        self.step_while(project, &mut |done| done < budget)
    }

    /// Merges documents into `project` while `go_on(documents tried so far)` says so (a time
    /// budget, in the browser).
    /// (`dyn`: one copy of the merge loop in the wasm, whatever the budget.)
    pub fn step_while(&mut self, project: &mut Project, go_on: &mut dyn FnMut(usize) -> bool) -> Merged {
        let mut out = Merged::default();
        let mut refs = References::default();
        let mut done = 0;
        while go_on(done) {
            let Some((id, raw, store)) = self.queue.pop() else {
                if !self.next_pass(project) {
                    break;
                }
                continue;
            };
            done += 1;
            match merge_one(project, &mut self.articles, &mut refs, &id, &raw) {
                One::Merged { changed, rev } => {
                    self.progress = true;
                    out.changed |= changed;
                    if changed {
                        if store {
                            out.writes.push(Write { id: id.clone(), json: Some(raw.clone()) });
                        }
                        out.changed_documents.push((id.clone(), raw));
                    }
                    // The server's copy of what the project already held is not written, so it
                    // says nothing of the store (which may not hold the item at all: the
                    // built-in articles before the first save); another tab's is stored.
                    if changed || !store {
                        out.absorbed.push((id, rev));
                    }
                }
                One::NotAnItem => {}
                One::Waiting(waits_for) => self.still.push(WaitingDocument { id, raw, waits_for, store }),
                One::Unreadable => out.unreadable.push((id, store)),
            }
        }
        out
    }

    /// Starts the next pass with what the last one made ready (never what waits for something
    /// unknown, which the last pass tried); `false` when there is none.
    fn next_pass(&mut self, project: &Project) -> bool {
        if !std::mem::take(&mut self.progress) || self.passes + 1 >= MAX_PASSES {
            return false;
        }
        self.passes += 1;
        let needs = Needs::of(project);
        let (ready, rest): (Vec<WaitingDocument>, Vec<WaitingDocument>) = std::mem::take(&mut self.still)
            .into_iter()
            .partition(|item| item.waits_for != WaitsFor::Unknown && needs.met(&item.waits_for));
        self.still = rest;
        self.queue = ready.into_iter().rev().map(|item| (item.id, item.raw, item.store)).collect();
        !self.queue.is_empty()
    }

    /// Adds documents that wait (merged once onto a project that then changed, and waiting on
    /// the new one: a link whose span was deleted meanwhile).
    pub fn wait(&mut self, waiting: Vec<WaitingDocument>) {
        self.still.extend(waiting);
    }

    /// What still waits, for the next delivery (a queue left after the last pass included).
    pub fn into_waiting(mut self) -> Vec<WaitingDocument> {
        let left = self.queue.into_iter().rev();
        self.still.extend(left.map(|(id, raw, store)| WaitingDocument {
            id,
            raw,
            waits_for: WaitsFor::Unknown,
            store,
        }));
        self.still
    }
}

/// What became of one document.
enum One {
    Merged {
        changed: bool,
        rev: String,
    },
    /// Not an item (this browser's own, the manifest, an article without its text).
    NotAnItem,
    Waiting(WaitsFor),
    Unreadable,
}

/// The project's article references, made again only when an article joined (merging never
/// removes one, and a new article's metadata keeps its id).
#[derive(Default)]
struct References {
    articles: usize,
    refs: Option<ArticleRefs>,
}

impl References {
    fn of(&mut self, project: &Project) -> &ArticleRefs {
        let count = project.articles().len();
        if self.refs.is_none() || self.articles != count {
            self.articles = count;
            self.refs = Some(ArticleRefs::of(project));
        }
        self.refs.get_or_insert_with(|| ArticleRefs::of(project))
    }
}

fn merge_one(
    project: &mut Project,
    articles: &mut HashMap<String, Article>,
    refs: &mut References,
    id: &str,
    raw: &str,
) -> One {
    let item = match articles.remove(id) {
        Some(article) => match serde_json::from_str::<Envelope>(raw) {
            Ok(envelope) => Some((Incoming::Article(article), envelope.rev)),
            Err(_) => return One::Unreadable,
        },
        None => match incoming_with(id, raw, project, refs.of(project)) {
            Ok(item) => item,
            Err(_) => return One::Unreadable,
        },
    };
    let Some((item, rev)) = item else { return One::NotAnItem };
    let waits_for = need_of(&item);
    match merge_item_into(project, item) {
        MergedInto::Changed => One::Merged { changed: true, rev },
        MergedInto::Unchanged => One::Merged { changed: false, rev },
        MergedInto::Waiting => One::Waiting(unmet(project, waits_for)),
    }
}

/// Everything an item could wait for, in the order `Project::validate_*` checks it.
fn need_of(item: &Incoming) -> Vec<WaitsFor> {
    match item {
        // The article of a span read while it is absent is the reference its document holds
        // (a whole id or a prefix of one): `ArticleRefs::resolve` keeps what it cannot find.
        Incoming::Span(span) => {
            vec![WaitsFor::Article(span.article.to_string()), WaitsFor::Label(span.label.to_string())]
        }
        Incoming::Relation(relation) => vec![
            WaitsFor::RelationType(relation.relation_type.to_string()),
            WaitsFor::Span(relation.from.clone()),
            WaitsFor::Span(relation.to.clone()),
        ],
        _ => Vec::new(),
    }
}

/// The first need the project does not meet; `Unknown` when it meets them all.
fn unmet(project: &Project, needs: Vec<WaitsFor>) -> WaitsFor {
    let met = |need: &WaitsFor| match need {
        WaitsFor::Article(reference) => {
            project.articles().iter().any(|article| article.id.as_str().starts_with(reference.as_str()))
        }
        other => Needs { project, article_refs: HashSet::new() }.met(other),
    };
    needs.into_iter().find(|need| !met(need)).unwrap_or(WaitsFor::Unknown)
}

/// What a project holds, for checking needs without parsing anything.
struct Needs<'a> {
    project: &'a Project,
    /// Every article's whole id and every prefix a span document may name it by.
    article_refs: HashSet<String>,
}

impl<'a> Needs<'a> {
    fn of(project: &'a Project) -> Needs<'a> {
        let mut article_refs = HashSet::new();
        for article in project.articles() {
            let id = article.id.as_str();
            for (index, _) in id.char_indices().skip(1) {
                article_refs.insert(id[..index].to_string());
            }
            article_refs.insert(id.to_string());
        }
        Needs { project, article_refs }
    }

    fn met(&self, need: &WaitsFor) -> bool {
        match need {
            WaitsFor::Article(reference) => self.article_refs.contains(reference),
            WaitsFor::Label(label) => self.project.label(label).is_some(),
            WaitsFor::RelationType(kind) => self.project.relation_type(kind).is_some(),
            WaitsFor::Span(span) => self.project.span(span).is_some(),
            WaitsFor::Unknown => false,
        }
    }
}

/// Native only: the property test uses proptest, a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "delivery_tests.rs"]
mod tests;
