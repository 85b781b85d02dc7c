//! The key-value seam under the store, and the journal that makes a save all or nothing.
//!
//! A save of one document is one `setItem`, atomic in every browser. A save of several first
//! writes them all as one journal document (`_local/journal`, one `setItem`), then each document,
//! then removes the journal. A load applies a journal it finds over the documents (and the web
//! layer then finishes the journal's writes). So a stop after any write loads either the state
//! before the save (the journal was not written) or the state after it (it was).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::formats::stored::docs::JOURNAL_ID;
use crate::formats::stored::packs::{expand, PackStats};
use crate::formats::stored::{id_of_key, key_for, KEY_PREFIX};

/// Why a write failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's quota is full.
    QuotaExceeded,
    /// Storage refused for another reason (disabled, private mode, policy).
    Unavailable(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::QuotaExceeded => formatter.write_str("the browser's storage is full"),
            StoreError::Unavailable(why) => write!(formatter, "browser storage is unavailable ({why})"),
        }
    }
}

/// What the store needs of `localStorage` (the browser adapter) or of a map (tests).
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Every key (any prefix).
    fn keys(&self) -> Result<Vec<String>, StoreError>;
    /// Every `(key, value)` whose key starts with `prefix` (the browser adapter reads them all in
    /// one call).
    fn entries(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        entries_one_by_one(self, prefix)
    }
    /// Applies `writes` in order, without a journal (a migration's documents, whose store is not
    /// complete until its manifest is written last). The browser adapter writes them in one call.
    fn apply_all(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        writes.iter().try_for_each(|write| apply(self, write))
    }
    /// Whether the store holds every write exactly (a removal: no item), as a migration's
    /// read-back. The browser adapter compares them in one call.
    fn holds_all(&self, writes: &[Write]) -> bool {
        writes.iter().all(|write| self.get(&key_for(&write.id)).is_ok_and(|value| value == write.json))
    }
}

/// [`KeyValue::entries`] through `keys` and `get`, one item at a time.
pub fn entries_one_by_one<Store: KeyValue + ?Sized>(
    store: &Store,
    prefix: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut entries = Vec::new();
    for key in store.keys()? {
        if key.starts_with(prefix) {
            if let Some(value) = store.get(&key)? {
                entries.push((key, value));
            }
        }
    }
    Ok(entries)
}

/// A key-value store in memory, for native tests and the benchmark.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemoryStore {
    pub items: BTreeMap<String, String>,
    /// When `Some(n)`, the write numbered `n` (from 0) and every later one fail.
    pub fail_from_write: Option<usize>,
    pub writes: usize,
}

/// Counts a write and fails it on purpose from write number `fail_from` on (for crash tests).
pub fn count_write(writes: &mut usize, fail_from: Option<usize>) -> Result<(), StoreError> {
    let number = *writes;
    *writes += 1;
    match fail_from {
        Some(limit) if number >= limit => Err(StoreError::Unavailable("write failed on purpose".to_string())),
        _ => Ok(()),
    }
}

impl MemoryStore {
    fn count_write(&mut self) -> Result<(), StoreError> {
        count_write(&mut self.writes, self.fail_from_write)
    }
}

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.items.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.count_write()?;
        self.items.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.count_write()?;
        self.items.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.items.keys().cloned().collect())
    }
}

/// One document write: its JSON, or `None` to remove the key (only for `_local/` chunks that
/// fell out of the kept history; items are never removed, they become tombstones).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Write {
    pub id: String,
    pub json: Option<String>,
}

#[derive(Deserialize)]
struct Journal {
    writes: Vec<Write>,
}

/// [`Journal`] as written: borrowing the writes, not copying them.
#[derive(Serialize)]
struct JournalOf<'a> {
    writes: &'a [Write],
}

/// Writes `writes` so that a stop after any single write leaves a loadable store.
pub fn commit(store: &mut dyn KeyValue, writes: &[Write]) -> Result<(), StoreError> {
    match writes {
        [] => Ok(()),
        [only] => apply(store, only),
        _ => {
            store.set(&key_for(JOURNAL_ID), &journal_json(writes))?;
            for write in writes {
                apply(store, write)?;
            }
            store.remove(&key_for(JOURNAL_ID))
        }
    }
}

/// The journal document of a save of `writes` (see [`commit`]).
pub fn journal_json(writes: &[Write]) -> String {
    serde_json::to_string(&JournalOf { writes }).unwrap_or_default()
}

/// A chunked commit that stopped: how many writes (a prefix) are stored, and why the next
/// chunk failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkFailure {
    pub committed: usize,
    pub error: StoreError,
}

/// Commits `writes` in chunks of at most `size`, each a [`commit`] of its own: for writes in
/// dependency order (a merged delivery: an article before its spans, a span before its links)
/// every committed prefix loads as a consistent project, and the journal holds one chunk, not
/// the whole batch — a journal of a whole large pull needed twice its size in the quota.
pub fn commit_in_chunks(store: &mut dyn KeyValue, writes: &[Write], size: usize) -> Result<(), ChunkFailure> {
    let mut committed = 0;
    for chunk in writes.chunks(size.max(1)) {
        commit(store, chunk).map_err(|error| ChunkFailure { committed, error })?;
        committed += chunk.len();
    }
    Ok(())
}

fn apply<Store: KeyValue + ?Sized>(store: &mut Store, write: &Write) -> Result<(), StoreError> {
    match &write.json {
        Some(json) => store.set(&key_for(&write.id), json),
        None => store.remove(&key_for(&write.id)),
    }
}

/// Raw documents by id.
pub type Documents = BTreeMap<String, String>;

/// The raw version-2 documents by id, with a pending journal applied over them. Returns the
/// documents and the journal's writes if one was found (the caller finishes it with [`finish`]).
pub fn read_documents(store: &dyn KeyValue) -> Result<(Documents, Option<Vec<Write>>), StoreError> {
    read_documents_and_packs(store).map(|(documents, journal, _)| (documents, journal))
}

/// [`read_documents`], with what the read found about packs (`formats::stored::packs`): the
/// documents are those of the packs and the loose items together.
pub fn read_documents_and_packs(
    store: &dyn KeyValue,
) -> Result<(Documents, Option<Vec<Write>>, PackStats), StoreError> {
    // The map is built in one go from the items (12,000 inserts one by one compared strings
    // down the tree each time).
    let (mut documents, packs) = expand(stored_items(store)?);
    let journal = documents
        .remove(JOURNAL_ID)
        .and_then(|raw| serde_json::from_str::<Journal>(&raw).ok())
        .map(|journal| journal.writes);
    if let Some(writes) = &journal {
        overlay(&mut documents, writes);
    }
    Ok((documents, journal, packs))
}

/// Every version-2 item as stored, `(id, raw)`: packs and loose items as they are. The key loses
/// its prefix in place.
pub fn stored_items(store: &dyn KeyValue) -> Result<Vec<(String, String)>, StoreError> {
    Ok(store
        .entries(KEY_PREFIX)?
        .into_iter()
        .filter_map(|(mut key, raw)| {
            id_of_key(&key)?;
            key.drain(..KEY_PREFIX.len());
            Some((key, raw))
        })
        .collect())
}

/// Applies writes to a map of raw documents.
pub fn overlay(documents: &mut BTreeMap<String, String>, writes: &[Write]) {
    for write in writes {
        match &write.json {
            Some(json) => documents.insert(write.id.clone(), json.clone()),
            None => documents.remove(&write.id),
        };
    }
}

/// Completes a journal found at load: its writes, then its removal.
pub fn finish(store: &mut dyn KeyValue, writes: &[Write]) -> Result<(), StoreError> {
    for write in writes {
        apply(store, write)?;
    }
    store.remove(&key_for(JOURNAL_ID))
}

/// Many items as one string, `key NUL value NUL key NUL value NUL …`, each key `prefix` + its
/// own: the form `js/local_store.js` reads and writes, so that wasm and JavaScript exchange
/// 12,000 documents in one call instead of one per key and per value. `None` when a key or value
/// holds a NUL (JSON text and the store's ids never do; the caller then goes item by item).
pub fn join_items<'a>(prefix: &str, items: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Option<String> {
    let mut size = 0;
    for (key, value) in items.clone() {
        if key.contains('\0') || value.contains('\0') {
            return None;
        }
        size += prefix.len() + key.len() + value.len() + 2;
    }
    let mut joined = String::with_capacity(size);
    for (key, value) in items {
        joined.push_str(prefix);
        joined.push_str(key);
        joined.push('\0');
        joined.push_str(value);
        joined.push('\0');
    }
    Some(joined)
}

/// The items of a [`join_items`] string (or of `js/local_store.js`'s reads) as pairs; empty for
/// "". A trailing NUL is optional.
pub fn split_joined(joined: &str) -> Vec<(String, String)> {
    // A `str` is UTF-8 throughout: the split cannot refuse it.
    split_joined_bytes(joined.as_bytes()).unwrap_or_default()
}

/// [`split_joined`] over the UTF-8 bytes of such a text (what `js/local_store.js` hands over:
/// the packs' inflated bytes as they are, never a JavaScript string). `None` when a key or value
/// is not UTF-8 (a damaged pack): the caller reads the items as text instead.
pub fn split_joined_bytes(joined: &[u8]) -> Option<Vec<(String, String)>> {
    let mut rest = joined;
    let mut pairs = Vec::new();
    // A last key without its NUL is no pair.
    while let Some(key_end) = memchr::memchr(0, rest) {
        let (pair, after) = next_pair_of_bytes(rest, key_end)?;
        pairs.push(pair);
        rest = after;
    }
    Some(pairs)
}

/// The pair of `joined` whose key ends at the NUL at `key_end` (`None` when it is not UTF-8), and
/// what follows its value's NUL. Called per item, not inlined, so that V8 optimises it during a
/// load (ARCHITECTURE.md, "Long loops run as many calls").
#[inline(never)]
fn next_pair_of_bytes(joined: &[u8], key_end: usize) -> Option<((String, String), &[u8])> {
    let rest = &joined[key_end + 1..];
    let (value, rest) = match memchr::memchr(0, rest) {
        Some(value_end) => (&rest[..value_end], &rest[value_end + 1..]),
        None => (rest, &[][..]),
    };
    let (key, value) = (std::str::from_utf8(&joined[..key_end]).ok()?, std::str::from_utf8(value).ok()?);
    Some(((key.to_string(), value.to_string()), rest))
}
