//! Article metadata through the stored project: absent when empty (so projects saved before it
//! existed keep their exact bytes), and kept field for field when present.

mod common;

use crosscheck::domain::article::{Article, ArticleMetadata, TextDirection};
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::project::Project;
use crosscheck::formats::project_json::{from_json, to_json};
use crosscheck::formats::{csv, jsonl, w3c};

#[test]
fn a_project_without_metadata_serialises_as_before() {
    let project = Project::with_articles(default_articles());
    let json = to_json(&project);
    assert!(!json.contains("\"metadata\""), "no metadata key for articles without any");
    let (loaded, _) = from_json(&json).unwrap();
    assert_eq!(to_json(&loaded), json, "load and save gives the same bytes");
}

fn article_with_metadata() -> Article {
    let mut article = Article::new("Body.\n\nSecond paragraph.", "Headline", "page.html");
    article.url = "https://example.org/story".to_string();
    article.published = "2024-03-25T08:00:00Z".to_string();
    article.metadata = ArticleMetadata {
        authors: vec!["Jane Doe".to_string(), "علي حسن".to_string()],
        site_name: "Example News".to_string(),
        modified: "2024-03-26".to_string(),
        canonical_url: "https://example.org/story".to_string(),
        language: "ar".to_string(),
        direction: Some(TextDirection::Rtl),
        description: "A summary.".to_string(),
    };
    article
}

#[test]
fn metadata_survives_save_and_load() {
    let project = Project::with_articles(vec![article_with_metadata()]);
    let (loaded, _) = from_json(&to_json(&project)).unwrap();
    assert_eq!(loaded.articles()[0].metadata, project.articles()[0].metadata);
    assert_eq!(loaded, project);
}

#[test]
fn exports_carry_the_metadata_and_w3c_names_the_canonical_url() {
    let mut project = Project::with_articles(vec![article_with_metadata()]);
    common::tag(&mut project, "s1", 0, (0, 5), "claim", 0);

    let line: serde_json::Value = serde_json::from_str(jsonl::to_jsonl(&project).lines().next().unwrap()).unwrap();
    assert_eq!(line["canonical_url"], "https://example.org/story");
    assert_eq!(line["authors"][1], "علي حسن");
    assert_eq!((line["site_name"].as_str(), line["direction"].as_str()), (Some("Example News"), Some("rtl")));

    // The JSONL export reads back as the same article, metadata and all.
    let again = crosscheck::formats::corpus::parse_corpus_file("export.jsonl", jsonl::to_jsonl(&project).as_bytes());
    assert_eq!(again.unwrap()[0], *project.articles()[0]);

    let csv = csv::to_csv(&project);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[header.iter().position(|column| column == name).unwrap()].to_string();
    assert_eq!(cell("article_canonical_url"), "https://example.org/story");
    assert_eq!(cell("article_authors"), "Jane Doe; علي حسن");
    assert_eq!(cell("article_published"), "2024-03-25T08:00:00Z");

    let annotations: serde_json::Value = serde_json::from_str(&w3c::to_w3c(&project, 0)).unwrap();
    let text = annotations.to_string();
    assert!(text.contains(r#""source":"https://example.org/story""#), "{text}");
    // And it anchors back by that URL.
    let mut fresh = Project::with_articles(vec![article_with_metadata()]);
    let import = w3c::from_w3c(&w3c::to_w3c(&project, 0), &fresh, 0).unwrap();
    assert_eq!(import.spans.len(), 1);
    fresh.apply(import.into_edit(), 0).unwrap();
}
