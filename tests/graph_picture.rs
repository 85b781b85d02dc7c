#![cfg(not(target_arch = "wasm32"))]
//! The graph picture drawn at once and refined later: every cluster shape gets cheap initial
//! positions (drawn before the layout worker answers), and the simulated layout then moves the
//! drawn nodes, links and boxes (each box packed from its cluster's real extent).

#[path = "../benches/support/corpus.rs"]
mod corpus;

use crosscheck::domain::story::forces::{initial_positions, simulate, Shape, NODE_RADIUS};
use crosscheck::domain::story::picture::{lay_out, PictureJob};

fn distance([x1, y1]: [f64; 2], [x2, y2]: [f64; 2]) -> f64 {
    ((x1 - x2).powi(2) + (y1 - y2).powi(2)).sqrt()
}

/// A shape of `sizes[i]` spans in article `i`, each linked to the next span.
fn shape(sizes: &[usize]) -> Shape {
    let sectors: Vec<usize> =
        sizes.iter().enumerate().flat_map(|(sector, size)| std::iter::repeat_n(sector, *size)).collect();
    let links = (1..sectors.len()).map(|index| (index - 1, index)).collect();
    Shape { sectors, links }
}

/// The picture is drawn from these positions before any simulation: no two spans may overlap,
/// whatever the mix of article sizes.
#[test]
fn initial_positions_keep_every_span_apart() {
    for sizes in [vec![1, 1], vec![1, 1, 1], vec![2], vec![1, 40, 3, 120, 7], vec![50], vec![368], vec![5, 5, 5, 5, 5]]
    {
        let shape = shape(&sizes);
        let positions = initial_positions(&shape);
        assert_eq!(positions.len(), shape.sectors.len());
        assert_eq!(initial_positions(&shape), positions, "deterministic");
        for (index, left) in positions.iter().enumerate() {
            for right in &positions[index + 1..] {
                assert!(distance(*left, *right) >= 2.0 * NODE_RADIUS, "{sizes:?}: {left:?} and {right:?} overlap");
            }
        }
    }
    // A pair sits a link's length apart.
    let pair = initial_positions(&shape(&[1, 1]));
    assert!((distance(pair[0], pair[1]) - 5.0 * NODE_RADIUS).abs() < 1e-9, "{pair:?}");
}

/// The 2,000-link benchmark's shape (here the small corpus: 200 links): the picture drawn at
/// once and the one drawn when the worker answers have the same nodes, links and clusters, so
/// the page moves them rather than drawing again; the simulated positions do differ, every
/// node stays inside its cluster's box and no two boxes overlap.
#[test]
fn simulated_layout_moves_nodes_and_boxes_and_every_node_stays_inside_its_box() {
    let project = corpus::generate(&corpus::CorpusSpec::small()).project;
    let job = PictureJob::new(&project);
    let initial = job.finish(&project, &[], 1100.0);
    let simulated: Vec<Vec<[f64; 2]>> = job.shapes.iter().map(simulate).collect();
    let refined = job.finish(&project, &simulated, 1100.0);
    assert!(initial.nodes.len() > 80, "big enough to go without captions: {}", initial.nodes.len());
    assert!(initial.differs_only_in_layout(&refined));
    assert_ne!(initial, refined, "the simulation moved something");
    assert_ne!(initial.clusters, refined.clusters, "the boxes follow each cluster's laid-out extent");
    assert_eq!(refined, lay_out(&project, 1100.0));
    for picture in [&initial, &refined] {
        for (index, left) in picture.clusters.iter().enumerate() {
            assert!(picture.clusters[index + 1..].iter().all(|right| !left.overlaps(right)), "{left:?} overlaps");
        }
        for node in &picture.nodes {
            let cluster = picture.clusters[node.cluster];
            assert!(node.x - NODE_RADIUS >= cluster.x && node.x + NODE_RADIUS <= cluster.x + cluster.width, "{node:?}");
            assert!(
                node.y - NODE_RADIUS >= cluster.y && node.y + NODE_RADIUS <= cluster.y + cluster.height,
                "{node:?}"
            );
        }
    }
    // Kept positions for some shapes and none for others mix in one picture of the same boxes.
    let mut some: Vec<Vec<[f64; 2]>> = simulated.clone();
    some[0].clear();
    assert!(initial.differs_only_in_layout(&job.finish(&project, &some, 1100.0)));
}

/// A change other than positions is drawn again: another link type, or captions.
#[test]
fn differs_only_in_layout_refuses_other_changes() {
    let project = corpus::generate(&corpus::CorpusSpec::small()).project;
    let picture = lay_out(&project, 1100.0);
    assert!(picture.differs_only_in_layout(&picture));
    let mut retyped = picture.clone();
    retyped.edges[0].relation_type = "other".into();
    assert!(!picture.differs_only_in_layout(&retyped));
    let mut captioned = picture.clone();
    captioned.nodes[0].caption = "Outlet · text".to_string();
    assert!(!picture.differs_only_in_layout(&captioned));
    let mut fewer = picture.clone();
    fewer.nodes.pop();
    assert!(!picture.differs_only_in_layout(&fewer));
}
