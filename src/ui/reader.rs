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

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::article::{Article, ArticleId, Paragraph};
use crate::domain::schema::LabelDef;
use crate::domain::segments::{
    reading_order_changes, span_changes_by_id, spans_by_paragraph, update_buckets, update_reading_order,
};
use crate::ui::highlight::{label_colors, palette_style, LabelColors};
use crate::ui::paragraph::{plain_run, ParagraphView};
use crate::ui::state::AppContext;
use crate::web::selection::{read_selection, ReaderSelection};

/// One paragraph's spans that have links, with their link counts.
type LinkBucket = Rc<[(SpanId, usize)]>;

/// Paragraphs per [`ParagraphBlock`].
const BLOCK_PARAGRAPHS: usize = 24;

#[derive(Properties, PartialEq)]
struct ParagraphBlockProps {
    article: Rc<Article>,
    /// The index of the block's first paragraph.
    first: usize,
    /// Per paragraph of the block: its spans, link counts and suggestions. Compared element by
    /// element, which is a pointer comparison for every paragraph the last edit did not touch.
    spans: Rc<[Rc<[Rc<Span>]>]>,
    links: Rc<[LinkBucket]>,
    suggestions: Rc<[Rc<[Rc<Span>]>]>,
    colors: Rc<LabelColors>,
    /// The selected span and its range, only when it touches the block.
    selected: Option<(SpanId, (usize, usize))>,
    selected_suggestion: Option<(String, (usize, usize))>,
    /// Not hydrated yet: the paragraphs' text only, without components (see [`Hydration`]).
    plain: bool,
}

/// A run of consecutive paragraphs, rendered without a wrapper element (the reader's DOM stays
/// `div.reader-text > p.para`).
#[component]
fn ParagraphBlock(props: &ParagraphBlockProps) -> Html {
    let paragraphs = props.article.paragraphs();
    if props.plain {
        // The DOM a `ParagraphView` without spans renders, minus a component per paragraph:
        // the first render of a long article creates hundreds of these.
        let last = (props.first + BLOCK_PARAGRAPHS).min(paragraphs.len());
        let views = paragraphs[props.first..last].iter().enumerate().map(|(offset, paragraph)| {
            let text = props.article.slice(paragraph.start, paragraph.end).unwrap_or_default().to_string();
            html! {
                <p key={props.first + offset} class="para" data-s={paragraph.start.to_string()} data-e={paragraph.end.to_string()}>
                    { plain_run(paragraph.start, text) }
                </p>
            }
        });
        return html! { <>{ for views }</> };
    }
    let touching = |range: (usize, usize), paragraph: &Paragraph| range.0 < paragraph.end && paragraph.start < range.1;
    let views = props.spans.iter().enumerate().map(|(offset, spans)| {
        let index = props.first + offset;
        let paragraph = paragraphs[index];
        let selected =
            props.selected.as_ref().filter(|(_, range)| touching(*range, &paragraph)).map(|(id, _)| id.clone());
        let selected_suggestion = props
            .selected_suggestion
            .as_ref()
            .filter(|(_, range)| touching(*range, &paragraph))
            .map(|(key, _)| key.clone());
        html! {
            <ParagraphView
                key={index}
                article={props.article.clone()}
                paragraph={paragraph}
                spans={spans.clone()}
                colors={props.colors.clone()}
                selected={selected}
                link_counts={props.links[offset].clone()}
                suggestions={props.suggestions[offset].clone()}
                selected_suggestion={selected_suggestion}
            />
        }
    });
    html! { <>{ for views }</> }
}

/// Articles of up to this many blocks are drawn whole in the first render.
const DRAW_AT_ONCE_BLOCKS: usize = 3;

/// Which blocks of the open article have their highlights drawn. A long article first shows its
/// text in every paragraph (so find-in-page, selection offsets and the scroll height are right
/// from the start) with highlights only in the blocks in view; the other blocks get theirs one
/// block per task, nearest to the view first, so the first paint and the input stay fast.
struct Hydration {
    article: Rc<Article>,
    shown: Vec<bool>,
    /// Changes with the article, so that a background fill for an older article stops.
    generation: u64,
}

impl Hydration {
    fn new(article: &Rc<Article>, blocks: usize) -> Hydration {
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let all = blocks <= DRAW_AT_ONCE_BLOCKS;
        let mut shown = vec![all; blocks];
        // The reader opens at the top: the first block fills the view (24 paragraphs).
        if let Some(first) = shown.first_mut() {
            *first = true;
        }
        let generation = GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Hydration { article: article.clone(), shown, generation }
    }

    fn complete(&self) -> bool {
        self.shown.iter().all(|shown| *shown)
    }

    fn is_shown(&self, block: usize) -> bool {
        self.shown.get(block).copied().unwrap_or(true)
    }

    /// Marks `block` drawn; returns whether it was not.
    fn show(&mut self, block: usize) -> bool {
        match self.shown.get_mut(block) {
            Some(shown) if !*shown => {
                *shown = true;
                true
            }
            _ => false,
        }
    }

    /// Marks the blocks in view drawn; returns whether any was not. The background fill draws
    /// the neighbours next, so drawing only what is visible keeps the first paint small.
    fn show_in_view(&mut self, container: &NodeRef, article: &Article) -> bool {
        let Some((x, top, bottom)) = visible_band(container) else { return false };
        let Some(middle) = block_at(article, x, (top + bottom) / 2.0) else { return false };
        // Where the top or bottom edge falls between paragraphs, take the neighbouring block.
        let first = block_at(article, x, top + 8.0).unwrap_or(middle.saturating_sub(1)).min(middle);
        let last = block_at(article, x, bottom - 8.0).unwrap_or(middle + 1).max(middle);
        let mut changed = false;
        for block in first..=last {
            changed |= self.show(block);
        }
        changed
    }

    /// The undrawn block nearest to `block`.
    fn nearest_hidden(&self, block: usize) -> Option<usize> {
        (0..self.shown.len()).filter(|index| !self.shown[*index]).min_by_key(|index| (index.abs_diff(block), *index))
    }
}

/// The reader's visible part, in viewport coordinates: the text's middle column and the top and
/// bottom of what shows of its scrolling pane.
fn visible_band(container: &NodeRef) -> Option<(f64, f64, f64)> {
    let reader = container.cast::<web_sys::Element>()?;
    let view = reader.closest(".reader, .pane-body").ok().flatten().unwrap_or_else(|| reader.clone());
    let rect = view.get_bounding_client_rect();
    let reader_rect = reader.get_bounding_client_rect();
    let x = (reader_rect.left() + reader_rect.right()) / 2.0;
    let bottom = rect.bottom().min(gloo::utils::window().inner_height().ok()?.as_f64()?);
    Some((x, rect.top().max(0.0), bottom))
}

/// The block of the paragraph at viewport point `(x, y)`, if a paragraph is there.
fn block_at(article: &Article, x: f64, y: f64) -> Option<usize> {
    let element = gloo::utils::document().element_from_point(x as f32, y as f32)?;
    let paragraph = element.closest("p.para[data-s]").ok().flatten()?;
    let start: usize = paragraph.get_attribute("data-s")?.parse().ok()?;
    Some(article.paragraph_at(start)? / BLOCK_PARAGRAPHS)
}

/// The block under the middle of the reader's visible part, if the reader is on screen.
fn block_in_view(container: &NodeRef, article: &Article) -> Option<usize> {
    let (x, top, bottom) = visible_band(container)?;
    block_at(article, x, (top + bottom) / 2.0)
}

/// Draws the remaining blocks, one per task, nearest to the view first, until all are drawn or
/// the reader moves to another article.
fn fill_in_background(
    hydration: Rc<std::cell::RefCell<Hydration>>,
    container: NodeRef,
    rerender: UseForceUpdateHandle,
    article: Rc<Article>,
    generation: u64,
) {
    gloo::timers::callback::Timeout::new(0, move || {
        {
            let mut state = hydration.borrow_mut();
            if state.generation != generation || container.get().is_none() {
                return;
            }
            let near = block_in_view(&container, &article).unwrap_or(0);
            let Some(block) = state.nearest_hidden(near) else { return };
            state.show(block);
        }
        rerender.force_update();
        if !hydration.borrow().complete() {
            fill_in_background(hydration, container, rerender, article, generation);
        }
    })
    .forget();
}

/// How many changed spans are patched into the previous buckets; past that, recompute.
const PATCH_LIMIT: usize = 64;

/// The reader's per-paragraph data, kept between renders: spans and link counts per paragraph.
/// After an edit only the paragraphs it touches get new buckets; the others keep their `Rc`s, so
/// their `ParagraphView`s compare equal by pointer and do not re-render.
struct Buckets {
    article: Rc<Article>,
    sorted: Rc<Vec<Rc<Span>>>,
    link_counts: Rc<BTreeMap<SpanId, usize>>,
    spans: Rc<Vec<Rc<[Rc<Span>]>>>,
    links: Rc<Vec<LinkBucket>>,
}

fn link_bucket(spans: &[Rc<Span>], link_counts: &BTreeMap<SpanId, usize>) -> LinkBucket {
    spans.iter().filter_map(|span| link_counts.get(&span.id).map(|count| (span.id.clone(), *count))).collect()
}

impl Buckets {
    fn update(
        previous: Option<Buckets>,
        article: &Rc<Article>,
        sorted: &Rc<Vec<Rc<Span>>>,
        link_counts: &Rc<BTreeMap<SpanId, usize>>,
    ) -> Buckets {
        let made = |spans: Vec<Rc<[Rc<Span>]>>, links: Vec<LinkBucket>| Buckets {
            article: article.clone(),
            sorted: sorted.clone(),
            link_counts: link_counts.clone(),
            spans: Rc::new(spans),
            links: Rc::new(links),
        };
        let fresh = || {
            let spans: Vec<Rc<[Rc<Span>]>> =
                spans_by_paragraph(article.paragraphs(), sorted).into_iter().map(Rc::from).collect();
            let links = spans.iter().map(|bucket| link_bucket(bucket, link_counts)).collect();
            made(spans, links)
        };
        let Some(previous) = previous.filter(|previous| Rc::ptr_eq(&previous.article, article)) else {
            return fresh();
        };
        let same_links = Rc::ptr_eq(&previous.link_counts, link_counts);
        if Rc::ptr_eq(&previous.sorted, sorted) && same_links {
            return previous;
        }
        let changes = reading_order_changes(&previous.sorted, sorted);
        if changes.len() > PATCH_LIMIT {
            return fresh();
        }
        let (spans, touched) = update_buckets(article.paragraphs(), &previous.spans, &changes);
        let links: Vec<LinkBucket> = if same_links {
            let mut links = (*previous.links).clone();
            for index in touched {
                links[index] = link_bucket(&spans[index], link_counts);
            }
            links
        } else {
            spans.iter().map(|bucket| link_bucket(bucket, link_counts)).collect()
        };
        made(spans, links)
    }
}

/// The spans of article `article` in reading order, as `Project::spans_in_article` gives them, but
/// after an edit patched from the previous answer instead of filtering and sorting every span of
/// the project again. The same `Rc` comes back while the article's spans are unchanged.
///
/// The previous project's spans are kept as a list of `Rc`s (a reducer handle always reads the
/// latest state, so it cannot serve as the "before").
#[hook]
pub fn use_article_spans(context: &AppContext, article: Option<ArticleId>) -> Rc<Vec<Rc<Span>>> {
    let previous = use_mut_ref(|| None::<(Vec<Rc<Span>>, Option<ArticleId>, Rc<Vec<Rc<Span>>>)>);
    let context = context.clone();
    let spans = use_memo((context.revision, article), move |(_, article)| {
        let mut previous = previous.borrow_mut();
        let project = &context.project;
        let all: Vec<Rc<Span>> = project.spans().values().cloned().collect();
        let full = || Rc::new(article.as_ref().map(|id| project.spans_in_article(id)).unwrap_or_default());
        let spans = match (previous.take(), article) {
            (Some((old_all, old_article, old_spans)), Some(id)) if old_article.as_ref() == Some(id) => {
                let changes = span_changes_by_id(old_all.iter(), all.iter()).in_article(id);
                if changes.is_empty() {
                    old_spans
                } else if changes.len() <= PATCH_LIMIT {
                    Rc::new(update_reading_order(&old_spans, &changes, id))
                } else {
                    full()
                }
            }
            _ => full(),
        };
        *previous = Some((all, article.clone(), spans.clone()));
        spans
    });
    (*spans).clone()
}

/// How many links touch each span; the same `Rc` comes back while the relations are unchanged,
/// so the paragraphs that show the counts do not re-render after every span edit.
#[hook]
pub fn use_link_counts(context: &AppContext) -> Rc<BTreeMap<SpanId, usize>> {
    let previous = use_mut_ref(|| None::<(Vec<Rc<Relation>>, Rc<BTreeMap<SpanId, usize>>)>);
    let context = context.clone();
    let counts = use_memo(context.revision, move |_| {
        let mut previous = previous.borrow_mut();
        let relations: Vec<Rc<Relation>> = context.project.relations().values().cloned().collect();
        let unchanged = previous.take().filter(|(old, _)| {
            old.len() == relations.len()
                && old.iter().zip(&relations).all(|(before, after)| Rc::ptr_eq(before, after) || before == after)
        });
        let counts = match unchanged {
            Some((_, counts)) => counts,
            None => {
                let mut counts = BTreeMap::new();
                for relation in &relations {
                    *counts.entry(relation.from.clone()).or_insert(0) += 1;
                    *counts.entry(relation.to.clone()).or_insert(0) += 1;
                }
                Rc::new(counts)
            }
        };
        *previous = Some((relations, counts.clone()));
        counts
    });
    (*counts).clone()
}

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
fn scroll_run_into_view(container: &web_sys::Element, attribute: &str, id: &str) {
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

/// Runs `job` at the start of the next frame. Reading geometry there (to scroll a highlight into
/// view) lays the page out once, as the frame would anyway, instead of forcing an extra layout in
/// the middle of the render that follows an edit.
pub(crate) fn at_next_frame(job: impl FnOnce() + 'static) {
    let frame = wasm_bindgen::closure::Closure::once_into_js(job);
    let _ = gloo::utils::window().request_animation_frame(frame.unchecked_ref());
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
    let block_count = props.article.paragraphs().len().div_ceil(BLOCK_PARAGRAPHS);
    let hydration = use_mut_ref(|| Hydration::new(&props.article, block_count));
    let rerender = use_force_update();
    if !Rc::ptr_eq(&hydration.borrow().article, &props.article) {
        *hydration.borrow_mut() = Hydration::new(&props.article, block_count);
    }
    {
        // Draw the blocks in view before the first paint, then the others, one block per task,
        // nearest to the view first.
        let hydration = hydration.clone();
        let container = container.clone();
        let rerender = rerender.clone();
        use_effect_with(props.article.clone(), move |article| {
            let generation = hydration.borrow().generation;
            if hydration.borrow_mut().show_in_view(&container, article) {
                rerender.force_update();
            }
            if !hydration.borrow().complete() {
                fill_in_background(hydration, container, rerender, article.clone(), generation);
            }
        });
    }
    let (buckets, link_buckets) = {
        let cache = use_mut_ref(|| None::<Buckets>);
        let mut cache = cache.borrow_mut();
        let next = Buckets::update(cache.take(), &props.article, &props.spans, &props.link_counts);
        let result = (next.spans.clone(), next.links.clone());
        *cache = Some(next);
        result
    };
    let colors = use_memo(props.labels.clone(), |labels| label_colors(labels));
    let palette = use_memo(colors.clone(), |colors| palette_style(colors));
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
                        scroll_run_into_view(&element, "data-suggestion-keys", &selected);
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
    if let Some((start, _)) = selected_range.or(selected_suggestion_range) {
        if let Some(paragraph) = props.article.paragraph_at(start) {
            hydration.show(paragraph / BLOCK_PARAGRAPHS);
        }
    }
    let blocks = (0..paragraphs.len()).step_by(BLOCK_PARAGRAPHS).map(|first| {
        let last = (first + BLOCK_PARAGRAPHS).min(paragraphs.len());
        let (start, end) = (paragraphs[first].start, paragraphs[last - 1].end);
        let selected = props.selected.clone().filter(|_| touching(selected_range, start, end));
        let selected_suggestion =
            props.selected_suggestion.clone().filter(|_| touching(selected_suggestion_range, start, end));
        let shown = hydration.is_shown(first / BLOCK_PARAGRAPHS);
        let plain = || -> Rc<[Rc<[Rc<Span>]>]> { (first..last).map(|_| Rc::from(Vec::new())).collect() };
        html! {
            <ParagraphBlock
                key={first}
                article={props.article.clone()}
                first={first}
                spans={if shown { Rc::<[Rc<[Rc<Span>]>]>::from(&buckets[first..last]) } else { plain() }}
                links={if shown { Rc::<[Rc<[(SpanId, usize)]>]>::from(&link_buckets[first..last]) } else { (first..last).map(|_| Rc::from(Vec::new())).collect() }}
                suggestions={if shown { Rc::<[Rc<[Rc<Span>]>]>::from(&suggestion_buckets[first..last]) } else { plain() }}
                colors={colors.clone()}
                selected={selected.zip(selected_range)}
                selected_suggestion={selected_suggestion.zip(selected_suggestion_range)}
                plain={!shown}
            />
        }
    });
    let blocks: Vec<Html> = blocks.collect();
    let complete = hydration.complete();
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
