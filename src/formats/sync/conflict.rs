//! Conflicts: a document with several live leaves, shown as CouchDB's deterministic winner and
//! its losers, and resolved by a person — keep one version, or merge field by field.
//!
//! A resolution is CouchDB's: a new revision on the winning leaf holding the chosen content, and
//! a deletion on every other live leaf, so every peer converges on one live leaf and the losing
//! versions stay in the history until then. A concurrent deletion is never a conflict to lose
//! an edit to: deleted leaves always lose to live ones ([`crate::formats::sync::tree`]); they are
//! listed here ([`ConflictView::deleted_others`]) so the UI can say someone deleted the item,
//! and [`Resolution::DeleteAll`] accepts that deletion.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::domain::article::ArticleId;
use crate::formats::sync::replica::{Body, DocRecord, RevisionDoc};
use crate::formats::sync::revision::{Rev, RevPath};
use crate::formats::sync::validate::{check, Checked};

/// One version of a conflicted document.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub rev: Rev,
    pub body: Body,
}

impl Version {
    pub fn author(&self) -> &str {
        self.body.get("author").and_then(Value::as_str).unwrap_or_default()
    }

    /// When this version was written (ms; 0 when the body does not say).
    pub fn modified(&self) -> i64 {
        self.body.get("modified").and_then(Value::as_i64).unwrap_or_default()
    }

    fn data(&self) -> Option<&Map<String, Value>> {
        self.body.get("data").and_then(Value::as_object)
    }
}

/// One field's value in each version (`None`: absent), keyed by the field's path.
pub type FieldDifference = (String, Vec<(Rev, Option<Value>)>);

/// A document in conflict: the version every peer shows, and the others.
#[derive(Clone, Debug, PartialEq)]
pub struct ConflictView {
    pub id: String,
    pub winner: Version,
    /// The other live leaves, greatest first.
    pub others: Vec<Version>,
    /// Leaves that are deletions made concurrently with the winner.
    pub deleted_others: Vec<Rev>,
}

impl ConflictView {
    /// Whether the live versions hold different items: two browsers that wrote the same content
    /// (each its own copy of a built-in article's metadata, say) differ only in `modified`, and
    /// there is nothing for a person to choose.
    pub fn contents_differ(&self) -> bool {
        let winner = self.winner.data();
        self.others.iter().any(|other| other.data() != winner)
    }
}

/// The conflict view of a document, if it has more than one live leaf.
pub fn conflict_view(id: &str, record: &DocRecord) -> Option<ConflictView> {
    // Only leaves keep bodies: fewer than two, no conflict to show (the common case, decided
    // without walking the tree or copying a body — the header asks for every document).
    if record.leaves.len() < 2 {
        return None;
    }
    let (winner, deleted, body) = record.winner()?;
    if deleted {
        return None;
    }
    let winner = Version { rev: winner, body: body?.clone() };
    let others: Vec<Version> = record
        .tree
        .conflicts()
        .into_iter()
        .filter_map(|rev| record.leaves.get(&rev).map(|body| Version { rev, body: body.clone() }))
        .collect();
    if others.is_empty() {
        return None;
    }
    Some(ConflictView { id: id.to_string(), winner, others, deleted_others: record.tree.deleted_conflicts() })
}

impl ConflictView {
    /// Which version is "mine" and which "theirs": mine is the newest version by `me` (the
    /// winner when both or neither are), theirs the greatest version that is not mine.
    pub fn mine_and_theirs(&self, me: &str) -> (Rev, Rev) {
        let versions: Vec<&Version> = std::iter::once(&self.winner).chain(&self.others).collect();
        let mine = versions.iter().find(|version| version.author() == me).unwrap_or(&versions[0]);
        let theirs = versions.iter().find(|version| version.rev != mine.rev).unwrap_or(&versions[0]);
        (mine.rev.clone(), theirs.rev.clone())
    }

    /// Like [`ConflictView::mine_and_theirs`], but "mine" is first the newest version written in
    /// this browser (`written_here`): two people editing one person's annotation both have that
    /// person as the author. "Theirs" is the newest version written elsewhere whose content
    /// differs from mine: a document can hold stale leaves too (two browsers each wrote the same
    /// built-in article's metadata before they first met), and those are not what a person
    /// compares with.
    pub fn mine_and_theirs_here(&self, written_here: &[Rev], me: &str) -> (Rev, Rev) {
        let mut versions: Vec<&Version> = std::iter::once(&self.winner).chain(&self.others).collect();
        crate::domain::sorting::sort_by_key(&mut versions, |version| std::cmp::Reverse(version.modified()));
        match versions.iter().find(|version| written_here.contains(&version.rev)) {
            Some(mine) => {
                let theirs = versions
                    .iter()
                    .find(|version| !written_here.contains(&version.rev) && version.data() != mine.data())
                    .or_else(|| versions.iter().find(|version| version.rev != mine.rev))
                    .unwrap_or(&versions[0]);
                (mine.rev.clone(), theirs.rev.clone())
            }
            None => self.mine_and_theirs(me),
        }
    }

    fn version(&self, rev: &Rev) -> Option<&Version> {
        std::iter::once(&self.winner).chain(&self.others).find(|version| &version.rev == rev)
    }

    /// Every field of `data` whose value differs between versions (a span's attributes and an
    /// article's metadata one level deeper: `attributes.speaker`, `metadata.site_name`), with
    /// each version's value (`None`: absent).
    pub fn differences(&self) -> Vec<FieldDifference> {
        let versions: Vec<&Version> = std::iter::once(&self.winner).chain(&self.others).collect();
        let mut paths: Vec<String> = Vec::new();
        for version in &versions {
            for (key, value) in version.data().into_iter().flatten() {
                match value {
                    Value::Object(inner) if key == "attributes" || key == "metadata" => {
                        paths.extend(inner.keys().map(|name| format!("{key}.{name}")))
                    }
                    _ => paths.push(key.clone()),
                }
            }
        }
        crate::domain::sorting::sort(&mut paths);
        paths.dedup();
        paths
            .into_iter()
            .map(|path| {
                (
                    path.clone(),
                    versions
                        .iter()
                        .map(|version| (version.rev.clone(), field(version.data(), &path)))
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, values)| values.iter().any(|(_, value)| value != &values[0].1))
            .collect()
    }
}

impl ConflictView {
    /// The merge a person picked field by field between two versions: every differing field from
    /// `theirs` when its path is in `from_theirs`, from `mine` otherwise. A span's take-over
    /// record is not a field to pick: it stays with the winner's author, whose record it is.
    pub fn merge_of(&self, mine: &Rev, theirs: &Rev, from_theirs: &BTreeSet<String>) -> Resolution {
        Resolution::Merge(
            self.differences()
                .into_iter()
                .filter(|(path, _)| !Self::follows_the_author(path))
                .map(|(path, _)| {
                    let rev = if from_theirs.contains(&path) { theirs } else { mine };
                    (path, rev.clone())
                })
                .collect(),
        )
    }
}

impl ConflictView {
    /// Whether a field belongs with the envelope's author rather than being picked on its own.
    pub fn follows_the_author(path: &str) -> bool {
        path == "take_overs"
    }
}

fn field(data: Option<&Map<String, Value>>, path: &str) -> Option<Value> {
    let data = data?;
    match path.split_once('.') {
        Some((outer, inner)) => data.get(outer)?.get(inner).cloned(),
        None => data.get(path).cloned(),
    }
}

fn set_field(data: &mut Map<String, Value>, path: &str, value: Option<Value>) {
    let (map, key) = match path.split_once('.') {
        Some((outer, inner)) => {
            let entry = data.entry(outer.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            match entry.as_object_mut() {
                Some(map) => (map, inner),
                None => return,
            }
        }
        None => (data, path),
    };
    match value {
        Some(value) => map.insert(key.to_string(), value),
        None => map.remove(key),
    };
}

/// What the person decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// This version, as it is (keep mine, keep theirs).
    Keep(Rev),
    /// The winner, with each listed field taken from the version named.
    Merge(BTreeMap<String, Rev>),
    /// Accept a deletion: every live version is deleted.
    DeleteAll,
}

/// One revision the resolution writes here (then pushed like any edit).
#[derive(Clone, Debug, PartialEq)]
pub struct LocalWrite {
    pub id: String,
    pub parent: Rev,
    pub rev: Rev,
    pub body: Body,
    pub deleted: bool,
}

/// The revisions that resolve the conflict. The resolved content is checked like an incoming
/// document (a merge can combine fields into something invalid: a start after an end).
pub fn resolve(
    view: &ConflictView,
    resolution: &Resolution,
    now: i64,
    article_length: &dyn Fn(&ArticleId) -> Option<usize>,
) -> Result<Vec<LocalWrite>, String> {
    let kept = match resolution {
        Resolution::Keep(rev) => {
            Some(view.version(rev).ok_or("that version is not part of the conflict")?.body.clone())
        }
        Resolution::Merge(choices) => {
            let mut body = view.winner.body.clone();
            let mut data = view.winner.data().cloned().unwrap_or_default();
            for (path, rev) in choices {
                let version = view.version(rev).ok_or("that version is not part of the conflict")?;
                set_field(&mut data, path, field(version.data(), path));
            }
            body.insert("data".to_string(), Value::Object(data));
            Some(body)
        }
        Resolution::DeleteAll => None,
    };
    let mut writes = Vec::new();
    let tombstone = |parent: &Rev| {
        let body: Body = [("modified".to_string(), Value::from(now))].into_iter().collect();
        LocalWrite {
            id: view.id.clone(),
            parent: parent.clone(),
            rev: Rev::next(Some(parent), &view.id, &body, true),
            body,
            deleted: true,
        }
    };
    match kept {
        Some(mut body) => {
            body.insert("modified".to_string(), Value::from(now));
            let rev = Rev::next(Some(&view.winner.rev), &view.id, &body, false);
            let candidate =
                RevisionDoc { id: view.id.clone(), path: RevPath::single(&rev), deleted: false, body: body.clone() };
            if let Checked::Rejected(rejection) = check(&candidate.to_json(), article_length) {
                return Err(rejection.reason);
            }
            writes.push(LocalWrite { id: view.id.clone(), parent: view.winner.rev.clone(), rev, body, deleted: false });
        }
        None => writes.push(tombstone(&view.winner.rev)),
    }
    writes.extend(view.others.iter().map(|version| tombstone(&version.rev)));
    Ok(writes)
}
