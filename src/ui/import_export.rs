//! Bringing articles and annotations in (the Export menu is `ui::export_menu`).
//!
//! An import reads every picked or dropped file, validates all of them, and then applies one
//! undoable edit — or, on any problem, changes nothing and names the file, line and field.
//! Article files (.txt, .md, .html, .json, .jsonl) add articles, skipping ones already present;
//! W3C annotation files add spans and links anchored in the project's articles; a project export
//! replaces the project after the current one is downloaded as a backup.

use yew::prelude::*;

use crate::domain::article::Article;
use crate::domain::project::{Edit, Project};
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::formats::upload::{check_size, classify, FileKind};
use crate::formats::{corpus, project_json, w3c, FormatError};
use crate::ui::commands::export_project;
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::files::{files_from_input, PickedFile};
use crate::web::html_text::extract_article;

fn notify(context: &AppContext, level: NoticeLevel, text: String) {
    context.dispatch(AppAction::Notify(Notice { level, text }));
}

/// Everything one import brings, before it is applied.
#[derive(Default)]
struct Incoming {
    articles: Vec<Article>,
    annotation_files: Vec<(String, String)>,
    project: Option<(String, Project)>,
    problems: Vec<String>,
}

fn parse_file(name: &str, bytes: &[u8], incoming: &mut Incoming) -> Result<(), FormatError> {
    match classify(name, bytes)? {
        FileKind::Corpus => incoming.articles.extend(corpus::parse_corpus_file(name, bytes)?),
        FileKind::Html => {
            let html = std::str::from_utf8(bytes)
                .map_err(|_| FormatError::at("", "the file is not UTF-8 text").in_file(name))?;
            let (title, text) = extract_article(&crate::formats::upload::defuse_event_handlers(html))
                .ok_or_else(|| FormatError::at("", "no article text found in this HTML").in_file(name))?;
            incoming.articles.push(Article::new(&text, &title, name));
        }
        FileKind::W3c => {
            let json = std::str::from_utf8(bytes)
                .map_err(|_| FormatError::at("", "the file is not UTF-8 text").in_file(name))?;
            incoming.annotation_files.push((name.to_string(), json.to_string()));
        }
        FileKind::Project => {
            let json = std::str::from_utf8(bytes)
                .map_err(|_| FormatError::at("", "the file is not UTF-8 text").in_file(name))?;
            let (project, _) = project_json::from_json(json).map_err(|error| error.in_file(name))?;
            incoming.project = Some((name.to_string(), project));
        }
    }
    Ok(())
}

/// Reads, validates and applies `files` as one step (see the module docs).
pub fn import_files(context: AppContext, files: Vec<PickedFile>) {
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut incoming = Incoming::default();
        for file in &files {
            if let Err(error) = check_size(&file.name, file.size) {
                incoming.problems.push(error.to_string());
                continue;
            }
            match file.read().await {
                Ok(bytes) => {
                    if let Err(error) = parse_file(&file.name, &bytes, &mut incoming) {
                        incoming.problems.push(error.in_file_if_unnamed(&file.name).to_string());
                    }
                }
                Err(why) => incoming.problems.push(why),
            }
        }
        apply_incoming(&context, incoming, files.len());
    });
}

fn apply_incoming(context: &AppContext, incoming: Incoming, file_count: usize) {
    if !incoming.problems.is_empty() {
        let list = incoming.problems.join(" • ");
        notify(context, NoticeLevel::Error, format!("Nothing was imported. {list}"));
        return;
    }
    if let Some((name, project)) = incoming.project {
        if file_count > 1 {
            notify(
                context,
                NoticeLevel::Error,
                format!("Nothing was imported. {name} is a whole project: import it on its own."),
            );
            return;
        }
        replace_project(context, &name, project);
        return;
    }
    let now = now_ms();
    let mut edits = Vec::new();
    let mut preview = context.project.clone();
    let mut added = 0;
    let mut duplicates = 0;
    for article in incoming.articles {
        if preview.article(&article.id).is_some() {
            duplicates += 1;
            continue;
        }
        let edit = Edit::InsertArticle { position: usize::MAX, article };
        if preview.apply(edit.clone(), now).is_ok() {
            edits.push(edit);
            added += 1;
        }
    }
    let mut span_count = 0;
    let mut relation_count = 0;
    let mut unanchored = Vec::new();
    let mut reanchored = 0;
    for (name, json) in incoming.annotation_files {
        match w3c::from_w3c(&json, &preview, now) {
            Ok(import) => {
                span_count += import.spans.len();
                relation_count += import.relations.len();
                reanchored += import.reanchored.len();
                unanchored.extend(
                    import.unanchored.iter().map(|item| format!("{name}: {}: {}", item.annotation_id, item.reason)),
                );
                let edit = import.into_edit();
                if let Err(error) = preview.apply(edit.clone(), now) {
                    notify(context, NoticeLevel::Error, format!("Nothing was imported. {name}: {error}"));
                    return;
                }
                edits.push(edit);
            }
            Err(error) => {
                notify(
                    context,
                    NoticeLevel::Error,
                    format!("Nothing was imported. {}", error.in_file_if_unnamed(&name)),
                );
                return;
            }
        }
    }
    let mut summary = Vec::new();
    if added > 0 || duplicates > 0 {
        summary.push(format!("{added} article{} added", if added == 1 { "" } else { "s" }));
    }
    if duplicates > 0 {
        summary.push(format!("{duplicates} already in the project and skipped"));
    }
    if span_count > 0 || relation_count > 0 {
        summary.push(format!("{span_count} annotations and {relation_count} links added"));
    }
    if reanchored > 0 {
        summary.push(format!("{reanchored} re-anchored by their quote"));
    }
    let level = if unanchored.is_empty() { NoticeLevel::Info } else { NoticeLevel::Warning };
    let mut text = format!("Imported: {}.", summary.join(", "));
    if !unanchored.is_empty() {
        text.push_str(&format!(
            " {} could not be anchored and were not added: {}",
            unanchored.len(),
            unanchored.join(" • ")
        ));
    }
    if !edits.is_empty() {
        context.dispatch(AppAction::Edit { edit: Edit::Batch(edits), now });
    }
    notify(context, level, text);
}

/// Replaces the project with an imported one, downloading the current one first if it holds
/// any work, and only after the user agrees.
fn replace_project(context: &AppContext, name: &str, project: Project) {
    let has_work = !context.project.spans.is_empty() || !context.project.relations.is_empty();
    if has_work {
        let question = format!(
            "Replace the current project ({} annotations, {} links) with {name}? The current project is downloaded first, so nothing is lost.",
            context.project.spans.len(),
            context.project.relations.len()
        );
        let agreed = gloo::utils::window().confirm_with_message(&question).unwrap_or(false);
        if !agreed {
            notify(context, NoticeLevel::Info, format!("{name} was not imported."));
            return;
        }
        export_project(context);
    }
    let text = format!(
        "Opened {name}: {} articles, {} annotations, {} links.",
        project.articles.len(),
        project.spans.len(),
        project.relations.len()
    );
    context.dispatch(AppAction::ReplaceProject {
        project,
        keep_history: false,
        notice: Some(Notice { level: NoticeLevel::Info, text }),
    });
}

impl FormatError {
    /// Names `file` unless the error already names a file.
    fn in_file_if_unnamed(self, file: &str) -> FormatError {
        if self.file.is_some() {
            self
        } else {
            self.in_file(file)
        }
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
    let input = use_node_ref();
    let on_files = {
        let context = context.clone();
        Callback::from(move |event: Event| import_files(context.clone(), files_from_input(&event)))
    };
    let open_picker = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    html! {
        <div class="import-export">
            <input ref={input} type="file" multiple=true class="visually-hidden" data-testid="import-input"
                accept=".txt,.text,.md,.markdown,.html,.htm,.json,.jsonl,.ndjson" onchange={on_files} aria-label="Import files" />
            <button type="button" onclick={open_picker} title="Import articles (.txt .md .html .json .jsonl), W3C annotations or a project — or drop files on the page">{"Import"}</button>
            <button type="button" data-testid="open-paste" onclick={props.on_paste.reform(|_| ())} title="Paste an article">{"Paste"}</button>
            <crate::ui::export_menu::ExportMenu />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    pub on_close: Callback<()>,
}

/// Adds an article from pasted text, with optional title, source and URL.
#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let fields = use_mut_ref(|| [String::new(), String::new(), String::new(), String::new()]);
    let field = |index: usize| {
        let fields = fields.clone();
        Callback::from(move |event: InputEvent| fields.borrow_mut()[index] = input_value(&event))
    };
    let on_add = {
        let context = context.clone();
        let fields = fields.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let [title, source, url, text] = fields.borrow().clone();
            if text.trim().is_empty() {
                notify(&context, NoticeLevel::Error, "Paste the article's text first.".to_string());
                return;
            }
            let source = if source.trim().is_empty() { "pasted".to_string() } else { source.trim().to_string() };
            let mut article = Article::new(&text, &title, &source);
            article.url = url.trim().to_string();
            if context.project.article(&article.id).is_some() {
                notify(&context, NoticeLevel::Info, "That article is already in the project.".to_string());
                on_close.emit(());
                return;
            }
            let id = article.id.clone();
            context.dispatch(AppAction::Edit {
                edit: Edit::InsertArticle { position: usize::MAX, article },
                now: now_ms(),
            });
            context.dispatch(AppAction::OpenArticle(id));
            on_close.emit(());
        })
    };
    let close = props.on_close.reform(|_| ());
    let stop = Callback::from(|event: MouseEvent| event.stop_propagation());
    html! {
        <div class="overlay" onclick={close.clone()}>
            <form class="sheet paste" role="dialog" aria-modal="true" aria-labelledby="paste-title" data-testid="paste-dialog" onclick={stop} onsubmit={on_add}>
                <div class="sheet-head">
                    <h2 id="paste-title">{"Paste an article"}</h2>
                    <button type="button" class="dismiss" onclick={close} aria-label="Close">{"×"}</button>
                </div>
                <div class="field"><label for="paste-title-input">{"Title (optional: derived from the text)"}</label><input id="paste-title-input" data-testid="paste-title" oninput={field(0)} /></div>
                <div class="paste-row">
                    <div class="field"><label for="paste-source">{"Source"}</label><input id="paste-source" data-testid="paste-source" oninput={field(1)} placeholder="Outlet or file" /></div>
                    <div class="field"><label for="paste-url">{"URL"}</label><input id="paste-url" type="url" data-testid="paste-url" oninput={field(2)} /></div>
                </div>
                <div class="field"><label for="paste-text">{"Text"}</label><textarea id="paste-text" data-testid="paste-text" rows="12" oninput={field(3)} /></div>
                <button type="submit" class="primary" data-testid="paste-add">{"Add article"}</button>
            </form>
        </div>
    }
}

/// Shared so the drop handler on the page can import too.
pub fn import_dropped(context: &AppContext, event: &DragEvent) {
    event.prevent_default();
    let files = crate::web::files::picked_files(event.data_transfer().and_then(|transfer| transfer.files()));
    import_files(context.clone(), files);
}
