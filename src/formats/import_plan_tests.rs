//! Native tests of the import plan: per-file atomicity, duplicates, anchoring, the summary.

use super::*;
use crate::domain::annotation::{Span, SpanId};
use crate::domain::ids::LabelId;
use crate::domain::project::new_span;

fn project() -> Project {
    Project::with_articles(vec![Article::new("The harbour reopened on Friday.", "Harbour", "a.txt")])
}

fn articles(texts: &[&str]) -> Incoming {
    Incoming::Articles(texts.iter().map(|text| Article::new(text, "", "x.txt")).collect())
}

fn statuses(plan: &ImportPlan) -> Vec<(&str, FileStatus)> {
    plan.report.iter().map(|row| (row.file.as_str(), row.status)).collect()
}

#[test]
fn a_failed_file_does_not_discard_its_neighbours() {
    let files = vec![
        FileOutcome::ok("one.txt", articles(&["First new article."])),
        FileOutcome::failed("bad.jsonl", "bad.jsonl: line 2: text: is missing".to_string()),
        FileOutcome::ok("two.txt", articles(&["Second new article."])),
    ];
    let plan = plan_import(&project(), files, 5);
    assert_eq!(
        statuses(&plan),
        [("one.txt", FileStatus::Imported), ("bad.jsonl", FileStatus::Failed), ("two.txt", FileStatus::Imported)]
    );
    assert_eq!(plan.report[1].detail, "line 2: text: is missing", "the row names the file once");
    assert_eq!(plan.articles_added, 2);
    let mut after = project();
    after.apply(plan.edit.clone().unwrap(), 5).unwrap();
    assert_eq!(after.articles().len(), 3);
    let (level, text) = plan.summary();
    assert_eq!(level, NoticeLevel::Warning);
    assert_eq!(text, "Imported: 2 articles added. 1 file failed: bad.jsonl: line 2: text: is missing");
}

#[test]
fn duplicates_of_the_project_and_of_the_same_drop_are_reported() {
    let files = vec![
        FileOutcome::ok("again.txt", articles(&["The harbour reopened on Friday."])),
        FileOutcome::ok("new.txt", articles(&["A new one."])),
        FileOutcome::ok("copy-of-new.txt", articles(&["A new one."])),
        FileOutcome::ok("mixed.jsonl", articles(&["Another.", "The harbour reopened on Friday."])),
    ];
    let plan = plan_import(&project(), files, 5);
    assert_eq!(
        statuses(&plan),
        [
            ("again.txt", FileStatus::Duplicate),
            ("new.txt", FileStatus::Imported),
            ("copy-of-new.txt", FileStatus::Duplicate),
            ("mixed.jsonl", FileStatus::Imported)
        ]
    );
    assert_eq!(plan.report[0].detail, "same text as “Harbour”, already in the project");
    assert_eq!(plan.report[3].detail, "1 article added, 1 already in the project");
    assert_eq!((plan.articles_added, plan.articles_skipped), (2, 3));
    assert_eq!(plan.summary().1, "Imported: 2 articles added, 3 already in the project and skipped.");
}

#[test]
fn nothing_imported_is_an_error_naming_every_file() {
    let files = vec![
        FileOutcome::failed("scan.pdf", "scan.pdf: this is a PDF".to_string()),
        FileOutcome::failed("empty.txt", "the file is empty".to_string()),
    ];
    let plan = plan_import(&project(), files, 5);
    assert!(plan.edit.is_none());
    assert_eq!(
        plan.summary(),
        (
            NoticeLevel::Error,
            "Nothing was imported. scan.pdf: this is a PDF • empty.txt: the file is empty".to_string()
        )
    );
}

#[test]
fn annotations_anchor_in_articles_of_the_same_drop_whatever_the_order() {
    let article = Article::new("Officials said 40 ships were waiting.", "Ships", "s.txt");
    let mut source = Project::with_articles(vec![article.clone()]);
    let span: Span = new_span(&source, SpanId::from("s-1"), &article, 15, 23, &LabelId::from("claim"), 1).unwrap();
    source.apply(Edit::AddSpan(span), 1).unwrap();
    let json = w3c::to_w3c(&source, 1);
    let files = vec![
        FileOutcome::ok("notes.jsonld", Incoming::Annotations(json.clone())),
        FileOutcome::ok("ships.txt", Incoming::Articles(vec![article])),
        FileOutcome::ok("broken.jsonld", Incoming::Annotations("{\"type\": ".to_string())),
    ];
    let plan = plan_import(&project(), files, 5);
    assert_eq!(
        statuses(&plan),
        [
            ("notes.jsonld", FileStatus::Imported),
            ("ships.txt", FileStatus::Imported),
            ("broken.jsonld", FileStatus::Failed)
        ]
    );
    assert_eq!(plan.report[0].detail, "1 annotation and 0 links added");
    assert!(plan.report[2].detail.contains("ends too early"), "{}", plan.report[2].detail);
    let mut after = project();
    after.apply(plan.edit.unwrap(), 5).unwrap();
    assert_eq!(after.spans().len(), 1);
}

#[test]
fn a_project_replaces_only_when_imported_alone() {
    let whole = || FileOutcome::ok("project.json", Incoming::Project(Box::new(project())));
    let alone = plan_import(&Project::default(), vec![whole()], 5);
    assert!(alone.replace_with.is_some());
    assert_eq!(alone.report[0].status, FileStatus::Imported);
    let with_others =
        plan_import(&Project::default(), vec![whole(), FileOutcome::ok("a.txt", articles(&["Text."]))], 5);
    assert!(with_others.replace_with.is_none());
    assert_eq!(statuses(&with_others), [("project.json", FileStatus::Failed), ("a.txt", FileStatus::Imported)]);
}

#[test]
fn a_page_without_an_article_offers_its_whole_text() {
    let mut outcome = FileOutcome::failed("menu.html", "menu.html: no article found in this page".to_string());
    outcome.whole_page = Some(Article::new("Home\nNews\nSport", "Menu", "menu.html"));
    let plan = plan_import(&project(), vec![outcome], 5);
    assert_eq!(plan.report[0].status, FileStatus::Failed);
    assert_eq!(plan.report[0].whole_page.as_ref().map(|article| article.title.as_str()), Some("Menu"));
}

#[test]
fn read_file_sorts_files_by_kind() {
    assert!(matches!(read_file("a.html", b"<p>x</p>"), Ok(ReadFile::WebPage(page)) if page.charset == "utf-8"));
    assert_eq!(read_file("a.mhtml", b"<p>x</p>").unwrap_err().file.as_deref(), Some("a.mhtml"));
    assert!(matches!(read_file("a.txt", b"Text."), Ok(ReadFile::Ready(Incoming::Articles(list))) if list.len() == 1));
    let w3c = br#"{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection"}"#;
    assert!(matches!(read_file("a.json", w3c), Ok(ReadFile::Ready(Incoming::Annotations(_)))));
    assert_eq!(read_file("x.pdf", b"%PDF").unwrap_err().file.as_deref(), Some("x.pdf"));
}
