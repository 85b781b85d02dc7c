//! The claim graph as a picture: an SVG node-link diagram of every linked span.
//!
//! Positions come from `domain::story::picture::lay_out` (fjadra, per cluster, packed without
//! overlap), computed after the view's first paint so the list below shows at once. Nodes are
//! coloured by label; edges styled by link type (contradicts thick and red). Pan by dragging or
//! with the arrow keys, zoom with the wheel or `+`/`-`, `0` resets: these only rewrite the SVG's
//! `viewBox`, so no component re-renders while panning. Hovering a node shows its text, clicking
//! opens it in the reader. The same information is in the cluster list and the story matrix.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::domain::annotation::SpanId;
use crate::domain::story::picture::{lay_out, Picture, CAPTIONED_NODES, NODE_RADIUS};
use crate::ui::claim_graph::jump_to;
use crate::ui::state::AppContext;

/// The picture's width in layout units before zooming.
const LAYOUT_WIDTH: f64 = 1100.0;

fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |performance| performance.now())
}

#[derive(Properties, PartialEq)]
struct ContentProps {
    picture: Rc<Picture>,
}

/// The nodes and edges: re-rendered only when the picture changes.
#[component]
fn PictureContent(props: &ContentProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let picture = &props.picture;
    let project = &context.project;
    // Small pictures name each node (outlet and text); big ones rely on hover.
    let labelled = picture.nodes.len() <= CAPTIONED_NODES;
    html! {
        <>
            <g class="picture-clusters" aria-hidden="true">
                { for picture.clusters.iter().map(|cluster| html! {
                    <rect class="picture-cluster" x={format!("{:.1}", cluster.x + 4.0)} y={format!("{:.1}", cluster.y + 4.0)}
                        width={format!("{:.1}", cluster.width - 8.0)} height={format!("{:.1}", cluster.height - 8.0)} rx="10" />
                }) }
            </g>
            <g class="picture-edges">
                { for picture.edges.iter().map(|edge| {
                    let (from, to) = (&picture.nodes[edge.from], &picture.nodes[edge.to]);
                    html! {
                        <line data-testid="graph-edge" class={format!("picture-edge edge-{}", edge.relation_type)} data-relation-type={edge.relation_type.to_string()}
                            x1={format!("{:.1}", from.x)} y1={format!("{:.1}", from.y)} x2={format!("{:.1}", to.x)} y2={format!("{:.1}", to.y)} />
                    }
                }) }
            </g>
            <g class="picture-nodes">
                { for picture.nodes.iter().map(|node| {
                    let span = project.spans().get(&node.span);
                    let color = project.label(&node.label).map_or_else(|| "#888888".to_string(), |label| label.color.clone());
                    let article = project.article(&node.article).map(|article| crate::domain::story::outlet_of(article)).unwrap_or_default();
                    let label = project.label(&node.label).map(|label| label.name.clone()).unwrap_or_default();
                    html! { <>
                        <circle data-testid="graph-node" class="picture-node" data-span-id={node.span.to_string()} data-article-id={node.article.to_string()}
                            cx={format!("{:.1}", node.x)} cy={format!("{:.1}", node.y)} r={NODE_RADIUS.to_string()} fill={color}>
                            <title>{format!("{label} · {article}\n{}", span.map(|span| span.text.clone()).unwrap_or_default())}</title>
                        </circle>
                        if labelled {
                            <text class="picture-text" aria-hidden="true" x={format!("{:.1}", node.x + NODE_RADIUS + 4.0)} y={format!("{:.1}", node.y + 4.0)}>
                                {format!("{} · {}", crate::domain::article::shorten(&article, 14), crate::domain::article::shorten(span.map(|span| span.text.as_str()).unwrap_or(""), 26))}
                            </text>
                        }
                    </> }
                }) }
            </g>
        </>
    }
}

#[component]
pub fn GraphPicture() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let picture = use_state(|| None::<Rc<Picture>>);
    let layout_ms = use_state(|| 0.0f64);
    {
        let context = context.clone();
        let picture = picture.clone();
        let layout_ms = layout_ms.clone();
        use_effect_with(context.revision, move |_| {
            crate::web::schedule::after_next_paint(move || {
                let started = now_ms();
                let laid_out = lay_out(&context.project, LAYOUT_WIDTH);
                layout_ms.set(now_ms() - started);
                picture.set(Some(Rc::new(laid_out)));
            });
        });
    }
    let svg = use_node_ref();
    // x, y, width, height of the viewBox; the drag start (client x, y) while dragging.
    let view = use_mut_ref(|| [0.0f64, 0.0, LAYOUT_WIDTH, 400.0]);
    let drag = use_mut_ref(|| None::<(f64, f64)>);
    let apply = {
        let svg = svg.clone();
        let view = view.clone();
        Rc::new(move || {
            if let Some(element) = svg.cast::<web_sys::Element>() {
                let [x, y, width, height] = *view.borrow();
                let _ = element.set_attribute("viewBox", &format!("{x:.1} {y:.1} {width:.1} {height:.1}"));
            }
        })
    };
    let (picture_width, picture_height) =
        picture.as_ref().map_or((LAYOUT_WIDTH, 200.0), |picture| (picture.width.max(900.0), picture.height.max(320.0)));
    let shown_height = picture_height.min(picture_width * 0.55);
    {
        let view = view.clone();
        let apply = apply.clone();
        use_effect_with((picture_width.to_bits(), shown_height.to_bits()), move |_| {
            *view.borrow_mut() = [0.0, 0.0, picture_width, shown_height];
            apply();
        });
    }
    // Units per screen pixel, for dragging.
    let scale = {
        let svg = svg.clone();
        let view = view.clone();
        move || {
            let width = svg.cast::<web_sys::Element>().map_or(1.0, |element| element.client_width().max(1) as f64);
            view.borrow()[2] / width
        }
    };
    let zoom = {
        let view = view.clone();
        let apply = apply.clone();
        Rc::new(move |factor: f64| {
            {
                let mut view = view.borrow_mut();
                let [x, y, width, height] = *view;
                let (new_width, new_height) =
                    ((width * factor).clamp(40.0, 40_000.0), (height * factor).clamp(24.0, 40_000.0));
                *view = [x + (width - new_width) / 2.0, y + (height - new_height) / 2.0, new_width, new_height];
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
        let scale = scale.clone();
        Callback::from(move |event: MouseEvent| {
            let Some((start_x, start_y)) = *drag.borrow() else { return };
            let (x, y) = (event.client_x() as f64, event.client_y() as f64);
            let units = scale();
            pan(-(x - start_x) * units, -(y - start_y) * units);
            *drag.borrow_mut() = Some((x, y));
        })
    };
    let onmouseup = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| *drag.borrow_mut() = None)
    };
    let onwheel = {
        let zoom = zoom.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            zoom(if event.delta_y() > 0.0 { 1.15 } else { 1.0 / 1.15 });
        })
    };
    let onkeydown = {
        let (zoom, pan, view, apply) = (zoom.clone(), pan.clone(), view.clone(), apply.clone());
        Callback::from(move |event: KeyboardEvent| {
            let step = view.borrow()[2] * 0.1;
            match event.key().as_str() {
                "ArrowLeft" => pan(-step, 0.0),
                "ArrowRight" => pan(step, 0.0),
                "ArrowUp" => pan(0.0, -step),
                "ArrowDown" => pan(0.0, step),
                "+" | "=" => zoom(1.0 / 1.25),
                "-" | "_" => zoom(1.25),
                "0" => {
                    *view.borrow_mut() = [0.0, 0.0, picture_width, shown_height];
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
    let Some(shown) = picture.as_ref() else {
        return html! { <div class="graph-picture pending" data-testid="graph-picture-pending"><p class="reader-meta">{"Drawing the graph…"}</p></div> };
    };
    if shown.nodes.is_empty() {
        return html! {};
    }
    let used_types: std::collections::BTreeSet<&str> =
        shown.edges.iter().map(|edge| edge.relation_type.as_str()).collect();
    let used_labels: std::collections::BTreeSet<&str> = shown.nodes.iter().map(|node| node.label.as_str()).collect();
    html! {
        <figure class="graph-picture">
            <svg ref={svg} data-testid="graph-canvas" class="graph-canvas" tabindex="0" role="img" preserveAspectRatio="xMidYMin meet"
                data-layout-ms={format!("{:.1}", *layout_ms)} data-nodes={shown.nodes.len().to_string()}
                aria-label={format!("Picture of {} linked spans and {} links in {} clusters. Drag or use the arrow keys to pan, the wheel or + and - to zoom, 0 to reset. The cluster list below has the same information.", shown.nodes.len(), shown.edges.len(), shown.clusters.len())}
                {onmousedown} {onmousemove} onmouseup={onmouseup.clone()} onmouseleave={onmouseup} {onwheel} {onkeydown} {onclick}
                style={format!("aspect-ratio:{picture_width:.0}/{shown_height:.0}")}
                viewBox={format!("0 0 {picture_width:.1} {shown_height:.1}")}>
                <PictureContent picture={shown.clone()} />
            </svg>
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
