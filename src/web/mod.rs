//! The browser edge: the only code that touches `localStorage`, the DOM selection, files,
//! downloads and frame scheduling. Each module is small, converts browser data into domain values once, and reports
//! failures as values the UI can show.

pub mod clock;
pub mod download;
pub mod files;
pub mod html_text;
pub mod idb;
pub mod layout_worker;
pub mod migration;
pub mod pan_zoom;
pub mod panic;
pub mod picture_dom;
pub mod sample_corpus;
pub mod schedule;
pub mod selection;
pub mod split_module;
pub mod storage;
pub mod strings;
pub mod sync;
pub mod sync_apply;
pub mod sync_http;
pub mod sync_run;
pub mod sync_store;
pub mod task_worker;
pub mod user_timing;
pub mod worker_channel;
