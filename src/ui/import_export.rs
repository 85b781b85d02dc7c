//! The header's Import, Paste and Export controls.
//!
//! Importing is `ui::import` (files one at a time, with a per-file report), pasting
//! `ui::paste_dialog`, and the Export menu `ui::export_menu`; this file opens the file picker.

use yew::prelude::*;

use crate::domain::project::Project;
use crate::ui::lazy_view::{preloader, Lazy};
use crate::ui::state::AppContext;
use crate::web::files::files_from_input;

#[derive(Properties, PartialEq)]
pub struct ImportExportProps {
    pub on_paste: Callback<()>,
}

/// The header's Import and Export controls.
#[component]
pub fn ImportExport(props: &ImportExportProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
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
    let replace = {
        let context = context.clone();
        Callback::from(move |(name, project): (String, Project)| {
            crate::ui::import::replace_project(&context, &name, project)
        })
    };
    html! {
        <div class="import-export">
            <crate::ui::layer_import::LayerImportChoice {replace} />
            <input ref={input} type="file" multiple=true class="visually-hidden" data-testid="import-input"
                accept=".txt,.text,.md,.markdown,.html,.htm,.mhtml,.mht,.json,.jsonl,.ndjson" onchange={on_files} aria-label="Import files" />
            <button type="button" data-testid="import-button" onclick={open_picker}
                onpointerenter={Callback::from(|_: PointerEvent| crate::ui::import::preload())}
                onfocus={Callback::from(|_: FocusEvent| crate::ui::import::preload())} title="Import articles (.txt .md .html .mhtml .json .jsonl), W3C annotations or a project — or drop files on the page">{"Import"}</button>
            <button type="button" data-testid="open-paste" onclick={props.on_paste.reform(|_| ())}
                onpointerenter={preloader(Lazy::Paste)} onfocus={preloader(Lazy::Paste)} title="Paste an article">{"Paste"}</button>
            <crate::ui::export_menu::ExportMenu />
        </div>
    }
}
