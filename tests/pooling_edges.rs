//! The pooling report on degenerate inputs and failing rules: one producer, two, a
//! producer with no tasks, `max_exact_producers` 0 and 1, a linear program forced to
//! fail. Always an answer with the pooled plan, never a panic, and each rule says what
//! became of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::AtomicBool;

use common::pooling::{around_a_hub, solve_adjusted};
use tokio_stream::StreamExt;
use tournee::budget::Budget;
use tournee::pb;
use tournee::pipeline;
use tournee::travel::TravelConfig;

fn statuses(report: &pb::PoolingReport) -> Vec<(String, String)> {
    report
        .rules
        .iter()
        .map(|r| (r.rule.clone(), r.status.clone()))
        .collect()
}

fn status_of<'a>(report: &'a pb::PoolingReport, rule: &str) -> &'a pb::AllocationRuleStatus {
    report
        .rules
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no status for {rule}: {:?}", report.rules))
}

fn assert_shares_add_up(report: &pb::PoolingReport) {
    let pooled = report.pooled.unwrap().cost;
    let sum: f64 = report.producers.iter().map(|p| p.shapley).sum();
    assert!(
        (sum - pooled).abs() < 1e-6 * (1.0 + pooled),
        "{sum} vs {pooled}"
    );
}

#[test]
fn one_producer_pays_the_whole_pooled_cost() {
    for max_exact in [0, 1] {
        let response = solve_adjusted(&around_a_hub(&[0.02], 0), |problem| {
            problem.pooling.as_mut().unwrap().max_exact_producers = max_exact;
        });
        let report = response.pooling.expect("report");
        assert_eq!(report.producers.len(), 1);
        let pooled = report.pooled.unwrap().cost;
        let row = &report.producers[0];
        assert!((row.shapley - pooled).abs() < 1e-6, "{row:?}");
        assert!((row.proportional - pooled).abs() < 1e-6, "{row:?}");
        assert_eq!(status_of(&report, "shapley").status, "ok");
        assert_eq!(status_of(&report, "proportional").status, "ok");
        // Sampled or exact, one player's game is complete: the nucleolus is the
        // whole cost and there is no smaller group for the least core.
        assert_eq!(status_of(&report, "nucleolus").status, "ok");
        assert!((row.nucleolus - pooled).abs() < 1e-6, "{row:?}");
        assert_eq!(status_of(&report, "least_core").status, "skipped");
        assert_eq!(report.core_coalitions, 1);
        assert!(!report.core_approximate);
        if max_exact == 0 {
            assert_eq!(report.shapley_method, "sampled");
        }
    }
}

#[test]
fn two_producers_and_an_idle_one_under_every_max_exact() {
    for max_exact in [0, 1, 12] {
        let response = solve_adjusted(&around_a_hub(&[0.03, -0.02], 1), |problem| {
            problem.pooling.as_mut().unwrap().max_exact_producers = max_exact;
        });
        let report = response.pooling.expect("report");
        assert_eq!(report.producers.len(), 3);
        assert_shares_add_up(&report);
        let idle = &report.producers[2];
        assert_eq!((idle.shapley, idle.proportional), (0.0, 0.0));
        // Sampled below three producers, yet the orders' prefixes are every
        // coalition of three players: every rule rests on all seven.
        assert!(
            statuses(&report).iter().all(|(_, s)| s == "ok"),
            "{max_exact}: {:?}",
            report.rules
        );
        assert_eq!(report.core_coalitions, 7);
        assert!(!report.core_approximate);
    }
}

#[test]
fn a_request_whose_producers_have_no_tasks_still_answers() {
    let mut request = around_a_hub(&[0.03], 2);
    request.shipments.clear();
    let response = solve_adjusted(&request, |_| {});
    let report = response.pooling.expect("report");
    assert_eq!(report.producers.len(), 3);
    assert_eq!(report.pooled.unwrap().cost, 0.0);
}

#[test]
fn a_failing_linear_program_leaves_the_plan_and_the_other_rules() {
    let request = around_a_hub(&[0.03, -0.02, 0.01], 0);
    let response = solve_adjusted(&request, |problem| {
        problem.pooling.as_mut().unwrap().force_lp_failure = true;
    });
    assert!(!response.tours.is_empty(), "the pooled tours come back");
    let report = response.pooling.expect("report");
    assert_shares_add_up(&report);
    for rule in ["proportional", "shapley", "core"] {
        assert_eq!(status_of(&report, rule).status, "ok", "{rule}");
    }
    for rule in ["least_core", "nucleolus", "epm"] {
        let status = status_of(&report, rule);
        assert_eq!(status.status, "failed", "{rule}");
        assert!(status.reason.contains("linear program"), "{status:?}");
    }
    // The text table and the VROOM object say so too.
    let cancelled = AtomicBool::new(false);
    let mut problem = tournee::validate::problem(&request).expect("valid");
    problem.pooling.as_mut().unwrap().force_lp_failure = true;
    let solved = pipeline::solve_problem(
        problem,
        &Budget::new(&cancelled),
        &|_| {},
        &TravelConfig::default(),
    )
    .expect("solves");
    let domain = solved.pooling.as_ref().expect("report");
    let text = tournee::report::pooling_text(&solved.problem, domain);
    assert!(text.contains("nucleolus failed: linear program"), "{text}");
    let object = tournee::vroom::vroom_pooling(&solved.problem, domain);
    assert_eq!(object["rules"]["nucleolus"]["status"], "failed");
    assert_eq!(object["rules"]["epm"]["status"], "failed");
    assert!(text.contains("EPM"), "{text}");
    assert_eq!(object["rules"]["shapley"]["status"], "ok");
}

#[tokio::test]
async fn solve_stream_ends_with_its_final_solution_for_one_producer() {
    let server = common::start_server().await;
    let mut client = server.client().await;
    let mut request = around_a_hub(&[0.02], 0);
    request.pooling.as_mut().unwrap().max_exact_producers = 1;
    let mut stream = client
        .solve_stream(request.clone())
        .await
        .expect("stream")
        .into_inner();
    let mut last = None;
    while let Some(event) = stream.next().await {
        last = event.expect("no error").event;
    }
    let Some(pb::solve_event::Event::Solution(response)) = last else {
        panic!("the stream ended without its final solution: {last:?}");
    };
    let report = response.pooling.clone().expect("report");
    assert_eq!(report.producers.len(), 1);
    common::assert_feasible(&request, &response);
    let unary = client.solve(request).await.expect("solve").into_inner();
    assert_eq!(unary.pooling.expect("report").producers.len(), 1);
}

#[test]
fn a_cancelled_request_still_answers_and_says_what_it_skipped() {
    // The budget ends before the report starts (as when the client's deadline passes
    // during the search): the plan comes back, every rule says why it was skipped.
    let request = around_a_hub(&[0.03, -0.02, 0.01], 0);
    let problem = tournee::validate::problem(&request).expect("valid");
    let cancelled = AtomicBool::new(true);
    let solved = pipeline::solve_problem(
        problem,
        &Budget::new(&cancelled),
        &|_| {},
        &TravelConfig::default(),
    )
    .expect("the plan comes back");
    let response = tournee::api::encode::response(&solved);
    common::assert_feasible(&request, &response);
    let report = response.pooling.expect("report");
    for rule in &report.rules {
        assert_eq!(rule.status, "skipped", "{rule:?}");
        assert_eq!(rule.reason, "cancelled after 0 of 6 coalitions", "{rule:?}");
    }
    assert!(
        report.notes.iter().any(|n| n.contains("cut short")),
        "{:?}",
        report.notes
    );
}

#[test]
fn unserved_tasks_are_priced_so_that_leaving_them_out_is_not_cheap() {
    // Farm 0's van carries 1 crate of its 5: alone it serves nothing.
    let mut request = around_a_hub(&[0.03, -0.03], 0);
    request.vehicles[0].capacity = vec![1];
    // By default each unserved task costs the costliest task served alone: farm 0,
    // which serves nothing alone, still pays a share.
    let by_default = solve_adjusted(&request, |_| {}).pooling.expect("report");
    assert_eq!(by_default.producers[0].alone.unwrap().unassigned, 1);
    let price = by_default.unserved_task_price;
    assert!(price > 0.0, "{by_default:?}");
    assert!(by_default.producers[0].proportional > 0.0, "{by_default:?}");
    assert_shares_add_up(&by_default);
    let note = format!("priced at {price:.2}");
    assert!(
        by_default.notes.iter().any(|n| n.contains(&note)),
        "{:?}",
        by_default.notes
    );
    request.pooling.as_mut().unwrap().unserved_task_cost = 1000.0;
    let priced = solve_adjusted(&request, |_| {}).pooling.expect("report");
    assert_shares_add_up(&priced);
    let (farm0, farm1) = (&priced.producers[0], &priced.producers[1]);
    // Alone, farm 0 costs 1,000 for its unserved crates: it pays the larger share under
    // every rule (under Shapley farm 1 is even paid for carrying them).
    for (x, y) in [
        (farm0.proportional, farm1.proportional),
        (farm0.shapley, farm1.shapley),
        (farm0.nucleolus, farm1.nucleolus),
        (farm0.epm, farm1.epm),
    ] {
        assert!(x > y, "{priced:?}");
    }
    assert!(priced.notes.iter().any(|n| n.contains("priced at 1000.00")));
    assert_eq!(priced.unserved_task_price, 1000.0);
    request.pooling.as_mut().unwrap().unserved_task_cost = -1.0;
    let refused = tournee::validate::problem(&request).expect_err("a negative price");
    assert!(
        format!("{refused:?}").contains("pooling.unserved_task_cost"),
        "{refused:?}"
    );
}

/// Above `max_exact_producers` the least core, the nucleolus and the EPM rest on the
/// coalitions sampled and generated: every rule answers, the shares add up, and the
/// report says on how many coalitions they rest. Seven producers, max 3: 200 orders
/// of 7 cover most of the 127 coalitions, generation adds the pairs it lacks.
#[test]
fn a_cooperative_above_max_exact_gets_every_rule_by_constraint_generation() {
    let offsets = [0.03, -0.02, 0.01, 0.025, -0.015, 0.02, -0.03];
    let response = solve_adjusted(&around_a_hub(&offsets, 0), |problem| {
        let pooling = problem.pooling.as_mut().unwrap();
        pooling.max_exact_producers = 3;
        pooling.shapley_samples = 6;
        pooling.coalition_iterations = Some(20);
    });
    let report = response.pooling.expect("report");
    assert_eq!(report.shapley_method, "sampled");
    assert!(
        statuses(&report).iter().all(|(_, s)| s == "ok"),
        "{:?}",
        report.rules
    );
    let pooled = report.pooled.unwrap().cost;
    for rule in [
        |p: &pb::ProducerShare| p.nucleolus,
        |p: &pb::ProducerShare| p.epm,
    ] {
        let sum: f64 = report.producers.iter().map(rule).sum();
        assert!(
            (sum - pooled).abs() < 1e-4 * (1.0 + pooled),
            "{sum} vs {pooled}"
        );
    }
    // 6 orders of 7 producers reach at most 6 × 6 + 7 coalitions; the pairs (21) and
    // the rounds add more, but not all 127.
    assert!(
        report.coalitions_solved <= 43,
        "{}",
        report.coalitions_solved
    );
    assert!(report.core_coalitions as usize > report.coalitions_solved as usize);
    assert_eq!(report.core_approximate, report.core_coalitions < 127);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("rounds of constraint generation")),
        "{:?}",
        report.notes
    );
}
