//! Speed of the end-to-end path on the demo scenario with a fixed seed and iteration cap
//! (never a wall-clock limit): validation + matrix, and the whole solve.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use tournee::api::pb;
use tournee::pipeline::{self, Hooks};

fn demo(iterations: u64) -> pb::SolveRequest {
    let text = include_str!("../data/demo/cooperative.json");
    let mut request: pb::SolveRequest = serde_json::from_str(text).expect("demo parses");
    request.options = Some(pb::SolveOptions {
        seed: 1,
        threads: 1,
        max_iterations: Some(iterations),
        time_limit_ms: Some(600_000),
        ..Default::default()
    });
    request
}

fn benches(c: &mut Criterion) {
    let cancelled = AtomicBool::new(false);
    let hooks = Hooks {
        client_deadline: None,
        cancelled: &cancelled,
        on_progress: &|_| {},
    };
    let request = demo(1);
    c.bench_function("validate/demo", |b| {
        b.iter(|| tournee::validate::problem(black_box(&request)))
    });
    let request = demo(500);
    c.bench_function("solve/demo/500-iterations/1-thread", |b| {
        b.iter(|| pipeline::solve(black_box(&request), &hooks).map(|s| s.solution.summary))
    });
}

criterion_group! {
    name = solve;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(solve);
