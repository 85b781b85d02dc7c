//! The reader: one article as paragraphs of highlighted plain text.
//!
//! It turns mouse and keyboard selections into code-point ranges (through `web::selection`),
//! reports clicks on highlights with the spans under the pointer, and scrolls the selected span
//! into view. Spans are bucketed per paragraph once per change, and each paragraph is a keyed
//! component with cheap props, so tagging re-renders one paragraph, not the article.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::Article;
use crate::domain::schema::LabelDef;
use crate::domain::segments::spans_by_paragraph;
use crate::ui::highlight::label_colors;
use crate::ui::paragraph::ParagraphView;
use crate::web::selection::{read_selection, ReaderSelection};

/// Spans under a click, with the pointer position (viewport coordinates).
#[derive(Clone, Debug, PartialEq)]
pub struct SpanClick {
    pub span_ids: Vec<SpanId>,
    pub at: (f64, f64),
}

#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    pub article: Rc<Article>,
    /// The article's spans in reading order.
    pub spans: Rc<Vec<Rc<Span>>>,
    pub labels: Rc<Vec<LabelDef>>,
    pub selected: Option<SpanId>,
    pub link_counts: Rc<BTreeMap<SpanId, usize>>,
    /// A non-empty selection was made; the flag says whether `Alt` was held (keep it exact).
    pub on_selection: Callback<(ReaderSelection, bool)>,
    pub on_span_click: Callback<SpanClick>,
    pub on_plain_click: Callback<()>,
    #[prop_or(AttrValue::Static("reader"))]
    pub testid: AttrValue,
    /// Suggested spans of this article as pseudo-spans (id = suggestion key), sorted by start.
    #[prop_or_default]
    pub suggestions: Rc<Vec<Rc<Span>>>,
    #[prop_or_default]
    pub selected_suggestion: Option<String>,
    #[prop_or_default]
    pub on_suggestion_click: Callback<String>,
}

fn suggestion_under(target: Option<web_sys::EventTarget>) -> Option<String> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    let run = element.closest("[data-suggestion-keys]").ok()??;
    run.get_attribute("data-suggestion-keys")?.split_whitespace().last().map(str::to_string)
}

fn spans_under(target: Option<web_sys::EventTarget>) -> Option<Vec<SpanId>> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    let mark = element.closest("mark[data-span-ids]").ok()??;
    let ids = mark.get_attribute("data-span-ids")?;
    Some(ids.split_whitespace().map(SpanId::from).collect())
}

/// Scrolls the first highlight of `span` inside `container` into view (if not visible).
pub fn scroll_span_into_view(container: &web_sys::Element, span: &SpanId) {
    scroll_run_into_view(container, "data-span-ids", span.as_str());
}

/// Scrolls the first element whose whitespace-separated `attribute` lists `id` into view, unless
/// it is already visible.
fn scroll_run_into_view(container: &web_sys::Element, attribute: &str, id: &str) {
    let Ok(marks) = container.query_selector_all(&format!("[{attribute}]")) else { return };
    for index in 0..marks.length() {
        let Some(mark) = marks.item(index).and_then(|node| node.dyn_into::<web_sys::Element>().ok()) else { continue };
        let covers = mark.get_attribute(attribute).is_some_and(|ids| ids.split_whitespace().any(|listed| listed == id));
        if covers {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            options.set_behavior(web_sys::ScrollBehavior::Instant);
            let rect = mark.get_bounding_client_rect();
            let viewport =
                gloo::utils::window().inner_height().ok().and_then(|height| height.as_f64()).unwrap_or(800.0);
            if rect.top() < 80.0 || rect.bottom() > viewport - 40.0 {
                mark.scroll_into_view_with_scroll_into_view_options(&options);
            }
            return;
        }
    }
}

/// Takes focus out of a form field, as pressing the mouse in the text does, so that the hotkeys
/// that follow a selection reach the app instead of the field.
fn leave_form_field() {
    let active = gloo::utils::document().active_element();
    if let Some(element) = active.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        if matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
            let _ = element.blur();
        }
    }
}

#[component]
pub fn Reader(props: &ReaderProps) -> Html {
    let container = use_node_ref();
    let buckets = use_memo((props.article.clone(), props.spans.clone()), |(article, spans)| {
        spans_by_paragraph(article.paragraphs(), spans).into_iter().map(Rc::<[Rc<Span>]>::from).collect::<Vec<_>>()
    });
    let link_buckets = use_memo((buckets.clone(), props.link_counts.clone()), |(buckets, link_counts)| {
        buckets
            .iter()
            .map(|spans| {
                spans
                    .iter()
                    .filter_map(|span| link_counts.get(&span.id).map(|count| (span.id.clone(), *count)))
                    .collect::<Rc<[(SpanId, usize)]>>()
            })
            .collect::<Vec<_>>()
    });
    let colors = use_memo(props.labels.clone(), |labels| label_colors(labels));
    let suggestion_buckets = use_memo((props.article.clone(), props.suggestions.clone()), |(article, suggestions)| {
        spans_by_paragraph(article.paragraphs(), suggestions)
            .into_iter()
            .map(Rc::<[Rc<Span>]>::from)
            .collect::<Vec<_>>()
    });
    let selected_suggestion_range = props
        .selected_suggestion
        .as_ref()
        .and_then(|key| props.suggestions.iter().find(|span| span.id.as_str() == key))
        .map(|span| (span.start, span.end));
    let selected_range = props
        .selected
        .as_ref()
        .and_then(|id| props.spans.iter().find(|span| &span.id == id))
        .map(|span| (span.start, span.end));

    {
        let container = container.clone();
        use_effect_with(props.selected.clone(), move |selected| {
            if let (Some(selected), Some(element)) = (selected, container.cast::<web_sys::Element>()) {
                scroll_span_into_view(&element, selected);
            }
        });
    }

    {
        let container = container.clone();
        use_effect_with(props.selected_suggestion.clone(), move |selected| {
            if let (Some(selected), Some(element)) = (selected, container.cast::<web_sys::Element>()) {
                scroll_run_into_view(&element, "data-suggestion-keys", selected);
            }
        });
    }

    let report_selection = {
        let container = container.clone();
        let on_selection = props.on_selection.clone();
        move |alt: bool| -> bool {
            let Some(element) = container.cast::<web_sys::Element>() else { return false };
            match read_selection(&element) {
                Some(selection) => {
                    leave_form_field();
                    on_selection.emit((selection, alt));
                    true
                }
                None => false,
            }
        }
    };
    let onmouseup = {
        let report_selection = report_selection.clone();
        let on_span_click = props.on_span_click.clone();
        let on_plain_click = props.on_plain_click.clone();
        let on_suggestion_click = props.on_suggestion_click.clone();
        Callback::from(move |event: MouseEvent| {
            if event.button() != 0 || report_selection(event.alt_key()) {
                return;
            }
            if let Some(key) = suggestion_under(event.target()) {
                on_suggestion_click.emit(key);
                return;
            }
            match spans_under(event.target()) {
                Some(span_ids) => {
                    on_span_click.emit(SpanClick { span_ids, at: (event.client_x() as f64, event.client_y() as f64) })
                }
                None => on_plain_click.emit(()),
            }
        })
    };
    let onkeyup = Callback::from(move |event: KeyboardEvent| {
        if event.shift_key() {
            report_selection(event.alt_key());
        }
    });

    let paragraphs = props.article.paragraphs().iter().enumerate().map(|(index, paragraph)| {
        let selected = selected_range
            .filter(|(start, end)| *start < paragraph.end && paragraph.start < *end)
            .and(props.selected.clone());
        html! {
            <ParagraphView
                key={index}
                article={props.article.clone()}
                paragraph={*paragraph}
                spans={buckets[index].clone()}
                colors={colors.clone()}
                selected={selected}
                link_counts={link_buckets[index].clone()}
                suggestions={suggestion_buckets[index].clone()}
                selected_suggestion={selected_suggestion_range
                    .filter(|(start, end)| *start < paragraph.end && paragraph.start < *end)
                    .and(props.selected_suggestion.clone())}
            />
        }
    });
    html! {
        <div
            class="reader-text"
            data-testid={props.testid.clone()}
            data-article-id={props.article.id.to_string()}
            ref={container}
            {onmouseup}
            {onkeyup}
            tabindex="0"
            role="document"
            aria-label={format!("Text of {}", props.article.title)}
        >
            { for paragraphs }
        </div>
    }
}
