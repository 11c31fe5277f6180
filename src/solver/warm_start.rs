//! A plan to start a search from: the pooling report warms each coalition's solve with
//! the plans of its cheapest split, so a group never costs more than planning apart; a
//! request's given routes (VROOM's `vehicles[].steps`) warm its own solve.

use crate::domain::{Problem, Solution, StepKind, Visit};

/// A plan to start the search from: per vehicle of the problem, its stops in order as
/// (task, which stop of the task: 0 for a job or a pickup, 1 for a delivery). The
/// search never returns anything worse than it (what it cannot place goes back to
/// regret insertion first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarmStart {
    /// Per vehicle index, its stops.
    pub routes: Vec<Vec<(usize, usize)>>,
}

impl WarmStart {
    /// The routes of a solution of `problem` as the solver numbers its vehicles: one
    /// per (vehicle, shift) of [`Problem::tour_slots`] (one per vehicle without shifts).
    pub fn of_plan(problem: &Problem, solution: &Solution) -> Self {
        let slots = problem.tour_slots();
        let mut numbered = solution.clone();
        numbered.tours.retain_mut(|tour| {
            let slot = slots.iter().position(|&s| s == (tour.vehicle, tour.shift));
            slot.map(|slot| tour.vehicle = slot).is_some()
        });
        Self::from_solution(&numbered, slots.len())
    }

    /// The problem's given routes (their task stops; breaks, start and end are placed
    /// by the search), or `None` when it gives none. As in VROOM's solving mode, only
    /// the order of the task stops is used, never their `service_*` times.
    pub fn from_problem(problem: &Problem) -> Option<Self> {
        if problem.routes.is_empty() {
            return None;
        }
        let mut routes = vec![Vec::new(); problem.vehicles.len()];
        for given in &problem.routes {
            let Some(route) = routes.get_mut(given.vehicle) else {
                continue;
            };
            route.extend(given.stops.iter().filter_map(|stop| match stop.visit {
                Visit::Task { task, which } => Some((task, which)),
                _ => None,
            }));
        }
        Some(WarmStart { routes })
    }

    /// The routes of a solution, numbered by the solver, of a problem with `vehicles`
    /// vehicles (a problem without shifts: its own numbering).
    pub fn from_solution(solution: &Solution, vehicles: usize) -> Self {
        let mut routes = vec![Vec::new(); vehicles];
        for tour in &solution.tours {
            let Some(route) = routes.get_mut(tour.vehicle) else {
                continue;
            };
            route.extend(
                tour.steps
                    .iter()
                    .filter_map(|step| match (step.task, step.kind) {
                        (Some(task), StepKind::Delivery) => Some((task, 1)),
                        (Some(task), _) => Some((task, 0)),
                        (None, _) => None,
                    }),
            );
        }
        WarmStart { routes }
    }
}
