//! Improving one group's sub-problem: the search's iteration (`solver::iteration`)
//! from the group's routes, cooling from the main search's temperature.

use crate::budget::Budget;
use crate::solver::instance::Instance;
use crate::solver::iteration::{accept, ruin_and_recreate};
use crate::solver::moves::recreate::{Workspace, regret};
use crate::solver::rng::Rng;
use crate::solver::state::State;
use crate::solver::warm_start::WarmStart;

/// What [`refine`] found.
pub struct Refined {
    /// The best plan.
    pub best: State,
    /// Whether it is better than the plan it started from.
    pub improved: bool,
    /// Iterations done.
    pub iterations: u64,
}

/// Improves the plan `warm` of a sub-problem (see `decompose`) by ruin & recreate with
/// local search, cooling from `temperature` to a tenth of it over the budget's
/// iteration cap; `stream` numbers it among its siblings.
pub fn refine(
    instance: &Instance,
    warm: &WarmStart,
    (seed, stream): (u64, u64),
    budget: &Budget,
    temperature: f64,
) -> Refined {
    let mut rng = Rng::new(seed, stream);
    let mut workspace = Workspace::new(instance);
    let mut current = State::from_warm_start(instance, warm, &mut workspace.scratch);
    let start_score = current.score(instance);
    regret(instance, &mut current, &mut workspace, budget);
    let mut current_score = current.score(instance);
    let (mut best, mut best_score) = (current.clone(), current_score);
    let cap = budget.max_iterations().unwrap_or(0);
    let mut iterations = 0;
    while iterations < cap && !budget.is_over() {
        iterations += 1;
        let progress = iterations as f64 / cap as f64;
        let heat = temperature * 0.1_f64.powf(progress);
        let (candidate, score) = ruin_and_recreate(
            instance,
            &current,
            best_score,
            &mut rng,
            &mut workspace,
            budget,
        );
        if accept(score, current_score, heat, &mut rng) {
            (current, current_score) = (candidate, score);
            if score < best_score {
                (best, best_score) = (current.clone(), score);
            }
        }
    }
    Refined {
        best,
        improved: best_score < start_score,
        iterations,
    }
}
