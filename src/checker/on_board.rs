//! Goods kept apart on board (`GOODS_RULE_NOT_ON_BOARD_TOGETHER`): along each tour, the
//! goods on board after every step, and no two of them of kinds kept apart. Read from the
//! tour's steps as a driver would load the van: a shipment rides from its pickup step to
//! its delivery step, across reloads; a job's delivery rides from its trip's start (the
//! tour's start or the reload before it) to the job; a job's pickup from the job to its
//! trip's end (the next reload or the tour's end).

use super::finding::Finding;
use crate::domain::{Problem, StepKind, TaskKind, Tour, Vehicle};

/// The goods a task carries, by where they ride.
fn carried(problem: &Problem, task: usize) -> (bool, bool) {
    match &problem.tasks[task].kind {
        TaskKind::Job {
            delivery, pickup, ..
        } => (
            delivery.iter().any(|&a| a > 0),
            pickup.iter().any(|&a| a > 0),
        ),
        TaskKind::Shipment { .. } => (false, false),
    }
}

/// Checks `tour` of `vehicle` against the problem's pairs kept apart on board.
pub(super) fn check(
    problem: &Problem,
    vehicle: &Vehicle,
    tour: &Tour,
    findings: &mut Vec<Finding>,
) {
    if problem.apart_on_board.is_empty() {
        return;
    }
    let apart =
        |a: usize, b: usize| match (problem.tasks[a].goods_kind, problem.tasks[b].goods_kind) {
            (Some(x), Some(y)) => problem
                .apart_on_board
                .iter()
                .any(|&(p, q)| (p, q) == (x, y) || (p, q) == (y, x)),
            _ => false,
        };
    let mut clash = |on_board: &[usize], task: usize| {
        for &other in on_board.iter().filter(|&&other| other != task) {
            if apart(task, other) {
                findings.push(Finding::new(
                    format!("tour[{}]", vehicle.id),
                    format!(
                        "carries {} and {} on board together, whose goods must be kept apart",
                        problem.tasks[other].id, problem.tasks[task].id
                    ),
                ));
            }
        }
    };
    let steps = &tour.steps;
    let task_of = |i: usize| steps[i].task.filter(|&t| t < problem.tasks.len());
    // Shipments and job goods on board.
    let mut on_board: Vec<usize> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if matches!(step.kind, StepKind::Start | StepKind::Reload) {
            // Job pickups of the trip before are unloaded; the next trip's deliveries load.
            on_board.retain(|&t| !matches!(problem.tasks[t].kind, TaskKind::Job { .. }));
            let trip_end = (i + 1..steps.len())
                .find(|&j| matches!(steps[j].kind, StepKind::Reload | StepKind::End))
                .unwrap_or(steps.len());
            for (j, next) in steps.iter().enumerate().take(trip_end).skip(i + 1) {
                if let Some(task) = task_of(j)
                    && next.kind == StepKind::Job
                    && carried(problem, task).0
                {
                    clash(&on_board, task);
                    on_board.push(task);
                }
            }
            continue;
        }
        let Some(task) = task_of(i) else {
            continue;
        };
        match step.kind {
            StepKind::Pickup => {
                clash(&on_board, task);
                on_board.push(task);
            }
            StepKind::Delivery => on_board.retain(|&t| t != task),
            StepKind::Job => {
                on_board.retain(|&t| t != task);
                if carried(problem, task).1 {
                    clash(&on_board, task);
                    on_board.push(task);
                }
            }
            _ => {}
        }
    }
}
