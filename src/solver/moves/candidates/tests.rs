//! Granular insertion on a generated 400-customer instance with 80 vans: a task tries
//! few routes, those that hold its neighbours; a task only a far route may take still
//! goes in (the fallback); a task whose near routes offer only an empty van goes where
//! the full scan puts it; and a small instance never inserts granularly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;
use std::sync::atomic::AtomicBool;

use super::{Locator, NEAR_STOPS, applies, best_near, near_vehicles};
use crate::budget::Budget;
use crate::checker;
use crate::pipeline::{self, Solved};
use crate::solver::instance::Instance;
use crate::solver::moves::insertion::best_among;
use crate::solver::moves::recreate::{Workspace, greedy, regret};
use crate::solver::output;
use crate::solver::rng::Rng;
use crate::solver::state::State;

/// A Solomon-format instance of `customers` customers and 80 vans spread over 100 × 100
/// by a linear congruential generator, half of them with a one-hour-wide window.
fn generated(customers: usize) -> String {
    let mut text = String::from("GEN\n\nVEHICLE\nNUMBER     CAPACITY\n  80         200\n\n");
    text.push_str("CUSTOMER\nCUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME\n\n");
    text.push_str("    0   50   50    0    0   1000    0\n");
    let mut x: u64 = 987_654;
    let mut draw = |bound: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % bound
    };
    for customer in 1..=customers {
        let (cx, cy) = (draw(100), draw(100));
        let (ready, due) = if customer % 2 == 0 {
            let ready = 100 + draw(700);
            (ready, ready + 60)
        } else {
            (0, 1000)
        };
        writeln!(text, "{customer} {cx} {cy} 10 {ready} {due} 10").unwrap();
    }
    text
}

/// The problem of `text` under the vehicles-first objective (so that opening a van
/// always costs more than any route's detour).
fn solved(text: &str) -> Solved {
    let instance = crate::scientific::parse_solomon(text).unwrap();
    let mut request = instance.request.clone();
    request.options = Some(crate::pb::SolveOptions {
        max_iterations: Some(1),
        objective: crate::pb::Objective::Vehicles as i32,
        ..request.options.unwrap_or_default()
    });
    let cancelled = AtomicBool::new(false);
    pipeline::solve(&request, &Budget::new(&cancelled), &|_| {}).unwrap()
}

/// A regret plan of `instance`, every task in.
fn planned(instance: &Instance) -> State {
    let mut state = State::empty(instance);
    let cancelled = AtomicBool::new(false);
    let mut workspace = Workspace::new(instance);
    regret(
        instance,
        &mut state,
        &mut workspace,
        &Budget::new(&cancelled),
    );
    assert!(state.unassigned.is_empty());
    state
}

/// Takes `task` out of its route; returns that route's vehicle.
fn take_out(instance: &Instance, state: &mut State, task: usize) -> usize {
    let vehicle = state.remove_task(instance, task).unwrap();
    let mut workspace = Workspace::new(instance);
    assert!(
        state
            .repair(instance, vehicle, &mut workspace.scratch)
            .is_empty()
    );
    let position = state.unassigned.binary_search(&task).unwrap_err();
    state.unassigned.insert(position, task);
    vehicle
}

/// Vehicles whose routes hold none of the nearest stops of `task`'s stops.
fn far_routes(instance: &Instance, state: &State, task: usize) -> Vec<usize> {
    let near: Vec<usize> = instance.task_stops[task]
        .iter()
        .flat_map(|&stop| instance.neighbours[stop].iter().take(NEAR_STOPS).copied())
        .collect();
    (0..state.routes.len())
        .filter(|&v| !state.routes[v].is_empty())
        .filter(|&v| state.routes[v].iter().all(|stop| !near.contains(stop)))
        .collect()
}

fn assert_checked(solved: &Solved, instance: &Instance, state: &State) {
    let solution = output::solution(instance, state);
    checker::check(&solved.problem, &solved.matrices, &solution).unwrap();
}

#[test]
fn a_task_tries_only_the_routes_near_it() {
    let solved = solved(&generated(400));
    let instance = Instance::new(&solved.problem, &solved.matrices);
    assert!(applies(&instance));
    let mut state = planned(&instance);
    let task = 17;
    let home = take_out(&instance, &mut state, task);
    let locator = Locator::new(&instance, &state);
    let mut near = Vec::new();
    near_vehicles(&instance, &state, task, &locator, None, &mut near);
    let used = state.routes.iter().filter(|r| !r.is_empty()).count();
    assert!(
        near.len() < used,
        "{} candidates of {used} used routes",
        near.len()
    );
    assert!(!far_routes(&instance, &state, task).is_empty());
    for &vehicle in &near {
        let empty = state.routes[vehicle].is_empty();
        assert!(empty || !far_routes(&instance, &state, task).contains(&vehicle));
    }
    assert!(
        near.contains(&home) || state.routes[home].is_empty(),
        "its own route is near it"
    );
    // The greedy recreate puts it back, and the plan stays feasible.
    let mut workspace = Workspace::new(&instance);
    greedy(
        &instance,
        &mut state,
        &[task],
        &mut workspace,
        &mut Rng::new(5, 0),
        0.0,
    );
    assert!(state.unassigned.is_empty());
    assert_checked(&solved, &instance, &state);
}

#[test]
fn a_task_only_a_far_route_takes_still_goes_in() {
    let solved = solved(&generated(400));
    let mut instance = Instance::new(&solved.problem, &solved.matrices);
    let mut state = planned(&instance);
    let task = 42;
    take_out(&instance, &mut state, task);
    let far = far_routes(&instance, &state, task);
    // The far route that takes it: as if only that van had the skill it needs.
    let only = *far
        .iter()
        .find(|&&vehicle| {
            instance.compatible[task].fill(false);
            instance.compatible[task][vehicle] = true;
            let all = 0..state.routes.len();
            let mut workspace = Workspace::new(&instance);
            let (scratch, buffer) = (&mut workspace.scratch, &mut workspace.buffer);
            best_among(&instance, &state, task, all, scratch, buffer, None).is_some()
        })
        .expect("some far route takes it");
    let locator = Locator::new(&instance, &state);
    let mut near = Vec::new();
    near_vehicles(&instance, &state, task, &locator, None, &mut near);
    assert!(near.is_empty(), "no near route may take it: {near:?}");
    let mut workspace = Workspace::new(&instance);
    greedy(
        &instance,
        &mut state,
        &[task],
        &mut workspace,
        &mut Rng::new(5, 0),
        0.0,
    );
    assert!(state.unassigned.is_empty(), "left out");
    assert!(state.routes[only].contains(&instance.task_stops[task][0]));
    assert_checked(&solved, &instance, &state);
}

#[test]
fn a_task_near_only_an_empty_van_goes_where_the_full_scan_puts_it() {
    let solved = solved(&generated(400));
    let mut instance = Instance::new(&solved.problem, &solved.matrices);
    let mut state = planned(&instance);
    let task = 99;
    take_out(&instance, &mut state, task);
    let far = far_routes(&instance, &state, task);
    let empty = (0..state.routes.len())
        .find(|&v| state.routes[v].is_empty())
        .expect("an empty van");
    // It may ride on one empty van (near by depot) and on every far route.
    instance.compatible[task].fill(false);
    instance.compatible[task][empty] = true;
    for &vehicle in &far {
        instance.compatible[task][vehicle] = true;
    }
    let mut workspace = Workspace::new(&instance);
    let (scratch, buffer) = (&mut workspace.scratch, &mut workspace.buffer);
    let all = 0..state.routes.len();
    let full = best_among(&instance, &state, task, all, scratch, buffer, None).unwrap();
    assert!(
        !state.routes[full.vehicle].is_empty(),
        "a far route takes it"
    );
    let locator = Locator::new(&instance, &state);
    let mut near = Vec::new();
    near_vehicles(&instance, &state, task, &locator, None, &mut near);
    assert_eq!(near, vec![empty], "only the empty van is near");
    let granular = best_near(
        &instance, &state, task, &locator, None, &mut near, scratch, buffer, None,
    );
    assert_eq!(granular, Some(full));
}

#[test]
fn small_instances_insert_as_before() {
    let small = solved(include_str!("../../../../data/solomon/R101.txt"));
    assert!(!applies(&Instance::new(&small.problem, &small.matrices)));
    let few = solved(&generated(150));
    assert!(!applies(&Instance::new(&few.problem, &few.matrices)));
}
