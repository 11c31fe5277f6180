//! `tournee solve --pooling-csv FILE`: the statement a cooperative reads at its meeting,
//! one row per producer, written beside the answer (whose plan goes through the
//! checker). Iteration caps only: the same file on any machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::pooling::around_a_hub;
use tournee::pb;

#[test]
fn writes_one_row_per_producer_with_every_rule_and_what_it_avoids() {
    let request = around_a_hub(&[0.03, -0.03], 1);
    let dir = std::env::temp_dir();
    let id = std::process::id();
    let problem = dir.join(format!("tournee-pooling-{id}.json"));
    let csv = dir.join(format!("tournee-pooling-{id}.csv"));
    std::fs::write(&problem, serde_json::to_string(&request).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", problem.to_str().unwrap(), "--pooling-csv"])
        .arg(&csv)
        .args(["--max-iterations", "200", "--time-limit-s", "3600"])
        .args(["--threads", "1"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let response: pb::SolveResponse = serde_json::from_slice(&output.stdout).unwrap();
    common::assert_feasible(&request, &response);
    let text = std::fs::read_to_string(&csv).expect("the statement is written");
    let _ = std::fs::remove_file(&problem);
    let _ = std::fs::remove_file(&csv);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "producer,alone_cost,proportional,proportional_saving,proportional_saving_percent,\
shapley,shapley_saving,shapley_saving_percent,nucleolus,nucleolus_saving,\
nucleolus_saving_percent,epm,epm_saving,epm_saving_percent,alone_km,km_avoided,\
alone_co2_kg,co2_kg_avoided"
    );
    assert_eq!(lines.len(), 4, "{text}");
    let report = response.pooling.expect("report");
    let rows: Vec<Vec<f64>> = lines[1..]
        .iter()
        .map(|line| {
            line.split(',')
                .skip(1)
                .map(|cell| cell.parse::<f64>().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    // Every cell is a number but the idle producer's saving in percent (it costs
    // nothing alone): every rule was computed.
    for (row, line) in rows.iter().zip(&lines[1..]) {
        for (column, value) in row.iter().enumerate() {
            let idle_percent = line.starts_with("idle0,") && column % 3 == 0 && column <= 12;
            assert!(value.is_finite() || idle_percent, "column {column}: {line}");
        }
    }
    assert!(lines[1].starts_with("p0,") && lines[3].starts_with("idle0,"));
    let pooled = report.pooled.unwrap();
    // Shares (columns 1, 4, 7, 10 after the alone cost) add up to the pooled cost.
    for column in [1, 4, 7, 10] {
        let sum: f64 = rows.iter().map(|r| r[column]).sum();
        assert!((sum - pooled.cost).abs() < 0.02, "column {column}: {sum}");
    }
    // Kilometres avoided add up to the report's saving.
    let alone = report.alone.unwrap();
    let km_avoided: f64 = rows.iter().map(|r| r[14]).sum();
    let saved_km = (alone.distance_m - pooled.distance_m) as f64 / 1000.0;
    assert!(
        (km_avoided - saved_km).abs() < 0.2,
        "{km_avoided} vs {saved_km}"
    );
    assert!(rows[0][16] > 0.0, "CO2 avoided by the first farm: {text}");
    // The text table on stderr says the same per producer: the saving in currency
    // under Shapley, the kilometres and the CO2 avoided.
    let table = String::from_utf8_lossy(&output.stderr);
    assert!(table.contains("km saved"), "{table}");
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with("Farm 0 "))
        .unwrap_or_else(|| panic!("a line for Farm 0: {table}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    let number = |k: usize| {
        cells[cells.len() - k]
            .trim_end_matches('%')
            .parse::<f64>()
            .unwrap()
    };
    assert!((number(3) - rows[0][14]).abs() < 0.11, "km avoided: {line}");
    assert!(
        (number(2) - rows[0][16]).abs() < 0.11,
        "CO2 avoided: {line}"
    );
    assert!(
        (number(5) - rows[0][5]).abs() < 0.011,
        "Shapley saving: {line}"
    );
}
