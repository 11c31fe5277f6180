//! Plan mode (VROOM's `-c`, "choose ETA"): the vehicles' given routes are the plan. No
//! search and no refusal: each route is driven exactly as given, timed ([`timing`]),
//! and every rule it breaks is reported as a [`RouteViolation`] on its steps and on the
//! tour ([`violations`]); tasks in no given route are unassigned
//! ([`UnassignedReason::NotInPlan`]).
//!
//! Why beside the solver rather than in it: the solver only ever holds feasible routes
//! (its walk stops at the first broken rule), whereas a given route may break any of
//! them and must still be timed to the end. The checker is no fit either: it judges a
//! timed plan, it does not time one.
//!
//! Timing follows VROOM 1.15's choice (`choose_ETA.cpp`): the fewest seconds of
//! `lead_time` and `delay`, then the shortest working time, then every service as
//! early as possible, by the same three levels of linear programs ([`schedule`]), so
//! that a stop may be served before its window to spare a later one a delay, and a van
//! may leave before its shift. Known differences: each stop's window is the one an
//! as-early-as-possible drive reaches (VROOM chooses among several windows with binary
//! variables, and may wait for a later one); a break is taken where the previous stop
//! left the vehicle, before the next leg (VROOM may drive part of the leg first when
//! that spares waiting); `service_*` bounds that cannot all hold fall back to the
//! earliest drive with delays rather than VROOM's error.

mod schedule;
mod timing;
mod violations;

use crate::domain::{
    Problem, Solution, StopReason, TaskKind, TravelMatrix, Unassigned, UnassignedReason, Visit,
};

pub use crate::domain::RouteViolation;
pub use violations::summary;

/// The plan of `problem`'s given routes on `matrices` (one per profile), timed, with
/// what each route breaks.
pub fn plan(problem: &Problem, matrices: &[TravelMatrix]) -> Solution {
    let mut planned = vec![false; problem.tasks.len()];
    let mut tours = Vec::new();
    for route in &problem.routes {
        let Some(matrix) = matrices.get(problem.vehicles[route.vehicle].profile) else {
            continue;
        };
        for stop in &route.stops {
            if let Visit::Task { task, .. } = stop.visit {
                planned[task] = true;
            }
        }
        let mut tour = timing::time(problem, matrix, route);
        tour.violations = violations::mark(problem, route, &mut tour);
        tours.push(tour);
    }
    let unassigned = (0..problem.tasks.len())
        .filter(|&task| !planned[task])
        .map(|task| Unassigned {
            task,
            reason: UnassignedReason::NotInPlan,
        })
        .collect();
    let mut solution = Solution {
        tours,
        unassigned,
        stop_reason: StopReason::MaxIterations,
        ..Solution::default()
    };
    solution.summarise();
    solution
}

/// The `delivery` a job brings from the start, per dimension (empty for a shipment).
fn job_delivery(problem: &Problem, task: usize) -> &[i64] {
    match &problem.tasks[task].kind {
        TaskKind::Job { delivery, .. } => delivery,
        TaskKind::Shipment { .. } => &[],
    }
}
