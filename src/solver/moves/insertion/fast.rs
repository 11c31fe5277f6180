//! [`super::best_in_route`] priced from the route's cache: every placement of a task
//! in O(1) from the route tier's fast paths (`fast_insertion`, `fast_shipment`), and,
//! under a working-time limit that those paths cannot see, the cheapest ones confirmed
//! by simulation (`candidates`).

#[cfg(debug_assertions)]
use super::full_best;
use super::{Blink, Insertion, full_objective, opening_weight, skip};
use crate::solver::instance::Instance;
use crate::solver::route::candidates::cheapest_confirmed;
use crate::solver::route::evaluate::Scratch;
use crate::solver::route::fast_insertion;
use crate::solver::route::fast_shipment;
use crate::solver::route::infeasible::Infeasible;
use crate::solver::state::State;

/// [`super::best_in_route`] priced in O(1) per position from the route's cache; `scratch` and
/// `buffer` only confirm candidates under a working-time limit (and check in debug
/// builds that the fast figures match the simulation).
pub(super) fn fast_best(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    mut blink: Option<&mut Blink>,
) -> Result<Insertion, Infeasible> {
    let before = state.figures[vehicle].objective(instance.objective);
    let opening = opening_weight(instance, &state.routes[vehicle]);
    let stops = &instance.task_stops[task];
    let mut best: Option<Insertion> = None;
    // With a working-time limit the fast check cannot see the working time: keep
    // every candidate, then confirm the cheapest ones by simulation.
    let verify = instance.problem.vehicles[vehicle]
        .max_working_time_s
        .is_some();
    let mut candidates = std::mem::take(&mut scratch.placements);
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
        let insertion = Insertion {
            vehicle,
            first: placement.first,
            second: placement.second,
            delta,
        };
        if verify {
            candidates.push((delta, insertion.first, insertion.second));
        } else if best.is_none_or(|b| delta < b.delta) {
            best = Some(insertion);
        }
        true
    };
    // Verified candidates need every placement: only the cheapest may be pruned to.
    placements(instance, state, vehicle, stops, !verify, &mut consider);
    if verify {
        best = cheapest_confirmed(&mut candidates, |(_, first, second)| {
            full_objective(
                instance, state, task, vehicle, first, second, scratch, buffer,
            )
            .is_some()
        })
        .map(|(delta, first, second)| Insertion {
            vehicle,
            first,
            second,
            delta,
        });
    }
    scratch.placements = candidates;
    #[cfg(debug_assertions)]
    if blink.is_none() {
        let full = full_best(instance, state, task, vehicle, scratch, buffer);
        debug_assert_eq!(
            full,
            best.map(|b| b.delta),
            "fast insertion missed a placement"
        );
    }
    best.ok_or(Infeasible::TimeWindows)
}

/// Every placement of a task's `stops` on the route of `vehicle`, priced from its cache,
/// to `consider` (which says whether it took one into account); a shipment's are pruned
/// to those that may be the cheapest when `prune`.
fn placements(
    instance: &Instance,
    state: &State,
    vehicle: usize,
    stops: &[usize],
    prune: bool,
    consider: &mut dyn FnMut(fast_insertion::Placement) -> bool,
) {
    let (cache, figures) = (&state.caches[vehicle], &state.figures[vehicle]);
    if stops.len() == 2 {
        fast_shipment::shipment(instance, vehicle, cache, figures, stops[0], prune, consider);
    } else {
        fast_insertion::job(instance, vehicle, cache, figures, stops[0], |placement| {
            consider(placement);
        });
    }
}

