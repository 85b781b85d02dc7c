//! The small toolbar that appears by a fresh selection: one button per label, with its hotkey.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::Span;
use crate::domain::article::shorten;
use crate::domain::schema::slug_with;
use crate::ui::commands::apply_label;
use crate::ui::state::{AppContext, PendingHandle};
use crate::web::strings::push_lowercase;

#[derive(Properties, PartialEq, Clone)]
pub struct TagToolbarProps {
    pub pending: PendingHandle,
    /// The open article's spans in reading order (the reader's list).
    pub article_spans: Rc<Vec<Rc<Span>>>,
}

#[component]
pub fn TagToolbar(props: &TagToolbarProps) -> Html {
    let context = use_context::<AppContext>();
    let (Some(context), Some(selection)) = (context, (*props.pending).clone()) else { return html! {} };
    let excerpt = context
        .project
        .article(&selection.article)
        .and_then(|article| article.slice(selection.start, selection.end).map(|text| shorten(text, 60)))
        .unwrap_or_default();
    let (left, top) = selection.anchor;
    let style = crate::ui::place_at(left.max(8.0), top + 8.0);
    // Keep the browser selection alive while clicking the toolbar.
    let keep_selection = Callback::from(|event: MouseEvent| event.prevent_default());
    let buttons = context.project.labels().iter().enumerate().map(|(index, label)| {
        let onclick = {
            let context = context.clone();
            let pending = props.pending.clone();
            let label_id = label.id.clone();
            let article_spans = props.article_spans.clone();
            Callback::from(move |_| apply_label(&context, &pending, &label_id, &article_spans))
        };
        let hotkey = if index < 9 { (index + 1).to_string() } else { String::new() };
        html! {
            <button
                type="button"
                class="tag-button"
                data-testid={format!("label-{}", slug_with(&label.name, push_lowercase))}
                style={format!("--label:{}", label.color)}
                title={format!("Tag as {} ({})", label.name, hotkey)}
                {onclick}
            >
                <kbd>{hotkey}</kbd>{label.name.clone()}
            </button>
        }
    });
    html! {
        <div class="tag-toolbar" role="toolbar" aria-label="Tag the selection" style={style} onmousedown={keep_selection}>
            <span class="tag-excerpt" title="The selection, snapped to whole words (hold Alt to keep it exact)">{excerpt}</span>
            { for buttons }
        </div>
    }
}
