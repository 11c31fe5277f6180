//! The local-search operators on real benchmark plans: one pass of each, from the regret
//! plan of Solomon RC201 (wide windows), R101 (tight windows) and Li & Lim lc101
//! (pickups and deliveries), returns a plan the checker accepts, never worse, and
//! better where the instance leaves the operator room.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use tournee::pb;
use tournee::pipeline::{self, Solved};
use tournee::solver::{Operator, OperatorBench};

fn solved(request: &pb::SolveRequest) -> Solved {
    let mut request = request.clone();
    request.options = Some(pb::SolveOptions {
        max_iterations: Some(1),
        ..request.options.unwrap_or_default()
    });
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    pipeline::solve(&request, &budget, &|_| {}).expect("benchmark instance solves")
}

/// (vehicles under the vehicles-first objective, objective).
type Score = (usize, i64);

/// Score before and after one pass of each operator from the regret plan, every plan
/// checked.
fn passes(solved: &Solved) -> (Score, Vec<(Operator, Score)>) {
    let bench = OperatorBench::new(&solved.problem, &solved.matrices);
    let start = bench.start_score();
    tournee::checker::check(&solved.problem, &solved.matrices, &bench.start_solution())
        .expect("the regret plan is feasible");
    let after = Operator::ALL
        .into_iter()
        .map(|operator| {
            let solution = bench.solution_after(operator);
            let checked = tournee::checker::check(&solved.problem, &solved.matrices, &solution);
            assert!(checked.is_ok(), "{operator:?}: {checked:?}");
            let unassigned_before = bench.start_solution().unassigned.len();
            assert_eq!(solution.unassigned.len(), unassigned_before, "{operator:?}");
            let objective = bench.pass(operator);
            assert!(objective <= start, "{operator:?} made the plan worse");
            (operator, objective)
        })
        .collect();
    (start, after)
}

#[test]
fn every_operator_improves_the_regret_plan_of_rc201() {
    // Wide windows: regret insertion leaves room for every kind of move (on the tight
    // windows of R101 no string move within a route stays feasible).
    let instance =
        tournee::scientific::parse_solomon(include_str!("../data/solomon/RC201.txt")).unwrap();
    let (start, after) = passes(&solved(&instance.request));
    for (operator, objective) in after {
        assert!(
            objective < start,
            "{operator:?} found nothing: {objective:?} vs {start:?}"
        );
    }
}

#[test]
fn every_operator_keeps_the_regret_plan_of_r101_feasible() {
    let instance =
        tournee::scientific::parse_solomon(include_str!("../data/solomon/R101.txt")).unwrap();
    let (start, after) = passes(&solved(&instance.request));
    // 2-opt*, relocate and swap find work even on tight windows.
    assert!(
        after
            .iter()
            .filter(|(_, objective)| *objective < start)
            .count()
            >= 3
    );
}

#[test]
fn operators_keep_pickups_with_their_deliveries_on_lc101() {
    let instance =
        tournee::scientific::parse_lilim(include_str!("../data/lilim/lc101.txt")).unwrap();
    let (start, after) = passes(&solved(&instance.request));
    // Swap moves jobs only: on a plan of shipments it must leave the plan as it is.
    let swap = after.iter().find(|(o, _)| *o == Operator::Swap).unwrap();
    assert_eq!(swap.1, start);
}
