//! The only module that touches `localStorage`: the version-2 store of `formats::stored` on the
//! browser's storage, with article texts in IndexedDB (`web::idb`).
//!
//! Reading never destroys anything: a document that does not parse or fit is copied to a backup
//! key, named, and left out; a store a newer build wrote is left alone and saving pauses. A
//! version-1 document is migrated at start-up and removed only after the version-2 copy has been
//! written, read back and compared equal. Writing reports a full quota as
//! [`StoreError::QuotaExceeded`] so the UI can say so and keep the project in memory.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;

use crate::domain::article::ArticleId;
use crate::domain::history::History;
use crate::domain::project::Project;
use crate::domain::state::UiPosition;
use crate::formats::stored::held_texts;
use crate::formats::stored::journal::{
    self, join_items, read_documents, read_documents_and_packs, split_joined, KeyValue, StoreError, Write,
};
use crate::formats::stored::load::{self, needed_texts, Loaded, Problem, Texts};
use crate::formats::stored::migrate::{read_v1, texts_of, WriteOut};
use crate::formats::stored::packs::{self, Run};
use crate::formats::stored::save::SavedState;
use crate::formats::stored::{docs::MANIFEST_ID, key_for, KEY_PREFIX, V1_KEY};
use crate::web::idb;
use crate::web::migration::{PendingMigration, Steps as MigrationSteps};
use crate::web::schedule;
use crate::web::split_module::{split_call, ModuleFuture, NotLoaded};
use crate::web::user_timing;

pub use crate::formats::stored::journal::StoreError as SaveError;

/// The version-1 key (read for migration only).
pub const PROJECT_KEY: &str = V1_KEY;
/// Prefix of backup copies of documents that could not be loaded.
pub const BACKUP_PREFIX: &str = "crosscheck.backup.";
/// Browsers give an origin about 5 MiB of `localStorage` (counted in UTF-16 code units).
pub const QUOTA_BYTES: usize = 5 * 1024 * 1024;

pub enum LoadOutcome {
    /// Nothing stored yet: start from the default corpus.
    Empty,
    Loaded {
        project: Project,
        position: UiPosition,
        history: History,
        /// What the store holds, for the autosave to write only what changes.
        saved: Box<SavedState>,
        /// Documents left out, each backed up under the key given.
        problems: Vec<(Problem, Option<String>)>,
        /// Something the user should know (a migration kept its backup, a text was missing).
        notice: Option<String>,
        /// Why saving must stay off, if it must.
        saving_paused: Option<String>,
        /// A migrated project whose version-2 copy is still to be written (the autosave writes
        /// it after the first paint, or at once before the first save).
        migration: Option<Box<PendingMigration>>,
    },
    /// The stored data could not be used; it is kept (under `backup_key` too).
    Unreadable { error: String, backup_key: Option<String>, raw: String },
    /// `localStorage` or IndexedDB is not available (private mode, disabled, sandboxed).
    Unavailable(String),
}

/// `localStorage` as the store's key-value seam. `fail_from_write` makes the write numbered `n`
/// (from 0) and every later one fail, for the crash-point browser tests.
pub struct LocalStore {
    storage: web_sys::Storage,
    pub fail_from_write: Option<usize>,
    pub writes: usize,
}

impl LocalStore {
    pub fn open() -> Result<LocalStore, String> {
        Ok(LocalStore { storage: local_storage()?, fail_from_write: None, writes: 0 })
    }

    fn count_write(&mut self) -> Result<(), StoreError> {
        journal::count_write(&mut self.writes, self.fail_from_write)
    }
}

fn store_error(error: &wasm_bindgen::JsValue) -> StoreError {
    if is_quota_error(error) {
        StoreError::QuotaExceeded
    } else {
        StoreError::Unavailable(describe_js_error(error))
    }
}

impl KeyValue for LocalStore {
    /// A pack as its text (`js/local_store.js` stores packs deflated).
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        if key.strip_prefix(KEY_PREFIX).is_some_and(|id| packs::pack_number(id).is_some()) {
            return plain_item(key).map_err(|error| store_error(&error));
        }
        self.storage.get_item(key).map_err(|error| store_error(&error))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.count_write()?;
        self.storage.set_item(key, value).map_err(|error| store_error(&error))
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.count_write()?;
        self.storage.remove_item(key).map_err(|error| store_error(&error))
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        every_key().map_err(|error| store_error(&error))
    }

    /// One call into JavaScript for every item, as the bytes of one text split here (a call per
    /// key and per value made a reload of 12,000 documents cross 24,000 times; a JavaScript
    /// string cost a new tab ~14 ms more to copy in than the packs' bytes).
    fn entries(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        let joined = read_prefixed(prefix).map_err(|error| store_error(&error))?;
        let Some(joined) = joined.dyn_ref::<js_sys::Uint8Array>() else {
            // A key or value holds a NUL: item by item.
            return journal::entries_one_by_one(self, prefix);
        };
        if let Some(pairs) = journal::split_joined_bytes(&joined.to_vec()) {
            return Ok(pairs);
        }
        // A pack's text is not UTF-8 (a damaged pack): the same items as text, that pack as stored.
        match last_read_as_text() {
            Some(joined) => Ok(split_joined(&joined)),
            None => journal::entries_one_by_one(self, prefix),
        }
    }

    /// The writes in one call into JavaScript (12,000 calls spent a third of a migration
    /// copying strings).
    fn apply_all(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        if let Some(joined) = joined_writes(self, writes) {
            self.writes += writes.len();
            return write_joined(&joined).map_err(|error| store_error(&error));
        }
        for write in writes {
            match &write.json {
                Some(json) => self.set(&key_for(&write.id), json)?,
                None => self.remove(&key_for(&write.id))?,
            }
        }
        Ok(())
    }

    /// Compared as text in one call into JavaScript (no string copied back into wasm).
    fn holds_all(&self, writes: &[Write]) -> bool {
        if let Some(joined) = joined_writes(self, writes) {
            return same_items(&joined).unwrap_or(false);
        }
        writes.iter().all(|write| self.get(&key_for(&write.id)).is_ok_and(|value| value == write.json))
    }
}

#[wasm_bindgen(module = "/js/local_store.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn read_prefixed(prefix: &str) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
    /// What `read_prefixed` last gave, as one text (see `js/local_store.js`).
    fn last_read_as_text() -> Option<String>;
    #[wasm_bindgen(catch)]
    fn write_joined(joined: &str) -> Result<(), wasm_bindgen::JsValue>;
    #[wasm_bindgen(catch)]
    fn plain_item(key: &str) -> Result<Option<String>, wasm_bindgen::JsValue>;
    /// A promise resolved once every stored pack is known as text (see `js/local_store.js`).
    fn packs_ready() -> js_sys::Promise;
    /// Drops the packs' texts `js/local_store.js` holds for the reads.
    fn forget_packs();
    /// Queues a compaction's run (`packs::Run`): `set` or remove-if-same.
    fn compaction_run(set: bool, joined: &str);
    /// A promise of how the queued runs ended: null, "shared", or what `localStorage` threw.
    fn compaction_end() -> js_sys::Promise;
    /// A promise of how this page holds the store's Web Lock: "exclusive", "shared" or "none".
    fn store_lock() -> js_sys::Promise;
    fn holds_exclusive_store_lock() -> bool;
    fn share_store_lock();
    #[wasm_bindgen(catch)]
    fn same_items(joined: &str) -> Result<bool, wasm_bindgen::JsValue>;
    #[wasm_bindgen(catch)]
    fn take_storage_events() -> Result<String, wasm_bindgen::JsValue>;
    #[wasm_bindgen(catch)]
    fn storage_keys() -> Result<js_sys::Array, wasm_bindgen::JsValue>;
    /// A promise of `{ texts: Map(article id → text), checked: [id] }` (or of null), or null: see
    /// `js/early_texts.js`.
    fn take_early_texts() -> Option<js_sys::Promise>;
}

/// Those of the texts `ids` that `js/early_texts.js` read from IndexedDB while the page loaded,
/// and the ids among them whose text it found to match its SHA-256 id.
async fn early_texts(read: js_sys::Promise, ids: &[ArticleId]) -> (HashMap<ArticleId, Rc<str>>, HashSet<ArticleId>) {
    let Ok(answer) = wasm_bindgen_futures::JsFuture::from(read).await else {
        return (HashMap::new(), HashSet::new());
    };
    let field = |name: &str| js_sys::Reflect::get(&answer, &wasm_bindgen::JsValue::from_str(name)).ok();
    let Some(found) = field("texts").and_then(|found| found.dyn_into::<js_sys::Map>().ok()) else {
        return (HashMap::new(), HashSet::new());
    };
    let texts: HashMap<ArticleId, Rc<str>> = ids
        .iter()
        .filter_map(|id| {
            Some((id.clone(), Rc::from(found.get(&wasm_bindgen::JsValue::from_str(id.as_str())).as_string()?)))
        })
        .collect();
    let checked = field("checked")
        .and_then(|checked| checked.dyn_into::<js_sys::Array>().ok())
        .map(|checked| {
            checked
                .iter()
                .filter_map(|id| id.as_string())
                .map(ArticleId::from)
                .filter(|id| texts.contains_key(id))
                .collect()
        })
        .unwrap_or_default();
    (texts, checked)
}

/// The store items another tab wrote between the read this page started from and now, as
/// `(key, value)` in the order they were written, and from now on none: the caller's own
/// `storage` listener takes over (call this right after adding it). Without it, a tab opened
/// while another one edits would miss those edits, show the older versions and could save over
/// them later.
pub fn take_missed_writes() -> Vec<(String, String)> {
    take_storage_events().map(|joined| split_joined(&joined)).unwrap_or_default()
}

/// Every key of `localStorage`, in one call into JavaScript (`js/local_store.js`: Firefox finds
/// `key(index)` by walking its table, so a loop of those over 12,000 items took ~210 ms there).
fn every_key() -> Result<Vec<String>, wasm_bindgen::JsValue> {
    Ok(storage_keys()?.iter().filter_map(|key| key.as_string()).collect())
}

pub fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("localStorage is disabled".to_string()),
        Err(error) => Err(format!("localStorage is blocked ({})", describe_js_error(&error))),
    }
}

fn describe_js_error(error: &wasm_bindgen::JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

fn is_quota_error(error: &wasm_bindgen::JsValue) -> bool {
    error.dyn_ref::<web_sys::DomException>().is_some_and(|exception| {
        exception.name() == "QuotaExceededError"
            || exception.name() == "NS_ERROR_DOM_QUOTA_REACHED"
            || exception.code() == 22
    })
}

/// Runs `read` with every stored pack readable as text, and then lets the texts go.
/// `js/local_store.js` stores packs deflated and inflates them asynchronously, before `read`
/// starts; a read outside this gives a pack it has not inflated as one the app cannot read. The
/// texts are the store's bulk: the JS heap holds them only while `read` runs.
pub async fn with_packs_as_text<T>(read: impl AsyncFnOnce() -> T) -> T {
    let _ = wasm_bindgen_futures::JsFuture::from(packs_ready()).await;
    let result = read().await;
    forget_packs();
    result
}

/// Reads the stored project: version 2, or a version-1 (or 0) document migrated to it. Recorded
/// as the User Timing measure `crosscheck:load-store` (`crosscheck:migrate` for a migration).
pub async fn load(now: i64) -> LoadOutcome {
    user_timing::start("crosscheck:load-store");
    let mut compaction_due = false;
    let outcome = load_inner(now, &mut compaction_due).await;
    user_timing::end("crosscheck:load-store");
    // A compaction only after a plain load (a migration's write-out reads its own items back).
    let plain = matches!(&outcome, LoadOutcome::Loaded { migration: None, saving_paused: None, .. });
    if compaction_due && plain {
        // Idle periods come after a frame; a hidden page has none, and gets the timeout.
        schedule::when_idle(COMPACTION_WAIT_MS, compact);
    } else {
        share_store_lock();
    }
    outcome
}

/// How long a due compaction waits for an idle moment after the first paint, at most (other tabs
/// opened meanwhile wait for it to end before they read the store).
const COMPACTION_WAIT_MS: u32 = 1_000;

/// Packs the loose documents (`formats::stored::packs`), if this page still holds the store's
/// lock exclusive, then shares it. The plan is a module of its own, fetched only by a page that
/// has something to pack. Every write stops at the first refusal (a full quota), and a loose
/// item written again meanwhile is kept: the store reads the same after any of them.
fn compact() {
    wasm_bindgen_futures::spawn_local(async {
        if holds_exclusive_store_lock() {
            user_timing::start("crosscheck:compact");
            if let Err(why) = compact_now().await {
                web_sys::console::warn_1(&format!("Crosscheck: the stored documents were not packed ({why})").into());
            }
            user_timing::end("crosscheck:compact");
        }
        share_store_lock();
    });
}

async fn compact_now() -> Result<(), StoreError> {
    match split_call!(compaction_loaded()) {
        Ok(compaction) => compaction.await,
        Err(NotLoaded) => {
            Err(StoreError::Unavailable("the part of the app that packs documents did not arrive".into()))
        }
    }
}

/// The compaction, as a future of a module of its own: most loads have nothing to pack.
#[cfg_attr(feature = "lazy-views", wasm_split(compaction, fallible))]
fn compaction_loaded() -> Result<ModuleFuture<Result<(), StoreError>>, NotLoaded> {
    Ok(Box::pin(compact_here()))
}

async fn compact_here() -> Result<(), StoreError> {
    let store = LocalStore::open().map_err(StoreError::Unavailable)?;
    // The packs as text until the runs are written (a removal compares an old pack's text).
    with_packs_as_text(async || {
        let items = journal::stored_items(&store)?;
        // Each run is handed to `js/local_store.js` as soon as it is made (one pack in wasm memory
        // at a time), which deflates its packs and writes it while this page holds the store's
        // lock exclusive (another tab may be writing once the hold is shared, and nothing more
        // is written then).
        let write = |run: Run| {
            match run {
                Run::Set(joined) => compaction_run(true, &joined),
                Run::RemoveIfSame(joined) => compaction_run(false, &joined),
            }
            Ok::<(), std::convert::Infallible>(())
        };
        let Ok(_due) = packs::compaction_runs(&items, KEY_PREFIX, packs::COMPACT_FROM, packs::PACK_DOCUMENTS, write);
        // What was queued is written (or stopped).
        let ended = wasm_bindgen_futures::JsFuture::from(compaction_end()).await.unwrap_or(wasm_bindgen::JsValue::NULL);
        // Stopped because this page's lock was shared ("shared"), or done: either way the store
        // reads the same.
        if ended.is_null() || ended.as_string().is_some() {
            Ok(())
        } else {
            Err(store_error(&ended))
        }
    })
    .await
}

async fn load_inner(now: i64, compaction_due: &mut bool) -> LoadOutcome {
    // The texts js/early_texts.js asked IndexedDB for while the page loaded (a version-2 store);
    // without them, the browser opens IndexedDB while localStorage is read.
    let early = take_early_texts();
    let opening = early.is_none().then(idb::open);
    // The store's lock (asked for as the page loaded): no other tab compacts while this one reads.
    let lock = wasm_bindgen_futures::JsFuture::from(store_lock()).await.ok().and_then(|mode| mode.as_string());
    // Every stored pack as text (js/local_store.js inflates them as the page loads).
    let read = with_packs_as_text(async || {
        user_timing::start("crosscheck:load-store:read");
        let read = match LocalStore::open() {
            Ok(store) => read_documents_and_packs(&store)
                .map(|(documents, journal, packs)| (store, (documents, journal), packs))
                .map_err(|error| error.to_string()),
            Err(why) => Err(why),
        };
        user_timing::end("crosscheck:load-store:read");
        read
    })
    .await;
    let read = read.map(|(store, read, packs)| {
        *compaction_due = lock.as_deref() == Some("exclusive") && packs.compaction_due();
        if !*compaction_due {
            share_store_lock();
        }
        (store, read, packs.unreadable)
    });
    let database = match opening {
        Some(opening) => Some(opening.await),
        None => None,
    };
    let (mut store, (mut documents, journal), unreadable_packs) = match read {
        Ok(read) => read,
        Err(why) => {
            if let Some(Ok(database)) = database {
                database.close();
            }
            return LoadOutcome::Unavailable(why);
        }
    };
    if let Some(writes) = journal {
        // A save stopped half-way: its journal is complete, so finish it.
        let _ = journal::finish(&mut store, &writes);
    }
    // The manifest is written last: with it, the version-2 store is complete, and a version-1
    // key beside it is a copy kept after a migration or data the user chose to set aside.
    if !documents.contains_key(MANIFEST_ID) {
        if let Some(Ok(database)) = &database {
            database.close();
        }
        if let Some(raw) = store.get(V1_KEY).ok().flatten() {
            user_timing::start("crosscheck:migrate");
            user_timing::start("crosscheck:migrate-complete");
            let outcome = migrate(raw, now, &documents, true).await;
            user_timing::end("crosscheck:migrate");
            return outcome;
        }
        let backup = idb::get_all(idb::BACKUPS, &[V1_KEY.to_string()]).await;
        if let Some(raw) = backup.ok().and_then(|mut found| found.remove(V1_KEY)) {
            // A migration stopped after moving the v1 document out of localStorage: start again.
            return migrate(raw.to_string(), now, &documents, false).await;
        }
        return LoadOutcome::Empty;
    }
    // Texts a save held in localStorage because IndexedDB did not have them yet.
    let held = held_texts::take(&mut documents);
    let needed = needed_texts(&documents);
    let needed_set: HashSet<ArticleId> = needed.iter().cloned().collect();
    user_timing::start("crosscheck:load-store:texts");
    let (mut found, checked) = match early {
        Some(read) => early_texts(read, &needed).await,
        None => (HashMap::new(), HashSet::new()),
    };
    // Those the early read did not bring (all of them without it), read now.
    let missing: Vec<ArticleId> = needed.into_iter().filter(|id| !found.contains_key(id)).collect();
    let texts = match database {
        Some(Ok(database)) => idb::get_texts_from(database, &missing).await,
        Some(Err(why)) => Err(why),
        None if missing.is_empty() => Ok(HashMap::new()),
        None => idb::get_texts(&missing).await,
    }
    .map(|rest| {
        found.extend(rest);
        found
    });
    user_timing::end("crosscheck:load-store:texts");
    let mut texts = match texts {
        Ok(texts) => texts,
        Err(why) => return LoadOutcome::Unavailable(format!("IndexedDB: {why}")),
    };
    let recovery = held_texts::recover(&held, &needed_set, &mut texts, now);
    user_timing::start("crosscheck:load-store:build");
    // Packs damaged (one whose deflated data fails its checksum) or written by a newer build:
    // kept as they are, and named.
    let notice = (!unreadable_packs.is_empty()).then(|| {
        format!(
            "Some stored documents could not be read and were left out; they are kept as they are ({}: damaged, or written by a newer version of Crosscheck).",
            unreadable_packs.iter().map(|id| key_for(id)).collect::<Vec<_>>().join(", ")
        )
    });
    // Texts `js/early_texts.js` did not find matching their ids (read since, or no WebCrypto in
    // this browser) are hashed by a module of their own, fetched only then.
    let checked = match texts.keys().all(|id| checked.contains(id)) {
        true => checked,
        false => match split_call!(matching_ids_in_module(texts.clone(), checked)) {
            Ok(checked) => checked,
            Err(NotLoaded) => {
                let error = "the part of the app that checks article texts did not arrive: reload when you are online";
                let raw = documents.get(MANIFEST_ID).cloned().unwrap_or_default();
                return LoadOutcome::Unreadable { error: error.to_string(), backup_key: None, raw };
            }
        },
    };
    // The undo history is read with the editing code, after the first paint (`ui::editing`).
    let outcome = match load::load_unread(&documents, &Texts { by_id: &texts, checked: &checked }) {
        Ok(loaded) => loaded_outcome(&mut store, &documents, loaded, now, notice),
        Err(error) => LoadOutcome::Unreadable {
            error: error.to_string(),
            backup_key: None,
            raw: documents.get(MANIFEST_ID).cloned().unwrap_or_default(),
        },
    };
    crate::web::schedule::drop_later(documents);
    user_timing::end("crosscheck:load-store:build");
    if !held.is_empty() {
        wasm_bindgen_futures::spawn_local(finish_recovery(recovery));
    }
    outcome
}

/// [`load::matching_ids`] in the text check's module (with SHA-256, which the first load does not
/// carry: `js/early_texts.js` checks the texts it reads with the browser's own).
#[cfg_attr(feature = "lazy-views", wasm_split(text_ids, fallible))]
fn matching_ids_in_module(
    texts: HashMap<ArticleId, Rc<str>>,
    checked: HashSet<ArticleId>,
) -> Result<HashSet<ArticleId>, NotLoaded> {
    Ok(load::matching_ids(&texts, &checked))
}

/// Puts the held texts a load used into IndexedDB, then releases them and those it no longer
/// needs; after the load, which does not wait for it. A text IndexedDB refuses stays held, for
/// the next load.
async fn finish_recovery(recovery: held_texts::Recovery) {
    let held_texts::Recovery { to_store, mut release_now } = recovery;
    if !to_store.is_empty() && idb::put_texts(&to_store).await.is_ok() {
        release_now.extend(to_store.into_keys());
    }
    release_held_texts(&release_now);
}

/// Holds `texts` in `localStorage` until IndexedDB has them (see `formats::stored::held_texts`).
/// False when they are too large or the quota refuses them; nothing is left half-held.
pub fn hold_texts(texts: &HashMap<ArticleId, Rc<str>>, now: i64) -> bool {
    let (Some(writes), Ok(mut store)) = (held_texts::hold(texts, now), LocalStore::open()) else { return false };
    if store.apply_all(&writes).is_ok() {
        return true;
    }
    let _ = store.apply_all(&held_texts::release(texts.keys()));
    false
}

/// Releases the held texts of `articles` (IndexedDB has them now).
pub fn release_held_texts<'a>(articles: impl IntoIterator<Item = &'a ArticleId>) {
    if let Ok(mut store) = LocalStore::open() {
        let _ = store.apply_all(&held_texts::release(articles));
    }
}

fn loaded_outcome(
    store: &mut LocalStore,
    documents: &BTreeMap<String, String>,
    loaded: Loaded,
    now: i64,
    notice: Option<String>,
) -> LoadOutcome {
    let Loaded { project, position, history, revs, problems, history_bases, stored_chunks, unread_history } = loaded;
    let problems = problems
        .into_iter()
        .map(|problem| {
            let raw = documents.get(&problem.id).cloned().unwrap_or_default();
            let backup = write_backup(store, &format!("{now}.{}", problem.id), &raw);
            (problem, backup)
        })
        .collect();
    let mut saved =
        SavedState::loaded(project.clone(), history.clone(), position.clone(), revs, history_bases, &stored_chunks);
    saved.unread_history = unread_history;
    LoadOutcome::Loaded {
        project,
        position,
        history,
        saved: Box::new(saved),
        problems,
        notice,
        saving_paused: None,
        migration: None,
    }
}

/// Version 1 to version 2, the part the user waits for: the v1 document read, and the article
/// texts put into IndexedDB and read back equal. The project then opens at once, and its
/// version-2 documents are written after the first paint, a slice at a time (see
/// [`crate::web::migration`]); the v1 document stays in `localStorage` until they are all written
/// and read back equal. `found`: the version-2 documents already there (an earlier write-out that
/// stopped before its manifest); `v1_in_store`: false when the v1 document came from IndexedDB
/// (an earlier write-out had moved it out for room).
///
/// All of it but the fetch's failure runs in the migration's module (the v1 reader, with its
/// own deserializers, and the write-out's steps), fetched only by a browser that still holds a
/// v1 document.
async fn migrate(raw: String, now: i64, found: &journal::Documents, v1_in_store: bool) -> LoadOutcome {
    let raw: Rc<str> = Rc::from(raw);
    let found = found.keys().cloned().collect();
    match split_call!(migration_loaded(raw.clone(), now, found, v1_in_store)) {
        Ok(migration) => migration.await,
        Err(NotLoaded) => {
            let error =
                "the part of the app that reads the earlier storage format did not arrive: reload when you are online";
            LoadOutcome::Unreadable { error: error.to_string(), backup_key: None, raw: raw.to_string() }
        }
    }
}

/// [`migrate`], as a future of the migration's module.
#[cfg_attr(feature = "lazy-views", wasm_split(migration, fallible))]
fn migration_loaded(
    raw: Rc<str>,
    now: i64,
    found: Vec<String>,
    v1_in_store: bool,
) -> Result<ModuleFuture<LoadOutcome>, NotLoaded> {
    Ok(Box::pin(migrate_here(raw, now, found, v1_in_store)))
}

async fn migrate_here(raw: Rc<str>, now: i64, found: Vec<String>, v1_in_store: bool) -> LoadOutcome {
    let (project, position, history) = match read_v1(&raw) {
        Ok(read) => read,
        Err(error) => {
            let backup_key =
                LocalStore::open().ok().and_then(|mut store| write_backup(&mut store, &now.to_string(), &raw));
            return LoadOutcome::Unreadable { error: error.to_string(), backup_key, raw: raw.to_string() };
        }
    };
    let in_memory = |why: String, notice: Option<String>| LoadOutcome::Loaded {
        project: project.clone(),
        position: position.clone(),
        history: history.clone(),
        saved: Box::default(),
        problems: Vec::new(),
        notice,
        saving_paused: Some(why),
        migration: None,
    };
    // The texts first, read back: from then on the write-out can finish at any moment (an edit
    // or the page hidden finishes it at once) without waiting for IndexedDB.
    let texts = texts_of(&project);
    if let Err(why) = idb::put_texts(&texts).await {
        return in_memory(format!("IndexedDB is unavailable ({why}); the stored project is kept as it was"), None);
    }
    let texts_back = idb::get_texts(&texts.keys().cloned().collect::<Vec<_>>()).await;
    let texts_equal = texts_back.is_ok_and(|back| {
        back.len() == texts.len() && texts.iter().all(|(id, text)| back.get(id).is_some_and(|copy| copy == text))
    });
    if !texts_equal {
        let notice =
            "The project could not be moved to the new storage format; the old copy is kept and saving is paused.";
        return in_memory(
            "the article texts did not read back equal from IndexedDB".to_string(),
            Some(notice.to_string()),
        );
    }
    let write_out = WriteOut::new((project.clone(), position.clone(), history.clone()), now, found, v1_in_store);
    LoadOutcome::Loaded {
        project,
        position,
        history,
        saved: Box::default(),
        problems: Vec::new(),
        notice: None,
        saving_paused: None,
        migration: Some(Box::new(PendingMigration::new(write_out, raw, MigrationSteps::here()))),
    }
}

/// The writes as one string for `js/local_store.js` (key NUL value NUL …), unless a write must
/// fail on purpose (tests), removes a key, or a key or value holds a NUL.
fn joined_writes(store: &LocalStore, writes: &[Write]) -> Option<String> {
    // A removal has no value to join: item by item.
    if store.fail_from_write.is_some() || writes.iter().any(|write| write.json.is_none()) {
        return None;
    }
    join_items(KEY_PREFIX, writes.iter().map(|write| (write.id.as_str(), write.json.as_deref().unwrap_or_default())))
}

/// Copies `raw` under a backup key unless an identical backup exists. Returns the key.
/// Keeps a copy of each document a read left out (`(problem, its stored text)`), as a load does;
/// gives each problem with its copy's key.
pub fn back_up_left_out(problems: load::LeftOut, now: i64) -> Vec<(Problem, Option<String>)> {
    let mut store = LocalStore::open().ok();
    problems
        .into_iter()
        .map(|(problem, raw)| {
            let backup = store.as_mut().and_then(|store| write_backup(store, &format!("{now}.{}", problem.id), &raw));
            (problem, backup)
        })
        .collect()
}

fn write_backup(store: &mut LocalStore, suffix: &str, raw: &str) -> Option<String> {
    for key in backup_keys() {
        if store.get(&key).ok().flatten().as_deref() == Some(raw) {
            return Some(key);
        }
    }
    let key = format!("{BACKUP_PREFIX}{suffix}");
    store.set(&key, raw).ok().map(|()| key)
}

/// Keys of every stored backup, oldest first.
pub fn backup_keys() -> Vec<String> {
    let mut keys: Vec<String> =
        every_key().unwrap_or_default().into_iter().filter(|key| key.starts_with(BACKUP_PREFIX)).collect();
    crate::domain::sorting::sort(&mut keys);
    keys
}

/// Gives the last saved project as a project export.
type SavedProject = Box<dyn Fn() -> Option<String>>;

thread_local! {
    static SAVED_PROJECT: std::cell::RefCell<Option<SavedProject>> = const { std::cell::RefCell::new(None) };
}

/// Registers how to get the last saved project as a project export (the autosave does), for
/// "download your data" when the app cannot go on.
pub fn set_saved_project(provider: impl Fn() -> Option<String> + 'static) {
    SAVED_PROJECT.with(|slot| *slot.borrow_mut() = Some(Box::new(provider)));
}

/// The saved project for "download your data" when the app cannot go on: the last saved state
/// as a project export (importable), or else (no export's code at hand) a recovery file.
pub fn raw_project() -> Option<String> {
    let saved = SAVED_PROJECT
        .with(|slot| slot.try_borrow().ok().and_then(|provider| provider.as_ref().and_then(|provider| provider())));
    saved.or_else(|| recovery_file(None))
}

/// A recovery file (`formats::stored::recovery`, importable): every stored document, with the
/// texts of `project`'s articles (IndexedDB's cannot be waited for here); a pack `packs_ready`
/// has not inflated comes as its stored text, deflated. A store not migrated yet gives its
/// version-1 document, a project export itself.
pub fn recovery_file(project: Option<&crate::domain::project::Project>) -> Option<String> {
    let store = LocalStore::open().ok()?;
    if let Some(version_1) = store.get(V1_KEY).ok().flatten() {
        return Some(version_1);
    }
    let (documents, _) = read_documents(&store).ok()?;
    if documents.is_empty() {
        return None;
    }
    let articles = project.map(|project| project.articles()).unwrap_or_default();
    let texts = articles.iter().map(|article| (&article.id, article.text.as_ref()));
    Some(crate::formats::stored::recovery::recovery_json(documents, texts))
}

/// Bytes this origin uses in `localStorage`, counted as browsers do: UTF-16, keys and values.
pub fn used_bytes() -> usize {
    let Ok(storage) = local_storage() else { return 0 };
    every_key()
        .unwrap_or_default()
        .into_iter()
        .map(|key| {
            let value = storage.get_item(&key).ok().flatten().unwrap_or_default();
            (key.encode_utf16().count() + value.encode_utf16().count()) * 2
        })
        .sum()
}

/// Whether `key` is one of the version-2 documents (for `storage` events).
pub fn is_document_key(key: &str) -> bool {
    key.starts_with(KEY_PREFIX)
}
