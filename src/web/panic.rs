//! The panic hook: instead of a dead page, an overlay that offers the saved data as a download.
//!
//! The release build aborts on panic, so after the hook returns no Rust code runs again. The
//! overlay is therefore plain DOM with a `blob:` download link and a reload link: nothing in it
//! needs the wasm instance. Before building it the hook asks the app to flush a pending save, so
//! the download holds every change made before the failure.

use std::cell::RefCell;

use wasm_bindgen::JsCast;

use crate::web::storage;

thread_local! {
    /// Set by the app: writes any not-yet-saved change to storage.
    static FLUSH: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Registers the function the panic hook calls to save pending changes.
pub fn set_flush(flush: impl Fn() + 'static) {
    FLUSH.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(Box::new(flush));
        }
    });
}

/// Installs the hook through Yew, which would otherwise replace it with its own when rendering.
/// A documented diagnostic: opening the app with `#crosscheck-panic-test` makes it fail on purpose
/// a moment after start-up has read the stored project, to check that the recovery overlay works
/// (and offers that project) in this browser.
pub fn run_requested_panic_test() {
    let hash = web_sys::window().and_then(|window| window.location().hash().ok()).unwrap_or_default();
    if hash == "#crosscheck-panic-test" {
        crate::web::schedule::after_ms(300, || panic!("panic test requested with #crosscheck-panic-test"));
    }
}

pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Crosscheck stopped: {info}").into());
        FLUSH.with(|slot| {
            if let Ok(slot) = slot.try_borrow() {
                if let Some(flush) = slot.as_ref() {
                    flush();
                }
            }
        });
        show_overlay(&info.to_string());
    }));
}

fn show_overlay(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let overlay = document.create_element("div").ok()?;
    overlay.set_attribute("class", "panic-overlay").ok()?;
    overlay.set_attribute("role", "alertdialog").ok()?;
    overlay.set_attribute("data-testid", "panic-overlay").ok()?;
    let panel = document.create_element("div").ok()?;
    panel.set_attribute("class", "panic-panel").ok()?;
    let title = document.create_element("h2").ok()?;
    title.set_text_content(Some("Crosscheck hit an internal error and stopped."));
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(
        "Your work up to the last change is saved in this browser. Download it now to be safe, then reload.",
    ));
    let detail = document.create_element("pre").ok()?;
    detail.set_text_content(Some(message));
    panel.append_child(&title).ok()?;
    panel.append_child(&text).ok()?;
    if let Some(raw) = storage::raw_project() {
        let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&raw));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        link.set_href(&web_sys::Url::create_object_url_with_blob(&blob).ok()?);
        link.set_download("crosscheck-recovered-project.json");
        link.set_text_content(Some("Download your data"));
        link.set_attribute("class", "panic-button").ok()?;
        link.set_attribute("data-testid", "panic-download").ok()?;
        panel.append_child(&link).ok()?;
    }
    let reload: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    reload.set_href(&web_sys::window()?.location().href().ok()?);
    reload.set_text_content(Some("Reload"));
    reload.set_attribute("class", "panic-button secondary").ok()?;
    panel.append_child(&reload).ok()?;
    panel.append_child(&detail).ok()?;
    overlay.append_child(&panel).ok()?;
    body.append_child(&overlay).ok()?;
    Some(())
}
