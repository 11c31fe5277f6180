//! Every task exactly once (in one tour, or unassigned), every vehicle at most once,
//! shipments whole on one tour with the pickup first, skills, goods that must not
//! share a vehicle.

use super::Finding;
use crate::domain::{Problem, Solution, StepKind, TaskKind};

/// Where each task was seen.
#[derive(Default, Clone)]
struct Seen {
    pickups: Vec<(usize, usize)>,
    deliveries: Vec<(usize, usize)>,
    jobs: usize,
    unassigned: usize,
}

pub(super) fn check(problem: &Problem, solution: &Solution) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = vec![Seen::default(); problem.tasks.len()];
    let mut vehicle_used = vec![false; problem.vehicles.len()];
    for (tour_index, tour) in solution.tours.iter().enumerate() {
        let Some(vehicle) = problem.vehicles.get(tour.vehicle) else {
            findings.push(Finding::new(
                format!("tour {tour_index}"),
                "unknown vehicle",
            ));
            continue;
        };
        if std::mem::replace(&mut vehicle_used[tour.vehicle], true) {
            findings.push(Finding::new(
                format!("tour[{}]", vehicle.id),
                "vehicle used twice",
            ));
        }
        let mut carried: Vec<usize> = tour.steps.iter().filter_map(|s| s.task).collect();
        carried.sort_unstable();
        carried.dedup();
        carried.retain(|&t| t < problem.tasks.len());
        for (i, &a) in carried.iter().enumerate() {
            for &b in &carried[i + 1..] {
                if !problem.goods_compatible(a, b) {
                    findings.push(Finding::new(
                        format!("tour[{}]", vehicle.id),
                        format!(
                            "carries {} and {}, whose goods must not share a vehicle",
                            problem.tasks[a].id, problem.tasks[b].id
                        ),
                    ));
                }
            }
        }
        for (position, step) in tour.steps.iter().enumerate() {
            let Some(task_index) = step.task else {
                continue;
            };
            let Some(task) = problem.tasks.get(task_index) else {
                findings.push(Finding::new(
                    format!("tour[{}]", vehicle.id),
                    "unknown task",
                ));
                continue;
            };
            if !task
                .skills
                .iter()
                .all(|skill| vehicle.skills.binary_search(skill).is_ok())
            {
                findings.push(Finding::new(
                    format!("tour[{}] task[{}]", vehicle.id, task.id),
                    "vehicle lacks a required skill",
                ));
            }
            let entry = &mut seen[task_index];
            match (step.kind, &task.kind) {
                (StepKind::Pickup, TaskKind::Shipment { .. }) => {
                    entry.pickups.push((tour_index, position))
                }
                (StepKind::Delivery, TaskKind::Shipment { .. }) => {
                    entry.deliveries.push((tour_index, position))
                }
                (StepKind::Job, TaskKind::Job { .. }) => entry.jobs += 1,
                _ => findings.push(Finding::new(
                    format!("tour[{}] task[{}]", vehicle.id, task.id),
                    "step kind does not match the task",
                )),
            }
        }
    }
    for unassigned in &solution.unassigned {
        match seen.get_mut(unassigned.task) {
            Some(entry) => entry.unassigned += 1,
            None => findings.push(Finding::new("unassigned", "unknown task")),
        }
    }
    for (task, entry) in problem.tasks.iter().zip(&seen) {
        let place = format!("task[{}]", task.id);
        let served = match task.kind {
            TaskKind::Shipment { .. } => {
                if entry.pickups.len() > 1 || entry.deliveries.len() > 1 {
                    findings.push(Finding::new(&place, "served more than once"));
                }
                match (entry.pickups.first(), entry.deliveries.first()) {
                    (Some(pickup), Some(delivery)) => {
                        if pickup.0 != delivery.0 {
                            findings.push(Finding::new(
                                &place,
                                "pickup and delivery on different tours",
                            ));
                        } else if pickup.1 >= delivery.1 {
                            findings.push(Finding::new(&place, "delivered before it is picked up"));
                        }
                        1
                    }
                    (None, None) => 0,
                    _ => {
                        findings.push(Finding::new(
                            &place,
                            "only one end of the shipment is served",
                        ));
                        1
                    }
                }
            }
            TaskKind::Job { .. } => entry.jobs,
        };
        if served + entry.unassigned != 1 {
            findings.push(Finding::new(
                &place,
                format!(
                    "served {served} time(s) and unassigned {} time(s)",
                    entry.unassigned
                ),
            ));
        }
    }
    findings
}
