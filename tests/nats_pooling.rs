//! A pooling report fanned out over NATS workers (issue 16, item 3): the coalitions of
//! `data/pooling/twelve_producers.json` (12 producers, 4,094 coalition solves) go out
//! layer by layer to two `tournee worker` processes, and the report gathered by the
//! job's owner is the embedded one: same producers, rules and coalitions, costs within
//! 1 %. Every search is iteration-capped (the pooled plan and each coalition) under a
//! one-hour limit, so neither report depends on the machine's speed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::AtomicBool;

use common::nats::{NatsServer, client, start_front_end, start_worker, submit, wait_done};
use common::operations::{response, state};
use tournee::budget::Budget;
use tournee::pb;
use tournee::pooling::{self, Coalition, Coalitions, Local, Plan, Whole};

/// Iterations of each coalition's search: few, as a debug build solves 4,094 of them.
const COALITION_ITERATIONS: u32 = 4;

/// The twelve producers, every search capped: the pooled plan at 200 iterations on one
/// thread, each coalition at [`COALITION_ITERATIONS`].
fn twelve_producers() -> pb::SolveRequest {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/pooling/twelve_producers.json"
    );
    let text = std::fs::read_to_string(path).expect("the 12-producer example");
    let mut request: pb::SolveRequest = serde_json::from_str(&text).expect("a request");
    request.options = Some(common::quick_options(200));
    let pooling = request.pooling.get_or_insert_with(Default::default);
    pooling.enabled = true;
    pooling.coalition_iterations = COALITION_ITERATIONS;
    request
}

/// The report of `response`.
fn report(response: &pb::SolveResponse) -> &pb::PoolingReport {
    response.pooling.as_ref().expect("a pooling report")
}

/// Whether `a` and `b` agree within 1 % (of the larger; both near zero agree).
fn within_one_percent(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.01 * a.abs().max(b.abs()).max(1e-9)
}

/// Asserts that `fanned` has the structure of `embedded` and its costs within 1 %.
fn assert_same_report(fanned: &pb::PoolingReport, embedded: &pb::PoolingReport) {
    let shape = |r: &pb::PoolingReport| {
        let rules: Vec<_> = r
            .rules
            .iter()
            .map(|x| (x.rule.clone(), x.status.clone()))
            .collect();
        let producers: Vec<_> = r.producers.iter().map(|p| p.producer_id.clone()).collect();
        (
            r.coalitions_solved,
            r.core_coalitions,
            r.shapley_method.clone(),
            rules,
            producers,
        )
    };
    assert_eq!(shape(fanned), shape(embedded));
    assert_eq!(embedded.coalitions_solved, 4_094);
    let cost = |t: &Option<pb::PoolingTotals>| t.as_ref().expect("totals").cost;
    let pairs = [
        (cost(&fanned.alone), cost(&embedded.alone), "alone"),
        (cost(&fanned.pooled), cost(&embedded.pooled), "pooled"),
    ];
    for (a, b, what) in pairs {
        assert!(within_one_percent(a, b), "{what}: {a} against {b}");
    }
    for (f, e) in fanned.producers.iter().zip(&embedded.producers) {
        let shares = [
            (cost(&f.alone), cost(&e.alone)),
            (f.proportional, e.proportional),
            (f.shapley, e.shapley),
            (f.nucleolus, e.nucleolus),
            (f.epm, e.epm),
        ];
        for (a, b) in shares {
            assert!(
                within_one_percent(a, b),
                "{}: {a} against {b}",
                f.producer_id
            );
        }
    }
}

/// A coalition solver that ships every coalition as JSON, as the workers get it, and
/// its plan back, solving it one at a time in between.
struct OverTheWire;

impl Coalitions for OverTheWire {
    fn solve_layer(
        &self,
        whole: &Whole,
        layer: &[Coalition],
        budget: &Budget,
    ) -> Result<Vec<Option<Plan>>, tournee::solver::SolveError> {
        let mut plans = Vec::new();
        for coalition in layer.iter().rev() {
            let shipped: Coalition =
                serde_json::from_slice(&serde_json::to_vec(coalition).unwrap()).unwrap();
            let plan = pooling::solve_coalition(whole, &shipped, budget)?;
            let back: Plan = serde_json::from_slice(&serde_json::to_vec(&plan).unwrap()).unwrap();
            plans.push(Some(back));
        }
        plans.reverse();
        Ok(plans)
    }
}

/// The coalitions carry all a solve needs: solved elsewhere, out of order, from their
/// JSON, they give the very report of the local solves.
#[test]
fn coalitions_shipped_as_json_give_the_local_report() {
    let mut request = common::pooling::around_a_hub(&[-0.05, -0.02, 0.0, 0.03, 0.06], 0);
    request.pooling.as_mut().unwrap().coalition_iterations = 20;
    let never = AtomicBool::new(false);
    let solved = tournee::pipeline::solve(&request, &Budget::new(&never), &|_| {}).unwrap();
    let local = solved.pooling.clone().expect("a report");
    let budget = Budget::new(&never);
    let (problem, matrices) = (&solved.problem, &solved.matrices);
    let shipped =
        pooling::report_through(problem, matrices, &solved.solution, &budget, &OverTheWire);
    let again = pooling::report_through(problem, matrices, &solved.solution, &budget, &Local);
    assert_eq!(again, local);
    assert_eq!(shipped, local);
    assert_eq!(local.coalitions_solved, 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twelve_producer_report_over_two_workers_is_the_embedded_one() {
    let request = twelve_producers();
    let embedded = tokio::task::spawn_blocking({
        let request = request.clone();
        move || {
            let never = AtomicBool::new(false);
            let solved = tournee::pipeline::solve(&request, &Budget::new(&never), &|_| {});
            tournee::api::encode::response(&solved.expect("solved embedded"))
        }
    })
    .await
    .unwrap();
    common::assert_feasible(&request, &embedded);

    let nats = NatsServer::start();
    let (_front, url) = start_front_end(&nats, &[]);
    let workers = [start_worker(&nats, &[]), start_worker(&nats, &[])];
    let mut client = client(&url).await;
    let name = submit(&mut client, request.clone()).await;
    let operation = wait_done(&url, &name).await;
    assert_eq!(
        state(&operation),
        pb::OperationState::Succeeded,
        "{operation:?}"
    );
    let fanned = response(&operation);
    common::assert_feasible(&request, &fanned);
    assert_same_report(report(&fanned), report(&embedded));

    let logs: Vec<Vec<String>> = workers.iter().map(|w| w.log.try_iter().collect()).collect();
    let counts: Vec<[usize; 3]> = logs
        .iter()
        .map(|log| {
            let count = |text: &str| log.iter().filter(|l| l.contains(text)).count();
            [
                count("solving a job"),
                count("a layer of coalitions fanned out"),
                count("solving coalitions of a job"),
            ]
        })
        .collect();
    let warnings: Vec<&String> = logs
        .iter()
        .flatten()
        .filter(|l| l.contains("WARN"))
        .collect();
    // Both took part: the owner fanned its layers out (sizes 1 to 11), the other built
    // the job's problem to solve its share.
    let owners = counts.iter().filter(|c| c[0] >= 1 && c[1] >= 11).count();
    let helped = counts.iter().all(|c| c[1] >= 1 || c[2] >= 1);
    assert!(owners >= 1 && helped, "{counts:?} {warnings:?}");
}
