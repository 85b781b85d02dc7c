//! Helpers the native integration tests share (`mod common;` in a test file): projects built from
//! short texts, spans and links added the way the app adds them (`tag`, `link`), and annotators'
//! layers built by hand with a chosen author (`add_span`, `add_link`) for the agreement,
//! adjudication and layer tests; [`suggestions`] for the suggestion tests.

#![allow(dead_code)]

pub mod suggestions;

use crosscheck::domain::annotation::{Relation, RelationId, Span, SpanId};
use crosscheck::domain::article::Article;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project};

/// A project with the default schemas and one article per text.
pub fn project_of(texts: &[&str]) -> Project {
    Project::with_articles(texts.iter().map(|text| Article::new(text, "t", "s")).collect())
}

/// Adds span `id` over `start..end` of article number `article` the way the app does
/// ([`new_span`]: the covered text, the label's attribute defaults, the annotator of the
/// project's settings) at time `now`.
pub fn tag(
    project: &mut Project,
    id: &str,
    article: usize,
    (start, end): (usize, usize),
    label: &str,
    now: i64,
) -> SpanId {
    let article = project.articles()[article].clone();
    let span = new_span(project, SpanId::from(id), &article, start, end, &label.into(), now)
        .expect("range inside the article");
    project.apply(Edit::AddSpan(span), now).expect("span fits");
    SpanId::from(id)
}

/// Links span `from` to span `to` with a relation of `relation_type` the way the app does
/// ([`new_relation`]) at time `now`.
pub fn link(project: &mut Project, id: &str, relation_type: &str, from: &str, to: &str, now: i64) -> RelationId {
    let relation = new_relation(project, RelationId::from(id), &relation_type.into(), from.into(), to.into(), now);
    project.apply(Edit::AddRelation(relation), now).expect("link fits");
    RelationId::from(id)
}

/// Adds span `id` by `author` over `start..end` of article number `article`.
pub fn add_span(
    project: &mut Project,
    id: &str,
    author: &str,
    article: usize,
    (start, end): (usize, usize),
    label: &str,
    attributes: &[(&str, &str)],
) -> SpanId {
    let article = project.articles()[article].clone();
    let span = Span {
        id: SpanId::from(id),
        article: article.id.clone(),
        start,
        end,
        label: label.into(),
        text: article.span_text(start, end).unwrap_or_default(),
        attributes: attributes.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect(),
        author: author.to_string(),
        created: 0,
        modified: 0,
        take_overs: Vec::new(),
    };
    project.apply(Edit::AddSpan(span), 0).expect("span fits");
    SpanId::from(id)
}

/// Adds link `id` of `relation_type` by `author` from span `from` to span `to`.
pub fn add_link(
    project: &mut Project,
    id: &str,
    author: &str,
    relation_type: &str,
    from: &SpanId,
    to: &SpanId,
    kind: &str,
) {
    let relation = Relation {
        id: RelationId::from(id),
        relation_type: relation_type.into(),
        from: from.clone(),
        to: to.clone(),
        kind: (!kind.is_empty()).then(|| kind.to_string()),
        note: String::new(),
        author: author.to_string(),
        suggestion: None,
        created: 0,
        modified: 0,
        take_overs: Vec::new(),
    };
    project.apply(Edit::AddRelation(relation), 0).expect("link fits");
}
