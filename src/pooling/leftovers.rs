//! What a task a coalition leaves unserved costs it in the game. A coalition that drops
//! a task must not look cheaper than one that serves it, or the split would reward
//! leaving goods behind: each unserved task is priced, by the request
//! (`pooling.unserved_task_cost`) or by default at the costliest task served alone —
//! one dedicated trip of a stand-in van (the first vehicle's costs) from the task's
//! pickup to its delivery and back, or from the first vehicle's start to a job and
//! back, with the fixed cost of a vehicle. Uniform, so that c(S) stays comparable
//! between coalitions; at least what any leftover would cost served on its own.

use crate::domain::{Problem, TaskKind, TravelMatrix, currency};

/// The price of a task a coalition leaves unserved, currency units.
pub fn unserved_price(problem: &Problem, matrices: &[TravelMatrix]) -> f64 {
    let requested = problem
        .pooling
        .as_ref()
        .map_or(0.0, |o| o.unserved_task_cost);
    if requested > 0.0 {
        return requested;
    }
    (0..problem.tasks.len())
        .map(|task| alone_trip_micro(problem, matrices, task))
        .max()
        .map_or(0.0, currency)
}

/// One dedicated trip for `task`, micro-currency (0 without a vehicle to price it).
fn alone_trip_micro(problem: &Problem, matrices: &[TravelMatrix], task: usize) -> i64 {
    let Some(van) = problem.vehicles.first() else {
        return 0;
    };
    let Some(matrix) = matrices.get(van.profile) else {
        return 0;
    };
    let index = |site: usize| problem.sites.get(site).map(|s| s.matrix_index);
    let (from, to, service_s) = match &problem.tasks[task].kind {
        TaskKind::Shipment {
            pickup, delivery, ..
        } => (
            index(pickup.site),
            index(delivery.site),
            pickup.service_s + delivery.service_s,
        ),
        TaskKind::Job { stop, .. } => (
            van.start_site.and_then(index).or(index(stop.site)),
            index(stop.site),
            stop.service_s,
        ),
    };
    let (Some(from), Some(to)) = (from, to) else {
        return 0;
    };
    if from.max(to) >= matrix.size {
        return 0;
    }
    let distance_m = matrix.distance_m(from, to) + matrix.distance_m(to, from);
    let travel_s = matrix.duration_s(from, to) + matrix.duration_s(to, from);
    let matrix_cost = matrix.cost(from, to) + matrix.cost(to, from);
    van.costs
        .tour_cost_micro(distance_m, travel_s, service_s, matrix_cost)
}
