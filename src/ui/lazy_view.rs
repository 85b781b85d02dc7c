//! Code used only sometimes, loaded on first use as its own WebAssembly modules: the views here,
//! and the import of `ui::import` (whose progress and report, `ImportPanel`, are one of them).
//!
//! Each `#[wasm_split(name)]` function below is a split point (with the `lazy-views` feature,
//! which Trunk's build turns on; the browser tests call them directly): the app build's
//! `wasm-split` step (`tools/split-bindgen`, run by Trunk in place of `wasm-bindgen`) moves the
//! function and every function only it reaches (the view's components, the domain code only they
//! use) into `dist/wasm-split/split_<name>.wasm` (code that two split points share goes into a
//! `chunk_N.wasm` both load), fetched and instantiated the first time the function is called. The
//! function returns a plain function pointer that renders the view; the main module keeps only
//! that pointer, so nothing in it names the view's components.
//!
//! [`LazyView`] shows a status line while the module loads, and a message with a retry button if
//! it fails (offline, a server error); the rest of the app keeps working either way. Loaded
//! renderers are kept for the page's life, so a view opened again renders at once.

use std::cell::Cell;

#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;
use yew::prelude::*;

use crate::domain::state::View;

/// What a lazily loaded view needs from its parent.
#[derive(Clone, PartialEq, Default)]
pub struct LazyArgs {
    /// Closes a dialog (Settings, Paste, the shortcut sheet); unused by whole-page views.
    pub on_close: Callback<()>,
    /// What the Compare view reads and changes.
    pub compare: Option<crate::ui::compare::CompareArgs>,
    /// The suggestions run and the open-suggestion index the review list shows.
    pub suggestions: Option<crate::ui::suggestions::SuggestionArgs>,
    /// The Export menu's choices and how to close it.
    pub export: Option<crate::ui::export_menu::ExportArgs>,
    /// A project file waiting for layer-or-replace.
    pub layer_choice: Option<crate::ui::layer_import::LayerChoiceArgs>,
    /// The article whose details the *Edit details* dialog edits.
    pub article: Option<std::rc::Rc<crate::domain::article::Article>>,
    /// The selected span the side panel's editor edits.
    pub span_editor: Option<std::rc::Rc<crate::ui::span_editor::SpanEditorProps>>,
    /// The selection the tag toolbar tags.
    pub tag_toolbar: Option<std::rc::Rc<crate::ui::tag_toolbar::TagToolbarProps>>,
    /// The highlights under a click the span chooser offers.
    pub span_chooser: Option<std::rc::Rc<crate::ui::span_chooser::SpanChooserProps>>,
    /// The storage trouble the storage banner shows.
    pub storage_banner: Option<std::rc::Rc<crate::ui::storage_banner::StorageBannerProps>>,
}

use crate::web::split_module::{split_call, NotLoaded};

/// Renders a loaded view.
type Render = fn(&LazyArgs) -> Html;

/// The views loaded on first use, one module each.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lazy {
    ClaimGraph,
    Agreement,
    Adjudicate,
    StoryMatrix,
    Settings,
    Compare,
    Suggestions,
    Paste,
    ShortcutSheet,
    ExportMenu,
    ConflictMarker,
    LayerChoice,
    ImportReport,
    ArticleDetails,
    AnnotatorFilter,
    SpanEditor,
    TagToolbar,
    SpanChooser,
    StorageBanner,
}

impl Lazy {
    const ALL: [Lazy; 19] = [
        Lazy::ClaimGraph,
        Lazy::Agreement,
        Lazy::Adjudicate,
        Lazy::StoryMatrix,
        Lazy::Settings,
        Lazy::Compare,
        Lazy::Suggestions,
        Lazy::Paste,
        Lazy::ShortcutSheet,
        Lazy::ExportMenu,
        Lazy::ConflictMarker,
        Lazy::LayerChoice,
        Lazy::ImportReport,
        Lazy::ArticleDetails,
        Lazy::AnnotatorFilter,
        Lazy::SpanEditor,
        Lazy::TagToolbar,
        Lazy::SpanChooser,
        Lazy::StorageBanner,
    ];

    /// The lazily loaded view a tab of the header opens.
    pub fn of_view(view: View) -> Option<Lazy> {
        match view {
            View::Graph => Some(Lazy::ClaimGraph),
            View::Agreement => Some(Lazy::Agreement),
            View::Adjudicate => Some(Lazy::Adjudicate),
            View::Matrix => Some(Lazy::StoryMatrix),
            View::Compare => Some(Lazy::Compare),
            View::Read => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// How the view is named in messages.
    fn title(self) -> &'static str {
        match self {
            Lazy::ClaimGraph => "Claim graph",
            Lazy::Agreement => "Agreement",
            Lazy::Adjudicate => "Adjudicate",
            Lazy::StoryMatrix => "Story matrix",
            Lazy::Settings => "Settings",
            Lazy::Compare => "Compare",
            Lazy::Suggestions => "Suggestions",
            Lazy::Paste => "Paste an article",
            Lazy::ShortcutSheet => "Keyboard shortcuts",
            Lazy::ExportMenu => "Export",
            Lazy::ConflictMarker => "Conflicts",
            Lazy::LayerChoice => "Import a project",
            Lazy::ImportReport => "Import report",
            Lazy::ArticleDetails => "Article details",
            Lazy::AnnotatorFilter => "Annotator filter",
            Lazy::SpanEditor => "Selected annotation",
            Lazy::TagToolbar => "Tag toolbar",
            Lazy::SpanChooser => "Annotations here",
            Lazy::StorageBanner => "Storage warning",
        }
    }

    async fn load(self) -> Result<Render, NotLoaded> {
        match self {
            Lazy::ClaimGraph => split_call!(claim_graph()),
            Lazy::Agreement => split_call!(agreement()),
            Lazy::Adjudicate => split_call!(adjudicate()),
            Lazy::StoryMatrix => split_call!(story_matrix()),
            Lazy::Settings => split_call!(settings()),
            Lazy::Compare => split_call!(compare()),
            Lazy::Suggestions => split_call!(suggestions()),
            Lazy::Paste => split_call!(paste()),
            Lazy::ShortcutSheet => split_call!(shortcut_sheet()),
            Lazy::ExportMenu => split_call!(export_menu()),
            Lazy::ConflictMarker => split_call!(conflict_marker()),
            Lazy::LayerChoice => split_call!(layer_choice()),
            Lazy::ImportReport => split_call!(import_report()),
            Lazy::ArticleDetails => split_call!(article_details()),
            Lazy::AnnotatorFilter => split_call!(annotator_filter()),
            Lazy::SpanEditor => split_call!(span_editor()),
            Lazy::TagToolbar => split_call!(tag_toolbar()),
            Lazy::SpanChooser => split_call!(span_chooser()),
            Lazy::StorageBanner => split_call!(storage_banner()),
        }
    }
}

#[cfg_attr(feature = "lazy-views", wasm_split(claim_graph, fallible))]
fn claim_graph() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::claim_graph::ClaimGraph /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(agreement, fallible))]
fn agreement() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::agreement::AgreementView /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(adjudicate, fallible))]
fn adjudicate() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::adjudicate::AdjudicateView /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(story_matrix, fallible))]
fn story_matrix() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::story_matrix::StoryMatrixView /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(settings, fallible))]
fn settings() -> Result<Render, NotLoaded> {
    Ok(|args| html! { <crate::ui::settings::SettingsDialog on_close={args.on_close.clone()} /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(compare, fallible))]
fn compare() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.compare {
        Some(compare) => html! { <crate::ui::compare::CompareView args={compare.clone()} /> },
        None => html! {},
    })
}

#[cfg_attr(feature = "lazy-views", wasm_split(suggestions, fallible))]
fn suggestions() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.suggestions {
        Some(suggestions) => html! { <crate::ui::suggestions::SuggestionPanel args={suggestions.clone()} /> },
        None => html! {},
    })
}

#[cfg_attr(feature = "lazy-views", wasm_split(paste, fallible))]
fn paste() -> Result<Render, NotLoaded> {
    Ok(|args| html! { <crate::ui::paste_dialog::PasteDialog on_close={args.on_close.clone()} /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(shortcut_sheet, fallible))]
fn shortcut_sheet() -> Result<Render, NotLoaded> {
    Ok(|args| html! { <crate::ui::shortcut_sheet::ShortcutSheet on_close={args.on_close.clone()} /> })
}

#[cfg_attr(feature = "lazy-views", wasm_split(export_menu, fallible))]
fn export_menu() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.export {
        Some(export) => html! { <crate::ui::export_menu::ExportRows args={export.clone()} /> },
        None => html! {},
    })
}

/// Part of team sync's module (`web::sync`), which is loaded before there can be a conflict.
#[cfg_attr(feature = "lazy-views", wasm_split(sync, fallible))]
fn conflict_marker() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::team::ConflictMarker /> })
}

/// The header's annotator filter: part of the editing code's module, and mounted only once it
/// is here (`ui::header`), so it never fetches the module sooner than start-up does.
#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn annotator_filter() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::team::AnnotatorFilterSelect /> })
}

/// The views that edit (a selected span's editor, the tag toolbar, the chooser of the highlights
/// under a click) are part of the editing code's module (`ui::editing`), which start-up fetches
/// after the first paint:
/// `ui::boot` preloads them once that module is here ([`preload_editing_views`]), so each renders
/// at once.
#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn span_editor() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.span_editor {
        Some(editor) => html! { <crate::ui::span_editor::SpanEditor ..(**editor).clone() /> },
        None => html! {},
    })
}

#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn tag_toolbar() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.tag_toolbar {
        Some(toolbar) => html! { <crate::ui::tag_toolbar::TagToolbar ..(**toolbar).clone() /> },
        None => html! {},
    })
}

#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn span_chooser() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.span_chooser {
        Some(chooser) => html! { <crate::ui::span_chooser::SpanChooser ..(**chooser).clone() /> },
        None => html! {},
    })
}

/// The storage banner shows only when saving is in trouble (full, failed, paused): it is part of
/// the editing code's module too, which holds the project export it offers.
#[cfg_attr(feature = "lazy-views", wasm_split(editing, fallible))]
fn storage_banner() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.storage_banner {
        Some(banner) => html! { <crate::ui::storage_banner::StorageBanner ..(**banner).clone() /> },
        None => html! {},
    })
}

/// Preloads the views of the editing code's module (see [`span_editor`]).
pub fn preload_editing_views() {
    for view in [Lazy::SpanEditor, Lazy::TagToolbar, Lazy::SpanChooser, Lazy::StorageBanner, Lazy::AnnotatorFilter] {
        preload(view);
    }
}

/// Part of the importer's module (`ui::import`), which has read the file that asks.
#[cfg_attr(feature = "lazy-views", wasm_split(import, fallible))]
fn layer_choice() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.layer_choice {
        Some(choice) => html! { <crate::ui::layer_import::LayerChoiceDialog args={choice.clone()} /> },
        None => html! {},
    })
}

#[cfg_attr(feature = "lazy-views", wasm_split(article_details, fallible))]
fn article_details() -> Result<Render, NotLoaded> {
    Ok(|args| match &args.article {
        Some(article) => html! {
            <crate::ui::article_header::ArticleDetailsDialog article={article.clone()} on_close={args.on_close.clone()} />
        },
        None => html! {},
    })
}

/// Part of the importer's module too: an import's progress and report show only once it runs.
#[cfg_attr(feature = "lazy-views", wasm_split(import, fallible))]
fn import_report() -> Result<Render, NotLoaded> {
    Ok(|_| html! { <crate::ui::import::ImportPanel /> })
}

thread_local! {
    /// The renderers loaded so far, by `Lazy::index`.
    static LOADED: [Cell<Option<Render>>; Lazy::ALL.len()] = const { [const { Cell::new(None) }; Lazy::ALL.len()] };
}

fn loaded(view: Lazy) -> Option<Render> {
    LOADED.with(|loaded| loaded[view.index()].get())
}

/// A handler that preloads `view`'s module: for `onpointerenter` and `onfocus` of its control.
pub fn preloader<E: 'static>(view: Lazy) -> Callback<E> {
    Callback::from(move |_: E| preload(view))
}

/// Loads `view`'s module without rendering it (when the pointer or the focus reaches its tab).
pub fn preload(view: Lazy) {
    if loaded(view).is_some() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(render) = view.load().await {
            LOADED.with(|loaded| loaded[view.index()].set(Some(render)));
        }
    });
}

/// `view` with `args`, loaded on first use: one copy of the component's construction for every
/// place that shows a lazily loaded view.
#[inline(never)]
pub fn lazy(view: Lazy, args: LazyArgs) -> Html {
    html! { <LazyView {view} {args} /> }
}

/// [`lazy`] for a small control inside a bar ([`LazyViewProps::quiet`]).
#[inline(never)]
pub fn lazy_quiet(view: Lazy, args: LazyArgs) -> Html {
    html! { <LazyView {view} {args} quiet=true /> }
}

#[derive(Properties, PartialEq)]
pub struct LazyViewProps {
    pub view: Lazy,
    #[prop_or_default]
    pub args: LazyArgs,
    /// A small control inside a bar (the header's), not a view or dialog: nothing shows while
    /// it loads, and a failure is a one-line retry button.
    #[prop_or_default]
    pub quiet: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Loading {
    Pending,
    Failed,
}

/// `view`, loaded on first use.
#[component]
pub fn LazyView(props: &LazyViewProps) -> Html {
    let view = props.view;
    let state = use_state(|| Loading::Pending);
    // Bumped when a load finishes, so the view renders from `LOADED`; and by Retry.
    let attempt = use_state(|| 0_u32);
    {
        let state = state.clone();
        let attempt_done = attempt.clone();
        use_effect_with((view, *attempt), move |&(view, _)| {
            if loaded(view).is_none() {
                state.set(Loading::Pending);
                wasm_bindgen_futures::spawn_local(async move {
                    match view.load().await {
                        Ok(render) => {
                            LOADED.with(|loaded| loaded[view.index()].set(Some(render)));
                            attempt_done.set(*attempt_done + 1);
                        }
                        Err(_) => state.set(Loading::Failed),
                    }
                });
            }
        });
    }
    if let Some(render) = loaded(view) {
        return render(&props.args);
    }
    // Only a failed load shows a retry button.
    let retry = || {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    match *state {
        Loading::Pending if props.quiet => html! {},
        Loading::Failed if props.quiet => html! {
            <span role="alert">
                <button type="button" class="lazy-view-inline-failed" data-testid="lazy-view-retry"
                    title={NotLoaded::message(view.title())} onclick={retry()}>{ format!("⚠ {}: try again", view.title()) }</button>
            </span>
        },
        Loading::Pending => html! {
            <section class="lazy-view" data-testid="lazy-view-loading" role="status" aria-live="polite">
                <h1>{ view.title() }</h1>
                <p>{ format!("Loading {}…", view.title()) }</p>
            </section>
        },
        Loading::Failed => html! {
            <section class="lazy-view" data-testid="lazy-view-failed" role="alert">
                <h1>{ view.title() }</h1>
                <p>{ NotLoaded::message(view.title()) }</p>
                <button type="button" data-testid="lazy-view-retry" onclick={retry()}>{"Try again"}</button>
            </section>
        },
    }
}
