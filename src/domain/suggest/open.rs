//! Which suggestions still propose something, decided once per project version with an index,
//! and the reader's dashed pseudo-spans drawn from the open ones.
//!
//! A suggestion is open when the annotator has not rejected it and the project does not already
//! hold what it proposes: for a span, no existing span of its label covers it (see
//! [`is_covered`]); for a link, its two ends are not already spans joined by a relation of its
//! type (either direction; every suggested relation is symmetric). A proposed end counts as
//! existing when a span with its article, offsets and label exists, the span accepting it would
//! reuse. [`OpenSuggestions`] answers that for every suggestion of a run in `O(log n)` each, for
//! the run's filter, the review list, `accept_all` and the pseudo-spans alike.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::ids::{LabelId, RelationTypeId, SuggestionKey};
use crate::domain::project::{Edit, Project};
use crate::domain::segments::Extent;
use crate::domain::suggest::{covered_in, LinkEnd, ProposedSpan, Suggestion, SuggestionTarget};

/// A project's rejections, spans and links, indexed to tell whether a suggestion is still open.
/// Build it once per project version ([`OpenSuggestions::new`]); an accepting loop keeps it up to
/// date with [`OpenSuggestions::record`] instead of rebuilding it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenSuggestions {
    rejected: BTreeSet<SuggestionKey>,
    /// Spans by article, sorted by `(start, end, id)`.
    spans: BTreeMap<ArticleId, Vec<Rc<Span>>>,
    /// `(type, from, to)` of every relation, in both directions.
    linked: BTreeSet<(RelationTypeId, SpanId, SpanId)>,
}

impl OpenSuggestions {
    pub fn new(project: &Project) -> OpenSuggestions {
        let mut spans: BTreeMap<ArticleId, Vec<Rc<Span>>> = BTreeMap::new();
        for span in project.spans().values() {
            spans.entry(span.article.clone()).or_default().push(span.clone());
        }
        for list in spans.values_mut() {
            crate::domain::sorting::sort_by(list, |left, right| order_key(left).cmp(&order_key(right)));
        }
        let mut open =
            OpenSuggestions { rejected: project.rejected_suggestions().clone(), spans, linked: BTreeSet::new() };
        for relation in project.relations().values() {
            open.add_relation(relation);
        }
        open
    }

    /// Whether `suggestion` still proposes something (see the module docs).
    pub fn is_open(&self, suggestion: &Suggestion) -> bool {
        if self.rejected.contains(&suggestion.key) {
            return false;
        }
        match &suggestion.target {
            SuggestionTarget::Span { span, .. } => !self.covers(span),
            SuggestionTarget::Link { relation_type, from, to, .. } => {
                let (Some(from), Some(to)) = (self.end_span(from), self.end_span(to)) else { return true };
                !self.linked.contains(&(relation_type.clone(), from, to))
            }
        }
    }

    /// The open ones of `suggestions`, in their order.
    pub fn filter<S: Borrow<Suggestion> + Clone>(&self, suggestions: &[S]) -> Vec<S> {
        suggestions.iter().filter(|suggestion| self.is_open((*suggestion).borrow())).cloned().collect()
    }

    /// Takes in what `edit` adds once applied (spans, relations, rejections, inside batches too),
    /// so that the index stays the project's after an additive edit such as an acceptance.
    /// Removals and updates are not tracked: after those, build a new index.
    pub fn record(&mut self, edit: &Edit) {
        match edit {
            Edit::AddSpan(span) => {
                let list = self.spans.entry(span.article.clone()).or_default();
                let at = list.partition_point(|existing| order_key(existing) < order_key(span));
                list.insert(at, Rc::new(span.clone()));
            }
            Edit::AddRelation(relation) => self.add_relation(relation),
            Edit::RejectSuggestion(key) => {
                self.rejected.insert(key.clone());
            }
            Edit::Batch(edits) => edits.iter().for_each(|edit| self.record(edit)),
            _ => {}
        }
    }

    fn add_relation(&mut self, relation: &Relation) {
        let (kind, from, to) = (&relation.relation_type, &relation.from, &relation.to);
        self.linked.insert((kind.clone(), from.clone(), to.clone()));
        self.linked.insert((kind.clone(), to.clone(), from.clone()));
    }

    /// Whether an existing span covers `proposed` ([`is_covered`]).
    pub fn covers(&self, proposed: &ProposedSpan) -> bool {
        self.spans.get(&proposed.article).is_some_and(|sorted| covered_in(sorted, proposed))
    }

    /// The span a link end is, if the project has it: the existing span itself, or one identical
    /// to the proposed end.
    fn end_span(&self, end: &LinkEnd) -> Option<SpanId> {
        match end {
            LinkEnd::Existing { span, .. } => Some(span.clone()),
            LinkEnd::Proposed(proposed) => {
                let list = self.spans.get(&proposed.article)?;
                let first = list.partition_point(|span| (span.start, span.end) < (proposed.start, proposed.end));
                list[first..]
                    .iter()
                    .take_while(|span| (span.start, span.end) == (proposed.start, proposed.end))
                    .find(|span| proposed.is_same_as(span))
                    .map(|span| span.id.clone())
            }
        }
    }
}

/// The order of spans in the index: by start, end, then id, so the index is the same whichever
/// way it was built.
fn order_key(span: &Span) -> (usize, usize, &SpanId) {
    (span.start, span.end, &span.id)
}

/// A span suggestion as the reader draws it, dashed: where it is, the label it proposes, and
/// the key a click on it selects. Not a [`Span`]: it has no id, attributes or author, and its
/// key is never taken for a span's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestedSpan {
    pub key: SuggestionKey,
    pub start: usize,
    pub end: usize,
    pub label: LabelId,
}

impl Extent for SuggestedSpan {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn tie_breaker(&self) -> &str {
        self.key.as_str()
    }
}

/// How many suggestions are open and about `article` (its spans, and links with an end in it):
/// the count the side tab shows, the same set the review panel lists for this article.
pub fn open_in_article<S: Borrow<Suggestion>>(suggestions: &[S], open: &OpenSuggestions, article: &ArticleId) -> usize {
    suggestions
        .iter()
        .map(Borrow::borrow)
        .filter(|suggestion| suggestion.touches(article) && open.is_open(suggestion))
        .count()
}

/// The open span suggestions of one article, as the reader draws them, in reading order.
pub fn suggested_spans<S: Borrow<Suggestion>>(
    suggestions: &[S],
    open: &OpenSuggestions,
    article: &ArticleId,
) -> Vec<Rc<SuggestedSpan>> {
    let mut spans: Vec<Rc<SuggestedSpan>> = suggestions
        .iter()
        .map(Borrow::borrow)
        .filter_map(|suggestion| Some((suggestion, suggestion.span()?)))
        .filter(|(suggestion, span)| span.article == *article && open.is_open(suggestion))
        .map(|(suggestion, span)| {
            Rc::new(SuggestedSpan {
                key: suggestion.key.clone(),
                start: span.start,
                end: span.end,
                label: span.label.clone(),
            })
        })
        .collect();
    crate::domain::sorting::sort_by(&mut spans, |left, right| left.order_key().cmp(&right.order_key()));
    spans
}
