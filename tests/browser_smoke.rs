//! Smoke test of the in-browser test runner: `cargo test --target wasm32-unknown-unknown`
//! (`make browser-test`) runs this in headless Chromium via wasm-bindgen-test-runner.
//! Natively the whole file is compiled out.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn utf16_offsets_match_the_browser() {
    // "🙂" is one code point but two UTF-16 code units, as the DOM counts them.
    assert_eq!(crosscheck::domain::text::char_to_utf16_offset("a🙂b", 2), 3);
    assert_eq!("a🙂".encode_utf16().count(), 3);
}

#[wasm_bindgen_test]
fn local_storage_round_trips() {
    let storage = web_sys::window()
        .expect("a window")
        .local_storage()
        .expect("localStorage is allowed")
        .expect("localStorage exists");
    let key = "crosscheck.browser_smoke";
    storage.set_item(key, "ok 🙂").expect("set_item");
    assert_eq!(storage.get_item(key).expect("get_item").as_deref(), Some("ok 🙂"));
    storage.remove_item(key).expect("remove_item");
    assert_eq!(storage.get_item(key).expect("get_item"), None);
}
