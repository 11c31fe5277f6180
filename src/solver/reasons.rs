//! Why a task stayed unassigned: tried alone on each vehicle, the most telling failure.

use super::instance::Instance;
use super::route::evaluate::{Scratch, evaluate};
use super::route::infeasible::Infeasible;
use crate::domain::{TaskKind, UnassignedReason};

/// The reason `task` could not be served, given the plan's `routes`.
pub fn reason(
    instance: &Instance,
    task: usize,
    routes: &[Vec<usize>],
    scratch: &mut Scratch,
) -> UnassignedReason {
    let problem = instance.problem;
    let skilled: Vec<usize> = (0..problem.vehicles.len())
        .filter(|&v| {
            problem.tasks[task]
                .skills
                .iter()
                .all(|s| problem.vehicles[v].skills.binary_search(s).is_ok())
        })
        .collect();
    if skilled.is_empty() {
        return UnassignedReason::Skills;
    }
    let compatible: Vec<usize> = skilled
        .into_iter()
        .filter(|&v| instance.compatible[task][v])
        .collect();
    if compatible.is_empty() {
        return UnassignedReason::Capacity;
    }
    let stops = &instance.task_stops[task];
    let mut failures = Vec::new();
    let mut kept_out_by_goods = false;
    for vehicle in compatible {
        match evaluate(instance, vehicle, stops, scratch, None) {
            // Served alone, but its van carries goods it must not travel with.
            Ok(_) if instance.kinds_conflict(task, &routes[vehicle]) => kept_out_by_goods = true,
            Ok(_) => return UnassignedReason::FleetFull,
            Err(failure) => failures.push(failure),
        }
    }
    if kept_out_by_goods {
        return UnassignedReason::IncompatibleGoods;
    }
    // The failure shared by most vehicles; ties go to the earliest kind.
    failures.sort_unstable();
    let mut best = (0usize, Infeasible::Precedence);
    let mut index = 0;
    while index < failures.len() {
        let run = failures[index..]
            .iter()
            .take_while(|f| **f == failures[index])
            .count();
        if run > best.0 {
            best = (run, failures[index]);
        }
        index += run;
    }
    match best.1 {
        Infeasible::Unreachable => UnassignedReason::Unreachable,
        Infeasible::Capacity => UnassignedReason::Capacity,
        Infeasible::TimeWindows => UnassignedReason::TimeWindows,
        Infeasible::MaxTimeOnBoard => UnassignedReason::MaxTimeOnBoard,
        Infeasible::Limits => UnassignedReason::VehicleLimits,
        // A task alone never clashes with itself: the other goods took the vehicles.
        Infeasible::IncompatibleGoods => UnassignedReason::FleetFull,
        Infeasible::Breaks => UnassignedReason::Breaks,
        // A task alone keeps its own order: the other locked stops are in the way.
        Infeasible::Locks => UnassignedReason::FleetFull,
        // A leg alone never meets its partner: the other vans were taken.
        Infeasible::Transfer => UnassignedReason::FleetFull,
        Infeasible::Precedence => match problem.tasks[task].kind {
            TaskKind::Shipment { .. } => UnassignedReason::TimeWindows,
            TaskKind::Job { .. } => UnassignedReason::VehicleLimits,
        },
    }
}
