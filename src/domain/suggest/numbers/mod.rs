//! Quantities and numeric claims: sentences that assert counts, percentages, amounts of money,
//! durations and dates.
//!
//! [`find_quantities`] reads numbers written in digits ("1.4 million", "100,000", "$45 million",
//! "81 percent") and in words ("forty-one years", "two million", "hundreds of", "a third of",
//! "its sixth month"), with the qualifier before them ("about", "at least", "more than") and the
//! unit after them ("people", "ships", "months"). [`find_numeric_claims`] proposes every sentence
//! that asserts one, skipping bylines, timestamps and links.

mod quantities;
#[cfg(test)]
mod tests;

use crate::domain::suggest::lexicon;
use crate::domain::suggest::tokens::{self, Token};

pub use quantities::find_quantities;

/// How exactly a number is meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Exact,
    /// "about", "roughly", "some", "an estimated".
    About,
    /// "at least", "more than", "over".
    AtLeast,
    /// "up to", "fewer than", "under".
    AtMost,
    /// "hundreds of", "dozens of".
    Vague,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityKind {
    Count,
    Percent,
    Money,
    Duration,
    Ordinal,
    Fraction,
    Year,
    Date,
    Time,
    /// The size of a body: "the 15-member council".
    Size,
}

/// One number in a sentence, in code points of the article text.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub bound: Bound,
    pub kind: QuantityKind,
    /// The unit noun, singular and lower case ("ship", "people", "percent"), or "".
    pub unit: String,
    /// Whether "other", "remaining" or "another" restricts it to part of a whole.
    pub restricted: bool,
}

impl Quantity {
    /// The interval of values the wording allows, for comparing two reports.
    pub fn interval(&self) -> (f64, f64) {
        let value = self.value;
        match self.bound {
            Bound::Exact if self.kind == QuantityKind::Ordinal => (value - 1.0, value),
            Bound::Exact => (value, value),
            Bound::About => (value * 0.9, value * 1.1),
            Bound::AtLeast => (value, f64::INFINITY),
            Bound::AtMost => (0.0, value),
            Bound::Vague => (value, value * 5.0),
        }
    }

    /// The same kind of thing counted, whatever the wording: people of any kind are compared
    /// with "people", ships with vessels, days with days.
    pub fn unit_class(&self) -> String {
        let unit = self.unit.as_str();
        if lexicon::is_generic_people_noun(unit) || unit == "people" || unit == "person" || unit == "resident" {
            return "people".to_string();
        }
        match unit {
            "ship" | "vessel" | "boat" => "vessel".to_string(),
            _ => unit.to_string(),
        }
    }

    /// Whether the number asserts something a checker could verify (a time of day does not).
    pub fn is_claim_worthy(&self) -> bool {
        self.kind != QuantityKind::Time
    }
}

/// A sentence proposed as a numeric claim.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericClaim {
    pub start: usize,
    pub end: usize,
    /// The sentence before it in the same or the previous paragraph, as context for matching.
    pub previous_sentence: Option<(usize, usize)>,
    pub quantities: Vec<Quantity>,
}

/// Code-point ranges of web addresses, handles and hashtags, whose digits are not quantities.
fn link_ranges(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut index = start;
    while index < end {
        while index < end && chars[index].is_whitespace() {
            index += 1;
        }
        let word_start = index;
        while index < end && !chars[index].is_whitespace() {
            index += 1;
        }
        let word = &chars[word_start..index];
        let has = |needle: &[char]| word.windows(needle.len()).any(|window| window == needle);
        let first = word.first().copied();
        let looks_like_link = has(&[':', '/', '/'])
            || word.starts_with(&['w', 'w', 'w', '.'])
            || (word.contains(&'/') && word.contains(&'.'))
            || matches!(first, Some('@' | '#'))
            || word.starts_with(&['(', '@']);
        if looks_like_link {
            ranges.push((word_start, index));
        }
    }
    ranges
}

/// Whether a sentence is a byline, timestamp or label line rather than a statement.
fn is_metadata(chars: &[char], tokens: &[Token], start: usize) -> bool {
    let lowercase_words = tokens.iter().filter(|token| token.is_word() && !token.is_capitalised()).count();
    let opens_with_dash = matches!(chars.get(start), Some('—' | '–' | '-'));
    lowercase_words < 3 || opens_with_dash
}

/// Proposes the sentences of the given paragraphs that assert a quantity.
pub fn find_numeric_claims(chars: &[char], paragraphs: &[(usize, usize)]) -> Vec<NumericClaim> {
    let mut claims = Vec::new();
    let mut previous_sentence: Option<(usize, usize)> = None;
    for &(start, end) in paragraphs {
        for (sentence_start, sentence_end) in tokens::split_sentences(chars, start, end) {
            let links = link_ranges(chars, sentence_start, sentence_end);
            let all_tokens = tokens::tokenize(chars, sentence_start, sentence_end, &[]);
            let tokens: Vec<Token> = all_tokens
                .into_iter()
                .filter(|token| {
                    !links.iter().any(|&(link_start, link_end)| token.start >= link_start && token.end <= link_end)
                })
                .collect();
            let context = previous_sentence.replace((sentence_start, sentence_end));
            if is_metadata(chars, &tokens, sentence_start) {
                continue;
            }
            let quantities = find_quantities(&tokens);
            if quantities.iter().any(Quantity::is_claim_worthy) {
                claims.push(NumericClaim {
                    start: sentence_start,
                    end: sentence_end,
                    previous_sentence: context,
                    quantities,
                });
            }
        }
    }
    claims
}

/// A short description of the quantities, for the suggestion's reason.
pub fn describe(chars: &[char], quantities: &[Quantity]) -> String {
    let described: Vec<String> = quantities
        .iter()
        .filter(|quantity| quantity.is_claim_worthy())
        .take(4)
        .map(|quantity| {
            format!("'{}'", chars[quantity.start..quantity.end.min(chars.len())].iter().collect::<String>())
        })
        .collect();
    described.join(", ")
}
