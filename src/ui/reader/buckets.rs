//! Spans and link counts per paragraph, kept between renders and patched after an edit.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::segments::{reading_order_changes, spans_by_paragraph, update_buckets, RecentArticleSpans};
use crate::ui::state::AppContext;

/// How many links touch each span. A hash map: the reader looks up every span of an article in it
/// (10,000 lookups on a switch to the benchmark's big article: 4.8 ms of a profiled switch in a
/// `BTreeMap`, comparing ids down the tree; 2.4 ms here).
pub type LinkCounts = HashMap<SpanId, usize>;

/// One paragraph's spans that have links, with their link counts.
pub(super) type LinkBucket = Rc<[(SpanId, usize)]>;

/// How many changed spans are patched into the previous buckets; past that, recompute.
pub(super) const PATCH_LIMIT: usize = 64;

/// The reader's per-paragraph data, kept between renders: spans and link counts per paragraph.
/// After an edit only the paragraphs it touches get new buckets; the others keep their `Rc`s, so
/// their `ParagraphView`s compare equal by pointer and do not re-render.
pub(super) struct Buckets {
    pub(super) article: Rc<Article>,
    pub(super) sorted: Rc<Vec<Rc<Span>>>,
    pub(super) link_counts: Rc<LinkCounts>,
    pub(super) spans: Rc<Vec<Rc<[Rc<Span>]>>>,
    pub(super) links: Rc<Vec<LinkBucket>>,
}

pub(super) fn link_bucket(spans: &[Rc<Span>], link_counts: &LinkCounts) -> LinkBucket {
    spans.iter().filter_map(|span| link_counts.get(&span.id).map(|count| (span.id.clone(), *count))).collect()
}

impl Buckets {
    pub(super) fn update(
        previous: Option<Buckets>,
        article: &Rc<Article>,
        sorted: &Rc<Vec<Rc<Span>>>,
        link_counts: &Rc<LinkCounts>,
    ) -> Buckets {
        let made = |spans: Vec<Rc<[Rc<Span>]>>, links: Vec<LinkBucket>| Buckets {
            article: article.clone(),
            sorted: sorted.clone(),
            link_counts: link_counts.clone(),
            spans: Rc::new(spans),
            links: Rc::new(links),
        };
        let fresh = || {
            let spans: Vec<Rc<[Rc<Span>]>> =
                spans_by_paragraph(article.paragraphs(), sorted).into_iter().map(Rc::from).collect();
            let links = spans.iter().map(|bucket| link_bucket(bucket, link_counts)).collect();
            made(spans, links)
        };
        let Some(previous) = previous.filter(|previous| Rc::ptr_eq(&previous.article, article)) else {
            return fresh();
        };
        let same_links = Rc::ptr_eq(&previous.link_counts, link_counts);
        if Rc::ptr_eq(&previous.sorted, sorted) && same_links {
            return previous;
        }
        let changes = reading_order_changes(&previous.sorted, sorted);
        if changes.len() > PATCH_LIMIT {
            return fresh();
        }
        let (spans, touched) = update_buckets(article.paragraphs(), &previous.spans, &changes);
        let links: Vec<LinkBucket> = if same_links {
            let mut links = (*previous.links).clone();
            for index in touched {
                links[index] = link_bucket(&spans[index], link_counts);
            }
            links
        } else {
            spans.iter().map(|bucket| link_bucket(bucket, link_counts)).collect()
        };
        made(spans, links)
    }
}

/// How many articles' spans [`use_article_spans`] keeps, and how many articles' [`Buckets`] a
/// reader keeps: switching back to an article the reader showed a moment ago reuses them.
pub(super) const RECENT_ARTICLES: usize = 4;

/// The spans of article `article` in reading order, as `Project::spans_in_article` gives them, but
/// after an edit patched from the previous answer instead of filtering and sorting every span of
/// the project again. The same `Rc` comes back while the article's spans are unchanged, also
/// after a switch to another article and back (the last [`RECENT_ARTICLES`] articles are kept,
/// each patched with the edits to it meanwhile).
///
/// The previous project's spans are kept as a list of `Rc`s (a reducer handle always reads the
/// latest state, so it cannot serve as the "before").
#[hook]
pub fn use_article_spans(context: &AppContext, article: Option<ArticleId>) -> Rc<Vec<Rc<Span>>> {
    let recent = use_mut_ref(|| RecentArticleSpans::new(RECENT_ARTICLES, PATCH_LIMIT));
    let context = context.clone();
    let spans = use_memo((context.revision, article), move |(_, article)| {
        let project = &context.project;
        let all: Vec<Rc<Span>> = project.spans().values().cloned().collect();
        let mut recent = recent.borrow_mut();
        match article {
            Some(id) => recent.spans_of(all, id, || project.spans_in_article(id)),
            None => {
                recent.catch_up(all);
                Rc::new(Vec::new())
            }
        }
    });
    (*spans).clone()
}

/// How many links touch each span; the same `Rc` comes back while the relations are unchanged,
/// so the paragraphs that show the counts do not re-render after every span edit.
#[hook]
pub fn use_link_counts(context: &AppContext) -> Rc<LinkCounts> {
    let previous = use_mut_ref(|| None::<(Vec<Rc<Relation>>, Rc<LinkCounts>)>);
    let context = context.clone();
    let counts = use_memo(context.revision, move |_| {
        let mut previous = previous.borrow_mut();
        let relations: Vec<Rc<Relation>> = context.project.relations().values().cloned().collect();
        let unchanged = previous.take().filter(|(old, _)| {
            old.len() == relations.len()
                && old.iter().zip(&relations).all(|(before, after)| Rc::ptr_eq(before, after) || before == after)
        });
        let counts = match unchanged {
            Some((_, counts)) => counts,
            None => {
                let mut counts = LinkCounts::with_capacity(relations.len() * 2);
                for relation in &relations {
                    *counts.entry(relation.from.clone()).or_insert(0) += 1;
                    *counts.entry(relation.to.clone()).or_insert(0) += 1;
                }
                Rc::new(counts)
            }
        };
        *previous = Some((relations, counts.clone()));
        counts
    });
    (*counts).clone()
}
