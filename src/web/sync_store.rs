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

/// Entries per IndexedDB transaction, by size: a pulled batch of 500 documents (or 200 article
/// texts) put in one task held the main thread for 100–200 ms.
const TRANSACTION_UNITS: usize = 256 * 1024;

/// Writes the sync state to IndexedDB: the replica's documents changed since the last write,
/// one entry each, in transactions of a bounded size (each its own task), then the small state
/// entry with the last of them. One write at a time: a later one waits, so an older copy of a
/// document never lands after a newer one. A write stopped half-way leaves some documents
/// newer than the state entry, which [`Replica::restore`] allows for.
pub(crate) async fn persist() -> Result<(), String> {
    while with_engine(|engine| std::mem::replace(&mut engine.persisting, true)) {
        crate::web::sync_http::sleep(4).await;
    }
    let outcome = persist_now().await;
    with_engine(|engine| engine.persisting = false);
    outcome
}

async fn persist_now() -> Result<(), String> {
    let (writes, state) = with_engine(|engine| {
        let writes = engine.state.replica.take_writes();
        let state = serde_json::to_string(&engine.state).map_err(|error| error.to_string());
        (writes, state)
    });
    let state = match state {
        Ok(state) => state,
        Err(error) => {
            with_engine(|engine| engine.state.replica.unwritten(writes));
            return Err(error);
        }
    };
    let mut groups: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut units = 0;
    for entry in &writes.entries {
        units += entry.1.len();
        if units > TRANSACTION_UNITS && groups.last().is_some_and(|group| !group.is_empty()) {
            groups.push(Vec::new());
            units = entry.1.len();
        }
        if let Some(group) = groups.last_mut() {
            group.push(entry.clone());
        }
    }
    if let Some(last) = groups.last_mut() {
        last.push((STATE_KEY.to_string(), state));
    }
    let mut clear = writes.clear.then_some(DOC_PREFIX);
    for group in groups {
        let outcome = match idb::open().await {
            Ok(database) => idb::write_in(database, SYNC, clear.take(), &group).await,
            Err(error) => Err(error),
        };
        if let Err(error) = outcome {
            // Every document of this write is written again next time (some twice: harmless).
            with_engine(|engine| engine.state.replica.unwritten(writes));
            return Err(error);
        }
    }
    Ok(())
}
