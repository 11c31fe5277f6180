//! The `tournee` command end to end: demo, solve in both formats (VROOM output checked
//! here independently of the crate's own code), a golden VROOM answer, and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::Value;

fn tournee(arguments: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(arguments)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs")
}

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

const VROOM_PROBLEM: &str = "data/vroom/cooperative.json";

/// The longest time limit a request may ask for: runs with an iteration cap end by the
/// cap on any machine, however slow or busy, so their answers are the same everywhere.
const UNREACHABLE_TIME_LIMIT_S: &str = "3600";

#[test]
fn can_run_the_demo() {
    let text = stdout(&tournee(&[
        "demo",
        "--max-iterations",
        "300",
        "--time-limit-s",
        UNREACHABLE_TIME_LIMIT_S,
        "--threads",
        "1",
    ]));
    assert!(text.contains("Total:"), "{text}");
    assert!(text.contains("Vehicle van-"), "{text}");
    assert!(text.contains(" 0 task(s) unassigned"), "{text}");
}

fn vroom_answer(extra: &[&str]) -> Value {
    let mut arguments = vec![
        "solve",
        VROOM_PROBLEM,
        "--format",
        "vroom",
        "--max-iterations",
        "400",
        "--time-limit-s",
        UNREACHABLE_TIME_LIMIT_S,
        "--threads",
        "1",
        "--seed",
        "1",
    ];
    arguments.extend_from_slice(extra);
    serde_json::from_str(&stdout(&tournee(&arguments))).expect("JSON answer")
}

fn as_i64(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("not an integer: {value}"))
}

fn amounts(value: Option<&Value>, dimensions: usize) -> Vec<i64> {
    value
        .and_then(Value::as_array)
        .map_or(vec![0; dimensions], |a| a.iter().map(as_i64).collect())
}

fn in_some_window(windows: Option<&Value>, time: i64) -> bool {
    match windows.and_then(Value::as_array) {
        None => true,
        Some(windows) if windows.is_empty() => true,
        Some(windows) => windows
            .iter()
            .any(|w| as_i64(&w[0]) <= time && time <= as_i64(&w[1])),
    }
}

/// An independent check of a VROOM answer against its VROOM problem: every shipment
/// picked up before it is delivered on the same route, windows, capacities, skills,
/// shifts, consistent times, and nothing left unassigned.
fn check_vroom(problem: &Value, answer: &Value) {
    assert_eq!(answer["code"], 0);
    let vehicles = problem["vehicles"].as_array().expect("vehicles");
    let shipments = problem["shipments"].as_array().cloned().unwrap_or_default();
    let jobs = problem["jobs"].as_array().cloned().unwrap_or_default();
    let dimensions = vehicles[0]["capacity"].as_array().map_or(0, Vec::len);
    let mut served = std::collections::BTreeMap::<(String, i64), usize>::new();
    for route in answer["routes"].as_array().expect("routes") {
        let vehicle = vehicles
            .iter()
            .find(|v| v["id"] == route["vehicle"])
            .expect("known vehicle");
        let capacity = amounts(vehicle.get("capacity"), dimensions);
        let skills: Vec<i64> = vehicle
            .get("skills")
            .and_then(Value::as_array)
            .map_or(Vec::new(), |s| s.iter().map(as_i64).collect());
        let steps = route["steps"].as_array().expect("steps");
        assert_eq!(steps.first().expect("start")["type"], "start");
        assert_eq!(steps.last().expect("end")["type"], "end");
        if let Some(shift) = vehicle.get("time_window") {
            assert!(as_i64(&steps[0]["arrival"]) >= as_i64(&shift[0]));
            assert!(as_i64(&steps[steps.len() - 1]["arrival"]) <= as_i64(&shift[1]));
        }
        let mut previous_departure = as_i64(&steps[0]["arrival"]);
        let mut previous_travel = 0;
        let mut load = amounts(steps[0].get("load"), dimensions);
        let mut picked = Vec::new();
        for step in &steps[1..] {
            let kind = step["type"].as_str().expect("type");
            let arrival = as_i64(&step["arrival"]);
            let travel = as_i64(&step["duration"]);
            assert_eq!(
                arrival - previous_departure,
                travel - previous_travel,
                "times add up at {step}"
            );
            let service_start = arrival + as_i64(&step["waiting_time"]);
            previous_departure = service_start + as_i64(&step["setup"]) + as_i64(&step["service"]);
            previous_travel = travel;
            if kind == "end" {
                continue;
            }
            let id = as_i64(&step["id"]);
            *served.entry((kind.to_string(), id)).or_default() += 1;
            let (task, stop, change): (&Value, &Value, Vec<i64>) = match kind {
                "job" => {
                    let job = jobs
                        .iter()
                        .find(|j| as_i64(&j["id"]) == id)
                        .expect("known job");
                    let change = amounts(job.get("pickup"), dimensions)
                        .iter()
                        .zip(amounts(job.get("delivery"), dimensions))
                        .map(|(p, d)| p - d)
                        .collect();
                    (job, job, change)
                }
                "pickup" => {
                    let shipment = shipments
                        .iter()
                        .find(|s| as_i64(&s["pickup"]["id"]) == id)
                        .expect("known pickup");
                    picked.push(as_i64(&shipment["delivery"]["id"]));
                    (
                        shipment,
                        &shipment["pickup"],
                        amounts(shipment.get("amount"), dimensions),
                    )
                }
                "delivery" => {
                    let shipment = shipments
                        .iter()
                        .find(|s| as_i64(&s["delivery"]["id"]) == id)
                        .expect("known delivery");
                    assert!(
                        picked.contains(&id),
                        "delivery {id} before its pickup on the same route"
                    );
                    (
                        shipment,
                        &shipment["delivery"],
                        amounts(shipment.get("amount"), dimensions)
                            .iter()
                            .map(|a| -a)
                            .collect(),
                    )
                }
                other => panic!("unexpected step type {other}"),
            };
            assert!(
                in_some_window(stop.get("time_windows"), service_start),
                "{kind} {id} starts at {service_start} outside its windows"
            );
            for skill in task
                .get("skills")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                assert!(
                    skills.contains(&as_i64(skill)),
                    "{kind} {id} needs skill {skill}"
                );
            }
            for (l, c) in load.iter_mut().zip(&change) {
                *l += c;
            }
            assert_eq!(
                amounts(step.get("load"), dimensions),
                load,
                "load after {kind} {id}"
            );
            assert!(
                load.iter().zip(&capacity).all(|(l, c)| l <= c && *l >= 0),
                "load {load:?} over capacity {capacity:?}"
            );
        }
    }
    for shipment in &shipments {
        let pickup = served
            .get(&("pickup".to_string(), as_i64(&shipment["pickup"]["id"])))
            .copied()
            .unwrap_or(0);
        let delivery = served
            .get(&("delivery".to_string(), as_i64(&shipment["delivery"]["id"])))
            .copied()
            .unwrap_or(0);
        assert_eq!((pickup, delivery), (1, 1), "shipment {shipment}");
    }
    for job in &jobs {
        assert_eq!(
            served
                .get(&("job".to_string(), as_i64(&job["id"])))
                .copied()
                .unwrap_or(0),
            1,
            "job {job}"
        );
    }
    assert_eq!(answer["unassigned"].as_array().map_or(0, Vec::len), 0);
}

#[test]
fn can_solve_a_vroom_problem_that_an_independent_check_accepts() {
    let problem: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/vroom/cooperative.json"
        ))
        .expect("file"),
    )
    .expect("json");
    let answer = vroom_answer(&[]);
    check_vroom(&problem, &answer);
    assert!(answer["summary"]["routes"].as_i64().expect("routes") >= 1);
}

#[test]
fn matches_the_golden_vroom_answer() {
    let golden_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/vroom/cooperative.solution.json"
    );
    let mut answer = vroom_answer(&[]);
    answer["summary"]["computing_times"] = Value::Null;
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(
            golden_path,
            serde_json::to_string_pretty(&answer).expect("json") + "\n",
        )
        .expect("write golden");
    }
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_path)
            .expect("golden file; regenerate with UPDATE_GOLDEN=1"),
    )
    .expect("json");
    assert_eq!(
        answer, golden,
        "the answer changed; if on purpose, rerun with UPDATE_GOLDEN=1 and review the diff"
    );
}

#[test]
fn writes_native_output_and_files() {
    let out = std::env::temp_dir().join(format!("tournee-cli-{}.json", std::process::id()));
    let out_arg = out.to_str().expect("path");
    stdout(&tournee(&[
        "solve",
        "data/demo/cooperative.json",
        "--max-iterations",
        "100",
        "--time-limit-s",
        UNREACHABLE_TIME_LIMIT_S,
        "--threads",
        "1",
        "--out",
        out_arg,
    ]));
    let answer: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    let _ = std::fs::remove_file(&out);
    assert!(answer["tours"].as_array().is_some_and(|t| !t.is_empty()));
    assert_eq!(answer["stopReason"], "STOP_REASON_MAX_ITERATIONS");
    let vroom = vroom_answer(&["--output-format", "native"]);
    assert!(vroom["tours"].is_array());
}

#[test]
fn names_the_bad_field_on_one_line() {
    let path = std::env::temp_dir().join(format!("tournee-bad-{}.json", std::process::id()));
    let mut request: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/demo/cooperative.json"
        ))
        .expect("demo"),
    )
    .expect("json");
    request["vehicles"][1]["capacity"] = serde_json::json!([10]);
    std::fs::write(&path, request.to_string()).expect("write");
    let output = tournee(&["solve", path.to_str().expect("path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert!(message.contains("vehicles[1].capacity"), "{message}");

    let output = tournee(&["solve", "Cargo.toml", "--format", "vroom"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr)
            .trim_end()
            .lines()
            .count(),
        1
    );
    let output = tournee(&["solve", "no-such-file.json"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-file.json"));
    let output = tournee(&["demo", "--time-limit-s", "-1"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("--time-limit-s"));
}
