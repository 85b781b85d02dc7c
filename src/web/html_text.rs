//! Article text and metadata out of a saved web page, with the browser's own `DOMParser`.
//!
//! The extractor (`js/extract/extract.js`: Mozilla Readability plus a metadata reader) is a
//! JavaScript module loaded on first use with a dynamic `import()`, so the app's first load does
//! not carry it. The page's bytes are decoded by their declared charset with `TextDecoder`, its
//! `on…=` attributes defused, and the parsed document is inert (scripts in it never run, images
//! never load) and never inserted into the page: only strings come out.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::domain::article::Article;
use crate::formats::import_plan::{FileOutcome, Incoming};
use crate::formats::upload::defuse_event_handlers;
use crate::formats::web_page::{article_from_extracted, Extracted, WebPage};

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    /// `import(url)`: a promise of the module's namespace object.
    fn import_module(url: &str) -> Promise;
}

/// The extractor module's path, relative to the page (Trunk copies `js/extract` there).
const EXTRACTOR_PATH: &str = "extract/extract.js";

thread_local! {
    static EXTRACTOR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// The extractor module, imported on the first call and kept.
async fn extractor() -> Result<JsValue, String> {
    if let Some(module) = EXTRACTOR.with(|cell| cell.borrow().clone()) {
        return Ok(module);
    }
    let base = gloo::utils::document().base_uri().ok().flatten().unwrap_or_default();
    let url = web_sys::Url::new_with_base(EXTRACTOR_PATH, &base)
        .map(|url| url.href())
        .unwrap_or_else(|_| EXTRACTOR_PATH.to_string());
    let module = JsFuture::from(import_module(&url))
        .await
        .map_err(|error| format!("the article extractor could not be loaded ({})", describe(&error)))?;
    EXTRACTOR.with(|cell| *cell.borrow_mut() = Some(module.clone()));
    Ok(module)
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Decodes `page` by its charset; an unknown label or malformed bytes never fail (U+FFFD).
pub fn decode(page: &WebPage) -> String {
    let decoder = web_sys::TextDecoder::new_with_label(&page.charset).or_else(|_| web_sys::TextDecoder::new());
    decoder
        .ok()
        .and_then(|decoder| decoder.decode_with_u8_array(&page.bytes).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(&page.bytes).into_owned())
}

fn string_at(object: &JsValue, key: &str) -> String {
    Reflect::get(object, &JsValue::from_str(key)).ok().and_then(|value| value.as_string()).unwrap_or_default()
}

fn strings_at(object: &JsValue, key: &str) -> Vec<String> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(Array::is_array)
        .map(|value| Array::from(&value).iter().filter_map(|item| item.as_string()).collect())
        .unwrap_or_default()
}

/// What the extractor says about `html`: the article, or why there is none and the whole text.
pub enum Extraction {
    Article(Extracted),
    NoArticle { reason: String, title: String, whole_text: String },
}

/// Runs the extractor on a decoded page.
pub async fn extract_html(html: &str, base_url: &str) -> Result<Extraction, String> {
    run_extractor("extractArticle", html, base_url).await
}

/// Runs the extractor on HTML pasted from a browser: a whole page or a selection of it.
pub async fn extract_pasted(html: &str) -> Result<Extraction, String> {
    run_extractor("extractPasted", html, "").await
}

async fn run_extractor(name: &str, html: &str, base_url: &str) -> Result<Extraction, String> {
    let module = extractor().await?;
    let function: Function = Reflect::get(&module, &JsValue::from_str(name))
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or_else(|| format!("the article extractor is incomplete (no {name})"))?;
    let html = defuse_event_handlers(html);
    let result = function
        .call2(&JsValue::NULL, &JsValue::from_str(&html), &JsValue::from_str(base_url))
        .map_err(|error| format!("the page could not be read ({})", describe(&error)))?;
    let ok = Reflect::get(&result, &JsValue::from_str("ok")).ok().and_then(|value| value.as_bool()).unwrap_or(false);
    if !ok {
        return Ok(Extraction::NoArticle {
            reason: string_at(&result, "reason"),
            title: string_at(&result, "title"),
            whole_text: string_at(&result, "wholeText"),
        });
    }
    let metadata = Reflect::get(&result, &JsValue::from_str("metadata")).unwrap_or(JsValue::UNDEFINED);
    Ok(Extraction::Article(Extracted {
        title: string_at(&result, "title"),
        text: string_at(&result, "text"),
        authors: strings_at(&metadata, "authors"),
        site_name: string_at(&metadata, "siteName"),
        published: string_at(&metadata, "published"),
        modified: string_at(&metadata, "modified"),
        canonical_url: string_at(&metadata, "canonicalUrl"),
        language: string_at(&metadata, "language"),
        direction: string_at(&metadata, "direction"),
        description: string_at(&metadata, "description"),
    }))
}

/// Extracts the article of `page`, saved as `file_name`, into what the import plan takes.
pub async fn import_web_page(file_name: &str, page: &WebPage) -> FileOutcome {
    let html = decode(page);
    match extract_html(&html, &page.base_url).await {
        Ok(Extraction::Article(extracted)) => FileOutcome::ok(
            file_name,
            Incoming::Articles(vec![article_from_extracted(file_name, &page.base_url, &extracted)]),
        ),
        Ok(Extraction::NoArticle { reason, title, whole_text }) => {
            let mut outcome =
                FileOutcome::failed(file_name, format!("{reason}; you can import the whole page's text instead"));
            if !whole_text.trim().is_empty() {
                outcome.whole_page = Some(Article::new(&whole_text, &title, file_name));
            } else {
                outcome.result = Err("the page has no text".to_string());
            }
            outcome
        }
        Err(why) => FileOutcome::failed(file_name, why),
    }
}
