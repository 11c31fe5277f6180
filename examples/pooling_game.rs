//! Captures the coalition game of a VROOM-format pooling problem, the way
//! `tournee solve --format vroom --pooling --time-limit-s T --seed S` plays it, and
//! writes it as JSON (`{"seed", "players", "costs", "rules"}`) so that the least-core
//! and nucleolus programs can be measured on their own (`tests/pooling_lp.rs`,
//! BENCHMARKS.md).
//!
//!     cargo run --release --example pooling_game -- FILE SEED TIME_LIMIT_S OUT.json

use std::sync::atomic::AtomicBool;

use anyhow::Context;
use tournee::budget::Budget;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, seed, seconds, out] = args.as_slice() else {
        anyhow::bail!("usage: pooling_game FILE SEED TIME_LIMIT_S OUT.json");
    };
    let text = std::fs::read_to_string(file).with_context(|| file.clone())?;
    let mut request = tournee::vroom::parse_vroom(&text)?;
    let options = request.options.get_or_insert_with(Default::default);
    options.seed = seed.parse()?;
    options.time_limit_ms = Some((seconds.parse::<f64>()? * 1000.0) as u64);
    request.pooling.get_or_insert_with(Default::default).enabled = true;
    let cancelled = AtomicBool::new(false);
    let started = std::time::Instant::now();
    let solved = tournee::pipeline::solve(&request, &Budget::new(&cancelled), &|_| {})?;
    let report = solved.pooling.context("no pooling report")?;
    let rules: Vec<String> = report
        .rules
        .iter()
        .map(|(rule, status)| format!("{} {status}", rule.name()))
        .collect();
    eprintln!(
        "seed {seed}: {:.1} s; {}",
        started.elapsed().as_secs_f64(),
        rules.join("; ")
    );
    let game = serde_json::json!({
        "seed": options_seed(&request),
        "players": report.producers.len(),
        "costs": report.coalition_costs,
        "rules": rules,
    });
    std::fs::write(out, serde_json::to_string(&game)?)?;
    Ok(())
}

fn options_seed(request: &tournee::pb::SolveRequest) -> u64 {
    request.options.as_ref().map_or(0, |o| o.seed)
}
