//! One tour, recomputed from its order of stops and judged: the steps are resolved
//! ([`super::visits`]), replayed ([`super::replay`]), held to the vehicle's limits here,
//! and compared with what the tour reports ([`super::compare`]).

use super::compare::{compare_figures, compare_steps};
use super::finding::Finding;
use super::replay::{Expected, Replayed, replay};
use super::schedule::Legs;
use super::visits::{Visit, visits};
use crate::domain::{Problem, StepKind, TaskKind, Tour, TourFigures, TravelMatrix, Vehicle};

/// Recomputes a tour and compares it with what it reports; lists every finding.
pub fn evaluate_tour(
    problem: &Problem,
    matrices: &[TravelMatrix],
    tour: &Tour,
) -> Result<TourFigures, Vec<Finding>> {
    let Some(vehicle) = problem.tour_vehicle(tour.vehicle, tour.shift) else {
        let rule = "unknown vehicle, or a shift its vehicle does not have";
        return Err(vec![Finding::new(
            format!("tour of vehicle {}", tour.vehicle),
            rule,
        )]);
    };
    // On a shift, the vehicle is held to the shift's window, sites, breaks and limits.
    let vehicle = vehicle.as_ref();
    let place = format!("tour[{}]", vehicle.id);
    let visits = visits(problem, vehicle, tour, &place)?;
    // Counted before the replay so that it is reported even when the walk stops early.
    let findings = check_stop_count(vehicle, &visits, &place)
        .into_iter()
        .collect();
    let legs = Legs::new(problem, vehicle, matrices);
    // A tour serves early at its soft windows when any of its steps is early.
    let serve_early = tour.steps.iter().any(|step| step.early_s > 0);
    let Replayed {
        steps,
        figures,
        end_s,
        mut findings,
    } = replay(&legs, &visits, (&place, serve_early), findings)?;
    check_shift_end(vehicle, end_s, &place, &mut findings);
    check_limits(vehicle, &figures, &place, &mut findings);
    check_time_on_board(problem, tour, &steps, &place, &mut findings);
    compare_steps(tour, &steps, &place, &mut findings);
    compare_figures(tour, &figures, &place, &mut findings);
    if findings.is_empty() {
        Ok(figures)
    } else {
        Err(findings)
    }
}

/// Reloads and breaks are not stops: only task steps count against the maximum.
fn check_stop_count(vehicle: &Vehicle, visits: &[Visit], place: &str) -> Option<Finding> {
    let task_count = visits
        .iter()
        .filter(|v| !v.reload && v.driver_break.is_none())
        .count();
    let limit = vehicle.max_stops.filter(|limit| task_count > *limit)?;
    Some(Finding::new(
        place,
        format!("{task_count} stops > max {limit}"),
    ))
}

fn check_shift_end(vehicle: &Vehicle, end_s: i64, place: &str, findings: &mut Vec<Finding>) {
    if end_s > vehicle.shift.end_s {
        findings.push(Finding::new(
            place,
            format!("ends at {end_s} s after shift end {}", vehicle.shift.end_s),
        ));
    }
}

/// The vehicle's caps on working time (departure to end), driving and distance.
fn check_limits(
    vehicle: &Vehicle,
    figures: &TourFigures,
    place: &str,
    findings: &mut Vec<Finding>,
) {
    let limits = [
        (
            "working time",
            vehicle.max_working_time_s,
            figures.duration_s,
        ),
        ("travel time", vehicle.max_travel_time_s, figures.travel_s),
        ("distance", vehicle.max_distance_m, figures.distance_m),
    ];
    for (name, limit, value) in limits {
        if let Some(limit) = limit.filter(|limit| value > *limit) {
            findings.push(Finding::new(place, format!("{name} {value} > max {limit}")));
        }
    }
}

/// A shipment's time on board runs from its pickup's departure to its delivery's
/// service start, on the recomputed schedule (the reported one may be wrong).
fn check_time_on_board(
    problem: &Problem,
    tour: &Tour,
    expected: &[Expected],
    place: &str,
    findings: &mut Vec<Finding>,
) {
    for (pickup_position, step) in tour.steps.iter().enumerate() {
        let (Some(task_index), StepKind::Pickup) = (step.task, step.kind) else {
            continue;
        };
        let TaskKind::Shipment {
            max_time_on_board_s: Some(limit),
            ..
        } = problem.tasks[task_index].kind
        else {
            continue;
        };
        let delivery_position = tour
            .steps
            .iter()
            .position(|other| other.task == Some(task_index) && other.kind == StepKind::Delivery);
        if let Some(delivery_position) = delivery_position {
            let pickup = &expected[pickup_position];
            let on_board_s = expected[delivery_position].service_start_s
                - (pickup.service_start_s + pickup.service_s);
            if on_board_s > limit {
                findings.push(Finding::new(
                    format!("{place} task[{}]", problem.tasks[task_index].id),
                    format!("{on_board_s} s on board > max {limit}"),
                ));
            }
        }
    }
}
