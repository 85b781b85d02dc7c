//! The task worker: a web worker (built by Trunk from the `data-type="worker"` link in
//! index.html, started on first use) that holds the suggesters and the dataset exports, so the
//! app's first load carries neither and a suggestion run never blocks the page.
//!
//! It says `ready` once its handler is installed, then answers each `TaskRequest`
//! (`formats::task_messages`): a suggestion run reads a chunk of paragraphs at a time (the
//! chunks of `suggest_all`, so the results are the same), posts its progress after each and
//! yields, so that a newer run or a cancel arriving meanwhile stops it; an export answers with
//! the file's bytes. `web::task_worker` drives it from the main thread.

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::Cell;

    use crosscheck::domain::suggest::{SuggestionRun, PARAGRAPHS_PER_CHUNK};
    use crosscheck::formats::export::ExportOptions;
    use crosscheck::formats::task_messages::{
        export_file, header_json, join_project_pages, read_project, suggestion_replies, TaskReply, TaskRequest,
    };
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    thread_local! {
        /// The suggestion run that may go on (0: none); an older one stops at its next chunk.
        static CURRENT_RUN: Cell<u32> = const { Cell::new(0) };
    }

    fn scope() -> web_sys::DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(reply: &TaskReply, payload: Option<&JsValue>) {
        let message = js_sys::Array::of1(&JsValue::from_str(&header_json(reply)));
        match payload {
            // The bytes are moved to the page, not copied.
            Some(payload) => {
                message.push(payload);
                let transfer = js_sys::Array::of1(&payload.unchecked_ref::<js_sys::Uint8Array>().buffer());
                let _ = scope().post_message_with_transfer(&message, &transfer);
            }
            None => {
                let _ = scope().post_message(&message);
            }
        }
    }

    async fn suggest(id: u32, project_json: String) {
        let project = match read_project(&project_json) {
            Ok(project) => project,
            Err(message) => return post(&TaskReply::Failed { id, message }, None),
        };
        drop(project_json);
        let mut run = SuggestionRun::new(&project);
        loop {
            let progress = run.advance(PARAGRAPHS_PER_CHUNK);
            post(&TaskReply::progress(id, progress), None);
            if progress.is_complete() {
                break;
            }
            // Lets a cancel or a newer run in.
            gloo::timers::future::TimeoutFuture::new(0).await;
            if CURRENT_RUN.get() != id {
                return;
            }
        }
        for reply in suggestion_replies(id, run.finish()) {
            post(&reply, None);
        }
    }

    fn export(id: u32, format: &str, options: &ExportOptions, project_json: &str) {
        match export_file(format, options, project_json) {
            Ok(bytes) => post(&TaskReply::Exported { id }, Some(&js_sys::Uint8Array::from(bytes.as_slice()).into())),
            Err(message) => post(&TaskReply::Failed { id, message }, None),
        }
    }

    /// The pages of a list the main thread sent (`[header, base, span pages, relation pages]`).
    fn pages(message: &js_sys::Array, index: u32) -> Vec<String> {
        js_sys::Array::from(&message.get(index)).iter().filter_map(|page| page.as_string()).collect()
    }

    fn received(event: web_sys::MessageEvent) {
        let message = js_sys::Array::from(&event.data());
        let header = message.get(0).as_string().unwrap_or_default();
        let base = message.get(1).as_string().unwrap_or_default();
        let payload = match base.is_empty() {
            true => Ok(String::new()),
            false => join_project_pages(&base, &pages(&message, 2), &pages(&message, 3)),
        };
        let payload = match payload {
            Ok(payload) => payload,
            Err(message) => {
                let id = serde_json::from_str::<TaskRequest>(&header).map(|request| request.id()).unwrap_or(0);
                return post(&TaskReply::Failed { id, message }, None);
            }
        };
        match serde_json::from_str::<TaskRequest>(&header) {
            Ok(TaskRequest::Suggest { id }) => {
                CURRENT_RUN.set(id);
                wasm_bindgen_futures::spawn_local(suggest(id, payload));
            }
            Ok(TaskRequest::Cancel { id }) => {
                if CURRENT_RUN.get() == id {
                    CURRENT_RUN.set(0);
                }
            }
            Ok(TaskRequest::Export { id, format, now, neutral_ratio }) => {
                export(id, &format, &ExportOptions { now, neutral_ratio }, &payload)
            }
            Err(error) => {
                let message = format!("the task worker cannot read a request: {error}");
                post(&TaskReply::Failed { id: 0, message }, None);
            }
        }
    }

    pub fn start() {
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(received);
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let _ = scope().post_message(&JsValue::from_str("ready"));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The task worker runs in the browser, as a web worker of the Crosscheck app.");
}
