//! The header's Export menu: one row per [`ExportFormat`], each with the line saying what the
//! file is for and which tool reads it.
//!
//! The menu is a small non-modal dialog (it holds options as well as buttons): `Escape` or a
//! click on a format closes it and returns focus to the Export button. Each format's button is
//! `data-testid="export-<id>"` and downloads `crosscheck-<id>-<date>.<extension>`.

use yew::prelude::*;

use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::formats::export::{ExportFormat, ExportOptions};
use crate::ui::commands::today;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::download::download_bytes;

/// Writes `format` for the current project and offers it as a download; a failure becomes a
/// notice and changes nothing.
pub fn download_export(context: &AppContext, format: ExportFormat, options: &ExportOptions) {
    let result = format
        .write(&context.project, options)
        .map_err(|error| error.to_string())
        .and_then(|bytes| download_bytes(&format.file_name(&today()), format.media_type(), &bytes));
    if let Err(why) = result {
        context
            .dispatch(AppAction::Notify(Notice { level: NoticeLevel::Error, text: format!("Export failed: {why}") }));
    }
}

/// The Export button and its menu.
#[component]
pub fn ExportMenu() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let open = use_state(|| false);
    let button = use_node_ref();
    let panel = use_node_ref();
    {
        // Focus moves into the menu when it opens (to its first format).
        let panel = panel.clone();
        use_effect_with(*open, move |open| {
            if *open {
                if let Some(first) = panel
                    .cast::<web_sys::Element>()
                    .and_then(|element| element.query_selector("button").ok().flatten())
                    .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok())
                {
                    let _ = first.focus();
                }
            }
        });
    }
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
    let rows = ExportFormat::ALL.into_iter().map(|format| {
        let onclick = {
            let context = context.clone();
            let close = close.clone();
            Callback::from(move |_| {
                close.emit(());
                download_export(&context, format, &ExportOptions::at(now_ms()));
            })
        };
        let described_by = format!("export-purpose-{}", format.id());
        html! {
            <li>
                <button type="button" data-testid={format!("export-{}", format.id())} aria-describedby={described_by.clone()} {onclick}>
                    {format.menu_text()}
                </button>
                <span class="export-purpose" id={described_by}>{format.purpose()}</span>
            </li>
        }
    });
    html! {
        <div class="menu-anchor export-menu" {onkeydown}>
            <button ref={button} type="button" data-testid="export-menu" aria-haspopup="dialog" aria-controls="export-panel"
                aria-expanded={open.to_string()} onclick={toggle}>{"Export ▾"}</button>
            <div ref={panel} id="export-panel" class={classes!("menu", "export-panel", (!*open).then_some("closed"))}
                role="dialog" aria-label="Export a dataset" data-testid="export-panel">
                <ul class="export-list">{ for rows }</ul>
            </div>
        </div>
    }
}
