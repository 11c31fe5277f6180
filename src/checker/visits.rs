//! A tour's steps → the visits the checker replays: each task step resolved to its
//! stop and load change, each reload to the vehicle's hub, and the load each trip
//! leaves with (the trip's job deliveries plus the shipments already on board); each
//! driver's break to its vehicle's break, every break of the vehicle taken once.

use super::finding::Finding;
use crate::domain::{
    Break, Problem, Softness, StepKind, TaskKind, TaskStop, TimeWindow, Tour, TourStep, Vehicle,
};

/// One step between the start and the end of a tour.
pub struct Visit<'a> {
    /// Site index; `None` for a driver's break, taken wherever the vehicle stands.
    pub site: Option<usize>,
    /// Windows for the service start; empty means always open.
    pub windows: &'a [TimeWindow],
    /// A task stop's soft allowances, one per window; empty when its windows are hard.
    pub soft: &'a [Softness],
    /// Setup paid when arriving from another site (none at a reload).
    pub setup_s: i64,
    /// Service (or reload) time, seconds.
    pub service_s: i64,
    /// Load change at the visit (a task), per dimension.
    pub change: Vec<i64>,
    /// What a job delivers here, loaded at its trip's start, per dimension.
    pub delivered: Vec<i64>,
    /// A shipment's pickup or delivery: its goods stay on board across reloads.
    pub shipment: bool,
    /// A reload at the hub: a new trip starts.
    pub reload: bool,
    /// A driver's break: its windows are the break's, its service its duration.
    pub driver_break: Option<&'a Break>,
}

/// Resolves the steps between start and end; the tour must have a task, and reloads
/// only on a vehicle that reloads, at its hub and within its maximum of trips.
/// A step that cannot be resolved stops the checks of the tour with that one finding.
pub fn visits<'a>(
    problem: &'a Problem,
    vehicle: &'a Vehicle,
    tour: &Tour,
    place: &str,
) -> Result<Vec<Visit<'a>>, Vec<Finding>> {
    let middle = between_start_and_end(tour, place).map_err(|finding| vec![finding])?;
    let mut visits = Vec::with_capacity(middle.len());
    let mut findings = Vec::new();
    for (position, step) in middle.iter().enumerate() {
        let position = position + 1;
        let visit = match step.kind {
            StepKind::Reload => {
                reload_visit(problem, vehicle, step, position, place, &mut findings)
            }
            StepKind::Break => break_visit(problem, vehicle, step, position, place),
            _ => task_visit(problem, step, position, place),
        };
        visits.push(visit.map_err(|finding| vec![finding])?);
    }
    findings.extend(check_trip_count(vehicle, &visits, place));
    findings.extend(check_breaks_taken(vehicle, middle, place));
    if findings.is_empty() {
        Ok(visits)
    } else {
        Err(findings)
    }
}

/// The steps between the start and the end; a tour must open with its start, close
/// with its end, and serve at least one task (a tour of reloads only is no tour).
fn between_start_and_end<'t>(tour: &'t Tour, place: &str) -> Result<&'t [TourStep], Finding> {
    let middle = tour.steps.get(1..tour.steps.len().saturating_sub(1));
    let (Some(middle), Some(StepKind::Start), Some(StepKind::End)) = (
        middle,
        tour.steps.first().map(|s| s.kind),
        tour.steps.last().map(|s| s.kind),
    ) else {
        return Err(Finding::new(
            place,
            "steps must be start, tasks and reloads…, end",
        ));
    };
    if middle.iter().all(|step| step.task.is_none()) {
        return Err(Finding::new(place, "a reported tour has no task"));
    }
    Ok(middle)
}

/// A reload is always made at the vehicle's hub, whatever site the step names: a
/// misplaced one is a finding but the replay goes on with the hub.
fn reload_visit<'a>(
    problem: &'a Problem,
    vehicle: &Vehicle,
    step: &TourStep,
    position: usize,
    place: &str,
    findings: &mut Vec<Finding>,
) -> Result<Visit<'a>, Finding> {
    let Some(reload) = &vehicle.reload else {
        return Err(Finding::new(
            format!("{place} step {position}"),
            "a reload on a vehicle without reloads",
        ));
    };
    let hub = &problem.sites[reload.site];
    if step.site != Some(reload.site) || step.task.is_some() {
        findings.push(Finding::new(
            format!("{place} step {position}"),
            format!("a reload must be at the vehicle's hub {}", hub.id),
        ));
    }
    let dims = problem.dimensions;
    Ok(Visit {
        site: Some(reload.site),
        windows: &hub.opening_windows,
        soft: &[],
        setup_s: 0,
        service_s: reload.duration_s,
        change: vec![0; dims],
        delivered: vec![0; dims],
        shipment: false,
        reload: true,
        driver_break: None,
    })
}

/// A task step at its stop, with the load it changes there.
fn task_visit<'a>(
    problem: &'a Problem,
    step: &TourStep,
    position: usize,
    place: &str,
) -> Result<Visit<'a>, Finding> {
    let Some(task) = step.task.and_then(|t| problem.tasks.get(t)) else {
        return Err(Finding::new(
            format!("{place} step {position}"),
            "a task step without a known task",
        ));
    };
    let Some((stop, change, delivered, shipment)) =
        task_effect(&task.kind, step.kind, problem.dimensions)
    else {
        return Err(Finding::new(place, "step kind does not match its task"));
    };
    Ok(Visit {
        site: Some(stop.site),
        windows: &stop.time_windows,
        soft: &stop.soft,
        setup_s: problem.sites[stop.site].setup_s,
        service_s: stop.service_s,
        change,
        delivered,
        shipment,
        reload: false,
        driver_break: None,
    })
}

/// A driver's break: one of the vehicle's, with no task and no load change.
fn break_visit<'a>(
    problem: &Problem,
    vehicle: &'a Vehicle,
    step: &TourStep,
    position: usize,
    place: &str,
) -> Result<Visit<'a>, Finding> {
    let Some(driver_break) = step.driver_break.and_then(|b| vehicle.breaks.get(b)) else {
        return Err(Finding::new(
            format!("{place} step {position}"),
            "a break step that names none of the vehicle's breaks",
        ));
    };
    if step.task.is_some() {
        return Err(Finding::new(
            format!("{place} step {position}"),
            "a break step with a task",
        ));
    }
    let dims = problem.dimensions;
    Ok(Visit {
        site: None,
        windows: &driver_break.windows,
        soft: &[],
        setup_s: 0,
        service_s: driver_break.duration_s,
        change: vec![0; dims],
        delivered: vec![0; dims],
        shipment: false,
        reload: false,
        driver_break: Some(driver_break),
    })
}

/// A used vehicle's driver takes every one of its breaks, each once: a break is the
/// law, never dropped.
fn check_breaks_taken(vehicle: &Vehicle, middle: &[TourStep], place: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, driver_break) in vehicle.breaks.iter().enumerate() {
        let taken = middle
            .iter()
            .filter(|step| step.kind == StepKind::Break && step.driver_break == Some(index))
            .count();
        if taken != 1 {
            findings.push(Finding::new(
                format!("{place} break[{}]", driver_break.id),
                format!("taken {taken} times; every break of a used vehicle is taken once"),
            ));
        }
    }
    findings
}

/// The stop a step of `kind` serves, its load change, what a job delivers there (it
/// rides from the trip's start), and whether the goods are a shipment's; `None` when
/// the step kind does not fit the task.
fn task_effect(
    task: &TaskKind,
    kind: StepKind,
    dims: usize,
) -> Option<(&TaskStop, Vec<i64>, Vec<i64>, bool)> {
    Some(match (task, kind) {
        (TaskKind::Shipment { pickup, amount, .. }, StepKind::Pickup) => {
            (pickup, amount.clone(), vec![0; dims], true)
        }
        (
            TaskKind::Shipment {
                delivery, amount, ..
            },
            StepKind::Delivery,
        ) => (
            delivery,
            amount.iter().map(|a| -a).collect(),
            vec![0; dims],
            true,
        ),
        (
            TaskKind::Job {
                stop,
                delivery,
                pickup,
            },
            StepKind::Job,
        ) => (
            stop,
            pickup.iter().zip(delivery).map(|(p, d)| p - d).collect(),
            delivery.clone(),
            false,
        ),
        _ => return None,
    })
}

/// Every reload starts one more trip.
fn check_trip_count(vehicle: &Vehicle, visits: &[Visit], place: &str) -> Option<Finding> {
    let reloads = visits.iter().filter(|v| v.reload).count();
    let reload = vehicle.reload.as_ref()?;
    (reloads >= reload.max_trips).then(|| {
        Finding::new(
            place,
            format!("{} trips > max {}", reloads + 1, reload.max_trips),
        )
    })
}

/// The load on leaving for each trip: the start, then every reload in order.
pub fn trip_loads(visits: &[Visit], dimensions: usize) -> Vec<Vec<i64>> {
    let mut on_board = vec![0i64; dimensions];
    let mut loads = vec![on_board.clone()];
    for visit in visits {
        if visit.reload {
            loads.push(on_board.clone());
        }
        let Some(load) = loads.last_mut() else {
            continue;
        };
        for (l, d) in load.iter_mut().zip(&visit.delivered) {
            *l += d;
        }
        if visit.shipment {
            for (o, c) in on_board.iter_mut().zip(&visit.change) {
                *o += c;
            }
        }
    }
    loads
}
