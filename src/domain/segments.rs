//! Highlight segmentation: cutting paragraphs into runs of text covered by the same spans.
//!
//! Overlapping and nested spans cannot be drawn as nested HTML elements in general (they may
//! cross), so the reader draws flat runs instead: every boundary of every span splits the text,
//! and each run knows the spans that cover it, outermost first. A sweep over the sorted
//! boundaries does this in `O(n log n)` for `n` spans in a paragraph.

use std::rc::Rc;

use crate::domain::annotation::Span;
use crate::domain::article::Paragraph;

/// A run of text `start..end` (code points into the article) and the spans covering it,
/// outermost (earliest start, then longest) first. Empty `spans` means plain text.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub spans: Vec<Rc<Span>>,
}

/// Puts each span (sorted by start) into the bucket of every paragraph it touches.
/// Returns one list per paragraph, each still sorted by start.
pub fn spans_by_paragraph(paragraphs: &[Paragraph], sorted_spans: &[Rc<Span>]) -> Vec<Vec<Rc<Span>>> {
    let mut buckets: Vec<Vec<Rc<Span>>> = vec![Vec::new(); paragraphs.len()];
    for span in sorted_spans {
        let first = paragraphs.partition_point(|paragraph| paragraph.end <= span.start);
        for (index, paragraph) in paragraphs.iter().enumerate().skip(first) {
            if paragraph.start >= span.end {
                break;
            }
            buckets[index].push(span.clone());
        }
    }
    buckets
}

/// Cuts `paragraph` into segments by the boundaries of `spans` (those touching it, any order).
pub fn segment_paragraph(paragraph: Paragraph, spans: &[Rc<Span>]) -> Vec<Segment> {
    // Boundary events: (position, is_start, span index). Ends sort before starts at the same
    // position so that adjacent spans do not appear to overlap.
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(spans.len() * 2);
    for (index, span) in spans.iter().enumerate() {
        let start = span.start.max(paragraph.start);
        let end = span.end.min(paragraph.end);
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

fn make_segment(start: usize, end: usize, active: &[usize], spans: &[Rc<Span>]) -> Segment {
    let mut covering: Vec<Rc<Span>> = active.iter().map(|&index| spans[index].clone()).collect();
    covering.sort_by(|left, right| left.reading_order_key().cmp(&right.reading_order_key()));
    Segment { start, end, spans: covering }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::SpanId;
    use crate::domain::article::ArticleId;

    fn span(id: &str, start: usize, end: usize) -> Rc<Span> {
        Rc::new(Span {
            id: SpanId::from(id),
            article: ArticleId("a".to_string()),
            start,
            end,
            label: "claim".to_string(),
            text: String::new(),
            attributes: Default::default(),
            author: String::new(),
            created: 0,
            modified: 0,
        })
    }

    fn shape(segments: &[Segment]) -> Vec<(usize, usize, Vec<String>)> {
        segments
            .iter()
            .map(|segment| (segment.start, segment.end, segment.spans.iter().map(|span| span.id.0.clone()).collect()))
            .collect()
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
}
