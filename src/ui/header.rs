//! The top bar: name, views, undo/redo, save status and help.

use yew::prelude::*;

use crate::domain::state::{AppAction, View};
use crate::domain::text::counted;
use crate::ui::autosave::SaveStatus;
use crate::ui::commands::{redo, undo};
use crate::ui::lazy_view::{lazy_quiet, preload, preloader, Lazy, LazyArgs};
use crate::ui::state::AppContext;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub save_status: SaveStatus,
    pub on_help: Callback<()>,
    pub on_settings: Callback<()>,
    pub on_paste: Callback<()>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    // The annotator filter is a view of the editing code's module: shown once it is here.
    let editing_code_here = crate::ui::editing::use_editing_code();
    let view_tab = |view: View, name: &str, testid: &str| {
        let onclick = {
            let context = context.clone();
            Callback::from(move |_| context.dispatch(AppAction::SetView(view)))
        };
        let current = context.position.view == view;
        // A view loaded on first use is fetched as the pointer or the focus reaches its tab
        // (`ui::lazy_view`), and the Claim graph is prepared then too (`ui::graph_prepare`).
        let prepare = Lazy::of_view(view).map(|lazy| {
            let context = context.clone();
            Callback::from(move |()| {
                preload(lazy);
                if view == View::Graph {
                    crate::ui::graph_prepare::prepare_now(&context);
                }
            })
        });
        let onfocus = prepare.as_ref().map(|prepare| prepare.reform(|_: FocusEvent| ()));
        let onpointerenter = prepare.as_ref().map(|prepare| prepare.reform(|_: PointerEvent| ()));
        html! {
            <button type="button" role="tab" aria-selected={current.to_string()} data-testid={testid.to_string()}
                class={classes!("tab", current.then_some("current"))} {onclick} {onfocus} {onpointerenter}>{name.to_string()}</button>
        }
    };
    let on_undo = {
        let context = context.clone();
        Callback::from(move |_| undo(&context))
    };
    let on_redo = {
        let context = context.clone();
        Callback::from(move |_| redo(&context))
    };
    let on_help = props.on_help.reform(|_| ());
    let (status_class, status_text) = match &props.save_status {
        SaveStatus::Saved => ("saved", "Saved".to_string()),
        SaveStatus::Pending => ("pending", "Saving…".to_string()),
        SaveStatus::Full => ("failed", "Not saved: storage full".to_string()),
        SaveStatus::Failed(why) => ("failed", format!("Not saved: {why}")),
        SaveStatus::Paused(_) => ("failed", "Saving paused".to_string()),
    };
    // The warning count costs milliseconds on a 10,000-span project: it is computed after the
    // frame that shows an edit has painted, for the latest revision only.
    let warning_count = use_state_eq(|| 0usize);
    {
        let context = context.clone();
        let warning_count = warning_count.clone();
        let latest = use_mut_ref(|| 0u64);
        use_effect_with(context.revision, move |revision| {
            let revision = *revision;
            *latest.borrow_mut() = revision;
            // Counted in the Claim graph's preparation module, whose first fetch waits as the
            // preparation's does.
            crate::ui::graph_prepare::when_count_may_run(move || {
                if *latest.borrow() != revision {
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    let count = crate::ui::graph_prepare::warning_count(&context.project).await;
                    if let Some(count) = count.filter(|_| *latest.borrow() == revision) {
                        warning_count.set(count);
                    }
                });
            });
        });
    }
    let open_graph = {
        let context = context.clone();
        Callback::from(move |_| context.dispatch(AppAction::SetView(View::Graph)))
    };
    let spans = counted(context.project.spans().len(), "span", "spans");
    let links = counted(context.project.relations().len(), "link", "links");
    html! {
        <header class="topbar">
            <div class="brand"><span class="logo" aria-hidden="true">{"✓✗"}</span><span class="brand-name">{"Crosscheck"}</span></div>
            <div class="tabs" role="tablist" aria-label="Views">
                { view_tab(View::Read, "Read", "view-read") }
                { view_tab(View::Compare, "Compare", "view-compare") }
                { view_tab(View::Graph, "Claim graph", "view-graph") }
                { view_tab(View::Agreement, "Agreement", "view-agreement") }
                { view_tab(View::Adjudicate, "Adjudicate", "view-adjudicate") }
                { view_tab(View::Matrix, "Story matrix", "view-matrix") }
            </div>
            <crate::ui::import_export::ImportExport on_paste={props.on_paste.clone()} />
            <div class="topbar-actions">
                <span class="totals"><span>{spans}</span><span class="totals-separator">{" · "}</span><span>{links}</span></span>
                if *warning_count > 0 {
                    <button type="button" class="warning-count" data-testid="warning-count" onclick={open_graph}
                        title="Consistency warnings: open the claim graph">{format!("⚠ {}", *warning_count)}</button>
                }
                <button type="button" data-testid="undo" onclick={on_undo} disabled={!context.history.can_undo()}
                    title="Undo (Ctrl+Z)" aria-label="Undo">{"↶"}<span class="action-label">{" Undo"}</span></button>
                <button type="button" data-testid="redo" onclick={on_redo} disabled={!context.history.can_redo()}
                    title="Redo (Ctrl+Shift+Z or Ctrl+Y)" aria-label="Redo">{"↷"}<span class="action-label">{" Redo"}</span></button>
                if editing_code_here { { lazy_quiet(Lazy::AnnotatorFilter, LazyArgs::default()) } }
                <crate::ui::team::SyncStatusLine />
                <span class={classes!("save-status", status_class)} data-testid="save-status" role="status">{status_text}</span>
                <button type="button" data-testid="open-settings" onclick={props.on_settings.reform(|_| ())}
                    onfocus={preloader(Lazy::Settings)} onpointerenter={preloader(Lazy::Settings)} title="Settings: your name, storage, labels and link types">{"Settings"}</button>
                <button type="button" class="help-button" onclick={on_help}
                    onfocus={preloader(Lazy::ShortcutSheet)} onpointerenter={preloader(Lazy::ShortcutSheet)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">{"?"}</button>
            </div>
        </header>
    }
}
