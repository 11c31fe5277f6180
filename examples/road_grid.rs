//! Synthetic road grids at the scale of a region, for the prepared-network figures in
//! BENCHMARKS.md ("Roads at the scale of a region"): no extract of millions of nodes
//! ships with the project, so a grid stands in for one.
//!
//! ```text
//! cargo run --release --example road_grid -- region NODES OUT.graph
//!     towns joined by country roads, as a rural département is: a square lattice of
//!     towns 10 km apart, each a 40 × 40 street grid (100 m blocks, 30–50 km/h, a tenth
//!     of the streets missing), each joined to its lattice neighbours by two roads of
//!     500 m links at 80 km/h (110 km/h on every 5th lattice line); about NODES nodes
//! cargo run --release --example road_grid -- grid SIDE OUT.graph
//!     the worst case for a contraction hierarchy: one SIDE × SIDE street grid (150 m
//!     blocks), every 10th line 80 km/h, every 100th 110 km/h
//!   both prepared (components, snapping grid, hierarchy) and written as `tournee prepare` does
//! cargo run --release --example road_grid -- measure FILE.graph [POINTS]
//!     loads the file (as `serve --osm` does), then times a POINTS × POINTS matrix
//!     (default 1000) between points drawn over the grid, three times
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use tournee::roads::RoadNetwork;
use tournee::roads::osm::{RawArc, RawNetwork};

const BLOCK_M: f64 = 150.0;
const ORIGIN_DEG: (f64, f64) = (44.5, 4.6);

/// A small deterministic generator (splitmix64), so the same SIDE gives the same grid.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn grid(side: usize) -> RawNetwork {
    let metres_per_deg_lat = 111_132.0;
    let metres_per_deg_lon = metres_per_deg_lat * ORIGIN_DEG.0.to_radians().cos();
    let lat_lon_deg = (0..side * side)
        .map(|i| {
            let (row, column) = ((i / side) as f64, (i % side) as f64);
            (
                ORIGIN_DEG.0 + row * BLOCK_M / metres_per_deg_lat,
                ORIGIN_DEG.1 + column * BLOCK_M / metres_per_deg_lon,
            )
        })
        .collect();
    let mut mix = Mix(side as u64);
    let mut arcs = Vec::with_capacity(4 * side * side);
    let speed_kmh = |line: usize, mix: &mut Mix| match line {
        l if l % 100 == 0 => 110.0,
        l if l % 10 == 0 => 80.0,
        _ => 30.0 + 20.0 * mix.unit(),
    };
    for row in 0..side {
        for column in 0..side {
            let node = (row * side + column) as u32;
            let neighbours = [
                (column + 1 < side).then(|| (node + 1, row)),
                (row + 1 < side).then(|| (node + side as u32, column)),
            ];
            for (next, line) in neighbours.into_iter().flatten() {
                let speed = speed_kmh(line, &mut mix);
                let distance_dm = (BLOCK_M * 10.0) as u32;
                let duration_ms = (BLOCK_M / (speed / 3.6) * 1000.0).round() as u32;
                for (tail, head) in [(node, next), (next, node)] {
                    arcs.push(RawArc {
                        tail,
                        head,
                        duration_ms,
                        distance_dm,
                    });
                }
            }
        }
    }
    RawNetwork { lat_lon_deg, arcs }
}

const TOWN_SIDE: usize = 40;
const TOWN_BLOCK_M: f64 = 100.0;
const TOWN_SPACING_M: f64 = 10_000.0;
const LINK_M: f64 = 500.0;

/// Adds a two-way arc between two nodes at `speed_kmh` over `distance_m`.
fn road(arcs: &mut Vec<RawArc>, (a, b): (u32, u32), distance_m: f64, speed_kmh: f64) {
    let distance_dm = (distance_m * 10.0).round() as u32;
    let duration_ms = (distance_m / (speed_kmh / 3.6) * 1000.0).round() as u32;
    for (tail, head) in [(a, b), (b, a)] {
        arcs.push(RawArc {
            tail,
            head,
            duration_ms,
            distance_dm,
        });
    }
}

fn region(nodes: usize) -> RawNetwork {
    let towns = ((nodes as f64 / (TOWN_SIDE * TOWN_SIDE) as f64)
        .sqrt()
        .ceil() as usize)
        .max(1);
    let metres_per_deg_lat = 111_132.0;
    let metres_per_deg_lon = metres_per_deg_lat * ORIGIN_DEG.0.to_radians().cos();
    let at = |north_m: f64, east_m: f64| {
        (
            ORIGIN_DEG.0 + north_m / metres_per_deg_lat,
            ORIGIN_DEG.1 + east_m / metres_per_deg_lon,
        )
    };
    let mut network = RawNetwork::default();
    let mut mix = Mix(nodes as u64);
    let town_node = |town: (usize, usize), row: usize, column: usize| {
        ((town.0 * towns + town.1) * TOWN_SIDE * TOWN_SIDE + row * TOWN_SIDE + column) as u32
    };
    for town_row in 0..towns {
        for town_column in 0..towns {
            for i in 0..TOWN_SIDE * TOWN_SIDE {
                let (row, column) = (i / TOWN_SIDE, i % TOWN_SIDE);
                network.lat_lon_deg.push(at(
                    town_row as f64 * TOWN_SPACING_M + row as f64 * TOWN_BLOCK_M,
                    town_column as f64 * TOWN_SPACING_M + column as f64 * TOWN_BLOCK_M,
                ));
                let node = town_node((town_row, town_column), row, column);
                for next in [
                    (column + 1 < TOWN_SIDE).then_some(node + 1),
                    (row + 1 < TOWN_SIDE).then_some(node + TOWN_SIDE as u32),
                ]
                .into_iter()
                .flatten()
                {
                    if mix.unit() >= 0.1 {
                        let speed = 30.0 + 20.0 * mix.unit();
                        road(&mut network.arcs, (node, next), TOWN_BLOCK_M, speed);
                    }
                }
            }
        }
    }
    for town_row in 0..towns {
        for town_column in 0..towns {
            let town = (town_row, town_column);
            for lane in [TOWN_SIDE / 4, 3 * TOWN_SIDE / 4] {
                if town_column + 1 < towns {
                    let speed = if town_row % 5 == 0 { 110.0 } else { 80.0 };
                    let from = town_node(town, lane, TOWN_SIDE - 1);
                    let to = town_node((town_row, town_column + 1), lane, 0);
                    country_road(&mut network, (from, to), speed);
                }
                if town_row + 1 < towns {
                    let speed = if town_column % 5 == 0 { 110.0 } else { 80.0 };
                    let from = town_node(town, TOWN_SIDE - 1, lane);
                    let to = town_node((town_row + 1, town_column), 0, lane);
                    country_road(&mut network, (from, to), speed);
                }
            }
        }
    }
    network
}

/// A road of [`LINK_M`] links, with a node at each, between two town nodes.
fn country_road(network: &mut RawNetwork, (from, to): (u32, u32), speed_kmh: f64) {
    let (a, b) = (
        network.lat_lon_deg[from as usize],
        network.lat_lon_deg[to as usize],
    );
    let gap_m = TOWN_SPACING_M - (TOWN_SIDE - 1) as f64 * TOWN_BLOCK_M;
    let links = (gap_m / LINK_M).round() as usize;
    let mut previous = from;
    for link in 1..links {
        let t = link as f64 / links as f64;
        network
            .lat_lon_deg
            .push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
        let node = (network.lat_lon_deg.len() - 1) as u32;
        road(
            &mut network.arcs,
            (previous, node),
            gap_m / links as f64,
            speed_kmh,
        );
        previous = node;
    }
    road(
        &mut network.arcs,
        (previous, to),
        gap_m / links as f64,
        speed_kmh,
    );
}

fn make(raw: RawNetwork, out: &Path) {
    let started = Instant::now();
    let generated = started.elapsed();
    let mut name = [0u8; 32];
    name[..8].copy_from_slice(&(raw.lat_lon_deg.len() as u64).to_le_bytes());
    name[8..16].copy_from_slice(&(raw.arcs.len() as u64).to_le_bytes());
    let network = RoadNetwork::from_raw(out, &raw, name, generated).unwrap();
    drop(raw);
    let started = Instant::now();
    let bytes = network.save_prepared(out).unwrap();
    println!(
        "{} nodes, {} arcs; components + snapping grid {:.1} s, hierarchy {:.1} s, written in {:.1} s, {:.0} MB",
        network.stats.nodes,
        network.stats.arcs,
        network.times.graph.as_secs_f64(),
        network.times.hierarchy.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );
}

fn measure(path: &Path, count: usize) {
    let started = Instant::now();
    let network = RoadNetwork::load(path).unwrap();
    println!(
        "load {:.3} s (arrays and snapping grid read {:.3} s): {} nodes",
        started.elapsed().as_secs_f64(),
        network.times.parse.as_secs_f64(),
        network.stats.nodes
    );
    let (min, max) = network.graph.lat_lon_deg.iter().fold(
        ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN)),
        |(lo, hi), &(lat, lon)| {
            (
                (lo.0.min(lat), lo.1.min(lon)),
                (hi.0.max(lat), hi.1.max(lon)),
            )
        },
    );
    let mut mix = Mix(7);
    let points: Vec<(f64, f64)> = (0..count)
        .map(|_| {
            (
                min.0 + (max.0 - min.0) * mix.unit(),
                min.1 + (max.1 - min.1) * mix.unit(),
            )
        })
        .collect();
    println!("{} shortcuts", network.hierarchy().arc_count());
    for _ in 0..3 {
        let started = Instant::now();
        let matrix = network.matrix(&points);
        println!(
            "matrix {count}×{count}: {:.3} s ({} unreachable pairs)",
            started.elapsed().as_secs_f64(),
            matrix.unreachable.len()
        );
    }
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["region", nodes, out] => make(region(nodes.parse().unwrap()), Path::new(out)),
        ["grid", side, out] => make(grid(side.parse().unwrap()), Path::new(out)),
        ["measure", file] => measure(Path::new(file), 1000),
        ["measure", file, count] => measure(Path::new(file), count.parse().unwrap()),
        _ => eprintln!(
            "usage: road_grid region NODES OUT.graph | road_grid grid SIDE OUT.graph | road_grid measure FILE.graph [POINTS]"
        ),
    }
}
