//! The graph picture's shapes in the DOM: a laid-out `domain::story::picture::Picture` written
//! into an SVG group by `js/graph_picture.js` (the clusters in view at once, the others in three
//! steps, a frame each), and moved there to the layout worker's positions (in steps too).
//!
//! Rendering the ~5,000 shapes of a 2,000-link picture through Yew cost one virtual node, one DOM
//! call and one string decoded from WebAssembly per attribute (0.35–1 s on this machine); here the
//! coordinates cross as two typed arrays, each name once (the span ids as one JSON string), and JavaScript clones template
//! elements. Names go through `setAttribute` and `textContent` only, never markup.

use js_sys::Array;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

use crate::domain::project::Project;
use crate::domain::story::picture::{Picture, NODE_RADIUS};

#[wasm_bindgen(module = "/js/graph_picture.js")]
extern "C" {
    #[allow(clippy::too_many_arguments)]
    fn draw_picture(
        layer: &web_sys::Element,
        radius: f64,
        boxes: &[f64],
        points: &[f64],
        spans_json: &str,
        articles: &Array,
        article_of: &[u32],
        colours: &Array,
        colour_of: &[u32],
        links: &[u32],
        types: &Array,
        captions: &Array,
        ends: &[u32],
        first_clusters: u32,
    );

    fn move_picture(layer: &web_sys::Element, points: &[f64], boxes: &[f64]) -> bool;
}

/// The index of each distinct name in first-seen order, and the names as a JavaScript array.
struct Names<'a> {
    index: BTreeMap<&'a str, u32>,
    list: Array,
}

impl<'a> Names<'a> {
    fn new() -> Self {
        Names { index: BTreeMap::new(), list: Array::new() }
    }

    fn of(&mut self, name: &'a str) -> u32 {
        let list = &self.list;
        *self.index.entry(name).or_insert_with(|| list.push(&JsValue::from_str(name)) - 1)
    }
}

/// Each node's centre, x then y, in node order.
fn points_of(picture: &Picture) -> Vec<f64> {
    picture.nodes.iter().flat_map(|node| [node.x, node.y]).collect()
}

/// Per cluster, how many nodes and links there are up to and including it (both are listed
/// cluster by cluster), so that the page can draw the picture cluster by cluster.
fn cluster_ends(picture: &Picture) -> Vec<u32> {
    let mut ends = vec![0u32; 2 * picture.clusters.len()];
    for node in &picture.nodes {
        if let Some(end) = ends.get_mut(2 * node.cluster) {
            *end += 1;
        }
    }
    for edge in &picture.edges {
        if let Some(end) = picture.nodes.get(edge.from).and_then(|node| ends.get_mut(2 * node.cluster + 1)) {
            *end += 1;
        }
    }
    for index in 2..ends.len() {
        ends[index] += ends[index - 2];
    }
    ends
}

/// Each cluster's drawn box (inset by 4 units on each side of its packed box): x, y, width,
/// height.
fn boxes_of(picture: &Picture) -> Vec<f64> {
    picture
        .clusters
        .iter()
        .flat_map(|cluster| [cluster.x + 4.0, cluster.y + 4.0, cluster.width - 8.0, cluster.height - 8.0])
        .collect()
}

/// Moves the nodes, links and cluster boxes drawn in `layer` to `picture`'s positions, writing
/// only the coordinates that changed, a slice per frame (`js/graph_picture.js`). For a picture
/// that differs from the drawn one only in its layout (`Picture::differs_only_in_layout`);
/// false, with nothing changed, when `layer` does not hold a picture of as many nodes and
/// clusters (it must then be drawn).
pub fn move_nodes(layer: &web_sys::Element, picture: &Picture) -> bool {
    move_picture(layer, &points_of(picture), &boxes_of(picture))
}

/// Replaces the children of `layer` with `picture`'s cluster boxes, links, nodes (coloured by
/// label) and, for small pictures, the nodes' captions: the clusters whose box starts above
/// `view_bottom` (picture units) at once, the others in three steps, a frame each, after that.
pub fn draw(layer: &web_sys::Element, project: &Project, picture: &Picture, view_bottom: f64) {
    let boxes = boxes_of(picture);
    let points = points_of(picture);
    let (mut articles, mut colours, mut types) = (Names::new(), Names::new(), Names::new());
    let mut article_of = Vec::with_capacity(picture.nodes.len());
    let mut colour_of = Vec::with_capacity(picture.nodes.len());
    let captions = Array::new();
    let captioned = picture.nodes.iter().any(|node| !node.caption.is_empty());
    for node in &picture.nodes {
        article_of.push(articles.of(node.article.as_str()));
        colour_of.push(colours.of(project.label(&node.label).map_or("#888888", |label| label.color.as_str())));
        if captioned {
            captions.push(&JsValue::from_str(&node.caption));
        }
    }
    let links: Vec<u32> = picture
        .edges
        .iter()
        .flat_map(|edge| [edge.from as u32, edge.to as u32, types.of(edge.relation_type.as_str())])
        .collect();
    // The span ids as one JSON array: one string decoded from WebAssembly instead of one per
    // node (3,055 of them cost about 20 ms of the click on the Claim graph tab).
    let span_ids: Vec<&str> = picture.nodes.iter().map(|node| node.span.as_str()).collect();
    let spans_json = serde_json::to_string(&span_ids).unwrap_or_else(|_| String::from("[]"));
    draw_picture(
        layer,
        NODE_RADIUS,
        &boxes,
        &points,
        &spans_json,
        &articles.list,
        &article_of,
        &colours.list,
        &colour_of,
        &links,
        &types.list,
        &captions,
        &cluster_ends(picture),
        picture.clusters_above(view_bottom) as u32,
    );
}
