//! The attribution rules 1 to 7 (listed in the `attribution` module's documentation), each a
//! method of the attributor that finds a quote's speaker one way or returns nothing.

use crate::domain::suggest::lexicon;
use crate::domain::suggest::names::{self, MentionKind};
use crate::domain::suggest::quotes::QuotedPassage;
use crate::domain::suggest::tokens::{Token, TokenKind};

use super::grammar::{
    cue_phrase, ends_sentence, is_any_cue, is_plain_noun, is_strong_cue, noun_phrase_starting_at, subject_of, Subject,
};
use super::{Attribution, Attributor, ReporterSentence, Rule, MAX_LOOK_BACK_TOKENS};

impl<'a> Attributor<'a> {
    pub(super) fn is_question(&self, passage: &QuotedPassage) -> bool {
        self.chars[passage.content_start..passage.content_end]
            .iter()
            .rev()
            .find(|character| !character.is_whitespace() && !matches!(character, '"' | '”' | '’' | '\'' | ')'))
            == Some(&'?')
    }

    /// Rules 1 to 4: everything found inside the quote's own sentence.
    pub(super) fn attribute_in_sentence(
        &self,
        tokens: &[Token],
        quote: usize,
        floor: usize,
        earlier: &[Option<Attribution>],
    ) -> Option<Attribution> {
        let quote_start = tokens[quote].start;
        if let Some(found) = self.cue_after(tokens, quote, quote_start) {
            return Some(found);
        }
        if let Some(found) = self.cue_before(tokens, floor, quote, quote_start, earlier) {
            return Some(found);
        }
        if let Some(found) = self.speaker_before(tokens, floor, quote, quote_start) {
            return Some(found);
        }
        earlier.iter().rev().flatten().next().map(|found| Attribution { rule: Rule::SameSentence, ..found.clone() })
    }

    /// Rule 1: `“…,” X said`, `“…,” said X`, `“…,” according to X`.
    fn cue_after(&self, tokens: &[Token], quote: usize, position: usize) -> Option<Attribution> {
        let mut next = quote + 1;
        while next < tokens.len() && tokens[next].kind == TokenKind::Punct && !ends_sentence(&tokens[next]) {
            if !(tokens[next].is_punct(',')
                || tokens[next].is_punct('—')
                || tokens[next].is_punct('–')
                || tokens[next].is_punct('-'))
            {
                return None;
            }
            next += 1;
        }
        let first = tokens.get(next)?;
        if first.kind != TokenKind::Word {
            return None;
        }
        if first.lower == "according" && tokens.get(next + 1).is_some_and(|token| token.lower == "to") {
            let (start, end) = noun_phrase_starting_at(tokens, next + 2, tokens.len())?;
            return self.attribution_for(tokens, start, end, next, Rule::CueAfterQuote, position);
        }
        if is_any_cue(first) {
            let (start, end) = noun_phrase_starting_at(tokens, next + 1, tokens.len())?;
            let end =
                tokens[start..end].iter().position(|token| token.is_punct(',')).map_or(end, |comma| start + comma);
            return self.attribution_for(tokens, start, end, next, Rule::CueAfterQuote, position);
        }
        let limit = (next + 14).min(tokens.len());
        let mut index = next;
        while index < limit {
            let token = &tokens[index];
            if is_any_cue(token) {
                let mut subject_end = index;
                while subject_end > next && tokens[subject_end - 1].has(lexicon::BETWEEN) {
                    subject_end -= 1;
                }
                if subject_end == next {
                    return None;
                }
                return self.attribution_for(tokens, next, subject_end, index, Rule::CueAfterQuote, position);
            }
            let allowed = names::is_noun_phrase_word(token)
                || is_plain_noun(token)
                || token.is_punct(',')
                || lexicon::pronoun_kind(&token.lower).is_some()
                || token.has(lexicon::BETWEEN);
            if !allowed {
                return None;
            }
            index += 1;
        }
        None
    }

    /// Rule 2: a cue verb before the quote, nearest first, with its subject.
    fn cue_before(
        &self,
        tokens: &[Token],
        floor: usize,
        quote: usize,
        position: usize,
        earlier: &[Option<Attribution>],
    ) -> Option<Attribution> {
        let mut fallback: Option<Attribution> = None;
        let floor = floor.max(quote.saturating_sub(MAX_LOOK_BACK_TOKENS));
        for verb in (floor..quote).rev() {
            let token = &tokens[verb];
            if !is_any_cue(token) {
                continue;
            }
            if !is_strong_cue(token) && quote - verb > 4 {
                continue;
            }
            match subject_of(tokens, floor, verb) {
                Subject::Found(start, end) => {
                    if let Some(found) = self.attribution_for(tokens, start, end, verb, Rule::CueBeforeQuote, position)
                    {
                        return Some(found);
                    }
                }
                Subject::Relative(start, end) => {
                    if fallback.is_none() {
                        fallback = self.attribution_for(tokens, start, end, verb, Rule::CueBeforeQuote, position);
                    }
                }
                Subject::Elided => {
                    if let Some(found) = self.main_subject(tokens, verb, position, earlier) {
                        return Some(Attribution {
                            cue: token.text.clone(),
                            cue_phrase: cue_phrase(tokens, verb),
                            rule: Rule::CueBeforeQuote,
                            ..found
                        });
                    }
                }
                Subject::Infinitive | Subject::None => {}
            }
        }
        fallback
    }

    /// The subject shared by an elided verb: an earlier quote's speaker, the subject of an
    /// earlier cue, or the noun phrase that opens the sentence.
    fn main_subject(
        &self,
        tokens: &[Token],
        before: usize,
        position: usize,
        earlier: &[Option<Attribution>],
    ) -> Option<Attribution> {
        if let Some(found) = earlier.iter().rev().flatten().next() {
            return Some(found.clone());
        }
        for verb in 0..before.min(MAX_LOOK_BACK_TOKENS) {
            if is_strong_cue(&tokens[verb]) {
                if let Subject::Found(start, end) = subject_of(tokens, 0, verb) {
                    if let Some(found) = self.attribution_for(tokens, start, end, verb, Rule::CueBeforeQuote, position)
                    {
                        return Some(found);
                    }
                }
            }
        }
        let (start, end) = noun_phrase_starting_at(tokens, 0, before)?;
        self.attribution_for(tokens, start, end, before, Rule::CueBeforeQuote, position)
    }

    /// Rule 3: `X: “…”`, `US 'disappointed'`, `Netanyahu has also "made it clear"`.
    fn speaker_before(&self, tokens: &[Token], floor: usize, quote: usize, position: usize) -> Option<Attribution> {
        if floor != 0 || quote == 0 {
            return None;
        }
        let mut end = quote;
        if tokens[end - 1].is_punct(':') {
            end -= 1;
        } else {
            while end > 0 && tokens[end - 1].has(lexicon::BETWEEN) {
                end -= 1;
            }
        }
        let (start, phrase_end) = noun_phrase_starting_at(tokens, 0, end)?;
        if phrase_end != end || start != 0 || end - start > 8 {
            return None;
        }
        let mut found = self.attribution_for(tokens, start, end, usize::MAX, Rule::SpeakerBeforeQuote, position)?;
        found.cue.clear();
        found.cue_phrase.clear();
        Some(found)
    }

    /// Rule 5: the speaker of the last quote.
    pub(super) fn speaker_of_last_quote(&self, rule: Rule) -> Option<Attribution> {
        let record = self.records.last()?;
        let speaker = record.speaker.clone()?;
        Some(Attribution { speaker, cue: String::new(), cue_phrase: String::new(), referred_as: String::new(), rule })
    }

    /// Rule 6: a cue with a subject in a sentence since the last quote (this or the previous
    /// paragraph): "A second reporter pressed her on supplies. “Do you have enough?”"
    pub(super) fn speaker_of_earlier_sentences(
        &self,
        sentences: &[ReporterSentence],
        since_last_quote: &[usize],
        paragraph: usize,
    ) -> Option<Attribution> {
        for &index in since_last_quote.iter().rev().take(2) {
            let sentence = &sentences[index];
            if sentence.paragraph + 1 < paragraph {
                break;
            }
            let tokens = &sentence.tokens;
            for verb in 0..tokens.len().min(MAX_LOOK_BACK_TOKENS) {
                if !is_strong_cue(&tokens[verb]) {
                    continue;
                }
                if let Subject::Found(start, end) = subject_of(tokens, 0, verb) {
                    let position = tokens.last().map_or(0, |token| token.end);
                    if let Some(found) =
                        self.attribution_for(tokens, start, end, verb, Rule::PreviousSentence, position)
                    {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    /// Rule 7: continuation of the last quote, or the other side of a question-and-answer.
    pub(super) fn speaker_by_dialogue(&self, paragraph: usize, is_question: bool) -> Option<Attribution> {
        let last = self.records.last()?;
        if last.paragraph + 1 < paragraph {
            return None;
        }
        let last_speaker = last.speaker.clone()?;
        let other_side = |want_question: bool| {
            self.records.iter().rev().skip(1).take(8).find_map(|record| {
                let speaker = record.speaker.as_ref()?;
                (speaker.name != last_speaker.name && record.is_question == want_question).then(|| speaker.clone())
            })
        };
        let (speaker, rule) = if last.is_question && !is_question {
            (other_side(false)?, Rule::Dialogue)
        } else if !last.is_question && is_question {
            match other_side(true) {
                Some(asker) => (asker, Rule::Dialogue),
                None => (last_speaker, Rule::Continuation),
            }
        } else {
            (last_speaker, Rule::Continuation)
        };
        Some(Attribution { speaker, cue: String::new(), cue_phrase: String::new(), referred_as: String::new(), rule })
    }

    /// Resolves the noun phrase `tokens[start..end]` as the subject of the cue at `verb` (or no
    /// cue when `verb` is out of range), for a quote at code point `position`.
    fn attribution_for(
        &self,
        tokens: &[Token],
        start: usize,
        end: usize,
        verb: usize,
        rule: Rule,
        position: usize,
    ) -> Option<Attribution> {
        let mention = names::parse_noun_phrase(self.chars, &tokens[start..end])?;
        let speaker = self.resolve(&mention, position)?;
        let referred_as = match mention.kind {
            MentionKind::Pronoun(_) | MentionKind::Role { .. } | MentionKind::Document => mention.text.clone(),
            _ => String::new(),
        };
        let (cue, phrase) = match tokens.get(verb) {
            Some(token) if token.lower == "according" => ("according to".to_string(), "according to".to_string()),
            Some(token) => (token.text.clone(), cue_phrase(tokens, verb)),
            None => (String::new(), String::new()),
        };
        Some(Attribution { speaker, cue, cue_phrase: phrase, referred_as, rule })
    }
}
