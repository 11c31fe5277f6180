//! Transfer points (cross-docking at a hub) and the shipments that may use them. A
//! transfer point names a site once, with hours and a non-negative handling time.
//! Transfers are refused beside given routes, plan mode and shifts: a given route
//! cannot name a leg, and a week's tours are solved as split vehicles the legs'
//! precedence does not cross.

use super::ids::Context;
use super::violation::{Code, Collector};
use crate::domain::{Task, TaskKind, TransferPoint};
use crate::pb;

/// The request's tasks (`tasks::tasks`) and transfer points.
pub fn with_tasks(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    context: &Context,
) -> (Vec<Task>, Vec<TransferPoint>) {
    let mut tasks = super::tasks::tasks(collector, request, context);
    let points = transfer_points(collector, request, &mut tasks, context);
    (tasks, points)
}

/// The request's transfer points; marks the shipments of `tasks` (shipments first,
/// in request order) that allow a transfer.
fn transfer_points(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    tasks: &mut [Task],
    context: &Context,
) -> Vec<TransferPoint> {
    let mut points: Vec<TransferPoint> = Vec::with_capacity(request.transfer_points.len());
    for (index, point) in request.transfer_points.iter().enumerate() {
        let field = format!("transfer_points[{index}]");
        let site = context
            .sites
            .lookup(collector, format!("{field}.site_id"), &point.site_id);
        let opening_windows =
            collector.windows(&format!("{field}.opening_windows"), &point.opening_windows);
        let handling_s = collector.non_negative(format!("{field}.handling_s"), point.handling_s);
        let Some(site) = site else { continue };
        if points.iter().any(|known| known.site == site) {
            collector.push(
                Code::DuplicateId,
                format!("{field}.site_id"),
                format!("{:?} is already a transfer point", point.site_id),
            );
            continue;
        }
        points.push(TransferPoint {
            site,
            opening_windows,
            handling_s,
        });
    }
    for (index, shipment) in request.shipments.iter().enumerate() {
        if !shipment.allow_transfer {
            continue;
        }
        if let Some(task) = tasks.get_mut(index)
            && matches!(task.kind, TaskKind::Shipment { .. })
        {
            task.allow_transfer = !request.transfer_points.is_empty();
        }
    }
    if !request.transfer_points.is_empty() {
        refuse_alongside(collector, request);
    }
    points
}

/// Given routes, plan mode and shifts do not go with transfer points.
fn refuse_alongside(collector: &mut Collector, request: &pb::SolveRequest) {
    let hint = "transfer points do not go with given routes, plan mode or shifts";
    for (index, vehicle) in request.vehicles.iter().enumerate() {
        if !vehicle.initial_route.is_empty() {
            collector.push(
                Code::OutOfRange,
                format!("vehicles[{index}].initial_route"),
                hint,
            );
        }
        if !vehicle.shifts.is_empty() {
            collector.push(Code::OutOfRange, format!("vehicles[{index}].shifts"), hint);
        }
    }
    if request.options.as_ref().is_some_and(|o| o.plan_only) {
        collector.push(Code::OutOfRange, "options.plan_only", hint);
    }
}
