//! Tests of cross-article matching: terms, speakers and the links proposed between two articles.

use super::*;

#[test]
fn stems_and_terms() {
    assert_eq!(stem("disappointed"), stem("disappointing"));
    assert_eq!(stem("withdrawal"), stem("withdraw"));
    assert_eq!(stem("hostages"), stem("hostage"));
    let terms = content_terms("The U.S. and the United States and America's consistent position");
    assert_eq!(terms.iter().filter(|term| *term == "us").count(), 3);
    assert!(content_terms("about 1.4 million people").contains(&"#1400000".to_string()));
}

use crate::domain::suggest::suggest_for_article;

/// The kinds of the links proposed between two one-paragraph articles.
fn links(first: &str, second: &str) -> Vec<SuggestionKind> {
    let (one, two) = (Article::new(first, "", "one"), Article::new(second, "", "two"));
    let mut proposed = suggest_for_article(&one);
    proposed.extend(suggest_for_article(&two));
    let mut kinds: Vec<SuggestionKind> =
        suggest_across(&[&one, &two], &[], &proposed).into_iter().map(|link| link.kind).collect();
    kinds.sort();
    kinds
}

#[test]
fn numbers_that_cannot_both_be_true_contradict() {
    let kinds = links(
        "Floods forced the evacuation of about 2,300 residents from the Doubs valley overnight.",
        "Around 3,000 people had to leave the Doubs valley overnight after the floods.",
    );
    assert_eq!(kinds, [SuggestionKind::NumericContradiction]);
}

#[test]
fn agreeing_numbers_are_the_same_statement_and_extra_numbers_do_not_contradict() {
    let kinds = links(
        "The union is seeking a 12 percent pay rise over three years.",
        "The union wants a 12 percent raise spread over three years, while management offers 7 percent.",
    );
    assert_eq!(kinds, [SuggestionKind::SameStatement]);
}

#[test]
fn a_vague_or_partial_number_never_contradicts() {
    let kinds = links(
        "Hundreds of hostages are still held in tunnels under the city, officials said.",
        "Forty hostages are still held in tunnels under the city, officials said.",
    );
    assert!(!kinds.contains(&SuggestionKind::NumericContradiction), "{kinds:?}");
}

#[test]
fn the_same_words_in_two_mouths_are_an_attribution_conflict() {
    let kinds = links(
        "\"Our offer is fair and it is final,\" port chief Martin Osei said.",
        "\"Our offer is fair and it is final,\" said Transport Minister Helen Varga.",
    );
    assert_eq!(kinds, [SuggestionKind::SameStatement, SuggestionKind::AttributionConflict]);
}

#[test]
fn a_two_word_quote_needs_the_same_speaker() {
    let different =
        links("Biden called the plan a “red line” for America.", "Netanyahu spoke of his own “red line” on Hamas.");
    assert!(different.is_empty(), "{different:?}");
    let same = links(
        "Mr Miller called the move “surprising and unfortunate” on Monday.",
        "State Department spokesman Matthew Miller called it “a bit surprising and unfortunate.”",
    );
    assert_eq!(same, [SuggestionKind::SameStatement]);
}

#[test]
fn speakers_match_by_surname_and_office() {
    assert!(same_speaker("Kirby", "John Kirby"));
    assert!(same_speaker("Mr Netanyahu's office", "Netanyahu"));
    assert!(!same_speaker("Martin Osei", "Helen Varga"));
    assert!(!same_speaker("", "Helen Varga"));
}
