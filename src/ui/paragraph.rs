//! One paragraph of the reader: plain runs and highlighted runs, each carrying its offset.
//!
//! Every run is an element with `data-s` (its first code point in the article) holding one text
//! node; `web::selection` relies on exactly that. Highlighted runs are `<mark>`s listing the
//! spans that cover them. Props compare cheaply (`Rc` pointers first), so a paragraph re-renders
//! only when its own spans, selection or link counts change.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::{Article, Paragraph};
use crate::domain::segments::segment_paragraph;
use crate::ui::highlight::{run_style, LabelColors};

#[derive(Properties, PartialEq)]
pub struct ParagraphProps {
    pub article: Rc<Article>,
    pub paragraph: Paragraph,
    /// The spans touching this paragraph, sorted by start.
    pub spans: Rc<[Rc<Span>]>,
    pub colors: Rc<LabelColors>,
    /// The selected span, only when it touches this paragraph.
    pub selected: Option<SpanId>,
    /// Link counts of the spans touching this paragraph that have links.
    pub link_counts: Rc<[(SpanId, usize)]>,
}

#[component]
pub fn ParagraphView(props: &ParagraphProps) -> Html {
    let segments = segment_paragraph(props.paragraph, &props.spans);
    let runs = segments.iter().map(|segment| {
        let text = props.article.slice(segment.start, segment.end).unwrap_or_default().to_string();
        if segment.spans.is_empty() {
            return html! { <span data-s={segment.start.to_string()}>{text}</span> };
        }
        let ids: Vec<&str> = segment.spans.iter().map(|span| span.id.as_str()).collect();
        let selected =
            props.selected.as_ref().is_some_and(|selected| segment.spans.iter().any(|span| &span.id == selected));
        let ending_link_count = segment
            .spans
            .iter()
            .rev()
            .filter(|span| span.end == segment.end)
            .find_map(|span| props.link_counts.iter().find(|(id, _)| id == &span.id).map(|(_, count)| *count));
        let class = classes!(
            "hl",
            format!("depth-{}", segment.spans.len().min(4)),
            selected.then_some("selected"),
            ending_link_count.map(|_| "linked")
        );
        html! {
            <mark
                data-testid="highlight"
                data-s={segment.start.to_string()}
                data-span-ids={ids.join(" ")}
                data-links={ending_link_count.map(|count| count.to_string())}
                class={class}
                style={run_style(&segment.spans, &props.colors)}
            >{text}</mark>
        }
    });
    html! {
        <p class="para" data-s={props.paragraph.start.to_string()} data-e={props.paragraph.end.to_string()}>
            { for runs }
        </p>
    }
}
