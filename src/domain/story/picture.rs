//! The claim graph as a node-link picture: positions for every linked span, cluster by cluster.
//!
//! Each cluster of `graph::clusters` is reduced to its [`Shape`] (its article pattern and links);
//! each distinct shape is laid out once by `forces::simulate` (fjadra, the d3-force model), and
//! the laid-out clusters are packed in shelves (rows of boxes, left to right), so no two clusters
//! overlap whatever the simulation did. [`PictureJob`] splits the two halves so the browser can
//! run the simulations in a web worker and pack here; [`lay_out`] does both at once. Pure and
//! deterministic: one project always gives one picture.

use std::collections::BTreeMap;

use crate::domain::annotation::{LabelId, RelationId, RelationTypeId, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::graph::{clusters, Cluster};
use crate::domain::project::Project;
pub use crate::domain::story::forces::{simulate, Shape, NODE_RADIUS};

/// Space around each cluster's box.
const CLUSTER_PADDING: f64 = 18.0;
/// Pictures of at most this many nodes caption each node (outlet and text) ...
pub const CAPTIONED_NODES: usize = 80;
/// ... with this much room on the right of each cluster.
const CAPTION_ROOM: f64 = 190.0;

#[derive(Clone, Debug, PartialEq)]
pub struct PictureNode {
    pub span: SpanId,
    pub article: ArticleId,
    /// The label id (for the colour).
    pub label: LabelId,
    pub cluster: usize,
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PictureEdge {
    pub relation: RelationId,
    pub relation_type: RelationTypeId,
    /// Indices into [`Picture::nodes`].
    pub from: usize,
    pub to: usize,
}

/// A cluster's box in picture units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl ClusterBox {
    pub fn overlaps(&self, other: &ClusterBox) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Picture {
    pub nodes: Vec<PictureNode>,
    pub edges: Vec<PictureEdge>,
    pub clusters: Vec<ClusterBox>,
    pub width: f64,
    pub height: f64,
}

fn shape_of(project: &Project, cluster: &Cluster) -> Shape {
    let index_of: BTreeMap<&SpanId, usize> =
        cluster.spans.iter().enumerate().map(|(index, span)| (span, index)).collect();
    let mut articles: Vec<Option<&ArticleId>> = Vec::new();
    let sectors = cluster
        .spans
        .iter()
        .map(|id| {
            let article = project.spans().get(id).map(|span| &span.article);
            articles.iter().position(|known| *known == article).unwrap_or_else(|| {
                articles.push(article);
                articles.len() - 1
            })
        })
        .collect();
    let links = cluster
        .relations
        .iter()
        .filter_map(|id| project.relations().get(id))
        .filter_map(|relation| Some((*index_of.get(&relation.from)?, *index_of.get(&relation.to)?)))
        .filter(|(from, to)| from != to)
        .collect();
    Shape { sectors, links }
}

/// A picture half made: the project's clusters, each distinct cluster [`Shape`] once (to be
/// simulated, here or in a worker) and which shape each cluster has.
#[derive(Clone, Debug, PartialEq)]
pub struct PictureJob {
    clusters: Vec<Cluster>,
    pub shapes: Vec<Shape>,
    shape_of_cluster: Vec<usize>,
}

impl PictureJob {
    pub fn new(project: &Project) -> PictureJob {
        let clusters = clusters(project);
        let mut index_of_shape: BTreeMap<Shape, usize> = BTreeMap::new();
        let mut shapes = Vec::new();
        let shape_of_cluster = clusters
            .iter()
            .map(|cluster| {
                let shape = shape_of(project, cluster);
                *index_of_shape.entry(shape.clone()).or_insert_with(|| {
                    shapes.push(shape);
                    shapes.len() - 1
                })
            })
            .collect();
        PictureJob { clusters, shapes, shape_of_cluster }
    }

    /// Places every cluster with `positions` (one list per shape, in [`PictureJob::shapes`]
    /// order, as `forces::simulate` gives them) and packs the clusters in rows of about
    /// `target_width` units. A shape whose positions are missing or of the wrong length (a bad
    /// worker reply) gets its spans in a row rather than no picture.
    pub fn finish(&self, project: &Project, positions: &[Vec<[f64; 2]>], target_width: f64) -> Picture {
        let mut picture = Picture::default();
        let mut node_of: BTreeMap<&SpanId, usize> = BTreeMap::new();
        let (mut shelf_x, mut shelf_y, mut shelf_height) = (0.0f64, 0.0f64, 0.0f64);
        let all_clusters = &self.clusters;
        let captioned = all_clusters.iter().map(|cluster| cluster.spans.len()).sum::<usize>() <= CAPTIONED_NODES;
        let caption_room = if captioned { CAPTION_ROOM } else { 0.0 };
        for (cluster_index, cluster) in all_clusters.iter().enumerate() {
            let positions = match positions.get(self.shape_of_cluster[cluster_index]) {
                Some(positions) if positions.len() == cluster.spans.len() => positions.clone(),
                _ => (0..cluster.spans.len()).map(|index| [index as f64 * 3.0 * NODE_RADIUS, 0.0]).collect(),
            };
            let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for [x, y] in &positions {
                (min_x, min_y, max_x, max_y) = (min_x.min(*x), min_y.min(*y), max_x.max(*x), max_y.max(*y));
            }
            if positions.is_empty() {
                (min_x, min_y, max_x, max_y) = (0.0, 0.0, 0.0, 0.0);
            }
            let width = max_x - min_x + 2.0 * (NODE_RADIUS + CLUSTER_PADDING) + caption_room;
            let height = max_y - min_y + 2.0 * (NODE_RADIUS + CLUSTER_PADDING);
            if shelf_x > 0.0 && shelf_x + width > target_width {
                (shelf_x, shelf_y, shelf_height) = (0.0, shelf_y + shelf_height, 0.0);
            }
            let cluster_box = ClusterBox { x: shelf_x, y: shelf_y, width, height };
            let (offset_x, offset_y) =
                (shelf_x + NODE_RADIUS + CLUSTER_PADDING - min_x, shelf_y + NODE_RADIUS + CLUSTER_PADDING - min_y);
            for (span_id, [x, y]) in cluster.spans.iter().zip(positions) {
                let Some(span) = project.spans().get(span_id) else { continue };
                node_of.insert(span_id, picture.nodes.len());
                picture.nodes.push(PictureNode {
                    span: span_id.clone(),
                    article: span.article.clone(),
                    label: span.label.clone(),
                    cluster: cluster_index,
                    x: x + offset_x,
                    y: y + offset_y,
                });
            }
            picture.clusters.push(cluster_box);
            shelf_x += width;
            shelf_height = shelf_height.max(height);
            picture.width = picture.width.max(shelf_x);
            picture.height = picture.height.max(shelf_y + shelf_height);
        }
        for cluster in all_clusters {
            for relation in cluster.relations.iter().filter_map(|id| project.relations().get(id)) {
                if let (Some(&from), Some(&to)) = (node_of.get(&relation.from), node_of.get(&relation.to)) {
                    picture.edges.push(PictureEdge {
                        relation: relation.id.clone(),
                        relation_type: relation.relation_type.clone(),
                        from,
                        to,
                    });
                }
            }
        }
        picture
    }
}

/// Lays out every cluster of the project and packs them in rows of about `target_width` units
/// (the simulations on this thread: natively, and in tests).
pub fn lay_out(project: &Project, target_width: f64) -> Picture {
    let job = PictureJob::new(project);
    let positions: Vec<Vec<[f64; 2]>> = job.shapes.iter().map(simulate).collect();
    job.finish(project, &positions, target_width)
}
