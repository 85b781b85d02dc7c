//! From a version-1 (or version-0) project document to version-2 documents.
//!
//! The old document is read with `project_json` (which walks v0 up to v1), written as documents
//! from an empty store, and read back: the caller removes the old key only when what was read back
//! equals what was migrated (see [`same_state`]).

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::domain::annotation::{RelationId, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::history::History;
use crate::domain::project::Project;
use crate::domain::state::UiPosition;
use crate::formats::project_json;
use crate::formats::stored::journal::overlay;
use crate::formats::stored::load::{load, Loaded};
use crate::formats::stored::save::{plan, Plan, SavedState};
use crate::formats::stored::HISTORY_STEPS;
use crate::formats::FormatError;

/// A migrated project: the state, and the writes that store it.
pub struct Migration {
    pub project: Project,
    pub position: UiPosition,
    pub history: History,
    pub plan: Plan,
}

/// Reads a v1 (or v0) document and plans its version-2 documents. The project is taken as a
/// version-2 store reads it back: without tombstones of ids that are live (a store holds one
/// document per id), so that the documents written are exactly this project.
pub fn from_v1(raw: &str, now: i64) -> Result<Migration, FormatError> {
    let (project, position, history) = project_json::from_stored_json(raw)?;
    let project = without_live_tombstones(project);
    let plan = plan(&SavedState::default(), &project, &position, &history, now);
    Ok(Migration { project, position, history, plan })
}

fn without_live_tombstones(project: Project) -> Project {
    let live = |id: &String| {
        project.spans().contains_key(&SpanId::from(id.as_str()))
            || project.relations().contains_key(&RelationId::from(id.as_str()))
    };
    if !project.tombstones().keys().any(live) {
        return project;
    }
    let mut parts = project.clone().into_parts();
    parts.tombstones.retain(|id, _| !live(id));
    Project::from_parts(parts)
}

/// The article texts of a project by id (what goes to IndexedDB).
pub fn texts_of(project: &Project) -> HashMap<ArticleId, Rc<str>> {
    project.articles().iter().map(|article| (article.id.clone(), article.text.clone())).collect()
}

/// Whether a loaded store holds exactly the given state: the project (tombstones of live items
/// aside, which a store cannot hold), the view position, and the stored history.
pub fn same_state(loaded: &Loaded, project: &Project, position: &UiPosition, history: &History) -> bool {
    let mut expected = project.clone().into_parts();
    let loaded_project = &loaded.project;
    expected.tombstones.retain(|id, _| {
        !loaded_project.spans().contains_key(&SpanId::from(id.as_str()))
            && !loaded_project.relations().contains_key(&RelationId::from(id.as_str()))
    });
    let stored = |history: &History| history.to_stored(HISTORY_STEPS);
    *loaded_project == Project::from_parts(expected)
        && loaded.position == *position
        && stored(&loaded.history) == stored(history)
}

/// Migrates in memory and reads the result back, as the browser does: for tests and the bench.
pub fn round_trip(raw: &str, now: i64) -> Result<(Migration, Loaded), FormatError> {
    let migration = from_v1(raw, now)?;
    let mut documents = BTreeMap::new();
    overlay(&mut documents, &migration.plan.writes);
    let loaded = load(&documents, &texts_of(&migration.project))?;
    Ok((migration, loaded))
}
