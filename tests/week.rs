//! A week, not a day: a van with a Tuesday and a Friday shift, a farm collection that
//! may happen on either day and a pickup-point delivery tied to Friday. The plan chooses
//! the day (tours name their shift, steps their day), a task only open on Wednesday is
//! left out with its time-window reason, the checker rejects a tour moved to another
//! shift or two tours on one shift, bad shifts are INVALID_ARGUMENT with field paths,
//! the text plan shows the day, and a vehicle with one shift plans as without shifts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{quick_options, site_at as site, solve_checked as solve, start_server};
use tonic_types::StatusExt;
use tournee::pb;

/// Seconds in a day; times count from Monday 00:00.
const DAY_S: i64 = 86_400;
const TUESDAY: i64 = 1;
const WEDNESDAY: i64 = 2;
const FRIDAY: i64 = 4;

/// `from_h`..`to_h` o'clock on `day`.
fn on(day: i64, from_h: i64, to_h: i64) -> pb::TimeWindow {
    pb::TimeWindow {
        start_s: day * DAY_S + from_h * 3600,
        end_s: day * DAY_S + to_h * 3600,
        ..Default::default()
    }
}

fn shift(id: &str, day: i64) -> pb::Shift {
    pb::Shift {
        id: id.into(),
        window: Some(on(day, 7, 13)),
        ..Default::default()
    }
}

fn job(id: &str, site_id: &str, windows: Vec<pb::TimeWindow>) -> pb::Job {
    pb::Job {
        id: id.into(),
        stop: Some(pb::TaskStop {
            site_id: site_id.into(),
            service_s: Some(600),
            time_windows: windows,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A hub, a farm and a pickup point; one van (fixed cost 40 per used shift) on
/// Tuesday and Friday mornings; the farm's crates may be collected on Tuesday or
/// Friday, the pickup point's order is delivered on Friday only.
fn week(shifts: Vec<pb::Shift>) -> pb::SolveRequest {
    let collection = pb::Job {
        pickup: vec![4],
        ..job(
            "farm-crates",
            "farm",
            vec![on(TUESDAY, 8, 12), on(FRIDAY, 8, 12)],
        )
    };
    let delivery = pb::Job {
        delivery: vec![3],
        ..job("pickup-order", "pickup-point", vec![on(FRIDAY, 9, 12)])
    };
    pb::SolveRequest {
        sites: vec![
            site("hub", 47.13, 9.51),
            site("farm", 47.18, 9.55),
            site("pickup-point", 47.10, 9.49),
        ],
        vehicles: vec![pb::Vehicle {
            id: "van".into(),
            start_site_id: "hub".into(),
            end_site_id: "hub".into(),
            capacity: vec![10],
            costs: Some(pb::VehicleCosts {
                fixed: 40.0,
                per_hour: 20.0,
                ..Default::default()
            }),
            shifts,
            ..Default::default()
        }],
        jobs: vec![collection, delivery],
        options: Some(quick_options(300)),
        ..Default::default()
    }
}

/// (shift id, task id, day) of every task step.
fn served(response: &pb::SolveResponse) -> Vec<(String, String, i64)> {
    let mut served: Vec<_> = response
        .tours
        .iter()
        .flat_map(|tour| {
            tour.steps
                .iter()
                .filter(|s| !s.task_id.is_empty())
                .map(|s| (tour.shift_id.clone(), s.task_id.clone(), s.day.unwrap()))
        })
        .collect();
    served.sort();
    served
}

#[tokio::test]
async fn the_plan_chooses_friday_for_both_when_one_shift_is_cheapest() {
    let request = week(vec![shift("tue", TUESDAY), shift("fri", FRIDAY)]);
    let response = solve(&request).await;
    // One driver's day (one fixed cost) serves both: the collection moves to Friday.
    assert_eq!(
        served(&response),
        [
            ("fri".into(), "farm-crates".into(), FRIDAY),
            ("fri".into(), "pickup-order".into(), FRIDAY),
        ]
    );
    assert_eq!(response.summary.unwrap().vehicles_used, 1);
    let steps = &response.tours[0].steps;
    assert!(steps.iter().all(|s| s.day == Some(FRIDAY)), "{steps:?}");
}

#[tokio::test]
async fn a_shift_limit_sends_the_collection_to_tuesday() {
    let friday = pb::Shift {
        max_stops: Some(1),
        ..shift("fri", FRIDAY)
    };
    let request = week(vec![shift("tue", TUESDAY), friday]);
    let response = solve(&request).await;
    assert_eq!(
        served(&response),
        [
            ("fri".into(), "pickup-order".into(), FRIDAY),
            ("tue".into(), "farm-crates".into(), TUESDAY),
        ]
    );
    assert!(response.tours.iter().all(|t| t.vehicle_id == "van"));
    assert_eq!(response.summary.unwrap().vehicles_used, 2);
}

#[tokio::test]
async fn a_task_only_open_on_wednesday_is_left_out_for_its_windows() {
    let mut request = week(vec![shift("tue", TUESDAY), shift("fri", FRIDAY)]);
    request.jobs.push(pb::Job {
        delivery: vec![1],
        ..job("wednesday-only", "pickup-point", vec![on(WEDNESDAY, 8, 12)])
    });
    let response = solve(&request).await;
    let [unassigned] = &response.unassigned[..] else {
        panic!("{:?}", response.unassigned);
    };
    assert_eq!(unassigned.task_id, "wednesday-only");
    assert_eq!(unassigned.reason, pb::UnassignedReason::TimeWindows as i32);
    assert_eq!(served(&response).len(), 2);
}

/// The checker's findings once `edit` changed the decoded plan.
fn findings_after(
    request: &pb::SolveRequest,
    response: &pb::SolveResponse,
    edit: impl FnOnce(&mut tournee::domain::Solution),
) -> Vec<String> {
    let problem = tournee::validate::problem(request).unwrap();
    let (matrices, _) = tournee::travel::matrices(&problem, &Default::default()).unwrap();
    let mut solution = tournee::api::decode::solution(&problem, response).unwrap();
    edit(&mut solution);
    let findings = tournee::checker::check(&problem, &matrices, &solution).unwrap_err();
    findings.iter().map(|f| f.to_string()).collect()
}

#[tokio::test]
async fn the_checker_rejects_a_tour_moved_to_another_shift_or_two_tours_on_one() {
    let friday = pb::Shift {
        max_stops: Some(1),
        ..shift("fri", FRIDAY)
    };
    let request = week(vec![shift("tue", TUESDAY), friday]);
    let response = solve(&request).await;
    assert_eq!(response.tours.len(), 2);
    // Friday's tour said to be driven on Tuesday: its steps lie outside that shift.
    let moved = findings_after(&request, &response, |solution| {
        for tour in &mut solution.tours {
            tour.shift = Some(0);
        }
    });
    assert!(
        moved.iter().any(|f| f.contains("after shift end")),
        "{moved:#?}"
    );
    assert!(
        moved.iter().any(|f| f.contains("used twice on shift tue")),
        "{moved:#?}"
    );
    // A tour of a vehicle with shifts must name one.
    let shiftless = findings_after(&request, &response, |solution| {
        solution.tours[0].shift = None;
    });
    assert!(
        shiftless
            .iter()
            .any(|f| f.contains("a shift its vehicle does not have")),
        "{shiftless:#?}"
    );
}

fn violations(status: &tonic::Status) -> Vec<(String, String)> {
    let bad_request = status
        .get_details_bad_request()
        .expect("BadRequest details");
    bad_request
        .field_violations
        .into_iter()
        .map(|v| (v.field, v.description))
        .collect()
}

fn has(violations: &[(String, String)], field: &str, code: &str) -> bool {
    violations
        .iter()
        .any(|(f, d)| f == field && d.starts_with(&format!("[{code}]")))
}

#[tokio::test]
async fn bad_shifts_are_invalid_arguments_with_their_field_paths() {
    let overlapping = pb::Shift {
        window: Some(on(TUESDAY, 12, 18)),
        ..shift("tue-afternoon", TUESDAY)
    };
    let elsewhere = pb::Shift {
        start_site_id: "farm".into(),
        max_stops: Some(3),
        window: None,
        ..shift("fri", FRIDAY)
    };
    let with_break = pb::Shift {
        breaks: vec![pb::Break {
            id: "lunch".into(),
            duration_s: 1800,
            ..Default::default()
        }],
        ..shift("fri", FRIDAY + 1)
    };
    let mut request = week(vec![
        shift("tue", TUESDAY),
        overlapping,
        elsewhere,
        with_break,
    ]);
    let vehicle = &mut request.vehicles[0];
    vehicle.max_stops = Some(5);
    vehicle.breaks = vec![pb::Break {
        id: "coffee".into(),
        windows: vec![on(TUESDAY, 9, 10)],
        duration_s: 900,
        ..Default::default()
    }];
    let server = start_server().await;
    let mut client = server.client().await;
    let status = client.solve(request).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let found = violations(&status);
    let expected = [
        ("vehicles[0].shifts[1].window", "shift_overlap"),
        ("vehicles[0].shifts[2].window", "missing"),
        ("vehicles[0].shifts[2].start_site_id", "shift_conflict"),
        ("vehicles[0].shifts[2].max_stops", "shift_conflict"),
        ("vehicles[0].shifts[3].id", "duplicate_id"),
        ("vehicles[0].shifts[3].breaks", "shift_conflict"),
        ("vehicles[0].breaks[0].windows", "shift_conflict"),
    ];
    for (field, code) in expected {
        assert!(has(&found, field, code), "{field} {code}: {found:#?}");
    }
    // The shift without a window is missing one, not overlapping the others.
    assert!(
        !has(&found, "vehicles[0].shifts[2].window", "shift_overlap"),
        "{found:#?}"
    );
}

#[tokio::test]
async fn a_shift_outside_the_vehicle_window_is_a_conflict() {
    let mut request = week(vec![shift("tue", TUESDAY), shift("fri", FRIDAY)]);
    request.vehicles[0].shift = Some(on(0, 0, 24 * 3));
    let server = start_server().await;
    let mut client = server.client().await;
    let status = client.solve(request).await.unwrap_err();
    let found = violations(&status);
    assert!(
        has(&found, "vehicles[0].shifts[1].window", "shift_conflict"),
        "{found:#?}"
    );
    assert!(
        !has(&found, "vehicles[0].shifts[0].window", "shift_conflict"),
        "{found:#?}"
    );
}

#[test]
fn the_text_plan_names_the_shift_and_the_day() {
    let request = week(vec![shift("tue", TUESDAY), shift("fri", FRIDAY)]);
    let path = std::env::temp_dir().join(format!("tournee-week-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&request).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", path.to_str().unwrap(), "--output-format", "text"])
        .args([
            "--max-iterations",
            "300",
            "--time-limit-s",
            "3600",
            "--threads",
            "1",
        ])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Vehicle van on shift fri"), "{text}");
    let line = text.lines().find(|l| l.contains("pickup-order")).unwrap();
    assert!(line.trim_start().starts_with("day 4 "), "{line}");
}

#[tokio::test]
async fn a_vehicle_with_one_shift_plans_as_the_vehicle_without_shifts() {
    let mut request = week(vec![shift("fri", FRIDAY)]);
    let with_shift = solve(&request).await;
    let vehicle = &mut request.vehicles[0];
    vehicle.shift = vehicle.shifts[0].window;
    vehicle.shifts.clear();
    let without = solve(&request).await;
    // The same plan; only the names of the shift and the days are added.
    let unnamed = |response: &pb::SolveResponse| -> Vec<pb::Tour> {
        let mut tours = response.tours.clone();
        for tour in &mut tours {
            tour.shift_id.clear();
            tour.steps.iter_mut().for_each(|step| step.day = None);
        }
        tours
    };
    assert_eq!(unnamed(&with_shift), without.tours);
    assert_eq!(with_shift.summary, without.summary);
    assert!(without.tours.iter().all(|t| t.shift_id.is_empty()));
    assert!(without.tours[0].steps.iter().all(|s| s.day.is_none()));
    assert!(
        with_shift.tours[0]
            .steps
            .iter()
            .all(|s| s.day == Some(FRIDAY))
    );
}

#[tokio::test]
async fn the_pooling_report_plans_coalitions_over_the_week() {
    let mut request = week(vec![shift("tue", TUESDAY), shift("fri", FRIDAY)]);
    request.producers = ["farm-a", "farm-b"]
        .map(|id| pb::Producer {
            id: id.into(),
            ..Default::default()
        })
        .to_vec();
    request.vehicles[0].producer_id = "farm-a".into();
    let mut second = request.vehicles[0].clone();
    second.id = "van-b".into();
    second.producer_id = "farm-b".into();
    request.vehicles.push(second);
    request.jobs[0].producer_id = "farm-a".into();
    request.jobs[1].producer_id = "farm-b".into();
    request.pooling = Some(pb::PoolingOptions {
        enabled: true,
        coalition_iterations: 50,
        ..Default::default()
    });
    let response = solve(&request).await;
    let report = response.pooling.unwrap();
    assert_eq!(report.producers.len(), 2);
    // Pooled, one van's Friday serves both farms: one fixed cost instead of two.
    assert_eq!(report.pooled.unwrap().vehicles, 1);
    assert_eq!(report.alone.unwrap().vehicles, 2);
    assert_eq!(response.tours[0].shift_id, "fri");
}

#[test]
fn vroom_output_names_the_shift_and_its_breaks() {
    let friday = pb::Shift {
        breaks: vec![pb::Break {
            id: "7".into(),
            duration_s: 900,
            ..Default::default()
        }],
        ..shift("fri", FRIDAY)
    };
    let request = week(vec![shift("tue", TUESDAY), friday]);
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(&request, &budget, &|_| {}).unwrap();
    let answer = tournee::vroom::vroom_answer(&solved);
    let routes = answer["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 1, "{answer}");
    assert_eq!(routes[0]["shift"], "fri");
    let steps = routes[0]["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["type"] == "break" && s["id"] == 7),
        "{answer}"
    );
}

#[test]
fn the_command_line_names_the_bad_shift_and_fails() {
    let overlapping = pb::Shift {
        window: Some(on(TUESDAY, 12, 18)),
        ..shift("tue-afternoon", TUESDAY)
    };
    let request = week(vec![shift("tue", TUESDAY), overlapping]);
    let path = std::env::temp_dir().join(format!("tournee-bad-week-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&request).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", path.to_str().unwrap()])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("vehicles[0].shifts[1].window"), "{stderr}");
    assert!(stderr.contains("shift_overlap"), "{stderr}");
}

#[tokio::test]
async fn a_producer_without_a_van_drives_alone_on_the_fleets_days() {
    let mut request = week(vec![shift("tue", TUESDAY), shift("fri", FRIDAY)]);
    request.producers = ["farm-a", "farm-b"]
        .map(|id| pb::Producer {
            id: id.into(),
            ..Default::default()
        })
        .to_vec();
    request.vehicles[0].producer_id = "farm-a".into();
    request.jobs[0].producer_id = "farm-a".into();
    request.jobs[1].producer_id = "farm-b".into();
    request.jobs.push(pb::Job {
        producer_id: "farm-b".into(),
        delivery: vec![2],
        ..job("tuesday-order", "pickup-point", vec![on(TUESDAY, 9, 12)])
    });
    request.pooling = Some(pb::PoolingOptions {
        enabled: true,
        coalition_iterations: 50,
        ..Default::default()
    });
    let response = solve(&request).await;
    let report = response.pooling.unwrap();
    // farm-b's stand-in van drives on Tuesday and on Friday (two days' tours, as the
    // fleet's van would), not one tour from Tuesday to Friday.
    let alone = report.alone.unwrap();
    assert_eq!((alone.vehicles, alone.unassigned), (3, 0), "{report:?}");
}
