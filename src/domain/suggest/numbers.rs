//! Quantities and numeric claims: sentences that assert counts, percentages, amounts of money,
//! durations and dates.
//!
//! [`find_quantities`] reads numbers written in digits ("1.4 million", "100,000", "$45 million",
//! "81 percent") and in words ("forty-one years", "two million", "hundreds of", "a third of",
//! "its sixth month"), with the qualifier before them ("about", "at least", "more than") and the
//! unit after them ("people", "ships", "months"). [`find_numeric_claims`] proposes every sentence
//! that asserts one, skipping bylines, timestamps and links.

use crate::domain::suggest::lexicon;
use crate::domain::suggest::tokens::{self, Token, TokenKind};

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

fn singular(word: &str) -> String {
    if word == "people" || word.ends_with("ss") || word.len() <= 3 {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if word == "children" {
        return "child".to_string();
    }
    word.strip_suffix('s').unwrap_or(word).to_string()
}

/// The value of a number written in words, hyphenated tens included ("forty-one").
fn word_number(lower: &str) -> Option<f64> {
    if let Some(value) = lexicon::cardinal_value(lower) {
        return Some(value);
    }
    let (tens, units) = lower.split_once('-')?;
    let tens = lexicon::cardinal_value(tens)?;
    let units = lexicon::cardinal_value(units)?;
    (tens >= 20.0 && units < 10.0).then_some(tens + units)
}

fn parse_digits(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|character| *character != ',').collect();
    cleaned.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// A word token that starts with digits ("15-member", "12th", "1970s"): its number and the rest.
fn split_leading_number(text: &str) -> Option<(f64, &str)> {
    let digits_end =
        text.find(|character: char| !(character.is_ascii_digit() || character == ',' || character == '.'))?;
    let value = parse_digits(&text[..digits_end])?;
    Some((value, &text[digits_end..]))
}

/// The qualifier in the one to three words before `index`.
fn bound_before(tokens: &[Token], index: usize) -> (Bound, usize) {
    let word =
        |offset: usize| index.checked_sub(offset).and_then(|at| tokens.get(at)).map(|token| token.lower.as_str());
    let start_of = |offset: usize| tokens[index - offset].start;
    match (word(2), word(1)) {
        (Some("at"), Some("least")) | (Some("more"), Some("than")) | (Some("just"), Some("over")) => {
            return (Bound::AtLeast, start_of(2));
        }
        (Some("fewer" | "less"), Some("than")) | (Some("up"), Some("to")) | (Some("no"), Some("more")) => {
            return (Bound::AtMost, start_of(2));
        }
        (Some("close"), Some("to")) | (Some("an"), Some("estimated")) => return (Bound::About, start_of(2)),
        _ => {}
    }
    match word(1) {
        Some(
            "about" | "around" | "roughly" | "approximately" | "nearly" | "almost" | "some" | "estimated" | "approx",
        ) => (Bound::About, start_of(1)),
        Some("over" | "above" | "exceeding") => (Bound::AtLeast, start_of(1)),
        Some("under" | "below") => (Bound::AtMost, start_of(1)),
        _ => (Bound::Exact, tokens.get(index).map_or(0, |token| token.start)),
    }
}

fn restricted_before(tokens: &[Token], index: usize) -> bool {
    (index.saturating_sub(2)..index)
        .any(|at| matches!(tokens[at].lower.as_str(), "other" | "remaining" | "another" | "additional"))
}

/// The unit after a number ending at token `after` (exclusive): skips up to three modifiers.
fn unit_after(tokens: &[Token], after: usize) -> (String, usize, Option<QuantityKind>) {
    let mut index = after;
    let mut skipped = 0;
    while let Some(token) = tokens.get(index) {
        if token.kind != TokenKind::Word {
            break;
        }
        let lower = token.lower.as_str();
        if lower == "percent" || lower == "per" && tokens.get(index + 1).is_some_and(|next| next.lower == "cent") {
            return ("percent".to_string(), token.end, Some(QuantityKind::Percent));
        }
        if lexicon::is_time_unit(lower) {
            return (singular(lower), token.end, Some(QuantityKind::Duration));
        }
        if lexicon::is_people_participle(lower) || lexicon::is_generic_people_noun(lower) {
            return ("people".to_string(), token.end, None);
        }
        if lower == "of" {
            // "25 of those prisoners", "two of his top advisers".
            let mut next = index + 1;
            while tokens.get(next).is_some_and(|token| {
                lexicon::is_determiner(&token.lower) || token.lower == "these" || token.lower == "those"
            }) {
                next += 1;
            }
            let (unit, end, kind) = unit_after(tokens, next);
            return if unit.is_empty() { (String::new(), tokens[after - 1].end, None) } else { (unit, end, kind) };
        }
        if lexicon::is_stopword(lower) || lexicon::is_cue_verb(lower) {
            break;
        }
        let plural = lower.len() > 3 && lower.ends_with('s') && !lower.ends_with("ss");
        if plural || skipped == 2 {
            return (singular(lower), token.end, None);
        }
        skipped += 1;
        index += 1;
    }
    (String::new(), tokens.get(after.saturating_sub(1)).map_or(0, |token| token.end), None)
}

/// Finds the quantities among `tokens` (one sentence, quotes not folded).
pub fn find_quantities(tokens: &[Token]) -> Vec<Quantity> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let Some((quantity, next)) = quantity_at(tokens, index) else {
            index += 1;
            continue;
        };
        index = next.max(index + 1);
        found.push(quantity);
    }
    found
}

/// Reads the quantity starting at token `index`, returning it and the index after it.
fn quantity_at(tokens: &[Token], index: usize) -> Option<(Quantity, usize)> {
    let token = &tokens[index];
    let lower = token.lower.as_str();
    let previous = index.checked_sub(1).map(|at| tokens[at].lower.as_str()).unwrap_or("");
    let mut kind = QuantityKind::Count;
    let mut bound_override = None;
    let mut value;
    let mut end_index = index + 1;
    let mut compound_unit: Option<String> = None;
    match token.kind {
        TokenKind::Number => {
            if token.text.contains(':') {
                return Some((simple(token, 0.0, QuantityKind::Time), index + 1));
            }
            value = parse_digits(&token.text)?;
        }
        TokenKind::Word => {
            if let Some(number) = word_number(lower) {
                value = number;
                let referential = matches!(previous, "the" | "these" | "those" | "both" | "all");
                let multiplied =
                    tokens.get(index + 1).is_some_and(|next| lexicon::multiplier_value(&next.lower).is_some());
                let timed = tokens.get(index + 1).is_some_and(|next| next.has(lexicon::TIME_UNIT));
                if lower == "one" && !multiplied && !timed {
                    return None;
                }
                if referential && value <= 10.0 && !multiplied {
                    return None;
                }
            } else if let Some(number) = lexicon::vague_quantity_value(lower) {
                if tokens.get(index + 1).is_none_or(|next| next.lower != "of") {
                    return None;
                }
                value = number;
                bound_override = Some(Bound::Vague);
            } else if lexicon::multiplier_value(lower).is_some() && matches!(previous, "a" | "an") {
                value = 1.0;
                end_index = index;
            } else if let Some(number) = lexicon::ordinal_value(lower) {
                let next = tokens.get(index + 1).map(|token| token.lower.as_str()).unwrap_or("");
                let after_next = tokens.get(index + 2).map(|token| token.lower.as_str()).unwrap_or("");
                let timed = lexicon::is_time_unit(next) || lexicon::is_time_unit(after_next);
                if matches!(previous, "a" | "an") {
                    if next == "of" && number >= 3.0 {
                        let quantity = Quantity {
                            start: tokens[index - 1].start,
                            end: token.end,
                            value: 1.0 / number,
                            bound: Bound::Exact,
                            kind: QuantityKind::Fraction,
                            unit: String::new(),
                            restricted: false,
                        };
                        return Some((quantity, index + 1));
                    }
                    if !timed {
                        return None;
                    }
                } else if !timed && !matches!(previous, "the" | "its" | "his" | "her" | "their" | "our" | "this") {
                    return None;
                }
                if !timed && (next.len() <= 2 || lexicon::is_stopword(next)) {
                    return None;
                }
                value = number;
                kind = QuantityKind::Ordinal;
            } else if matches!(lower, "twice" | "thrice") {
                let count = if lower == "twice" { 2.0 } else { 3.0 };
                let mut quantity = simple(token, count, QuantityKind::Count);
                quantity.unit = "time".to_string();
                return Some((quantity, index + 1));
            } else if lower == "half" && tokens.get(index + 1).is_some_and(|next| next.lower == "of") {
                return Some((simple(token, 0.5, QuantityKind::Fraction), index + 1));
            } else if let Some((number, rest)) = split_leading_number(&token.text) {
                value = number;
                let rest = rest.trim_start_matches(['-', '‐', '‑']).to_lowercase();
                if matches!(rest.as_str(), "st" | "nd" | "rd" | "th") {
                    kind = QuantityKind::Ordinal;
                } else if rest == "s" || rest == "'s" {
                    kind = QuantityKind::Year;
                } else if rest.starts_with("member")
                    || rest.starts_with("strong")
                    || rest.starts_with("nation")
                    || rest.starts_with("seat")
                {
                    kind = QuantityKind::Size;
                    compound_unit = Some("member".to_string());
                } else if let Some(unit) = rest.split('-').next().filter(|unit| lexicon::is_time_unit(unit)) {
                    kind = QuantityKind::Duration;
                    compound_unit = Some(singular(unit));
                } else if rest.is_empty() {
                    return None;
                } else {
                    compound_unit = Some(singular(rest.split('-').next().unwrap_or("")));
                }
            } else {
                return None;
            }
        }
        _ => return None,
    }
    // Hyphenated tens written as two tokens never happen (the tokenizer joins them); multipliers
    // follow as words: "1.4 million", "two million", "a dozen".
    while let Some(multiplier) = tokens.get(end_index).and_then(|next| lexicon::multiplier_value(&next.lower)) {
        value *= multiplier;
        end_index += 1;
    }
    let start_token =
        if matches!(previous, "a" | "an") && end_index > index && lexicon::multiplier_value(lower).is_some() {
            index - 1
        } else {
            index
        };
    let (bound, start) = bound_before(tokens, start_token);
    let bound = bound_override.unwrap_or(bound);
    let mut start = start.min(tokens[start_token].start);
    let mut end = tokens[end_index - 1].end;
    // Currency before the number, "%" after it.
    if start_token > 0 && matches!(tokens[start_token - 1].text.as_str(), "$" | "€" | "£" | "¥") {
        kind = QuantityKind::Money;
        start = start.min(tokens[start_token - 1].start);
    }
    let month_before = start_token > 0 && tokens[start_token - 1].has(lexicon::MONTH);
    let mut unit = compound_unit.unwrap_or_default();
    if kind == QuantityKind::Money {
        unit = match tokens[start_token - 1].text.as_str() {
            "€" => "euro",
            "£" => "pound",
            "¥" => "yen",
            _ => "dollar",
        }
        .to_string();
    } else if tokens.get(end_index).is_some_and(|next| next.is_punct('%')) {
        kind = QuantityKind::Percent;
        unit = "percent".to_string();
        end = tokens[end_index].end;
    } else if month_before && token.kind == TokenKind::Number && value <= 31.0 {
        kind = QuantityKind::Date;
    } else if token.kind == TokenKind::Number
        && tokens.get(end_index).is_some_and(|next| {
            matches!(next.lower.as_str(), "a.m." | "p.m." | "am" | "pm" | "o'clock" | "a.m" | "p.m")
        })
        || token.kind == TokenKind::Word && tokens.get(end_index).is_some_and(|next| next.lower == "o'clock")
        || token.kind == TokenKind::Word
            && tokens.get(end_index).is_some_and(|next| next.lower == "in")
            && tokens
                .get(end_index + 2)
                .is_some_and(|next| matches!(next.lower.as_str(), "morning" | "afternoon" | "evening"))
    {
        kind = QuantityKind::Time;
    } else if unit.is_empty() && kind != QuantityKind::Size {
        let (found_unit, unit_end, unit_kind) = unit_after(tokens, end_index);
        let is_year = token.kind == TokenKind::Number
            && !token.text.contains(['.', ','])
            && (1800.0..=2100.0).contains(&value)
            && end_index == index + 1
            && (found_unit.is_empty() || matches!(previous, "in" | "since" | "from" | "until" | "by" | "of" | ","));
        if is_year {
            kind = QuantityKind::Year;
        } else {
            if let Some(unit_kind) = unit_kind {
                if kind != QuantityKind::Ordinal || unit_kind == QuantityKind::Duration {
                    kind = if kind == QuantityKind::Ordinal { QuantityKind::Ordinal } else { unit_kind };
                }
            }
            if !found_unit.is_empty() {
                unit = found_unit;
                end = end.max(unit_end);
            }
        }
    }
    if kind == QuantityKind::Percent && unit == "percent" {
        if let Some(next) = tokens.get(end_index) {
            if next.lower == "percent" {
                end = end.max(next.end);
            }
        }
    }
    // Capitalised plurals after a number are peoples ("1 million Palestinians").
    if let Some(next) = tokens.get(end_index) {
        if next.is_capitalised() && next.text.ends_with('s') && unit == next.lower.trim_end_matches('s') {
            unit = "people".to_string();
        }
    }
    let quantity =
        Quantity { start, end, value, bound, kind, unit, restricted: restricted_before(tokens, start_token) };
    Some((quantity, end_index))
}

fn simple(token: &Token, value: f64, kind: QuantityKind) -> Quantity {
    Quantity {
        start: token.start,
        end: token.end,
        value,
        bound: Bound::Exact,
        kind,
        unit: String::new(),
        restricted: false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn quantities(text: &str) -> Vec<(f64, Bound, QuantityKind, String)> {
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokens::tokenize(&chars, 0, chars.len(), &[]);
        find_quantities(&tokens)
            .into_iter()
            .map(|quantity| (quantity.value, quantity.bound, quantity.kind, quantity.unit))
            .collect()
    }

    fn claims(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        find_numeric_claims(&chars, &[(0, chars.len())])
            .into_iter()
            .map(|claim| chars[claim.start..claim.end].iter().collect())
            .collect()
    }

    #[test]
    fn digits_words_multipliers_and_qualifiers() {
        assert_eq!(
            quantities("about 1.4 million people"),
            [(1.4e6, Bound::About, QuantityKind::Count, "people".to_string())]
        );
        assert_eq!(
            quantities("roughly 1 million Palestinians who fled"),
            [(1e6, Bound::About, QuantityKind::Count, "people".to_string())]
        );
        assert_eq!(quantities("the other 14 members voted yes")[0].3, "member");
        assert_eq!(
            quantities("at least 25 of those prisoners")[0],
            (25.0, Bound::AtLeast, QuantityKind::Count, "prisoner".to_string())
        );
        assert_eq!(quantities("forty-one years")[0], (41.0, Bound::Exact, QuantityKind::Duration, "year".to_string()));
        assert_eq!(quantities("costing an estimated $45 million a day")[0].0, 45e6);
        assert_eq!(quantities("costing an estimated $45 million a day")[0].2, QuantityKind::Money);
        assert_eq!(
            quantities("fell to 81 percent, from 93% in 2019").iter().map(|q| q.2).collect::<Vec<_>>(),
            [QuantityKind::Percent, QuantityKind::Percent, QuantityKind::Year]
        );
        assert_eq!(quantities("the hundreds of Israeli hostages")[0].1, Bound::Vague);
        assert_eq!(
            quantities("approaches its sixth month")[0],
            (6.0, Bound::Exact, QuantityKind::Ordinal, "month".to_string())
        );
        assert_eq!(quantities("the 15-member Security Council")[0].2, QuantityKind::Size);
        assert_eq!(quantities("spending a third of the budget")[0].2, QuantityKind::Fraction);
    }

    #[test]
    fn pronouns_references_and_times_are_not_quantities() {
        assert!(quantities("One US official told CNN").is_empty());
        assert!(quantities("talks between the two governments").is_empty());
        assert!(quantities("A second reporter pressed her").is_empty());
        assert_eq!(quantities("As of 8 a.m. we had cases")[0].2, QuantityKind::Time);
        assert_eq!(quantities("at two in the morning")[0].2, QuantityKind::Time);
    }

    #[test]
    fn claims_skip_bylines_timestamps_and_links() {
        assert!(claims("Updated: March 26, 2024, 12:35 AM").is_empty());
        assert!(claims("— Prime Minister of Israel (@IsraeliPM) March 25, 2024").is_empty());
        assert!(claims("Watch it here https://t.co/VM6VCY4x3i and there pic.twitter.com/G6cPP").is_empty());
        assert_eq!(
            claims("The city is home to roughly 1 million people. It is calm."),
            ["The city is home to roughly 1 million people."]
        );
        assert_eq!(
            claims("Port strike halts shipping at Valmont for third day"),
            ["Port strike halts shipping at Valmont for third day"]
        );
    }
}
