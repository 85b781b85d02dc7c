//! The modal sheet that settings and the shortcut list open in: a dimmed overlay that closes on
//! a click outside, a titled `role="dialog"` panel and a close button.

use yew::prelude::*;

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
    let close = props.on_close.reform(|_| ());
    let stop = Callback::from(|event: MouseEvent| event.stop_propagation());
    let title_id = format!("{}-title", props.testid);
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class={classes!("sheet", props.class.clone())} role="dialog" aria-modal="true" aria-labelledby={title_id.clone()} data-testid={props.testid.clone()} onclick={stop}>
                <div class="sheet-head">
                    <h2 id={title_id}>{props.title.clone()}</h2>
                    <button type="button" class="dismiss" onclick={close} aria-label="Close">{"×"}</button>
                </div>
                { props.children.clone() }
            </div>
        </div>
    }
}
