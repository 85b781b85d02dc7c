//! Adding another annotator's project export as their layer, and limiting exports to one layer.

use crosscheck::domain::agreement::GOLD;
use crosscheck::domain::annotation::SpanId;
use crosscheck::domain::layers::{add_layer, limit_to_scope, ExportScope, LayerError};
use crosscheck::domain::project::{Project, Settings};

mod common;

const SHARED: &str = "abcd efgh ijkl";
const THEIRS_ONLY: &str = "mnop qrst uvwx";

fn project(annotator: &str, texts: &[&str]) -> Project {
    common::project_of(texts).with_settings(Settings { annotator: annotator.to_string(), ..Settings::default() })
}

fn add_span(project: &mut Project, id: &str, author: &str, article: usize, range: (usize, usize)) {
    common::add_span(project, id, author, article, range, "claim", &[]);
}

fn add_link(project: &mut Project, id: &str, author: &str, from: &str, to: &str) {
    common::add_link(project, id, author, "contradicts", &SpanId::from(from), &SpanId::from(to), "");
}

fn theirs() -> Project {
    let mut theirs = project("bob", &[THEIRS_ONLY, SHARED]);
    add_span(&mut theirs, "s-1", "bob", 1, (0, 4));
    add_span(&mut theirs, "s-2", "bob", 0, (5, 9));
    add_span(&mut theirs, "s-3", GOLD, 1, (0, 4));
    add_link(&mut theirs, "r-1", "bob", "s-1", "s-2");
    theirs
}

#[test]
fn another_annotators_export_adds_their_layer_matched_by_article_hash() {
    let mut ours = project("ann", &[SHARED]);
    add_span(&mut ours, "s-1", "ann", 0, (0, 4));
    let import = add_layer(&ours, &theirs(), "bob.json").expect("adds");
    assert_eq!(import.authors, ["bob"]);
    assert_eq!((import.articles_added, import.spans, import.relations, import.gold_skipped), (1, 2, 1, 1));
    let before = ours.clone();
    let inverse = ours.apply(import.edit, 2).expect("applies");
    assert_eq!(ours.articles().len(), 2, "the shared article is one article");
    assert_eq!(ours.spans().len(), 3);
    // Our s-1 stays ours; theirs is renamed and the link follows it.
    assert_eq!(ours.spans()[&SpanId::from("s-1")].author, "ann");
    let renamed = &ours.spans()[&SpanId::from("s-1-2")];
    assert_eq!((renamed.author.as_str(), renamed.start, &renamed.article), ("bob", 0, &ours.articles()[0].id));
    let link = ours.relations().values().next().expect("their link");
    assert_eq!((link.from.as_str(), link.to.as_str(), link.author.as_str()), ("s-1-2", "s-2", "bob"));
    ours.apply(inverse, 3).expect("undo");
    assert_eq!(ours.spans(), before.spans());
    assert_eq!(ours.articles(), before.articles());
}

#[test]
fn importing_the_same_annotator_again_replaces_their_layer() {
    let mut ours = project("ann", &[SHARED]);
    add_span(&mut ours, "s-9", "ann", 0, (10, 14));
    let first = add_layer(&ours, &theirs(), "bob.json").expect("adds");
    ours.apply(first.edit, 2).expect("applies");
    let mut updated = theirs();
    add_span(&mut updated, "s-4", "bob", 1, (10, 14));
    let second = add_layer(&ours, &updated, "bob.json").expect("replaces");
    assert_eq!(second.replaced, 2);
    ours.apply(second.edit, 3).expect("applies");
    assert_eq!(ours.spans().values().filter(|span| span.author == "bob").count(), 3);
    assert_eq!(ours.spans().values().filter(|span| span.author == "ann").count(), 1);
}

#[test]
fn unnamed_annotators_take_the_files_annotator_or_the_file_name() {
    let ours = project("ann", &[SHARED]);
    let mut unnamed = project("anonymous", &[SHARED]);
    add_span(&mut unnamed, "s-1", "anonymous", 0, (0, 4));
    assert_eq!(add_layer(&ours, &unnamed, "carol-final.json").expect("adds").authors, ["carol-final"]);
    let unnamed = unnamed.with_settings(Settings { annotator: "Carol".to_string(), ..Settings::default() });
    assert_eq!(add_layer(&ours, &unnamed, "x.json").expect("adds").authors, ["Carol"]);
}

#[test]
fn a_file_by_our_own_name_or_without_annotations_is_refused() {
    let mut ours = project("bob", &[SHARED]);
    add_span(&mut ours, "s-7", "bob", 0, (0, 4));
    assert_eq!(add_layer(&ours, &theirs(), "bob.json"), Err(LayerError::OwnName("bob".to_string())));
    assert_eq!(add_layer(&ours, &project("x", &[SHARED]), "x.json"), Err(LayerError::Empty));
}

#[test]
fn an_export_limited_to_one_layer_holds_only_its_spans_and_links() {
    let mut ours = project("ann", &[SHARED]);
    add_span(&mut ours, "s-1", "ann", 0, (0, 4));
    ours.apply(add_layer(&ours, &theirs(), "bob.json").expect("adds").edit, 2).expect("applies");
    let bob = limit_to_scope(&ours, &ExportScope::Author("bob".to_string()));
    assert!(bob.spans().values().all(|span| span.author == "bob"));
    assert_eq!((bob.spans().len(), bob.relations().len()), (2, 1));
    let ann = limit_to_scope(&ours, &ExportScope::Author("ann".to_string()));
    assert_eq!((ann.spans().len(), ann.relations().len()), (1, 0));
    assert_eq!(limit_to_scope(&ours, &ExportScope::Everyone).spans().len(), 3);
}
