//! The root component: one reducer, the autosave effect, the hotkeys, and the layout.
//!
//! Start-up reads the stored project (or falls back to the default corpus). Every change to the
//! project or the view position is saved: at once while saving is cheap, or coalesced into one
//! write per 300 ms when a large project makes it costly, and always flushed when the page is
//! hidden or closed.

use std::cell::RefCell;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::domain::corpus::default_articles;
use crate::domain::project::Project;
use crate::domain::state::{AppAction, AppState, Notice, NoticeLevel, UiPosition, View};
use crate::formats::project_json;
use crate::ui::article_list::ArticleList;
use crate::ui::commands::pending_from_selection;
use crate::ui::header::{Header, SaveStatus};
use crate::ui::keyboard::{handle_keydown, KeyTargets};
use crate::ui::notice_bar::NoticeBar;
use crate::ui::reader::{Reader, SpanClick};
use crate::ui::shortcut_sheet::ShortcutSheet;
use crate::ui::side_panel::SidePanel;
use crate::ui::state::{AppContext, PendingSelection};
use crate::ui::tag_toolbar::TagToolbar;
use crate::web::clock::now_ms;
use crate::web::selection::ReaderSelection;
use crate::web::storage::{self, LoadOutcome};

/// What start-up found in storage.
struct Boot {
    state: AppState,
    /// Saving stays off until the user decides what to do with unreadable stored data.
    saving_paused: bool,
}

fn boot() -> Boot {
    let fresh = || AppState::new(Project::with_articles(default_articles()), UiPosition::default());
    match storage::load(now_ms()) {
        LoadOutcome::Empty => Boot { state: fresh(), saving_paused: false },
        LoadOutcome::Loaded { project, position, history } => {
            let mut state = AppState::new(project, position);
            state.history = history;
            Boot { state, saving_paused: false }
        }
        LoadOutcome::Unreadable { error, backup_key, .. } => {
            let mut state = fresh();
            let kept = backup_key
                .map_or("It could not be backed up.".to_string(), |key| format!("A copy is kept as \"{key}\"."));
            state.notice = Some(Notice {
                level: NoticeLevel::Error,
                text: format!("The saved project could not be opened ({error}). {kept} Saving is paused so nothing is overwritten."),
            });
            Boot { state, saving_paused: true }
        }
        LoadOutcome::Unavailable(why) => {
            let mut state = fresh();
            state.notice = Some(Notice {
                level: NoticeLevel::Error,
                text: format!("Browser storage is not available ({why}); work will be lost on reload. Export often."),
            });
            Boot { state, saving_paused: true }
        }
    }
}

/// The autosave's memory between renders.
#[derive(Default)]
struct SaveSlot {
    timer: Option<Timeout>,
    /// Milliseconds the last write took; decides between saving at once and coalescing.
    last_cost_ms: f64,
    dirty: bool,
    started: bool,
}

/// Serialises and writes the latest state; returns the status to show.
fn save_now(context: &AppContext, slot: &RefCell<SaveSlot>) -> SaveStatus {
    let started = js_sys::Date::now();
    let now = now_ms();
    let json = project_json::to_stored_json(&context.project, &context.position, &context.history, now);
    let result = storage::save(&json);
    let mut slot = slot.borrow_mut();
    slot.last_cost_ms = js_sys::Date::now() - started;
    slot.dirty = false;
    match result {
        Ok(()) => SaveStatus::Saved { at: now },
        Err(error) => SaveStatus::Failed(error.to_string()),
    }
}

#[component]
pub fn App() -> Html {
    let booted = use_mut_ref(|| None::<bool>);
    let context: AppContext = use_reducer(|| {
        let boot = boot();
        *booted.borrow_mut() = Some(boot.saving_paused);
        boot.state
    });
    let saving_paused = use_state(|| booted.borrow().unwrap_or(false));
    let save_status = use_state(|| if *saving_paused { SaveStatus::Paused } else { SaveStatus::Saved { at: 0 } });
    let pending = use_state(|| None::<PendingSelection>);
    let sheet_open = use_state(|| false);
    let chooser = use_state(|| None::<SpanClick>);
    let save_slot = use_mut_ref(SaveSlot::default);

    // Autosave whenever the project or the view position changes.
    {
        let context = context.clone();
        let save_slot = save_slot.clone();
        let save_status = save_status.clone();
        let paused = *saving_paused;
        use_effect_with((context.revision, context.position.clone(), paused), move |(revision, _, paused)| {
            // The first run sees the state just loaded (or the default corpus): nothing to save.
            let first_run = !std::mem::replace(&mut save_slot.borrow_mut().started, true);
            if *paused || first_run {
                return;
            }
            let _ = revision;
            let cheap = save_slot.borrow().last_cost_ms < 8.0;
            save_slot.borrow_mut().dirty = true;
            if cheap {
                save_status.set(save_now(&context, &save_slot));
            } else {
                save_status.set(SaveStatus::Pending);
                let slot_for_timer = save_slot.clone();
                let timer = Timeout::new(300, move || {
                    if slot_for_timer.borrow().dirty {
                        save_status.set(save_now(&context, &slot_for_timer));
                    }
                });
                save_slot.borrow_mut().timer = Some(timer);
            }
        });
    }

    // Flush a coalesced save when the page is hidden or closed.
    {
        let context = context.clone();
        let save_slot = save_slot.clone();
        let saving_paused = saving_paused.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let flush = move |_: &web_sys::Event| {
                if !*saving_paused && save_slot.borrow().dirty {
                    save_now(&context, &save_slot);
                }
            };
            let listeners = [
                EventListener::new(&window, "pagehide", flush.clone()),
                EventListener::new(&gloo::utils::document(), "visibilitychange", flush),
            ];
            move || drop(listeners)
        });
    }

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

    // Hotkeys, registered once: the handles inside always read the latest state.
    {
        let targets = KeyTargets {
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
    let article_spans = {
        let project_revision = context.revision;
        let article_id = article.as_ref().map(|article| article.id.clone());
        let context = context.clone();
        use_memo((project_revision, article_id), move |(_, article_id)| {
            article_id.as_ref().map(|id| context.project.spans_in_article(id)).unwrap_or_default()
        })
    };
    let link_counts = {
        let context = context.clone();
        use_memo(context.revision, move |_| {
            let mut counts = std::collections::BTreeMap::new();
            for relation in context.project.relations.values() {
                *counts.entry(relation.from.clone()).or_insert(0) += 1;
                *counts.entry(relation.to.clone()).or_insert(0) += 1;
            }
            counts
        })
    };
    let labels = {
        let labels = context.project.labels.clone();
        use_memo(labels, |labels| labels.clone())
    };

    let on_help = {
        let sheet_open = sheet_open.clone();
        Callback::from(move |_| sheet_open.set(!*sheet_open))
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
                        <p class="reader-meta">{format!("{} · {} words · {} annotations", article.source, article.word_count(), article_spans.len())}</p>
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
                    />
                </section>
                <SidePanel spans={article_spans.clone()} />
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
            <div class="app">
                <Header save_status={(*save_status).clone()} {on_help} />
                <NoticeBar />
                <div class={classes!("workspace", format!("view-{:?}", context.position.view).to_lowercase())}>
                    if context.position.view != View::Compare { <ArticleList /> }
                    { main }
                </div>
                <TagToolbar pending={pending.clone()} />
                { for chooser_popup }
                if *sheet_open { <ShortcutSheet on_close={close_sheet} /> }
            </div>
        </ContextProvider<AppContext>>
    }
}
