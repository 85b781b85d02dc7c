//! The header's Import and Export controls, and the exports themselves.
//!
//! Importing is `ui::import` (files, one at a time, with a per-file report) and the paste
//! dialog `ui::paste_dialog`; this file opens the picker and writes the datasets.

use yew::prelude::*;

use crate::domain::state::NoticeLevel;
use crate::formats::{brat, csv, jsonl, nli, w3c};
use crate::ui::commands::{export_project, today};
use crate::ui::notice_bar::notify;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::download::download_bytes;
use crate::web::files::files_from_input;

/// The export formats: `(id for data-testid, menu text, file extension, MIME type)`.
const EXPORTS: [(&str, &str, &str, &str); 6] = [
    ("project", "Project (JSON, re-importable)", "json", "application/json"),
    ("jsonl", "JSONL spans (spaCy, doccano, Prodigy)", "jsonl", "application/jsonl"),
    ("csv", "CSV, one row per span (pandas, spreadsheets)", "csv", "text/csv"),
    ("w3c", "W3C Web Annotation (JSON-LD)", "jsonld", "application/ld+json"),
    ("brat", "brat standoff (.zip)", "zip", "application/zip"),
    ("nli", "NLI pairs for contradiction training (JSONL)", "jsonl", "application/jsonl"),
];

fn export(context: &AppContext, format: &str) {
    if format == "project" {
        export_project(context);
        return;
    }
    let project = &context.project;
    let now = now_ms();
    let bytes: Result<Vec<u8>, String> = match format {
        "jsonl" => Ok(jsonl::to_jsonl(project).into_bytes()),
        "csv" => Ok(csv::to_csv(project).into_bytes()),
        "w3c" => Ok(w3c::to_w3c(project, now).into_bytes()),
        "brat" => brat::to_brat_zip(project, now).map_err(|error| error.to_string()),
        "nli" => Ok(nli::to_nli_jsonl(project).into_bytes()),
        other => Err(format!("unknown format {other}")),
    };
    let Some((_, _, extension, mime)) = EXPORTS.iter().find(|(id, ..)| *id == format) else { return };
    let result =
        bytes.and_then(|bytes| download_bytes(&format!("crosscheck-{format}-{}.{extension}", today()), mime, &bytes));
    if let Err(why) = result {
        notify(context, NoticeLevel::Error, format!("Export failed: {why}"));
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportExportProps {
    pub on_paste: Callback<()>,
}

/// The header's Import and Export controls.
#[component]
pub fn ImportExport(props: &ImportExportProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let menu_open = use_state(|| false);
    let input = use_node_ref();
    let on_files = {
        let context = context.clone();
        Callback::from(move |event: Event| crate::ui::import::import_files(context.clone(), files_from_input(&event)))
    };
    let open_picker = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_| menu_open.set(!*menu_open))
    };
    let items = EXPORTS.iter().map(|(id, text, ..)| {
        let onclick = {
            let context = context.clone();
            let menu_open = menu_open.clone();
            let id = id.to_string();
            Callback::from(move |_| {
                menu_open.set(false);
                export(&context, &id);
            })
        };
        html! { <li role="none"><button type="button" role="menuitem" data-testid={format!("export-{id}")} {onclick}>{*text}</button></li> }
    });
    html! {
        <div class="import-export">
            <input ref={input} type="file" multiple=true class="visually-hidden" data-testid="import-input"
                accept=".txt,.text,.md,.markdown,.html,.htm,.mhtml,.mht,.json,.jsonl,.ndjson" onchange={on_files} aria-label="Import files" />
            <button type="button" onclick={open_picker} title="Import articles (.txt .md .html .mhtml .json .jsonl), W3C annotations or a project — or drop files on the page">{"Import"}</button>
            <button type="button" data-testid="open-paste" onclick={props.on_paste.reform(|_| ())} title="Paste an article">{"Paste"}</button>
            <div class="menu-anchor">
                <button type="button" data-testid="export-menu" aria-haspopup="menu" aria-expanded={menu_open.to_string()} onclick={toggle_menu}>{"Export ▾"}</button>
                <ul class={classes!("menu", (!*menu_open).then_some("closed"))} role="menu">{ for items }</ul>
            </div>
        </div>
    }
}
