//! One paragraph of the reader: plain runs and highlighted runs, each carrying its offset.
//!
//! Every run is an element with `data-s` (its first code point in the article) holding one text
//! node; `web::selection` relies on exactly that (a paragraph not drawn yet, `ui::reader::block`,
//! is one such run itself). Highlighted runs are `<mark>`s listing the
//! spans that cover them. Props compare cheaply (`Rc` pointers first), so a paragraph re-renders
//! only when its own spans, selection or link counts change; its runs are keyed by their start,
//! so a tag that cuts one run in three creates those and leaves the runs after them as they are
//! (unkeyed, every later run took the next one's attributes and text: ~120 DOM writes a tag in
//! a busy paragraph).

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::{Article, Paragraph};
use crate::domain::ids::SuggestionKey;
use crate::domain::segments::segment_paragraph;
use crate::domain::suggest::SuggestedSpan;
use crate::ui::highlight::{run_look, LabelColors};

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
    /// The open span suggestions touching this paragraph, drawn dashed.
    #[prop_or_else(|| Rc::from(Vec::new()))]
    pub suggestions: Rc<[Rc<SuggestedSpan>]>,
    #[prop_or_default]
    pub selected_suggestion: Option<SuggestionKey>,
}

/// A run of plain text starting at code point `start`: the element `web::selection` counts from.
fn plain_run(start: usize, text: String) -> Html {
    let start = run_start(start);
    html! { <span key={start.clone()} data-s={start}>{text}</span> }
}

/// A run's start as its key and its `data-s` (one string for both).
fn run_start(start: usize) -> Rc<str> {
    Rc::from(start.to_string())
}

/// The runs of `start..end` (one segment of real highlights), cut again by suggestions: plain
/// text when no suggestion covers it, else a dashed `data-testid="suggestion"` run. Code of the
/// suggestions module (`ui::suggestions::SuggestionCode`): a paragraph has suggestions only after
/// a run.
pub fn suggestion_runs(props: &ParagraphProps, start: usize, end: usize) -> Vec<Html> {
    segment_paragraph(Paragraph { start, end }, &props.suggestions)
        .into_iter()
        .map(|run| {
            let text = props.article.slice(run.start, run.end).unwrap_or_default().to_string();
            if run.spans.is_empty() {
                return plain_run(run.start, text);
            }
            let keys: Vec<&str> = run.spans.iter().map(|span| span.key.as_str()).collect();
            let selected = props.selected_suggestion.as_ref().is_some_and(|key| keys.contains(&key.as_str()));
            let kind = run.spans.last().map(|span| span.label.clone()).unwrap_or_default();
            let start = run_start(run.start);
            html! {
                <span key={start.clone()} data-testid="suggestion" class={classes!("suggestion", format!("suggestion-{kind}"), selected.then_some("selected"))}
                    data-s={start} data-suggestion-keys={keys.join(" ")}>{text}</span>
            }
        })
        .collect()
}

/// [`suggestion_runs`] through the suggestions module's code (plain text without it, which a
/// paragraph with suggestions does not meet).
fn runs_of_suggestions(props: &ParagraphProps, start: usize, end: usize) -> Vec<Html> {
    match crate::ui::suggestions::code() {
        Some(code) => (code.runs)(props, start, end),
        None => vec![plain_run(start, props.article.slice(start, end).unwrap_or_default().to_string())],
    }
}

#[component]
pub fn ParagraphView(props: &ParagraphProps) -> Html {
    let segments = segment_paragraph(props.paragraph, &props.spans);
    let has_suggestions = !props.suggestions.is_empty();
    let runs = segments.iter().map(|segment| {
        let text = props.article.slice(segment.start, segment.end).unwrap_or_default().to_string();
        let suggested = has_suggestions
            && props
                .suggestions
                .iter()
                .any(|suggestion| suggestion.start < segment.end && segment.start < suggestion.end);
        if segment.spans.is_empty() {
            if suggested {
                return html! { <key={segment.start}>{ for runs_of_suggestions(props, segment.start, segment.end) }</> };
            }
            return plain_run(segment.start, text);
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
        let look = run_look(&segment.spans, &props.colors);
        let class = classes!(
            "hl",
            format!("depth-{}", segment.spans.len().min(4)),
            look.classes,
            selected.then_some("selected"),
            ending_link_count.map(|_| "linked")
        );
        let start = run_start(segment.start);
        html! {
            <mark
                key={start.clone()}
                data-testid="highlight"
                data-s={start}
                data-span-ids={ids.join(" ")}
                data-links={ending_link_count.map(|count| count.to_string())}
                class={class}
                style={look.style}
            >
                if suggested { { for runs_of_suggestions(props, segment.start, segment.end) } } else { {text} }
            </mark>
        }
    });
    html! {
        <p class="para" data-s={props.paragraph.start.to_string()} data-e={props.paragraph.end.to_string()}>
            { for runs }
        </p>
    }
}
