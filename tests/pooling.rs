//! The pooling report: savings and fair shares, over gRPC and in process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::AtomicBool;

use common::pooling::around_a_hub;
use tournee::pb;
use tournee::pipeline;

fn solve(request: &pb::SolveRequest) -> pb::SolveResponse {
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = pipeline::solve(request, &budget, &|_| {}).expect("solves");
    tournee::api::encode::response(&solved)
}

fn assert_sums_to_pooled(report: &pb::PoolingReport) {
    let pooled = report.pooled.unwrap().cost;
    for (method, share) in [
        (
            "proportional",
            report.producers.iter().map(|p| p.proportional).sum::<f64>(),
        ),
        (
            "shapley",
            report.producers.iter().map(|p| p.shapley).sum::<f64>(),
        ),
        (
            "nucleolus",
            report.producers.iter().map(|p| p.nucleolus).sum::<f64>(),
        ),
        ("epm", report.producers.iter().map(|p| p.epm).sum::<f64>()),
    ] {
        assert!(
            (share - pooled).abs() < 1e-4 * (1.0 + pooled),
            "{method}: {share} vs pooled {pooled}"
        );
    }
}

#[test]
fn shares_add_up_and_symmetric_producers_pay_the_same() {
    let response = solve(&around_a_hub(&[0.03, -0.03], 1));
    let report = response.pooling.expect("report");
    assert_sums_to_pooled(&report);
    let (a, b, idle) = (
        &report.producers[0],
        &report.producers[1],
        &report.producers[2],
    );
    for (method, x, y) in [
        ("proportional", a.proportional, b.proportional),
        ("shapley", a.shapley, b.shapley),
        ("nucleolus", a.nucleolus, b.nucleolus),
        ("epm", a.epm, b.epm),
    ] {
        assert!((x - y).abs() < 1e-6, "{method}: {x} vs {y}");
    }
    assert_eq!(idle.producer_id, "idle0");
    assert_eq!((idle.proportional, idle.shapley), (0.0, 0.0));
    assert!(idle.nucleolus.abs() < 1e-6, "{}", idle.nucleolus);
    // Two neighbouring farms far from the hub: one van serves both, so pooling saves.
    let (alone, pooled) = (report.alone.unwrap(), report.pooled.unwrap());
    assert!(pooled.cost < alone.cost, "{pooled:?} vs {alone:?}");
    assert!(pooled.co2_kg < alone.co2_kg);
    assert_eq!(report.shapley_method, "exact");
    // A sub-additive two-player game has a non-empty core, and the nucleolus is in it.
    assert!(!report.core_empty);
    assert!(report.nucleolus_in_core);
    assert!(report.epm_in_core, "the EPM split lies in a non-empty core");
    assert!(idle.epm.abs() < 1e-6, "{}", idle.epm);
}

#[test]
fn exact_and_sampled_shapley_agree_within_the_stated_error() {
    let mut request = around_a_hub(&[0.02, -0.03, 0.05, -0.01], 0);
    let exact = solve(&request).pooling.expect("report");
    request.pooling.as_mut().unwrap().max_exact_producers = 1;
    request.pooling.as_mut().unwrap().shapley_samples = 400;
    let sampled = solve(&request).pooling.expect("report");
    assert_eq!(sampled.shapley_method, "sampled");
    assert_eq!(
        exact.coalitions_repaired, 0,
        "the comparison assumes unrepaired costs"
    );
    for (e, s) in exact.producers.iter().zip(&sampled.producers) {
        assert!(s.shapley_error > 0.0);
        assert!(
            (e.shapley - s.shapley).abs() <= 3.0 * s.shapley_error + 1e-6,
            "{} exact {} sampled {} ± {}",
            e.producer_id,
            e.shapley,
            s.shapley,
            s.shapley_error
        );
    }
    let sum: f64 = sampled.producers.iter().map(|p| p.shapley).sum();
    assert!((sum - sampled.pooled.unwrap().cost).abs() < 1e-6);
}

#[test]
fn the_demo_report_is_consistent() {
    let mut request = common::demo_request();
    request.options = Some(common::quick_options(200));
    request.pooling = Some(pb::PoolingOptions {
        enabled: true,
        coalition_iterations: 100,
        ..Default::default()
    });
    let response = solve(&request);
    let report = response.pooling.clone().expect("report");
    assert_sums_to_pooled(&report);
    assert_eq!(report.producers.len(), 5);
    assert_eq!(report.coalitions_solved, 30);
    // Every producer alone: its stand-alone plan serves its own shipments only.
    let alone = report.alone.unwrap();
    let sum_alone: f64 = report.producers.iter().map(|p| p.alone.unwrap().cost).sum();
    assert!(
        (alone.cost - sum_alone).abs() < 1e-6,
        "{} ≠ {sum_alone}",
        alone.cost
    );
    if !report.core_empty {
        assert!(
            report.nucleolus_in_core,
            "the nucleolus lies in a non-empty core"
        );
    }
    common::assert_feasible(&request, &response);
}

#[test]
fn coalitions_start_from_their_best_split_so_none_needs_repair() {
    // Very short coalition searches: on their own they leave many coalitions costing
    // more than two of their sub-coalitions planning apart; warm-started from the best
    // split, none does.
    let mut request = common::demo_request();
    request.options = Some(common::quick_options(100));
    request.pooling = Some(pb::PoolingOptions {
        enabled: true,
        coalition_iterations: 2,
        ..Default::default()
    });
    let report = solve(&request).pooling.expect("report");
    assert_eq!(report.coalitions_solved, 30);
    assert_eq!(report.coalitions_repaired, 0);
    assert_eq!(report.max_repair_percent, 0.0);
    assert_sums_to_pooled(&report);
}

#[tokio::test]
async fn the_report_comes_back_over_grpc() {
    let server = common::start_server().await;
    let mut client = server.client().await;
    let request = around_a_hub(&[0.03, -0.02, 0.01], 0);
    let response = client.solve(request).await.expect("solve").into_inner();
    let report = response.pooling.expect("report over gRPC");
    assert_eq!(report.producers.len(), 3);
    assert_eq!(report.coalitions_solved, 6);
    assert_sums_to_pooled(&report);
}
