//! The VROOM corpus (`data/vroom/corpus/`: VROOM's documented examples with matrices,
//! and one small problem per feature) held against VROOM itself. On each file tournee
//! solves in-process on an iteration cap under a one-hour limit (the cap ends the run:
//! the same answer on any machine), the independent checker accepts the plan, and VROOM
//! 1.15's own command line (`scripts/pyvroom-setup`, `-t 1 -x 5`) solves the same file:
//! tournee's cost is at most VROOM's, with no more unassigned tasks, and its answer has
//! VROOM's keys, object by object (tournee's extensions aside).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use serde_json::Value;
use tournee::pb;

/// Keys tournee adds to VROOM's output: why a task is unassigned, a route's producer.
const EXTENSIONS: &[&str] = &["reason", "explanation", "producer"];

/// Iterations per file: enough for these small problems' best plans.
const ITERATIONS: u64 = 2_000;

fn corpus() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/vroom/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// tournee's VROOM answer to `file` (solved on [`ITERATIONS`], one thread), after the
/// checker accepted the plan.
fn tournee(file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap();
    let mut request: pb::SolveRequest = tournee::vroom::parse_vroom(&text).unwrap();
    request.options = Some(pb::SolveOptions {
        seed: 1,
        ..common::quick_options(ITERATIONS)
    });
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(&request, &budget, &|_| {})
        .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
    if let Err(findings) =
        tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution)
    {
        panic!("{}: the checker rejects {findings:#?}", file.display());
    }
    tournee::vroom::vroom_answer(&solved)
}

/// VROOM's answer to `file`, from its own command line.
fn vroom(binary: &Path, file: &Path) -> Value {
    let output = Command::new(binary)
        .args(["-i".as_ref(), file.as_os_str()])
        .args(["-t", "1", "-x", "5"])
        .output()
        .unwrap();
    let answer: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{}: VROOM answered no JSON ({e})", file.display()));
    assert_eq!(answer["code"], 0, "{}: VROOM: {answer}", file.display());
    answer
}

/// The keys of each kind of object in a VROOM answer, tournee's extensions left out:
/// "answer", "summary", "route", "step start", "step job", …, "unassigned job", ….
fn key_sets(answer: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |kind: String, object: &Value| {
        let keys = object.as_object().into_iter().flat_map(|o| o.keys());
        let keys = keys.filter(|key| !EXTENSIONS.contains(&key.as_str()));
        sets.entry(kind).or_default().extend(keys.cloned());
    };
    add("answer".into(), answer);
    add("summary".into(), &answer["summary"]);
    for route in answer["routes"].as_array().into_iter().flatten() {
        add("route".into(), route);
        for step in route["steps"].as_array().into_iter().flatten() {
            add(format!("step {}", step["type"]), step);
        }
    }
    for task in answer["unassigned"].as_array().into_iter().flatten() {
        add(format!("unassigned {}", task["type"]), task);
    }
    sets
}

/// Routes by vehicle id → the key set of each, so that a `description` or an optional
/// key is compared on the same vehicle's route.
fn route_keys(answer: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let routes = answer["routes"].as_array().into_iter().flatten();
    routes
        .map(|route| {
            let keys = route.as_object().unwrap().keys();
            let keys = keys.filter(|key| !EXTENSIONS.contains(&key.as_str()));
            (route["vehicle"].to_string(), keys.cloned().collect())
        })
        .collect()
}

fn summary(answer: &Value, key: &str) -> i64 {
    answer["summary"][key].as_i64().unwrap()
}

#[test]
fn the_corpus_is_solved_at_least_as_cheaply_as_vroom_does_with_its_keys() {
    let (_, binary) = common::run_setup("scripts/pyvroom-setup", ("PYVROOM_PY=", "VROOM="))
        .unwrap_or_else(|error| panic!("VROOM is needed: {error}"));
    let files = corpus();
    assert!(files.len() >= 12, "{files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let (ours, theirs) = (tournee(file), vroom(&binary, file));
        let (cost, vroom_cost) = (summary(&ours, "cost"), summary(&theirs, "cost"));
        let (left, vroom_left) = (summary(&ours, "unassigned"), summary(&theirs, "unassigned"));
        if left > vroom_left || (left == vroom_left && cost > vroom_cost) {
            failures.push(format!(
                "{name}: tournee cost {cost} with {left} unassigned, VROOM {vroom_cost} with {vroom_left}"
            ));
        }
        // Step kinds and unassigned kinds either answer may lack (another plan) are not
        // compared; every kind both write must have the same keys.
        let (mine, vrooms) = (key_sets(&ours), key_sets(&theirs));
        for (kind, keys) in &vrooms {
            if let Some(own) = mine.get(kind)
                && own != keys
            {
                failures.push(format!("{name}: {kind} keys {own:?}, VROOM's {keys:?}"));
            }
        }
        let (mine, vrooms) = (route_keys(&ours), route_keys(&theirs));
        for (vehicle, keys) in &vrooms {
            if let Some(own) = mine.get(vehicle)
                && own != keys
            {
                failures.push(format!(
                    "{name}: route of vehicle {vehicle} keys {own:?}, VROOM's {keys:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The custom cost matrix is what the plan pays for travel: tournee's summary cost on
/// `cost_matrix.json` is the fixed costs of the used vehicles plus the matrix cells
/// along their routes, and not the travel time (the cost without the matrix).
#[test]
fn a_cost_matrix_prices_the_travel() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/vroom/corpus/cost_matrix.json");
    let input: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let costs = &input["matrices"]["car"]["costs"];
    let fixed = |vehicle: &Value| {
        let vehicles = input["vehicles"].as_array().unwrap();
        let given = vehicles.iter().find(|v| v["id"] == *vehicle).unwrap();
        given["costs"]["fixed"].as_i64().unwrap_or(0)
    };
    let answer = tournee(&file);
    let mut expected = 0;
    for route in answer["routes"].as_array().unwrap() {
        let places: Vec<usize> = route["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| step["location_index"].as_u64().unwrap() as usize)
            .collect();
        let cells: i64 = places
            .windows(2)
            .map(|leg| costs[leg[0]][leg[1]].as_i64().unwrap())
            .sum();
        assert_eq!(
            route["cost"].as_i64(),
            Some(fixed(&route["vehicle"]) + cells)
        );
        expected += fixed(&route["vehicle"]) + cells;
    }
    assert_eq!(summary(&answer, "cost"), expected);
    assert_ne!(summary(&answer, "cost"), summary(&answer, "duration"));
}
