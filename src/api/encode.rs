//! Domain solution → `SolveResponse`: external ids echoed back, units preserved, costs
//! turned from micro-units into the client's currency.

use super::pb;
use crate::domain::{Problem, Solution, StepKind, StopReason, UnassignedReason};

/// Micro-units of currency → currency units.
pub fn currency(cost_micro: i64) -> f64 {
    cost_micro as f64 / 1e6
}

/// Builds the response for `solution` of `problem`.
pub fn response(
    problem: &Problem,
    solution: &Solution,
    travel_source: &str,
    pooling: Option<&crate::pooling::Report>,
) -> pb::SolveResponse {
    let site_id = |site: Option<usize>| {
        site.map(|s| problem.sites[s].id.clone())
            .unwrap_or_default()
    };
    let producer_id = |producer: Option<usize>| {
        producer
            .map(|p| problem.producers[p].id.clone())
            .unwrap_or_default()
    };
    let tours = solution
        .tours
        .iter()
        .map(|tour| {
            let vehicle = &problem.vehicles[tour.vehicle];
            pb::Tour {
                geometry: String::new(),
                vehicle_id: vehicle.id.clone(),
                producer_id: producer_id(vehicle.producer),
                steps: tour
                    .steps
                    .iter()
                    .map(|step| pb::Step {
                        kind: step_kind(step.kind) as i32,
                        task_id: step
                            .task
                            .map(|t| problem.tasks[t].id.clone())
                            .unwrap_or_default(),
                        site_id: site_id(step.site),
                        arrival_s: step.arrival_s,
                        waiting_s: step.waiting_s,
                        service_start_s: step.service_start_s,
                        service_s: step.service_s,
                        departure_s: step.departure_s,
                        load: step.load.clone(),
                        distance_m: step.distance_m,
                        travel_s: step.travel_s,
                    })
                    .collect(),
                cost: currency(tour.cost_micro),
                distance_m: tour.distance_m,
                travel_s: tour.travel_s,
                service_s: tour.service_s,
                waiting_s: tour.waiting_s,
                duration_s: tour.duration_s,
            }
        })
        .collect();
    let unassigned = solution
        .unassigned
        .iter()
        .map(|u| {
            let task = &problem.tasks[u.task];
            pb::Unassigned {
                task_id: task.id.clone(),
                task_kind: task.kind_name().to_string(),
                reason: reason(u.reason) as i32,
                message: u.reason.message().to_string(),
            }
        })
        .collect();
    let s = &solution.summary;
    pb::SolveResponse {
        snapped_sites: Vec::new(),
        tours,
        unassigned,
        summary: Some(pb::Summary {
            cost: currency(s.cost_micro),
            vehicles_used: s.vehicles_used as u32,
            unassigned: s.unassigned as u32,
            distance_m: s.distance_m,
            travel_s: s.travel_s,
            service_s: s.service_s,
            waiting_s: s.waiting_s,
            duration_s: s.duration_s,
        }),
        stop_reason: stop_reason(solution.stop_reason) as i32,
        elapsed_ms: solution.elapsed_ms,
        travel_source: travel_source.to_string(),
        iterations: solution.iterations,
        pooling: pooling.map(|report| super::encode_pooling::pooling(problem, report)),
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
