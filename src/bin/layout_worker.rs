//! The graph picture's layout worker: a web worker (built by Trunk from the `data-type="worker"`
//! link in index.html) that runs `domain::story::forces` off the main thread.
//!
//! It says `ready` once its handler is installed (messages posted before that would be lost),
//! then answers each message, a `LayoutRequest` in JSON, with a `LayoutReply` in JSON. Only
//! fjadra, serde_json and this glue are in its WebAssembly; `web::layout_worker` drives it.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let reply = crosscheck::domain::story::forces::answer(&request);
        let _ = replies.post_message(&JsValue::from_str(&reply));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The layout worker runs in the browser, as a web worker of the Crosscheck app.");
}
