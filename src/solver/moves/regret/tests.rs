//! The regret construction against a straightforward regret-2 (every task priced on
//! every vehicle, every round scanning them all): the same plan when every price is
//! kept exact, and on large rounds a plan as complete, accepted by the checker, near
//! in cost, for fewer prices.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use super::{pending_tasks, regret_with};
use crate::budget::Budget;
use crate::pipeline::Solved;
use crate::solver::instance::Instance;
use crate::solver::moves::insertion::{Insertion, apply, best_in_route};
use crate::solver::moves::workspace::Workspace;
use crate::solver::state::State;
use crate::solver::tests::{Generated, lilim, solomon};

/// A 40-van round of `customers` customers with drawn demands (distinct travel
/// times), a third of them with a one-hour window.
fn generated(customers: usize) -> String {
    Generated {
        vehicles: 40,
        capacity: 100,
        seed: 4_242,
        window_every: 3,
        random_demand: true,
    }
    .solomon(customers)
}

/// Regret-2 as written before the prices were kept: the cheapest insertion of every
/// pending task on every vehicle in a table, the changed route's column priced again
/// after each insertion, and each round a scan of the whole table.
fn reference(instance: &Instance, state: &mut State, workspace: &mut Workspace) {
    let mut pending = pending_tasks(instance, state);
    let vehicles = instance.problem.vehicles.len();
    let mut cache: Vec<Vec<Option<Insertion>>> = vec![vec![None; vehicles]; instance.task_count()];
    let price = |state: &State, workspace: &mut Workspace, task: usize, vehicle: usize| {
        let (scratch, buffer) = (&mut workspace.scratch, &mut workspace.buffer);
        best_in_route(instance, state, task, vehicle, scratch, buffer, None).ok()
    };
    for &task in &pending {
        cache[task] = (0..vehicles)
            .map(|vehicle| price(state, workspace, task, vehicle))
            .collect();
    }
    while !pending.is_empty() {
        let top = pending
            .iter()
            .map(|&t| instance.problem.tasks[t].priority)
            .max()
            .unwrap();
        let mut chosen: Option<(i128, usize, Insertion)> = None;
        for (position, &task) in pending.iter().enumerate() {
            if instance.problem.tasks[task].priority != top {
                continue;
            }
            let mut deltas: Vec<(i128, usize)> = cache[task]
                .iter()
                .flatten()
                .map(|insertion| (insertion.delta, insertion.vehicle))
                .collect();
            deltas.sort_unstable();
            let Some(&(first, vehicle)) = deltas.first() else {
                continue;
            };
            let regret = deltas.get(1).map_or(i128::MAX / 4, |(s, _)| s - first);
            if chosen.is_none_or(|(best, _, _)| regret > best) {
                chosen = Some((regret, position, cache[task][vehicle].unwrap()));
            }
        }
        let Some((_, position, insertion)) = chosen else {
            pending.retain(|&t| instance.problem.tasks[t].priority != top);
            continue;
        };
        let task = pending.swap_remove(position);
        apply(instance, state, task, &insertion, &mut workspace.scratch);
        for &other in &pending {
            cache[other][insertion.vehicle] = price(state, workspace, other, insertion.vehicle);
        }
    }
}

/// The plan of the reference and of [`regret_with`] (`large` or not) from nothing, each
/// accepted by the checker; and the prices the latter took.
fn both(solved: &Solved, large: bool) -> (State, State, u64) {
    let instance = Instance::new(&solved.problem, &solved.matrices);
    let mut workspace = Workspace::new(&instance);
    let mut expected = State::empty(&instance);
    reference(&instance, &mut expected, &mut workspace);
    let mut built = State::empty(&instance);
    let cancelled = AtomicBool::new(false);
    let pending = pending_tasks(&instance, &built);
    let budget = Budget::new(&cancelled);
    let priced = regret_with(
        &instance,
        &mut built,
        &mut workspace,
        &budget,
        pending,
        large,
    );
    for state in [&expected, &built] {
        let solution = crate::solver::output::solution(&instance, state);
        crate::checker::check(&solved.problem, &solved.matrices, &solution).unwrap();
    }
    (expected, built, priced)
}

#[test]
fn exact_prices_give_the_reference_plan() {
    for solved in [
        solomon(include_str!("../../../../data/solomon/R101.txt")),
        solomon(include_str!("../../../../data/solomon/RC201.txt")),
        lilim(include_str!("../../../../data/lilim/lc101.txt")),
        solomon(&generated(150)),
    ] {
        let (expected, built, _) = both(&solved, false);
        assert_eq!(built.routes, expected.routes);
        assert_eq!(built.unassigned, expected.unassigned);
    }
}

#[test]
fn priorities_go_first_as_in_the_reference() {
    let mut solved = solomon(&generated(120));
    for (index, task) in solved.problem.tasks.iter_mut().enumerate() {
        task.priority = (index % 3) as u32 * 40;
    }
    let (expected, built, _) = both(&solved, false);
    assert_eq!(built.routes, expected.routes);
    assert_eq!(built.unassigned, expected.unassigned);
}

#[test]
fn near_prices_on_a_large_round_give_a_whole_plan_near_the_reference_for_fewer_prices() {
    for solved in [
        solomon(&generated(150)),
        lilim(include_str!("../../../../data/lilim/lc101.txt")),
    ] {
        let (expected, built, priced) = both(&solved, true);
        let (_, _, exact) = both(&solved, false);
        assert!(priced < exact, "{priced} prices, {exact} when exact");
        let instance = Instance::new(&solved.problem, &solved.matrices);
        let (expected, built) = (expected.score(&instance), built.score(&instance));
        assert_eq!(built.unassigned, expected.unassigned);
        assert!(
            built.objective * 100 <= expected.objective * 103,
            "{built:?} against {expected:?}"
        );
        let (_, again, _) = both(&solved, true);
        assert_eq!(again.score(&instance), built, "not deterministic");
    }
}
