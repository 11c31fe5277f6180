//! A decomposition pass on a generated 400-customer instance: better than the plan it
//! starts from, every task served once, accepted by the checker, the same twice for one
//! seed; and no decomposition below the threshold.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use super::{Decomposition, Settings};
use crate::budget::Budget;
use crate::solver::instance::Instance;
use crate::solver::state::State;
use crate::solver::tests::{Generated, lilim, regret_plan, solomon};

/// An 80-van round of `customers` customers, half of them with a one-hour window.
fn generated(customers: usize) -> String {
    Generated {
        vehicles: 80,
        capacity: 200,
        seed: 12_345,
        window_every: 2,
        random_demand: false,
    }
    .solomon(customers)
}

/// From 400 stops (the default's 1,000 would make the test slow in a debug build).
const SETTINGS: Settings = Settings {
    min_stops: 400,
    group_tasks: 100,
    period: 1,
    iterations_per_task: 3,
    heat: 1.0,
};

/// One pass of a fresh decomposition seeded with `seed` over `start`.
fn pass(instance: &Instance, start: &State, seed: u64) -> State {
    pass_with(instance, start, seed, false)
}

/// [`pass`], its groups solved side by side when `parallel`.
fn pass_with(instance: &Instance, start: &State, seed: u64, parallel: bool) -> State {
    let mut decomposition = Decomposition::with_settings(instance, (seed, 0), SETTINGS).unwrap();
    if parallel {
        decomposition = decomposition.in_parallel();
    }
    let cancelled = AtomicBool::new(false);
    let temperature = start.score(instance).objective as f64 / instance.task_count() as f64;
    let (merged, spent) =
        decomposition.pass(instance, start, temperature, &Budget::new(&cancelled));
    assert!(spent > 0);
    merged
}

#[test]
fn a_pass_improves_a_regret_plan_and_keeps_it_whole_and_feasible() {
    let solved = solomon(&generated(400));
    let instance = Instance::new(&solved.problem, &solved.matrices);
    let start = regret_plan(&instance);
    assert!(start.unassigned.is_empty());
    let merged = pass(&instance, &start, 7);
    let (before, after) = (start.score(&instance), merged.score(&instance));
    assert!(after < before, "{after:?} is not better than {before:?}");
    assert!(merged.unassigned.is_empty());
    let mut served: Vec<usize> = merged.routes.iter().flatten().copied().collect();
    served.sort_unstable();
    assert_eq!(served, (0..instance.stops.len()).collect::<Vec<_>>());
    let solution = crate::solver::output::solution(&instance, &merged);
    crate::checker::check(&solved.problem, &solved.matrices, &solution).unwrap();
    assert_eq!(
        pass(&instance, &start, 7).routes,
        merged.routes,
        "not deterministic"
    );
}

#[test]
fn groups_solved_side_by_side_merge_into_the_plan_solved_in_turn() {
    let solved = solomon(&generated(400));
    let instance = Instance::new(&solved.problem, &solved.matrices);
    let start = regret_plan(&instance);
    let in_turn = pass(&instance, &start, 11);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let side_by_side = pool.install(|| pass_with(&instance, &start, 11, true));
    assert!(in_turn.score(&instance) < start.score(&instance));
    assert_eq!(side_by_side.routes, in_turn.routes);
    assert_eq!(side_by_side.unassigned, in_turn.unassigned);
}

#[test]
fn small_instances_never_decompose() {
    let small = solomon(include_str!("../../../data/solomon/R101.txt"));
    assert!(Decomposition::new(&Instance::new(&small.problem, &small.matrices), 0, 0).is_none());
    let below = solomon(&generated(400));
    assert!(Decomposition::new(&Instance::new(&below.problem, &below.matrices), 0, 0).is_none());
}

#[test]
fn the_largest_groups_start_first_and_results_keep_the_jobs_order() {
    let sizes = [3_usize, 9, 1, 9, 5];
    let started = std::sync::Mutex::new(Vec::new());
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let results = one.install(|| {
        super::largest_first(
            &sizes,
            |&size| size,
            |&size| {
                started.lock().unwrap().push(size);
                size * 10
            },
        )
    });
    assert_eq!(started.into_inner().unwrap(), vec![9, 9, 5, 3, 1]);
    assert_eq!(results, vec![30, 90, 10, 90, 50]);
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let jobs: Vec<usize> = (0..40).collect();
    let squares = two.install(|| super::largest_first(&jobs, |&j| j % 7, |&j| j * j));
    assert_eq!(squares, jobs.iter().map(|j| j * j).collect::<Vec<_>>());
}

#[test]
fn shipments_decompose_at_the_shorter_pace() {
    let jobs = solomon(include_str!("../../../data/solomon/R101.txt"));
    let shipments = lilim(include_str!("../../../data/lilim/lc101.txt"));
    let paced = |instance: &Instance| {
        let settings = super::settings_for(instance);
        (settings.period, settings.iterations_per_task)
    };
    assert_eq!(
        paced(&Instance::new(&jobs.problem, &jobs.matrices)),
        (300, 20)
    );
    assert_eq!(
        paced(&Instance::new(&shipments.problem, &shipments.matrices)),
        (30, 2)
    );
}
