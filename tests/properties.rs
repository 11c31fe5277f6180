//! Property tests: random small problems (some vans with two shifts, a day apart) →
//! answers the checker accepts; the same seed
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
        ..Default::default()
    }
}

prop_compose! {
    fn arbitrary_site(index: usize)(lat in 47.05f64..47.25, lon in 9.47f64..9.62,
        windows in prop::collection::vec((0i64..40_000, 600i64..30_000), 0..3),
        weekly in any::<bool>(),
        setup_s in 0i64..300, service_s in 0i64..600) -> pb::Site {
        // Half the sites open on the next day too, for the vans with a second shift.
        let days = if weekly { 2 } else { 1 };
        pb::Site {
            id: format!("site-{index}"),
            location: location(lat, lon),
            opening_windows: (0..days)
                .flat_map(|day| windows.iter().map(move |&(s, l)| window(s + day * DAY_S, l)))
                .collect(),
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

/// A day, seconds: the second shift of a van runs a day after the first.
const DAY_S: i64 = 86_400;

/// Two shifts, today and tomorrow, for some vans (a third of them, by `draw`), the
/// second with its own stop limit when the van has none; each takes its own breaks.
fn shifts(draw: u64, shift_start: i64, capacity: i64, max_stops: Option<u32>) -> Vec<pb::Shift> {
    if draw % 3 != 1 {
        return Vec::new();
    }
    (0..2)
        .map(|day| pb::Shift {
            id: format!("day-{day}"),
            window: Some(window(
                shift_start + day * DAY_S,
                30_000 + (draw % 5) as i64 * 4_000,
            )),
            max_stops: (day == 1 && max_stops.is_none()).then_some(2 + (draw % 3) as u32),
            breaks: breaks(draw / 3 + day as u64, shift_start + day * DAY_S, capacity),
            ..Default::default()
        })
        .collect()
}

/// A task stop's own windows for some stops (a third, by `draw`) when the objective
/// can price soft windows (cost or vehicles): one or two windows, each soft late, soft
/// early, both or neither, at varied prices. Empty otherwise (the site's hours apply).
fn soft_windows(draw: u64, objective: i32) -> Vec<pb::TimeWindow> {
    if !draw.is_multiple_of(3) || matches!(objective, 2 | 3) {
        return Vec::new();
    }
    let count = 1 + (draw / 3 % 2) as usize;
    (0..count)
        .map(|k| {
            let draw = draw.wrapping_mul(2_654_435_761).wrapping_add(k as u64 * 97) >> 7;
            let start_s = (k as i64) * 25_000 + (draw % 15_000) as i64;
            let length_s = 600 + (draw / 7 % 8_000) as i64;
            let late = !(draw / 11).is_multiple_of(3);
            let early = (draw / 13).is_multiple_of(2) && start_s > 0;
            let max_early_s = if early {
                ((draw / 23 % 3_600) as i64 + 1).min(start_s)
            } else {
                0
            };
            pb::TimeWindow {
                max_late_s: if late {
                    300 + (draw / 17 % 5_000) as i64
                } else {
                    0
                },
                late_cost_per_hour: if late {
                    [0.5, 12.0, 400.0][(draw / 19 % 3) as usize]
                } else {
                    0.0
                },
                max_early_s,
                early_cost_per_hour: if early {
                    [2.0, 30.0][(draw / 29 % 2) as usize]
                } else {
                    0.0
                },
                ..window(start_s, length_s)
            }
        })
        .collect()
}

/// Half the problems give the vehicles routes (a warm start), every task on one of
/// them, a shipment's pickup right before its delivery, each task free, locked on its
/// vehicle or in sequence.
fn given_routes(
    vehicles: &mut [pb::Vehicle],
    shipments: &[pb::Shipment],
    jobs: &[pb::Job],
    seed: u64,
) {
    if seed % 2 == 1 {
        return;
    }
    let locks = [
        pb::StopLock::None,
        pb::StopLock::OnVehicle,
        pb::StopLock::InSequence,
    ];
    let stops = shipments.iter().flat_map(|s| {
        [
            (pb::StepKind::Pickup, &s.id),
            (pb::StepKind::Delivery, &s.id),
        ]
    });
    let stops = stops.chain(jobs.iter().map(|j| (pb::StepKind::Job, &j.id)));
    let mut task = 0;
    for (index, (kind, id)) in stops.enumerate() {
        if kind != pb::StepKind::Delivery {
            task = index;
        }
        let draw = seed / 2 + task as u64;
        let vehicle = draw as usize % vehicles.len();
        vehicles[vehicle].initial_route.push(pb::RouteStop {
            kind: kind as i32,
            id: id.clone(),
            lock: locks[(draw / 3 % 3) as usize] as i32,
            ..Default::default()
        });
    }
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
        let mut vehicles: Vec<pb::Vehicle> = vehicles.into_iter().enumerate().map(|(index, (start, end, cap0, cap1, cold, shift_start, max_stops, max_work))| {
            let shifts = shifts(index as u64 + seed / 7, shift_start, cap0, max_stops);
            let breaks = if shifts.is_empty() { breaks(index as u64 + seed, shift_start, cap0) } else { Vec::new() };
            pb::Vehicle {
            id: format!("van-{index}"),
            start_site_id: site_id(start),
            // One past the last site means an open end.
            end_site_id: if end == site_count { String::new() } else { site_id(end) },
            capacity: vec![cap0, cap1],
            skills: if cold { vec!["cold".into()] } else { Vec::new() },
            // A van with shifts is available over both days.
            shift: Some(window(shift_start, if shifts.is_empty() { 50_000 } else { DAY_S + 50_000 })),
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
            breaks,
            shifts,
            ..Default::default()
        }}).collect();
        let shipments = shipments.into_iter().enumerate().map(|(index, (from, to, a0, a1, cold, on_board, priority))| pb::Shipment {
            id: format!("shipment-{index}"),
            pickup: Some(pb::TaskStop { site_id: site_id(from), time_windows: soft_windows(seed + 2 * index as u64, objective), ..Default::default() }),
            delivery: Some(pb::TaskStop { site_id: site_id(to), time_windows: soft_windows(seed + 2 * index as u64 + 1, objective), ..Default::default() }),
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
        let jobs: Vec<pb::Job> = jobs.into_iter().enumerate().map(|(index, (at, delivery, pickup, cold))| pb::Job {
            id: format!("job-{index}"),
            stop: Some(pb::TaskStop { site_id: site_id(at), time_windows: soft_windows(seed + 5 * index as u64 + 3, objective), ..Default::default() }),
            delivery: vec![delivery, 0],
            pickup: vec![0, pickup],
            skills: if cold { vec!["cold".into()] } else { Vec::new() },
            goods_kind: ["", "meal", "meat"][index % 3].into(),
            ..Default::default()
        }).collect();
        // Given routes are refused with shifts (a route names a vehicle, not a shift).
        if vehicles.iter().all(|v| v.shifts.is_empty()) {
            given_routes(&mut vehicles, &shipments, &jobs, seed);
        }
        let mut request = pb::SolveRequest {
            sites,
            vehicles,
            shipments,
            jobs,
            incompatible_goods,
            options: Some(pb::SolveOptions { seed, objective, threads: 1, max_iterations: Some(40), time_limit_ms: Some(3_600_000), geometry: false, effort: None, balance_per_hour: if seed % 3 == 2 { 40.0 } else { 0.0 }, plan_only: false }),
            ..Default::default()
        };
        // Half the problems (odd seeds: no given routes; without shifts) let every other
        // shipment change vehicle at the first site.
        if seed % 2 == 1 && request.vehicles.iter().all(|v| v.shifts.is_empty()) {
            with_transfer_point(&mut request, seed);
        }
        // A fifth of the problems travel on supplied matrices with a cost matrix
        // (VROOM's `costs`), whose cells owe nothing to the durations.
        if seed % 5 == 4 {
            with_cost_matrix(&mut request, seed);
        }
        request
    }
}

/// Declares `site-0` a transfer point (hours and handling drawn from `seed`) and lets
/// every other shipment use it. With two vans or more, the even vans work mornings and
/// the odd ones afternoons, and those shipments are collected in the morning and
/// delivered in the afternoon: only a transfer serves them (when neither end is the
/// transfer point and the vans' limits allow).
fn with_transfer_point(request: &mut pb::SolveRequest, seed: u64) {
    let opening_windows = if seed % 8 == 1 {
        vec![window(10_000, 20_000)]
    } else {
        Vec::new()
    };
    request.transfer_points = vec![pb::TransferPoint {
        site_id: "site-0".into(),
        opening_windows,
        handling_s: (seed % 5) as i64 * 300,
    }];
    let split = request.vehicles.len() >= 2;
    if split {
        // The hub opens around noon only: drops and pickups come closer in time.
        request.transfer_points[0].opening_windows = vec![window(20_000, 10_000)];
        request.transfer_points[0].handling_s = 600 + (seed % 3) as i64 * 600;
    }
    for (index, vehicle) in request.vehicles.iter_mut().enumerate().filter(|_| split) {
        vehicle.shift = Some(if index % 2 == 0 {
            window(0, 26_000)
        } else {
            window(22_000, 28_000)
        });
        vehicle.breaks.clear();
    }
    for shipment in request.shipments.iter_mut().step_by(2) {
        shipment.allow_transfer = true;
        if split {
            // Small and without skills: any van can carry it.
            (shipment.amount, shipment.skills) = (vec![1, 0], Vec::new());
            shipment.max_time_on_board_s = None;
            if let Some(pickup) = shipment.pickup.as_mut() {
                pickup.time_windows = vec![window(0, 20_000)];
            }
            if let Some(delivery) = shipment.delivery.as_mut() {
                delivery.time_windows = vec![window(30_000, 20_000)];
            }
        }
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
        // A transferred shipment's second leg repeats its two stops.
        let second_leg = |s: &&tournee::domain::TourStep| s.transfer_leg == Some(tournee::domain::TransferLeg::Second);
        let served: usize = solved.solution.tours.iter().map(|t| t.steps.iter().filter(|s| s.task.is_some()).filter(|s| !second_leg(s)).count()).sum();
        let shipment_stops = 2 * request.shipments.len() + request.jobs.len();
        let unassigned_stops: usize = solved.solution.unassigned.iter().map(|u| if u.task < request.shipments.len() { 2 } else { 1 }).sum();
        prop_assert_eq!(served + unassigned_stops, shipment_stops);
    }

    #[test]
    fn plan_mode_keeps_the_given_routes(request in arbitrary_problem()) {
        // Plan mode is refused with shifts (a route names a vehicle, not a shift).
        prop_assume!(request.vehicles.iter().all(|v| v.shifts.is_empty()));
        let mut request = request;
        // So are transfer points: this plan has none.
        request.transfer_points.clear();
        if let Some(options) = request.options.as_mut() { options.plan_only = true; }
        let solved = solve(&request);
        for tour in &solved.solution.tours {
            let vehicle = &request.vehicles[tour.vehicle];
            let driven: Vec<&str> = tour.steps.iter().filter_map(|s| s.task).map(|t| solved.problem.tasks[t].id.as_str()).collect();
            let given: Vec<&str> = vehicle.initial_route.iter().map(|s| s.id.as_str()).collect();
            prop_assert_eq!(driven, given);
        }
        let given: usize = request.vehicles.iter().map(|v| v.initial_route.len()).sum();
        let unassigned_stops: usize = solved.solution.unassigned.iter().map(|u| if u.task < request.shipments.len() { 2 } else { 1 }).sum();
        prop_assert_eq!(given + unassigned_stops, 2 * request.shipments.len() + request.jobs.len());
    }

    #[test]
    fn every_local_search_operator_keeps_the_plan_feasible(request in arbitrary_problem()) {
        let solved = solve(&request);
        // The bench works on the solver's vehicles: one per shift of a van with shifts.
        let split = tournee::solver::Split::of(&solved.problem);
        let problem = split.as_ref().map_or(&solved.problem, |split| &split.problem);
        let bench = tournee::solver::OperatorBench::new(problem, &solved.matrices);
        let start = bench.start_score();
        for operator in tournee::solver::Operator::ALL {
            let mut solution = bench.solution_after(operator);
            if let Some(split) = &split {
                split.join(&mut solution);
            }
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
                pb::Site { id: "a".into(), location: location(lat, lon), opening_windows: vec![pb::TimeWindow { start_s: start, end_s: end, ..Default::default() }], service_s: service, ..Default::default() },
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
