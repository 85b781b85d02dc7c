//! The side panel: the open article's annotations in reading order, and the selected one's editor.
//!
//! The panel shows a change made elsewhere (a tag or an undo in the reader, another article)
//! after the reader does: the edit's frame holds the highlight alone, and the panel's rows and
//! editor follow in the first idle moment after that frame (at most [`PANEL_LAG_MS`] later).
//! Same-hour A/B runs of `make bench`'s rows: tag-to-paint 10.8 ms instead of 12.0 median, undo
//! 9.3 instead of 12.0 (the tag's p95 still crosses 16 ms in some runs). A change made while the focus is in the panel (typing a note, choosing a
//! verdict) or by an event in it (a click on a row) shows in the panel at once.
//!
//! A long list is windowed: from [`WINDOW_FROM`] annotations on, only the rows near the panel's
//! scroll position (and the selected row) are in the DOM, each at its fixed-height slot in a list
//! as tall as all of them, so a 10,000-span article costs a few dozen rows per render instead of
//! 10,000. Shorter lists render every row, as before. Link counts come from the app's map, built
//! once per change, not from a scan of every relation per row.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::shorten;
use crate::domain::ids::LabelId;
use crate::domain::project::Project;
use crate::domain::schema::LabelDef;
use crate::domain::state::AppAction;
use crate::ui::lazy_view::{lazy, Lazy, LazyArgs};
use crate::ui::reader::LinkCounts;
use crate::ui::span_editor::SpanEditorProps;
use crate::ui::state::{AppContext, LiveContext};

/// From this many annotations on, the list is windowed.
pub const WINDOW_FROM: usize = 300;
/// The height of one windowed row, gap included, in CSS pixels: its text on one line, its
/// attributes and links on a second (`.annotation-item.windowed`), so that every row fills its
/// slot instead of short rows leaving gaps sized for the longest.
const ROW_HEIGHT: f64 = 60.0;
/// [`ROW_HEIGHT`] in whole pixels, for styles (formatting an `f64` brings the float printer into
/// the first load).
const ROW_PX: usize = ROW_HEIGHT as usize;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct SidePanelProps {
    /// The open article's spans in reading order.
    pub spans: Rc<Vec<Rc<Span>>>,
    /// Links per span id (spans without links are absent).
    #[prop_or_default]
    pub link_counts: Rc<LinkCounts>,
}

/// The one or two attributes worth seeing in a list row.
fn key_attributes(span: &Span) -> String {
    let parts: Vec<&str> = match span.label.as_str() {
        "claim" => vec![span.attribute("kind"), span.attribute("verdict")],
        "quote" => vec![span.attribute("speaker"), span.attribute("form")],
        "speaker" => vec![span.attribute("canonical")],
        _ => span.attributes.values().map(String::as_str).take(2).collect(),
    };
    parts.into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" · ")
}

#[derive(Properties)]
struct AnnotationRowProps {
    span: Rc<Span>,
    /// The label's name and colour; `None` for a label the schema lacks (shown by its id).
    label: Option<(AttrValue, AttrValue)>,
    links: usize,
    selected: bool,
    /// Places the row absolutely (windowed mode) at this index.
    slot: Option<usize>,
    /// The same callback at every render, so that it does not make every row render again.
    on_select: Callback<SpanId>,
}

/// Equal when the span is the same `Rc` (an edit of a span makes a new one): an edit renders
/// the rows it changed, not the few dozen in the window.
impl PartialEq for AnnotationRowProps {
    fn eq(&self, other: &AnnotationRowProps) -> bool {
        Rc::ptr_eq(&self.span, &other.span)
            && self.label == other.label
            && self.links == other.links
            && self.selected == other.selected
            && self.slot == other.slot
            && self.on_select == other.on_select
    }
}

/// One row of the list.
#[component]
fn AnnotationRow(props: &AnnotationRowProps) -> Html {
    let span = &props.span;
    let onclick = {
        let on_select = props.on_select.clone();
        let id = span.id.clone();
        Callback::from(move |_| on_select.emit(id.clone()))
    };
    // A windowed row shows its text on one line; the whole text is its tooltip.
    let (style, title) = match props.slot {
        Some(index) => {
            (Some(format!("top:{}px;height:{}px", index * ROW_PX, ROW_PX - 4)), Some(shorten(&span.text, 300)))
        }
        None => (None, None),
    };
    let is_selected = props.selected;
    let links = props.links;
    html! {
        <li
            data-testid="annotation-item"
            data-span-id={span.id.to_string()}
            class={classes!("annotation-item", props.slot.is_some().then_some("windowed"), is_selected.then_some("selected"))}
            role="option"
            aria-selected={is_selected.to_string()}
            {style}
            {title}
            {onclick}
        >
            <span class="chip" style={props.label.as_ref().map(|(_, color)| format!("--label:{color}"))}>
                { props.label.as_ref().map(|(name, _)| name.clone()).unwrap_or_else(|| AttrValue::from(span.label.to_string())) }
            </span>
            <span class="item-text">{shorten(&span.text, 110)}</span>
            <span class="item-attributes">{key_attributes(span)}</span>
            if links > 0 { <span class="item-links">{if links == 1 { "1 link".to_string() } else { format!("{links} links") }}</span> }
        </li>
    }
}

/// A row of the list, keyed by its span; `label` is its label's name and colour.
fn row(
    span: &Rc<Span>,
    label: Option<(AttrValue, AttrValue)>,
    links: usize,
    selected: bool,
    slot: Option<usize>,
    on_select: &Callback<SpanId>,
) -> Html {
    html! {
        <AnnotationRow key={span.id.as_str()} span={span.clone()} {label} {links} {selected} {slot} on_select={on_select.clone()} />
    }
}

/// The rows `first..last` to render for a list whose visible part starts `top` pixels below
/// the list's top and is `height` pixels tall.
fn window(top: f64, height: f64, rows: usize) -> (usize, usize) {
    let first = ((top.max(0.0) / ROW_HEIGHT).floor() as usize).saturating_sub(OVERSCAN).min(rows);
    let last = (((top.max(0.0) + height.max(0.0)) / ROW_HEIGHT).ceil() as usize + OVERSCAN).min(rows);
    (first, last.max(first))
}

/// Where the list's visible part starts (pixels below the list's top) and how tall it is.
fn visible_part(panel: &web_sys::Element, list: &web_sys::Element) -> (f64, f64) {
    let list_top = list.get_bounding_client_rect().top() - panel.get_bounding_client_rect().top();
    (-list_top, panel.client_height() as f64)
}

/// What the panel shows: the app's state and the panel's props as of one render.
#[derive(Clone)]
struct Shown {
    project: Project,
    revision: u64,
    selected_span: Option<SpanId>,
    spans: Rc<Vec<Rc<Span>>>,
    link_counts: Rc<LinkCounts>,
}

/// Compared by the project's revision and the lists' identity, never by walking them.
impl PartialEq for Shown {
    fn eq(&self, other: &Shown) -> bool {
        self.revision == other.revision
            && self.selected_span == other.selected_span
            && Rc::ptr_eq(&self.spans, &other.spans)
            && Rc::ptr_eq(&self.link_counts, &other.link_counts)
    }
}

/// At most this long after a change made elsewhere the panel shows it, busy or not.
const PANEL_LAG_MS: u32 = 150;

thread_local! {
    /// Set while an event in the panel (a click on a row, a keystroke in a field) is handled:
    /// what it changes shows in the panel at once.
    static ACTED_IN_PANEL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether an event in the panel led to this render; clears the mark.
fn acted_in_panel() -> bool {
    ACTED_IN_PANEL.with(|acted| acted.replace(false))
}

/// Marks that an event in the panel is being handled: the render it causes comes after, in a
/// microtask of the same task; the mark is cleared in a task of its own (an event that changed
/// nothing leaves no mark for the next change made elsewhere).
fn mark_acted_in_panel() {
    ACTED_IN_PANEL.with(|acted| acted.set(true));
    crate::web::schedule::after_ms(0, || ACTED_IN_PANEL.with(|acted| acted.set(false)));
}

/// Whether the focus is in the side panel (a field of the span editor).
fn focus_in_panel() -> bool {
    gloo::utils::document().active_element().and_then(|element| element.closest(".side-panel").ok().flatten()).is_some()
}

/// The panel, a frame behind changes made outside it (see the module's comment).
#[component]
pub fn SidePanel(props: &SidePanelProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let latest = Shown {
        project: context.project.clone(),
        revision: context.revision,
        selected_span: context.selected_span.clone(),
        spans: props.spans.clone(),
        link_counts: props.link_counts.clone(),
    };
    let shown = use_mut_ref(|| latest.clone());
    // Set by the task after the paint; the render it asks for shows the latest state.
    let due = use_mut_ref(|| false);
    let waiting = use_mut_ref(|| false);
    let rerender = use_force_update();
    let apply = std::mem::take(&mut *due.borrow_mut());
    let acted = acted_in_panel();
    if *shown.borrow() != latest {
        if apply || acted || focus_in_panel() {
            *shown.borrow_mut() = latest;
        } else if !*waiting.borrow() {
            *waiting.borrow_mut() = true;
            let (due, waiting) = (due.clone(), waiting.clone());
            crate::web::schedule::at_next_frame(move || {
                crate::web::schedule::when_idle(PANEL_LAG_MS, move || {
                    *waiting.borrow_mut() = false;
                    *due.borrow_mut() = true;
                    rerender.force_update();
                })
            });
        }
    }
    let shown = shown.borrow().clone();
    html! { <PanelView {shown} live={LiveContext(context.clone())} /> }
}

#[derive(Properties, PartialEq)]
struct PanelViewProps {
    shown: Shown,
    live: LiveContext,
}

/// The panel as of [`Shown`].
#[component]
fn PanelView(props: &PanelViewProps) -> Html {
    let shown = &props.shown;
    let panel_ref = use_node_ref();
    let list_ref = use_node_ref();
    let windowed = shown.spans.len() >= WINDOW_FROM;
    // The rendered rows in windowed mode; re-renders only when the window moves.
    let rows = use_state_eq(|| {
        let height = gloo::utils::window().inner_height().ok().and_then(|height| height.as_f64()).unwrap_or(1000.0);
        window(0.0, height, usize::MAX)
    });
    let onscroll = {
        let panel_ref = panel_ref.clone();
        let list_ref = list_ref.clone();
        let rows = rows.clone();
        let count = shown.spans.len();
        Callback::from(move |_: Event| {
            if let (Some(panel), Some(list)) =
                (panel_ref.cast::<web_sys::Element>(), list_ref.cast::<web_sys::Element>())
            {
                let (top, height) = visible_part(&panel, &list);
                rows.set(window(top, height, count));
            }
        })
    };

    let on_select = use_callback(props.live.0.dispatcher(), |id: SpanId, dispatcher| {
        dispatcher.dispatch(AppAction::SelectSpan(Some(id)));
    });

    let project = &shown.project;
    let selected = shown.selected_span.as_ref().and_then(|id| project.spans().get(id)).cloned();
    let selected_id = selected.as_ref().map(|span| span.id.clone());
    let selected_index = use_memo((shown.spans.clone(), selected_id.clone()), |(spans, selected)| {
        selected.as_ref().and_then(|id| spans.iter().position(|span| &span.id == id))
    });

    // Windowed: bring the selected row (always rendered) into view when the selection changes,
    // after the frame that shows the edit (a tag selects the span it makes) has been painted.
    // The scroll moves the window, and its re-render is a frame of its own: scrolled in that
    // frame's `requestAnimationFrame`, the list's scroll event ran in the very next frame,
    // which Chromium put ahead of everything else queued, so the main thread stayed busy
    // ~15 ms more after one tag in three (`make bench`: tag-to-paint 18–24 ms instead of
    // 11 ms). After the paint, the layout is clean and the scroll only reads it.
    {
        let list_ref = list_ref.clone();
        use_effect_with((selected_id.clone(), windowed), move |(selected, windowed)| {
            let (Some(selected), true) = (selected.clone(), *windowed) else { return };
            crate::web::schedule::after_next_paint(move || {
                let Some(list) = list_ref.cast::<web_sys::Element>() else { return };
                let selector = format!("li[data-span-id={}]", crate::ui::reader::css_string(selected.as_str()));
                if let Ok(Some(row)) = list.query_selector(&selector) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    options.set_behavior(web_sys::ScrollBehavior::Instant);
                    row.scroll_into_view_with_scroll_into_view_options(&options);
                }
            });
        });
    }

    // The editor of a span just selected with none open (a tag selects the span it makes) is
    // built after the frame that shows the highlight: its fields and selects are ~50 new
    // elements, about 2 ms of a tag's 8 ms render in a CPU profile of `make bench`. A move
    // between spans updates the open editor at once.
    let editor_open = use_state_eq(|| selected.is_some());
    {
        let editor_open = editor_open.clone();
        let wanted = use_mut_ref(|| false);
        use_effect_with(selected_id.is_some(), move |selected| {
            *wanted.borrow_mut() = *selected;
            if *selected {
                // Unless the selection is gone again by then.
                crate::web::schedule::after_next_paint(move || editor_open.set(*wanted.borrow()));
            } else {
                editor_open.set(false);
            }
        });
    }
    let editor = selected.filter(|_| *editor_open);

    // Each label's name and colour as shared strings, made once per render, not once per row.
    let labels: Vec<(&LabelId, (AttrValue, AttrValue))> = project
        .labels()
        .iter()
        .map(|label: &LabelDef| {
            (&label.id, (AttrValue::from(label.name.clone()), AttrValue::from(label.color.clone())))
        })
        .collect();
    let label_of = |span: &Span| labels.iter().find(|(id, _)| **id == span.label).map(|(_, values)| values.clone());
    let links_of = |span: &Span| shown.link_counts.get(&span.id).copied().unwrap_or(0);
    let list = if windowed {
        let (first, last) = (rows.0.min(shown.spans.len()), rows.1.min(shown.spans.len()));
        let mut items: Vec<Html> = Vec::with_capacity(last - first + 1);
        if let Some(index) = selected_index.filter(|index| *index < first || *index >= last) {
            let span = &shown.spans[index];
            items.push(row(span, label_of(span), links_of(span), true, Some(index), &on_select));
        }
        for (index, span) in shown.spans.iter().enumerate().take(last).skip(first) {
            let is_selected = selected_id.as_ref() == Some(&span.id);
            items.push(row(span, label_of(span), links_of(span), is_selected, Some(index), &on_select));
        }
        let style = format!("display:block;position:relative;height:{}px", shown.spans.len() * ROW_PX);
        html! {
            <ol class="annotation-list" role="listbox" aria-label="Annotations in reading order"
                ref={list_ref.clone()} {style}>{ for items }</ol>
        }
    } else {
        let items = shown.spans.iter().map(|span| {
            let is_selected = selected_id.as_ref() == Some(&span.id);
            row(span, label_of(span), links_of(span), is_selected, None, &on_select)
        });
        html! {
            <ol class="annotation-list" role="listbox" aria-label="Annotations in reading order" ref={list_ref.clone()}>{ for items }</ol>
        }
    };
    html! {
        <aside class="side-panel" aria-label="Annotations" ref={panel_ref} {onscroll}
            onclick={|_| mark_acted_in_panel()} oninput={|_| mark_acted_in_panel()}
            onchange={|_| mark_acted_in_panel()} onkeydown={|_| mark_acted_in_panel()}>
            if let Some(span) = editor {
                { lazy(Lazy::SpanEditor, LazyArgs {
                    span_editor: Some(Rc::new(SpanEditorProps {
                        span, project: project.clone(), revision: shown.revision, live: props.live.clone(),
                    })),
                    ..LazyArgs::default()
                }) }
            }
            <h2 class="panel-title">{format!("Annotations ({})", shown.spans.len())}</h2>
            if shown.spans.is_empty() {
                <div class="empty-state" data-testid="empty-state">
                    <p><strong>{"Nothing tagged in this article yet."}</strong></p>
                    <ol>
                        <li>{"Select words in the article (the selection snaps to whole words; hold "}<kbd>{"Alt"}</kbd>{" to keep it exact)."}</li>
                        <li>{"Press "}<kbd>{"1"}</kbd>{" Claim, "}<kbd>{"2"}</kbd>{" Quote or "}<kbd>{"3"}</kbd>{" Speaker — or click a label in the toolbar."}</li>
                        <li>{"Fill in the verdict, speaker or note here. Everything saves as you go."}</li>
                        <li>{"Open "}<em>{"Compare"}</em>{" to link claims that contradict or support each other across articles."}</li>
                    </ol>
                    <p class="hint">{"Press "}<kbd>{"?"}</kbd>{" for every shortcut."}</p>
                </div>
            } else {
                { list }
            }
        </aside>
    }
}
