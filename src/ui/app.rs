//! The root component: one reducer, the autosave effect, the hotkeys, and the layout.
//!
//! Start-up (`ui::startup`) has read the stored project before this mounts. Every change to the
//! project or the view position is saved: at once while saving is cheap, or coalesced into one
//! write per 300 ms when a large project makes it costly, and always flushed when the page is
//! hidden or closed.

use gloo::events::EventListener;
use yew::prelude::*;

use crate::domain::state::{AppAction, View};
use crate::ui::article_list::ArticleList;
use crate::ui::autosave::use_autosave;
use crate::ui::commands::pending_from_selection;
use crate::ui::header::Header;
use crate::ui::keyboard::{handle_keydown, KeyTargets};
use crate::ui::notice_bar::NoticeBar;
use crate::ui::reader::{Reader, SpanClick};
use crate::ui::shortcut_sheet::ShortcutSheet;
use crate::ui::side_panel::SidePanel;
use crate::ui::startup::BootCell;
use crate::ui::state::{AppContext, PendingSelection};
use crate::ui::tag_toolbar::TagToolbar;
use crate::web::selection::ReaderSelection;

/// The article's URL: a link only for http(s) addresses (never `javascript:` or `data:`), text
/// otherwise.
fn article_link(url: &str) -> Html {
    let url = url.trim();
    if url.is_empty() {
        return html! {};
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        html! { <>{" · "}<a class="source-link" data-testid="article-url" href={url.to_string()} target="_blank" rel="noopener noreferrer">{url.to_string()}</a></> }
    } else {
        html! { <>{" · "}<span class="source-link" data-testid="article-url">{url.to_string()}</span></> }
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// What start-up read from storage (see `ui::startup`), taken once.
    pub boot: BootCell,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let booted = use_mut_ref(|| None::<(Option<String>, crate::formats::stored::save::SavedState)>);
    let context: AppContext = use_reducer(|| {
        let boot = props.boot.take();
        *booted.borrow_mut() = Some((boot.saving_paused, boot.saved));
        boot.state
    });
    let (paused_because, saved) = booted.borrow_mut().take().unwrap_or_default();
    let autosave = use_autosave(&context, paused_because, saved);
    let pending = use_state(|| None::<PendingSelection>);
    let sheet_open = use_state(|| false);
    let settings_open = use_state(|| false);
    let paste_open = use_state(|| false);
    let suggestion_run = use_state(crate::ui::suggestions::SuggestionRun::default);
    let side_tab_suggestions = use_state(|| false);
    let chooser = use_state(|| None::<SpanClick>);

    let compare = use_state(crate::ui::state::CompareState::default);
    let on_relation_key = {
        let context = context.clone();
        let compare = compare.clone();
        Callback::from(move |relation: String| crate::ui::commands::link_compare_ends(&context, &compare, &relation))
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

    // Hotkeys, registered once: the handles inside always read the latest state.
    {
        let targets = KeyTargets {
            on_suggestion_key,
            context: context.clone(),
            pending: pending.clone(),
            sheet_open: sheet_open.clone(),
            on_relation_key,
            on_escape,
        };
        use_effect_with((), move |_| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let listener =
                EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |event| {
                    if let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(event) {
                        handle_keydown(event, &targets);
                    }
                });
            move || drop(listener)
        });
    }

    let article = context.current_article().cloned();
    // Both patched from their previous values after an edit (see `ui::reader`).
    let article_spans =
        crate::ui::reader::use_article_spans(&context, article.as_ref().map(|article| article.id.clone()));
    let article_spans = crate::ui::team::use_filtered_spans(article_spans, context.project.settings.annotator.clone());
    let link_counts = crate::ui::reader::use_link_counts(&context);
    let labels = {
        let labels = context.project.labels.clone();
        use_memo(labels, |labels| labels.clone())
    };

    let suggested_spans = {
        let items = suggestion_run.items.clone();
        let article_id = article.as_ref().map(|article| article.id.clone());
        let context = context.clone();
        use_memo((items, article_id, context.revision), move |(items, article_id, _)| {
            let mut spans: Vec<std::rc::Rc<crate::domain::annotation::Span>> = items
                .iter()
                .filter(|suggestion| crate::ui::suggestions::still_open(&context.project, suggestion))
                .filter_map(|suggestion| {
                    let span = suggestion.span()?;
                    (Some(&span.article) == article_id.as_ref()).then(|| {
                        std::rc::Rc::new(crate::domain::annotation::Span {
                            id: crate::domain::annotation::SpanId(suggestion.key.clone()),
                            article: span.article.clone(),
                            start: span.start,
                            end: span.end,
                            label: span.label.clone(),
                            text: span.text.clone(),
                            attributes: Default::default(),
                            author: String::new(),
                            created: 0,
                            modified: 0,
                        })
                    })
                })
                .collect();
            spans.sort_by(|left, right| left.reading_order_key().cmp(&right.reading_order_key()));
            spans
        })
    };
    let on_suggestion_click = {
        let suggestion_run = suggestion_run.clone();
        let side_tab_suggestions = side_tab_suggestions.clone();
        Callback::from(move |key: String| {
            side_tab_suggestions.set(true);
            suggestion_run
                .set(crate::ui::suggestions::SuggestionRun { selected: Some(key), ..(*suggestion_run).clone() });
        })
    };
    let side_tabs = {
        let show = |suggestions: bool| {
            let side_tab_suggestions = side_tab_suggestions.clone();
            Callback::from(move |_| side_tab_suggestions.set(suggestions))
        };
        let open_count = suggested_spans.len();
        html! {
            <div class="side-tabs" role="tablist" aria-label="Side panel">
                <button type="button" role="tab" data-testid="tab-annotations" aria-selected={(!*side_tab_suggestions).to_string()}
                    class={classes!("tab", (!*side_tab_suggestions).then_some("current"))} onclick={show(false)}>{"Annotations"}</button>
                <button type="button" role="tab" data-testid="tab-suggestions" aria-selected={side_tab_suggestions.to_string()}
                    class={classes!("tab", side_tab_suggestions.then_some("current"))} onclick={show(true)}>
                    { if suggestion_run.millis.is_some() { format!("Suggestions ({open_count})") } else { "Suggestions".to_string() } }
                </button>
            </div>
        }
    };
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
    let ondrop = {
        let context = context.clone();
        Callback::from(move |event: DragEvent| crate::ui::import_export::import_dropped(&context, &event))
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

    let chooser_popup = (*chooser).clone().map(|click| {
        let rows = click.span_ids.iter().filter_map(|id| context.project.spans.get(id)).map(|span| {
            let label = context.project.label(&span.label);
            let onclick = {
                let context = context.clone();
                let chooser = chooser.clone();
                let id = span.id.clone();
                Callback::from(move |_| {
                    chooser.set(None);
                    context.dispatch(AppAction::SelectSpan(Some(id.clone())));
                })
            };
            html! {
                <li><button type="button" data-testid="choose-span" {onclick}>
                    <span class="chip" style={label.map(|label| format!("--label:{}", label.color))}>{label.map(|label| label.name.clone()).unwrap_or_default()}</span>
                    {crate::domain::article::shorten(&span.text, 70)}
                </button></li>
            }
        });
        let style = format!("left:{}px;top:{}px", click.at.0.round(), (click.at.1 + 12.0).round());
        html! {
            <div class="chooser" role="menu" aria-label="Choose an annotation" style={style}>
                <p class="chooser-title">{"Several annotations here:"}</p>
                <ul>{ for rows }</ul>
            </div>
        }
    });

    let main = match (context.position.view, article.clone()) {
        (View::Read, Some(article)) => html! {
            <>
                <section class="reader" aria-label="Reader">
                    <div class="reader-head">
                        <h1 data-testid="article-title">{article.title.clone()}</h1>
                        <p class="reader-meta">
                            {format!("{} · {} words · {} annotations", article.source, article.word_count(), article_spans.len())}
                            { article_link(&article.url) }
                        </p>
                    </div>
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
                <div class="side-column">
                    { side_tabs }
                    if *side_tab_suggestions {
                        <aside class="side-panel"><crate::ui::suggestions::SuggestionPanel run={suggestion_run.clone()} /></aside>
                    } else {
                        <SidePanel spans={article_spans.clone()} link_counts={link_counts.clone()} />
                    }
                </div>
            </>
        },
        (View::Read, None) => {
            html! { <section class="reader empty"><p>{"No articles yet. Import some to begin."}</p></section> }
        }
        (View::Compare, _) => html! {
            <crate::ui::compare::CompareView pending={pending.clone()} compare={compare.clone()} labels={labels.clone()} link_counts={link_counts.clone()} />
        },
        (View::Graph, _) => html! { <crate::ui::claim_graph::ClaimGraph /> },
    };

    html! {
        <ContextProvider<AppContext> context={context.clone()}>
            <div class="app" {ondragover} {ondrop}>
                <Header save_status={autosave.status.clone()} {on_help} on_settings={toggle_settings} on_paste={toggle_paste} />
                <crate::ui::storage_banner::StorageBanner status={autosave.status.clone()} on_resume={autosave.resume.clone()} />
                <NoticeBar />
                <div class={classes!("workspace", format!("view-{:?}", context.position.view).to_lowercase())}>
                    if context.position.view != View::Compare { <ArticleList /> }
                    { main }
                </div>
                <TagToolbar pending={pending.clone()} />
                { for chooser_popup }
                if *sheet_open { <ShortcutSheet on_close={close_sheet} /> }
                if *paste_open { <crate::ui::import_export::PasteDialog on_close={close_paste} /> }
                if *settings_open { <crate::ui::settings::SettingsDialog on_close={close_settings} /> }
            </div>
        </ContextProvider<AppContext>>
    }
}
