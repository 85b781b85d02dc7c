//! Autosave, storage problems and the second tab, as one hook.
//!
//! Every change to the project or the view position is written to `localStorage`: at once
//! while a write is cheap, or coalesced into one write per 300 ms when a large project makes it
//! costly, and always flushed when the page is hidden, closed, or stops on a panic. A write the
//! quota refuses leaves the project in memory, shows a banner, and retries every few seconds
//! until space is freed. When another tab saves, its copy is merged in (see `domain::merge`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::merge::merge;
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::formats::project_json;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::schedule::after_next_paint;
use crate::web::storage::{self, SaveError};

/// What the autosave last did, shown in the header and the storage banner.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    Saved {
        at: i64,
    },
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
const RETRY_MS: u32 = 4_000;

#[derive(Default)]
struct SaveSlot {
    timer: Option<Timeout>,
    retry: Option<Timeout>,
    /// Whether a retry is waiting to fire (`retry` keeps the handle of one that already ran).
    retry_pending: bool,
    /// The newest state: a retry writes this, not the state of the save that failed.
    latest: Option<AppContext>,
    last_cost_ms: f64,
    dirty: bool,
    started: bool,
    /// Set when the state was just replaced by exactly what another tab stored.
    skip_next: bool,
    /// Whether "Saving…" is (or is about to be) shown for the coalesced write under way.
    pending_shown: bool,
}

/// User Timing for DevTools' performance panel and `make bench`: each save is recorded as the
/// measures `crosscheck:serialise`, `crosscheck:write` and `crosscheck:save` (both). A mark costs
/// a few microseconds; marks and measures are cleared as soon as they are made (a
/// `PerformanceObserver` still receives them), so the timeline buffer never grows.
mod timing {
    fn performance() -> Option<web_sys::Performance> {
        web_sys::window().and_then(|window| window.performance())
    }

    pub fn now() -> f64 {
        performance().map_or_else(js_sys::Date::now, |performance| performance.now())
    }

    pub fn mark(name: &str) {
        if let Some(performance) = performance() {
            let _ = performance.mark(name);
        }
    }

    /// Records the measures, then clears them and the marks.
    pub fn measure(measures: &[(&str, &str, &str)], marks: &[&str]) {
        let Some(performance) = performance() else { return };
        for (name, from, to) in measures {
            let _ = performance.measure_with_start_mark_and_end_mark(name, from, to);
            performance.clear_measures_with_measure_name(name);
        }
        for mark in marks {
            performance.clear_marks_with_mark_name(mark);
        }
    }
}

/// Serialises and writes the latest state.
fn save_now(context: &AppContext, slot: &RefCell<SaveSlot>) -> SaveStatus {
    const START: &str = "crosscheck:save-start";
    const SERIALISED: &str = "crosscheck:save-serialised";
    const END: &str = "crosscheck:save-end";
    let started = timing::now();
    timing::mark(START);
    let now = now_ms();
    let json = project_json::to_stored_json(&context.project, &context.position, &context.history, now);
    timing::mark(SERIALISED);
    let result = storage::save(&json);
    timing::mark(END);
    timing::measure(
        &[
            ("crosscheck:serialise", START, SERIALISED),
            ("crosscheck:write", SERIALISED, END),
            ("crosscheck:save", START, END),
        ],
        &[START, SERIALISED, END],
    );
    let Ok(mut slot) = slot.try_borrow_mut() else { return SaveStatus::Pending };
    slot.last_cost_ms = timing::now() - started;
    slot.pending_shown = false;
    slot.dirty = result.is_err();
    match result {
        Ok(()) => SaveStatus::Saved { at: now },
        Err(SaveError::QuotaExceeded) => SaveStatus::Full,
        Err(error) => SaveStatus::Failed(error.to_string()),
    }
}

/// A guess at the first save's cost, before one has been timed: about 9 µs per span or link and
/// 0.02 µs per character of article text in Chromium (`make bench`). A large project's first
/// save is then coalesced like the later ones instead of delaying the first edit's paint.
fn estimated_save_ms(project: &crate::domain::project::Project) -> f64 {
    let items = (project.spans().len() + project.relations().len()) as f64;
    let text: usize = project.articles().iter().map(|article| article.text.len()).sum();
    items * 0.009 + text as f64 * 0.000_02
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

/// Runs the autosave. `paused_because` is `Some` when start-up found data it must not overwrite.
#[hook]
pub fn use_autosave(context: &AppContext, paused_because: Option<String>) -> Autosave {
    let paused = use_state(|| paused_because.clone());
    let status = use_state(|| match &paused_because {
        Some(why) => SaveStatus::Paused(why.clone()),
        None => SaveStatus::Saved { at: 0 },
    });
    let slot = {
        let project = &context.project;
        use_mut_ref(|| SaveSlot { last_cost_ms: estimated_save_ms(project), ..SaveSlot::default() })
    };

    {
        let context = context.clone();
        let slot = slot.clone();
        let status = status.clone();
        let is_paused = paused.is_some();
        use_effect_with((context.revision, context.position.clone(), is_paused), move |(_, _, is_paused)| {
            let first_run = !std::mem::replace(&mut slot.borrow_mut().started, true);
            let skip = std::mem::take(&mut slot.borrow_mut().skip_next);
            if *is_paused || first_run || skip {
                return;
            }
            slot.borrow_mut().dirty = true;
            slot.borrow_mut().latest = Some(context.clone());
            if slot.borrow().last_cost_ms < CHEAP_SAVE_MS {
                let outcome = save_now(&context, &slot);
                settle(outcome, context, slot, status);
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
                let context = context.clone();
                let slot = slot.clone();
                let paused = paused.clone();
                move || {
                    if paused.is_none() && slot.try_borrow().is_ok_and(|slot| slot.dirty) {
                        save_now(&context, &slot);
                    }
                }
            };
            crate::web::panic::set_flush(flush.clone());
            let window = gloo::utils::window();
            let on_hide = {
                let flush = flush.clone();
                move |_: &web_sys::Event| flush()
            };
            let on_storage = move |event: &web_sys::Event| {
                let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
                if event.key().as_deref() != Some(storage::PROJECT_KEY) || paused.is_some() {
                    return;
                }
                let Some(raw) = event.new_value() else { return };
                let Ok((incoming, _, _)) = project_json::from_stored_json(&raw) else {
                    context.dispatch(AppAction::Notify(Notice {
                        level: NoticeLevel::Warning,
                        text: "Another tab saved data this tab cannot read; this tab keeps its own copy.".to_string(),
                    }));
                    return;
                };
                let merged = merge(&context.project, &incoming);
                if merged == context.project {
                    return;
                }
                if let Ok(mut slot) = slot.try_borrow_mut() {
                    slot.skip_next = merged == incoming;
                }
                context.dispatch(AppAction::ReplaceProject { project: merged, keep_history: true, notice: None });
            };
            let listeners = [
                EventListener::new(&window, "pagehide", on_hide.clone()),
                EventListener::new(&gloo::utils::document(), "visibilitychange", on_hide),
                EventListener::new(&window, "storage", on_storage),
            ];
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
            status.set(save_now(&context, &slot));
        })
    };
    Autosave { status: (*status).clone(), resume }
}
