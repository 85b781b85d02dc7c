//! The menu shown when a click lands on several overlapping highlights: pick the annotation.

use yew::prelude::*;

use crate::domain::article::shorten;
use crate::domain::state::AppAction;
use crate::ui::reader::SpanClick;
use crate::ui::state::AppContext;

#[derive(Properties, PartialEq, Clone)]
pub struct SpanChooserProps {
    pub click: SpanClick,
    pub on_close: Callback<()>,
}

#[component]
pub fn SpanChooser(props: &SpanChooserProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let click = &props.click;
    let rows = click.span_ids.iter().filter_map(|id| context.project.spans().get(id)).map(|span| {
        let label = context.project.label(&span.label);
        let onclick = {
            let context = context.clone();
            let on_close = props.on_close.clone();
            let id = span.id.clone();
            Callback::from(move |_| {
                on_close.emit(());
                context.dispatch(AppAction::SelectSpan(Some(id.clone())));
            })
        };
        html! {
            <li><button type="button" data-testid="choose-span" {onclick}>
                <span class="chip" style={label.map(|label| format!("--label:{}", label.color))}>{label.map(|label| label.name.clone()).unwrap_or_default()}</span>
                {shorten(&span.text, 70)}
            </button></li>
        }
    });
    let style = crate::ui::place_at(click.at.0, click.at.1 + 12.0);
    html! {
        <div class="chooser" role="menu" aria-label="Choose an annotation" style={style}>
            <p class="chooser-title">{"Several annotations here:"}</p>
            <ul>{ for rows }</ul>
        </div>
    }
}
