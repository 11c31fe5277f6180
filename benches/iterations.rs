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

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use tournee::budget::Budget;
use tournee::domain::{Problem, TravelMatrix};
use tournee::solver::{self, WarmStart};

#[path = "support/pd_round.rs"]
mod pd_round;
use pd_round::round;

/// Stops per generated round (two per shipment).
#[cfg(not(debug_assertions))]
const STOPS: [usize; 3] = [100, 500, 2_000];
#[cfg(debug_assertions)]
const STOPS: [usize; 1] = [100];

/// Iterations each measurement runs, per round size (a handful in the debug build,
/// whose cross-checks make each one slow: there the bench only shows that it runs). The
/// 2,000-stop round runs 10: at a few seconds an iteration, 200 would take hours.
#[cfg(not(debug_assertions))]
fn iterations_for(stops: usize) -> u64 {
    if stops >= 2_000 { 10 } else { 200 }
}
#[cfg(debug_assertions)]
fn iterations_for(_stops: usize) -> u64 {
    3
}

/// The round's problem and matrices, and its regret plan to start every run from.
fn prepared(stops: usize, budget: &Budget) -> (Problem, Vec<TravelMatrix>, WarmStart) {
    let solved = tournee::pipeline::solve(&round(stops), budget, &|_| {}).expect("solves");
    let warm = WarmStart::from_solution(&solved.solution, solved.problem.vehicles.len());
    let mut problem = solved.problem;
    problem.options.max_iterations = Some(iterations_for(stops));
    (problem, solved.matrices, warm)
}

fn benches(c: &mut Criterion) {
    let cancelled = AtomicBool::new(false);
    let budget = Budget::new(&cancelled);
    let mut group = c.benchmark_group("iterations");
    // Every sample the same number of runs: linear sampling would run the slowest round
    // 55 times.
    group.sampling_mode(SamplingMode::Flat);
    for stops in STOPS {
        group.throughput(Throughput::Elements(iterations_for(stops)));
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
