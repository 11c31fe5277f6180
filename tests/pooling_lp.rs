//! The least-core and nucleolus programs on the games of the repro
//! (`data/pooling/twelve_producers_repro.json`, 12 producers, 4,095 coalitions): the
//! coalition costs of seeds 1–8 captured once at `--time-limit-s 10`
//! (`examples/pooling_game.rs`), where the programs used to stop the whole request on
//! 5 of 8 seeds with "nucleolus tightness probe: Infeasible". Deterministic: fixed
//! costs, the interior-point solver capped in iterations, no clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::sync::atomic::AtomicBool;

use tournee::pooling::nucleolus::{least_core, nucleolus};

struct Game {
    seed: u64,
    players: usize,
    costs: Vec<f64>,
}

fn games() -> Vec<Game> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/pooling/twelve_producers_repro_games.json.gz"
    );
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("games file"))
        .read_to_string(&mut text)
        .expect("gzip");
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value["games"]
        .as_array()
        .expect("games")
        .iter()
        .map(|game| Game {
            seed: game["seed"].as_u64().expect("seed"),
            players: game["players"].as_u64().expect("players") as usize,
            costs: serde_json::from_value(game["costs"].clone()).expect("costs"),
        })
        .collect()
}

fn paid(shares: &[f64], mask: usize) -> f64 {
    (0..shares.len())
        .filter(|i| mask >> i & 1 == 1)
        .map(|i| shares[i])
        .sum()
}

#[test]
fn every_seed_of_the_repro_gets_its_least_core_and_nucleolus() {
    let games = games();
    assert_eq!(games.len(), 8);
    for game in &games {
        let full = (1usize << game.players) - 1;
        let total = game.costs[full];
        let epsilon_tolerance = 1e-5 * total;
        let (epsilon, least) = least_core(&game.costs, game.players)
            .unwrap_or_else(|e| panic!("seed {}: least core: {e}", game.seed));
        let shares = nucleolus(&game.costs, game.players)
            .unwrap_or_else(|e| panic!("seed {}: nucleolus: {e}", game.seed));
        for split in [&least, &shares] {
            assert!(
                (paid(split, full) - total).abs() < epsilon_tolerance,
                "seed {}",
                game.seed
            );
            for mask in 1..full {
                assert!(
                    paid(split, mask) <= game.costs[mask] + epsilon + epsilon_tolerance,
                    "seed {}: coalition {mask:#b} pays {} for a cost of {} (ε* {epsilon})",
                    game.seed,
                    paid(split, mask),
                    game.costs[mask]
                );
            }
        }
    }
}

/// The whole path on the repro file: a plan and every rule ok, seeds 1–8. Thousands of
/// coalition solves: run by `cargo test --release --test pooling_lp -- --ignored`.
#[test]
#[ignore]
fn every_seed_of_the_repro_answers_with_a_plan_and_all_rules_ok() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/pooling/twelve_producers_repro.json"
    ))
    .expect("repro file");
    for seed in 1..=8 {
        let mut request = tournee::vroom::parse_vroom(&text).expect("parses");
        request.options = Some(common::quick_options(2_000));
        request.options.as_mut().unwrap().seed = seed;
        request.pooling = Some(tournee::pb::PoolingOptions {
            enabled: true,
            coalition_iterations: 20,
            ..Default::default()
        });
        let cancelled = AtomicBool::new(false);
        let budget = tournee::budget::Budget::new(&cancelled);
        let solved = tournee::pipeline::solve(&request, &budget, &|_| {}).expect("solves");
        let response = tournee::api::encode::response(&solved);
        common::assert_feasible(&request, &response);
        let report = response.pooling.expect("report");
        for rule in &report.rules {
            assert_eq!(rule.status, "ok", "seed {seed}: {rule:?}");
        }
    }
}
