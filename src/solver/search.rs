//! One search: regret construction, then ruin & recreate under simulated annealing
//! until a stop condition; a recreated plan as good as the best before the objective
//! also gets the local search before the acceptance test. Sync and CPU-only; everything
//! random comes from its seed.

use std::time::Instant;

use super::instance::Instance;
use super::moves::fleet;
use super::moves::local_search;
use super::moves::recreate::{Workspace, greedy, regret};
use super::moves::ruin::ruin;
use super::rng::Rng;
use super::state::{Score, State};
use super::warm_start::WarmStart;
use crate::budget::Budget;
use crate::domain::{Objective, StopReason};

/// Share of the budget the fleet phase may use under the vehicles-first objective.
const FLEET_SHARE: f64 = 0.25;

/// Initial temperature under the vehicles-first objective, relative to the others'.
const VEHICLES_FIRST_TEMPERATURE: f64 = 2.0;

/// Iterations without a new best after which a search without an iteration limit stops.
pub const NO_IMPROVEMENT_ITERATIONS: u64 = 2_000;

/// The result of one search.
pub struct Outcome {
    /// Best state found.
    pub best: State,
    /// Its score.
    pub score: Score,
    /// Iterations done.
    pub iterations: u64,
    /// Why it stopped.
    pub stop_reason: StopReason,
}

/// Runs search number `stream` of a solve seeded with `seed`, from `warm` when given
/// (its unassigned tasks are inserted by regret first), else from scratch, until
/// `budget` runs out; `on_improvement` hears of each new best score.
pub fn run(
    instance: &Instance,
    (seed, stream): (u64, u64),
    budget: &Budget,
    on_improvement: &(dyn Fn(Score) + Sync),
    warm: Option<&WarmStart>,
) -> Outcome {
    let mut rng = Rng::new(seed, stream);
    let mut workspace = Workspace::new(instance);
    let mut current = match warm {
        Some(warm) => State::from_warm_start(instance, warm, &mut workspace.scratch),
        None => State::empty(instance),
    };
    regret(instance, &mut current, &mut workspace, budget);
    // Vehicles first: the fleet phase takes the first part of the budget.
    let mut iterations = 0u64;
    if instance.objective == Objective::Vehicles {
        let (fewer, spent) = fleet::minimise(
            instance,
            &current,
            &mut rng,
            &mut workspace,
            &budget.share(FLEET_SHARE),
        );
        current = fewer;
        iterations = spent;
    }
    let mut current_score = current.score(instance);
    let mut best = current.clone();
    let mut best_score = current_score;
    on_improvement(best_score);

    let tasks = instance.task_count().max(1) as f64;
    // The average objective per task; SISR's Solomon setting is about 8× that. Tuned on
    // Solomon R/RC and Li & Lim lr at 0.5 s (BENCHMARKS.md): 1× balances both sets.
    // Vehicles first, the fleet phase leaves tighter plans that need more heat to move:
    // 2× (Solomon, all 56, 10 s: +0.77 % at the best-known fleet against +1.06 %).
    let scale = if instance.objective == Objective::Vehicles {
        VEHICLES_FIRST_TEMPERATURE
    } else {
        1.0
    };
    let initial_temperature = scale * (current_score.objective.max(1) as f64) / tasks;
    let final_temperature = initial_temperature / 100.0;
    // The annealing schedule spans what is left after the fleet phase.
    let annealing_started = Instant::now();
    let annealing_from = iterations;
    let budget_s = budget
        .deadline()
        .map_or(f64::INFINITY, |deadline| {
            deadline
                .saturating_duration_since(annealing_started)
                .as_secs_f64()
        })
        .max(1e-3);
    let mut last_improvement = iterations;
    let stop_reason = loop {
        let now = Instant::now();
        if let Some(reason) = budget.expired(now) {
            break reason;
        }
        match budget.max_iterations() {
            Some(limit) if iterations >= limit => break StopReason::MaxIterations,
            None if iterations - last_improvement >= NO_IMPROVEMENT_ITERATIONS => {
                break StopReason::NoImprovement;
            }
            _ => {}
        }
        if instance.task_count() == 0 {
            break StopReason::NoImprovement;
        }
        iterations += 1;
        // The annealing cools with the iterations when they are limited (deterministic
        // runs), else with the clock; u64::MAX means "until the time limit".
        let progress = match budget.max_iterations() {
            Some(limit) if limit < u64::MAX => {
                (iterations - annealing_from) as f64
                    / limit.saturating_sub(annealing_from).max(1) as f64
            }
            _ => {
                now.saturating_duration_since(annealing_started)
                    .as_secs_f64()
                    / budget_s
            }
        };
        let temperature =
            initial_temperature * (final_temperature / initial_temperature).powf(progress.min(1.0));

        let mut candidate = current.clone();
        ruin(instance, &mut candidate, &mut rng, &mut workspace);
        let mut order = candidate.unassigned.clone();
        sort_for_recreate(instance, &candidate, &mut order, &mut rng);
        greedy(
            instance,
            &mut candidate,
            &order,
            &mut workspace,
            &mut rng,
            0.01,
        );
        let mut score = candidate.score(instance);
        if instance.problem.options.local_search && promising(score, best_score) {
            let touched = touched(&current.routes, &candidate.routes);
            if local_search::improve(instance, &mut candidate, &mut workspace, &touched, budget) {
                score = candidate.score(instance);
            }
        }

        if accept(score, current_score, temperature, &mut rng) {
            current = candidate;
            current_score = score;
            if score < best_score {
                best = current.clone();
                best_score = score;
                last_improvement = iterations;
                on_improvement(best_score);
            }
        }
    };
    Outcome {
        best,
        score: best_score,
        iterations,
        stop_reason,
    }
}

/// Per vehicle: whether its route differs between two plans.
fn touched(before: &[Vec<usize>], after: &[Vec<usize>]) -> Vec<bool> {
    before.iter().zip(after).map(|(a, b)| a != b).collect()
}

/// Whether a recreated plan gets the local search: when it is as good as the best
/// before the objective (every task in, no more vehicles). Moves start only from the
/// routes ruin and recreate changed, which keeps this cheap (Solomon, all 56, 1 s, mean
/// of 3 seeds: +0.87 % without local search, +0.60 % on plans within 15 % of the best
/// objective, +0.52 % on every plan from every route, +0.41 % from changed routes).
fn promising(candidate: Score, best: Score) -> bool {
    let key = |s: Score| (s.unassigned_weight, s.unassigned, s.vehicles);
    key(candidate) <= key(best)
}

/// Better on what comes before the objective: always; equal there: simulated annealing
/// on the objective; worse: never.
fn accept(candidate: Score, current: Score, temperature: f64, rng: &mut Rng) -> bool {
    let key = |s: Score| (s.unassigned_weight, s.unassigned, s.vehicles);
    match key(candidate).cmp(&key(current)) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => {
            let threshold = -temperature * (1.0 - rng.unit()).ln();
            (candidate.objective as f64) < current.objective as f64 + threshold
        }
    }
}

/// SISR's recreate orders: random, biggest first, farthest first, closest first;
/// always higher priorities first.
fn sort_for_recreate(instance: &Instance, state: &State, order: &mut [usize], rng: &mut Rng) {
    rng.shuffle(order);
    let size = |task: usize| -> i64 {
        instance.task_stops[task]
            .iter()
            .map(|&s| {
                instance.stops[s]
                    .change
                    .iter()
                    .map(|c| c.abs())
                    .sum::<i64>()
                    + instance.stops[s].start_load.iter().sum::<i64>()
            })
            .sum()
    };
    let spread = |task: usize| -> i64 {
        let stop = &instance.stops[instance.task_stops[task][0]];
        state
            .routes
            .iter()
            .enumerate()
            .filter_map(|(vehicle, _)| instance.problem.vehicles[vehicle].start_site)
            .map(|site| {
                instance.matrices[0]
                    .duration_s(instance.problem.sites[site].matrix_index, stop.location)
            })
            .min()
            .unwrap_or(0)
    };
    let draw = rng.below(11);
    if draw < 4 {
        // random order, kept
    } else if draw < 8 {
        order.sort_by_key(|&task| std::cmp::Reverse(size(task)));
    } else if draw < 10 {
        order.sort_by_key(|&task| std::cmp::Reverse(spread(task)));
    } else {
        order.sort_by_key(|&task| spread(task));
    }
    order.sort_by_key(|&task| std::cmp::Reverse(instance.problem.tasks[task].priority));
}
