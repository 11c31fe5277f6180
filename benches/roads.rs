//! Speed of the embedded road graph on the bundled Liechtenstein extract
//! (© OpenStreetMap contributors, ODbL): preparation (parse, largest component,
//! snapping grid, hierarchy and its distance companion) and duration + distance
//! matrices between the reference points (`data/roads/reference/points_*.json`: 1000
//! points OSRM snapped, seed 42).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tournee::roads::RoadNetwork;

const EXTRACT: &str = "data/roads/liechtenstein-2013-08-03.osm.pbf";

fn points() -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string("data/roads/reference/points_liechtenstein-2013-08-03.json")
        .unwrap();
    let lon_lat: Vec<[f64; 2]> = serde_json::from_str(&text).unwrap();
    lon_lat.iter().map(|p| (p[1], p[0])).collect()
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("roads");
    group.sample_size(10);
    group.bench_function("prepare/liechtenstein", |b| {
        b.iter(|| black_box(RoadNetwork::prepare(Path::new(EXTRACT)).unwrap()))
    });
    let network = RoadNetwork::prepare(Path::new(EXTRACT)).unwrap();
    let points = points();
    for n in [200, 1000] {
        group.bench_function(format!("matrix/liechtenstein/{n}x{n}"), |b| {
            b.iter(|| black_box(network.matrix(&points[..n])))
        });
    }
    group.bench_function("oracle_dijkstra/liechtenstein/200x200", |b| {
        b.iter(|| black_box(network.oracle_matrix(&points[..200])))
    });
    group.finish();
}

criterion_group!(roads, benches);
criterion_main!(roads);
