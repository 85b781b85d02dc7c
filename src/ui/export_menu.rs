//! The header's Export menu: one row per [`ExportFormat`], each with the line saying what the
//! file is for and which tool reads it.
//!
//! The menu is a small non-modal dialog (it holds options as well as buttons): `Escape` or a
//! click on a format closes it and returns focus to the Export button. Each format's button is
//! `data-testid="export-<id>"` and downloads `crosscheck-<id>-<date>.<extension>`.
//!
//! The rows ([`ExportRows`]) are a module loaded on first use (`ui::lazy_view`), fetched when
//! the pointer or the focus reaches the Export button; the button and its panel stay in the
//! first load.

use yew::prelude::*;

use crate::domain::agreement::GOLD;
use crate::domain::layers::{authors, limit_to_scope, ExportScope};
use crate::domain::project::Project;
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::formats::export::{ExportFormat, ExportOptions};
use crate::ui::commands::today;
use crate::ui::lazy_view::{lazy, preloader, Lazy, LazyArgs};
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::download::download_bytes;
use crate::web::task_worker;

/// Writes `format` for the current project in the task worker (`web::task_worker`) and offers
/// it as a download; a failure becomes a notice and changes nothing.
pub fn download_export(context: &AppContext, format: ExportFormat, options: &ExportOptions, scope: &ExportScope) {
    // Limited to one layer (gold or an annotator) before any format sees it.
    let limited = limit_to_scope(&context.project, scope);
    let file_name = format.file_name(&today()).replacen(
        &format!("crosscheck-{}-", format.id()),
        &format!("crosscheck-{}{}-", format.id(), scope.file_suffix()),
        1,
    );
    let context = context.clone();
    task_worker::export(&limited, format, options, move |bytes| {
        let result = bytes.and_then(|bytes| download_bytes(&file_name, format.media_type(), &bytes));
        if let Err(why) = result {
            context.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Error,
                text: format!("Export failed: {why}"),
            }));
        }
    });
}

/// The menu's layer choice: everyone's annotations, the gold layer, or one annotator's.
fn export_scope_choice(project: &Project, scope: &UseStateHandle<ExportScope>) -> Html {
    let authors = authors(project);
    if authors.len() < 2 && !authors.iter().any(|author| author == GOLD) {
        return html! {};
    }
    let onchange = {
        let scope = scope.clone();
        Callback::from(move |event: Event| {
            let value = crate::ui::span_editor::input_value(&event);
            scope.set(if value.is_empty() { ExportScope::Everyone } else { ExportScope::Author(value) });
        })
    };
    let selected = |author: &str| matches!(&**scope, ExportScope::Author(chosen) if chosen == author);
    let mut ordered: Vec<&String> = authors.iter().filter(|author| *author == GOLD).collect();
    ordered.extend(authors.iter().filter(|author| *author != GOLD));
    html! {
        <label class="export-scope">{"Annotations: "}
            <select data-testid="export-scope" {onchange}>
                <option value="" selected={**scope == ExportScope::Everyone}>{"everyone's"}</option>
                { for ordered.into_iter().map(|author| html! {
                    <option value={author.clone()} selected={selected(author)}>{if author == GOLD { "gold layer only".to_string() } else { format!("{author} only") }}</option>
                }) }
            </select>
        </label>
    }
}

/// The Export button and its menu.
#[component]
pub fn ExportMenu() -> Html {
    let open = use_state(|| false);
    let neutral_ratio = use_state(|| 1.0_f64);
    let button = use_node_ref();
    let panel = use_node_ref();
    let close = {
        let open = open.clone();
        let button = button.clone();
        Callback::from(move |()| {
            open.set(false);
            if let Some(button) = button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.stop_propagation();
                close.emit(());
            }
        })
    };
    let scope = use_state(|| ExportScope::Everyone);
    // The closed menu holds no rows: their notes walk every span and link (the authors, the
    // links across articles), and the menu renders with every edit (about 10 ms at 10,000 spans).
    let contents = if *open {
        let export = ExportArgs { scope: scope.clone(), neutral_ratio: neutral_ratio.clone(), close: close.clone() };
        lazy(Lazy::ExportMenu, LazyArgs { export: Some(export), ..LazyArgs::default() })
    } else {
        html! {}
    };
    html! {
        <div class="menu-anchor export-menu" {onkeydown}>
            <button ref={button} type="button" data-testid="export-menu" aria-haspopup="dialog" aria-controls="export-panel"
                aria-expanded={open.to_string()} onclick={toggle}
                onpointerenter={preloader(Lazy::ExportMenu)} onfocus={preloader(Lazy::ExportMenu)}>{"Export ▾"}</button>
            <div ref={panel} id="export-panel" class={classes!("menu", "export-panel", (!*open).then_some("closed"))}
                role="dialog" aria-label="Export a dataset" data-testid="export-panel">
                { contents }
            </div>
        </div>
    }
}

/// What the open menu's rows read and change (kept by [`ExportMenu`], so a choice survives
/// closing the menu).
#[derive(Clone, PartialEq)]
pub struct ExportArgs {
    pub scope: UseStateHandle<ExportScope>,
    pub neutral_ratio: UseStateHandle<f64>,
    pub close: Callback<()>,
}

#[derive(Properties, PartialEq)]
pub struct ExportRowsProps {
    pub args: ExportArgs,
}

/// The open menu's rows; focus moves to the first format when they appear.
#[component]
pub fn ExportRows(props: &ExportRowsProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with((), move |_| {
            // The exports are made in the task worker: start it loading now. (Called from this
            // module on first use, so that the worker's client is not in the first load.)
            task_worker::warm_up();
            if let Some(first) = list
                .cast::<web_sys::Element>()
                .and_then(|element| element.query_selector("button").ok().flatten())
                .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok())
            {
                let _ = first.focus();
            }
        });
    }
    let ExportArgs { scope, neutral_ratio, close } = &props.args;
    html! { <div ref={list} class="export-rows">{ menu_rows(&context, scope, neutral_ratio, close) }</div> }
}

/// The open menu: who to export (when there are several annotators) and a row per format.
fn menu_rows(
    context: &AppContext,
    scope: &UseStateHandle<ExportScope>,
    neutral_ratio: &UseStateHandle<f64>,
    close: &Callback<()>,
) -> Html {
    let scope_choice = export_scope_choice(&context.project, scope);
    let button_for = |format: ExportFormat, class: Option<&'static str>| {
        let onclick = {
            let context = context.clone();
            let close = close.clone();
            let neutral_ratio = neutral_ratio.clone();
            let scope = (**scope).clone();
            Callback::from(move |_| {
                close.emit(());
                download_export(
                    &context,
                    format,
                    &ExportOptions { neutral_ratio: *neutral_ratio, ..ExportOptions::at(now_ms()) },
                    &scope,
                );
            })
        };
        html! {
            <button type="button" class={classes!(class)} data-testid={format!("export-{}", format.id())}
                aria-describedby={format!("export-purpose-{}", format.id())} {onclick}>
                {format.menu_text()}
            </button>
        }
    };
    let rows = ExportFormat::ALL.into_iter().filter(|format| format.companion_of().is_none()).map(|format| {
        let companions = ExportFormat::ALL.into_iter().filter(|companion| companion.companion_of() == Some(format));
        html! {
            <li>
                {button_for(format, None)}
                <span class="export-purpose" id={format!("export-purpose-{}", format.id())}>{format.purpose()}</span>
                {export_note(&context.project, format)}
                if format == ExportFormat::Nli { {neutral_ratio_field(neutral_ratio)} }
                { for companions.map(|companion| html! {
                    <>
                        {button_for(companion, Some("export-companion"))}
                        <span class="export-purpose" id={format!("export-purpose-{}", companion.id())}>{companion.purpose()}</span>
                    </>
                }) }
            </li>
        }
    });
    html! {
        <>
            { scope_choice }
            <ul class="export-list">{ for rows }</ul>
        </>
    }
}

/// The NLI row's choice: how many sampled neutral pairs per linked pair.
fn neutral_ratio_field(ratio: &UseStateHandle<f64>) -> Html {
    let onchange = {
        let ratio = ratio.clone();
        Callback::from(move |event: Event| {
            let value = crate::ui::span_editor::input_value(&event).trim().parse::<f64>().unwrap_or(1.0);
            ratio.set(if value.is_finite() { value.clamp(0.0, 10.0) } else { 1.0 });
        })
    };
    html! {
        <label class="export-option">
            {"Neutral pairs per linked pair"}
            <input type="number" min="0" max="10" step="0.5" value={ratio.to_string()} data-testid="export-nli-neutral-ratio" {onchange} />
        </label>
    }
}

/// What the person should know about this project's file before downloading it.
fn export_note(project: &crate::domain::project::Project, format: ExportFormat) -> Html {
    let text = match format {
        ExportFormat::Doccano => match crate::formats::doccano::cross_article_link_count(project) {
            0 => return html! {},
            1 => "1 link joins two articles: doccano cannot hold it, so it is in the file below.".to_string(),
            count => {
                format!("{count} links join two articles: doccano cannot hold them, so they are in the file below.")
            }
        },
        ExportFormat::ClaimReview => {
            let reviewed = project
                .spans()
                .values()
                .filter(|span| crate::formats::claim_review::verdict_of(span).is_some())
                .count();
            let organisation = &project.settings().reviewer_organisation;
            match (reviewed, organisation.is_empty()) {
                (0, _) => "No claim has a verdict yet: set one on a claim to review it.".to_string(),
                (count, true) => {
                    format!("{count} reviewed claims. Name your organisation in Settings: it is the reviewer.")
                }
                (count, false) => format!("{count} reviewed claims, reviewed by {organisation}."),
            }
        }
        _ => return html! {},
    };
    html! { <span class="export-note" data-testid={format!("export-note-{}", format.id())}>{text}</span> }
}
