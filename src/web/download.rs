//! Saving bytes as a file download through a Blob URL.

use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `file_name`. Returns a message on failure.
pub fn download_bytes(file_name: &str, mime_type: &str, bytes: &[u8]) -> Result<(), String> {
    let describe = |error: wasm_bindgen::JsValue| format!("download failed: {error:?}");
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = gloo::utils::document();
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(describe)?.dyn_into().map_err(|_| "no anchor".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_attribute("hidden", "").map_err(describe)?;
    let body = document.body().ok_or("no document body")?;
    body.append_child(&anchor).map_err(describe)?;
    anchor.click();
    anchor.remove();
    // Revoke later: revoking at once can cancel the download in some browsers.
    crate::web::schedule::after_ms(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}
