//! The Yew face of the pure app state: `Reducible`, the shared context type, and the
//! in-progress selection that the toolbar and the hotkeys act on.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::ArticleId;
use crate::domain::state::{AppAction, AppState};

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        Rc::new(AppState::reduce(&self, action))
    }
}

/// The handle every panel reads and dispatches through.
pub type AppContext = UseReducerHandle<AppState>;

/// Text the user has selected in a reader and not yet tagged, already snapped to words
/// (unless `Alt` was held), in code points.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingSelection {
    pub article: ArticleId,
    pub start: usize,
    pub end: usize,
    /// Where to show the toolbar (viewport coordinates of the selection's bottom-left).
    pub anchor: (f64, f64),
}

/// The in-progress selection, shared between the readers, the toolbar and the hotkeys.
pub type PendingHandle = UseStateHandle<Option<PendingSelection>>;
