//! Start-up: reads the stored project (IndexedDB is asynchronous) while a "Opening your
//! project…" status shows, then mounts the app with it. Nothing else renders before the load
//! settles, so the default corpus never flashes over the user's data.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::Article;
use crate::domain::project::Project;
use crate::domain::state::{AppState, Notice, NoticeLevel, UiPosition};
use crate::formats::stored::load::Problem;
use crate::formats::stored::save::SavedState;
use crate::ui::app::App;
use crate::web::clock::now_ms;
use crate::web::migration::PendingMigration;
use crate::web::storage::{self, LoadOutcome};

/// What start-up found in storage.
#[derive(Default)]
pub struct Boot {
    pub state: AppState,
    /// Why saving stays off: stored data that must not be overwritten until the user decides.
    pub saving_paused: Option<String>,
    /// What the store holds, so the first save writes only what changed.
    pub saved: SavedState,
    /// A migrated project's version-2 copy, still to be written (by the autosave).
    pub migration: Option<Box<PendingMigration>>,
}

/// A [`Boot`] handed to the app once.
#[derive(Clone, Default)]
pub struct BootCell(Rc<RefCell<Option<Boot>>>);

impl PartialEq for BootCell {
    fn eq(&self, other: &BootCell) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl BootCell {
    pub fn take(&self) -> Boot {
        self.0.borrow_mut().take().unwrap_or_default()
    }
}

fn error_notice(text: String) -> Option<Notice> {
    Some(Notice { level: NoticeLevel::Error, text })
}

/// A start without a stored project to open opens the sample articles, or none if they could
/// not be fetched; the notice says why, after `notice` (what storage reported) if there is one.
fn fresh(sample: Result<Vec<Article>, String>, notice: Option<String>) -> AppState {
    let (articles, sample_failed) = match sample {
        Ok(articles) => (articles, None),
        Err(why) => (
            Vec::new(),
            Some(format!("The sample articles could not be loaded ({why}). Import your own articles to begin.")),
        ),
    };
    let mut state = AppState::new(Project::with_articles(articles), UiPosition::default());
    let text = match (sample_failed, notice) {
        (Some(failed), Some(text)) => Some(format!("{text} {failed}")),
        (failed, text) => text.or(failed),
    };
    state.notice = text.and_then(error_notice);
    state
}

/// What the notice says of stored documents a read left out, each with its copy's key.
pub fn left_out_text(problems: &[(Problem, Option<String>)]) -> String {
    let names: Vec<String> = problems
        .iter()
        .map(|(problem, backup)| match backup {
            Some(key) => format!("\"{}\" ({}; copy kept as \"{key}\")", problem.id, problem.why),
            None => format!("\"{}\" ({})", problem.id, problem.why),
        })
        .collect();
    format!(
        "{} stored item(s) could not be opened and were left out: {}. Everything else is loaded.",
        problems.len(),
        names.join("; ")
    )
}

/// Turns what storage gave into the app's first state; `sample` is what a start without a
/// usable stored project opens (`web::sample_corpus`; not read when a project was loaded).
pub fn boot_from(outcome: LoadOutcome, sample: Result<Vec<Article>, String>) -> Boot {
    match outcome {
        LoadOutcome::Empty => Boot { state: fresh(sample, None), ..Boot::default() },
        LoadOutcome::Loaded { project, position, history, saved, problems, notice, saving_paused, migration } => {
            let mut state = AppState::new(project, position);
            state.history = history;
            if !problems.is_empty() {
                state.notice = error_notice(left_out_text(&problems));
            }
            if let Some(text) = notice.or_else(|| {
                saving_paused
                    .as_ref()
                    .map(|why| format!("Saving is paused: {why}. Export the project to keep your work."))
            }) {
                // After the left-out items' notice, not over it: both happen at once when a pack
                // is damaged and a loose document is too.
                let text = match state.notice.take() {
                    Some(left_out) => format!("{} {text}", left_out.text),
                    None => text,
                };
                state.notice = error_notice(text);
            }
            Boot { state, saving_paused, saved: *saved, migration }
        }
        LoadOutcome::Unreadable { error, backup_key, .. } => {
            let kept =
                backup_key.map_or("It is left as it was.".to_string(), |key| format!("A copy is kept as \"{key}\"."));
            let state = fresh(
                sample,
                Some(format!(
                    "The saved project could not be opened ({error}). {kept} Saving is paused so nothing is overwritten."
                )),
            );
            Boot {
                state,
                saving_paused: Some(format!("the stored project could not be read ({error})")),
                ..Boot::default()
            }
        }
        LoadOutcome::Unavailable(why) => {
            let state = fresh(sample, Some(format!(
                "Browser storage is not available ({why}); Crosscheck works in memory and your work will be lost on reload. Use Export project to keep it."
            )));
            Boot { state, saving_paused: Some(format!("storage is unavailable ({why})")), ..Boot::default() }
        }
    }
}

/// The root: a status line until the stored project is read, then the app.
#[component]
pub fn Startup() -> Html {
    let boot = use_state(|| None::<BootCell>);
    {
        let boot = boot.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = storage::load(now_ms()).await;
                let sample = match outcome {
                    LoadOutcome::Loaded { .. } => Ok(Vec::new()),
                    _ => crate::web::sample_corpus::fetch_default_articles().await,
                };
                if let LoadOutcome::Loaded { project, .. } = &outcome {
                    // Until the autosave takes over, "download your data" gives what was loaded.
                    let project = project.clone();
                    // (Once the editing code is here; until then, a recovery file of the stored
                    // documents and these texts: `formats::stored::recovery`.)
                    storage::set_saved_project(move || match crate::ui::editing::loaded() {
                        Some(code) => Some((code.project_json)(&project)),
                        None => storage::recovery_file(Some(&project)),
                    });
                }
                boot.set(Some(BootCell(Rc::new(RefCell::new(Some(boot_from(outcome, sample)))))));
                crate::web::panic::run_requested_panic_test();
                // The editing code (`ui::editing`) is not needed to show the project: it is
                // fetched after the project's first paint, and with it the views that edit (the
                // span editor, the tag toolbar, the span chooser), so they show at once.
                crate::ui::editing::fetch_after_first_paint(crate::ui::lazy_view::preload_editing_views);
                // Ask the browser to keep this origin's data under storage pressure; after the
                // project's first paint, which the request's call (~1.5 ms of a new tab) would
                // otherwise delay.
                crate::web::schedule::after_next_paint(|| {
                    wasm_bindgen_futures::spawn_local(async {
                        crate::web::idb::request_persistence().await;
                    })
                });
            });
        });
    }
    match &*boot {
        Some(cell) => html! { <App boot={cell.clone()} /> },
        None => html! {
            <main class="app startup" data-testid="startup" role="status" aria-live="polite">
                <h1 class="startup-title">{"Crosscheck"}</h1>
                <p>{"Opening your project…"}</p>
            </main>
        },
    }
}
