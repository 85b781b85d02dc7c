//! Spans and relations: what an annotator creates.
//!
//! A [`Span`] covers code points `start..end` (end exclusive) of one article's stored text and
//! keeps that text, so that any consumer can verify `text[start:end] == span.text`.
//! A [`Relation`] links two spans, in the same article or in two different ones.

use serde::Serialize;

use crate::domain::article::ArticleId;
pub use crate::domain::attributes::Attributes;
use crate::domain::ids::SuggestionKey;
pub use crate::domain::span_text::SpanText;

pub use crate::domain::ids::{LabelId, RelationId, RelationTypeId, SpanId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub id: SpanId,
    pub article: ArticleId,
    pub start: usize,
    pub end: usize,
    /// The id of a label in the project's label schema.
    pub label: LabelId,
    /// The covered text, `article.text[start..end]` in code points (shared with the article's
    /// text where the span was made or loaded from it).
    pub text: SpanText,
    pub attributes: Attributes,
    #[serde(default)]
    pub author: String,
    /// Milliseconds since the Unix epoch.
    pub created: i64,
    pub modified: i64,
    /// Every time a person made this annotation theirs, oldest first (`author` is the last
    /// one's `by`). Empty for an annotation its author made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<TakeOver>,
}

/// A recorded take-over: `by` made `from`'s annotation their own at `at` (ms since the epoch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TakeOver {
    pub from: String,
    pub by: String,
    pub at: i64,
}

/// `value` in base 36 (`0-9a-z`), the digits of the app's generated ids.
pub fn base36(mut value: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    loop {
        digits.push(DIGITS[(value % 36) as usize]);
        value /= 36;
        if value == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

impl Span {
    pub fn attribute(&self, key: &str) -> &str {
        self.attributes.get(key).map(String::as_str).unwrap_or("")
    }

    /// Whether the two spans share at least one code point (same article only).
    pub fn overlaps(&self, other: &Span) -> bool {
        self.article == other.article && self.start < other.end && other.start < self.end
    }

    /// The reading-order key: article position is the caller's business; within an article,
    /// by start, then longer spans first (outer before inner), then id.
    pub fn reading_order_key(&self) -> (usize, std::cmp::Reverse<usize>, &SpanId) {
        (self.start, std::cmp::Reverse(self.end), &self.id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub id: RelationId,
    /// The id of a relation type in the project's relation schema.
    #[serde(rename = "type")]
    pub relation_type: RelationTypeId,
    pub from: SpanId,
    pub to: SpanId,
    /// A sub-kind from the relation type's list (for contradicts: numeric, factual, …). Stored
    /// as before: absent when `None`, and a stored `""` reads as `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default)]
    pub author: String,
    /// The key of the suggestion a person accepted to make this link, `None` when a person drew
    /// it (exports say which: an accepted suggestion is a machine's proposal a person approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<SuggestionKey>,
    pub created: i64,
    pub modified: i64,
    /// Every time a person made this link theirs, oldest first (as for a span).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub take_overs: Vec<TakeOver>,
}

impl Relation {
    /// The sub-kind, or `""` when there is none (for exports that write an empty column).
    pub fn kind_str(&self) -> &str {
        self.kind.as_deref().unwrap_or("")
    }

    pub fn touches(&self, span: &SpanId) -> bool {
        &self.from == span || &self.to == span
    }

    /// The end of the relation that is not `span` (or `None` if `span` is not an end).
    pub fn other_end(&self, span: &SpanId) -> Option<&SpanId> {
        if &self.from == span {
            Some(&self.to)
        } else if &self.to == span {
            Some(&self.from)
        } else {
            None
        }
    }

    /// Whether this relation links the same two spans as `(from, to)`: in either order when
    /// `symmetric`, in this order otherwise.
    pub fn links(&self, from: &SpanId, to: &SpanId, symmetric: bool) -> bool {
        (&self.from == from && &self.to == to) || (symmetric && &self.from == to && &self.to == from)
    }
}

#[cfg(test)]
mod tests {
    use super::base36;

    #[test]
    fn base36_digits() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
        assert_eq!(base36(2_176_782_335), "zzzzzz");
    }
}
