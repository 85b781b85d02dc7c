#![cfg(not(target_arch = "wasm32"))]
//! The frozen v1 stored document (`tests/fixtures/stored/`): what browsers hold under
//! `crosscheck.project.v1` must keep loading as the same project, whatever the domain types are
//! renamed to.
//!
//! [`write_frozen_v1_fixture`] is how the fixture was made (by the code of commit 1173aaf, before
//! the stored shapes had their own types); it is ignored and never overwrites the frozen files.

use std::path::PathBuf;

use crosscheck::domain::annotation::{RelationId, SpanId};
use crosscheck::domain::article::{Article, ArticleDetails, ArticleDetailsChange, ArticleMetadata, TextDirection};
use crosscheck::domain::history::History;
use crosscheck::domain::ids::SuggestionKey;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project, Settings};
use crosscheck::domain::schema;
use crosscheck::domain::state::{UiPosition, View};
use crosscheck::formats::project_json;

/// The `saved_at` written into the stored fixture.
const SAVED_AT: i64 = 1_764_450_000_000;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stored").join(name)
}

fn articles() -> Vec<Article> {
    vec![
        Article::new(
            "UN: 1.4 million people shelter in Rafah.\n\nThe resolution is binding under the UN Charter, the envoy said — «sans ambiguïté».",
            "Envoy calls resolution binding",
            "wire-one.txt",
        ),
        Article::new(
            "About 1 million people are in Rafah, officials said.\n\nThe ministry called the resolution non-binding. 🙂",
            "Ministry: resolution non-binding",
            "paper-two.txt",
        ),
    ]
}

/// Every kind of edit, grouped typing, a batch, an article removal (which leaves tombstones), a
/// removed link, rejected suggestions, and two undone steps waiting to be redone.
fn scenario() -> (Project, History, UiPosition) {
    let mut project = Project::with_articles(articles());
    let mut history = History::default();
    let now = std::cell::Cell::new(1_764_400_000_000_i64);
    let tick = |by: i64| {
        now.set(now.get() + by);
        now.get()
    };
    let step = |project: &mut Project, history: &mut History, edit: Edit| {
        *history = history.apply(project, edit, tick(1_000)).expect("scenario edit applies");
    };
    let one = project.articles()[0].clone();
    let two = project.articles()[1].clone();
    step(
        &mut project,
        &mut history,
        Edit::SetSettings(Settings {
            annotator: "Ana Ruiz".to_string(),
            reviewer_organisation: "Coast Checkers".to_string(),
            reviewer_url: "https://checkers.example/reviews".to_string(),
        }),
    );
    let details = ArticleDetails {
        title: "Envoy: the resolution is binding".to_string(),
        source: "Wire One".to_string(),
        url: "https://wire.example/rafah?utm=x".to_string(),
        published: "2024-03-25T10:00:00Z".to_string(),
        metadata: ArticleMetadata {
            authors: vec!["Jane Doe".to_string(), "Ali Hassan".to_string()],
            site_name: "Wire One".to_string(),
            canonical_url: "https://wire.example/rafah".to_string(),
            language: "en".to_string(),
            direction: Some(TextDirection::Ltr),
            ..ArticleMetadata::default()
        },
    };
    step(&mut project, &mut history, Edit::SetArticleDetails(ArticleDetailsChange { id: one.id.clone(), details }));
    step(
        &mut project,
        &mut history,
        Edit::UpdateArticleMeta {
            id: two.id.clone(),
            title: "Ministry says non-binding".to_string(),
            source: "The Paper".to_string(),
        },
    );
    // Labels: "Claim" renamed, link types: "supports" recoloured.
    let mut labels = project.labels().to_vec();
    labels[0].name = "Checkable claim".to_string();
    step(&mut project, &mut history, Edit::SetLabels(labels));
    let mut relation_types = project.relation_types().to_vec();
    relation_types[1].color = "#208050".to_string();
    step(&mut project, &mut history, Edit::SetRelationTypes(relation_types));

    let span = |project: &Project, id: &str, article: &Article, start: usize, end: usize, label: &str| {
        new_span(project, SpanId::from(id), article, start, end, &label.into(), 0).expect("span in range")
    };
    let s1 = span(&project, "s-claim-one", &one, 4, 40, "claim");
    step(&mut project, &mut history, Edit::AddSpan(s1));
    let s2 = span(&project, "s-claim-two", &two, 0, 52, "claim");
    step(&mut project, &mut history, Edit::AddSpan(s2));
    let s3 = span(&project, "s-quote-one", &one, 42, 123, "quote");
    step(&mut project, &mut history, Edit::AddSpan(s3));
    let mut quote = (*project.spans()[&SpanId::from("s-quote-one")]).clone();
    quote.attributes.insert("speaker".to_string(), "the envoy".to_string());
    step(&mut project, &mut history, Edit::UpdateSpan(quote));
    // A note typed letter by letter: one undo step.
    for note in ["N", "Nu", "Numbers differ"] {
        let at = tick(300);
        let mut claim = (*project.spans()[&SpanId::from("s-claim-one")]).clone();
        claim.attributes.insert("note".to_string(), note.to_string());
        history =
            history.apply_grouped(&mut project, Edit::UpdateSpan(claim), at, "s-claim-one:note").expect("note typed");
    }

    let mut link = new_relation(
        &project,
        RelationId::from("r-contradicts"),
        &schema::CONTRADICTS.into(),
        SpanId::from("s-claim-one"),
        SpanId::from("s-claim-two"),
        0,
    );
    link.kind = Some("numeric".to_string());
    link.suggestion = Some(SuggestionKey::from("contradiction:a-1:4-40:a-2:0-52"));
    step(&mut project, &mut history, Edit::AddRelation(link.clone()));
    link.note = "1.4 million vs 1 million".to_string();
    step(&mut project, &mut history, Edit::UpdateRelation(link));
    let dropped = new_relation(
        &project,
        RelationId::from("r-dropped"),
        &schema::SUPPORTS.into(),
        SpanId::from("s-quote-one"),
        SpanId::from("s-claim-one"),
        0,
    );
    step(&mut project, &mut history, Edit::AddRelation(dropped));
    step(&mut project, &mut history, Edit::RemoveRelation(RelationId::from("r-dropped")));

    for key in ["numbers:a-1:4-40", "quote:a-2:53-100", "restates:a-1:0-3:a-2:0-5"] {
        step(&mut project, &mut history, Edit::RejectSuggestion(SuggestionKey::from(key)));
    }
    step(&mut project, &mut history, Edit::UnrejectSuggestion(SuggestionKey::from("restates:a-1:0-3:a-2:0-5")));

    // A third article, annotated, linked and removed again: a batch inverse and tombstones.
    let three = Article::new("A third report: 1.2 million.", "Third", "three.txt");
    step(&mut project, &mut history, Edit::InsertArticle { position: 1, article: three.clone() });
    let s4 = span(&project, "s-claim-three", &three, 16, 27, "claim");
    step(&mut project, &mut history, Edit::AddSpan(s4));
    let third_link = new_relation(
        &project,
        RelationId::from("r-third"),
        &schema::SAME_STATEMENT.into(),
        SpanId::from("s-claim-three"),
        SpanId::from("s-claim-two"),
        0,
    );
    step(&mut project, &mut history, Edit::AddRelation(third_link));
    step(&mut project, &mut history, Edit::RemoveArticle(three.id.clone()));

    // A batch: a span and its link in one step.
    let s5 = span(&project, "s-speaker", &one, 94, 99, "speaker");
    let supports = new_relation(
        &project,
        RelationId::from("r-supports"),
        &schema::ATTRIBUTED_TO.into(),
        SpanId::from("s-quote-one"),
        SpanId::from("s-speaker"),
        0,
    );
    step(&mut project, &mut history, Edit::Batch(vec![Edit::AddSpan(s5), Edit::AddRelation(supports)]));
    step(&mut project, &mut history, Edit::RemoveSpan(SpanId::from("s-claim-two")));
    // Undo the removal and the batch: both wait on the redo stack.
    history = history.undo(&mut project, tick(1_000)).expect("undo").expect("a step");
    history = history.undo(&mut project, tick(1_000)).expect("undo").expect("a step");

    let position = UiPosition {
        view: View::Compare,
        article: Some(two.id.clone()),
        compare_left: Some(one.id.clone()),
        compare_right: Some(two.id.clone()),
    };
    (project, history, position)
}

/// Writes the frozen fixture. Run once, by hand, on the code the fixture freezes:
/// `cargo test --test stored_v1 -- --ignored write_frozen_v1_fixture`. It refuses to overwrite.
#[test]
#[ignore = "writes the frozen fixture; run by hand only on the code it freezes"]
fn write_frozen_v1_fixture() {
    let (project, history, position) = scenario();
    let stored = project_json::to_stored_json(&project, &position, &history, SAVED_AT);
    let export = project_json::to_json(&project);
    for (name, text) in [("v1-stored.json", stored), ("v1-export.json", export)] {
        let path = fixture_path(name);
        assert!(!path.exists(), "{} is frozen: never regenerate it", path.display());
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("fixture folder");
        std::fs::write(&path, text).expect("fixture written");
    }
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).expect("the frozen fixture is committed")
}

#[test]
fn the_frozen_stored_document_saves_back_to_the_same_bytes() {
    let stored = read_fixture("v1-stored.json");
    let (project, position, history) = project_json::from_stored_json(&stored).expect("the v1 fixture loads");
    assert_eq!(history.undo_depth(), 22);
    assert_eq!(history.redo_depth(), 2);
    let saved = project_json::to_stored_json(&project, &position, &history, SAVED_AT);
    assert!(saved == stored, "saving the loaded v1 fixture changed its bytes:\n{saved}");
}

#[test]
fn the_frozen_stored_document_is_the_project_that_wrote_it() {
    let (project, position, _) = project_json::from_stored_json(&read_fixture("v1-stored.json")).expect("loads");
    let (expected_project, _, expected_position) = scenario();
    assert_eq!(project, expected_project);
    assert_eq!(position, expected_position);
    assert_eq!(
        project.relation(&RelationId::from("r-contradicts")).and_then(|link| link.suggestion.clone()),
        Some(SuggestionKey::from("contradiction:a-1:4-40:a-2:0-52"))
    );
    assert_eq!(project.tombstones().len(), 5);
    assert_eq!(project.rejected_suggestions().len(), 2);
}

#[test]
fn the_frozen_export_imports_and_exports_to_the_same_bytes() {
    let export = read_fixture("v1-export.json");
    let (project, _) = project_json::from_json(&export).expect("the v1 export loads");
    assert_eq!(project, scenario().0);
    assert!(project_json::to_json(&project) == export, "exporting the loaded v1 export changed its bytes");
}

/// Every stored undo step applies back to the project the scenario started from, and every redo
/// step forward again to where it ended before its last two undos.
#[test]
fn the_frozen_history_undoes_to_the_start_and_redoes_to_the_end() {
    let (mut project, _, mut history) = project_json::from_stored_json(&read_fixture("v1-stored.json")).expect("loads");
    let mut now = SAVED_AT;
    while history.can_undo() {
        now += 1;
        history = history.undo(&mut project, now).expect("a stored undo step applies").expect("a step");
    }
    let start = Project::with_articles(articles());
    assert_eq!(project.articles(), start.articles(), "article details and titles are back");
    assert_eq!(project.labels(), start.labels());
    assert_eq!(project.relation_types(), start.relation_types());
    assert_eq!(project.settings(), start.settings());
    assert!(project.spans().is_empty() && project.relations().is_empty());
    assert!(project.rejected_suggestions().is_empty());
    assert_eq!(history.redo_depth(), 24);
    while history.can_redo() {
        now += 1;
        history = history.redo(&mut project, now).expect("a stored redo step applies").expect("a step");
    }
    let spans: Vec<&str> = project.spans().keys().map(|id| id.as_str()).collect();
    assert_eq!(spans, ["s-claim-one", "s-quote-one", "s-speaker"]);
    let relations: Vec<&str> = project.relations().keys().map(|id| id.as_str()).collect();
    assert_eq!(relations, ["r-supports"]);
    assert_eq!(project.articles().len(), 2);
    assert_eq!(project.span(&SpanId::from("s-claim-one")).map(|span| span.attribute("note")), Some("Numbers differ"));
    assert_eq!(project.settings().annotator, "Ana Ruiz");
    assert_eq!(project.labels()[0].name, "Checkable claim");
}
