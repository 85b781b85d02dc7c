//! The graph picture's layout worker: a web worker (built by Trunk from the `data-type="worker"`
//! link in index.html) that runs `domain::story::forces` off the main thread.
//!
//! It says `ready` once its handler is installed (messages posted before that would be lost),
//! then answers each message, a `LayoutRequest` in JSON, with a `LayoutReply` in JSON, in order.
//! A request runs in slices of a few milliseconds (`forces::LayoutJob`), each a task of its own,
//! so that the worker stops soon after its page goes away (Chromium ends a worker between two
//! tasks: a reload otherwise shared the two cores with the rest of a 200 ms layout). Only
//! fjadra, serde_json and this glue are in its WebAssembly; `web::layout_worker` drives it.

#[cfg(target_arch = "wasm32")]
mod in_browser {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use crosscheck::domain::story::forces::LayoutJob;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    /// How long a slice of a request runs before the worker lets its other tasks run.
    const SLICE_MS: f64 = 8.0;

    struct Worker {
        scope: web_sys::DedicatedWorkerGlobalScope,
        /// Requests not answered yet, oldest first; the first is running.
        jobs: VecDeque<LayoutJob>,
        /// A message to `wake` starts the next slice (a task soon, unlike nested 0 ms timers).
        /// Without a `MessageChannel` each request is answered whole, in its message's task.
        wake: Option<web_sys::MessagePort>,
        slice_scheduled: bool,
    }

    thread_local! {
        static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    }

    pub fn start() {
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let wake = web_sys::MessageChannel::new().ok().map(|channel| {
            let on_wake = Closure::<dyn FnMut()>::new(run_slice);
            channel.port1().set_onmessage(Some(on_wake.as_ref().unchecked_ref()));
            on_wake.forget();
            channel.port2()
        });
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            with_worker(|worker| match (&worker.wake, LayoutJob::start(&request)) {
                (Some(_), Ok(job)) => {
                    worker.jobs.push_back(job);
                    schedule_slice(worker);
                }
                (None, Ok(job)) => drop(worker.scope.post_message(&JsValue::from_str(&job.finish()))),
                (_, Err(reply)) => drop(worker.scope.post_message(&JsValue::from_str(&reply))),
            })
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let _ = scope.post_message(&JsValue::from_str("ready"));
        WORKER.with(|cell| {
            *cell.borrow_mut() = Some(Worker { scope, jobs: VecDeque::new(), wake, slice_scheduled: false })
        });
    }

    fn with_worker(act: impl FnOnce(&mut Worker)) {
        WORKER.with(|cell| {
            if let Some(worker) = cell.borrow_mut().as_mut() {
                act(worker);
            }
        });
    }

    fn schedule_slice(worker: &mut Worker) {
        if let Some(wake) = worker.wake.as_ref().filter(|_| !worker.slice_scheduled && !worker.jobs.is_empty()) {
            worker.slice_scheduled = wake.post_message(&JsValue::NULL).is_ok();
        }
    }

    /// Runs the oldest request for up to [`SLICE_MS`], answers it if it is done, and schedules
    /// the next slice while requests remain.
    fn run_slice() {
        with_worker(|worker| {
            worker.slice_scheduled = false;
            let deadline = js_sys::Date::now() + SLICE_MS;
            let done = worker.jobs.front_mut().is_some_and(|job| job.advance(|| js_sys::Date::now() < deadline));
            if done {
                if let Some(job) = worker.jobs.pop_front() {
                    let _ = worker.scope.post_message(&JsValue::from_str(&job.reply()));
                }
            }
            schedule_slice(worker);
        });
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    in_browser::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The layout worker runs in the browser, as a web worker of the Crosscheck app.");
}
