//! The graph picture's shapes in the DOM: a laid-out `domain::story::picture::Picture` written
//! into an SVG group by `js/graph_picture.js` in one pass.
//!
//! Rendering the ~5,000 shapes of a 2,000-link picture through Yew cost one virtual node, one DOM
//! call and one string decoded from WebAssembly per attribute (0.35–1 s on this machine); here the
//! coordinates cross as two typed arrays, each name once, and JavaScript clones template
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
        spans: &Array,
        articles: &Array,
        article_of: &[u32],
        colours: &Array,
        colour_of: &[u32],
        links: &[u32],
        types: &Array,
        captions: &Array,
    );
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

/// Replaces the children of `layer` with `picture`'s cluster boxes, links, nodes (coloured by
/// label) and, for small pictures, the nodes' captions.
pub fn draw(layer: &web_sys::Element, project: &Project, picture: &Picture) {
    let boxes: Vec<f64> = picture
        .clusters
        .iter()
        .flat_map(|cluster| [cluster.x + 4.0, cluster.y + 4.0, cluster.width - 8.0, cluster.height - 8.0])
        .collect();
    let points: Vec<f64> = picture.nodes.iter().flat_map(|node| [node.x, node.y]).collect();
    let spans = Array::new();
    let (mut articles, mut colours, mut types) = (Names::new(), Names::new(), Names::new());
    let mut article_of = Vec::with_capacity(picture.nodes.len());
    let mut colour_of = Vec::with_capacity(picture.nodes.len());
    let captions = Array::new();
    let captioned = picture.nodes.iter().any(|node| !node.caption.is_empty());
    for node in &picture.nodes {
        spans.push(&JsValue::from_str(node.span.as_str()));
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
    draw_picture(
        layer,
        NODE_RADIUS,
        &boxes,
        &points,
        &spans,
        &articles.list,
        &article_of,
        &colours.list,
        &colour_of,
        &links,
        &types.list,
        &captions,
    );
}
