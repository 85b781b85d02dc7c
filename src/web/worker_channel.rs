//! A web worker started on first use, seen from the main thread: the piece every lazily loaded
//! module (the task worker today; team sync next) shares.
//!
//! A [`LazyWorker`] lives in its owner's `thread_local!`. [`LazyWorker::post`] starts the
//! worker (its Trunk loader script, `data-type="worker"` in index.html) if it is not running and
//! keeps messages until the worker says `ready` (a message posted earlier could be lost). Every
//! other message the worker posts goes to the owner's `on_message`; when the worker cannot start
//! or fails, the owner's `on_failure` hears why, the worker is dropped, and the next post starts
//! a new one.

use std::cell::RefCell;
use std::thread::LocalKey;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};

struct Running {
    worker: web_sys::Worker,
    ready: bool,
    /// Messages (with what they transfer) posted before `ready`, in order.
    queued: Vec<(JsValue, Option<js_sys::Array>)>,
}

/// One lazily started worker. Create it with [`LazyWorker::new`] inside `thread_local!`.
pub struct LazyWorker {
    /// The loader Trunk writes for the worker's bin (workers keep unhashed names).
    script: &'static str,
    /// What the worker is, for messages ("the task worker").
    name: &'static str,
    on_message: fn(JsValue),
    on_failure: fn(String),
    running: RefCell<Option<Running>>,
}

/// A JavaScript error as words.
pub fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .or_else(|| js_sys::JSON::stringify(error).ok().map(String::from))
        .unwrap_or_default()
}

impl LazyWorker {
    pub fn new(script: &'static str, name: &'static str, on_message: fn(JsValue), on_failure: fn(String)) -> Self {
        LazyWorker { script, name, on_message, on_failure, running: RefCell::new(None) }
    }

    /// Posts `message` (transferring `transfer`), starting the worker first if needed. An
    /// error is also told to `on_failure`.
    pub fn post(key: &'static LocalKey<LazyWorker>, message: JsValue, transfer: Option<js_sys::Array>) {
        let outcome = key.with(|this| {
            let mut running = this.running.borrow_mut();
            if running.is_none() {
                *running = Some(Self::spawn(key, this)?);
            }
            let Some(running) = running.as_mut() else { return Ok(()) };
            if !running.ready {
                running.queued.push((message, transfer));
                return Ok(());
            }
            send(&running.worker, &message, transfer.as_ref())
                .map_err(|error| format!("cannot reach {}: {error}", this.name))
        });
        if let Err(message) = outcome {
            Self::fail(key, message);
        }
    }

    /// Starts the worker now, if it is not running, so that it loads while the page does
    /// something else (a failure is left for the next post to report).
    pub fn warm_up(key: &'static LocalKey<LazyWorker>) {
        key.with(|this| {
            let mut running = this.running.borrow_mut();
            if running.is_none() {
                *running = Self::spawn(key, this).ok();
            }
        });
    }

    fn spawn(key: &'static LocalKey<LazyWorker>, this: &LazyWorker) -> Result<Running, String> {
        let name = this.name;
        let worker =
            web_sys::Worker::new(this.script).map_err(|error| format!("cannot start {name}: {}", describe(&error)))?;
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            Self::received(key, event.data())
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let message = event.dyn_ref::<web_sys::ErrorEvent>().map(|error| error.message()).unwrap_or_default();
            Self::fail(key, format!("{name} failed: {message}"));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Kept for the worker's life: a worker is started once, or again only after a failure.
        on_message.forget();
        on_error.forget();
        Ok(Running { worker, ready: false, queued: Vec::new() })
    }

    fn received(key: &'static LocalKey<LazyWorker>, data: JsValue) {
        if data.as_string().as_deref() == Some("ready") {
            let flushed = key.with(|this| {
                let mut running = this.running.borrow_mut();
                let Some(running) = running.as_mut() else { return Ok(()) };
                running.ready = true;
                for (message, transfer) in std::mem::take(&mut running.queued) {
                    send(&running.worker, &message, transfer.as_ref())
                        .map_err(|error| format!("cannot reach {}: {error}", this.name))?;
                }
                Ok(())
            });
            if let Err(message) = flushed {
                Self::fail(key, message);
            }
            return;
        }
        let on_message = key.with(|this| this.on_message);
        on_message(data);
    }

    /// Drops the worker and tells the owner why.
    fn fail(key: &'static LocalKey<LazyWorker>, message: String) {
        let (running, on_failure) = key.with(|this| (this.running.borrow_mut().take(), this.on_failure));
        if let Some(running) = running {
            running.worker.terminate();
        }
        on_failure(message);
    }
}

fn send(worker: &web_sys::Worker, message: &JsValue, transfer: Option<&js_sys::Array>) -> Result<(), String> {
    match transfer {
        Some(transfer) => worker.post_message_with_transfer(message, transfer),
        None => worker.post_message(message),
    }
    .map_err(|error| describe(&error))
}
