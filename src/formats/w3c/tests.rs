//! Tests of the W3C export and import.

use super::*;
use super::{anchor::*, import::*};
use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::Article;
use crate::domain::corpus::default_articles;
use crate::domain::project::{new_relation, new_span};
use crate::domain::project::{Edit, Project};
use serde_json::Value;

fn project_with_spans() -> Project {
    let mut articles = default_articles();
    articles.push(Article::new("Emoji 🙂 and flags 🇺🇸: \"we will\nnot go\", he said. We will not go.", "", "e.txt"));
    let mut project = Project::with_articles(articles);
    let emoji = project.articles()[5].clone();
    let mut quote = new_span(&project, SpanId::from("s 1/é"), &emoji, 23, 37, &"quote".into(), 1_000).unwrap();
    quote.attributes.insert("speaker".to_string(), "Benjamin Netanyahu".to_string());
    quote.attributes.insert("note".to_string(), "line break inside".to_string());
    project.apply(Edit::AddSpan(quote), 2_000).unwrap();
    let first = project.articles()[0].clone();
    let claim = new_span(&project, SpanId::from("s2"), &first, 0, 8, &"claim".into(), 1_000).unwrap();
    project.apply(Edit::AddSpan(claim), 2_000).unwrap();
    let mut relation = new_relation(
        &project,
        RelationId::from("r1"),
        &"attributed-to".into(),
        SpanId::from("s2"),
        SpanId::from("s 1/é"),
        3,
    );
    relation.kind = Some("x".to_string());
    relation.note = "why".to_string();
    project.apply(Edit::AddRelation(relation), 4).unwrap();
    project
}

fn without_spans(project: &Project) -> Project {
    project.without_annotations()
}

#[test]
fn export_then_import_gives_back_the_same_spans_and_relations() {
    let project = project_with_spans();
    let json = to_w3c(&project, 5);
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["total"], 3);
    let first = &value["first"]["items"][0];
    assert_eq!(first["target"]["selector"][1]["start"], 0);
    let imported = from_w3c(&json, &without_spans(&project), 99).unwrap();
    assert_eq!(imported.unanchored, vec![]);
    assert_eq!(imported.reanchored, vec![]);
    let mut spans = imported.spans.clone();
    spans.sort_by(|a, b| a.id.cmp(&b.id));
    let expected: Vec<Span> = project.spans().values().map(|span| (**span).clone()).collect();
    assert_eq!(spans, expected);
    let expected: Vec<Relation> = project.relations().values().map(|relation| (**relation).clone()).collect();
    assert_eq!(imported.relations, expected);
    let mut target = without_spans(&project);
    target.apply(imported.into_edit(), 7).unwrap();
    assert_eq!(target.spans().len(), 2);
}

#[test]
fn reimporting_into_the_same_project_adds_nothing() {
    let project = project_with_spans();
    let imported = from_w3c(&to_w3c(&project, 5), &project, 9).unwrap();
    assert!(imported.spans.is_empty(), "{:?}", imported.spans);
    assert_eq!(imported.unanchored.len(), 3);
    assert!(imported.unanchored[2].reason.contains("already linked"), "{:?}", imported.unanchored);
}

#[test]
fn moved_text_is_reanchored_by_quote_then_fuzzily() {
    let article = Article::new("We will not go. Later: we will not go. And: we wil not go!", "", "x");
    let project = Project::with_articles(vec![article.clone()]);
    let target = |start: usize, end: usize, exact: &str, prefix: &str| {
        serde_json::json!({
            "id": "urn:x:1", "type": "Annotation", "body": {"purpose": "tagging", "value": "claim"},
            "target": {"source": article_iri(&article.id), "selector": [
                {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix},
                {"type": "TextPositionSelector", "start": start, "end": end}]}
        })
        .to_string()
    };
    // Position off by two; the quote occurs twice, the prefix picks the second.
    let imported = from_w3c(&target(21, 35, "we will not go", "Later: "), &project, 0).unwrap();
    assert_eq!((imported.spans[0].start, imported.spans[0].end), (23, 37));
    assert_eq!(imported.reanchored[0].method, AnchorMethod::Quote);
    assert_eq!(imported.spans[0].label, "claim");
    assert!(imported.spans[0].id.as_str().starts_with("s-w3c-"));
    // Without context the nearest occurrence to the old start wins.
    let imported = from_w3c(&target(3, 17, "we will not go", ""), &project, 0).unwrap();
    assert_eq!(imported.spans[0].start, 23);
    // Not present exactly: approximate match.
    let imported = from_w3c(&target(0, 5, "we wil not go?", ""), &project, 0).unwrap();
    let span = &imported.spans[0];
    assert_eq!(span.text, "we wil not go!");
    assert!(matches!(imported.reanchored[0].method, AnchorMethod::Fuzzy { similarity } if similarity > 0.9));
    let imported = from_w3c(&target(0, 5, "completely different words here", ""), &project, 0).unwrap();
    assert!(imported.spans.is_empty());
    assert!(imported.unanchored[0].reason.contains("not in the article"), "{:?}", imported.unanchored);
}

#[test]
fn fuzzy_search_tolerates_small_edits() {
    let article = Article::new("The delegation was scheduled to discuss potential compromises.", "", "x");
    let (start, end, similarity) = find_fuzzy(&article, "delegation was schedulled to discuss", Some(0)).unwrap();
    assert_eq!(article.slice(start, end), Some("delegation was scheduled to discuss"));
    assert!(similarity > 0.9 && similarity < 1.0);
    assert_eq!(find_fuzzy(&article, "zzzz qqqq", None), None);
}

#[test]
fn unknown_labels_documents_and_shapes() {
    let project = project_with_spans();
    let json = to_w3c(&project, 5).replace("\"Claim\"", "\"Opinion\"");
    let imported = from_w3c(&json, &without_spans(&project), 0).unwrap();
    assert_eq!(imported.spans.len(), 1);
    assert!(imported.unanchored[0].reason.contains("\"Opinion\""), "{:?}", imported.unanchored);
    assert!(imported.unanchored[1].reason.contains("the link's from end"), "{:?}", imported.unanchored);
    let other = Project::with_articles(vec![Article::new("Unrelated.", "", "u")]);
    let imported = from_w3c(&to_w3c(&project, 5), &other, 0).unwrap();
    assert!(imported.spans.is_empty() && imported.unanchored.len() == 3);
    for bad in [
        "{}",
        "[1]",
        "\"x\"",
        "{\"type\":\"AnnotationPage\"}",
        "{\"type\":\"AnnotationCollection\",\"first\":\"urn:p\"}",
    ] {
        assert!(from_w3c(bad, &project, 0).is_err(), "{bad}");
    }
    let error = from_w3c("[{\"target\":\"urn:a\"}, {\"id\":\"x\"}]", &project, 0).unwrap_err();
    assert_eq!(error.field, "[1]");
    let page = "{\"type\": \"AnnotationPage\", \"items\": [\n{\"target\": \"urn:a\"},\n5]}";
    let error = from_w3c(page, &project, 0).unwrap_err();
    assert_eq!(error.to_string(), "line 3: items[1]: an annotation must be a JSON object");
}
