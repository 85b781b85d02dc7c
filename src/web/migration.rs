//! A migrated project's version-2 copy, written after the project has opened: a slice of a few
//! milliseconds per task from the frame after the first paint, so the user reads and scrolls
//! while 12,000 documents go into `localStorage`.
//!
//! The data is safe at every moment: the v1 document stays in `localStorage` until every
//! version-2 document is written and read back equal (`formats::stored::migrate::WriteOut`), the
//! texts are in IndexedDB (read back) before the project opens, and the autosave finishes the
//! write-out at once before it saves an edit or when the page is hidden. Should the quota refuse
//! both copies, the v1 document goes to IndexedDB (read back equal) before it leaves
//! `localStorage`, as a reload then migrates from there.

use std::cell::RefCell;
use std::rc::Rc;

use crate::domain::project::Project;
use crate::formats::stored::journal::{commit_in_chunks, ChunkFailure, StoreError, Write};
use crate::formats::stored::migrate::{WriteOut, WriteOutStep};
use crate::formats::stored::save::SavedState;
use crate::formats::stored::V1_KEY;
use crate::web::idb;
use crate::web::schedule::{after_ms, after_next_paint};
use crate::web::storage::LocalStore;
use crate::web::user_timing;

/// Milliseconds of writing per task.
const SLICE_MS: f64 = 6.0;

/// A migration whose version-2 copy is being written.
pub struct PendingMigration {
    write_out: WriteOut,
    /// The v1 document, put back should the write-out fail after moving it out.
    raw: Rc<str>,
    steps: Steps,
}

/// The write-out's steps. They are code of the migration's module (`web::split_module`), handed
/// over with the v1 document's read (`storage::migration_loaded`), one split call: the main module only
/// holds these pointers, so a browser that never migrates never downloads the steps. Calling
/// them needs no wait (a pointer, not a split point), so an edit or `pagehide` can still finish
/// the write-out at once.
#[derive(Clone, Copy)]
pub struct Steps {
    run: fn(&mut PendingMigration, Option<f64>) -> WriteOutStep,
    move_v1_out: fn(&mut PendingMigration) -> WriteOutStep,
    give_up: fn(&mut PendingMigration, String) -> WriteOutStep,
    write_in_slices: fn(SharedMigration, Done),
}

impl Steps {
    /// The steps, as pointers into the module that runs this (the migration's, when split).
    pub fn here() -> Steps {
        Steps {
            run: PendingMigration::run_here,
            move_v1_out: PendingMigration::move_v1_out_here,
            give_up: PendingMigration::give_up_here,
            write_in_slices: write_in_slices_here,
        }
    }
}

/// The pending migration, shared by the autosave and the slices that write it (`None` once it
/// is finished or has failed).
pub type SharedMigration = Rc<RefCell<Option<Box<PendingMigration>>>>;

/// How a write-out ended: what the store now holds, or why saving must stay off.
pub type Finished = Result<Box<SavedState>, String>;

/// Told once how the slices ended.
type Done = Rc<RefCell<Option<Box<dyn FnOnce(Finished)>>>>;

impl PendingMigration {
    pub fn new(write_out: WriteOut, raw: Rc<str>, steps: Steps) -> PendingMigration {
        PendingMigration { write_out, raw, steps }
    }

    /// The migrated project.
    pub fn project(&self) -> &Project {
        self.write_out.project()
    }

    /// Writes for about `budget_ms` milliseconds, or to the end (`None`).
    fn run(&mut self, budget_ms: Option<f64>) -> WriteOutStep {
        (self.steps.run)(self, budget_ms)
    }

    fn move_v1_out(&mut self) -> WriteOutStep {
        (self.steps.move_v1_out)(self)
    }

    fn give_up(&mut self, why: String) -> WriteOutStep {
        (self.steps.give_up)(self, why)
    }

    fn run_here(&mut self, budget_ms: Option<f64>) -> WriteOutStep {
        let mut store = match LocalStore::open() {
            Ok(store) => store,
            Err(why) => return WriteOutStep::Failed(format!("localStorage is unavailable ({why})")),
        };
        let deadline = budget_ms.map(|budget| user_timing::now() + budget);
        let mut more = || deadline.is_none_or(|deadline| user_timing::now() < deadline);
        let step = self.write_out.step(&mut store, &self.raw, &mut more);
        if matches!(step, WriteOutStep::Done(_)) {
            user_timing::end("crosscheck:migrate-complete");
            // A copy kept there to make room (or by an earlier start) is not needed any more.
            wasm_bindgen_futures::spawn_local(async {
                let _ = idb::delete(idb::BACKUPS, V1_KEY).await;
            });
        }
        step
    }

    /// After the v1 document is safe in IndexedDB: removes it from `localStorage`.
    fn move_v1_out_here(&mut self) -> WriteOutStep {
        let mut store = match LocalStore::open() {
            Ok(store) => store,
            Err(why) => return WriteOutStep::Failed(format!("localStorage is unavailable ({why})")),
        };
        use crate::formats::stored::journal::KeyValue;
        match store.remove(V1_KEY) {
            Ok(()) => {
                self.write_out.moved_out();
                WriteOutStep::Working
            }
            Err(error) => self.write_out.fail(&mut store, &self.raw, error.to_string()),
        }
    }

    fn give_up_here(&mut self, why: String) -> WriteOutStep {
        match LocalStore::open() {
            Ok(mut store) => self.write_out.fail(&mut store, &self.raw, why),
            Err(_) => WriteOutStep::Failed(why),
        }
    }
}

/// What [`finish_now`] came to.
pub enum Finish {
    /// No write-out is pending.
    NotPending,
    /// It cannot finish without waiting (the v1 document is being moved to IndexedDB for room).
    Later,
    /// It ended (and is no longer pending).
    Ended(Finished),
}

/// Finishes the write-out now, if one is pending and it can without waiting.
pub fn finish_now(shared: &SharedMigration) -> Finish {
    let Ok(mut slot) = shared.try_borrow_mut() else { return Finish::Later };
    let Some(migration) = slot.as_mut() else { return Finish::NotPending };
    let ended = match migration.run(None) {
        WriteOutStep::Done(saved) => Ok(saved),
        WriteOutStep::Failed(why) => Err(why),
        WriteOutStep::Working | WriteOutStep::NeedsRoom => return Finish::Later,
    };
    *slot = None;
    Finish::Ended(ended)
}

/// What [`commit_beside`] did: how a write-out it had to finish first ended (`None`: none was
/// pending), and whether the writes are stored.
pub struct CommitBeside {
    pub finished: Option<Finished>,
    pub written: Result<(), ChunkFailure>,
}

/// Commits documents that did not come from the migrated project (team sync's pulled
/// documents) in chunks of `chunk`. A write-out still pending is finished first: its later
/// slices would put the migrated, older version of a document over the newer one written here.
/// When it cannot finish without waiting (or has failed), nothing is written (`committed: 0`)
/// and the caller leaves the writes to the autosave, which waits for it.
pub fn commit_beside(shared: &SharedMigration, writes: &[Write], chunk: usize) -> CommitBeside {
    let not_now = |why: &str| Err(ChunkFailure { committed: 0, error: StoreError::Unavailable(why.to_string()) });
    let finished = match finish_now(shared) {
        Finish::NotPending => None,
        Finish::Later => {
            return CommitBeside { finished: None, written: not_now("a migration's copy is still being written") }
        }
        Finish::Ended(ended) => Some(ended),
    };
    let written = match &finished {
        Some(Err(why)) => not_now(why),
        _ => LocalStore::open()
            .map_err(|why| ChunkFailure { committed: 0, error: StoreError::Unavailable(why) })
            .and_then(|mut store| commit_in_chunks(&mut store, writes, chunk)),
    };
    CommitBeside { finished, written }
}

/// Writes the version-2 copy in slices from the frame after the next paint; `done` gets how it
/// ended, unless [`finish_now`] finished it first.
pub fn write_in_slices(shared: SharedMigration, done: impl FnOnce(Finished) + 'static) {
    start_slices(shared, Rc::new(RefCell::new(Some(Box::new(done)))));
}

fn start_slices(shared: SharedMigration, done: Done) {
    let steps = shared.try_borrow().map(|slot| slot.as_ref().map(|migration| migration.steps));
    let steps = match steps {
        Ok(steps) => steps,
        Err(_) => {
            // In use (the autosave finishing it): look again in a moment.
            after_ms(1, move || start_slices(shared, done));
            return;
        }
    };
    // None: finished or failed already, as a slice would find it.
    if let Some(steps) = steps {
        (steps.write_in_slices)(shared, done);
    }
}

/// [`write_in_slices`], in the migration's module with the slices it schedules.
fn write_in_slices_here(shared: SharedMigration, done: Done) {
    after_next_paint(move || slice(shared, done));
}

fn slice(shared: SharedMigration, done: Done) {
    let step = {
        let Ok(mut slot) = shared.try_borrow_mut() else {
            // In use (the autosave finishing it): look again in a moment.
            after_ms(1, move || slice(shared, done));
            return;
        };
        let Some(migration) = slot.as_mut() else { return };
        migration.run(Some(SLICE_MS))
    };
    match step {
        WriteOutStep::Working => {
            after_ms(0, move || slice(shared, done));
        }
        WriteOutStep::NeedsRoom => wasm_bindgen_futures::spawn_local(make_room(shared, done)),
        WriteOutStep::Done(saved) => end(&shared, &done, Ok(saved)),
        WriteOutStep::Failed(why) => end(&shared, &done, Err(why)),
    }
}

fn end(shared: &SharedMigration, done: &Done, finished: Finished) {
    if let Ok(mut slot) = shared.try_borrow_mut() {
        *slot = None;
    }
    let done = done.borrow_mut().take();
    if let Some(done) = done {
        done(finished);
    }
}

/// The quota holds only one copy: the v1 document goes to IndexedDB, is read back equal, and
/// only then leaves `localStorage`; then the slices go on.
async fn make_room(shared: SharedMigration, done: Done) {
    let Some(raw) = shared.try_borrow().ok().and_then(|slot| slot.as_ref().map(|migration| migration.raw.clone()))
    else {
        return;
    };
    let kept = match idb::put_all(idb::BACKUPS, &[(V1_KEY.to_string(), raw.clone())]).await {
        Ok(()) => idb::get_all(idb::BACKUPS, &[V1_KEY.to_string()])
            .await
            .is_ok_and(|copy| copy.get(V1_KEY).is_some_and(|copy| **copy == *raw)),
        Err(_) => false,
    };
    let step = {
        let Ok(mut slot) = shared.try_borrow_mut() else { return };
        let Some(migration) = slot.as_mut() else { return };
        if kept {
            migration.move_v1_out()
        } else {
            migration.give_up("the browser's storage is full and IndexedDB could not keep the old copy".to_string())
        }
    };
    match step {
        WriteOutStep::Failed(why) => end(&shared, &done, Err(why)),
        _ => slice(shared, done),
    }
}
