//! Quotation-mark scanning: finds quoted passages in every style news text uses.
//!
//! Handles curly “…” and straight "…" double quotes (mixed, as copy-edited text often has them),
//! single quotes ‘…’ and '…' told apart from apostrophes, guillemets «…» and »…«, low-9 quotes
//! „…“ and ‚…‘, and corner brackets 「…」. Marks are paired with a stack, so nested quotes are
//! found inside their outer quote. A paragraph that opens a quote and ends without closing it,
//! followed by a paragraph that opens again, follows the news convention for a quotation that
//! runs over several paragraphs: each paragraph becomes its own passage and the later ones are
//! marked as continuations.
//!
//! Everything works on a slice of `char`s with code-point offsets, and never panics on
//! unbalanced or garbage input: an unmatched mark is simply not a quote.

/// The kind of mark, so that a straight `"` can close a curly `“`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteFamily {
    Double,
    Single,
    Guillemet,
    SingleGuillemet,
    Corner,
    WhiteCorner,
}

/// One quoted passage, in code points of the article text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotedPassage {
    /// The position of the opening mark.
    pub open: usize,
    /// The position just after the closing mark, or the paragraph end when the quote was left
    /// open (a multi-paragraph quotation).
    pub outer_end: usize,
    /// The quoted words: inside the marks, trimmed of spaces and of a trailing comma.
    pub content_start: usize,
    pub content_end: usize,
    pub family: QuoteFamily,
    /// How many quotes enclose this one (0 for a top-level quote).
    pub depth: usize,
    /// The index of the paragraph (in the list given to [`find_quotes`]).
    pub paragraph: usize,
    /// Whether the quote runs to the end of its paragraph without a closing mark.
    pub left_open: bool,
    /// Whether this quote opens its paragraph and continues a quote left open by the previous one.
    pub continues_previous: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A straight quote between two non-space characters: it closes if something is open.
    Either,
}

#[derive(Clone, Copy, Debug)]
struct OpenMark {
    family: QuoteFamily,
    glyph: char,
    position: usize,
}

/// Whether `character` is any quotation mark this module knows.
pub fn is_quote_mark(character: char) -> bool {
    matches!(
        character,
        '"' | '“'
            | '”'
            | '„'
            | '‟'
            | '\''
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '「'
            | '」'
            | '『'
            | '』'
    )
}

fn is_opening_context(previous: Option<char>) -> bool {
    match previous {
        None => true,
        Some(character) => {
            character.is_whitespace()
                || matches!(character, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':')
                || is_quote_mark(character)
        }
    }
}

fn is_closing_context(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(character) => {
            character.is_whitespace()
                || matches!(
                    character,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…' | '/'
                )
                || is_quote_mark(character)
        }
    }
}

fn is_word_character(character: Option<char>) -> bool {
    character.is_some_and(char::is_alphanumeric)
}

fn not_space(character: Option<char>) -> bool {
    character.is_some_and(|character| !character.is_whitespace())
}

/// Elisions that start with an apostrophe: '90s, 'em, 'tis, 'n'.
fn is_leading_elision(chars: &[char], index: usize, end: usize) -> bool {
    let after: String = chars[index + 1..end.min(index + 5)].iter().collect::<String>().to_lowercase();
    after.starts_with(|character: char| character.is_ascii_digit())
        || after.starts_with("em ")
        || after.starts_with("tis ")
        || after.starts_with("twas ")
        || after.starts_with("n'")
        || after.starts_with("cause ")
}

fn top_open_of(stack: &[OpenMark], family: QuoteFamily) -> Option<&OpenMark> {
    stack.iter().rev().find(|mark| mark.family == family)
}

/// Decides what a mark at `index` does, given the marks still open.
fn classify(chars: &[char], index: usize, start: usize, end: usize, stack: &[OpenMark]) -> Option<(QuoteFamily, Role)> {
    let character = chars[index];
    let previous = if index > start { Some(chars[index - 1]) } else { None };
    let next = if index + 1 < end { Some(chars[index + 1]) } else { None };
    let opens = is_opening_context(previous) && not_space(next);
    let closes = not_space(previous) && is_closing_context(next);
    let top_glyph = |family| top_open_of(stack, family).map(|mark| mark.glyph);
    use QuoteFamily::*;
    match character {
        '"' => {
            if opens {
                Some((Double, Role::Open))
            } else if closes {
                Some((Double, Role::Close))
            } else if not_space(previous) && not_space(next) {
                Some((Double, Role::Either))
            } else {
                None
            }
        }
        '“' => {
            if top_glyph(Double) == Some('„') && not_space(previous) {
                Some((Double, Role::Close))
            } else if not_space(next) {
                Some((Double, Role::Open))
            } else if not_space(previous) {
                Some((Double, Role::Close))
            } else {
                None
            }
        }
        '”' => {
            if not_space(previous) && top_open_of(stack, Double).is_some() {
                Some((Double, Role::Close))
            } else if opens {
                Some((Double, Role::Open))
            } else if not_space(previous) {
                Some((Double, Role::Close))
            } else {
                None
            }
        }
        '„' | '‟' => Some((Double, Role::Open)),
        '‚' | '‛' => Some((Single, Role::Open)),
        '‘' => {
            if top_glyph(Single) == Some('‚') && not_space(previous) {
                Some((Single, Role::Close))
            } else if opens {
                Some((Single, Role::Open))
            } else {
                None
            }
        }
        '’' | '\'' => {
            if is_word_character(previous) && is_word_character(next) {
                None
            } else if closes && top_open_of(stack, Single).is_some() {
                Some((Single, Role::Close))
            } else if opens && character == '\'' && !is_leading_elision(chars, index, end) {
                Some((Single, Role::Open))
            } else {
                None
            }
        }
        '«' => {
            if top_glyph(Guillemet) == Some('»') && not_space(previous) {
                Some((Guillemet, Role::Close))
            } else {
                Some((Guillemet, Role::Open))
            }
        }
        '»' => {
            if top_glyph(Guillemet) == Some('«') {
                Some((Guillemet, Role::Close))
            } else if opens {
                Some((Guillemet, Role::Open))
            } else {
                None
            }
        }
        '‹' => {
            if top_glyph(SingleGuillemet) == Some('›') && not_space(previous) {
                Some((SingleGuillemet, Role::Close))
            } else {
                Some((SingleGuillemet, Role::Open))
            }
        }
        '›' => {
            if top_glyph(SingleGuillemet) == Some('‹') {
                Some((SingleGuillemet, Role::Close))
            } else if opens {
                Some((SingleGuillemet, Role::Open))
            } else {
                None
            }
        }
        '「' => Some((Corner, Role::Open)),
        '」' => Some((Corner, Role::Close)),
        '『' => Some((WhiteCorner, Role::Open)),
        '』' => Some((WhiteCorner, Role::Close)),
        _ => None,
    }
}

/// Trims spaces on both sides and a trailing comma or semicolon (the comma that American style
/// puts inside the closing mark before "he said" is not part of what was said).
fn trim_content(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && (chars[end - 1].is_whitespace() || matches!(chars[end - 1], ',' | ';')) {
        end -= 1;
    }
    (start, end)
}

fn first_non_space(chars: &[char], start: usize, end: usize) -> Option<usize> {
    (start..end).find(|&index| !chars[index].is_whitespace())
}

/// Finds every quoted passage in the given paragraphs (code-point ranges into `chars`, in order).
pub fn find_quotes(chars: &[char], paragraphs: &[(usize, usize)]) -> Vec<QuotedPassage> {
    let mut passages = Vec::new();
    let mut previous_left_open_family: Option<QuoteFamily> = None;
    for (paragraph_index, &(start, end)) in paragraphs.iter().enumerate() {
        let end = end.min(chars.len());
        let continued_family = previous_left_open_family.take();
        if start >= end {
            continue;
        }
        let first_passage = passages.len();
        let stack = pair_marks_in_paragraph(chars, start, end, paragraph_index, &mut passages);
        let opens_paragraph = first_non_space(chars, start, end);
        // A quote still open at the end of the paragraph runs to the end when the next paragraph
        // opens with a mark of the same family (multi-paragraph quotation) or when it opened the
        // paragraph itself (a missing closing mark).
        if let Some(outermost) = stack.first().copied() {
            let next_opens_with_same_family =
                paragraphs.get(paragraph_index + 1).is_some_and(|&(next_start, next_end)| {
                    let next_end = next_end.min(chars.len());
                    first_non_space(chars, next_start, next_end).is_some_and(|first| {
                        is_quote_mark(chars[first])
                            && classify(chars, first, next_start, next_end, &[])
                                .is_some_and(|(family, role)| family == outermost.family && role == Role::Open)
                    })
                });
            let opened_paragraph = Some(outermost.position) == opens_paragraph;
            let long_enough = (outermost.position..end).filter(|&index| chars[index] == ' ').count() >= 2;
            if (next_opens_with_same_family || opened_paragraph) && long_enough {
                let (content_start, content_end) = trim_content(chars, outermost.position + 1, end);
                if content_start < content_end {
                    // Quotes closed inside it are nested one level deeper.
                    for passage in passages[first_passage..].iter_mut() {
                        if passage.open > outermost.position {
                            passage.depth += 1;
                        }
                    }
                    passages.push(QuotedPassage {
                        open: outermost.position,
                        outer_end: end,
                        content_start,
                        content_end,
                        family: outermost.family,
                        depth: 0,
                        paragraph: paragraph_index,
                        left_open: true,
                        continues_previous: false,
                    });
                    if next_opens_with_same_family {
                        previous_left_open_family = Some(outermost.family);
                    }
                }
            }
        }
        // The paragraph's first quote continues a quotation left open by the previous paragraph.
        if let Some(family) = continued_family {
            let continuing = passages[first_passage..]
                .iter_mut()
                .filter(|passage| passage.depth == 0)
                .min_by_key(|passage| passage.open);
            if let Some(passage) = continuing {
                if Some(passage.open) == opens_paragraph && passage.family == family {
                    passage.continues_previous = true;
                }
            }
        }
    }
    crate::domain::sorting::sort_by_key(&mut passages, |passage| (passage.open, std::cmp::Reverse(passage.outer_end)));
    passages
}

/// Pairs the marks of one paragraph, pushing closed passages, and returns the marks left open.
fn pair_marks_in_paragraph(
    chars: &[char],
    start: usize,
    end: usize,
    paragraph_index: usize,
    passages: &mut Vec<QuotedPassage>,
) -> Vec<OpenMark> {
    let mut stack: Vec<OpenMark> = Vec::new();
    for index in start..end {
        if !is_quote_mark(chars[index]) {
            continue;
        }
        let Some((family, role)) = classify(chars, index, start, end, &stack) else { continue };
        let closes_open_mark = match role {
            Role::Close => true,
            Role::Either => top_open_of(&stack, family).is_some(),
            Role::Open => false,
        };
        if !closes_open_mark {
            stack.push(OpenMark { family, glyph: chars[index], position: index });
            continue;
        }
        let Some(position) = stack.iter().rposition(|mark| mark.family == family) else { continue };
        let open = stack[position];
        stack.truncate(position);
        let (content_start, content_end) = trim_content(chars, open.position + 1, index);
        if content_start < content_end {
            passages.push(QuotedPassage {
                open: open.position,
                outer_end: index + 1,
                content_start,
                content_end,
                family,
                depth: position,
                paragraph: paragraph_index,
                left_open: false,
                continues_previous: false,
            });
        }
    }
    stack
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes_in(text: &str) -> Vec<(String, usize, bool, bool)> {
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
        find_quotes(&chars, &paragraphs)
            .into_iter()
            .map(|passage| {
                (
                    chars[passage.content_start..passage.content_end].iter().collect(),
                    passage.depth,
                    passage.left_open,
                    passage.continues_previous,
                )
            })
            .collect()
    }

    fn contents(text: &str) -> Vec<String> {
        quotes_in(text).into_iter().filter(|quote| quote.1 == 0).map(|quote| quote.0).collect()
    }

    #[test]
    fn curly_and_straight_quotes_pair_with_each_other() {
        assert_eq!(contents("“We're perplexed by this. It's fine.\" he said"), ["We're perplexed by this. It's fine."]);
        assert_eq!(contents("\"We will fight,\" she said, \"and win.\""), ["We will fight", "and win."]);
        assert_eq!(contents("He called it a “red line” for the US."), ["red line"]);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(contents("Israel's delegation and the United States' refusal; don't.").is_empty());
        assert_eq!(
            contents("US 'disappointed' and 'perplexed' as Israel cancels delegation's trip"),
            ["disappointed", "perplexed"]
        );
        assert_eq!(contents("It would be a ‘huge mistake’, she’s said."), ["huge mistake"]);
        assert!(contents("Back in the '90s they sang 'em all.").is_empty());
    }

    #[test]
    fn guillemets_low_nine_and_corner_brackets() {
        assert_eq!(contents("«Nous resterons», a-t-il dit."), ["Nous resterons"]);
        assert_eq!(contents("»Wir bleiben«, sagte er."), ["Wir bleiben"]);
        assert_eq!(contents("„The alert came late“, Ferrand said."), ["The alert came late"]);
        assert_eq!(contents("He called it ‚a joke‘."), ["a joke"]);
        assert_eq!(contents("「東京」と言った"), ["東京"]);
    }

    #[test]
    fn nested_quotes_are_found_inside_the_outer_one() {
        let found = quotes_in("“She told me, ‘Don’t you dare tell the council,’ so I did.”");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "She told me, ‘Don’t you dare tell the council,’ so I did.");
        assert_eq!((found[1].0.as_str(), found[1].1), ("Don’t you dare tell the council", 1));
    }

    #[test]
    fn a_quote_left_open_continues_in_the_next_paragraph() {
        let text = "“Prime Minister made it clear last night that he will cancel.\n\n“In light of the change, the delegation will remain.”";
        let found = quotes_in(text);
        assert_eq!(found.len(), 2);
        assert!(found[0].2 && !found[0].3, "{found:?}");
        assert!(!found[1].2 && found[1].3, "{found:?}");
        let resumed =
            "Ellery said. “When they closed,” she said, “they told us. Then it closed.\n\n“You take the ferry away.”";
        let found = quotes_in(resumed);
        assert_eq!(
            found.iter().map(|quote| quote.0.as_str()).collect::<Vec<_>>(),
            ["When they closed", "they told us. Then it closed.", "You take the ferry away."]
        );
        assert!(found[2].3);
    }

    #[test]
    fn stray_marks_are_ignored() {
        assert!(contents("A stray \" mark and an unclosed “quote in the middle").is_empty());
        assert!(contents("”").is_empty());
        assert!(contents("' ' \" \"").is_empty());
    }
}
