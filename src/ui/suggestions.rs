//! The suggestion review: running the suggesters without blocking the page, the review list,
//! and accepting or rejecting one suggestion, or all of one kind.
//!
//! Suggesters run in the task worker (`web::task_worker`), a chunk of paragraphs at a time with
//! the progress shown here, so even the 50,000-word benchmark article never freezes the page. Nothing becomes an annotation until
//! accepted; accepting is one undoable edit; a rejection is stored in the project so it is not
//! proposed again.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::shorten;
use crate::domain::ids::{ArticleId, SuggestionKey};
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::domain::suggest::{
    self, OpenSuggestions, Progress, SuggestedSpan, Suggestion, SuggestionKind, SuggestionTarget,
};
use crate::ui::state::AppContext;
use crate::web::clock::{new_id, now_ms};
use crate::web::split_module::{split_call, NotLoaded};
use crate::web::task_worker;
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;

/// The review panel's state: the suggestions of the last run, whether one is running, how long
/// the last took, and the selected row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SuggestionPanelState {
    pub items: Rc<Vec<Rc<Suggestion>>>,
    pub running: bool,
    pub millis: Option<f64>,
    pub selected: Option<SuggestionKey>,
}

pub type SuggestionHandle = UseStateHandle<SuggestionPanelState>;

/// What the app and the reader call to show a run's suggestions: code of the suggestions
/// module, which a run loaded (there is nothing to show before one), so none of it is in the
/// first load.
#[derive(Clone, Copy)]
pub struct SuggestionCode {
    /// The project's still-open index (`OpenSuggestions::new`).
    pub open_suggestions: fn(&crate::domain::project::Project) -> OpenSuggestions,
    /// The dashed spans an article shows, and how many suggestions are open in it.
    pub in_article: fn(&[Rc<Suggestion>], &OpenSuggestions, &ArticleId) -> InArticle,
    /// A paragraph's runs over `start..end`, cut again by its suggestions.
    pub runs: fn(&crate::ui::paragraph::ParagraphProps, usize, usize) -> Vec<Html>,
}

/// An article's dashed spans, and how many suggestions are open in it (spans and links).
pub type InArticle = (Rc<Vec<Rc<SuggestedSpan>>>, usize);

thread_local! {
    /// Set by the first run ([`start_run`]).
    static CODE: std::cell::Cell<Option<SuggestionCode>> = const { std::cell::Cell::new(None) };
}

/// The suggestion code, once a run has loaded it.
pub fn code() -> Option<SuggestionCode> {
    CODE.get()
}

fn in_article(items: &[Rc<Suggestion>], open: &OpenSuggestions, article: &ArticleId) -> InArticle {
    (Rc::new(suggest::suggested_spans(items, open, article)), suggest::open_in_article(items, open, article))
}

/// Runs the suggesters over the project in the task worker (`web::task_worker`), showing its
/// progress, then publishes the open suggestions.
pub fn run_suggestions(context: AppContext, run: SuggestionHandle) {
    if !run.running {
        start_run(context, run);
    }
}

/// Called after every edit: a run in progress read the project before it, so it starts again
/// over the edited project (the worker drops the older run at its next chunk).
///
/// A run is started from the review list, so the list's module is loaded: the run's code (and
/// the task worker's client) is that module's, not the first load's.
pub fn restart_after_edit(context: AppContext, run: SuggestionHandle) {
    if run.running {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = split_call!(restart_in_module(context, run));
        });
    }
}

#[cfg_attr(feature = "lazy-views", wasm_split(suggestions, fallible))]
fn restart_in_module(context: AppContext, run: SuggestionHandle) -> Result<(), NotLoaded> {
    start_run(context, run);
    Ok(())
}

fn start_run(context: AppContext, run: SuggestionHandle) {
    CODE.set(Some(SuggestionCode {
        open_suggestions: OpenSuggestions::new,
        in_article,
        runs: crate::ui::paragraph::suggestion_runs,
    }));
    let started = js_sys::Date::now();
    let base = SuggestionPanelState { running: true, ..(*run).clone() };
    run.set(base.clone());
    show_progress(None);
    // Progress goes to the status line alone (`RunProgress`): the panel and the app do not
    // re-render for it.
    let on_progress = |progress: Progress| show_progress(Some(progress));
    let project = context.project.clone();
    task_worker::suggest(&project, on_progress, move |found| match found {
        Ok(found) => {
            let items: Vec<Rc<Suggestion>> = found.into_iter().map(Rc::new).collect();
            let count = items.len();
            run.set(SuggestionPanelState {
                items: Rc::new(items),
                running: false,
                millis: Some(js_sys::Date::now() - started),
                selected: None,
            });
            context.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Info,
                text: format!(
                    "{count} suggestions to review across all articles. Nothing is added until you accept it."
                ),
            }));
        }
        Err(why) => {
            run.set(SuggestionPanelState { running: false, ..base });
            context.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Error,
                text: format!("Suggestions could not be found: {why}"),
            }));
        }
    });
}

/// Stops the run in progress; the last run's suggestions stay.
pub fn cancel_suggestions(run: &SuggestionHandle) {
    task_worker::cancel_suggestions();
    run.set(SuggestionPanelState { running: false, ..(**run).clone() });
}

thread_local! {
    /// The mounted [`RunProgress`]'s setter.
    static PROGRESS: std::cell::RefCell<Option<Callback<Option<Progress>>>> = const { std::cell::RefCell::new(None) };
}

fn show_progress(progress: Option<Progress>) {
    let setter = PROGRESS.with(|cell| cell.borrow().clone());
    if let Some(setter) = setter {
        setter.emit(progress);
    }
}

/// The running run's status line and progress bar (the only part that re-renders per chunk).
#[component]
fn RunProgress() -> Html {
    let progress = use_state(|| None::<Progress>);
    {
        let progress = progress.clone();
        use_effect_with((), move |_| {
            PROGRESS.with(|cell| *cell.borrow_mut() = Some(Callback::from(move |value| progress.set(value))));
            || PROGRESS.with(|cell| *cell.borrow_mut() = None)
        });
    }
    match *progress {
        Some(progress) => html! {
            <>
                <span class="hint" role="status">{format!(
                    "Looking for suggestions… {} of {} paragraphs read",
                    progress.paragraphs_done, progress.paragraphs_total
                )}</span>
                <progress data-testid="suggest-progress" aria-label="Paragraphs read"
                    max={progress.paragraphs_total.max(1).to_string()} value={progress.paragraphs_done.to_string()}></progress>
            </>
        },
        None => html! { <span class="hint" role="status">{"Looking for suggestions…"}</span> },
    }
}

/// Rows shown per kind until "Show all" (the benchmark article has thousands: rendering them
/// all took seconds).
const ROWS_SHOWN: usize = 50;

/// Accepts `suggestions` in order as one undoable step.
pub fn accept_all(context: &AppContext, suggestions: &[Rc<Suggestion>]) {
    let (suggestions, now) = (suggestions.to_vec(), now_ms());
    crate::ui::editing::edit(context, move |context| {
        let mut next_id = || new_id("s");
        if let Some(accepted) = suggest::accept_all(&context.project, &suggestions, &mut next_id, now) {
            context.dispatch(AppAction::Edit { edit: accepted.edit, now });
        }
    });
}

/// Rejects `suggestions` as one undoable step (and remembers them in the project).
pub fn reject_all(context: &AppContext, suggestions: &[Rc<Suggestion>]) {
    if let Some(edit) = suggest::reject_all(suggestions) {
        let now = now_ms();
        crate::ui::editing::edit(context, move |context| context.dispatch(AppAction::Edit { edit, now }));
    }
}

/// The open suggestion after `key` in list order (to keep the review moving), if any.
fn next_after(open: &[Rc<Suggestion>], key: &SuggestionKey) -> Option<SuggestionKey> {
    let position = open.iter().position(|suggestion| suggestion.key == *key)?;
    open.get(position + 1)
        .or_else(|| position.checked_sub(1).and_then(|before| open.get(before)))
        .map(|next| next.key.clone())
}

/// Accepts (`accept`) or rejects the selected suggestion and selects the next one. Returns
/// whether there was a selected suggestion to act on (for the hotkeys).
pub fn decide_selected(context: &AppContext, run: &SuggestionHandle, accept: bool) -> bool {
    let Some(key) = run.selected.clone() else { return false };
    // A row is selected in the review list, so the list's module is loaded: the decision's code
    // is that module's.
    let (context, run) = (context.clone(), run.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let _ = split_call!(decide_in_module(context, run, key, accept));
    });
    true
}

#[cfg_attr(feature = "lazy-views", wasm_split(suggestions, fallible))]
fn decide_in_module(
    context: AppContext,
    run: SuggestionHandle,
    key: SuggestionKey,
    accept: bool,
) -> Result<(), NotLoaded> {
    let open = OpenSuggestions::new(&context.project).filter(&run.items);
    let Some(suggestion) = open.iter().find(|item| item.key == key).cloned() else { return Ok(()) };
    let next = next_after(&open, &key);
    if accept {
        accept_all(&context, &[suggestion]);
    } else {
        reject_all(&context, &[suggestion]);
    }
    run.set(SuggestionPanelState { selected: next, ..(*run).clone() });
    Ok(())
}

fn kind_title(kind: SuggestionKind) -> &'static str {
    match kind {
        SuggestionKind::Quote => "Quotes",
        SuggestionKind::Speaker => "Speakers",
        SuggestionKind::NumericClaim => "Numeric claims",
        SuggestionKind::SameStatement => "Same statement across articles",
        SuggestionKind::NumericContradiction => "Numeric contradictions",
        SuggestionKind::AttributionConflict => "Attribution conflicts",
    }
}

const KINDS: [SuggestionKind; 6] = [
    SuggestionKind::Quote,
    SuggestionKind::Speaker,
    SuggestionKind::NumericClaim,
    SuggestionKind::SameStatement,
    SuggestionKind::NumericContradiction,
    SuggestionKind::AttributionConflict,
];

/// What the review list shows (its module is loaded on first use: `ui::lazy_view`).
#[derive(Clone)]
pub struct SuggestionArgs {
    pub run: SuggestionHandle,
    /// The project's still-open index, built once per project version by the app.
    pub open: Rc<OpenSuggestions>,
}

#[derive(Properties, PartialEq)]
pub struct SuggestionPanelProps {
    pub args: SuggestionArgs,
}

impl PartialEq for SuggestionArgs {
    fn eq(&self, other: &SuggestionArgs) -> bool {
        // The index is rebuilt only for a new project version: comparing pointers is enough.
        self.run == other.run && Rc::ptr_eq(&self.open, &other.open)
    }
}

/// The review list, grouped by kind.
#[component]
pub fn SuggestionPanel(props: &SuggestionPanelProps) -> Html {
    let props = &props.args;
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let only_here = use_state(|| true);
    let expanded = use_state(std::collections::BTreeSet::<SuggestionKind>::new);
    let run = &props.run;
    let project = &context.project;
    let here = context.current_article().map(|article| article.id.clone());
    let in_view = |suggestion: &Suggestion| !*only_here || here.as_ref().is_some_and(|here| suggestion.touches(here));
    let open: Vec<Rc<Suggestion>> =
        run.items.iter().filter(|item| in_view(item) && props.open.is_open(item)).cloned().collect();
    let toggle_scope = {
        let only_here = only_here.clone();
        Callback::from(move |_| only_here.set(!*only_here))
    };
    let title_of = |article: &crate::domain::article::ArticleId| {
        project.article(article).map(|article| shorten(&article.title, 44)).unwrap_or_default()
    };
    let on_run = {
        let context = context.clone();
        let run = run.clone();
        Callback::from(move |_| run_suggestions(context.clone(), run.clone()))
    };
    let on_cancel = {
        let run = run.clone();
        Callback::from(move |_| cancel_suggestions(&run))
    };
    let row = |suggestion: &Rc<Suggestion>| {
        let selected = run.selected.as_ref() == Some(&suggestion.key);
        let decide = |accept: bool| {
            let context = context.clone();
            let suggestion = suggestion.clone();
            Callback::from(move |event: MouseEvent| {
                event.stop_propagation();
                if accept {
                    accept_all(&context, std::slice::from_ref(&suggestion));
                } else {
                    reject_all(&context, std::slice::from_ref(&suggestion));
                }
            })
        };
        let select = {
            let context = context.clone();
            let run = run.clone();
            let key = suggestion.key.clone();
            let article = suggestion.anchor().0.clone();
            Callback::from(move |_| {
                run.set(SuggestionPanelState { selected: Some(key.clone()), ..(*run).clone() });
                if context.position.article.as_ref() != Some(&article) {
                    context.dispatch(AppAction::OpenArticle(article.clone()));
                }
            })
        };
        let body = match &suggestion.target {
            SuggestionTarget::Span { span, speaker } => html! {
                <>
                    <span class="item-text">{shorten(&span.text, 140)}</span>
                    if let Some(speaker) = speaker {
                        <span class="item-attributes">{format!("speaker: {}", speaker.text)}</span>
                    }
                    <span class="rel-article">{title_of(&span.article)}</span>
                </>
            },
            SuggestionTarget::Link { from, to, .. } => html! {
                <>
                    <span class="item-text">{shorten(from.text(), 100)}</span>
                    <span class="rel-article">{title_of(from.article())}</span>
                    <span class="item-text">{format!("↔ {}", shorten(to.text(), 100))}</span>
                    <span class="rel-article">{title_of(to.article())}</span>
                </>
            },
        };
        html! {
            <li class={classes!("suggestion-item", selected.then_some("selected"))} data-testid="suggestion-item"
                data-suggestion-key={suggestion.key.to_string()} data-kind={suggestion.kind.as_str()}
                aria-selected={selected.to_string()} role="option" onclick={select}>
                <div class="suggestion-body">
                    { body }
                    <span class="suggestion-reason">{format!("{} · score {:.2}", suggestion.reason, suggestion.score)}</span>
                </div>
                <div class="suggestion-actions">
                    <button type="button" class="accept" data-testid="accept-suggestion" onclick={decide(true)} title="Accept (a or Enter)">{"Accept"}</button>
                    <button type="button" class="reject" data-testid="reject-suggestion" onclick={decide(false)} title="Reject (x)">{"Reject"}</button>
                </div>
            </li>
        }
    };
    let groups = KINDS.iter().filter_map(|kind| {
        let items: Vec<Rc<Suggestion>> = open.iter().filter(|item| item.kind == *kind).cloned().collect();
        if items.is_empty() {
            return None;
        }
        let accept_kind = {
            let context = context.clone();
            let items = items.clone();
            Callback::from(move |_| {
                accept_all(&context, &items);
            })
        };
        let reject_kind = {
            let context = context.clone();
            let items = items.clone();
            Callback::from(move |_| reject_all(&context, &items))
        };
        let shown = if expanded.contains(kind) { items.len() } else { items.len().min(ROWS_SHOWN) };
        let show_all = {
            let expanded = expanded.clone();
            let kind = *kind;
            Callback::from(move |_| {
                let mut kinds = (*expanded).clone();
                kinds.insert(kind);
                expanded.set(kinds);
            })
        };
        Some(html! {
            <section class="suggestion-group" data-kind={kind.as_str()}>
                <div class="group-head">
                    <h3 class="subhead">{format!("{} ({})", kind_title(*kind), items.len())}</h3>
                    <button type="button" class="secondary" data-testid={format!("accept-all-{}", kind.as_str())} onclick={accept_kind}>{"Accept all"}</button>
                    <button type="button" class="secondary" data-testid={format!("reject-all-{}", kind.as_str())} onclick={reject_kind}>{"Reject all"}</button>
                </div>
                <ul class="suggestion-list" role="listbox">{ for items.iter().take(shown).map(row) }</ul>
                if shown < items.len() {
                    <button type="button" class="secondary" data-testid={format!("suggestions-more-{}", kind.as_str())} onclick={show_all}>
                        {format!("Show all {} ({} more)", items.len(), items.len() - shown)}
                    </button>
                }
            </section>
        })
    });
    let status = if let Some(millis) = run.millis {
        let scope = if *only_here { "in this article" } else { "in all articles" };
        format!("{} open {scope} · found in {:.0} ms", open.len(), millis)
    } else {
        "Quotes with their speakers, numeric claims, the same statement across articles and numeric contradictions, found in your browser.".to_string()
    };
    html! {
        <section class="suggestion-panel" aria-label="Suggestions">
            <div class="group-head">
                <button type="button" class="primary" data-testid="suggest-run" onclick={on_run} disabled={run.running}>
                    { if run.millis.is_some() { "Find again" } else { "Find suggestions" } }
                </button>
                if run.running {
                    <button type="button" class="secondary" data-testid="suggest-cancel" onclick={on_cancel}>{"Stop"}</button>
                }
                if run.running {
                    <RunProgress />
                } else {
                    <span class="hint" role="status">{status}</span>
                }
            </div>
            if run.millis.is_some() {
                <label class="hint scope-toggle">
                    <input type="checkbox" data-testid="suggestions-all-articles" checked={!*only_here} onchange={toggle_scope} />
                    {" Show every article's suggestions (otherwise this article's, and links that touch it)"}
                </label>
            }
            if run.millis.is_some() && open.is_empty() && !run.running {
                <p class="empty-state">{"Nothing left to review."}</p>
            }
            { for groups }
            if !open.is_empty() {
                <p class="hint">{"Select a row, then "}<kbd>{"a"}</kbd>{" or "}<kbd>{"Enter"}</kbd>{" accepts, "}<kbd>{"x"}</kbd>{" rejects. Accepting is undoable; rejections are remembered."}</p>
            }
        </section>
    }
}
