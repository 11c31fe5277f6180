//! `SolveResponse` → domain [`Solution`], resolving ids against the problem, so that an
//! answer received over the wire can be handed to the checker.

use crate::domain::{
    Problem, RouteViolation, Solution, StepKind, StopReason, Summary, Tour, TourFigures, TourStep,
    TransferLeg, Unassigned, UnassignedReason, Vehicle, ViolationCause, micro_currency,
};
use crate::pb;

/// Why a response does not fit its problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("response does not match the problem: {0}")]
pub struct DecodeError(pub String);

/// Rebuilds the domain solution of `response` for `problem`.
pub fn solution(problem: &Problem, response: &pb::SolveResponse) -> Result<Solution, DecodeError> {
    let tours = response
        .tours
        .iter()
        .map(|tour| self::tour(problem, tour))
        .collect::<Result<Vec<_>, _>>()?;
    let unassigned = response
        .unassigned
        .iter()
        .map(|entry| self::unassigned(problem, entry))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Solution {
        tours,
        unassigned,
        summary: summary(response.summary.unwrap_or_default()),
        stop_reason: StopReason::default(),
        iterations: response.iterations,
        elapsed_ms: response.elapsed_ms,
    })
}

/// The index of `id` among `ids`; an unknown id names what it should have been.
fn find<'a>(
    what: &str,
    id: &str,
    mut ids: impl Iterator<Item = &'a String>,
) -> Result<usize, DecodeError> {
    ids.position(|known| known == id)
        .ok_or_else(|| DecodeError(format!("unknown {what} {id:?}")))
}

/// The index of the task `id`, `None` when empty (steps that serve no task).
fn optional_task(problem: &Problem, id: &str) -> Result<Option<usize>, DecodeError> {
    if id.is_empty() {
        Ok(None)
    } else {
        find("task", id, problem.tasks.iter().map(|t| &t.id)).map(Some)
    }
}

/// The index of the site `id`, `None` when empty (open starts and ends).
fn optional_site(problem: &Problem, id: &str) -> Result<Option<usize>, DecodeError> {
    if id.is_empty() {
        Ok(None)
    } else {
        find("site", id, problem.sites.iter().map(|s| &s.id)).map(Some)
    }
}

fn tour(problem: &Problem, tour: &pb::Tour) -> Result<Tour, DecodeError> {
    let vehicle = find(
        "vehicle",
        &tour.vehicle_id,
        problem.vehicles.iter().map(|v| &v.id),
    )?;
    let shift = if tour.shift_id.is_empty() {
        None
    } else {
        let shifts = problem.vehicles[vehicle].shifts.iter().map(|s| &s.id);
        Some(find("shift", &tour.shift_id, shifts)?)
    };
    let driver = problem
        .tour_vehicle(vehicle, shift)
        .ok_or_else(|| DecodeError(format!("vehicle {} without a shift", tour.vehicle_id)))?;
    let steps = tour
        .steps
        .iter()
        .map(|s| step(problem, &driver, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Tour {
        vehicle,
        shift,
        steps,
        figures: TourFigures {
            cost_micro: micro_currency(tour.cost),
            distance_m: tour.distance_m,
            travel_s: tour.travel_s,
            service_s: tour.service_s,
            waiting_s: tour.waiting_s,
            duration_s: tour.duration_s,
            late_s: tour.late_s,
            early_s: tour.early_s,
            penalty_micro: micro_currency(tour.penalty),
        },
        violations: tour.violations.iter().filter_map(violation).collect(),
    })
}

/// One step of `vehicle`'s tour; the kind is checked before the task and the site,
/// whose errors follow it.
fn step(problem: &Problem, vehicle: &Vehicle, step: &pb::Step) -> Result<TourStep, DecodeError> {
    let kind = step_kind(step.kind)?;
    let task = optional_task(problem, &step.task_id)?;
    let driver_break = if step.break_id.is_empty() {
        None
    } else {
        Some(find(
            "break",
            &step.break_id,
            vehicle.breaks.iter().map(|b| &b.id),
        )?)
    };
    Ok(TourStep {
        kind,
        task,
        driver_break,
        site: optional_site(problem, &step.site_id)?,
        arrival_s: step.arrival_s,
        waiting_s: step.waiting_s,
        service_start_s: step.service_start_s,
        service_s: step.service_s,
        departure_s: step.departure_s,
        load: step.load.clone(),
        distance_m: step.distance_m,
        travel_s: step.travel_s,
        late_s: step.late_s,
        early_s: step.early_s,
        penalty_micro: micro_currency(step.penalty),
        violations: step.violations.iter().filter_map(violation).collect(),
        transfer_leg: match pb::TransferLeg::try_from(step.transfer_leg) {
            Ok(pb::TransferLeg::First) => Some(TransferLeg::First),
            Ok(pb::TransferLeg::Second) => Some(TransferLeg::Second),
            _ => None,
        },
    })
}

/// A wire violation; an unknown cause is read past (a newer server's).
fn violation(given: &pb::RouteViolation) -> Option<RouteViolation> {
    let cause = [
        ViolationCause::LeadTime,
        ViolationCause::Delay,
        ViolationCause::Load,
        ViolationCause::MaxTasks,
        ViolationCause::Skills,
        ViolationCause::Precedence,
        ViolationCause::MissingBreak,
        ViolationCause::MaxTravelTime,
        ViolationCause::MaxLoad,
        ViolationCause::MaxDistance,
    ]
    .into_iter()
    .find(|cause| cause.code() == given.cause)?;
    Some(RouteViolation {
        cause,
        duration_s: given.duration_s,
    })
}

/// A wire step kind; unknown and unspecified kinds are errors, as no step can have them.
fn step_kind(kind: i32) -> Result<StepKind, DecodeError> {
    match pb::StepKind::try_from(kind) {
        Ok(pb::StepKind::Start) => Ok(StepKind::Start),
        Ok(pb::StepKind::Job) => Ok(StepKind::Job),
        Ok(pb::StepKind::Pickup) => Ok(StepKind::Pickup),
        Ok(pb::StepKind::Delivery) => Ok(StepKind::Delivery),
        Ok(pb::StepKind::End) => Ok(StepKind::End),
        Ok(pb::StepKind::Reload) => Ok(StepKind::Reload),
        Ok(pb::StepKind::Break) => Ok(StepKind::Break),
        _ => Err(DecodeError(format!("step kind {kind}"))),
    }
}

fn unassigned(problem: &Problem, entry: &pb::Unassigned) -> Result<Unassigned, DecodeError> {
    let task = find("task", &entry.task_id, problem.tasks.iter().map(|t| &t.id))?;
    Ok(Unassigned {
        task,
        reason: unassigned_reason(entry.reason),
    })
}

/// A wire reason; anything unknown reads as a full fleet, the catch-all reason.
fn unassigned_reason(reason: i32) -> UnassignedReason {
    match pb::UnassignedReason::try_from(reason) {
        Ok(pb::UnassignedReason::Skills) => UnassignedReason::Skills,
        Ok(pb::UnassignedReason::Capacity) => UnassignedReason::Capacity,
        Ok(pb::UnassignedReason::TimeWindows) => UnassignedReason::TimeWindows,
        Ok(pb::UnassignedReason::MaxTimeOnBoard) => UnassignedReason::MaxTimeOnBoard,
        Ok(pb::UnassignedReason::VehicleLimits) => UnassignedReason::VehicleLimits,
        Ok(pb::UnassignedReason::Unreachable) => UnassignedReason::Unreachable,
        Ok(pb::UnassignedReason::IncompatibleGoods) => UnassignedReason::IncompatibleGoods,
        Ok(pb::UnassignedReason::Breaks) => UnassignedReason::Breaks,
        Ok(pb::UnassignedReason::NotInPlan) => UnassignedReason::NotInPlan,
        _ => UnassignedReason::FleetFull,
    }
}

fn summary(summary: pb::Summary) -> Summary {
    Summary {
        figures: TourFigures {
            cost_micro: micro_currency(summary.cost),
            distance_m: summary.distance_m,
            travel_s: summary.travel_s,
            service_s: summary.service_s,
            waiting_s: summary.waiting_s,
            duration_s: summary.duration_s,
            late_s: summary.late_s,
            early_s: summary.early_s,
            penalty_micro: micro_currency(summary.penalty),
        },
        vehicles_used: summary.vehicles_used as usize,
        unassigned: summary.unassigned as usize,
        longest_working_s: summary.longest_working_s,
        shortest_working_s: summary.shortest_working_s,
    }
}
