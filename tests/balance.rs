//! Fair workloads (`options.balance_per_hour`): a penalty on the spread between the
//! longest and the shortest working time of the used vans moves work from the long tour
//! to the short one, at a cost in distance; the summary reports both working times and
//! the checker recomputes them. Every run ends on an iteration cap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::AtomicBool;

use common::site_at as site;
use tournee::pb;

/// A hub, four shops 2 km east and two villages 20 km west; two vans of four.
fn request(balance_per_hour: f64) -> pb::SolveRequest {
    let mut sites = vec![site("hub", 47.0, 9.5)];
    let mut jobs = Vec::new();
    for (i, (lat, lon)) in [
        (47.000, 9.527),
        (47.002, 9.527),
        (46.998, 9.527),
        (47.004, 9.527),
        (47.000, 9.236),
        (47.002, 9.236),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("stop-{i}");
        sites.push(site(&id, lat, lon));
        jobs.push(pb::Job {
            id: format!("job-{i}"),
            stop: Some(pb::TaskStop {
                site_id: id,
                ..Default::default()
            }),
            delivery: vec![1],
            ..Default::default()
        });
    }
    let van = |id: &str| pb::Vehicle {
        id: id.into(),
        start_site_id: "hub".into(),
        end_site_id: "hub".into(),
        capacity: vec![4],
        ..Default::default()
    };
    let mut options = common::quick_options(400);
    options.objective = pb::Objective::Distance as i32;
    options.balance_per_hour = balance_per_hour;
    pb::SolveRequest {
        sites,
        vehicles: vec![van("van-a"), van("van-b")],
        jobs,
        options: Some(options),
        ..Default::default()
    }
}

fn solve(request: &pb::SolveRequest) -> pb::SolveResponse {
    let cancelled = AtomicBool::new(false);
    let budget = tournee::budget::Budget::new(&cancelled);
    let solved = tournee::pipeline::solve(request, &budget, &|_| {}).expect("solves");
    let response = tournee::api::encode::response(&solved);
    common::assert_feasible(request, &response);
    response
}

#[test]
fn a_penalty_on_the_spread_of_working_times_shares_the_work() {
    let shortest = solve(&request(0.0));
    let fair = solve(&request(100_000.0));
    let (free, balanced) = (shortest.summary.unwrap(), fair.summary.unwrap());
    assert!(free.unassigned == 0 && balanced.unassigned == 0);
    assert_eq!((free.vehicles_used, balanced.vehicles_used), (2, 2));
    println!("shortest: {free:?}\nbalanced: {balanced:?}");
    let spread = |s: &pb::Summary| s.longest_working_s - s.shortest_working_s;
    // The shortest plan sends one van east and one west: far apart.
    assert!(spread(&free) > 3_000, "{free:?}");
    assert!(
        spread(&balanced) * 2 < spread(&free),
        "{free:?} {balanced:?}"
    );
    assert!(
        balanced.distance_m > free.distance_m,
        "{free:?} {balanced:?}"
    );
    let longest = fair.tours.iter().map(|t| t.duration_s).max();
    assert_eq!(longest, Some(balanced.longest_working_s));
}

#[test]
fn a_negative_or_infinite_penalty_is_refused_naming_the_field() {
    for bad in [-1.0, f64::INFINITY, f64::NAN] {
        let error = tournee::validate::problem(&request(bad)).expect_err("refused");
        let text = format!("{error:?}");
        assert!(text.contains("options.balance_per_hour"), "{text}");
    }
}
