//! Highlight segmentation: cutting paragraphs into runs of text covered by the same spans.
//!
//! Overlapping and nested spans cannot be drawn as nested HTML elements in general (they may
//! cross), so the reader draws flat runs instead: every boundary of every span splits the text,
//! and each run knows the spans that cover it, outermost first. A sweep over the sorted
//! boundaries does this in `O(n log n)` for `n` spans in a paragraph.
//!
//! An edit changes one or two spans of 10,000, so the reader does not recompute its per-paragraph
//! buckets: [`span_changes`] and [`reading_order_changes`] find what changed by comparing
//! pointers, and [`update_reading_order`] and [`update_buckets`] patch the previous results.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::domain::annotation::Span;
use crate::domain::article::{ArticleId, Paragraph};
use crate::domain::ids::LabelId;
use crate::domain::project::trail::differing;
use crate::domain::project::{Project, SpanMap};

/// Something the reader draws over `start..end` (code points into the article): a span, or a
/// suggested span. `order_key` sorts outermost (earliest start, then longest) first.
pub trait Extent {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
    /// What tells two extents with the same offsets apart (a span's id, a suggestion's key).
    fn tie_breaker(&self) -> &str;
    fn order_key(&self) -> (usize, std::cmp::Reverse<usize>, &str) {
        (self.start(), std::cmp::Reverse(self.end()), self.tie_breaker())
    }
}

impl Extent for Span {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn tie_breaker(&self) -> &str {
        self.id.as_str()
    }
}

/// A run of text `start..end` (code points into the article) and the spans covering it,
/// outermost (earliest start, then longest) first. Empty `spans` means plain text.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment<T = Span> {
    pub start: usize,
    pub end: usize,
    pub spans: Vec<Rc<T>>,
}

/// Puts each span (sorted by start) into the bucket of every paragraph it touches.
/// Returns one list per paragraph, each still sorted by start.
pub fn spans_by_paragraph<T: Extent>(paragraphs: &[Paragraph], sorted_spans: &[Rc<T>]) -> Vec<Vec<Rc<T>>> {
    let mut buckets: Vec<Vec<Rc<T>>> = vec![Vec::new(); paragraphs.len()];
    for span in sorted_spans {
        let first = paragraphs.partition_point(|paragraph| paragraph.end <= span.start());
        for (index, paragraph) in paragraphs.iter().enumerate().skip(first) {
            if paragraph.start >= span.end() {
                break;
            }
            buckets[index].push(span.clone());
        }
    }
    buckets
}

/// Cuts `paragraph` into segments by the boundaries of `spans` (those touching it, any order).
pub fn segment_paragraph<T: Extent>(paragraph: Paragraph, spans: &[Rc<T>]) -> Vec<Segment<T>> {
    // Boundary events: (position, is_start, span index). Ends sort before starts at the same
    // position so that adjacent spans do not appear to overlap.
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(spans.len() * 2);
    for (index, span) in spans.iter().enumerate() {
        let start = span.start().max(paragraph.start);
        let end = span.end().min(paragraph.end);
        if start < end {
            events.push((start, true, index));
            events.push((end, false, index));
        }
    }
    events.sort_unstable();

    let mut segments = Vec::with_capacity(events.len() + 1);
    let mut active: Vec<usize> = Vec::new();
    let mut cursor = paragraph.start;
    let mut events = events.into_iter().peekable();
    while let Some(&(position, _, _)) = events.peek() {
        if position > cursor {
            segments.push(make_segment(cursor, position, &active, spans));
            cursor = position;
        }
        while let Some(&(next_position, is_start, index)) = events.peek() {
            if next_position != position {
                break;
            }
            if is_start {
                active.push(index);
            } else if let Some(found) = active.iter().position(|&active_index| active_index == index) {
                active.remove(found);
            }
            events.next();
        }
    }
    if cursor < paragraph.end {
        segments.push(make_segment(cursor, paragraph.end, &active, spans));
    }
    segments
}

fn make_segment<T: Extent>(start: usize, end: usize, active: &[usize], spans: &[Rc<T>]) -> Segment<T> {
    let mut covering: Vec<Rc<T>> = active.iter().map(|&index| spans[index].clone()).collect();
    crate::domain::sorting::sort_by(&mut covering, |left, right| left.order_key().cmp(&right.order_key()));
    Segment { start, end, spans: covering }
}

/// What changed between two versions of a set of spans: spans that left (or were replaced) and
/// spans that came (or replaced them). A span whose `Rc` is unchanged is never listed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpanChanges {
    pub removed: Vec<Rc<Span>>,
    pub added: Vec<Rc<Span>>,
}

impl SpanChanges {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty()
    }

    pub fn len(&self) -> usize {
        self.removed.len() + self.added.len()
    }

    /// Only the changes of one article.
    pub fn in_article(&self, article: &ArticleId) -> SpanChanges {
        let keep = |spans: &[Rc<Span>]| spans.iter().filter(|span| &span.article == article).cloned().collect();
        SpanChanges { removed: keep(&self.removed), added: keep(&self.added) }
    }
}

/// The changes between two id-keyed span maps (two versions of `Project::spans`). See
/// [`span_changes_by_id`].
pub fn span_changes(old: &SpanMap, new: &SpanMap) -> SpanChanges {
    span_changes_by_id(old.values(), new.values())
}

/// The changes between two versions of a set of spans, each listed in id order (as
/// `Project::spans.values()` lists them), by walking both at once. Spans shared by both versions
/// (the same `Rc`, as after any edit, since the project is cloned by pointer) cost one pointer
/// comparison each; a span whose `Rc` differs but whose value is equal is not a change.
pub fn span_changes_by_id<'spans>(
    old: impl Iterator<Item = &'spans Rc<Span>>,
    new: impl Iterator<Item = &'spans Rc<Span>>,
) -> SpanChanges {
    diff_sorted(old, new, |before, after| before.id.cmp(&after.id))
}

fn reading_order(left: &Rc<Span>, right: &Rc<Span>) -> Ordering {
    left.reading_order_key().cmp(&right.reading_order_key())
}

/// Merges `sorted` (in reading order) without `removed` and with `added`: each change's place is
/// found by a binary search on the reading-order key (unique: the id breaks ties), and the runs
/// between them are copied whole. A span is removed when `removed` holds it or an equal copy
/// that replaced it (same id, same place: the same key); a removed span not in `sorted` is no
/// change.
fn merged(sorted: &[Rc<Span>], removed: &[Rc<Span>], added: &[Rc<Span>]) -> Vec<Rc<Span>> {
    let position = |span: &Rc<Span>| sorted.binary_search_by(|probe| reading_order(probe, span));
    // (index in `sorted`, what goes there): a removal skips `sorted[index]`, an addition comes
    // before it. Removals of one index sort together (a span and its copy are one removal),
    // before the additions at it, which keep their reading order.
    let mut cuts: Vec<(usize, Option<&Rc<Span>>)> = removed
        .iter()
        .filter_map(|span| position(span).ok())
        .map(|index| (index, None))
        .chain(added.iter().map(|span| (position(span).unwrap_or_else(|index| index), Some(span))))
        .collect();
    cuts.sort_unstable_by(|(left_index, left), (right_index, right)| {
        left_index.cmp(right_index).then_with(|| match (left, right) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(left), Some(right)) => reading_order(left, right),
        })
    });
    cuts.dedup_by(|later, earlier| later.1.is_none() && earlier.1.is_none() && later.0 == earlier.0);
    let mut result = Vec::with_capacity(sorted.len() + added.len());
    let mut copied = 0;
    for (index, addition) in cuts {
        if index > copied {
            result.extend_from_slice(&sorted[copied..index]);
            copied = index;
        }
        match addition {
            Some(span) => result.push(Rc::clone(span)),
            None => copied = index + 1,
        }
    }
    result.extend_from_slice(&sorted[copied..]);
    result
}

/// One article's spans in reading order (as `Project::spans_in_article` gives them), brought up to
/// date from the previous list and the changes, in `O(n + c log c)` instead of a sort of every
/// span; meant for a handful of changes (`O(n c)` otherwise: recompute past a few dozen).
pub fn update_reading_order(previous: &[Rc<Span>], changes: &SpanChanges, article: &ArticleId) -> Vec<Rc<Span>> {
    let changes = changes.in_article(article);
    merged(previous, &changes.removed, &changes.added)
}

/// Whether `sorted` (one article's spans in reading order) has a span of `label` over exactly
/// `start..end`: a binary search to the spans starting at `start`, not a walk of every span of
/// the project ([`Project::has_span_at`]).
pub fn has_span_at(sorted: &[Rc<Span>], start: usize, end: usize, label: &LabelId) -> bool {
    let first = sorted.partition_point(|span| span.start < start);
    sorted[first..].iter().take_while(|span| span.start == start).any(|span| span.end == end && span.label == *label)
}

/// The changes between two versions of a project's spans. From the edits' trail when `after`
/// descends from `before` by edits (a tag: the one span it touched, not a walk of 10,000), else
/// by walking both span maps ([`span_changes`]); the same changes either way.
pub fn span_changes_between(before: &Project, after: &Project) -> SpanChanges {
    if std::ptr::eq(before.spans(), after.spans()) {
        return SpanChanges::default();
    }
    let Some(touched) = after.trail().since(before.trail()) else {
        return span_changes(before.spans(), after.spans());
    };
    let mut changes = SpanChanges::default();
    for (_, old, new) in differing(before.spans(), after.spans(), &touched.spans) {
        changes.removed.extend(old.cloned());
        changes.added.extend(new.cloned());
    }
    changes
}

/// The spans of the last few articles shown, each in reading order, kept up to date with the
/// project's spans: a switch back to one of them costs the changes made to it meanwhile, not a
/// filter and sort of every span of the project.
pub struct RecentArticleSpans {
    /// The project version the kept lists are up to date with.
    before: Option<Project>,
    /// What catch-ups replaced: the project version (often the last holder of a span map an
    /// edit copied, 10,000 entries) and the article lists patched or dropped (10,000 `Rc`s for
    /// a big article), for the caller to drop when it suits ([`Self::take_replaced`]).
    replaced: Replaced,
    /// Most recently asked for first.
    recent: Vec<(ArticleId, Rc<Vec<Rc<Span>>>)>,
    capacity: usize,
    /// Past this many changes to one article, its list is dropped (computed again if asked for).
    patch_limit: usize,
}

impl RecentArticleSpans {
    pub fn new(capacity: usize, patch_limit: usize) -> RecentArticleSpans {
        RecentArticleSpans { before: None, replaced: Replaced::default(), recent: Vec::new(), capacity, patch_limit }
    }

    /// `article`'s spans in reading order in `project`; `compute` gives them from scratch. The
    /// same `Rc` comes back while the article's spans are unchanged.
    pub fn spans_of(
        &mut self,
        project: &Project,
        article: &ArticleId,
        compute: impl FnOnce() -> Vec<Rc<Span>>,
    ) -> Rc<Vec<Rc<Span>>> {
        self.catch_up(project);
        let kept = self.recent.iter().position(|(id, _)| id == article).map(|index| self.recent.remove(index));
        let spans = kept.map(|(_, spans)| spans).unwrap_or_else(|| Rc::new(compute()));
        self.recent.insert(0, (article.clone(), spans.clone()));
        if self.recent.len() > self.capacity {
            self.replaced.lists.extend(self.recent.drain(self.capacity..).map(|(_, spans)| spans));
        }
        spans
    }

    /// Brings the kept lists up to date with `project`.
    pub fn catch_up(&mut self, project: &Project) {
        let changes = match &self.before {
            Some(before) => span_changes_between(before, project),
            None => SpanChanges::default(),
        };
        if let Some(before) = self.before.replace(project.clone()) {
            self.replaced.projects.push(before);
        }
        if changes.is_empty() {
            return;
        }
        let patch_limit = self.patch_limit;
        let replaced = &mut self.replaced.lists;
        self.recent = std::mem::take(&mut self.recent)
            .into_iter()
            .filter_map(|(id, spans)| {
                let changes = changes.in_article(&id);
                if changes.is_empty() {
                    return Some((id, spans));
                }
                let patched = (changes.len() <= patch_limit)
                    .then(|| (id, Rc::new(merged(&spans, &changes.removed, &changes.added))));
                replaced.push(spans);
                patched
            })
            .collect();
    }

    /// What catch-ups replaced since the last call.
    pub fn take_replaced(&mut self) -> Replaced {
        std::mem::take(&mut self.replaced)
    }
}

/// Project versions and article lists a [`RecentArticleSpans`] no longer needs.
#[derive(Default)]
pub struct Replaced {
    pub projects: Vec<Project>,
    pub lists: Vec<Rc<Vec<Rc<Span>>>>,
}

impl Replaced {
    pub fn is_empty(&self) -> bool {
        self.projects.is_empty() && self.lists.is_empty()
    }
}

/// The changes between two reading-order lists (two versions of one article's spans), by one
/// merge walk; shared spans cost a pointer comparison.
pub fn reading_order_changes(old: &[Rc<Span>], new: &[Rc<Span>]) -> SpanChanges {
    diff_sorted(old.iter(), new.iter(), reading_order)
}

/// The indices of the paragraphs `span` touches.
fn paragraphs_of(paragraphs: &[Paragraph], span: &Span) -> std::ops::Range<usize> {
    let first = paragraphs.partition_point(|paragraph| paragraph.end <= span.start);
    let last = paragraphs.partition_point(|paragraph| paragraph.start < span.end);
    first..last.max(first)
}

/// One paragraph's spans, shared: an unchanged paragraph keeps the same `Rc`.
pub type Bucket = Rc<[Rc<Span>]>;

/// Paragraph buckets (as [`spans_by_paragraph`] makes them) brought up to date with `changes`:
/// only the paragraphs the changed spans touch get a new bucket; every other bucket is the same
/// `Rc` as before, so the paragraphs showing them compare equal in constant time and do not
/// re-render. Returns the buckets and the indices of the paragraphs that changed.
pub fn update_buckets(
    paragraphs: &[Paragraph],
    previous: &[Bucket],
    changes: &SpanChanges,
) -> (Vec<Bucket>, Vec<usize>) {
    let mut touched: Vec<usize> = Vec::new();
    for span in changes.removed.iter().chain(&changes.added) {
        touched.extend(paragraphs_of(paragraphs, span));
    }
    touched.sort_unstable();
    touched.dedup();
    let mut buckets = previous.to_vec();
    for &index in &touched {
        let Some(paragraph) = paragraphs.get(index) else { continue };
        let added: Vec<Rc<Span>> = changes
            .added
            .iter()
            .filter(|span| span.start < paragraph.end && paragraph.start < span.end)
            .cloned()
            .collect();
        let old = previous.get(index).map_or(&[][..], |bucket| &bucket[..]);
        buckets[index] = Rc::from(merged(old, &changes.removed, &added));
    }
    (buckets, touched)
}

/// Walks two lists sorted by `order` at once and collects what one has and the other lacks;
/// items equal under `order` but different in value count as removed and added. Shared `Rc`s
/// cost a pointer comparison.
fn diff_sorted<'spans>(
    old: impl Iterator<Item = &'spans Rc<Span>>,
    new: impl Iterator<Item = &'spans Rc<Span>>,
    order: impl Fn(&Rc<Span>, &Rc<Span>) -> Ordering,
) -> SpanChanges {
    let mut changes = SpanChanges::default();
    let (mut old, mut new) = (old.peekable(), new.peekable());
    loop {
        match (old.peek(), new.peek()) {
            (Some(before), Some(after)) if Rc::ptr_eq(before, after) => {
                old.next();
                new.next();
            }
            (Some(before), Some(after)) => match order(before, after) {
                Ordering::Less => changes.removed.extend(old.next().cloned()),
                Ordering::Greater => changes.added.extend(new.next().cloned()),
                Ordering::Equal => {
                    if before != after {
                        changes.removed.push(Rc::clone(before));
                        changes.added.push(Rc::clone(after));
                    }
                    old.next();
                    new.next();
                }
            },
            (Some(_), None) => changes.removed.extend(old.next().cloned()),
            (None, Some(_)) => changes.added.extend(new.next().cloned()),
            (None, None) => return changes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::SpanId;
    use crate::domain::article::ArticleId;

    fn span(id: &str, start: usize, end: usize) -> Rc<Span> {
        Rc::new(Span {
            id: SpanId::from(id),
            article: ArticleId::from("a".to_string()),
            start,
            end,
            label: "claim".into(),
            text: Default::default(),
            attributes: Default::default(),
            author: String::new(),
            created: 0,
            modified: 0,
            take_overs: Vec::new(),
        })
    }

    fn shape(segments: &[Segment]) -> Vec<(usize, usize, Vec<String>)> {
        segments
            .iter()
            .map(|segment| (segment.start, segment.end, segment.spans.iter().map(|span| span.id.to_string()).collect()))
            .collect()
    }

    /// What `Project::spans_in_article` gives: `article`'s spans in reading order.
    fn from_scratch(all: &[Rc<Span>], article: &str) -> Vec<Rc<Span>> {
        let mut spans: Vec<Rc<Span>> = all.iter().filter(|span| span.article.as_str() == article).cloned().collect();
        spans.sort_unstable_by(|left, right| left.reading_order_key().cmp(&right.reading_order_key()));
        spans
    }

    fn ids(spans: &[Rc<Span>]) -> Vec<String> {
        spans.iter().map(|span| span.id.to_string()).collect()
    }

    /// A project holding exactly `all` (a lineage of its own: its changes are found by walking).
    fn project_of(all: &[Rc<Span>]) -> Project {
        Project::from_parts(crate::domain::project::ProjectParts {
            spans: all.iter().map(|span| (span.id.clone(), span.clone())).collect(),
            ..Default::default()
        })
    }

    #[test]
    fn has_span_at_in_the_sorted_spans_answers_as_the_walk_of_the_project_does() {
        use crate::domain::article::Article;
        use crate::domain::project::{new_span, Edit};
        let article = Article::new(&"Word after word, sentence after sentence. ".repeat(20), "", "t.txt");
        let mut project = Project::with_articles(vec![article.clone()]);
        let labels: Vec<LabelId> = project.labels().iter().map(|label| label.id.clone()).collect();
        let mut random = Lcg(5);
        for serial in 0..300 {
            // Few distinct starts and lengths: many spans share a start, some their end too.
            let start = random.below(60) * 7;
            let end = start + 1 + random.below(6);
            let label = &labels[random.below(2)];
            let span = new_span(&project, SpanId::from(format!("s{serial}")), &article, start, end, label, 0).unwrap();
            let _duplicate_refused = project.apply(Edit::AddSpan(span), 0);
        }
        let sorted = project.spans_in_article(&article.id);
        let mut found = 0;
        for start in 0..430 {
            for end in start + 1..start + 8 {
                for label in &labels {
                    let walked = project.has_span_at(&article.id, start, end, label);
                    assert_eq!(has_span_at(&sorted, start, end, label), walked, "{start}..{end} {label}");
                    found += usize::from(walked);
                }
            }
        }
        assert!(found > 100, "the query hits spans as well as misses ({found})");
    }

    #[test]
    fn changes_between_two_versions_are_the_same_from_the_trail_as_from_a_walk() {
        use crate::domain::article::Article;
        use crate::domain::project::{new_span, Edit};
        let article = Article::new(&"Word after word, sentence after sentence. ".repeat(40), "", "t.txt");
        let mut project = Project::with_articles(vec![article.clone()]);
        let label = project.labels()[0].id.clone();
        let other_label = project.labels()[1].id.clone();
        let mut random = Lcg(11);
        let mut recent = RecentArticleSpans::new(2, 8);
        let mut serial = 0;
        for round in 0..200 {
            let before = project.clone();
            let count = project.spans().len();
            let edit = match random.below(4) {
                1 if count > 0 => Edit::RemoveSpan(project.spans().keys().nth(random.below(count)).unwrap().clone()),
                2 if count > 0 => {
                    let mut span = (**project.spans().values().nth(random.below(count)).unwrap()).clone();
                    span.label = if span.label == label { other_label.clone() } else { label.clone() };
                    Edit::UpdateSpan(span)
                }
                _ => {
                    let start = random.below(1500);
                    serial += 1;
                    let id = SpanId::from(format!("s{serial}"));
                    Edit::AddSpan(
                        new_span(&project, id, &article, start, start + 1 + random.below(40), &label, round).unwrap(),
                    )
                }
            };
            project.apply(edit, round).unwrap();
            let by_trail = span_changes_between(&before, &project);
            assert_eq!(by_trail, span_changes(before.spans(), project.spans()), "round {round}");
            assert!(!by_trail.is_empty(), "round {round}: every edit here changes a span");
            // Another lineage with the same spans: walked, and no change.
            assert!(span_changes_between(
                &project_of(&project.spans().values().cloned().collect::<Vec<_>>()),
                &project
            )
            .is_empty());
            let kept = recent.spans_of(&project, &article.id, || project.spans_in_article(&article.id));
            assert_eq!(*kept, project.spans_in_article(&article.id), "round {round}");
        }
        assert_eq!(span_changes_between(&project, &project.clone()), SpanChanges::default());
    }

    #[test]
    fn a_switch_back_reuses_the_article_spans_and_an_edit_meanwhile_is_patched_in() {
        let mut recent = RecentArticleSpans::new(2, 4);
        let mut all = vec![in_article("s1", "a", 10, 12), in_article("s2", "b", 0, 3), in_article("s3", "a", 1, 4)];
        let first = recent.spans_of(&project_of(&all), &ArticleId::from("a"), || from_scratch(&all, "a"));
        assert_eq!(ids(&first), ["s3", "s1"]);
        recent.spans_of(&project_of(&all), &ArticleId::from("b"), || from_scratch(&all, "b"));
        // Back to "a" with nothing changed: the same list, not computed again.
        let again = recent.spans_of(&project_of(&all), &ArticleId::from("a"), || panic!("computed again"));
        assert!(Rc::ptr_eq(&first, &again));
        // An edit to "a" while "b" shows: patched in, as a fresh computation would have it.
        all.push(in_article("s4", "a", 5, 6));
        all.retain(|span| span.id.as_str() != "s1");
        recent.spans_of(&project_of(&all), &ArticleId::from("b"), || panic!("b computed again"));
        let patched = recent.spans_of(&project_of(&all), &ArticleId::from("a"), || panic!("a computed again"));
        assert_eq!(ids(&patched), ids(&from_scratch(&all, "a")));
        assert_eq!(ids(&patched), ["s3", "s4"]);
    }

    #[test]
    fn the_oldest_article_and_one_changed_past_the_patch_limit_are_computed_again() {
        let mut recent = RecentArticleSpans::new(2, 1);
        let mut all = vec![in_article("s1", "a", 0, 1), in_article("s2", "b", 0, 1), in_article("s3", "c", 0, 1)];
        for article in ["a", "b", "c"] {
            recent.spans_of(&project_of(&all), &ArticleId::from(article), || from_scratch(&all, article));
        }
        let mut computed = false;
        recent.spans_of(&project_of(&all), &ArticleId::from("a"), || {
            computed = true;
            from_scratch(&all, "a")
        });
        assert!(computed, "\"a\" was the oldest of three with room for two");
        all.push(in_article("s4", "a", 2, 3));
        all.push(in_article("s5", "a", 4, 5));
        computed = false;
        recent.spans_of(&project_of(&all), &ArticleId::from("c"), || from_scratch(&all, "c"));
        let spans = recent.spans_of(&project_of(&all), &ArticleId::from("a"), || {
            computed = true;
            from_scratch(&all, "a")
        });
        assert!(computed, "two changes to \"a\" are past the limit of one");
        assert_eq!(ids(&spans), ["s1", "s4", "s5"]);
    }

    #[test]
    fn overlapping_and_nested_spans_become_flat_runs() {
        let paragraph = Paragraph { start: 0, end: 20 };
        let spans = [span("outer", 2, 15), span("inner", 4, 6), span("cross", 10, 18)];
        let expected = vec![
            (0, 2, vec![]),
            (2, 4, vec!["outer".to_string()]),
            (4, 6, vec!["outer".to_string(), "inner".to_string()]),
            (6, 10, vec!["outer".to_string()]),
            (10, 15, vec!["outer".to_string(), "cross".to_string()]),
            (15, 18, vec!["cross".to_string()]),
            (18, 20, vec![]),
        ];
        assert_eq!(shape(&segment_paragraph(paragraph, &spans)), expected);
    }

    #[test]
    fn adjacent_spans_and_paragraph_clipping() {
        let paragraph = Paragraph { start: 10, end: 20 };
        let spans = [span("left", 5, 12), span("right", 12, 25)];
        assert_eq!(
            shape(&segment_paragraph(paragraph, &spans)),
            vec![(10, 12, vec!["left".to_string()]), (12, 20, vec!["right".to_string()])]
        );
        let paragraphs =
            [Paragraph { start: 0, end: 10 }, Paragraph { start: 11, end: 20 }, Paragraph { start: 21, end: 30 }];
        let buckets = spans_by_paragraph(&paragraphs, &[span("x", 5, 12), span("y", 25, 26)]);
        assert_eq!(buckets.iter().map(Vec::len).collect::<Vec<_>>(), vec![1, 1, 1]);
    }
    /// A tiny deterministic generator for the randomised checks below.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % bound as u64) as usize
        }
    }

    fn in_article(id: &str, article: &str, start: usize, end: usize) -> Rc<Span> {
        let mut span = (*span(id, start, end)).clone();
        span.article = ArticleId::from(article.to_string());
        Rc::new(span)
    }

    #[test]
    fn incremental_updates_match_a_full_recomputation() {
        let paragraphs: Vec<Paragraph> =
            (0..12).map(|index| Paragraph { start: index * 20, end: index * 20 + 18 }).collect();
        let article = ArticleId::from("a".to_string());
        let mut random = Lcg(7);
        let mut map = SpanMap::new();
        let mut serial = 0;
        // A new span at a random place, in article "b" one time in five.
        let mut random_span = |random: &mut Lcg| {
            let start = random.below(230);
            let span = in_article(
                &format!("s{serial}"),
                if random.below(5) == 0 { "b" } else { "a" },
                start,
                start + 1 + random.below(30),
            );
            serial += 1;
            span
        };
        for _ in 0..60 {
            let span = random_span(&mut random);
            map.insert(span.id.clone(), span);
        }
        let full = |map: &SpanMap| {
            let mut spans: Vec<Rc<Span>> = map.values().filter(|span| span.article == article).cloned().collect();
            spans.sort_by(reading_order);
            spans
        };
        // Switches between three articles, at most two kept, patched up to two changes each.
        let mut recent = RecentArticleSpans::new(2, 2);
        let mut sorted = full(&map);
        let mut buckets: Vec<Rc<[Rc<Span>]>> =
            spans_by_paragraph(&paragraphs, &sorted).into_iter().map(Rc::from).collect();
        for _ in 0..300 {
            let old = map.clone();
            for _ in 0..1 + random.below(3) {
                match random.below(3) {
                    0 => {
                        let span = random_span(&mut random);
                        map.insert(span.id.clone(), span);
                    }
                    1 if !map.is_empty() => {
                        let key = map.keys().nth(random.below(map.len())).cloned().unwrap();
                        map.remove(&key);
                    }
                    _ if !map.is_empty() => {
                        let key = map.keys().nth(random.below(map.len())).cloned().unwrap();
                        let mut changed = (*map[&key]).clone();
                        changed.label = if changed.label == "claim" { "quote".into() } else { "claim".into() };
                        map.insert(key, Rc::new(changed));
                    }
                    _ => {}
                }
            }
            let changes = span_changes(&old, &map);
            let shown = ["a", "b", "c"][random.below(3)];
            let all: Vec<Rc<Span>> = map.values().cloned().collect();
            let kept = recent.spans_of(&project_of(&all), &ArticleId::from(shown), || from_scratch(&all, shown));
            assert_eq!(*kept, from_scratch(&all, shown), "article {shown}");
            let next = update_reading_order(&sorted, &changes, &article);
            assert_eq!(next, full(&map));
            let by_walk = reading_order_changes(&sorted, &next);
            let by_id = |changes: SpanChanges| {
                let ids = |spans: Vec<Rc<Span>>| {
                    let mut ids: Vec<(SpanId, String)> =
                        spans.iter().map(|span| (span.id.clone(), span.label.to_string())).collect();
                    ids.sort();
                    ids
                };
                (ids(changes.removed), ids(changes.added))
            };
            assert_eq!(by_id(by_walk.clone()), by_id(changes.in_article(&article)));
            let (next_buckets, touched) = update_buckets(&paragraphs, &buckets, &by_walk);
            let expected: Vec<Vec<Rc<Span>>> = spans_by_paragraph(&paragraphs, &next);
            for (index, (bucket, want)) in next_buckets.iter().zip(&expected).enumerate() {
                assert_eq!(&bucket[..], &want[..], "paragraph {index}");
                if !touched.contains(&index) {
                    assert!(Rc::ptr_eq(bucket, &buckets[index]), "an untouched bucket keeps its Rc");
                }
            }
            sorted = next;
            buckets = next_buckets;
        }
        assert!(span_changes(&map, &map.clone()).is_empty());
    }
}
