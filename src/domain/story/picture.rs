//! The claim graph as a node-link picture: positions for every linked span, cluster by cluster.
//!
//! Each cluster of `graph::clusters` is reduced to its [`Shape`] (its article pattern and links);
//! each distinct shape is laid out once by `forces::simulate` (fjadra, the d3-force model), and
//! the laid-out clusters are packed in shelves (rows of boxes, left to right), so no two clusters
//! overlap whatever the simulation did. [`PictureJob`] splits the two halves so the browser can
//! run the simulations in a web worker and pack here; [`lay_out`] does both at once. Pure and
//! deterministic: one project always gives one picture.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::domain::annotation::{LabelId, RelationId, RelationTypeId, SpanId};
use crate::domain::article::{shorten, Article, ArticleId};
use crate::domain::graph::{clusters, Cluster};
use crate::domain::project::Project;
use crate::domain::sorting::InsertEach;
pub use crate::domain::story::forces::{initial_positions, simulate, Shape, NODE_RADIUS};

/// Space around each cluster's box.
const CLUSTER_PADDING: f64 = 12.0;
/// Pictures of at most this many nodes caption each node (outlet and text), ...
pub const CAPTIONED_NODES: usize = 80;
/// ... one to a line this tall (no two captioned nodes of a cluster are closer vertically) ...
const CAPTION_LINE: f64 = 2.0 * NODE_RADIUS + 2.0;
/// ... this far right of the node's centre ...
pub const CAPTION_GAP: f64 = NODE_RADIUS + 4.0;
/// ... in 11 px text, whose characters are at most this wide on average (a generous figure for
/// the UI font, so a caption stays inside its cluster's box).
const CAPTION_CHAR_WIDTH: f64 = 6.6;
/// The outlet and text parts of a caption are shortened to these many characters.
const CAPTION_OUTLET_CHARS: usize = 18;
const CAPTION_TEXT_CHARS: usize = 26;

#[derive(Clone, Debug, PartialEq)]
pub struct PictureNode {
    pub span: SpanId,
    pub article: ArticleId,
    /// The label id (for the colour).
    pub label: LabelId,
    pub cluster: usize,
    pub x: f64,
    pub y: f64,
    /// "outlet · text", shortened; empty in pictures of more than [`CAPTIONED_NODES`] nodes.
    pub caption: String,
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

impl Picture {
    /// How many clusters have their box start above `y`: those in a view of the picture's top
    /// `y` units (clusters are packed in rows from the top, so they are the first ones).
    pub fn clusters_above(&self, y: f64) -> usize {
        self.clusters.iter().take_while(|cluster| cluster.y < y).count()
    }

    /// Whether `other` draws the same nodes (span, article, label), links (relation, type, ends)
    /// and as many clusters as this picture, without captions, so that drawing it means moving
    /// the drawn nodes, links and boxes: the picture at its simulated layout after the one at
    /// its initial layout.
    pub fn differs_only_in_layout(&self, other: &Picture) -> bool {
        let same_node = |left: &PictureNode, right: &PictureNode| {
            left.span == right.span
                && left.article == right.article
                && left.label == right.label
                && left.caption.is_empty()
                && right.caption.is_empty()
        };
        let same_edge = |left: &PictureEdge, right: &PictureEdge| {
            (&left.relation, &left.relation_type, left.from, left.to)
                == (&right.relation, &right.relation_type, right.from, right.to)
        };
        self.clusters.len() == other.clusters.len()
            && self.nodes.len() == other.nodes.len()
            && self.edges.len() == other.edges.len()
            && self.nodes.iter().zip(&other.nodes).all(|(left, right)| same_node(left, right))
            && self.edges.iter().zip(&other.edges).all(|(left, right)| same_edge(left, right))
    }
}

/// What a caption calls an article: its site name, else its source unless that is a file name
/// (the built-in corpus and uploaded files have `000_92a9….txt`), else its title.
pub fn caption_name(article: &Article) -> String {
    let source = article.source.trim();
    let file_name = !source.contains(char::is_whitespace)
        && source.rsplit_once('.').is_some_and(|(stem, extension)| {
            !stem.is_empty()
                && ["txt", "text", "md", "html", "htm", "json", "jsonl", "csv", "xml"]
                    .contains(&extension.to_ascii_lowercase().as_str())
        });
    [article.metadata.site_name.trim(), if file_name { "" } else { source }, article.title.trim()]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or(source)
        .to_string()
}

/// A node's caption: where it comes from and what it says, both shortened.
fn caption_of(project: &Project, span: &crate::domain::annotation::Span) -> String {
    let outlet = project.article(&span.article).map(|article| caption_name(article)).unwrap_or_default();
    format!("{} · {}", shorten(&outlet, CAPTION_OUTLET_CHARS), shorten(&span.text, CAPTION_TEXT_CHARS))
}

/// How wide a caption is drawn, at most, in picture units.
pub fn caption_width(caption: &str) -> f64 {
    caption.chars().count() as f64 * CAPTION_CHAR_WIDTH
}

fn shape_of(project: &Project, cluster: &Cluster) -> Shape {
    let index_of: BTreeMap<&SpanId, usize> =
        cluster.spans.iter().enumerate().map(|(index, span)| (span, index)).into_map();
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

/// The extent of a list of positions: min x, min y, max x, max y (all 0 when there are none).
fn extent(positions: &[[f64; 2]]) -> [f64; 4] {
    if positions.is_empty() {
        return [0.0; 4];
    }
    positions.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |[min_x, min_y, max_x, max_y], [x, y]| {
        [min_x.min(*x), min_y.min(*y), max_x.max(*x), max_y.max(*y)]
    })
}

/// `positions` moved down where needed so that no two are less than a caption's line apart
/// vertically (captions run to the right of their node: on one line they would overlap), in
/// top-to-bottom order; x is kept.
fn one_caption_per_line(positions: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    crate::domain::sorting::sort_by(&mut order, |left, right| {
        let ([left_x, left_y], [right_x, right_y]) = (positions[*left], positions[*right]);
        left_y.total_cmp(&right_y).then(left_x.total_cmp(&right_x))
    });
    let mut spread = positions.to_vec();
    let mut last_y = f64::NEG_INFINITY;
    for index in order {
        spread[index][1] = spread[index][1].max(last_y + CAPTION_LINE);
        last_y = spread[index][1];
    }
    spread
}

/// A picture half made: the project's clusters, each distinct cluster [`Shape`] once (to be
/// simulated, here or in a worker) with its [`initial_positions`], and which shape each cluster
/// has.
#[derive(Clone, Debug, PartialEq)]
pub struct PictureJob {
    clusters: Rc<Vec<Cluster>>,
    pub shapes: Vec<Shape>,
    /// Per shape, where its spans are drawn before the simulation answers.
    initial: Vec<Vec<[f64; 2]>>,
    shape_of_cluster: Vec<usize>,
}

impl PictureJob {
    pub fn new(project: &Project) -> PictureJob {
        PictureJob::of_clusters(project, Rc::new(clusters(project)))
    }

    /// [`PictureJob::new`] with the project's clusters already found (`graph::clusters`).
    pub fn of_clusters(project: &Project, clusters: Rc<Vec<Cluster>>) -> PictureJob {
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
        let initial = shapes.iter().map(initial_positions).collect();
        PictureJob { clusters, shapes, initial, shape_of_cluster }
    }

    /// The clusters this job places.
    pub fn clusters(&self) -> &Rc<Vec<Cluster>> {
        &self.clusters
    }

    /// Places every cluster with `positions` (one list per shape, in [`PictureJob::shapes`]
    /// order, as `forces::simulate` gives them) and packs the clusters in rows of about
    /// `target_width` units. A shape whose positions are missing, empty (not laid out yet) or of
    /// the wrong length (a bad worker reply) is drawn at its [`initial_positions`]. Each box is
    /// packed from its cluster's real extent at the positions used, so no node reaches past it:
    /// the picture drawn at once and the one drawn when the worker answers have the same nodes,
    /// links and clusters, at other places ([`Picture::differs_only_in_layout`]).
    pub fn finish(&self, project: &Project, positions: &[Vec<[f64; 2]>], target_width: f64) -> Picture {
        let mut picture = Picture::default();
        let mut node_of: BTreeMap<&SpanId, usize> = BTreeMap::new();
        let (mut shelf_x, mut shelf_y, mut shelf_height) = (0.0f64, 0.0f64, 0.0f64);
        let all_clusters = &*self.clusters;
        let captioned = all_clusters.iter().map(|cluster| cluster.spans.len()).sum::<usize>() <= CAPTIONED_NODES;
        for (cluster_index, cluster) in all_clusters.iter().enumerate() {
            let shape = self.shape_of_cluster[cluster_index];
            let initial = &self.initial[shape];
            let given = positions
                .get(shape)
                .filter(|positions| positions.len() == cluster.spans.len() && initial.len() == positions.len());
            // Every cluster takes the room its layout needs (its real extent, whichever layout
            // it is at), a captioned one with a caption's line per node. (Fitting the simulated
            // layout into its initial one's frame kept the boxes but squeezed big clusters.)
            let positions = match given {
                Some(given) if captioned => one_caption_per_line(given),
                None if captioned => one_caption_per_line(initial),
                Some(given) => given.clone(),
                None => initial.clone(),
            };
            let [min_x, min_y, max_x, max_y] = extent(&positions);
            let captions: Vec<String> = cluster
                .spans
                .iter()
                .map(|id| match project.spans().get(id) {
                    Some(span) if captioned => caption_of(project, span),
                    _ => String::new(),
                })
                .collect();
            // The box reaches past the right end of the widest caption.
            let caption_right = positions
                .iter()
                .zip(&captions)
                .filter(|(_, caption)| !caption.is_empty())
                .map(|([x, _], caption)| x - min_x + CAPTION_GAP + caption_width(caption))
                .fold(max_x - min_x + NODE_RADIUS, f64::max);
            let width = caption_right + NODE_RADIUS + 2.0 * CLUSTER_PADDING;
            let height = max_y - min_y + 2.0 * (NODE_RADIUS + CLUSTER_PADDING);
            if shelf_x > 0.0 && shelf_x + width > target_width {
                (shelf_x, shelf_y, shelf_height) = (0.0, shelf_y + shelf_height, 0.0);
            }
            let cluster_box = ClusterBox { x: shelf_x, y: shelf_y, width, height };
            let (offset_x, offset_y) =
                (shelf_x + NODE_RADIUS + CLUSTER_PADDING - min_x, shelf_y + NODE_RADIUS + CLUSTER_PADDING - min_y);
            for ((span_id, [x, y]), caption) in cluster.spans.iter().zip(positions).zip(captions) {
                let Some(span) = project.spans().get(span_id) else { continue };
                node_of.insert(span_id, picture.nodes.len());
                picture.nodes.push(PictureNode {
                    span: span_id.clone(),
                    article: span.article.clone(),
                    label: span.label.clone(),
                    cluster: cluster_index,
                    x: x + offset_x,
                    y: y + offset_y,
                    caption,
                });
            }
            picture.clusters.push(cluster_box);
            shelf_x += width;
            shelf_height = shelf_height.max(height);
            picture.width = picture.width.max(shelf_x);
            picture.height = picture.height.max(shelf_y + shelf_height);
        }
        for cluster in all_clusters.iter() {
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
