//! Every task exactly once (in one tour, or unassigned), every vehicle at most once
//! (once per shift, its tours apart in time: `shifts.rs`),
//! shipments whole on one tour with the pickup first, skills, goods that must not
//! share a vehicle (and, in `on_board.rs`, goods that must not share the load). These rules look across tours, so they are checked once for the
//! whole solution before any tour is replayed.

use super::finding::Finding;
use crate::domain::{Problem, Solution, StepKind, Task, TaskKind, Tour, Vehicle};

/// Where each task was seen.
#[derive(Default, Clone)]
struct Seen {
    /// (tour index, step position) of each pickup step.
    pickups: Vec<(usize, usize)>,
    /// (tour index, step position) of each delivery step.
    deliveries: Vec<(usize, usize)>,
    jobs: usize,
    unassigned: usize,
}

pub(super) fn check(problem: &Problem, solution: &Solution) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = vec![Seen::default(); problem.tasks.len()];
    let mut used = std::collections::HashSet::new();
    for (tour_index, tour) in solution.tours.iter().enumerate() {
        let Some(vehicle) = problem.tour_vehicle(tour.vehicle, tour.shift) else {
            findings.push(Finding::new(
                format!("tour {tour_index}"),
                "unknown vehicle, or a shift its vehicle does not have",
            ));
            continue;
        };
        if !used.insert((tour.vehicle, tour.shift)) {
            let rule = match tour.shift {
                None => "vehicle used twice".to_string(),
                Some(shift) => format!(
                    "vehicle used twice on shift {}",
                    problem.vehicles[tour.vehicle].shifts[shift].id
                ),
            };
            findings.push(Finding::new(format!("tour[{}]", vehicle.id), rule));
        }
        check_goods(problem, &vehicle, tour, &mut findings);
        super::on_board::check(problem, &vehicle, tour, &mut findings);
        record_steps(
            problem,
            &vehicle,
            tour_index,
            tour,
            &mut seen,
            &mut findings,
        );
    }
    super::shifts::check(problem, solution, &mut findings);
    for unassigned in &solution.unassigned {
        match seen.get_mut(unassigned.task) {
            Some(entry) => entry.unassigned += 1,
            None => findings.push(Finding::new("unassigned", "unknown task")),
        }
    }
    for (task, entry) in problem.tasks.iter().zip(&seen) {
        check_served_once(task, entry, &mut findings);
    }
    findings
}

/// Every pair of distinct tasks on the tour, whatever trip or step carries them.
fn check_goods(problem: &Problem, vehicle: &Vehicle, tour: &Tour, findings: &mut Vec<Finding>) {
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
}

/// Notes where each task step of the tour was seen, and checks the vehicle may serve
/// it (skills) and the step kind fits the task.
fn record_steps(
    problem: &Problem,
    vehicle: &Vehicle,
    tour_index: usize,
    tour: &Tour,
    seen: &mut [Seen],
    findings: &mut Vec<Finding>,
) {
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

/// A task is served exactly once or listed unassigned exactly once, never both.
fn check_served_once(task: &Task, entry: &Seen, findings: &mut Vec<Finding>) {
    let place = format!("task[{}]", task.id);
    let served = match task.kind {
        TaskKind::Shipment { .. } => shipment_served(entry, &place, findings),
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

/// How often a shipment counts as served (a half-served one counts, so it is not also
/// reported as missing); checks its two ends are one pickup then one delivery on one
/// tour.
fn shipment_served(entry: &Seen, place: &str, findings: &mut Vec<Finding>) -> usize {
    if entry.pickups.len() > 1 || entry.deliveries.len() > 1 {
        findings.push(Finding::new(place, "served more than once"));
    }
    match (entry.pickups.first(), entry.deliveries.first()) {
        (Some(pickup), Some(delivery)) => {
            if pickup.0 != delivery.0 {
                findings.push(Finding::new(
                    place,
                    "pickup and delivery on different tours",
                ));
            } else if pickup.1 >= delivery.1 {
                findings.push(Finding::new(place, "delivered before it is picked up"));
            }
            1
        }
        (None, None) => 0,
        _ => {
            findings.push(Finding::new(
                place,
                "only one end of the shipment is served",
            ));
            1
        }
    }
}
