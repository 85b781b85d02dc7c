//! The code that edits and saves, as a module of its own (`split_editing`): planning the
//! documents a change touched (`formats::stored::save::plan`), the stored format's writers,
//! committing the journal and the save's rehearsal (`ui::autosave`); the project export's JSON;
//! and the reducer's edit steps (`domain::state::EditSteps`: applying, validating and undoing
//! every kind of edit). Showing a project needs none of it, so the first load does not carry it:
//! start-up fetches it after the project's first paint (`ui::boot`): at the person's first key or
//! pointer press, or two seconds later in an idle moment, so that it is mostly here before a
//! first edit. (Fetched beside the stored project's read instead, its ~70 files made the load
//! and the reload about 50 % slower: `docs/performance-log.md`.)
//!
//! The main module holds only [`EditingCode`]'s pointers, handed over by one split call; calling
//! them needs no wait, so `pagehide` and a panic still flush at once. Should something need the
//! module before it is here (a slow network), it waits for it ([`with_editing_code`]): an edit is
//! held unbuilt ([`edit`]: the code that reads the state and makes it runs on arrival, on the
//! state the edits held before it lead to), an undo as it is ([`hold`]), and they run, in order,
//! when it arrives; a save shows "Saving…", as
//! it waits for a new article's text on its way to IndexedDB, and the module's arrival saves what
//! waited; a page closed or reloaded meanwhile is asked to stay (`beforeunload`), since nothing
//! could write the edit yet. Should the fetch fail, a notice or the save's status says so, and
//! the next edit or the failed-write retry fetches it again.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::JsCast;

use crate::domain::article::Article;
use crate::domain::history::History;
use crate::domain::project::Project;
use crate::domain::state::{AppAction, AppState, EditSteps};
use crate::domain::state::{Notice, NoticeLevel};
use crate::domain::text::TextIndex;
use crate::formats::stored::load::LeftOut;
use crate::formats::stored::save::SavedState;
use crate::ui::autosave::{SaveSlot, Written};
use crate::ui::state::{fresh, AppContext};
use crate::web::split_module::{split_call, NotLoaded};
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;
use yew::{hook, use_effect_with, use_state_eq, UseReducerDispatcher};

/// Widens `start..end` (code points) of a text with its index to whole words, or `None`.
pub type SnapToWords = fn(&str, &TextIndex, usize, usize) -> Option<(usize, usize)>;

/// The editing module's steps, as pointers into the module that runs them.
#[derive(Clone, Copy)]
pub struct EditingCode {
    /// Plans and writes what the latest state changed, records it as saved, and copies it for
    /// team sync (`ui::autosave::write_here`).
    pub write: fn(&mut SaveSlot, &AppContext, i64) -> Written,
    /// Rehearses the first edit's save (`SavedState::rehearse_edit`).
    pub rehearse: fn(&SavedState, i64),
    /// The project as a project export (`formats::project_json`).
    pub project_json: fn(&Project) -> String,
    /// Reads the stored undo history the load left unread (`SavedState::read_history`).
    pub read_history: fn(&mut SavedState) -> Option<(History, LeftOut)>,
    /// The reducer's edit steps (`domain::state::EditSteps`): applying, validating and undoing
    /// every kind of edit.
    pub edit_steps: EditSteps,
    /// Widens a selection to whole words (`domain::text::snap_to_words`): Unicode's word
    /// segmentation and its tables are here, not in the first load.
    pub snap_to_words: SnapToWords,
    /// Counts an article's words (`Article::word_count`), for one stored without its count.
    pub count_words: fn(&Article) -> usize,
}

/// Runs with the module's code once it is here.
type OnArrival = Box<dyn FnOnce(EditingCode)>;

/// Told whether the module arrived.
type Waiter = Box<dyn FnOnce(Result<EditingCode, NotLoaded>)>;

thread_local! {
    static CODE: Cell<Option<EditingCode>> = const { Cell::new(None) };
    /// Who waits for the module (told whether it arrived).
    static WAITING: RefCell<Vec<Waiter>> = const { RefCell::new(Vec::new()) };
    /// Whether a fetch is under way.
    static FETCHING: Cell<bool> = const { Cell::new(false) };
    /// Whether the project's first paint is done: before it, nothing fetches the module.
    static MAY_FETCH: Cell<bool> = const { Cell::new(false) };
    /// Edits (and undos) made before the module arrived, in order.
    static HELD: RefCell<VecDeque<Held>> = const { RefCell::new(VecDeque::new()) };
    /// The app's handle while edits are held unbuilt: they are built through it on arrival.
    static HELD_CONTEXT: RefCell<Option<AppContext>> = const { RefCell::new(None) };
    /// Runs on the module's arrival before anything that waited for it: reads the undo history
    /// the load left unread into the saved state and the app's state (`ui::autosave`), before
    /// any held edit or waiting save.
    static FIRST_ON_ARRIVAL: RefCell<Option<OnArrival>> = const { RefCell::new(None) };
    /// Who waits for the module without asking for it (the save's rehearsal): run on its arrival.
    static ON_ARRIVAL: RefCell<Vec<OnArrival>> = const { RefCell::new(Vec::new()) };
    /// Dispatches to the app's state: reduces held edits when the module arrives.
    static DISPATCHER: RefCell<Option<UseReducerDispatcher<AppState>>> = const { RefCell::new(None) };
}

/// Registers the app state's dispatcher, which held edits are reduced through (`ui::app`).
pub fn set_dispatcher(dispatcher: UseReducerDispatcher<AppState>) {
    DISPATCHER.with(|slot| *slot.borrow_mut() = Some(dispatcher));
}

/// An edit waiting for the module.
enum Held {
    /// An action the reducer gave back (an undo or a redo: it names no state to build from).
    Built(AppAction),
    /// The code that reads the state and dispatches the edit it makes: run on arrival, so that it
    /// reads the state every edit held before it leads to, not the one shown when it was asked
    /// for (a tag after a held rename of the annotator carried the old name).
    ToBuild(Box<dyn FnOnce(&AppContext)>),
}

/// Whether edits are held for the module.
pub fn holds_edits() -> bool {
    HELD.with(|held| held.try_borrow().map_or(true, |held| !held.is_empty()))
}

/// Whether an edit made now is made at once: the module is here and no edit waits for it.
pub fn edits_at_once() -> bool {
    CODE.get().is_some() && !holds_edits()
}

/// Makes an edit: `make` reads the state through the handle it is given and dispatches what it
/// makes of it. Run at once when [`edits_at_once`]; else held, and run when the module arrives,
/// after the edits held before it, on the state they lead to. So `make` takes from the moment
/// it was asked for only what the person did then (a selection, a typed value, the time), and
/// reads everything else from its handle.
pub fn edit(context: &AppContext, make: impl FnOnce(&AppContext) + 'static) {
    if edits_at_once() {
        return make(context);
    }
    HELD_CONTEXT.with(|slot| *slot.borrow_mut() = Some(context.clone()));
    hold_one(Held::ToBuild(Box::new(make)));
}

/// Holds an action the reducer gave back, made before the module arrived: it is dispatched again,
/// after those held before it, once the module is here.
pub fn hold(action: AppAction) {
    hold_one(Held::Built(action));
}

/// Holds `held` until the module is here. Should the fetch fail, the edits stay held, a notice
/// says why, and the fetch is tried again by the next edit.
fn hold_one(held: Held) {
    HELD.with(|waiting| waiting.borrow_mut().push_back(held));
    with_editing_code(|code| {
        let dispatcher = DISPATCHER.with(|slot| slot.borrow().clone());
        let Some(dispatcher) = dispatcher else { return };
        if code.is_err() {
            dispatcher.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Error,
                text: "Editing could not be loaded: the app's files did not arrive (offline, or the server is down). \
                       Your latest edits are kept in this tab and made when it arrives: edit again to retry."
                    .to_string(),
            }));
            return;
        }
        // One at a time, each reduced before the next is built (a dispatch reduces at once).
        while let Some(next) = HELD.with(|waiting| waiting.borrow_mut().pop_front()) {
            match next {
                Held::Built(action) => dispatcher.dispatch(action),
                Held::ToBuild(make) => {
                    if let Some(context) = HELD_CONTEXT.with(|slot| slot.borrow().as_ref().map(fresh)) {
                        make(&context);
                    }
                }
            }
        }
        HELD_CONTEXT.with(|slot| slot.borrow_mut().take());
    });
}

/// The editing code, if its module is here.
pub fn loaded() -> Option<EditingCode> {
    CODE.get()
}

/// `article`'s word count: as stored, or counted by the editing code; `None` before it arrives
/// for an article stored without its count (a store from before counts were kept) or made since
/// the load (a first start's sample articles). Show it with [`use_editing_code`].
pub fn word_count(article: &Article) -> Option<usize> {
    article.known_word_count().or_else(|| loaded().map(|code| (code.count_words)(article)))
}

/// Whether the editing code is here, as state: a component that shows what only it can tell
/// ([`word_count`]) renders again when it arrives.
#[hook]
pub fn use_editing_code() -> bool {
    let arrived = use_state_eq(|| CODE.get().is_some());
    {
        let arrived = arrived.clone();
        use_effect_with((), move |_| {
            if !*arrived {
                when_arrived(move |_| arrived.set(true));
            }
        });
    }
    *arrived
}

/// Runs `then` with the editing code once its module is here (at once if it is), without
/// fetching it: for work that should not bring the module sooner than start-up does.
pub fn when_arrived(then: impl FnOnce(EditingCode) + 'static) {
    if let Some(code) = CODE.get() {
        return then(code);
    }
    ON_ARRIVAL.with(|waiting| waiting.borrow_mut().push(Box::new(then)));
}

/// Runs `then` first when the module arrives (at once if it is here), before every waiter.
pub fn first_on_arrival(then: impl FnOnce(EditingCode) + 'static) {
    match CODE.get() {
        Some(code) => then(code),
        None => FIRST_ON_ARRIVAL.with(|first| *first.borrow_mut() = Some(Box::new(then))),
    }
}

/// Fetches the editing code after the project's first paint: at once if something already waits
/// for it (a save of a first start's sample articles); else at the person's first key or pointer
/// press, or [`FETCH_DELAY_MS`] later in an idle moment, whichever comes first. Until that paint,
/// [`with_editing_code`] waits without fetching, so the module's files never compete with the
/// first paint's work. `then` runs once the module is here.
pub fn fetch_after_first_paint(then: impl FnOnce() + 'static) {
    crate::web::schedule::after_next_paint(move || {
        MAY_FETCH.set(true);
        let waited = WAITING.with(|waiting| waiting.try_borrow().map_or(true, |waiting| !waiting.is_empty()));
        if waited && !FETCHING.get() {
            fetch();
        }
        let then = Rc::new(Cell::new(Some(Box::new(then) as Box<dyn FnOnce()>)));
        let start = move || {
            let Some(then) = then.take() else { return };
            with_editing_code(move |code| {
                if code.is_ok() {
                    then();
                }
            })
        };
        let window = gloo::utils::window();
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_once(true);
        options.set_passive(true);
        for event in ["keydown", "pointerdown"] {
            let start = start.clone();
            let listener = wasm_bindgen::closure::Closure::once_into_js(start);
            let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
                event,
                listener.unchecked_ref(),
                &options,
            );
        }
        crate::web::schedule::after_ms(FETCH_DELAY_MS, move || {
            crate::web::schedule::when_idle(FETCH_IDLE_TIMEOUT_MS, start)
        });
    });
}

/// How long after the first paint the editing code is fetched unasked. Not at once: its ~70
/// files, fetched and compiled in the moments after a load, made a reload then (`make bench`
/// reloads as soon as every highlight is drawn) wait ~50 ms for the page it replaced.
const FETCH_DELAY_MS: i32 = 2000;

/// The longest the editing code's fetch then waits for an idle moment.
const FETCH_IDLE_TIMEOUT_MS: u32 = 1000;

/// Runs `then` with the editing code: at once when its module is here, else when its fetch (one
/// at a time; the first call after the first paint starts it) ends.
pub fn with_editing_code(then: impl FnOnce(Result<EditingCode, NotLoaded>) + 'static) {
    if let Some(code) = CODE.get() {
        return then(Ok(code));
    }
    if WAITING.with(|waiting| waiting.try_borrow_mut().map(|mut waiting| waiting.push(Box::new(then)))).is_err() {
        return;
    }
    if MAY_FETCH.get() && !FETCHING.get() {
        fetch();
    }
}

fn fetch() {
    FETCHING.set(true);
    wasm_bindgen_futures::spawn_local(async {
        let code = split_call!(editing_code_in_module());
        if let Ok(code) = code {
            CODE.set(Some(code));
            if let Some(first) = FIRST_ON_ARRIVAL.with(|first| first.borrow_mut().take()) {
                first(code);
            }
        }
        FETCHING.set(false);
        let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
        for then in waiting {
            then(code);
        }
        if let Ok(code) = code {
            for then in ON_ARRIVAL.with(|waiting| std::mem::take(&mut *waiting.borrow_mut())) {
                then(code);
            }
        }
    });
}

#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn editing_code_in_module() -> Result<EditingCode, NotLoaded> {
    Ok(EditingCode {
        write: crate::ui::autosave::write_here,
        rehearse: crate::ui::autosave::rehearse_here,
        project_json: crate::formats::project_json::to_json,
        read_history: SavedState::read_history,
        edit_steps: EditSteps::here(),
        snap_to_words: crate::domain::text::snap_to_words,
        count_words: Article::word_count,
    })
}
