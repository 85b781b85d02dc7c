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
    let button_for = |format: ExportFormat, class: Option<&'static str>| {
        let onclick = {
            let context = context.clone();
            let close = close.clone();
            Callback::from(move |_| {
                close.emit(());
                download_export(&context, format, &ExportOptions::at(now_ms()));
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
        _ => return html! {},
    };
    html! { <span class="export-note" data-testid={format!("export-note-{}", format.id())}>{text}</span> }
}
