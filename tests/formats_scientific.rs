//! The scientific benchmark formats end to end: Solomon C101 and Li & Lim lc101 solved
//! through the pipeline and checked by the independent checker, their VROOM output ids,
//! and one short `tournee bench` run with its CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use serde_json::Value;
use tournee::pipeline;
use tournee::scientific::{BenchmarkInstance, parse_lilim, parse_solomon};

const C101: &str = "data/solomon/C101.txt";
const LC101: &str = "data/lilim/lc101.txt";

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("data file")
}

/// Solves with 50 iterations on one thread, checks, and returns the measure.
fn solve_and_check(instance: &mut BenchmarkInstance) -> tournee::scientific::Measure {
    let options = instance
        .request
        .options
        .get_or_insert_with(Default::default);
    options.max_iterations = Some(50);
    // The longest limit a request may ask for: the iteration cap ends the run anywhere.
    options.time_limit_ms = Some(3_600_000);
    options.threads = 1;
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = pipeline::solve(&instance.request, &budget, &|_| {}).expect("valid request");
    tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution)
        .expect("the checker accepts the plan");
    instance.measure(&solved.problem, &solved.solution)
}

#[test]
fn serves_every_customer_of_c101_within_the_fleet() {
    let mut instance = parse_solomon(&read(C101)).expect("C101 reads");
    let measure = solve_and_check(&mut instance);
    assert_eq!(measure.unassigned, 0);
    assert!(measure.vehicles <= instance.fleet_size, "{measure:?}");
    // Never better than the proven optimum (10 vehicles, 828.94).
    assert!(measure.distance > 828.93, "{measure:?}");
}

#[test]
fn serves_every_pair_of_lc101_within_the_fleet() {
    let mut instance = parse_lilim(&read(LC101)).expect("lc101 reads");
    let measure = solve_and_check(&mut instance);
    assert_eq!(measure.unassigned, 0);
    assert!(measure.vehicles <= instance.fleet_size, "{measure:?}");
    assert!(measure.distance > 828.93, "{measure:?}");
}

fn tournee(arguments: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(arguments)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs")
}

fn json_answer(arguments: &[&str]) -> Value {
    let output = tournee(arguments);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON answer")
}

/// Task ids of the VROOM answer's steps, by step type.
fn step_ids(answer: &Value, kind: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = answer["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .flat_map(|route| route["steps"].as_array().expect("steps").iter())
        .filter(|step| step["type"] == kind)
        .map(|step| step["id"].as_u64().expect("integer id"))
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn the_cli_solves_benchmark_files_and_writes_vroom_ids() {
    let common = [
        "--max-iterations",
        "50",
        "--time-limit-s",
        "3600",
        "--threads",
        "1",
    ];
    let mut arguments = vec![
        "solve",
        C101,
        "--format",
        "solomon",
        "--objective",
        "distance",
    ];
    arguments.extend_from_slice(&common);
    let native = json_answer(&arguments);
    assert_eq!(native["summary"]["unassigned"].as_u64().unwrap_or(0), 0);
    arguments.extend_from_slice(&["--output-format", "vroom"]);
    let vroom = json_answer(&arguments);
    assert_eq!(step_ids(&vroom, "job"), (1..=100).collect::<Vec<u64>>());

    let mut arguments = vec![
        "solve",
        LC101,
        "--format",
        "lilim",
        "--output-format",
        "vroom",
    ];
    arguments.extend_from_slice(&common);
    let vroom = json_answer(&arguments);
    let pickups = step_ids(&vroom, "pickup");
    let deliveries = step_ids(&vroom, "delivery");
    assert_eq!(pickups.len(), 53);
    assert!(
        pickups.contains(&3) && deliveries.contains(&75),
        "node 3 → node 75"
    );
    let mut nodes: Vec<u64> = pickups.into_iter().chain(deliveries).collect();
    nodes.sort_unstable();
    assert_eq!(nodes, (1..=106).collect::<Vec<u64>>());
}

/// A fresh empty directory under the system's temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tournee-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_short_bench_run_writes_one_csv_row() {
    let dir = temp_dir("bench");
    let instances = dir.join("solomon");
    std::fs::create_dir_all(&instances).expect("instances dir");
    std::fs::write(instances.join("C101.txt"), read(C101)).expect("copy C101");
    std::fs::write(
        dir.join("bks.csv"),
        "set,instance,vehicles,distance,source,dist_only_vehicles,dist_only_distance,\
         dist_only_source,note\nsolomon,C101,10,828.94,test,10,828.94,test,\n",
    )
    .expect("bks.csv");
    let csv = dir.join("out.csv");
    let output = tournee(&[
        "bench",
        "--set",
        "solomon",
        "--objective",
        "distance",
        "--time-limit-s",
        "0.2",
        "--threads",
        "1",
        "--csv",
        csv.to_str().expect("utf-8 path"),
        instances.to_str().expect("utf-8 path"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("summary: 1 instances"), "{stdout}");
    let text = std::fs::read_to_string(&csv).expect("CSV written");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("instance,seeds,vehicles,distance,"));
    let row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(row[0], "C101");
    assert_eq!(row[8], "828.94", "bks_distance found one level up: {text}");
    assert_eq!(row.last().copied(), Some("OK"));
    let _ = std::fs::remove_dir_all(&dir);
}
