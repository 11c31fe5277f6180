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

/// A hub round of `deliveries` shipments to sites around it, on straight lines.
fn hub_round(deliveries: usize) -> tournee::pb::SolveRequest {
    let mut request = common::demo_request();
    let hub = common::site_at("hub", 47.15, 9.52);
    let mut sites = vec![hub];
    let mut shipments = Vec::new();
    for i in 0..deliveries {
        // A spiral of sites, 0.5 to 12 km from the hub: deterministic, no RNG.
        let angle = i as f64 * 2.399_963;
        let radius = 0.005 + 0.1 * (i as f64 / deliveries as f64);
        let id = format!("s{i}");
        sites.push(common::site_at(
            &id,
            47.15 + radius * angle.sin(),
            9.52 + radius * angle.cos(),
        ));
        shipments.push(tournee::pb::Shipment {
            id: format!("t{i}"),
            pickup: Some(tournee::pb::TaskStop {
                site_id: "hub".to_string(),
                ..Default::default()
            }),
            delivery: Some(tournee::pb::TaskStop {
                site_id: id,
                ..Default::default()
            }),
            amount: vec![1],
            ..Default::default()
        });
    }
    let template = request.vehicles[0].clone();
    request.vehicles = (0..10)
        .map(|k| tournee::pb::Vehicle {
            id: format!("v{k}"),
            start_site_id: "hub".to_string(),
            end_site_id: "hub".to_string(),
            capacity: vec![60],
            ..template.clone()
        })
        .collect();
    request.sites = sites;
    request.shipments = shipments;
    request.jobs.clear();
    request
}

/// A search whose budget is over before it starts (here: cancelled) completes its
/// plan in haste, next to each task's nearest stops, instead of by full insertion
/// (O(route²) per shipment, tens of seconds at thousands of tasks): every task is
/// served and the checker accepts the plan, whatever the machine's speed.
#[test]
fn a_plan_completed_after_its_deadline_serves_every_task() {
    let request = hub_round(300);
    let cancelled = AtomicBool::new(true);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = pipeline::solve(&request, &budget, &|_| {}).expect("solves");
    assert_eq!(solved.solution.stop_reason, StopReason::Cancelled);
    assert!(
        solved.solution.unassigned.is_empty(),
        "{} left out",
        solved.solution.unassigned.len()
    );
    tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution)
        .expect("the checker accepts the plan");
}
