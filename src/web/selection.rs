//! DOM selection → code-point offsets: the one place where UTF-16 positions enter Crosscheck.
//!
//! The reader renders every run of text inside an element carrying `data-s`, the code-point
//! offset of the run's first character in the article; paragraphs carry `data-s` and `data-e`
//! (a paragraph not drawn with its highlights yet holds its text directly: it is its own run).
//! A DOM boundary point (node, UTF-16 offset) is converted by finding its run and counting code
//! points inside that run's text with `domain::text::utf16_to_char_offset`. Offsets never pass
//! through the DOM in any other way.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use crate::domain::text::{char_count, utf16_to_char_offset};

/// A non-empty selection inside one reader, in code points, with where to show the toolbar.
#[derive(Clone, Debug, PartialEq)]
pub struct ReaderSelection {
    pub start: usize,
    pub end: usize,
    /// Viewport coordinates of the selection's bounding box: left, top, right, bottom.
    pub rect: (f64, f64, f64, f64),
}

fn offset_attribute(element: &Element, name: &str) -> Option<usize> {
    element.get_attribute(name)?.parse().ok()
}

/// The code-point offset where `node`'s text begins.
fn start_of(node: &Node) -> Option<usize> {
    if let Some(element) = node.dyn_ref::<Element>() {
        if let Some(start) = offset_attribute(element, "data-s") {
            return Some(start);
        }
        let first = element.query_selector("[data-s]").ok()??;
        return offset_attribute(&first, "data-s");
    }
    let run = node.parent_element()?.closest("[data-s]").ok()??;
    offset_attribute(&run, "data-s")
}

/// The code-point offset just after `node`'s text.
fn end_of(node: &Node) -> Option<usize> {
    if let Some(element) = node.dyn_ref::<Element>() {
        if let Some(end) = offset_attribute(element, "data-e") {
            return Some(end);
        }
        if let Some(start) = offset_attribute(element, "data-s") {
            return Some(start + char_count(&element.text_content().unwrap_or_default()));
        }
        let runs = element.query_selector_all("[data-s]").ok()?;
        let last = runs.item(runs.length().checked_sub(1)?)?;
        return end_of(&last);
    }
    let run = node.parent_element()?.closest("[data-s]").ok()??;
    end_of(&run)
}

/// Converts a DOM boundary point to a code-point offset in the article.
pub fn boundary_to_offset(container: &Node, utf16_offset: u32) -> Option<usize> {
    if container.node_type() == Node::TEXT_NODE {
        let run_start = start_of(container)?;
        let text = container.text_content().unwrap_or_default();
        return Some(run_start + utf16_to_char_offset(&text, utf16_offset as usize));
    }
    let children = container.child_nodes();
    match children.item(utf16_offset) {
        Some(child) => start_of(&child).or_else(|| end_of(container)),
        None => end_of(container),
    }
}

/// Reads the window's selection if it is non-empty and lies inside `reader`.
pub fn read_selection(reader: &Element) -> Option<ReaderSelection> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let start_container = range.start_container().ok()?;
    let end_container = range.end_container().ok()?;
    if !reader.contains(Some(&start_container)) || !reader.contains(Some(&end_container)) {
        return None;
    }
    let start = boundary_to_offset(&start_container, range.start_offset().ok()?)?;
    let end = boundary_to_offset(&end_container, range.end_offset().ok()?)?;
    if start >= end {
        return None;
    }
    let bounds = range.get_bounding_client_rect();
    Some(ReaderSelection { start, end, rect: (bounds.left(), bounds.top(), bounds.right(), bounds.bottom()) })
}

/// Empties the window's selection.
pub fn clear_selection() {
    if let Some(Ok(Some(selection))) = web_sys::window().map(|window| window.get_selection()) {
        let _ = selection.remove_all_ranges();
    }
}
