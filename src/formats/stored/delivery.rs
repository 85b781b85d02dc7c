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
use crate::formats::stored::docs::{Envelope, ARTICLE_PREFIX};
use crate::formats::stored::incoming::incoming;
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
}

/// What merging a delivery gives.
#[derive(Debug, Default)]
pub struct Delivered {
    pub project: Project,
    /// Whether the project differs from the one given.
    pub changed: bool,
    /// The documents that changed the project, in the order they merged (dependency order).
    pub writes: Vec<Write>,
    /// Every document now reflected in the project `(id, rev)`, changed or already held.
    pub absorbed: Vec<(String, String)>,
    /// What still waits (for the next delivery).
    pub waiting: Vec<WaitingDocument>,
    /// Documents that could not be read at all (skipped, each reported once).
    pub unreadable: Vec<String>,
}

/// The most passes over one delivery: each pass after the first only retries items whose need
/// the previous pass met, so real chains (article → span → link) end in three or four.
const MAX_PASSES: usize = 64;

/// Merges `documents` (`(id, raw JSON)`, in any order) and every item of `waiting` whose need is
/// met into `project`. `articles` are the whole articles (metadata and text) among the documents,
/// each used for the `art:` document of its id.
pub fn merge_delivery(
    project: Project,
    documents: Vec<(String, String)>,
    articles: Vec<Article>,
    waiting: Vec<WaitingDocument>,
) -> Delivered {
    let mut articles: HashMap<String, Article> =
        articles.into_iter().map(|article| (format!("{ARTICLE_PREFIX}{}", article.id), article)).collect();
    let mut out = Delivered { project, ..Delivered::default() };
    let mut still: Vec<WaitingDocument> = Vec::new();
    // The first pass: every new document, and the waiting items whose need is met or unknown.
    let mut queue: Vec<(String, String)> = documents;
    let needs = Needs::of(&out.project);
    for item in waiting {
        if item.waits_for == WaitsFor::Unknown || needs.met(&item.waits_for) {
            queue.push((item.id, item.raw));
        } else {
            still.push(item);
        }
    }
    for _ in 0..MAX_PASSES {
        let mut progress = false;
        for (id, raw) in std::mem::take(&mut queue) {
            match merge_one(&mut out.project, &mut articles, &id, &raw) {
                One::Merged { changed, rev } => {
                    progress = true;
                    if changed {
                        out.changed = true;
                        out.writes.push(Write { id: id.clone(), json: Some(raw) });
                    }
                    out.absorbed.push((id, rev));
                }
                One::NotAnItem => {}
                One::Waiting(waits_for) => still.push(WaitingDocument { id, raw, waits_for }),
                One::Unreadable => out.unreadable.push(id),
            }
        }
        if !progress {
            break;
        }
        // The next pass: what the merged items made ready (never what waits for something unknown,
        // which this pass just tried).
        let needs = Needs::of(&out.project);
        let (ready, rest): (Vec<WaitingDocument>, Vec<WaitingDocument>) = std::mem::take(&mut still)
            .into_iter()
            .partition(|item| item.waits_for != WaitsFor::Unknown && needs.met(&item.waits_for));
        still = rest;
        if ready.is_empty() {
            break;
        }
        queue = ready.into_iter().map(|item| (item.id, item.raw)).collect();
    }
    // Only reached with a queue left after MAX_PASSES: kept, never dropped.
    still.extend(queue.into_iter().map(|(id, raw)| WaitingDocument { id, raw, waits_for: WaitsFor::Unknown }));
    out.waiting = still;
    out
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

fn merge_one(project: &mut Project, articles: &mut HashMap<String, Article>, id: &str, raw: &str) -> One {
    let item = match articles.remove(id) {
        Some(article) => match serde_json::from_str::<Envelope>(raw) {
            Ok(envelope) => Some((Incoming::Article(article), envelope.rev)),
            Err(_) => return One::Unreadable,
        },
        None => match incoming(id, raw, project) {
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

#[cfg(test)]
#[path = "delivery_tests.rs"]
mod tests;
