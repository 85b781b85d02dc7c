#![cfg(not(target_arch = "wasm32"))]
//! The suggesters' public API: accepting suggestions into a project, filtering rejected and
//! covered ones, stable keys, and chunked processing giving the same result as a whole article.

use std::collections::BTreeSet;

use crosscheck::domain::annotation::SpanId;
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::project::Edit;
use crosscheck::domain::schema;
use crosscheck::domain::suggest::{
    self, accept, suggest_all, suggest_for_article, suggest_for_paragraphs, LinkEnd, Suggestion, SuggestionKind,
    SuggestionTarget,
};

mod common;
use common::suggestions::{attributed_quote, first_of, id_generator, project};

#[test]
fn accepting_a_quote_adds_the_quote_its_speaker_and_the_attribution_link() {
    let mut project = project();
    let suggestions = suggest_for_article(&project.articles()[0]);
    let quote = attributed_quote(&suggestions);
    let mut next_id = id_generator();
    let edit = accept(&project, &quote, &mut next_id, 1_000).expect("accept");
    let Edit::Batch(edits) = &edit else { panic!("a batch") };
    assert_eq!(edits.len(), 3, "{edits:?}");
    project.apply(edit, 1_000).expect("applies");
    let quote_span = project.spans().values().find(|span| span.label == "quote").expect("quote span");
    assert_eq!(quote_span.attribute("speaker"), quote.span().unwrap().attributes["speaker"]);
    assert!(!quote_span.attribute("form").is_empty());
    let speaker_span = project.spans().values().find(|span| span.label == "speaker").expect("speaker span");
    assert!(!speaker_span.attribute("canonical").is_empty());
    let relation = project.relations().values().next().expect("relation");
    assert_eq!(relation.relation_type, schema::ATTRIBUTED_TO);
    assert_eq!((&relation.from, &relation.to), (&quote_span.id, &speaker_span.id));

    // The accepted quote is covered now, and the speaker span is reused by the next quote.
    let remaining = suggest_all(&project);
    assert!(!remaining.iter().any(|suggestion| suggestion.key == quote.key));
    let again = accept(&project, &quote, &mut next_id, 2_000).expect("accept again");
    assert_eq!(again, Edit::Batch(Vec::new()), "accepting twice reuses everything and adds nothing");
}

#[test]
fn accepting_a_link_creates_missing_ends_and_reuses_existing_ones() {
    let mut project = project();
    let suggestions = suggest_all(&project);
    let link = first_of(&suggestions, SuggestionKind::SameStatement);
    let SuggestionTarget::Link { from: LinkEnd::Proposed(from), .. } = &link.target else { panic!("proposed ends") };
    // Accept the first end as a span on its own, then the link: the link must reuse it.
    let from_suggestion = suggestions
        .iter()
        .find(|suggestion| {
            suggestion.span().is_some_and(|span| span.start == from.start && span.article == from.article)
        })
        .cloned()
        .expect("the end is also a span suggestion");
    let mut next_id = id_generator();
    project.apply(accept(&project, &from_suggestion, &mut next_id, 10).unwrap(), 10).unwrap();
    let spans_before = project.spans().len();
    let edit = accept(&project, &link, &mut next_id, 20).expect("accept link");
    project.apply(edit, 20).expect("applies");
    assert_eq!(project.spans().len(), spans_before + 1, "only the missing end is created");
    let relation =
        project.relations().values().find(|relation| relation.relation_type == schema::SAME_STATEMENT).expect("link");
    assert!(relation.note.contains("similar") || relation.note.contains("same"));

    // Now both ends exist and are linked: the suggestion is gone, and its ends are existing spans
    // for the other links.
    let after = suggest_all(&project);
    assert!(!after.iter().any(|suggestion| suggestion.key == link.key), "covered links are dropped");
    let uses_existing = after.iter().any(|suggestion| {
        matches!(&suggestion.target, SuggestionTarget::Link { from: LinkEnd::Existing { .. }, .. })
            || matches!(&suggestion.target, SuggestionTarget::Link { to: LinkEnd::Existing { .. }, .. })
    });
    assert!(uses_existing, "other links now start from the accepted spans");
}

#[test]
fn contradictions_become_contradicts_links_of_kind_numeric() {
    let mut project = project();
    let suggestions = suggest_all(&project);
    let contradiction = first_of(&suggestions, SuggestionKind::NumericContradiction);
    let mut next_id = id_generator();
    project.apply(accept(&project, &contradiction, &mut next_id, 5).unwrap(), 5).unwrap();
    let relation = project.relations().values().next().unwrap();
    assert_eq!((relation.relation_type.as_str(), relation.kind_str()), (schema::CONTRADICTS, "numeric"));
    assert_eq!(project.spans().values().filter(|span| span.attribute("kind") == "numeric").count(), 2);
}

#[test]
fn rejected_keys_are_not_proposed_again_and_keys_are_stable() {
    let mut project = project();
    let first = suggest_all(&project);
    let second = suggest_all(&project);
    assert_eq!(first, second, "deterministic");
    let keys: BTreeSet<&str> = first.iter().map(|suggestion| suggestion.key.as_str()).collect();
    assert_eq!(keys.len(), first.len(), "keys are unique");
    let rejected = first[0].key.clone();
    project.apply(suggest::reject(&first[0]), 1).unwrap();
    assert!(!suggest_all(&project).iter().any(|suggestion| suggestion.key == rejected));
    // Keys name the kind, the article and the offsets.
    let quote = first_of(&first, SuggestionKind::Quote);
    let span = quote.span().unwrap();
    assert_eq!(quote.key, format!("quote:{}:{}-{}", span.article, span.start, span.end));
    let link = first_of(&first, SuggestionKind::SameStatement);
    assert!(link.key.starts_with("same-statement:a-") && link.key.contains('|'), "{}", link.key);
}

#[test]
fn an_existing_span_with_other_boundaries_still_covers_the_proposal() {
    let mut project = project();
    let suggestions = suggest_for_article(&project.articles()[0]);
    let quote = first_of(&suggestions, SuggestionKind::Quote);
    let span = quote.span().unwrap();
    // The annotator selected the quote with its quotation marks.
    let article = project.articles()[0].clone();
    let wider = crosscheck::domain::project::new_span(
        &project,
        SpanId::from("mine"),
        &article,
        span.start - 1,
        span.end + 2,
        &"quote".into(),
        0,
    )
    .unwrap();
    project.apply(Edit::AddSpan(wider), 0).unwrap();
    assert!(!suggest_all(&project).iter().any(|suggestion| suggestion.key == quote.key));
}

#[test]
fn chunked_paragraphs_give_the_same_suggestions_as_the_whole_article() {
    for article in default_articles() {
        let whole = suggest_for_article(&article);
        let count = article.paragraphs().len();
        let mut chunked = Vec::new();
        let mut start = 0;
        while start < count {
            chunked.extend(suggest_for_paragraphs(&article, start..(start + 3).min(count)));
            start += 3;
        }
        // Speaker suggestions are emitted with each chunk's quotes: merge them by key.
        let keys = |suggestions: &[Suggestion]| -> BTreeSet<String> {
            suggestions.iter().map(|suggestion| suggestion.key.to_string()).collect()
        };
        let spans_only = |suggestions: &[Suggestion]| -> BTreeSet<String> {
            keys(suggestions).into_iter().filter(|key| !key.starts_with("speaker:")).collect()
        };
        assert_eq!(spans_only(&whole), spans_only(&chunked), "{}", article.source);
        // The same speaker, though a chunk may know only the surname when the full name was
        // given more than CONTEXT_PARAGRAPHS before.
        for suggestion in whole.iter().filter(|suggestion| suggestion.kind == SuggestionKind::Quote) {
            let twin = chunked.iter().find(|other| other.key == suggestion.key).unwrap();
            let speaker = |suggestion: &Suggestion| suggestion.span().unwrap().attributes.get("speaker").cloned();
            let (whole_speaker, chunk_speaker) =
                (speaker(suggestion).unwrap_or_default(), speaker(twin).unwrap_or_default());
            assert!(
                whole_speaker.ends_with(&chunk_speaker),
                "{}: {whole_speaker:?} vs {chunk_speaker:?}",
                suggestion.key
            );
        }
    }
}

#[test]
fn every_proposed_span_matches_its_article_text() {
    for article in default_articles() {
        for suggestion in suggest::suggest_for_article(&article) {
            let SuggestionTarget::Span { span, speaker } = &suggestion.target else { continue };
            for proposed in std::iter::once(span).chain(speaker) {
                assert_eq!(
                    article.slice(proposed.start, proposed.end),
                    Some(proposed.text.as_str()),
                    "{}",
                    suggestion.key
                );
                assert!(!proposed.text.trim().is_empty());
            }
            assert!(!suggestion.reason.is_empty() && (0.0..=1.0).contains(&suggestion.score));
        }
    }
}
