//! The version-2 store on the browser's own storage: a save stopped at each write loads the
//! state before or after, a corrupt document is named and the rest loads, a full quota is
//! reported as such, IndexedDB missing is reported as storage unavailable, a new article whose
//! text is only held in `localStorage` loads and has its text moved to IndexedDB, and a v1
//! project opens at once and has its version-2 copy written after (in slices, or at once before a
//! save).

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use crosscheck::domain::annotation::SpanId;
use crosscheck::domain::article::{Article, ArticleId};
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::history::History;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project};
use crosscheck::domain::state::UiPosition;
use crosscheck::formats::project_json::to_stored_json;
use crosscheck::formats::stored::docs::MANIFEST_ID;
use crosscheck::formats::stored::held_texts;
use crosscheck::formats::stored::journal::{commit, KeyValue, StoreError};
use crosscheck::formats::stored::key_for;
use crosscheck::formats::stored::migrate::texts_of;
use crosscheck::formats::stored::save::{plan, SavedState};
use crosscheck::web::migration::{self, Finish, SharedMigration};
use crosscheck::web::storage::{self, LoadOutcome, LocalStore};

wasm_bindgen_test_configure!(run_in_browser);

fn clear() {
    storage::local_storage().expect("storage").clear().expect("clear");
}

/// A project with two spans and a link, and its history.
fn annotated() -> (Project, History) {
    let mut project = Project::with_articles(default_articles());
    let mut history = History::default();
    let article = project.articles()[0].clone();
    for (id, start, end) in [("a", 0, 8), ("b", 10, 20)] {
        let span = new_span(&project, SpanId::from(id), &article, start, end, &"claim".into(), 1).expect("span");
        history = history.apply(&mut project, Edit::AddSpan(span), 1).expect("applied");
    }
    let relation = new_relation(&project, "r".into(), &"supports".into(), SpanId::from("a"), SpanId::from("b"), 2);
    history = history.apply(&mut project, Edit::AddRelation(relation), 2).expect("applied");
    (project, history)
}

/// Writes a state into the (cleared) browser store and its texts into IndexedDB.
async fn store(project: &Project, history: &History) -> SavedState {
    clear();
    crosscheck::web::idb::put_texts(&texts_of(project)).await.expect("texts stored");
    let mut saved = SavedState::default();
    let writes = plan(&saved, project, &UiPosition::default(), history, 3);
    commit(&mut LocalStore::open().expect("store"), &writes.writes).expect("written");
    saved.commit(writes, project, history, &UiPosition::default());
    saved
}

/// Loads the store as the app does, then reads the undo history the load leaves unread, as the
/// app does when its editing code arrives (`ui::editing::first_on_arrival`).
async fn load() -> (Project, History) {
    match storage::load(10).await {
        LoadOutcome::Loaded { project, history, mut saved, problems, .. } => {
            assert!(problems.is_empty(), "{problems:?}");
            let history = match saved.read_history() {
                Some((read, left_out)) => {
                    assert!(history.is_unread(), "the load left the history unread");
                    assert!(left_out.is_empty(), "{left_out:?}");
                    read
                }
                None => history,
            };
            (project, history)
        }
        _ => panic!("the store did not load"),
    }
}

#[wasm_bindgen_test]
async fn a_save_and_a_reload_give_the_same_project_and_history() {
    let (project, history) = annotated();
    store(&project, &history).await;
    let (loaded, loaded_history) = load().await;
    assert_eq!(loaded, project);
    assert_eq!(loaded_history.undo_depth(), 3);
    clear();
}

#[wasm_bindgen_test]
async fn a_save_stopped_at_each_write_loads_the_state_before_or_after() {
    let (project, history) = annotated();
    let mut after = project.clone();
    let after_history = history.apply(&mut after, Edit::RemoveSpan(SpanId::from("a")), 50).expect("applied");
    let saved = store(&project, &history).await;
    let writes = plan(&saved, &after, &UiPosition::default(), &after_history, 50).writes;
    assert!(writes.len() >= 3, "a multi-document save: {writes:?}");
    let mut seen = (0, 0);
    for failing in 0..=writes.len() + 1 {
        store(&project, &history).await;
        let mut local = LocalStore::open().expect("store");
        local.fail_from_write = Some(failing);
        let _ = commit(&mut local, &writes);
        let (loaded, loaded_history) = load().await;
        if loaded == project && loaded_history.undo_depth() == history.undo_depth() {
            seen.0 += 1;
        } else if loaded == after && loaded_history.undo_depth() == after_history.undo_depth() {
            seen.1 += 1;
        } else {
            panic!("stopping at write {failing} loaded a third state");
        }
    }
    assert!(seen.0 >= 1 && seen.1 >= 1, "both outcomes occur: {seen:?}");
    clear();
}

#[wasm_bindgen_test]
async fn a_corrupt_document_is_backed_up_and_named_and_the_rest_loads() {
    let (project, history) = annotated();
    store(&project, &history).await;
    storage::local_storage().expect("storage").set_item(&key_for("span:b"), "{\"_rev\":").expect("set");
    match storage::load(11).await {
        LoadOutcome::Loaded { project: loaded, problems, .. } => {
            let names: Vec<&str> = problems.iter().map(|(problem, _)| problem.id.as_str()).collect();
            assert_eq!(names, ["span:b", "rel:r"], "the span and the link that needs it");
            let backup = problems[0].1.clone().expect("a backup key");
            assert_eq!(
                storage::local_storage().expect("storage").get_item(&backup).expect("get").as_deref(),
                Some("{\"_rev\":")
            );
            assert!(loaded.spans().contains_key(&SpanId::from("a")));
            assert_eq!(loaded.articles().len(), project.articles().len());
        }
        _ => panic!("one bad document took the project down"),
    }
    clear();
}

#[wasm_bindgen_test]
fn a_full_quota_is_reported_as_such() {
    clear();
    let local = storage::local_storage().expect("storage");
    let chunk = "x".repeat(1 << 20);
    let mut index = 0;
    while local.set_item(&format!("filler-{index}"), &chunk).is_ok() {
        index += 1;
        assert!(index < 64, "the quota never filled");
    }
    let mut store = LocalStore::open().expect("store");
    assert_eq!(store.set("big", &"y".repeat(2 << 20)), Err(StoreError::QuotaExceeded));
    clear();
    assert_eq!(store.set("small", "{}"), Ok(()));
    clear();
}

#[wasm_bindgen_test]
async fn without_indexeddb_the_load_reports_storage_unavailable() {
    let (project, history) = annotated();
    store(&project, &history).await;
    let window: JsValue = web_sys::window().expect("window").into();
    let window: js_sys::Object = window.into();
    // On the global object the attribute is an own property: keep it to put it back.
    let original = js_sys::Object::get_own_property_descriptor(&window, &"indexedDB".into());
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &JsValue::NULL).expect("descriptor");
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE).expect("descriptor");
    js_sys::Object::define_property(&window, &"indexedDB".into(), &descriptor);
    let outcome = storage::load(12).await;
    js_sys::Object::define_property(&window, &"indexedDB".into(), &original.into());
    match outcome {
        LoadOutcome::Unavailable(why) => assert!(why.contains("IndexedDB"), "{why}"),
        _ => panic!("a missing IndexedDB was not reported"),
    }
    clear();
}

/// Keys of the texts held in `localStorage` for IndexedDB.
fn held_keys() -> Vec<String> {
    let local = storage::local_storage().expect("storage");
    let prefix = key_for(held_texts::HELD_TEXT_PREFIX);
    (0..local.length().expect("length"))
        .filter_map(|index| local.key(index).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .collect()
}

#[wasm_bindgen_test]
async fn an_article_whose_text_is_only_held_loads_and_its_text_moves_to_indexeddb() {
    let (project, history) = annotated();
    let saved = store(&project, &history).await;
    let imported = Article::new("A council vote on Tuesday.\n\nIt passed by nine votes to four.", "", "");
    let mut articles: Vec<Article> = project.articles().iter().map(|article| (**article).clone()).collect();
    articles.push(imported.clone());
    let after = Project::with_articles(articles);
    let new_text = HashMap::from([(imported.id.clone(), imported.text.clone())]);
    // What a save does when the page closes before IndexedDB has the text: held, then the documents.
    assert!(storage::hold_texts(&new_text, 20));
    let writes = plan(&saved, &after, &UiPosition::default(), &History::default(), 20).writes;
    commit(&mut LocalStore::open().expect("store"), &writes).expect("written");
    assert_eq!(held_keys().len(), 1);

    let (loaded, _) = load().await;
    assert_eq!(loaded.article(&imported.id).map(|article| article.text.clone()), Some(imported.text.clone()));
    // Moved after the load, which does not wait for it.
    for _ in 0..100 {
        if held_keys().is_empty() {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(10).await;
    }
    assert!(held_keys().is_empty(), "the held text was not released");
    let in_indexeddb = crosscheck::web::idb::get_texts(std::slice::from_ref(&imported.id)).await.expect("read");
    assert_eq!(in_indexeddb.get(&imported.id), Some(&imported.text));
    clear();
}

#[wasm_bindgen_test]
fn texts_the_quota_refuses_are_not_held_and_nothing_is_left_half_held() {
    clear();
    let local = storage::local_storage().expect("storage");
    let mut index = 0;
    for size in [1 << 18, 1 << 12] {
        let chunk = "x".repeat(size);
        while local.set_item(&format!("filler-{index}"), &chunk).is_ok() {
            index += 1;
            assert!(index < 2048, "the quota never filled");
        }
    }
    // About 80,000 units free: room for the small texts, written first (in id order), not for
    // the large one.
    for last in index - 20..index {
        local.remove_item(&format!("filler-{last}")).expect("removed");
    }
    let texts: HashMap<ArticleId, Rc<str>> =
        [("a-1", "y".repeat(1 << 15)), ("a-2", "v".repeat(1 << 15)), ("a-3", "z".repeat(1 << 18))]
            .into_iter()
            .map(|(id, text)| (ArticleId::from(id), Rc::from(text)))
            .collect();
    assert!(!storage::hold_texts(&texts, 1));
    assert!(held_keys().is_empty(), "{:?}", held_keys());
    clear();
    assert!(storage::hold_texts(&texts, 1));
    assert_eq!(held_keys().len(), 3);
    clear();
}

/// Seeds a version-1 document of `project` and opens it: the project comes at once, with its
/// version-2 copy still to be written and the v1 document kept.
async fn open_v1(project: &Project, history: &History) -> SharedMigration {
    clear();
    let v1 = to_stored_json(project, &UiPosition::default(), history, 1);
    let local = storage::local_storage().expect("storage");
    local.set_item(storage::PROJECT_KEY, &v1).expect("v1 seeded");
    let LoadOutcome::Loaded { project: opened, migration: Some(migration), saving_paused: None, .. } =
        storage::load(20).await
    else {
        panic!("the v1 project did not open with its copy pending");
    };
    assert_eq!(&opened, project);
    assert_eq!(local.get_item(&key_for(MANIFEST_ID)).expect("read"), None, "no version-2 store yet");
    assert_eq!(local.get_item(storage::PROJECT_KEY).expect("read"), Some(v1), "the v1 document is kept");
    Rc::new(RefCell::new(Some(migration)))
}

#[wasm_bindgen_test]
async fn a_migrated_project_opens_at_once_and_a_save_finishes_its_copy_first() {
    let (project, history) = annotated();
    let shared = open_v1(&project, &history).await;
    // What the autosave does before the first save.
    let Finish::Ended(Ok(saved)) = migration::finish_now(&shared) else { panic!("the copy did not finish") };
    assert_eq!(saved.project, project);
    assert!(shared.borrow().is_none(), "no longer pending");
    let local = storage::local_storage().expect("storage");
    assert_eq!(local.get_item(storage::PROJECT_KEY).expect("read"), None, "the v1 key is removed");
    let (loaded, loaded_history) = load().await;
    assert_eq!(loaded, project);
    assert_eq!(loaded_history.undo_depth(), 3);
    clear();
}

#[wasm_bindgen_test]
async fn a_migrated_projects_copy_is_written_in_slices_after_the_paint() {
    let (project, history) = annotated();
    let shared = open_v1(&project, &history).await;
    let ended: Rc<RefCell<Option<migration::Finished>>> = Rc::default();
    let slot = ended.clone();
    migration::write_in_slices(shared.clone(), move |finished| *slot.borrow_mut() = Some(finished));
    for _ in 0..500 {
        if ended.borrow().is_some() {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(10).await;
    }
    let finished = ended.borrow_mut().take().expect("the slices finished");
    assert_eq!(finished.expect("copied").project, project);
    assert_eq!(storage::local_storage().expect("storage").get_item(storage::PROJECT_KEY).expect("read"), None);
    assert_eq!(load().await.0, project);
    clear();
}

/// Regression: team sync stored pulled documents while a migrated project's copy was still
/// being written, and a later slice of the copy put the migrated (older) version of a span back
/// over the pulled one; a reload then showed the old span. `commit_beside` finishes the copy
/// first.
#[wasm_bindgen_test]
async fn a_document_stored_beside_a_pending_migration_is_not_written_over_by_its_copy() {
    let (project, history) = annotated();
    let shared = open_v1(&project, &history).await;
    let mut migrated = SavedState::default();
    let writes = plan(&migrated, &project, &UiPosition::default(), &history, 3);
    migrated.commit(writes, &project, &history, &UiPosition::default());
    // The pulled version of span "a": another label.
    let mut pulled = project.clone();
    let mut span = (**pulled.spans().get(&SpanId::from("a")).expect("span a")).clone();
    span.label = "quote".into();
    pulled.apply(Edit::UpdateSpan(span), 4).expect("updated");
    let writes = plan(&migrated, &pulled, &UiPosition::default(), &history, 4).writes;
    assert!(writes.iter().any(|write| write.id == "span:a"), "{writes:?}");

    let beside = migration::commit_beside(&shared, &writes, 250);
    assert!(beside.written.is_ok(), "stored");
    assert!(matches!(beside.finished, Some(Ok(_))), "the copy was finished first");
    // Whatever of the copy was left to write (nothing, once finished) runs now.
    assert!(matches!(migration::finish_now(&shared), Finish::NotPending));
    let (loaded, _) = load().await;
    assert_eq!(loaded.spans().get(&SpanId::from("a")).expect("span a").label, "quote");
    clear();
}

/// Keys are listed in one call (`storage_keys`: Firefox finds `key(index)` by walking its table,
/// so a loop of those over 12,000 documents took ~210 ms of every load there), every one of
/// them, even a key named like one of `Storage`'s own properties, and the store's documents read
/// back whole. (Chromium lists such keys in `Reflect.ownKeys`; Firefox does not, and the
/// fallback for it is checked by `tests/e2e/browsers.test.mjs`.)
#[wasm_bindgen_test]
fn every_key_is_listed_even_one_named_like_a_storage_property() {
    clear();
    let raw = storage::local_storage().expect("storage");
    raw.set_item("cc2/span:a", "{}").expect("set");
    raw.set_item("crosscheck.backup.1", "kept").expect("set");
    let store = LocalStore::open().expect("store");
    let sorted = |mut keys: Vec<String>| {
        keys.sort();
        keys
    };
    assert_eq!(sorted(store.keys().expect("keys")), ["cc2/span:a", "crosscheck.backup.1"]);
    raw.set_item("length", "1").expect("set");
    raw.set_item("getItem", "2").expect("set");
    assert_eq!(sorted(store.keys().expect("keys")), ["cc2/span:a", "crosscheck.backup.1", "getItem", "length"]);
    assert_eq!(storage::backup_keys(), ["crosscheck.backup.1"]);
    assert_eq!(store.entries("cc2/").expect("entries"), [("cc2/span:a".to_string(), "{}".to_string())]);
    clear();
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "
export async function deflated(text) {
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  writer.write(new TextEncoder().encode(text));
  writer.close();
  const bytes = new Uint8Array(await new Response(stream.readable).arrayBuffer());
  return 'crosscheck-pack-deflate:' + btoa(String.fromCharCode(...bytes));
}")]
extern "C" {
    /// `text` stored as `js/local_store.js` stores a pack.
    async fn deflated(text: &str) -> JsValue;
}

/// Packs are stored deflated (`js/local_store.js`): inside `with_packs_as_text` a read gives each
/// as its text, with non-ASCII text intact; one whose data is damaged (zlib's checksum fails) is
/// given as it is, so the load names it and keeps it; after it, a read gives packs as stored.
#[wasm_bindgen_test]
async fn a_deflated_pack_reads_as_its_text_and_a_damaged_one_is_named() {
    use crosscheck::formats::stored::journal::read_documents_and_packs;
    use crosscheck::formats::stored::packs::write_pack;
    clear();
    let raw = storage::local_storage().expect("storage");
    let json = r#"{"d":{"t":"Rafah — 1,4 млн 🙂"}}"#;
    let text = write_pack([("span:a", json), ("span:b", "{}")]);
    let value = deflated(&text).await.as_string().expect("deflated");
    raw.set_item("cc2/_pack/0", &value).expect("set");
    raw.set_item("cc2/span:b", r#"{"loose":true}"#).expect("set");
    let store = LocalStore::open().expect("store");
    let (documents, packs, got) = storage::with_packs_as_text(async || {
        let (documents, _, packs) = read_documents_and_packs(&store).expect("read");
        (documents, packs, store.get("cc2/_pack/0").expect("get"))
    })
    .await;
    assert_eq!(documents.get("span:a").map(String::as_str), Some(json));
    assert_eq!(documents.get("span:b").map(String::as_str), Some(r#"{"loose":true}"#), "a loose item wins");
    assert!(packs.unreadable.is_empty());
    assert_eq!(got, Some(text.clone()));

    // Damaged: one character of its data changed.
    let at = value.len() - 8;
    let damaged = format!("{}{}{}", &value[..at], if &value[at..=at] == "A" { "B" } else { "A" }, &value[at + 1..]);
    raw.set_item("cc2/_pack/0", &damaged).expect("set");
    let (documents, _, packs) =
        storage::with_packs_as_text(async || read_documents_and_packs(&store).expect("read")).await;
    assert_eq!(packs.unreadable, ["_pack/0"]);
    assert!(!documents.contains_key("span:a"));
    assert_eq!(raw.get_item("cc2/_pack/0").expect("get"), Some(damaged), "kept as it is");

    // Forgotten after: read as stored outside `with_packs_as_text`.
    raw.set_item("cc2/_pack/0", &value).expect("set");
    let (documents, _, _) = storage::with_packs_as_text(async || read_documents_and_packs(&store).expect("read")).await;
    assert_eq!(documents.get("span:a").map(String::as_str), Some(json));
    let (_, _, packs) = read_documents_and_packs(&store).expect("read");
    assert_eq!(packs.unreadable, ["_pack/0"]);
    clear();
}
