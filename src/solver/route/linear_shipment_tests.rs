//! The segment arithmetic of [`super`] against brute force: on random small rounds
//! (windows, setups at shared farms, tight capacities, with and without costs per
//! hour), every pickup position's cheapest placement from [`super::shipment`] is the
//! one full simulation of every (pickup, delivery) pair finds, objective and position.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use super::{exact, shipment};
use crate::budget::Budget;
use crate::pb;
use crate::solver::instance::Instance;
use crate::solver::route::evaluate::{Scratch, evaluate};
use crate::solver::route::fast_insertion::{Placement, supports};
use crate::solver::state::State;
use crate::solver::warm_start::WarmStart;

/// A small deterministic generator, so that a failing seed reproduces.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n) as i64
    }
}

fn site(id: String, rng: &mut Lcg) -> pb::Site {
    pb::Site {
        id,
        location: Some(pb::Location {
            kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
                lat_deg: 47.0 + rng.below(1000) as f64 / 5000.0,
                lon_deg: 9.4 + rng.below(1000) as f64 / 5000.0,
            })),
        }),
        service_s: 60 * rng.below(4),
        setup_s: 60 * rng.below(3),
        ..Default::default()
    }
}

/// A round of `shipments` between 4 farms and 6 points, one or two vans.
fn round(seed: u64, shipments: usize, distance: bool) -> pb::SolveRequest {
    let mut rng = Lcg(seed);
    let mut sites: Vec<pb::Site> = vec![site("hub".into(), &mut rng)];
    sites.extend((0..4).map(|i| site(format!("farm-{i}"), &mut rng)));
    sites.extend((0..6).map(|i| site(format!("point-{i}"), &mut rng)));
    let window = |rng: &mut Lcg| {
        (rng.below(2) == 0).then(|| {
            let start_s = 6 * 3600 + 900 * rng.below(16);
            pb::TimeWindow {
                start_s,
                end_s: start_s + 900 + 900 * rng.below(4),
                ..Default::default()
            }
        })
    };
    let shipments = (0..shipments)
        .map(|i| pb::Shipment {
            id: format!("s{i}"),
            pickup: Some(pb::TaskStop {
                site_id: format!("farm-{}", rng.below(4)),
                time_windows: window(&mut rng).into_iter().collect(),
                ..Default::default()
            }),
            delivery: Some(pb::TaskStop {
                site_id: format!("point-{}", rng.below(6)),
                time_windows: window(&mut rng).into_iter().collect(),
                ..Default::default()
            }),
            amount: vec![1 + rng.below(4)],
            ..Default::default()
        })
        .collect();
    let per_hour = if distance {
        0.0
    } else {
        7.0 * rng.below(3) as f64
    };
    let vehicles = (0..1 + rng.below(2))
        .map(|i| pb::Vehicle {
            id: format!("van-{i}"),
            start_site_id: "hub".into(),
            end_site_id: "hub".into(),
            capacity: vec![4 + rng.below(8)],
            shift: Some(pb::TimeWindow {
                start_s: 6 * 3600,
                end_s: 14 * 3600,
                ..Default::default()
            }),
            costs: Some(pb::VehicleCosts {
                per_km: 0.37,
                per_hour,
                per_task_hour: if distance { 0.0 } else { 3.0 },
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    pb::SolveRequest {
        sites,
        vehicles,
        shipments,
        options: Some(pb::SolveOptions {
            objective: if distance {
                pb::Objective::Distance as i32
            } else {
                0
            },
            seed: 1,
            threads: 1,
            max_iterations: Some(5),
            time_limit_ms: Some(3_600_000),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Per pickup position, the cheapest placement by simulating every pair (first of
/// equal objectives).
fn brute_force(
    instance: &Instance,
    state: &State,
    vehicle: usize,
    task: usize,
    scratch: &mut Scratch,
) -> Vec<Placement> {
    let route = &state.routes[vehicle];
    let stops = &instance.task_stops[task];
    let mut found = Vec::new();
    for first in 0..=route.len() {
        let mut best: Option<Placement> = None;
        for second in first + 1..=route.len() + 1 {
            let mut sequence = route.clone();
            sequence.insert(first, stops[0]);
            sequence.insert(second, stops[1]);
            if let Ok(figures) = evaluate(instance, vehicle, &sequence, scratch, None) {
                let objective = figures.objective(instance.objective);
                if best.is_none_or(|b| objective < b.objective) {
                    best = Some(Placement {
                        first,
                        second,
                        objective,
                    });
                }
            }
        }
        found.extend(best);
    }
    found
}

/// Compares both on every vehicle and shipment not on that vehicle; returns how many
/// comparisons the fast path was exact for.
fn compare(request: &pb::SolveRequest) -> usize {
    let cancelled = AtomicBool::new(false);
    let solved = crate::pipeline::solve(request, &Budget::new(&cancelled), &|_| {}).unwrap();
    let instance = Instance::new(&solved.problem, &solved.matrices);
    let warm = WarmStart::from_solution(&solved.solution, solved.problem.vehicles.len());
    let mut scratch = Scratch::new(&instance);
    let state = State::from_warm_start(&instance, &warm, &mut scratch);
    let mut compared = 0;
    for vehicle in 0..state.routes.len() {
        let cache = &state.caches[vehicle];
        for task in 0..instance.task_count() {
            let pickup = instance.task_stops[task][0];
            if state.routes[vehicle].contains(&pickup)
                || !supports(&instance, vehicle, cache, task)
                || !exact(&instance, vehicle, cache, pickup)
            {
                continue;
            }
            let mut fast = Vec::new();
            shipment(
                &instance,
                vehicle,
                cache,
                &state.figures[vehicle],
                pickup,
                |placement| {
                    fast.push(placement);
                    true
                },
            );
            let brute = brute_force(&instance, &state, vehicle, task, &mut scratch);
            assert_eq!(fast, brute, "vehicle {vehicle}, task {task}");
            compared += 1;
        }
    }
    compared
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn cheapest_delivery_per_pickup_position_matches_brute_force(
        seed in any::<u64>(),
        shipments in 6usize..24,
        distance in any::<bool>(),
    ) {
        compare(&round(seed, shipments, distance));
    }
}

#[test]
fn compares_placements_on_routes() {
    let compared: usize = (0..8)
        .map(|seed| compare(&round(seed, 12, seed % 2 == 0)))
        .sum();
    assert!(compared > 0, "no route was compared");
}
