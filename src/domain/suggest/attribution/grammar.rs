//! The grammar of attribution, read from tokens: cue verbs, the subject found left of a verb,
//! the noun phrases around it, and whether a quote is direct or partial.

use crate::domain::suggest::lexicon;
use crate::domain::suggest::names;
use crate::domain::suggest::quotes::QuotedPassage;
use crate::domain::suggest::tokens::{Token, TokenKind};

use super::Form;

pub(super) fn is_strong_cue(token: &Token) -> bool {
    token.kind == TokenKind::Word && token.has(lexicon::CUE) && !token.has(lexicon::WEAK_CUE)
}

pub(super) fn is_any_cue(token: &Token) -> bool {
    token.kind == TokenKind::Word && token.has(lexicon::CUE)
}

/// A lower-case word that may be a noun inside a speaker's description ("port authority chief
/// executive"): not a function word, not a verb form.
pub(super) fn is_plain_noun(token: &Token) -> bool {
    let lower = token.lower.as_str();
    token.kind == TokenKind::Word
        && !token.is_capitalised()
        && !token.has(lexicon::STOPWORD | lexicon::CUE)
        && !lower.ends_with("ed")
        && !lower.ends_with("ing")
        && lower.chars().count() > 2
}

pub(super) fn ends_sentence(token: &Token) -> bool {
    token.is_punct('.') || token.is_punct('!') || token.is_punct('?')
}

/// The subject of a cue verb, as found by looking left of it.
pub(super) enum Subject {
    Found(usize, usize),
    /// "…, saying", "and added": the verb shares the sentence's subject.
    Elided,
    /// "a measure that called for": the antecedent is only a fallback.
    Relative(usize, usize),
    /// "to demand": not a statement by anyone yet.
    Infinitive,
    None,
}

/// The noun phrase ending just before `end` (exclusive), not reaching below `floor`.
fn noun_phrase_ending_at(tokens: &[Token], floor: usize, end: usize) -> Option<(usize, usize)> {
    let mut start = end;
    while start > floor && names::is_noun_phrase_word(&tokens[start - 1]) {
        start -= 1;
    }
    // A phrase does not start with a connector ("of the").
    while start < end && matches!(tokens[start].lower.as_str(), "of" | "to" | "for") {
        start += 1;
    }
    if start < end {
        Some((start, end))
    } else if end > floor && lexicon::pronoun_kind(&tokens[end - 1].lower).is_some() {
        Some((end - 1, end))
    } else {
        None
    }
}

/// The noun phrase starting at `start`.
pub(super) fn noun_phrase_starting_at(tokens: &[Token], start: usize, limit: usize) -> Option<(usize, usize)> {
    if start < limit && lexicon::pronoun_kind(&tokens[start].lower).is_some() {
        return Some((start, start + 1));
    }
    let mut end = start;
    while end < limit && names::is_noun_phrase_word(&tokens[end]) {
        end += 1;
    }
    while end > start && matches!(tokens[end - 1].lower.as_str(), "of" | "to" | "for" | "the" | "a" | "an") {
        end -= 1;
    }
    (end > start).then_some((start, end))
}

pub(super) fn subject_of(tokens: &[Token], floor: usize, verb: usize) -> Subject {
    let mut position = verb;
    loop {
        if position <= floor {
            return Subject::Elided;
        }
        let previous = &tokens[position - 1];
        let lower = previous.lower.as_str();
        if previous.has(lexicon::BETWEEN) {
            position -= 1;
            continue;
        }
        // "on Monday", "last week", "at the time" between the subject and the verb.
        if (previous.has(lexicon::TIME_WORD) || lower == "time") && position >= floor + 2 {
            let mut before = position - 2;
            if tokens[before].lower == "the" && before > floor {
                before -= 1;
            }
            if matches!(tokens[before].lower.as_str(), "on" | "at" | "in" | "last" | "this" | "over" | "late" | "early")
            {
                position = before;
                continue;
            }
        }
        if previous.is_punct(',') {
            // A parenthesis between commas: skip it when it is an aside ("for his part"), take it
            // when it is a name in apposition ("…, Riyad Mansour, said").
            let search_floor = position.saturating_sub(14).max(floor);
            let opening = (search_floor..position - 1).rev().find(|&index| tokens[index].is_punct(','));
            if let Some(opening) = opening {
                let inside = &tokens[opening + 1..position - 1];
                if inside.first().is_some_and(Token::is_capitalised) && inside.iter().all(names::is_noun_phrase_word) {
                    let start = noun_phrase_ending_at(tokens, floor, opening).map_or(opening + 1, |(start, _)| start);
                    return Subject::Found(start, position - 1);
                }
                if inside.first().is_some_and(|token| token.kind == TokenKind::Word && !token.is_capitalised()) {
                    position = opening;
                    continue;
                }
            }
            return Subject::Elided;
        }
        if previous.kind != TokenKind::Word {
            return Subject::None;
        }
        match lower {
            "to" => return Subject::Infinitive,
            "that" | "which" => {
                let end = if position >= 2 && tokens[position - 2].is_punct(',') { position - 2 } else { position - 1 };
                return match noun_phrase_ending_at(tokens, floor, end) {
                    Some((start, end)) => Subject::Relative(start, end),
                    None => Subject::None,
                };
            }
            "who" => {
                let end = if position >= 2 && tokens[position - 2].is_punct(',') { position - 2 } else { position - 1 };
                return match noun_phrase_ending_at(tokens, floor, end) {
                    Some((start, end)) => Subject::Found(start, end),
                    None => Subject::None,
                };
            }
            "and" | "but" | "while" | "then" | "or" | "before" | "after" => return Subject::Elided,
            _ => {}
        }
        return match noun_phrase_ending_at(tokens, floor, position) {
            Some((start, end)) => Subject::Found(start, end),
            None => Subject::None,
        };
    }
}

/// The cue verb and the few words after it ("said in a statement").
pub(super) fn cue_phrase(tokens: &[Token], cue: usize) -> String {
    let mut words = vec![tokens[cue].text.clone()];
    for token in tokens.iter().skip(cue + 1).take(5) {
        if token.kind != TokenKind::Word {
            break;
        }
        words.push(token.text.clone());
    }
    words.join(" ")
}

/// Direct when the quote stands as an utterance of its own (it opens the sentence, follows a
/// colon, or resumes after "she said,"); partial when it is embedded in the reporter's words.
pub(super) fn form_of(tokens: &[Token], quote: usize, passage: &QuotedPassage, chars: &[char]) -> Form {
    let first_letter =
        chars[passage.content_start..passage.content_end].iter().find(|character| character.is_alphabetic());
    let starts_upper = first_letter.is_none_or(|character| character.is_uppercase());
    if passage.continues_previous {
        return Form::Direct;
    }
    if quote == 0 {
        return if starts_upper { Form::Direct } else { Form::Partial };
    }
    let previous = &tokens[quote - 1];
    if previous.is_punct(':') {
        return Form::Direct;
    }
    if previous.is_punct(',') {
        let resumes_after_cue = tokens[quote.saturating_sub(5)..quote - 1].iter().any(is_strong_cue);
        let follows_quote =
            tokens[quote.saturating_sub(5)..quote - 1].iter().any(|token| token.quote_index().is_some());
        if resumes_after_cue && follows_quote {
            return Form::Direct;
        }
        if resumes_after_cue && starts_upper {
            return Form::Direct;
        }
    }
    Form::Partial
}
