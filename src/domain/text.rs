//! Text positions: Unicode code points, UTF-16 conversion, line endings, words.
//!
//! Every offset Crosscheck stores is a count of Unicode code points (Rust `char`s) into an
//! article's stored text, end exclusive, exactly like Python's `text[start:end]`. Browsers count
//! in UTF-16 code units; the conversion between the two lives here and nowhere else, and the
//! browser edge (`web::selection`) calls it once per selection boundary.

use unicode_segmentation::UnicodeSegmentation;

/// Replaces every CRLF and lone CR with LF. This is the only change ever made to an article's
/// text on the way in, so that offsets mean the same thing on every platform.
pub fn normalize_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut normalized = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(character) = chars.next() {
        if character == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            normalized.push('\n');
        } else {
            normalized.push(character);
        }
    }
    normalized
}

/// `count` and the noun for it: "1 annotation", "2 annotations", "0 links".
pub fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The number of code points in `text`.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// Counts words the way a reader would: Unicode word segments (UAX #29) that contain a letter or
/// digit.
///
/// Article text is mostly ASCII, and the full segmentation costs about 70 ms for a 50,000-word
/// article in the browser, so ASCII stretches are counted by [`ascii_word_count`], which applies
/// the same rules restricted to ASCII (a token whose only other characters are curly quotes,
/// dashes and the like, or precomposed Latin letters such as `é`, is first rewritten to the
/// ASCII that segments the same way). A space or line feed is always a word boundary before it;
/// after it only a combining mark, format character or joiner can continue a segment, so each
/// non-ASCII token is segmented together with the separator before it. The property test
/// `word_count_matches_unicode_segmentation` holds the two paths to the same answer.
///
/// Counted line by line (a line feed always ends a word), a call per line, so that V8 optimises
/// it during a load (ARCHITECTURE.md, "Long loops run as many calls").
pub fn word_count(text: &str) -> usize {
    text.split('\n').map(line_word_count).sum()
}

#[inline(never)]
fn line_word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let is_separator = |byte: &u8| *byte == b' ' || *byte == b'\n';
    let mut count = 0;
    // The text before `counted` is counted.
    let mut counted = 0;
    while let Some(found) = bytes[counted..].iter().position(|byte| !byte.is_ascii()) {
        // The token (between separators) that holds it; the ASCII tokens before it in one
        // stretch (no word runs across a separator, so the stretch counts as its tokens do).
        let non_ascii = counted + found;
        let token_start =
            bytes[counted..non_ascii].iter().rposition(is_separator).map_or(counted, |at| counted + at + 1);
        let token_end = bytes[non_ascii..].iter().position(is_separator).map_or(bytes.len(), |at| non_ascii + at);
        count += ascii_word_count(&text[counted..token_start]);
        count += non_ascii_token_word_count(text, token_start, token_end);
        counted = token_end;
    }
    count + ascii_word_count(&text[counted..])
}

/// The words of the token `start..end` of `text` (a token holding a non-ASCII character).
fn non_ascii_token_word_count(text: &str, start: usize, end: usize) -> usize {
    let token = &text[start..end];
    let as_ascii = |character: char| match character {
        _ if character.is_ascii() => Some(character),
        _ if CURLY_APOSTROPHES.contains(&character) => Some('\''),
        _ if BREAKING_PUNCTUATION.contains(&character) => Some(' '),
        _ if is_latin_letter(character) => Some('a'),
        _ => None,
    };
    match token.chars().map(as_ascii).collect::<Option<String>>() {
        Some(ascii) => ascii_word_count(&ascii),
        None => text[start.saturating_sub(1)..end].unicode_words().count(),
    }
}

/// Common non-ASCII punctuation whose UAX #29 word-break class is Other: a word boundary on
/// both sides, never joined across (unlike `’` and `‘`, which join like `'`). In a token of
/// ASCII and these, they count as spaces.
const BREAKING_PUNCTUATION: &[char] =
    &['\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}', '\u{2026}', '\u{AB}', '\u{BB}', '\u{20AC}', '\u{A3}'];

/// `‘` and `’` join letters and digits exactly as `'` does (all three are MidNumLetQ; only
/// Hebrew letters tell them apart, and those take the full segmentation).
const CURLY_APOSTROPHES: &[char] = &['\u{2018}', '\u{2019}'];

/// The precomposed Latin letters (Latin-1 Supplement, Extended-A and -B, Extended Additional:
/// é, ø, ş, ı, ễ …), whose word-break class is ALetter as an ASCII letter's is: in a token of
/// ASCII and these they count as `a`. A token with a combining mark or any other script takes
/// the full segmentation. `latin_letters_segment_as_ascii_letters` checks every one of them.
fn is_latin_letter(character: char) -> bool {
    matches!(character, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
}

/// [`word_count`] for ASCII text: a word is a run of letters, digits and `_` with at least one
/// letter or digit, where one `:` `.` `'` may join two letters and one `,` `;` `.` `'` two digits
/// (UAX #29 rules WB5–WB13b; everything else breaks).
fn ascii_word_count(text: &str) -> usize {
    // One pass, one branch per byte in the common case (a letter inside a word, or a space
    // outside one): the word count of every article runs at each load (350 KB of text in the
    // benchmark project), and stepping word by word with look-ahead took 40 % more instructions.
    let bytes = text.as_bytes();
    let joins = |before: u8, middle: u8, after: u8| {
        (before.is_ascii_alphabetic() && after.is_ascii_alphabetic() && matches!(middle, b':' | b'.' | b'\''))
            || (before.is_ascii_digit() && after.is_ascii_digit() && matches!(middle, b',' | b';' | b'.' | b'\''))
    };
    let mut count = 0;
    // Inside a word: whether it has a letter or digit yet (a run of `_` alone is no word).
    let mut word: Option<bool> = None;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte.is_ascii_alphanumeric() {
            word = Some(true);
        } else if byte == b'_' {
            word = Some(word.unwrap_or(false));
        } else if let Some(has_alphanumeric) = word {
            // A joiner between the word's last byte and the next keeps the word going; the byte
            // after it is a letter or digit, read next.
            if index > 0 && index + 1 < bytes.len() && joins(bytes[index - 1], byte, bytes[index + 1]) {
                index += 1;
                continue;
            }
            count += usize::from(has_alphanumeric);
            word = None;
        }
        index += 1;
    }
    count + usize::from(word == Some(true))
}

/// Converts a UTF-16 code-unit offset into `text` to a code-point offset.
///
/// An offset that falls between the two halves of a surrogate pair is rounded down to the start
/// of that code point; an offset past the end is clamped to the end.
pub fn utf16_to_char_offset(text: &str, utf16_offset: usize) -> usize {
    let mut units = 0;
    for (char_index, character) in text.chars().enumerate() {
        let width = character.len_utf16();
        if units + width > utf16_offset {
            return char_index;
        }
        units += width;
    }
    char_count(text)
}

/// Converts a code-point offset into `text` to a UTF-16 code-unit offset (clamped to the end).
pub fn char_to_utf16_offset(text: &str, char_offset: usize) -> usize {
    text.chars().take(char_offset).map(char::len_utf16).sum()
}

/// How many code points sit between two checkpoints of a [`TextIndex`]: a slice walks up to this
/// many from a checkpoint. 16, not 64: a load slices each of 10,000 spans twice, which took ~12
/// ms of a new tab's first run of the wasm at 64; the checkpoints cost a quarter of the text's
/// size in bytes.
const CHECKPOINT_STRIDE: usize = 16;

/// Whether a UTF-8 byte starts a code point (every byte but a continuation, `0b10xx_xxxx`).
fn starts_code_point(byte: u8) -> bool {
    (byte & 0xC0) != 0x80
}

/// A precomputed map from code-point offsets to byte offsets, so that slicing a 50,000-word
/// article by code points costs a few dozen steps instead of a walk from the start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextIndex {
    char_len: usize,
    /// `None` when the text is ASCII and byte offsets equal code-point offsets.
    checkpoints: Option<Vec<usize>>,
}

/// How much of an article's text one call of a long loop over it takes: V8 optimises a wasm
/// function only between its calls, so a loop over a whole text in one call runs as baseline
/// code in a new tab (ARCHITECTURE.md, "Long loops run as many calls").
pub const TEXT_PIECE_BYTES: usize = 4096;

/// Counts the code points of `bytes` (which start at byte `base` of the text) onto `char_len`,
/// with a checkpoint every [`CHECKPOINT_STRIDE`]: by their first bytes, not decoded (a reload
/// indexes every article, 330 KB of text for the benchmark project). A call per piece.
#[inline(never)]
fn index_piece(bytes: &[u8], base: usize, char_len: &mut usize, checkpoints: &mut Vec<usize>) {
    for (offset, byte) in bytes.iter().enumerate() {
        if starts_code_point(*byte) {
            if char_len.is_multiple_of(CHECKPOINT_STRIDE) {
                checkpoints.push(base + offset);
            }
            *char_len += 1;
        }
    }
}

impl TextIndex {
    pub fn new(text: &str) -> TextIndex {
        if text.is_ascii() {
            return TextIndex { char_len: text.len(), checkpoints: None };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_STRIDE + 1);
        let mut char_len = 0;
        for (piece, bytes) in text.as_bytes().chunks(TEXT_PIECE_BYTES).enumerate() {
            index_piece(bytes, piece * TEXT_PIECE_BYTES, &mut char_len, &mut checkpoints);
        }
        TextIndex { char_len, checkpoints: Some(checkpoints) }
    }

    /// The text's length in code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// The byte offset of code point `char_offset`, or `None` past the end.
    pub fn byte_offset(&self, text: &str, char_offset: usize) -> Option<usize> {
        if char_offset > self.char_len {
            return None;
        }
        if char_offset == self.char_len {
            return Some(text.len());
        }
        let Some(checkpoints) = &self.checkpoints else {
            return Some(char_offset);
        };
        let checkpoint = checkpoints[char_offset / CHECKPOINT_STRIDE];
        let remaining = char_offset % CHECKPOINT_STRIDE;
        // Counts code points by their first bytes, which is several times faster than decoding
        // them; loading a project slices every span.
        text.as_bytes()[checkpoint..]
            .iter()
            .enumerate()
            .filter(|(_, byte)| starts_code_point(**byte))
            .nth(remaining)
            .map(|(offset, _)| checkpoint + offset)
    }

    /// The code points `start..end` of `text`, or `None` when the range is empty-reversed or
    /// out of bounds.
    pub fn slice<'text>(&self, text: &'text str, start: usize, end: usize) -> Option<&'text str> {
        if start > end {
            return None;
        }
        let start_byte = self.byte_offset(text, start)?;
        let end_byte = self.byte_offset(text, end)?;
        text.get(start_byte..end_byte)
    }

    /// The code-point offset of byte `byte_offset` (which must be a char boundary).
    pub fn char_offset(&self, text: &str, byte_offset: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return byte_offset.min(text.len());
        };
        let block = checkpoints.partition_point(|&checkpoint| checkpoint <= byte_offset).saturating_sub(1);
        let base = checkpoints.get(block).copied().unwrap_or(0);
        block * CHECKPOINT_STRIDE + text.get(base..byte_offset).map(|part| part.chars().count()).unwrap_or(0)
    }
}

/// Whether a word segment is a word a person would select (it has a letter or a digit).
fn is_wordlike(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// Widens `start..end` (code points into `text`) to whole words and trims surrounding
/// whitespace, as a selection in the reader does unless the user holds `Alt`.
///
/// Returns `None` when nothing but whitespace was selected. Only the lines around the two ends
/// are segmented, so the cost does not grow with the article.
pub fn snap_to_words(text: &str, index: &TextIndex, start: usize, end: usize) -> Option<(usize, usize)> {
    if start >= end || end > index.char_len() {
        return None;
    }
    let start_byte = index.byte_offset(text, start)?;
    let end_byte = index.byte_offset(text, end)?;
    let snapped_start = word_start_at_or_before(text, start_byte);
    let snapped_end = word_end_at_or_after(text, end_byte);
    let (trimmed_start, trimmed_end) = trim_whitespace(text, snapped_start, snapped_end)?;
    Some((index.char_offset(text, trimmed_start), index.char_offset(text, trimmed_end)))
}

/// `start..end` (code points into `text`) with the whitespace at both ends trimmed, not snapped
/// to words: a selection as it is shown before the word segmentation ([`snap_to_words`]) is at
/// hand. `None` when nothing but whitespace was selected, as `snap_to_words` gives.
pub fn trim_to_text(text: &str, index: &TextIndex, start: usize, end: usize) -> Option<(usize, usize)> {
    if start >= end || end > index.char_len() {
        return None;
    }
    let (start_byte, end_byte) = trim_whitespace(text, index.byte_offset(text, start)?, index.byte_offset(text, end)?)?;
    Some((index.char_offset(text, start_byte), index.char_offset(text, end_byte)))
}

/// Trims whitespace from both ends of the byte range; `None` if nothing is left.
fn trim_whitespace(text: &str, start_byte: usize, end_byte: usize) -> Option<(usize, usize)> {
    let selected = text.get(start_byte..end_byte)?;
    let leading = selected.len() - selected.trim_start().len();
    let trimmed = selected.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some((start_byte + leading, start_byte + leading + trimmed.len()))
}

/// The byte range of the line (between newlines) that contains `byte_offset`.
fn line_around(text: &str, byte_offset: usize) -> (usize, usize) {
    let line_start = text[..byte_offset].rfind('\n').map_or(0, |newline| newline + 1);
    let line_end = text[byte_offset..].find('\n').map_or(text.len(), |newline| byte_offset + newline);
    (line_start, line_end)
}

/// The byte range of the word segment strictly around `byte_offset` (the offset falls inside
/// it, not at its edge), if that segment is a word.
fn word_around(text: &str, byte_offset: usize) -> Option<(usize, usize)> {
    let (line_start, line_end) = line_around(text, byte_offset);
    let local = byte_offset - line_start;
    text[line_start..line_end].split_word_bound_indices().find_map(|(segment_start, segment)| {
        let segment_end = segment_start + segment.len();
        (segment_start < local && local < segment_end && is_wordlike(segment))
            .then_some((line_start + segment_start, line_start + segment_end))
    })
}

fn word_start_at_or_before(text: &str, byte_offset: usize) -> usize {
    word_around(text, byte_offset).map_or(byte_offset, |(start, _)| start)
}

fn word_end_at_or_after(text: &str, byte_offset: usize) -> usize {
    word_around(text, byte_offset).map_or(byte_offset, |(_, end)| end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_index_is_right_across_its_pieces() {
        // Several pieces of `index_piece`, with 2-, 3- and 4-byte code points across their seams.
        let text = "aé€😀\n".repeat(1500);
        assert!(text.len() > 3 * TEXT_PIECE_BYTES);
        let index = TextIndex::new(&text);
        let starts: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        assert_eq!(index.char_len(), starts.len());
        for (char_offset, byte) in starts.iter().enumerate() {
            assert_eq!(index.byte_offset(&text, char_offset), Some(*byte), "code point {char_offset}");
        }
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(normalize_line_endings("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize_line_endings("\r\r\n"), "\n\n");
    }

    #[test]
    fn utf16_conversion_counts_astral_characters_once() {
        let text = "a🇺🇸b👨‍👩‍👧c";
        // 🇺🇸 is two code points of two UTF-16 units each.
        assert_eq!(char_to_utf16_offset(text, 1), 1);
        assert_eq!(char_to_utf16_offset(text, 3), 5);
        assert_eq!(utf16_to_char_offset(text, 5), 3);
        assert_eq!(utf16_to_char_offset(text, 2), 1, "inside a surrogate pair rounds down");
        assert_eq!(utf16_to_char_offset(text, 999), char_count(text));
    }

    #[test]
    fn index_slices_by_code_points() {
        let text = "שלום e\u{301} 世界 🙂 end";
        let index = TextIndex::new(text);
        let chars: Vec<char> = text.chars().collect();
        for start in 0..=chars.len() {
            for end in start..=chars.len() {
                let expected: String = chars[start..end].iter().collect();
                assert_eq!(index.slice(text, start, end), Some(expected.as_str()));
            }
        }
        assert_eq!(index.slice(text, 0, chars.len() + 1), None);
    }

    #[test]
    fn snapping_widens_to_words_and_trims() {
        let text = "The non-binding resolution passed.\nNext line";
        let index = TextIndex::new(text);
        // "on-bind" inside "non-binding" widens to the whole hyphenated run's words.
        let (start, end) = snap_to_words(text, &index, 5, 10).unwrap();
        assert_eq!(index.slice(text, start, end), Some("non-binding"));
        let (start, end) = snap_to_words(text, &index, 3, 16).unwrap();
        assert_eq!(index.slice(text, start, end), Some("non-binding"));
        assert_eq!(snap_to_words(text, &index, 3, 4), None);
        let (start, end) = snap_to_words(text, &index, 28, 38).unwrap();
        assert_eq!(index.slice(text, start, end), Some("passed.\nNext"));
    }

    #[test]
    fn trimming_keeps_a_selection_but_its_outer_whitespace() {
        let text = "Zoë said: 🙂 “binding” \nNext";
        let index = TextIndex::new(text);
        let chars: Vec<char> = text.chars().collect();
        let slice = |(start, end): (usize, usize)| chars[start..end].iter().collect::<String>();
        // " said: 🙂 “bin": the space trimmed, the word not widened.
        assert_eq!(trim_to_text(text, &index, 3, 16).map(slice).as_deref(), Some("said: 🙂 “bin"));
        assert_eq!(trim_to_text(text, &index, 20, 27).map(slice).as_deref(), Some("” \nNext"));
        assert_eq!(trim_to_text(text, &index, 21, 23), None, "only whitespace");
        assert_eq!(trim_to_text(text, &index, 4, 4), None);
        assert_eq!(trim_to_text(text, &index, 0, chars.len() + 1), None);
        // A selection of whole words is what snapping gives.
        for (start, end) in [(0, 3), (4, 8), (0, 27), (23, 27)] {
            assert_eq!(
                trim_to_text(text, &index, start, end),
                snap_to_words(text, &index, start, end),
                "{start}..{end}"
            );
        }
    }

    #[test]
    fn counts_read_in_the_singular_only_for_one() {
        assert_eq!(counted(1, "span", "spans"), "1 span");
        assert_eq!(counted(0, "span", "spans"), "0 spans");
        assert_eq!(counted(2, "link", "links"), "2 links");
    }

    #[test]
    fn word_counts() {
        assert_eq!(word_count("Hello, world! It's 1.4 million."), 5);
    }

    /// `word_count` counts a token of ASCII and Latin letters without the full segmentation:
    /// each of those letters must segment as an ASCII letter does, in every context that
    /// joins or breaks words.
    #[test]
    fn latin_letters_segment_as_ascii_letters() {
        let latin = ('\u{A0}'..='\u{1EFF}').filter(|character| is_latin_letter(*character));
        for letter in latin {
            for context in
                ["{}", "a{}", "{}1", "1{}", "x.{}", "{}'s", "{}:{}", "_{}", "{}_", "“{}”", "{}’{}", "{},{}", "7.{}"]
            {
                let text = context.replace("{}", &letter.to_string());
                assert_eq!(word_count(&text), text.unicode_words().count(), "{text:?} (U+{:04X})", u32::from(letter));
            }
        }
    }
}
