//! The hooks that give the reader an article's spans in reading order and the link count of
//! each span, patched after an edit (the per-paragraph buckets are `domain::paragraph_buckets`).

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Relation, Span};
use crate::domain::article::ArticleId;
pub use crate::domain::paragraph_buckets::LinkCounts;
use crate::domain::paragraph_buckets::{link_counts, PATCH_LIMIT};
use crate::domain::project::trail::Trail;
use crate::domain::segments::RecentArticleSpans;
use crate::ui::state::AppContext;

/// How many articles' spans [`use_article_spans`] keeps, and how many articles' buckets a reader
/// keeps (`RecentParagraphBuckets`): switching back to an article the reader showed a moment ago
/// reuses them.
pub(super) const RECENT_ARTICLES: usize = 4;

/// The spans of article `article` in reading order, as `Project::spans_in_article` gives them, but
/// after an edit patched from the previous answer instead of filtering and sorting every span of
/// the project again. The same `Rc` comes back while the article's spans are unchanged, also
/// after a switch to another article and back (the last [`RECENT_ARTICLES`] articles are kept,
/// each patched with the edits to it meanwhile).
///
/// The previous project version is kept (a reducer handle always reads the latest state, so it
/// cannot serve as the "before"); an edit's changes come from its trail
/// (`segments::span_changes_between`), so a tag looks at the span it made, not at 10,000. The
/// version and the lists it replaces are dropped after the frame.
#[hook]
pub fn use_article_spans(context: &AppContext, article: Option<ArticleId>) -> Rc<Vec<Rc<Span>>> {
    let recent = use_mut_ref(|| RecentArticleSpans::new(RECENT_ARTICLES, PATCH_LIMIT));
    let context = context.clone();
    let spans = use_memo((context.revision, article), move |(_, article)| {
        let project = &context.project;
        let mut recent = recent.borrow_mut();
        let spans = match article {
            Some(id) => recent.spans_of(project, id, || project.spans_in_article(id)),
            None => {
                recent.catch_up(project);
                Rc::new(Vec::new())
            }
        };
        let replaced = recent.take_replaced();
        if !replaced.is_empty() {
            crate::web::schedule::drop_after_paint(replaced);
        }
        spans
    });
    (*spans).clone()
}

/// How many links touch each span; the same `Rc` comes back while the relations are unchanged,
/// so the paragraphs that show the counts do not re-render after every span edit.
#[hook]
pub fn use_link_counts(context: &AppContext) -> Rc<LinkCounts> {
    let previous = use_mut_ref(|| None::<(Trail, Vec<Rc<Relation>>, Rc<LinkCounts>)>);
    let context = context.clone();
    let counts = use_memo(context.revision, move |_| {
        let mut previous = previous.borrow_mut();
        // Edits since then that touched no relation (a tag): the same counts, and no walk of
        // the 2,000 relations.
        if let Some((trail, _, counts)) = previous.as_mut() {
            if context.project.trail().since(trail).is_some_and(|touched| touched.relations.is_empty()) {
                *trail = context.project.trail().clone();
                return counts.clone();
            }
        }
        let relations: Vec<Rc<Relation>> = context.project.relations().values().cloned().collect();
        let unchanged = previous.take().filter(|(_, old, _)| {
            old.len() == relations.len()
                && old.iter().zip(&relations).all(|(before, after)| Rc::ptr_eq(before, after) || before == after)
        });
        let counts = match unchanged {
            Some((_, _, counts)) => counts,
            None => Rc::new(link_counts(&relations)),
        };
        *previous = Some((context.project.trail().clone(), relations, counts.clone()));
        counts
    });
    (*counts).clone()
}
