//! The sample articles a first start opens, fetched from `corpus/` beside the app (Trunk copies
//! `assets/corpus/` there): only a browser without a stored project needs their text, so the
//! main wasm does not carry it.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use crate::domain::article::Article;
use crate::domain::corpus::{articles_from_files, DEFAULT_CORPUS_NAMES};

/// The five default articles, or why they could not be fetched (for a notice: the app then
/// opens with no articles, and an import works as ever).
pub async fn fetch_default_articles() -> Result<Vec<Article>, String> {
    let window = web_sys::window().ok_or("no window")?;
    // All five requests are made before the first answer is awaited.
    let requests: Vec<JsFuture> = DEFAULT_CORPUS_NAMES
        .iter()
        .map(|name| JsFuture::from(window.fetch_with_str(&format!("corpus/{name}"))))
        .collect();
    let mut texts = Vec::with_capacity(requests.len());
    for (name, request) in DEFAULT_CORPUS_NAMES.iter().zip(requests) {
        texts.push(fetch_text(name, request).await?);
    }
    Ok(articles_from_files(DEFAULT_CORPUS_NAMES.iter().copied().zip(texts.iter().map(String::as_str))))
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
