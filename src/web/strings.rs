//! Strings the reader hands to the DOM thousands of times, kept as JavaScript strings.
//!
//! Every `&str` wasm passes to JavaScript is decoded from UTF-8 anew (`TextDecoder.decode`, about
//! a microsecond each), unless it was interned: with wasm-bindgen's `enable-interning` feature
//! an interned string crosses as the JavaScript string made once. Yew interns every attribute
//! name; these are the attribute values a switch to a long article repeats most (measured on the
//! benchmark's 520-paragraph article: `class="para"` 520 times, `data-testid="highlight"` once
//! per highlight in view).

/// Interns the values; called once at start-up.
pub fn intern_common() {
    for value in ["para", "highlight"] {
        wasm_bindgen::intern(value);
    }
}
