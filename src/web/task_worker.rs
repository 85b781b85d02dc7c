//! The task worker seen from the main thread: suggestion runs and dataset exports, done in a
//! web worker (`src/bin/task_worker.rs`, `task_worker_loader.js` in the build) started the first
//! time either is asked for, so the first load carries neither and a run never blocks a frame.
//!
//! The project goes to the worker as its project JSON, written a page of spans or relations per
//! task (all at once took 57–92 ms at 10,000 spans); a run's suggestions come back a page per
//! message, read one per task (in the suggestions panel's module: their deserializers are not
//! part of the first load), and are published in a task of their own. One suggestion run at
//! a time: a newer one supersedes it (the older one's callbacks are dropped and the worker stops
//! it at its next chunk), and [`cancel_suggestions`] stops it. Exports are answered in the order
//! asked. If the worker fails, everything waiting hears why and the next request starts a new
//! worker.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use crate::domain::project::Project;
use crate::domain::suggest::{Progress, Suggestion};
use crate::formats::export::{ExportFormat, ExportOptions};
use crate::formats::project_json::{relations_json, spans_json, to_json_without_items};
use crate::formats::task_messages::{header_json, suggestions_of, TaskReplyHead, TaskRequest, ITEMS_PER_PAGE};
use crate::web::schedule::next_task;
use crate::web::split_module::{split_call, NotLoaded};
use crate::web::worker_channel::LazyWorker;
#[cfg(feature = "lazy-views")]
use wasm_split_helpers::wasm_split;

pub type SuggestionsDone = Box<dyn FnOnce(Result<Vec<Suggestion>, String>)>;
pub type ExportDone = Box<dyn FnOnce(Result<Vec<u8>, String>)>;

struct RunWaiting {
    id: u32,
    on_progress: Rc<dyn Fn(Progress)>,
    done: SuggestionsDone,
    /// The suggestions read so far.
    found: Vec<Suggestion>,
    /// Pages received and not read yet (the headers' JSON), oldest first.
    pages: VecDeque<String>,
    /// Whether the last page has arrived.
    last_received: bool,
    /// Whether [`read_pages`] is reading this run's pages.
    reading: bool,
}

#[derive(Default)]
struct Waiting {
    last_id: u32,
    run: Option<RunWaiting>,
    exports: BTreeMap<u32, ExportDone>,
}

thread_local! {
    static WORKER: LazyWorker =
        LazyWorker::new("./task_worker_loader.js", "the task worker", received, failed);
    static WAITING: RefCell<Waiting> = RefCell::new(Waiting::default());
}

fn next_id() -> u32 {
    WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        waiting.last_id = waiting.last_id.wrapping_add(1).max(1);
        waiting.last_id
    })
}

fn post(request: &TaskRequest) {
    let message = js_sys::Array::of1(&JsValue::from_str(&header_json(request)));
    LazyWorker::post(&WORKER, message.into(), None);
}

/// Sends `request` with `project` as `[header, base, span pages, relation pages]`, a page
/// written per task (the project is an immutable snapshot, so the pages agree). A request
/// superseded or cancelled meanwhile is not sent.
fn post_with_project(request: TaskRequest, project: &Project) {
    let project = project.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let base = JsValue::from_str(&to_json_without_items(&project));
        let span_pages = js_sys::Array::new();
        let spans: Vec<_> = project.spans().values().collect();
        for page in spans.chunks(ITEMS_PER_PAGE) {
            gloo::timers::future::TimeoutFuture::new(0).await;
            span_pages.push(&JsValue::from_str(&spans_json(page.iter().map(|span| &***span))));
        }
        let relation_pages = js_sys::Array::new();
        let relations: Vec<_> = project.relations().values().collect();
        for page in relations.chunks(ITEMS_PER_PAGE) {
            gloo::timers::future::TimeoutFuture::new(0).await;
            relation_pages.push(&JsValue::from_str(&relations_json(page.iter().map(|relation| &***relation))));
        }
        if !still_waiting(&request) {
            return;
        }
        let header = JsValue::from_str(&header_json(&request));
        let message = js_sys::Array::of4(&header, &base, &span_pages, &relation_pages);
        LazyWorker::post(&WORKER, message.into(), None);
    });
}

/// Whether the app still waits for `request`'s answer.
fn still_waiting(request: &TaskRequest) -> bool {
    WAITING.with(|waiting| {
        let waiting = waiting.borrow();
        match request {
            TaskRequest::Suggest { id } => waiting.run.as_ref().is_some_and(|run| run.id == *id),
            TaskRequest::Export { id, .. } => waiting.exports.contains_key(id),
            TaskRequest::Cancel { .. } => true,
        }
    })
}

/// Starts the worker now, so that it is loaded by the time it is asked for something.
pub fn warm_up() {
    LazyWorker::warm_up(&WORKER);
}

/// Runs every suggester over `project` in the worker: `on_progress` after each chunk, then
/// `done` with the open suggestions (what `SuggestionRun::finish` returns), unless a newer run
/// or a cancel comes first.
pub fn suggest(
    project: &Project,
    on_progress: impl Fn(Progress) + 'static,
    done: impl FnOnce(Result<Vec<Suggestion>, String>) + 'static,
) {
    let id = next_id();
    WAITING.with(|waiting| {
        waiting.borrow_mut().run = Some(RunWaiting {
            id,
            on_progress: Rc::new(on_progress),
            done: Box::new(done),
            found: Vec::new(),
            pages: VecDeque::new(),
            last_received: false,
            reading: false,
        })
    });
    post_with_project(TaskRequest::Suggest { id }, project);
}

/// Stops the running suggestion run, if any; its callbacks are never called.
pub fn cancel_suggestions() {
    let run = WAITING.with(|waiting| waiting.borrow_mut().run.take());
    if let Some(run) = run {
        post(&TaskRequest::Cancel { id: run.id });
    }
}

/// Writes `format` of `project` in the worker and calls `done` with the file's bytes.
pub fn export(
    project: &Project,
    format: ExportFormat,
    options: &ExportOptions,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) {
    let id = next_id();
    WAITING.with(|waiting| waiting.borrow_mut().exports.insert(id, Box::new(done)));
    let request = TaskRequest::Export {
        id,
        format: format.id().to_string(),
        now: options.now,
        neutral_ratio: options.neutral_ratio,
    };
    post_with_project(request, project);
}

fn received(data: JsValue) {
    let message = js_sys::Array::from(&data);
    let header = message.get(0).as_string().unwrap_or_default();
    let reply = match serde_json::from_str::<TaskReplyHead>(&header) {
        Ok(reply) => reply,
        Err(error) => return failed(format!("unreadable reply from the task worker: {error}")),
    };
    match reply {
        TaskReplyHead::Progress { id, paragraphs_done, paragraphs_total } => {
            // Called without holding the borrow: the callback may start another request.
            let on_progress = WAITING.with(|waiting| {
                waiting.borrow().run.as_ref().filter(|run| run.id == id).map(|run| run.on_progress.clone())
            });
            if let Some(on_progress) = on_progress {
                on_progress(Progress { paragraphs_done, paragraphs_total });
            }
        }
        TaskReplyHead::Suggestions { id, last } => {
            let start_reading = WAITING.with(|waiting| match waiting.borrow_mut().run.as_mut() {
                Some(run) if run.id == id => {
                    run.pages.push_back(header);
                    run.last_received |= last;
                    !std::mem::replace(&mut run.reading, true)
                }
                _ => false,
            });
            if start_reading {
                wasm_bindgen_futures::spawn_local(read_pages(id));
            }
        }
        TaskReplyHead::Exported { id } => {
            let bytes = message.get(1).dyn_into::<js_sys::Uint8Array>().map(|array| array.to_vec());
            if let Some(done) = take_export(id) {
                done(bytes.map_err(|_| "the task worker sent no file".to_string()));
            }
        }
        TaskReplyHead::Failed { id, message } => {
            if let Some(run) = take_run(id) {
                (run.done)(Err(message));
            } else if let Some(done) = take_export(id) {
                done(Err(message));
            }
        }
    }
}

/// Reads run `id`'s pages of suggestions as they arrive, one per task (a page takes a few
/// milliseconds), and publishes the run in a task of its own after the last. Stops when the
/// run is superseded or cancelled.
async fn read_pages(id: u32) {
    loop {
        let next = WAITING.with(|waiting| match waiting.borrow_mut().run.as_mut() {
            Some(run) if run.id == id => match run.pages.pop_front() {
                Some(page) => Some(Some(page)),
                None => {
                    run.reading = false;
                    Some(None)
                }
            },
            _ => None,
        });
        let page = match next {
            None => return,
            Some(None) => break,
            Some(Some(page)) => page,
        };
        let read = match split_call!(read_suggestion_page(page)) {
            Ok(Ok(suggestions)) => Ok(suggestions),
            Ok(Err(why)) => Err(format!("unreadable reply from the task worker: {why}")),
            Err(NotLoaded) => Err(NotLoaded::message("The suggestions list")),
        };
        match read {
            Ok(suggestions) => WAITING.with(|waiting| match waiting.borrow_mut().run.as_mut() {
                Some(run) if run.id == id => run.found.extend(suggestions),
                _ => {}
            }),
            Err(why) => {
                if let Some(run) = take_run(id) {
                    (run.done)(Err(why));
                }
                return;
            }
        }
        next_task().await;
    }
    let complete =
        WAITING.with(|waiting| waiting.borrow().run.as_ref().is_some_and(|run| run.id == id && run.last_received));
    if !complete {
        return;
    }
    // For `make bench`: where the run ends and publishing its results begins.
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("crosscheck:suggestions-received");
    }
    // Published in a task of its own, after the last page was read.
    next_task().await;
    if let Some(run) = take_run(id) {
        (run.done)(Ok(run.found));
    }
}

/// One page of suggestions: read in the suggestions panel's module, which a run's panel has
/// already fetched.
#[cfg_attr(feature = "lazy-views", wasm_split(suggestions, fallible))]
fn read_suggestion_page(header: String) -> Result<Result<Vec<Suggestion>, String>, NotLoaded> {
    Ok(suggestions_of(&header))
}

fn take_run(id: u32) -> Option<RunWaiting> {
    WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        match &waiting.run {
            Some(run) if run.id == id => waiting.run.take(),
            _ => None,
        }
    })
}

fn take_export(id: u32) -> Option<ExportDone> {
    WAITING.with(|waiting| waiting.borrow_mut().exports.remove(&id))
}

/// The worker failed: everything waiting hears why.
fn failed(message: String) {
    let (run, exports) = WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        (waiting.run.take(), std::mem::take(&mut waiting.exports))
    });
    if let Some(run) = run {
        (run.done)(Err(message.clone()));
    }
    for done in exports.into_values() {
        done(Err(message.clone()));
    }
}
