//! Team sync in the browser: the connection (cookie session, password in memory only), the
//! local replica kept in IndexedDB, and the bridge between the replica and the stored project.
//!
//! The protocol itself is `formats::sync` (pure); `web::sync_run` drives it over `fetch`. Here:
//! - [`connect`] logs in (`POST /_session`), checks the database, and starts the loop;
//!   [`disconnect`] stops it and keeps the local copy.
//! - [`saved`] is told by the autosave which shared documents it wrote: each becomes a new local
//!   revision in the replica (unless it is what the server sent), and the loop wakes to push it.
//! - Pulled documents reach the project through the hook the autosave installs ([`install`]),
//!   which merges them like another tab's documents and writes them to localStorage.
//! - The status line and the conflict list are read through [`status`] and [`conflicts`];
//!   components [`subscribe`] to hear of changes.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::article::Article;
use crate::domain::project::Project;
use crate::domain::sorting::InsertEach;
use crate::formats::sync::checkpoint::server_root;
use crate::formats::sync::conflict::{conflict_view, resolve, ConflictView, Resolution};
use crate::formats::sync::mapping::{
    classify, replicates, stored_to_wire, text_body, text_id, MappingContext, Replication,
};
use crate::formats::sync::replica::Replica;
use crate::formats::sync::status::{failure, Endpoint, SyncStatus};
use crate::web::split_module::{split_call, NotLoaded};
use crate::web::sync_http::{request, Answer};
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;

/// What survives a reload: never the password.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Persisted {
    pub client_id: String,
    pub url: String,
    pub user: String,
    /// Whether the person left the project connected (a reload then resumes with the session
    /// cookie, or asks for the password again).
    pub connected: bool,
    /// Only its update sequence: each document is an entry of its own (`replica_store`).
    #[serde(serialize_with = "crate::formats::sync::replica_store::serialize_without_docs")]
    pub replica: Replica,
    /// This browser's copies of the `_local` checkpoints, by id.
    pub checkpoints: BTreeMap<String, Value>,
}

/// A document id and its stored JSON.
pub type Document = (String, String);

/// What the app gives the engine: pulled documents to merge and store, the latest project, and
/// the annotator name to set.
#[derive(Clone)]
pub struct Hooks {
    /// Pulled winners as stored documents, with the articles among them whole (metadata and
    /// text) when this browser has both.
    pub apply_remote: Rc<dyn Fn(Vec<Document>, Vec<Article>)>,
    pub project: Rc<dyn Fn() -> Option<Project>>,
    pub set_author: Rc<dyn Fn(String)>,
    /// Whether a delivery is still being merged (a large one merges a slice per task).
    pub merging: Rc<dyn Fn() -> bool>,
}

#[derive(Default)]
pub(crate) struct Engine {
    pub state: Persisted,
    pub password: Option<String>,
    pub status: Option<SyncStatus>,
    /// Bumped on connect and disconnect: a loop of an older generation stops.
    pub generation: u64,
    /// Aborts the long-poll when there is something to push.
    pub wake: Option<web_sys::AbortController>,
    pub hooks: Option<Hooks>,
    /// The server's `_rev` of each checkpoint as this browser last wrote it (not kept across
    /// reloads: the first write of a session reads it).
    pub checkpoint_revs: BTreeMap<String, String>,
    /// A write of the sync state to IndexedDB is under way (`sync_store::persist`).
    pub persisting: bool,
    /// Team sync's module has been loaded (resumed or connected), so the views that are code of
    /// that module (the conflicts) load without a fetch.
    pub module_loaded: bool,
    listeners: Vec<(u64, Rc<dyn Fn()>)>,
    next_listener: u64,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

/// Runs `job` on the engine (never across an `await`).
pub(crate) fn with_engine<T>(job: impl FnOnce(&mut Engine) -> T) -> T {
    ENGINE.with(|engine| job(&mut engine.borrow_mut()))
}

fn notify() {
    let started = crate::web::user_timing::now();
    let listeners: Vec<Rc<dyn Fn()>> =
        with_engine(|engine| engine.listeners.iter().map(|(_, listener)| listener.clone()).collect());
    for listener in listeners {
        listener();
    }
    crate::web::user_timing::record(&[("crosscheck:sync-notify", started, crate::web::user_timing::now())]);
}

/// Calls `listener` whenever the status or the conflicts change; returns the id to unsubscribe.
pub fn subscribe(listener: impl Fn() + 'static) -> u64 {
    with_engine(|engine| {
        engine.next_listener += 1;
        engine.listeners.push((engine.next_listener, Rc::new(listener)));
        engine.next_listener
    })
}

pub fn unsubscribe(id: u64) {
    with_engine(|engine| engine.listeners.retain(|(listener, _)| *listener != id));
}

/// The header's status (`None`: team sync is not set up).
pub fn status() -> Option<SyncStatus> {
    with_engine(|engine| engine.status.clone())
}

/// Whether team sync's module is loaded (`false`: not yet, or its fetch failed).
pub fn module_loaded() -> bool {
    with_engine(|engine| engine.module_loaded)
}

/// The URL and user name last used (for the form), and whether connected.
pub fn settings() -> (String, String, bool) {
    with_engine(|engine| (engine.state.url.clone(), engine.state.user.clone(), engine.state.connected))
}

pub(crate) fn set_status(status: SyncStatus) {
    let changed = with_engine(|engine| {
        let changed = engine.status.as_ref() != Some(&status);
        engine.status = Some(status);
        changed
    });
    if changed {
        notify();
    }
}

/// Edits made here and not yet on the server.
pub(crate) fn edits_waiting() -> usize {
    with_engine(|engine| {
        let state = &engine.state;
        let push_id = crate::formats::sync::checkpoint::checkpoint_id(
            &state.client_id,
            &state.url,
            crate::formats::sync::checkpoint::Direction::Push,
        );
        let since = state
            .checkpoints
            .get(&push_id)
            .and_then(|checkpoint| checkpoint.get("last_seq"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        state.replica.edits_waiting(since)
    })
}

pub(crate) use crate::web::sync_apply::{apply_winners, article_length, latest_project, merged};
pub(crate) use crate::web::sync_store::persist;

/// Is this loop still the current one?
pub(crate) fn current(generation: u64) -> bool {
    with_engine(|engine| engine.generation == generation && engine.state.connected)
}

/// Installs the app's hooks; a project connected before resumes (the session cookie may still be
/// valid; otherwise the person is asked for the password). Team sync's code is a module of its
/// own (`web::split_module`), fetched only then or when the person connects: a browser that never
/// connected loads none of it.
pub fn install(hooks: Hooks) {
    let first = with_engine(|engine| engine.hooks.replace(hooks).is_none());
    if !first {
        return;
    }
    in_module(async {
        let Some(state) = crate::web::sync_store::saved_state().await else { return Ok(()) };
        split_call!(resume_loaded(state))
    });
}

/// Runs a call into team sync's module, fetched the first time; if it cannot be fetched, the
/// status line says so and nothing else changes.
fn in_module(call: impl std::future::Future<Output = Result<(), NotLoaded>> + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        if call.await.is_err() {
            set_status(SyncStatus::Error(not_loaded()));
        }
    });
}

/// What a person is told when team sync's module cannot be fetched.
fn not_loaded() -> String {
    NotLoaded::message("Team sync")
}

#[cfg_attr(feature = "lazy-views", wasm_split(sync, fallible))]
fn resume_loaded(state: String) -> Result<(), NotLoaded> {
    with_engine(|engine| engine.module_loaded = true);
    wasm_bindgen_futures::spawn_local(resume(state));
    Ok(())
}

/// Reads the saved sync state (its state entry's JSON is `state`) and resumes a connected project.
async fn resume(state: String) {
    let Some(persisted) = crate::web::sync_store::load(&state).await else { return };
    let resume = persisted.connected;
    with_engine(|engine| engine.state = persisted);
    reconcile().await;
    if !resume {
        return;
    }
    let (url, user) = with_engine(|engine| (engine.state.url.clone(), engine.state.user.clone()));
    let session = request("GET", &format!("{}/_session", server_root(&url)), None, None).await;
    let name = session.json.pointer("/userCtx/name").and_then(Value::as_str).unwrap_or_default().to_string();
    if session.ok() && name == user {
        start_loop();
    } else if session.status == 0 || session.status >= 500 {
        set_status(SyncStatus::Offline { waiting: edits_waiting() });
        start_loop();
    } else {
        set_status(SyncStatus::Error("signed out: enter your password to reconnect".to_string()));
    }
}

fn start_loop() {
    let generation = with_engine(|engine| {
        engine.generation += 1;
        engine.generation
    });
    wasm_bindgen_futures::spawn_local(crate::web::sync_run::run(generation));
}

/// Wakes a loop waiting on the changes feed.
pub(crate) fn wake() {
    if let Some(abort) = with_engine(|engine| engine.wake.take()) {
        abort.abort();
    }
}

/// Connects to `url` as `user`: logs in, checks membership, then syncs. Errors are shown in the
/// status line in plain words. The first connection fetches team sync's module.
pub fn connect(url: String, user: String, password: String) {
    set_status(SyncStatus::Syncing { done: 0, total: None });
    in_module(async move { split_call!(connect_loaded(url, user, password)) });
}

#[cfg_attr(feature = "lazy-views", wasm_split(sync, fallible))]
fn connect_loaded(url: String, user: String, password: String) -> Result<(), NotLoaded> {
    with_engine(|engine| engine.module_loaded = true);
    connect_now(url, user, password);
    Ok(())
}

fn connect_now(url: String, user: String, password: String) {
    let url = url.trim().trim_end_matches('/').to_string();
    with_engine(|engine| {
        engine.generation += 1;
        engine.state.connected = false;
    });
    wake();
    set_status(SyncStatus::Syncing { done: 0, total: None });
    wasm_bindgen_futures::spawn_local(async move {
        match log_in(&url, &user, &password).await {
            Err(status) => set_status(status),
            Ok(()) => {
                let set_author = with_engine(|engine| {
                    if engine.state.client_id.is_empty() {
                        engine.state.client_id = crate::web::clock::new_id("client");
                    }
                    if engine.state.url != url {
                        // Another database: its replica and checkpoints start afresh.
                        engine.state.replica = Replica::for_another_database();
                        engine.state.checkpoints.clear();
                    }
                    engine.state.url = url;
                    engine.state.user = user.clone();
                    engine.state.connected = true;
                    engine.password = Some(password);
                    engine.hooks.as_ref().map(|hooks| hooks.set_author.clone())
                });
                if let Some(set_author) = set_author {
                    set_author(user);
                }
                reconcile().await;
                let _ = persist().await;
                start_loop();
            }
        }
    });
}

/// `POST /_session`, then `GET` the database: a wrong password and a non-member are told apart.
pub(crate) async fn log_in(url: &str, user: &str, password: &str) -> Result<(), SyncStatus> {
    let body = serde_json::json!({"name": user, "password": password});
    let session = request("POST", &format!("{}/_session", server_root(url)), Some(&body), None).await;
    if !session.ok() {
        return Err(failure(session.status, Endpoint::Database, &session.reason()));
    }
    let database = request("GET", url, None, None).await;
    if database.ok() {
        return Ok(());
    }
    // Logged in yet refused: CouchDB says 403, pouchdb-server 401 — not a member either way.
    Err(match database.status {
        401 | 403 => SyncStatus::Error("you are not a member of this project".to_string()),
        status => failure(status, Endpoint::Database, &database.reason()),
    })
}

/// Logs in again with the password kept in memory (the cookie session expired).
pub(crate) async fn relogin() -> bool {
    let (url, user, password) =
        with_engine(|engine| (engine.state.url.clone(), engine.state.user.clone(), engine.password.clone()));
    match password {
        Some(password) => log_in(&url, &user, &password).await.is_ok(),
        None => false,
    }
}

/// Stops syncing and logs out; the local copy (project and replica) stays.
pub fn disconnect() {
    in_module(async { split_call!(disconnect_loaded()) });
}

#[cfg_attr(feature = "lazy-views", wasm_split(sync, fallible))]
fn disconnect_loaded() -> Result<(), NotLoaded> {
    disconnect_now();
    Ok(())
}

fn disconnect_now() {
    let url = with_engine(|engine| {
        engine.generation += 1;
        engine.state.connected = false;
        engine.password = None;
        engine.state.url.clone()
    });
    wake();
    set_status(SyncStatus::Error("disconnected: this browser keeps its copy".to_string()));
    with_engine(|engine| engine.status = None);
    notify();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = request("DELETE", &format!("{}/_session", server_root(&url)), None, None).await;
        let _ = persist().await;
    });
}

/// Whether the autosave's writes are recorded for a server: this browser has connected to one,
/// which loaded team sync's module. False for everyone who never connected, so a save does not
/// even collect its shared documents.
pub fn records_saves() -> bool {
    with_engine(|engine| !engine.state.client_id.is_empty() && !engine.state.url.is_empty())
}

/// The autosave wrote these documents of `project` (`(id, stored JSON)`; `None`: removed): the
/// shared ones become local revisions, pushed next. Nothing to do (and nothing fetched) unless
/// [`records_saves`].
pub fn saved(writes: Vec<(String, Option<String>)>, project: &Project) {
    if !records_saves() {
        return;
    }
    let project = project.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // Loaded already: whatever set the client id and the server ran in the module.
        let _ = split_call!(record_saved_loaded(writes, project));
    });
}

#[cfg_attr(feature = "lazy-views", wasm_split(sync, fallible))]
fn record_saved_loaded(writes: Vec<(String, Option<String>)>, project: Project) -> Result<(), NotLoaded> {
    record_saved(&writes, &project);
    Ok(())
}

fn record_saved(writes: &[(String, Option<String>)], project: &Project) {
    let recorded = with_engine(|engine| {
        if engine.state.client_id.is_empty() || engine.state.url.is_empty() {
            return false;
        }
        let context = MappingContext::new(project);
        let mut recorded = false;
        for (id, json) in writes {
            if !replicates(id) {
                continue;
            }
            if let Some((body, deleted)) = json.as_deref().and_then(|json| stored_to_wire(id, json, &context)) {
                recorded |= engine.state.replica.record_saved(id, body, deleted).is_some();
            }
        }
        recorded
    });
    if recorded {
        wasm_bindgen_futures::spawn_local(async {
            let _ = persist().await;
        });
        wake();
        if with_engine(|engine| !engine.state.connected || matches!(engine.status, Some(SyncStatus::Offline { .. }))) {
            set_status(SyncStatus::Offline { waiting: edits_waiting() });
        }
    }
}

/// Brings the replica up to date with what the store holds: every shared document and every
/// article text this browser has and the replica does not (the first connection, or an edit
/// saved just before the page closed); and the project with the replica: what the replica has
/// and the store lacks (documents that were waiting when the page closed) is merged again.
async fn reconcile() {
    // The stored packs as text (`js/local_store.js` stores them deflated).
    let (started, documents) = crate::web::storage::with_packs_as_text(async || {
        let started = crate::web::user_timing::now();
        let documents = crate::web::storage::LocalStore::open()
            .ok()
            .and_then(|store| crate::formats::stored::journal::read_documents(&store).ok())
            .map(|(documents, _)| documents)
            .unwrap_or_default();
        (started, documents)
    })
    .await;
    reconcile_now(documents);
    crate::web::user_timing::record(&[("crosscheck:sync-reconcile", started, crate::web::user_timing::now())]);
}

fn reconcile_now(documents: crate::formats::stored::journal::Documents) {
    let project =
        with_engine(|engine| engine.hooks.as_ref().map(|hooks| hooks.project.clone())).and_then(|project| project());
    let Some(project) = project else { return };
    let context = MappingContext::new(&project);
    let missing = with_engine(|engine| {
        let replica = &mut engine.state.replica;
        for (id, json) in documents.iter().filter(|(id, _)| replicates(id)) {
            if let Some((body, deleted)) = stored_to_wire(id, json, &context) {
                if !replica.holds_body(id, &body, deleted) {
                    replica.record_saved(id, body, deleted);
                }
            }
        }
        for article in project.articles() {
            let id = text_id(article.id.as_str());
            if replica.record(&id).is_none() {
                replica.record_saved(&id, text_body(&article.text), false);
            }
        }
        replica.missing_from_store(&documents)
    });
    apply_winners(&missing);
}

/// Which versions of a conflicted document are this browser's and the others'.
pub fn mine_and_theirs(
    view: &ConflictView,
) -> (crate::formats::sync::revision::Rev, crate::formats::sync::revision::Rev) {
    with_engine(|engine| {
        let written_here =
            engine.state.replica.record(&view.id).map(|record| record.written_here.clone()).unwrap_or_default();
        view.mine_and_theirs_here(&written_here, &engine.state.user)
    })
}

/// Every document in conflict that a person resolves (annotations, article metadata, schemas).
pub fn conflicts() -> BTreeMap<String, ConflictView> {
    with_engine(|engine| {
        engine
            .state
            .replica
            .docs
            .iter()
            // Two leaf bodies at least (cheap, and false for nearly every document).
            .filter(|(_, record)| record.leaves.len() > 1)
            .filter(|(id, _)| matches!(classify(id), Replication::Shared(kind) if kind.resolved_by_a_person()))
            .filter_map(|(id, record)| {
                conflict_view(id, record).filter(ConflictView::contents_differ).map(|view| (id.clone(), view))
            })
            .into_map()
    })
}

/// What a person keeps: one side, or a merge taking the named fields from theirs and every
/// other differing field from mine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
    Merged { from_theirs: BTreeSet<String> },
}

/// Resolves a conflict: the kept version becomes a new revision, the others are deleted, the
/// project shows the kept one, and the resolution is pushed.
pub async fn resolve_conflict(id: String, keep: Keep, now: i64) -> Result<(), String> {
    split_call!(resolve_conflict_loaded(id, keep, now)).unwrap_or_else(|NotLoaded| Err(not_loaded()))
}

#[cfg_attr(feature = "lazy-views", wasm_split(sync, fallible))]
fn resolve_conflict_loaded(id: String, keep: Keep, now: i64) -> Result<Result<(), String>, NotLoaded> {
    Ok(resolve_conflict_now(&id, keep, now))
}

fn resolve_conflict_now(id: &str, keep: Keep, now: i64) -> Result<(), String> {
    let project = latest_project();
    let writes = with_engine(|engine| {
        let record = engine.state.replica.record(id).ok_or("no such document")?;
        let view = conflict_view(id, record).ok_or("this item is no longer in conflict")?;
        let (mine, theirs) = view.mine_and_theirs_here(&record.written_here, &engine.state.user);
        let resolution = match keep {
            Keep::Mine => Resolution::Keep(mine),
            Keep::Theirs => Resolution::Keep(theirs),
            Keep::Merged { from_theirs } => view.merge_of(&mine, &theirs, &from_theirs),
        };
        resolve(&view, &resolution, now, &|article| article_length(&project, article))
    })?;
    with_engine(|engine| {
        for write in writes {
            let _ =
                engine.state.replica.put_local(&write.id, Some(&write.parent), &write.rev, write.body, write.deleted);
        }
    });
    apply_winners(&[id.to_string()]);
    notify();
    wasm_bindgen_futures::spawn_local(async {
        let _ = persist().await;
    });
    wake();
    Ok(())
}

/// The status for a failed exchange (`Offline` counts the edits waiting).
pub(crate) fn failed(answer: &Answer, endpoint: Endpoint) -> SyncStatus {
    match failure(answer.status, endpoint, &answer.reason()) {
        SyncStatus::Offline { .. } => SyncStatus::Offline { waiting: edits_waiting() },
        other => other,
    }
}

/// Tells listeners that the replica changed (new conflicts to show).
pub(crate) fn replica_changed() {
    notify();
}
