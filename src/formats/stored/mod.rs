//! The stored shapes of a project: what is in users' browsers (`crosscheck.project.v1`) and in
//! project exports, as types of their own, separate from the domain.
//!
//! Every field name and tag a stored or exported document has is spelled here, once, and frozen:
//! renaming a domain type or variant cannot change what users hold, because the domain reaches
//! the document only through the `From` conversions of these types. A change to a shape here is a
//! change of the stored format, which the frozen v1 fixture (`tests/stored_v1.rs`) catches.
//!
//! The types borrow (`Cow`) when written, so saving 10,000 spans copies no text; read back they
//! own their data, and the conversions move it into the domain.
//!
//! Storage schema version 2 keeps the project as one JSON document per item, shaped for
//! replication. Every span, relation, article (metadata only: texts live in IndexedDB), label
//! schema, link-type schema, the settings, every rejected suggestion and the article order is its
//! own document under its own `localStorage` key (`cc2/` + its `_id`). A document has CouchDB's
//! shape: `_id` (type-prefixed: `span:…`, `rel:…`, `art:…`, `rej:…`), `_rev` (`N-hash`, changing
//! on every write), `_deleted` for a tombstone (a deletion is a document, not a missing key), the
//! author and modification time, and the item itself. What belongs to this browser only — the
//! undo and redo history in bounded chunks, the view position, the manifest, the write journal,
//! a new article's text until IndexedDB has it —
//! sits under `_local/` ids, which CouchDB never replicates.
//!
//! - [`docs`]: the version-2 document types and their ids;
//! - [`save`]: what a change writes (only the documents that differ from the last save);
//! - [`journal`]: the key-value seam, and the journal that makes every prefix of a save loadable;
//! - [`packs`]: many replicated documents in one item, written by a compaction, read as documents;
//! - [`held_texts`]: new article texts held in `localStorage` until IndexedDB has them;
//! - [`load`]: documents back into a project, one bad document at a time;
//! - [`migrate`]: a v1 (or v0) project document into version 2;
//! - [`incoming`]: one document another tab wrote, as an item to merge;
//! - [`delivery`]: a delivery of such documents merged pass after pass, waiting items kept.

pub mod delivery;
pub mod docs;
pub mod held_texts;
mod history;
pub mod incoming;
pub mod journal;
mod json_fields;
pub mod load;
pub mod migrate;
pub mod packs;
mod position;
mod project;
pub mod recovery;
pub mod save;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Bound;

pub use history::{StoredArticleDetails, StoredArticleDetailsChange, StoredEdit, StoredHistory, StoredStep};
pub use position::{StoredUiPosition, StoredView};
pub use project::{
    StoredArticle, StoredArticleMetadata, StoredAttribute, StoredAttributeKind, StoredLabel, StoredProject,
    StoredRelation, StoredRelationType, StoredSettings, StoredSpan, StoredTakeOver,
};

/// Every version-2 key starts with this; the rest is the document's `_id`.
pub const KEY_PREFIX: &str = "cc2/";
/// The IndexedDB database that holds the article texts (`web::idb`), and its object store of
/// texts by article id. `js/early_texts.js` repeats these and `KEY_PREFIX` (it runs before the
/// wasm; a test keeps them equal).
pub const TEXT_DATABASE: &str = "crosscheck";
pub const TEXT_STORE: &str = "texts";
/// The version-1 single document (kept, after migration, only until version 2 is verified).
pub const V1_KEY: &str = "crosscheck.project.v1";
/// The manifest's `format` and `schema_version`.
pub const STORE_FORMAT: &str = "crosscheck-store";
pub const STORE_SCHEMA_VERSION: u64 = 2;
/// Undo and redo steps kept per stack, and how many go in one chunk document.
pub const HISTORY_STEPS: usize = crate::formats::project_json::STORED_HISTORY_STEPS;
pub const HISTORY_CHUNK: usize = 1;

/// The `localStorage` key of a document.
pub fn key_for(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

/// The document id of a `localStorage` key, if the key is a version-2 document.
pub fn id_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX)
}

/// The id of the document another tab wrote under `key`, if this tab merges it: a version-2
/// document, neither local (`_local/`: the manifest, journal, undo history, view position) nor a
/// pack (`packs`: a compaction's copy of documents every tab already holds, never one to merge;
/// the store's lock keeps compactions away from open tabs, and this keeps a pack heard anyway, by
/// a tab that read its store before one, out of the merge).
pub fn other_tab_document(key: &str) -> Option<&str> {
    id_of_key(key).filter(|id| !id.starts_with("_local/") && !id.starts_with(packs::PACK_PREFIX))
}

/// The documents whose ids start with `prefix`, in id order: the range between `prefix` and the
/// first id after every id it starts, so that no id is compared on the way (`take_while` with
/// `starts_with` compared each of a load's 12,000 ids, ~6 ms of a new tab's first run of the
/// wasm).
pub fn prefixed<'a>(
    documents: &'a BTreeMap<String, String>,
    prefix: &str,
) -> std::collections::btree_map::Range<'a, String, String> {
    let end = after_prefix(prefix);
    let end = end.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
    documents.range::<str, _>((Bound::Included(prefix), end))
}

/// The least string greater than every string that starts with `prefix` (its last code point
/// that has a successor, made that successor), or `None` when there is none.
fn after_prefix(prefix: &str) -> Option<String> {
    let mut end: Vec<char> = prefix.chars().collect();
    while let Some(last) = end.pop() {
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(next) = next {
            end.push(next);
            return Some(end.into_iter().collect());
        }
    }
    None
}

/// Borrowed text for writing.
fn borrowed(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

#[cfg(test)]
mod tests;
