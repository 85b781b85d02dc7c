#![cfg(not(target_arch = "wasm32"))]
//! The suggesters never panic, whatever the text: random Unicode, unbalanced and stray
//! quotation marks, huge numbers, empty paragraphs. Every span they propose still matches the
//! article text exactly.

use std::collections::BTreeSet;

use crosscheck::domain::article::Article;
use crosscheck::domain::suggest::{
    suggest_across, suggest_for_article, suggest_for_paragraphs, Suggestion, SuggestionTarget,
};
use proptest::prelude::*;

fn check_spans(article: &Article, suggestions: &[Suggestion]) {
    let mut keys = BTreeSet::new();
    for suggestion in suggestions {
        assert!(keys.insert(suggestion.key.clone()), "duplicate key {}", suggestion.key);
        assert!(suggestion.score.is_finite());
        if let SuggestionTarget::Span { span, speaker } = &suggestion.target {
            for proposed in std::iter::once(span).chain(speaker) {
                assert!(proposed.start < proposed.end, "{}", suggestion.key);
                assert_eq!(article.slice(proposed.start, proposed.end), Some(proposed.text.as_str()));
            }
        }
    }
}

fn run_everything(first: &str, second: &str, range_seed: usize) {
    let one = Article::new(first, "", "one.txt");
    let two = Article::new(second, "", "two.txt");
    let mut proposed = suggest_for_article(&one);
    check_spans(&one, &proposed);
    let paragraphs = one.paragraphs().len();
    if paragraphs > 0 {
        let start = range_seed % paragraphs;
        let chunk = suggest_for_paragraphs(&one, start..start + 1 + range_seed % 3);
        check_spans(&one, &chunk);
    }
    let second_suggestions = suggest_for_article(&two);
    check_spans(&two, &second_suggestions);
    proposed.extend(second_suggestions);
    let links = suggest_across(&[&one, &two], &[], &proposed);
    for link in links {
        assert!(link.key.contains('|'));
    }
}

/// Characters that stress the scanners: every quotation mark, sentence punctuation, digits,
/// currency, combining marks, right-to-left text, emoji and line breaks.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            '"', '“', '”', '„', '‟', '\'', '‘', '’', '‚', '‛', '«', '»', '‹', '›', '「', '」', '『', '』',
        ]),
        6 => proptest::sample::select(vec![
            ' ', ' ', ' ', '\n', '\n', '.', ',', ':', ';', '!', '?', '-', '—', '(', ')', '$', '%', '£', '…',
        ]),
        6 => proptest::sample::select(vec!['0', '1', '4', '7', '9']),
        10 => proptest::char::range('a', 'z'),
        4 => proptest::char::range('A', 'Z'),
        1 => proptest::sample::select(vec!['\u{301}', 'é', 'ß', 'ש', 'ל', '世', '🙂', '\u{200d}', '\u{feff}', '\t', '\r']),
        1 => any::<char>(),
    ]
}

fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(tricky_char(), 0..400).prop_map(|chars| chars.into_iter().collect())
}

/// Words that trigger the rules (cue verbs, titles, numbers) mixed with marks.
fn wordy_text() -> impl Strategy<Value = String> {
    let words = vec![
        "said",
        "told",
        "he",
        "she",
        "it",
        "the",
        "ambassador",
        "Mr",
        "Kirby",
        "John",
        "office",
        "Netanyahu's",
        "according",
        "to",
        "about",
        "1.4",
        "million",
        "people",
        "percent",
        "sixth",
        "month",
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        ",",
        ".",
        ":",
        "\n",
        "\n\n",
        "?",
        "continued",
        "a",
        "third",
        "of",
        "hundreds",
        "$45",
        "March",
        "25,",
        "2024",
        "U.S.",
        "who",
        "that",
        "saying",
        "—",
        "«",
        "»",
        "„",
        "forty-one",
        "15-member",
    ];
    proptest::collection::vec(proptest::sample::select(words), 0..200).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_tricky_text_never_panics(first in tricky_text(), second in tricky_text(), seed in 0usize..1000) {
        run_everything(&first, &second, seed);
    }

    #[test]
    fn random_rule_words_never_panic(first in wordy_text(), second in wordy_text(), seed in 0usize..1000) {
        run_everything(&first, &second, seed);
    }

    #[test]
    fn any_string_never_panics(first in any::<String>(), second in any::<String>(), seed in 0usize..1000) {
        run_everything(&first, &second, seed);
    }
}

#[test]
fn unbalanced_and_degenerate_inputs() {
    let cases = [
        "",
        "\n\n\n",
        "\"",
        "“",
        "”””” „„„ ‚‚‚ «««",
        "He said \"unclosed and it goes on and on and on",
        "“Opened here\n\nand never closed, he said.",
        "“A “B “C ” D",
        "'''''''' ’’’’ ‘‘‘‘",
        "Mr. Mr. Mr. said said said he he he.",
        "99999999999999999999999999999999999999 million people. 1e309 percent. $ % £",
        "the the the 1,2,3,4,,, 1.2.3.4 ... ??? !!!",
        "“Yes,” he said, “and",
        "he said “",
        "According to",
        "\"\"",
        "“”",
        "« »",
        "A \u{301}\u{301}\u{301} “\u{301}” said \u{200d}.",
    ];
    for first in cases {
        for second in cases {
            run_everything(first, second, first.len() + second.len());
        }
    }
}

#[test]
fn a_paragraph_without_punctuation_stays_cheap() {
    // One 20,000-word "sentence" full of cue verbs and quotation marks must not go quadratic.
    let mut text = String::new();
    for index in 0..2_500 {
        text.push_str(&format!("Kirby said he told them “word {index}” and she added "));
    }
    let article = Article::new(&text, "", "run-on.txt");
    let started = std::time::Instant::now();
    let suggestions = suggest_for_article(&article);
    let elapsed = started.elapsed();
    check_spans(&article, &suggestions);
    let limit = if cfg!(debug_assertions) { 20.0 } else { 2.0 };
    assert!(elapsed.as_secs_f64() < limit, "{elapsed:?}");
}
