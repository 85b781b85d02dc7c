//! The claim graph as a picture: an SVG node-link diagram of every linked span.
//!
//! Positions come from `domain::story::picture`, packed so clusters never overlap. The picture
//! is drawn with the view itself: each cluster shape laid out before in this page at its
//! simulated place, the others at cheap initial places (`forces::initial_positions`); the new
//! shapes go to the layout worker (`web::layout_worker`, fjadra per shape off the main thread)
//! and, when it answers, the drawn nodes, links and boxes are moved there, in steps
//! (each box packed from its cluster's real extent). The shapes are written into the SVG by
//! `web::picture_dom` outside Yew: the clusters in view at once, the rest in three steps, a frame each
//! (one element per box, link and node, no per-node `<title>`: one shared tooltip follows the
//! pointer). Nodes are coloured by label; edges styled by link type (contradicts thick and red).
//! Pan by dragging or with the arrow keys, zoom with the wheel (at the pointer) or `+`/`-`, `0`
//! resets: these only set a CSS transform on the SVG (its own composited layer) inside a clipping
//! viewport, once per animation frame (`web::pan_zoom`), so nothing re-renders, is laid out or
//! repainted while panning (the compositor moves the drawn picture); during a drag a transparent
//! cover takes the pointer, so the shapes are neither hit-tested nor hovered. Hovering a node shows its
//! text (one tooltip element written directly, no render), clicking opens it in the reader. The
//! same information is in the cluster list and the story matrix.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::annotation::SpanId;
use crate::domain::article::shorten;
use crate::domain::graph::Cluster;
use crate::domain::sorting::InsertEach;
use crate::domain::story::picture::{caption_name, Picture};
use crate::ui::claim_graph::jump_to;
use crate::ui::state::AppContext;
use crate::web::pan_zoom::Shared as PanZoom;

/// The picture's width in layout units before zooming.
const LAYOUT_WIDTH: f64 = 1100.0;

fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |performance| performance.now())
}

#[derive(Properties)]
pub struct GraphPictureProps {
    /// The project's clusters (`graph::clusters`), found once for the list and the picture.
    pub clusters: Rc<Vec<Cluster>>,
}

impl PartialEq for GraphPictureProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.clusters, &other.clusters)
    }
}

/// A laid-out picture, whether its positions are the simulated ones (else the initial ones,
/// drawn while the layout worker runs) and how long it took to lay out.
#[derive(PartialEq)]
struct Shown {
    picture: Picture,
    simulated: bool,
    layout_ms: f64,
}

/// The top of the picture drawn at once, in picture units past the top of the view (the rest
/// follows in three steps, a frame each).
fn first_drawn_height(shown_height: f64) -> f64 {
    shown_height * 1.25
}

#[component]
pub fn GraphPicture(props: &GraphPictureProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    // The picture drawn with the view itself: shapes laid out before in this page at their
    // simulated places, the others at their initial ones (no simulation, a few milliseconds).
    let first = {
        let (context, clusters) = (context.clone(), props.clusters.clone());
        use_memo(context.revision, move |_| {
            let started = now_ms();
            let job = crate::ui::graph_prepare::picture_job(&context, &clusters);
            let kept = crate::web::layout_worker::kept_positions(&job.shapes);
            let simulated = kept.iter().all(|positions| !positions.is_empty());
            let picture = job.finish(&context.project, &kept, LAYOUT_WIDTH);
            (job, Rc::new(Shown { picture, simulated, layout_ms: now_ms() - started }))
        })
    };
    // The picture at the layout worker's positions, for the revision it was asked for.
    let refined = use_state(|| None::<(u64, Rc<Shown>)>);
    let failed = use_state(|| None::<(u64, String)>);
    // The revision whose worker reply is wanted: a reply for an older one is dropped.
    let wanted = use_mut_ref(|| 0u64);
    let drawn: Rc<Shown> = match &*refined {
        Some((revision, shown)) if *revision == context.revision => shown.clone(),
        _ => first.1.clone(),
    };
    let failed_now =
        failed.as_ref().filter(|(revision, _)| *revision == context.revision).map(|(_, error)| error.clone());
    let svg = use_node_ref();
    // The shapes are written straight into this group (`web::picture_dom`), once per picture.
    let layer = use_node_ref();
    let (picture_width, picture_height) = (drawn.picture.width.max(900.0), drawn.picture.height.max(320.0));
    let shown_height = picture_height.min(picture_width * 0.55);
    // What the layer shows: when the next picture differs only in positions (the worker's
    // layout replacing the initial one), its nodes and links are moved, not drawn again.
    let in_layer = use_mut_ref(|| None::<Rc<Shown>>);
    {
        let (layer, svg, context, shown) = (layer.clone(), svg.clone(), context.clone(), drawn.clone());
        use_effect_with(Rc::as_ptr(&drawn) as usize, move |_| {
            let Some(element) = layer.cast::<web_sys::Element>() else { return };
            let started = now_ms();
            let before = in_layer.borrow_mut().take();
            let moved = before.is_some_and(|before| before.picture.differs_only_in_layout(&shown.picture))
                && crate::web::picture_dom::move_nodes(&element, &shown.picture);
            if !moved {
                crate::web::picture_dom::draw(
                    &element,
                    &context.project,
                    &shown.picture,
                    first_drawn_height(shown_height),
                );
            }
            // Timings for `make bench`, set here rather than rendered (no second render).
            if let Some(svg) = svg.cast::<web_sys::Element>() {
                let _ = svg.set_attribute("data-draw-ms", &format!("{:.1}", now_ms() - started));
                let _ = svg.set_attribute("data-layout-ms", &format!("{:.1}", shown.layout_ms));
            }
            *in_layer.borrow_mut() = Some(shown);
        });
    }
    // After the draw (a state set here must not come first): the shapes not laid out yet go to
    // the worker.
    {
        let (context, first) = (context.clone(), first.clone());
        let (refined, failed) = (refined.clone(), failed.clone());
        use_effect_with(context.revision, move |revision| {
            let revision = *revision;
            *wanted.borrow_mut() = revision;
            crate::web::layout_worker::warm_up();
            let (job, shown) = (*first).clone();
            if shown.simulated {
                return;
            }
            let started = now_ms();
            crate::web::layout_worker::lay_out_shapes(job.shapes.clone(), move |outcome| {
                if *wanted.borrow() != revision {
                    return;
                }
                match outcome {
                    Ok(positions) => {
                        let picture = job.finish(&context.project, &positions, LAYOUT_WIDTH);
                        let layout_ms = now_ms() - started;
                        refined.set(Some((revision, Rc::new(Shown { picture, simulated: true, layout_ms }))));
                    }
                    // Possibly called at once (no worker could start): shown from a later task.
                    Err(error) => {
                        crate::web::schedule::after_ms(0, move || failed.set(Some((revision, error))));
                    }
                }
            });
        });
    }
    // The one tooltip: the text of the node under the pointer, at the pointer. Written into
    // its element directly (a Yew state here re-rendered the picture's component per node
    // crossed, also while dragging).
    let tooltip = use_node_ref();
    // Pan and zoom move the whole drawn picture as one composited layer (a CSS transform of the
    // <svg> inside a clipping viewport), written once per animation frame (`web::pan_zoom`).
    let pan_zoom = {
        let svg = svg.clone();
        (*use_memo((), move |_| PanZoom::new(svg))).clone()
    };
    {
        let pan_zoom = pan_zoom.clone();
        use_effect_with(context.revision, move |_| pan_zoom.reset());
    }
    let onmousedown = {
        let pan_zoom = pan_zoom.clone();
        Callback::from(move |event: MouseEvent| pan_zoom.start_drag(event.client_x() as f64, event.client_y() as f64))
    };
    let onmouseup = {
        let pan_zoom = pan_zoom.clone();
        Callback::from(move |_: MouseEvent| pan_zoom.end_drag())
    };
    let onwheel = {
        let pan_zoom = pan_zoom.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            let at = pan_zoom.in_viewport(event.client_x() as f64, event.client_y() as f64);
            pan_zoom.zoom_by(if event.delta_y() > 0.0 { 1.0 / 1.15 } else { 1.15 }, at);
        })
    };
    let onkeydown = {
        let pan_zoom = pan_zoom.clone();
        Callback::from(move |event: KeyboardEvent| {
            let step = pan_zoom.viewport_size().0 * 0.1;
            match event.key().as_str() {
                "ArrowLeft" => pan_zoom.pan_by(step, 0.0),
                "ArrowRight" => pan_zoom.pan_by(-step, 0.0),
                "ArrowUp" => pan_zoom.pan_by(0.0, step),
                "ArrowDown" => pan_zoom.pan_by(0.0, -step),
                "+" | "=" => pan_zoom.zoom_by(1.25, None),
                "-" | "_" => pan_zoom.zoom_by(1.0 / 1.25, None),
                "0" => pan_zoom.reset(),
                _ => return,
            }
            // A key press is one change: shown now.
            pan_zoom.write();
            event.prevent_default();
        })
    };
    let onclick = {
        let context = context.clone();
        Callback::from(move |event: MouseEvent| {
            let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
            if let Some(span) = target.and_then(|element| element.get_attribute("data-span-id")) {
                jump_to(&context, &SpanId::from(span));
            }
        })
    };
    let show_tooltip = {
        let tooltip = tooltip.clone();
        move |text: Option<(String, f64, f64)>| {
            let Some(element) = tooltip.cast::<web_sys::HtmlElement>() else { return };
            match text {
                Some((text, x, y)) => {
                    element.set_text_content(Some(&text));
                    let _ = element.set_attribute("style", &format!("left:{:.0}px;top:{:.0}px", x + 14.0, y + 14.0));
                    element.set_hidden(false);
                }
                None if !element.hidden() => element.set_hidden(true),
                None => {}
            }
        }
    };
    let onmousemove = {
        let (pan_zoom, show_tooltip) = (pan_zoom.clone(), show_tooltip.clone());
        Callback::from(move |event: MouseEvent| {
            if pan_zoom.dragging() {
                show_tooltip(None);
                pan_zoom.drag_to(event.client_x() as f64, event.client_y() as f64);
            }
        })
    };
    let onmouseover = {
        let (context, pan_zoom, show_tooltip) = (context.clone(), pan_zoom.clone(), show_tooltip.clone());
        Callback::from(move |event: MouseEvent| {
            if pan_zoom.dragging() {
                return;
            }
            let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
            let span = target.and_then(|element| element.get_attribute("data-span-id"));
            let project = &context.project;
            let text = span.and_then(|span| project.spans().get(&SpanId::from(span)).cloned()).map(|span| {
                let label = project.label(&span.label).map(|label| label.name.clone()).unwrap_or_default();
                let outlet = project.article(&span.article).map(|article| caption_name(article)).unwrap_or_default();
                format!("{label} · {outlet}\n{}", shorten(&span.text, 240))
            });
            show_tooltip(text.map(|text| (text, event.client_x() as f64, event.client_y() as f64)));
        })
    };
    let onmouseleave = {
        let pan_zoom = pan_zoom.clone();
        Callback::from(move |_: MouseEvent| {
            pan_zoom.end_drag();
            show_tooltip(None);
        })
    };
    let shown = &drawn.picture;
    if shown.nodes.is_empty() {
        return html! {};
    }
    let nodes_in_view = shown.clusters_above(first_drawn_height(shown_height));
    let nodes_in_view = shown.nodes.iter().take_while(|node| node.cluster < nodes_in_view).count();
    let used_types: std::collections::BTreeSet<&str> =
        shown.edges.iter().map(|edge| edge.relation_type.as_str()).into_set();
    let used_labels: std::collections::BTreeSet<&str> = shown.nodes.iter().map(|node| node.label.as_str()).into_set();
    html! {
        <figure class="graph-picture">
            <div class="graph-viewport" style={format!("aspect-ratio:{picture_width:.0}/{shown_height:.0}")}
                {onmousedown} {onmousemove} {onmouseup} {onwheel} {onkeydown} {onclick} {onmouseover} {onmouseleave}>
                <svg ref={svg} data-testid="graph-canvas" class="graph-canvas" tabindex="0" role="img"
                    data-layout={if drawn.simulated { "worker" } else { "initial" }} data-nodes={shown.nodes.len().to_string()} data-nodes-in-view={nodes_in_view.to_string()}
                    aria-label={format!("Picture of {} linked spans and {} links in {} clusters. Drag or use the arrow keys to pan, the wheel or + and - to zoom, 0 to reset. The cluster list below has the same information.", shown.nodes.len(), shown.edges.len(), shown.clusters.len())}
                    viewBox={format!("0 0 {picture_width:.1} {picture_height:.1}")}>
                    <g ref={layer} class="picture-layer"></g>
                </svg>
                <div class="graph-drag-cover" aria-hidden="true"></div>
            </div>
            <div ref={tooltip} class="picture-tooltip" data-testid="graph-tooltip" role="tooltip" hidden={true}></div>
            // A worker failure leaves the picture at its initial layout, with a note. (An
            // `if` keeps this slot in place: a `{ for … }` here made Yew rebuild the viewport,
            // and with it the drawn picture, when the note appeared.)
            if let Some(error) = failed_now.as_ref() {
                <p class="reader-meta picture-note" data-testid="graph-picture-error" role="status">
                    {format!("The layout worker failed ({error}): the picture shows its first, unrefined layout. The cluster list below has the same information.")}
                </p>
            }
            <figcaption class="picture-legend">
                { for context.project.labels().iter().filter(|label| used_labels.contains(label.id.as_str())).map(|label| html! {
                    <span class="legend-item"><span class="legend-dot" style={format!("background:{}", label.color)}></span>{label.name.clone()}</span>
                }) }
                { for used_types.iter().map(|kind| html! {
                    <span class="legend-item"><svg class="legend-line" width="28" height="10" aria-hidden="true"><line class={format!("picture-edge edge-{kind}")} x1="1" y1="5" x2="27" y2="5" /></svg>{kind.to_string()}</span>
                }) }
                <span class="legend-hint">{"Drag or arrow keys to pan · wheel or +/− to zoom · 0 resets · hover a dot for its text, click to open it"}</span>
            </figcaption>
        </figure>
    }
}
