//! A tour's steps → the visits the checker replays: each task step resolved to its
//! stop and load change, each reload to the vehicle's hub, and the load each trip
//! leaves with (the trip's job deliveries plus the shipments already on board).

use super::Finding;
use crate::domain::{Problem, StepKind, TaskKind, TimeWindow, Tour, Vehicle};

/// One step between the start and the end of a tour.
pub struct Visit<'a> {
    /// Site index.
    pub site: usize,
    /// Windows for the service start; empty means always open.
    pub windows: &'a [TimeWindow],
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
}

/// Resolves the steps between start and end; the tour must have a task, and reloads
/// only on a vehicle that reloads, at its hub and within its maximum of trips.
pub fn visits<'a>(
    problem: &'a Problem,
    vehicle: &Vehicle,
    tour: &Tour,
    place: &str,
) -> Result<Vec<Visit<'a>>, Vec<Finding>> {
    let dims = problem.dimensions;
    let middle = tour.steps.get(1..tour.steps.len().saturating_sub(1));
    let (Some(middle), Some(StepKind::Start), Some(StepKind::End)) = (
        middle,
        tour.steps.first().map(|s| s.kind),
        tour.steps.last().map(|s| s.kind),
    ) else {
        return Err(vec![Finding::new(
            place,
            "steps must be start, tasks and reloads…, end",
        )]);
    };
    if middle.iter().all(|step| step.task.is_none()) {
        return Err(vec![Finding::new(place, "a reported tour has no task")]);
    }
    let mut visits = Vec::with_capacity(middle.len());
    let mut findings = Vec::new();
    for (position, step) in middle.iter().enumerate() {
        let position = position + 1;
        if step.kind == StepKind::Reload {
            let Some(reload) = &vehicle.reload else {
                return Err(vec![Finding::new(
                    format!("{place} step {position}"),
                    "a reload on a vehicle without reloads",
                )]);
            };
            let hub = &problem.sites[reload.site];
            if step.site != Some(reload.site) || step.task.is_some() {
                findings.push(Finding::new(
                    format!("{place} step {position}"),
                    format!("a reload must be at the vehicle's hub {}", hub.id),
                ));
            }
            visits.push(Visit {
                site: reload.site,
                windows: &hub.opening_windows,
                setup_s: 0,
                service_s: reload.duration_s,
                change: vec![0; dims],
                delivered: vec![0; dims],
                shipment: false,
                reload: true,
            });
            continue;
        }
        let Some(task) = step.task.and_then(|t| problem.tasks.get(t)) else {
            return Err(vec![Finding::new(
                format!("{place} step {position}"),
                "a task step without a known task",
            )]);
        };
        let (stop, change, delivered, shipment) = match (&task.kind, step.kind) {
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
            _ => {
                return Err(vec![Finding::new(
                    place,
                    "step kind does not match its task",
                )]);
            }
        };
        visits.push(Visit {
            site: stop.site,
            windows: &stop.time_windows,
            setup_s: problem.sites[stop.site].setup_s,
            service_s: stop.service_s,
            change,
            delivered,
            shipment,
            reload: false,
        });
    }
    let reloads = visits.iter().filter(|v| v.reload).count();
    if let Some(reload) = &vehicle.reload
        && reloads >= reload.max_trips
    {
        findings.push(Finding::new(
            place,
            format!("{} trips > max {}", reloads + 1, reload.max_trips),
        ));
    }
    if findings.is_empty() {
        Ok(visits)
    } else {
        Err(findings)
    }
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
