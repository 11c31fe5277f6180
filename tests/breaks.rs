//! Driver breaks end to end: a break asked over gRPC is taken inside its window and
//! shown as a step; the checker rejects a plan whose break is dropped or moved out of
//! its window, or taken with more on board than its `max_load`; an unsatisfiable break
//! leaves its vehicle unused and the tasks unassigned with the reason; VROOM input with
//! `breaks` through `tournee vroom` answers with a `break` step; the text plan lists it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{assert_feasible, quick_options, site_at as site, start_server};
use serde_json::{Value, json};
use tournee::pb;

/// 08:00, 11:30, 13:30 and 18:00 in seconds from midnight.
const EIGHT: i64 = 8 * 3600;
const HALF_PAST_ELEVEN: i64 = 11 * 3600 + 1800;
const HALF_PAST_ONE: i64 = 13 * 3600 + 1800;
const SIX_PM: i64 = 18 * 3600;

fn window(start_s: i64, end_s: i64) -> pb::TimeWindow {
    pb::TimeWindow {
        start_s,
        end_s,
        ..Default::default()
    }
}

/// A hub and six shops around it, each open one hour from 09:00 to 15:00; one van
/// from 08:00 to 18:00 whose driver has `breaks`.
fn day_of_deliveries(breaks: Vec<pb::Break>) -> pb::SolveRequest {
    let shops = [
        (47.16, 9.50),
        (47.17, 9.53),
        (47.14, 9.56),
        (47.11, 9.54),
        (47.10, 9.49),
        (47.13, 9.46),
    ];
    let mut sites = vec![site("hub", 47.13, 9.51)];
    sites.extend(shops.iter().enumerate().map(|(i, &(lat, lon))| {
        let opens_s = (9 + i as i64) * 3600;
        pb::Site {
            opening_windows: vec![window(opens_s, opens_s + 3600)],
            ..site(&format!("shop{i}"), lat, lon)
        }
    }));
    pb::SolveRequest {
        sites,
        vehicles: vec![pb::Vehicle {
            id: "van".into(),
            start_site_id: "hub".into(),
            end_site_id: "hub".into(),
            capacity: vec![20],
            shift: Some(window(EIGHT, SIX_PM)),
            breaks,
            ..Default::default()
        }],
        jobs: (0..shops.len())
            .map(|i| pb::Job {
                id: format!("order{i}"),
                stop: Some(pb::TaskStop {
                    site_id: format!("shop{i}"),
                    service_s: Some(1200),
                    ..Default::default()
                }),
                delivery: vec![3],
                ..Default::default()
            })
            .collect(),
        options: Some(quick_options(200)),
        ..Default::default()
    }
}

fn lunch() -> pb::Break {
    pb::Break {
        id: "lunch".into(),
        windows: vec![window(HALF_PAST_ELEVEN, HALF_PAST_ONE)],
        duration_s: 45 * 60,
        description: "lunch".into(),
        ..Default::default()
    }
}

async fn solve(request: &pb::SolveRequest) -> pb::SolveResponse {
    let server = start_server().await;
    let mut client = server.client().await;
    client
        .solve(request.clone())
        .await
        .expect("solve")
        .into_inner()
}

fn break_steps(response: &pb::SolveResponse) -> Vec<&pb::Step> {
    response
        .tours
        .iter()
        .flat_map(|tour| &tour.steps)
        .filter(|step| step.kind == pb::StepKind::Break as i32)
        .collect()
}

/// The checker's findings on `response` once `edit` changed its steps.
fn findings_after(
    request: &pb::SolveRequest,
    response: &pb::SolveResponse,
    edit: impl FnOnce(&mut Vec<tournee::domain::TourStep>),
) -> Vec<tournee::checker::Finding> {
    let problem = tournee::validate::problem(request).unwrap();
    let (matrices, _) = tournee::travel::matrices(&problem, &Default::default()).unwrap();
    let mut solution = tournee::api::decode::solution(&problem, response).unwrap();
    edit(&mut solution.tours[0].steps);
    tournee::checker::check(&problem, &matrices, &solution).unwrap_err()
}

fn position_of_break(steps: &[tournee::domain::TourStep]) -> usize {
    steps
        .iter()
        .position(|s| s.kind == tournee::domain::StepKind::Break)
        .unwrap()
}

#[tokio::test]
async fn the_driver_gets_a_45_minute_break_between_half_past_eleven_and_half_past_one() {
    let request = day_of_deliveries(vec![lunch()]);
    let response = solve(&request).await;
    assert_feasible(&request, &response);
    assert!(response.unassigned.is_empty(), "{:?}", response.unassigned);
    let breaks = break_steps(&response);
    assert_eq!(breaks.len(), 1, "{:?}", response.tours);
    let lunch = breaks[0];
    assert_eq!(lunch.break_id, "lunch");
    assert_eq!(lunch.service_s, 2700);
    assert!(
        (HALF_PAST_ELEVEN..=HALF_PAST_ONE).contains(&lunch.service_start_s),
        "{lunch:?}"
    );
    assert_eq!(lunch.departure_s, lunch.service_start_s + 2700);
    // Shops open from 09:00 to 15:00: the lunch falls between two of them.
    let steps = &response.tours[0].steps;
    let at = steps.iter().position(|s| s.break_id == "lunch").unwrap();
    assert!(steps[at - 1].departure_s <= lunch.arrival_s);
    assert!(lunch.departure_s <= steps[at + 1].arrival_s);
}

#[test]
fn the_text_plan_lists_the_break() {
    let request = day_of_deliveries(vec![lunch()]);
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(&request, &budget, &|_| {}).unwrap();
    let text = tournee::report::plan_text(&solved.problem, &solved.solution);
    let line = text
        .lines()
        .find(|line| line.contains(" break "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("lunch 45 min"), "{line}");
}

#[tokio::test]
async fn the_checker_rejects_the_plan_with_the_break_removed_or_moved_out_of_its_window() {
    let request = day_of_deliveries(vec![lunch()]);
    let response = solve(&request).await;
    assert_feasible(&request, &response);
    let removed = findings_after(&request, &response, |steps| {
        steps.remove(position_of_break(steps));
    });
    assert!(
        removed
            .iter()
            .any(|f| f.place.contains("break[lunch]") && f.rule.contains("taken 0 times")),
        "{removed:?}"
    );
    // Just before the end, after the last shop (open until 15:00), 13:30 has passed.
    let moved = findings_after(&request, &response, |steps| {
        let lunch = steps.remove(position_of_break(steps));
        let end = steps.len() - 1;
        steps.insert(end, lunch);
    });
    assert!(
        moved
            .iter()
            .any(|f| f.rule.contains("after every one of its windows")),
        "{moved:?}"
    );
}

/// A van that collects at two farms and delivers to two shops; its driver's break, in
/// 10:00–12:00, must be taken with nothing on board.
fn collection_with_an_empty_van_break() -> pb::SolveRequest {
    let open = |site: pb::Site, from_h: i64, to_h: i64| pb::Site {
        opening_windows: vec![window(from_h * 3600, to_h * 3600)],
        ..site
    };
    let stop = |site_id: &str| pb::TaskStop {
        site_id: site_id.into(),
        service_s: Some(600),
        ..Default::default()
    };
    pb::SolveRequest {
        sites: vec![
            site("hub", 47.13, 9.51),
            open(site("farm1", 47.16, 9.50), 9, 10),
            open(site("shop1", 47.17, 9.53), 10, 11),
            open(site("farm2", 47.14, 9.56), 11, 13),
            open(site("shop2", 47.11, 9.54), 13, 14),
        ],
        vehicles: vec![pb::Vehicle {
            id: "van".into(),
            start_site_id: "hub".into(),
            end_site_id: "hub".into(),
            capacity: vec![10],
            shift: Some(window(EIGHT, SIX_PM)),
            breaks: vec![pb::Break {
                id: "rest".into(),
                windows: vec![window(10 * 3600, 12 * 3600)],
                duration_s: 1800,
                max_load: vec![0],
                ..Default::default()
            }],
            ..Default::default()
        }],
        shipments: vec![
            pb::Shipment {
                id: "eggs".into(),
                pickup: Some(stop("farm1")),
                delivery: Some(stop("shop1")),
                amount: vec![5],
                ..Default::default()
            },
            pb::Shipment {
                id: "cheese".into(),
                pickup: Some(stop("farm2")),
                delivery: Some(stop("shop2")),
                amount: vec![5],
                ..Default::default()
            },
        ],
        options: Some(quick_options(200)),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_break_with_max_load_is_taken_where_the_van_is_empty() {
    let request = collection_with_an_empty_van_break();
    let response = solve(&request).await;
    assert_feasible(&request, &response);
    assert!(response.unassigned.is_empty(), "{:?}", response.unassigned);
    let breaks = break_steps(&response);
    assert_eq!(breaks.len(), 1, "{:?}", response.tours);
    assert_eq!(breaks[0].load, [0]);
    assert!((10 * 3600..=12 * 3600).contains(&breaks[0].service_start_s));
    // Taken right after the first pickup instead, with the eggs on board, it is refused.
    let loaded = findings_after(&request, &response, |steps| {
        let rest = steps.remove(position_of_break(steps));
        let pickup = steps
            .iter()
            .position(|s| s.kind == tournee::domain::StepKind::Pickup)
            .unwrap();
        steps.insert(pickup + 1, rest);
    });
    assert!(
        loaded.iter().any(|f| f.rule.contains("above its max_load")),
        "{loaded:?}"
    );
}

#[tokio::test]
async fn an_unsatisfiable_break_leaves_the_vehicle_unused_and_says_why() {
    // The break must start before 01:00; the shift starts at 08:00.
    let request = day_of_deliveries(vec![pb::Break {
        id: "too-early".into(),
        windows: vec![window(0, 3600)],
        duration_s: 600,
        ..Default::default()
    }]);
    let response = solve(&request).await;
    assert_feasible(&request, &response);
    assert!(response.tours.is_empty(), "{:?}", response.tours);
    assert_eq!(response.unassigned.len(), 6);
    for entry in &response.unassigned {
        assert_eq!(
            entry.reason,
            pb::UnassignedReason::Breaks as i32,
            "{entry:?}"
        );
        assert!(entry.message.contains("break"), "{entry:?}");
    }
}

#[tokio::test]
async fn bad_breaks_are_invalid_arguments_naming_their_fields() {
    let mut request = day_of_deliveries(vec![
        lunch(),
        pb::Break {
            id: "lunch".into(),
            windows: vec![window(HALF_PAST_ONE, HALF_PAST_ELEVEN)],
            duration_s: -5,
            max_load: vec![1, 2],
            ..Default::default()
        },
    ]);
    request.options = Some(quick_options(1));
    let server = start_server().await;
    let status = server
        .client()
        .await
        .solve(request.clone())
        .await
        .expect_err("invalid");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let message = status.message();
    let error = tournee::validate::problem(&request).unwrap_err();
    let fields: Vec<(&str, &str)> = error
        .0
        .iter()
        .map(|v| (v.field.as_str(), v.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("vehicles[0].breaks[1].id", "duplicate_id"),
            ("vehicles[0].breaks[1].max_load", "dimension_mismatch"),
            ("vehicles[0].breaks[1].windows[0]", "window_order"),
            ("vehicles[0].breaks[1].duration_s", "negative"),
        ]
    );
    assert!(message.contains("vehicles[0].breaks[1]"), "{message}");
}

/// VROOM input on a matrix: a van from 08:00 to 18:00 and five jobs, one an hour from
/// 09:00; its driver's 45-minute lunch must start between 11:30 and 13:30.
fn vroom_with_a_lunch_break() -> Value {
    let durations: Vec<Vec<i64>> = (0..6)
        .map(|a: i64| (0..6).map(|b: i64| 600 * (a - b).abs()).collect())
        .collect();
    let jobs: Vec<Value> = (1..6)
        .map(|i: i64| {
            let opens_s = (8 + i) * 3600;
            json!({"id": i, "location_index": i, "service": 1200,
                   "time_windows": [[opens_s, opens_s + 3600]]})
        })
        .collect();
    json!({
        "vehicles": [{
            "id": 1, "start_index": 0, "end_index": 0, "time_window": [EIGHT, SIX_PM],
            "breaks": [{"id": 7, "time_windows": [[HALF_PAST_ELEVEN, HALF_PAST_ONE]],
                        "service": 2700, "description": "lunch"}]
        }],
        "jobs": jobs,
        "matrices": {"car": {"durations": durations}}
    })
}

#[test]
fn tournee_vroom_reads_breaks_and_writes_a_break_step() {
    let input = vroom_with_a_lunch_break();
    let directory = std::env::temp_dir().join(format!("tournee-breaks-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("input.json");
    std::fs::write(&path, input.to_string()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["vroom", "-i", path.to_str().unwrap()])
        .args(["-t", "1", "-x", "0", "-l", "3600"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&directory).unwrap();
    assert!(output.status.success(), "{output:?}");
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["code"], 0, "{answer}");
    let routes = answer["routes"].as_array().unwrap();
    assert!(!routes.is_empty(), "{answer}");
    for route in routes {
        let breaks: Vec<&Value> = route["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|step| step["type"] == "break")
            .collect();
        assert_eq!(breaks.len(), 1, "{route}");
        let lunch = breaks[0];
        assert_eq!(lunch["id"], 7);
        assert_eq!(lunch["description"], "lunch");
        assert_eq!(lunch["service"], 2700);
        let start = lunch["arrival"].as_i64().unwrap() + lunch["waiting_time"].as_i64().unwrap();
        assert!(
            (HALF_PAST_ELEVEN..=HALF_PAST_ONE).contains(&start),
            "{lunch}"
        );
    }
    assert_eq!(answer["summary"]["unassigned"], 0, "{answer}");
    // The same input solved by the library passes the checker.
    let mut request = tournee::vroom::parse_vroom(&input.to_string()).unwrap();
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    request.options = Some(quick_options(200));
    let solved = tournee::pipeline::solve(&request, &budget, &|_| {}).unwrap();
    let checked = tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution);
    assert!(checked.is_ok(), "{checked:?}");
}
