//! [`super::best_in_route`] priced from the route's cache: every placement of a task
//! in O(1) from the route tier's fast paths (`fast_insertion`, `fast_shipment`), and,
//! under a working-time limit that those paths cannot see, the cheapest ones confirmed
//! by simulation (`candidates`).

#[cfg(debug_assertions)]
use super::full_best;
use super::{Blink, Insertion, full_objective, opening_weight, skip};
use crate::solver::instance::Instance;
use crate::solver::route::candidates::{Candidate, cheapest_confirmed};
use crate::solver::route::delivery_legs::DeliveryLegs;
use crate::solver::route::evaluate::Scratch;
use crate::solver::route::fast_insertion;
use crate::solver::route::fast_shipment;
use crate::solver::route::infeasible::Infeasible;
use crate::solver::state::State;
use std::mem::take;

/// [`super::best_in_route`] priced in O(1) per position from the route's cache; `scratch`
/// and `buffer` only confirm candidates under a working-time limit (and check in debug
/// builds that the fast figures match the simulation). Pruned at `cap` as
/// [`super::best_in_route_below`] says.
///
/// With a working-time limit the fast check cannot see the working time: the
/// placements are kept and the cheapest confirmed by simulation. A shipment's walk is
/// pruned all the same (pairs cut by the bound cost more than a placement kept), so
/// when the cheapest kept is confirmed it is the answer of the whole walk; when it is
/// not, the walk is done again without pruning and its placements confirmed in turn.
pub(super) fn fast_best(
    (instance, state, task, vehicle): (&Instance, &State, usize, usize),
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    mut blink: Option<&mut Blink>,
    cap: Option<i128>,
) -> Result<Insertion, Infeasible> {
    let before = state.figures[vehicle].objective(instance.objective);
    let opening = opening_weight(instance, &state.routes[vehicle]);
    // The route objective a placement within `cap` reaches at most.
    let ceiling = cap.and_then(|cap| i64::try_from(cap - opening + i128::from(before)).ok());
    let stops: &[usize] = &instance.task_stops[task];
    let verify = instance.problem.vehicles[vehicle]
        .max_working_time_s
        .is_some();
    // The walk's buffers, taken out while it runs (`consider` borrows the scratch).
    let (mut candidates, mut legs) = (take(&mut scratch.placements), take(&mut scratch.legs));
    // Each placement kept, as (objective increase, first, second); whether the bound
    // left any out.
    let mut walk = |prune: bool,
                    candidates: &mut Vec<Candidate>,
                    scratch: &mut Scratch,
                    buffer: &mut Vec<usize>|
     -> bool {
        candidates.clear();
        let mut consider = |placement: fast_insertion::Placement| -> bool {
            if skip(&mut blink) {
                return false;
            }
            debug_assert!(
                verify
                    || full_objective(
                        instance,
                        state,
                        task,
                        vehicle,
                        placement.first,
                        placement.second,
                        scratch,
                        buffer
                    ) == Some(placement.objective),
                "fast insertion disagrees with the simulation"
            );
            let delta = i128::from(placement.objective - before) + opening;
            candidates.push((delta, placement.first, placement.second));
            true
        };
        let job = (instance, state, vehicle, stops);
        let walk = fast_shipment::Walk { prune, ceiling };
        placements(job, walk, &mut legs, &mut consider)
    };
    let pruned = walk(true, &mut candidates, scratch, buffer);
    let confirmed =
        |(_, first, second): Candidate, scratch: &mut Scratch, buffer: &mut Vec<usize>| {
            !verify
                || full_objective(
                    instance, state, task, vehicle, first, second, scratch, buffer,
                )
                .is_some()
        };
    let chosen = match candidates.iter().copied().min() {
        Some(key) if confirmed(key, scratch, buffer) => Some(key),
        Some(_) if pruned => {
            walk(false, &mut candidates, scratch, buffer);
            cheapest_confirmed(&mut candidates, |key| confirmed(key, scratch, buffer))
        }
        Some(_) => cheapest_confirmed(&mut candidates, |key| confirmed(key, scratch, buffer)),
        None => None,
    };
    let best = chosen.map(|key| insertion(vehicle, key));
    (scratch.placements, scratch.legs) = (candidates, legs);
    #[cfg(debug_assertions)]
    if blink.is_none() {
        let full = full_best(instance, state, task, vehicle, scratch, buffer);
        check_best(full, best.map(|b| b.delta), cap);
    }
    best.ok_or(Infeasible::TimeWindows)
}

/// Debug cross-check of [`fast_best`]: its best delta is the simulation's `full` one
/// whenever that is at most `cap` (above it, any dearer placement, or none, may come
/// back).
#[cfg(debug_assertions)]
fn check_best(full: Option<i128>, found: Option<i128>, cap: Option<i128>) {
    let within = |delta: Option<i128>| delta.filter(|&d| cap.is_none_or(|cap| d <= cap));
    debug_assert_eq!(
        within(full),
        within(found),
        "fast insertion missed a placement"
    );
}

/// The insertion of a kept placement on `vehicle`.
fn insertion(vehicle: usize, (delta, first, second): Candidate) -> Insertion {
    Insertion {
        vehicle,
        first,
        second,
        delta,
    }
}

/// Every placement of a task's `stops` on the route of `vehicle`, priced from its cache,
/// to `consider` (which says whether it took one into account); a shipment's walked to
/// as `walk` says, its delivery's legs read into `legs`. Says whether any was pruned.
fn placements(
    (instance, state, vehicle, stops): (&Instance, &State, usize, &[usize]),
    walk: fast_shipment::Walk,
    legs: &mut DeliveryLegs,
    consider: &mut dyn FnMut(fast_insertion::Placement) -> bool,
) -> bool {
    let (cache, figures) = (&state.caches[vehicle], &state.figures[vehicle]);
    if stops.len() == 2 {
        let route = (cache, figures);
        fast_shipment::shipment(instance, vehicle, route, stops[0], walk, legs, consider)
    } else {
        fast_insertion::job(instance, vehicle, cache, figures, stops[0], |placement| {
            consider(placement);
        });
        false
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::atomic::AtomicBool;

    use super::super::simulated_best;
    use super::*;
    use crate::budget::Budget;
    use crate::solver::moves::recreate::{Workspace, regret};

    /// The 12-producer cooperative (shipments only, vans with a working-time limit),
    /// its limits set to `limit_s`, validated and with its matrices.
    fn cooperative(limit_s: i64) -> crate::pipeline::Solved {
        let text = include_str!("../../../../data/pooling/twelve_producers.json");
        let mut request: crate::pb::SolveRequest = serde_json::from_str(text).unwrap();
        request.pooling = None;
        for vehicle in &mut request.vehicles {
            vehicle.max_working_time_s = Some(limit_s);
        }
        let options = request.options.get_or_insert_default();
        options.max_iterations = Some(1);
        let cancelled = AtomicBool::new(false);
        crate::pipeline::solve(&request, &Budget::new(&cancelled), &|_| {}).unwrap()
    }

    /// Under working-time limits that the regret plan fills, every task taken out of
    /// its route goes back, in every route, where simulating every placement says:
    /// the pruned walk, its confirmation and its fallback find the same placement.
    #[test]
    fn the_pruned_walk_under_a_working_time_limit_finds_what_simulation_finds() {
        let (mut compared, mut refused) = (0, 0);
        for limit_s in [3 * 3600, 4 * 3600, 6 * 3600] {
            let solved = cooperative(limit_s);
            let instance = Instance::new(&solved.problem, &solved.matrices);
            let mut start = State::empty(&instance);
            let mut workspace = Workspace::new(&instance);
            let never = AtomicBool::new(false);
            regret(&instance, &mut start, &mut workspace, &Budget::new(&never));
            let (scratch, buffer) = (&mut workspace.scratch, &mut workspace.buffer);
            for task in 0..instance.problem.tasks.len() {
                let mut state = start.clone();
                let Some(from) = state.remove_task(&instance, task) else {
                    continue;
                };
                if !state.repair(&instance, from, scratch).is_empty() {
                    continue;
                }
                for vehicle in 0..instance.problem.vehicles.len() {
                    let job = (&instance, &state, task, vehicle);
                    let fast = fast_best(job, scratch, buffer, None, None);
                    let simulated =
                        simulated_best(&instance, &state, task, vehicle, scratch, buffer, None);
                    assert_eq!(fast.ok(), simulated.ok(), "task {task}, vehicle {vehicle}");
                    compared += 1;
                    refused += usize::from(simulated.is_err());
                }
            }
        }
        assert!(
            compared > 500 && refused > 0,
            "{compared} compared, {refused} refused"
        );
    }
}
