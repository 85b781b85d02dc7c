//! Writes every dataset export of the annotated sample project to a folder, for the consumer
//! checks in `tests/consumers/` (pytest with jsonschema and pandas, brat offsets in Python).
//!
//! ```sh
//! cargo run --example write_exports -- <outdir>
//! ```
//!
//! Files: `project.json`, `annotations.jsonl`, `annotations.csv`, `annotations.w3c.json`,
//! `annotations.brat.zip`, `nli.jsonl`, `doccano.jsonl` with `doccano-cross-article-links.jsonl`,
//! `label-studio.json` with `label-studio-config.xml`, `fever.jsonl`, `claimreview.jsonld`, and
//! `expected.json` (the counts the checks expect);
//! `agreement/` holds three annotators' project exports (`alice.json`, `bob.json`,
//! `carol.json`), the agreement report of all three (`report.json`, `report.csv`) and the gold
//! layer's JSONL after unanimous acceptance (`gold.jsonl`).
//!
//! `cargo run --example write_exports -- --e2e-fixtures <dir>` writes instead the two
//! annotators' exports of the five default articles the end-to-end agreement test imports.

#[path = "../tests/consumers/sample.rs"]
mod sample;

#[path = "../tests/consumers/agreement_sample.rs"]
mod agreement_sample;

use std::path::PathBuf;

use crosscheck::domain::schema::ATTRIBUTED_TO;
use crosscheck::formats::{brat, claim_review, csv, doccano, fever, jsonl, label_studio, nli, project_json, w3c};

/// The export date written into the W3C collection and the zip entries.
const EXPORT_TIME: i64 = sample::SAMPLE_TIME + 3_600_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut arguments = std::env::args_os().skip(1);
    let first = arguments.next().ok_or("usage: write_exports [--e2e-fixtures] <outdir>")?;
    if first == "--e2e-fixtures" {
        let directory = arguments.next().map(PathBuf::from).ok_or("usage: write_exports --e2e-fixtures <dir>")?;
        return write_e2e_fixtures(&directory);
    }
    let directory = PathBuf::from(first);
    std::fs::create_dir_all(&directory)?;
    write_agreement(&directory.join("agreement"))?;
    let project = sample::sample_project()?;

    let write = |name: &str, bytes: &[u8]| std::fs::write(directory.join(name), bytes);
    write("project.json", project_json::to_json(&project).as_bytes())?;
    write("annotations.jsonl", jsonl::to_jsonl(&project).as_bytes())?;
    write("annotations.csv", csv::to_csv(&project).as_bytes())?;
    write("annotations.w3c.json", w3c::to_w3c(&project, EXPORT_TIME).as_bytes())?;
    write("annotations.brat.zip", &brat::to_brat_zip(&project, EXPORT_TIME)?)?;
    write("nli.jsonl", nli::to_nli_jsonl(&project, 1.0).as_bytes())?;
    write("doccano.jsonl", doccano::to_doccano(&project).as_bytes())?;
    write("doccano-cross-article-links.jsonl", doccano::to_cross_article_links(&project).as_bytes())?;
    write("label-studio.json", label_studio::to_label_studio(&project).as_bytes())?;
    write("label-studio-config.xml", label_studio::label_config(&project).as_bytes())?;
    write("fever.jsonl", fever::to_fever_jsonl(&project).as_bytes())?;
    write("claimreview.jsonld", claim_review::to_claim_review(&project).as_bytes())?;

    let span_article = |id| project.spans().get(id).map(|span| span.article.clone());
    let cross_article = project
        .relations()
        .values()
        .filter(|relation| span_article(&relation.from) != span_article(&relation.to))
        .count();
    let nli_pairs: usize =
        project.relations().values().map(|relation| nli::rows_per_link(&relation.relation_type)).sum();
    let expected = serde_json::json!({
        "articles": project.articles().len(),
        "spans": project.spans().len(),
        "relations": project.relations().len(),
        "cross_article_relations": cross_article,
        "attributed_to_relations":
            project.relations().values().filter(|relation| relation.relation_type == ATTRIBUTED_TO).count(),
        "nli_pairs": nli_pairs,
        "reviewed_claims": project.spans().values().filter(|span| claim_review::verdict_of(span).is_some()).count(),
        "claims": project.spans().values().filter(|span| span.label == nli::CLAIM_LABEL).count(),
        "labels": project.labels().iter().map(|label| label.name.clone()).collect::<Vec<_>>(),
    });
    write("expected.json", serde_json::to_string_pretty(&expected)?.as_bytes())?;
    println!(
        "wrote the exports of {} spans and {} links to {}",
        project.spans().len(),
        project.relations().len(),
        directory.display()
    );
    Ok(())
}

/// The three annotators' exports, the agreement report and the unanimous gold layer.
fn write_agreement(directory: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use crosscheck::domain::{adjudication, agreement, layers};
    std::fs::create_dir_all(directory)?;
    let project = agreement_sample::agreement_project(None)?;
    for author in agreement_sample::ANNOTATORS {
        let export = agreement_sample::annotator_export(&project, author);
        std::fs::write(directory.join(format!("{author}.json")), project_json::to_json(&export))?;
    }
    let report = agreement::agreement_report(&project);
    std::fs::write(directory.join("report.json"), crosscheck::formats::agreement::to_json(&project, &report))?;
    std::fs::write(directory.join("report.csv"), crosscheck::formats::agreement::to_csv(&report))?;
    let mut adjudicated = project.clone();
    let places = adjudication::places(&adjudicated);
    let (_, edit) =
        adjudication::auto_accept(&adjudicated, &places, adjudication::AutoAccept::Unanimous, "x", EXPORT_TIME);
    adjudicated.apply(edit, EXPORT_TIME).map_err(|error| error.to_string())?;
    let gold = layers::limit_to_scope(&adjudicated, &layers::ExportScope::Author(agreement::GOLD.to_string()));
    std::fs::write(directory.join("gold.jsonl"), jsonl::to_jsonl(&gold))?;
    Ok(())
}

/// Two annotators' project exports of the five default articles (tests/e2e/fixtures).
fn write_e2e_fixtures(directory: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(directory)?;
    let project = agreement_sample::agreement_project(Some(5))?;
    for author in ["alice", "bob"] {
        let export = agreement_sample::annotator_export(&project, author);
        std::fs::write(directory.join(format!("agreement-{author}.json")), project_json::to_json(&export))?;
    }
    Ok(())
}
