//! Strings the reader hands to the DOM thousands of times, kept as JavaScript strings; and
//! lower-casing by the browser's case tables.
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

/// Pushes `character` lower-cased as `char::to_lowercase` does (the full Unicode mapping, with
/// no context: `Σ` is `σ`, `İ` is `i̇`), by the browser's `toLowerCase` of that one character,
/// so that the main wasm carries no case tables (the tag toolbar's label slugs, the one place
/// its first load lower-cases text that is not ASCII).
pub fn push_lowercase(character: char, into: &mut String) {
    if character.is_ascii() {
        into.push(character.to_ascii_lowercase());
        return;
    }
    let mut buffer = [0u8; 4];
    let lowered = js_sys::JsString::from(&*character.encode_utf8(&mut buffer)).to_lower_case();
    into.push_str(&String::from(lowered));
}
