//! From a version-1 (or version-0) project document to version-2 documents.
//!
//! The old document is read with `project_json` (which walks v0 up to v1), written as documents
//! from an empty store, and read back: the caller removes the old key only when what was read back
//! equals what was migrated (see [`same_state`]).
//!
//! In the browser the project opens from the parsed v1 document at once ([`read_v1`]); its
//! version-2 copy is then written a slice at a time ([`WriteOut`]), manifest last, while the v1
//! document stays where it was. Until the manifest is written a reload migrates again, so every
//! moment of the write-out loads the whole project.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use crate::domain::annotation::{RelationId, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::history::History;
use crate::domain::project::Project;
use crate::domain::state::UiPosition;
use crate::formats::project_json;
use crate::formats::stored::docs::MANIFEST_ID;
use crate::formats::stored::journal::{overlay, KeyValue, StoreError, Write};
use crate::formats::stored::load::{load, Loaded};
use crate::formats::stored::save::{plan, Plan, SavedState};
use crate::formats::stored::{key_for, HISTORY_STEPS, V1_KEY};
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
    let (project, position, history) = read_v1(raw)?;
    let plan = plan(&SavedState::default(), &project, &position, &history, now);
    Ok(Migration { project, position, history, plan })
}

/// Reads a v1 (or v0) document as the project its version-2 copy will hold (see [`from_v1`]).
pub fn read_v1(raw: &str) -> Result<(Project, UiPosition, History), FormatError> {
    let (project, position, history) = project_json::from_stored_json(raw)?;
    Ok((without_live_tombstones(project), position, history))
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

/// How many documents go to the store in one call of a write-out (the time budget is checked
/// between groups).
const WRITE_GROUP: usize = 250;

/// The version-2 copy of a migrated project being written, a slice at a time, while the project
/// is open and the v1 document stays in the store. The documents go in dependency order with the
/// manifest last: until it is written, a load finds no version-2 store and migrates the v1
/// document again (whose documents the write-out writes over). Then every document is read back
/// and compared; only when all are equal is the v1 key removed.
pub struct WriteOut {
    project: Project,
    position: UiPosition,
    history: History,
    now: i64,
    /// Version-2 documents the store held before (an earlier write-out that stopped): each must
    /// be one this write-out writes over, or it would load with the migrated project.
    found: Vec<String>,
    /// The writes, manifest last; planned at the first step.
    plan: Option<Plan>,
    /// How many of them are written.
    written: usize,
    /// Whether the v1 key has left the store to make room (its copy kept elsewhere, see
    /// [`WriteOutStep::NeedsRoom`]).
    v1_moved_out: bool,
}

/// What a step of a [`WriteOut`] came to.
#[derive(Debug)]
pub enum WriteOutStep {
    /// More to write: call [`WriteOut::step`] again.
    Working,
    /// Written, read back equal, and the v1 key removed: what the store now holds.
    Done(Box<SavedState>),
    /// The quota refused a write while the v1 document is still in the store: the caller keeps a
    /// verified copy of it elsewhere, removes the v1 key, calls [`WriteOut::moved_out`] and steps on.
    NeedsRoom,
    /// The copy could not be made: the documents written are removed and the v1 document is in
    /// the store as it was; saving must stay off.
    Failed(String),
}

impl WriteOut {
    /// A write-out of a project read with [`read_v1`].
    /// `found`: the version-2 document ids the store holds already; `v1_in_store`: whether the
    /// v1 document is in the store (not when an earlier write-out had moved it out for room).
    pub fn new(
        (project, position, history): (Project, UiPosition, History),
        now: i64,
        found: Vec<String>,
        v1_in_store: bool,
    ) -> WriteOut {
        WriteOut { project, position, history, now, found, plan: None, written: 0, v1_moved_out: !v1_in_store }
    }

    /// The migrated project (what the store will hold).
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Whether the v1 key has left the store (a failure puts it back).
    pub fn v1_moved_out(&self) -> bool {
        self.v1_moved_out
    }

    /// The caller removed the v1 key from the store, keeping a verified copy elsewhere.
    pub fn moved_out(&mut self) {
        self.v1_moved_out = true;
    }

    /// Writes on while `more()` says there is time (it is asked after the plan and after each
    /// group of documents; a step always makes progress). `raw` is the v1 document, put back on
    /// failure if it was moved out.
    pub fn step(&mut self, store: &mut dyn KeyValue, raw: &str, more: &mut dyn FnMut() -> bool) -> WriteOutStep {
        if self.plan.is_none() {
            let mut plan = plan(&SavedState::default(), &self.project, &self.position, &self.history, self.now);
            // The manifest goes last: until it is written, a reload migrates again.
            let (manifest, mut writes): (Vec<Write>, Vec<Write>) =
                std::mem::take(&mut plan.writes).into_iter().partition(|write| write.id == MANIFEST_ID);
            writes.extend(manifest);
            plan.writes = writes;
            self.plan = Some(plan);
            if !more() {
                return WriteOutStep::Working;
            }
        }
        let Some(plan) = &self.plan else { return WriteOutStep::Working };
        while self.written < plan.writes.len() {
            let end = (self.written + WRITE_GROUP).min(plan.writes.len());
            match store.apply_all(&plan.writes[self.written..end]) {
                Ok(()) => self.written = end,
                Err(StoreError::QuotaExceeded) if !self.v1_moved_out => return WriteOutStep::NeedsRoom,
                Err(error) => {
                    return self.fail(
                        store,
                        raw,
                        format!("the project could not be moved to the new storage ({error})"),
                    )
                }
            }
            if self.written < plan.writes.len() && !more() {
                return WriteOutStep::Working;
            }
        }
        let ids: HashSet<&str> = plan.writes.iter().map(|write| write.id.as_str()).collect();
        let nothing_else = self.found.iter().all(|id| ids.contains(id.as_str()));
        if !(nothing_else && store.holds_all(&plan.writes)) {
            return self.fail(store, raw, "the migrated copy did not read back equal".to_string());
        }
        // A failed removal leaves a copy the version-2 store ignores (its manifest is there).
        let _ = store.remove(V1_KEY);
        let Some(plan) = self.plan.take() else { return WriteOutStep::Working };
        let mut saved = SavedState::default();
        saved.commit(plan, &self.project, &self.history, &self.position);
        WriteOutStep::Done(Box::new(saved))
    }

    /// Gives up: removes what was written and puts the v1 document back if it was moved out.
    pub fn fail(&mut self, store: &mut dyn KeyValue, raw: &str, why: String) -> WriteOutStep {
        // Every planned key (a group may have been written in part before a write failed).
        if let Some(plan) = &self.plan {
            for write in &plan.writes {
                let _ = store.remove(&key_for(&write.id));
            }
        }
        if self.v1_moved_out && store.set(V1_KEY, raw).is_ok() {
            self.v1_moved_out = false;
        }
        self.written = 0;
        WriteOutStep::Failed(why)
    }
}
