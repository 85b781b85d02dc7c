//! Start-up: the project stored in this browser, else the default corpus, and whether saving
//! must stay off (stored data that cannot be read is never overwritten without consent).

use crate::domain::corpus::default_articles;
use crate::domain::project::Project;
use crate::domain::state::{AppState, Notice, NoticeLevel, UiPosition};
use crate::web::clock::now_ms;
use crate::web::storage::{self, LoadOutcome};

/// What start-up found in storage.
pub struct Boot {
    pub state: AppState,
    /// Why saving stays off: stored data that must not be overwritten until the user decides.
    pub saving_paused: Option<String>,
}

pub fn boot() -> Boot {
    let fresh = || AppState::new(Project::with_articles(default_articles()), UiPosition::default());
    match storage::load(now_ms()) {
        LoadOutcome::Empty => Boot { state: fresh(), saving_paused: None },
        LoadOutcome::Loaded { project, position, history } => {
            let mut state = AppState::new(project, position);
            state.history = history;
            Boot { state, saving_paused: None }
        }
        LoadOutcome::Unreadable { error, backup_key, .. } => {
            let mut state = fresh();
            let kept = backup_key
                .map_or("It could not be backed up.".to_string(), |key| format!("A copy is kept as \"{key}\"."));
            state.notice = Some(Notice {
                level: NoticeLevel::Error,
                text: format!("The saved project could not be opened ({error}). {kept} Saving is paused so nothing is overwritten."),
            });
            Boot { state, saving_paused: Some(format!("the stored project could not be read ({error})")) }
        }
        LoadOutcome::Unavailable(why) => {
            let mut state = fresh();
            state.notice = Some(Notice {
                level: NoticeLevel::Error,
                text: format!("Browser storage is not available ({why}); work will be lost on reload. Export often."),
            });
            Boot { state, saving_paused: Some(format!("storage is unavailable ({why})")) }
        }
    }
}
