//! VROOM's JSON, the lingua franca of open-source route optimisation, at the crate's
//! edge: clients (and comparisons against VROOM) can send its input as is.
//! [`parse_vroom`]/[`request_from_vroom`] turn it into a native [`pb::SolveRequest`]
//! ([`reader`]), which then goes through the normal `validate` → `solver` path, and
//! [`vroom_output()`] writes a [`crate::domain::Solution`] back in VROOM's output format
//! ([`writer`]), with the pooling report as an extension ([`pooling`]). The document is
//! first deserialized into typed structs ([`model`]) whose values are checked as the
//! reader reads them ([`json`]), so that messages, paths and the order of checks are
//! tournee's own.
//!
//! This module owns the translation only: no rule of the problem is checked here beyond
//! what is needed to read the JSON (shapes, numbers, ids); everything else is left to
//! `validate`, whose field paths name the native request (`jobs[i]`, `shipments[i]`,
//! `vehicles[i]` keep VROOM's order, sites do not exist in VROOM). Site-level rules are
//! therefore checked here, with VROOM paths: coordinates in range, setup not negative.
//!
//! Id conventions (the output writer parses them back):
//! - vehicle `id: 7` → vehicle `"7"`; job `id: 7` → job `"7"`;
//! - shipment with `pickup.id: 3`, `delivery.id: 4` → shipment `"s3-4"`;
//! - one site per distinct (location, setup): `"loc-<index>"` with matrices,
//!   `"loc-<lon>,<lat>"` without, suffixed `"-setup-<s>"` when the setup is not 0;
//! - extension `producer` (string or integer) → producer of that id.

mod fields;
mod json;
mod keys;
pub mod model;
pub mod pooling;
pub mod reader;
mod travel;
pub mod writer;

pub use crate::format_error::FormatError;
pub use pooling::vroom_pooling;
pub use reader::request_from_vroom;
pub use writer::vroom_output;

use serde_json::Value;

use crate::pb;

/// The whole VROOM answer of a solved request: routes and summary ([`vroom_output()`]),
/// the pooling report when one was asked for ([`vroom_pooling`]), and each route's
/// `geometry` (an encoded polyline, precision 5, along the roads when the travel came
/// from roads) when the input's `options.g` asked for it, as VROOM's `-g` does.
pub fn vroom_answer(solved: &crate::pipeline::Solved) -> Value {
    let mut answer = vroom_output(&solved.problem, &solved.solution);
    if let (Some(report), Some(object)) = (&solved.pooling, answer.as_object_mut()) {
        object.insert(
            "pooling".to_string(),
            vroom_pooling(&solved.problem, report),
        );
    }
    if solved.problem.options.geometry
        && let Some(routes) = answer["routes"].as_array_mut()
    {
        for (route, tour) in routes.iter_mut().zip(&solved.solution.tours) {
            let path = solved.tour_path(tour);
            route["geometry"] = Value::String(crate::travel::encode_polyline5(&path));
        }
    }
    answer
}

/// Parses VROOM input JSON text into a native request (see [`request_from_vroom`]).
pub fn parse_vroom(text: &str) -> Result<pb::SolveRequest, FormatError> {
    read_vroom(text).map(|read| read.request)
}

/// A VROOM document read: the native request, and the keys it holds that neither VROOM
/// nor tournee defines (read past; the answer should say so, see [`with_warnings`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadVroom {
    /// The native request.
    pub request: pb::SolveRequest,
    /// Paths of the unknown keys.
    pub unknown_keys: Vec<String>,
}

/// Parses VROOM input JSON text, keeping the unknown keys' paths. Keys VROOM defines
/// that tournee cannot honour (none today) are errors.
pub fn read_vroom(text: &str) -> Result<ReadVroom, FormatError> {
    let value: Value = serde_json::from_str(text).map_err(|error| FormatError::Json {
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })?;
    let unknown_keys = keys::check(&value)?;
    Ok(ReadVroom {
        request: request_from_vroom(&value)?,
        unknown_keys,
    })
}

/// `answer` with a `warnings` array naming the unknown keys that were read past (none:
/// unchanged).
pub fn with_warnings(mut answer: Value, unknown_keys: &[String]) -> Value {
    if !unknown_keys.is_empty()
        && let Some(object) = answer.as_object_mut()
    {
        let warnings: Vec<String> = unknown_keys
            .iter()
            .map(|path| format!("unknown key {path} ignored"))
            .collect();
        object.insert("warnings".to_string(), serde_json::json!(warnings));
    }
    answer
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use serde_json::json;

    use super::*;

    /// Solves `request` through the pipeline with `iterations` iterations on one
    /// thread (the iteration cap, never the time limit, ends the run).
    pub(super) fn solve(
        request: &mut pb::SolveRequest,
        iterations: u64,
    ) -> (crate::domain::Problem, crate::domain::Solution) {
        request.options = Some(pb::SolveOptions {
            max_iterations: Some(iterations),
            time_limit_ms: Some(3_600_000),
            threads: 1,
            ..Default::default()
        });
        let cancelled = AtomicBool::new(false);
        let budget = crate::budget::Budget::new(&cancelled);
        let solved = crate::pipeline::solve(request, &budget, &|_| {}).unwrap();
        (solved.problem, solved.solution)
    }

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
                 "time_window": [0, 36000], "producer": "ferme-a", "costs": {"fixed": 100}},
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
    fn unknown_keys_become_warnings_and_steps_a_given_route() {
        let read = read_vroom(&small_problem().to_string()).unwrap();
        assert_eq!(read.unknown_keys, ["unknown"]);
        let answer = with_warnings(serde_json::json!({"code": 0}), &read.unknown_keys);
        assert_eq!(answer["warnings"][0], "unknown key unknown ignored");
        let mut breaks = small_problem();
        breaks["vehicles"][0]["breaks"] =
            json!([{"id": 7, "time_windows": [[100, 200]], "service": 2700, "max_load": [3]}]);
        let read = read_vroom(&breaks.to_string()).unwrap();
        let driver_break = &read.request.vehicles[0].breaks[0];
        assert_eq!(
            (
                driver_break.id.as_str(),
                driver_break.duration_s,
                &driver_break.max_load[..]
            ),
            ("7", 2700, &[3][..])
        );
        let mut steps = small_problem();
        steps["vehicles"][0]["steps"] = json!([{"type": "start"}, {"type": "job", "id": 2},
            {"type": "pickup", "id": 1, "lock": "sequence"},
            {"type": "delivery", "id": 2, "service_before": 9000}, {"type": "end"}]);
        let read = read_vroom(&steps.to_string()).unwrap();
        let route = &read.request.vehicles[0].initial_route;
        let ids: Vec<&str> = route.iter().map(|stop| stop.id.as_str()).collect();
        assert_eq!(ids, ["", "2", "s1-2", "s1-2", ""]);
        assert_eq!(route[2].lock, pb::StopLock::InSequence as i32);
        assert_eq!(route[3].kind, pb::StepKind::Delivery as i32);
        assert_eq!(route[3].service_before_s, Some(9000));
        for (step, field) in [
            (
                json!({"type": "pickup", "id": 2}),
                "vehicles[0].steps[0].id",
            ),
            (json!({"type": "walk"}), "vehicles[0].steps[0].type"),
            (
                json!({"type": "job", "id": 1, "lock": "day"}),
                "vehicles[0].steps[0].lock",
            ),
        ] {
            let mut bad = small_problem();
            bad["vehicles"][0]["steps"] = json!([step]);
            let error = read_vroom(&bad.to_string()).unwrap_err().to_string();
            assert!(error.contains(field), "{error}");
        }
    }

    /// A depot and two shops 600 s from it and from each other both ways: either order
    /// drives 1,800 s, but the cost matrix makes 0 → 2 → 1 → 0 cost 3 and the other way
    /// 300.
    fn tolls() -> Value {
        let times = json!([[0, 600, 600], [600, 0, 600], [600, 600, 0]]);
        let costs = json!([[0, 100, 1], [1, 0, 100], [100, 1, 0]]);
        json!({
            "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "costs": {"fixed": 10}}],
            "jobs": [{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2}],
            "matrices": {"car": {"durations": times, "costs": costs}}
        })
    }

    #[test]
    fn a_cost_matrix_replaces_the_price_of_driving() {
        let mut request = parse_vroom(&tolls().to_string()).unwrap();
        let profile = match request.travel.as_ref().and_then(|t| t.source.as_ref()) {
            Some(pb::travel_options::Source::Matrices(supplied)) => supplied.profiles[0].clone(),
            other => panic!("matrices expected, got {other:?}"),
        };
        assert_eq!(profile.costs[0].values, [0, 100, 1]);
        let costs = request.vehicles[0].costs.unwrap();
        assert_eq!(
            (costs.fixed, costs.per_hour, costs.per_km),
            (10.0, 0.0, 0.0)
        );
        let (problem, solution) = solve(&mut request, 50);
        let output = vroom_output(&problem, &solution);
        let visits: Vec<&Value> = output["routes"][0]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| &step["location_index"])
            .collect();
        assert_eq!(visits, [&json!(0), &json!(2), &json!(1), &json!(0)]);
        assert_eq!(output["summary"]["cost"], 13);
        assert_eq!(output["summary"]["duration"], 1800);
    }

    #[test]
    fn a_cost_matrix_refuses_a_per_hour_as_vroom_does() {
        let mut input = tolls();
        input["vehicles"][0]["costs"]["per_hour"] = json!(3600);
        input["vehicles"][0]["costs"]["per_km"] = json!(5);
        let request = parse_vroom(&input.to_string()).unwrap();
        let costs = request.vehicles[0].costs.unwrap();
        assert_eq!((costs.per_hour, costs.per_km), (0.0, 0.0));
        input["vehicles"][0]["costs"]["per_hour"] = json!(1800);
        let error = parse_vroom(&input.to_string()).unwrap_err().to_string();
        assert!(error.contains("vehicles[0].costs.per_hour"), "{error}");
        // Natively, any travel rate beside a cost matrix is refused.
        let mut request = parse_vroom(&tolls().to_string()).unwrap();
        request.vehicles[0].costs = Some(pb::VehicleCosts {
            per_km: 0.5,
            ..Default::default()
        });
        let violations = crate::validate::problem(&request).unwrap_err();
        let fields: Vec<&str> = violations.0.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["vehicles[0].costs.per_km"]);
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
        let (problem, solution) = solve(&mut request, 300);
        assert!(solution.unassigned.is_empty(), "{:?}", solution.unassigned);
        let output = vroom_output(&problem, &solution);
        assert_eq!(output["summary"]["unassigned"], 0);
        assert_eq!(output["code"], 0);
    }
}
