//! The pure core: articles, schemas, spans, relations, edits, history and app state.
//!
//! Nothing here imports yew, web-sys, gloo or wasm-bindgen (on the native target those crates
//! are not even dependencies, so such an import fails to compile, and `scripts/check-purity.sh`
//! checks the wasm build too). Everything is tested with plain `cargo test`.

pub mod adjudication;
pub mod agreement;
pub mod annotation;
pub mod annotators;
pub mod article;
pub mod article_metadata;
pub mod article_order;
pub mod attributes;
pub mod corpus;
pub mod graph;
pub mod history;
pub mod ids;
pub mod import_report;
pub mod layers;
pub mod merge;
pub mod paragraph_buckets;
pub mod project;
pub mod reader_window;
pub mod schema;
pub mod segments;
pub mod sentences;
pub mod shared_map;
pub mod sorting;
pub mod span_text;
pub mod state;
pub mod story;
pub mod suggest;
pub mod text;
