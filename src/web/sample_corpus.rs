//! The sample articles a first start opens, fetched from `corpus/` beside the app (Trunk copies
//! `assets/corpus/` there): only a browser without a stored project needs their text, so the
//! main wasm does not carry it.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use crate::domain::article::Article;
use crate::domain::corpus::{sample_articles, DEFAULT_CORPUS_NAMES};
use crate::formats::stored::journal::split_joined;

/// The five default articles, or why they could not be fetched (for a notice: the app then
/// opens with no articles, and an import works as ever). `js/early_texts.js` has usually fetched
/// them while the app downloaded; if it has not, or failed, they are fetched here.
pub async fn fetch_default_articles() -> Result<Vec<Article>, String> {
    let window = web_sys::window().ok_or("no window")?;
    if let Some(files) = early_files(&window).await {
        return Ok(sample_articles(files.iter().map(|(_, text)| text.as_str())));
    }
    // All five requests are made before the first answer is awaited.
    let requests: Vec<JsFuture> = DEFAULT_CORPUS_NAMES
        .iter()
        .map(|name| JsFuture::from(window.fetch_with_str(&format!("corpus/{name}"))))
        .collect();
    let mut texts = Vec::with_capacity(requests.len());
    for (name, request) in DEFAULT_CORPUS_NAMES.iter().zip(requests) {
        texts.push(fetch_text(name, request).await?);
    }
    Ok(sample_articles(texts.iter().map(String::as_str)))
}

/// What `js/early_texts.js` fetched (`window.crosscheckSamples`, taken once): the files, if it
/// got every one of `DEFAULT_CORPUS_NAMES`, in order.
async fn early_files(window: &web_sys::Window) -> Option<Vec<(String, String)>> {
    let key = wasm_bindgen::JsValue::from_str("crosscheckSamples");
    let promise = js_sys::Reflect::get(window, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(window, &key);
    let files = split_joined(&JsFuture::from(promise).await.ok()?.as_string()?);
    files.iter().map(|(name, _)| name.as_str()).eq(DEFAULT_CORPUS_NAMES).then_some(files)
}

async fn fetch_text(name: &str, request: JsFuture) -> Result<String, String> {
    let response = request.await.map_err(|_| format!("{name}: no answer from the server"))?;
    let response = response.dyn_into::<Response>().map_err(|_| format!("{name}: not an HTTP answer"))?;
    if !response.ok() {
        return Err(format!("{name}: HTTP {}", response.status()));
    }
    let text = response.text().map_err(|_| format!("{name}: unreadable answer"))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| format!("{name}: unreadable answer"))
}
