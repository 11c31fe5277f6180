//! How the pooling report degrades when time runs short, driven by the test-only hooks
//! `stop_after_size` (the coalition solves stop as if the time limit were reached) and
//! `affordable_units` (what the pacing projects to fit), so that nothing here depends
//! on the machine's speed: a stop after every producer alone keeps the proportional
//! split; an exact game that would not finish gives way to a sampled Shapley value when
//! enough orders fit, and otherwise to the proportional split alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pooling::{around_a_hub, solve_adjusted};
use tournee::domain::PoolingOptions;
use tournee::pb;

/// Three producers and an idle one: four players, 14 coalitions besides the pooled plan.
fn solve_with(hooks: impl FnOnce(&mut PoolingOptions)) -> pb::PoolingReport {
    solve_request_with(&around_a_hub(&[0.03, -0.02, 0.01], 1), hooks)
}

/// Solves `request` with the hooks set; checks the plan.
fn solve_request_with(
    request: &pb::SolveRequest,
    hooks: impl FnOnce(&mut PoolingOptions),
) -> pb::PoolingReport {
    let adjust = |problem: &mut tournee::domain::Problem| {
        hooks(problem.pooling.as_mut().expect("pooling"));
    };
    solve_adjusted(request, adjust).pooling.expect("report")
}

fn status<'a>(report: &'a pb::PoolingReport, rule: &str) -> &'a pb::AllocationRuleStatus {
    report
        .rules
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no status for {rule}: {:?}", report.rules))
}

fn assert_adds_up(report: &pb::PoolingReport, share: impl Fn(&pb::ProducerShare) -> f64) {
    let pooled = report.pooled.unwrap().cost;
    let sum: f64 = report.producers.iter().map(share).sum();
    assert!(
        (sum - pooled).abs() < 1e-6 * (1.0 + pooled),
        "{sum} vs {pooled}"
    );
}

#[test]
fn a_stop_after_every_producer_alone_keeps_the_proportional_split() {
    let report = solve_with(|o| o.stop_after_size = Some(1));
    assert_eq!(status(&report, "proportional").status, "ok");
    assert_eq!(report.producers.len(), 4);
    assert_adds_up(&report, |p| p.proportional);
    assert!(report.alone.unwrap().cost > 0.0);
    for rule in ["shapley", "least_core", "nucleolus", "epm", "core"] {
        let s = status(&report, rule);
        assert_eq!(s.status, "skipped", "{rule}");
        assert!(
            s.reason.contains("time limit reached after 4 of 14"),
            "{s:?}"
        );
    }
    let note = report
        .notes
        .iter()
        .find(|n| n.contains("cut short"))
        .unwrap();
    assert!(
        note.contains("skipped: shapley, least_core, nucleolus, epm, core"),
        "{note}"
    );
}

#[test]
fn a_stop_before_every_producer_alone_skips_every_rule() {
    let report = solve_with(|o| o.stop_after_size = Some(0));
    assert!(report.producers.is_empty());
    assert!(
        report.rules.iter().all(|r| r.status == "skipped"),
        "{:?}",
        report.rules
    );
}

#[test]
fn an_exact_game_that_would_not_finish_is_sampled_instead() {
    // Five producers: after the five alone, 10 pairs × 2 + 10 triples × 3 + 5 fours × 4
    // = 70 units remain; 60 fit, of which the sampling counts half: (30 − 5) / 10 units
    // an order = 2 orders.
    let request = around_a_hub(&[0.03, -0.02, 0.01, 0.02, -0.01], 0);
    let report = solve_request_with(&request, |o| o.affordable_units = Some(60.0));
    assert_eq!(report.shapley_method, "sampled");
    assert_eq!(status(&report, "shapley").status, "ok");
    assert_eq!(status(&report, "proportional").status, "ok");
    assert_adds_up(&report, |p| p.shapley);
    assert_adds_up(&report, |p| p.proportional);
    // The least core, the nucleolus and the EPM rest on the coalitions sampled and
    // generated (with five producers, generation may find all 31): said so.
    for rule in ["least_core", "nucleolus", "epm", "core"] {
        assert_eq!(status(&report, rule).status, "ok", "{rule}");
    }
    assert_adds_up(&report, |p| p.nucleolus);
    assert!(report.core_coalitions <= 31, "{}", report.core_coalitions);
    assert_eq!(report.core_approximate, report.core_coalitions < 31);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("rounds of constraint generation")),
        "{:?}",
        report.notes
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("sampled over 2 orders instead")),
        "{:?}",
        report.notes
    );
}

#[test]
fn too_little_time_even_to_sample_keeps_the_proportional_split() {
    let report = solve_with(|o| o.affordable_units = Some(5.0));
    assert_eq!(status(&report, "proportional").status, "ok");
    assert_adds_up(&report, |p| p.proportional);
    let shapley = status(&report, "shapley");
    assert_eq!(shapley.status, "skipped");
    assert!(shapley.reason.contains("would not finish"), "{shapley:?}");
}
