//! Speed of the hot paths with fixed inputs (never a wall-clock limit): on the regret plan
//! of Solomon R101 and Li & Lim lc101, the insertion check of every task into every
//! route and one pass of each local-search operator; on the demo scenario with a fixed
//! seed and iteration cap, validation and the whole solve.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use tournee::pb;
use tournee::pipeline;
use tournee::solver::{Operator, OperatorBench};

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
    let budget = tournee::budget::Budget::new(&cancelled);
    let request = demo(1);
    c.bench_function("validate/demo", |b| {
        b.iter(|| tournee::validate::problem(black_box(&request)))
    });
    for (name, instance) in [
        (
            "solomon-R101",
            tournee::scientific::parse_solomon(include_str!("../data/solomon/R101.txt")),
        ),
        (
            "lilim-lc101",
            tournee::scientific::parse_lilim(include_str!("../data/lilim/lc101.txt")),
        ),
    ] {
        let mut request = instance.expect("benchmark file parses").request;
        request.options = Some(pb::SolveOptions {
            max_iterations: Some(1),
            ..request.options.unwrap_or_default()
        });
        let solved = pipeline::solve(&request, &budget, &|_| {}).expect("instance solves");
        let bench = OperatorBench::new(&solved.problem, &solved.matrices);
        c.bench_function(&format!("insertion/{name}/every-task-every-route"), |b| {
            b.iter(|| black_box(&bench).insertion_sweep())
        });
        for operator in Operator::ALL {
            c.bench_function(&format!("operator/{name}/{operator:?}/one-pass"), |b| {
                b.iter(|| black_box(&bench).pass(operator))
            });
        }
    }
    let request = demo(500);
    c.bench_function("solve/demo/500-iterations/1-thread", |b| {
        b.iter(|| {
            pipeline::solve(black_box(&request), &budget, &|_| {}).map(|s| s.solution.summary)
        })
    });
}

criterion_group! {
    name = solve;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(solve);
