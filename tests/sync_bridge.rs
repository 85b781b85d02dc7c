#![cfg(not(target_arch = "wasm32"))]
//! The bridge between the stored v2 documents and the replica (what `web::sync` does with each
//! save and each pulled batch), natively: a pulled document saved back is not a new edit, a
//! local save continues the server's history, a reload's reconciliation adds nothing twice, and
//! two browsers with the same article text never conflict over it.

mod sync_support;

use crosscheck::domain::article::{Article, ArticleId};
use crosscheck::domain::project::Project;
use crosscheck::formats::sync::conflict::conflict_view;
use crosscheck::formats::sync::mapping::{stored_to_wire, text_body, text_id, wire_to_stored, MappingContext};
use crosscheck::formats::sync::replica::{Body, Replica};
use crosscheck::formats::sync::revision::Rev;
use serde_json::json;
use sync_support::{span_data, Browser, FakeCouch, TEXT};

/// The project a browser holding [`TEXT`] has (what the stored documents read through).
fn project() -> Project {
    let project = Project::with_articles(vec![Article::new(TEXT, "Rafah", "Wire")]);
    assert_eq!(project.articles()[0].id, ArticleId::for_text(TEXT));
    project
}

/// A wire body as this browser's store holds it, and read back from there (what the autosave
/// reports after writing it).
fn through_the_store(id: &str, body: &Body, deleted: bool) -> (Body, bool) {
    let project = project();
    let context = MappingContext::new(&project);
    let rev = Rev::parse("1-00000000").unwrap();
    let json = wire_to_stored(id, body, &rev, deleted, &context).expect("a stored form");
    stored_to_wire(id, &json, &context).expect("a wire form")
}

fn wire(author: &str, modified: i64, data: serde_json::Value) -> Body {
    json!({"author": author, "modified": modified, "data": data}).as_object().unwrap().clone()
}

/// A server, ann's span `span:s1` on a new article, synced to bob.
fn ann_span_shared_with_bob() -> (FakeCouch, Browser, Browser, ArticleId) {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    let mut bob = Browser::new("bob");
    let article = ann.add_article(TEXT);
    ann.write("span:s1", Some(span_data(&article, 4, 6, "claim")));
    ann.sync(&mut server);
    bob.sync(&mut server);
    (server, ann, bob, article)
}

#[test]
fn a_pulled_document_saved_back_unchanged_is_not_a_new_revision() {
    let (_server, _ann, mut bob, _article) = ann_span_shared_with_bob();
    // Bob's browser writes the pulled winner into localStorage; its autosave reports that JSON.
    let (_, deleted, body) = bob.replica.winner_wire("span:s1").expect("pulled");
    let (body, deleted) = through_the_store("span:s1", &body, deleted);
    let before = bob.replica.update_seq;
    assert_eq!(bob.replica.record_saved("span:s1", body, deleted), None);
    assert_eq!(bob.replica.update_seq, before, "no new revision, nothing to push back");
}

#[test]
fn a_local_save_continues_the_servers_history_and_never_conflicts_with_it() {
    let (mut server, mut ann, mut bob, article) = ann_span_shared_with_bob();
    let pulled = bob.replica.record("span:s1").unwrap().winner().unwrap().0;
    let (body, _) = through_the_store("span:s1", &wire("bob", 99, span_data(&article, 4, 6, "quote")), false);
    let rev = bob.replica.record_saved("span:s1", body, false).expect("an edit");
    assert_eq!(rev.pos, pulled.pos + 1);
    bob.sync(&mut server);
    ann.sync(&mut server);
    let record = ann.replica.record("span:s1").unwrap();
    assert_eq!(record.tree.leaves().len(), 1, "one line of history, no conflict");
    assert_eq!(record.winner().unwrap().2.unwrap()["data"]["label"], "quote");
}

#[test]
fn a_deletion_is_recorded_once_and_an_unknown_deletion_not_at_all() {
    let mut replica = Replica::default();
    let (tombstone, deleted) = through_the_store("span:s1", &json!({"modified": 5}).as_object().unwrap().clone(), true);
    assert_eq!(replica.record_saved("span:never", tombstone.clone(), deleted), None);
    let (body, _) =
        through_the_store("span:s1", &wire("ann", 1, span_data(&ArticleId::for_text(TEXT), 0, 3, "claim")), false);
    replica.record_saved("span:s1", body, false).unwrap();
    assert!(replica.record_saved("span:s1", tombstone.clone(), true).is_some());
    assert_eq!(replica.record_saved("span:s1", tombstone.clone(), true), None);
    assert!(replica.holds_body("span:s1", &tombstone, true));
    let (_, deleted, body) = replica.winner_wire("span:s1").unwrap();
    assert!(deleted && !body.contains_key("data"), "{body:?}");
}

#[test]
fn reconciling_after_a_reload_adds_nothing_for_a_version_in_conflict() {
    let (mut server, mut ann, mut bob, article) = ann_span_shared_with_bob();
    ann.write("span:s1", Some(span_data(&article, 4, 6, "quote")));
    bob.write("span:s1", Some(span_data(&article, 4, 6, "speaker")));
    ann.sync(&mut server);
    bob.sync(&mut server);
    ann.sync(&mut server);
    let record = ann.replica.record("span:s1").unwrap();
    assert_eq!(record.tree.leaves().len(), 2, "a conflict");
    // Whichever version ann's localStorage shows, it is one of the leaves: not a new edit.
    for body in record.leaves.values() {
        assert!(ann.replica.holds_body("span:s1", body, false));
    }
    let stale = through_the_store("span:s1", &wire("ann", 0, span_data(&article, 4, 6, "claim")), false).0;
    assert!(!ann.replica.holds_body("span:s1", &stale, false), "an older body is a real difference");
}

#[test]
fn two_browsers_with_the_same_article_text_make_the_same_revision() {
    let mut one = Replica::default();
    let mut two = Replica::default();
    let id = text_id("a-0123456789abcdef");
    let first = one.record_saved(&id, text_body(TEXT), false).unwrap();
    let second = two.record_saved(&id, text_body(TEXT), false).unwrap();
    assert_eq!(first, second);
    let context_project = project();
    let context = MappingContext::new(&context_project);
    assert_eq!(wire_to_stored(&id, &text_body(TEXT), &first, false, &context), None, "texts live in IndexedDB");
}

#[test]
fn mine_in_a_conflict_is_the_version_written_here_even_on_someone_elses_annotation() {
    let (mut server, mut ann, mut bob, article) = ann_span_shared_with_bob();
    // Both relabel ann's span; both versions keep ann as the author (the creator).
    let by_ann = json!({"author": "ann", "data": span_data(&article, 4, 6, "quote"), "modified": 5});
    let by_bob = json!({"author": "ann", "data": span_data(&article, 4, 6, "speaker"), "modified": 6});
    let ann_rev = ann.replica.record_saved("span:s1", by_ann.as_object().unwrap().clone(), false).unwrap();
    let bob_rev = bob.replica.record_saved("span:s1", by_bob.as_object().unwrap().clone(), false).unwrap();
    ann.sync(&mut server);
    bob.sync(&mut server);
    ann.sync(&mut server);
    for (browser, mine, theirs) in [(&ann, &ann_rev, &bob_rev), (&bob, &bob_rev, &ann_rev)] {
        let record = browser.replica.record("span:s1").unwrap();
        let view = crosscheck::formats::sync::conflict::conflict_view("span:s1", record).expect("a conflict");
        assert_eq!(
            view.mine_and_theirs_here(&record.written_here, &browser.user),
            (mine.clone(), theirs.clone()),
            "{}",
            browser.user
        );
    }
}

#[test]
fn an_edit_of_an_item_two_browsers_each_wrote_alike_closes_the_copy_instead_of_showing_a_conflict() {
    // Each browser saved the same built-in article's metadata before they first met: two first
    // revisions with one content, which nobody is asked to choose between.
    let mut server = FakeCouch::default();
    let id = format!("art:{}", ArticleId::for_text(TEXT));
    let mut ann = Browser::new("ann");
    let mut bob = Browser::new("bob");
    let metadata = json!({"title": "Rafah", "source": "Wire"});
    assert!(ann.replica.record_saved(&id, wire("", 1, metadata.clone()), false).is_some());
    assert!(bob.replica.record_saved(&id, wire("", 2, metadata.clone()), false).is_some());
    ann.sync(&mut server);
    bob.sync(&mut server);
    ann.sync(&mut server);
    let view = conflict_view(&id, ann.replica.record(&id).unwrap()).expect("two live copies");
    assert!(!view.contents_differ(), "alike: not shown");
    // Ann renames it. Her edit must not appear, to her or to Bob, as a conflict with Bob's copy.
    ann.replica.record_saved(&id, wire("", 3, json!({"title": "Rafah, renamed", "source": "Wire"})), false);
    ann.sync(&mut server);
    bob.sync(&mut server);
    for replica in [&ann.replica, &bob.replica, &server.db] {
        let record = replica.record(&id).unwrap();
        assert!(conflict_view(&id, record).is_none(), "no conflict left");
        assert_eq!(record.winner().unwrap().2.unwrap()["data"]["title"], "Rafah, renamed");
    }
}
