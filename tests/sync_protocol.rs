#![cfg(not(target_arch = "wasm32"))]
//! The sync core end to end, natively: browsers driving `Pull` and `Push` against a CouchDB
//! stand-in that answers in CouchDB's JSON, including crashes between steps and hostile
//! documents. The same scenarios run against a real pouchdb-server in the e2e tests of #15.

mod sync_support;

use crosscheck::domain::article::ArticleId;
use crosscheck::formats::sync::conflict::{conflict_view, resolve, ConflictView, Resolution};
use crosscheck::formats::sync::revision::Rev;
use serde_json::json;
use sync_support::*;

fn setup() -> (FakeCouch, Browser, Browser, ArticleId) {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    let mut ben = Browser::new("ben");
    let article = ann.add_article(TEXT);
    ann.write("span:s1", Some(span_data(&article, 4, 17, "claim")));
    ann.sync(&mut server);
    ben.sync(&mut server);
    (server, ann, ben, article)
}

/// Ann and Ben write span s1 at once (`versions`: Ann's data, Ben's) and sync (Ann, Ben, Ann):
/// both replicas hold the conflict; returned with it as Ann sees it.
fn conflicted(
    versions: impl FnOnce(&ArticleId) -> (serde_json::Value, serde_json::Value),
) -> (FakeCouch, Browser, Browser, ConflictView) {
    let (mut server, mut ann, mut ben, article) = setup();
    let (ann_data, ben_data) = versions(&article);
    ann.write("span:s1", Some(ann_data));
    ben.write("span:s1", Some(ben_data));
    ann.sync(&mut server);
    ben.sync(&mut server);
    ann.sync(&mut server);
    let view = conflict_view("span:s1", ann.replica.record("span:s1").unwrap()).unwrap();
    (server, ann, ben, view)
}

#[test]
fn a_span_tagged_in_one_browser_reaches_the_other_with_its_author_and_text() {
    let (server, ann, ben, article) = setup();
    assert_eq!(state(&ann.replica), state(&ben.replica));
    assert_eq!(state(&server.db), state(&ann.replica));
    let span = ben.replica.record("span:s1").unwrap().winner().unwrap().2.unwrap().clone();
    assert_eq!(span["author"], "ann");
    assert_eq!(ben.texts.get(&article), Some(&TEXT.chars().count()), "the newcomer gets the article text");
    assert!(ben.skipped.is_empty(), "{:?}", ben.skipped);
}

#[test]
fn concurrent_edits_become_one_conflict_with_the_same_winner_everywhere() {
    let (_, ann, ben, _) =
        conflicted(|article| (span_data(article, 4, 17, "quote"), span_data(article, 0, 17, "claim")));
    let record = ann.replica.record("span:s1").unwrap();
    assert_eq!(record.tree.leaves().len(), 2, "both versions kept");
    assert_eq!(state(&ann.replica), state(&ben.replica));
    let view_ann = conflict_view("span:s1", record).unwrap();
    let view_ben = conflict_view("span:s1", ben.replica.record("span:s1").unwrap()).unwrap();
    assert_eq!(view_ann, view_ben, "the same winner and loser on both sides");
    let (mine, theirs) = view_ann.mine_and_theirs("ann");
    assert_eq!(view_ann.winner.rev.clone().max(view_ann.others[0].rev.clone()), view_ann.winner.rev);
    assert_ne!(mine, theirs);
    let differences = view_ann.differences();
    let fields: Vec<&str> = differences.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(fields, ["label", "start"]);
}

#[test]
fn resolving_keep_theirs_syncs_and_leaves_one_live_version_on_every_peer() {
    let (mut server, mut ann, mut ben, view) =
        conflicted(|article| (span_data(article, 4, 17, "quote"), span_data(article, 0, 17, "claim")));
    let (_, theirs) = view.mine_and_theirs("ann");
    let theirs_body =
        view.others.iter().chain([&view.winner]).find(|version| version.rev == theirs).unwrap().body.clone();
    let texts = ann.texts.clone();
    let writes = resolve(&view, &Resolution::Keep(theirs), 9_999, &|id| texts.get(id).copied()).unwrap();
    assert_eq!(writes.len(), 2, "a new revision on the winner and a deletion of the loser");
    for write in &writes {
        ann.replica.put_local(&write.id, Some(&write.parent), &write.rev, write.body.clone(), write.deleted).unwrap();
    }
    ann.sync(&mut server);
    ben.sync(&mut server);
    for replica in [&ann.replica, &ben.replica, &server.db] {
        let record = replica.record("span:s1").unwrap();
        assert!(conflict_view("span:s1", record).is_none());
        let (_, deleted, body) = record.winner().unwrap();
        assert!(!deleted);
        assert_eq!(body.unwrap()["data"], theirs_body["data"]);
    }
}

#[test]
fn merging_attribute_by_attribute_takes_each_field_from_the_chosen_version() {
    let (_, ann, _, view) = conflicted(|article| {
        let mut a = span_data(article, 4, 17, "quote");
        a["attributes"] = json!({"speaker": "envoy", "stance": "neutral"});
        let mut b = span_data(article, 0, 17, "claim");
        b["attributes"] = json!({"speaker": "minister"});
        (a, b)
    });
    let ann_rev = view.mine_and_theirs("ann").0;
    let ben_rev = view.mine_and_theirs("ben").0;
    let choices = [
        ("label".to_string(), ann_rev.clone()),
        ("attributes.speaker".to_string(), ben_rev.clone()),
        ("attributes.stance".to_string(), ben_rev.clone()),
        ("start".to_string(), ann_rev),
    ];
    let texts = ann.texts.clone();
    let writes =
        resolve(&view, &Resolution::Merge(choices.into_iter().collect()), 5, &|id| texts.get(id).copied()).unwrap();
    let data = &writes[0].body["data"];
    assert_eq!((data["label"].clone(), data["start"].clone()), (json!("quote"), json!(4)));
    assert_eq!(data["attributes"], json!({"speaker": "minister"}), "absent in the chosen version: removed");
}

#[test]
fn a_person_picking_theirs_for_one_attribute_gets_mine_for_every_other_differing_field() {
    let (mut server, mut ann, mut ben, view) = conflicted(|article| {
        let mut a = span_data(article, 4, 17, "quote");
        a["attributes"] = json!({"speaker": "envoy", "verdict": "accurate"});
        let mut b = span_data(article, 4, 17, "claim");
        b["attributes"] = json!({"speaker": "minister", "verdict": "misleading"});
        (a, b)
    });
    let (mine, theirs) = view.mine_and_theirs("ann");
    let picks = ["attributes.verdict".to_string()].into_iter().collect();
    let resolution = view.merge_of(&mine, &theirs, &picks);
    let texts = ann.texts.clone();
    let writes = resolve(&view, &resolution, 5, &|id| texts.get(id).copied()).unwrap();
    let data = &writes[0].body["data"];
    assert_eq!(data["label"], json!("quote"), "mine");
    assert_eq!(
        data["attributes"],
        json!({"speaker": "envoy", "verdict": "misleading"}),
        "verdict theirs, speaker mine"
    );
    ann.replica
        .put_local(&writes[0].id, Some(&writes[0].parent), &writes[0].rev, writes[0].body.clone(), false)
        .unwrap();
    for write in &writes[1..] {
        ann.replica.put_local(&write.id, Some(&write.parent), &write.rev, write.body.clone(), write.deleted).unwrap();
    }
    ann.sync(&mut server);
    ben.sync(&mut server);
    let (_, _, body) = ben.replica.record("span:s1").unwrap().winner().unwrap();
    assert_eq!(body.unwrap()["data"], *data, "the merge reaches ben");
}

#[test]
fn a_merge_that_would_make_an_invalid_span_is_refused() {
    let (_, ann, _, view) =
        conflicted(|article| (span_data(article, 10, 20, "claim"), span_data(article, 30, 40, "claim")));
    let loser = view.others[0].rev.clone();
    let loser_start = view.others[0].body["data"]["start"].as_u64().unwrap();
    // Take only the end from the version with the smaller start: start ≥ end somewhere.
    let path = if loser_start > 20 { "start" } else { "end" };
    let texts = ann.texts.clone();
    let result = resolve(&view, &Resolution::Merge([(path.to_string(), loser)].into_iter().collect()), 5, &|id| {
        texts.get(id).copied()
    });
    assert!(result.unwrap_err().contains("empty or reversed"));
}

#[test]
fn a_deletion_never_silently_erases_a_concurrent_edit() {
    let (mut server, mut ann, mut ben, article) = setup();
    // The deletion is the longer history (generation 4 against 2): it still loses.
    ann.write("span:s1", Some(span_data(&article, 4, 17, "speaker")));
    ann.write("span:s1", None);
    ben.write("span:s1", Some(span_data(&article, 4, 17, "quote")));
    ann.sync(&mut server);
    ben.sync(&mut server);
    ann.sync(&mut server);
    for replica in [&ann.replica, &ben.replica, &server.db] {
        let record = replica.record("span:s1").unwrap();
        let (_, deleted, body) = record.winner().unwrap();
        assert!(!deleted, "the edit survives");
        assert_eq!(body.unwrap()["data"]["label"], "quote");
        assert_eq!(record.tree.deleted_conflicts().len(), 1, "the deletion is visible as a deleted conflict");
    }
}

#[test]
fn an_interrupted_pull_resumes_with_nothing_lost_and_nothing_applied_twice() {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    let article = ann.add_article(TEXT);
    for index in 0..25 {
        ann.write(&format!("span:s{index:02}"), Some(span_data(&article, index, index + 3, "claim")));
    }
    ann.sync(&mut server);
    let mut ben = Browser::new("ben");
    server.fetched.borrow_mut().clear();
    assert!(!ben.pull(&mut server, 10, Crash::MidStore { batch: 1, after_docs: 4 }));
    assert!(ben.pull(&mut server, 10, Crash::Never));
    assert_eq!(
        server.fetched.borrow().len(),
        27 + 6,
        "only the 6 documents not stored before the crash are fetched again"
    );
    assert_eq!(state(&ben.replica), state(&server.db));
    let mut applied = ben.applied.clone();
    let total = applied.len();
    applied.sort();
    applied.dedup();
    assert_eq!(applied.len(), total, "no revision applied twice");
    assert_eq!(total, 27, "25 spans, one article, one text");
}

#[test]
fn a_lost_checkpoint_starts_over_safely() {
    let (mut server, _ann, mut ben, _) = setup();
    server.local_docs.clear();
    let before = ben.applied.len();
    assert!(ben.pull(&mut server, 5, Crash::Never));
    assert_eq!(ben.applied.len(), before, "_revs_diff skips everything already here");
}

#[test]
fn an_interrupted_push_is_sent_again_and_the_server_skips_what_it_has() {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    let article = ann.add_article(TEXT);
    for index in 0..12 {
        ann.write(&format!("span:s{index:02}"), Some(span_data(&article, index, index + 2, "claim")));
    }
    assert!(ann.push(&mut server, 5, Crash::AfterBulkDocs { batch: 1 }).is_none());
    assert_eq!(ann.replica.edits_waiting(ann.push_since(&server)), 9, "the unconfirmed batch still counts as waiting");
    assert_eq!(ann.push(&mut server, 5, Crash::Never), Some(vec![]));
    assert_eq!(ann.replica.edits_waiting(ann.push_since(&server)), 0);
    assert_eq!(state(&server.db), state(&ann.replica));
}

#[test]
fn offline_edits_are_counted_and_sent_when_the_server_is_back() {
    let (mut server, mut ann, mut ben, article) = setup();
    for index in 0..3 {
        ben.write(&format!("span:b{index}"), Some(span_data(&article, index, index + 1, "claim")));
    }
    assert_eq!(ben.replica.edits_waiting(ben.push_since(&server)), 3);
    ben.sync(&mut server);
    ann.sync(&mut server);
    assert_eq!(ben.replica.edits_waiting(ben.push_since(&server)), 0);
    assert_eq!(state(&ann.replica), state(&ben.replica));
}

#[test]
fn couchdb_string_sequences_are_echoed_and_resumed_from() {
    let mut server = FakeCouch { string_seqs: true, ..FakeCouch::default() };
    let mut ann = Browser::new("ann");
    let article = ann.add_article(TEXT);
    ann.write("span:s1", Some(span_data(&article, 0, 3, "claim")));
    ann.sync(&mut server);
    let mut ben = Browser::new("ben");
    assert!(ben.pull(&mut server, 1, Crash::Never));
    ann.write("span:s2", Some(span_data(&article, 0, 3, "claim")));
    ann.sync(&mut server);
    let before = ben.applied.len();
    assert!(ben.pull(&mut server, 1, Crash::Never));
    assert_eq!(ben.applied.len(), before + 1, "resumed from the string checkpoint, fetched only the new span");
}

#[test]
fn writes_the_server_refuses_are_reported_and_kept_here() {
    let mut server = FakeCouch { refuse_writes: true, ..FakeCouch::default() };
    let mut ann = Browser::new("ann");
    let article = ann.add_article(TEXT);
    ann.write("span:s1", Some(span_data(&article, 0, 3, "claim")));
    let refused = ann.push(&mut server, 10, Crash::Never).unwrap();
    assert_eq!(refused.len(), 3);
    assert!(refused.iter().all(|rejection| rejection.reason.starts_with("forbidden")));
    assert!(ann.replica.record("span:s1").is_some());
}

#[test]
fn this_browsers_own_documents_are_never_pushed() {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    ann.write("settings", Some(json!({"annotator": "ann"})));
    ann.write("rej:quote:1", Some(json!({"key": "quote:1"})));
    ann.write("_local/position", Some(json!({"view": "read"})));
    ann.push(&mut server, 10, Crash::Never).unwrap();
    assert!(server.db.docs.is_empty(), "{:?}", server.db.docs.keys().collect::<Vec<_>>());
}

#[test]
fn a_span_whose_article_text_comes_in_the_same_batch_is_checked_against_it_not_left_waiting() {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    let article = ann.add_article(TEXT);
    ann.write("span:s1", Some(span_data(&article, 0, 3, "claim")));
    ann.sync(&mut server);
    let mut ben = Browser::new("ben");
    assert!(ben.pull(&mut server, 100, Crash::Never));
    assert!(ben.waiting_for_article.is_empty(), "{:?}", ben.waiting_for_article);
    assert!(ben.replica.record("span:s1").is_some());
}

#[test]
fn a_span_that_arrives_before_its_article_is_kept_until_the_text_comes() {
    let mut server = FakeCouch::default();
    let mut ann = Browser::new("ann");
    let article = ann.add_article(TEXT);
    ann.write("span:s1", Some(span_data(&article, 0, 3, "claim")));
    ann.sync(&mut server);
    // The article's text document changes feed position: edited metadata moves the article
    // after its spans; here the text is re-sent by a later revision.
    ann.write(&format!("text:{article}"), Some(json!({"text": TEXT})));
    ann.sync(&mut server);
    let mut ben = Browser::new("ben");
    assert!(ben.pull(&mut server, 1, Crash::Never));
    assert_eq!(ben.waiting_for_article, ["span:s1"]);
    assert!(ben.replica.record("span:s1").is_some(), "kept, not lost");
    assert!(ben.skipped.is_empty(), "{:?}", ben.skipped);
}

#[test]
fn hostile_documents_are_skipped_with_a_reason_and_the_rest_arrives() {
    let (mut server, _ann, mut ben, article) = setup();
    let hostile = [
        json!({"_id": "span:far", "_rev": "1-a", "author": "eve", "modified": 1, "data": {"article": article, "start": 5, "end": 900, "label": "claim"}}),
        json!({"_id": "span:noauthor", "_rev": "1-a", "modified": 1, "data": {"article": article, "start": 1, "end": 2, "label": "claim"}}),
        json!({"_id": "span:type", "_rev": "1-a", "author": "eve", "modified": "yesterday", "data": {"article": article, "start": 1, "end": 2, "label": "claim"}}),
        json!({"_id": "schema:labels", "_rev": "9-a", "author": "eve", "modified": 1, "data": {"labels": [{"id": "x", "name": "X", "color": "red;background:url(//evil)"}]}}),
        json!({"_id": "text:a-0000000000000000", "_rev": "1-a", "modified": 1, "data": {"text": "<img src=x onerror=alert(1)>"}}),
        json!({"_id": "rel:self", "_rev": "1-a", "author": "eve", "modified": 1, "data": {"type": "contradicts", "from": "s1", "to": "s1"}}),
        json!({"_id": "span:hist", "_rev": "3-c", "_revisions": {"start": 3, "ids": ["d", "b", "a"]}, "author": "eve", "modified": 1}),
        json!({"_id": "span:big", "_rev": "1-a", "author": "eve", "modified": 1, "data": {"article": article, "start": 1, "end": 2, "label": "x".repeat(300_000)}}),
    ];
    for doc in hostile {
        server.inject(doc);
    }
    server.inject(json!({"_id": "_design/auth", "_rev": "1-a", "validate_doc_update": "function(){}"}));
    server.inject(json!({"_id": "span:fine", "_rev": "1-a", "author": "eve", "modified": 1, "data": {"article": article, "start": 1, "end": 2, "label": "claim"}}));
    assert!(ben.pull(&mut server, 3, Crash::Never));
    let reasons: Vec<(String, String)> =
        ben.skipped.iter().map(|skip| (skip.id.clone(), skip.reason.clone())).collect();
    assert_eq!(reasons.len(), 8, "{reasons:#?}");
    for (id, fragment) in [
        ("span:far", "outside its article"),
        ("span:noauthor", "author"),
        ("span:type", "wrong type"),
        ("schema:labels", "colour"),
        ("text:a-0000000000000000", "does not match"),
        ("rel:self", "itself"),
        ("span:hist", "does not end at _rev"),
        ("span:big", "bytes"),
    ] {
        assert!(reasons.iter().any(|(skip, reason)| skip == id && reason.contains(fragment)), "{id}: {reasons:#?}");
    }
    assert!(ben.replica.record("span:fine").is_some());
    assert!(ben.replica.record("_design/auth").is_none());
    assert!(ben.replica.record("schema:labels").is_none());
}

#[test]
fn new_revisions_are_accepted_by_the_revision_rules_of_the_server() {
    let mut ann = Browser::new("ann");
    let first = ann.write("span:x", Some(json!({"label": "a"})));
    let second = ann.write("span:x", Some(json!({"label": "b"})));
    assert_eq!((first.pos, second.pos), (1, 2));
    assert_eq!(Rev::parse(&second.to_string()).unwrap(), second);
    let doc = ann.replica.revision("span:x", &second).unwrap().to_json();
    assert_eq!(doc["_revisions"], json!({"start": 2, "ids": [second.hash, first.hash]}));
}

#[test]
fn conflicts_on_article_metadata_and_on_links_are_kept_and_resolved_like_spans() {
    let (mut server, mut ann, mut ben, article) = setup();
    let article_doc = format!("art:{article}");
    let cases = [
        (
            article_doc.as_str(),
            json!({"title": "Rafah: ann's title", "source": "Wire"}),
            json!({"title": "Rafah", "source": "Ben's outlet"}),
        ),
        (
            "rel:r1",
            json!({"type": "contradicts", "from": "s1", "to": "s2"}),
            json!({"type": "supports", "from": "s1", "to": "s2", "note": "ben"}),
        ),
    ];
    for (id, by_ann, by_ben) in &cases {
        ann.write(id, Some(by_ann.clone()));
        ben.write(id, Some(by_ben.clone()));
    }
    ann.sync(&mut server);
    ben.sync(&mut server);
    ann.sync(&mut server);
    for (id, by_ann, by_ben) in &cases {
        let view = conflict_view(id, ann.replica.record(id).unwrap()).expect("a conflict");
        let bodies: Vec<_> =
            std::iter::once(&view.winner).chain(&view.others).map(|version| version.body["data"].clone()).collect();
        assert!(bodies.contains(by_ann) && bodies.contains(by_ben), "{id}: both versions reachable");
        let (mine, _) = view.mine_and_theirs("ann");
        let texts = ann.texts.clone();
        let writes = resolve(&view, &Resolution::Keep(mine), 9_999, &|id| texts.get(id).copied()).unwrap();
        for write in &writes {
            ann.replica
                .put_local(&write.id, Some(&write.parent), &write.rev, write.body.clone(), write.deleted)
                .unwrap();
        }
    }
    ann.sync(&mut server);
    ben.sync(&mut server);
    for (id, by_ann, _) in &cases {
        for replica in [&ann.replica, &ben.replica, &server.db] {
            let record = replica.record(id).unwrap();
            assert!(conflict_view(id, record).is_none(), "{id} resolved");
            assert_eq!(&record.winner().unwrap().2.unwrap()["data"], by_ann, "{id}: ann kept hers");
        }
    }
}

#[test]
fn two_browsers_writing_the_same_metadata_is_no_conflict_for_a_person() {
    let (mut server, mut ann, mut ben, article) = setup();
    let id = format!("art:{article}");
    ann.write(&id, Some(json!({"title": "Rafah", "source": "Wire"})));
    ben.write(&id, Some(json!({"title": "Rafah", "source": "Wire"})));
    ann.sync(&mut server);
    ben.sync(&mut server);
    ann.sync(&mut server);
    let view = conflict_view(&id, ann.replica.record(&id).unwrap()).expect("two leaves");
    assert!(!view.contents_differ(), "the same item, only the times differ");
    ben.write(&id, Some(json!({"title": "Rafah (edited)", "source": "Wire"})));
    ben.sync(&mut server);
    ann.sync(&mut server);
    assert!(conflict_view(&id, ann.replica.record(&id).unwrap()).unwrap().contents_differ());
}
