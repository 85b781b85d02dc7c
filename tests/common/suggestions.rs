//! What the suggestion tests share: the default project, a deterministic id generator, and
//! finding a suggestion of a kind (`common::suggestions`).

#![allow(dead_code)]

use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::project::Project;
use crosscheck::domain::suggest::{Suggestion, SuggestionKind, SuggestionTarget};

/// The five default articles with the default schemas, no annotations.
pub fn project() -> Project {
    Project::with_articles(default_articles())
}

/// Ids `s-1`, `s-2`, … for what an acceptance creates.
pub fn id_generator() -> impl FnMut() -> String {
    let mut counter = 0;
    move || {
        counter += 1;
        format!("s-{counter}")
    }
}

/// The first suggestion of `kind`.
pub fn first_of(suggestions: &[Suggestion], kind: SuggestionKind) -> Suggestion {
    suggestions.iter().find(|suggestion| suggestion.kind == kind).cloned().expect("a suggestion of that kind")
}

/// The first quote with a speaker mention (its acceptance also adds the speaker's span).
pub fn attributed_quote(suggestions: &[Suggestion]) -> Suggestion {
    suggestions
        .iter()
        .find(|suggestion| {
            suggestion.kind == SuggestionKind::Quote
                && matches!(&suggestion.target, SuggestionTarget::Span { speaker: Some(_), .. })
        })
        .cloned()
        .expect("an attributed quote")
}
