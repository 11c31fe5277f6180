//! Given routes (VROOM's `vehicles[].steps`, the native `Vehicle.initial_route`) end to
//! end: a warm start is accepted and never worsened; locked stops stay on their vehicle
//! and in their order while the rest is re-planned, and the checker rejects a plan that
//! moves them; bad routes are violations with field paths; plan mode (`tournee vroom
//! -c`) reports the arrivals and violations VROOM 1.15's own `vroom -c` reports, step by
//! step (VROOM installed by `scripts/pyvroom-setup`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::sync::atomic::AtomicBool;

use serde_json::{Value, json};
use tournee::budget::Budget;
use tournee::pb;
use tournee::pipeline;

/// Solves `request` with `iterations` iterations on one thread (the iteration cap ends
/// it, never the time limit) and checks the plan with the independent checker.
fn solve(mut request: pb::SolveRequest, iterations: u64) -> pipeline::Solved {
    let keep = request.options.as_ref().is_some_and(|o| o.plan_only);
    request.options = Some(pb::SolveOptions {
        plan_only: keep,
        ..common::quick_options(iterations)
    });
    let cancelled = AtomicBool::new(false);
    let solved = pipeline::solve(&request, &Budget::new(&cancelled), &|_| {}).unwrap();
    if !keep {
        let checked = tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution);
        assert!(checked.is_ok(), "checker: {checked:?}");
    }
    solved
}

/// The VROOM answer's routes as given `steps` (start, tasks, breaks, end).
fn as_steps(answer: &Value) -> Vec<(Value, Value)> {
    answer["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|route| {
            let steps: Vec<Value> = route["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|step| match step.get("id") {
                    Some(id) => json!({"type": step["type"], "id": id}),
                    None => json!({"type": step["type"]}),
                })
                .collect();
            (route["vehicle"].clone(), Value::Array(steps))
        })
        .collect()
}

fn cost(solved: &pipeline::Solved) -> i64 {
    solved.solution.summary.figures.cost_micro
}

#[test]
fn a_warm_start_is_accepted_and_never_worsened() {
    let text = include_str!("../data/vroom/cooperative.json");
    let document: Value = serde_json::from_str(text).unwrap();
    let request = || tournee::vroom::parse_vroom(&document.to_string()).unwrap();
    let good = solve(request(), 300);
    // One iteration from scratch is worse than 300: a start that helps can be seen.
    let cold = solve(request(), 1);
    assert!(
        cost(&cold) > cost(&good),
        "{} ≤ {}",
        cost(&cold),
        cost(&good)
    );

    let mut given = document.clone();
    let answer = tournee::vroom::vroom_answer(&good);
    for (vehicle, steps) in as_steps(&answer) {
        let vehicles = given["vehicles"].as_array_mut().unwrap();
        let entry = vehicles.iter_mut().find(|v| v["id"] == vehicle).unwrap();
        entry["steps"] = steps;
    }
    let warm = solve(tournee::vroom::parse_vroom(&given.to_string()).unwrap(), 1);
    assert!(
        cost(&warm) <= cost(&good),
        "{} > {}",
        cost(&warm),
        cost(&good)
    );
    assert!(warm.solution.unassigned.is_empty());

    // Plan mode times the same routes at the same cost, without a violation.
    given["options"] = json!({"c": true});
    let planned = solve(tournee::vroom::parse_vroom(&given.to_string()).unwrap(), 1);
    assert_eq!(cost(&planned), cost(&good));
    let output = tournee::vroom::vroom_answer(&planned);
    assert_eq!(output["summary"]["violations"], json!([]), "{output}");
    assert_eq!(output["summary"]["unassigned"], 0);
}

/// Jobs 1–6 on a line (location i, 600 s between neighbours) and a depot at 0;
/// vehicle 1 ends at 7, vehicle 2 back at the depot and costs 1,000 to use, so a free
/// plan takes vehicle 1 only, in order. `steps` gives the vehicles' routes.
fn on_a_line(steps: [Value; 2]) -> Value {
    let size = 8;
    let durations: Vec<Vec<i64>> = (0..size)
        .map(|i: i64| (0..size).map(|j: i64| (i - j).abs() * 600).collect())
        .collect();
    let [first, second] = steps;
    json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 7, "steps": first},
            {"id": 2, "start_index": 0, "end_index": 0, "costs": {"fixed": 1000}, "steps": second}
        ],
        "jobs": (1..=6).map(|i| json!({"id": i, "location_index": i, "service": 60})).collect::<Vec<_>>(),
        "matrices": {"car": {"durations": durations}}
    })
}

/// The locked scenario: on vehicle 1, job 3 then job 1 (in sequence) and job 5 (free);
/// on vehicle 2, job 2 (on this vehicle), jobs 4 and 6 (free).
fn locked() -> Value {
    let job = |id: u32, lock: Option<&str>| match lock {
        Some(lock) => json!({"type": "job", "id": id, "lock": lock}),
        None => json!({"type": "job", "id": id}),
    };
    on_a_line([
        json!([
            job(3, Some("sequence")),
            job(1, Some("sequence")),
            job(5, None)
        ]),
        json!([job(2, Some("vehicle")), job(4, None), job(6, None)]),
    ])
}

/// The vehicle serving each job, and the order of job ids per vehicle.
fn jobs_by_vehicle(solved: &pipeline::Solved) -> Vec<(String, Vec<String>)> {
    solved
        .solution
        .tours
        .iter()
        .map(|tour| {
            let vehicle = solved.problem.vehicles[tour.vehicle].id.clone();
            let jobs = tour
                .steps
                .iter()
                .filter_map(|step| step.task)
                .map(|task| solved.problem.tasks[task].id.clone())
                .collect();
            (vehicle, jobs)
        })
        .collect()
}

fn position(route: &[String], job: &str) -> usize {
    route.iter().position(|id| id == job).unwrap()
}

#[test]
fn locked_stops_stay_put_while_the_rest_changes() {
    let request = tournee::vroom::parse_vroom(&locked().to_string()).unwrap();
    let solved = solve(request, 200);
    let routes = jobs_by_vehicle(&solved);
    let route = |vehicle: &str| {
        routes
            .iter()
            .find(|(v, _)| v == vehicle)
            .map(|(_, jobs)| jobs.clone())
            .unwrap_or_default()
    };
    let (first, second) = (route("1"), route("2"));
    assert!(second.contains(&"2".to_string()), "{routes:?}");
    assert!(position(&first, "3") < position(&first, "1"), "{routes:?}");
    // The rest is re-planned: the free jobs 4 and 6 leave vehicle 2 for vehicle 1.
    assert_eq!(second, ["2"], "{routes:?}");
    assert!(first.contains(&"4".to_string()) && first.contains(&"6".to_string()));
    assert!(solved.solution.unassigned.is_empty());

    // Without the locks the same search breaks both: the locks are what keeps them.
    let mut free = locked();
    for vehicle in free["vehicles"].as_array_mut().unwrap() {
        for step in vehicle["steps"].as_array_mut().unwrap() {
            step.as_object_mut().unwrap().remove("lock");
        }
    }
    let unlocked = solve(tournee::vroom::parse_vroom(&free.to_string()).unwrap(), 200);
    let routes = jobs_by_vehicle(&unlocked);
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(position(&routes[0].1, "1") < position(&routes[0].1, "3"));
}

#[test]
fn the_checker_rejects_a_plan_that_moves_a_locked_stop() {
    let mut free = locked();
    for vehicle in free["vehicles"].as_array_mut().unwrap() {
        vehicle["steps"] = json!([]);
    }
    let unlocked = solve(tournee::vroom::parse_vroom(&free.to_string()).unwrap(), 200);
    let problem =
        tournee::validate::problem(&tournee::vroom::parse_vroom(&locked().to_string()).unwrap())
            .unwrap();
    let findings =
        tournee::checker::check(&problem, &unlocked.matrices, &unlocked.solution).unwrap_err();
    let rules: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        rules
            .iter()
            .any(|r| r.starts_with("task[2]: locked on vehicle 2")),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r.contains("sequence-locked stop")),
        "{rules:?}"
    );
}

#[test]
fn bad_routes_are_violations_with_field_paths() {
    let stop = |kind: pb::StepKind, id: &str, lock: pb::StopLock| pb::RouteStop {
        kind: kind as i32,
        id: id.into(),
        lock: lock as i32,
        ..Default::default()
    };
    use pb::StepKind::{Break, Delivery, Job, Pickup, Reload};
    use pb::StopLock::{InSequence, None as Free};
    let mut request = tournee::vroom::parse_vroom(&locked().to_string()).unwrap();
    request.shipments.push(pb::Shipment {
        id: "s".into(),
        pickup: request.jobs[0].stop.clone(),
        delivery: request.jobs[1].stop.clone(),
        ..Default::default()
    });
    request.vehicles[0].initial_route = vec![
        stop(Job, "nine", Free),
        stop(Job, "2", Free),
        stop(Delivery, "s", Free),
        stop(Pickup, "s", Free),
        stop(Pickup, "1", Free),
        stop(Break, "lunch", Free),
        stop(Reload, "", Free),
    ];
    request.vehicles[1].initial_route = vec![stop(Job, "2", InSequence), {
        let mut end = stop(pb::StepKind::End, "", InSequence);
        end.service_before_s = Some(100);
        end
    }];
    let violations = tournee::validate::problem(&request).unwrap_err().0;
    let found: Vec<(&str, &str)> = violations
        .iter()
        .map(|v| (v.field.as_str(), v.code.as_str()))
        .collect();
    let route = "vehicles[0].initial_route";
    for expected in [
        (format!("{route}[0].id"), "unknown_id"),
        (format!("{route}[4].kind"), "out_of_range"),
        (format!("{route}[5].id"), "unknown_id"),
        (format!("{route}[6].kind"), "out_of_range"),
        (
            "vehicles[1].initial_route[0].id".to_string(),
            "duplicate_id",
        ),
        (
            "vehicles[1].initial_route[1].lock".to_string(),
            "out_of_range",
        ),
        // Kept stops: job 2 is [0], the delivery [1], the pickup [2].
        (format!("{route}[1]"), "route_order"),
    ] {
        assert!(
            found.contains(&(expected.0.as_str(), expected.1)),
            "{expected:?} not in {found:?}"
        );
    }
    // Plan mode times such a route and reports the order instead.
    request.vehicles[0].initial_route.truncate(4);
    request.vehicles[1].initial_route.clear();
    request.options = Some(pb::SolveOptions {
        plan_only: true,
        ..Default::default()
    });
    request.vehicles[0].initial_route.remove(0);
    let solved = solve(request, 1);
    let answer = tournee::api::encode::response(&solved);
    let causes: Vec<&str> = answer.tours[0]
        .violations
        .iter()
        .map(|v| v.cause.as_str())
        .collect();
    assert_eq!(causes, ["precedence"], "{answer:?}");
    assert_eq!(answer.unassigned.len(), 5);
    assert_eq!(
        answer.unassigned[0].reason,
        pb::UnassignedReason::NotInPlan as i32
    );
}

/// VROOM's own command line, installed by `scripts/pyvroom-setup`.
fn vroom_command() -> std::path::PathBuf {
    match common::run_setup("scripts/pyvroom-setup", ("PYVROOM_PY=", "VROOM=")) {
        Ok((_, vroom)) => vroom,
        Err(error) => panic!("{error}"),
    }
}

/// Runs `program args… -c -i FILE` on `input`; its answer.
fn plan_mode(program: &std::path::Path, args: &[&str], input: &Value, name: &str) -> Value {
    let file = std::env::temp_dir().join(format!(
        "tournee-vroom-steps-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&file, input.to_string()).unwrap();
    let output = Command::new(program)
        .args(args)
        .args(["-c", "-i"])
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Violations as sorted `cause[:duration]` strings (VROOM writes them in no set order).
fn causes(violations: &Value) -> Vec<String> {
    let mut list: Vec<String> = violations
        .as_array()
        .unwrap()
        .iter()
        .map(|v| match v.get("duration") {
            Some(duration) => format!("{}:{duration}", v["cause"].as_str().unwrap()),
            None => v["cause"].as_str().unwrap().to_string(),
        })
        .collect();
    list.sort();
    list
}

/// What both answers must agree on, step by step, as lines.
fn figures(answer: &Value) -> Vec<String> {
    let mut lines = vec![format!(
        "summary cost {} violations {:?} unassigned {:?}",
        answer["summary"]["cost"],
        causes(&answer["summary"]["violations"]),
        answer["unassigned"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].clone())
            .collect::<Vec<_>>()
    )];
    for route in answer["routes"].as_array().unwrap() {
        lines.push(format!(
            "route {} cost {} duration {} setup {} service {} waiting {} violations {:?}",
            route["vehicle"],
            route["cost"],
            route["duration"],
            route["setup"],
            route["service"],
            route["waiting_time"],
            causes(&route["violations"])
        ));
        for step in route["steps"].as_array().unwrap() {
            let keys = [
                "type",
                "id",
                "arrival",
                "waiting_time",
                "setup",
                "service",
                "load",
                "duration",
                "distance",
            ];
            let values: Vec<String> = keys
                .iter()
                .map(|k| format!("{k} {}", step.get(*k).unwrap_or(&Value::Null)))
                .collect();
            lines.push(format!(
                "  {} violations {:?}",
                values.join(" "),
                causes(&step["violations"])
            ));
        }
    }
    lines
}

/// Four locations, a 4×4 matrix of durations and distances.
fn matrices() -> Value {
    json!({"car": {
        "durations": [[0, 600, 900, 1200], [600, 0, 300, 700], [900, 300, 0, 500], [1200, 700, 500, 0]],
        "distances": [[0, 6000, 9000, 12000], [6000, 0, 3000, 7000], [9000, 3000, 0, 5000], [12000, 7000, 5000, 0]]
    }})
}

/// A late stop (job 2 closes before the van can get there), a stop the van waits for
/// (job 4: it leaves later instead), setups, a shipment.
fn late_stop() -> Value {
    json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 20000],
             "steps": [{"type": "start"}, {"type": "job", "id": 1}, {"type": "job", "id": 2},
                       {"type": "pickup", "id": 10}, {"type": "delivery", "id": 11}, {"type": "end"}]},
            {"id": 2, "start_index": 0, "end_index": 3, "capacity": [4],
             "steps": [{"type": "job", "id": 4}, {"type": "job", "id": 5}]}
        ],
        "jobs": [
            {"id": 1, "location_index": 1, "setup": 50, "service": 300, "delivery": [1]},
            {"id": 2, "location_index": 2, "service": 300, "delivery": [1], "time_windows": [[0, 1000]]},
            {"id": 4, "location_index": 2, "service": 60, "time_windows": [[5000, 6000]]},
            {"id": 5, "location_index": 3, "setup": 30, "service": 60},
            {"id": 6, "location_index": 1, "service": 60}
        ],
        "shipments": [{"pickup": {"id": 10, "location_index": 1, "setup": 50, "service": 100},
                       "delivery": {"id": 11, "location_index": 2, "service": 100}, "amount": [1]}],
        "matrices": matrices()
    })
}

/// One van whose break is left out of its steps, one whose break is in them (with
/// more on board than its `max_load`).
fn missing_break() -> Value {
    json!({
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [5], "time_window": [0, 30000],
             "breaks": [{"id": 7, "time_windows": [[3000, 5000]], "service": 600}],
             "steps": [{"type": "job", "id": 1}, {"type": "job", "id": 2}]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [5],
             "breaks": [{"id": 3, "time_windows": [[0, 100000]], "service": 300, "max_load": [0]}],
             "steps": [{"type": "job", "id": 3}, {"type": "break", "id": 3}, {"type": "job", "id": 4}]}
        ],
        "jobs": [
            {"id": 1, "location_index": 1, "service": 300, "delivery": [1]},
            {"id": 2, "location_index": 2, "service": 300},
            {"id": 3, "location_index": 3, "service": 60, "pickup": [1]},
            {"id": 4, "location_index": 1, "service": 60}
        ],
        "matrices": matrices()
    })
}

/// An overloaded van without a start (it starts at its first stop), and one missing a
/// skill, over its task limit, and delivering a shipment before its pickup; past its
/// travel time and distance limits, without an end.
fn overload() -> Value {
    json!({
        "vehicles": [
            {"id": 1, "end_index": 0, "capacity": [2],
             "steps": [{"type": "job", "id": 1}, {"type": "job", "id": 2}, {"type": "job", "id": 3}]},
            {"id": 2, "start_index": 0, "capacity": [5], "max_tasks": 2, "max_travel_time": 1000,
             "max_distance": 10000,
             "steps": [{"type": "delivery", "id": 11}, {"type": "job", "id": 4}, {"type": "pickup", "id": 10}]}
        ],
        "jobs": [
            {"id": 1, "location_index": 1, "service": 300, "delivery": [2]},
            {"id": 2, "location_index": 2, "service": 300, "delivery": [1]},
            {"id": 3, "location_index": 3, "service": 120, "pickup": [3]},
            {"id": 4, "location_index": 2, "service": 60, "skills": [1]}
        ],
        "shipments": [{"pickup": {"id": 10, "location_index": 1}, "delivery": {"id": 11, "location_index": 3},
                       "amount": [1]}],
        "matrices": matrices()
    })
}

/// A stop served before its window spares a later one a delay (VROOM counts both alike,
/// then prefers the shorter day and the earlier times), and a van that leaves before
/// its shift to be on time.
fn lead_time() -> Value {
    let mut input = late_stop();
    input["jobs"][0]["time_windows"] = json!([[2000, 3000]]);
    input["jobs"][1]["time_windows"] = json!([[0, 2500]]);
    input["vehicles"][1]["time_window"] = json!([4500, 20000]);
    input["vehicles"][1]["steps"] = json!([{"type": "job", "id": 5}, {"type": "job", "id": 6}]);
    input["jobs"][4]["time_windows"] = json!([[0, 5000]]);
    input
}

#[test]
fn plan_mode_reports_what_vroom_reports() {
    let vroom = vroom_command();
    let tournee = std::path::PathBuf::from(env!("CARGO_BIN_EXE_tournee"));
    for (name, input, expected) in [
        ("late", late_stop(), "delay:250"),
        ("break", missing_break(), "missing_break"),
        ("overload", overload(), "load"),
        ("lead", lead_time(), "lead_time:"),
    ] {
        let theirs = plan_mode(&vroom, &["-t", "1"], &input, &format!("{name}-vroom"));
        let ours = plan_mode(&tournee, &["vroom", "-t", "1"], &input, name);
        let (theirs, ours) = (figures(&theirs), figures(&ours));
        assert!(theirs[0].contains(expected), "{name}: {}", theirs[0]);
        for (line, (a, b)) in theirs.iter().zip(&ours).enumerate() {
            assert_eq!(a, b, "{name}, line {line}:\nVROOM:   {a}\ntournee: {b}");
        }
        assert_eq!(theirs.len(), ours.len(), "{name}");
    }
}
