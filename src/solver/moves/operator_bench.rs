//! A fixed starting plan for measuring the hot paths one at a time (`benches/solve.rs`):
//! the regret construction of a problem, then one insertion sweep or one pass of a
//! local-search operator on a copy of it. Deterministic: no clock, no randomness.

use std::sync::atomic::AtomicBool;

use super::insertion::best_in_route;
use super::local_search::{self, Operator, Positions};
use super::recreate::{Workspace, regret};
use crate::budget::Budget;
use crate::domain::{Problem, Solution, TravelMatrix};
use crate::solver::instance::Instance;
use crate::solver::output;
use crate::solver::state::{Score, State};

/// A problem's solver view and its regret-built plan.
pub struct OperatorBench<'a> {
    instance: Instance<'a>,
    start: State,
}

impl<'a> OperatorBench<'a> {
    /// Builds the plan the measurements start from.
    pub fn new(problem: &'a Problem, matrices: &'a [TravelMatrix]) -> Self {
        let instance = Instance::new(problem, matrices);
        let mut start = State::empty(&instance);
        let mut workspace = Workspace::new(&instance);
        let never = AtomicBool::new(false);
        regret(&instance, &mut start, &mut workspace, &Budget::new(&never));
        OperatorBench { instance, start }
    }

    /// Score of the starting plan: vehicles (counted under the vehicles-first objective
    /// only), then the objective.
    pub fn start_score(&self) -> (usize, i64) {
        key(self.start.score(&self.instance))
    }

    /// One pass of `operator` over a copy of the plan; the score after it.
    pub fn pass(&self, operator: Operator) -> (usize, i64) {
        key(self.after(operator).score(&self.instance))
    }

    /// The starting plan as a solution.
    pub fn start_solution(&self) -> Solution {
        output::solution(&self.instance, &self.start)
    }

    /// The plan after one pass of `operator`, as a solution (for the checker).
    pub fn solution_after(&self, operator: Operator) -> Solution {
        output::solution(&self.instance, &self.after(operator))
    }

    fn after(&self, operator: Operator) -> State {
        let mut state = self.start.clone();
        let mut workspace = Workspace::new(&self.instance);
        let mut positions = Positions::new(&self.instance, &state);
        local_search::pass(
            operator,
            &self.instance,
            &mut state,
            &mut workspace,
            &mut positions,
        );
        state
    }

    /// The cheapest insertion of every task into every route of the plan (the check
    /// recreate runs for each task); the number of feasible placements found.
    pub fn insertion_sweep(&self) -> usize {
        let mut workspace = Workspace::new(&self.instance);
        let mut found = 0;
        for task in 0..self.instance.task_count() {
            for vehicle in 0..self.start.routes.len() {
                found += usize::from(
                    best_in_route(
                        &self.instance,
                        &self.start,
                        task,
                        vehicle,
                        &mut workspace.scratch,
                        &mut workspace.buffer,
                        None,
                    )
                    .is_ok(),
                );
            }
        }
        found
    }
}

fn key(score: Score) -> (usize, i64) {
    (score.vehicles, score.objective)
}
