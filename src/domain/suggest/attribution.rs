//! Speaker attribution: who said each quoted passage, and through which cue.
//!
//! The rules follow how news English attributes speech, tried in this order for each quote:
//!
//! 1. a cue right after the quote: `“…,” Kirby said`, `“…,” said John Kirby, a spokesman`,
//!    `“…,” it continued`, `“…,” according to officials`;
//! 2. a cue before it in the same sentence: `Kirby said: “…”`, `Miller called the move “…”`,
//!    `a resolution that demands a “…”`, `…, saying “…”` (the sentence's subject speaks);
//! 3. a speaker right before the quote with no verb, as headlines and colons do:
//!    `US 'disappointed'`, `Benjamin Netanyahu: 'We will …'`, `Netanyahu has also "made it clear …"`;
//! 4. an earlier quote of the same sentence: `a “decisive victory” in Gaza, “we could …”`;
//! 5. a quote that continues a quotation left open by the previous paragraph;
//! 6. a speaker introduced in a sentence since the last quote: `A reporter pressed her. “…?”`;
//! 7. the last quote's speaker, except that in a question-and-answer exchange an unattributed
//!    answer goes to whoever answered before and an unattributed question to whoever asked.
//!
//! Pronouns ("he said", "it continued"), roles ("the ambassador said") and documents ("the
//! statement added") are resolved against the people and institutions the article named
//! before, so that the speaker is always a name a reader can check.

use crate::domain::suggest::lexicon::{self, PronounKind};
use crate::domain::suggest::names::{self, Mention, MentionKind, Registry};
use crate::domain::suggest::quotes::QuotedPassage;
use crate::domain::suggest::tokens::{self, Token, TokenKind};

/// How far back (in tokens) a cue verb is looked for, so that a run-on "sentence" of garbage
/// text costs linear time.
const MAX_LOOK_BACK_TOKENS: usize = 60;

/// How a speaker was found, for the reason shown to the annotator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    CueAfterQuote,
    CueBeforeQuote,
    SpeakerBeforeQuote,
    SameSentence,
    ContinuedParagraph,
    PreviousSentence,
    Dialogue,
    Continuation,
}

impl Rule {
    pub fn describe(self) -> &'static str {
        match self {
            Rule::CueAfterQuote => "cue after the quote",
            Rule::CueBeforeQuote => "cue before the quote",
            Rule::SpeakerBeforeQuote => "speaker right before the quote",
            Rule::SameSentence => "same speaker as the sentence's earlier quote",
            Rule::ContinuedParagraph => "continues the quotation of the previous paragraph",
            Rule::PreviousSentence => "speaker introduced in the previous sentence",
            Rule::Dialogue => "question-and-answer turn",
            Rule::Continuation => "continues the previous quote",
        }
    }

    /// How much the rule is to be trusted, for the suggestion's score.
    pub fn confidence(self) -> f32 {
        match self {
            Rule::CueAfterQuote => 0.95,
            Rule::CueBeforeQuote => 0.85,
            Rule::SpeakerBeforeQuote | Rule::SameSentence | Rule::ContinuedParagraph => 0.8,
            Rule::PreviousSentence | Rule::Continuation => 0.7,
            Rule::Dialogue => 0.65,
        }
    }
}

/// A speaker as resolved: the name to show, and where the article names them.
#[derive(Clone, Debug, PartialEq)]
pub struct Speaker {
    pub name: String,
    /// The code points of the mention a Speaker span should cover.
    pub mention: Option<(usize, usize)>,
    pub person: bool,
    pub entity: Option<usize>,
}

/// Who said a quote, how we know, and the words of the attribution.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub speaker: Speaker,
    /// The cue verb as written ("said", "told"), or "" when none was involved.
    pub cue: String,
    /// The cue with the words that follow it ("said in a statement").
    pub cue_phrase: String,
    /// The words that referred to the speaker, when they differ from the name ("he").
    pub referred_as: String,
    pub rule: Rule,
}

/// The form of a quote: an utterance of its own, or words embedded in the reporter's sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Direct,
    Partial,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Direct => "direct",
            Form::Partial => "partial",
        }
    }
}

/// The attribution of one top-level quote.
#[derive(Clone, Debug, PartialEq)]
pub struct QuoteAttribution {
    /// The index of the passage in the list given to [`attribute_quotes`].
    pub passage: usize,
    pub attribution: Option<Attribution>,
    pub form: Form,
    pub is_question: bool,
}

/// One sentence as the reporter wrote it: quotes inside it are single tokens.
struct ReporterSentence {
    paragraph: usize,
    tokens: Vec<Token>,
}

/// A quote already attributed, for continuations and dialogue.
#[derive(Clone)]
struct QuoteRecord {
    paragraph: usize,
    speaker: Option<Speaker>,
    is_question: bool,
}

/// What the article has made salient so far, for pronouns and roles.
#[derive(Default)]
struct Salience {
    /// Entities that were subjects or speakers, most recent last.
    persons: Vec<usize>,
    /// The last institution that spoke ("it continued").
    institution: Option<Speaker>,
    /// The last speaker whose words came "in a statement" ("the statement added").
    statement: Option<Speaker>,
}

impl Salience {
    fn push_person(&mut self, entity: usize) {
        self.persons.retain(|&existing| existing != entity);
        self.persons.push(entity);
        if self.persons.len() > 12 {
            self.persons.remove(0);
        }
    }
}

struct Attributor<'a> {
    chars: &'a [char],
    registry: Registry,
    salience: Salience,
    records: Vec<QuoteRecord>,
}

/// Attributes every top-level quote among `passages` (as returned by `quotes::find_quotes` for
/// the same `paragraphs`). The result has one entry per top-level passage, in reading order.
pub fn attribute_quotes(
    chars: &[char],
    paragraphs: &[(usize, usize)],
    passages: &[QuotedPassage],
) -> (Vec<QuoteAttribution>, Registry) {
    let sentences = reporter_sentences(chars, paragraphs, passages);
    let mut attributor =
        Attributor { chars, registry: Registry::default(), salience: Salience::default(), records: Vec::new() };
    let mentions: Vec<Vec<Mention>> =
        sentences.iter().map(|sentence| attributor.register_people(&sentence.tokens)).collect();
    let mut results = Vec::new();
    let mut since_last_quote: Vec<usize> = Vec::new();
    for (sentence_index, sentence) in sentences.iter().enumerate() {
        let quote_positions: Vec<usize> = sentence
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, token)| token.quote_index().is_some())
            .map(|(i, _)| i)
            .collect();
        let mut in_sentence: Vec<Option<Attribution>> = Vec::new();
        for (order, &position) in quote_positions.iter().enumerate() {
            let Some(passage_index) = sentence.tokens[position].quote_index() else { continue };
            let passage = &passages[passage_index];
            let is_question = attributor.is_question(passage);
            let floor = if order == 0 { 0 } else { quote_positions[order - 1] + 1 };
            let mut attribution = attributor.attribute_in_sentence(&sentence.tokens, position, floor, &in_sentence);
            if attribution.is_none() && passage.continues_previous {
                attribution = attributor.speaker_of_last_quote(Rule::ContinuedParagraph);
            }
            if attribution.is_none() && position == 0 {
                attribution =
                    attributor.speaker_of_earlier_sentences(&sentences, &since_last_quote, sentence.paragraph);
            }
            if attribution.is_none() && position == 0 {
                attribution = attributor.speaker_by_dialogue(sentence.paragraph, is_question);
            }
            let form = form_of(&sentence.tokens, position, passage, attributor.chars);
            attributor.records.push(QuoteRecord {
                paragraph: sentence.paragraph,
                speaker: attribution.as_ref().map(|found| found.speaker.clone()),
                is_question,
            });
            results.push(QuoteAttribution {
                passage: passage_index,
                attribution: attribution.clone(),
                form,
                is_question,
            });
            in_sentence.push(attribution);
        }
        attributor.update_salience(&sentence.tokens, &mentions[sentence_index], &in_sentence);
        if quote_positions.is_empty() {
            since_last_quote.push(sentence_index);
        } else {
            since_last_quote.clear();
        }
    }
    (results, attributor.registry)
}

/// Splits paragraphs into sentences, then joins the sentences that a quotation spans, so that a
/// multi-sentence quote and its attribution are one reporter sentence.
fn reporter_sentences(
    chars: &[char],
    paragraphs: &[(usize, usize)],
    passages: &[QuotedPassage],
) -> Vec<ReporterSentence> {
    let top: Vec<(usize, usize, usize)> = passages
        .iter()
        .enumerate()
        .filter(|(_, passage)| passage.depth == 0)
        .map(|(index, passage)| (passage.open, passage.outer_end, index))
        .collect();
    let mut sentences = Vec::new();
    for (paragraph_index, &(start, end)) in paragraphs.iter().enumerate() {
        let pieces = tokens::split_sentences(chars, start, end);
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for piece in pieces {
            if let Some(last) = merged.last_mut() {
                // Top-level quotes do not overlap, so only the last one opened before the
                // boundary can span it.
                let before = top.partition_point(|&(open, _, _)| open < last.1);
                let spans_boundary = before > 0 && top[before - 1].1 > piece.0;
                if spans_boundary {
                    last.1 = piece.1;
                    continue;
                }
            }
            merged.push(piece);
        }
        for (sentence_start, sentence_end) in merged {
            let first = top.partition_point(|&(open, _, _)| open < sentence_start);
            let ranges: Vec<(usize, usize, usize)> =
                top[first..].iter().take_while(|&&(open, _, _)| open < sentence_end).copied().collect();
            let tokens = tokens::tokenize(chars, sentence_start, sentence_end, &ranges);
            sentences.push(ReporterSentence { paragraph: paragraph_index, tokens });
        }
    }
    sentences
}

fn is_strong_cue(token: &Token) -> bool {
    token.kind == TokenKind::Word && token.has(lexicon::CUE) && !token.has(lexicon::WEAK_CUE)
}

fn is_any_cue(token: &Token) -> bool {
    token.kind == TokenKind::Word && token.has(lexicon::CUE)
}

/// A lower-case word that may be a noun inside a speaker's description ("port authority chief
/// executive"): not a function word, not a verb form.
fn is_plain_noun(token: &Token) -> bool {
    let lower = token.lower.as_str();
    token.kind == TokenKind::Word
        && !token.is_capitalised()
        && !token.has(lexicon::STOPWORD | lexicon::CUE)
        && !lower.ends_with("ed")
        && !lower.ends_with("ing")
        && lower.chars().count() > 2
}

fn ends_sentence(token: &Token) -> bool {
    token.is_punct('.') || token.is_punct('!') || token.is_punct('?')
}

/// The subject of a cue verb, as found by looking left of it.
enum Subject {
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
fn noun_phrase_starting_at(tokens: &[Token], start: usize, limit: usize) -> Option<(usize, usize)> {
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

fn subject_of(tokens: &[Token], floor: usize, verb: usize) -> Subject {
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
fn cue_phrase(tokens: &[Token], cue: usize) -> String {
    let mut words = vec![tokens[cue].text.clone()];
    for token in tokens.iter().skip(cue + 1).take(5) {
        if token.kind != TokenKind::Word {
            break;
        }
        words.push(token.text.clone());
    }
    words.join(" ")
}

impl<'a> Attributor<'a> {
    fn is_question(&self, passage: &QuotedPassage) -> bool {
        self.chars[passage.content_start..passage.content_end]
            .iter()
            .rev()
            .find(|character| !character.is_whitespace() && !matches!(character, '"' | '”' | '’' | '\'' | ')'))
            == Some(&'?')
    }

    /// Registers the people a sentence names (outside its quotes).
    /// Returns the sentence's person-like mentions (persons and single unknown names), in order,
    /// for [`Attributor::update_salience`].
    fn register_people(&mut self, sentence: &[Token]) -> Vec<Mention> {
        let mut mentions = Vec::new();
        for (start, end) in names::name_chunks(sentence) {
            let Some(mention) = names::parse_noun_phrase(self.chars, &sentence[start..end]) else { continue };
            match mention.kind {
                MentionKind::Person => {
                    self.registry.add_person(&mention);
                    mentions.push(mention);
                }
                MentionKind::Unknown => mentions.push(mention),
                _ => {}
            }
        }
        mentions
    }

    /// Rules 1 to 4: everything found inside the quote's own sentence.
    fn attribute_in_sentence(
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
    fn speaker_of_last_quote(&self, rule: Rule) -> Option<Attribution> {
        let record = self.records.last()?;
        let speaker = record.speaker.clone()?;
        Some(Attribution { speaker, cue: String::new(), cue_phrase: String::new(), referred_as: String::new(), rule })
    }

    /// Rule 6: a cue with a subject in a sentence since the last quote (this or the previous
    /// paragraph): "A second reporter pressed her on supplies. “Do you have enough?”"
    fn speaker_of_earlier_sentences(
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
    fn speaker_by_dialogue(&self, paragraph: usize, is_question: bool) -> Option<Attribution> {
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

    /// Turns a mention into a speaker, resolving pronouns, roles, documents and short names.
    fn resolve(&self, mention: &Mention, position: usize) -> Option<Speaker> {
        let entity_speaker = |entity: usize, mention_range: Option<(usize, usize)>| {
            let record = &self.registry.entities[entity];
            Speaker {
                name: record.name.clone(),
                mention: mention_range.or_else(|| record.mention_before(position)),
                person: true,
                entity: Some(entity),
            }
        };
        let literal = |person: bool| Speaker {
            name: mention.text.clone(),
            mention: Some((mention.start, mention.end)),
            person,
            entity: None,
        };
        match mention.kind {
            MentionKind::Person => {
                let entity = self.registry.find(&mention.name_words);
                Some(match entity {
                    Some(entity) => entity_speaker(entity, Some((mention.start, mention.end))),
                    None => literal(true),
                })
            }
            MentionKind::Unknown => {
                let word = mention.name_words.first().map(String::as_str).unwrap_or("");
                Some(match self.registry.find_by_any_name(word) {
                    Some(entity) => entity_speaker(entity, Some((mention.start, mention.end))),
                    None => literal(false),
                })
            }
            MentionKind::Organisation => Some(literal(false)),
            MentionKind::Pronoun(PronounKind::Person) => {
                let asker =
                    self.records.last().filter(|record| record.is_question).and_then(|record| record.speaker.clone());
                let entity = self.salience.persons.iter().rev().copied().find(|&entity| {
                    asker.as_ref().is_none_or(|asker| asker.entity != Some(entity) || asker.name.is_empty())
                });
                if let Some(entity) = entity {
                    return Some(entity_speaker(entity, None));
                }
                // An unnamed speaker (a reporter) may still be the one referred to.
                self.records
                    .iter()
                    .rev()
                    .take(4)
                    .filter_map(|record| record.speaker.clone())
                    .find(|speaker| speaker.person)
            }
            MentionKind::Pronoun(PronounKind::Institution) => self.salience.institution.clone(),
            MentionKind::Pronoun(PronounKind::FirstPerson) => None,
            MentionKind::Document => {
                if mention.text == "the statement" {
                    if let Some(speaker) = self.salience.statement.clone() {
                        return Some(speaker);
                    }
                }
                Some(literal(false))
            }
            MentionKind::Role { definite } => {
                if definite {
                    if let Some(entity) = self.resolve_role(mention) {
                        return Some(entity_speaker(entity, None));
                    }
                }
                Some(literal(true))
            }
        }
    }

    /// "The ambassador", "the Israeli minister": the most salient person, when nothing known
    /// about them contradicts the role, or else the last person whose title has the role.
    fn resolve_role(&self, mention: &Mention) -> Option<usize> {
        let role_words: Vec<&String> = mention
            .titles
            .iter()
            .filter(|word| lexicon::is_title_or_role(word) || lexicon::is_title_modifier(word))
            .collect();
        if role_words.is_empty() {
            return None;
        }
        let matches = |entity: usize| {
            let titles = &self.registry.entities[entity].titles;
            role_words.iter().all(|word| titles.contains(*word))
        };
        if let Some(&last) = self.salience.persons.last() {
            if self.registry.entities[last].titles.is_empty() || matches(last) {
                return Some(last);
            }
        }
        let mut candidates: Vec<(usize, usize)> = self
            .registry
            .entities
            .iter()
            .enumerate()
            .filter(|(index, _)| matches(*index))
            .filter_map(|(index, entity)| {
                entity.mentions.iter().map(|(start, _)| *start).max().map(|last| (last, index))
            })
            .collect();
        candidates.sort();
        candidates.last().map(|(_, index)| *index)
    }

    /// After a sentence: its subject and its speakers become the most salient.
    fn update_salience(&mut self, tokens: &[Token], mentions: &[Mention], attributions: &[Option<Attribution>]) {
        let first_quote = tokens.iter().position(|token| token.quote_index().is_some()).unwrap_or(tokens.len());
        let subject = mentions.iter().find_map(|mention| match mention.kind {
            MentionKind::Person => self.registry.find(&mention.name_words),
            MentionKind::Unknown => self.registry.find_by_surname(mention.name_words.first()?),
            _ => None,
        });
        let pronoun_subject = tokens
            .first()
            .is_some_and(|token| lexicon::pronoun_kind(&token.lower) == Some(PronounKind::Person) && first_quote > 0);
        if let (Some(entity), false) = (subject, pronoun_subject) {
            self.salience.push_person(entity);
        }
        for attribution in attributions.iter().flatten() {
            let speaker = &attribution.speaker;
            if let Some(entity) = speaker.entity {
                self.salience.push_person(entity);
            } else if !speaker.person {
                self.salience.institution = Some(speaker.clone());
            }
            let in_statement = attribution.cue_phrase.to_lowercase().contains("statement")
                || attribution.referred_as == "the statement";
            if in_statement {
                self.salience.statement = Some(speaker.clone());
                if !speaker.person {
                    self.salience.institution = Some(speaker.clone());
                }
            }
        }
    }
}

/// Direct when the quote stands as an utterance of its own (it opens the sentence, follows a
/// colon, or resumes after "she said,"); partial when it is embedded in the reporter's words.
fn form_of(tokens: &[Token], quote: usize, passage: &QuotedPassage, chars: &[char]) -> Form {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::suggest::quotes::find_quotes;

    /// (quote text, speaker, rule) for every top-level quote of `text`.
    fn attribute(text: &str) -> Vec<(String, String, Form)> {
        let chars: Vec<char> = text.chars().collect();
        let mut paragraphs = Vec::new();
        let mut offset = 0;
        for line in text.split('\n') {
            let length = line.chars().count();
            if !line.trim().is_empty() {
                paragraphs.push((offset, offset + length));
            }
            offset += length + 1;
        }
        let passages = find_quotes(&chars, &paragraphs);
        let (results, _) = attribute_quotes(&chars, &paragraphs, &passages);
        results
            .into_iter()
            .map(|result| {
                let passage = &passages[result.passage];
                (
                    chars[passage.content_start..passage.content_end].iter().collect(),
                    result.attribution.map(|found| found.speaker.name).unwrap_or_default(),
                    result.form,
                )
            })
            .collect()
    }

    fn speakers(text: &str) -> Vec<String> {
        attribute(text).into_iter().map(|(_, speaker, _)| speaker).collect()
    }

    #[test]
    fn cue_after_the_quote_in_both_orders() {
        assert_eq!(speakers("“We will go,” Kirby said."), ["Kirby"]);
        assert_eq!(speakers("\"We will go,\" said Dana Whitfield, president of the union."), ["Dana Whitfield"]);
        assert_eq!(speakers("“We go,” National Security Council spokesman John Kirby told reporters."), ["John Kirby"]);
        assert_eq!(speakers("\"It's over,\" the chamber's director, Paul Ibsen, said in a statement."), ["Paul Ibsen"]);
        assert_eq!(speakers("“It is over,” according to Ana Ruiz."), ["Ana Ruiz"]);
    }

    #[test]
    fn titles_expand_to_the_full_name_named_earlier() {
        let text = "Spokesman John Kirby spoke on Monday.\n\n“We are disappointed,” Mr Kirby said.";
        assert_eq!(speakers(text), ["John Kirby"]);
    }

    #[test]
    fn cue_before_the_quote_and_its_subject() {
        assert_eq!(speakers("Later at the White House, Mr Kirby said: “We're perplexed by this.”"), ["Kirby"]);
        assert_eq!(
            speakers("Mr Miller called the move “a bit surprising” but said Israel has “made clear” its view."),
            ["Miller", "Miller"]
        );
        assert_eq!(speakers("Ambassador Gilad Erdan criticized the council for passing a measure that called for a ceasefire “without conditions.”"), ["Gilad Erdan"]);
        assert_eq!(
            speakers("The council adopted a resolution that demands a “lasting ceasefire” in Gaza."),
            ["the resolution"]
        );
        assert_eq!(speakers("Gallant, for his part, argued that Israel “does not have the right.”"), ["Gallant"]);
        assert_eq!(
            speakers("The White House on Monday said it was “very disappointed” by the decision."),
            ["White House"]
        );
    }

    #[test]
    fn pronouns_roles_and_documents_resolve_to_earlier_names() {
        let text = "US Ambassador Linda Thomas-Greenfield said the text was fine.\n\n“A ceasefire could have come,” the ambassador said.\n\n“Any ceasefire must come with the release,” she added.";
        assert_eq!(speakers(text), ["Linda Thomas-Greenfield", "Linda Thomas-Greenfield"]);
        let office = "\"This is a retreat,\" Netanyahu's office said in a statement.\nThe statement added that it \"hurts the war effort,\" a reference to the hostages.\n\"It gives Hamas hope,\" it continued.";
        assert_eq!(speakers(office), ["Netanyahu's office", "Netanyahu's office", "Netanyahu's office"]);
    }

    #[test]
    fn continuations_resumed_quotes_and_dialogue() {
        let text = "“The water rose fast,” Claire Montag said. “We had forty minutes.”";
        assert_eq!(speakers(text), ["Claire Montag", "Claire Montag"]);
        let resumed = "“When they closed the school,” Ellery said, “they told us it was arithmetic.”";
        assert_eq!(
            attribute(resumed).into_iter().map(|quote| quote.2).collect::<Vec<_>>(),
            [Form::Direct, Form::Direct]
        );
        let briefing = "\"How many cases?\" a reporter asked.\n\n\"We have 1,284 cases,\" Ruiz said.\n\n\"Do you still believe that?\"\n\n\"I said it was contained.\"";
        assert_eq!(speakers(briefing), ["reporter", "Ruiz", "reporter", "Ruiz"]);
    }

    #[test]
    fn headlines_and_colons() {
        assert_eq!(speakers("US 'disappointed' and 'perplexed' as Israel cancels trip"), ["US", "US"]);
        assert_eq!(speakers("Benjamin Netanyahu: 'We will finish the job in Rafah'"), ["Benjamin Netanyahu"]);
    }

    #[test]
    fn forms() {
        let forms: Vec<Form> = attribute("He called it a “red line” for the US. “We will go,” he said.")
            .into_iter()
            .map(|quote| quote.2)
            .collect();
        assert_eq!(forms, [Form::Partial, Form::Direct]);
    }
}
