//! Replication ids and checkpoints: where a replication resumes, kept as a `_local` document
//! on both sides (never replicated), in PouchDB's checkpoint shape.
//!
//! A checkpoint is `{"_id": "_local/<replication id>", "last_seq", "session_id", "history":
//! [{"last_seq", "session_id"}…], "replicator", "version": 1}`. The replication id is
//! `crosscheck-` and 32 hex digits of SHA-256 over this browser's client id (random, made once
//! per store), the database URL without credentials and the direction, so pull and push keep
//! separate checkpoints and a password never enters an id. At start the two copies are compared
//! as PouchDB's `compareReplicationLogs` does: the same session → its `last_seq`; otherwise the
//! newest session both histories share; otherwise from the beginning (safe: `_revs_diff` then
//! skips everything already here). A checkpoint is written only after the batch it covers is
//! stored, so an interrupted batch is fetched again and nothing is lost.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Sessions remembered in a checkpoint's history (PouchDB keeps five).
pub const HISTORY_LENGTH: usize = 5;
pub const REPLICATOR: &str = "crosscheck";

/// The two directions, each with its own checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Server to this browser: the sequence is the server's.
    Pull,
    /// This browser to the server: the sequence is this browser's.
    Push,
}

/// The database URL as an identity: no credentials, no query, no trailing slash.
pub fn redact_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(authority, path)| (authority, path));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let joined = if path.is_empty() { host.to_string() } else { format!("{host}/{path}") };
    let joined = joined.trim_end_matches('/');
    if scheme.is_empty() {
        joined.to_string()
    } else {
        format!("{}://{joined}", scheme.to_ascii_lowercase())
    }
}

/// The server's root for a database URL (`http://h/couch/rafah-desk` → `http://h/couch`):
/// where `_session` is.
pub fn server_root(database_url: &str) -> String {
    let trimmed = database_url.trim().split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    let path_start = trimmed.find("://").map_or(0, |at| at + 3);
    match trimmed[path_start..].rfind('/') {
        Some(at) => trimmed[..path_start + at].to_string(),
        None => trimmed.to_string(),
    }
}

/// The `_local` document id of a replication's checkpoint.
pub fn checkpoint_id(client_id: &str, database_url: &str, direction: Direction) -> String {
    let mut hasher = Sha256::new();
    for part in [client_id, &redact_url(database_url), if direction == Direction::Pull { "pull" } else { "push" }] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let hex: String = hasher.finalize().iter().take(16).map(|byte| format!("{byte:02x}")).collect();
    format!("_local/crosscheck-{hex}")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub last_seq: Value,
    pub session_id: String,
}

/// A checkpoint document (without `_rev`: each side has its own, see [`Checkpoint::put_body`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    #[serde(rename = "_id")]
    pub id: String,
    pub last_seq: Value,
    pub session_id: String,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub replicator: String,
    #[serde(default)]
    pub version: u32,
}

impl Checkpoint {
    /// Reads a checkpoint fetched from either side (`None` for a 404 or anything malformed:
    /// the replication then starts over, which is safe).
    pub fn read(value: &Value) -> Option<(Checkpoint, Option<String>)> {
        let checkpoint: Checkpoint = serde_json::from_value(value.clone()).ok()?;
        let rev = value.get("_rev").and_then(Value::as_str).map(str::to_string);
        Some((checkpoint, rev))
    }

    /// The checkpoint after a session reached `last_seq`, keeping the previous sessions.
    pub fn next(previous: Option<&Checkpoint>, id: &str, session_id: &str, last_seq: Value) -> Checkpoint {
        let mut history = vec![HistoryEntry { last_seq: last_seq.clone(), session_id: session_id.to_string() }];
        for entry in previous.map(|previous| previous.history.as_slice()).unwrap_or_default() {
            if entry.session_id != session_id && history.len() < HISTORY_LENGTH {
                history.push(entry.clone());
            }
        }
        Checkpoint {
            id: id.to_string(),
            last_seq,
            session_id: session_id.to_string(),
            history,
            replicator: REPLICATOR.to_string(),
            version: 1,
        }
    }

    /// The body of `PUT {db}/{id}` on one side: that side's current `_rev` (CouchDB refuses
    /// an update of a `_local` document without it).
    pub fn put_body(&self, rev: Option<&str>) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or_else(|_| json!({}));
        if let (Some(rev), Some(object)) = (rev, value.as_object_mut()) {
            object.insert("_rev".to_string(), Value::from(rev));
        }
        value
    }
}

/// The `_rev` a successful `PUT` answered (`{"ok": true, "id", "rev"}`).
pub fn saved_rev(answer: &Value) -> Option<String> {
    answer.get("rev").and_then(Value::as_str).map(str::to_string)
}

/// Where to resume, from the checkpoint this browser kept and the one the server kept.
pub fn start_seq(local: Option<&Checkpoint>, remote: Option<&Checkpoint>) -> Value {
    let (Some(local), Some(remote)) = (local, remote) else { return json!(0) };
    if local.session_id == remote.session_id {
        return local.last_seq.clone();
    }
    for entry in &local.history {
        if remote.history.iter().any(|theirs| theirs.session_id == entry.session_id) {
            return entry.last_seq.clone();
        }
    }
    json!(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replication_id_never_contains_or_depends_on_the_password() {
        let with = checkpoint_id("client", "https://ann:secret@couch.example.org/rafah-desk/", Direction::Pull);
        let without = checkpoint_id("client", "https://couch.example.org/rafah-desk", Direction::Pull);
        assert_eq!(with, without);
        assert!(with.starts_with("_local/crosscheck-") && with.len() == "_local/crosscheck-".len() + 32);
        assert_ne!(with, checkpoint_id("client", "https://couch.example.org/rafah-desk", Direction::Push));
        assert_ne!(with, checkpoint_id("other", "https://couch.example.org/rafah-desk", Direction::Pull));
        assert_eq!(redact_url("HTTP://u:p@127.0.0.1:5984/db/?x=1"), "http://127.0.0.1:5984/db");
        assert_eq!(server_root("http://127.0.0.1:8080/couch/rafah-desk/"), "http://127.0.0.1:8080/couch");
        assert_eq!(server_root("https://couch.example.org/rafah"), "https://couch.example.org");
        assert_eq!(server_root("https://couch.example.org"), "https://couch.example.org");
    }

    #[test]
    fn resumption_uses_the_newest_common_session() {
        let id = "_local/x";
        let first = Checkpoint::next(None, id, "s1", json!(10));
        let second = Checkpoint::next(Some(&first), id, "s2", json!(20));
        // The server kept s2; this browser crashed before writing s2 and still has s1.
        assert_eq!(start_seq(Some(&second), Some(&second)), json!(20));
        assert_eq!(start_seq(Some(&first), Some(&second)), json!(10));
        assert_eq!(start_seq(Some(&second), Some(&first)), json!(10));
        let stranger = Checkpoint::next(None, id, "s9", json!(99));
        assert_eq!(start_seq(Some(&stranger), Some(&second)), json!(0));
        assert_eq!(start_seq(None, Some(&second)), json!(0));
    }

    #[test]
    fn history_is_bounded_and_put_bodies_carry_each_sides_rev() {
        let mut checkpoint = Checkpoint::next(None, "_local/x", "s0", json!(0));
        for session in 1..10 {
            checkpoint = Checkpoint::next(Some(&checkpoint), "_local/x", &format!("s{session}"), json!(session));
        }
        assert_eq!(checkpoint.history.len(), HISTORY_LENGTH);
        assert_eq!(checkpoint.history[0].session_id, "s9");
        let body = checkpoint.put_body(Some("0-3"));
        assert_eq!(body["_rev"], "0-3");
        assert_eq!(body["_id"], "_local/x");
        let (read, rev) = Checkpoint::read(&body).unwrap();
        assert_eq!((read, rev.as_deref()), (checkpoint, Some("0-3")));
        assert!(Checkpoint::read(&json!({"error": "not_found"})).is_none());
    }
}
