//! The autosave's side of team sync and of another tab's saves: a delivery of documents merged
//! into the project a slice per task (`formats::stored::delivery`), its writes stored in
//! chunks, the result shown a few times a second; and the hooks team sync reaches the project by.
//!
//! A tab alone never merges anything, so the merge's steps are a module of their own
//! (`split_delivery`, see `ui::lazy_view`), fetched when the first delivery arrives. Meanwhile
//! the delivery waits in [`Arrival`]s, as one waits between two slices of a merge (this tab's
//! own saves go on). Should the fetch fail, a notice says so, the documents keep waiting (another
//! tab's are in `localStorage` already; team sync does not checkpoint a batch while it waits),
//! and the fetch is tried again every few seconds.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use super::{timing, SaveSlot};
use crate::domain::project::Project;
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::formats::stored::delivery::{merge_again, DeliveryMerge};
use crate::ui::state::{fresh, AppContext};
use crate::web::clock::now_ms;
use crate::web::migration::{self, CommitBeside};
use crate::web::schedule::{after_ms, next_task};
use crate::web::split_module::{split_call, NotLoaded};
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;

/// Writes per journal commit when pulled documents are stored: the journal holds one chunk.
const DELIVERY_CHUNK: usize = 250;
/// How long one slice of a delivery's merge may run before the browser gets the thread back.
const MERGE_SLICE_MS: f64 = 8.0;
const MERGE_SLICE_DOCS: usize = 100;
/// How often a delivery being merged shows its progress.
const SHOW_EVERY_MS: f64 = 300.0;
/// How long after a failed fetch of the merge's module it is tried again.
const RETRY_FETCH_MS: i32 = 5_000;

/// A delivery heard but not yet handed to the merge (its module's next step takes it).
pub(super) struct Arrival {
    documents: Vec<(String, String)>,
    articles: Vec<crate::domain::article::Article>,
    from_server: bool,
}

/// Merges documents another tab wrote (`from_server` false: already in localStorage) or the
/// team server sent (`from_server`: written to localStorage when they change the project). The
/// merge is `formats::stored::delivery::DeliveryMerge`, run a step per task ([`merge_step`]:
/// a slice merged into the latest project and stored, or the slices so far shown).
pub(super) fn merge_documents(
    slot: &Rc<RefCell<SaveSlot>>,
    context: &AppContext,
    documents: Vec<(String, String)>,
    articles: Vec<crate::domain::article::Article>,
    from_server: bool,
) {
    {
        let Ok(mut state) = slot.try_borrow_mut() else { return };
        state.arrived.push(Arrival { documents, articles, from_server });
    }
    schedule_step(slot, context);
}

/// Hands what arrived to the merge (a new one, or the one under way), onto `project`.
fn take_arrivals(state: &mut SaveSlot, project: &Project) {
    for Arrival { documents, articles, from_server } in std::mem::take(&mut state.arrived) {
        let mut merge = match state.merging.take() {
            Some(merge) => merge,
            None => DeliveryMerge::new(project, std::mem::take(&mut state.waiting)),
        };
        merge.add(documents, from_server, articles);
        state.merging = Some(merge);
    }
}

/// Slices merged and stored but not shown yet: showing re-renders the whole app (tens of ms at
/// 20,000 spans), so a large delivery shows its progress a few times a second, not per slice.
pub(super) struct Unshown {
    /// The project the slices built, on the app state numbered `revision`.
    project: Project,
    revision: u64,
    /// What they merged, to merge again should the app state move meanwhile (an edit).
    documents: Vec<(String, String)>,
    /// Documents stored and merged, to record as saved when shown.
    absorbed: Vec<(String, String)>,
    since: f64,
}

/// Runs [`merge_step`] in a task of its own, soon, unless one is already waiting to run.
fn schedule_step(slot: &Rc<RefCell<SaveSlot>>, context: &AppContext) {
    let Ok(mut state) = slot.try_borrow_mut() else { return };
    if std::mem::replace(&mut state.step_scheduled, true) {
        return;
    }
    drop(state);
    let slot = slot.clone();
    let kept = context.clone();
    wasm_bindgen_futures::spawn_local(async move {
        next_task().await;
        // The module first (at once once loaded), and only then the app's state: a step must
        // merge into the project as it is when the step runs.
        #[cfg(feature = "lazy-views")]
        if preload_delivery().await.is_err() {
            return not_fetched(&slot, &kept);
        }
        let context = fresh(&kept);
        if split_call!(merge_step_in_module(&slot, &context)).is_err() {
            not_fetched(&slot, &kept);
        }
    });
}

/// The merge's module did not arrive: the deliveries wait (told once), and the fetch is tried
/// again in a few seconds.
fn not_fetched(slot: &Rc<RefCell<SaveSlot>>, context: &AppContext) {
    let first = match slot.try_borrow_mut() {
        Ok(mut state) => {
            state.step_scheduled = false;
            !std::mem::replace(&mut state.delivery_unfetched, true)
        }
        Err(_) => false,
    };
    if first {
        context.dispatch(AppAction::Notify(Notice {
            level: NoticeLevel::Warning,
            text: "Changes from another tab or the team server are not merged yet: the part of the app that \
                   merges them did not arrive (offline, or the server is down). They are kept and merged when it \
                   does; your own work is saved."
                .to_string(),
        }));
    }
    let slot = slot.clone();
    let context = context.clone();
    after_ms(RETRY_FETCH_MS, move || schedule_step(&slot, &fresh(&context)));
}

/// [`merge_step`], in the merge's module.
#[cfg_attr(feature = "lazy-views", wasm_split(delivery, fallible, preload(preload_delivery)))]
fn merge_step_in_module(slot: &Rc<RefCell<SaveSlot>>, context: &AppContext) -> Result<(), NotLoaded> {
    if let Ok(mut state) = slot.try_borrow_mut() {
        state.delivery_unfetched = false;
        take_arrivals(&mut state, &context.project);
    }
    merge_step(slot, context);
    Ok(())
}

/// One task of a delivery's merge: either shows what the slices merged (every `SHOW_EVERY_MS`,
/// and when the delivery is done) or merges the next slice — never both, since showing renders
/// the whole app. A slice's writes are stored in chunks (a chunk that fails leaves the rest for
/// the autosave, which retries with the storage banner). `context` is fresh: a dispatch reduces
/// at once, so its revision says whether anything (an edit) changed the project since the last
/// step — then the unshown slices are merged again onto it (`delivery::merge_again`).
fn merge_step(slot: &Rc<RefCell<SaveSlot>>, context: &AppContext) {
    let Ok(mut state) = slot.try_borrow_mut() else { return };
    state.step_scheduled = false;
    let started = timing::now();
    let unshown = match state.unshown.take() {
        Some(stale) if stale.revision != context.revision => {
            let (project, waiting) = merge_again(&context.project, &stale.documents, &stale.project);
            match state.merging.as_mut() {
                Some(merge) => merge.wait(waiting),
                None => state.waiting.extend(waiting),
            }
            timing::record(&[("crosscheck:sync-merge-again", started, timing::now())]);
            Some(Unshown { project, revision: context.revision, ..stale })
        }
        unshown => unshown,
    };
    let merging = state.merging.is_some();
    let show = unshown.as_ref().is_some_and(|unshown| !merging || started - unshown.since >= SHOW_EVERY_MS);
    let (to_show, unshown) = if show { (unshown, None) } else { (None, unshown) };
    if let Some(unshown) = to_show {
        state.saved.absorb(&unshown.project, &unshown.absorbed);
        drop(state);
        if merging {
            schedule_step(slot, context);
        }
        if !unshown.documents.is_empty() {
            // With the slot released: a dispatch renders at once.
            context.dispatch(AppAction::ReplaceProject { project: unshown.project, keep_history: true, notice: None });
        }
        // Yew renders in a microtask queued by the dispatch; one queued after it ends after the
        // render, so the measure is the whole task the show costs.
        wasm_bindgen_futures::spawn_local(async move {
            timing::record(&[("crosscheck:sync-show", started, timing::now())]);
        });
        return;
    }
    let Some(mut merge) = state.merging.take() else {
        state.unshown = unshown;
        return;
    };
    let mut unshown = unshown.unwrap_or_else(|| Unshown {
        project: context.project.clone(),
        revision: context.revision,
        documents: Vec::new(),
        absorbed: Vec::new(),
        since: started,
    });
    // Each merged document is a `localStorage` write too, after the merge (about 40 µs with its
    // journal share, more on a busy machine): the slice stops at a count as well as at a time.
    let merged = merge.step_while(&mut unshown.project, &mut |done| {
        done < MERGE_SLICE_DOCS && (done % 8 != 0 || timing::now() - started < MERGE_SLICE_MS)
    });
    let mut absorbed = merged.absorbed;
    if !merged.writes.is_empty() {
        let CommitBeside { finished, written } =
            migration::commit_beside(&state.migration, &merged.writes, DELIVERY_CHUNK);
        if let Some(paused) = finished.and_then(|ended| state.take_finished(ended)) {
            if let Some(status) = &state.status {
                status.set(paused);
            }
        }
        if let Err(failure) = written {
            // Only what is stored counts as saved; the autosave writes the rest.
            let unwritten: HashSet<&str> =
                merged.writes[failure.committed..].iter().map(|write| write.id.as_str()).collect();
            absorbed.retain(|(id, _)| !unwritten.contains(id.as_str()));
            state.dirty = true;
        }
    }
    unshown.absorbed.extend(absorbed);
    unshown.documents.extend(merged.changed_documents);
    if merge.is_done() {
        state.waiting = merge.into_waiting();
    } else {
        state.merging = Some(merge);
    }
    state.unshown = Some(unshown);
    drop(state);
    // The next slice, or the show.
    schedule_step(slot, context);
    timing::record(&[("crosscheck:sync-slice", started, timing::now())]);
    for (id, from_server) in &merged.unreadable {
        let text = if *from_server {
            format!("The team server sent \"{id}\", which this browser cannot read; it was skipped.")
        } else {
            format!("Another tab saved \"{id}\", which this tab cannot read; this tab keeps its own copy.")
        };
        context.dispatch(AppAction::Notify(Notice { level: NoticeLevel::Warning, text }));
    }
}

/// Gives team sync its way into the project: pulled documents merged and stored, the latest
/// project, and the annotator name (the server's user name).
pub(super) fn install_sync_hooks(slot: &Rc<RefCell<SaveSlot>>, context: &AppContext) {
    let apply_remote = {
        let slot = slot.clone();
        let context = context.clone();
        Rc::new(move |documents: Vec<(String, String)>, articles: Vec<crate::domain::article::Article>| {
            merge_documents(&slot, &fresh(&context), documents, articles, true)
        })
    };
    let project = {
        let slot = Rc::downgrade(slot);
        Rc::new(move || Some(slot.upgrade()?.try_borrow().ok()?.latest.as_ref()?.project.clone()))
    };
    let set_author = {
        let slot = Rc::downgrade(slot);
        let context = context.clone();
        Rc::new(move |annotator: String| {
            let latest = slot
                .upgrade()
                .and_then(|slot| slot.try_borrow().ok()?.latest.clone())
                .unwrap_or_else(|| context.clone());
            let now = now_ms();
            crate::ui::editing::edit(&latest, move |latest| {
                if latest.project.settings().annotator != annotator {
                    let settings = crate::domain::project::Settings { annotator, ..latest.project.settings().clone() };
                    let edit = crate::domain::project::Edit::SetSettings(settings);
                    latest.dispatch(AppAction::Edit { edit, now });
                }
            });
        })
    };
    let merging = {
        let slot = Rc::downgrade(slot);
        // Merged and shown: a batch is checkpointed once it is in the project, not only stored.
        Rc::new(move || {
            slot.upgrade().is_some_and(|slot| {
                slot.try_borrow()
                    .is_ok_and(|slot| slot.merging.is_some() || slot.unshown.is_some() || !slot.arrived.is_empty())
            })
        })
    };
    crate::web::sync::install(crate::web::sync::Hooks { apply_remote, project, set_author, merging });
}
