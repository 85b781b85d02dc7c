#![cfg(not(target_arch = "wasm32"))]
//! Every parser fed garbage — random bytes, random strings, random JSON, JSON of the wrong
//! shape, damaged exports — returns an error (or, for W3C items that are well-formed but do not
//! fit the project, an "unanchored" report) and never panics.

#[path = "consumers/sample.rs"]
#[allow(dead_code)]
mod sample;

use proptest::prelude::*;
use serde_json::Value;

use crosscheck::domain::project::Project;
use crosscheck::formats::corpus::parse_corpus_file;
use crosscheck::formats::w3c::{from_w3c, to_w3c};
use crosscheck::formats::{jsonl, project_json};

const EXTENSIONS: &[&str] = &["txt", "md", "json", "jsonl", "ndjson", "csv", ""];

thread_local! {
    /// The sample project and its JSON exports, built once per test thread.
    static SAMPLE: (Project, Vec<String>) = {
        let project = sample::sample_project().expect("the sample project builds");
        let exports = vec![to_w3c(&project, 0), project_json::to_json(&project), jsonl::to_jsonl(&project)];
        (project, exports)
    };
}

fn small_project() -> Project {
    SAMPLE.with(|(project, _)| project.clone())
}

/// Feeds `input` to every parser; returns nothing, the point is that none panics.
fn parse_everything(input: &[u8], project: &Project) {
    for extension in EXTENSIONS {
        let _ = parse_corpus_file(&format!("garbage.{extension}"), input);
    }
    let text = String::from_utf8_lossy(input);
    let _ = from_w3c(&text, project, 0);
    let _ = project_json::from_json(&text);
}

fn json_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |value| value.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "text",
            "Annotation",
            "AnnotationCollection",
            "AnnotationPage",
            "TextQuoteSelector",
            "TextPositionSelector",
            "tagging",
            "linking",
            "Claim",
            "urn:crosscheck:article:a-0",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop::sample::select(vec![
            "text",
            "title",
            "source",
            "url",
            "published",
            "id",
            "articles",
            "type",
            "first",
            "items",
            "next",
            "target",
            "body",
            "selector",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "motivation",
            "purpose",
            "value",
            "creator",
            "created",
            "format",
            "schema_version",
            "spans",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.prop_map(str::to_string), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        parse_everything(&bytes, &Project::default());
    }

    #[test]
    fn random_strings_never_panic(text in "\\PC{0,200}") {
        parse_everything(text.as_bytes(), &Project::default());
    }

    #[test]
    fn random_json_never_panics(value in json_strategy()) {
        let project = small_project();
        let text = value.to_string();
        parse_everything(text.as_bytes(), &project);
        // A corpus file only parses when it really is a list of articles with text.
        if let Ok(articles) = parse_corpus_file("random.json", text.as_bytes()) {
            let list = value.as_array().or_else(|| value.get("articles").and_then(Value::as_array));
            prop_assert_eq!(list.map(Vec::len), Some(articles.len()));
        }
        for line in [text.clone(), format!("{text}\n{text}")] {
            if let Ok(articles) = parse_corpus_file("random.jsonl", line.as_bytes()) {
                prop_assert!(articles.iter().all(|article| !article.text.trim().is_empty()));
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn damaged_exports_never_panic(cut in 0usize..100_000, position in 0usize..100_000, byte in any::<u8>()) {
        let (project, exports) = SAMPLE.with(|(project, exports)| (project.clone(), exports.clone()));
        for export in &exports {
            let mut bytes = export.as_bytes().to_vec();
            let at = position % bytes.len();
            bytes[at] = byte;
            parse_everything(&bytes, &project);
            parse_everything(&export.as_bytes()[..cut % export.len()], &project);
        }
    }
}

#[test]
fn json_of_the_wrong_shape_is_an_error() {
    let project = small_project();
    let wrong = [
        "",
        " ",
        "null",
        "1",
        "\"text\"",
        "[]",
        "{}",
        "[1, 2]",
        "[[]]",
        "{\"articles\": 5}",
        "{\"articles\": {}}",
        "[{\"title\": \"no text\"}]",
        "[{\"text\": 5}]",
        "[{\"text\": \"\"}]",
        "[{\"text\": \"a\", \"url\": 3}]",
        "{\"text\": \"a\"}",
    ];
    for input in wrong {
        assert!(parse_corpus_file("wrong.json", input.as_bytes()).is_err(), "corpus .json accepted {input:?}");
        assert!(project_json::from_json(input).is_err(), "project accepted {input:?}");
    }
    for input in ["", "\n\n", "1", "[]", "[{\"text\": \"a\"}]", "{\"text\": null}", "{\"text\": \"a\"}\n{\"text\": 1}"]
    {
        assert!(parse_corpus_file("wrong.jsonl", input.as_bytes()).is_err(), "corpus .jsonl accepted {input:?}");
    }
    let w3c_wrong = [
        "",
        "null",
        "1",
        "{}",
        "[1]",
        "[{}]",
        "{\"type\": \"AnnotationCollection\", \"first\": 3}",
        "{\"type\": \"AnnotationCollection\", \"first\": \"urn:page\"}",
        "{\"type\": \"AnnotationCollection\", \"first\": {\"type\": \"AnnotationPage\"}}",
        "{\"type\": \"AnnotationPage\", \"items\": {}}",
        "{\"type\": \"Annotation\", \"body\": \"no target\"}",
    ];
    for input in w3c_wrong {
        assert!(from_w3c(input, &project, 0).is_err(), "w3c accepted {input:?}");
    }
}

#[test]
fn well_formed_annotations_that_do_not_fit_are_reported_not_dropped() {
    let project = small_project();
    let annotations = serde_json::json!([
        {"id": "urn:a:1", "target": "https://example.org/whole-page", "body": {"purpose": "tagging", "value": "Claim"}},
        {"id": "urn:a:2", "target": {"source": "urn:crosscheck:article:nope"}, "body": {"purpose": "tagging", "value": "Claim"}},
        {"id": "urn:a:3", "target": {"source": "urn:crosscheck:article:nope"}, "body": {"purpose": "tagging", "value": "Nope"}},
        {"id": "urn:a:4", "motivation": "linking", "target": ["urn:x", "urn:y"], "body": {"purpose": "tagging", "value": "supports"}},
        {"id": "urn:a:5", "motivation": "linking", "target": ["urn:x"], "body": {"purpose": "tagging", "value": "supports"}},
        {"target": {"source": project.articles()[0].url.clone(), "selector": {"type": "TextPositionSelector", "start": 9, "end": 1}}},
    ]);
    let imported = from_w3c(&annotations.to_string(), &project, 0).expect("well-formed");
    assert!(imported.spans.is_empty() && imported.relations.is_empty());
    let ids: Vec<&str> = imported.unanchored.iter().map(|item| item.annotation_id.as_str()).collect();
    assert_eq!(ids, ["urn:a:1", "urn:a:2", "urn:a:3", "[5]", "urn:a:4", "urn:a:5"]);
    assert!(imported.unanchored.iter().all(|item| !item.reason.is_empty()));
}
