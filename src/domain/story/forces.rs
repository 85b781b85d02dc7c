//! The force simulation of one cluster shape, and the messages that carry it to a worker.
//!
//! A [`Shape`] is what decides a cluster's layout: each span's article sector and the links.
//! [`simulate`] lays a shape out with `fjadra`'s force simulation (the d3-force model: links as
//! springs, many-body repulsion, collision), with the spans of one article pulled together by
//! extra short springs and started in one sector. Deterministic: one shape, one layout. In the
//! browser this runs in the `layout_worker` bin (a web worker), fed a [`LayoutRequest`] as JSON
//! and answering a [`LayoutReply`]; natively `picture::lay_out` calls it directly. JSON carries
//! `f64`s exactly (shortest round-trip form), so both paths give the same picture.

use std::collections::BTreeMap;

use fjadra::{Collide, Link, ManyBody, Node, Simulation, SimulationBuilder};
use serde::{Deserialize, Serialize};

use crate::domain::sorting::InsertEach;

/// A node's radius in picture units; clusters keep twice this apart.
pub const NODE_RADIUS: f64 = 7.0;
/// Clusters of more spans than this skip the collision force and cool faster.
const BIG_CLUSTER: usize = 60;

/// What decides a cluster's layout: each span's article sector (articles numbered by first
/// appearance) and the links as index pairs. Clusters of one shape get one layout, since the
/// simulation is deterministic: most clusters are pairs and chains, so a project of 2,000 links
/// runs a few dozen simulations rather than a thousand.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Shape {
    pub sectors: Vec<usize>,
    pub links: Vec<(usize, usize)>,
}

/// Spans of one article are placed this far apart, centre to centre, by [`initial_positions`].
const START_SPACING: f64 = 3.2 * NODE_RADIUS;
/// Articles' groups are kept this far apart at the start (a link's length).
const START_GAP: f64 = 3.0 * NODE_RADIUS;
/// Shapes of at most this many spans get the full simulation; larger ones start from their
/// [`initial_positions`] and run [`BIG_SHAPE_TICKS`] ticks only (the largest shape of the
/// 2,000-link benchmark, 368 spans, cost 60 % of the whole layout at 50 ticks).
const FULL_SIMULATION: usize = 150;
const BIG_SHAPE_TICKS: f64 = 20.0;
/// ... starting at this heat (1 is a simulation from scratch), so their discs settle rather
/// than fly apart.
const BIG_SHAPE_ALPHA: f64 = 0.4;

/// Where a shape's spans start, without any simulation: each article's spans on a sunflower
/// (phyllotaxis) disc, the discs around a circle in article order, none overlapping. Cheap
/// (`O(n)`) and deterministic, so the picture can be drawn at once from these positions and
/// moved to [`simulate`]'s when the worker answers; the simulation starts from them too.
pub fn initial_positions(shape: &Shape) -> Vec<[f64; 2]> {
    let sector_count = shape.sectors.iter().max().map_or(0, |max| max + 1);
    let mut sizes = vec![0usize; sector_count];
    for sector in &shape.sectors {
        sizes[*sector] += 1;
    }
    // Sunflower radius step: about START_SPACING between neighbours (area per span).
    let step = START_SPACING / std::f64::consts::PI.sqrt();
    let disc_radius = |size: usize| if size <= 1 { NODE_RADIUS } else { step * (size as f64).sqrt() + NODE_RADIUS };
    let radii: Vec<f64> = sizes.iter().map(|size| disc_radius(*size)).collect();
    // The smallest circle around which the discs fit side by side (each takes the angle its
    // disc and half a gap subtend), then the spare angle shared out evenly.
    let half_angle = |radius: f64, ring: f64| ((radius + START_GAP / 2.0) / ring).min(1.0).asin();
    let mut ring = radii.iter().copied().fold(0.0, f64::max) + START_GAP / 2.0;
    if sector_count > 1 {
        while radii.iter().map(|radius| 2.0 * half_angle(*radius, ring)).sum::<f64>() > std::f64::consts::TAU {
            ring *= 1.08;
        }
    }
    let used: f64 = radii.iter().map(|radius| 2.0 * half_angle(*radius, ring)).sum();
    let spare = (std::f64::consts::TAU - used).max(0.0) / sector_count.max(1) as f64;
    let mut centres = Vec::with_capacity(sector_count);
    let mut angle = std::f64::consts::PI;
    for radius in &radii {
        let half = half_angle(*radius, ring) + spare / 2.0;
        angle += half;
        centres.push(if sector_count > 1 { [ring * angle.cos(), ring * angle.sin()] } else { [0.0, 0.0] });
        angle += half;
    }
    // The golden angle between consecutive spans of one disc.
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut placed = vec![0usize; sector_count];
    shape
        .sectors
        .iter()
        .map(|sector| {
            let index = placed[*sector];
            placed[*sector] += 1;
            let [x, y] = centres[*sector];
            if sizes[*sector] <= 1 {
                return [x, y];
            }
            let radius = step * (index as f64 + 0.5).sqrt();
            let turn = golden * index as f64;
            [x + radius * turn.cos(), y + radius * turn.sin()]
        })
        .collect()
}

/// One shape laid out around its own origin: positions in the shape's span order.
pub fn simulate(shape: &Shape) -> Vec<[f64; 2]> {
    let mut simulation = simulation_of(shape);
    simulation.step();
    rounded_positions(&simulation)
}

/// The force simulation of `shape`, before its first tick ([`simulate`] runs it to the end).
fn simulation_of(shape: &Shape) -> Simulation {
    // Each article starts on its own disc.
    let nodes: Vec<Node> = initial_positions(shape).into_iter().map(|[x, y]| Node::default().position(x, y)).collect();
    // Links to a span the shape does not have would make fjadra index out of bounds.
    let links: Vec<(usize, usize)> = shape
        .links
        .iter()
        .copied()
        .filter(|(from, to)| *from < nodes.len() && *to < nodes.len() && from != to)
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
    // rely on the charge alone to keep nodes apart; small ones also resolve collisions. The
    // biggest start well placed and only settle.
    let size = shape.sectors.len();
    let big = size > BIG_CLUSTER;
    let (alpha, ticks) = if size > FULL_SIMULATION {
        (BIG_SHAPE_ALPHA, BIG_SHAPE_TICKS)
    } else if big {
        (1.0, 50.0)
    } else {
        (1.0, 80.0)
    };
    let alpha_min = 0.01f64;
    let mut simulation = SimulationBuilder::default()
        .with_alpha(alpha)
        .with_alpha_min(alpha_min)
        .with_alpha_decay(1.0 - (alpha_min / alpha).powf(1.0 / ticks))
        .build(nodes)
        .add_force("links", Link::new(links).distance(5.0 * NODE_RADIUS))
        .add_force("articles", Link::new(same_article).distance(3.0 * NODE_RADIUS).strength(0.4))
        .add_force("charge", ManyBody::new().strength(-40.0));
    if !big {
        simulation = simulation.add_force("collide", Collide::new().radius(|_| NODE_RADIUS * 1.6));
    }
    simulation
}

/// A simulation's positions, in thousandths of a unit: short decimals cross the worker's JSON
/// exactly (serde_json reads long ones to within a bit of the written value, and the picture
/// must not depend on it).
fn rounded_positions(simulation: &Simulation) -> Vec<[f64; 2]> {
    let round = |value: f64| (value * 1000.0).round() / 1000.0;
    simulation.positions().map(|[x, y]| [round(x), round(y)]).collect()
}

/// The shapes to lay out; `id` comes back in the reply, so a stale reply can be told apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutRequest {
    pub id: u32,
    pub shapes: Vec<Shape>,
}

/// The positions of each requested shape, in request order; or why there are none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutReply {
    pub id: u32,
    #[serde(default)]
    pub positions: Vec<Vec<[f64; 2]>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A [`LayoutRequest`] in JSON answered whole with a [`LayoutReply`] in JSON (with `error` set
/// when the request does not parse): what the layout worker's slices of a [`LayoutJob`] add up
/// to, and what it answers at once where it cannot slice ([`LayoutJob::finish`]: no
/// `MessageChannel`).
pub fn answer(request_json: &str) -> String {
    LayoutJob::start(request_json).map_or_else(|reply| reply, LayoutJob::finish)
}

/// One [`LayoutRequest`] worked through a tick of a simulation at a time, so that the worker
/// can stop between two ticks: a page that goes away (a reload) ends its worker at the end of
/// the running task, and a whole request was ~200 ms of the benchmark's layout, run on one of
/// two cores while the next page loaded. Gives the positions [`simulate`] gives.
pub struct LayoutJob {
    id: u32,
    shapes: std::vec::IntoIter<Shape>,
    /// The shape being laid out.
    running: Option<Simulation>,
    positions: Vec<Vec<[f64; 2]>>,
}

impl LayoutJob {
    /// The job of a request in JSON; or, when it does not parse, the reply (an error) to send.
    pub fn start(request_json: &str) -> Result<LayoutJob, String> {
        match serde_json::from_str::<LayoutRequest>(request_json) {
            Ok(request) => Ok(LayoutJob {
                id: request.id,
                positions: Vec::with_capacity(request.shapes.len()),
                shapes: request.shapes.into_iter(),
                running: None,
            }),
            Err(error) => Err(reply_json(&LayoutReply {
                id: 0,
                positions: Vec::new(),
                error: Some(format!("bad layout request: {error}")),
            })),
        }
    }

    /// Runs ticks for as long as `go_on` (asked after each tick) says so; true when every shape
    /// is laid out.
    pub fn advance(&mut self, mut go_on: impl FnMut() -> bool) -> bool {
        loop {
            let simulation = match &mut self.running {
                Some(simulation) => simulation,
                None => match self.shapes.next() {
                    Some(shape) => self.running.insert(simulation_of(&shape)),
                    None => return true,
                },
            };
            if simulation.is_finished() {
                self.positions.push(rounded_positions(simulation));
                self.running = None;
                continue;
            }
            simulation.tick(1);
            if !go_on() {
                return false;
            }
        }
    }

    /// Runs the rest of the job at once; its reply.
    pub fn finish(mut self) -> String {
        while !self.advance(|| true) {}
        self.reply()
    }

    /// The reply, in JSON: the positions of the shapes laid out so far, in request order.
    pub fn reply(self) -> String {
        reply_json(&LayoutReply { id: self.id, positions: self.positions, error: None })
    }
}

fn reply_json(reply: &LayoutReply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|_| r#"{"id":0,"error":"unserialisable reply"}"#.to_string())
}

/// Laid-out shapes kept by [`ShapeMemory`] at most; past this it starts again empty.
const KEPT_SHAPES: usize = 4096;

/// The positions of every shape laid out so far, so that a picture drawn again (the view opened
/// again, or after an edit that changed one cluster) only lays out shapes it has not seen:
/// [`simulate`] is deterministic, so a kept layout is the layout.
#[derive(Clone, Debug, Default)]
pub struct ShapeMemory {
    laid_out: BTreeMap<Shape, Vec<[f64; 2]>>,
}

impl ShapeMemory {
    /// The shapes of `shapes` not laid out yet, each once, in first-seen order.
    pub fn missing(&self, shapes: &[Shape]) -> Vec<Shape> {
        let mut missing: Vec<Shape> = Vec::new();
        for shape in shapes {
            if !self.laid_out.contains_key(shape) && !missing.contains(shape) {
                missing.push(shape.clone());
            }
        }
        missing
    }

    /// The kept positions of each of `shapes`, in order; empty for a shape not kept.
    pub fn kept(&self, shapes: &[Shape]) -> Vec<Vec<[f64; 2]>> {
        shapes.iter().map(|shape| self.laid_out.get(shape).cloned().unwrap_or_default()).collect()
    }

    /// The positions of each of `shapes`, if every one is kept.
    pub fn positions(&self, shapes: &[Shape]) -> Option<Vec<Vec<[f64; 2]>>> {
        shapes.iter().map(|shape| self.laid_out.get(shape).cloned()).collect()
    }

    /// The positions of each of `shapes`, from `positions` (one list per shape of `laid_out`, in
    /// order, as the worker answers [`ShapeMemory::missing`]) and from those kept; then keeps the
    /// new ones. `None` when the counts differ or a shape is in neither (a reply to another
    /// request).
    pub fn complete(
        &mut self,
        shapes: &[Shape],
        laid_out: Vec<Shape>,
        positions: Vec<Vec<[f64; 2]>>,
    ) -> Option<Vec<Vec<[f64; 2]>>> {
        if laid_out.len() != positions.len() {
            return None;
        }
        let fresh: BTreeMap<&Shape, &Vec<[f64; 2]>> = laid_out.iter().zip(&positions).into_map();
        let all: Option<Vec<Vec<[f64; 2]>>> = shapes
            .iter()
            .map(|shape| fresh.get(shape).copied().or_else(|| self.laid_out.get(shape)).cloned())
            .collect();
        if self.laid_out.len() + laid_out.len() > KEPT_SHAPES {
            self.laid_out.clear();
        }
        self.laid_out.extend(laid_out.into_iter().zip(positions));
        all
    }
}
