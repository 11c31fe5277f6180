//! The locks of the given routes: a task locked on a vehicle is served by that vehicle
//! (or left out, with its reason: a lock cannot make a task feasible), and a vehicle's
//! sequence-locked stops keep their given order in its tour. Read from the problem's
//! routes and the tours' steps alone.

use super::finding::Finding;
use crate::domain::{Lock, Problem, Solution, StepKind, Visit};

/// Every lock `solution` breaks.
pub(super) fn check(problem: &Problem, solution: &Solution) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Per (task, which): the vehicle and position where the solution serves it.
    let mut served = std::collections::HashMap::new();
    for tour in &solution.tours {
        for (position, step) in tour.steps.iter().enumerate() {
            let which = match step.kind {
                StepKind::Delivery => 1,
                _ => 0,
            };
            if let Some(task) = step.task {
                served.insert((task, which), (tour.vehicle, position));
            }
        }
    }
    for route in &problem.routes {
        let vehicle_id = &problem.vehicles[route.vehicle].id;
        let mut last_position = None;
        for stop in &route.stops {
            let Visit::Task { task, which } = stop.visit else {
                continue;
            };
            if stop.lock == Lock::Free {
                continue;
            }
            let task_id = &problem.tasks[task].id;
            let Some(&(vehicle, position)) = served.get(&(task, which)) else {
                continue;
            };
            if vehicle != route.vehicle {
                let rule = format!(
                    "locked on vehicle {vehicle_id}, served by {}",
                    problem.vehicles[vehicle].id
                );
                findings.push(Finding::new(format!("task[{task_id}]"), rule));
                continue;
            }
            if stop.lock != Lock::InSequence {
                continue;
            }
            if last_position.is_some_and(|last| position < last) {
                let rule = "a sequence-locked stop served before one given ahead of it";
                findings.push(Finding::new(
                    format!("tour[{vehicle_id}] step {position}"),
                    rule,
                ));
            }
            last_position = Some(position);
        }
    }
    findings
}
