//! Bounded insertion on Li & Lim's lc101 (shipments): with any cap, the same insertion
//! as the full walk whenever that costs at most the cap, nothing cheaper than the cap
//! otherwise; and a ceiling does cut the pairs a shipment's walk prices.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{best_among, best_among_below};
use crate::pipeline::Solved;
use crate::solver::instance::Instance;
use crate::solver::moves::recreate::Workspace;
use crate::solver::route::delivery_legs::DeliveryLegs;
use crate::solver::route::fast_shipment::{self, Walk};
use crate::solver::state::State;
use crate::solver::tests::{lilim, regret_plan};

fn solved() -> Solved {
    lilim(include_str!("../../../../data/lilim/lc101.txt"))
}

/// `plan` without `task` (unassigned).
fn without(instance: &Instance, plan: &State, task: usize) -> State {
    let mut state = plan.clone();
    let mut workspace = Workspace::new(instance);
    if let Some(vehicle) = state.remove_task(instance, task) {
        assert!(
            state
                .repair(instance, vehicle, &mut workspace.scratch)
                .is_empty()
        );
    }
    let position = state.unassigned.binary_search(&task).unwrap_err();
    state.unassigned.insert(position, task);
    state
}

#[test]
fn a_cap_keeps_every_insertion_within_it() {
    let solved = solved();
    let instance = Instance::new(&solved.problem, &solved.matrices);
    let plan = regret_plan(&instance);
    let mut workspace = Workspace::new(&instance);
    let vehicles = 0..plan.routes.len();
    let (mut within, mut above) = (0, 0);
    for task in (0..instance.task_count()).step_by(3) {
        let state = without(&instance, &plan, task);
        let (scratch, buffer) = (&mut workspace.scratch, &mut workspace.buffer);
        let full = best_among(
            &instance,
            &state,
            task,
            vehicles.clone(),
            scratch,
            buffer,
            None,
        );
        let full = full.expect("its own route takes it back");
        for cap in [
            None,
            Some(full.delta),
            Some(full.delta - 1),
            Some(full.delta / 2),
        ] {
            let below = best_among_below(
                &instance,
                &state,
                task,
                vehicles.clone(),
                scratch,
                buffer,
                None,
                cap,
            );
            if cap.is_none_or(|cap| full.delta <= cap) {
                assert_eq!(below, Some(full), "task {task}, cap {cap:?}");
                within += 1;
            } else {
                let cap = cap.unwrap();
                assert!(below.is_none_or(|b| b.delta > cap), "task {task}");
                above += 1;
            }
        }
    }
    assert!(within > 0 && above > 0);
}

#[test]
fn a_ceiling_cuts_the_pairs_walked() {
    let solved = solved();
    let instance = Instance::new(&solved.problem, &solved.matrices);
    let plan = regret_plan(&instance);
    let walked = |state: &State, task: usize, ceiling: Option<i64>| {
        let mut pairs = 0usize;
        for vehicle in 0..state.routes.len() {
            let walk = Walk {
                prune: true,
                ceiling,
            };
            let (cache, figures) = (&state.caches[vehicle], &state.figures[vehicle]);
            let pickup = instance.task_stops[task][0];
            let route = (cache, figures);
            let legs = &mut DeliveryLegs::default();
            fast_shipment::shipment(&instance, vehicle, route, pickup, walk, legs, |_| {
                pairs += 1;
                true
            });
        }
        pairs
    };
    let (mut free, mut capped) = (0, 0);
    for task in (0..instance.task_count()).step_by(3) {
        let state = without(&instance, &plan, task);
        free += walked(&state, task, None);
        // Below any route's objective: only the pairs next to each other are priced.
        capped += walked(&state, task, Some(i64::MIN));
    }
    assert!(capped < free, "{capped} pairs capped, {free} free");
}
