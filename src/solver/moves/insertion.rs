//! Cheapest feasible insertion of one task into one route of a plan: every position for
//! a job, every ordered pair of positions for a shipment, in O(1) per position through
//! the route tier's fast paths when they are exact, else by simulation. Recreate,
//! relocate and the operator bench all place tasks through it.

mod fast;

use crate::domain::Objective;
use crate::solver::instance::Instance;
use crate::solver::rng::Rng;
use crate::solver::route::evaluate::{Scratch, evaluate};
use crate::solver::route::fast_insertion;
use crate::solver::route::infeasible::Infeasible;
use crate::solver::state::State;

pub use super::bounded::best_among;

/// Extra weight of opening a vehicle under the vehicles-first objective.
const NEW_VEHICLE_WEIGHT: i128 = 1 << 70;

/// Where and at what cost a task goes into a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insertion {
    /// Vehicle of the route.
    pub vehicle: usize,
    /// Position of the first stop (in the route before insertion).
    pub first: usize,
    /// Position of the second stop in the route after the first is inserted.
    pub second: usize,
    /// Increase of the objective (opening a vehicle weighs more under vehicles first).
    pub delta: i128,
}

/// Positions to skip at random (SISR's blinks): 0.0 skips none.
pub struct Blink<'r> {
    /// Probability to skip a position.
    pub rate: f64,
    /// The draw.
    pub rng: &'r mut Rng,
}

/// Cheapest insertion of `task` into the route of `vehicle`, or why none is feasible.
pub fn best_in_route(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    blink: Option<&mut Blink>,
) -> Result<Insertion, Infeasible> {
    best_in_route_below(instance, state, task, vehicle, scratch, buffer, blink, None)
}

/// [`best_in_route`] for a caller that wants nothing dearer than `cap` (a delta): a
/// shipment's placements that cannot cost at most `cap` are not walked to, so the answer
/// is the cheapest insertion when that costs at most `cap`, else a dearer one or none.
#[allow(clippy::too_many_arguments)]
pub fn best_in_route_below(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    blink: Option<&mut Blink>,
    cap: Option<i128>,
) -> Result<Insertion, Infeasible> {
    if !instance.compatible[task][vehicle] {
        return Err(Infeasible::Capacity);
    }
    if instance.goods_clash(task, &state.routes[vehicle]) {
        return Err(Infeasible::IncompatibleGoods);
    }
    if !instance.roles.is_empty()
        && (instance.transfer_blocked(&state.unassigned, task)
            || instance.partner_on(&state.routes[vehicle], task))
    {
        // The other way of its transfer group serves it, its first leg is out, or its
        // other leg is on this van.
        return Err(Infeasible::Precedence);
    }
    if fast_insertion::supports(instance, vehicle, &state.caches[vehicle], task) {
        let job = (instance, state, task, vehicle);
        return fast::fast_best(job, scratch, buffer, blink, cap);
    }
    simulated_best(instance, state, task, vehicle, scratch, buffer, blink)
}

/// Whether the blink skips the next position (never without a blink or at rate 0).
#[inline]
fn skip(blink: &mut Option<&mut Blink>) -> bool {
    match blink {
        Some(b) if b.rate > 0.0 => b.rng.unit() < b.rate,
        _ => false,
    }
}

/// [`best_in_route`] by simulating every position (pair) in `buffer`; the mildest
/// reason when none fits.
fn simulated_best(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    mut blink: Option<&mut Blink>,
) -> Result<Insertion, Infeasible> {
    let route = &state.routes[vehicle];
    let before = state.figures[vehicle].objective(instance.objective);
    let opening = opening_weight(instance, route);
    let imbalance = state.imbalance(instance, &[]);
    let stops = &instance.task_stops[task];
    let mut best: Option<Insertion> = None;
    let mut failure = Infeasible::Precedence;
    for first in 0..=route.len() {
        let seconds = second_positions(route.len(), stops.len(), first);
        for second in seconds {
            if skip(&mut blink) {
                continue;
            }
            fill(buffer, route, stops, first, second);
            match evaluate(instance, vehicle, buffer, scratch, None) {
                Ok(figures) => {
                    // Fair workloads: what the new working time does to the spread.
                    let rebalanced =
                        state.imbalance(instance, &[(vehicle, Some(figures.duration_s))]);
                    let delta = i128::from(figures.objective(instance.objective) - before)
                        + opening
                        + i128::from(rebalanced - imbalance);
                    if best.is_none_or(|b| delta < b.delta) {
                        best = Some(Insertion {
                            vehicle,
                            first,
                            second,
                            delta,
                        });
                    }
                }
                Err(reason) => failure = failure.min(reason),
            }
        }
    }
    best.ok_or(failure)
}

/// The extra weight of opening an empty vehicle (vehicles-first objective only).
fn opening_weight(instance: &Instance, route: &[usize]) -> i128 {
    if route.is_empty() && instance.objective == Objective::Vehicles {
        NEW_VEHICLE_WEIGHT
    } else {
        0
    }
}

/// Positions of a shipment's delivery after its pickup went to `first` (0 for a job).
fn second_positions(
    route_len: usize,
    stops: usize,
    first: usize,
) -> std::ops::RangeInclusive<usize> {
    if stops == 2 {
        first + 1..=route_len + 1
    } else {
        0..=0
    }
}

/// `route` with `stops` inserted at `first` (and the second at `second` after that).
fn fill(buffer: &mut Vec<usize>, route: &[usize], stops: &[usize], first: usize, second: usize) {
    buffer.clear();
    buffer.extend_from_slice(&route[..first]);
    buffer.push(stops[0]);
    buffer.extend_from_slice(&route[first..]);
    if stops.len() == 2 {
        buffer.insert(second, stops[1]);
    }
}

/// The best delta over every placement by full simulation (debug cross-check).
#[cfg(debug_assertions)]
fn full_best(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
) -> Option<i128> {
    let route = &state.routes[vehicle];
    let before = state.figures[vehicle].objective(instance.objective);
    let opening = opening_weight(instance, route);
    let stops = &instance.task_stops[task];
    let mut best: Option<i128> = None;
    for first in 0..=route.len() {
        let seconds = second_positions(route.len(), stops.len(), first);
        for second in seconds {
            if let Some(objective) = full_objective(
                instance, state, task, vehicle, first, second, scratch, buffer,
            ) {
                let delta = i128::from(objective - before) + opening;
                best = Some(best.map_or(delta, |b| b.min(delta)));
            }
        }
    }
    best
}

/// The route's objective after an insertion by full simulation (debug cross-check, and
/// [`best_at`]).
#[allow(clippy::too_many_arguments)]
fn full_objective(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    first: usize,
    second: usize,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
) -> Option<i64> {
    fill(
        buffer,
        &state.routes[vehicle],
        &instance.task_stops[task],
        first,
        second,
    );
    evaluate(instance, vehicle, buffer, scratch, None)
        .ok()
        .map(|f| f.objective(instance.objective))
}

/// The cheapest insertion of `task` into the route of `vehicle` among `positions`
/// (first, second as in [`Insertion`]), each by one full simulation: O(route) a
/// position where [`best_in_route`] tries O(route²) for a shipment.
pub fn best_at(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
    positions: &[(usize, usize)],
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
) -> Option<Insertion> {
    if !instance.compatible[task][vehicle] || instance.goods_clash(task, &state.routes[vehicle]) {
        return None;
    }
    let route = &state.routes[vehicle];
    let before = state.figures[vehicle].objective(instance.objective);
    let opening = opening_weight(instance, route);
    positions
        .iter()
        .filter_map(|&(first, second)| {
            let objective = full_objective(
                instance, state, task, vehicle, first, second, scratch, buffer,
            )?;
            Some(Insertion {
                vehicle,
                first,
                second,
                delta: i128::from(objective - before) + opening,
            })
        })
        .min_by_key(|insertion| (insertion.delta, insertion.first, insertion.second))
}

/// Applies an insertion and refreshes the route's figures.
pub fn apply(
    instance: &Instance,
    state: &mut State,
    task: usize,
    insertion: &Insertion,
    scratch: &mut Scratch,
) {
    let stops = &instance.task_stops[task];
    let route = &mut state.routes[insertion.vehicle];
    route.insert(insertion.first, stops[0]);
    if stops.len() == 2 {
        route.insert(insertion.second, stops[1]);
    }
    if let Ok(position) = state.unassigned.binary_search(&task) {
        state.unassigned.remove(position);
    }
    state.refresh(instance, insertion.vehicle, scratch);
}
