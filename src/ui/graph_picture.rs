//! The claim graph as a picture: an SVG node-link diagram of every linked span.
//!
//! Positions come from `domain::story::picture`, packed so clusters never overlap. The picture
//! is drawn with the view itself: each cluster shape laid out before in this page at its
//! simulated place, the others at cheap initial places (`forces::initial_positions`); the new
//! shapes go to the layout worker (`web::layout_worker`, fjadra per shape off the main thread)
//! and, when it answers, the drawn nodes and links are moved there (each simulated layout takes
//! its initial layout's place, so the boxes stay put). The shapes are written into the SVG by
//! `web::picture_dom` outside Yew: the clusters in view at once, the rest a batch per frame
//! (one element per box, link and node, no per-node `<title>`: one shared tooltip follows the
//! pointer). Nodes are coloured by label; edges styled by link type (contradicts thick and red).
//! Pan by dragging or with the arrow keys, zoom with the wheel or `+`/`-`, `0` resets: these
//! only set a CSS transform on the SVG inside a clipping viewport, so nothing re-renders, is laid
//! out or repainted while panning (the compositor moves the drawn picture). Hovering a node
//! shows its text, clicking opens it in the reader. The same information is in the cluster list
//! and the story matrix.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::annotation::SpanId;
use crate::domain::article::shorten;
use crate::domain::graph::Cluster;
use crate::domain::story::picture::{caption_name, Picture, PictureJob};
use crate::ui::claim_graph::jump_to;
use crate::ui::state::AppContext;

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
/// follows a batch per frame).
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
            let job = PictureJob::of_clusters(&context.project, clusters);
            let kept = crate::web::layout_worker::kept_positions(&job.shapes);
            let simulated = kept.iter().all(|positions| !positions.is_empty());
            let picture = job.finish(&context.project, &kept, LAYOUT_WIDTH);
            (Rc::new(job), Rc::new(Shown { picture, simulated, layout_ms: now_ms() - started }))
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
            let moved = before.is_some_and(|before| before.picture.differs_only_in_positions(&shown.picture))
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
                        gloo::timers::callback::Timeout::new(0, move || failed.set(Some((revision, error)))).forget();
                    }
                }
            });
        });
    }
    // The one tooltip: the text of the node under the pointer, at the pointer.
    let tooltip = use_state(|| None::<(String, f64, f64)>);
    // Pan and zoom move the whole drawn picture as one composited layer (a CSS transform of the
    // <svg> inside a clipping viewport): no SVG layout or repaint per mouse move. Translate x, y
    // in CSS pixels and the scale; the drag start (client x, y) while dragging.
    // While dragging the picture is its own layer (`will-change`); after the drag it is drawn
    // again at the current scale, so a zoomed picture stays sharp.
    let view = use_mut_ref(|| [0.0f64, 0.0, 1.0]);
    let drag = use_mut_ref(|| None::<(f64, f64)>);
    let apply = {
        let (svg, view, drag) = (svg.clone(), view.clone(), drag.clone());
        Rc::new(move || {
            if let Some(element) = svg.cast::<web_sys::Element>() {
                let [x, y, scale] = *view.borrow();
                let layer = if drag.borrow().is_some() { ";will-change:transform" } else { "" };
                let _ = element.set_attribute(
                    "style",
                    &format!("transform:translate({x:.1}px,{y:.1}px) scale({scale:.4}){layer}"),
                );
            }
        })
    };
    {
        let view = view.clone();
        let apply = apply.clone();
        use_effect_with((picture_width.to_bits(), picture_height.to_bits()), move |_| {
            *view.borrow_mut() = [0.0, 0.0, 1.0];
            apply();
        });
    }
    // The viewport's size in CSS pixels (the zoom keeps its centre in place).
    let viewport_size = {
        let svg = svg.clone();
        move || {
            let viewport = svg.cast::<web_sys::Element>().and_then(|element| element.parent_element());
            viewport.map_or((1.0, 1.0), |element| {
                (element.client_width().max(1) as f64, element.client_height().max(1) as f64)
            })
        }
    };
    let zoom = {
        let (view, apply, viewport_size) = (view.clone(), apply.clone(), viewport_size.clone());
        Rc::new(move |factor: f64| {
            let (width, height) = viewport_size();
            {
                let mut view = view.borrow_mut();
                let [x, y, scale] = *view;
                let next = (scale * factor).clamp(0.2, 24.0);
                let applied = next / scale;
                let (centre_x, centre_y) = (width / 2.0, height / 2.0);
                *view = [centre_x - (centre_x - x) * applied, centre_y - (centre_y - y) * applied, next];
            }
            apply();
        })
    };
    let pan = {
        let view = view.clone();
        let apply = apply.clone();
        Rc::new(move |dx: f64, dy: f64| {
            {
                let mut view = view.borrow_mut();
                view[0] += dx;
                view[1] += dy;
            }
            apply();
        })
    };
    let onmousedown = {
        let drag = drag.clone();
        Callback::from(move |event: MouseEvent| {
            *drag.borrow_mut() = Some((event.client_x() as f64, event.client_y() as f64))
        })
    };
    let onmousemove = {
        let drag = drag.clone();
        let pan = pan.clone();
        Callback::from(move |event: MouseEvent| {
            let Some((start_x, start_y)) = *drag.borrow() else { return };
            let (x, y) = (event.client_x() as f64, event.client_y() as f64);
            pan(x - start_x, y - start_y);
            *drag.borrow_mut() = Some((x, y));
        })
    };
    let onmouseup = {
        let (drag, apply) = (drag.clone(), apply.clone());
        Callback::from(move |_: MouseEvent| {
            if drag.borrow_mut().take().is_some() {
                apply();
            }
        })
    };
    let onwheel = {
        let zoom = zoom.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            zoom(if event.delta_y() > 0.0 { 1.0 / 1.15 } else { 1.15 });
        })
    };
    let onkeydown = {
        let (zoom, pan, view, apply) = (zoom.clone(), pan.clone(), view.clone(), apply.clone());
        Callback::from(move |event: KeyboardEvent| {
            let step = viewport_size().0 * 0.1;
            match event.key().as_str() {
                "ArrowLeft" => pan(step, 0.0),
                "ArrowRight" => pan(-step, 0.0),
                "ArrowUp" => pan(0.0, step),
                "ArrowDown" => pan(0.0, -step),
                "+" | "=" => zoom(1.25),
                "-" | "_" => zoom(1.0 / 1.25),
                "0" => {
                    *view.borrow_mut() = [0.0, 0.0, 1.0];
                    apply();
                }
                _ => return,
            }
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
    let onmouseover = {
        let (context, tooltip) = (context.clone(), tooltip.clone());
        Callback::from(move |event: MouseEvent| {
            let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
            let span = target.and_then(|element| element.get_attribute("data-span-id"));
            let project = &context.project;
            let text = span.and_then(|span| project.spans().get(&SpanId::from(span)).cloned()).map(|span| {
                let label = project.label(&span.label).map(|label| label.name.clone()).unwrap_or_default();
                let outlet = project.article(&span.article).map(|article| caption_name(article)).unwrap_or_default();
                format!("{label} · {outlet}\n{}", shorten(&span.text, 240))
            });
            match text {
                Some(text) => tooltip.set(Some((text, event.client_x() as f64, event.client_y() as f64))),
                None if tooltip.is_some() => tooltip.set(None),
                None => {}
            }
        })
    };
    let hide_tooltip = {
        let tooltip = tooltip.clone();
        Callback::from(move |_: MouseEvent| tooltip.set(None))
    };
    let shown = &drawn.picture;
    if shown.nodes.is_empty() {
        return html! {};
    }
    let nodes_in_view = shown.clusters_above(first_drawn_height(shown_height));
    let nodes_in_view = shown.nodes.iter().take_while(|node| node.cluster < nodes_in_view).count();
    let used_types: std::collections::BTreeSet<&str> =
        shown.edges.iter().map(|edge| edge.relation_type.as_str()).collect();
    let used_labels: std::collections::BTreeSet<&str> = shown.nodes.iter().map(|node| node.label.as_str()).collect();
    html! {
        <figure class="graph-picture">
            <div class="graph-viewport" style={format!("aspect-ratio:{picture_width:.0}/{shown_height:.0}")}
                {onmousedown} {onmousemove} onmouseup={onmouseup.clone()} {onwheel} {onkeydown} {onclick} {onmouseover}
                onmouseleave={Callback::from(move |event: MouseEvent| { onmouseup.emit(event.clone()); hide_tooltip.emit(event) })}>
                <svg ref={svg} data-testid="graph-canvas" class="graph-canvas" tabindex="0" role="img"
                    data-layout={if drawn.simulated { "worker" } else { "initial" }} data-nodes={shown.nodes.len().to_string()} data-nodes-in-view={nodes_in_view.to_string()}
                    aria-label={format!("Picture of {} linked spans and {} links in {} clusters. Drag or use the arrow keys to pan, the wheel or + and - to zoom, 0 to reset. The cluster list below has the same information.", shown.nodes.len(), shown.edges.len(), shown.clusters.len())}
                    viewBox={format!("0 0 {picture_width:.1} {picture_height:.1}")}>
                    <g ref={layer} class="picture-layer"></g>
                </svg>
            </div>
            if let Some((text, x, y)) = tooltip.as_ref() {
                <div class="picture-tooltip" data-testid="graph-tooltip" role="tooltip" style={format!("left:{:.0}px;top:{:.0}px", x + 14.0, y + 14.0)}>{text.clone()}</div>
            }
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
