//! The reader: one article as paragraphs of highlighted plain text.
//!
//! It turns mouse and keyboard selections into code-point ranges (through `web::selection`),
//! reports clicks on highlights with the spans under the pointer, and scrolls the selected span
//! into view. Spans are bucketed per paragraph once per change, and each paragraph is a keyed
//! component with cheap props, so tagging re-renders one paragraph, not the article.

mod block;
mod buckets;
mod dom;
mod hydration;

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::Article;
use crate::domain::ids::SuggestionKey;
use crate::domain::paragraph_buckets::RecentParagraphBuckets;
use crate::domain::schema::LabelDef;
use crate::domain::segments::spans_by_paragraph;
use crate::domain::suggest::SuggestedSpan;
use crate::ui::highlight::{label_colors, palette_style};
use crate::web::selection::{read_selection, ReaderSelection};

use crate::web::schedule::at_next_frame;
use block::*;
use buckets::*;
pub use buckets::{use_article_spans, use_link_counts, LinkCounts};
pub(crate) use dom::css_string;
pub use dom::scroll_span_into_view;
use dom::*;
pub use hydration::resume_parked_fills;
use hydration::*;

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
    pub link_counts: Rc<LinkCounts>,
    /// A non-empty selection was made; the flag says whether `Alt` was held (keep it exact).
    pub on_selection: Callback<(ReaderSelection, bool)>,
    pub on_span_click: Callback<SpanClick>,
    pub on_plain_click: Callback<()>,
    #[prop_or(AttrValue::Static("reader"))]
    pub testid: AttrValue,
    /// The open span suggestions of this article, drawn dashed, sorted by start.
    #[prop_or_default]
    pub suggestions: Rc<Vec<Rc<SuggestedSpan>>>,
    #[prop_or_default]
    pub selected_suggestion: Option<SuggestionKey>,
    #[prop_or_default]
    pub on_suggestion_click: Callback<SuggestionKey>,
}

#[component]
pub fn Reader(props: &ReaderProps) -> Html {
    let container = use_node_ref();
    let block_count = props.article.paragraphs().len().div_ceil(BLOCK_PARAGRAPHS);
    let hydration = use_mut_ref(|| Hydration::new(&props.article, block_count));
    let rerender = use_force_update();
    if !Rc::ptr_eq(&hydration.borrow().article, &props.article) {
        *hydration.borrow_mut() = Hydration::new(&props.article, block_count);
    }
    {
        // Draw the blocks in view before the first paint, then their neighbours, one block per
        // task; from then on the drawn blocks follow the view as the reader scrolls.
        let hydration = hydration.clone();
        let container = container.clone();
        let rerender = rerender.clone();
        use_effect_with(props.article.clone(), move |article| {
            let generation = hydration.borrow().generation;
            if hydration.borrow_mut().show_in_view(&container, article) {
                rerender.force_update();
            }
            if !hydration.borrow().complete() {
                hydration.borrow_mut().filling = true;
                fill_in_background(
                    hydration.clone(),
                    container.clone(),
                    rerender.clone(),
                    article.clone(),
                    generation,
                    false,
                );
            }
            let listener = follow_scrolling(hydration, container, rerender, article.clone());
            move || drop(listener)
        });
    }
    let (buckets, link_buckets) = {
        // The buckets of the last few articles shown: a switch back reuses (or patches) them.
        let recent = use_mut_ref(|| RecentParagraphBuckets::new(RECENT_ARTICLES));
        let mut recent = recent.borrow_mut();
        let now = recent.update(&props.article, &props.spans, &props.link_counts);
        let now = (now.spans.clone(), now.links.clone());
        let retired = recent.take_retired();
        if !retired.is_empty() {
            crate::web::schedule::drop_after_paint(retired);
        }
        now
    };
    let colors = use_memo(props.labels.clone(), |labels| label_colors(labels));
    let palette = use_memo(colors.clone(), |colors| palette_style(colors));
    let suggestion_buckets = use_memo((props.article.clone(), props.suggestions.clone()), |(article, suggestions)| {
        spans_by_paragraph(article.paragraphs(), suggestions)
            .into_iter()
            .map(Rc::<[Rc<SuggestedSpan>]>::from)
            .collect::<Vec<_>>()
    });
    let selected_suggestion_range = props
        .selected_suggestion
        .as_ref()
        .and_then(|key| props.suggestions.iter().find(|span| &span.key == key))
        .map(|span| (span.start, span.end));
    let selected_range = props
        .selected
        .as_ref()
        .and_then(|id| props.spans.iter().find(|span| &span.id == id))
        .map(|span| (span.start, span.end));

    {
        let container = container.clone();
        use_effect_with(props.selected.clone(), move |selected| {
            if let Some(selected) = selected.clone() {
                at_next_frame(move || {
                    if let Some(element) = container.cast::<web_sys::Element>() {
                        scroll_span_into_view(&element, &selected);
                    }
                });
            }
        });
    }

    {
        let container = container.clone();
        use_effect_with(props.selected_suggestion.clone(), move |selected| {
            if let Some(selected) = selected.clone() {
                at_next_frame(move || {
                    if let Some(element) = container.cast::<web_sys::Element>() {
                        scroll_run_into_view(&element, "data-suggestion-keys", selected.as_str());
                    }
                });
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

    // Paragraphs go to fixed blocks of BLOCK_PARAGRAPHS: a render of the reader builds one
    // component per block, and only a block whose paragraphs changed renders its paragraphs.
    let touching = |range: Option<(usize, usize)>, start: usize, end: usize| {
        range.filter(|(from, to)| *from < end && start < *to).is_some()
    };
    let paragraphs = props.article.paragraphs();
    let mut hydration = hydration.borrow_mut();
    // The selected span is always drawn, wherever it is.
    let selected_block = selected_range
        .or(selected_suggestion_range)
        .and_then(|(start, _)| props.article.paragraph_at(start))
        .map(|paragraph| paragraph / BLOCK_PARAGRAPHS);
    hydration.window.pin(selected_block);
    let present = (0..paragraphs.len())
        .step_by(BLOCK_PARAGRAPHS)
        .take_while(|first| hydration.is_present(first / BLOCK_PARAGRAPHS));
    let blocks = present.map(|first| {
        let last = (first + BLOCK_PARAGRAPHS).min(paragraphs.len());
        let (start, end) = (paragraphs[first].start, paragraphs[last - 1].end);
        let selected = props.selected.clone().filter(|_| touching(selected_range, start, end));
        let selected_suggestion =
            props.selected_suggestion.clone().filter(|_| touching(selected_suggestion_range, start, end));
        let shown = hydration.is_shown(first / BLOCK_PARAGRAPHS);
        fn plain<T>(paragraphs: std::ops::Range<usize>) -> Rc<[Rc<[Rc<T>]>]> {
            paragraphs.map(|_| Rc::from(Vec::new())).collect()
        }
        html! {
            <ParagraphBlock
                key={first}
                article={props.article.clone()}
                first={first}
                spans={if shown { Rc::<[Rc<[Rc<Span>]>]>::from(&buckets[first..last]) } else { plain(first..last) }}
                links={if shown { Rc::<[Rc<[(SpanId, usize)]>]>::from(&link_buckets[first..last]) } else { (first..last).map(|_| Rc::from(Vec::new())).collect() }}
                suggestions={if shown { Rc::<[Rc<[Rc<SuggestedSpan>]>]>::from(&suggestion_buckets[first..last]) } else { plain(first..last) }}
                colors={colors.clone()}
                selected={selected.zip(selected_range)}
                selected_suggestion={selected_suggestion.zip(selected_suggestion_range)}
                plain={!shown}
            />
        }
    });
    let blocks: Vec<Html> = blocks.collect();
    let complete = hydration.complete();
    hydration.rendered_complete = complete;
    drop(hydration);
    html! {
        <div
            class="reader-text"
            data-testid={props.testid.clone()}
            data-article-id={props.article.id.to_string()}
            data-highlights={if complete { "complete" } else { "partial" }}
            style={(*palette).clone()}
            ref={container}
            {onmouseup}
            {onkeyup}
            tabindex="0"
            role="document"
            aria-label={format!("Text of {}", props.article.title)}
        >
            { for blocks }
        </div>
    }
}
