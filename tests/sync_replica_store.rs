#![cfg(not(target_arch = "wasm32"))]
//! The replica stored per document (issue 15): a pulled change, a local edit or a resolution
//! writes only the documents it touched, the small state entry never holds the documents, what
//! was written reads back as the same replica, a failed write is retried, and an older state
//! entry that held the whole replica still reads and moves to per-document entries.

use crosscheck::formats::sync::replica::{Body, Replica, RevisionDoc};
use crosscheck::formats::sync::replica_store::{doc_key, serialize_without_docs, DOC_PREFIX};
use crosscheck::formats::sync::revision::{Rev, RevPath};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The state entry as the browser writes it: the replica without its documents.
#[derive(Serialize, Deserialize)]
struct StateEntry {
    #[serde(serialize_with = "serialize_without_docs")]
    replica: Replica,
}

fn body(index: usize) -> Body {
    match json!({"author": "ann", "modified": index, "data": {"article": "a-0000000000000000", "start": 0, "end": 5, "label": "claim"}})
    {
        Value::Object(body) => body,
        _ => unreachable!(),
    }
}

fn pulled(replica: &mut Replica, id: &str, rev: &str, index: usize) {
    let rev = Rev::parse(rev).unwrap();
    let doc = RevisionDoc { id: id.to_string(), path: RevPath::single(&rev), deleted: false, body: body(index) };
    replica.put_replicated(&doc).unwrap();
}

/// A replica of `count` span documents, all written once already.
fn written_replica(count: usize) -> Replica {
    let mut replica = Replica::default();
    for index in 0..count {
        pulled(&mut replica, &format!("span:s{index}"), "1-aaaa", index);
    }
    let first = replica.take_writes();
    assert_eq!(first.entries.len(), count, "the first write holds every new document");
    replica
}

#[test]
fn an_incoming_change_writes_only_the_document_it_touched() {
    let mut replica = written_replica(500);
    pulled(&mut replica, "span:s7", "2-bbbb", 7);
    let writes = replica.take_writes();
    assert_eq!(writes.entries.iter().map(|(key, _)| key.as_str()).collect::<Vec<_>>(), ["doc:span:s7"]);
    assert!(!writes.clear);
    assert!(replica.take_writes().entries.is_empty(), "nothing changed since: nothing to write");

    // A local edit and a replayed revision: the edit only; a revision already known, nothing.
    replica.record_saved("span:s9", body(99), false).unwrap();
    pulled(&mut replica, "span:s7", "2-bbbb", 7);
    assert_eq!(replica.take_writes().ids, ["span:s9"]);
}

#[test]
fn the_state_entry_is_small_and_the_entries_read_back_as_the_same_replica() {
    let mut replica = Replica::default();
    for index in 0..300 {
        pulled(&mut replica, &format!("span:s{index}"), "1-aaaa", index);
    }
    let state = serde_json::to_string(&StateEntry { replica: replica.clone() }).unwrap();
    assert_eq!(state, r#"{"replica":{"update_seq":300}}"#, "no document in the state entry");
    let writes = replica.take_writes();
    assert!(writes.entries.iter().all(|(key, _)| key.starts_with(DOC_PREFIX)));

    let mut back = serde_json::from_str::<StateEntry>(&state).unwrap().replica;
    let unreadable =
        back.restore(writes.entries.into_iter().chain([
            ("doc:span:broken".to_string(), "{not json".to_string()),
            ("sync-state".to_string(), state.clone()),
        ]));
    assert_eq!(unreadable, 1);
    assert_eq!(back, replica);
    assert_eq!(back.update_seq, 300);
    assert!(back.take_writes().entries.is_empty(), "what was read back is not written again");
}

#[test]
fn a_failed_write_is_written_next_time() {
    let mut replica = written_replica(3);
    pulled(&mut replica, "span:s1", "2-bbbb", 1);
    let failed = replica.take_writes();
    pulled(&mut replica, "span:s2", "2-bbbb", 2);
    replica.unwritten(failed);
    assert_eq!(replica.take_writes().ids, ["span:s1", "span:s2"]);
}

#[test]
fn an_older_state_entry_with_the_whole_replica_reads_and_moves_to_document_entries() {
    let mut replica = Replica::default();
    for index in 0..4 {
        pulled(&mut replica, &format!("span:s{index}"), "1-aaaa", index);
    }
    let old_entry = json!({"replica": serde_json::to_value(&replica).unwrap()}).to_string();
    assert!(old_entry.contains("\"docs\""));
    let mut back = serde_json::from_str::<StateEntry>(&old_entry).unwrap().replica;
    assert_eq!(back, replica);
    back.all_unwritten();
    let writes = back.take_writes();
    assert_eq!(writes.entries.len(), 4);
    assert_eq!(writes.entries[0].0, doc_key("span:s0"));
}

#[test]
fn another_database_drops_the_documents_stored_for_the_last_one() {
    let mut replica = Replica::for_another_database();
    assert!(replica.take_writes().clear);
    assert!(!replica.take_writes().clear, "dropped once");
}

/// The documents are written in several transactions and the state entry with the last: a
/// write stopped after the first left documents with sequences above the stored update
/// sequence, and the next change reused one of them.
#[test]
fn documents_stored_without_their_state_entry_never_have_their_sequence_given_again() {
    let mut replica = written_replica(0);
    let state = serde_json::to_string(&StateEntry { replica: replica.clone() }).unwrap();
    for index in 0..5 {
        pulled(&mut replica, &format!("span:s{index}"), "1-aaaa", index);
    }
    let documents = replica.take_writes();
    // The state entry from before these writes, the documents from after.
    let mut back = serde_json::from_str::<StateEntry>(&state).unwrap().replica;
    back.restore(documents.entries);
    assert_eq!(back.update_seq, 5);
    pulled(&mut back, "span:s9", "1-aaaa", 9);
    assert_eq!(back.record("span:s9").unwrap().seq, 6, "a new sequence, not one of the five");
}

/// A pulled link waiting for its span is in the replica, not in the store; the waiting list is
/// in memory only, so after a reload the replica names it to be merged again.
#[test]
fn what_the_replica_holds_and_the_store_lacks_is_named_after_a_reload() {
    let mut replica = written_replica(3);
    pulled(&mut replica, "rel:r1", "1-aaaa", 1);
    let text = RevisionDoc {
        id: "text:a-0000000000000001".to_string(),
        path: RevPath::single(&Rev::parse("1-cccc").unwrap()),
        deleted: false,
        body: match json!({"data": {"text": "words"}}) {
            Value::Object(body) => body,
            _ => unreachable!(),
        },
    };
    replica.put_replicated(&text).unwrap();
    let deleted = RevisionDoc {
        id: "span:gone".to_string(),
        path: RevPath::single(&Rev::parse("2-dddd").unwrap()),
        deleted: true,
        body: Body::new(),
    };
    replica.put_replicated(&deleted).unwrap();
    let stored: std::collections::BTreeMap<String, String> = ["span:s0", "span:s1", "span:s2", "_local/manifest"]
        .iter()
        .map(|id| (id.to_string(), "{}".to_string()))
        .collect();
    assert_eq!(replica.missing_from_store(&stored), ["rel:r1", "text:a-0000000000000001"]);
    // An article's text is held when its metadata document is stored; a deletion is never missing.
    let mut with_article = stored.clone();
    with_article.insert("art:a-0000000000000001".to_string(), "{}".to_string());
    with_article.insert("rel:r1".to_string(), "{}".to_string());
    assert!(replica.missing_from_store(&with_article).is_empty());
}

/// The write after a large pulled batch goes in pieces (each a transaction and a task of its
/// own in the browser: 500 documents put in one held the main thread 60–160 ms): each piece
/// stays within its bounds, together they hold every changed document once, a failed piece is
/// written again, and the clearing of another database's documents goes with the first.
#[test]
fn a_large_write_taken_in_pieces_holds_every_document_once() {
    let mut replica = Replica::for_another_database();
    for index in 0..500 {
        pulled(&mut replica, &format!("span:s{index}"), "1-aaaa", index);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut pieces = 0;
    let mut failed_once = false;
    while replica.has_unwritten() {
        let piece = replica.take_writes_within(4_000, 60);
        pieces += 1;
        assert_eq!(piece.clear, pieces == 1, "the clearing with the first piece only");
        assert!(!piece.entries.is_empty() && piece.entries.len() <= 60);
        let units: usize = piece.entries.iter().map(|(_, json)| json.len()).sum();
        let last = piece.entries.last().map_or(0, |(_, json)| json.len());
        assert!(units - last < 4_000, "within the bound but for the last entry");
        if pieces == 3 && !failed_once {
            failed_once = true;
            replica.unwritten(piece);
            continue;
        }
        for id in piece.ids {
            assert!(seen.insert(id), "each document once");
        }
    }
    assert!(pieces > 5, "{pieces} pieces");
    assert_eq!(seen.len(), 500);
    assert!(replica.take_writes().entries.is_empty());
}
