//! DOM helpers of the reader: what is under a click, scrolling a highlight into view, focus.

use wasm_bindgen::JsCast;

use crate::domain::annotation::SpanId;
use crate::domain::ids::SuggestionKey;

pub(super) fn suggestion_under(target: Option<web_sys::EventTarget>) -> Option<SuggestionKey> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    let run = element.closest("[data-suggestion-keys]").ok()??;
    run.get_attribute("data-suggestion-keys")?.split_whitespace().last().map(SuggestionKey::from)
}

pub(super) fn spans_under(target: Option<web_sys::EventTarget>) -> Option<Vec<SpanId>> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    let mark = element.closest("mark[data-span-ids]").ok()??;
    let ids = mark.get_attribute("data-span-ids")?;
    Some(ids.split_whitespace().map(SpanId::from).collect())
}

/// Scrolls the first highlight of `span` inside `container` into view (if not visible).
pub fn scroll_span_into_view(container: &web_sys::Element, span: &SpanId) {
    scroll_run_into_view(container, "data-span-ids", span.as_str());
}

/// `text` as a CSS string literal (in double quotes), for an attribute selector.
pub(crate) fn css_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(character);
            }
            control if control.is_control() => quoted.push_str(&format!("\\{:x} ", control as u32)),
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// Scrolls the first element whose whitespace-separated `attribute` lists `id` into view, unless
/// it is already visible. The browser finds it (`[attribute~="id"]`): with 10,000 highlights,
/// reading every mark's attribute from wasm would cost a frame or more.
pub(super) fn scroll_run_into_view(container: &web_sys::Element, attribute: &str, id: &str) {
    let selector = format!("[{attribute}~={}]", css_string(id));
    let Ok(Some(mark)) = container.query_selector(&selector) else { return };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    options.set_behavior(web_sys::ScrollBehavior::Instant);
    let rect = mark.get_bounding_client_rect();
    let viewport = gloo::utils::window().inner_height().ok().and_then(|height| height.as_f64()).unwrap_or(800.0);
    if rect.top() < 80.0 || rect.bottom() > viewport - 40.0 {
        mark.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Takes focus out of a form field, as pressing the mouse in the text does, so that the hotkeys
/// that follow a selection reach the app instead of the field.
pub(super) fn leave_form_field() {
    let active = gloo::utils::document().active_element();
    if let Some(element) = active.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        if matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
            let _ = element.blur();
        }
    }
}
