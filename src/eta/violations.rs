//! What a timed given route breaks besides lateness (`timing.rs` marks the delays):
//! capacity and break loads, skills, the stop limit, pickup before delivery, travel
//! time and distance limits at each step, and breaks left out of the route. Each is
//! put on the step where it happens, as VROOM 1.15 does; the tour lists every cause
//! once, with the summed delay and lead time.

use std::collections::BTreeMap;

use crate::domain::{
    InitialRoute, Problem, RouteViolation, StepKind, Tour, TourStep, Vehicle, ViolationCause, Visit,
};

/// Marks `tour`'s steps with what they break; returns the tour's own list.
pub fn mark(problem: &Problem, route: &InitialRoute, tour: &mut Tour) -> Vec<RouteViolation> {
    let vehicle = &problem.vehicles[route.vehicle];
    let mut tasks_so_far = 0;
    // Step position of each shipment's pickup whose delivery has not come yet.
    let mut waiting_delivery: BTreeMap<usize, usize> = BTreeMap::new();
    let mut delivered_first: Vec<usize> = Vec::new();
    for (position, step) in tour.steps.iter_mut().enumerate() {
        let mut causes = limits(vehicle, step);
        if let Some(task) = step.task {
            let skills = &problem.tasks[task].skills;
            if !skills.iter().all(|skill| vehicle.skills.contains(skill)) {
                causes.push(ViolationCause::Skills);
            }
            tasks_so_far += 1;
            if vehicle.max_stops.is_some_and(|limit| tasks_so_far > limit) {
                causes.push(ViolationCause::MaxTasks);
            }
            let out_of_order = match step.kind {
                StepKind::Pickup if delivered_first.contains(&task) => true,
                StepKind::Pickup => {
                    waiting_delivery.insert(task, position);
                    false
                }
                StepKind::Delivery if waiting_delivery.remove(&task).is_none() => {
                    delivered_first.push(task);
                    true
                }
                _ => false,
            };
            if out_of_order {
                causes.push(ViolationCause::Precedence);
            }
        }
        causes.sort();
        step.violations
            .extend(causes.into_iter().map(|cause| RouteViolation {
                cause,
                duration_s: None,
            }));
    }
    for (_, position) in waiting_delivery {
        tour.steps[position].violations.push(RouteViolation {
            cause: ViolationCause::Precedence,
            duration_s: None,
        });
    }
    let mut tour_causes = merge(tour.steps.iter().flat_map(|step| &step.violations));
    let taken = |index: usize| {
        route
            .stops
            .iter()
            .any(|stop| stop.visit == Visit::Break(index))
    };
    if (0..vehicle.breaks.len()).any(|index| !taken(index)) {
        tour_causes.push(RouteViolation {
            cause: ViolationCause::MissingBreak,
            duration_s: None,
        });
        tour_causes.sort_by_key(|violation| violation.cause);
    }
    tour_causes
}

/// What `step` breaks of `vehicle`'s limits: capacity, a break's `max_load`, and the
/// travel time and distance so far (from the first leg on).
fn limits(vehicle: &Vehicle, step: &TourStep) -> Vec<ViolationCause> {
    let mut causes = Vec::new();
    if step.load.iter().zip(&vehicle.capacity).any(|(l, c)| l > c) {
        causes.push(ViolationCause::Load);
    }
    let break_load = step
        .driver_break
        .and_then(|index| vehicle.breaks[index].max_load.as_ref());
    if break_load.is_some_and(|max| step.load.iter().zip(max).any(|(l, m)| l > m)) {
        causes.push(ViolationCause::MaxLoad);
    }
    if step.kind == StepKind::Start {
        return causes;
    }
    if vehicle
        .max_travel_time_s
        .is_some_and(|limit| step.travel_s > limit)
    {
        causes.push(ViolationCause::MaxTravelTime);
    }
    if vehicle
        .max_distance_m
        .is_some_and(|limit| step.distance_m > limit)
    {
        causes.push(ViolationCause::MaxDistance);
    }
    causes
}

/// The summary's list: every cause of `tours`, once, delays and lead times summed.
pub fn summary(tours: &[Tour]) -> Vec<RouteViolation> {
    merge(tours.iter().flat_map(|tour| &tour.violations))
}

/// Each cause of `violations` once, its durations summed (none when it has none).
fn merge<'a>(violations: impl Iterator<Item = &'a RouteViolation>) -> Vec<RouteViolation> {
    let mut causes: BTreeMap<ViolationCause, Option<i64>> = BTreeMap::new();
    for violation in violations {
        let entry = causes.entry(violation.cause).or_default();
        if let Some(duration_s) = violation.duration_s {
            *entry = Some(entry.unwrap_or(0) + duration_s);
        }
    }
    causes
        .into_iter()
        .map(|(cause, duration_s)| RouteViolation { cause, duration_s })
        .collect()
}
