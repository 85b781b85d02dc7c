//! The replica as the browser stores it: one entry per replicated document (its revision tree,
//! leaf bodies and sequences, keyed `doc:<id>`) next to one small state entry (client id,
//! server, checkpoints, the replica's update sequence). A pulled batch, an edit or a resolution
//! writes only the documents it touched with the state entry, in one transaction — never the
//! whole replica, which for 20,000 spans is megabytes.
//!
//! The state entry of older versions held the whole replica; it still reads, and the next write
//! moves every document to its own entry.

use serde::ser::SerializeStruct;
use serde::Serializer;

use crate::formats::stored::docs::ARTICLE_PREFIX;
use crate::formats::stored::journal::Documents;
use crate::formats::sync::mapping::{replicates, TEXT_PREFIX};
use crate::formats::sync::replica::{DocRecord, Replica, Unsaved};

/// The key prefix of a document's entry.
pub const DOC_PREFIX: &str = "doc:";

/// The entry key of document `id`.
pub fn doc_key(id: &str) -> String {
    format!("{DOC_PREFIX}{id}")
}

/// What to write: drop every stored document first (`clear`), then put these `(key, JSON)`
/// entries (each a document changed since the last write).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaWrites {
    pub clear: bool,
    pub entries: Vec<(String, String)>,
    /// The ids written, to hand back with [`Replica::unwritten`] if the write fails.
    pub ids: Vec<String>,
}

/// The replica in the small state entry: its update sequence only (`serialize_with`).
pub fn serialize_without_docs<S: Serializer>(replica: &Replica, serializer: S) -> Result<S::Ok, S::Error> {
    let mut state = serializer.serialize_struct("Replica", 1)?;
    state.serialize_field("update_seq", &replica.update_seq)?;
    state.end()
}

impl Replica {
    /// A replica for another database: empty, and the documents stored for the last one are
    /// dropped at the next write.
    pub fn for_another_database() -> Replica {
        Replica { unsaved: Unsaved { clear: true, ..Unsaved::default() }, ..Replica::default() }
    }

    /// The entries of every document changed since the last call; they count as written.
    pub fn take_writes(&mut self) -> ReplicaWrites {
        let unsaved = std::mem::take(&mut self.unsaved);
        let mut writes = ReplicaWrites { clear: unsaved.clear, ..ReplicaWrites::default() };
        for id in unsaved.ids {
            let Some(record) = self.docs.get(&id) else { continue };
            let Ok(json) = serde_json::to_string(record) else { continue };
            writes.entries.push((doc_key(&id), json));
            writes.ids.push(id);
        }
        writes
    }

    /// [`Replica::take_writes`] in pieces: the entries of documents changed since the last call,
    /// up to about `max_units` of JSON or `max_entries` entries (one at least), so a large write
    /// (a pulled batch of 500 documents, or 200 article texts) goes to the store a transaction
    /// and a task at a time. What is left stays to be written ([`Replica::has_unwritten`]).
    pub fn take_writes_within(&mut self, max_units: usize, max_entries: usize) -> ReplicaWrites {
        let mut writes = ReplicaWrites { clear: std::mem::take(&mut self.unsaved.clear), ..ReplicaWrites::default() };
        let mut units = 0;
        while writes.entries.len() < max_entries.max(1) && units < max_units.max(1) {
            let Some(id) = self.unsaved.ids.pop_first() else { break };
            let Some(record) = self.docs.get(&id) else { continue };
            let Ok(json) = serde_json::to_string(record) else { continue };
            units += json.len();
            writes.entries.push((doc_key(&id), json));
            writes.ids.push(id);
        }
        writes
    }

    /// Whether a document (or the clearing of another database's) is still to be written.
    pub fn has_unwritten(&self) -> bool {
        self.unsaved.clear || !self.unsaved.ids.is_empty()
    }

    /// A write that failed: its documents are still to be written.
    pub fn unwritten(&mut self, writes: ReplicaWrites) {
        self.unsaved.clear |= writes.clear;
        self.unsaved.ids.extend(writes.ids);
    }

    /// Every document is to be written (read from an older state entry that held them all).
    pub fn all_unwritten(&mut self) {
        self.unsaved.ids.extend(self.docs.keys().cloned());
    }

    /// Adds the stored document entries read back (`(key, JSON)`; other keys are ignored).
    /// Returns how many could not be read (left out: the autosave's copy of each is recorded
    /// again as a local write when sync starts). The update sequence becomes at least every
    /// document's: documents are written in several transactions and the state entry with the
    /// last, so a write stopped half-way leaves documents newer than the state entry, and a
    /// sequence number must never be given twice.
    pub fn restore(&mut self, entries: impl IntoIterator<Item = (String, String)>) -> usize {
        let mut unreadable = 0;
        for (key, json) in entries {
            let Some(id) = key.strip_prefix(DOC_PREFIX) else { continue };
            match serde_json::from_str::<DocRecord>(&json) {
                Ok(record) => {
                    self.update_seq = self.update_seq.max(record.seq).max(record.local_seq);
                    self.docs.insert(id.to_string(), record);
                }
                Err(_) => unreadable += 1,
            }
        }
        unreadable
    }

    /// The live documents the store lacks (by stored id: an article's text counts as its
    /// `art:` document). Documents waiting for an item (a link for its span) live in memory
    /// only: handed to the project again after a reload, none is lost from it.
    pub fn missing_from_store(&self, documents: &Documents) -> Vec<String> {
        self.docs
            .iter()
            .filter(|(id, _)| replicates(id))
            .filter(|(id, _)| match id.strip_prefix(TEXT_PREFIX) {
                Some(article) => !documents.contains_key(&format!("{ARTICLE_PREFIX}{article}")),
                None => !documents.contains_key(id.as_str()),
            })
            .filter(|(_, record)| record.winner().is_some_and(|(_, deleted, _)| !deleted))
            .map(|(id, _)| id.clone())
            .collect()
    }
}
