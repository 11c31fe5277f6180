//! `tournee vroom`, on the built binary: VROOM's flags, input (argument, `-i`, standard
//! input), output (`-o`, standard output) and error objects with their exit statuses;
//! coordinates routed on a real `osrm-routed` (`-r osrm -a -p`) and on the embedded road
//! graph (`--osm`), with geometry (`-g`). Every search ends on an iteration cap under a
//! one-hour limit: the same answer on any machine (a stagnation stop alone is not, as
//! the annealing cools with the clock).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const COOPERATIVE: &str = "data/vroom/cooperative.json";
const EXTRACT: &str = "data/roads/liechtenstein-2013-08-03.osm.pbf";

/// One thread, effort 0 (500 iterations without a new best end the search), an hour.
/// One thread, effort 0, an hour, and an iteration cap: the cap, not the clock, ends the
/// run, so two runs give the same answer on any machine.
const QUIET: [&str; 8] = [
    "-t",
    "1",
    "-x",
    "0",
    "-l",
    "3600",
    "--max-iterations",
    "300",
];

fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("runs")
}

/// `tournee solve` on the cooperative, VROOM in and out, as [`QUIET`] runs: one
/// thread, effort 0, an hour, 300 iterations; `extra` flags on top.
fn solve_cooperative(extra: &[&str]) -> Output {
    let mut args = vec!["solve", COOPERATIVE, "--format", "vroom"];
    args.extend(extra);
    args.extend(["--threads", "1", "--effort", "0", "--time-limit-s", "3600"]);
    args.extend(["--max-iterations", "300"]);
    tournee(&args)
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(bytes)))
}

/// Two jobs and a van in Liechtenstein, by coordinates, geometry asked in the input.
fn by_coordinates() -> String {
    serde_json::json!({
        "vehicles": [{"id": 1, "start": [9.5209, 47.141], "end": [9.5209, 47.141]}],
        "jobs": [{"id": 1, "location": [9.5553, 47.2183]},
                 {"id": 2, "location": [9.4985, 47.0611]}],
        "options": {"g": true}
    })
    .to_string()
}

/// Great-circle metres between two [lon, lat].
fn haversine_m(a: &Value, b: &Value) -> f64 {
    let (lon1, lat1) = (a[0].as_f64().unwrap(), a[1].as_f64().unwrap());
    let (lon2, lat2) = (b[0].as_f64().unwrap(), b[1].as_f64().unwrap());
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// A routed answer: code 0, every job served, a geometry of many road points, and a
/// distance longer than the straight lines between its stops.
fn assert_routed_on_roads(answer: &Value) {
    assert_eq!(answer["code"], 0, "{answer}");
    assert_eq!(answer["summary"]["unassigned"], 0, "{answer}");
    let route = &answer["routes"][0];
    let steps = route["steps"].as_array().unwrap();
    let straight: f64 = steps
        .windows(2)
        .map(|pair| haversine_m(&pair[0]["location"], &pair[1]["location"]))
        .sum();
    let distance = route["distance"].as_f64().unwrap();
    assert!(
        distance > straight,
        "{distance} m by road, {straight} m straight"
    );
    let geometry = route["geometry"].as_str().expect("a geometry");
    let points = polyline::decode_polyline(geometry, 5).expect("a polyline");
    assert!(
        points.0.len() > 10 * steps.len(),
        "{} points",
        points.0.len()
    );
}

#[test]
fn answers_like_solve_with_the_vroom_format() {
    let out = std::env::temp_dir().join(format!("tournee-vroom-{}.json", std::process::id()));
    // Coordinates: routed on the extract by both commands (VROOM's default router,
    // OSRM on port 5000, is not running here).
    let mut args = vec!["vroom", "--osm", EXTRACT, "-i", COOPERATIVE];
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(QUIET);
    let ran = tournee(&args);
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let answer = json(&std::fs::read(&out).unwrap());
    let _ = std::fs::remove_file(&out);
    let solved = solve_cooperative(&["--osm", EXTRACT]);
    assert!(solved.status.success());
    let expected = json(&solved.stdout);
    assert_eq!(answer["code"], 0);
    assert_eq!(answer["summary"]["unassigned"], 0, "{answer}");
    assert_eq!(answer["routes"], expected["routes"]);
    // Descriptions come back as given: the vehicle's on its route, the stop's on its step.
    let route = &answer["routes"][0];
    assert!(
        route["description"]
            .as_str()
            .unwrap()
            .starts_with("Lieferwagen"),
        "{route}"
    );
    let steps = route["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["description"].is_string()),
        "{route}"
    );
    assert_eq!(answer["summary"]["cost"], expected["summary"]["cost"]);
}

#[test]
fn reads_the_input_from_the_argument_and_from_standard_input() {
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COOPERATIVE))
            .unwrap();
    let mut args = vec!["vroom", "--osm", EXTRACT, text.as_str()];
    args.extend(QUIET);
    let from_argument = tournee(&args);
    assert!(from_argument.status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["vroom", "--osm", EXTRACT])
        .args(QUIET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let from_stdin = child.wait_with_output().unwrap();
    assert!(from_stdin.status.success());
    assert_eq!(
        json(&from_argument.stdout)["routes"],
        json(&from_stdin.stdout)["routes"]
    );
}

#[test]
fn errors_come_as_vroom_writes_them() {
    let closed = common::osrm::free_port().to_string();
    let port = format!("car:{closed}");
    let coordinates = by_coordinates();
    let steps = r#"{"vehicles": [{"id": 1, "start": [9.5, 47.1], "steps": [{"type": "pickup", "id": 4}]}]}"#;
    let cases: [(Vec<&str>, u8, &str); 4] = [
        (vec!["vroom", "{\"vehicles\": ["], 2, "invalid JSON"),
        (vec!["vroom", steps], 2, "vehicles[0].steps[0].id"),
        (
            vec!["vroom", "-r", "valhalla", "-i", COOPERATIVE],
            2,
            "routing engine",
        ),
        (
            vec!["vroom", "-a", "car:127.0.0.1", "-p", &port, &coordinates],
            3,
            "OSRM",
        ),
    ];
    for (args, code, words) in cases {
        let ran = tournee(&args);
        assert_eq!(ran.status.code(), Some(i32::from(code)), "{args:?}");
        let error = json(&ran.stdout);
        assert_eq!(error["code"], code, "{error}");
        assert!(error["error"].as_str().unwrap().contains(words), "{error}");
        let stderr = String::from_utf8_lossy(&ran.stderr);
        assert!(stderr.starts_with("[Error] "), "{stderr}");
    }
}

#[test]
fn unknown_keys_are_read_past_with_a_warning() {
    let input = r#"{"vehicles": [{"id": 1, "start": [9.52, 47.14], "colour": "red"}],
                    "jobs": [{"id": 1, "location": [9.50, 47.16]}], "comment": "x"}"#;
    let mut args = vec!["vroom", "--osm", EXTRACT, input];
    args.extend(QUIET);
    let ran = tournee(&args);
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let answer = json(&ran.stdout);
    assert_eq!(answer["code"], 0);
    assert_eq!(
        answer["warnings"],
        serde_json::json!([
            "unknown key comment ignored",
            "unknown key vehicles[0].colour ignored"
        ])
    );
}

#[test]
fn routes_coordinates_on_a_real_osrm_with_geometry() {
    let osrm = common::osrm::start(100);
    let port = osrm.url.rsplit(':').next().unwrap().to_string();
    let coordinates = by_coordinates();
    let port = format!("car:{port}");
    let mut args = vec!["vroom", "-r", "osrm", "-a", "car:127.0.0.1", "-p", &port];
    args.extend(QUIET);
    args.push(&coordinates);
    let ran = tournee(&args);
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_routed_on_roads(&json(&ran.stdout));
}

#[test]
fn routes_coordinates_on_the_embedded_road_graph() {
    let coordinates = by_coordinates();
    let mut args = vec!["vroom", "--osm", EXTRACT, "-g"];
    args.extend(QUIET);
    args.push(&coordinates);
    let ran = tournee(&args);
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_routed_on_roads(&json(&ran.stdout));
    // `solve --format vroom` routes coordinates on the extract it is given too.
    let solved = solve_cooperative(&["--osm", EXTRACT]);
    let straight = solve_cooperative(&[]);
    let (roads, lines) = (json(&solved.stdout), json(&straight.stdout));
    assert_ne!(roads["summary"]["distance"], lines["summary"]["distance"]);
}
