//! The root component: one reducer, the autosave effect, the hotkeys, and the layout.
//!
//! Start-up (`ui::boot`) has read the stored project, or fallen back to the default corpus,
//! before this mounts. Every change to the project or the view position is saved by
//! `ui::autosave`: at once while saving is cheap, or coalesced into one write per 300 ms when a
//! large project makes it costly, and always flushed when the page is hidden or closed.

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use crate::domain::state::{AppAction, View};
use crate::domain::suggest::OpenSuggestions;
use crate::ui::article_list::ArticleList;
use crate::ui::autosave::use_autosave;
use crate::ui::autosave::SaveStatus;
use crate::ui::boot::BootCell;
use crate::ui::commands::pending_from_selection;
use crate::ui::compare::CompareArgs;
use crate::ui::header::Header;
use crate::ui::keyboard::{handle_keydown, KeyTargets};
use crate::ui::lazy_view::{lazy, lazy_quiet, Lazy, LazyArgs};
use crate::ui::notice_bar::NoticeBar;
use crate::ui::reader::{Reader, SpanClick};
use crate::ui::side_panel::SidePanel;
use crate::ui::span_chooser::SpanChooserProps;
use crate::ui::state::{AppContext, PendingSelection};
use crate::ui::storage_banner::StorageBannerProps;
use crate::ui::suggestions::SuggestionArgs;
use crate::ui::suggestions::SuggestionPanelState;
use crate::ui::tag_toolbar::TagToolbarProps;
use crate::web::selection::ReaderSelection;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// What start-up read from storage (see `ui::boot`), taken once.
    pub boot: BootCell,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let booted = use_mut_ref(|| None::<crate::ui::boot::Boot>);
    let context: AppContext = use_reducer(|| {
        let mut boot = props.boot.take();
        let state = std::mem::take(&mut boot.state);
        *booted.borrow_mut() = Some(boot);
        state
    });
    let boot = booted.borrow_mut().take().unwrap_or_default();
    {
        // Edits made before the editing code arrived are reduced through it when it does.
        let dispatcher = context.dispatcher();
        use_effect_with((), move |_| crate::ui::editing::set_dispatcher(dispatcher));
    }
    let autosave = use_autosave(&context, boot.saving_paused, boot.saved, boot.migration);
    crate::ui::graph_prepare::use_prepare_when_idle(&context);
    // The reader hidden under the Claim graph stops drawing its blocks; shown again, it goes on.
    use_effect_with(context.position.view, |view| {
        if *view == View::Read {
            crate::ui::reader::resume_parked_fills();
        }
    });
    let pending = use_state(|| None::<PendingSelection>);
    let sheet_open = use_state(|| false);
    let settings_open = use_state(|| false);
    let paste_open = use_state(|| false);
    let suggestion_run = use_state(SuggestionPanelState::default);
    let side_tab_suggestions = use_state(|| false);
    let chooser = use_state(|| None::<SpanClick>);

    let compare = use_state(crate::ui::state::CompareState::default);
    let on_relation_key = {
        let context = context.clone();
        let compare = compare.clone();
        Callback::from(move |relation: crate::domain::ids::RelationTypeId| {
            crate::ui::commands::link_compare_ends(&context, &compare, &relation)
        })
    };
    let on_escape = {
        let chooser = chooser.clone();
        Callback::from(move |_| chooser.set(None))
    };

    let on_suggestion_key = {
        let context = context.clone();
        let suggestion_run = suggestion_run.clone();
        let side_tab_suggestions = side_tab_suggestions.clone();
        Callback::from(move |accept: bool| {
            *side_tab_suggestions && crate::ui::suggestions::decide_selected(&context, &suggestion_run, accept)
        })
    };

    let article = context.current_article().cloned();
    // Patched from its previous value after an edit (see `ui::reader`), as is the filtered list
    // the reader shows (below); the hotkeys and the tag toolbar search this unfiltered one.
    let all_article_spans =
        crate::ui::reader::use_article_spans(&context, article.as_ref().map(|article| article.id.clone()));

    // Hotkeys, registered once. The listener acts on clones of the latest render's handles
    // (see `ui::state::fresh`): reading handles it kept itself kept a whole project per edit.
    let key_targets = use_mut_ref(|| None::<KeyTargets>);
    *key_targets.borrow_mut() = Some(KeyTargets {
        on_suggestion_key,
        context: context.clone(),
        article_spans: all_article_spans.clone(),
        pending: pending.clone(),
        sheet_open: sheet_open.clone(),
        on_relation_key,
        on_escape,
    });
    {
        let key_targets = key_targets.clone();
        use_effect_with((), move |_| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let listener =
                EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |event| {
                    let targets = key_targets.try_borrow().ok().and_then(|targets| targets.clone());
                    if let (Some(event), Some(targets)) =
                        (wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(event), targets)
                    {
                        handle_keydown(event, &targets);
                    }
                });
            move || drop(listener)
        });
    }

    {
        // An edit made while suggestions are being found restarts the run over the new project.
        let context = context.clone();
        let suggestion_run = suggestion_run.clone();
        use_effect_with(context.revision, move |_| crate::ui::suggestions::restart_after_edit(context, suggestion_run));
    }

    let article_spans =
        crate::ui::team::use_filtered_spans(all_article_spans.clone(), context.project.settings().annotator.clone());
    let link_counts = crate::ui::reader::use_link_counts(&context);
    let labels = {
        let labels = context.project.labels().to_vec();
        use_memo(labels, |labels| labels.clone())
    };

    // Which suggestions are still open, indexed once per project version (only while there are
    // suggestions to check, so an edit without them builds nothing).
    let open_suggestions = {
        let has_items = !suggestion_run.items.is_empty();
        let context = context.clone();
        // The suggestions module's code, which the run that found them loaded.
        use_memo((context.revision, has_items), move |(_, has_items)| {
            match crate::ui::suggestions::code().filter(|_| *has_items) {
                Some(code) => (code.open_suggestions)(&context.project),
                None => OpenSuggestions::default(),
            }
        })
    };
    // The reader's dashed spans, and how many suggestions (spans and links) are open in this
    // article: the side tab's count, the same set the panel lists for it.
    let (suggested_spans, open_here) = {
        let items = suggestion_run.items.clone();
        let article_id = article.as_ref().map(|article| article.id.clone());
        let open = open_suggestions.clone();
        let memo = use_memo((items, article_id, context.revision), move |(items, article_id, _)| {
            match (article_id, crate::ui::suggestions::code().filter(|_| !items.is_empty())) {
                (Some(article_id), Some(code)) => (code.in_article)(items, &open, article_id),
                _ => (Rc::new(Vec::new()), 0),
            }
        });
        (memo.0.clone(), memo.1)
    };
    let on_suggestion_click = {
        let suggestion_run = suggestion_run.clone();
        let side_tab_suggestions = side_tab_suggestions.clone();
        Callback::from(move |key: crate::domain::ids::SuggestionKey| {
            side_tab_suggestions.set(true);
            suggestion_run.set(SuggestionPanelState { selected: Some(key), ..(*suggestion_run).clone() });
        })
    };
    let on_side_tab = {
        let side_tab_suggestions = side_tab_suggestions.clone();
        Callback::from(move |suggestions: bool| side_tab_suggestions.set(suggestions))
    };
    let suggestion_count = suggestion_run.millis.is_some().then_some(open_here);
    let on_help = {
        let sheet_open = sheet_open.clone();
        Callback::from(move |_| sheet_open.set(!*sheet_open))
    };
    let toggle_settings = {
        let settings_open = settings_open.clone();
        Callback::from(move |_| settings_open.set(!*settings_open))
    };
    let close_settings = {
        let settings_open = settings_open.clone();
        Callback::from(move |_| settings_open.set(false))
    };
    let toggle_paste = {
        let paste_open = paste_open.clone();
        Callback::from(move |_| paste_open.set(!*paste_open))
    };
    let close_paste = {
        let paste_open = paste_open.clone();
        Callback::from(move |_| paste_open.set(false))
    };
    let ondragover = Callback::from(|event: DragEvent| event.prevent_default());
    // Files dragged over the page are about to be dropped: the importer's module is fetched now.
    let ondragenter = Callback::from(|_: DragEvent| crate::ui::import::preload());
    let ondrop = {
        let context = context.clone();
        Callback::from(move |event: DragEvent| crate::ui::import::import_dropped(&context, &event))
    };
    let close_sheet = {
        let sheet_open = sheet_open.clone();
        Callback::from(move |_| sheet_open.set(false))
    };
    let on_selection = {
        let context = context.clone();
        let pending = pending.clone();
        let chooser = chooser.clone();
        let article_id = article.as_ref().map(|article| article.id.clone());
        Callback::from(move |(selection, exact): (ReaderSelection, bool)| {
            chooser.set(None);
            let Some(article_id) = &article_id else { return };
            pending.set(pending_from_selection(&context, article_id, &selection, exact));
        })
    };
    let on_span_click = {
        let context = context.clone();
        let pending = pending.clone();
        let chooser = chooser.clone();
        Callback::from(move |click: SpanClick| {
            pending.set(None);
            if click.span_ids.len() == 1 {
                chooser.set(None);
                context.dispatch(AppAction::SelectSpan(click.span_ids.first().cloned()));
            } else {
                chooser.set(Some(click));
            }
        })
    };
    let on_plain_click = {
        let pending = pending.clone();
        let chooser = chooser.clone();
        Callback::from(move |_| {
            pending.set(None);
            chooser.set(None);
        })
    };

    let close_chooser = {
        let chooser = chooser.clone();
        Callback::from(move |_| chooser.set(None))
    };
    // The reader and its side column, shown in Read and kept mounted but hidden in the Claim
    // graph: tearing its ~19,000 nodes down was most of the 0.5–1.7 s from a click on the
    // Claim graph tab to its picture (`make bench`), and building them again most of the way
    // back. (The same elements at the same place in both views: Yew keeps them.)
    let reader_view = |article: Rc<crate::domain::article::Article>, hidden: bool| {
        html! {
            <>
                <section class="reader" aria-label="Reader" {hidden}>
                    <crate::ui::article_header::ArticleHeader article={article.clone()} annotation_count={article_spans.len()} />
                    <Reader
                        article={article.clone()}
                        spans={article_spans.clone()}
                        labels={labels.clone()}
                        selected={context.selected_span.clone()}
                        link_counts={link_counts.clone()}
                        {on_selection}
                        {on_span_click}
                        {on_plain_click}
                        suggestions={suggested_spans.clone()}
                        selected_suggestion={suggestion_run.selected.clone()}
                        {on_suggestion_click}
                    />
                </section>
                <div class="side-column" {hidden}>
                    <crate::ui::side_tabs::SideTabs suggestions_shown={*side_tab_suggestions} {suggestion_count} on_show={on_side_tab} />
                    if *side_tab_suggestions {
                        <aside class="side-panel">{ lazy(Lazy::Suggestions, LazyArgs { suggestions: Some(SuggestionArgs { run: suggestion_run.clone(), open: open_suggestions.clone() }), ..LazyArgs::default() }) }</aside>
                    } else {
                        <SidePanel spans={article_spans.clone()} link_counts={link_counts.clone()} />
                    }
                </div>
            </>
        }
    };
    let main = match (context.position.view, article.clone()) {
        // As many children as under the Claim graph: Yew matches unkeyed children from the
        // end, so a list one shorter paired the reader with the graph and rebuilt it.
        (View::Read, Some(article)) => html! { <>{ reader_view(article, false) }<></></> },
        (View::Graph, Some(article)) => html! {
            <>{ reader_view(article, true) }{ lazy(Lazy::ClaimGraph, LazyArgs::default()) }</>
        },
        (View::Read, None) => {
            // The page's heading when no article's title is one (axe's page-has-heading-one).
            html! {
                <section class="reader empty" data-testid="no-articles">
                    <h1 class="empty-title">{"No articles yet"}</h1>
                    <p>{"Import some to begin: Import, Paste, or drop files on the page."}</p>
                </section>
            }
        }
        (View::Compare, _) => lazy(
            Lazy::Compare,
            LazyArgs {
                compare: Some(CompareArgs {
                    pending: pending.clone(),
                    compare: compare.clone(),
                    labels: labels.clone(),
                    link_counts: link_counts.clone(),
                }),
                ..LazyArgs::default()
            },
        ),
        (View::Graph, _) => lazy(Lazy::ClaimGraph, LazyArgs::default()),
        (View::Agreement, _) => lazy(Lazy::Agreement, LazyArgs::default()),
        (View::Adjudicate, _) => lazy(Lazy::Adjudicate, LazyArgs::default()),
        (View::Matrix, _) => lazy(Lazy::StoryMatrix, LazyArgs::default()),
    };

    html! {
        <ContextProvider<AppContext> context={context.clone()}>
            <div class="app" {ondragover} {ondragenter} {ondrop}>
                <Header save_status={autosave.status.clone()} {on_help} on_settings={toggle_settings} on_paste={toggle_paste} />
                // Shown only when saving is in trouble: a view of the editing code's module.
                if !matches!(autosave.status, SaveStatus::Saved | SaveStatus::Pending) {
                    { lazy(Lazy::StorageBanner, LazyArgs {
                        storage_banner: Some(Rc::new(StorageBannerProps { status: autosave.status.clone(), on_resume: autosave.resume.clone() })),
                        ..LazyArgs::default()
                    }) }
                }
                <NoticeBar />
                if context.import.is_some() { { lazy(Lazy::ImportReport, LazyArgs::default()) } }
                <main class={classes!("workspace", view_class(context.position.view))}>
                    if matches!(context.position.view, View::Read | View::Graph) { <ArticleList /> }
                    { main }
                </main>
                if pending.is_some() {
                    { lazy_quiet(Lazy::TagToolbar, LazyArgs {
                        tag_toolbar: Some(Rc::new(TagToolbarProps { pending: pending.clone(), article_spans: all_article_spans.clone() })),
                        ..LazyArgs::default()
                    }) }
                }
                if let Some(click) = (*chooser).clone() {
                    { lazy_quiet(Lazy::SpanChooser, LazyArgs {
                        span_chooser: Some(Rc::new(SpanChooserProps { click, on_close: close_chooser })),
                        ..LazyArgs::default()
                    }) }
                }
                if *sheet_open { { lazy(Lazy::ShortcutSheet, LazyArgs { on_close: close_sheet, ..LazyArgs::default() }) } }
                if *paste_open { { lazy(Lazy::Paste, LazyArgs { on_close: close_paste, ..LazyArgs::default() }) } }
                if *settings_open { { lazy(Lazy::Settings, LazyArgs { on_close: close_settings, ..LazyArgs::default() }) } }
            </div>
        </ContextProvider<AppContext>>
    }
}

/// The workspace's class for `view`, which the stylesheets lay out (`.workspace.view-graph`).
fn view_class(view: View) -> &'static str {
    match view {
        View::Read => "view-read",
        View::Compare => "view-compare",
        View::Graph => "view-graph",
        View::Agreement => "view-agreement",
        View::Adjudicate => "view-adjudicate",
        View::Matrix => "view-matrix",
    }
}
