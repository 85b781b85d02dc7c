//! Reading the numbers of one sentence: digits and words, multipliers, the qualifier before a
//! number and the unit after it, each as a [`Quantity`].

use crate::domain::suggest::lexicon;
use crate::domain::suggest::tokens::{Token, TokenKind};

use super::{Bound, Quantity, QuantityKind};

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
