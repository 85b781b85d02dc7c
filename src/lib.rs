//! Crosscheck: read news articles side by side, tag claims and quotes, link contradictions
//! across articles, and export labeled datasets — all in the browser.
//!
//! - `domain`: the pure model (articles, spans, relations, edits, undo, app state).
//! - `formats`: pure import and export (project JSON with migrations, datasets).
//! - `web`: the browser edge (storage, selection offsets, files, downloads); wasm32 only.
//! - `ui`: Yew function components, one per file; wasm32 only.

pub mod domain;
pub mod formats;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;

// Talc instead of Rust's default dlmalloc for every wasm binary (the app and its workers): it
// is smaller (2 KiB less of the first load, brotli, and 3.6 KiB less of the workers), and a
// reload's build of ~12,000 stored documents, allocation-heavy, takes no longer with it.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
