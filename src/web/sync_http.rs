//! HTTP for team sync: JSON requests to the CouchDB server with `fetch`, the session cookie
//! sent along (`credentials: include`), and an abort handle for the long-poll.
//!
//! A request that gets no answer (server down, network gone, blocked by CORS) is status 0: the
//! caller shows *Offline* and tries again; it never panics on what the server sends.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, Response};

/// An HTTP answer: status (0: none) and its JSON (`Null` when it was not JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub json: Value,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// CouchDB's `reason` (or `error`), for messages.
    pub fn reason(&self) -> String {
        ["reason", "error"]
            .iter()
            .find_map(|key| self.json.get(key).and_then(Value::as_str))
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect()
    }

    pub(crate) fn none() -> Answer {
        Answer { status: 0, json: Value::Null }
    }
}

/// Sends `method url` with an optional JSON body; `abort` cancels it (the long-poll).
pub async fn request(method: &str, url: &str, body: Option<&Value>, abort: Option<&AbortController>) -> Answer {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::Include);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body.to_string()));
    }
    if let Some(abort) = abort {
        init.set_signal(Some(&abort.signal()));
    }
    let Ok(request) = Request::new_with_str_and_init(url, &init) else { return Answer::none() };
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    let Some(window) = web_sys::window() else { return Answer::none() };
    let Ok(response) = JsFuture::from(window.fetch_with_request(&request)).await else { return Answer::none() };
    let Ok(response) = response.dyn_into::<Response>() else { return Answer::none() };
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|text| text.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Answer { status, json: serde_json::from_str(&text).unwrap_or(Value::Null) }
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}
