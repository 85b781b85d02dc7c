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

use std::collections::{BTreeMap, HashMap};

use crate::domain::annotation::Span;
use crate::domain::article::Article;
use crate::domain::ids::RelationTypeId;
use crate::domain::schema;
use crate::domain::suggest::numbers::{self, Bound, Quantity, QuantityKind};
use crate::domain::suggest::tokens::{self, TokenKind};
use crate::domain::suggest::{
    lexicon, link_key, CoverageIndex, LinkEnd, Suggestion, SuggestionKind, SuggestionTarget, CLAIM_LABEL, QUOTE_LABEL,
};

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

/// Interned terms with their document frequencies over all sentences.
#[derive(Default)]
struct Vocabulary {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    document_frequency: Vec<u32>,
    documents: u32,
    weights: Vec<f32>,
    unseen_weight: f32,
}

impl Vocabulary {
    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.document_frequency.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.names.push(term.to_string());
        self.document_frequency.push(0);
        id
    }

    fn ids_of(&mut self, terms: &[String]) -> Vec<u32> {
        let mut ids: Vec<u32> = terms.iter().map(|term| self.id(term)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Fixes the IDF weights once the document frequencies are counted; terms seen later (in
    /// items only) get the weight of a term seen once.
    fn freeze(&mut self) {
        let documents = self.documents.max(1) as f32;
        self.weights =
            self.document_frequency.iter().map(|&frequency| (1.0 + documents / frequency.max(1) as f32).ln()).collect();
        self.unseen_weight = (1.0 + documents).ln();
    }

    fn weight(&self, id: u32) -> f32 {
        self.weights.get(id as usize).copied().unwrap_or(self.unseen_weight)
    }

    /// The Euclidean norm of a term set's weights.
    fn norm(&self, terms: &[u32]) -> f32 {
        terms.iter().map(|&term| self.weight(term).powi(2)).sum::<f32>().sqrt()
    }
}

/// A light English stemmer: enough to make "disappointed", "disappointing" and "disappoint",
/// or "withdrawal" and "withdraw", one term.
pub fn stem(word: &str) -> String {
    let mut stem = word.to_string();
    let strip = |stem: &mut String, suffix: &str, replacement: &str, keep: usize| {
        if stem.len() >= suffix.len() + keep && stem.ends_with(suffix) {
            stem.truncate(stem.len() - suffix.len());
            stem.push_str(replacement);
            true
        } else {
            false
        }
    };
    if !strip(&mut stem, "ies", "y", 3)
        && !strip(&mut stem, "sses", "ss", 2)
        && !stem.ends_with("ss")
        && !stem.ends_with("us")
        && !stem.ends_with("is")
    {
        strip(&mut stem, "s", "", 3);
    }
    if strip(&mut stem, "ing", "", 4) || strip(&mut stem, "ied", "y", 3) || strip(&mut stem, "ed", "", 4) {
        let bytes = stem.as_bytes();
        let length = bytes.len();
        if length >= 2 && bytes[length - 1] == bytes[length - 2] && !matches!(bytes[length - 1], b'l' | b's' | b'z') {
            stem.pop();
        }
    }
    strip(&mut stem, "ly", "", 4);
    strip(&mut stem, "al", "", 5);
    strip(&mut stem, "e", "", 3);
    stem
}

/// The content terms of a text: canonical country names, stems of the other content words, and
/// the values of its numbers.
pub fn content_terms(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let tokens = tokens::tokenize(&chars, 0, chars.len(), &[]);
    let mut terms = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        index += 1;
        if token.kind != TokenKind::Word {
            continue;
        }
        let next_lower = tokens.get(index).map(|next| next.lower.as_str()).unwrap_or("");
        let canonical = match (token.text.as_str(), token.lower.as_str()) {
            ("US" | "U.S." | "U.S" | "USA" | "U.S.A.", _) | (_, "america" | "american" | "americans") => Some("us"),
            ("UN" | "U.N." | "U.N", _) => Some("un"),
            ("UK" | "U.K.", _) | (_, "britain" | "british") => Some("uk"),
            (_, "united") if next_lower == "states" || next_lower == "nations" || next_lower == "kingdom" => {
                index += 1;
                Some(match next_lower {
                    "states" => "us",
                    "nations" => "un",
                    _ => "uk",
                })
            }
            _ => None,
        };
        if let Some(canonical) = canonical {
            terms.push(canonical.to_string());
            continue;
        }
        let lower = token.lower.as_str();
        if lower.chars().count() < 2
            || lexicon::is_stopword(lower)
            || lower.chars().all(|character| character.is_ascii_digit())
        {
            continue;
        }
        terms.push(stem(lower));
    }
    for quantity in numbers::find_quantities(&tokens) {
        if quantity.is_claim_worthy() && quantity.kind != QuantityKind::Year {
            terms.push(format!("#{}", quantity.value));
        }
    }
    terms
}

/// Lower-case letters and digits with single spaces, for verbatim containment.
fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for character in text.chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            out.push(character);
            space = false;
        } else if !space && !matches!(character, '\'' | '’') {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

fn shared(left: &[u32], right: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut common = Vec::new();
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common.push(left[i]);
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// The cosine of two term sets given their norms.
fn cosine(vocabulary: &Vocabulary, left: (&[u32], f32), right: (&[u32], f32)) -> f32 {
    if left.1 == 0.0 || right.1 == 0.0 {
        return 0.0;
    }
    let (left, left_norm) = left;
    let (right, right_norm) = right;
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += vocabulary.weight(left[i]).powi(2);
                i += 1;
                j += 1;
            }
        }
    }
    dot / (left_norm * right_norm)
}

/// How alike two items' words are: the cosine, or how much of the shorter the longer contains.
fn similarity(vocabulary: &Vocabulary, left: &Item, right: &Item) -> f32 {
    let cos = cosine(vocabulary, (&left.terms, left.norm), (&right.terms, right.norm));
    let (small, large) = if left.terms.len() <= right.terms.len() { (left, right) } else { (right, left) };
    let mut best = cos;
    if small.terms.len() >= 3 {
        // Containment of a short item says little: it is damped under six terms.
        let total: f32 = small.terms.iter().map(|&term| vocabulary.weight(term)).sum();
        let common: f32 = shared(&small.terms, &large.terms).iter().map(|&term| vocabulary.weight(term)).sum();
        let damping = (small.terms.len() as f32 / 6.0).min(1.0);
        if total > 0.0 {
            best = best.max(0.9 * damping * common / total);
        }
    }
    let verbatim =
        small.terms.len() >= 2 && small.normalized.len() >= 10 && large.normalized.contains(&small.normalized);
    if verbatim {
        best = best.max(0.9);
    }
    best
}

/// Names that refer to the same speaker: equal, one the end of the other ("Kirby", "John
/// Kirby"), or a person and their office ("Netanyahu", "Netanyahu's office").
pub fn same_speaker(left: &str, right: &str) -> bool {
    let words = |name: &str| -> Vec<String> {
        let lower = name.to_lowercase().replace('’', "'");
        let mut words: Vec<String> = lower
            .split_whitespace()
            .map(|word| {
                word.trim_matches(|character: char| !character.is_alphanumeric() && character != '\'').to_string()
            })
            .filter(|word| {
                !word.is_empty()
                    && !matches!(word.as_str(), "the" | "a" | "an" | "mr" | "mrs" | "ms" | "dr" | "mr." | "ms." | "dr.")
            })
            .collect();
        if let Some(position) = words.iter().position(|word| word.ends_with("'s")) {
            words.truncate(position + 1);
            let possessor = words[position].trim_end_matches("'s").to_string();
            words[position] = possessor;
        }
        words
    };
    let (left, right) = (words(left), words(right));
    if left.is_empty() || right.is_empty() {
        return false;
    }
    let (short, long) = if left.len() <= right.len() { (&left, &right) } else { (&right, &left) };
    long.ends_with(short)
}

fn family(quantity: &Quantity) -> Option<&'static str> {
    if quantity.restricted || quantity.bound == Bound::Vague {
        return None;
    }
    match quantity.kind {
        QuantityKind::Count => Some("count"),
        QuantityKind::Size => Some("size"),
        QuantityKind::Percent => Some("percent"),
        QuantityKind::Money => Some("money"),
        QuantityKind::Duration | QuantityKind::Ordinal if !quantity.unit.is_empty() => Some("time"),
        _ => None,
    }
}

fn is_substantive(quantity: &Quantity) -> bool {
    matches!(quantity.kind, QuantityKind::Count | QuantityKind::Percent | QuantityKind::Money | QuantityKind::Size)
        && quantity.bound != Bound::Vague
}

fn unit_key(quantity: &Quantity) -> String {
    let unit = quantity.unit_class();
    let unit = if quantity.kind == QuantityKind::Ordinal || quantity.kind == QuantityKind::Duration {
        unit.trim_end_matches('s').to_string()
    } else {
        unit
    };
    format!("{}|{}", family(quantity).unwrap_or(""), unit)
}

fn agree(left: &Quantity, right: &Quantity) -> bool {
    let (left_low, left_high) = left.interval();
    let (right_low, right_high) = right.interval();
    let tolerance = 0.01 * left.value.abs().max(right.value.abs());
    left_low <= right_high + tolerance && right_low <= left_high + tolerance
}

/// Whether two numbers state the same value, give or take the rounding their wording allows
/// ("more than 110" and "112" do; "at least 25" and "700" do not).
fn same_value(left: &Quantity, right: &Quantity) -> bool {
    let tolerance = if left.bound == Bound::Exact && right.bound == Bound::Exact { 0.01 } else { 0.1 };
    agree(left, right) && (left.value - right.value).abs() <= tolerance * left.value.abs().max(right.value.abs())
}

fn far_apart(left: &Quantity, right: &Quantity) -> bool {
    let (low, high) = if left.value <= right.value { (left.value, right.value) } else { (right.value, left.value) };
    low <= 0.0 || high / low > MAX_CONTRADICTION_RATIO
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
            text: span.text.clone(),
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

fn text_candidates(vocabulary: &Vocabulary, items: &[Item]) -> Vec<Candidate> {
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
        rights.sort_unstable();
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
        scored
            .sort_by(|left, right| items[left.0].article.cmp(&items[right.0].article).then(right.1.total_cmp(&left.1)));
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

/// Two numbers about the same kind of thing that cannot both be true: a number of one item
/// that agrees with no number of the same unit in the other, facing such a number. Extra numbers
/// that one report gives and the other does not are not a contradiction.
fn numeric_conflict(left: &Item, right: &Item) -> Option<String> {
    let unmatched = |item: &Item, other: &Item| -> Vec<usize> {
        (0..item.quantities.len())
            .filter(|&index| {
                let quantity = &item.quantities[index];
                family(quantity).is_some()
                    && !other
                        .quantities
                        .iter()
                        .any(|candidate| unit_key(candidate) == unit_key(quantity) && agree(quantity, candidate))
            })
            .collect()
    };
    let (left_open, right_open) = (unmatched(left, right), unmatched(right, left));
    for &one in &left_open {
        let quantity = &left.quantities[one];
        for &two in &right_open {
            let other = &right.quantities[two];
            if unit_key(quantity) == unit_key(other) && !far_apart(quantity, other) {
                return Some(describe_pair(left, quantity, right, other));
            }
        }
    }
    None
}

fn describe_pair(left: &Item, one: &Quantity, right: &Item, other: &Quantity) -> String {
    let quote = |item: &Item, quantity: &Quantity| {
        let text = item.end_point.text();
        let chars: Vec<char> = text.chars().collect();
        let (start, end) = (quantity.start.saturating_sub(item.start), quantity.end.saturating_sub(item.start));
        chars.get(start..end.min(chars.len())).map(|slice| slice.iter().collect::<String>()).unwrap_or_default()
    };
    format!("'{}' vs '{}'", quote(left, one), quote(right, other))
}

fn numeric_candidates(vocabulary: &Vocabulary, items: &[Item]) -> Vec<Candidate> {
    // (unit key, order of magnitude) → (item, quantity) for the claims' numbers.
    let mut index: HashMap<(String, i32), Vec<(usize, usize)>> = HashMap::new();
    let magnitude = |quantity: &Quantity| quantity.value.abs().max(1e-9).log10().floor() as i32;
    for (item_index, item) in items.iter().enumerate() {
        if item.is_quote {
            continue;
        }
        for (quantity_index, quantity) in item.quantities.iter().enumerate() {
            if family(quantity).is_some() {
                index.entry((unit_key(quantity), magnitude(quantity))).or_default().push((item_index, quantity_index));
            }
        }
    }
    let mut candidates = Vec::new();
    for (left, item) in items.iter().enumerate() {
        if item.is_quote {
            continue;
        }
        for quantity in &item.quantities {
            if family(quantity).is_none() {
                continue;
            }
            let key = unit_key(quantity);
            let exponent = magnitude(quantity);
            // The best counterpart in each other article: most alike context, agreeing on ties.
            let mut best: BTreeMap<usize, (f32, bool, usize, usize)> = BTreeMap::new();
            for shift in -1..=1 {
                for &(right, other_index) in
                    index.get(&(key.clone(), exponent + shift)).map(Vec::as_slice).unwrap_or(&[])
                {
                    let other_item = &items[right];
                    if other_item.article == item.article {
                        continue;
                    }
                    let other = &other_item.quantities[other_index];
                    let likeness = cosine(
                        vocabulary,
                        (&item.context_terms, item.context_norm),
                        (&other_item.context_terms, other_item.context_norm),
                    );
                    let agrees = agree(quantity, other);
                    let entry = best.entry(other_item.article).or_insert((-1.0, false, right, other_index));
                    let better =
                        likeness > entry.0 + 1e-4 || ((likeness - entry.0).abs() <= 1e-4 && agrees && !entry.1);
                    if better {
                        *entry = (likeness, agrees, right, other_index);
                    }
                }
            }
            for (_, (likeness, agrees, right, other_index)) in best {
                if likeness < NUMERIC_CONTEXT_THRESHOLD {
                    continue;
                }
                let other_item = &items[right];
                let other = &other_item.quantities[other_index];
                if agrees {
                    if is_substantive(quantity) && same_value(quantity, other) {
                        let score = (0.5 + likeness / 2.0).min(0.99);
                        candidates.push(Candidate {
                            kind: SuggestionKind::SameStatement,
                            left,
                            right,
                            score,
                            reason: format!(
                                "the same number about the same thing: {} (context similarity {likeness:.2})",
                                describe_pair(item, quantity, other_item, other)
                            ),
                        });
                    }
                } else if !far_apart(quantity, other) && numeric_conflict(item, other_item).is_some() {
                    candidates.push(Candidate {
                        kind: SuggestionKind::NumericContradiction,
                        left,
                        right,
                        score: (0.5 + likeness / 2.0).min(0.99),
                        reason: format!(
                            "numbers disagree: {} (context similarity {likeness:.2})",
                            describe_pair(item, quantity, other_item, other)
                        ),
                    });
                }
            }
        }
    }
    candidates
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
    candidates.sort_by(|left, right| {
        let quotes =
            |candidate: &Candidate| items[candidate.left].is_quote as u8 + items[candidate.right].is_quote as u8;
        quotes(right).cmp(&quotes(left)).then(right.score.total_cmp(&left.score))
    });
    // Items that share code points, found with one sweep per article.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&index| (items[index].article, items[index].start));
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
    suggestions.sort_by(|left, right| right.score.total_cmp(&left.score).then(left.key.cmp(&right.key)));
    suggestions.dedup_by(|left, right| left.key == right.key);
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_terms() {
        assert_eq!(stem("disappointed"), stem("disappointing"));
        assert_eq!(stem("withdrawal"), stem("withdraw"));
        assert_eq!(stem("hostages"), stem("hostage"));
        let terms = content_terms("The U.S. and the United States and America's consistent position");
        assert_eq!(terms.iter().filter(|term| *term == "us").count(), 3);
        assert!(content_terms("about 1.4 million people").contains(&"#1400000".to_string()));
    }

    use crate::domain::suggest::suggest_for_article;

    /// The kinds of the links proposed between two one-paragraph articles.
    fn links(first: &str, second: &str) -> Vec<SuggestionKind> {
        let (one, two) = (Article::new(first, "", "one"), Article::new(second, "", "two"));
        let mut proposed = suggest_for_article(&one);
        proposed.extend(suggest_for_article(&two));
        let mut kinds: Vec<SuggestionKind> =
            suggest_across(&[&one, &two], &[], &proposed).into_iter().map(|link| link.kind).collect();
        kinds.sort();
        kinds
    }

    #[test]
    fn numbers_that_cannot_both_be_true_contradict() {
        let kinds = links(
            "Floods forced the evacuation of about 2,300 residents from the Doubs valley overnight.",
            "Around 3,000 people had to leave the Doubs valley overnight after the floods.",
        );
        assert_eq!(kinds, [SuggestionKind::NumericContradiction]);
    }

    #[test]
    fn agreeing_numbers_are_the_same_statement_and_extra_numbers_do_not_contradict() {
        let kinds = links(
            "The union is seeking a 12 percent pay rise over three years.",
            "The union wants a 12 percent raise spread over three years, while management offers 7 percent.",
        );
        assert_eq!(kinds, [SuggestionKind::SameStatement]);
    }

    #[test]
    fn a_vague_or_partial_number_never_contradicts() {
        let kinds = links(
            "Hundreds of hostages are still held in tunnels under the city, officials said.",
            "Forty hostages are still held in tunnels under the city, officials said.",
        );
        assert!(!kinds.contains(&SuggestionKind::NumericContradiction), "{kinds:?}");
    }

    #[test]
    fn the_same_words_in_two_mouths_are_an_attribution_conflict() {
        let kinds = links(
            "\"Our offer is fair and it is final,\" port chief Martin Osei said.",
            "\"Our offer is fair and it is final,\" said Transport Minister Helen Varga.",
        );
        assert_eq!(kinds, [SuggestionKind::SameStatement, SuggestionKind::AttributionConflict]);
    }

    #[test]
    fn a_two_word_quote_needs_the_same_speaker() {
        let different =
            links("Biden called the plan a “red line” for America.", "Netanyahu spoke of his own “red line” on Hamas.");
        assert!(different.is_empty(), "{different:?}");
        let same = links(
            "Mr Miller called the move “surprising and unfortunate” on Monday.",
            "State Department spokesman Matthew Miller called it “a bit surprising and unfortunate.”",
        );
        assert_eq!(same, [SuggestionKind::SameStatement]);
    }

    #[test]
    fn speakers_match_by_surname_and_office() {
        assert!(same_speaker("Kirby", "John Kirby"));
        assert!(same_speaker("Mr Netanyahu's office", "Netanyahu"));
        assert!(!same_speaker("Martin Osei", "Helen Varga"));
        assert!(!same_speaker("", "Helen Varga"));
    }
}
