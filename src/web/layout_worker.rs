//! The graph picture's layout worker, seen from the main thread: one lazily started web worker
//! (`src/bin/layout_worker.rs`, `layout_worker_loader.js` in the build) that runs the force
//! simulations of `domain::story::forces`, so laying out 2,000 links never blocks a frame.
//!
//! Every shape's positions are kept once computed (the simulation is deterministic), so opening
//! the picture again, or after an edit that changed one cluster, sends only the new shapes to the
//! worker, or nothing at all.
//!
//! The worker is started on the first request and kept for the next ones. A request made while
//! another is running supersedes it: the older reply is dropped when it arrives; unless it asks
//! for the same shapes (the picture opened while `ui::graph_prepare` waits for them), which takes
//! over the running request's reply rather than laying them out twice. Until the worker
//! says `ready` the request waits here (a message posted earlier could be lost). If the worker
//! cannot start or fails, the waiting request gets the error and the next request starts a new
//! worker.

use std::cell::RefCell;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::domain::story::forces::{LayoutReply, LayoutRequest, Shape, ShapeMemory};

/// The loader Trunk writes for the `layout_worker` bin (workers keep unhashed names).
const SCRIPT: &str = "./layout_worker_loader.js";

/// Positions per shape, in request order; or what went wrong.
pub type Outcome = Result<Vec<Vec<[f64; 2]>>, String>;
type Done = Box<dyn FnOnce(Outcome)>;

struct Channel {
    worker: web_sys::Worker,
    ready: bool,
    /// The request not yet posted (the worker is starting), in JSON.
    queued: Option<String>,
    /// The latest request's id and what to do with its reply.
    waiting: Option<(u32, Done)>,
    /// The shapes of the latest request, while its reply is awaited.
    asked: Vec<Shape>,
    last_id: u32,
}

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
    /// Every shape laid out so far in this page.
    static MEMORY: RefCell<ShapeMemory> = RefCell::new(ShapeMemory::default());
}

/// Lays `shapes` out and calls `done` with their positions (in `shapes` order): at once when
/// every shape has been laid out before, else after the worker has laid out the new ones, unless
/// another request supersedes this one first.
pub fn lay_out_shapes(shapes: Vec<Shape>, done: impl FnOnce(Outcome) + 'static) {
    let missing = MEMORY.with(|memory| memory.borrow().missing(&shapes));
    if missing.is_empty() {
        let positions = MEMORY.with(|memory| memory.borrow().positions(&shapes));
        return done(positions.ok_or_else(|| "no layout".to_string()));
    }
    request(missing.clone(), move |outcome| {
        done(outcome.and_then(|positions| {
            MEMORY
                .with(|memory| memory.borrow_mut().complete(&shapes, missing, positions))
                .ok_or_else(|| "the layout worker answered for other shapes".to_string())
        }))
    });
}

/// The kept positions of each of `shapes`, in order; empty for a shape not laid out yet in
/// this page (`PictureJob::finish` then draws it at its initial positions).
pub fn kept_positions(shapes: &[Shape]) -> Vec<Vec<[f64; 2]>> {
    MEMORY.with(|memory| memory.borrow().kept(shapes))
}

fn describe(error: JsValue) -> String {
    error.as_string().or_else(|| js_sys::JSON::stringify(&error).ok().map(String::from)).unwrap_or_default()
}

/// Starts the worker and installs its handlers (kept for the page's life: a worker is started
/// once, or again only after a failure).
fn spawn() -> Result<Channel, String> {
    let worker =
        web_sys::Worker::new(SCRIPT).map_err(|error| format!("cannot start the layout worker: {}", describe(error)))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
        received(event.data().as_string().unwrap_or_default())
    });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let message = event.dyn_ref::<web_sys::ErrorEvent>().map(|error| error.message()).unwrap_or_default();
        fail(format!("the layout worker failed: {message}"));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_message.forget();
    on_error.forget();
    Ok(Channel { worker, ready: false, queued: None, waiting: None, asked: Vec::new(), last_id: 0 })
}

/// Drops the worker and tells the waiting request why.
fn fail(message: String) {
    let channel = CHANNEL.with(|cell| cell.borrow_mut().take());
    if let Some(mut channel) = channel {
        channel.worker.terminate();
        if let Some((_, done)) = channel.waiting.take() {
            done(Err(message));
        }
    }
}

fn received(text: String) {
    if text == "ready" {
        let posted = CHANNEL.with(|cell| {
            let mut slot = cell.borrow_mut();
            let Some(channel) = slot.as_mut() else { return Ok(()) };
            channel.ready = true;
            match channel.queued.take() {
                Some(json) => channel.worker.post_message(&JsValue::from_str(&json)).map_err(describe),
                None => Ok(()),
            }
        });
        if let Err(error) = posted {
            fail(format!("cannot reach the layout worker: {error}"));
        }
        return;
    }
    let reply = serde_json::from_str::<LayoutReply>(&text);
    let done = CHANNEL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let channel = slot.as_mut()?;
        let current = channel.waiting.as_ref().map(|(id, _)| *id);
        match &reply {
            Ok(reply) if reply.error.is_none() && Some(reply.id) != current => None,
            _ => channel.waiting.take().map(|(_, done)| done),
        }
    });
    if let Some(done) = done {
        done(match reply {
            Ok(LayoutReply { error: Some(error), .. }) => Err(error),
            Ok(reply) => Ok(reply.positions),
            Err(error) => Err(format!("unreadable reply from the layout worker: {error}")),
        });
    }
}

/// Starts the worker now if it is not running, so that it loads and compiles while the page is
/// busy drawing the view the picture belongs to (a failure is left for the request to report).
pub fn warm_up() {
    CHANNEL.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = spawn().ok();
        }
    });
}

/// Lays `shapes` out in the worker and calls `done` with their positions (in `shapes` order),
/// unless another request supersedes this one first.
fn request(shapes: Vec<Shape>, done: impl FnOnce(Outcome) + 'static) {
    let done: Done = Box::new(done);
    // On failure: the callback if it was not stored yet, and the reason.
    let started = CHANNEL.with(|cell| -> Result<(), (Option<Done>, String)> {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            match spawn() {
                Ok(channel) => *slot = Some(channel),
                Err(error) => return Err((Some(done), error)),
            }
        }
        let Some(channel) = slot.as_mut() else { return Err((Some(done), "no layout worker".to_string())) };
        if let Some((id, _)) = channel.waiting.take().filter(|_| channel.asked == shapes) {
            channel.waiting = Some((id, done));
            return Ok(());
        }
        channel.last_id = channel.last_id.wrapping_add(1);
        let id = channel.last_id;
        let json = match serde_json::to_string(&LayoutRequest { id, shapes: shapes.clone() }) {
            Ok(json) => json,
            Err(error) => return Err((Some(done), error.to_string())),
        };
        channel.waiting = Some((id, done));
        channel.asked = shapes;
        if !channel.ready {
            channel.queued = Some(json);
            return Ok(());
        }
        channel.worker.post_message(&JsValue::from_str(&json)).map_err(|error| (None, describe(error)))
    });
    match started {
        Ok(()) => {}
        Err((Some(done), error)) => done(Err(error)),
        Err((None, error)) => fail(format!("cannot reach the layout worker: {error}")),
    }
}
