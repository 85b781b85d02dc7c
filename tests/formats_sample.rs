#![cfg(not(target_arch = "wasm32"))]
//! The exports of the annotated sample project (the one `examples/write_exports.rs` writes for
//! the Python consumer checks), checked natively so `cargo test` covers them without Python.

#[path = "consumers/sample.rs"]
#[allow(dead_code)]
mod sample;

use std::io::Read;

use crosscheck::domain::annotation::Span;
use crosscheck::domain::article::Article;
use crosscheck::domain::project::Project;
use crosscheck::formats::corpus::parse_corpus_file;
use crosscheck::formats::w3c::{from_w3c, to_w3c};
use crosscheck::formats::{brat, csv, jsonl, nli};

fn without_spans(project: &Project) -> Project {
    project.without_annotations()
}

#[test]
fn sample_has_what_the_consumer_checks_need() {
    let project = sample::sample_project().expect("sample");
    assert_eq!(project.articles().len(), 6);
    assert!(project.spans().len() >= 20);
    assert!(project.spans().values().any(|span| span.text.contains('\n')), "a span across lines");
    assert!(project.spans().values().any(|span| span.text.contains("👨‍👩‍👧")), "a ZWJ sequence");
    let overlapping = project.spans().values().any(|left| {
        project.spans().values().any(|right| left.id != right.id && left.overlaps(right) && left.start != right.start)
    });
    assert!(overlapping, "crossing spans");
    let across = project.relations().values().filter(|relation| {
        project.spans().get(&relation.from).map(|span| &span.article)
            != project.spans().get(&relation.to).map(|span| &span.article)
    });
    assert!(across.count() >= 3, "links across articles");
    for relation_type in ["contradicts", "supports", "same-statement", "attributed-to"] {
        assert!(project.relations().values().any(|relation| relation.relation_type == relation_type));
    }
}

#[test]
fn sample_round_trips_through_w3c() {
    let project = sample::sample_project().expect("sample");
    let imported = from_w3c(&to_w3c(&project, 0), &without_spans(&project), 0).expect("import");
    assert_eq!(imported.unanchored, vec![]);
    let mut spans = imported.spans;
    spans.sort_by(|left, right| left.id.cmp(&right.id));
    let expected: Vec<Span> = project.spans().values().map(|span| (**span).clone()).collect();
    assert_eq!(spans, expected);
    assert_eq!(imported.relations.len(), project.relations().len());
}

#[test]
fn exports_are_deterministic() {
    let project = sample::sample_project().expect("sample");
    let again = sample::sample_project().expect("sample");
    assert_eq!(jsonl::to_jsonl(&project), jsonl::to_jsonl(&again));
    assert_eq!(csv::to_csv(&project), csv::to_csv(&again));
    assert_eq!(to_w3c(&project, 5), to_w3c(&again, 5));
    assert_eq!(nli::to_nli_jsonl(&project, 1.0), nli::to_nli_jsonl(&again, 1.0));
    assert_eq!(brat::to_brat_zip(&project, 5).ok(), brat::to_brat_zip(&again, 5).ok());
}

#[test]
fn brat_zip_reads_back_with_the_texts_byte_for_byte() {
    let project = sample::sample_project().expect("sample");
    let bytes = brat::to_brat_zip(&project, sample::SAMPLE_TIME).expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid zip");
    let mut texts = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).expect("entry");
        assert_eq!(file.compression(), zip::CompressionMethod::Stored);
        let name = file.name().expect("name").to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("inflate");
        if name.ends_with(".txt") {
            texts.push(content);
        }
    }
    let expected: Vec<Vec<u8>> = project.articles().iter().map(|article| article.text.as_bytes().to_vec()).collect();
    assert_eq!(texts, expected);
    assert!(archive.by_name("annotation.conf").is_ok());
    assert!(archive.by_name("cross_document_relations.tsv").is_ok());
}

#[test]
fn the_crlf_sample_article_imports_as_the_same_article() {
    let project = sample::sample_project().expect("sample");
    let articles = parse_corpus_file("emoji.txt", sample::EMOJI_ARTICLE.as_bytes()).expect("txt");
    assert_eq!(articles[0].id, project.articles()[5].id);
    assert!(!articles[0].text.contains('\r'));
}

#[test]
fn approximate_anchoring_stays_fast_on_a_long_article() {
    let paragraph = "The delegation was scheduled to discuss potential compromises for an invasion of Rafah. ";
    let article = Article::new(&paragraph.repeat(400), "", "long.txt");
    let project = Project::with_articles(vec![article.clone()]);
    let quote: String = "a quote that is nowhere in the text at all, ".repeat(10);
    let annotation = serde_json::json!({
        "id": "urn:x", "body": {"purpose": "tagging", "value": "Claim"},
        "target": {"source": format!("urn:crosscheck:article:{}", article.id), "selector": {"type": "TextQuoteSelector", "exact": quote}}
    });
    let started = std::time::Instant::now();
    let imported = from_w3c(&annotation.to_string(), &project, 0).expect("import");
    assert_eq!(imported.unanchored.len(), 1);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
