//! Sentences of an article, for exports that give a span the sentence that makes it a claim
//! (NLI's `premise_sentence`, FEVER's evidence).
//!
//! Boundaries are Unicode's sentence boundaries (UAX #29, `unicode-segmentation`), which already
//! keep "U.N. resolution" and "3.5 million" whole and break at every line break, with one
//! correction for news text: a boundary right after a title or an initial ("Mr.", "Gen.", "J.")
//! before a capitalised word is not a sentence end ("Mr. Biden", "John F. Kennedy").
//! Offsets are code points, end exclusive, trimmed of surrounding white space.

use std::collections::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use crate::domain::annotation::Span;
use crate::domain::article::ArticleId;
use crate::domain::project::Project;

/// Abbreviations that end with a full stop but rarely end a sentence in news text.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "rev", "st", "jr", "sr",
    "vs", "no", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec",
];

/// The sentences of `text` as code-point ranges, in order, without empty ones.
pub fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut code_points = 0;
    let mut merge_next = false;
    for piece in text.split_sentence_bounds() {
        let length = piece.chars().count();
        let (start, end) = (code_points, code_points + length);
        code_points = end;
        let leading = piece.chars().take_while(|character| character.is_whitespace()).count();
        let trailing = piece.chars().rev().take_while(|character| character.is_whitespace()).count();
        if leading == length {
            continue;
        }
        let trimmed = (start + leading, end - trailing);
        match ranges.last_mut() {
            Some(last) if merge_next => last.1 = trimmed.1,
            _ => ranges.push(trimmed),
        }
        let ends_in_line_break = piece.ends_with(['\n', '\u{2028}', '\u{2029}']);
        merge_next = !ends_in_line_break && ends_in_abbreviation(piece.trim_end());
    }
    ranges
}

/// Whether `sentence` ends in a title or a single-letter initial followed by a full stop.
fn ends_in_abbreviation(sentence: &str) -> bool {
    let Some(without_stop) = sentence.strip_suffix('.') else { return false };
    let word = without_stop.rsplit(|character: char| !character.is_alphabetic()).next().unwrap_or("");
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    is_initial || TITLES.contains(&word.to_lowercase().as_str())
}

/// The sentences of one article, computed once, to look up the sentence around any span.
pub struct Sentences {
    ranges: Vec<(usize, usize)>,
}

impl Sentences {
    pub fn of(text: &str) -> Sentences {
        Sentences { ranges: sentence_ranges(text) }
    }

    /// The code-point range from the start of the sentence holding `start` to the end of the one
    /// holding the span's last code point (a span across sentences gets all of them).
    pub fn around(&self, start: usize, end: usize) -> (usize, usize) {
        let last = end.saturating_sub(1).max(start);
        let first_sentence = self.ranges.iter().find(|range| range.1 > start);
        let last_sentence = self.ranges.iter().rev().find(|range| range.0 <= last);
        match (first_sentence, last_sentence) {
            (Some(first), Some(final_one)) => (first.0.min(start), final_one.1.max(end)),
            _ => (start, end),
        }
    }
}

/// The sentence around any span of a project, each article segmented once, on first use.
pub struct SpanSentences<'a> {
    project: &'a Project,
    articles: HashMap<&'a ArticleId, (Vec<char>, Sentences)>,
}

impl<'a> SpanSentences<'a> {
    pub fn new(project: &'a Project) -> SpanSentences<'a> {
        SpanSentences { project, articles: HashMap::new() }
    }

    /// The sentence(s) of its article that hold `span`.
    pub fn sentence(&mut self, span: &'a Span) -> String {
        let project = self.project;
        let (characters, sentences) = self.articles.entry(&span.article).or_insert_with(|| {
            let text = project.article(&span.article).map(|article| article.text.to_string()).unwrap_or_default();
            (text.chars().collect(), Sentences::of(&text))
        });
        let (start, end) = sentences.around(span.start, span.end);
        characters.get(start..end.min(characters.len())).map(|slice| slice.iter().collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let characters: Vec<char> = text.chars().collect();
        sentence_ranges(text).iter().map(|&(start, end)| characters[start..end].iter().collect()).collect()
    }

    #[test]
    fn news_sentences_keep_abbreviations_numbers_and_break_at_lines() {
        assert_eq!(
            sentences("Mr. Biden said the U.N. resolution passed. About 1.4 million people 🇺🇸 fled!\nNext line"),
            vec!["Mr. Biden said the U.N. resolution passed.", "About 1.4 million people 🇺🇸 fled!", "Next line"]
        );
        assert_eq!(sentences("John F. Kennedy spoke. Then he left."), vec!["John F. Kennedy spoke.", "Then he left."]);
        assert_eq!(sentences("  \n\n"), Vec::<String>::new());
    }

    #[test]
    fn around_a_span_covers_every_sentence_it_touches() {
        let text = "One two. Three 🧐 four. Five.";
        let sentences = Sentences::of(text);
        // "four" (code points 17..21) lies in the second sentence.
        assert_eq!(sentences.around(17, 21), (9, 22));
        // "two. Three" spans the first two sentences.
        assert_eq!(sentences.around(4, 14), (0, 22));
    }
}
