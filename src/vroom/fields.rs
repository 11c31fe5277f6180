//! The VROOM input's small values read with their field paths: ids, shipment ends,
//! breaks, vehicle costs, integer lists, skills, priorities and goods kinds. Apart from `reader.rs`,
//! which owns how a whole document maps onto the native request.

use std::collections::HashSet;

use super::json::{Field, array, path};
use std::collections::HashMap;

use super::model::{Break, Costs, GoodsKind, Id, Step, Stop};
use crate::format_error::FormatError;
use crate::pb;

/// A required VROOM id.
pub(super) fn id(id: &Field<Id>, field: &str) -> Result<String, FormatError> {
    let field = path(field, "id");
    match id.read(&field)? {
        Some(Id(id)) => Ok(id),
        None => Err(FormatError::field(field, "required: an integer id")),
    }
}

/// A shipment's `pickup` or `delivery`, its field path and its id, which must be unique
/// among the shipments' ends of that kind (`seen`).
pub(super) fn shipment_end(
    end: &Field<Stop>,
    key: &str,
    field: &str,
    seen: &mut HashSet<String>,
) -> Result<(Stop, String, String), FormatError> {
    let end_field = path(field, key);
    let end = end
        .read(&end_field)?
        .ok_or_else(|| FormatError::field(&end_field, "required: an object with an id"))?;
    let end_id = id(&end.id, &end_field)?;
    if !seen.insert(end_id.clone()) {
        let message = format!("{key} id {end_id} is used by another shipment");
        return Err(FormatError::field(path(&end_field, "id"), message));
    }
    Ok((end, end_field, end_id))
}

/// A vehicle's `breaks`: VROOM's `service` is the break's duration; the native
/// validation checks the rest (windows, duplicate ids, `max_load`'s dimensions).
pub(super) fn breaks(
    list: &Field<Vec<Field<Break>>>,
    field: &str,
) -> Result<Vec<pb::Break>, FormatError> {
    let list_field = path(field, "breaks");
    let elements = list.read(&list_field)?.unwrap_or_default();
    elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            let field = format!("{list_field}[{index}]");
            let given = element.read_element(&field)?;
            Ok(pb::Break {
                id: id(&given.id, &field)?,
                windows: (given.time_windows.read(&path(&field, "time_windows"))?)
                    .unwrap_or_default(),
                duration_s: (given.service.read(&path(&field, "service"))?).unwrap_or(0),
                max_load: ints(&given.max_load, "max_load", &field)?,
                description: (given.description.read(&path(&field, "description"))?)
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// A vehicle's `steps` as its native given route: a job step names the job, a pickup
/// or delivery step the shipment whose end has that id (`shipment_ends`), a break step
/// the vehicle's break. Kinds and ids must exist here; the native validation checks
/// the route itself (a task in two routes, a delivery first, …).
pub(super) fn steps(
    list: &Field<Vec<Field<Step>>>,
    field: &str,
    shipment_ends: &HashMap<(&'static str, String), String>,
) -> Result<Vec<pb::RouteStop>, FormatError> {
    let list_field = path(field, "steps");
    let elements = list.read(&list_field)?.unwrap_or_default();
    let mut route = Vec::with_capacity(elements.len());
    for (index, element) in elements.iter().enumerate() {
        let field = format!("{list_field}[{index}]");
        let given = element.read_element(&field)?;
        let kind_field = path(&field, "type");
        let kind = given.kind.read(&kind_field)?.unwrap_or_default();
        let (kind, end) = match kind.as_str() {
            "start" => (pb::StepKind::Start, None),
            "end" => (pb::StepKind::End, None),
            "job" => (pb::StepKind::Job, None),
            "break" => (pb::StepKind::Break, None),
            "pickup" => (pb::StepKind::Pickup, Some("pickup")),
            "delivery" => (pb::StepKind::Delivery, Some("delivery")),
            other => {
                let message =
                    format!("expected start, job, pickup, delivery, break or end, found {other:?}");
                return Err(FormatError::field(kind_field, message));
            }
        };
        let step_id = match kind {
            pb::StepKind::Start | pb::StepKind::End => String::new(),
            _ => id(&given.id, &field)?,
        };
        let step_id = match end {
            Some(end) => shipment_ends
                .get(&(end, step_id.clone()))
                .cloned()
                .ok_or_else(|| {
                    let message = format!("no shipment has a {end} with id {step_id}");
                    FormatError::field(path(&field, "id"), message)
                })?,
            None => step_id,
        };
        let time = |value: &Field<i64>, key| value.read(&path(&field, key));
        route.push(pb::RouteStop {
            kind: kind as i32,
            id: step_id,
            lock: lock(&given.lock, &field)? as i32,
            service_at_s: time(&given.service_at, "service_at")?,
            service_after_s: time(&given.service_after, "service_after")?,
            service_before_s: time(&given.service_before, "service_before")?,
        });
    }
    Ok(route)
}

/// The extension `lock` of a step: `"vehicle"` or `"sequence"`, none when absent.
fn lock(lock: &Field<String>, field: &str) -> Result<pb::StopLock, FormatError> {
    let field = path(field, "lock");
    match lock.read(&field)?.as_deref() {
        None => Ok(pb::StopLock::None),
        Some("vehicle") => Ok(pb::StopLock::OnVehicle),
        Some("sequence") => Ok(pb::StopLock::InSequence),
        Some(other) => Err(FormatError::field(
            field,
            format!("expected \"vehicle\" or \"sequence\", found {other:?}"),
        )),
    }
}

/// An array of integers, empty when absent; a value that is not an array, and each
/// element, are reported at their full path (`vehicles[0].capacity`).
pub(super) fn ints(
    list: &Field<Vec<i64>>,
    key: &str,
    field: &str,
) -> Result<Vec<i64>, FormatError> {
    let list_field = path(field, key);
    if let Some(raw) = list.raw() {
        array(raw, &list_field)?;
    }
    Ok(list.read(&list_field)?.unwrap_or_default())
}

/// Integer skills → skill names.
pub(super) fn skills(skills: &Field<Vec<i64>>, field: &str) -> Result<Vec<String>, FormatError> {
    Ok(ints(skills, "skills", field)?
        .iter()
        .map(i64::to_string)
        .collect())
}

/// `priority`, 0 when absent.
pub(super) fn priority(priority: &Field<u32>, field: &str) -> Result<u32, FormatError> {
    Ok(priority.read(&path(field, "priority"))?.unwrap_or(0))
}

/// The extension `goods_kind` of a task, empty when absent.
pub(super) fn goods_kind(kind: &Field<GoodsKind>, field: &str) -> Result<String, FormatError> {
    let kind = kind.read(&path(field, "goods_kind"))?;
    Ok(kind.map(|GoodsKind(kind)| kind).unwrap_or_default())
}

/// VROOM's default cost per hour of travel (one cost unit per second).
const DEFAULT_PER_HOUR: f64 = 3600.0;

/// A vehicle's `costs`, VROOM's defaults applied. With a cost matrix for the vehicle's
/// profile (`cost_matrix`) the matrix prices its travel, as in VROOM: `per_hour` must
/// keep its default (VROOM refuses any other value) and `per_km` does not apply (VROOM
/// ignores it); both are 0 natively, where the matrix replaces them.
pub(super) fn costs(
    costs: &Field<Costs>,
    field: &str,
    cost_matrix: bool,
) -> Result<pb::VehicleCosts, FormatError> {
    let field = path(field, "costs");
    let Some(costs) = costs.read(&field)? else {
        let per_hour = if cost_matrix { 0.0 } else { DEFAULT_PER_HOUR };
        return Ok(pb::VehicleCosts {
            per_hour,
            ..Default::default()
        });
    };
    let cost = |value: &Field<f64>, key, default| {
        Ok::<_, FormatError>(value.read(&path(&field, key))?.unwrap_or(default))
    };
    let per_hour = cost(&costs.per_hour, "per_hour", DEFAULT_PER_HOUR)?;
    if cost_matrix && per_hour != DEFAULT_PER_HOUR {
        return Err(FormatError::field(
            path(&field, "per_hour"),
            "custom costs are incompatible with using a per_hour value (the profile's cost matrix prices the travel)",
        ));
    }
    let travel_rate = |rate: f64| if cost_matrix { 0.0 } else { rate };
    Ok(pb::VehicleCosts {
        fixed: cost(&costs.fixed, "fixed", 0.0)?,
        per_hour: travel_rate(per_hour),
        per_km: travel_rate(cost(&costs.per_km, "per_km", 0.0)?),
        per_task_hour: cost(&costs.per_task_hour, "per_task_hour", 0.0)?,
    })
}
