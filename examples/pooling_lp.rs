//! Measures the least-core and nucleolus programs on captured coalition games (from
//! `examples/pooling_game.rs`), on each LP backend: status, time, and the split's
//! distance between backends.
//!
//!     cargo run --release --example pooling_lp -- GAME.json...

use std::time::Instant;

use anyhow::Context;
use tournee::pooling::Backend;
use tournee::pooling::nucleolus::{least_core_with, nucleolus_with};

fn main() -> anyhow::Result<()> {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).with_context(|| path.clone())?;
        let game: serde_json::Value = serde_json::from_str(&text)?;
        let players = game["players"].as_u64().context("players")? as usize;
        let costs: Vec<f64> = serde_json::from_value(game["costs"].clone())?;
        let mut splits = Vec::new();
        for backend in [Backend::Microlp, Backend::Clarabel] {
            let started = Instant::now();
            let least = least_core_with(&costs, players, backend);
            let nucleolus = nucleolus_with(&costs, players, backend);
            let seconds = started.elapsed().as_secs_f64();
            let status = |ok: bool, e: String| if ok { "ok".to_string() } else { e };
            println!(
                "{path} {backend:?}: {seconds:.2} s; least core {}; nucleolus {}",
                status(least.is_ok(), format!("{:?}", least.as_ref().err())),
                status(nucleolus.is_ok(), format!("{:?}", nucleolus.as_ref().err())),
            );
            splits.push(nucleolus.ok());
        }
        if let [Some(a), Some(b)] = splits.as_slice() {
            let gap = a
                .iter()
                .zip(b)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            println!("{path}: largest share difference between backends {gap:.4}");
            let (ea, eb) = (excesses(&costs, a), excesses(&costs, b));
            let first = ea.iter().zip(&eb).position(|(p, q)| (p - q).abs() > 1e-3);
            if let Some(k) = first {
                println!(
                    "  sorted excesses first differ at rank {k}: microlp {:.3} clarabel {:.3} (the smaller is nearer the nucleolus)",
                    ea[k], eb[k]
                );
            }
        }
    }
    Ok(())
}

/// Excesses x(S) - c(S) of every proper coalition, largest first.
fn excesses(costs: &[f64], shares: &[f64]) -> Vec<f64> {
    let full = costs.len() - 1;
    let mut e: Vec<f64> = (1..full)
        .map(|mask| {
            let paid: f64 = (0..shares.len())
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| shares[i])
                .sum();
            paid - costs[mask]
        })
        .collect();
    e.sort_by(|a, b| b.total_cmp(a));
    e
}
