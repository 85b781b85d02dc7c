//! The migration's version-2 copy written in slices after the project opens
//! (`formats::stored::migrate::WriteOut`): at every stop the store loads the whole project (the v1
//! document until the manifest is written, then the version-2 store), a full quota asks for room
//! before the v1 document leaves, and a failure leaves the store as it was.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use crosscheck::formats::stored::docs::MANIFEST_ID;
use crosscheck::formats::stored::journal::{read_documents, KeyValue, MemoryStore, StoreError};
use crosscheck::formats::stored::load::load;
use crosscheck::formats::stored::migrate::{read_v1, same_state, texts_of, WriteOut, WriteOutStep};
use crosscheck::formats::stored::{key_for, V1_KEY};

const FIXTURE: &str = include_str!("fixtures/stored/v1-stored.json");

/// A v1 document of about `spans` spans (several groups of documents).
fn v1_of(spans: usize) -> String {
    corpus::v1_document(spans).0
}

fn store_with_v1(raw: &str) -> MemoryStore {
    let mut store = MemoryStore::default();
    store.set(V1_KEY, raw).unwrap();
    store.writes = 0;
    store
}

fn write_out(raw: &str, store: &MemoryStore) -> WriteOut {
    let (documents, _) = read_documents(store).unwrap();
    WriteOut::new(read_v1(raw).unwrap(), 5, documents.into_keys().collect(), true)
}

/// What a reload would open from `store`: the version-2 store if its manifest is there, else the
/// v1 document migrated again. Panics if neither is there.
fn reload(store: &MemoryStore, raw: &str) -> crosscheck::domain::project::Project {
    let (documents, _) = read_documents(store).unwrap();
    let (project, _, _) = read_v1(raw).unwrap();
    if documents.contains_key(MANIFEST_ID) {
        let loaded = load(&documents, &texts_of(&project)).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.project
    } else {
        let v1 = store.get(V1_KEY).unwrap().expect("without a manifest, the v1 document is still there");
        read_v1(&v1).unwrap().0
    }
}

#[test]
fn a_migration_written_in_slices_opens_the_whole_project_at_every_stop() {
    let raw = v1_of(1_200);
    let (project, position, history) = read_v1(&raw).unwrap();
    let mut store = store_with_v1(&raw);
    let mut write_out = write_out(&raw, &store);
    let mut steps = 0;
    let saved = loop {
        // One group of documents per step: a stop between any two steps.
        let step = write_out.step(&mut store, &raw, &mut || false);
        steps += 1;
        assert_eq!(reload(&store, &raw), project, "a reload after step {steps} opens the whole project");
        match step {
            WriteOutStep::Working => {
                assert!(store.get(V1_KEY).unwrap().is_some(), "the v1 document stays until the copy is complete");
                assert!(store.get(&key_for(MANIFEST_ID)).unwrap().is_none(), "the manifest is written last");
            }
            WriteOutStep::Done(saved) => break saved,
            other => panic!("step {steps}: {other:?}"),
        }
    };
    assert!(steps > 4, "written in several slices ({steps} steps)");
    assert_eq!(store.get(V1_KEY).unwrap(), None, "the v1 key is removed once the copy reads back equal");
    let (documents, _) = read_documents(&store).unwrap();
    let loaded = load(&documents, &texts_of(&project)).unwrap();
    assert!(same_state(&loaded, &project, &position, &history));
    assert_eq!(saved.project, project, "the saved state is the migrated project");
}

/// A store in memory whose writes `refuse(items, key, value)` may refuse.
struct Refusing<Refuse: FnMut(&MemoryStore, &str, &str) -> Option<StoreError>> {
    inner: MemoryStore,
    refuse: Refuse,
}

impl<Refuse: FnMut(&MemoryStore, &str, &str) -> Option<StoreError>> KeyValue for Refusing<Refuse> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner.get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match (self.refuse)(&self.inner, key, value) {
            Some(error) => Err(error),
            None => self.inner.set(key, value),
        }
    }
    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.inner.keys()
    }
}

#[test]
fn a_full_quota_asks_for_room_and_the_v1_document_leaves_only_then() {
    let raw = v1_of(600);
    let (project, _, _) = read_v1(&raw).unwrap();
    // Refuses writes beyond 1.25 times the v1 document, as a full quota does.
    let limit = raw.len() * 5 / 4;
    let quota = move |items: &MemoryStore, key: &str, value: &str| {
        let used: usize = items.items.iter().filter(|(other, _)| *other != key).map(|(_, value)| value.len()).sum();
        (used + value.len() > limit).then_some(StoreError::QuotaExceeded)
    };
    let mut store = Refusing { inner: store_with_v1(&raw), refuse: quota };
    let mut write_out = write_out(&raw, &store.inner);
    let mut asked = 0;
    loop {
        match write_out.step(&mut store, &raw, &mut || true) {
            WriteOutStep::NeedsRoom => {
                asked += 1;
                assert!(store.get(V1_KEY).unwrap().is_some(), "the write-out never removes the v1 document itself");
                assert_eq!(reload(&store.inner, &raw), project);
                // The caller keeps a verified copy elsewhere, then:
                store.remove(V1_KEY).unwrap();
                write_out.moved_out();
            }
            WriteOutStep::Done(_) => break,
            other => panic!("{other:?}"),
        }
        assert!(asked <= 1, "room is asked for once");
    }
    assert_eq!(asked, 1);
    assert_eq!(reload(&store.inner, &raw), project);
}

#[test]
fn a_write_out_that_fails_leaves_the_v1_document_alone_and_nothing_else() {
    for fail_at in [0, 7, 400] {
        let raw = v1_of(600);
        // Write number `fail_at` (from 0) fails, and only that one.
        let mut count = 0;
        let once = move |_: &MemoryStore, _: &str, _: &str| {
            count += 1;
            (count - 1 == fail_at).then(|| StoreError::Unavailable("failed on purpose".to_string()))
        };
        let mut store = Refusing { inner: store_with_v1(&raw), refuse: once };
        let mut write_out = write_out(&raw, &store.inner);
        match write_out.step(&mut store, &raw, &mut || true) {
            WriteOutStep::Failed(why) => assert!(why.contains("failed on purpose"), "{why}"),
            other => panic!("write {fail_at} failing: {other:?}"),
        }
        let keys: Vec<&String> = store.inner.items.keys().collect();
        assert_eq!(keys, [V1_KEY], "write {fail_at} failing leaves only the v1 document");
        assert_eq!(store.inner.get(V1_KEY).unwrap().as_deref(), Some(raw.as_str()));
    }
}

#[test]
fn a_document_the_migration_does_not_write_fails_the_read_back() {
    let mut store = store_with_v1(FIXTURE);
    store.set(&key_for("span:left-by-someone-else"), r#"{"_id":"span:left-by-someone-else","_rev":"1-a"}"#).unwrap();
    let mut write_out = write_out(FIXTURE, &store);
    match write_out.step(&mut store, FIXTURE, &mut || true) {
        WriteOutStep::Failed(why) => assert!(why.contains("read back"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.get(V1_KEY).unwrap().as_deref(), Some(FIXTURE));
    assert_eq!(store.get(&key_for(MANIFEST_ID)).unwrap(), None);
}
