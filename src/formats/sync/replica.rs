//! The local side of replication as pure data: every replicated document's revision tree and
//! the bodies of its leaves, and a local update sequence for the push's changes feed.
//!
//! This is what the browser store keeps next to the v2 documents (one [`DocRecord`] per
//! replicated id, serialisable as it is). It answers the questions a CouchDB database answers
//! during replication — `_revs_diff`, a revision with its history, changes since a sequence —
//! and accepts revisions the way `_bulk_docs` with `new_edits: false` does: merged into the
//! tree, never overwriting, so two concurrent edits both stay as leaves. Bodies are kept for
//! leaves only (what a compacted CouchDB keeps): that is what conflict resolution needs.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::formats::sync::revision::{Rev, RevError, RevPath, REVS_LIMIT};
use crate::formats::sync::tree::{Merged, RevTree};

/// A document body without CouchDB's `_` fields: for v2 documents `author`, `modified`, `data`.
pub type Body = Map<String, Value>;

/// One document's replication state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub tree: RevTree,
    /// The body of every live leaf (a deleted leaf's body is not needed).
    pub leaves: BTreeMap<Rev, Body>,
    /// The local update sequence of the last change to this document.
    pub seq: u64,
    /// The local update sequence of the last write made in this browser (0: none): an edit
    /// is waiting to be pushed while this is above the push checkpoint.
    #[serde(default)]
    pub local_seq: u64,
    /// Leaves written in this browser: "mine" in a conflict, whoever created the item (an
    /// annotation's `author` is its creator, not the last editor).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub written_here: Vec<Rev>,
}

impl DocRecord {
    /// The winning revision, whether it is a deletion, and its body.
    pub fn winner(&self) -> Option<(Rev, bool, Option<&Body>)> {
        let (rev, deleted) = self.tree.winner()?;
        let body = self.leaves.get(&rev);
        Some((rev, deleted, body))
    }

    fn forget_inner_bodies(&mut self) {
        let tree = &self.tree;
        self.leaves.retain(|rev, _| tree.is_leaf(rev));
        self.written_here.retain(|rev| tree.is_leaf(rev));
    }
}

/// One entry of the local changes feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalChange {
    pub seq: u64,
    pub id: String,
    /// Every leaf, as `style=all_docs` lists them.
    pub leaves: Vec<Rev>,
}

/// A revision as a peer sends it: the document JSON with `_id`, `_rev`, `_revisions` and
/// `_deleted` (what `_bulk_get?revs=true` returns and `_bulk_docs` with `new_edits: false` takes).
#[derive(Clone, Debug, PartialEq)]
pub struct RevisionDoc {
    pub id: String,
    pub path: RevPath,
    pub deleted: bool,
    pub body: Body,
}

impl RevisionDoc {
    pub fn rev(&self) -> Option<Rev> {
        self.path.leaf()
    }

    /// The JSON a CouchDB peer reads.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("_id".to_string(), Value::from(self.id.as_str()));
        if let Some(rev) = self.rev() {
            object.insert("_rev".to_string(), Value::from(rev.to_string()));
        }
        object.insert("_revisions".to_string(), serde_json::to_value(&self.path).unwrap_or(Value::Null));
        if self.deleted {
            object.insert("_deleted".to_string(), Value::Bool(true));
        }
        for (key, value) in &self.body {
            if !key.starts_with('_') {
                object.insert(key.clone(), value.clone());
            }
        }
        Value::Object(object)
    }
}

/// What `_revs_diff` answers for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevsDiffEntry {
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub possible_ancestors: Vec<String>,
}

/// Why a local write was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The parent is not a leaf of the document (someone else's revision came first).
    NotALeaf { id: String, parent: Rev },
    /// The document exists and no parent was given.
    Exists { id: String },
}

/// The local replicated documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    /// Absent from the browser's small state entry: each document is an entry of its own there
    /// (see [`crate::formats::sync::replica_store`]).
    #[serde(default)]
    pub docs: BTreeMap<String, DocRecord>,
    /// The last local update sequence handed out.
    pub update_seq: u64,
    /// What changed since the store last wrote the replica.
    #[serde(skip)]
    pub(crate) unsaved: Unsaved,
}

/// The documents changed since the store last wrote them, and whether the stored documents are
/// to be dropped first (another database). Not part of the replica's value: two replicas with
/// the same documents are equal whatever each has written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Unsaved {
    pub ids: BTreeSet<String>,
    pub clear: bool,
}

impl PartialEq for Unsaved {
    fn eq(&self, _: &Unsaved) -> bool {
        true
    }
}

impl Replica {
    pub fn record(&self, id: &str) -> Option<&DocRecord> {
        self.docs.get(id)
    }

    fn touch(&mut self, id: &str) -> &mut DocRecord {
        self.unsaved.ids.insert(id.to_string());
        self.update_seq += 1;
        let seq = self.update_seq;
        let record = self.docs.entry(id.to_string()).or_default();
        record.seq = seq;
        record
    }

    /// `_revs_diff`: the revisions of each document this replica does not know.
    pub fn revs_diff(&self, request: &BTreeMap<String, Vec<Rev>>) -> BTreeMap<String, RevsDiffEntry> {
        let mut answer = BTreeMap::new();
        for (id, revs) in request {
            let tree = self.docs.get(id).map(|record| &record.tree);
            let missing: Vec<&Rev> = revs.iter().filter(|rev| !tree.is_some_and(|tree| tree.contains(rev))).collect();
            let Some(newest) = missing.iter().max() else { continue };
            let ancestors = tree.map(|tree| tree.possible_ancestors(newest)).unwrap_or_default();
            let mut missing: Vec<String> = missing.iter().map(|rev| rev.to_string()).collect();
            missing.dedup();
            answer.insert(
                id.clone(),
                RevsDiffEntry { missing, possible_ancestors: ancestors.iter().map(Rev::to_string).collect() },
            );
        }
        answer
    }

    /// Stores a revision from a peer (`new_edits: false`): merged into the tree, its body kept
    /// while it is a leaf. A revision already known changes nothing and does not touch the
    /// update sequence, so replaying a batch applies nothing twice.
    pub fn put_replicated(&mut self, doc: &RevisionDoc) -> Result<Merged, RevError> {
        let mut tree = self.docs.get(&doc.id).map(|record| record.tree.clone()).unwrap_or_default();
        let merged = tree.merge(&doc.path, doc.deleted)?;
        if merged == Merged::AlreadyKnown && self.docs.get(&doc.id).is_some_and(|record| record.tree == tree) {
            return Ok(merged);
        }
        tree.stem(REVS_LIMIT);
        let record = self.touch(&doc.id);
        record.tree = tree;
        if let (Some(rev), false) = (doc.rev(), doc.deleted) {
            if record.tree.is_leaf(&rev) {
                record.leaves.insert(rev, doc.body.clone());
            }
        }
        record.forget_inner_bodies();
        Ok(merged)
    }

    /// Records a write made here: `rev` (from [`Rev::next`] or the storage layer) on `parent`,
    /// which must be a leaf; `None` only for a new document or one whose winner is deleted
    /// (then the new revision continues the deleted branch, as CouchDB does).
    pub fn put_local(
        &mut self,
        id: &str,
        parent: Option<&Rev>,
        rev: &Rev,
        body: Body,
        deleted: bool,
    ) -> Result<(), WriteError> {
        let parent = match (parent, self.docs.get(id).and_then(DocRecord::winner)) {
            (Some(parent), _) => {
                if !self.docs.get(id).is_some_and(|record| record.tree.is_leaf(parent)) {
                    return Err(WriteError::NotALeaf { id: id.to_string(), parent: parent.clone() });
                }
                Some(parent.clone())
            }
            (None, None) => None,
            (None, Some((winner, true, _))) => Some(winner),
            (None, Some(_)) => return Err(WriteError::Exists { id: id.to_string() }),
        };
        let record = self.touch(id);
        record.local_seq = record.seq;
        record.written_here.push(rev.clone());
        record.tree.add_child(parent.as_ref(), rev, deleted);
        record.tree.stem(REVS_LIMIT);
        if !deleted {
            record.leaves.insert(rev.clone(), body);
        }
        record.forget_inner_bodies();
        Ok(())
    }

    /// Records what this browser saved for a shared document (its stored body, or a deletion) as
    /// a new revision on the winner — unless the winner already holds exactly that, as it does
    /// for a document that came from the server. Returns the new revision.
    pub fn record_saved(&mut self, id: &str, body: Body, deleted: bool) -> Option<Rev> {
        let winner = self
            .docs
            .get(id)
            .and_then(DocRecord::winner)
            .map(|(rev, was_deleted, current)| (rev, was_deleted, current.cloned()));
        match &winner {
            None if deleted => return None,
            Some((_, true, _)) if deleted => return None,
            Some((_, false, Some(current))) if !deleted && *current == body => return None,
            _ => {}
        }
        let based_on = winner.as_ref().and_then(|(_, _, current)| current.as_ref()?.get("data").cloned());
        let modified = body.get("modified").cloned();
        let parent = winner.map(|(rev, _, _)| rev);
        let rev = Rev::next(parent.as_ref(), id, &body, deleted);
        self.put_local(id, parent.as_ref(), &rev, body, deleted).ok()?;
        if let Some(based_on) = based_on {
            self.close_copies(id, &based_on, modified);
        }
        Some(rev)
    }

    /// Deletes the other live leaves that hold the very content an edit started from: copies of
    /// one item written independently (two browsers each saving the same built-in article's
    /// metadata before they first met) are not versions anyone chose between, and left open they
    /// would show the next edit as a conflict with a stale copy. A leaf with other content stays.
    fn close_copies(&mut self, id: &str, based_on: &Value, modified: Option<Value>) {
        let Some(record) = self.docs.get(id) else { return };
        let copies: Vec<Rev> = record
            .tree
            .conflicts()
            .into_iter()
            .filter(|leaf| record.leaves.get(leaf).and_then(|body| body.get("data")) == Some(based_on))
            .collect();
        let tombstone: Body = modified.into_iter().map(|time| ("modified".to_string(), time)).collect();
        for copy in copies {
            let rev = Rev::next(Some(&copy), id, &tombstone, true);
            let _ = self.put_local(id, Some(&copy), &rev, tombstone.clone(), true);
        }
    }

    /// Whether some leaf of the document already holds this content (or, for a deletion,
    /// whether the document is unknown or its winner deleted): then a stored copy of it is not a
    /// new edit.
    pub fn holds_body(&self, id: &str, body: &Body, deleted: bool) -> bool {
        let Some(record) = self.docs.get(id) else { return deleted };
        if deleted {
            return record.winner().is_none_or(|(_, winner_deleted, _)| winner_deleted);
        }
        record.leaves.values().any(|leaf| leaf == body)
    }

    /// A leaf with its history, ready for `_bulk_docs` (`None` for a revision not kept).
    pub fn revision(&self, id: &str, rev: &Rev) -> Option<RevisionDoc> {
        let record = self.docs.get(id)?;
        let node = record.tree.nodes.get(rev)?;
        let path = record.tree.path_to(rev, REVS_LIMIT)?;
        let body = match node.deleted {
            true => Body::new(),
            false => record.leaves.get(rev)?.clone(),
        };
        Some(RevisionDoc { id: id.to_string(), path, deleted: node.deleted, body })
    }

    /// The winning revision of a document on the wire: its revision, whether it is a deletion,
    /// and its body (empty for a deletion). `None`: unknown.
    pub fn winner_wire(&self, id: &str) -> Option<(Rev, bool, Body)> {
        let (rev, deleted, body) = self.docs.get(id)?.winner()?;
        Some((rev, deleted, body.cloned().unwrap_or_default()))
    }

    /// Documents written here after the push checkpoint `since`: "3 edits waiting".
    pub fn edits_waiting(&self, since: u64) -> usize {
        self.docs.values().filter(|record| record.local_seq > since).count()
    }

    /// The local changes feed: documents changed after `since`, oldest change first.
    pub fn changes_since(&self, since: u64, limit: usize) -> Vec<LocalChange> {
        let mut changes: Vec<LocalChange> = self
            .docs
            .iter()
            .filter(|(_, record)| record.seq > since)
            .map(|(id, record)| LocalChange {
                seq: record.seq,
                id: id.clone(),
                leaves: record.tree.leaves().into_iter().map(|(rev, _)| rev).collect(),
            })
            .collect();
        crate::domain::sorting::sort_by_key(&mut changes, |change| change.seq);
        changes.truncate(limit);
        changes
    }
}
