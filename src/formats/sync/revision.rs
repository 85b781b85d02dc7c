//! CouchDB revisions: `N-hash` ids, revision histories (`_revisions: {start, ids}`), and the
//! revision a new local write gets.
//!
//! A revision is a generation `N` (a positive integer: one more than its parent's) and an opaque
//! suffix. CouchDB and PouchDB accept any suffix that is unique per document; ours is the first
//! 128 bits of SHA-256, in lower-case hex, over `parent rev` NUL `_id` NUL `deleted` (`0`/`1`)
//! NUL the body as canonical JSON (object keys sorted, as `serde_json::Map` keeps them). So the
//! same edit of the same parent gives the same revision in every browser (no spurious
//! conflict), and any difference gives another. The storage layer's own revisions
//! (`formats::stored::docs::Doc::to_json_with_rev`, 64-bit suffixes) are equally valid: a
//! suffix is never interpreted, only compared.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The longest revision suffix accepted from a peer (CouchDB's are 32 hex digits).
pub const MAX_HASH_LENGTH: usize = 64;
/// The longest revision history accepted from a peer or kept (CouchDB's default `_revs_limit`).
pub const REVS_LIMIT: usize = 1000;

/// One revision: generation and suffix. Ordered as CouchDB orders leaves for its winner:
/// generation first (as a number), then the suffix as a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rev {
    pub pos: u64,
    pub hash: String,
}

/// Why a revision or history is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevError(pub String);

impl fmt::Display for RevError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

fn valid_hash(hash: &str) -> bool {
    !hash.is_empty() && hash.len() <= MAX_HASH_LENGTH && hash.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

impl Rev {
    pub fn new(pos: u64, hash: &str) -> Result<Rev, RevError> {
        if pos == 0 {
            return Err(RevError("a revision's generation starts at 1".to_string()));
        }
        if !valid_hash(hash) {
            return Err(RevError(format!("revision suffix {hash:?} is not 1 to {MAX_HASH_LENGTH} letters and digits")));
        }
        Ok(Rev { pos, hash: hash.to_string() })
    }

    /// Parses `N-hash`.
    pub fn parse(text: &str) -> Result<Rev, RevError> {
        let (pos, hash) = text.split_once('-').ok_or_else(|| RevError(format!("revision {text:?} is not N-hash")))?;
        let pos: u64 = pos.parse().map_err(|_| RevError(format!("revision {text:?} has no generation number")))?;
        Rev::new(pos, hash)
    }

    /// The revision of a new write of `body` (deleted or not) on `parent` (`None`: a new
    /// document). See the module documentation for the hash input.
    pub fn next(parent: Option<&Rev>, id: &str, body: &Map<String, Value>, deleted: bool) -> Rev {
        let mut hasher = Sha256::new();
        hasher.update(parent.map(Rev::to_string).unwrap_or_default().as_bytes());
        hasher.update([0]);
        hasher.update(id.as_bytes());
        hasher.update([0, if deleted { b'1' } else { b'0' }, 0]);
        hasher.update(serde_json::to_string(body).unwrap_or_default().as_bytes());
        let hash: String = hasher.finalize().iter().take(16).map(|byte| format!("{byte:02x}")).collect();
        Rev { pos: parent.map_or(1, |parent| parent.pos + 1), hash }
    }

    /// Orders leaves the way CouchDB picks its winner: live before deleted, then this order.
    pub fn winner_order(a: (&Rev, bool), b: (&Rev, bool)) -> Ordering {
        (!a.1, a.0).cmp(&(!b.1, b.0))
    }
}

impl fmt::Display for Rev {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}-{}", self.pos, self.hash)
    }
}

impl Serialize for Rev {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rev {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rev, D::Error> {
        let text = String::deserialize(deserializer)?;
        Rev::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A revision history as CouchDB sends it with `revs=true`: `start` is the newest revision's
/// generation, `ids` the suffixes newest first, each the parent of the one before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevPath {
    pub start: u64,
    pub ids: Vec<String>,
}

impl RevPath {
    /// A history of one revision (a peer that sent no `_revisions`).
    pub fn single(rev: &Rev) -> RevPath {
        RevPath { start: rev.pos, ids: vec![rev.hash.clone()] }
    }

    /// Checks the history is one CouchDB could have written: non-empty, no longer than
    /// [`REVS_LIMIT`], generations staying at 1 or above, every suffix valid and distinct.
    pub fn validate(&self) -> Result<(), RevError> {
        if self.ids.is_empty() {
            return Err(RevError("the revision history is empty".to_string()));
        }
        if self.ids.len() > REVS_LIMIT {
            return Err(RevError(format!("the revision history is longer than {REVS_LIMIT}")));
        }
        if (self.ids.len() as u64) > self.start {
            return Err(RevError("the revision history goes below generation 1".to_string()));
        }
        if let Some(bad) = self.ids.iter().find(|hash| !valid_hash(hash)) {
            return Err(RevError(format!("revision suffix {bad:?} is not letters and digits")));
        }
        let distinct: std::collections::BTreeSet<&String> = self.ids.iter().collect();
        if distinct.len() != self.ids.len() {
            return Err(RevError("the revision history repeats a revision".to_string()));
        }
        Ok(())
    }

    /// The newest revision.
    pub fn leaf(&self) -> Option<Rev> {
        self.ids.first().map(|hash| Rev { pos: self.start, hash: hash.clone() })
    }

    /// The revisions, newest first.
    pub fn revs(&self) -> impl Iterator<Item = Rev> + '_ {
        self.ids.iter().enumerate().map(move |(index, hash)| Rev { pos: self.start - index as u64, hash: hash.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_parse_print_and_reject_garbage() {
        let rev = Rev::parse("12-967a00dff5e02add41819138abb3284d").unwrap();
        assert_eq!((rev.pos, rev.to_string().as_str()), (12, "12-967a00dff5e02add41819138abb3284d"));
        for bad in ["", "1", "-abc", "0-abc", "x-abc", "1-", "1-a b", "1-<script>", &format!("1-{}", "a".repeat(65))] {
            assert!(Rev::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn generation_ten_sorts_after_generation_nine() {
        let nine = Rev::parse("9-f").unwrap();
        let ten = Rev::parse("10-a").unwrap();
        assert!(ten > nine, "numeric generation, not string order");
    }

    #[test]
    fn new_revisions_follow_their_parent_and_depend_on_every_input() {
        let body: Map<String, Value> = serde_json::from_str(r#"{"a":1}"#).unwrap();
        let first = Rev::next(None, "span:x", &body, false);
        assert_eq!((first.pos, first.hash.len()), (1, 32));
        let second = Rev::next(Some(&first), "span:x", &body, false);
        assert_eq!(second.pos, 2);
        assert_eq!(Rev::next(Some(&first), "span:x", &body, false), second, "deterministic");
        assert_ne!(Rev::next(Some(&first), "span:x", &body, true), second);
        assert_ne!(Rev::next(Some(&first), "span:y", &body, false), second);
        assert_ne!(Rev::next(Some(&first), "span:x", &Map::new(), false), second);
    }

    #[test]
    fn histories_must_be_possible() {
        let ok = RevPath { start: 3, ids: vec!["c".into(), "b".into(), "a".into()] };
        assert!(ok.validate().is_ok());
        assert_eq!(ok.revs().map(|rev| rev.to_string()).collect::<Vec<_>>(), ["3-c", "2-b", "1-a"]);
        assert!(RevPath { start: 2, ids: vec!["c".into(), "b".into(), "a".into()] }.validate().is_err());
        assert!(RevPath { start: 2, ids: vec![] }.validate().is_err());
        assert!(RevPath { start: 5, ids: vec!["c".into(), "c".into()] }.validate().is_err());
    }
}
