//! Several trips per vehicle with reloads at a hub: the API (over a real gRPC server),
//! the solver's trips, the checker's rules and validation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_feasible, quick_options, site_at as site, start_server};
use tournee::pb;

/// A food hub and six shops around it; each shop orders 4 crates and returns 2 empty
/// ones; one van of 10 crates, so at most two shops per trip.
fn request(reload: Option<pb::Reload>) -> pb::SolveRequest {
    let shops = [
        (47.16, 9.50),
        (47.17, 9.53),
        (47.14, 9.56),
        (47.11, 9.54),
        (47.10, 9.49),
        (47.13, 9.46),
    ];
    let mut sites = vec![site("hub", 47.13, 9.51)];
    sites.extend(
        shops
            .iter()
            .enumerate()
            .map(|(i, &(lat, lon))| site(&format!("shop{i}"), lat, lon)),
    );
    pb::SolveRequest {
        sites,
        vehicles: vec![pb::Vehicle {
            id: "van".into(),
            start_site_id: "hub".into(),
            end_site_id: "hub".into(),
            capacity: vec![10],
            costs: Some(pb::VehicleCosts {
                per_km: 0.5,
                per_hour: 20.0,
                ..Default::default()
            }),
            reload,
            ..Default::default()
        }],
        jobs: (0..shops.len())
            .map(|i| pb::Job {
                id: format!("order{i}"),
                stop: Some(pb::TaskStop {
                    site_id: format!("shop{i}"),
                    service_s: Some(300),
                    ..Default::default()
                }),
                delivery: vec![4],
                pickup: vec![2],
                ..Default::default()
            })
            .collect(),
        options: Some(quick_options(300)),
        ..Default::default()
    }
}

fn reload(max_trips: u32) -> Option<pb::Reload> {
    Some(pb::Reload {
        site_id: String::new(),
        duration_s: 900,
        max_trips,
    })
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

fn steps_of(response: &pb::SolveResponse, kind: pb::StepKind) -> Vec<&pb::Step> {
    response
        .tours
        .iter()
        .flat_map(|tour| &tour.steps)
        .filter(|step| step.kind == kind as i32)
        .collect()
}

#[tokio::test]
async fn one_van_serves_every_shop_in_three_trips() {
    let request = request(reload(0));
    let response = solve(&request).await;
    assert!(response.unassigned.is_empty(), "{:?}", response.unassigned);
    assert_eq!(response.tours.len(), 1);
    let reloads = steps_of(&response, pb::StepKind::Reload);
    assert_eq!(reloads.len(), 2, "{:?}", response.tours[0].steps);
    for step in &reloads {
        assert_eq!(step.site_id, "hub");
        assert!(step.task_id.is_empty());
        assert_eq!(step.service_s, 900);
    }
    // Every step's load stays within the 10 crates.
    let steps = &response.tours[0].steps;
    assert!(steps.iter().all(|s| s.load[0] <= 10), "{steps:?}");
    // Leaves with two orders (8 crates), comes back with the empties of the last trip.
    assert_eq!(steps[0].load, [8]);
    assert_eq!(steps.last().unwrap().load, [4]);
    assert_feasible(&request, &response);
}

#[tokio::test]
async fn without_reloads_or_with_too_few_trips_orders_stay_behind() {
    let alone = solve(&request(None)).await;
    assert_eq!(alone.unassigned.len(), 4, "{:?}", alone.unassigned);
    assert!(steps_of(&alone, pb::StepKind::Reload).is_empty());
    assert_feasible(&request(None), &alone);

    let request = request(reload(2));
    let two_trips = solve(&request).await;
    assert_eq!(two_trips.unassigned.len(), 2, "{:?}", two_trips.unassigned);
    assert_eq!(steps_of(&two_trips, pb::StepKind::Reload).len(), 1);
    assert_feasible(&request, &two_trips);
}

fn checker_findings(plan_for: &pb::SolveRequest, checked_against: &pb::SolveRequest) -> String {
    let problem = tournee::validate::problem(checked_against).unwrap();
    let (matrices, _) = tournee::travel::matrices(&problem, &Default::default()).unwrap();
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(plan_for, &budget, &|_| {}).unwrap();
    let findings = tournee::checker::check(&problem, &matrices, &solved.solution)
        .expect_err("the checker rejects the plan");
    format!("{findings:?}")
}

#[test]
fn the_checker_rejects_reloads_the_vehicle_may_not_make() {
    let three_trips = request(reload(0));
    assert!(
        checker_findings(&three_trips, &request(None)).contains("without reloads"),
        "a reload on a vehicle without reloads"
    );
    assert!(checker_findings(&three_trips, &request(reload(2))).contains("3 trips > max 2"));
    // A hub elsewhere: the reload steps are at the wrong site.
    let mut elsewhere = request(reload(0));
    elsewhere.vehicles[0].reload.as_mut().unwrap().site_id = "shop0".into();
    assert!(checker_findings(&three_trips, &elsewhere).contains("hub shop0"));
    // A longer reload: the reported schedule no longer matches.
    let mut slower = request(reload(0));
    slower.vehicles[0].reload.as_mut().unwrap().duration_s = 1800;
    assert!(checker_findings(&three_trips, &slower).contains("recomputed"));
}

#[test]
fn a_closed_hub_delays_the_next_trip() {
    // The hub reopens at 10:00 (36,000 s): the reloads wait for it.
    let mut request = request(reload(0));
    request.sites[0].opening_windows = vec![
        pb::TimeWindow {
            start_s: 0,
            end_s: 1_000,
            ..Default::default()
        },
        pb::TimeWindow {
            start_s: 36_000,
            end_s: 50_000,
            ..Default::default()
        },
    ];
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(&request, &budget, &|_| {}).unwrap();
    let response = tournee::api::encode::response(&solved);
    let reloads = steps_of(&response, pb::StepKind::Reload);
    assert!(!reloads.is_empty());
    assert!(
        reloads.iter().all(|s| s.service_start_s >= 36_000),
        "{reloads:?}"
    );
    // The van leaves late enough to reach the hub as it reopens rather than wait there.
    let tour = &response.tours[0];
    assert!(tour.steps[0].departure_s > 20_000, "{:?}", tour.steps);
    assert_eq!(reloads[0].waiting_s, 0);
    assert_feasible(&request, &response);
}

#[test]
fn bad_reloads_are_errors_naming_the_field() {
    let mut one_trip = request(reload(1));
    one_trip.vehicles[0].reload.as_mut().unwrap().duration_s = -5;
    let violations = tournee::validate::problem(&one_trip).expect_err("rejected");
    let mut fields: Vec<&str> = violations.0.iter().map(|v| v.field.as_str()).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "vehicles[0].reload.duration_s",
            "vehicles[0].reload.max_trips"
        ]
    );

    let mut unknown = request(reload(0));
    unknown.vehicles[0].reload.as_mut().unwrap().site_id = "nowhere".into();
    let violations = tournee::validate::problem(&unknown).expect_err("rejected");
    assert_eq!(violations.0[0].field, "vehicles[0].reload.site_id");

    let mut no_start = request(reload(0));
    no_start.vehicles[0].start_site_id.clear();
    let violations = tournee::validate::problem(&no_start).expect_err("rejected");
    assert_eq!(violations.0[0].field, "vehicles[0].reload.site_id");
}

#[test]
fn the_cli_reports_the_reloads_in_both_formats() {
    let path = std::env::temp_dir().join(format!("tournee-reloads-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&request(reload(0))).unwrap()).unwrap();
    let run = |format: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(["solve", path.to_str().unwrap(), "--output-format", format])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let native = run("native");
    let vroom = run("vroom");
    let _ = std::fs::remove_file(&path);
    let kinds = |steps: &serde_json::Value, field: &str, reload: &str| {
        steps
            .as_array()
            .unwrap()
            .iter()
            .filter(|step| step[field] == reload)
            .count()
    };
    assert_eq!(
        kinds(&native["tours"][0]["steps"], "kind", "STEP_KIND_RELOAD"),
        2
    );
    assert_eq!(kinds(&vroom["routes"][0]["steps"], "type", "reload"), 2);
}
