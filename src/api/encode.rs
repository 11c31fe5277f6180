//! Domain results → responses: a solved request → `SolveResponse` (external ids echoed
//! back, units preserved, costs turned from micro-units into the client's currency),
//! solver progress → `Progress`, a computed matrix → `ComputeMatrixResponse`.

use crate::domain::{
    Objective, Problem, RouteViolation, Solution, StepKind, StopReason, Summary, Tour, TourStep,
    TransferLeg, UNREACHABLE, Unassigned, UnassignedReason, Vehicle, currency, day_of,
};
use crate::pb;
use crate::pipeline::Solved;
use crate::solver::Progress;
use crate::travel::{self, PointMatrix};

/// The response to a solved request: tours, unassigned tasks, totals, the travel
/// source with every site's snapped position, tour geometry when asked for, and the
/// pooling report.
pub fn response(solved: &Solved) -> pb::SolveResponse {
    let (problem, solution) = (&solved.problem, &solved.solution);
    let tours = solution
        .tours
        .iter()
        .map(|tour| {
            let mut encoded = self::tour(problem, tour);
            if problem.options.geometry {
                encoded.geometry = travel::encode_polyline5(&solved.tour_path(tour));
            }
            encoded
        })
        .collect();
    pb::SolveResponse {
        snapped_sites: snapped_sites(solved),
        tours,
        unassigned: solution
            .unassigned
            .iter()
            .map(|u| unassigned(problem, u))
            .collect(),
        summary: Some(pb::Summary {
            transferred: transferred(solution),
            ..summary(&solution.summary)
        }),
        stop_reason: stop_reason(solution.stop_reason) as i32,
        elapsed_ms: solution.elapsed_ms,
        travel_source: solved.travel.source.to_string(),
        iterations: solution.iterations,
        pooling: solved
            .pooling
            .as_ref()
            .map(|report| super::encode_pooling::pooling(problem, report)),
    }
}

fn tour(problem: &Problem, tour: &Tour) -> pb::Tour {
    let vehicle = &problem.vehicles[tour.vehicle];
    // A shift's breaks are the shift's own: its steps name them.
    let driver = problem
        .tour_vehicle(tour.vehicle, tour.shift)
        .unwrap_or(std::borrow::Cow::Borrowed(vehicle));
    let shift = tour.shift.and_then(|s| vehicle.shifts.get(s));
    pb::Tour {
        shift_id: shift.map(|s| s.id.clone()).unwrap_or_default(),
        geometry: String::new(),
        vehicle_id: vehicle.id.clone(),
        producer_id: vehicle
            .producer
            .map(|p| problem.producers[p].id.clone())
            .unwrap_or_default(),
        steps: tour
            .steps
            .iter()
            .map(|step| self::step(problem, &driver, step, shift.is_some()))
            .collect(),
        cost: currency(tour.figures.cost_micro),
        distance_m: tour.figures.distance_m,
        travel_s: tour.figures.travel_s,
        service_s: tour.figures.service_s,
        waiting_s: tour.figures.waiting_s,
        duration_s: tour.figures.duration_s,
        late_s: tour.figures.late_s,
        early_s: tour.figures.early_s,
        penalty: currency(tour.figures.penalty_micro),
        violations: violations(&tour.violations),
    }
}

/// Plan mode's violations on the wire.
fn violations(list: &[RouteViolation]) -> Vec<pb::RouteViolation> {
    list.iter()
        .map(|violation| pb::RouteViolation {
            cause: violation.cause.code().to_string(),
            duration_s: violation.duration_s,
        })
        .collect()
}

/// One step; `with_day` (a tour on a shift of a week) also names its day.
fn step(problem: &Problem, vehicle: &Vehicle, step: &TourStep, with_day: bool) -> pb::Step {
    pb::Step {
        day: with_day.then(|| day_of(step.service_start_s)),
        kind: step_kind(step.kind) as i32,
        task_id: step
            .task
            .map(|t| problem.tasks[t].id.clone())
            .unwrap_or_default(),
        site_id: step
            .site
            .map(|s| problem.sites[s].id.clone())
            .unwrap_or_default(),
        arrival_s: step.arrival_s,
        waiting_s: step.waiting_s,
        service_start_s: step.service_start_s,
        service_s: step.service_s,
        departure_s: step.departure_s,
        load: step.load.clone(),
        distance_m: step.distance_m,
        travel_s: step.travel_s,
        break_id: step
            .driver_break
            .and_then(|b| vehicle.breaks.get(b))
            .map(|b| b.id.clone())
            .unwrap_or_default(),
        late_s: step.late_s,
        early_s: step.early_s,
        penalty: currency(step.penalty_micro),
        violations: violations(&step.violations),
        transfer_leg: match step.transfer_leg {
            None => pb::TransferLeg::None,
            Some(TransferLeg::First) => pb::TransferLeg::First,
            Some(TransferLeg::Second) => pb::TransferLeg::Second,
        } as i32,
    }
}

fn unassigned(problem: &Problem, entry: &Unassigned) -> pb::Unassigned {
    let task = &problem.tasks[entry.task];
    pb::Unassigned {
        task_id: task.id.clone(),
        task_kind: task.kind_name().to_string(),
        reason: reason(entry.reason) as i32,
        message: entry.reason.message().to_string(),
    }
}

/// Shipments that changed vehicle: one first-leg pickup each.
fn transferred(solution: &Solution) -> u32 {
    let first_pickups = solution
        .tours
        .iter()
        .flat_map(|tour| &tour.steps)
        .filter(|step| {
            step.kind == StepKind::Pickup && step.transfer_leg == Some(TransferLeg::First)
        });
    first_pickups.count() as u32
}

fn summary(s: &Summary) -> pb::Summary {
    pb::Summary {
        cost: currency(s.figures.cost_micro),
        vehicles_used: s.vehicles_used as u32,
        unassigned: s.unassigned as u32,
        distance_m: s.figures.distance_m,
        travel_s: s.figures.travel_s,
        service_s: s.figures.service_s,
        waiting_s: s.figures.waiting_s,
        duration_s: s.figures.duration_s,
        longest_working_s: s.longest_working_s,
        shortest_working_s: s.shortest_working_s,
        late_s: s.figures.late_s,
        early_s: s.figures.early_s,
        penalty: currency(s.figures.penalty_micro),
        transferred: 0,
    }
}

fn snapped_sites(solved: &Solved) -> Vec<pb::SnappedSite> {
    let travel = &solved.travel;
    travel
        .snapped_deg
        .iter()
        .zip(&travel.snap_distances_m)
        .zip(&solved.problem.sites)
        .map(
            |((&(lat_deg, lon_deg), &snap_distance_m), site)| pb::SnappedSite {
                site_id: site.id.clone(),
                snapped: Some(pb::Coordinates { lat_deg, lon_deg }),
                snap_distance_m,
            },
        )
        .collect()
}

/// A progress event in the objective's unit (currency for cost objectives).
pub fn progress(objective: Objective, progress: Progress) -> pb::Progress {
    let best_cost = match objective {
        Objective::Cost | Objective::Vehicles => currency(progress.best_objective),
        Objective::Distance | Objective::Duration => progress.best_objective as f64,
    };
    pb::Progress {
        best_cost,
        best_unassigned: progress.best_unassigned as u32,
        elapsed_ms: progress.elapsed_ms,
    }
}

/// The `ComputeMatrix` response: the request's point ids, durations and distances
/// (unreachable pairs as -1, also listed), snapped positions and the source.
pub fn matrix(
    request: &pb::ComputeMatrixRequest,
    computed: &PointMatrix,
) -> pb::ComputeMatrixResponse {
    let matrix = &computed.matrix;
    let rows = |values: &[i64]| -> Vec<pb::MatrixRow> {
        values
            .chunks(matrix.size.max(1))
            .map(|row| pb::MatrixRow {
                values: row
                    .iter()
                    .map(|&v| if v >= UNREACHABLE { -1 } else { v })
                    .collect(),
            })
            .collect()
    };
    pb::ComputeMatrixResponse {
        ids: request.points.iter().map(|p| p.id.clone()).collect(),
        durations_s: rows(&matrix.duration_s),
        distances_m: rows(&matrix.distance_m),
        source: computed.source.to_string(),
        snapped: computed
            .snapped_deg
            .iter()
            .map(|&(lat_deg, lon_deg)| pb::Coordinates { lat_deg, lon_deg })
            .collect(),
        snap_distances_m: computed.snap_distances_m.clone(),
        unreachable: computed
            .unreachable
            .iter()
            .map(|&(from, to)| pb::MatrixCell {
                from: from as u32,
                to: to as u32,
            })
            .collect(),
    }
}

fn step_kind(kind: StepKind) -> pb::StepKind {
    match kind {
        StepKind::Start => pb::StepKind::Start,
        StepKind::Job => pb::StepKind::Job,
        StepKind::Pickup => pb::StepKind::Pickup,
        StepKind::Delivery => pb::StepKind::Delivery,
        StepKind::End => pb::StepKind::End,
        StepKind::Reload => pb::StepKind::Reload,
        StepKind::Break => pb::StepKind::Break,
    }
}

fn reason(reason: UnassignedReason) -> pb::UnassignedReason {
    match reason {
        UnassignedReason::Skills => pb::UnassignedReason::Skills,
        UnassignedReason::Capacity => pb::UnassignedReason::Capacity,
        UnassignedReason::TimeWindows => pb::UnassignedReason::TimeWindows,
        UnassignedReason::MaxTimeOnBoard => pb::UnassignedReason::MaxTimeOnBoard,
        UnassignedReason::VehicleLimits => pb::UnassignedReason::VehicleLimits,
        UnassignedReason::Unreachable => pb::UnassignedReason::Unreachable,
        UnassignedReason::FleetFull => pb::UnassignedReason::FleetFull,
        UnassignedReason::IncompatibleGoods => pb::UnassignedReason::IncompatibleGoods,
        UnassignedReason::Breaks => pb::UnassignedReason::Breaks,
        UnassignedReason::NotInPlan => pb::UnassignedReason::NotInPlan,
    }
}

/// The wire value of a stop reason.
pub fn stop_reason(reason: StopReason) -> pb::StopReason {
    match reason {
        StopReason::MaxIterations => pb::StopReason::MaxIterations,
        StopReason::NoImprovement => pb::StopReason::NoImprovement,
        StopReason::TimeLimit => pb::StopReason::TimeLimit,
        StopReason::Deadline => pb::StopReason::Deadline,
        StopReason::Cancelled => pb::StopReason::Cancelled,
    }
}
