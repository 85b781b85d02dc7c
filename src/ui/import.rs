//! Bringing articles and annotations in: picked, dropped or pasted files, one at a time.
//!
//! Each file is read, classified and (for a web page) extracted on its own, yielding to the
//! browser between files so a drop of a hundred pages never freezes the tab; a progress bar shows
//! from ten files. The pure [`plan_import`] then decides what each file adds, all of it is applied
//! as one undoable edit, and a per-file report says what was imported, skipped as a duplicate, or
//! failed and why. A whole project replaces the current one after that one is downloaded. The
//! readers and the plan are a module of their own, fetched on the first import.

use std::rc::Rc;

#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;
use yew::prelude::*;

use crate::domain::import_report::{FileReport, FileStatus, ImportRun};
use crate::domain::project::{Edit, Project};
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::formats::import_plan::{in_file_if_unnamed, plan_import, read_file, FileOutcome, ReadFile};
use crate::formats::upload::check_size;
use crate::ui::commands::export_project;
use crate::ui::notice_bar::notify;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::files::PickedFile;
use crate::web::split_module::{split_call, ModuleFuture, NotLoaded};

/// Reads one file into what it brings, or the reason it cannot be imported.
async fn read_one(file: &PickedFile) -> FileOutcome {
    if let Err(error) = check_size(&file.name, file.size) {
        return FileOutcome::failed(&file.name, error.to_string());
    }
    let bytes = match file.read().await {
        Ok(bytes) => bytes,
        Err(why) => return FileOutcome::failed(&file.name, why),
    };
    match read_file(&file.name, &bytes) {
        Ok(ReadFile::Ready(incoming)) => FileOutcome::ok(&file.name, incoming),
        Ok(ReadFile::WebPage(page)) => crate::web::html_text::import_web_page(&file.name, &page).await,
        Err(error) => FileOutcome::failed(&file.name, in_file_if_unnamed(error, &file.name).to_string()),
    }
}

// The import itself — the file readers (corpus, W3C, project JSON, web pages), the web-page
// extraction's glue and the import plan — is a module fetched on the first import
// (`ui::lazy_view`), or before it: when the pointer or the focus reaches the Import button, or
// files are dragged over the page ([`preload`]).

#[cfg_attr(feature = "lazy-views", wasm_split(import, fallible, preload(preload_import_module)))]
fn import_files_loaded(context: AppContext, files: Vec<PickedFile>) -> Result<ModuleFuture<()>, NotLoaded> {
    Ok(Box::pin(import_files_now(context, files)))
}

/// Fetches the importer's module ahead of an import that is about to come, so that reading the
/// first file does not wait for it. A failed fetch is left to the import itself to report.
pub fn preload() {
    #[cfg(feature = "lazy-views")]
    wasm_bindgen_futures::spawn_local(async {
        let _ = preload_import_module().await;
    });
}

/// Reads, plans and applies `files` (see the module docs). If the importer's module cannot be
/// fetched, a notice says so and nothing changes.
pub fn import_files(context: AppContext, files: Vec<PickedFile>) {
    if files.is_empty() {
        return;
    }
    // Its progress and report are that module's too: asked for first, they are there when the
    // import shows them.
    crate::ui::lazy_view::preload(crate::ui::lazy_view::Lazy::ImportReport);
    wasm_bindgen_futures::spawn_local(async move {
        match split_call!(import_files_loaded(context.clone(), files)) {
            Ok(import) => import.await,
            Err(NotLoaded) => notify(&context, NoticeLevel::Error, NotLoaded::message("The importer")),
        }
    });
}

async fn import_files_now(context: AppContext, files: Vec<PickedFile>) {
    let total = files.len();
    let mut outcomes = Vec::with_capacity(total);
    context.dispatch(AppAction::SetImport(Some(ImportRun { total, ..ImportRun::default() })));
    for (index, file) in files.iter().enumerate() {
        outcomes.push(read_one(file).await);
        context.dispatch(AppAction::SetImport(Some(ImportRun { total, done: index + 1, ..ImportRun::default() })));
        // Lets the browser paint the progress and handle input before the next file.
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
    apply_outcomes(&context, outcomes);
}

/// Plans the import against the latest project (after any edit waiting for the editing code:
/// `ui::editing::edit`) and applies it.
fn apply_outcomes(context: &AppContext, outcomes: Vec<FileOutcome>) {
    let now = now_ms();
    crate::ui::editing::edit(context, move |context| apply_outcomes_now(context, outcomes, now));
}

fn apply_outcomes_now(context: &AppContext, outcomes: Vec<FileOutcome>, now: i64) {
    let plan = plan_import(&context.project, outcomes, now);
    let (level, text) = plan.summary();
    let run = ImportRun { total: plan.report.len(), done: plan.report.len(), report: Rc::new(plan.report) };
    context.dispatch(AppAction::SetImport(run.shows_report().then_some(run)));
    if let Some((name, project)) = plan.replace_with {
        // Another annotator's layer, or a replacement: the user chooses (see `ui::layer_import`).
        crate::ui::layer_import::offer(context, &name, *project, replace_project);
        return;
    }
    if let Some(edit) = plan.edit {
        context.dispatch(AppAction::Edit { edit, now });
    }
    notify(context, level, text);
}

/// Replaces the project with an imported one, downloading the current one first if it holds
/// any work, and only after the user agrees.
pub fn replace_project(context: &AppContext, name: &str, project: Project) {
    let has_work = !context.project.spans().is_empty() || !context.project.relations().is_empty();
    if has_work {
        let question = format!(
            "Replace the current project ({} annotations, {} links) with {name}? The current project is downloaded first, so nothing is lost.",
            context.project.spans().len(),
            context.project.relations().len()
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
        project.articles().len(),
        project.spans().len(),
        project.relations().len()
    );
    context.dispatch(AppAction::ReplaceProject {
        project,
        keep_history: false,
        notice: Some(Notice { level: NoticeLevel::Info, text }),
    });
}

/// Shared so the drop handler on the page can import too.
pub fn import_dropped(context: &AppContext, event: &DragEvent) {
    event.prevent_default();
    let files = crate::web::files::picked_files(event.data_transfer().and_then(|transfer| transfer.files()));
    import_files(context.clone(), files);
}

/// Adds a failed page's whole text instead of its (unfound) article, and marks its row.
fn import_whole_page(context: &AppContext, run: &ImportRun, row_index: usize) {
    let (run, now) = (run.clone(), now_ms());
    crate::ui::editing::edit(context, move |context| import_whole_page_now(context, &run, row_index, now));
}

fn import_whole_page_now(context: &AppContext, run: &ImportRun, row_index: usize, now: i64) {
    let Some(row) = run.report.get(row_index) else { return };
    let Some(article) = row.whole_page.clone() else { return };
    let mut report = (*run.report).clone();
    report[row_index] = if context.project.article(&article.id).is_some() {
        FileReport::new(&row.file, FileStatus::Duplicate, "its whole text is already in the project".to_string())
    } else {
        let id = article.id.clone();
        context.dispatch(AppAction::Edit {
            edit: Edit::InsertArticle { position: usize::MAX, article: (*article).clone() },
            now,
        });
        context.dispatch(AppAction::OpenArticle(id));
        FileReport::new(&row.file, FileStatus::Imported, "the whole page's text was imported".to_string())
    };
    context.dispatch(AppAction::SetImport(Some(ImportRun { report: Rc::new(report), ..run.clone() })));
}

/// The progress bar of a long import, then the per-file report until dismissed.
#[component]
pub fn ImportPanel() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let Some(run) = context.import.clone() else { return html! {} };
    if run.shows_progress() {
        return html! {
            <div class="import-progress" role="status">
                <label for="import-progress-bar">{ format!("Importing {} of {} files…", run.done, run.total) }</label>
                <progress id="import-progress-bar" data-testid="import-progress" max={run.total.to_string()} value={run.done.to_string()} />
            </div>
        };
    }
    if !run.is_finished() {
        return html! {};
    }
    let count = |status: FileStatus| run.report.iter().filter(|row| row.status == status).count();
    let heading = format!(
        "Import report: {} imported, {} duplicate, {} failed",
        count(FileStatus::Imported),
        count(FileStatus::Duplicate),
        count(FileStatus::Failed)
    );
    let dismiss = {
        let context = context.clone();
        Callback::from(move |_| context.dispatch(AppAction::SetImport(None)))
    };
    let rows = run.report.iter().enumerate().map(|(index, row)| {
        let offer = row.whole_page.as_ref().map(|_| {
            let context = context.clone();
            let run = run.clone();
            let onclick = Callback::from(move |_| import_whole_page(&context, &run, index));
            html! { <button type="button" data-testid="import-whole-page" {onclick}>{"Import the whole page's text"}</button> }
        });
        let status = row.status.as_str();
        html! {
            <li class={classes!("import-report-row", status)} data-testid="import-report-row" data-status={status}>
                <span class="import-file">{ row.file.clone() }</span>
                <span class="import-status">{ status }</span>
                <span class="import-detail">{ row.detail.clone() }</span>
                { for offer }
            </li>
        }
    });
    html! {
        <section class="import-report" data-testid="import-report" aria-labelledby="import-report-title">
            <div class="import-report-head">
                <h2 id="import-report-title">{ heading }</h2>
                <button type="button" class="dismiss" data-testid="import-report-dismiss" onclick={dismiss} aria-label="Close the import report">{"×"}</button>
            </div>
            <ul>{ for rows }</ul>
        </section>
    }
}
