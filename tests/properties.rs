//! Property tests: random small problems → answers the checker accepts; the same seed
//! and thread count → the same answer; any numbers in a request → a clean answer or
//! violations, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;
use tournee::pb;
use tournee::pipeline;

fn location(lat: f64, lon: f64) -> Option<pb::Location> {
    Some(pb::Location {
        kind: Some(pb::location::Kind::Coordinates(pb::Coordinates {
            lat_deg: lat,
            lon_deg: lon,
        })),
    })
}

fn window(start_s: i64, length_s: i64) -> pb::TimeWindow {
    pb::TimeWindow {
        start_s,
        end_s: start_s + length_s,
    }
}

prop_compose! {
    fn arbitrary_site(index: usize)(lat in 47.05f64..47.25, lon in 9.47f64..9.62,
        windows in prop::collection::vec((0i64..40_000, 600i64..30_000), 0..3),
        setup_s in 0i64..300, service_s in 0i64..600) -> pb::Site {
        pb::Site {
            id: format!("site-{index}"),
            location: location(lat, lon),
            opening_windows: windows.into_iter().map(|(s, l)| window(s, l)).collect(),
            setup_s,
            service_s,
            ..Default::default()
        }
    }
}

/// A driver's breaks for some vans (a quarter of them, by `draw`): one in a window of
/// the shift, with a load limit now and then, and sometimes a short one at any time.
fn breaks(draw: u64, shift_start: i64, capacity: i64) -> Vec<pb::Break> {
    if draw % 4 != 2 {
        return Vec::new();
    }
    let opens_s = shift_start + (draw * 7_919 % 30_000) as i64;
    let mut breaks = vec![pb::Break {
        id: "lunch".into(),
        windows: vec![window(opens_s, 1_800 + (draw * 131 % 20_000) as i64)],
        duration_s: (draw / 4 % 4) as i64 * 900,
        max_load: if draw.is_multiple_of(5) {
            vec![capacity / 2, 0]
        } else {
            Vec::new()
        },
        ..Default::default()
    }];
    if draw / 4 % 3 == 1 {
        breaks.push(pb::Break {
            id: "pause".into(),
            duration_s: 300,
            ..Default::default()
        });
    }
    breaks
}

prop_compose! {
    fn arbitrary_problem()(site_count in 2usize..7)(
        sites in (0..site_count).map(arbitrary_site).collect::<Vec<_>>(),
        vehicles in prop::collection::vec((0..site_count, 0..site_count + 1, 3i64..20, 0i64..6, any::<bool>(), 0i64..20_000, prop::option::of(3u32..8), prop::option::of(3_600i64..30_000)), 1..4),
        shipments in prop::collection::vec((0..site_count, 0..site_count, 1i64..8, 0i64..3, any::<bool>(), prop::option::of(600i64..7_200), 0u32..3), 0..8),
        jobs in prop::collection::vec((0..site_count, 0i64..5, 0i64..5, any::<bool>()), 0..5),
        seed in 0u64..1000,
        objective in 0i32..5,
        max_distance in prop::option::of(5_000i64..60_000),
    ) -> pb::SolveRequest {
        let site_count = sites.len();
        let site_id = |i: usize| format!("site-{i}");
        let vehicles = vehicles.into_iter().enumerate().map(|(index, (start, end, cap0, cap1, cold, shift_start, max_stops, max_work))| pb::Vehicle {
            id: format!("van-{index}"),
            start_site_id: site_id(start),
            // One past the last site means an open end.
            end_site_id: if end == site_count { String::new() } else { site_id(end) },
            capacity: vec![cap0, cap1],
            skills: if cold { vec!["cold".into()] } else { Vec::new() },
            shift: Some(window(shift_start, 50_000)),
            max_stops,
            max_working_time_s: max_work,
            max_distance_m: max_distance,
            costs: Some(pb::VehicleCosts { fixed: 5.0, per_hour: 20.0, per_km: 0.3, per_task_hour: 0.0 }),
            // A third of the vans may reload at their start site between trips.
            reload: (index as u64 + seed).is_multiple_of(3).then(|| pb::Reload {
                site_id: String::new(),
                duration_s: (seed % 7) as i64 * 100,
                max_trips: [0, 2, 3][(seed % 3) as usize],
            }),
            breaks: breaks(index as u64 + seed, shift_start, cap0),
            ..Default::default()
        }).collect();
        let shipments = shipments.into_iter().enumerate().map(|(index, (from, to, a0, a1, cold, on_board, priority))| pb::Shipment {
            id: format!("shipment-{index}"),
            pickup: Some(pb::TaskStop { site_id: site_id(from), ..Default::default() }),
            delivery: Some(pb::TaskStop { site_id: site_id(to), ..Default::default() }),
            amount: vec![a0, a1],
            skills: if cold { vec!["cold".into()] } else { Vec::new() },
            max_time_on_board_s: on_board,
            priority,
            goods_kind: ["", "meat", "meal"][index % 3].into(),
            ..Default::default()
        }).collect::<Vec<_>>();
        // Half the problems keep meat and ready meals apart (when both occur): a quarter
        // in different tours, a quarter never on board together.
        let incompatible_goods = if seed % 2 == 1 && shipments.len() >= 3 {
            let rule = if seed % 4 == 3 { pb::GoodsRule::NotOnBoardTogether } else { pb::GoodsRule::NotInSameVehicle };
            vec![pb::IncompatibleGoods { first: "meat".into(), second: "meal".into(), rule: rule as i32 }]
        } else {
            Vec::new()
        };
        let jobs = jobs.into_iter().enumerate().map(|(index, (at, delivery, pickup, cold))| pb::Job {
            id: format!("job-{index}"),
            stop: Some(pb::TaskStop { site_id: site_id(at), ..Default::default() }),
            delivery: vec![delivery, 0],
            pickup: vec![0, pickup],
            skills: if cold { vec!["cold".into()] } else { Vec::new() },
            goods_kind: ["", "meal", "meat"][index % 3].into(),
            ..Default::default()
        }).collect();
        let mut request = pb::SolveRequest {
            sites,
            vehicles,
            shipments,
            jobs,
            incompatible_goods,
            options: Some(pb::SolveOptions { seed, objective, threads: 1, max_iterations: Some(40), time_limit_ms: Some(3_600_000), geometry: false, effort: None, balance_per_hour: if seed % 3 == 2 { 40.0 } else { 0.0 } }),
            ..Default::default()
        };
        // A fifth of the problems travel on supplied matrices with a cost matrix
        // (VROOM's `costs`), whose cells owe nothing to the durations.
        if seed % 5 == 4 {
            with_cost_matrix(&mut request, seed);
        }
        request
    }
}

/// Moves `request` onto supplied matrices (durations and distances from the sites'
/// coordinates, costs drawn from `seed`) and prices its vehicles by the cost matrix.
fn with_cost_matrix(request: &mut pb::SolveRequest, seed: u64) {
    let degrees: Vec<(f64, f64)> = request
        .sites
        .iter()
        .map(|site| match site.location.as_ref().and_then(|l| l.kind) {
            Some(pb::location::Kind::Coordinates(point)) => (point.lat_deg, point.lon_deg),
            _ => (0.0, 0.0),
        })
        .collect();
    let row = |values: Vec<i64>| pb::MatrixRow { values };
    let table = |cell: &dyn Fn(usize, usize) -> i64| {
        (0..degrees.len())
            .map(|i| row((0..degrees.len()).map(|j| cell(i, j)).collect()))
            .collect::<Vec<_>>()
    };
    let duration = |i: usize, j: usize| {
        ((degrees[i].0 - degrees[j].0).abs() + (degrees[i].1 - degrees[j].1).abs()) * 20_000.0
    };
    let matrices = pb::ProfileMatrices {
        profile: String::new(),
        durations_s: table(&|i, j| duration(i, j).round() as i64),
        distances_m: table(&|i, j| (duration(i, j) * 12.0).round() as i64),
        costs: table(&|i, j| {
            if i == j {
                0
            } else {
                ((i as u64 * 7 + j as u64 * 13 + seed) % 50) as i64
            }
        }),
    };
    for (index, site) in request.sites.iter_mut().enumerate() {
        site.location = Some(pb::Location {
            kind: Some(pb::location::Kind::MatrixIndex(index as u32)),
        });
    }
    for vehicle in &mut request.vehicles {
        vehicle.costs = Some(pb::VehicleCosts {
            fixed: 5.0,
            ..Default::default()
        });
    }
    request.travel = Some(pb::TravelOptions {
        source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![matrices],
        })),
    });
}

fn solve(request: &pb::SolveRequest) -> pipeline::Solved {
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    pipeline::solve(request, &budget, &|_| {}).expect("valid by construction")
}

proptest! {
    // 64 cases by default; PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn answers_pass_the_checker(request in arbitrary_problem()) {
        let solved = solve(&request);
        let checked = tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution);
        prop_assert!(checked.is_ok(), "{:?}", checked);
        // Every task is either served or unassigned with a reason, exactly once.
        let served: usize = solved.solution.tours.iter().map(|t| t.steps.iter().filter(|s| s.task.is_some()).count()).sum();
        let shipment_stops = 2 * request.shipments.len() + request.jobs.len();
        let unassigned_stops: usize = solved.solution.unassigned.iter().map(|u| if u.task < request.shipments.len() { 2 } else { 1 }).sum();
        prop_assert_eq!(served + unassigned_stops, shipment_stops);
    }

    #[test]
    fn every_local_search_operator_keeps_the_plan_feasible(request in arbitrary_problem()) {
        let solved = solve(&request);
        let bench = tournee::solver::OperatorBench::new(&solved.problem, &solved.matrices);
        let start = bench.start_score();
        for operator in tournee::solver::Operator::ALL {
            let solution = bench.solution_after(operator);
            let checked = tournee::checker::check(&solved.problem, &solved.matrices, &solution);
            prop_assert!(checked.is_ok(), "{:?}: {:?}", operator, checked);
            prop_assert!(bench.pass(operator) <= start, "{:?} made the plan worse", operator);
        }
    }

    #[test]
    fn same_seed_and_threads_give_the_same_answer(request in arbitrary_problem()) {
        let mut request = request;
        if let Some(options) = request.options.as_mut() { options.threads = 2; }
        let first = tournee::api::encode::response(&solve(&request));
        let second = tournee::api::encode::response(&solve(&request));
        prop_assert_eq!(&first.tours, &second.tours);
        prop_assert_eq!(&first.unassigned, &second.unassigned);
        prop_assert_eq!(first.summary, second.summary);
    }

    #[test]
    fn any_numbers_give_an_answer_or_violations(
        lat in prop::num::f64::ANY, lon in prop::num::f64::ANY,
        start in any::<i64>(), end in any::<i64>(), service in any::<i64>(),
        amount in any::<i64>(), capacity in any::<i64>(), limit in any::<u64>(),
        speed in prop::num::f64::ANY, cost in prop::num::f64::ANY, index in any::<u32>(),
    ) {
        let mut request = pb::SolveRequest {
            sites: vec![
                pb::Site { id: "a".into(), location: location(lat, lon), opening_windows: vec![pb::TimeWindow { start_s: start, end_s: end }], service_s: service, ..Default::default() },
                pb::Site { id: "b".into(), location: location(47.1, 9.5), ..Default::default() },
            ],
            vehicles: vec![pb::Vehicle { id: "v".into(), start_site_id: "a".into(), capacity: vec![capacity], speed_factor: speed,
                costs: Some(pb::VehicleCosts { fixed: cost, per_hour: cost, per_km: 1.0, per_task_hour: 0.0 }), max_working_time_s: Some(service), ..Default::default() }],
            shipments: vec![pb::Shipment { id: "s".into(), pickup: Some(pb::TaskStop { site_id: "a".into(), ..Default::default() }),
                delivery: Some(pb::TaskStop { site_id: "b".into(), service_s: Some(end), ..Default::default() }), amount: vec![amount], ..Default::default() }],
            options: Some(pb::SolveOptions { time_limit_ms: Some(limit), max_iterations: Some(5), threads: 1, ..Default::default() }),
            ..Default::default()
        };
        let cancelled = AtomicBool::new(false);
        let budget = tournee::budget::Budget::new(&cancelled);
        match pipeline::solve(&request, &budget, &|_| {}) {
            Ok(solved) => prop_assert!(tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution).is_ok()),
            Err(tournee::Error::Validation(violations)) => prop_assert!(!violations.0.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
        // The same numbers as a supplied matrix.
        request.sites[0].location = Some(pb::Location { kind: Some(pb::location::Kind::MatrixIndex(index)) });
        request.sites[1].location = Some(pb::Location { kind: Some(pb::location::Kind::MatrixIndex(0)) });
        request.travel = Some(pb::TravelOptions { source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![pb::ProfileMatrices { profile: String::new(), durations_s: vec![pb::MatrixRow { values: vec![0, service] }, pb::MatrixRow { values: vec![end, 0] }], distances_m: Vec::new(), costs: Vec::new() }],
        })) });
        match pipeline::solve(&request, &budget, &|_| {}) {
            Ok(solved) => prop_assert!(tournee::checker::check(&solved.problem, &solved.matrices, &solved.solution).is_ok()),
            Err(tournee::Error::Validation(violations)) => prop_assert!(!violations.0.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}
