//! Goods that must not share a vehicle (raw meat and ready-to-eat food), or only not its
//! load at the same moment: the API, the solver, the checker and validation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::AtomicBool;

use common::site_at as site;
use tournee::pb;
use tournee::pipeline::{self, Solved};

fn shipment(id: &str, goods_kind: &str) -> pb::Shipment {
    pb::Shipment {
        id: id.into(),
        pickup: Some(pb::TaskStop {
            site_id: "farm".into(),
            ..Default::default()
        }),
        delivery: Some(pb::TaskStop {
            site_id: "shop".into(),
            ..Default::default()
        }),
        amount: vec![1],
        goods_kind: goods_kind.into(),
        ..Default::default()
    }
}

/// A butcher's farm and a shop 10 km away; meat, a ready meal and bread to move;
/// `vans` vans with a fixed cost, so that one van would do it all if allowed.
fn request(vans: usize, incompatible: bool) -> pb::SolveRequest {
    let rule = incompatible.then_some(pb::GoodsRule::NotInSameVehicle);
    request_with(vans, rule)
}

/// [`request`] with meat and the meal kept apart by `rule`, if any.
fn request_with(vans: usize, rule: Option<pb::GoodsRule>) -> pb::SolveRequest {
    pb::SolveRequest {
        sites: vec![site("farm", 47.10, 9.50), site("shop", 47.19, 9.50)],
        vehicles: (0..vans)
            .map(|v| pb::Vehicle {
                id: format!("van{v}"),
                start_site_id: "farm".into(),
                end_site_id: "farm".into(),
                capacity: vec![10],
                costs: Some(pb::VehicleCosts {
                    fixed: 50.0,
                    per_km: 0.5,
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect(),
        shipments: vec![
            shipment("meat", "raw_meat"),
            shipment("meal", "ready_to_eat"),
            shipment("bread", ""),
        ],
        incompatible_goods: rule
            .map(|rule| pb::IncompatibleGoods {
                first: "ready_to_eat".into(),
                second: "raw_meat".into(),
                rule: rule as i32,
            })
            .into_iter()
            .collect(),
        options: Some(common::quick_options(200)),
        ..Default::default()
    }
}

fn solve(request: &pb::SolveRequest) -> Solved {
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    pipeline::solve(request, &budget, &|_| {}).expect("solves")
}

fn tour_tasks(solved: &Solved) -> Vec<Vec<String>> {
    let response = tournee::api::encode::response(solved);
    response
        .tours
        .iter()
        .map(|tour| {
            let mut ids: Vec<String> = tour
                .steps
                .iter()
                .filter(|s| !s.task_id.is_empty())
                .map(|s| s.task_id.clone())
                .collect();
            ids.sort();
            ids.dedup();
            ids
        })
        .collect()
}

#[test]
fn incompatible_goods_travel_in_different_vans() {
    // Allowed together, one van carries all three (one fixed cost).
    let together = solve(&request(2, false));
    assert_eq!(tour_tasks(&together).len(), 1);

    let request = request(2, true);
    let apart = solve(&request);
    let tours = tour_tasks(&apart);
    assert_eq!(tours.len(), 2, "{tours:?}");
    for tour in &tours {
        assert!(
            !(tour.contains(&"meat".to_string()) && tour.contains(&"meal".to_string())),
            "{tours:?}"
        );
    }
    assert!(apart.solution.unassigned.is_empty());
    common::assert_feasible(&request, &tournee::api::encode::response(&apart));
}

#[test]
fn with_one_van_one_of_them_stays_behind_with_its_reason() {
    let request = request(1, true);
    let solved = solve(&request);
    let response = tournee::api::encode::response(&solved);
    assert_eq!(response.unassigned.len(), 1);
    let left = &response.unassigned[0];
    assert!(left.task_id == "meat" || left.task_id == "meal", "{left:?}");
    assert_eq!(left.reason, pb::UnassignedReason::IncompatibleGoods as i32);
    common::assert_feasible(&request, &response);
}

#[test]
fn goods_kept_apart_on_board_share_the_van_one_after_the_other() {
    let request = request_with(1, Some(pb::GoodsRule::NotOnBoardTogether));
    let solved = solve(&request);
    let response = tournee::api::encode::response(&solved);
    assert!(response.unassigned.is_empty(), "{:?}", response.unassigned);
    assert_eq!(response.tours.len(), 1);
    // Meat and meal never ride together: one is delivered before the other is loaded.
    let steps: Vec<(&str, i32)> = response.tours[0]
        .steps
        .iter()
        .filter(|s| s.task_id == "meat" || s.task_id == "meal")
        .map(|s| (s.task_id.as_str(), s.kind))
        .collect();
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[0].0, steps[1].0, "{steps:?}");
    common::assert_feasible(&request, &response);
}

#[test]
fn the_checker_rejects_a_load_that_mixes_goods_kept_apart_on_board() {
    // Without the rule one van loads all three at the farm at once.
    let mixed = solve(&request(1, false));
    let strict =
        tournee::validate::problem(&request_with(1, Some(pb::GoodsRule::NotOnBoardTogether)))
            .unwrap();
    let (matrices, _) = tournee::travel::matrices(&strict, &Default::default()).unwrap();
    let findings = tournee::checker::check(&strict, &matrices, &mixed.solution)
        .expect_err("meat and meal on board together are rejected");
    assert!(
        format!("{findings:?}").contains("on board together"),
        "{findings:?}"
    );
}

#[test]
fn the_checker_rejects_a_tour_that_mixes_them() {
    // The plan made without the rule puts everything in one van: check it against the
    // problem with the rule.
    let mixed = solve(&request(2, false));
    let strict = tournee::validate::problem(&request(2, true)).unwrap();
    let (matrices, _) = tournee::travel::matrices(&strict, &Default::default()).unwrap();
    let findings = tournee::checker::check(&strict, &matrices, &mixed.solution)
        .expect_err("mixed goods are rejected");
    assert!(
        format!("{findings:?}").contains("must not share a vehicle"),
        "{findings:?}"
    );
}

#[test]
fn a_pair_naming_no_task_is_an_error_naming_the_field() {
    let mut request = request(2, true);
    request.incompatible_goods[0].second = "raw meat".into();
    let violations = tournee::validate::problem(&request).expect_err("rejected");
    let fields: Vec<&str> = violations.0.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["incompatible_goods[0].second"]);
}
