//! Recreate: put unassigned tasks back into routes. Regret-2 builds the first solution
//! (insert first the task that would lose most by waiting); greedy insertion with
//! blinks (SISR) rebuilds after each ruin.

use super::haste::finish_in_haste;
use super::insertion::{Blink, Insertion, apply, best_in_route};
use super::transfer::insert_group;
pub use super::workspace::Workspace;
use crate::budget::Budget;
use crate::solver::instance::Instance;
use crate::solver::instance::transfers::Role;
use crate::solver::rng::Rng;
use crate::solver::state::State;

/// Regret-2 insertion of every unassigned task, highest priority first. Regret costs
/// O(tasks² × vehicles) on large instances (seconds at 1,000 customers): when the
/// budget ends, the tasks still pending go in by [`finish_in_haste`] instead, so that
/// a short time limit is kept and still returns a plan.
pub fn regret(instance: &Instance, state: &mut State, workspace: &mut Workspace, budget: &Budget) {
    let vehicles = instance.problem.vehicles.len();
    let mut pending: Vec<usize> = state.unassigned.clone();
    // The first plan serves transferable shipments direct; the search tries the legs.
    pending.retain(|&task| !matches!(instance.role(task), Some(Role::First(_) | Role::Second(_))));
    let finish_greedily =
        |state: &mut State, workspace: &mut Workspace, pending: &mut Vec<usize>| {
            pending.sort_by_key(|&t| std::cmp::Reverse(instance.problem.tasks[t].priority));
            finish_in_haste(instance, state, pending, workspace);
        };
    // cache[task][vehicle]: best insertion into that vehicle's current route.
    let mut cache: Vec<Vec<Option<Insertion>>> = vec![vec![None; vehicles]; instance.task_count()];
    let mut out_of_time = false;
    for (filled, &task) in pending.iter().enumerate() {
        if filled % 16 == 15 && budget.is_over() {
            out_of_time = true;
            break;
        }
        for (vehicle, entry) in cache[task].iter_mut().enumerate() {
            *entry = best_in_route(
                instance,
                state,
                task,
                vehicle,
                &mut workspace.scratch,
                &mut workspace.buffer,
                None,
            )
            .ok();
        }
    }
    if out_of_time {
        return finish_greedily(state, workspace, &mut pending);
    }
    while !pending.is_empty() {
        // Every round: one round re-prices every pending task on a route, which at a
        // thousand tasks on long routes is tens of milliseconds.
        if budget.is_over() {
            return finish_greedily(state, workspace, &mut pending);
        }
        let top_priority = pending
            .iter()
            .map(|&t| instance.problem.tasks[t].priority)
            .max()
            .unwrap_or(0);
        let chosen = most_regretted(instance, &pending, &cache, top_priority);
        let Some((position, insertion)) = chosen else {
            // Nothing left fits at the top priority: those stay unassigned.
            pending.retain(|&t| instance.problem.tasks[t].priority != top_priority);
            continue;
        };
        let task = pending.swap_remove(position);
        apply(instance, state, task, &insertion, &mut workspace.scratch);
        for (updated, &other) in pending.iter().enumerate() {
            if updated % 64 == 63 && budget.is_over() {
                out_of_time = true;
                break;
            }
            cache[other][insertion.vehicle] = best_in_route(
                instance,
                state,
                other,
                insertion.vehicle,
                &mut workspace.scratch,
                &mut workspace.buffer,
                None,
            )
            .ok();
        }
        if out_of_time {
            return finish_greedily(state, workspace, &mut pending);
        }
    }
}

/// Of the `pending` tasks at `top_priority`, the one that loses most if it does not go
/// to its cheapest route now (the second cheapest less the cheapest; a task with one
/// route left loses most), first on ties: its position in `pending` and that insertion.
fn most_regretted(
    instance: &Instance,
    pending: &[usize],
    cache: &[Vec<Option<Insertion>>],
    top_priority: u32,
) -> Option<(usize, Insertion)> {
    let mut chosen: Option<(i128, usize, Insertion)> = None;
    for (position, &task) in pending.iter().enumerate() {
        if instance.problem.tasks[task].priority != top_priority {
            continue;
        }
        let mut first: Option<Insertion> = None;
        let mut second: Option<i128> = None;
        for insertion in cache[task].iter().flatten() {
            match first {
                Some(f) if insertion.delta >= f.delta => {
                    second = Some(second.map_or(insertion.delta, |s| s.min(insertion.delta)))
                }
                _ => {
                    second = first.map(|f| f.delta);
                    first = Some(*insertion);
                }
            }
        }
        let Some(first) = first else { continue };
        let regret = second.map_or(i128::MAX / 4, |s| s - first.delta);
        if chosen.as_ref().is_none_or(|(best, _, _)| regret > *best) {
            chosen = Some((regret, position, first));
        }
    }
    chosen.map(|(_, position, insertion)| (position, insertion))
}

/// Greedy insertion of `tasks` in the given order, each at its cheapest position over
/// all routes (on large fleets, over the routes near it first: [`super::candidates`]),
/// skipping positions at `blink_rate`.
pub fn greedy(
    instance: &Instance,
    state: &mut State,
    tasks: &[usize],
    workspace: &mut Workspace,
    rng: &mut Rng,
    blink_rate: f64,
) {
    // Granular on large fleets: each task tries the routes near it first.
    workspace.locate(instance, state);
    for &task in tasks {
        let mut blink = Blink {
            rate: blink_rate,
            rng,
        };
        if instance.role(task).is_some() {
            insert_group(instance, state, task, workspace, Some(&mut blink));
            // A group may place and take back legs: locate every stop again.
            workspace.locate(instance, state);
            continue;
        }
        if let Some(insertion) = workspace.best_anywhere(instance, state, task, Some(&mut blink)) {
            apply(instance, state, task, &insertion, &mut workspace.scratch);
            workspace.placed(instance, task, insertion.vehicle);
        }
    }
    workspace.forget();
}
