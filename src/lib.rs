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
