//! The choice a project import offers: add the file as another annotator's layer, or replace
//! the project with it.
//!
//! The import code calls [`offer`]; [`LayerImportChoice`] (mounted once, in the header's import
//! controls) holds the offer, and [`LayerChoiceDialog`] — in the importer's module, loaded on
//! first use (`ui::lazy_view`) — shows what each choice does. Adding a layer is one undoable edit
//! built by `domain::layers::add_layer`; replacing goes through the import's own path (which
//! downloads the current project first).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::domain::layers::add_layer;
use crate::domain::project::Project;
use crate::domain::sorting::InsertEach;
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::ui::dialog::Dialog;
use crate::ui::lazy_view::{lazy, Lazy, LazyArgs};
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;

/// A project file waiting for the user's choice.
#[derive(Clone)]
pub struct Offer {
    name: String,
    project: Rc<Project>,
}

impl PartialEq for Offer {
    fn eq(&self, other: &Offer) -> bool {
        self.name == other.name && Rc::ptr_eq(&self.project, &other.project)
    }
}

thread_local! {
    static SHOW_OFFER: RefCell<Option<Callback<Offer>>> = const { RefCell::new(None) };
}

/// Asks whether `project` (read from the file `name`) becomes another annotator's layer or
/// replaces the project; replaces at once if the dialog is not mounted.
pub fn offer(context: &AppContext, name: &str, project: Project, replace: fn(&AppContext, &str, Project)) {
    let shown = SHOW_OFFER.with(|show| show.borrow().clone());
    match shown {
        Some(show) => show.emit(Offer { name: name.to_string(), project: Rc::new(project) }),
        None => replace(context, name, project),
    }
}

fn add_as_layer(context: &AppContext, offer: &Offer) {
    let (offer, now) = (offer.clone(), now_ms());
    crate::ui::editing::edit(context, move |context| add_as_layer_now(context, &offer, now));
}

fn add_as_layer_now(context: &AppContext, offer: &Offer, now: i64) {
    let notice = match add_layer(&context.project, &offer.project, &offer.name) {
        Ok(import) => {
            let text = format!(
                "Added {}'s layer from {}: {} annotations, {} links{}{}{}.",
                import.authors.join(", "),
                offer.name,
                import.spans,
                import.relations,
                if import.articles_added > 0 {
                    format!(", {} new articles", import.articles_added)
                } else {
                    String::new()
                },
                if import.replaced > 0 {
                    format!(", replacing {} earlier annotations of theirs", import.replaced)
                } else {
                    String::new()
                },
                if import.gold_skipped > 0 {
                    format!("; {} gold annotations of the file left out", import.gold_skipped)
                } else {
                    String::new()
                },
            );
            context.dispatch(AppAction::Edit { edit: import.edit, now });
            Notice { level: NoticeLevel::Info, text }
        }
        Err(error) => {
            Notice { level: NoticeLevel::Error, text: format!("{} was not added as a layer: {error}.", offer.name) }
        }
    };
    context.dispatch(AppAction::Notify(notice));
}

#[derive(Properties, PartialEq)]
pub struct LayerImportChoiceProps {
    /// Replaces the project with the file (the import's own path).
    pub replace: Callback<(String, Project)>,
}

#[component]
pub fn LayerImportChoice(props: &LayerImportChoiceProps) -> Html {
    let pending = use_state(|| None::<Offer>);
    {
        let pending = pending.clone();
        use_effect_with((), move |_| {
            SHOW_OFFER.with(|show| *show.borrow_mut() = Some(Callback::from(move |offer| pending.set(Some(offer)))));
            || SHOW_OFFER.with(|show| *show.borrow_mut() = None)
        });
    }
    let Some(offer) = (*pending).clone() else { return html! {} };
    // The dialog is in the importer's module (`ui::lazy_view`), loaded before any offer.
    let choice = LayerChoiceArgs { offer, pending, replace: props.replace.clone() };
    lazy(Lazy::LayerChoice, LazyArgs { layer_choice: Some(choice), ..LazyArgs::default() })
}

/// What the layer-or-replace dialog needs: the file, how to clear it, how to replace.
#[derive(Clone, PartialEq)]
pub struct LayerChoiceArgs {
    offer: Offer,
    pending: UseStateHandle<Option<Offer>>,
    replace: Callback<(String, Project)>,
}

#[derive(Properties, PartialEq)]
pub struct LayerChoiceDialogProps {
    pub args: LayerChoiceArgs,
}

/// The choice itself: add as a layer, replace the project, or cancel.
#[component]
pub fn LayerChoiceDialog(props: &LayerChoiceDialogProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let LayerChoiceArgs { offer, pending, replace } = props.args.clone();
    let close = {
        let pending = pending.clone();
        let context = context.clone();
        let name = offer.name.clone();
        Callback::from(move |_| {
            pending.set(None);
            context.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Info,
                text: format!("{name} was not imported."),
            }));
        })
    };
    let on_layer = {
        let pending = pending.clone();
        let context = context.clone();
        let offer = offer.clone();
        Callback::from(move |_| {
            pending.set(None);
            add_as_layer(&context, &offer);
        })
    };
    let on_replace = {
        let pending = pending.clone();
        let replace = replace.clone();
        let offer = offer.clone();
        Callback::from(move |_| {
            pending.set(None);
            replace.emit((offer.name.clone(), (*offer.project).clone()));
        })
    };
    let authors: std::collections::BTreeSet<&str> =
        offer.project.spans().values().map(|span| span.author.as_str()).into_set();
    let authors = authors.into_iter().collect::<Vec<_>>().join(", ");
    html! {
        <Dialog title="Import a project" testid="import-choice" on_close={close.clone()}>
            <p>{format!("{} holds {} articles, {} annotations and {} links by {}.", offer.name, offer.project.articles().len(), offer.project.spans().len(), offer.project.relations().len(), if authors.is_empty() { "nobody".to_string() } else { authors })}</p>
            <div class="import-choice-actions">
                <button type="button" class="primary" data-testid="import-as-layer" onclick={on_layer} autofocus=true>{"Add as another annotator's layer"}</button>
                <button type="button" data-testid="import-replace" onclick={on_replace}>{"Replace the project"}</button>
                <button type="button" onclick={close.reform(|_| ())}>{"Cancel"}</button>
            </div>
            <p class="hint">{"A layer keeps your work and adds theirs next to it, matching articles by their text; importing the same annotator again replaces their layer. Replacing downloads the current project first."}</p>
        </Dialog>
    }
}
