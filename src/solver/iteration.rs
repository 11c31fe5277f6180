//! One iteration of the search, shared by the main loop (`search.rs`) and the
//! sub-problems of a decomposition (`decompose/refine.rs`): ruin, recreate in SISR's
//! orders, local search on promising plans, and the acceptance rule.

use super::instance::Instance;
use super::moves::local_search;
use super::moves::recreate::{Workspace, greedy};
use super::moves::ruin::ruin;
use super::rng::Rng;
use super::state::{Score, State};
use crate::budget::Budget;

/// One iteration's candidate: `current` ruined, recreated in SISR's order and, when
/// promising against `best_score`, improved by the local search; with its score.
pub fn ruin_and_recreate(
    instance: &Instance,
    current: &State,
    best_score: Score,
    rng: &mut Rng,
    workspace: &mut Workspace,
    budget: &Budget,
) -> (State, Score) {
    let mut candidate = current.clone();
    ruin(instance, &mut candidate, rng, workspace);
    let mut order = candidate.unassigned.clone();
    sort_for_recreate(instance, &candidate, &mut order, rng);
    greedy(instance, &mut candidate, &order, workspace, rng, 0.01);
    let mut score = candidate.score(instance);
    if instance.problem.options.local_search && promising(score, best_score) {
        let touched = touched(&current.routes, &candidate.routes);
        if local_search::improve(instance, &mut candidate, workspace, &touched, budget) {
            score = candidate.score(instance);
        }
    }
    (candidate, score)
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
pub fn accept(candidate: Score, current: Score, temperature: f64, rng: &mut Rng) -> bool {
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
