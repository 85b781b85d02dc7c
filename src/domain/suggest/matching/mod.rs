//! Cross-article matching: the same statement reported by several articles, numbers that
//! disagree, and the same words put in different mouths.
//!
//! Every quote and claim (existing spans and proposed ones) becomes an item with a set of
//! content terms: lower-case, stopwords removed, lightly stemmed, with "U.S.", "US", "America"
//! and "United States" made one term. Terms are weighted by how rare they are among the
//! sentences of all articles. Candidates come from an inverted index over the rarer terms, so
//! the work grows with the number of items that share words, not with the square of all items.
//!
//! - **Same statement**: the IDF-weighted cosine of two items, or how much of the shorter one the
//!   longer contains (a partial quote inside the full quote), is at least
//!   [`SAME_STATEMENT_THRESHOLD`]. Claims whose substantive numbers agree about the same thing
//!   (see below) are the same statement too.
//! - **Numeric contradiction**: for every number in a claim, the best counterpart in each other
//!   article is the claim with a number of the same kind of unit ("people", "vessels",
//!   "percent") whose sentence and preceding sentence are most alike; when that likeness reaches
//!   [`NUMERIC_CONTEXT_THRESHOLD`] and the two numbers cannot both be true ("roughly 1 million"
//!   vs "about 1.4 million"), the pair is proposed as `contradicts` of kind `numeric`. Vague
//!   ("hundreds of") and partial ("the other 14") numbers are never contradicted.
//! - **Attribution conflict**: two quotes that are the same statement but whose speakers are
//!   not the same name.

mod numeric;
mod statements;
mod terms;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::domain::annotation::Span;
use crate::domain::article::Article;
use crate::domain::ids::RelationTypeId;
use crate::domain::schema;
use crate::domain::suggest::numbers::{self, Quantity};
use crate::domain::suggest::tokens;
use crate::domain::suggest::{
    link_key, CoverageIndex, LinkEnd, Suggestion, SuggestionKind, SuggestionTarget, CLAIM_LABEL, QUOTE_LABEL,
};

use numeric::numeric_candidates;
use statements::text_candidates;
use terms::{normalized, Vocabulary};

pub use terms::{content_terms, same_speaker, stem};

/// The least similarity for two items to be proposed as the same statement.
pub const SAME_STATEMENT_THRESHOLD: f32 = 0.5;

/// Added to the similarity of two quotes by the same speaker: a reworded or differently
/// translated statement keeps its speaker.
pub const SAME_SPEAKER_BONUS: f32 = 0.12;

/// The least likeness of the contexts of two numbers for them to be about the same thing.
pub const NUMERIC_CONTEXT_THRESHOLD: f32 = 0.12;

/// At most this many counterparts of one item are proposed in each other article.
const MAX_COUNTERPARTS_PER_ARTICLE: usize = 3;

/// Two numbers further apart than this factor are about different things, not a contradiction.
const MAX_CONTRADICTION_RATIO: f64 = 3.0;

/// One quote or claim that can be linked.
struct Item {
    article: usize,
    start: usize,
    end: usize,
    is_quote: bool,
    end_point: LinkEnd,
    speaker: String,
    terms: Vec<u32>,
    norm: f32,
    context_terms: Vec<u32>,
    context_norm: f32,
    quantities: Vec<Quantity>,
    normalized: String,
}

/// A proposed link before it becomes a suggestion.
struct Candidate {
    kind: SuggestionKind,
    left: usize,
    right: usize,
    score: f32,
    reason: String,
}

/// Proposes links between the quotes and claims of different articles: `existing` spans and the
/// spans of `proposed` suggestions (quotes and numeric claims from `suggest_for_article`; the
/// others are ignored). A proposed span that an existing span covers is represented by the
/// existing span.
pub fn suggest_across(articles: &[&Article], existing: &[&Span], proposed: &[Suggestion]) -> Vec<Suggestion> {
    let article_chars: Vec<Vec<char>> = articles.iter().map(|article| article.text.chars().collect()).collect();
    let mut vocabulary = Vocabulary::default();
    // Document frequencies over every sentence of every article.
    for (index, article) in articles.iter().enumerate() {
        for paragraph in article.paragraphs() {
            for (start, end) in tokens::split_sentences(&article_chars[index], paragraph.start, paragraph.end) {
                let text: String = article_chars[index][start..end].iter().collect();
                let ids = vocabulary.ids_of(&content_terms(&text));
                for id in ids {
                    vocabulary.document_frequency[id as usize] += 1;
                }
                vocabulary.documents += 1;
            }
        }
    }
    vocabulary.freeze();
    let items = build_items(articles, &article_chars, existing, proposed, &mut vocabulary);
    let mut candidates = text_candidates(&vocabulary, &items);
    candidates.extend(numeric_candidates(&vocabulary, &items));
    select(candidates, &items)
}

fn build_items(
    articles: &[&Article],
    article_chars: &[Vec<char>],
    existing: &[&Span],
    proposed: &[Suggestion],
    vocabulary: &mut Vocabulary,
) -> Vec<Item> {
    let position: HashMap<&str, usize> =
        articles.iter().enumerate().map(|(index, article)| (article.id.as_str(), index)).collect();
    let coverage = CoverageIndex::new(existing);
    let mut items = Vec::new();
    let mut add = |article: usize, start: usize, end: usize, is_quote: bool, end_point: LinkEnd, speaker: String| {
        let chars = &article_chars[article];
        if start >= end || end > chars.len() {
            return;
        }
        let text: String = chars[start..end].iter().collect();
        let mut context = text.clone();
        if !is_quote {
            if let Some((context_start, context_end)) = previous_sentence(articles[article], chars, start) {
                context.push(' ');
                context.extend(&chars[context_start..context_end]);
            }
        }
        let sentence_tokens = tokens::tokenize(chars, start, end, &[]);
        let quantities: Vec<Quantity> =
            numbers::find_quantities(&sentence_tokens).into_iter().filter(Quantity::is_claim_worthy).collect();
        let terms = vocabulary.ids_of(&content_terms(&text));
        let context_terms = vocabulary.ids_of(&content_terms(&context));
        items.push(Item {
            article,
            start,
            end,
            is_quote,
            end_point,
            speaker,
            norm: vocabulary.norm(&terms),
            terms,
            context_norm: vocabulary.norm(&context_terms),
            context_terms,
            quantities,
            normalized: normalized(&text),
        });
    };
    for span in existing {
        let Some(&article) = position.get(span.article.as_str()) else { continue };
        if span.label != QUOTE_LABEL && span.label != CLAIM_LABEL {
            continue;
        }
        let end_point = LinkEnd::Existing {
            span: span.id.clone(),
            article: span.article.clone(),
            start: span.start,
            end: span.end,
            text: span.text.to_string(),
        };
        add(article, span.start, span.end, span.label == QUOTE_LABEL, end_point, span.attribute("speaker").to_string());
    }
    for suggestion in proposed {
        if !matches!(suggestion.kind, SuggestionKind::Quote | SuggestionKind::NumericClaim) {
            continue;
        }
        let Some(span) = suggestion.span() else { continue };
        let Some(&article) = position.get(span.article.as_str()) else { continue };
        if coverage.covers(span) {
            continue;
        }
        let speaker = span.attributes.get("speaker").cloned().unwrap_or_default();
        add(article, span.start, span.end, span.label == QUOTE_LABEL, LinkEnd::Proposed(span.clone()), speaker);
    }
    items
}

/// The sentence before `start` in its paragraph or the previous one.
fn previous_sentence(article: &Article, chars: &[char], start: usize) -> Option<(usize, usize)> {
    let paragraphs = article.paragraphs();
    let index = article.paragraph_at(start)?;
    let mut best = None;
    for paragraph in &paragraphs[index.saturating_sub(1)..=index] {
        for (sentence_start, sentence_end) in tokens::split_sentences(chars, paragraph.start, paragraph.end) {
            if sentence_end <= start {
                best = Some((sentence_start, sentence_end));
            }
        }
    }
    best
}

fn overlaps(left: &Item, right: &Item) -> bool {
    left.article == right.article && left.start < right.end && right.start < left.end
}

/// Keeps one link per pair of places: a contradiction wins over a same-statement link for the
/// same two items, quotes win over the claims that contain them, then the higher score.
fn select(mut candidates: Vec<Candidate>, items: &[Item]) -> Vec<Suggestion> {
    let contradicted: std::collections::HashSet<(usize, usize)> = candidates
        .iter()
        .filter(|candidate| candidate.kind == SuggestionKind::NumericContradiction)
        .map(|candidate| (candidate.left.min(candidate.right), candidate.left.max(candidate.right)))
        .collect();
    candidates.retain(|candidate| {
        candidate.kind != SuggestionKind::SameStatement
            || !contradicted.contains(&(candidate.left.min(candidate.right), candidate.left.max(candidate.right)))
    });
    crate::domain::sorting::sort_by(&mut candidates, |left, right| {
        let quotes =
            |candidate: &Candidate| items[candidate.left].is_quote as u8 + items[candidate.right].is_quote as u8;
        quotes(right).cmp(&quotes(left)).then(right.score.total_cmp(&left.score))
    });
    // Items that share code points, found with one sweep per article.
    let mut order: Vec<usize> = (0..items.len()).collect();
    crate::domain::sorting::sort_by_key(&mut order, |&index| (items[index].article, items[index].start));
    let mut overlapping: Vec<Vec<usize>> = (0..items.len()).map(|index| vec![index]).collect();
    for (position, &index) in order.iter().enumerate() {
        for &other in &order[position + 1..] {
            if !overlaps(&items[index], &items[other]) {
                if items[other].article != items[index].article || items[other].start >= items[index].end {
                    break;
                }
                continue;
            }
            overlapping[index].push(other);
            overlapping[other].push(index);
        }
    }
    let mut kept: Vec<Candidate> = Vec::new();
    let mut kept_by_item: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for candidate in candidates {
        let duplicate = overlapping[candidate.left].iter().any(|&near| {
            kept_by_item[near].iter().any(|&kept_index| {
                let other = &kept[kept_index];
                let far_end = if other.left == near { other.right } else { other.left };
                other.kind == candidate.kind && overlaps(&items[far_end], &items[candidate.right])
            })
        });
        if !duplicate {
            kept_by_item[candidate.left].push(kept.len());
            kept_by_item[candidate.right].push(kept.len());
            kept.push(candidate);
        }
    }
    let mut suggestions: Vec<Suggestion> = kept
        .into_iter()
        .map(|candidate| {
            let (from, to) = (items[candidate.left].end_point.clone(), items[candidate.right].end_point.clone());
            let (relation_type, kind) = match candidate.kind {
                SuggestionKind::SameStatement => (schema::SAME_STATEMENT, None),
                SuggestionKind::NumericContradiction => (schema::CONTRADICTS, Some("numeric")),
                _ => (schema::CONTRADICTS, Some("attribution")),
            };
            Suggestion {
                key: link_key(candidate.kind, &from, &to),
                kind: candidate.kind,
                target: SuggestionTarget::Link {
                    relation_type: RelationTypeId::from(relation_type),
                    kind: kind.map(str::to_string),
                    from,
                    to,
                },
                reason: candidate.reason,
                score: candidate.score,
            }
        })
        .collect();
    crate::domain::sorting::sort_by(&mut suggestions, |left, right| {
        right.score.total_cmp(&left.score).then(left.key.cmp(&right.key))
    });
    suggestions.dedup_by(|left, right| left.key == right.key);
    suggestions
}
