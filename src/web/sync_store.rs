//! Team sync's state in IndexedDB: one small state entry (client id, server, checkpoints, the
//! replica's update sequence) and one entry per replicated document, written as they change
//! (`formats::sync::replica_store`), so a pulled batch writes only the documents it touched.

use crate::formats::sync::replica_store::DOC_PREFIX;
use crate::web::idb::{self, SYNC};
use crate::web::sync::{with_engine, Persisted};

/// The IndexedDB key of the state entry.
const STATE_KEY: &str = "sync-state";

/// Reads the saved sync state with every document of its replica (`None`: never connected).
pub(crate) async fn load() -> Option<Persisted> {
    let stored = idb::get_all(SYNC, &[STATE_KEY.to_string()]).await.unwrap_or_default();
    let mut persisted: Persisted = stored.get(STATE_KEY).and_then(|json| serde_json::from_str(json).ok())?;
    // An older state entry held every document: the next write gives each its own entry.
    persisted.replica.all_unwritten();
    let documents = idb::get_prefixed(SYNC, DOC_PREFIX).await.unwrap_or_default();
    persisted.replica.restore(documents);
    Some(persisted)
}

/// Writes the sync state to IndexedDB: the small state entry and the replica's documents
/// changed since the last write, one entry each, in one transaction.
pub(crate) async fn persist() -> Result<(), String> {
    let database = idb::open().await?;
    // Taken and written with no `await` between: writes commit in the order they were taken.
    let (writes, entries) = with_engine(|engine| {
        let writes = engine.state.replica.take_writes();
        let state = serde_json::to_string(&engine.state).map_err(|error| error.to_string());
        (writes, state)
    });
    let state = match entries {
        Ok(state) => state,
        Err(error) => {
            with_engine(|engine| engine.state.replica.unwritten(writes));
            return Err(error);
        }
    };
    let mut entries = Vec::with_capacity(writes.entries.len() + 1);
    entries.push((STATE_KEY.to_string(), state));
    entries.extend(writes.entries.iter().cloned());
    let clear = writes.clear.then_some(DOC_PREFIX);
    let outcome = idb::write_in(database, SYNC, clear, &entries).await;
    if outcome.is_err() {
        with_engine(|engine| engine.state.replica.unwritten(writes));
    }
    outcome
}
