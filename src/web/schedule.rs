//! Running work at the right moment of the browser's frame: at the start of the next frame (to
//! read geometry once), after the frame that shows an edit has been painted, in a task of its
//! own soon (long work cut into pieces), when the page is idle, or well after the first paint
//! (freeing what a load read).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen(module = "/js/local_store.js")]
extern "C" {
    #[wasm_bindgen(js_name = next_task)]
    fn next_task_promise() -> js_sys::Promise;
}

/// Gives the browser its thread back and goes on in a task of its own, soon (a message, not a
/// 0 ms timer: Chromium holds nested timers back 4 ms each, which over hundreds of slices of a
/// large pull added up to seconds).
pub async fn next_task() {
    let _ = wasm_bindgen_futures::JsFuture::from(next_task_promise()).await;
}

/// Runs `job` at the start of the next frame. Reading geometry there (to scroll a highlight into
/// view) lays the page out once, as the frame would anyway, instead of forcing an extra layout in
/// the middle of the render that follows an edit.
pub fn at_next_frame(job: impl FnOnce() + 'static) {
    at_next_frame_boxed(Box::new(job));
}

// The `_boxed` functions hold the closure and timer machinery once for every caller: generic,
// it was instantiated again for each of the ~20 jobs (a few KB of the first load's wasm).
fn at_next_frame_boxed(job: Box<dyn FnOnce()>) {
    let frame = wasm_bindgen::closure::Closure::once_into_js(job);
    let _ = gloo::utils::window().request_animation_frame(frame.unchecked_ref());
}

/// Runs `job` when the page is idle (`requestIdleCallback`, at most `timeout_ms` later), or after
/// a 0 ms timer where the browser has no idle callbacks.
pub fn when_idle(timeout_ms: u32, job: impl FnOnce() + 'static) {
    when_idle_boxed(timeout_ms, Box::new(job));
}

fn when_idle_boxed(timeout_ms: u32, job: Box<dyn FnOnce()>) {
    let window = gloo::utils::window();
    let idle = js_sys::Reflect::get(&window, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Function>().ok());
    let callback = wasm_bindgen::closure::Closure::once_into_js(job);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("timeout"), &JsValue::from(timeout_ms));
    let asked = idle.map(|idle| idle.call2(&window, &callback, &options));
    if !matches!(asked, Some(Ok(_))) {
        let _ = window.set_timeout_with_callback(callback.unchecked_ref());
    }
}

/// Runs `job` in a task after the next frame has been rendered: for updates that are not worth
/// delaying the frame that shows an edit. The timer waits 1 ms rather than 0 so that the job
/// queues behind the tasks posted while that frame was produced (Chromium ran a 0 ms timer set
/// in `requestAnimationFrame` before them, and the header's warning count takes 10–15 ms on a
/// 10,000-span project: `make bench` saw tag-to-paint drop from 27 to 18 ms median).
pub fn after_next_paint(job: impl FnOnce() + 'static) {
    after_next_paint_boxed(Box::new(job));
}

fn after_next_paint_boxed(job: Box<dyn FnOnce()>) {
    at_next_frame_boxed(Box::new(move || after_ms_boxed(1, job)));
}

/// Runs `job` in a task of its own `delay_ms` from now (`setTimeout`). Use it rather than
/// `gloo`'s `Timeout::forget`, which keeps its JavaScript function alive for the rest of the page
/// (~160 bytes each: 17 per tag and undo grew the JS heap by 4 MB, the page by 9.7 %, over 1,000
/// of them); this one is freed once it has run.
pub fn after_ms(delay_ms: i32, job: impl FnOnce() + 'static) {
    after_ms_boxed(delay_ms, Box::new(job));
}

fn after_ms_boxed(delay_ms: i32, job: Box<dyn FnOnce()>) {
    let job = wasm_bindgen::closure::Closure::once_into_js(job);
    let _ = gloo::utils::window().set_timeout_with_callback_and_timeout_and_arguments_0(job.unchecked_ref(), delay_ms);
}

/// Frees `value` after the next frame has been rendered ([`after_next_paint`]): what an edit
/// replaced and may be the last holder of (a 10,000-span list or map) is not freed inside the
/// render that the edit's frame waits for.
pub fn drop_after_paint<T: 'static>(value: T) {
    after_next_paint(move || drop(value));
}

/// How long after it is handed over [`drop_later`] frees a value.
const DROP_LATER_MS: i32 = 1000;

/// Frees `value` in a task of its own a second from now instead of in the current one: what a
/// load read and no longer needs (12,000 stored documents, 24,000 strings: ~8 % of a reload's
/// build) is freed after the project is on screen, not before.
pub fn drop_later<T: 'static>(value: T) {
    drop_later_boxed(Box::new(move || drop(value)));
}

fn drop_later_boxed(job: Box<dyn FnOnce()>) {
    after_ms_boxed(DROP_LATER_MS, job);
}
