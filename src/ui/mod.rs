//! Yew function components, one per file: a thin shell over `domain::state::AppState`.
//!
//! `app` owns the one reducer and the browser effects (autosave, keyboard); the other components
//! read the state from context or props and dispatch `AppAction`s. Paragraphs in the reader take
//! only props, so that an edit re-renders only the paragraphs whose spans changed.

pub mod adjudicate;
pub mod agreement;
pub mod app;
pub mod article_header;
pub mod article_list;
pub mod autosave;
pub mod boot;
pub mod claim_graph;
pub mod commands;
pub mod compare;
pub mod dialog;
pub mod editing;
pub mod export_menu;
pub mod graph_picture;
pub mod graph_prepare;
pub mod header;
pub mod highlight;
pub mod import;
pub mod import_export;
pub mod keyboard;
pub mod layer_import;
pub mod lazy_view;
pub mod notice_bar;
pub mod paragraph;
pub mod paste_dialog;
pub mod reader;
pub mod settings;
pub mod shortcut_sheet;
pub mod side_panel;
pub mod side_tabs;
pub mod span_chooser;
pub mod span_editor;
pub mod state;
pub mod storage_banner;
pub mod story_matrix;
pub mod suggestions;
pub mod tag_toolbar;
pub mod take_over;
pub mod team;

/// `left:…px;top:…px`, a floating box's place in whole pixels: printed as integers, for
/// formatting an `f64` brings core's float printer into the first load.
pub fn place_at(left: f64, top: f64) -> String {
    format!("left:{}px;top:{}px", left.round() as i64, top.round() as i64)
}
