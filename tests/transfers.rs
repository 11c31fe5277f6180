//! Transfers at a hub end to end over gRPC and the command line: two vans based at
//! opposite ends of a 50 km line swap their farms' goods at a central hub, which
//! neither could deliver direct within its range, while a long-range van would carry
//! them direct at a day's fixed cost and five times the price per km; transfers forbidden plan that van
//! direct; the checker rejects a plan whose second leg leaves the hub before the first
//! arrives; bad transfer fields are INVALID_ARGUMENT naming the field, and one line
//! on the command line; the HTTP/JSON door takes and answers the same, as its OpenAPI
//! document says. Every plan goes through the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/http.rs"]
mod http;

use common::{
    assert_feasible, quick_options, site_at as site, solve_checked as solve, start_server,
};
use tonic_types::StatusExt;
use tournee::pb;

/// 08:00 in seconds from midnight: every shift starts then.
const EIGHT: i64 = 8 * 3600;
/// About 25 km of longitude at 45° north.
const SPOKE_DEG: f64 = 0.3175;

fn window(start_s: i64, end_s: i64) -> pb::TimeWindow {
    pb::TimeWindow {
        start_s,
        end_s,
        ..Default::default()
    }
}

fn van(
    id: &str,
    depot: &str,
    (fixed, per_km): (f64, f64),
    max_distance_m: Option<i64>,
) -> pb::Vehicle {
    pb::Vehicle {
        id: id.into(),
        start_site_id: depot.into(),
        end_site_id: depot.into(),
        capacity: vec![10],
        shift: Some(window(EIGHT, EIGHT + 10 * 3600)),
        max_distance_m,
        costs: Some(pb::VehicleCosts {
            fixed,
            per_km,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn shipment(id: &str, from: &str, to: &str) -> pb::Shipment {
    let stop = |site_id: &str| pb::TaskStop {
        site_id: site_id.into(),
        service_s: Some(300),
        ..Default::default()
    };
    pb::Shipment {
        id: id.into(),
        pickup: Some(stop(from)),
        delivery: Some(stop(to)),
        amount: vec![1],
        allow_transfer: true,
        ..Default::default()
    }
}

/// West and east depots 25 km either side of the hub, each with two farms and two
/// pickup points near it; the west farms ship east and the east farms west. The local
/// vans' range (80 km) rules out crossing and coming back (130 road-km and more); the
/// long-range van at the hub may, at 300 a day and 5 per km.
fn crossing() -> pb::SolveRequest {
    let (lat, lon) = (45.0, 5.0);
    let sites = vec![
        site("hub", lat, lon),
        site("west", lat, lon - SPOKE_DEG),
        site("farm-w1", lat + 0.01, lon - SPOKE_DEG),
        site("farm-w2", lat - 0.01, lon - SPOKE_DEG),
        site("point-w1", lat + 0.02, lon - SPOKE_DEG),
        site("point-w2", lat - 0.02, lon - SPOKE_DEG),
        site("east", lat, lon + SPOKE_DEG),
        site("farm-e1", lat + 0.01, lon + SPOKE_DEG),
        site("farm-e2", lat - 0.01, lon + SPOKE_DEG),
        site("point-e1", lat + 0.02, lon + SPOKE_DEG),
        site("point-e2", lat - 0.02, lon + SPOKE_DEG),
    ];
    pb::SolveRequest {
        sites,
        vehicles: vec![
            van("van-west", "west", (0.0, 1.0), Some(80_000)),
            van("van-east", "east", (0.0, 1.0), Some(80_000)),
            van("long-range", "hub", (300.0, 5.0), None),
        ],
        shipments: vec![
            shipment("w1", "farm-w1", "point-e1"),
            shipment("w2", "farm-w2", "point-e2"),
            shipment("e1", "farm-e1", "point-w1"),
            shipment("e2", "farm-e2", "point-w2"),
        ],
        transfer_points: vec![pb::TransferPoint {
            site_id: "hub".into(),
            opening_windows: vec![window(EIGHT, EIGHT + 10 * 3600)],
            handling_s: 900,
        }],
        options: Some(quick_options(300)),
        ..Default::default()
    }
}

fn legs(response: &pb::SolveResponse, task_id: &str) -> Vec<(String, i32, i32, String)> {
    response
        .tours
        .iter()
        .flat_map(|tour| tour.steps.iter().map(move |step| (tour, step)))
        .filter(|(_, step)| step.task_id == task_id)
        .map(|(tour, step)| {
            (
                tour.vehicle_id.clone(),
                step.kind,
                step.transfer_leg,
                step.site_id.clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn goods_cross_at_the_hub_when_no_van_may_carry_them_direct_cheaply() {
    let allowed = solve(&crossing()).await;
    assert!(allowed.unassigned.is_empty(), "{allowed:?}");
    let summary = allowed.summary.unwrap();
    assert_eq!(summary.transferred, 4, "{summary:?}");
    let used: Vec<&str> = allowed
        .tours
        .iter()
        .map(|t| t.vehicle_id.as_str())
        .collect();
    assert!(!used.contains(&"long-range"), "{used:?}");
    let w1 = legs(&allowed, "w1");
    let first = pb::TransferLeg::First as i32;
    let second = pb::TransferLeg::Second as i32;
    let delivery = pb::StepKind::Delivery as i32;
    let pickup = pb::StepKind::Pickup as i32;
    assert!(
        w1.contains(&("van-west".into(), pickup, first, "farm-w1".into())),
        "{w1:?}"
    );
    assert!(
        w1.contains(&("van-west".into(), delivery, first, "hub".into())),
        "{w1:?}"
    );
    assert!(
        w1.contains(&("van-east".into(), pickup, second, "hub".into())),
        "{w1:?}"
    );
    assert!(
        w1.contains(&("van-east".into(), delivery, second, "point-e1".into())),
        "{w1:?}"
    );

    let mut forbidden = crossing();
    forbidden.transfer_points.clear();
    let direct = solve(&forbidden).await;
    assert!(direct.unassigned.is_empty(), "{direct:?}");
    assert_eq!(direct.summary.as_ref().unwrap().transferred, 0);
    assert!(direct.tours.iter().any(|t| t.vehicle_id == "long-range"));
    let steps = direct.tours.iter().flat_map(|t| &t.steps);
    assert!(steps.clone().all(|s| s.transfer_leg == 0));
    assert!(summary.cost < direct.summary.unwrap().cost, "{summary:?}");

    // Shipments that do not allow it are not transferred, whatever the hub.
    let mut opted_out = crossing();
    for shipment in &mut opted_out.shipments {
        shipment.allow_transfer = false;
    }
    let opted_out = solve(&opted_out).await;
    assert_eq!(opted_out.summary.unwrap().transferred, 0);
}

#[tokio::test]
async fn the_checker_rejects_a_second_leg_that_leaves_before_the_first_arrives() {
    let request = crossing();
    let response = solve(&request).await;
    let problem = tournee::validate::problem(&request).unwrap();
    let (matrices, _) = tournee::travel::matrices(&problem, &Default::default()).unwrap();
    let solution = tournee::api::decode::solution(&problem, &response).unwrap();
    assert!(tournee::checker::check(&problem, &matrices, &solution).is_ok());

    // The same plan with a handling time longer than the day: every second leg is early.
    let mut slow = problem.clone();
    slow.transfer_points[0].handling_s = 24 * 3600;
    let findings = tournee::checker::check(&slow, &matrices, &solution).unwrap_err();
    assert!(
        findings
            .iter()
            .any(|f| f.rule.contains("before the drop's end")),
        "{findings:?}"
    );

    // The legs swapped on one shipment: the hub's drop now belongs to the second leg.
    let mut swapped = solution.clone();
    let w1 = problem.tasks.iter().position(|t| t.id == "w1").unwrap();
    for step in swapped.tours.iter_mut().flat_map(|t| &mut t.steps) {
        if step.task == Some(w1) {
            step.transfer_leg = match step.transfer_leg {
                Some(tournee::domain::TransferLeg::First) => {
                    Some(tournee::domain::TransferLeg::Second)
                }
                _ => Some(tournee::domain::TransferLeg::First),
            };
        }
    }
    assert!(tournee::checker::check(&problem, &matrices, &swapped).is_err());

    // The second leg moved onto the first leg's tour: a transfer hands the goods over.
    let mut one_van = solution.clone();
    let is_leg = |step: &tournee::domain::TourStep, leg| {
        step.task == Some(w1) && step.transfer_leg == Some(leg)
    };
    let tour_of = |leg| {
        one_van
            .tours
            .iter()
            .position(|t| t.steps.iter().any(|s| is_leg(s, leg)))
            .unwrap()
    };
    let (first, second) = (
        tour_of(tournee::domain::TransferLeg::First),
        tour_of(tournee::domain::TransferLeg::Second),
    );
    assert_ne!(first, second, "the plan puts the legs on two vans");
    let moved: Vec<_> = one_van.tours[second]
        .steps
        .iter()
        .filter(|s| is_leg(s, tournee::domain::TransferLeg::Second))
        .cloned()
        .collect();
    one_van.tours[second]
        .steps
        .retain(|s| !is_leg(s, tournee::domain::TransferLeg::Second));
    let end = one_van.tours[first].steps.len() - 1;
    one_van.tours[first].steps.splice(end..end, moved);
    let findings = tournee::checker::check(&problem, &matrices, &one_van).unwrap_err();
    assert!(
        findings
            .iter()
            .any(|f| f.rule.contains("both legs ride one tour")),
        "{findings:?}"
    );

    // A shipment that does not allow transfers cannot be transferred.
    let mut strict = problem.clone();
    strict.tasks[w1].allow_transfer = false;
    let findings = tournee::checker::check(&strict, &matrices, &solution).unwrap_err();
    assert!(
        findings.iter().any(|f| f.place == "task[w1]"),
        "{findings:?}"
    );
}

#[tokio::test]
async fn bad_transfer_fields_name_the_field() {
    type Breaker = fn(&mut pb::SolveRequest);
    let cases: Vec<(Breaker, &str)> = vec![
        (
            |r| r.transfer_points[0].site_id = "nowhere".into(),
            "transfer_points[0].site_id",
        ),
        (
            |r| r.transfer_points[0].handling_s = -1,
            "transfer_points[0].handling_s",
        ),
        (
            |r| r.transfer_points[0].opening_windows[0].end_s = 0,
            "transfer_points[0].opening_windows[0]",
        ),
        (
            |r| r.options.as_mut().unwrap().plan_only = true,
            "options.plan_only",
        ),
    ];
    let server = start_server().await;
    let mut client = server.client().await;
    for (breaker, field) in cases {
        let mut request = crossing();
        breaker(&mut request);
        let status = client.solve(request).await.expect_err(field);
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{field}");
        let bad_request = status.get_details_bad_request().expect("BadRequest");
        assert!(
            bad_request
                .field_violations
                .iter()
                .any(|v| v.field == field),
            "{field} not in {:?}",
            bad_request.field_violations
        );
    }
}

fn write_request(request: &pb::SolveRequest, name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("tournee-{name}-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(request).unwrap()).unwrap();
    path
}

#[test]
fn the_command_line_plans_transfers_and_names_a_bad_field() {
    let path = write_request(&crossing(), "transfers");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", path.to_str().unwrap()])
        .output()
        .expect("runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(answer["summary"]["transferred"], 4, "{answer}");
    let legs = answer["tours"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["steps"].as_array().unwrap());
    assert!(
        legs.clone()
            .any(|s| s["transferLeg"] == "TRANSFER_LEG_SECOND")
    );

    let mut bad = crossing();
    bad.transfer_points[0].handling_s = -5;
    let path = write_request(&bad, "transfers-bad");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["solve", path.to_str().unwrap()])
        .output()
        .expect("runs");
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert!(
        message.contains("transfer_points[0].handling_s"),
        "{message}"
    );
}

#[tokio::test]
async fn the_http_door_plans_transfers_as_its_openapi_document_says() {
    let server = http::start_http(tournee::server::ServerConfig::default()).await;
    let document = http::openapi(&server).await;
    let request = crossing();
    let body = serde_json::to_value(&request).unwrap();
    http::assert_matches(&document, "SolveRequest", &body);
    let sent = server
        .post("/v1/solve", body.to_string())
        .header("x-request-timeout-ms", "3600000");
    let (status, _, answer) = http::answer(sent.send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
    http::assert_matches(&document, "SolveResponse", &answer);
    assert_eq!(answer["summary"]["transferred"], 4, "{answer}");
    let response: pb::SolveResponse = serde_json::from_value(answer).unwrap();
    assert_feasible(&request, &response);
}
