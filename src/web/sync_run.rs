//! The replication loop over `fetch`: push what this browser wrote, pull what the server has,
//! then wait on the long-poll changes feed until the server has more or a local edit wakes it.
//!
//! Each step hands the server's JSON to the pure state machines of `formats::sync::{push,pull}`.
//! A pulled batch is merged into the project and localStorage, then the replica is written to
//! IndexedDB, and only then is the checkpoint written on both sides: an interrupted batch is
//! fetched again, and `_revs_diff` skips what is already here. Every request is a task of its
//! own, and a batch's work is cut into pieces of a few milliseconds with a yield between them
//! (checking the answer, putting it in the replica, handing it to the project, writing the
//! replica), so no main-thread task grows with the size of a batch or of the project.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;

use crate::domain::article::ArticleId;
use crate::formats::stored::docs::ARTICLE_PREFIX;
use crate::formats::sync::checkpoint::{checkpoint_id, saved_rev, Checkpoint, Direction};
use crate::formats::sync::mapping::TEXT_PREFIX;
use crate::formats::sync::pull::{expected_changes, Pull, PullNext};
use crate::formats::sync::push::{Push, PushNext};
use crate::formats::sync::status::{Endpoint, SyncStatus};
use crate::formats::sync::tree::Merged;
use crate::formats::sync::wire;
use crate::web::schedule::next_task;
use crate::web::sync::{self, with_engine};
use crate::web::sync_http::{request, sleep, Answer};
use crate::web::user_timing as timing;

/// Documents per `_changes` page and per push batch: every batch costs a few requests and a
/// checkpoint, so a large pull wants few of them (100 made a 24,000-document pull 244 batches).
const BATCH: usize = 500;
/// Article texts per `_bulk_get` request.
const TEXTS_PER_TASK: usize = 8;
/// Article texts handed to the project per task: each is hashed and laid out (8 per task took
/// 40–160 ms on a busy machine).
const TEXTS_APPLIED_PER_TASK: usize = 2;
/// How long one piece of a pulled batch's work (checking its documents, putting them in the
/// replica) may hold the main thread before the loop yields: a batch of 500 (or the 200 texts
/// of a large pull, 6 MB) handled in one task held it 100–200 ms.
const STEP_MS: f64 = 8.0;
/// Pulled documents handed to the project per task (each mapped to its stored form).
const APPLY_PER_TASK: usize = 100;
/// How long the server holds a long-poll open.
const LONGPOLL_MS: u32 = 10_000;
/// The longest wait between two tries while the server is unreachable.
const MAX_RETRY_MS: i32 = 2_000;

/// Why a cycle stopped.
enum Stop {
    /// A request failed: its answer and what it was for.
    Http(Answer, Endpoint),
    /// The server answered something the protocol does not allow.
    Protocol(String),
    /// Disconnected (or reconnected) meanwhile.
    Superseded,
}

impl From<crate::formats::sync::pull::SyncError> for Stop {
    fn from(error: crate::formats::sync::pull::SyncError) -> Stop {
        Stop::Protocol(error.to_string())
    }
}

fn database_url() -> String {
    with_engine(|engine| engine.state.url.clone())
}

async fn call(generation: u64, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Stop> {
    let answer = request(method, &format!("{}/{path}", database_url()), body, None).await;
    if !sync::current(generation) {
        return Err(Stop::Superseded);
    }
    if answer.ok() {
        Ok(answer.json)
    } else {
        Err(Stop::Http(answer, Endpoint::Replication))
    }
}

/// Both copies of a checkpoint: this browser's and the server's (with its `_rev`).
async fn checkpoints(
    generation: u64,
    direction: Direction,
) -> Result<(String, Option<Checkpoint>, Option<Checkpoint>), Stop> {
    let id = with_engine(|engine| checkpoint_id(&engine.state.client_id, &engine.state.url, direction));
    let local = with_engine(|engine| {
        engine.state.checkpoints.get(&id).and_then(Checkpoint::read).map(|(checkpoint, _)| checkpoint)
    });
    let answer = request("GET", &format!("{}/{id}", database_url()), None, None).await;
    if !sync::current(generation) {
        return Err(Stop::Superseded);
    }
    let remote = match answer.status {
        404 => None,
        _ if answer.ok() => Checkpoint::read(&answer.json).map(|(checkpoint, _)| checkpoint),
        _ => return Err(Stop::Http(answer, Endpoint::Replication)),
    };
    Ok((id, local, remote))
}

/// Writes a checkpoint on the server, then here. The server's `_rev` of it is the one this loop
/// last wrote (one request per batch, not two); unknown or refused as stale (409), it is read.
async fn save_checkpoint(generation: u64, checkpoint: &Checkpoint) -> Result<(), Stop> {
    let url = format!("{}/{}", database_url(), checkpoint.id);
    let known = with_engine(|engine| engine.checkpoint_revs.get(&checkpoint.id).cloned());
    let mut answer = match &known {
        Some(rev) => Some(request("PUT", &url, Some(&checkpoint.put_body(Some(rev))), None).await),
        None => None,
    };
    if answer.as_ref().is_none_or(|answer| answer.status == 409) {
        let current = request("GET", &url, None, None).await;
        let rev = current.ok().then(|| current.json.get("_rev").and_then(Value::as_str).map(str::to_string)).flatten();
        answer = Some(request("PUT", &url, Some(&checkpoint.put_body(rev.as_deref())), None).await);
    }
    let Some(answer) = answer else { return Err(Stop::Protocol("no checkpoint answer".to_string())) };
    if !sync::current(generation) {
        return Err(Stop::Superseded);
    }
    let Some(rev) = saved_rev(&answer.json).filter(|_| answer.ok()) else {
        return Err(Stop::Http(answer, Endpoint::Replication));
    };
    with_engine(|engine| {
        engine.checkpoint_revs.insert(checkpoint.id.clone(), rev);
        engine.state.checkpoints.insert(checkpoint.id.clone(), checkpoint.put_body(None))
    });
    sync::persist().await.map_err(Stop::Protocol)
}

async fn push(generation: u64) -> Result<(), Stop> {
    let (id, local, remote) = checkpoints(generation, Direction::Push).await?;
    let session = crate::web::clock::new_id("session");
    let mut push = Push::new(&id, &session, local.as_ref(), remote.as_ref(), BATCH);
    loop {
        let mut next = with_engine(|engine| push.next_batch(&engine.state.replica))?;
        loop {
            next = match next {
                PushNext::RevsDiff { path, body } => {
                    let answer = call(generation, "POST", path, Some(&body)).await?;
                    with_engine(|engine| push.on_revs_diff(&answer, &engine.state.replica))?
                }
                PushNext::BulkDocs { path, body } => {
                    let answer = call(generation, "POST", path, Some(&body)).await?;
                    push.on_bulk_docs(&answer)?
                }
                PushNext::SaveCheckpoint(checkpoint) => {
                    save_checkpoint(generation, &checkpoint).await?;
                    push.on_checkpointed(checkpoint)?;
                    break;
                }
                PushNext::CaughtUp => {
                    if let Some(refused) = push.refused.first() {
                        return Err(Stop::Protocol(format!(
                            "the server refused {} edit(s) ({}: {})",
                            push.refused.len(),
                            refused.id,
                            refused.reason
                        )));
                    }
                    return Ok(());
                }
            };
        }
    }
}

/// A `GET` sent now and read later (`Pull::next_changes_path`): the server reads the next page of
/// the changes feed while this browser stores the last one, instead of after (about 60 ms of a
/// 500-document batch's round trip on pouchdb-server).
struct Ahead {
    path: String,
    sent: js_sys::Promise,
    answer: Rc<RefCell<Option<Answer>>>,
}

impl Ahead {
    fn send(path: &str) -> Ahead {
        let answer = Rc::new(RefCell::new(None));
        let slot = answer.clone();
        let url = format!("{}/{path}", database_url());
        // Spawned, so the request goes out now, not when first awaited.
        let sent = wasm_bindgen_futures::future_to_promise(async move {
            let answer = request("GET", &url, None, None).await;
            *slot.borrow_mut() = Some(answer);
            Ok(wasm_bindgen::JsValue::NULL)
        });
        Ahead { path: path.to_string(), sent, answer }
    }

    async fn answer(self) -> Answer {
        let _ = wasm_bindgen_futures::JsFuture::from(self.sent).await;
        self.answer.borrow_mut().take().unwrap_or_else(Answer::none)
    }
}

/// Gives the browser its thread back between two pieces of a batch's work; stops the cycle if
/// the connection changed meanwhile (nothing of the old one goes into the new one's replica).
async fn yield_to_browser(generation: u64) -> Result<(), Stop> {
    next_task().await;
    if sync::current(generation) {
        Ok(())
    } else {
        Err(Stop::Superseded)
    }
}

/// Pulls until caught up; returns the sequence to long-poll from.
async fn pull(generation: u64) -> Result<Value, Stop> {
    let (id, local, remote) = checkpoints(generation, Direction::Pull).await?;
    let session = crate::web::clock::new_id("session");
    let mut pull = Pull::new(&id, &session, local.as_ref(), remote.as_ref(), BATCH);
    // "Syncing N of M": M from the database's counts where the feed has no `pending`.
    let info = request("GET", &database_url(), None, None).await;
    let expected = info.ok().then(|| expected_changes(&info.json, pull.since())).flatten();
    let mut ahead: Option<Ahead> = None;
    let first = call(generation, "GET", &pull.changes_path(None), None).await?;
    let mut next = with_engine(|engine| pull.on_changes(&first, &engine.state.replica))?;
    loop {
        next = match next {
            PullNext::BulkGet { path, body } => {
                let answer = bulk_get(generation, path, &body).await?;
                // The next page, read by the server while this one is checked and stored.
                ahead = pull.next_changes_path().map(|path| Ahead::send(&path));
                yield_to_browser(generation).await?;
                let project = sync::latest_project();
                let length = |article: &ArticleId| sync::article_length(&project, article);
                let mut check = pull.start_bulk_get(&answer)?;
                drop(answer);
                // Reading the answer out (500 documents copied) is a piece of its own.
                yield_to_browser(generation).await?;
                loop {
                    let started = timing::now();
                    check.step_while(&length, &mut |done| done == 0 || timing::now() - started < STEP_MS);
                    timing::record(&[("crosscheck:sync-check", started, timing::now())]);
                    if check.is_done() {
                        break;
                    }
                    yield_to_browser(generation).await?;
                }
                pull.on_checked(check)?
            }
            PullNext::Store(docs) => {
                yield_to_browser(generation).await?;
                let mut changed = Vec::new();
                let mut next = 0;
                while next < docs.len() {
                    let started = timing::now();
                    with_engine(|engine| {
                        while next < docs.len() && (next % 4 != 0 || timing::now() - started < STEP_MS) {
                            if engine.state.replica.put_replicated(&docs[next].doc) == Ok(Merged::NewRevision) {
                                changed.push(docs[next].doc.id.clone());
                            }
                            next += 1;
                        }
                    });
                    timing::record(&[("crosscheck:sync-replica", started, timing::now())]);
                    yield_to_browser(generation).await?;
                }
                drop(docs);
                // To the project in groups, each its own task: an article is built from its
                // text (hashed, laid out), a few milliseconds each.
                // (An article's metadata goes with its text's group when both came.)
                let (texts, others): (Vec<String>, Vec<String>) =
                    changed.iter().cloned().partition(|id| id.starts_with(TEXT_PREFIX));
                let with_text = |id: &String| {
                    id.strip_prefix(ARTICLE_PREFIX)
                        .is_some_and(|article| texts.contains(&format!("{TEXT_PREFIX}{article}")))
                };
                let others: Vec<String> = others.into_iter().filter(|id| !with_text(id)).collect();
                // In the order they apply (what others name first), a few per task: each is
                // mapped to its stored form here.
                for group in others.chunks(APPLY_PER_TASK) {
                    let started = timing::now();
                    sync::apply_winners(group);
                    timing::record(&[("crosscheck:sync-apply", started, timing::now())]);
                    yield_to_browser(generation).await?;
                }
                for group in texts.chunks(TEXTS_APPLIED_PER_TASK) {
                    yield_to_browser(generation).await?;
                    let started = timing::now();
                    sync::apply_winners(group);
                    timing::record(&[("crosscheck:sync-apply-texts", started, timing::now())]);
                }
                sync::merged().await;
                sync::persist().await.map_err(Stop::Protocol)?;
                sync::replica_changed();
                pull.on_stored(changed.len())?
            }
            PullNext::SaveCheckpoint(checkpoint) => {
                save_checkpoint(generation, &checkpoint).await?;
                pull.on_checkpointed(checkpoint)?
            }
            PullNext::FetchChanges => {
                let done = pull.progress.done;
                sync::set_status(SyncStatus::Syncing {
                    done,
                    total: pull
                        .progress
                        .pending
                        .map(|pending| done + pending)
                        .or(expected.map(|total| total.max(done))),
                });
                let path = pull.changes_path(None);
                let answer = match ahead.take().filter(|ahead| ahead.path == path) {
                    Some(ahead) => {
                        let answer = ahead.answer().await;
                        if !sync::current(generation) {
                            return Err(Stop::Superseded);
                        }
                        if !answer.ok() {
                            return Err(Stop::Http(answer, Endpoint::Replication));
                        }
                        answer.json
                    }
                    None => call(generation, "GET", &path, None).await?,
                };
                with_engine(|engine| pull.on_changes(&answer, &engine.state.replica))?
            }
            PullNext::CaughtUp => return Ok(pull.since().clone()),
        };
    }
}

/// A `_bulk_get`, article texts fetched a few per request (a page of 200 texts was one 6 MB
/// answer, parsed in one task), the answers' results joined.
async fn bulk_get(generation: u64, path: &str, body: &Value) -> Result<Value, Stop> {
    let docs = body.get("docs").and_then(Value::as_array).cloned().unwrap_or_default();
    let is_text = |doc: &Value| doc.get("id").and_then(Value::as_str).is_some_and(|id| id.starts_with(TEXT_PREFIX));
    let (texts, others): (Vec<Value>, Vec<Value>) = docs.into_iter().partition(is_text);
    if texts.len() <= TEXTS_PER_TASK {
        return call(generation, "POST", path, Some(body)).await;
    }
    let groups = std::iter::once(others).filter(|group| !group.is_empty());
    let mut results = Vec::new();
    for group in groups.chain(texts.chunks(TEXTS_PER_TASK).map(<[Value]>::to_vec)) {
        let answer = call(generation, "POST", path, Some(&serde_json::json!({ "docs": group }))).await?;
        results.extend(answer.get("results").and_then(Value::as_array).cloned().unwrap_or_default());
    }
    Ok(serde_json::json!({ "results": results }))
}

/// Waits until the server has changes after `since`, a local edit wakes the loop, or the
/// long-poll times out.
async fn wait_for_changes(generation: u64, since: &Value) {
    let Ok(abort) = web_sys::AbortController::new() else { return sleep(1_000).await };
    with_engine(|engine| engine.wake = Some(abort.clone()));
    if sync::edits_waiting() > 0 {
        return;
    }
    let path = wire::changes_path(since, 1, Some(LONGPOLL_MS));
    // Not every server honours `timeout` (pouchdb-server holds the request until a change), and
    // a dead connection never answers: give up on the wait here too.
    let give_up = {
        let abort = abort.clone();
        gloo::timers::callback::Timeout::new(LONGPOLL_MS, move || abort.abort())
    };
    let answer = request("GET", &format!("{}/{path}", database_url()), None, Some(&abort)).await;
    drop(give_up);
    with_engine(|engine| engine.wake = None);
    if answer.status == 0 && sync::current(generation) && !abort.signal().aborted() {
        // Unreachable: the next cycle reports it; do not spin.
        sleep(500).await;
    }
}

/// The loop of one connection (`generation`); it ends when disconnected or reconnected.
pub async fn run(generation: u64) {
    let mut retry_ms = 250;
    while sync::current(generation) {
        let outcome = match push(generation).await {
            Ok(()) => pull(generation).await,
            Err(stop) => Err(stop),
        };
        match outcome {
            Ok(since) => {
                retry_ms = 250;
                sync::set_status(SyncStatus::Synced);
                wait_for_changes(generation, &since).await;
            }
            Err(Stop::Superseded) => return,
            Err(Stop::Http(answer, endpoint)) => {
                if answer.status == 401 && sync::relogin().await {
                    continue;
                }
                let status = sync::failed(&answer, endpoint);
                let offline = matches!(status, SyncStatus::Offline { .. });
                sync::set_status(status);
                sleep(if offline { retry_ms.min(MAX_RETRY_MS) } else { 10_000 }).await;
                retry_ms = (retry_ms * 2).min(MAX_RETRY_MS);
            }
            Err(Stop::Protocol(reason)) => {
                sync::set_status(SyncStatus::Error(reason));
                sleep(10_000).await;
            }
        }
    }
}
