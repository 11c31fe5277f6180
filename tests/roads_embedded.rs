//! The embedded road graph on the bundled Liechtenstein extract: the hierarchy equals
//! the plain Dijkstra oracle, and the matrix agrees with OSRM's own answer for the same
//! points (`data/roads/reference/`, computed by osrm-routed 26.10.0, car profile).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::Path;

use tournee::domain::UNREACHABLE;
use tournee::roads::{RoadNetwork, dijkstra};

const EXTRACT: &str = "data/roads/liechtenstein-2013-08-03.osm.pbf";

struct Reference {
    points_deg: Vec<(f64, f64)>,
    durations_s: Vec<Vec<Option<f64>>>,
    distances_m: Vec<Vec<Option<f64>>>,
}

fn reference() -> Reference {
    let file =
        std::fs::File::open("data/roads/reference/osrm_table200_liechtenstein-2013-08-03.json.gz")
            .unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let table = |key: &str| -> Vec<Vec<Option<f64>>> {
        value[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap().iter().map(|v| v.as_f64()).collect())
            .collect()
    };
    Reference {
        points_deg: value["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[1].as_f64().unwrap(), p[0].as_f64().unwrap()))
            .collect(),
        durations_s: table("durations"),
        distances_m: table("distances"),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[test]
fn the_graph_is_the_largest_strongly_connected_part_of_the_extract() {
    let network = RoadNetwork::load(Path::new(EXTRACT)).unwrap();
    let stats = network.stats;
    assert!(stats.nodes > 10_000 && stats.nodes < 13_000, "{stats:?}");
    assert!(stats.nodes * 100 > stats.network_nodes * 95, "{stats:?}");
    assert!(stats.components > 1, "{stats:?}");
}

#[test]
fn the_hierarchy_equals_the_dijkstra_oracle() {
    let network = RoadNetwork::load(Path::new(EXTRACT)).unwrap();
    let points = &reference().points_deg[..120];
    let fast = network.matrix(points);
    let oracle = network.oracle_matrix(points);
    assert_eq!(fast.snapped, oracle.snapped);
    assert_eq!(fast.matrix.duration_s, oracle.matrix.duration_s);
    assert!(fast.unreachable.is_empty());
    // Distances of the fastest path: the hierarchy ranks paths by (time, length) as
    // the oracle does, so the lengths agree cell by cell too.
    assert_eq!(fast.matrix.distance_m, oracle.matrix.distance_m);
}

/// Node to node, before any rounding: every cell's milliseconds and decimetres equal
/// the oracle's, from nodes spread over the whole graph by number (a town's nodes, its
/// outskirts and its dead ends alike), whatever the hierarchy prunes.
#[test]
fn the_hierarchy_equals_the_dijkstra_oracle_to_the_millisecond() {
    let network = RoadNetwork::load(Path::new(EXTRACT)).unwrap();
    let nodes = network.graph.node_count() as u32;
    let spread: Vec<u32> = (0..nodes).step_by(nodes as usize / 150).collect();
    let fast = network.node_matrix(&spread, &spread);
    let oracle = dijkstra::node_matrix(&network.graph, &spread, &spread);
    let reached = |l: &dijkstra::Label| *l != dijkstra::UNREACHED;
    let oracle_ms: Vec<Option<u64>> = oracle.iter().map(|l| reached(l).then_some(l.0)).collect();
    let oracle_dm: Vec<Option<u64>> = oracle.iter().map(|l| reached(l).then_some(l.1)).collect();
    assert_eq!(fast.duration_ms, oracle_ms);
    assert_eq!(fast.distance_dm, oracle_dm);
}

#[test]
fn the_matrix_agrees_with_osrm_on_the_reference_points() {
    let network = RoadNetwork::load(Path::new(EXTRACT)).unwrap();
    let reference = reference();
    let ours = network.matrix(&reference.points_deg);
    let n = reference.points_deg.len();
    let (mut duration_gaps, mut distance_gaps) = (Vec::new(), Vec::new());
    for i in 0..n {
        for j in 0..n {
            let (Some(d), Some(m)) = (reference.durations_s[i][j], reference.distances_m[i][j])
            else {
                continue;
            };
            if i == j || d < 1.0 || m < 1.0 {
                continue;
            }
            let our_d = ours.matrix.duration_s(i, j);
            assert_ne!(our_d, UNREACHABLE, "{i}→{j} unreachable");
            duration_gaps.push((our_d as f64 - d).abs() / d);
            distance_gaps.push((ours.matrix.distance_m(i, j) as f64 - m).abs() / m);
        }
    }
    let (duration, distance) = (median(duration_gaps), median(distance_gaps));
    eprintln!(
        "median |Δ| against OSRM: duration {:.2} %, distance {:.2} %",
        duration * 100.0,
        distance * 100.0
    );
    assert!(duration <= 0.04, "median duration gap {duration}");
    assert!(distance <= 0.01, "median distance gap {distance}");
    // The points lie within 300 m of a road (OSRM snapped them); we move them to the
    // nearer end of that road's segment, which on long rural segments is further.
    let snaps: Vec<f64> = ours.snapped.iter().map(|s| s.snap_distance_m).collect();
    let worst_snap = snaps.iter().copied().fold(0.0, f64::max);
    eprintln!(
        "snap distance median {:.0} m, worst {worst_snap:.0} m",
        median(snaps.clone())
    );
    assert!(median(snaps) < 100.0 && worst_snap < 1_500.0);
}
