//! Test support for the sync core: a CouchDB stand-in answering the replication endpoints in
//! CouchDB's JSON shapes, and a browser that drives `Pull` and `Push` the way the fetch
//! transport will (with a crash point after any step).
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use crosscheck::domain::article::ArticleId;
use crosscheck::formats::sync::checkpoint::{checkpoint_id, saved_rev, Checkpoint, Direction};
use crosscheck::formats::sync::mapping::TextBody;
use crosscheck::formats::sync::pull::{Pull, PullNext};
use crosscheck::formats::sync::push::{Push, PushNext};
use crosscheck::formats::sync::replica::{Body, Replica, RevisionDoc};
use crosscheck::formats::sync::revision::{Rev, RevPath};
use crosscheck::formats::sync::tree::Merged;
use crosscheck::formats::sync::validate::Rejection;
use serde_json::{json, Value};

pub const DB_URL: &str = "http://127.0.0.1:5984/rafah-desk";

/// A CouchDB database, as far as replication sees it.
#[derive(Default)]
pub struct FakeCouch {
    pub db: Replica,
    pub local_docs: BTreeMap<String, Value>,
    pub local_revs: u64,
    /// Sequences as CouchDB 2+ sends them (opaque strings) instead of PouchDB's numbers.
    pub string_seqs: bool,
    /// Refuse every write as a `validate_doc_update` would for a reader-only member.
    pub refuse_writes: bool,
    /// Raw documents injected as a hostile peer would have written them: (seq, json).
    pub raw: Vec<(u64, Value)>,
    /// Every (id, rev) `_bulk_get` was asked for.
    pub fetched: std::cell::RefCell<Vec<(String, String)>>,
}

impl FakeCouch {
    fn seq_value(&self, seq: u64) -> Value {
        if self.string_seqs {
            json!(format!("{seq}-g1AAAAB3eJzLYWBg+a/"))
        } else {
            json!(seq)
        }
    }

    fn seq_number(since: &Value) -> u64 {
        match since {
            Value::String(text) => text.split('-').next().and_then(|n| n.parse().ok()).unwrap_or(0),
            other => other.as_u64().unwrap_or(0),
        }
    }

    /// Puts a raw document (from a peer that does not validate) into the feed.
    pub fn inject(&mut self, doc: Value) {
        self.db.update_seq += 1;
        self.raw.push((self.db.update_seq, doc));
    }

    pub fn changes(&self, since: &Value, limit: usize) -> Value {
        let since = Self::seq_number(since);
        let mut rows: Vec<(u64, Value)> = self
            .db
            .changes_since(since, usize::MAX)
            .into_iter()
            .map(|change| {
                let deleted = self
                    .db
                    .record(&change.id)
                    .and_then(|record| record.winner())
                    .is_some_and(|(_, deleted, _)| deleted);
                let changes: Vec<Value> = change.leaves.iter().map(|rev| json!({"rev": rev.to_string()})).collect();
                let mut row = json!({"seq": self.seq_value(change.seq), "id": change.id, "changes": changes});
                if deleted {
                    row["deleted"] = json!(true);
                }
                (change.seq, row)
            })
            .collect();
        for (seq, doc) in &self.raw {
            if *seq > since {
                let rev = doc.get("_rev").cloned().unwrap_or(json!("1-x"));
                rows.push((*seq, json!({"seq": self.seq_value(*seq), "id": doc.get("_id").cloned().unwrap_or(json!("")), "changes": [{"rev": rev}]})));
            }
        }
        rows.sort_by_key(|(seq, _)| *seq);
        let pending = rows.len().saturating_sub(limit);
        rows.truncate(limit);
        let last_seq = rows.last().map_or_else(|| self.seq_value(since), |(seq, _)| self.seq_value(*seq));
        json!({"results": rows.into_iter().map(|(_, row)| row).collect::<Vec<_>>(), "last_seq": last_seq, "pending": pending})
    }

    pub fn revs_diff(&self, body: &Value) -> Value {
        let request: BTreeMap<String, Vec<Rev>> = body
            .as_object()
            .unwrap()
            .iter()
            .map(|(id, revs)| {
                (
                    id.clone(),
                    revs.as_array().unwrap().iter().map(|rev| Rev::parse(rev.as_str().unwrap()).unwrap()).collect(),
                )
            })
            .collect();
        serde_json::to_value(self.db.revs_diff(&request)).unwrap()
    }

    pub fn bulk_get(&self, body: &Value) -> Value {
        let mut results = Vec::new();
        for wanted in body["docs"].as_array().unwrap() {
            let id = wanted["id"].as_str().unwrap();
            let rev = wanted["rev"].as_str().unwrap();
            self.fetched.borrow_mut().push((id.to_string(), rev.to_string()));
            let raw = self.raw.iter().find(|(_, doc)| {
                doc.get("_id").and_then(Value::as_str) == Some(id)
                    && doc.get("_rev").and_then(Value::as_str) == Some(rev)
            });
            let entry = match (raw, Rev::parse(rev).ok().and_then(|rev| self.db.revision(id, &rev))) {
                (Some((_, doc)), _) => json!({"ok": doc}),
                (None, Some(doc)) => json!({"ok": doc.to_json()}),
                (None, None) => json!({"error": {"id": id, "rev": rev, "error": "not_found", "reason": "missing"}}),
            };
            results.push(json!({"id": id, "docs": [entry]}));
        }
        json!({ "results": results })
    }

    pub fn bulk_docs(&mut self, body: &Value) -> Value {
        assert_eq!(body["new_edits"], json!(false), "replication must not create new edits on the server");
        let mut answer = Vec::new();
        for doc in body["docs"].as_array().unwrap() {
            let id = doc["_id"].as_str().unwrap().to_string();
            if self.refuse_writes {
                answer.push(
                    json!({"id": id, "rev": doc["_rev"], "error": "forbidden", "reason": "only members may write"}),
                );
                continue;
            }
            let path: RevPath = serde_json::from_value(doc["_revisions"].clone()).unwrap();
            let deleted = doc.get("_deleted") == Some(&json!(true));
            let body: Body = doc
                .as_object()
                .unwrap()
                .iter()
                .filter(|(key, _)| !key.starts_with('_'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            self.db.put_replicated(&RevisionDoc { id, path, deleted, body }).unwrap();
        }
        Value::Array(answer)
    }

    pub fn get_local(&self, id: &str) -> Option<Value> {
        self.local_docs.get(id).cloned()
    }

    pub fn put_local(&mut self, body: Value) -> Value {
        let id = body["_id"].as_str().unwrap().to_string();
        let current = self.local_docs.get(&id).and_then(|doc| doc.get("_rev").cloned());
        assert_eq!(body.get("_rev").cloned(), current, "a _local update must carry the current _rev");
        self.local_revs += 1;
        let rev = format!("0-{}", self.local_revs);
        let mut stored = body;
        stored["_rev"] = json!(rev);
        self.local_docs.insert(id.clone(), stored);
        json!({"ok": true, "id": id, "rev": rev})
    }
}

/// Where a test cuts the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crash {
    Never,
    /// After storing this many documents of the n-th batch (from 0), before its checkpoint.
    MidStore {
        batch: usize,
        after_docs: usize,
    },
    /// After the server took the n-th `_bulk_docs`, before the checkpoint.
    AfterBulkDocs {
        batch: usize,
    },
}

/// One browser: its replica, article texts (code point lengths), and its copies of checkpoints.
pub struct Browser {
    pub client_id: String,
    pub user: String,
    pub replica: Replica,
    pub texts: HashMap<ArticleId, usize>,
    pub checkpoints: BTreeMap<String, Value>,
    pub sessions: u32,
    /// Every (id, rev) that `put_replicated` reported as new: applied exactly once each.
    pub applied: Vec<(String, String)>,
    pub skipped: Vec<Rejection>,
    pub waiting_for_article: Vec<String>,
    now: i64,
}

impl Browser {
    pub fn new(user: &str) -> Browser {
        Browser {
            client_id: format!("client-{user}"),
            user: user.to_string(),
            replica: Replica::default(),
            texts: HashMap::new(),
            checkpoints: BTreeMap::new(),
            sessions: 0,
            applied: Vec::new(),
            skipped: Vec::new(),
            waiting_for_article: Vec::new(),
            now: 1_000,
        }
    }

    /// A local write on the winner (or a new document), as the autosave will record it.
    pub fn write(&mut self, id: &str, data: Option<Value>) -> Rev {
        self.now += 1;
        let parent = self.replica.record(id).and_then(|record| record.winner()).map(|(rev, _, _)| rev);
        let deleted = data.is_none();
        let mut body = Body::new();
        if let Some(data) = data {
            body.insert("author".into(), json!(self.user));
            body.insert("data".into(), data);
        }
        body.insert("modified".into(), json!(self.now));
        let rev = Rev::next(parent.as_ref(), id, &body, deleted);
        self.replica.put_local(id, parent.as_ref(), &rev, body, deleted).unwrap();
        rev
    }

    /// Adds an article text and its metadata document.
    pub fn add_article(&mut self, text: &str) -> ArticleId {
        let article = ArticleId::for_text(text);
        self.write(
            &format!("text:{article}"),
            Some(serde_json::to_value(TextBody { text: text.to_string() }).unwrap()),
        );
        self.write(&format!("art:{article}"), Some(json!({"title": "Rafah", "source": "Wire"})));
        self.texts.insert(article.clone(), text.chars().count());
        article
    }

    fn session(&mut self) -> String {
        self.sessions += 1;
        format!("{}-session-{}", self.client_id, self.sessions)
    }

    fn checkpoints_for(
        &self,
        server: &FakeCouch,
        direction: Direction,
    ) -> (String, Option<Checkpoint>, Option<Checkpoint>) {
        let id = checkpoint_id(&self.client_id, DB_URL, direction);
        let local = self.checkpoints.get(&id).and_then(Checkpoint::read).map(|(checkpoint, _)| checkpoint);
        let remote = server.get_local(&id).as_ref().and_then(Checkpoint::read).map(|(checkpoint, _)| checkpoint);
        (id, local, remote)
    }

    fn save_checkpoint(&mut self, server: &mut FakeCouch, checkpoint: &Checkpoint) {
        let remote_rev = server
            .get_local(&checkpoint.id)
            .and_then(|doc| doc.get("_rev").and_then(Value::as_str).map(str::to_string));
        let answer = server.put_local(checkpoint.put_body(remote_rev.as_deref()));
        assert!(saved_rev(&answer).is_some());
        self.checkpoints.insert(checkpoint.id.clone(), checkpoint.put_body(None));
    }

    /// Pulls until caught up or the crash point; returns whether it finished.
    pub fn pull(&mut self, server: &mut FakeCouch, batch_size: usize, crash: Crash) -> bool {
        let session = self.session();
        let (id, local, remote) = self.checkpoints_for(server, Direction::Pull);
        let mut pull = Pull::new(&id, &session, local.as_ref(), remote.as_ref(), batch_size);
        let mut batch = 0;
        // `Pull::next_changes_path` as the last batch was stored.
        let mut ahead: Option<Option<String>> = None;
        let mut next = {
            let answer = server.changes(pull.since(), batch_size);
            pull.on_changes(&answer, &self.replica).unwrap()
        };
        loop {
            next = match next {
                PullNext::BulkGet { body, .. } => {
                    let answer = server.bulk_get(&body);
                    let texts = self.texts.clone();
                    let lookup = |article: &ArticleId| texts.get(article).copied();
                    // Checked a document per step, as the browser checks a large answer between
                    // yields: the same documents, order and rejections as in one go.
                    let mut whole = pull.clone();
                    let expected = whole.on_bulk_get(&answer, &lookup).unwrap();
                    let mut check = pull.start_bulk_get(&answer).unwrap();
                    while !check.is_done() {
                        check.step_while(&lookup, &mut |done| done < 1);
                    }
                    let next = pull.on_checked(check).unwrap();
                    assert_eq!(next, expected, "checked in steps as in one go");
                    assert_eq!(pull.skipped, whole.skipped);
                    next
                }
                PullNext::Store(docs) => {
                    ahead = Some(pull.next_changes_path());
                    let mut written = 0;
                    for (index, valid) in docs.iter().enumerate() {
                        if crash == (Crash::MidStore { batch, after_docs: index }) {
                            self.skipped.extend(pull.skipped.clone());
                            return false;
                        }
                        if self.replica.put_replicated(&valid.doc).unwrap() == Merged::NewRevision {
                            self.applied.push((valid.doc.id.clone(), valid.doc.rev().unwrap().to_string()));
                            written += 1;
                        }
                        if let Some(text) =
                            valid.doc.body.get("data").and_then(|data| data.get("text")).and_then(Value::as_str)
                        {
                            self.texts.insert(ArticleId::for_text(text), text.chars().count());
                        }
                        if valid.waiting_for_article.is_some() {
                            self.waiting_for_article.push(valid.doc.id.clone());
                        }
                    }
                    pull.on_stored(written).unwrap()
                }
                PullNext::SaveCheckpoint(checkpoint) => {
                    self.save_checkpoint(server, &checkpoint);
                    batch += 1;
                    pull.on_checkpointed(checkpoint).unwrap()
                }
                PullNext::FetchChanges => {
                    // What the browser sends ahead while it stores a batch is this very request.
                    if let Some(ahead) = ahead.take() {
                        assert_eq!(ahead, Some(pull.changes_path(None)), "the request sent ahead is the next one");
                    }
                    let answer = server.changes(pull.since(), batch_size);
                    pull.on_changes(&answer, &self.replica).unwrap()
                }
                PullNext::CaughtUp => {
                    if let Some(ahead) = ahead.take() {
                        assert_eq!(ahead, None, "nothing is sent ahead of the last page");
                    }
                    self.skipped.extend(pull.skipped.clone());
                    return true;
                }
            }
        }
    }

    /// Pushes until caught up or the crash point; returns the refusals.
    pub fn push(&mut self, server: &mut FakeCouch, batch_size: usize, crash: Crash) -> Option<Vec<Rejection>> {
        let session = self.session();
        let (id, local, remote) = self.checkpoints_for(server, Direction::Push);
        let mut push = Push::new(&id, &session, local.as_ref(), remote.as_ref(), batch_size);
        let mut batch = 0;
        loop {
            let mut next = push.next_batch(&self.replica).unwrap();
            loop {
                next = match next {
                    PushNext::RevsDiff { body, .. } => {
                        push.on_revs_diff(&server.revs_diff(&body), &self.replica).unwrap()
                    }
                    PushNext::BulkDocs { body, .. } => {
                        let answer = server.bulk_docs(&body);
                        if crash == (Crash::AfterBulkDocs { batch }) {
                            return None;
                        }
                        push.on_bulk_docs(&answer).unwrap()
                    }
                    PushNext::SaveCheckpoint(checkpoint) => {
                        self.save_checkpoint(server, &checkpoint);
                        push.on_checkpointed(checkpoint).unwrap();
                        batch += 1;
                        break;
                    }
                    PushNext::CaughtUp => return Some(push.refused.clone()),
                };
            }
        }
    }

    pub fn push_since(&self, server: &FakeCouch) -> u64 {
        let (_, local, remote) = self.checkpoints_for(server, Direction::Push);
        crosscheck::formats::sync::checkpoint::start_seq(local.as_ref(), remote.as_ref()).as_u64().unwrap_or(0)
    }

    pub fn sync(&mut self, server: &mut FakeCouch) {
        assert!(self.push(server, 7, Crash::Never).is_some());
        assert!(self.pull(server, 7, Crash::Never));
    }
}

/// Each document's leaves and winning body.
pub type ReplicaState = BTreeMap<String, (Vec<(Rev, bool)>, Option<Value>)>;

/// The trees and live leaf bodies of a replica, for comparing peers.
pub fn state(replica: &Replica) -> ReplicaState {
    replica
        .docs
        .iter()
        .map(|(id, record)| {
            let winner_body = record.winner().and_then(|(_, _, body)| body.cloned()).map(Value::Object);
            (id.clone(), (record.tree.leaves(), winner_body))
        })
        .collect()
}

/// A span document's `data`.
pub fn span_data(article: &ArticleId, start: usize, end: usize, label: &str) -> Value {
    json!({"article": article, "start": start, "end": end, "label": label})
}

pub const TEXT: &str = "The UN resolution is non-binding, said one envoy. About 1 million people are in Rafah.";
