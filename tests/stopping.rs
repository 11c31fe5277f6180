//! When a search stops: a time limit the request gives is used whole, whatever the
//! machine's speed (only the clock can end such a run), and the plan passes the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::AtomicBool;

use tournee::domain::StopReason;
use tournee::pipeline;

#[test]
fn a_given_time_limit_is_used_whole() {
    let mut request = common::demo_request();
    let options = request.options.get_or_insert_with(Default::default);
    options.max_iterations = None;
    options.effort = None;
    // Far beyond the old stop of 2,000 iterations without improvement on this
    // 18-task demo, on any machine.
    options.time_limit_ms = Some(1_500);
    options.threads = 1;
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = pipeline::solve(&request, &budget, &|_| {}).expect("solves");
    assert_eq!(solved.solution.stop_reason, StopReason::TimeLimit);
    tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution)
        .expect("the checker accepts the plan");
}
