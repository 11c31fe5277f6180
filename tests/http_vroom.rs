//! vroom-express's door against a real server on 127.0.0.1:0: VROOM input at `POST /`
//! and `POST /optimization` answers VROOM output; errors come as vroom-express writes
//! them (`{"code": 2, "error": …}` with 400 for the input's mistakes).
//!
//! VROOM's input has no iteration cap: the search ends on its own (stagnation or the
//! default time limit), so these tests assert only what holds however fast the machine
//! is: every task planned once or listed unassigned, and the native twin of the same
//! problem, capped by iterations, accepted by the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use std::collections::BTreeMap;

use common::{assert_feasible, quick_options};
use http::{answer, assert_matches, openapi, start_http};
use serde_json::{Value, json};
use tournee::server::ServerConfig;

const COOPERATIVE: &str = include_str!("../data/vroom/cooperative.json");

/// How often each task id appears in a VROOM answer (steps and unassigned).
fn task_counts(answer: &Value) -> BTreeMap<u64, usize> {
    let mut counts = BTreeMap::new();
    for route in answer["routes"].as_array().unwrap() {
        for step in route["steps"].as_array().unwrap() {
            if ["job", "pickup", "delivery"].contains(&step["type"].as_str().unwrap()) {
                *counts.entry(step["id"].as_u64().unwrap()).or_default() += 1;
            }
        }
    }
    for task in answer["unassigned"].as_array().unwrap() {
        *counts.entry(task["id"].as_u64().unwrap()).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn vroom_input_gets_vroom_output_at_both_paths() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let input: Value = serde_json::from_str(COOPERATIVE).unwrap();
    let mut expected = BTreeMap::new();
    for shipment in input["shipments"].as_array().unwrap() {
        for end in ["pickup", "delivery"] {
            expected.insert(shipment[end]["id"].as_u64().unwrap(), 1);
        }
    }
    // `options.g` asks for each route's geometry.
    let mut with_geometry = input.clone();
    with_geometry["options"] = json!({"g": true});
    let with_geometry = with_geometry.to_string();
    for (path, body) in [
        ("/", COOPERATIVE),
        ("/optimization", with_geometry.as_str()),
    ] {
        let (status, id, output) =
            answer(server.post(path, body.to_string()).send().await.unwrap()).await;
        assert_eq!(status, 200, "{path}: {output}");
        assert!(id.is_some());
        assert_matches(&document, "VroomOutput", &output);
        assert_eq!(output["code"], 0);
        assert_eq!(task_counts(&output), expected, "{path}");
        let geometries = output["routes"].as_array().unwrap().iter();
        let drawn = geometries
            .filter(|route| route["geometry"].is_string())
            .count();
        let routes = output["routes"].as_array().unwrap().len();
        assert_eq!(drawn, if path == "/" { 0 } else { routes }, "{path}");
    }
    // The same problem through the native door, capped by iterations: the checker
    // accepts the plan.
    let mut request = tournee::vroom::parse_vroom(COOPERATIVE).unwrap();
    request.options = Some(quick_options(100));
    let sent = server.post("/v1/solve", serde_json::to_string(&request).unwrap());
    let (status, _, native) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 200, "{native}");
    assert_feasible(&request, &serde_json::from_value(native).unwrap());
}

#[tokio::test]
async fn vroom_errors_are_written_as_vroom_express_writes_them() {
    let server = start_http(ServerConfig::default()).await;
    let document = openapi(&server).await;
    let cases = [
        (
            json!({"vehicles": [{"id": 1, "start": [9.5, 47.1]}],
                   "jobs": [{"id": 1, "location": "here"}]})
            .to_string(),
            "jobs[0].location",
        ),
        (
            json!({"jobs": [{"id": 1, "location": [9.5, 47.1]}]}).to_string(),
            "please add vehicles and jobs or shipments",
        ),
        ("{\"vehicles\": [".to_string(), "invalid JSON"),
    ];
    for (body, says) in cases {
        let (status, _, error) = answer(server.post("/", body).send().await.unwrap()).await;
        assert_eq!(status, 400, "{error}");
        assert_matches(&document, "VroomError", &error);
        assert_eq!(error["code"], 2);
        assert!(error["error"].as_str().unwrap().contains(says), "{error}");
    }
    // A step naming no shipment's pickup is an input error; unknown keys are warnings.
    let mut input: Value = serde_json::from_str(COOPERATIVE).unwrap();
    input["vehicles"][0]["steps"] = json!([{"type": "start"}, {"type": "pickup", "id": 999}]);
    let (status, _, error) =
        answer(server.post("/", input.to_string()).send().await.unwrap()).await;
    assert_eq!((status, &error["code"]), (400, &json!(2)), "{error}");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("vehicles[0].steps[1].id"),
        "{error}"
    );
    let mut input: Value = serde_json::from_str(COOPERATIVE).unwrap();
    input["vehicles"][0]["colour"] = json!("green");
    let (status, _, output) =
        answer(server.post("/", input.to_string()).send().await.unwrap()).await;
    assert_eq!(status, 200, "{output}");
    assert!(
        output["warnings"][0]
            .as_str()
            .unwrap()
            .contains("vehicles[0].colour"),
        "{output}"
    );
    // Rules the reader leaves to validation are input errors too.
    let mut input: Value = serde_json::from_str(COOPERATIVE).unwrap();
    input["vehicles"][0]["time_window"] = json!([72000, 21600]);
    let (status, _, error) =
        answer(server.post("/", input.to_string()).send().await.unwrap()).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["code"], 2);
    assert!(
        error["error"].as_str().unwrap().contains("vehicles[0]"),
        "{error}"
    );
}

#[tokio::test]
async fn a_problem_over_the_server_limits_is_too_large_as_in_vroom_express() {
    let travel = tournee::travel::TravelConfig::default();
    let limits = tournee::validate::RequestLimits {
        max_tasks: 2,
        ..Default::default()
    };
    let config = ServerConfig {
        policy: tournee::server::server_policy(&travel, limits, &[]),
        ..ServerConfig::new(travel)
    };
    let server = start_http(config).await;
    let (status, _, error) = answer(server.post("/", COOPERATIVE).send().await.unwrap()).await;
    assert_eq!((status, &error["code"]), (413, &json!(4)), "{error}");
    assert!(
        error["error"].as_str().unwrap().contains("shipments"),
        "{error}"
    );
}

#[tokio::test]
async fn a_site_no_road_reaches_is_a_routing_error_as_in_vroom() {
    let server = start_http(ServerConfig::new(common::liechtenstein_config())).await;
    let mut input: Value = serde_json::from_str(COOPERATIVE).unwrap();
    // Zurich, 60 km from the extract's roads.
    input["jobs"] = json!([{"id": 900, "location": [8.5417, 47.3769]}]);
    let (status, _, error) =
        answer(server.post("/", input.to_string()).send().await.unwrap()).await;
    assert_eq!((status, &error["code"]), (500, &json!(3)), "{error}");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("nearest drivable road"),
        "{error}"
    );
}

#[tokio::test]
async fn options_c_is_plan_mode_at_both_doors() {
    let server = start_http(ServerConfig::default()).await;
    // Job 2 closes at 1,000 s, the van reaches it at 1,200 s; job 3 is in no route.
    let input = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [1],
                      "steps": [{"type": "job", "id": 1}, {"type": "job", "id": 2}]}],
        "jobs": [{"id": 1, "location_index": 1, "service": 300, "delivery": [1]},
                 {"id": 2, "location_index": 2, "service": 300, "delivery": [1],
                  "time_windows": [[0, 1000]]},
                 {"id": 3, "location_index": 1}],
        "matrices": {"car": {"durations": [[0, 600, 900], [600, 0, 300], [900, 300, 0]]}},
        "options": {"c": true}
    });
    let (status, _, output) =
        answer(server.post("/", input.to_string()).send().await.unwrap()).await;
    assert_eq!(status, 200, "{output}");
    let steps = output["routes"][0]["steps"].as_array().unwrap();
    let ids: Vec<&Value> = steps.iter().map(|step| &step["id"]).collect();
    assert_eq!(
        ids,
        [&Value::Null, &json!(1), &json!(2), &Value::Null],
        "{output}"
    );
    assert_eq!(
        steps[0]["violations"],
        json!([{"cause": "load"}]),
        "{output}"
    );
    assert_eq!(steps[2]["arrival"], 1200);
    assert_eq!(
        steps[2]["violations"],
        json!([{"cause": "delay", "duration": 200}])
    );
    assert_eq!(output["unassigned"][0]["id"], 3);
    // The native door: `options.plan_only`, violations on the tour's steps.
    let mut request = tournee::vroom::parse_vroom(&input.to_string()).unwrap();
    request.options = Some(tournee::pb::SolveOptions {
        plan_only: true,
        ..quick_options(1)
    });
    let sent = server.post("/v1/solve", serde_json::to_string(&request).unwrap());
    let (status, _, native) = answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 200, "{native}");
    let tour = &native["tours"][0];
    assert_eq!(
        tour["steps"][2]["violations"],
        json!([{"cause": "delay", "durationS": "200"}]),
        "{native}"
    );
    assert_eq!(
        native["unassigned"][0]["reason"],
        "UNASSIGNED_REASON_NOT_IN_PLAN"
    );
}
