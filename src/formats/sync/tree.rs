//! A document's revision tree: every revision known, its parent, which leaves are deletions,
//! and CouchDB's deterministic winner.
//!
//! Merging a history adds its revisions and parent links; the result does not depend on the
//! order histories arrive in (the set of links is a union; a root learnt later to have a parent
//! gets it). Leaves are revisions nobody names as parent. The winner is the greatest leaf by
//! (not deleted, generation, suffix as a string) — the order CouchDB's `couch_doc:to_doc_info`
//! and PouchDB's `winningRev` use — so every peer holding the same tree shows the same version.
//! [`RevTree::stem`] keeps only the newest [`REVS_LIMIT`] revisions of every branch, as
//! CouchDB's `_revs_limit` does.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::sorting::InsertEach;
use crate::formats::sync::revision::{Rev, RevError, RevPath, REVS_LIMIT};

/// What the tree knows about one revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// `None` for a root: the first revision, or the oldest one kept after stemming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Rev>,
    /// Whether this revision is a deletion (meaningful for leaves).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// What merging a history changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merged {
    /// The newest revision of the history was not known before.
    NewRevision,
    /// Every revision was already known: nothing to store, nothing to apply again.
    AlreadyKnown,
}

/// One document's revisions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevTree {
    pub nodes: BTreeMap<Rev, Node>,
}

impl RevTree {
    pub fn contains(&self, rev: &Rev) -> bool {
        self.nodes.contains_key(rev)
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Adds a history whose newest revision is (or is not) a deletion.
    pub fn merge(&mut self, path: &RevPath, leaf_deleted: bool) -> Result<Merged, RevError> {
        path.validate()?;
        let revs: Vec<Rev> = path.revs().collect();
        let outcome = if self.nodes.contains_key(&revs[0]) { Merged::AlreadyKnown } else { Merged::NewRevision };
        for (index, rev) in revs.iter().enumerate() {
            let parent = revs.get(index + 1).cloned();
            let node = self.nodes.entry(rev.clone()).or_default();
            node.parent = match (node.parent.take(), parent) {
                (None, parent) | (parent, None) => parent,
                // Two histories disagree about a parent (only a hostile peer does that): keep
                // the smaller, so the result still does not depend on arrival order.
                (Some(known), Some(claimed)) => Some(known.min(claimed)),
            };
            node.deleted |= index == 0 && leaf_deleted;
        }
        Ok(outcome)
    }

    /// Adds one new revision written here on `parent`.
    pub fn add_child(&mut self, parent: Option<&Rev>, rev: &Rev, deleted: bool) {
        self.nodes.insert(rev.clone(), Node { parent: parent.cloned(), deleted });
    }

    /// The leaves, greatest (the winner) first.
    pub fn leaves(&self) -> Vec<(Rev, bool)> {
        let parents: BTreeSet<&Rev> = self.nodes.values().filter_map(|node| node.parent.as_ref()).into_set();
        let mut leaves: Vec<(Rev, bool)> = self
            .nodes
            .iter()
            .filter(|(rev, _)| !parents.contains(rev))
            .map(|(rev, node)| (rev.clone(), node.deleted))
            .collect();
        crate::domain::sorting::sort_by(&mut leaves, |a, b| Rev::winner_order((&b.0, b.1), (&a.0, a.1)));
        leaves
    }

    pub fn is_leaf(&self, rev: &Rev) -> bool {
        self.nodes.contains_key(rev) && !self.nodes.values().any(|node| node.parent.as_ref() == Some(rev))
    }

    /// The winning leaf and whether it is a deletion (then the document is deleted).
    pub fn winner(&self) -> Option<(Rev, bool)> {
        self.leaves().into_iter().next()
    }

    /// Live leaves other than the winner: CouchDB's `_conflicts`.
    pub fn conflicts(&self) -> Vec<Rev> {
        self.leaves().into_iter().skip(1).filter(|(_, deleted)| !deleted).map(|(rev, _)| rev).collect()
    }

    /// Deleted leaves other than the winner: CouchDB's `_deleted_conflicts`.
    pub fn deleted_conflicts(&self) -> Vec<Rev> {
        self.leaves().into_iter().skip(1).filter(|(_, deleted)| *deleted).map(|(rev, _)| rev).collect()
    }

    /// The history of `rev`, newest first, as far back as the tree knows (at most `limit`).
    pub fn path_to(&self, rev: &Rev, limit: usize) -> Option<RevPath> {
        let mut ids = vec![rev.hash.clone()];
        let mut node = self.nodes.get(rev)?;
        while let Some(parent) = &node.parent {
            if ids.len() >= limit {
                break;
            }
            ids.push(parent.hash.clone());
            node = match self.nodes.get(parent) {
                Some(node) => node,
                None => break,
            };
        }
        Some(RevPath { start: rev.pos, ids })
    }

    /// Leaves older than `rev`: what `_revs_diff` reports as `possible_ancestors`.
    pub fn possible_ancestors(&self, rev: &Rev) -> Vec<Rev> {
        self.leaves().into_iter().map(|(leaf, _)| leaf).filter(|leaf| leaf.pos < rev.pos).collect()
    }

    /// Forgets revisions more than `limit` (at least 1) generations behind every leaf they lead
    /// to; the oldest kept revision of a branch becomes a root.
    pub fn stem(&mut self, limit: usize) {
        let limit = limit.max(1);
        let mut kept: BTreeSet<Rev> = BTreeSet::new();
        for (leaf, _) in self.leaves() {
            let mut current = Some(leaf);
            let mut depth = 0;
            while let Some(rev) = current {
                if depth >= limit {
                    break;
                }
                depth += 1;
                current = self.nodes.get(&rev).and_then(|node| node.parent.clone());
                kept.insert(rev);
            }
        }
        self.nodes.retain(|rev, _| kept.contains(rev));
        let known: BTreeSet<Rev> = self.nodes.keys().cloned().into_set();
        for node in self.nodes.values_mut() {
            if node.parent.as_ref().is_some_and(|parent| !known.contains(parent)) {
                node.parent = None;
            }
        }
    }

    /// Stems to CouchDB's default limit.
    pub fn stem_default(&mut self) {
        self.stem(REVS_LIMIT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn path(start: u64, ids: &[&str]) -> RevPath {
        RevPath { start, ids: ids.iter().map(|id| id.to_string()).collect() }
    }

    fn rev(text: &str) -> Rev {
        Rev::parse(text).unwrap()
    }

    #[test]
    fn concurrent_edits_keep_both_leaves_and_the_higher_suffix_wins() {
        let mut tree = RevTree::default();
        tree.merge(&path(2, &["aaa", "root"]), false).unwrap();
        tree.merge(&path(2, &["bbb", "root"]), false).unwrap();
        assert_eq!(tree.leaves().len(), 2);
        assert_eq!(tree.winner(), Some((rev("2-bbb"), false)));
        assert_eq!(tree.conflicts(), vec![rev("2-aaa")]);
    }

    #[test]
    fn a_deletion_never_beats_a_concurrent_edit_even_when_longer() {
        let mut tree = RevTree::default();
        tree.merge(&path(3, &["zzz", "del", "root"]), true).unwrap();
        tree.merge(&path(2, &["edit", "root"]), false).unwrap();
        assert_eq!(tree.winner(), Some((rev("2-edit"), false)));
        assert_eq!(tree.deleted_conflicts(), vec![rev("3-zzz")]);
        assert!(tree.conflicts().is_empty());
    }

    #[test]
    fn merging_a_known_history_changes_nothing() {
        let mut tree = RevTree::default();
        assert_eq!(tree.merge(&path(2, &["b", "a"]), false), Ok(Merged::NewRevision));
        let before = tree.clone();
        assert_eq!(tree.merge(&path(2, &["b", "a"]), false), Ok(Merged::AlreadyKnown));
        assert_eq!(tree.merge(&path(1, &["a"]), false), Ok(Merged::AlreadyKnown));
        assert_eq!(tree, before);
    }

    #[test]
    fn stemming_keeps_the_newest_revisions_of_every_branch() {
        let mut tree = RevTree::default();
        tree.merge(&path(5, &["e", "d", "c", "b", "a"]), false).unwrap();
        tree.merge(&path(3, &["x", "b", "a"]), false).unwrap();
        tree.stem(2);
        let kept: Vec<String> = tree.nodes.keys().map(|rev| rev.to_string()).collect();
        assert_eq!(kept, ["2-b", "3-x", "4-d", "5-e"]);
        assert_eq!(tree.nodes[&rev("4-d")].parent, None, "stemmed root");
        assert_eq!(tree.path_to(&rev("5-e"), 10), Some(path(5, &["e", "d"])));
        assert_eq!(tree.winner(), Some((rev("5-e"), false)));
    }

    #[test]
    fn revs_diff_ancestors_are_older_leaves() {
        let mut tree = RevTree::default();
        tree.merge(&path(4, &["d", "c", "b", "a"]), false).unwrap();
        assert_eq!(tree.possible_ancestors(&rev("5-x")), vec![rev("4-d")]);
        assert!(tree.possible_ancestors(&rev("3-x")).is_empty());
    }
}
