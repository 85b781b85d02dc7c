//! An article's spans and link counts per paragraph, kept between renders of the reader and
//! patched after an edit, so that only the paragraphs an edit touched get new buckets.

use std::collections::HashMap;
use std::rc::Rc;

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::article::Article;
use crate::domain::segments::{reading_order_changes, spans_by_paragraph, update_buckets};

/// How many links touch each span. A hash map: the reader looks up every span of an article in it
/// (10,000 lookups on a switch to the benchmark's big article: 4.8 ms of a profiled switch in a
/// `BTreeMap`, comparing ids down the tree; 2.4 ms with std's SipHash), hashed with foldhash:
/// natively the bucketing of those 10,000 spans took 2.1 ms with SipHash, 1.0 ms with it. (In
/// wasm neither hasher gets a random seed.)
pub type LinkCounts = HashMap<SpanId, usize, foldhash::fast::RandomState>;

/// One paragraph's spans that have links, with their link counts.
pub type LinkBucket = Rc<[(SpanId, usize)]>;

/// How many changed spans are patched into the previous buckets; past that, recompute.
pub const PATCH_LIMIT: usize = 64;

/// How many links touch each span of `relations` (both ends count).
pub fn link_counts(relations: &[Rc<Relation>]) -> LinkCounts {
    let mut counts = LinkCounts::with_capacity_and_hasher(relations.len() * 2, Default::default());
    for relation in relations {
        *counts.entry(relation.from.clone()).or_insert(0) += 1;
        *counts.entry(relation.to.clone()).or_insert(0) += 1;
    }
    counts
}

/// The spans of `spans` that have links, with their counts.
pub fn link_bucket(spans: &[Rc<Span>], link_counts: &LinkCounts) -> LinkBucket {
    spans.iter().filter_map(|span| link_counts.get(&span.id).map(|count| (span.id.clone(), *count))).collect()
}

/// One article's per-paragraph data: its spans (in reading order) and link counts per paragraph.
/// After an edit only the paragraphs it touches get new buckets; the others keep their `Rc`s, so
/// their views compare equal by pointer and do not render again.
#[derive(Clone)]
pub struct ParagraphBuckets {
    pub article: Rc<Article>,
    pub sorted: Rc<Vec<Rc<Span>>>,
    pub link_counts: Rc<LinkCounts>,
    pub spans: Rc<Vec<Rc<[Rc<Span>]>>>,
    pub links: Rc<Vec<LinkBucket>>,
}

impl ParagraphBuckets {
    /// The buckets of `article`, whose spans in reading order are `sorted`: `previous` itself when
    /// nothing changed, `previous` patched when it is the same article and at most
    /// [`PATCH_LIMIT`] spans changed, else computed afresh.
    pub fn update(
        previous: Option<ParagraphBuckets>,
        article: &Rc<Article>,
        sorted: &Rc<Vec<Rc<Span>>>,
        link_counts: &Rc<LinkCounts>,
    ) -> ParagraphBuckets {
        let made = |spans: Vec<Rc<[Rc<Span>]>>, links: Vec<LinkBucket>| ParagraphBuckets {
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

/// The buckets of the last few articles a reader showed: a switch back to one reuses (or patches)
/// its buckets instead of computing them again.
pub struct RecentParagraphBuckets {
    capacity: usize,
    /// Most recent first.
    kept: Vec<ParagraphBuckets>,
    /// Buckets an update replaced or pushed out, held for the caller to drop when it suits
    /// ([`Self::take_retired`]): the last holder of an article's 10,000-span list frees 10,000
    /// `Rc`s.
    retired: Vec<ParagraphBuckets>,
}

impl RecentParagraphBuckets {
    pub fn new(capacity: usize) -> RecentParagraphBuckets {
        RecentParagraphBuckets { capacity: capacity.max(1), kept: Vec::new(), retired: Vec::new() }
    }

    /// What updates replaced since the last call.
    pub fn take_retired(&mut self) -> Vec<ParagraphBuckets> {
        std::mem::take(&mut self.retired)
    }

    /// The buckets of `article` now (see [`ParagraphBuckets::update`]), kept as the most recent.
    pub fn update(
        &mut self,
        article: &Rc<Article>,
        sorted: &Rc<Vec<Rc<Span>>>,
        link_counts: &Rc<LinkCounts>,
    ) -> &ParagraphBuckets {
        let kept =
            self.kept.iter().position(|kept| Rc::ptr_eq(&kept.article, article)).map(|index| self.kept.remove(index));
        self.retired.extend(kept.clone());
        self.kept.insert(0, ParagraphBuckets::update(kept, article, sorted, link_counts));
        if self.kept.len() > self.capacity {
            self.retired.extend(self.kept.drain(self.capacity..));
        }
        &self.kept[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::RelationId;

    fn article(paragraphs: usize) -> Rc<Article> {
        let text: Vec<String> = (0..paragraphs).map(|index| format!("Paragraph number {index:03} here.")).collect();
        Rc::new(Article::new(&text.join("\n"), "Buckets", "test"))
    }

    /// A span over code points `start..end` of `article`.
    fn span(article: &Article, id: &str, start: usize, end: usize) -> Rc<Span> {
        Rc::new(Span {
            id: SpanId::from(id),
            article: article.id.clone(),
            start,
            end,
            label: "claim".into(),
            text: article.slice(start, end).unwrap_or_default().into(),
            attributes: Default::default(),
            author: String::new(),
            created: 0,
            modified: 0,
            take_overs: Vec::new(),
        })
    }

    fn relation(id: &str, from: &str, to: &str) -> Rc<Relation> {
        Rc::new(Relation {
            id: RelationId::from(id),
            relation_type: "supports".into(),
            from: SpanId::from(from),
            to: SpanId::from(to),
            kind: None,
            note: String::new(),
            author: String::new(),
            suggestion: None,
            created: 0,
            modified: 0,
            take_overs: Vec::new(),
        })
    }

    /// One span at the start of each paragraph (`s000`, `s001`, …), in reading order.
    fn spans_per_paragraph(article: &Article) -> Rc<Vec<Rc<Span>>> {
        let spans = article.paragraphs().iter().enumerate();
        Rc::new(spans.map(|(index, at)| span(article, &format!("s{index:03}"), at.start, at.start + 9)).collect())
    }

    fn assert_same_as_fresh(buckets: &ParagraphBuckets) {
        let fresh = ParagraphBuckets::update(None, &buckets.article, &buckets.sorted, &buckets.link_counts);
        assert_eq!(*buckets.spans, *fresh.spans);
        assert_eq!(*buckets.links, *fresh.links);
    }

    #[test]
    fn an_edit_gives_the_paragraphs_it_touches_new_buckets_and_keeps_the_others() {
        let article = article(20);
        let counts = Rc::new(link_counts(&[relation("r1", "s001", "s005")]));
        let before = ParagraphBuckets::update(None, &article, &spans_per_paragraph(&article), &counts);
        assert_eq!(before.links[1].as_ref(), &[(SpanId::from("s001"), 1)]);
        let kept = before.spans.clone();

        // A span added in paragraph 7, and paragraph 3's removed.
        let mut spans = (*before.sorted).clone();
        let paragraph = article.paragraphs()[7];
        spans.insert(8, span(&article, "new", paragraph.start + 10, paragraph.start + 16));
        spans.remove(3);
        let after = ParagraphBuckets::update(Some(before), &article, &Rc::new(spans), &counts);

        assert_same_as_fresh(&after);
        assert_eq!(after.spans[7].len(), 2);
        assert!(after.spans[3].is_empty());
        for index in (0..20).filter(|index| ![3, 7].contains(index)) {
            assert!(Rc::ptr_eq(&after.spans[index], &kept[index]), "paragraph {index} got a new bucket");
        }
    }

    #[test]
    fn unchanged_spans_and_links_give_back_the_same_buckets() {
        let article = article(5);
        let sorted = spans_per_paragraph(&article);
        let counts = Rc::new(LinkCounts::default());
        let first = ParagraphBuckets::update(None, &article, &sorted, &counts);
        let spans = first.spans.clone();
        let second = ParagraphBuckets::update(Some(first), &article, &sorted, &counts);
        assert!(Rc::ptr_eq(&second.spans, &spans));
    }

    #[test]
    fn new_link_counts_recount_the_links_and_another_article_starts_afresh() {
        let article = article(6);
        let sorted = spans_per_paragraph(&article);
        let buckets = ParagraphBuckets::update(None, &article, &sorted, &Rc::new(LinkCounts::default()));
        assert!(buckets.links.iter().all(|bucket| bucket.is_empty()));
        let linked = Rc::new(link_counts(&[relation("r1", "s000", "s004"), relation("r2", "s004", "s005")]));
        let relinked = ParagraphBuckets::update(Some(buckets), &article, &sorted, &linked);
        assert_same_as_fresh(&relinked);
        assert_eq!(relinked.links[4].as_ref(), &[(SpanId::from("s004"), 2)]);

        let other = self::article(3);
        let switched = ParagraphBuckets::update(Some(relinked), &other, &spans_per_paragraph(&other), &linked);
        assert!(Rc::ptr_eq(&switched.article, &other));
        assert_eq!(switched.spans.len(), 3);
        assert_same_as_fresh(&switched);
    }

    #[test]
    fn more_changes_than_the_patch_limit_are_computed_afresh() {
        let article = article(PATCH_LIMIT + 10);
        let counts = Rc::new(LinkCounts::default());
        let empty = ParagraphBuckets::update(None, &article, &Rc::new(Vec::new()), &counts);
        let full = ParagraphBuckets::update(Some(empty), &article, &spans_per_paragraph(&article), &counts);
        assert_same_as_fresh(&full);
        assert!(full.spans.iter().all(|bucket| bucket.len() == 1));
    }

    #[test]
    fn a_switch_back_reuses_the_kept_buckets_until_they_are_the_least_recent_past_capacity() {
        let (first, second, third) = (article(4), article(7), article(2));
        let sorted: Vec<_> = [&first, &second, &third].map(|article| spans_per_paragraph(article)).into();
        let counts = Rc::new(LinkCounts::default());
        let mut recent = RecentParagraphBuckets::new(2);
        let kept_first = recent.update(&first, &sorted[0], &counts).spans.clone();
        recent.update(&second, &sorted[1], &counts);
        assert!(Rc::ptr_eq(&recent.update(&first, &sorted[0], &counts).spans, &kept_first));

        // The first was shown last, so the third pushes out the second.
        let kept_second = recent.update(&second, &sorted[1], &counts).spans.clone();
        recent.update(&first, &sorted[0], &counts);
        recent.update(&third, &sorted[2], &counts);
        assert!(Rc::ptr_eq(&recent.update(&first, &sorted[0], &counts).spans, &kept_first));
        assert!(!Rc::ptr_eq(&recent.update(&second, &sorted[1], &counts).spans, &kept_second));
    }
}
