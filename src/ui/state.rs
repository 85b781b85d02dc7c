//! The Yew face of the pure app state: `Reducible`, the shared context type, and the
//! in-progress selection that the toolbar and the hotkeys act on.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::ArticleId;
use crate::domain::ids::LabelId;
use crate::domain::state::{AppAction, AppState};

/// Edits through the editing code's steps (`ui::editing`); an edit that comes before that code is
/// held and reduced when it arrives, in order.
impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let steps = crate::ui::editing::loaded().map(|code| code.edit_steps);
        match self.reduce_with(action, steps.as_ref()) {
            Ok(next) => Rc::new(next),
            Err(held) => {
                crate::ui::editing::hold(*held);
                self
            }
        }
    }
}

/// The handle every panel reads and dispatches through.
pub type AppContext = UseReducerHandle<AppState>;

/// A handle on the latest state, for code that keeps an [`AppContext`] beyond one render
/// (listeners registered once, hooks held by team sync). Yew 0.23's handle keeps every state it
/// has been read at for as long as it lives (its `deref_history`); a clone starts a new one. So
/// such code keeps a handle but reads and dispatches only through `fresh(&kept)`: reading the
/// kept handle itself kept one whole project per edit (`make bench`: +503 % memory over 1,000
/// tag/undo cycles at 10,000 spans).
pub fn fresh(context: &AppContext) -> AppContext {
    context.clone()
}

/// The app's handle in the props of a component that renders from a snapshot (the side panel,
/// held a frame behind the reader): equal to every other, so that a change of state does not
/// render the component again by itself, and read only through [`LiveContext::get`], at an
/// event, so that callbacks act on the latest state and nothing keeps old ones (see [`fresh`]).
#[derive(Clone)]
pub struct LiveContext(pub AppContext);

impl PartialEq for LiveContext {
    fn eq(&self, _other: &LiveContext) -> bool {
        true
    }
}

impl LiveContext {
    /// A handle on the latest state, for one callback's run.
    pub fn get(&self) -> AppContext {
        fresh(&self.0)
    }
}

/// Text the user has selected in a reader and not yet tagged, snapped to words (unless `Alt`
/// was held, or `unsnapped`), in code points.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingSelection {
    pub article: ArticleId,
    pub start: usize,
    pub end: usize,
    /// Where to show the toolbar (viewport coordinates of the selection's bottom-left).
    pub anchor: (f64, f64),
    /// Still to be snapped to words: made before the editing code, which segments words,
    /// arrived; trimmed only (`ui::commands::snap_pending`).
    pub unsnapped: bool,
}

/// The in-progress selection, shared between the readers, the toolbar and the hotkeys.
pub type PendingHandle = UseStateHandle<Option<PendingSelection>>;

/// One end of a link being made in the compare view: an existing span, or selected text that
/// becomes a span when the link is made. (A suggested link's end is `domain::suggest::LinkEnd`.)
#[derive(Clone, Debug, PartialEq)]
pub enum ChosenEnd {
    Span(crate::domain::annotation::SpanId),
    Text(PendingSelection),
}

/// The two ends chosen in the compare view, and how new spans and contradictions are made.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareState {
    pub left: Option<ChosenEnd>,
    pub right: Option<ChosenEnd>,
    /// The label given to a span created on the fly from selected text.
    pub new_span_label: LabelId,
    /// The kind given to a new `contradicts` link, if any.
    pub contradiction_kind: Option<String>,
}

impl Default for CompareState {
    fn default() -> CompareState {
        CompareState { left: None, right: None, new_span_label: LabelId::from("claim"), contradiction_kind: None }
    }
}

pub type CompareHandle = UseStateHandle<CompareState>;
