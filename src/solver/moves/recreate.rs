//! Recreate: put unassigned tasks back into routes. Regret-2 builds the first solution
//! (insert first the task that would lose most by waiting: [`super::regret`]); greedy
//! insertion with blinks (SISR) rebuilds after each ruin.

use super::insertion::{Blink, apply};
pub use super::regret::regret;
use super::transfer::insert_group;
pub use super::workspace::Workspace;
use crate::solver::instance::Instance;
use crate::solver::rng::Rng;
use crate::solver::state::State;

/// Greedy insertion of `tasks` in the given order, each at its cheapest position over
/// all routes, skipping positions at `blink_rate`.
pub fn greedy(
    instance: &Instance,
    state: &mut State,
    tasks: &[usize],
    workspace: &mut Workspace,
    rng: &mut Rng,
    blink_rate: f64,
) {
    for &task in tasks {
        let mut blink = Blink {
            rate: blink_rate,
            rng,
        };
        if instance.role(task).is_some() {
            insert_group(instance, state, task, workspace, Some(&mut blink));
            continue;
        }
        if let Some(insertion) = workspace.best_anywhere(instance, state, task, Some(&mut blink)) {
            apply(instance, state, task, &insertion, &mut workspace.scratch);
        }
    }
}
