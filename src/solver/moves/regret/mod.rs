//! The first plan: regret-2 insertion (insert first the task that would lose most by
//! waiting for its second cheapest route), highest priority first. Its prices
//! ([`prices`]) keep each task's two cheapest routes, so that a round costs the
//! re-pricing of the pending tasks on the route that changed, not a scan of every task
//! on every vehicle. On large rounds ([`LARGE_PAIRS`]) only the tasks near the stops
//! just inserted (and those whose two cheapest were on that route) are priced again on
//! it: the others keep their price as an estimate, taken again before it is used.

mod prices;
#[cfg(test)]
mod tests;

use super::haste::finish_in_haste;
use super::insertion::{Insertion, apply};
use super::workspace::Workspace;
use crate::budget::Budget;
use crate::solver::instance::Instance;
use crate::solver::instance::transfers::Role;
use crate::solver::state::State;
use prices::{Prices, Pricing};

/// Pending tasks × vehicles from which a round re-prices on the changed route only the
/// tasks near it: 1,000 shipments on 200 vans re-price 1,000 tasks a round otherwise,
/// while the Solomon and Li & Lim instances (2,500 pairs at most) keep every price exact.
pub const LARGE_PAIRS: usize = 40_000;

/// Regret-2 insertion of every unassigned task, highest priority first. When the
/// budget ends, the tasks still pending go in by [`finish_in_haste`] instead, so that a
/// short time limit is kept and still returns a plan.
pub fn regret(instance: &Instance, state: &mut State, workspace: &mut Workspace, budget: &Budget) {
    let pending = pending_tasks(instance, state);
    let large = pending.len() * instance.problem.vehicles.len() >= LARGE_PAIRS;
    regret_with(instance, state, workspace, budget, pending, large);
}

/// The unassigned tasks the first plan inserts: transferable shipments go direct (the
/// search tries the legs).
fn pending_tasks(instance: &Instance, state: &State) -> Vec<usize> {
    let mut pending: Vec<usize> = state.unassigned.clone();
    pending.retain(|&task| !matches!(instance.role(task), Some(Role::First(_) | Role::Second(_))));
    pending
}

/// [`regret`] of `pending`, re-pricing only near tasks when `large`; the prices it
/// took.
fn regret_with(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    budget: &Budget,
    mut pending: Vec<usize>,
    large: bool,
) -> u64 {
    let finish_greedily =
        |state: &mut State, workspace: &mut Workspace, pending: &mut Vec<usize>| {
            pending.sort_by_key(|&t| std::cmp::Reverse(instance.problem.tasks[t].priority));
            finish_in_haste(instance, state, pending, workspace);
        };
    let mut prices = Prices::new(instance, &pending);
    let mut pricing = Pricing {
        instance,
        state,
        workspace,
    };
    let filled = pending.iter().enumerate().all(|(filled, &task)| {
        let in_time = filled % 16 != 15 || !budget.is_over();
        if in_time {
            prices.fill(&mut pricing, task);
        }
        in_time
    });
    if !filled {
        finish_greedily(state, workspace, &mut pending);
        return prices.priced;
    }
    let near = large.then(|| NearTasks::new(instance));
    let mut marks = vec![false; instance.task_count()];
    while !pending.is_empty() {
        if budget.is_over() {
            finish_greedily(state, workspace, &mut pending);
            return prices.priced;
        }
        let top_priority = pending
            .iter()
            .map(|&t| instance.problem.tasks[t].priority)
            .max()
            .unwrap_or(0);
        let Some((position, insertion)) = most_regretted(instance, &pending, &prices, top_priority)
        else {
            // Nothing left fits at the top priority: those stay unassigned.
            pending.retain(|&t| instance.problem.tasks[t].priority != top_priority);
            continue;
        };
        let task = pending.swap_remove(position);
        let vehicle = insertion.vehicle;
        let opened = state.routes[vehicle].is_empty();
        apply(instance, state, task, &insertion, &mut workspace.scratch);
        prices.changed(vehicle);
        // An empty route that opens is priced again for every task: its price dropped
        // by the vehicle's fixed cost for all of them.
        let everyone = near.is_none() || opened;
        if let Some(near) = near.as_ref().filter(|_| !everyone) {
            near.mark(task, &mut marks, true);
        }
        let mut pricing = Pricing {
            instance,
            state,
            workspace,
        };
        let updated = pending.iter().enumerate().all(|(updated, &other)| {
            let in_time = updated % 64 != 63 || !budget.is_over();
            if in_time {
                prices.update(&mut pricing, other, vehicle, everyone || marks[other]);
            }
            in_time
        });
        if !updated {
            finish_greedily(state, workspace, &mut pending);
            return prices.priced;
        }
        if let Some(near) = near.as_ref().filter(|_| !everyone) {
            near.mark(task, &mut marks, false);
        }
    }
    prices.priced
}

/// Of the `pending` tasks at `top_priority`, the one that loses most if it does not go
/// to its cheapest route now (the second cheapest less the cheapest; a task with one
/// route left loses most), first on ties: its position in `pending` and that insertion.
fn most_regretted(
    instance: &Instance,
    pending: &[usize],
    prices: &Prices,
    top_priority: u32,
) -> Option<(usize, Insertion)> {
    let mut chosen: Option<(i128, usize, usize)> = None;
    for (position, &task) in pending.iter().enumerate() {
        if instance.problem.tasks[task].priority != top_priority {
            continue;
        }
        let Some((regret, _)) = prices.best_two(task).regret() else {
            continue;
        };
        if chosen.is_none_or(|(best, _, _)| regret > best) {
            chosen = Some((regret, position, task));
        }
    }
    let (_, position, task) = chosen?;
    Some((position, prices.cheapest(task)?))
}

/// Per task, the tasks with a stop among its stops' nearest or the other way round:
/// those whose price on a route may drop when it goes in.
struct NearTasks {
    /// `tasks[task]`: sorted, without `task`.
    tasks: Vec<Vec<usize>>,
}

impl NearTasks {
    fn new(instance: &Instance) -> Self {
        let mut tasks: Vec<Vec<usize>> = vec![Vec::new(); instance.task_count()];
        for (stop, neighbours) in instance.neighbours.iter().enumerate() {
            let task = instance.stops[stop].task;
            for &other in neighbours {
                let other = instance.stops[other].task;
                if other != task {
                    tasks[task].push(other);
                    tasks[other].push(task);
                }
            }
        }
        for near in &mut tasks {
            near.sort_unstable();
            near.dedup();
        }
        NearTasks { tasks }
    }

    /// Sets the marks of the tasks near `task` to `value`.
    fn mark(&self, task: usize, marks: &mut [bool], value: bool) {
        for &other in &self.tasks[task] {
            marks[other] = value;
        }
    }
}
