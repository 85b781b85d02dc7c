//! Pulling: the server's changes into this browser, one batch at a time, as a state machine the
//! transport drives.
//!
//! ```text
//!  FetchChanges ──on_changes──► BulkGet ──on_bulk_get──► Store ──on_stored──► SaveCheckpoint
//!       ▲            │ (nothing missing)                                            │
//!       │            └──────────────────────────────────────────────► SaveCheckpoint│
//!       └────────────────────────────── on_checkpointed ◄───────────────────────────┘
//!                                          └──► CaughtUp (then long-poll for more)
//! ```
//!
//! The transport `GET`s [`Pull::changes_path`], hands the answer to [`Pull::on_changes`] (which
//! asks the local [`Replica`] what it lacks — the target's `_revs_diff`, answered locally), posts
//! the `_bulk_get` body it returns, gives the answer to [`Pull::on_bulk_get`], stores every
//! [`Validated`] document (`Replica::put_replicated`, then into the project), calls
//! [`Pull::on_stored`], writes the checkpoint on both sides, and calls [`Pull::on_checkpointed`].
//! If anything fails on the way, the transport drops the `Pull` and later starts a new one from
//! the checkpoints: the batch is fetched again and `_revs_diff` skips what was already stored.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::Value;

use crate::domain::article::ArticleId;
use crate::formats::sync::checkpoint::{start_seq, Checkpoint};
use crate::formats::sync::mapping::DocKind;
use crate::formats::sync::replica::Replica;
use crate::formats::sync::revision::Rev;
use crate::formats::sync::validate::{check, Checked, Rejection, Validated};
use crate::formats::sync::wire::{self, WireError};

/// Why a replication step cannot go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncError {
    Wire(WireError),
    /// The transport called a step out of order (a bug in the transport).
    OutOfOrder(&'static str),
}

impl fmt::Display for SyncError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Wire(error) => error.fmt(formatter),
            SyncError::OutOfOrder(step) => write!(formatter, "replication step {step} came out of order"),
        }
    }
}

impl From<WireError> for SyncError {
    fn from(error: WireError) -> SyncError {
        SyncError::Wire(error)
    }
}

/// What the transport does next.
#[derive(Clone, Debug, PartialEq)]
pub enum PullNext {
    /// `POST {db}/{path}` with `body`; the answer goes to [`Pull::on_bulk_get`].
    BulkGet { path: &'static str, body: Value },
    /// Store these, in this order (texts and articles before spans before links), then call
    /// [`Pull::on_stored`].
    Store(Vec<Validated>),
    /// Write this checkpoint on both sides, then call [`Pull::on_checkpointed`].
    SaveCheckpoint(Checkpoint),
    /// `GET` [`Pull::changes_path`] again.
    FetchChanges,
    /// Everything the server had is here.
    CaughtUp,
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    Changes,
    BulkGet { last_seq: Value, full_page: bool },
    Store { last_seq: Value, full_page: bool },
    Checkpoint { full_page: bool },
    CaughtUp,
}

/// How far a pull is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PullProgress {
    /// Changes read this session.
    pub done: u64,
    /// Changes the server says remain after the last page.
    pub pending: Option<u64>,
    pub docs_written: u64,
}

/// One pull session.
#[derive(Clone, Debug)]
pub struct Pull {
    checkpoint_id: String,
    session_id: String,
    since: Value,
    batch_size: usize,
    last_checkpoint: Option<Checkpoint>,
    state: State,
    pub progress: PullProgress,
    /// Documents skipped (invalid, or the server could not give them), for the person.
    pub skipped: Vec<Rejection>,
}

impl Pull {
    /// A session resuming from the checkpoints this browser and the server kept.
    pub fn new(
        checkpoint_id: &str,
        session_id: &str,
        local: Option<&Checkpoint>,
        remote: Option<&Checkpoint>,
        batch_size: usize,
    ) -> Pull {
        Pull {
            checkpoint_id: checkpoint_id.to_string(),
            session_id: session_id.to_string(),
            since: start_seq(local, remote),
            batch_size: batch_size.max(1),
            last_checkpoint: local.cloned(),
            state: State::Changes,
            progress: PullProgress::default(),
            skipped: Vec::new(),
        }
    }

    /// The sequence the next changes request starts from.
    pub fn since(&self) -> &Value {
        &self.since
    }

    /// The changes request; long-poll once caught up to see others' edits as they happen.
    pub fn changes_path(&self, longpoll_ms: Option<u32>) -> String {
        wire::changes_path(&self.since, self.batch_size, longpoll_ms)
    }

    /// The changes request that follows the batch under way (fetched or being stored), when that
    /// batch is a full page (more to come): the transport may send it ahead, so the server reads
    /// the next page while this browser stores this one. `None` when the pull ends after it.
    pub fn next_changes_path(&self) -> Option<String> {
        match &self.state {
            State::BulkGet { last_seq, full_page: true } | State::Store { last_seq, full_page: true } => {
                Some(wire::changes_path(last_seq, self.batch_size, None))
            }
            _ => None,
        }
    }

    /// A page of the changes feed: what the replica lacks is fetched next.
    pub fn on_changes(&mut self, answer: &Value, replica: &Replica) -> Result<PullNext, SyncError> {
        if !matches!(self.state, State::Changes | State::CaughtUp) {
            return Err(SyncError::OutOfOrder("on_changes"));
        }
        let page = wire::parse_changes(answer)?;
        let raw_rows = answer.get("results").and_then(Value::as_array).map_or(0, Vec::len);
        self.skipped.extend(page.problems);
        if raw_rows == 0 {
            self.state = State::CaughtUp;
            return Ok(PullNext::CaughtUp);
        }
        self.progress.done += raw_rows as u64;
        self.progress.pending = page.pending;
        let full_page = raw_rows >= self.batch_size || page.pending.is_some_and(|pending| pending > 0);
        let mut asked: BTreeMap<String, Vec<Rev>> = BTreeMap::new();
        for row in page.rows {
            asked.entry(row.id).or_default().extend(row.revs);
        }
        let missing: BTreeMap<String, Vec<Rev>> = replica
            .revs_diff(&asked)
            .into_iter()
            .map(|(id, entry)| (id, entry.missing.iter().filter_map(|rev| Rev::parse(rev).ok()).collect::<Vec<_>>()))
            .filter(|(_, revs)| !revs.is_empty())
            .collect();
        if missing.is_empty() {
            return Ok(self.checkpoint(page.last_seq, full_page));
        }
        self.state = State::BulkGet { last_seq: page.last_seq, full_page };
        Ok(PullNext::BulkGet { path: wire::BULK_GET_PATH, body: wire::bulk_get_body(&missing) })
    }

    /// The fetched revisions, checked: texts first, so spans in the same batch find them.
    pub fn on_bulk_get(
        &mut self,
        answer: &Value,
        article_length: &dyn Fn(&ArticleId) -> Option<usize>,
    ) -> Result<PullNext, SyncError> {
        let mut check = self.start_bulk_get(answer)?;
        check.step_while(article_length, &mut |_| true);
        self.on_checked(check)
    }

    /// [`Pull::on_bulk_get`] a few documents at a time: the answer read, to be checked by
    /// [`BulkGetCheck::step_while`] between yields, then handed to [`Pull::on_checked`].
    pub fn start_bulk_get(&self, answer: &Value) -> Result<BulkGetCheck, SyncError> {
        let State::BulkGet { .. } = &self.state else {
            return Err(SyncError::OutOfOrder("start_bulk_get"));
        };
        let (docs, skipped) = wire::parse_bulk_get(answer)?;
        let (texts, others): (Vec<Value>, Vec<Value>) = docs.into_iter().partition(is_text);
        // Popped from the end: the texts first, then the rest, each in the answer's order.
        let docs = others.into_iter().rev().chain(texts.into_iter().rev()).collect();
        Ok(BulkGetCheck { docs, skipped, ..BulkGetCheck::default() })
    }

    /// The checked answer: the documents to store, in the order they apply.
    pub fn on_checked(&mut self, check: BulkGetCheck) -> Result<PullNext, SyncError> {
        let State::BulkGet { last_seq, full_page } = self.state.clone() else {
            return Err(SyncError::OutOfOrder("on_checked"));
        };
        if !check.is_done() {
            return Err(SyncError::OutOfOrder("on_checked before every document was checked"));
        }
        self.skipped.extend(check.skipped);
        let mut accepted = check.accepted;
        crate::domain::sorting::sort_by_key(&mut accepted, |valid| {
            (valid.kind.apply_rank(), valid.kind == DocKind::Span && valid.waiting_for_article.is_some())
        });
        self.state = State::Store { last_seq, full_page };
        Ok(PullNext::Store(accepted))
    }

    /// The transport stored the batch: its checkpoint may be written.
    pub fn on_stored(&mut self, written: usize) -> Result<PullNext, SyncError> {
        let State::Store { last_seq, full_page } = self.state.clone() else {
            return Err(SyncError::OutOfOrder("on_stored"));
        };
        self.progress.docs_written += written as u64;
        Ok(self.checkpoint(last_seq, full_page))
    }

    fn checkpoint(&mut self, last_seq: Value, full_page: bool) -> PullNext {
        let checkpoint =
            Checkpoint::next(self.last_checkpoint.as_ref(), &self.checkpoint_id, &self.session_id, last_seq);
        self.state = State::Checkpoint { full_page };
        PullNext::SaveCheckpoint(checkpoint)
    }

    /// The checkpoint is written on both sides: the next batch, or caught up.
    pub fn on_checkpointed(&mut self, checkpoint: Checkpoint) -> Result<PullNext, SyncError> {
        let State::Checkpoint { full_page } = self.state else { return Err(SyncError::OutOfOrder("on_checkpointed")) };
        self.since = checkpoint.last_seq.clone();
        self.last_checkpoint = Some(checkpoint);
        if full_page {
            self.state = State::Changes;
            Ok(PullNext::FetchChanges)
        } else {
            self.state = State::CaughtUp;
            Ok(PullNext::CaughtUp)
        }
    }
}

/// How many changes a pull from `since` will read, from the database's information (`GET
/// {db}`), for "Syncing N of M" where the server sends no `pending` (pouchdb-server): from the
/// start, one change per document, live or deleted (`doc_count + doc_del_count`); from a
/// numeric sequence, at most the sequences since (`update_seq - since`). `None` when it cannot
/// tell (CouchDB's opaque sequences, which come with `pending` anyway).
pub fn expected_changes(info: &Value, since: &Value) -> Option<u64> {
    let number = |value: &Value| value.as_u64().or_else(|| value.as_str()?.parse::<u64>().ok());
    let from = number(since)?;
    if from == 0 {
        let count = |key: &str| info.get(key).and_then(Value::as_u64);
        return Some(count("doc_count")? + count("doc_del_count").unwrap_or(0));
    }
    number(info.get("update_seq")?)?.checked_sub(from)
}

fn is_text(doc: &Value) -> bool {
    doc.get("_id").and_then(Value::as_str).is_some_and(|id| id.starts_with(crate::formats::sync::mapping::TEXT_PREFIX))
}

/// A `_bulk_get` answer being checked a few documents at a time, so a page of article texts
/// (6 MB for the 200 texts of the large pull, each copied and measured) never holds the
/// browser's thread in one task: the texts first (a span of the batch may name an article
/// whose text is in it), then the rest.
#[derive(Debug, Default)]
pub struct BulkGetCheck {
    /// Still to check, the next last.
    docs: Vec<Value>,
    /// The length in code points of each text of the batch checked so far.
    batch_texts: HashMap<ArticleId, usize>,
    accepted: Vec<Validated>,
    skipped: Vec<Rejection>,
}

impl BulkGetCheck {
    pub fn is_done(&self) -> bool {
        self.docs.is_empty()
    }

    /// Checks documents while `go_on(documents checked so far)` says so.
    pub fn step_while(
        &mut self,
        article_length: &dyn Fn(&ArticleId) -> Option<usize>,
        go_on: &mut dyn FnMut(usize) -> bool,
    ) {
        let mut done = 0;
        while go_on(done) {
            let Some(doc) = self.docs.pop() else { break };
            done += 1;
            let checked = if is_text(&doc) {
                check(&doc, &|_: &ArticleId| None)
            } else {
                let batch_texts = &self.batch_texts;
                check(&doc, &|article: &ArticleId| {
                    batch_texts.get(article).copied().or_else(|| article_length(article))
                })
            };
            match checked {
                Checked::Accepted(valid) => {
                    if valid.kind == DocKind::Text {
                        // Read in place: a `TextBody` copy of each text only to count it cost a
                        // second copy of the page's 6 MB.
                        if let Some(text) =
                            valid.doc.body.get("data").and_then(|data| data.get("text")).and_then(Value::as_str)
                        {
                            let article = valid.doc.id.trim_start_matches(crate::formats::sync::mapping::TEXT_PREFIX);
                            self.batch_texts.insert(ArticleId::from(article), text.chars().count());
                        }
                    }
                    self.accepted.push(valid);
                }
                Checked::Ignored { .. } => {}
                Checked::Rejected(rejection) => self.skipped.push(rejection),
            }
        }
    }
}

#[cfg(test)]
mod expected_tests {
    use super::expected_changes;
    use serde_json::json;

    #[test]
    fn the_changes_to_read_come_from_the_document_counts_or_the_sequences() {
        let info = json!({"doc_count": 24353, "doc_del_count": 7, "update_seq": 24400});
        assert_eq!(expected_changes(&info, &json!(0)), Some(24360), "from the start: every document once");
        assert_eq!(expected_changes(&info, &json!("0")), Some(24360));
        assert_eq!(expected_changes(&info, &json!(24000)), Some(400), "resumed: the sequences since");
        assert_eq!(expected_changes(&json!({"update_seq": 5}), &json!(9)), None, "never negative");
        let couch = json!({"doc_count": 10, "update_seq": "12-g1AAAA"});
        assert_eq!(expected_changes(&couch, &json!("11-g1AAAA")), None, "opaque sequences: unknown");
        assert_eq!(expected_changes(&json!({}), &json!(0)), None);
    }
}
