//! Places, versions and gold decisions on small layers.

use crosscheck::domain::adjudication::{
    accept, auto_accept, merge_attribute, places, progress, reject, AutoAccept, Resolution, PROVENANCE,
};
use crosscheck::domain::agreement::GOLD;
use crosscheck::domain::annotation::SpanId;
use crosscheck::domain::project::Project;

mod common;

fn project() -> Project {
    common::project_of(&["abcd efgh ijkl", "mnop qrst uvwx"])
}

fn add(project: &mut Project, id: &str, author: &str, article: usize, range: (usize, usize), verdict: &str) {
    let note = format!("{author}'s note");
    common::add_span(project, id, author, article, range, "claim", &[("verdict", verdict), ("note", &note)]);
}

fn link(project: &mut Project, id: &str, author: &str, from: &str, to: &str) {
    common::add_link(project, id, author, "contradicts", &SpanId::from(from), &SpanId::from(to), "numeric");
}

#[test]
fn overlapping_spans_form_one_place_with_a_version_per_reading() {
    let mut project = project();
    add(&mut project, "a1", "ann", 0, (0, 4), "accurate");
    add(&mut project, "b1", "bob", 0, (2, 9), "accurate");
    add(&mut project, "a2", "ann", 0, (10, 14), "accurate");
    add(&mut project, "b2", "bob", 0, (10, 14), "accurate");
    let places = places(&project);
    assert_eq!(places.iter().map(|place| (place.start, place.end)).collect::<Vec<_>>(), [(0, 9), (10, 14)]);
    assert_eq!(places[0].versions.len(), 2);
    assert!(!places[0].unanimous());
    // Notes differ but do not make a disagreement.
    assert!(places[1].unanimous());
    assert_eq!(places[1].versions[0].authors, ["ann", "bob"]);
}

#[test]
fn an_annotator_who_tagged_nothing_in_a_place_has_an_empty_version() {
    let mut project = project();
    add(&mut project, "a1", "ann", 0, (0, 4), "accurate");
    add(&mut project, "a2", "ann", 0, (10, 14), "accurate");
    add(&mut project, "b2", "bob", 0, (10, 14), "accurate");
    add(&mut project, "c2", "cyd", 0, (10, 14), "accurate");
    let first = &places(&project)[0];
    assert_eq!(first.annotators, 3);
    assert_eq!(first.versions[0].authors, ["bob", "cyd"]);
    assert!(first.versions[0].spans.is_empty());
    // The majority says "nothing here": majority acceptance rejects the place.
    let all = places(&project);
    let (count, edit) = auto_accept(&project, &all, AutoAccept::Majority, "t", 5);
    assert_eq!(count, 2);
    project.apply(edit, 5).expect("applies");
    let after = places(&project);
    assert_eq!(after[0].resolution, Resolution::Rejected);
    assert!(matches!(&after[1].resolution, Resolution::Accepted(spans) if spans.len() == 1));
    assert_eq!(progress(&after), (2, 2));
}

#[test]
fn unanimous_acceptance_copies_agreed_places_into_gold_with_provenance() {
    let mut project = project();
    add(&mut project, "a1", "ann", 0, (0, 4), "accurate");
    add(&mut project, "b1", "bob", 0, (0, 4), "inaccurate");
    add(&mut project, "a2", "ann", 0, (10, 14), "accurate");
    add(&mut project, "b2", "bob", 0, (10, 14), "accurate");
    let all = places(&project);
    let (count, edit) = auto_accept(&project, &all, AutoAccept::Unanimous, "t", 5);
    assert_eq!(count, 1);
    assert_eq!(auto_accept(&project, &all, AutoAccept::None, "t", 5).0, 0);
    project.apply(edit, 5).expect("applies");
    let gold: Vec<_> = project.spans().values().filter(|span| span.author == GOLD).cloned().collect();
    assert_eq!(gold.len(), 1);
    assert_eq!((gold[0].start, gold[0].attribute(PROVENANCE)), (10, "ann, bob"));
    assert_eq!(progress(&places(&project)), (1, 2));
}

#[test]
fn accepting_rejecting_and_merging_are_edits_that_undo() {
    let mut project = project();
    add(&mut project, "a1", "ann", 0, (0, 4), "accurate");
    add(&mut project, "b1", "bob", 0, (0, 4), "inaccurate");
    let place = places(&project)[0].clone();
    let bob = place.versions.iter().find(|version| version.authors == ["bob"]).expect("bob's version").clone();
    let before = project.clone();
    let undo_accept = project.apply(accept(&project, &place, &bob, "t", 5), 5).expect("accepts");
    let gold = project.spans().values().find(|span| span.author == GOLD).expect("gold").clone();
    assert_eq!(gold.attribute("verdict"), "inaccurate");
    // Merge ann's verdict into the gold span.
    project.apply(merge_attribute(&gold, "verdict", "accurate", "ann"), 6).expect("merges");
    let merged = &project.spans()[&gold.id];
    assert_eq!((merged.attribute("verdict"), merged.attribute(PROVENANCE)), ("accurate", "bob, ann"));
    // Rejecting replaces the acceptance.
    let place = places(&project)[0].clone();
    let undo_reject = project.apply(reject(&project, &place), 7).expect("rejects");
    assert!(project.spans().values().all(|span| span.author != GOLD));
    assert_eq!(places(&project)[0].resolution, Resolution::Rejected);
    project.apply(undo_reject, 8).expect("undo reject");
    assert!(matches!(places(&project)[0].resolution, Resolution::Accepted(_)));
    let _ = undo_accept;
    let mut fresh = before.clone();
    let undo = fresh.apply(accept(&before, &places(&before)[0], &bob, "t", 5), 5).expect("accepts");
    fresh.apply(undo, 6).expect("undo accept");
    assert_eq!(fresh.spans(), before.spans());
}

#[test]
fn links_follow_into_gold_once_both_ends_are_accepted() {
    let mut project = project();
    add(&mut project, "a1", "ann", 0, (0, 4), "accurate");
    add(&mut project, "a2", "ann", 1, (0, 4), "accurate");
    add(&mut project, "b1", "bob", 0, (0, 4), "accurate");
    add(&mut project, "b2", "bob", 1, (0, 4), "accurate");
    link(&mut project, "ra", "ann", "a1", "a2");
    link(&mut project, "rb", "bob", "b2", "b1");
    let first = places(&project)[0].clone();
    project.apply(accept(&project, &first, &first.versions[0], "t1", 5), 5).expect("first end");
    assert!(project.relations().values().all(|relation| relation.author != GOLD));
    let second = places(&project)[1].clone();
    project.apply(accept(&project, &second, &second.versions[0], "t2", 6), 6).expect("second end");
    let gold_links: Vec<_> = project.relations().values().filter(|relation| relation.author == GOLD).collect();
    assert_eq!(gold_links.len(), 1, "the symmetric link of ann and bob is one gold link");
    assert_eq!(gold_links[0].kind.as_deref(), Some("numeric"));
}
