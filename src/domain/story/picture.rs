//! The claim graph as a node-link picture: positions for every linked span, cluster by cluster.
//!
//! Each cluster of `graph::clusters` is laid out on its own by `fjadra`'s force simulation (the
//! d3-force model: links as springs, many-body repulsion, collision), with the spans of one
//! article pulled together by extra short springs and started in one sector, so an article's
//! spans sit side by side. The laid-out clusters are then packed in shelves (rows of boxes, left
//! to right), so no two clusters overlap whatever the simulation did. Pure and deterministic: the
//! simulation's random source is seeded, so one project always gives one picture.

use std::collections::BTreeMap;

use fjadra::{Collide, Link, ManyBody, Node, SimulationBuilder};

use crate::domain::annotation::{LabelId, RelationId, RelationTypeId, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::graph::{clusters, Cluster};
use crate::domain::project::Project;

/// A node's radius in picture units; clusters keep twice this apart.
pub const NODE_RADIUS: f64 = 7.0;
/// Clusters of more spans than this skip the collision force and cool faster.
const BIG_CLUSTER: usize = 60;
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

/// What decides a cluster's layout: each span's article sector (articles numbered by first
/// appearance) and the links as index pairs. Clusters of one shape get one layout, since the
/// simulation is deterministic: most clusters are pairs and chains, so a project of 2,000 links
/// runs a few dozen simulations rather than a thousand.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    sectors: Vec<usize>,
    links: Vec<(usize, usize)>,
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

/// One cluster shape laid out around its own origin: positions in cluster-span order.
fn simulate(shape: &Shape) -> Vec<[f64; 2]> {
    let sector_count = shape.sectors.iter().max().map_or(1, |max| max + 1) as f64;
    let start = 10.0 * (shape.sectors.len() as f64).sqrt();
    // Each article starts in its own sector of a circle.
    let nodes: Vec<Node> = shape
        .sectors
        .iter()
        .enumerate()
        .map(|(index, sector)| {
            let angle = std::f64::consts::TAU * (*sector as f64 + 0.5 * (index % 3) as f64 / 3.0) / sector_count;
            let radius = start + (index % 7) as f64;
            Node::default().position(radius * angle.cos(), radius * angle.sin())
        })
        .collect();
    // Short springs between consecutive spans of one article keep its spans together.
    let mut same_article = Vec::new();
    let mut last_of_sector: BTreeMap<usize, usize> = BTreeMap::new();
    for (index, sector) in shape.sectors.iter().enumerate() {
        if let Some(previous) = last_of_sector.insert(*sector, index) {
            same_article.push((previous, index));
        }
    }
    // Big clusters cool faster (a tick of a 400-span cluster costs about 1 ms natively) and
    // rely on the charge alone to keep nodes apart; small ones also resolve collisions.
    let big = shape.sectors.len() > BIG_CLUSTER;
    let ticks = if big { 50.0 } else { 80.0 };
    let mut simulation = SimulationBuilder::default()
        .with_alpha_min(0.01)
        .with_alpha_decay(1.0 - 0.01f64.powf(1.0 / ticks))
        .build(nodes)
        .add_force("links", Link::new(shape.links.clone()).distance(5.0 * NODE_RADIUS))
        .add_force("articles", Link::new(same_article).distance(3.0 * NODE_RADIUS).strength(0.4))
        .add_force("charge", ManyBody::new().strength(-40.0));
    if !big {
        simulation = simulation.add_force("collide", Collide::new().radius(|_| NODE_RADIUS * 1.6));
    }
    simulation.step();
    simulation.positions().collect()
}

/// Lays out every cluster of the project and packs them in rows of about `target_width` units.
pub fn lay_out(project: &Project, target_width: f64) -> Picture {
    let mut picture = Picture::default();
    let mut node_of: BTreeMap<&SpanId, usize> = BTreeMap::new();
    let (mut shelf_x, mut shelf_y, mut shelf_height) = (0.0f64, 0.0f64, 0.0f64);
    let all_clusters = clusters(project);
    let captioned = all_clusters.iter().map(|cluster| cluster.spans.len()).sum::<usize>() <= CAPTIONED_NODES;
    let caption_room = if captioned { CAPTION_ROOM } else { 0.0 };
    let mut laid_out: BTreeMap<Shape, Vec<[f64; 2]>> = BTreeMap::new();
    for (cluster_index, cluster) in all_clusters.iter().enumerate() {
        let positions = laid_out.entry(shape_of(project, cluster)).or_insert_with_key(simulate).clone();
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
    for cluster in &all_clusters {
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
