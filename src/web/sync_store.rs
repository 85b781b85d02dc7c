//! Team sync's state in IndexedDB: one small state entry (client id, server, checkpoints, the
//! replica's update sequence) and one entry per replicated document, written as they change
//! (`formats::sync::replica_store`), so a pulled batch writes only the documents it touched.

use crate::formats::sync::replica_store::DOC_PREFIX;
use crate::web::idb::{self, SYNC};
use crate::web::sync::{with_engine, Persisted};

/// The IndexedDB key of the state entry.
const STATE_KEY: &str = "sync-state";

/// The saved sync state entry's JSON (`None`: this browser never connected). Only this runs at
/// every start; [`load`] reads the rest, in team sync's module.
pub(crate) async fn saved_state() -> Option<String> {
    idb::get_all(SYNC, &[STATE_KEY.to_string()]).await.ok()?.remove(STATE_KEY).map(|state| state.to_string())
}

/// The saved sync state (its entry's JSON is `state`) with every document of its replica (`None`:
/// the entry does not read).
pub(crate) async fn load(state: &str) -> Option<Persisted> {
    let mut persisted: Persisted = serde_json::from_str(state).ok()?;
    // An older state entry held every document: the next write gives each its own entry.
    persisted.replica.all_unwritten();
    let documents = idb::get_prefixed(SYNC, DOC_PREFIX).await.unwrap_or_default();
    persisted.replica.restore(documents);
    Some(persisted)
}

/// Entries per IndexedDB transaction, by size and by count: a pulled batch of 500 documents (or
/// 200 article texts) serialised and put in one task held the main thread for 100–200 ms.
const TRANSACTION_UNITS: usize = 64 * 1024;
const TRANSACTION_ENTRIES: usize = 100;

/// Writes the sync state to IndexedDB: the replica's documents changed since the last write,
/// one entry each, in transactions of a bounded size (each serialised and put in a task of its
/// own), then the small state entry with the last of them. One write at a time: a later one
/// waits, so an older copy of a document never lands after a newer one. A write stopped
/// half-way leaves some documents newer than the state entry, which [`Replica::restore`]
/// allows for.
pub(crate) async fn persist() -> Result<(), String> {
    while with_engine(|engine| std::mem::replace(&mut engine.persisting, true)) {
        crate::web::sync_http::sleep(4).await;
    }
    let outcome = persist_now().await;
    with_engine(|engine| engine.persisting = false);
    outcome
}

async fn persist_now() -> Result<(), String> {
    loop {
        let database = idb::open().await?;
        // Taken, serialised and put in this one task.
        let started = crate::web::user_timing::now();
        let (writes, state) = with_engine(|engine| {
            let writes = engine.state.replica.take_writes_within(TRANSACTION_UNITS, TRANSACTION_ENTRIES);
            // The state entry goes with the last piece.
            let state = (!engine.state.replica.has_unwritten())
                .then(|| serde_json::to_string(&engine.state).map_err(|error| error.to_string()));
            (writes, state)
        });
        let mut group = writes.entries.clone();
        let last = match state {
            None => false,
            Some(Ok(state)) => {
                group.push((STATE_KEY.to_string(), state));
                true
            }
            Some(Err(error)) => {
                database.close();
                with_engine(|engine| engine.state.replica.unwritten(writes));
                return Err(error);
            }
        };
        let written = idb::write_in(database, SYNC, writes.clear.then_some(DOC_PREFIX), &group);
        crate::web::user_timing::record(&[("crosscheck:sync-persist", started, crate::web::user_timing::now())]);
        if let Err(error) = written.await {
            // Every document of this piece is written again next time.
            with_engine(|engine| engine.state.replica.unwritten(writes));
            return Err(error);
        }
        if last {
            return Ok(());
        }
    }
}
