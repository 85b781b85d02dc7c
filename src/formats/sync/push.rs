//! Pushing: this browser's changes to the server, one batch at a time, as a state machine the
//! transport drives.
//!
//! [`Push::next_batch`] reads the local changes feed after the push checkpoint (only shared
//! documents) and gives the `_revs_diff` body; [`Push::on_revs_diff`] turns the server's answer
//! into a `_bulk_docs` body with `new_edits: false` — each missing leaf with its `_revisions`, so
//! the server grafts it onto its tree and a concurrent edit becomes a conflict there, never an
//! overwrite; [`Push::on_bulk_docs`] records refusals; then the checkpoint (a local sequence)
//! is written on both sides and [`Push::on_checkpointed`] moves on. An interrupted batch is sent
//! again from the old checkpoint; the server's `_revs_diff` drops what it already has.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::formats::sync::checkpoint::{start_seq, Checkpoint};
use crate::formats::sync::mapping::replicates;
use crate::formats::sync::pull::SyncError;
use crate::formats::sync::replica::Replica;
use crate::formats::sync::revision::Rev;
use crate::formats::sync::validate::Rejection;
use crate::formats::sync::wire;

/// What the transport does next.
#[derive(Clone, Debug, PartialEq)]
pub enum PushNext {
    /// `POST {db}/_revs_diff` with `body`; the answer goes to [`Push::on_revs_diff`].
    RevsDiff { path: &'static str, body: Value },
    /// `POST {db}/_bulk_docs` with `body`; the answer goes to [`Push::on_bulk_docs`].
    BulkDocs { path: &'static str, body: Value },
    /// Write this checkpoint on both sides, then call [`Push::on_checkpointed`].
    SaveCheckpoint(Checkpoint),
    /// Nothing left to send.
    CaughtUp,
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    Ready,
    RevsDiff { asked: BTreeMap<String, Vec<Rev>>, last_seq: u64 },
    BulkDocs { last_seq: u64 },
    Checkpoint,
}

/// One push session.
#[derive(Clone, Debug)]
pub struct Push {
    checkpoint_id: String,
    session_id: String,
    since: u64,
    batch_size: usize,
    last_checkpoint: Option<Checkpoint>,
    state: State,
    pub docs_written: u64,
    /// Revisions the server refused (not a member, a validation function), for the person.
    /// They stay here, unchanged.
    pub refused: Vec<Rejection>,
}

impl Push {
    pub fn new(
        checkpoint_id: &str,
        session_id: &str,
        local: Option<&Checkpoint>,
        remote: Option<&Checkpoint>,
        batch_size: usize,
    ) -> Push {
        Push {
            checkpoint_id: checkpoint_id.to_string(),
            session_id: session_id.to_string(),
            since: start_seq(local, remote).as_u64().unwrap_or(0),
            batch_size: batch_size.max(1),
            last_checkpoint: local.cloned(),
            state: State::Ready,
            docs_written: 0,
            refused: Vec::new(),
        }
    }

    /// The local sequence pushed so far (for "3 edits waiting": `Replica::edits_waiting`).
    pub fn since(&self) -> u64 {
        self.since
    }

    /// The next batch of local changes, or caught up.
    pub fn next_batch(&mut self, replica: &Replica) -> Result<PushNext, SyncError> {
        if self.state != State::Ready {
            return Err(SyncError::OutOfOrder("next_batch"));
        }
        let changes = replica.changes_since(self.since, self.batch_size);
        let Some(last_seq) = changes.last().map(|change| change.seq) else { return Ok(PushNext::CaughtUp) };
        let asked: BTreeMap<String, Vec<Rev>> = changes
            .into_iter()
            .filter(|change| replicates(&change.id))
            .map(|change| (change.id, change.leaves))
            .collect();
        if asked.is_empty() {
            return Ok(self.checkpoint(last_seq));
        }
        let body = wire::revs_diff_body(&asked);
        self.state = State::RevsDiff { asked, last_seq };
        Ok(PushNext::RevsDiff { path: wire::REVS_DIFF_PATH, body })
    }

    /// What the server lacks, sent with full histories.
    pub fn on_revs_diff(&mut self, answer: &Value, replica: &Replica) -> Result<PushNext, SyncError> {
        let State::RevsDiff { asked, last_seq } = &self.state else {
            return Err(SyncError::OutOfOrder("on_revs_diff"));
        };
        let last_seq = *last_seq;
        let missing = wire::parse_revs_diff(answer, asked)?;
        let docs: Vec<_> =
            missing.iter().flat_map(|(id, revs)| revs.iter().filter_map(|rev| replica.revision(id, rev))).collect();
        if docs.is_empty() {
            return Ok(self.checkpoint(last_seq));
        }
        self.docs_written += docs.len() as u64;
        self.state = State::BulkDocs { last_seq };
        Ok(PushNext::BulkDocs { path: wire::BULK_DOCS_PATH, body: wire::bulk_docs_body(&docs) })
    }

    /// The server's answer to `_bulk_docs`: refusals are kept for the report.
    pub fn on_bulk_docs(&mut self, answer: &Value) -> Result<PushNext, SyncError> {
        let State::BulkDocs { last_seq } = self.state else { return Err(SyncError::OutOfOrder("on_bulk_docs")) };
        let refused = wire::parse_bulk_docs(answer)?;
        self.docs_written -= (refused.len() as u64).min(self.docs_written);
        self.refused.extend(refused);
        Ok(self.checkpoint(last_seq))
    }

    fn checkpoint(&mut self, last_seq: u64) -> PushNext {
        self.state = State::Checkpoint;
        PushNext::SaveCheckpoint(Checkpoint::next(
            self.last_checkpoint.as_ref(),
            &self.checkpoint_id,
            &self.session_id,
            json!(last_seq),
        ))
    }

    /// The checkpoint is written on both sides: ready for [`Push::next_batch`].
    pub fn on_checkpointed(&mut self, checkpoint: Checkpoint) -> Result<(), SyncError> {
        if self.state != State::Checkpoint {
            return Err(SyncError::OutOfOrder("on_checkpointed"));
        }
        self.since = checkpoint.last_seq.as_u64().unwrap_or(self.since);
        self.last_checkpoint = Some(checkpoint);
        self.state = State::Ready;
        Ok(())
    }
}
