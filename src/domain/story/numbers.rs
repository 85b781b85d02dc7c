//! Numbers along a story-matrix row: which figures outlets give, and which of them disagree.
//!
//! Each cell's text is read with `suggest::numbers::find_quantities` ("roughly 1 million",
//! "1.4 million people", "$45 million"); two figures of the same kind and a compatible unit that
//! have different values, in two different spans of a row, both count as differing.

use crate::domain::suggest::lexicon::cardinal_value;
use crate::domain::suggest::numbers::{find_quantities, Quantity};
use crate::domain::suggest::tokens::tokenize;

/// One figure in a cell's text, in code points of that text.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub start: usize,
    pub end: usize,
    /// The figure as written ("1.4 million").
    pub text: String,
    /// Whether another span of the row gives a different value for the same kind of thing.
    pub differs: bool,
    quantity: Quantity,
}

/// The figures a checker would compare in `text` (not times of day).
pub fn figures_in(text: &str) -> Vec<Figure> {
    let chars: Vec<char> = text.chars().collect();
    let tokens = tokenize(&chars, 0, chars.len(), &[]);
    find_quantities(&tokens)
        .into_iter()
        .filter(Quantity::is_claim_worthy)
        .map(|quantity| {
            let (start, end) = (quantity.start.min(chars.len()), quantity.end.min(chars.len()));
            let (figure_start, figure_end) = number_part(&chars, start, end);
            let text: String = chars[figure_start..figure_end].iter().collect();
            Figure { start: figure_start, end: figure_end, text, differs: false, quantity }
        })
        .collect()
}

/// The number and its multiplier inside a quantity's range `start..end`: without the qualifier
/// before it ("roughly", "at least") or the unit after it ("people"). The whole range when no
/// word of it looks like a number.
fn number_part(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut at = start;
    while at < end {
        while at < end && chars[at].is_whitespace() {
            at += 1;
        }
        let word_start = at;
        while at < end && !chars[at].is_whitespace() {
            at += 1;
        }
        if word_start < at {
            words.push((word_start, at));
        }
    }
    let is_number = |(word_start, word_end): (usize, usize)| {
        let word: String = chars[word_start..word_end].iter().collect();
        let bare = word.trim_matches(|character: char| !character.is_alphanumeric()).to_lowercase();
        word.chars().any(|character| character.is_ascii_digit())
            || cardinal_value(&bare).is_some()
            || bare.split('-').all(|part| cardinal_value(part).is_some())
    };
    let is_multiplier = |(word_start, word_end): (usize, usize)| {
        let word: String = chars[word_start..word_end].iter().collect::<String>().to_lowercase();
        let bare = word.trim_end_matches(|character: char| !character.is_alphanumeric() && character != '%');
        matches!(bare, "million" | "billion" | "trillion" | "thousand" | "hundred" | "percent" | "per")
            || bare.ends_with('%')
    };
    let Some(first) = words.iter().position(|word| is_number(*word)) else { return (start, end) };
    let mut last = first;
    while words.get(last + 1).is_some_and(|word| is_number(*word) || is_multiplier(*word)) {
        last += 1;
    }
    let mut figure_end = words[last].1;
    while figure_end > words[first].0 && matches!(chars[figure_end - 1], ',' | '.' | ';' | ':' | ')') {
        figure_end -= 1;
    }
    (words[first].0, figure_end)
}

/// Whether two figures count the same kind of thing, so different values disagree.
fn comparable(left: &Quantity, right: &Quantity) -> bool {
    if left.kind != right.kind {
        return false;
    }
    let (left_unit, right_unit) = (left.unit_class(), right.unit_class());
    left_unit.is_empty() || right_unit.is_empty() || left_unit == right_unit
}

/// Marks the figures that differ: `spans` holds each span's figures; a figure differs when a
/// comparable figure in another span of the row has another value. Returns whether any did.
pub fn mark_differences(spans: &mut [Vec<Figure>]) -> bool {
    let mut any = false;
    for left_span in 0..spans.len() {
        for left_index in 0..spans[left_span].len() {
            let differs =
                spans.iter().enumerate().filter(|(right_span, _)| *right_span != left_span).any(|(_, figures)| {
                    figures.iter().any(|right| {
                        let left = &spans[left_span][left_index].quantity;
                        comparable(left, &right.quantity) && left.value != right.quantity.value
                    })
                });
            spans[left_span][left_index].differs = differs;
            any |= differs;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        figures_in(text).into_iter().map(|figure| figure.text).collect()
    }

    #[test]
    fn figures_are_the_number_and_its_multiplier_without_qualifier_or_unit() {
        assert_eq!(texts("roughly 1 million Palestinians"), ["1 million"]);
        assert_eq!(texts("about 1.4 million people"), ["1.4 million"]);
        assert_eq!(texts("the 1.4 million Palestinians sheltering there"), ["1.4 million"]);
        let figure = &figures_in("home to roughly 1 million Palestinians")[0];
        let chars: Vec<char> = "home to roughly 1 million Palestinians".chars().collect();
        assert_eq!(chars[figure.start..figure.end].iter().collect::<String>(), "1 million");
    }

    #[test]
    fn rafah_population_differs_and_equal_reports_agree() {
        let mut spans = vec![
            figures_in("roughly 1 million Palestinians"),
            figures_in("about 1.4 million people"),
            figures_in("the 1.4 million Palestinians"),
        ];
        assert!(mark_differences(&mut spans));
        assert!(spans.iter().all(|figures| figures[0].differs));

        let mut agreeing = vec![figures_in("about 1.4 million people"), figures_in("the 1.4 million Palestinians")];
        assert!(!mark_differences(&mut agreeing));
        let mut unrelated = vec![figures_in("15 ships"), figures_in("40 percent of them")];
        assert!(!mark_differences(&mut unrelated), "a count of ships and a percentage do not disagree");
    }
}
