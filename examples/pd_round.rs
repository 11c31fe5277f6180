//! Runs the generated pickup-and-delivery round of `benches/iterations.rs` for a given
//! number of search iterations from its regret plan, one thread, and prints the time the
//! iterations took: a plain binary to profile (`perf record -g`) or to time with a
//! paired before/after tool, where criterion's repeated samples of the 2,000-stop round
//! would take too long.
//!
//!     cargo run --release --example pd_round -- STOPS ITERATIONS

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context;
use tournee::budget::Budget;
use tournee::solver::{self, WarmStart};

#[path = "../benches/support/pd_round.rs"]
mod pd_round;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let stops: usize = args.next().context("STOPS")?.parse()?;
    let iterations: u64 = args.next().context("ITERATIONS")?.parse()?;
    let cancelled = AtomicBool::new(false);
    let budget = Budget::new(&cancelled);
    let started = Instant::now();
    let solved = tournee::pipeline::solve(&pd_round::round(stops), &budget, &|_| {})?;
    let warm = WarmStart::from_solution(&solved.solution, solved.problem.vehicles.len());
    let regret_s = started.elapsed().as_secs_f64();
    let mut problem = solved.problem;
    problem.options.max_iterations = Some(iterations);
    let started = Instant::now();
    let solution = solver::solve_from(&problem, &solved.matrices, &budget, &|_| {}, Some(&warm))?;
    let search_s = started.elapsed().as_secs_f64();
    println!(
        "{stops} stops: regret plan {regret_s:.2} s; {iterations} iterations {search_s:.2} s \
         ({:.3} iterations/s); cost {}, unassigned {}",
        iterations as f64 / search_s,
        solution.summary.figures.cost_micro,
        solution.summary.unassigned,
    );
    Ok(())
}
