//! Strings the reader hands to the DOM thousands of times, kept as JavaScript strings.
//!
//! Every `&str` wasm passes to JavaScript is decoded from UTF-8 anew (`TextDecoder.decode`, about
//! a microsecond each), unless it was interned: with wasm-bindgen's `enable-interning` feature
//! an interned string crosses as the JavaScript string made once. Yew interns every attribute
//! name; these are the attribute values the reader repeats most (in the 100 ms after a click on
//! the benchmark's 520-paragraph article, as its paragraphs are filled in: `class="para"` 520
//! times, `data-testid="highlight"` once per highlight drawn).

/// Interns the values; called once at start-up.
pub fn intern_common() {
    for value in ["para", "highlight"] {
        wasm_bindgen::intern(value);
    }
}
