#![cfg(not(target_arch = "wasm32"))]
//! Properties of the sync core: revision trees merge the same in any order and pick the same
//! winner; stemming keeps every leaf; replicas converge whatever the order of edits and syncs,
//! losing no revision; and no input from a server makes validation or parsing panic.

mod sync_support;

use std::collections::{BTreeMap, BTreeSet};

use crosscheck::domain::article::ArticleId;
use crosscheck::formats::sync::checkpoint::Checkpoint;
use crosscheck::formats::sync::mapping::DocKind;
use crosscheck::formats::sync::revision::{Rev, RevPath};
use crosscheck::formats::sync::tree::RevTree;
use crosscheck::formats::sync::validate::{check, Checked};
use crosscheck::formats::sync::wire;
use proptest::prelude::*;
use serde_json::{json, Value};
use sync_support::*;

/// A generated revision tree: each node's parent index (None for the root), suffix, deletion.
#[derive(Clone, Debug)]
struct Generated {
    nodes: Vec<(Option<usize>, Rev, bool)>,
}

fn generated_tree() -> impl Strategy<Value = Generated> {
    prop::collection::vec((any::<prop::sample::Index>(), "[a-f0-9]{1,3}", any::<bool>()), 1..40).prop_map(|raw| {
        let mut nodes: Vec<(Option<usize>, Rev, bool)> = Vec::new();
        for (index, (parent, hash, deleted)) in raw.into_iter().enumerate() {
            let parent = (index > 0).then(|| parent.index(index));
            let pos = parent.map_or(1, |parent| nodes[parent].1.pos + 1);
            nodes.push((parent, Rev::new(pos, &format!("{hash}x{index}")).unwrap(), deleted));
        }
        Generated { nodes }
    })
}

impl Generated {
    fn is_leaf(&self, index: usize) -> bool {
        !self.nodes.iter().any(|(parent, _, _)| *parent == Some(index))
    }

    /// The history of node `index`, newest first, cut to `keep` revisions.
    fn path(&self, index: usize, keep: usize) -> RevPath {
        let mut ids = Vec::new();
        let mut current = Some(index);
        while let Some(node) = current {
            if ids.len() == keep.max(1) {
                break;
            }
            ids.push(self.nodes[node].1.hash.clone());
            current = self.nodes[node].0;
        }
        RevPath { start: self.nodes[index].1.pos, ids }
    }

    /// Every leaf's full history, and a cut history of every node, as peers would send them.
    fn paths(&self, cut: usize) -> Vec<(RevPath, bool)> {
        let mut paths = Vec::new();
        for index in 0..self.nodes.len() {
            let leaf = self.is_leaf(index);
            let deleted = leaf && self.nodes[index].2;
            if leaf {
                paths.push((self.path(index, usize::MAX), deleted));
            }
            paths.push((self.path(index, 1 + (index * 7 + cut) % 4), deleted));
        }
        paths
    }

    /// CouchDB's rule, spelled out independently of the code under test: live leaves if any,
    /// then the highest generation, then the highest suffix as a string.
    fn expected_winner(&self) -> (Rev, bool) {
        let leaves: Vec<(Rev, bool)> = (0..self.nodes.len())
            .filter(|index| self.is_leaf(*index))
            .map(|index| (self.nodes[index].1.clone(), self.nodes[index].2))
            .collect();
        let live: Vec<&(Rev, bool)> = leaves.iter().filter(|(_, deleted)| !deleted).collect();
        let candidates: Vec<&(Rev, bool)> = if live.is_empty() { leaves.iter().collect() } else { live };
        let best = candidates.iter().map(|(rev, _)| (rev.pos, rev.hash.as_str())).max().unwrap();
        candidates.into_iter().find(|(rev, _)| (rev.pos, rev.hash.as_str()) == best).cloned().unwrap()
    }
}

fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut state = seed | 1;
    let mut keyed: Vec<(u64, T)> = items
        .iter()
        .map(|item| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state, item.clone())
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, item)| item).collect()
}

fn merged(paths: &[(RevPath, bool)]) -> RevTree {
    let mut tree = RevTree::default();
    for (path, deleted) in paths {
        tree.merge(path, *deleted).unwrap();
    }
    tree
}

proptest! {
    #[test]
    fn merging_revision_histories_in_any_order_gives_the_same_tree_and_winner(
        generated in generated_tree(), cut in 0usize..4, first in any::<u64>(), second in any::<u64>()
    ) {
        let paths = generated.paths(cut);
        let one = merged(&shuffled(&paths, first));
        let other = merged(&shuffled(&paths, second));
        prop_assert_eq!(&one, &other);
        prop_assert_eq!(one.winner(), Some(generated.expected_winner()));
        let leaves: BTreeSet<Rev> = one.leaves().into_iter().map(|(rev, _)| rev).collect();
        let expected: BTreeSet<Rev> =
            (0..generated.nodes.len()).filter(|index| generated.is_leaf(*index)).map(|index| generated.nodes[index].1.clone()).collect();
        prop_assert_eq!(leaves, expected);
    }

    #[test]
    fn stemming_keeps_every_leaf_and_the_winner(generated in generated_tree(), limit in 1usize..6) {
        let mut tree = merged(&generated.paths(0));
        let leaves = tree.leaves();
        tree.stem(limit);
        prop_assert_eq!(tree.leaves(), leaves);
        // Every kept revision is one of the newest `limit` of some leaf's history.
        let near_a_leaf: BTreeSet<Rev> = tree.leaves().iter().flat_map(|(leaf, _)| tree.path_to(leaf, limit).unwrap().revs().collect::<Vec<_>>()).collect();
        prop_assert_eq!(tree.nodes.keys().cloned().collect::<BTreeSet<_>>(), near_a_leaf);
        for node in tree.nodes.values() {
            prop_assert!(node.parent.as_ref().is_none_or(|parent| tree.contains(parent)));
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Edit { ben: bool, doc: usize, start: usize, label: usize },
    Delete { ben: bool, doc: usize },
    Sync { ben: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<bool>(), 0usize..3, 0usize..40, 0usize..3).prop_map(|(ben, doc, start, label)| Op::Edit { ben, doc, start, label }),
        1 => (any::<bool>(), 0usize..3).prop_map(|(ben, doc)| Op::Delete { ben, doc }),
        2 => any::<bool>().prop_map(|ben| Op::Sync { ben }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn two_browsers_converge_on_the_same_project_and_lose_no_revision(ops in prop::collection::vec(op(), 0..25)) {
        let mut server = FakeCouch::default();
        let mut ann = Browser::new("ann");
        let mut ben = Browser::new("ben");
        let article = ann.add_article(TEXT);
        ann.sync(&mut server);
        ben.sync(&mut server);
        let mut written: BTreeMap<String, BTreeSet<Rev>> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Edit { ben: is_ben, doc, start, label } => {
                    let browser = if is_ben { &mut ben } else { &mut ann };
                    let id = format!("span:s{doc}");
                    let rev = browser.write(&id, Some(span_data(&article, start, start + 3, ["claim", "quote", "speaker"][label])));
                    written.entry(id).or_default().insert(rev);
                }
                Op::Delete { ben: is_ben, doc } => {
                    let browser = if is_ben { &mut ben } else { &mut ann };
                    let id = format!("span:s{doc}");
                    let rev = browser.write(&id, None);
                    written.entry(id).or_default().insert(rev);
                }
                Op::Sync { ben: true } => ben.sync(&mut server),
                Op::Sync { ben: false } => ann.sync(&mut server),
            }
        }
        for _ in 0..2 {
            ann.sync(&mut server);
            ben.sync(&mut server);
        }
        prop_assert_eq!(state(&ann.replica), state(&ben.replica));
        prop_assert_eq!(state(&server.db), state(&ann.replica));
        for (id, revs) in written {
            let tree = &server.db.record(&id).unwrap().tree;
            for rev in revs {
                prop_assert!(tree.contains(&rev), "{} {} lost", id, rev);
            }
        }
        prop_assert!(ann.skipped.is_empty() && ben.skipped.is_empty());
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "[a-z0-9:_<>\"-]{0,12}".prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn valid_span(article: &ArticleId) -> Value {
    json!({"_id": "span:s1", "_rev": "2-b", "_revisions": {"start": 2, "ids": ["b", "a"]}, "author": "ann", "modified": 5,
           "data": {"article": article, "start": 2, "end": 9, "label": "claim", "attributes": {"speaker": "envoy"}}})
}

const FIELDS: [&str; 12] = [
    "_id",
    "_rev",
    "_revisions",
    "_deleted",
    "author",
    "modified",
    "data",
    "article",
    "start",
    "end",
    "label",
    "attributes",
];

proptest! {
    #[test]
    fn validation_never_panics_and_accepts_only_spans_inside_their_article(
        field in 0usize..FIELDS.len(), replacement in json_value(), known in any::<bool>()
    ) {
        let article = ArticleId::for_text(TEXT);
        let mut doc = valid_span(&article);
        let name = FIELDS[field];
        if doc.get(name).is_some() {
            doc[name] = replacement;
        } else {
            doc["data"][name] = replacement;
        }
        let length = TEXT.chars().count();
        let lookup = |id: &ArticleId| (known && id == &article).then_some(length);
        if let Checked::Accepted(valid) = check(&doc, &lookup) {
            if valid.kind == DocKind::Span && !valid.doc.deleted {
                let data = &valid.doc.body["data"];
                let (start, end) = (data["start"].as_u64().unwrap(), data["end"].as_u64().unwrap());
                prop_assert!(start < end);
                prop_assert!(!known || end as usize <= length || valid.waiting_for_article.is_some());
                prop_assert!(!valid.doc.body["author"].as_str().unwrap().is_empty());
            }
        }
    }

    #[test]
    fn any_server_answer_is_read_without_panicking(answer in json_value()) {
        let _ = check(&answer, &|_| Some(10));
        let _ = wire::parse_changes(&answer);
        let _ = wire::parse_bulk_get(&answer);
        let _ = wire::parse_bulk_docs(&answer);
        let asked = [("span:a".to_string(), vec![Rev::parse("1-a").unwrap()])].into_iter().collect();
        let _ = wire::parse_revs_diff(&answer, &asked);
        let _ = Checkpoint::read(&answer);
    }
}

#[test]
fn the_valid_span_used_by_the_fuzzer_is_accepted() {
    let article = ArticleId::for_text(TEXT);
    let length = TEXT.chars().count();
    assert!(matches!(check(&valid_span(&article), &|_| Some(length)), Checked::Accepted(_)));
}
