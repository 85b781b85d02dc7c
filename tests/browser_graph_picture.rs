//! Browser tests of the graph picture's DOM writer in headless Chromium: the clusters in view
//! are drawn at once and the others a batch per frame, and the layout worker's positions move
//! the drawn nodes, links and boxes in place (the same elements, a slice per frame), also while
//! batches are still due.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/support/corpus.rs"]
mod corpus;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

use crosscheck::domain::story::forces::simulate;
use crosscheck::domain::story::picture::{Picture, PictureJob};
use crosscheck::web::picture_dom::{draw, move_nodes};

wasm_bindgen_test_configure!(run_in_browser);

const SVG: &str = "http://www.w3.org/2000/svg";

async fn pause(ms: u32) {
    gloo::timers::future::TimeoutFuture::new(ms).await;
}

/// An SVG `<g>` in the page, as the picture's layer.
fn new_layer() -> Element {
    let document = gloo::utils::document();
    let svg = document.create_element_ns(Some(SVG), "svg").expect("svg");
    let layer = document.create_element_ns(Some(SVG), "g").expect("g");
    svg.append_child(&layer).expect("append");
    gloo::utils::body().append_child(&svg).expect("append");
    layer
}

fn count(layer: &Element, testid: &str) -> u32 {
    layer.query_selector_all(&format!("[data-testid={testid}]")).expect("selector").length()
}

/// Waits (up to 5 s) for every node of `picture` to be drawn.
async fn all_drawn(layer: &Element, picture: &Picture) {
    for _ in 0..100 {
        if count(layer, "graph-node") as usize == picture.nodes.len() {
            return;
        }
        pause(50).await;
    }
    panic!("only {} of {} nodes drawn", count(layer, "graph-node"), picture.nodes.len());
}

/// The drawn centre of every node, in drawing order.
fn centres(layer: &Element) -> Vec<(f64, f64)> {
    let nodes = layer.query_selector_all("[data-testid=graph-node]").expect("selector");
    (0..nodes.length())
        .filter_map(|index| nodes.item(index).and_then(|node| node.dyn_into::<Element>().ok()))
        .map(|node| {
            let number = |name: &str| node.get_attribute(name).and_then(|value| value.parse().ok()).unwrap_or(f64::NAN);
            (number("cx"), number("cy"))
        })
        .collect()
}

/// Waits (up to 5 s) for the picture's `<svg>` to say every cluster is drawn and moved.
async fn settled(layer: &Element) {
    for _ in 0..100 {
        if layer.parent_element().and_then(|svg| svg.get_attribute("data-drawn")).as_deref() == Some("all") {
            return;
        }
        pause(50).await;
    }
    panic!("the picture never settled");
}

/// Every drawn cluster box: x, y, width, height.
fn boxes(layer: &Element) -> Vec<[f64; 4]> {
    let rects = layer.query_selector_all(".picture-cluster").expect("selector");
    (0..rects.length())
        .filter_map(|index| rects.item(index).and_then(|rect| rect.dyn_into::<Element>().ok()))
        .map(|rect| {
            let number = |name: &str| rect.get_attribute(name).and_then(|value| value.parse().ok()).unwrap_or(f64::NAN);
            [number("x"), number("y"), number("width"), number("height")]
        })
        .collect()
}

fn expected_boxes(picture: &Picture) -> Vec<[f64; 4]> {
    let round = |value: f64| (value * 10.0).round() / 10.0;
    picture
        .clusters
        .iter()
        .map(|cluster| {
            [round(cluster.x + 4.0), round(cluster.y + 4.0), round(cluster.width - 8.0), round(cluster.height - 8.0)]
        })
        .collect()
}

fn expected(picture: &Picture) -> Vec<(f64, f64)> {
    let round = |value: f64| (value * 10.0).round() / 10.0;
    picture.nodes.iter().map(|node| (round(node.x), round(node.y))).collect()
}

#[wasm_bindgen_test]
async fn picture_draws_the_clusters_in_view_first_and_moves_nodes_in_place() {
    let project = corpus::generate(&corpus::CorpusSpec::small()).project;
    let job = PictureJob::new(&project);
    let initial = job.finish(&project, &[], 1100.0);
    let simulated: Vec<Vec<[f64; 2]>> = job.shapes.iter().map(simulate).collect();
    let refined = job.finish(&project, &simulated, 1100.0);
    assert!(initial.differs_only_in_layout(&refined));

    let layer = new_layer();
    let in_view = initial.clusters_above(300.0);
    let nodes_in_view = initial.nodes.iter().filter(|node| node.cluster < in_view).count();
    draw(&layer, &project, &initial, 300.0);
    // At once: exactly the clusters in view, with their links.
    assert_eq!(count(&layer, "graph-node") as usize, nodes_in_view);
    assert!(nodes_in_view > 0 && nodes_in_view < initial.nodes.len(), "{nodes_in_view} of {}", initial.nodes.len());
    let links_in_view = initial.edges.iter().filter(|edge| initial.nodes[edge.from].cluster < in_view).count();
    assert_eq!(count(&layer, "graph-edge") as usize, links_in_view);
    // Then the others, a batch per frame.
    all_drawn(&layer, &initial).await;
    assert_eq!(count(&layer, "graph-edge") as usize, initial.edges.len());
    assert_eq!(centres(&layer), expected(&initial));

    // The worker's positions move the same elements, and the boxes with them (a slice per frame).
    let first = layer.query_selector("[data-testid=graph-node]").expect("selector").expect("a node");
    assert_eq!(boxes(&layer), expected_boxes(&initial));
    assert!(move_nodes(&layer, &refined));
    settled(&layer).await;
    assert_eq!(centres(&layer), expected(&refined));
    assert_eq!(boxes(&layer), expected_boxes(&refined));
    let still = layer.query_selector("[data-testid=graph-node]").expect("selector").expect("a node");
    assert!(first.is_same_node(Some(&still)), "moved, not drawn again");
    let edge = layer.query_selector("[data-testid=graph-edge]").expect("selector").expect("an edge");
    let from = &refined.nodes[refined.edges[0].from];
    let x1: f64 = edge.get_attribute("x1").and_then(|value| value.parse().ok()).unwrap_or(f64::NAN);
    assert_eq!(x1, (from.x * 10.0).round() / 10.0, "links follow their nodes");

    // Moved while batches are still due: the nodes drawn later are drawn at the new places.
    let early = new_layer();
    draw(&early, &project, &initial, 300.0);
    assert!(move_nodes(&early, &refined));
    all_drawn(&early, &refined).await;
    settled(&early).await;
    assert_eq!(centres(&early), expected(&refined));
    assert_eq!(boxes(&early), expected_boxes(&refined));

    // A picture of other nodes is not moved (it must be drawn).
    let mut fewer = refined.clone();
    fewer.nodes.pop();
    assert!(!move_nodes(&layer, &fewer));
}
