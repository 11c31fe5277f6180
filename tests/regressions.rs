//! Problems that once broke the solver, each checked by the independent checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use tournee::pipeline;

fn solve_vroom(text: &str, seed: u64) -> pipeline::Solved {
    let mut request = tournee::vroom::parse_vroom(text).expect("VROOM problem");
    request.options = Some(tournee::pb::SolveOptions {
        seed,
        threads: 1,
        max_iterations: Some(300),
        time_limit_ms: Some(3_600_000),
        ..Default::default()
    });
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    pipeline::solve(&request, &budget, &|_| {}).expect("valid")
}

/// Removing a job made the goods of a shipment wait longer on board than allowed: the
/// ruin step must repair the route instead of keeping an infeasible one.
#[test]
fn keeps_time_on_board_feasible_after_removals() {
    let text = r#"{"vehicles":[{"id":1,"start_index":0,"end_index":0}],
      "jobs":[{"id":1,"location_index":1,"time_windows":[[5000,5000]]}],
      "shipments":[{"pickup":{"id":1,"location_index":2},"delivery":{"id":2,"location_index":3,"time_windows":[[10000,20000]]},"max_time_on_board":9000}],
      "matrix":[[0,100,100,100],[100,0,100,100],[100,100,0,100],[100,100,100,0]]}"#;
    for seed in 0..6 {
        let solved = solve_vroom(text, seed);
        tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution)
            .expect("feasible");
        // job 1 at 5000 s, then the pickup, then the delivery at 10000 s: 4900 s on board.
        assert!(
            solved.solution.unassigned.is_empty(),
            "seed {seed}: {:?}",
            solved.solution.unassigned
        );
    }
}
