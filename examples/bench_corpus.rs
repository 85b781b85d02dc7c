//! Writes the benchmark corpus (50,000 + 4 × 5,000 words, 10,000 spans, 2,000 links) as a
//! Crosscheck project document (the JSON that the app stores in `localStorage` and exports), deterministically from a fixed seed.
//!
//! ```sh
//! cargo run --release --example bench_corpus -- <out.json> [--seed N] [--small | --large] [--store <store.json>]
//!                                              [--couch <docs.json>]
//! ```
//!
//! `--large`: the capacity corpus (200 articles, 1,000,000 words, 20,000 spans, 4,000 relations).
//! `--store`: also writes what the app stores for it (storage version 2) as
//! `{"documents": {key: json}, "texts": {article id: text}}`, for seeding a browser directly.
//! `--couch`: also writes every shared document as team sync sends it to CouchDB (spans, links,
//! articles, texts, schemas; `formats::sync::mapping`) as `{"docs": [...]}`, the body of a
//! `_bulk_docs` request, for seeding a sync server (`tests/e2e/bench.mjs --only sync`).
//!
//! One 50,000-word article with 10,000 spans (a fifth nested in or crossing others, all three
//! labels), four 5,000-word articles with 50 spans each, and 2,000 relations of all four types.
//! The document opens the big article. A summary of what was generated goes to stderr as JSON
//! (`--stats` prints it to stdout instead of writing the document).

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;

use crosscheck::formats::project_json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut spec = corpus::CorpusSpec::default();
    let mut out: Option<PathBuf> = None;
    let mut store: Option<PathBuf> = None;
    let mut couch: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => spec.seed = args.next().ok_or("--seed needs a number")?.parse()?,
            "--small" => spec = corpus::CorpusSpec { seed: spec.seed, ..corpus::CorpusSpec::small() },
            "--large" => spec = corpus::CorpusSpec { seed: spec.seed, ..corpus::CorpusSpec::large() },
            "--store" => store = Some(PathBuf::from(args.next().ok_or("--store needs a file")?)),
            "--couch" => couch = Some(PathBuf::from(args.next().ok_or("--couch needs a file")?)),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            other => return Err(format!("unexpected argument {other}").into()),
        }
    }
    let out = out.ok_or("usage: bench_corpus <out.json> [--seed N] [--small]")?;
    let corpus = corpus::generate(&spec);
    let json = project_json::to_json(&corpus.project);
    // The document must load back exactly as the app would load it.
    let (loaded, _) =
        project_json::from_json(&json).map_err(|error| format!("generated document is invalid: {error}"))?;
    assert_eq!(loaded.spans().len(), corpus.project.spans().len());
    if let Some(parent) = out.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&out, &json)?;
    if store.is_some() || couch.is_some() {
        let v1 = project_json::to_stored_json(&corpus.project, &corpus.position, &Default::default(), 0);
        let migration = crosscheck::formats::stored::migrate::from_v1(&v1, corpus::BASE_TIME)?;
        if let Some(couch) = &couch {
            std::fs::write(couch, couch_docs(&corpus.project, &migration.plan.writes).to_string())?;
        }
        let Some(store) = &store else { return summary(&spec, &corpus, &json, &out) };
        let documents: serde_json::Map<String, serde_json::Value> = migration
            .plan
            .writes
            .iter()
            .filter_map(|write| Some((crosscheck::formats::stored::key_for(&write.id), write.json.clone()?.into())))
            .collect();
        let texts: serde_json::Map<String, serde_json::Value> = corpus
            .project
            .articles()
            .iter()
            .map(|article| (article.id.to_string(), serde_json::Value::from(&*article.text)))
            .collect();
        std::fs::write(store, serde_json::json!({ "documents": documents, "texts": texts }).to_string())?;
    }
    summary(&spec, &corpus, &json, &out)
}

/// The stored documents that team sync shares, on the wire, plus each article's text document.
fn couch_docs(
    project: &crosscheck::domain::project::Project,
    writes: &[crosscheck::formats::stored::journal::Write],
) -> serde_json::Value {
    use crosscheck::formats::sync::mapping::{stored_to_wire, text_body, text_id, MappingContext};
    let context = MappingContext::new(project);
    let with_id = |id: String, mut body: serde_json::Map<String, serde_json::Value>| {
        body.insert("_id".to_string(), id.into());
        serde_json::Value::Object(body)
    };
    let shared = writes.iter().filter_map(|write| {
        let (body, _) = stored_to_wire(&write.id, write.json.as_deref()?, &context)?;
        Some(with_id(write.id.clone(), body))
    });
    let texts =
        project.articles().iter().map(|article| with_id(text_id(article.id.as_str()), text_body(&article.text)));
    serde_json::json!({ "docs": shared.chain(texts).collect::<Vec<_>>() })
}

fn summary(
    spec: &corpus::CorpusSpec,
    corpus: &corpus::Corpus,
    json: &str,
    out: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let stats = &corpus.stats;
    let summary = serde_json::json!({
        "file": out.display().to_string(),
        "bytes": json.len(),
        "utf16_units": json.encode_utf16().count(),
        "seed": spec.seed,
        "big_article": {
            "id": corpus.project.articles()[0].id.to_string(),
            "words": stats.big_words,
            "paragraphs": stats.big_paragraphs,
            "spans": stats.big_spans,
            "overlapping_spans_added": stats.overlapping_spans,
            "spans_by_label": stats.spans_by_label,
        },
        "small_articles": corpus.project.articles()[1..].iter().zip(&stats.small_words).map(|(article, words)| {
            serde_json::json!({ "id": article.id.to_string(), "words": words })
        }).collect::<Vec<_>>(),
        "total_spans": stats.total_spans,
        "relations_by_type": stats.relations_by_type,
        "cross_article_relations": stats.cross_article_relations,
    });
    eprintln!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
