//! Same-statement and attribution-conflict candidates: items in different articles whose words
//! are alike, found through an inverted index over the rarer terms.

use std::collections::HashMap;

use crate::domain::suggest::SuggestionKind;

use super::numeric::{is_substantive, numeric_conflict, same_value, unit_key};
use super::terms::{same_speaker, shared, similarity, Vocabulary};
use super::{Candidate, Item, MAX_COUNTERPARTS_PER_ARTICLE, SAME_SPEAKER_BONUS, SAME_STATEMENT_THRESHOLD};

pub(super) fn text_candidates(vocabulary: &Vocabulary, items: &[Item]) -> Vec<Candidate> {
    let rare_limit = (vocabulary.documents / 20).max(20);
    let mut postings: HashMap<u32, Vec<usize>> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        for &term in &item.terms {
            if vocabulary.document_frequency[term as usize] <= rare_limit {
                postings.entry(term).or_default().push(index);
            }
        }
    }
    let mut candidates = Vec::new();
    for (left, item) in items.iter().enumerate() {
        let mut counts: HashMap<usize, u32> = HashMap::new();
        for term in &item.terms {
            for &right in postings.get(term).map(Vec::as_slice).unwrap_or(&[]) {
                if right > left && items[right].article != item.article {
                    *counts.entry(right).or_default() += 1;
                }
            }
        }
        let mut rights: Vec<usize> =
            counts.into_iter().filter(|&(_, count)| count >= 2).map(|(right, _)| right).collect();
        crate::domain::sorting::sort(&mut rights);
        // Score every candidate, then keep the best few per other article.
        let mut scored: Vec<(usize, f32)> = rights
            .into_iter()
            .map(|right| {
                let other = &items[right];
                let mut score = similarity(vocabulary, item, other);
                if item.is_quote && other.is_quote && same_speaker(&item.speaker, &other.speaker) {
                    score = (score + SAME_SPEAKER_BONUS).min(1.0);
                }
                (right, score)
            })
            .filter(|&(_, score)| score >= SAME_STATEMENT_THRESHOLD)
            .collect();
        crate::domain::sorting::sort_by(&mut scored, |left, right| {
            items[left.0].article.cmp(&items[right.0].article).then(right.1.total_cmp(&left.1))
        });
        let mut per_article: HashMap<usize, usize> = HashMap::new();
        scored.retain(|&(right, _)| {
            let taken = per_article.entry(items[right].article).or_default();
            *taken += 1;
            *taken <= MAX_COUNTERPARTS_PER_ARTICLE
        });
        for (right, score) in scored {
            let other = &items[right];
            // Two numeric claims are the same statement only if they state the same number.
            let substantive = |item: &Item| item.quantities.iter().filter(|quantity| is_substantive(quantity)).count();
            let both_claims = !item.is_quote && !other.is_quote && substantive(item) > 0 && substantive(other) > 0;
            let same_number = item.quantities.iter().any(|one| {
                is_substantive(one)
                    && other.quantities.iter().any(|two| unit_key(one) == unit_key(two) && same_value(one, two))
            });
            if both_claims && !same_number && numeric_conflict(item, other).is_none() {
                continue;
            }
            // A phrase of one or two words is only the same statement in the same mouth.
            let short = item.terms.len().min(other.terms.len()) < 3;
            if short && !same_speaker(&item.speaker, &other.speaker) {
                continue;
            }
            if let Some(reason) = numeric_conflict(item, other) {
                candidates.push(Candidate { kind: SuggestionKind::NumericContradiction, left, right, score, reason });
                continue;
            }
            let common: Vec<&str> = shared(&item.terms, &other.terms)
                .into_iter()
                .filter(|&term| vocabulary.document_frequency[term as usize] <= rare_limit)
                .map(|term| vocabulary.names[term as usize].as_str())
                .take(4)
                .collect();
            candidates.push(Candidate {
                kind: SuggestionKind::SameStatement,
                left,
                right,
                score,
                reason: format!("similar wording, similarity {score:.2} (shared: {})", common.join(", ")),
            });
            if item.is_quote
                && other.is_quote
                && !item.speaker.is_empty()
                && !other.speaker.is_empty()
                && !same_speaker(&item.speaker, &other.speaker)
            {
                candidates.push(Candidate {
                    kind: SuggestionKind::AttributionConflict,
                    left,
                    right,
                    score,
                    reason: format!(
                        "the same statement (similarity {score:.2}) attributed to '{}' and to '{}'",
                        item.speaker, other.speaker
                    ),
                });
            }
        }
    }
    candidates
}
