//! Vehicles' given routes (`vehicles[i].initial_route`): every stop names a task (or a
//! break of that vehicle) of the kind it says, no task stop is given twice (in one
//! route or in two vehicles' routes), a shipment's delivery follows its pickup in the
//! same route, and locks sit on task stops only. Its own file because routes refer to
//! tasks and breaks, which are validated before it.
//!
//! In plan mode an order a route breaks (delivery first, a shipment by half) is no
//! violation of the request: VROOM's `-c` times such a route and reports
//! `precedence`, and so does tournee's plan mode.

use std::collections::HashMap;

use super::violation::{Code, Collector};
use crate::domain::{InitialRoute, Lock, RouteStop, Task, TaskKind, Vehicle, Visit};
use crate::pb;
use pb::StepKind;

/// Given routes and plan mode name vehicles, not their shifts: with shifts in the fleet
/// they are refused (a violation per route, and one for plan mode) rather than guessed.
fn with_shifts(collector: &mut Collector, request: &pb::SolveRequest, plan_only: bool) -> bool {
    if request
        .vehicles
        .iter()
        .all(|vehicle| vehicle.shifts.is_empty())
    {
        return false;
    }
    const WHY: &str = "given routes and plan mode do not combine with vehicles' shifts yet (a route names a vehicle, not one of its shifts)";
    for (index, vehicle) in request.vehicles.iter().enumerate() {
        if !vehicle.initial_route.is_empty() {
            let field = format!("vehicles[{index}].initial_route");
            collector.push(Code::ShiftConflict, field, WHY.to_string());
        }
    }
    if plan_only {
        collector.push(
            Code::ShiftConflict,
            "options.plan_only".to_string(),
            WHY.to_string(),
        );
    }
    true
}

/// The given routes of `request`'s vehicles (validated `vehicles` and `tasks`, same
/// order), non-empty ones only.
pub fn routes(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    (vehicles, tasks): (&[Vehicle], &[Task]),
    plan_only: bool,
) -> Vec<InitialRoute> {
    if with_shifts(collector, request, plan_only) {
        return Vec::new();
    }
    let task_index: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(index, task)| (task.id.as_str(), index))
        .collect();
    // Where each task stop was first given: (vehicle, position in the route).
    let mut given: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut routes = Vec::new();
    for (vehicle, (pb_vehicle, domain_vehicle)) in request.vehicles.iter().zip(vehicles).enumerate()
    {
        if pb_vehicle.initial_route.is_empty() {
            continue;
        }
        let field = format!("vehicles[{vehicle}].initial_route");
        let mut stops = Vec::new();
        for (position, stop) in pb_vehicle.initial_route.iter().enumerate() {
            let field = format!("{field}[{position}]");
            let visit = visit(
                collector,
                &field,
                stop,
                (domain_vehicle, tasks, &task_index),
            );
            let Some(visit) = visit else { continue };
            if let Visit::Task { task, which } = visit
                && let Some(&(other, _)) = given.get(&(task, which))
            {
                let description = match other == vehicle {
                    true => format!("{:?} is already given earlier in this route", stop.id),
                    false => format!("{:?} is already in vehicles[{other}]'s route", stop.id),
                };
                collector.push(Code::DuplicateId, format!("{field}.id"), description);
                continue;
            }
            if let Visit::Task { task, which } = visit {
                given.insert((task, which), (vehicle, stops.len()));
            }
            stops.push(RouteStop {
                visit,
                lock: lock(collector, &field, stop, visit),
                service_at_s: stop.service_at_s,
                service_after_s: stop.service_after_s,
                service_before_s: stop.service_before_s,
            });
        }
        routes.push(InitialRoute { vehicle, stops });
    }
    if !plan_only {
        check_order(collector, &routes, tasks, &given);
    }
    routes
}

/// What `stop` at `field` visits, or `None` after reporting why it names nothing.
fn visit(
    collector: &mut Collector,
    field: &str,
    stop: &pb::RouteStop,
    (vehicle, tasks, task_index): (&Vehicle, &[Task], &HashMap<&str, usize>),
) -> Option<Visit> {
    let kind = StepKind::try_from(stop.kind).unwrap_or(StepKind::Unspecified);
    let which = match kind {
        StepKind::Start => return Some(Visit::Start),
        StepKind::End => return Some(Visit::End),
        StepKind::Break => {
            let found = vehicle.breaks.iter().position(|b| b.id == stop.id);
            if found.is_none() {
                let description = format!("{:?} names none of this vehicle's breaks", stop.id);
                collector.push(Code::UnknownId, format!("{field}.id"), description);
            }
            return found.map(Visit::Break);
        }
        StepKind::Job | StepKind::Pickup => 0,
        StepKind::Delivery => 1,
        StepKind::Unspecified | StepKind::Reload => {
            collector.push(
                Code::OutOfRange,
                format!("{field}.kind"),
                "give STEP_KIND_JOB, _PICKUP, _DELIVERY, _BREAK, _START or _END",
            );
            return None;
        }
    };
    let Some(&task) = task_index.get(stop.id.as_str()) else {
        let description = format!("{:?} names none of the shipments and jobs", stop.id);
        collector.push(Code::UnknownId, format!("{field}.id"), description);
        return None;
    };
    let is_job = matches!(tasks[task].kind, TaskKind::Job { .. });
    if is_job != (kind == StepKind::Job) {
        let description = match is_job {
            true => format!("{:?} is a job: give STEP_KIND_JOB", stop.id),
            false => format!(
                "{:?} is a shipment: give STEP_KIND_PICKUP or _DELIVERY",
                stop.id
            ),
        };
        collector.push(Code::OutOfRange, format!("{field}.kind"), description);
        return None;
    }
    Some(Visit::Task { task, which })
}

/// The lock of `stop`, which only a task stop may carry.
fn lock(collector: &mut Collector, field: &str, stop: &pb::RouteStop, visit: Visit) -> Lock {
    let lock = match pb::StopLock::try_from(stop.lock) {
        Ok(pb::StopLock::OnVehicle) => Lock::OnVehicle,
        Ok(pb::StopLock::InSequence) => Lock::InSequence,
        Ok(pb::StopLock::None) => Lock::Free,
        Err(_) => {
            collector.push(Code::OutOfRange, format!("{field}.lock"), "unknown lock");
            Lock::Free
        }
    };
    if lock != Lock::Free && !matches!(visit, Visit::Task { .. }) {
        collector.push(
            Code::OutOfRange,
            format!("{field}.lock"),
            "only a job, pickup or delivery stop can be locked",
        );
        return Lock::Free;
    }
    lock
}

/// Outside plan mode: each given shipment has both stops in one route, pickup first.
/// (Paths count the kept stops: when a stop before named nothing, that stop has its
/// own violation already.)
fn check_order(
    collector: &mut Collector,
    routes: &[InitialRoute],
    tasks: &[Task],
    given: &HashMap<(usize, usize), (usize, usize)>,
) {
    for route in routes {
        for (position, stop) in route.stops.iter().enumerate() {
            let Visit::Task { task, which } = stop.visit else {
                continue;
            };
            if !matches!(tasks[task].kind, TaskKind::Shipment { .. }) {
                continue;
            }
            let here = (route.vehicle, position);
            let description = match given.get(&(task, 1 - which)) {
                None => "a shipment's pickup and delivery are given together, or neither",
                Some(other) if other.0 != here.0 => {
                    "a shipment's pickup and delivery are given in the same vehicle's route"
                }
                Some(other) if which == 1 && other.1 > here.1 => {
                    "a shipment's delivery comes after its pickup"
                }
                Some(_) => continue,
            };
            let field = format!("vehicles[{}].initial_route[{position}]", route.vehicle);
            collector.push(Code::RouteOrder, field, description);
        }
    }
}
