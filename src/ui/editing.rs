//! The code that edits and saves, as a module of its own (`split_editing`): planning the
//! documents a change touched (`formats::stored::save::plan`), the stored format's writers,
//! committing the journal and the save's rehearsal (`ui::autosave`); the project export's JSON;
//! and the reducer's edit steps (`domain::state::EditSteps`: applying, validating and undoing
//! every kind of edit). Showing a project needs none of it, so the first load does not carry it:
//! start-up fetches it beside the stored project's read (`ui::boot`), off the path to the first
//! paint, so that it is here before a first edit.
//!
//! The main module holds only [`EditingCode`]'s pointers, handed over by one split call; calling
//! them needs no wait, so `pagehide` and a panic still flush at once. Should something need the
//! module before it is here (a slow network), it waits for it ([`with_editing_code`]): an edit or
//! an undo is held ([`hold`]) and reduced, in order, when it arrives; a save shows "Saving…", as
//! it waits for a new article's text on its way to IndexedDB, and the module's arrival saves what
//! waited; a page closed or reloaded meanwhile is asked to stay (`beforeunload`), since nothing
//! could write the edit yet. Should the fetch fail, a notice or the save's status says so, and
//! the next edit or the failed-write retry fetches it again.

use std::cell::{Cell, RefCell};

use crate::domain::project::Project;
use crate::domain::state::{AppAction, AppState, EditSteps};
use crate::domain::state::{Notice, NoticeLevel};
use crate::formats::stored::save::SavedState;
use crate::ui::autosave::{SaveSlot, Written};
use crate::ui::state::AppContext;
use crate::web::split_module::{split_call, NotLoaded};
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;
use yew::UseReducerDispatcher;

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
    /// The reducer's edit steps (`domain::state::EditSteps`): applying, validating and undoing
    /// every kind of edit.
    pub edit_steps: EditSteps,
}

/// Told whether the module arrived.
type Waiter = Box<dyn FnOnce(Result<EditingCode, NotLoaded>)>;

thread_local! {
    static CODE: Cell<Option<EditingCode>> = const { Cell::new(None) };
    /// Who waits for the module; `Some` while it is being fetched.
    static WAITING: RefCell<Option<Vec<Waiter>>> = const { RefCell::new(None) };
    /// Edits (and undos) made before the module arrived, in order.
    static HELD: RefCell<Vec<AppAction>> = const { RefCell::new(Vec::new()) };
    /// Dispatches to the app's state: reduces held edits when the module arrives.
    static DISPATCHER: RefCell<Option<UseReducerDispatcher<AppState>>> = const { RefCell::new(None) };
}

/// Registers the app state's dispatcher, which held edits are reduced through (`ui::app`).
pub fn set_dispatcher(dispatcher: UseReducerDispatcher<AppState>) {
    DISPATCHER.with(|slot| *slot.borrow_mut() = Some(dispatcher));
}

/// Whether edits are held for the module.
pub fn holds_edits() -> bool {
    HELD.with(|held| held.try_borrow().map_or(true, |held| !held.is_empty()))
}

/// Holds an edit made before the module arrived (the reducer gave it back): it is dispatched
/// again, after those held before it, once the module is here. Should the fetch fail, the edits
/// stay held, a notice says why, and the fetch is tried again by the next edit.
pub fn hold(action: Box<AppAction>) {
    HELD.with(|held| held.borrow_mut().push(*action));
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
        let held = HELD.with(|held| std::mem::take(&mut *held.borrow_mut()));
        for action in held {
            dispatcher.dispatch(action);
        }
    });
}

/// The editing code, if its module is here.
pub fn loaded() -> Option<EditingCode> {
    CODE.get()
}

/// Runs `then` with the editing code: at once when its module is here, else when its fetch (one
/// at a time; the first call starts it) ends.
pub fn with_editing_code(then: impl FnOnce(Result<EditingCode, NotLoaded>) + 'static) {
    if let Some(code) = CODE.get() {
        return then(Ok(code));
    }
    let Ok(fetching) = WAITING.with(|waiting| {
        waiting.try_borrow_mut().map(|mut waiting| {
            let fetching = waiting.is_some();
            waiting.get_or_insert_with(Vec::new).push(Box::new(then));
            fetching
        })
    }) else {
        return;
    };
    if fetching {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        let code = split_call!(editing_code_in_module());
        if let Ok(code) = code {
            CODE.set(Some(code));
        }
        let waiting = WAITING.with(|waiting| waiting.borrow_mut().take()).unwrap_or_default();
        for then in waiting {
            then(code);
        }
    });
}

#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn editing_code_in_module() -> Result<EditingCode, NotLoaded> {
    Ok(EditingCode {
        write: crate::ui::autosave::write_here,
        rehearse: crate::ui::autosave::rehearse_here,
        project_json: crate::formats::project_json::to_json,
        edit_steps: EditSteps::here(),
    })
}
