//! Search iterations per second on pickup-and-delivery rounds of 100, 500 and 2,000
//! stops (issue 17's measure of per-move cost): generated cooperatives (farms picking up,
//! village points receiving, half the deliveries with a two-hour window, straight-line
//! travel), solved from their regret plan for a fixed number of ruin-and-recreate
//! iterations on one thread. Fixed seeds and iteration caps, never a wall-clock limit.
//! The debug build `cargo test --all-targets` runs only the smallest round, for a few
//! iterations, once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tournee::budget::Budget;
use tournee::domain::{Problem, TravelMatrix};
use tournee::pb;
use tournee::solver::{self, WarmStart};

/// Stops per generated round (two per shipment).
#[cfg(not(debug_assertions))]
const STOPS: [usize; 3] = [100, 500, 2_000];
#[cfg(debug_assertions)]
const STOPS: [usize; 1] = [100];

/// Iterations each measurement runs (a handful in the debug build, whose cross-checks
/// make each one slow: there the bench only shows that it runs).
#[cfg(not(debug_assertions))]
const ITERATIONS: u64 = 200;
#[cfg(debug_assertions)]
const ITERATIONS: u64 = 3;

/// A small deterministic generator (64-bit LCG): the rounds are the same everywhere.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n - 1)
    }
}

fn site(id: String, lat_deg: f64, lon_deg: f64) -> pb::Site {
    pb::Site {
        id,
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                lat_deg,
                lon_deg,
            })),
        }),
        service_s: 120,
        ..Default::default()
    }
}

/// A cooperative of `stops / 10` farms, as many village points, and `stops / 2`
/// shipments from a farm to a point, served by vans from a hub.
fn round(stops: usize) -> pb::SolveRequest {
    let mut rng = Lcg(stops as u64);
    let places = (stops / 10).max(2);
    let mut around = |prefix: &str, index: usize| {
        site(
            format!("{prefix}-{index}"),
            47.1 + 0.3 * (rng.unit() - 0.5),
            9.5 + 0.4 * (rng.unit() - 0.5),
        )
    };
    let mut sites = vec![site("hub".to_string(), 47.1, 9.5)];
    sites.extend((0..places).map(|i| around("farm", i)));
    sites.extend((0..places).map(|i| around("point", i)));
    let shipments = (0..stops / 2)
        .map(|i| {
            let window = (rng.unit() < 0.5).then(|| {
                let start_s = 8 * 3600 + 1800 * rng.below(12) as i64;
                pb::TimeWindow {
                    start_s,
                    end_s: start_s + 7200,
                    ..Default::default()
                }
            });
            pb::Shipment {
                id: format!("s{i}"),
                pickup: Some(pb::TaskStop {
                    site_id: format!("farm-{}", rng.below(places)),
                    ..Default::default()
                }),
                delivery: Some(pb::TaskStop {
                    site_id: format!("point-{}", rng.below(places)),
                    time_windows: window.into_iter().collect(),
                    ..Default::default()
                }),
                amount: vec![1 + rng.below(4) as i64],
                ..Default::default()
            }
        })
        .collect();
    let vehicles = (0..(stops / 20).max(2))
        .map(|i| pb::Vehicle {
            id: format!("van-{i}"),
            start_site_id: "hub".to_string(),
            end_site_id: "hub".to_string(),
            capacity: vec![30],
            shift: Some(pb::TimeWindow {
                start_s: 6 * 3600,
                end_s: 20 * 3600,
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    pb::SolveRequest {
        sites,
        vehicles,
        shipments,
        options: Some(pb::SolveOptions {
            seed: 1,
            threads: 1,
            max_iterations: Some(1),
            time_limit_ms: Some(3_600_000),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The round's problem and matrices, and its regret plan to start every run from.
fn prepared(stops: usize, budget: &Budget) -> (Problem, Vec<TravelMatrix>, WarmStart) {
    let solved = tournee::pipeline::solve(&round(stops), budget, &|_| {}).expect("solves");
    let warm = WarmStart::from_solution(&solved.solution, solved.problem.vehicles.len());
    let mut problem = solved.problem;
    problem.options.max_iterations = Some(ITERATIONS);
    (problem, solved.matrices, warm)
}

fn benches(c: &mut Criterion) {
    let cancelled = AtomicBool::new(false);
    let budget = Budget::new(&cancelled);
    let mut group = c.benchmark_group("iterations");
    group.throughput(Throughput::Elements(ITERATIONS));
    for stops in STOPS {
        let (problem, matrices, warm) = prepared(stops, &budget);
        group.bench_function(format!("pickup-delivery/{stops}-stops"), |b| {
            b.iter(|| {
                solver::solve_from(
                    black_box(&problem),
                    &matrices,
                    &budget,
                    &|_| {},
                    Some(&warm),
                )
                .map(|solution| solution.summary)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = iterations;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(iterations);
