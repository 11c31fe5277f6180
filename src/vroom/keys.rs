//! Which keys of a VROOM document tournee reads, which it refuses and which it does not
//! know. A key VROOM defines but tournee cannot honour (none today) would change the
//! plan a user expects, so it is an input error naming its path rather than something silently dropped; a key VROOM does not
//! define either (a typo, another tool's extension) is read past with a warning in the
//! answer. The model (`model.rs`) reads what is known; this module only sorts keys.

use serde_json::Value;

use crate::format_error::FormatError;

/// Top-level keys (with tournee's `incompatible_goods`).
const TOP: &[&str] = &[
    "vehicles",
    "jobs",
    "shipments",
    "matrices",
    "matrix",
    "options",
    "incompatible_goods",
];

/// Vehicle keys (with tournee's `producer`).
const VEHICLE: &[&str] = &[
    "id",
    "description",
    "profile",
    "start",
    "start_index",
    "end",
    "end_index",
    "capacity",
    "costs",
    "skills",
    "time_window",
    "speed_factor",
    "max_tasks",
    "max_travel_time",
    "max_distance",
    "producer",
    "breaks",
    "steps",
];

/// Keys of a vehicle's step (with tournee's `lock`).
const STEP: &[&str] = &[
    "type",
    "id",
    "service_at",
    "service_after",
    "service_before",
    "lock",
];

/// Keys of a vehicle's break.
const BREAK: &[&str] = &["id", "time_windows", "service", "max_load", "description"];

/// Keys of a vehicle's `costs` (with tournee's `per_task_hour`).
const COSTS: &[&str] = &["fixed", "per_hour", "per_km", "per_task_hour"];

/// Keys of a job or of a shipment's pickup or delivery.
const STOP: &[&str] = &[
    "id",
    "description",
    "location",
    "location_index",
    "setup",
    "service",
    "time_windows",
];

/// Job keys beyond a stop's (with tournee's `producer`, `goods_kind`).
const JOB: &[&str] = &[
    "delivery",
    "pickup",
    "skills",
    "priority",
    "producer",
    "goods_kind",
];

/// Shipment keys (with tournee's `producer`, `goods_kind`, `max_time_on_board`).
const SHIPMENT: &[&str] = &[
    "pickup",
    "delivery",
    "amount",
    "skills",
    "priority",
    "producer",
    "goods_kind",
    "max_time_on_board",
];

/// Keys of a profile's `matrices` entry.
const MATRICES: &[&str] = &["durations", "distances", "costs"];

/// Keys of `options`.
const OPTIONS: &[&str] = &["g", "c"];

/// Keys VROOM defines that tournee refuses, by the object they belong to, and why.
const REFUSED: &[(&str, &str, &str)] = &[];

/// The keys of `document` tournee does not know (warnings, by path), or the first key
/// it refuses (an error naming its path).
pub fn check(document: &Value) -> Result<Vec<String>, FormatError> {
    let mut unknown = Vec::new();
    let mut sort = |value: &Value, path: &str, kind: &str, known: &[&[&str]]| {
        sort_keys(value, path, kind, known, &mut unknown)
    };
    sort(document, "", "", &[TOP])?;
    for (i, vehicle) in elements(document, "vehicles") {
        let path = format!("vehicles[{i}]");
        sort(vehicle, &path, "vehicles", &[VEHICLE])?;
        if let Some(costs) = vehicle.get("costs") {
            sort(costs, &format!("{path}.costs"), "costs", &[COSTS])?;
        }
        for (s, step) in elements(vehicle, "steps") {
            sort(step, &format!("{path}.steps[{s}]"), "steps", &[STEP])?;
        }
        for (b, driver_break) in elements(vehicle, "breaks") {
            sort(
                driver_break,
                &format!("{path}.breaks[{b}]"),
                "breaks",
                &[BREAK],
            )?;
        }
    }
    for (i, job) in elements(document, "jobs") {
        sort(job, &format!("jobs[{i}]"), "jobs", &[STOP, JOB])?;
    }
    for (i, shipment) in elements(document, "shipments") {
        let path = format!("shipments[{i}]");
        sort(shipment, &path, "shipments", &[SHIPMENT])?;
        for side in ["pickup", "delivery"] {
            if let Some(stop) = shipment.get(side) {
                sort(stop, &format!("{path}.{side}"), "stops", &[STOP])?;
            }
        }
    }
    if let Some(Value::Object(profiles)) = document.get("matrices") {
        for (profile, entry) in profiles {
            sort(
                entry,
                &format!("matrices.{profile}"),
                "matrices",
                &[MATRICES],
            )?;
        }
    }
    if let Some(options) = document.get("options") {
        sort(options, "options", "options", &[OPTIONS])?;
    }
    Ok(unknown)
}

/// The elements of the array at `key`, if it is one (the model reports other shapes).
fn elements<'a>(document: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    document
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// Sorts the keys of the object `value` at `path` (an object of `kind`): known ones
/// pass, refused ones fail, the others go to `unknown`.
fn sort_keys(
    value: &Value,
    path: &str,
    kind: &str,
    known: &[&[&str]],
    unknown: &mut Vec<String>,
) -> Result<(), FormatError> {
    let Value::Object(object) = value else {
        return Ok(());
    };
    for key in object.keys() {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if let Some((_, _, why)) = REFUSED
            .iter()
            .find(|(object_kind, refused, _)| *object_kind == kind && refused == key)
        {
            return Err(FormatError::field(here, *why));
        }
        if !known.iter().any(|list| list.contains(&key.as_str())) {
            unknown.push(here);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn refuses_what_would_change_the_plan_and_warns_of_the_unknown() {
        let document = json!({
            "vehicles": [{"id": 1, "start": [9.5, 47.1], "colour": "red",
                          "costs": {"fixed": 1, "per_stop": 2}}],
            "jobs": [{"id": 1, "location": [9.5, 47.2], "description": "Hofladen"}],
            "shipments": [{"pickup": {"id": 1, "location": [9.5, 47.2], "floor": 2},
                           "delivery": {"id": 2, "location": [9.5, 47.3]}}],
            "options": {"g": true, "t": 4},
            "comment": "x"
        });
        let warnings = check(&document).unwrap();
        assert_eq!(
            warnings,
            [
                "comment",
                "vehicles[0].colour",
                "vehicles[0].costs.per_stop",
                "shipments[0].pickup.floor",
                "options.t"
            ]
        );
        let breaks =
            json!({"vehicles": [{"id": 1, "breaks": [{"id": 1, "service": 60, "nap": 1}]}]});
        assert_eq!(check(&breaks).unwrap(), ["vehicles[0].breaks[0].nap"]);
        let steps = json!({"vehicles": [{"id": 1, "steps": [{"type": "start", "eta": 1}]}]});
        assert_eq!(check(&steps).unwrap(), ["vehicles[0].steps[0].eta"]);
        let costs = json!({"matrices": {"car": {"durations": [[0]], "costs": [[0]]}}});
        assert_eq!(check(&costs).unwrap(), Vec::<String>::new());
    }
}
