//! Global hotkeys, registered once on the document.
//!
//! One listener serves the app's whole life; it acts on fresh clones of the latest render's
//! handles (see `ui::state::fresh`). Keys typed into a form field belong to the field, except
//! `Esc`, which leaves it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::annotation::Span;
use crate::domain::ids::RelationTypeId;
use crate::domain::state::{AppAction, View};
use crate::ui::commands::{apply_label_at, delete_selected, redo, step_selection, undo};
use crate::ui::state::{AppContext, PendingHandle};
use crate::web::selection::clear_selection;

/// What the hotkeys act on besides the app state.
#[derive(Clone)]
pub struct KeyTargets {
    pub context: AppContext,
    /// The open article's spans in reading order (the reader's list).
    pub article_spans: Rc<Vec<Rc<Span>>>,
    pub pending: PendingHandle,
    pub sheet_open: UseStateHandle<bool>,
    /// Compare-view relation hotkeys, given the relation type id.
    pub on_relation_key: Callback<RelationTypeId>,
    pub on_escape: Callback<()>,
    /// Accepts (`true`) or rejects the selected suggestion; returns whether there was one.
    pub on_suggestion_key: Callback<bool, bool>,
}

pub fn typing_into_field(event: &KeyboardEvent) -> bool {
    let Some(element) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || element.is_content_editable()
}

pub fn handle_keydown(event: &KeyboardEvent, targets: &KeyTargets) {
    let context = &targets.context;
    let key = event.key();
    if typing_into_field(event) {
        if key == "Escape" {
            if let Some(element) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = element.blur();
            }
        }
        return;
    }
    let command = event.ctrl_key() || event.meta_key();
    if command {
        match key.to_ascii_lowercase().as_str() {
            "z" if event.shift_key() => redo(context),
            "z" => undo(context),
            "y" => redo(context),
            _ => return,
        }
        event.prevent_default();
        return;
    }
    if event.alt_key() || (context.position.view == View::Adjudicate && crate::ui::adjudicate::handles_key(&key)) {
        return;
    }
    match key.as_str() {
        "?" => targets.sheet_open.set(!*targets.sheet_open),
        "Escape" => {
            if *targets.sheet_open {
                targets.sheet_open.set(false);
            } else if targets.pending.is_some() {
                targets.pending.set(None);
                clear_selection();
            } else {
                context.dispatch(AppAction::SelectSpan(None));
                context.dispatch(AppAction::SelectRelation(None));
                targets.on_escape.emit(());
            }
        }
        digit if digit.len() == 1 && ("1"..="9").contains(&digit) => {
            let index = digit.parse::<usize>().unwrap_or(1) - 1;
            apply_label_at(context, &targets.pending, index, &targets.article_spans);
        }
        "a" | "Enter" | "x" if context.position.view == View::Read => {
            let on_button = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
                .is_some_and(|element| matches!(element.tag_name().as_str(), "BUTTON" | "A"));
            if (key == "Enter" && on_button) || !targets.on_suggestion_key.emit(key != "x") {
                return;
            }
        }
        "j" => step_selection(context, true, &targets.article_spans),
        "k" => step_selection(context, false, &targets.article_spans),
        "Delete" | "Backspace" => delete_selected(context),
        other if context.position.view == View::Compare => {
            let relation = context
                .project
                .relation_types()
                .iter()
                .find(|relation| relation.hotkey == other)
                .map(|relation| relation.id.clone());
            match relation {
                Some(relation) => targets.on_relation_key.emit(relation),
                None => return,
            }
        }
        _ => return,
    }
    event.prevent_default();
}
