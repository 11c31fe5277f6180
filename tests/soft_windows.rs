//! Soft time windows end to end over gRPC: a shop that can only be reached after its
//! window closes is left out (TIME_WINDOWS) under a hard window and served late, at
//! its price, under a soft one; the solver keeps a stop on time when lateness costs
//! more than the detour that avoids it, and takes the lateness when it is cheaper;
//! early service replaces waiting when that pays; the checker rejects a plan late past
//! the maximum or reporting a wrong penalty; bad soft fields are INVALID_ARGUMENT with
//! their field paths, and one line naming the field on the command line; the text plan
//! marks a late stop. Every plan goes through the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{quick_options, site_at as site, solve_checked as solve, start_server};
use tonic_types::StatusExt;
use tournee::pb;

/// 08:00 in seconds from midnight: every shift starts then.
const EIGHT: i64 = 8 * 3600;

fn window(start_s: i64, end_s: i64) -> pb::TimeWindow {
    pb::TimeWindow {
        start_s,
        end_s,
        ..Default::default()
    }
}

/// `window` with lateness allowed up to `max_late_s` at `late_cost_per_hour`.
fn late_window(
    start_s: i64,
    end_s: i64,
    max_late_s: i64,
    late_cost_per_hour: f64,
) -> pb::TimeWindow {
    pb::TimeWindow {
        max_late_s,
        late_cost_per_hour,
        ..window(start_s, end_s)
    }
}

fn job(id: &str, site_id: &str, service_s: i64, windows: Vec<pb::TimeWindow>) -> pb::Job {
    pb::Job {
        id: id.into(),
        stop: Some(pb::TaskStop {
            site_id: site_id.into(),
            service_s: Some(service_s),
            time_windows: windows,
            ..Default::default()
        }),
        delivery: vec![1],
        ..Default::default()
    }
}

fn van(end_site_id: &str) -> pb::Vehicle {
    pb::Vehicle {
        id: "van".into(),
        start_site_id: "hub".into(),
        end_site_id: end_site_id.into(),
        capacity: vec![10],
        shift: Some(window(EIGHT, EIGHT + 10 * 3600)),
        ..Default::default()
    }
}

/// A hub and a shop about 25 road-km north of it (half an hour's drive), whose one
/// window closes ten minutes after the van leaves.
fn far_shop(shop_window: pb::TimeWindow) -> pb::SolveRequest {
    pb::SolveRequest {
        sites: vec![site("hub", 47.13, 9.51), site("shop", 47.30, 9.51)],
        vehicles: vec![van("hub")],
        jobs: vec![job("order", "shop", 600, vec![shop_window])],
        options: Some(quick_options(50)),
        ..Default::default()
    }
}

fn task_steps(response: &pb::SolveResponse) -> Vec<&pb::Step> {
    response
        .tours
        .iter()
        .flat_map(|tour| &tour.steps)
        .filter(|step| !step.task_id.is_empty())
        .collect()
}

#[tokio::test]
async fn a_shop_only_reachable_late_is_left_out_when_hard_and_served_late_when_soft() {
    let hard = solve(&far_shop(window(EIGHT, EIGHT + 600))).await;
    assert!(hard.tours.is_empty(), "{hard:?}");
    assert_eq!(hard.unassigned.len(), 1);
    assert_eq!(
        hard.unassigned[0].reason,
        pb::UnassignedReason::TimeWindows as i32
    );

    let soft = solve(&far_shop(late_window(EIGHT, EIGHT + 600, 3600, 36.0))).await;
    assert!(soft.unassigned.is_empty(), "{soft:?}");
    let steps = task_steps(&soft);
    let shop = steps[0];
    let late_s = shop.service_start_s - (EIGHT + 600);
    assert!(late_s > 0 && late_s <= 3600, "{shop:?}");
    assert_eq!(shop.late_s, late_s);
    assert_eq!(shop.early_s, 0);
    assert_eq!(shop.waiting_s, 0, "a late van does not wait");
    // 36 per hour: one hundredth per second late.
    let penalty = late_s as f64 / 100.0;
    assert!((shop.penalty - penalty).abs() < 1e-6, "{shop:?}");
    let summary = soft.summary.as_ref().unwrap();
    assert_eq!(summary.late_s, late_s);
    assert!((summary.penalty - penalty).abs() < 1e-6);
    let tour = &soft.tours[0];
    assert_eq!(tour.late_s, late_s);
    assert!((tour.penalty - penalty).abs() < 1e-6);
    // The penalty is part of the tour's cost.
    assert!(tour.cost > penalty, "{tour:?}");

    // Later than the maximum allows: still left out, with the same reason.
    let too_short = solve(&far_shop(late_window(EIGHT, EIGHT + 600, 60, 36.0))).await;
    assert_eq!(
        too_short.unassigned[0].reason,
        pb::UnassignedReason::TimeWindows as i32
    );
}

/// A hub, a farm 10 km north with a half-hour service, a shop 20 km north whose window
/// ends at 08:45, and a garage 30 km north where the van ends. Farm first drives least
/// (all on the way) but reaches the shop about a quarter of an hour late; shop first
/// is on time and drives 20 km more.
fn shop_or_farm_first(late_cost_per_hour: f64) -> pb::SolveRequest {
    pb::SolveRequest {
        sites: vec![
            site("hub", 47.00, 9.51),
            site("farm", 47.09, 9.51),
            site("shop", 47.18, 9.51),
            site("garage", 47.27, 9.51),
        ],
        vehicles: vec![van("garage")],
        jobs: vec![
            job("collect", "farm", 1800, vec![]),
            job(
                "deliver",
                "shop",
                300,
                vec![late_window(EIGHT, EIGHT + 2700, 7200, late_cost_per_hour)],
            ),
        ],
        options: Some(quick_options(200)),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_solver_keeps_on_time_when_lateness_costs_more_than_the_detour() {
    let dear = solve(&shop_or_farm_first(100.0)).await;
    let order: Vec<&str> = task_steps(&dear)
        .iter()
        .map(|s| s.task_id.as_str())
        .collect();
    assert_eq!(order, ["deliver", "collect"], "{dear:?}");
    assert_eq!(dear.summary.as_ref().unwrap().late_s, 0);

    // At a hundredth per hour, the quarter of an hour late is cheaper than the detour.
    let cheap = solve(&shop_or_farm_first(0.01)).await;
    let order: Vec<&str> = task_steps(&cheap)
        .iter()
        .map(|s| s.task_id.as_str())
        .collect();
    assert_eq!(order, ["collect", "deliver"], "{cheap:?}");
    assert!(cheap.summary.as_ref().unwrap().late_s > 0);
}

/// Goods picked up at a farm about 10 minutes from the hub that opens at 09:00, to a
/// shop a few minutes further whose window closes at 08:55. Waiting for the farm to
/// open misses the shop: the shipment can only be served by loading early.
fn early_pickup(max_early_s: i64) -> pb::SolveRequest {
    let early_cost_per_hour = if max_early_s > 0 { 1.0 } else { 0.0 };
    pb::SolveRequest {
        sites: vec![
            site("hub", 47.00, 9.51),
            site("farm", 47.05, 9.51),
            site("shop", 47.06, 9.51),
        ],
        vehicles: vec![van("")],
        shipments: vec![pb::Shipment {
            id: "crates".into(),
            pickup: Some(pb::TaskStop {
                site_id: "farm".into(),
                service_s: Some(600),
                time_windows: vec![pb::TimeWindow {
                    max_early_s,
                    early_cost_per_hour,
                    ..window(9 * 3600, 12 * 3600)
                }],
                ..Default::default()
            }),
            delivery: Some(pb::TaskStop {
                site_id: "shop".into(),
                service_s: Some(300),
                time_windows: vec![window(EIGHT, EIGHT + 3300)],
                ..Default::default()
            }),
            amount: vec![1],
            ..Default::default()
        }],
        options: Some(quick_options(100)),
        ..Default::default()
    }
}

#[tokio::test]
async fn early_service_replaces_waiting_when_only_that_serves_the_task() {
    let hard = solve(&early_pickup(0)).await;
    assert_eq!(hard.unassigned.len(), 1, "{hard:?}");

    let soft = solve(&early_pickup(3600)).await;
    assert!(soft.unassigned.is_empty(), "{soft:?}");
    let pickup = task_steps(&soft)[0];
    let early_s = 9 * 3600 - pickup.service_start_s;
    assert!(early_s > 0 && early_s <= 3600, "{pickup:?}");
    assert_eq!(
        (pickup.early_s, pickup.late_s, pickup.waiting_s),
        (early_s, 0, 0)
    );
    assert!(
        (pickup.penalty - early_s as f64 / 3600.0).abs() < 1e-6,
        "{pickup:?}"
    );
    assert_eq!(soft.summary.as_ref().unwrap().early_s, early_s);
}

#[tokio::test]
async fn waiting_is_kept_when_early_service_buys_nothing() {
    let mut request = early_pickup(3600);
    // The shop now stays open all day: nothing is gained by loading early.
    request.shipments[0].delivery.as_mut().unwrap().time_windows = Vec::new();
    let response = solve(&request).await;
    let pickup = task_steps(&response)[0];
    assert_eq!(pickup.service_start_s, 9 * 3600, "{pickup:?}");
    assert_eq!((pickup.early_s, pickup.penalty), (0, 0.0));
}

/// The checker's findings on the soft far-shop plan checked against `problem_request`
/// once `edit` changed its first tour.
fn findings_on(
    problem_request: &pb::SolveRequest,
    response: &pb::SolveResponse,
    edit: impl FnOnce(&mut tournee::domain::Tour),
) -> Vec<tournee::checker::Finding> {
    let problem = tournee::validate::problem(problem_request).unwrap();
    let (matrices, _) = tournee::travel::matrices(&problem, &Default::default()).unwrap();
    let mut solution = tournee::api::decode::solution(&problem, response).unwrap();
    edit(&mut solution.tours[0]);
    tournee::checker::check(&problem, &matrices, &solution).unwrap_err()
}

#[tokio::test]
async fn the_checker_rejects_lateness_past_the_maximum_and_a_wrong_penalty() {
    let request = far_shop(late_window(EIGHT, EIGHT + 600, 3600, 36.0));
    let response = solve(&request).await;
    let late_s = task_steps(&response)[0].late_s;

    // The same plan against a maximum below its lateness.
    let stricter = far_shop(late_window(EIGHT, EIGHT + 600, late_s - 1, 36.0));
    let findings = findings_on(&stricter, &response, |_| {});
    assert!(
        findings
            .iter()
            .any(|f| f.to_string().contains("maximum lateness")),
        "{findings:?}"
    );

    // A step that under-reports its penalty.
    let findings = findings_on(&request, &response, |tour| {
        tour.steps[1].penalty_micro -= 1;
    });
    assert!(!findings.is_empty());

    // A tour whose cost leaves the penalty out.
    let findings = findings_on(&request, &response, |tour| {
        tour.figures.cost_micro -= tour.figures.penalty_micro;
    });
    assert!(!findings.is_empty());
}

#[tokio::test]
async fn bad_soft_fields_are_invalid_arguments_with_their_paths() {
    type Breaker = fn(&mut pb::SolveRequest);
    let cases: Vec<(Breaker, &str, &str)> = vec![
        (
            |r| soft_window(r).max_late_s = -5,
            "jobs[0].stop.time_windows[0].max_late_s",
            "negative",
        ),
        (
            |r| soft_window(r).late_cost_per_hour = -1.0,
            "jobs[0].stop.time_windows[0].late_cost_per_hour",
            "negative",
        ),
        (
            |r| soft_window(r).late_cost_per_hour = 0.0,
            "jobs[0].stop.time_windows[0].late_cost_per_hour",
            "soft_window",
        ),
        (
            |r| soft_window(r).early_cost_per_hour = 2.0,
            "jobs[0].stop.time_windows[0].max_early_s",
            "soft_window",
        ),
        (
            |r| {
                soft_window(r).max_early_s = EIGHT + 1;
                soft_window(r).early_cost_per_hour = 1.0;
            },
            "jobs[0].stop.time_windows[0].max_early_s",
            "out_of_range",
        ),
        (
            |r| r.sites[1].opening_windows = vec![late_window(0, 10, 5, 1.0)],
            "sites[1].opening_windows[0]",
            "soft_window",
        ),
        (
            |r| r.vehicles[0].shift = Some(late_window(0, 86_400, 5, 1.0)),
            "vehicles[0].shift",
            "soft_window",
        ),
        (
            |r| {
                let overlapping = late_window(EIGHT + 300, EIGHT + 900, 60, 1.0);
                let stop = r.jobs[0].stop.as_mut().unwrap();
                stop.time_windows.push(overlapping);
            },
            "jobs[0].stop.time_windows",
            "soft_window",
        ),
        (
            |r| r.options.as_mut().unwrap().objective = pb::Objective::Distance as i32,
            "options.objective",
            "soft_window",
        ),
    ];
    let server = start_server().await;
    let mut client = server.client().await;
    for (breaker, field, code) in cases {
        let mut request = far_shop(late_window(EIGHT, EIGHT + 600, 3600, 36.0));
        breaker(&mut request);
        let status = client.solve(request).await.expect_err(field);
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{field}");
        let bad_request = status.get_details_bad_request().expect("BadRequest");
        let hit = bad_request
            .field_violations
            .iter()
            .find(|v| v.field == field)
            .unwrap_or_else(|| panic!("{field} not in {:?}", bad_request.field_violations));
        assert!(
            hit.description.starts_with(&format!("[{code}]")),
            "{field}: {}",
            hit.description
        );
    }
}

fn soft_window(request: &mut pb::SolveRequest) -> &mut pb::TimeWindow {
    &mut request.jobs[0].stop.as_mut().unwrap().time_windows[0]
}

#[tokio::test]
async fn the_text_plan_marks_the_late_stop_and_totals_the_penalty() {
    let request = far_shop(late_window(EIGHT, EIGHT + 600, 3600, 36.0));
    let response = solve(&request).await;
    let problem = tournee::validate::problem(&request).unwrap();
    let solution = tournee::api::decode::solution(&problem, &response).unwrap();
    let text = tournee::report::plan_text(&problem, &solution);
    let late_line = text.lines().find(|line| line.contains("order")).unwrap();
    assert!(late_line.contains(" LATE "), "{text}");
    assert!(text.contains("Soft windows: "), "{text}");

    let on_time = solve(&far_shop(late_window(EIGHT, EIGHT + 7200, 3600, 36.0))).await;
    let solution = tournee::api::decode::solution(&problem, &on_time).unwrap();
    let text = tournee::report::plan_text(&problem, &solution);
    assert!(
        !text.contains("LATE") && !text.contains("Soft windows"),
        "{text}"
    );
}

#[test]
fn the_command_line_names_a_bad_soft_field_on_one_line() {
    let mut request = far_shop(late_window(EIGHT, EIGHT + 600, 3600, 36.0));
    soft_window(&mut request).max_late_s = -1;
    let path = std::env::temp_dir().join(format!("tournee-soft-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&request).unwrap()).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", path.to_str().unwrap()])
        .output()
        .expect("runs");
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert!(
        message.contains("jobs[0].stop.time_windows[0].max_late_s"),
        "{message}"
    );
}
