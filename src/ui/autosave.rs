//! Autosave, storage problems and the second tab, as one hook.
//!
//! Every change to the project or the view position writes the documents it changed (see
//! `formats::stored::save`): in the first idle moment after the frame that shows the change
//! while that is cheap — a tag writes two small documents — or coalesced into one save per
//! 300 ms should saves grow costly, and always flushed when the page is hidden, closed, or stops
//! on a panic. A new article's text is stored before the document that names it: held in
//! `localStorage` in the save's own task until IndexedDB has it (`formats::stored::held_texts`;
//! a first start's texts go to IndexedDB right after its first frame). A write
//! the quota refuses leaves the project in memory, shows a banner, and retries every few seconds
//! until space is freed. When another tab saves, the `storage` events name the documents it wrote;
//! only those are read and merged, pass after pass (see `formats::stored::delivery`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use std::collections::{HashMap, HashSet};

use crate::domain::article::ArticleId;
use crate::domain::state::AppAction;
use crate::formats::stored::delivery::{DeliveryMerge, WaitingDocument};
use crate::formats::stored::journal::commit;
use crate::formats::stored::other_tab_document;
use crate::formats::stored::save::{plan, SavedState};
use crate::ui::editing;
use crate::ui::state::{fresh, AppContext};
use crate::web::clock::now_ms;
use crate::web::migration::{self, Finish, PendingMigration, SharedMigration};
use crate::web::schedule::{after_next_paint, when_idle};
use crate::web::split_module::NotLoaded;
use crate::web::storage::{self, SaveError};
use crate::web::user_timing as timing;

mod sync_merge;

/// What the autosave last did, shown in the header and the storage banner.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    /// Everything is written. No time: a status equal to the one shown does not render the app
    /// again (an edit's save used to re-render the whole app before the edit's frame, for a
    /// time nothing showed).
    Saved,
    Pending,
    /// The browser refused the write because its storage is full; retrying.
    Full,
    Failed(String),
    /// Saving is off: the stored data could not be read and must not be overwritten, or
    /// storage is unavailable.
    Paused(String),
}

/// How long a write may take before writes are coalesced instead of made at once.
const CHEAP_SAVE_MS: f64 = 8.0;
const COALESCE_MS: u32 = 300;
/// How long a cheap save waits for an idle moment at most.
const SAVE_IDLE_TIMEOUT_MS: u32 = 200;
const RETRY_MS: u32 = 4_000;
/// How long after the load's first render the save's rehearsal waits for an idle moment at most
/// ([`SavedState::rehearse_edit`]).
const REHEARSAL_TIMEOUT_MS: u32 = 3_000;

#[derive(Default)]
pub struct SaveSlot {
    /// What the store holds.
    saved: SavedState,
    /// Articles whose text is known to be in IndexedDB.
    texts_stored: HashSet<ArticleId>,
    /// Articles whose text this page holds in `localStorage` until IndexedDB has it.
    texts_held: HashSet<ArticleId>,
    /// Articles whose text is being written to IndexedDB.
    texts_in_flight: HashSet<ArticleId>,
    /// The status shown, for saves that finish later (after a text reached IndexedDB).
    status: Option<UseStateHandle<SaveStatus>>,
    /// Documents from another tab or the team server that refer to items not here yet (a link
    /// before its span, a span before its article), each with what it waits for.
    waiting: Vec<WaitingDocument>,
    /// Deliveries heard but not handed to the merge yet (its module loads on the first).
    arrived: Vec<sync_merge::Arrival>,
    /// The delivery being merged, a slice per task (the waiting list is inside it meanwhile).
    merging: Option<DeliveryMerge>,
    unshown: Option<sync_merge::Unshown>,
    /// A step of the delivery's merge is queued (`sync_merge::schedule_step`).
    step_scheduled: bool,
    /// The merge's module could not be fetched (the person was told; told again only after it
    /// has been fetched and failed once more).
    delivery_unfetched: bool,
    timer: Option<Timeout>,
    retry: Option<Timeout>,
    /// Whether a retry is waiting to fire (`retry` keeps the handle of one that already ran).
    retry_pending: bool,
    /// The newest state: a retry writes this, not the state of the save that failed.
    latest: Option<AppContext>,
    last_cost_ms: f64,
    dirty: bool,
    started: bool,
    /// Whether "Saving…" is (or is about to be) shown for the coalesced write under way.
    pending_shown: bool,
    /// A migrated project's version-2 copy still being written (see `web::migration`).
    migration: SharedMigration,
    /// Why saving stopped (a migration that could not complete), until the user resumes it.
    halted: Option<String>,
}

/// Writes the documents the latest state changed. A new article's text is held in
/// `localStorage` first, in the same task, while IndexedDB's write of it runs; one too large to
/// hold goes to IndexedDB first, and the save runs again when it is there.
fn save_now(context: &AppContext, slot: &Rc<RefCell<SaveSlot>>) -> SaveStatus {
    // Timers and listeners hold the state of when they were made; save the latest.
    let latest = slot.try_borrow().ok().and_then(|slot| slot.latest.clone());
    let context = latest.as_ref().unwrap_or(context);
    if let Some(status) = finish_migration(slot) {
        return status;
    }
    let Some(new_texts) = unsaved_texts(context, slot) else { return SaveStatus::Pending };
    if !new_texts.is_empty() && !secure_texts(new_texts, slot) {
        return SaveStatus::Pending;
    }
    // The save's code is the editing module's (`ui::editing`): until it is here, the save waits.
    let Some(code) = editing::loaded() else {
        editing::with_editing_code(code_arrived(Rc::downgrade(slot)));
        return SaveStatus::Pending;
    };
    let started = timing::now();
    let now = now_ms();
    let Ok(mut slot) = slot.try_borrow_mut() else { return SaveStatus::Pending };
    let (result, serialised) = (code.write)(&mut slot, context, now);
    let ended = timing::now();
    timing::record(&[
        ("crosscheck:serialise", started, serialised),
        ("crosscheck:write", serialised, ended),
        ("crosscheck:save", started, ended),
    ]);
    slot.last_cost_ms = ended - started;
    slot.pending_shown = false;
    slot.dirty = result.is_err();
    match result {
        Ok(()) => SaveStatus::Saved,
        Err(SaveError::QuotaExceeded) => SaveStatus::Full,
        Err(error) => SaveStatus::Failed(error.to_string()),
    }
}

/// What a save waiting for the editing code shows when its module did not arrive.
const NOT_ARRIVED: &str = "the part of the app that saves did not arrive (offline, or the server is down); your edits \
                           are kept in this tab and saved when it does";

/// A save's write: its outcome, and when its planning ended.
pub type Written = (Result<(), SaveError>, f64);

/// Plans and writes the documents `context` changed since `slot`'s saved state, records them as
/// saved, and copies them for team sync. Code of the editing module (`ui::editing`).
pub fn write_here(slot: &mut SaveSlot, context: &AppContext, now: i64) -> Written {
    let writes = plan(&slot.saved, &context.project, &context.position, &context.history, now);
    let serialised = timing::now();
    let result = storage::LocalStore::open()
        .map_err(SaveError::Unavailable)
        .and_then(|mut store| commit(&mut store, &writes.writes));
    if result.is_ok() {
        // Copied for team sync only where a server records them.
        let shared: Vec<(String, Option<String>)> = if crate::web::sync::records_saves() {
            writes
                .writes
                .iter()
                .filter(|write| crate::formats::sync::mapping::replicates(&write.id))
                .map(|write| (write.id.clone(), write.json.clone()))
                .collect()
        } else {
            Vec::new()
        };
        // The state saved before this one is often the last holder of the span map an edit
        // copied (10,000 entries): it is freed after the frame that shows the edit, not here.
        let previous = (slot.saved.project.clone(), slot.saved.history.clone());
        slot.saved.commit(writes, &context.project, &context.history, &context.position);
        crate::web::schedule::drop_after_paint(previous);
        if !shared.is_empty() {
            crate::web::sync::saved(shared, &context.project);
        }
    }
    (result, serialised)
}

/// Rehearses the first edit's save (`SavedState::rehearse_edit`). Code of the editing module.
pub fn rehearse_here(saved: &SavedState, now: i64) {
    let started = timing::now();
    saved.rehearse_edit(now);
    timing::record(&[("crosscheck:save-rehearsal", started, timing::now())]);
}

/// The texts of the project's articles neither known to be in IndexedDB nor held in
/// `localStorage`; `None` while the save state is in use.
fn unsaved_texts(context: &AppContext, slot: &Rc<RefCell<SaveSlot>>) -> Option<HashMap<ArticleId, Rc<str>>> {
    let slot = slot.try_borrow().ok()?;
    let texts = context
        .project
        .articles()
        .iter()
        .filter(|article| !slot.texts_stored.contains(&article.id) && !slot.texts_held.contains(&article.id))
        .map(|article| (article.id.clone(), article.text.clone()))
        .collect();
    Some(texts)
}

/// Makes new articles' texts safe before the documents that name them are written, and starts
/// their IndexedDB write. True when they are held in `localStorage` (the save goes on at once);
/// false when they could not be (too large, or the quota refused): the save then waits for
/// IndexedDB, and the write's end saves again. A page closed while the save waited used to lose
/// the whole import.
fn secure_texts(texts: HashMap<ArticleId, Rc<str>>, slot: &Rc<RefCell<SaveSlot>>) -> bool {
    let (held, to_put) = {
        let Ok(mut saving) = slot.try_borrow_mut() else { return false };
        let held = storage::hold_texts(&texts, now_ms());
        if held {
            saving.texts_held.extend(texts.keys().cloned());
        }
        let to_put: HashMap<ArticleId, Rc<str>> =
            texts.into_iter().filter(|(id, _)| !saving.texts_in_flight.contains(id)).collect();
        (held, to_put)
    };
    if !to_put.is_empty() {
        put_texts(to_put, slot.clone());
    }
    held
}

/// Writes article texts to IndexedDB. When the write has landed, their held copies in
/// `localStorage` are released and a save that waited for them runs; a text IndexedDB refused
/// that is not held either shows the failure, and the save is retried.
fn put_texts(texts: HashMap<ArticleId, Rc<str>>, slot: Rc<RefCell<SaveSlot>>) {
    slot.borrow_mut().texts_in_flight.extend(texts.keys().cloned());
    wasm_bindgen_futures::spawn_local(async move {
        let stored = crate::web::idb::put_texts(&texts).await;
        let (released, unsafe_texts) = {
            let mut saving = slot.borrow_mut();
            for id in texts.keys() {
                saving.texts_in_flight.remove(id);
            }
            if stored.is_ok() {
                saving.texts_stored.extend(texts.keys().cloned());
                let released: Vec<ArticleId> =
                    texts.keys().filter(|id| saving.texts_held.remove(*id)).cloned().collect();
                (released, false)
            } else {
                (Vec::new(), texts.keys().any(|id| !saving.texts_held.contains(id)))
            }
        };
        if !released.is_empty() {
            storage::release_held_texts(&released);
        }
        match stored {
            Err(why) if unsafe_texts => {
                let (status, latest) = {
                    let saving = slot.borrow();
                    (saving.status.clone(), saving.latest.clone())
                };
                if let (Some(status), Some(latest)) = (status, latest) {
                    let outcome = SaveStatus::Failed(format!("IndexedDB refused an article text ({why})"));
                    settle(outcome, latest, slot, status);
                }
            }
            _ => save_if_dirty(slot),
        }
    });
}

/// Saves the newest state if it has not been written yet (an edit whose save waited for
/// something that has now ended).
fn save_if_dirty(slot: Rc<RefCell<SaveSlot>>) {
    let Ok(saving) = slot.try_borrow() else { return };
    let (status, latest) = (saving.status.clone(), saving.latest.clone().filter(|_| saving.dirty));
    drop(saving);
    if let (Some(status), Some(latest)) = (status, latest) {
        settle(save_now(&latest, &slot), latest, slot, status);
    }
}

/// Told when the editing code arrives: saves what waited for it, or shows that it did not arrive
/// (the failed-write retry fetches it again).
fn code_arrived(
    slot: std::rc::Weak<RefCell<SaveSlot>>,
) -> impl FnOnce(Result<crate::ui::editing::EditingCode, NotLoaded>) {
    move |code| {
        let Some(slot) = slot.upgrade() else { return };
        if code.is_ok() {
            return save_if_dirty(slot);
        }
        let Ok(saving) = slot.try_borrow() else { return };
        let (status, latest) = (saving.status.clone(), saving.latest.clone().filter(|_| saving.dirty));
        drop(saving);
        if let (Some(status), Some(latest)) = (status, latest) {
            settle(SaveStatus::Failed(NOT_ARRIVED.to_string()), latest, slot, status);
        }
    }
}

/// Before a save: a migration's version-2 copy still being written is finished at once, and the
/// edit saved over it. `Some` status when the save cannot go on: saving is halted, or the copy
/// waits for IndexedDB (its slices then save the edit).
fn finish_migration(slot: &Rc<RefCell<SaveSlot>>) -> Option<SaveStatus> {
    let mut slot = slot.try_borrow_mut().ok()?;
    if let Some(why) = &slot.halted {
        return Some(SaveStatus::Paused(why.clone()));
    }
    match migration::finish_now(&slot.migration) {
        Finish::NotPending => None,
        Finish::Later => Some(SaveStatus::Pending),
        Finish::Ended(ended) => slot.take_finished(ended),
    }
}

impl SaveSlot {
    /// A migration's copy that ended: the store now holds its saved state, or saving stops until
    /// the user resumes it (the status to show).
    fn take_finished(&mut self, ended: migration::Finished) -> Option<SaveStatus> {
        match ended {
            Ok(saved) => {
                self.saved = *saved;
                None
            }
            Err(why) => Some(SaveStatus::Paused(self.halted.insert(why).clone())),
        }
    }
}

/// A migration's copy finished in its slices: the edits made meanwhile are saved over it.
fn migration_finished(slot: Rc<RefCell<SaveSlot>>, ended: migration::Finished) {
    let Ok(mut saving) = slot.try_borrow_mut() else { return };
    saving.take_finished(ended);
    let (status, halted, dirty) = (saving.status.clone(), saving.halted.clone(), saving.dirty);
    drop(saving);
    match (status, halted) {
        (Some(status), Some(why)) => status.set(SaveStatus::Paused(why)),
        (Some(_), None) if dirty => save_if_dirty(slot),
        (Some(status), None) => status.set(SaveStatus::Saved),
        (None, _) => {}
    }
}

/// Retries a refused write every few seconds until it succeeds.
fn schedule_retry(context: AppContext, slot: Rc<RefCell<SaveSlot>>, status: UseStateHandle<SaveStatus>) {
    let slot_for_timer = slot.clone();
    let timer = Timeout::new(RETRY_MS, move || {
        let latest = match slot_for_timer.try_borrow_mut() {
            Ok(mut slot) => {
                slot.retry_pending = false;
                slot.latest.clone()
            }
            Err(_) => None,
        };
        let context = latest.unwrap_or(context);
        let outcome = save_now(&context, &slot_for_timer);
        settle(outcome, context, slot_for_timer, status);
    });
    if let Ok(mut slot) = slot.try_borrow_mut() {
        slot.retry = Some(timer);
        slot.retry_pending = true;
    }
}

/// Shows a save's outcome; a refused write is retried (once pending at a time) until it succeeds,
/// whichever path (at once, coalesced, retry) made it.
fn settle(outcome: SaveStatus, context: AppContext, slot: Rc<RefCell<SaveSlot>>, status: UseStateHandle<SaveStatus>) {
    let failed = matches!(outcome, SaveStatus::Full | SaveStatus::Failed(_));
    status.set(outcome);
    if failed && slot.try_borrow().is_ok_and(|slot| !slot.retry_pending) {
        schedule_retry(context, slot, status);
    }
}

/// The autosave's face for the app.
#[derive(Clone, PartialEq)]
pub struct Autosave {
    pub status: SaveStatus,
    /// Turns saving back on after the user chose to start fresh over unreadable data.
    pub resume: Callback<()>,
}

/// Runs the autosave. `paused_because` is `Some` when start-up found data it must not overwrite;
/// `saved` is what start-up read from the store.
#[hook]
pub fn use_autosave(
    context: &AppContext,
    paused_because: Option<String>,
    saved: SavedState,
    migrating: Option<Box<PendingMigration>>,
) -> Autosave {
    let paused = use_state(|| paused_because.clone());
    let status = use_state_eq(|| match &paused_because {
        Some(why) => SaveStatus::Paused(why.clone()),
        // A migrated project: its version-2 copy is being written.
        None if migrating.is_some() => SaveStatus::Pending,
        None => SaveStatus::Saved,
    });
    let slot = {
        let project = &context.project;
        use_mut_ref(|| {
            // Texts of loaded (or migrated) articles are in IndexedDB already.
            let loaded = migrating.as_ref().map_or(&saved.project, |migration| migration.project());
            let texts_stored = loaded.articles().iter().map(|article| article.id.clone()).collect();
            let _ = project;
            let migration = Rc::new(RefCell::new(migrating));
            SaveSlot { saved, texts_stored, migration, ..SaveSlot::default() }
        })
    };

    {
        let context = context.clone();
        let slot = slot.clone();
        let status = status.clone();
        let is_paused = paused.is_some();
        use_effect_with((context.revision, context.position.clone(), is_paused), move |(_, _, is_paused)| {
            slot.borrow_mut().latest = Some(context.clone());
            slot.borrow_mut().status = Some(status.clone());
            let first_run = !std::mem::replace(&mut slot.borrow_mut().started, true);
            if *is_paused || first_run {
                return;
            }
            slot.borrow_mut().dirty = true;
            slot.borrow_mut().latest = Some(context.clone());
            if slot.borrow().last_cost_ms < CHEAP_SAVE_MS {
                // Written in the first idle moment after the frame that shows the edit: not
                // before that frame (a save is about a millisecond of a tag's render otherwise),
                // nor among the tasks that frame leaves behind (the header's counts), where one
                // save in ten took 2–5 ms in `make bench` against a median of 0.5 ms (p95 2.3–2.6
                // ms; 1.8 ms idle, same hour). Edits made before then are written together; a
                // page hidden or closed first is flushed below.
                let slot = slot.clone();
                after_next_paint(move || {
                    when_idle(SAVE_IDLE_TIMEOUT_MS, move || {
                        if slot.try_borrow().is_ok_and(|slot| slot.dirty) {
                            let outcome = save_now(&context, &slot);
                            settle(outcome, context, slot, status);
                        }
                    });
                });
            } else {
                // "Saving…" shows after the frame that shows the edit: setting it now would render
                // the whole app a second time before that frame.
                if !std::mem::replace(&mut slot.borrow_mut().pending_shown, true) {
                    let status = status.clone();
                    let slot = slot.clone();
                    after_next_paint(move || {
                        if slot.try_borrow().is_ok_and(|slot| slot.dirty && slot.pending_shown) {
                            status.set(SaveStatus::Pending);
                        }
                    });
                }
                let slot_for_timer = slot.clone();
                let timer = Timeout::new(COALESCE_MS, move || {
                    if slot_for_timer.borrow().dirty {
                        let outcome = save_now(&context, &slot_for_timer);
                        settle(outcome, context, slot_for_timer, status);
                    }
                });
                slot.borrow_mut().timer = Some(timer);
            }
        });
    }

    // Flush on hide, close and panic; merge what another tab saves.
    {
        let context = context.clone();
        let slot = slot.clone();
        let paused = paused.clone();
        use_effect_with((), move |_| {
            let flush = {
                let slot = slot.clone();
                let paused = paused.clone();
                move || {
                    let latest = slot.try_borrow().ok().and_then(|slot| slot.latest.clone().filter(|_| slot.dirty));
                    if let (None, Some(latest)) = (paused.as_ref(), latest) {
                        save_now(&latest, &slot);
                    }
                }
            };
            crate::web::panic::set_flush(flush.clone());
            {
                let slot = Rc::downgrade(&slot);
                // Without the editing code (not arrived yet), the stored documents are given.
                // The export's code is the editing module's: before it arrives, a recovery file.
                storage::set_saved_project(move || {
                    let slot = slot.upgrade()?;
                    let slot = slot.try_borrow().ok()?;
                    if let Some(migration) = slot.migration.try_borrow().ok()?.as_ref() {
                        return editing::loaded().map(|code| (code.project_json)(migration.project()));
                    }
                    let project = &slot.saved.project;
                    match editing::loaded() {
                        _ if project.articles().is_empty() => None,
                        Some(code) => Some((code.project_json)(project)),
                        None => storage::recovery_file(Some(project)),
                    }
                });
            }
            // A migration's version-2 copy, written after the first paint.
            let shared = slot.borrow().migration.clone();
            if shared.borrow().is_some() {
                let slot = slot.clone();
                migration::write_in_slices(shared, move |finished| migration_finished(slot, finished));
            }
            // A first start's articles (the built-in corpus) have no text in IndexedDB yet:
            // written after the first frame, so that the first edit's save writes its documents
            // at once. Its save used to start this write and wait for it, and a page reloaded or
            // closed in that moment lost the edit.
            if paused.is_none() {
                let slot = slot.clone();
                let context = context.clone();
                after_next_paint(move || {
                    if let Some(texts) = unsaved_texts(&context, &slot).filter(|texts| !texts.is_empty()) {
                        put_texts(texts, slot);
                    }
                });
            }
            let window = gloo::utils::window();
            let on_hide = {
                let flush = flush.clone();
                move |_: &web_sys::Event| flush()
            };
            sync_merge::install_sync_hooks(&slot, &context);
            // Another tab's writes: each one merged as it is heard.
            let merge_written = {
                let slot = slot.clone();
                let context = context.clone();
                move |written: Vec<(String, String)>| {
                    if paused.is_some() {
                        return;
                    }
                    let documents: Vec<(String, String)> = written
                        .into_iter()
                        .filter_map(|(key, raw)| {
                            let id = other_tab_document(&key)?;
                            Some((id.to_string(), raw))
                        })
                        .collect();
                    if !documents.is_empty() {
                        sync_merge::merge_documents(&slot, &fresh(&context), documents, Vec::new(), false);
                    }
                }
            };
            let on_storage = {
                let merge_written = merge_written.clone();
                move |event: &web_sys::Event| {
                    let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
                    let (Some(key), Some(raw)) = (event.key(), event.new_value()) else { return };
                    merge_written(vec![(key, raw)]);
                }
            };
            // An edit made before the editing code arrived cannot be written yet: leaving asks first.
            let on_before_unload = {
                let slot = slot.clone();
                move |event: &web_sys::Event| {
                    let unwritten = slot.try_borrow().is_ok_and(|slot| slot.dirty) || editing::holds_edits();
                    if editing::loaded().is_none() && unwritten {
                        event.prevent_default();
                    }
                }
            };
            let listeners = [
                EventListener::new_with_options(
                    &window,
                    "beforeunload",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    on_before_unload,
                ),
                EventListener::new(&window, "pagehide", on_hide.clone()),
                EventListener::new(&gloo::utils::document(), "visibilitychange", on_hide),
                EventListener::new(&window, "storage", on_storage),
            ];
            // What another tab wrote while this one was starting, before it listened.
            merge_written(storage::take_missed_writes());
            // The undo history the load left unread is read as the editing code arrives, before
            // any held edit or waiting save: into the saved state, then the app's state.
            {
                let slot = Rc::downgrade(&slot);
                let context = context.clone();
                editing::first_on_arrival(move |code| {
                    let Some(slot) = slot.upgrade() else { return };
                    let read = slot.try_borrow_mut().ok().and_then(|mut slot| (code.read_history)(&mut slot.saved));
                    let Some((history, problems)) = read else { return };
                    let left_out = (!problems.is_empty())
                        .then(|| crate::ui::boot::left_out_text(&storage::back_up_left_out(problems, now_ms())));
                    context.dispatch(AppAction::HistoryRead { history, left_out });
                });
            }
            // Once the editing code is here (start-up fetches it after the first paint), the
            // first edit's save is rehearsed in idle time, so its code is compiled before that edit.
            {
                let slot = Rc::downgrade(&slot);
                editing::when_arrived(move |code| {
                    when_idle(REHEARSAL_TIMEOUT_MS, move || {
                        if let Some(slot) = slot.upgrade() {
                            if let Ok(slot) = slot.try_borrow() {
                                (code.rehearse)(&slot.saved, now_ms());
                            }
                        }
                    });
                });
            }
            move || drop(listeners)
        });
    }

    let resume = {
        let paused = paused.clone();
        let status = status.clone();
        let context = context.clone();
        let slot = slot.clone();
        Callback::from(move |_| {
            paused.set(None);
            slot.borrow_mut().halted = None;
            status.set(save_now(&context, &slot));
        })
    };
    Autosave { status: (*status).clone(), resume }
}
