//! The browser edge: the only code that touches `localStorage`, the DOM selection, files and
//! downloads. Each module is small, converts browser data into domain values once, and reports
//! failures as values the UI can show.

pub mod clock;
pub mod download;
pub mod files;
pub mod html_text;
pub mod idb;
pub mod panic;
pub mod selection;
pub mod storage;
pub mod sync;
pub mod sync_http;
pub mod sync_run;
