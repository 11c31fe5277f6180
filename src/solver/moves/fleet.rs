//! Fleet minimisation for the vehicles-first objective (SISR's fleet phase,
//! Christiaens & Vanden Berghe 2020, §5): empty the smallest route, then ruin and
//! recreate with the remaining vehicles only, accepting a plan when it leaves fewer
//! tasks out, or when the tasks it leaves out have been left out less often so far
//! ("absences"). When every task is back in, one vehicle is saved; repeat.
//!
//! Ordinary annealing never takes this path: it ranks plans by unassigned tasks first,
//! so it cannot walk through the plans with a task out that lead to one vehicle less.

use super::recreate::{Workspace, greedy};
use super::ruin::ruin;
use crate::budget::Budget;
use crate::solver::instance::Instance;
use crate::solver::rng::Rng;
use crate::solver::state::State;

/// Iterations without leaving fewer tasks out after which the phase gives up: enough
/// for every task to be ruined several times over.
fn stall_after(instance: &Instance) -> u64 {
    (50 * instance.task_count() as u64).max(2_000)
}

/// The plan of `start` with as few vehicles as the budget allows, and the iterations
/// spent. Returns `start` unchanged when it leaves tasks out (nothing to free).
pub fn minimise(
    instance: &Instance,
    start: &State,
    rng: &mut Rng,
    workspace: &mut Workspace,
    budget: &Budget,
) -> (State, u64) {
    let mut best = start.clone();
    let mut iterations = 0u64;
    if !best.unassigned.is_empty() {
        return (best, 0);
    }
    let mut absences = vec![0u64; instance.task_count()];
    'fleet: loop {
        let used: Vec<usize> = (0..best.routes.len())
            .filter(|&v| !best.routes[v].is_empty())
            .collect();
        if used.len() <= 1 {
            break;
        }
        let Some(&victim) = used
            .iter()
            .min_by_key(|&&v| (best.routes[v].len(), rng.below(1 << 16)))
        else {
            break;
        };
        let mut current = without_route(instance, &best, victim, workspace);
        let mut allowed = vec![false; best.routes.len()];
        for &v in &used {
            allowed[v] = v != victim;
        }
        workspace.allowed = Some(allowed);
        // Fewest tasks left out so far for this route, and when that was reached: a
        // route whose tasks stop coming back is taken as the fleet's floor.
        let mut fewest_out = current.unassigned.len();
        let mut since_fewer = 0u64;
        loop {
            if current.unassigned.is_empty() {
                best = current;
                continue 'fleet;
            }
            if since_fewer >= stall_after(instance) {
                break 'fleet;
            }
            since_fewer += 1;
            if budget.iterations_spent(iterations) || budget.is_over() {
                break 'fleet;
            }
            iterations += 1;
            for &task in &current.unassigned {
                absences[task] += 1;
            }
            let mut candidate = current.clone();
            ruin(instance, &mut candidate, rng, workspace);
            let mut order = candidate.unassigned.clone();
            rng.shuffle(&mut order);
            order.sort_by_key(|&t| std::cmp::Reverse(absences[t]));
            greedy(instance, &mut candidate, &order, workspace, rng, 0.01);
            let weight =
                |state: &State| -> u64 { state.unassigned.iter().map(|&t| absences[t]).sum() };
            if candidate.unassigned.len() < current.unassigned.len()
                || weight(&candidate) < weight(&current)
            {
                current = candidate;
            }
            if current.unassigned.len() < fewest_out {
                fewest_out = current.unassigned.len();
                since_fewer = 0;
            }
        }
    }
    workspace.allowed = None;
    (best, iterations)
}

/// `best` with the route of `victim` emptied and its tasks left out.
fn without_route(
    instance: &Instance,
    best: &State,
    victim: usize,
    workspace: &mut Workspace,
) -> State {
    let mut current = best.clone();
    let stops = std::mem::take(&mut current.routes[victim]);
    current.repair(instance, victim, &mut workspace.scratch);
    let mut freed: Vec<usize> = stops.iter().map(|&s| instance.stops[s].task).collect();
    freed.sort_unstable();
    freed.dedup();
    current.unassigned.extend(freed);
    current.unassigned.sort_unstable();
    current
}
