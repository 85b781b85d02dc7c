//! Words as weighted terms: the content terms of a text, their rarity over all sentences, and
//! how alike two items' words (and two speakers' names) are.

use std::collections::HashMap;

use crate::domain::suggest::lexicon;
use crate::domain::suggest::numbers::{self, QuantityKind};
use crate::domain::suggest::tokens::{self, TokenKind};

use super::Item;

/// Interned terms with their document frequencies over all sentences.
#[derive(Default)]
pub(super) struct Vocabulary {
    ids: HashMap<String, u32>,
    pub(super) names: Vec<String>,
    pub(super) document_frequency: Vec<u32>,
    pub(super) documents: u32,
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

    pub(super) fn ids_of(&mut self, terms: &[String]) -> Vec<u32> {
        let mut ids: Vec<u32> = terms.iter().map(|term| self.id(term)).collect();
        crate::domain::sorting::sort(&mut ids);
        ids.dedup();
        ids
    }

    /// Fixes the IDF weights once the document frequencies are counted; terms seen later (in
    /// items only) get the weight of a term seen once.
    pub(super) fn freeze(&mut self) {
        let documents = self.documents.max(1) as f32;
        self.weights =
            self.document_frequency.iter().map(|&frequency| (1.0 + documents / frequency.max(1) as f32).ln()).collect();
        self.unseen_weight = (1.0 + documents).ln();
    }

    fn weight(&self, id: u32) -> f32 {
        self.weights.get(id as usize).copied().unwrap_or(self.unseen_weight)
    }

    /// The Euclidean norm of a term set's weights.
    pub(super) fn norm(&self, terms: &[u32]) -> f32 {
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
pub(super) fn normalized(text: &str) -> String {
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

pub(super) fn shared(left: &[u32], right: &[u32]) -> Vec<u32> {
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
pub(super) fn cosine(vocabulary: &Vocabulary, left: (&[u32], f32), right: (&[u32], f32)) -> f32 {
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
pub(super) fn similarity(vocabulary: &Vocabulary, left: &Item, right: &Item) -> f32 {
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
