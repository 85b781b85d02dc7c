//! Words, numbers and sentences over a slice of `char`s, with code-point offsets.
//!
//! The tokenizer keeps what attribution needs: "U.S." and "Mr." stay one word, "Israel's" is the
//! word "Israel" marked possessive, "1.4" and "100,000" are one number, and a quoted passage can be
//! folded into a single placeholder token so that the words around it read as one clause. The
//! sentence splitter knows abbreviations, decimal points and closing quotation marks.

use crate::domain::suggest::lexicon;
use crate::domain::suggest::quotes::is_quote_mark;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    /// A whole top-level quoted passage; the value indexes the caller's list of quotes.
    Quote(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// The text as written, without a possessive "'s".
    pub text: String,
    /// `text` in lower case, with curly apostrophes made straight.
    pub lower: String,
    /// Whether the word ended in "'s" or "s'" (removed from `text`).
    pub possessive: bool,
    /// The word lists `lower` is in (see [`lexicon::flags`]); 0 for other tokens.
    pub flags: u32,
}

impl Token {
    /// Whether the word is in any of the lexicon lists given as bits.
    pub fn has(&self, bits: u32) -> bool {
        self.flags & bits != 0
    }

    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    pub fn is_punct(&self, character: char) -> bool {
        self.kind == TokenKind::Punct && self.text.starts_with(character)
    }

    /// Whether the word starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn quote_index(&self) -> Option<usize> {
        match self.kind {
            TokenKind::Quote(index) => Some(index),
            _ => None,
        }
    }
}

/// Letters, digits and combining marks.
pub fn is_word_char(character: char) -> bool {
    character.is_alphanumeric()
        || ('\u{300}'..='\u{36F}').contains(&character)
        || ('\u{1AB0}'..='\u{1AFF}').contains(&character)
        || ('\u{20D0}'..='\u{20FF}').contains(&character)
        || ('\u{FE20}'..='\u{FE2F}').contains(&character)
}

fn is_apostrophe(character: char) -> bool {
    matches!(character, '\'' | '’')
}

/// Normalises curly apostrophes and lower-cases.
pub fn lower_word(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().flat_map(char::to_lowercase).map(|character| if character == '’' { '\'' } else { character }).collect()
}

/// Whether `word` is a dotted abbreviation such as "U.S" or "a.m" (before its final dot).
fn is_dotted_abbreviation(word: &[char]) -> bool {
    word.len() >= 3
        && word.iter().enumerate().all(
            |(index, &character)| {
                if index % 2 == 1 {
                    character == '.'
                } else {
                    character.is_alphabetic()
                }
            },
        )
}

/// Splits `chars[start..end]` into tokens. Each range in `quote_ranges` (sorted, `(open,
/// outer_end)` pairs with the caller's index) becomes one [`TokenKind::Quote`] token.
pub fn tokenize(chars: &[char], start: usize, end: usize, quote_ranges: &[(usize, usize, usize)]) -> Vec<Token> {
    let end = end.min(chars.len());
    let mut tokens = Vec::new();
    let mut index = start;
    let mut next_quote = quote_ranges.iter().position(|&(open, _, _)| open >= start).unwrap_or(quote_ranges.len());
    while index < end {
        if let Some(&(open, outer_end, quote)) = quote_ranges.get(next_quote) {
            if index >= open {
                if index == open {
                    let quote_end = outer_end.min(end).max(open + 1);
                    tokens.push(Token {
                        start: open,
                        end: quote_end,
                        kind: TokenKind::Quote(quote),
                        text: String::new(),
                        lower: String::new(),
                        possessive: false,
                        flags: 0,
                    });
                    index = quote_end;
                }
                next_quote += 1;
                continue;
            }
        }
        let limit = quote_ranges.get(next_quote).map_or(end, |&(open, _, _)| open.min(end));
        let character = chars[index];
        if character.is_whitespace() {
            index += 1;
        } else if is_word_char(character) {
            let token = read_word(chars, index, limit);
            index = token.end;
            tokens.push(token);
        } else {
            tokens.push(Token {
                start: index,
                end: index + 1,
                kind: TokenKind::Punct,
                text: character.to_string(),
                lower: character.to_string(),
                possessive: false,
                flags: 0,
            });
            index += 1;
        }
    }
    tokens
}

/// Reads one word or number starting at `start` (a word character), not past `limit`.
fn read_word(chars: &[char], start: usize, limit: usize) -> Token {
    let at = |index: usize| if index < limit { Some(chars[index]) } else { None };
    let mut end = start;
    let mut all_digits = true;
    while let Some(character) = at(end) {
        if is_word_char(character) {
            all_digits &= character.is_ascii_digit();
            end += 1;
            continue;
        }
        let next_is_word = at(end + 1).is_some_and(is_word_char);
        let previous = chars[end - 1];
        let joins = match character {
            '-' | '‐' | '‑' => next_is_word,
            '\'' | '’' => next_is_word && previous.is_alphabetic(),
            '.' => {
                next_is_word
                    && ((all_digits && at(end + 1).is_some_and(|next| next.is_ascii_digit()))
                        || (previous.is_alphabetic() && (end - start == 1 || chars[end - 2] == '.')))
            }
            ',' | ':' => all_digits && at(end + 1).is_some_and(|next| next.is_ascii_digit()),
            _ => false,
        };
        if !joins {
            break;
        }
        end += 1;
    }
    // A final dot belongs to "U.S." or "Mr." (but not to the word ending a sentence).
    if at(end) == Some('.') {
        let single_initial = end - start == 1 && chars[start].is_uppercase();
        let short = end - start <= 8;
        if single_initial
            || is_dotted_abbreviation(&chars[start..end])
            || (short && lexicon::is_abbreviation(&lower_word(&chars[start..end].iter().collect::<String>())))
        {
            end += 1;
        }
    }
    let mut text_end = end;
    let mut token_end = end;
    let mut possessive = false;
    if end - start > 2 && chars[end - 1] == 's' && is_apostrophe(chars[end - 2]) {
        possessive = true;
        text_end = end - 2;
    } else if chars[end - 1] == 's'
        && at(end).is_some_and(is_apostrophe)
        && at(end + 1).is_none_or(|next| !is_word_char(next) && !is_quote_mark(next))
    {
        // A plural possessive: "States'" followed by a space.
        possessive = true;
        token_end = end + 1;
    }
    let word = &chars[start..text_end];
    let mut text = String::with_capacity(word.len());
    text.extend(word);
    let is_number = word.first().is_some_and(|character| character.is_ascii_digit())
        && word.iter().all(|character| character.is_ascii_digit() || matches!(character, '.' | ',' | ':'));
    let lower = lower_word(&text);
    let flags = if is_number { 0 } else { lexicon::flags(&lower) };
    Token {
        start,
        end: token_end,
        kind: if is_number { TokenKind::Number } else { TokenKind::Word },
        text,
        lower,
        possessive,
        flags,
    }
}

/// The word ending just before `index` (back to a space), for abbreviation checks.
fn word_before(chars: &[char], start: usize, index: usize) -> String {
    let mut begin = index;
    while begin > start && !chars[begin - 1].is_whitespace() && !is_quote_mark(chars[begin - 1]) {
        begin -= 1;
    }
    chars[begin..index].iter().collect()
}

/// The word starting at `index`.
fn word_after(chars: &[char], index: usize, end: usize) -> String {
    chars[index..end].iter().take_while(|character| is_word_char(**character)).collect()
}

/// Splits `chars[start..end]` (one paragraph) into sentences, returned as trimmed ranges.
///
/// A sentence ends at `.`, `!` or `?` (plus any closing quotation marks and brackets) followed by
/// a space and an upper-case letter, a digit or an opening quotation mark. A full stop after an
/// abbreviation ("Mr.", "Gen.") or an initial does not end a sentence; after "U.S." or "a.m." it
/// does only when the next word usually starts a sentence ("The", "He", …).
pub fn split_sentences(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let end = end.min(chars.len());
    let mut sentences = Vec::new();
    let mut sentence_start = start;
    let mut index = start;
    while index < end {
        let character = chars[index];
        if !matches!(character, '.' | '!' | '?') {
            index += 1;
            continue;
        }
        let mut after = index + 1;
        while after < end && (matches!(chars[after], '.' | '!' | '?' | ')' | ']') || is_quote_mark(chars[after])) {
            after += 1;
        }
        if after < end && !chars[after].is_whitespace() {
            index = after.max(index + 1);
            continue;
        }
        let mut next = after;
        while next < end && chars[next].is_whitespace() {
            next += 1;
        }
        if next >= end {
            break;
        }
        let next_character = chars[next];
        let starts_sentence = next_character.is_uppercase()
            || next_character.is_ascii_digit()
            || is_quote_mark(next_character)
            || matches!(next_character, '(' | '—' | '–' | '[');
        let mut is_boundary = starts_sentence;
        if is_boundary && character == '.' {
            let before = word_before(chars, start, index);
            let before_lower = lower_word(&before);
            let before_chars: Vec<char> = before.chars().collect();
            let is_initial = before_chars.len() == 1 && before_chars[0].is_uppercase();
            if is_initial || lexicon::is_abbreviation(before_lower.trim_end_matches('.')) {
                is_boundary = false;
            } else if is_dotted_abbreviation(&before_chars) {
                let next_word = lower_word(&word_after(chars, next, end));
                is_boundary = lexicon::is_sentence_starter(&next_word) || is_quote_mark(next_character);
            }
        }
        if is_boundary {
            push_trimmed(chars, &mut sentences, sentence_start, after);
            sentence_start = next;
        }
        index = after.max(index + 1);
    }
    push_trimmed(chars, &mut sentences, sentence_start, end);
    sentences
}

fn push_trimmed(chars: &[char], sentences: &mut Vec<(usize, usize)>, mut start: usize, mut end: usize) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if start < end {
        sentences.push((start, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, bool)> {
        let chars: Vec<char> = text.chars().collect();
        tokenize(&chars, 0, chars.len(), &[]).into_iter().map(|token| (token.text, token.possessive)).collect()
    }

    fn sentences(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        split_sentences(&chars, 0, chars.len())
            .into_iter()
            .map(|(start, end)| chars[start..end].iter().collect())
            .collect()
    }

    #[test]
    fn words_keep_abbreviations_numbers_and_possessives() {
        let found = words(
            "Mr. Kirby said the U.S. had 1.4 million, or 100,000, Netanyahu’s and the States' Thomas-Greenfield.",
        );
        let texts: Vec<&str> = found.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Mr.",
                "Kirby",
                "said",
                "the",
                "U.S.",
                "had",
                "1.4",
                "million",
                ",",
                "or",
                "100,000",
                ",",
                "Netanyahu",
                "and",
                "the",
                "States",
                "Thomas-Greenfield",
                "."
            ]
        );
        assert!(found[12].1 && found[15].1);
    }

    #[test]
    fn quotes_become_single_tokens() {
        let text = "“We won,” he said.";
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokenize(&chars, 0, chars.len(), &[(0, 9, 7)]);
        assert_eq!(tokens[0].kind, TokenKind::Quote(7));
        assert_eq!(tokens[1].text, "he");
    }

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        assert_eq!(
            sentences("The U.S. abstained. Mr. Kirby said so. It passed."),
            ["The U.S. abstained.", "Mr. Kirby said so.", "It passed."]
        );
        assert_eq!(sentences("It warned the U.S. The U.S. abstained."), ["It warned the U.S.", "The U.S. abstained."]);
        assert_eq!(
            sentences("“It is over,” he said. “We go home.” Then he left."),
            ["“It is over,” he said.", "“We go home.”", "Then he left."]
        );
        assert_eq!(
            sentences("“Are you sure?” the interviewer asked. Rates hit 1.4 percent."),
            ["“Are you sure?” the interviewer asked.", "Rates hit 1.4 percent."]
        );
        assert_eq!(sentences("At 8 a.m. we had 12 cases."), ["At 8 a.m. we had 12 cases."]);
    }
}
