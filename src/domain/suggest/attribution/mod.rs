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

mod grammar;
mod resolve;
mod rules;
#[cfg(test)]
mod tests;

use crate::domain::suggest::names::{Mention, Registry};
use crate::domain::suggest::quotes::QuotedPassage;
use crate::domain::suggest::tokens::{self, Token};

use grammar::form_of;

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
