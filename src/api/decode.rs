//! `SolveResponse` → domain [`Solution`], resolving ids against the problem, so that an
//! answer received over the wire can be handed to the checker.

use crate::domain::{
    Problem, Solution, StepKind, StopReason, Summary, Tour, TourStep, Unassigned, UnassignedReason,
    micro_currency,
};
use crate::pb;

/// Why a response does not fit its problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("response does not match the problem: {0}")]
pub struct DecodeError(pub String);

/// Rebuilds the domain solution of `response` for `problem`.
pub fn solution(problem: &Problem, response: &pb::SolveResponse) -> Result<Solution, DecodeError> {
    fn find<'a>(
        what: &str,
        id: &str,
        mut ids: impl Iterator<Item = &'a String>,
    ) -> Result<usize, DecodeError> {
        ids.position(|known| known == id)
            .ok_or_else(|| DecodeError(format!("unknown {what} {id:?}")))
    }
    let optional_site = |id: &str| -> Result<Option<usize>, DecodeError> {
        if id.is_empty() {
            Ok(None)
        } else {
            find("site", id, problem.sites.iter().map(|s| &s.id)).map(Some)
        }
    };
    let mut tours = Vec::with_capacity(response.tours.len());
    for tour in &response.tours {
        let vehicle = find(
            "vehicle",
            &tour.vehicle_id,
            problem.vehicles.iter().map(|v| &v.id),
        )?;
        let mut steps = Vec::with_capacity(tour.steps.len());
        for step in &tour.steps {
            let kind = match pb::StepKind::try_from(step.kind) {
                Ok(pb::StepKind::Start) => StepKind::Start,
                Ok(pb::StepKind::Job) => StepKind::Job,
                Ok(pb::StepKind::Pickup) => StepKind::Pickup,
                Ok(pb::StepKind::Delivery) => StepKind::Delivery,
                Ok(pb::StepKind::End) => StepKind::End,
                Ok(pb::StepKind::Reload) => StepKind::Reload,
                _ => return Err(DecodeError(format!("step kind {}", step.kind))),
            };
            let task = if step.task_id.is_empty() {
                None
            } else {
                Some(find(
                    "task",
                    &step.task_id,
                    problem.tasks.iter().map(|t| &t.id),
                )?)
            };
            steps.push(TourStep {
                kind,
                task,
                site: optional_site(&step.site_id)?,
                arrival_s: step.arrival_s,
                waiting_s: step.waiting_s,
                service_start_s: step.service_start_s,
                service_s: step.service_s,
                departure_s: step.departure_s,
                load: step.load.clone(),
                distance_m: step.distance_m,
                travel_s: step.travel_s,
            });
        }
        tours.push(Tour {
            vehicle,
            steps,
            cost_micro: micro_currency(tour.cost),
            distance_m: tour.distance_m,
            travel_s: tour.travel_s,
            service_s: tour.service_s,
            waiting_s: tour.waiting_s,
            duration_s: tour.duration_s,
        });
    }
    let mut unassigned = Vec::with_capacity(response.unassigned.len());
    for entry in &response.unassigned {
        let task = find("task", &entry.task_id, problem.tasks.iter().map(|t| &t.id))?;
        let reason = match pb::UnassignedReason::try_from(entry.reason) {
            Ok(pb::UnassignedReason::Skills) => UnassignedReason::Skills,
            Ok(pb::UnassignedReason::Capacity) => UnassignedReason::Capacity,
            Ok(pb::UnassignedReason::TimeWindows) => UnassignedReason::TimeWindows,
            Ok(pb::UnassignedReason::MaxTimeOnBoard) => UnassignedReason::MaxTimeOnBoard,
            Ok(pb::UnassignedReason::VehicleLimits) => UnassignedReason::VehicleLimits,
            Ok(pb::UnassignedReason::Unreachable) => UnassignedReason::Unreachable,
            _ => UnassignedReason::FleetFull,
        };
        unassigned.push(Unassigned { task, reason });
    }
    let summary = response.summary.unwrap_or_default();
    Ok(Solution {
        tours,
        unassigned,
        summary: Summary {
            cost_micro: micro_currency(summary.cost),
            vehicles_used: summary.vehicles_used as usize,
            unassigned: summary.unassigned as usize,
            distance_m: summary.distance_m,
            travel_s: summary.travel_s,
            service_s: summary.service_s,
            waiting_s: summary.waiting_s,
            duration_s: summary.duration_s,
        },
        stop_reason: StopReason::default(),
        iterations: response.iterations,
        elapsed_ms: response.elapsed_ms,
    })
}
