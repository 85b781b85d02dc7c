//! The modal sheet that settings, the shortcut list and other dialogs open in: a dimmed overlay
//! that closes on a click outside, a titled `role="dialog"` panel and a close button.
//!
//! It follows the WAI-ARIA dialog pattern: focus moves into the dialog when it opens (to its
//! first field, else the close button), `Tab` and `Shift+Tab` cycle inside it, `Escape` closes
//! it, and focus returns to what had it before (the button that opened it). Keys pressed inside
//! do not reach the app's hotkeys behind it.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

const FOCUSABLE: &str =
    "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// The dialog's focusable elements, in document order.
fn focusables(panel: &NodeRef) -> Vec<HtmlElement> {
    let Some(panel) = panel.cast::<web_sys::Element>() else { return Vec::new() };
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..list.length()).filter_map(|index| list.item(index)?.dyn_into::<HtmlElement>().ok()).collect()
}

/// Keeps `Tab` inside the dialog: from the last element to the first, and back with `Shift`.
fn keep_tab_inside(panel: &NodeRef, event: &KeyboardEvent) {
    let elements = focusables(panel);
    let (Some(first), Some(last)) = (elements.first(), elements.last()) else { return };
    let active = gloo::utils::document().active_element();
    let is = |element: &HtmlElement| {
        active.as_ref().is_some_and(|active| active == element.unchecked_ref::<web_sys::Element>())
    };
    let inside = elements.iter().any(is);
    let target = match (event.shift_key(), inside) {
        (true, true) if is(first) => last,
        (false, true) if is(last) => first,
        (_, false) => first,
        _ => return,
    };
    event.prevent_default();
    let _ = target.focus();
}

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub title: AttrValue,
    /// The panel's `data-testid`; the title's id is derived from it.
    pub testid: AttrValue,
    /// Extra classes for the panel, after `sheet`.
    #[prop_or_default]
    pub class: Classes,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with((), move |_| {
            let before =
                gloo::utils::document().active_element().and_then(|element| element.dyn_into::<HtmlElement>().ok());
            let elements = focusables(&panel);
            let first_field = elements
                .iter()
                .find(|element| !element.class_name().split_whitespace().any(|class| class == "dismiss"));
            if let Some(element) = first_field.or(elements.first()) {
                let _ = element.focus();
            }
            move || {
                if let Some(element) = before.filter(|element| element.is_connected()) {
                    let _ = element.focus();
                }
            }
        });
    }
    let close = props.on_close.reform(|_| ());
    let stop = Callback::from(|event: MouseEvent| event.stop_propagation());
    let onkeydown = {
        let on_close = props.on_close.clone();
        let panel = panel.clone();
        Callback::from(move |event: KeyboardEvent| {
            match event.key().as_str() {
                "Escape" => {
                    event.prevent_default();
                    on_close.emit(());
                }
                "Tab" => keep_tab_inside(&panel, &event),
                _ => {}
            }
            // A modal dialog: the app's hotkeys behind it do not see its keys.
            event.stop_propagation();
        })
    };
    let title_id = format!("{}-title", props.testid);
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div ref={panel} class={classes!("sheet", props.class.clone())} role="dialog" aria-modal="true" aria-labelledby={title_id.clone()} data-testid={props.testid.clone()} onclick={stop} {onkeydown}>
                <div class="sheet-head">
                    <h2 id={title_id}>{props.title.clone()}</h2>
                    <button type="button" class="dismiss" onclick={close} aria-label="Close">{"×"}</button>
                </div>
                { props.children.clone() }
            </div>
        </div>
    }
}
