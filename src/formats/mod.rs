//! Foreign problem and solution formats at the crate's edge: VROOM's JSON (below) and
//! the scientific benchmark files (Solomon and Gehring & Homberger VRPTW in [`solomon`],
//! Li & Lim PDPTW in [`lilim`], CVRPLIB CVRP in [`tsplib`]), which become native requests
//! laid out by [`benchmark`] (scaled integers, supplied matrices) and are measured back
//! in the literature's units by [`BenchmarkInstance::measure`].
//!
//! VROOM's JSON is the lingua
//! franca of open-source route optimisation, so clients (and comparisons against VROOM)
//! can send its input as is: [`parse_vroom`]/[`request_from_vroom`] turn it into a native
//! [`pb::SolveRequest`], which then goes through the normal `validate` → `solver` path,
//! and [`vroom_output()`] writes a [`crate::domain::Solution`] back in VROOM's output
//! format. This module owns the translation only: no rule of the problem is checked here
//! beyond what is needed to read the JSON (shapes, numbers, ids); everything else is
//! left to `validate`, whose field paths name the native request
//! (`jobs[i]`, `shipments[i]`, `vehicles[i]` keep VROOM's order, sites do not exist in
//! VROOM). Site-level rules are therefore checked here, with VROOM paths: coordinates in
//! range, setup not negative. This file also holds the small JSON readers (typed
//! values with field paths) and the reader of VROOM's `matrices`/`matrix`.
//!
//! Id conventions (the output writer parses them back):
//! - vehicle `id: 7` → vehicle `"7"`; job `id: 7` → job `"7"`;
//! - shipment with `pickup.id: 3`, `delivery.id: 4` → shipment `"s3-4"`;
//! - one site per distinct (location, setup): `"loc-<index>"` with matrices,
//!   `"loc-<lon>,<lat>"` without, suffixed `"-setup-<s>"` when the setup is not 0;
//! - extension `producer` (string or integer) → producer of that id.

pub mod benchmark;
pub mod lilim;
pub mod solomon;
pub mod tsplib;
mod vroom_input;
mod vroom_output;
mod vroom_pooling;

pub use benchmark::{BenchmarkInstance, DistanceConvention, Measure, SCALE};
pub use lilim::parse_lilim;
pub use solomon::parse_solomon;
pub use tsplib::parse_tsplib;
pub use vroom_input::request_from_vroom;
pub use vroom_output::vroom_output;
pub use vroom_pooling::vroom_pooling;

use serde_json::Value;

use crate::pb;

/// Why a foreign document (VROOM JSON, a benchmark file) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The text is not JSON.
    #[error("invalid JSON: {message}")]
    Json {
        /// Line of the error, 1-based.
        line: usize,
        /// Column of the error, 1-based.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// A value is missing or has the wrong shape.
    #[error("{field}: {message}")]
    Field {
        /// Path in the VROOM document, e.g. `vehicles[2].start`, or the place in a
        /// benchmark file, e.g. `line 12`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

impl FormatError {
    /// A [`FormatError::Field`] at `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        FormatError::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Parses VROOM input JSON text into a native request (see [`request_from_vroom`]).
pub fn parse_vroom(text: &str) -> Result<pb::SolveRequest, FormatError> {
    let value: Value = serde_json::from_str(text).map_err(|error| FormatError::Json {
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })?;
    request_from_vroom(&value)
}

/// `object[key]`, with JSON `null` counted as absent.
fn get<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|value| !value.is_null())
}

/// An integer (a float with no fractional part is accepted).
fn int(value: &Value, field: &str) -> Result<i64, FormatError> {
    if let Some(integer) = value.as_i64() {
        return Ok(integer);
    }
    match value.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Ok(float as i64),
        _ => Err(FormatError::field(
            field,
            format!("expected an integer, found {value}"),
        )),
    }
}

/// The path of `key` inside the value at `field` (`""` is the document's root).
fn path(field: &str, key: &str) -> String {
    if field.is_empty() {
        key.to_string()
    } else {
        format!("{field}.{key}")
    }
}

/// `value`, checked to be a JSON object.
fn object<'a>(value: &'a Value, field: &str) -> Result<&'a Value, FormatError> {
    if value.is_object() {
        Ok(value)
    } else {
        Err(FormatError::field(
            field,
            format!("expected an object, found {value}"),
        ))
    }
}

/// An optional integer at `object[key]`.
fn opt_int(object: &Value, key: &str, field: &str) -> Result<Option<i64>, FormatError> {
    get(object, key)
        .map(|value| int(value, &path(field, key)))
        .transpose()
}

/// An optional number at `object[key]`.
fn opt_number(object: &Value, key: &str, field: &str) -> Result<Option<f64>, FormatError> {
    get(object, key)
        .map(|value| number(value, &path(field, key)))
        .transpose()
}

/// A non-negative integer that fits in `u32`.
fn u32_of(value: &Value, field: &str) -> Result<u32, FormatError> {
    let integer = int(value, field)?;
    u32::try_from(integer)
        .map_err(|_| FormatError::field(field, format!("{integer} is not in 0..={}", u32::MAX)))
}

/// A VROOM id: a non-negative integer, as a string.
fn id(object: &Value, field: &str) -> Result<String, FormatError> {
    let value = get(object, "id")
        .ok_or_else(|| FormatError::field(path(field, "id"), "required: an integer id"))?;
    match value.as_u64() {
        Some(id) => Ok(id.to_string()),
        None => Err(FormatError::field(
            path(field, "id"),
            format!("expected a non-negative integer, found {value}"),
        )),
    }
}

/// A finite number.
fn number(value: &Value, field: &str) -> Result<f64, FormatError> {
    value
        .as_f64()
        .filter(|number| number.is_finite())
        .ok_or_else(|| FormatError::field(field, format!("expected a number, found {value}")))
}

/// An array.
fn array<'a>(value: &'a Value, field: &str) -> Result<&'a Vec<Value>, FormatError> {
    value
        .as_array()
        .ok_or_else(|| FormatError::field(field, format!("expected an array, found {value}")))
}

/// The elements of the optional array `object[key]` (empty when absent).
fn items<'a>(object: &'a Value, key: &str, field: &str) -> Result<&'a [Value], FormatError> {
    match get(object, key) {
        Some(value) => array(value, &path(field, key)).map(Vec::as_slice),
        None => Ok(&[]),
    }
}

/// An array of integers at `object[key]` (empty when absent).
fn ints(object: &Value, key: &str, field: &str) -> Result<Vec<i64>, FormatError> {
    let field = path(field, key);
    items(object, key, "")?
        .iter()
        .enumerate()
        .map(|(index, value)| int(value, &format!("{field}[{index}]")))
        .collect()
}

/// `[lon, lat]` → (lon, lat), in range.
fn coordinates(value: &Value, field: &str) -> Result<(f64, f64), FormatError> {
    let [lon, lat] = array(value, field)?.as_slice() else {
        return Err(FormatError::field(field, "expected [lon, lat]"));
    };
    let (lon, lat) = (
        number(lon, &format!("{field}[0]"))?,
        number(lat, &format!("{field}[1]"))?,
    );
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        let message = format!("[{lon}, {lat}] is not [lon, lat] in [-180, 180] × [-90, 90]");
        return Err(FormatError::field(field, message));
    }
    Ok((lon, lat))
}

/// `[start, end]` → a native window.
fn window(value: &Value, field: &str) -> Result<pb::TimeWindow, FormatError> {
    match array(value, field)?.as_slice() {
        [start, end] => Ok(pb::TimeWindow {
            start_s: int(start, &format!("{field}[0]"))?,
            end_s: int(end, &format!("{field}[1]"))?,
        }),
        _ => Err(FormatError::field(field, "expected [start, end]")),
    }
}

/// `matrices` (per profile) or the legacy `matrix` (durations of `car`), else straight
/// lines.
fn travel(input: &Value) -> Result<pb::TravelOptions, FormatError> {
    let source = if let Some(matrices) = get(input, "matrices") {
        let Some(profiles) = matrices.as_object() else {
            return Err(FormatError::field(
                "matrices",
                "expected an object: profile → matrices",
            ));
        };
        let profiles = profiles
            .iter()
            .map(|(profile, entry)| {
                let field = format!("matrices.{profile}");
                object(entry, &field)?;
                let durations = get(entry, "durations")
                    .ok_or_else(|| FormatError::field(path(&field, "durations"), "required"))?;
                Ok(pb::ProfileMatrices {
                    profile: profile.clone(),
                    durations_s: rows(durations, &path(&field, "durations"))?,
                    distances_m: match get(entry, "distances") {
                        Some(distances) => rows(distances, &path(&field, "distances"))?,
                        None => Vec::new(),
                    },
                })
            })
            .collect::<Result<Vec<_>, FormatError>>()?;
        pb::travel_options::Source::Matrices(pb::SuppliedMatrices { profiles })
    } else if let Some(matrix) = get(input, "matrix") {
        let profile = pb::ProfileMatrices {
            profile: "car".to_string(),
            durations_s: rows(matrix, "matrix")?,
            distances_m: Vec::new(),
        };
        pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![profile],
        })
    } else {
        pb::travel_options::Source::StraightLine(pb::StraightLine::default())
    };
    Ok(pb::TravelOptions {
        source: Some(source),
    })
}

/// A matrix: an array of rows of integers.
fn rows(value: &Value, field: &str) -> Result<Vec<pb::MatrixRow>, FormatError> {
    array(value, field)?
        .iter()
        .enumerate()
        .map(|(row, values)| {
            let row_field = format!("{field}[{row}]");
            let values = array(values, &row_field)?
                .iter()
                .enumerate()
                .map(|(column, value)| int(value, &format!("{row_field}[{column}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(pb::MatrixRow { values })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use serde_json::json;

    use super::*;

    /// Two vehicles (one with a producer), two jobs, one shipment, a 4×4 matrix.
    pub(super) fn small_problem() -> Value {
        let times = json!([
            [0, 600, 900, 1200],
            [600, 0, 300, 700],
            [900, 300, 0, 500],
            [1200, 700, 500, 0]
        ]);
        json!({
            "vehicles": [
                {"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "skills": [1],
                 "time_window": [0, 36000], "producer": "ferme-a", "costs": {"fixed": 100},
                 "breaks": [{"id": 1}]},
                {"id": 2, "start_index": 0, "capacity": [4], "max_tasks": 3, "profile": "car",
                 "speed_factor": 1.25, "max_travel_time": 20000, "max_distance": 100000}
            ],
            "jobs": [
                {"id": 1, "location_index": 1, "setup": 60, "service": 300, "delivery": [1],
                 "time_windows": [[3600, 7200]]},
                {"id": 2, "location_index": 2, "location": [9.5, 47.1], "pickup": [2],
                 "skills": [1], "priority": 10, "producer": 7}
            ],
            "shipments": [
                {"pickup": {"id": 1, "location_index": 1, "service": 120},
                 "delivery": {"id": 2, "location_index": 3, "time_windows": [[0, 20000]]},
                 "amount": [2], "max_time_on_board": 3600, "producer": "ferme-a"}
            ],
            "matrices": {"car": {"durations": times, "distances": times}},
            "unknown": true
        })
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let error = parse_vroom("{\n  \"vehicles\": [1,\n}").unwrap_err();
        match error {
            FormatError::Json { line, column, .. } => assert_eq!((line, column), (3, 1)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn the_example_cooperative_is_valid_and_fully_served() {
        let text = include_str!("../../data/vroom/cooperative.json");
        let mut request = parse_vroom(text).unwrap();
        assert_eq!(request.producers.len(), 5);
        assert_eq!(request.vehicles.len(), 3);
        assert!(request.shipments.len() >= 12);
        request.options = Some(pb::SolveOptions {
            max_iterations: Some(300),
            time_limit_ms: Some(3_600_000),
            threads: 1,
            ..Default::default()
        });
        let problem = crate::validate::problem(&request).unwrap();
        let matrices = crate::travel::matrices(&problem, &Default::default())
            .expect("matrices")
            .0;
        let cancelled = AtomicBool::new(false);
        let budget = crate::budget::Budget::new(&cancelled);
        let solution = crate::solver::solve(&problem, &matrices, &budget, &|_| {}).unwrap();
        assert!(solution.unassigned.is_empty(), "{:?}", solution.unassigned);
        let output = vroom_output(&problem, &solution);
        assert_eq!(output["summary"]["unassigned"], 0);
        assert_eq!(output["code"], 0);
    }
}
