//! Cheapest feasible insertion of one task into one route: every position for a job,
//! every ordered pair of positions for a shipment.

use super::instance::Instance;
use super::rng::Rng;
use super::route_eval::{Infeasible, Scratch, evaluate};
use super::state::State;
use crate::domain::Objective;

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
    mut blink: Option<&mut Blink>,
) -> Result<Insertion, Infeasible> {
    if !instance.compatible[task][vehicle] {
        return Err(Infeasible::Capacity);
    }
    let route = &state.routes[vehicle];
    let before = state.figures[vehicle].objective;
    let opening = if route.is_empty() && instance.objective == Objective::Vehicles {
        NEW_VEHICLE_WEIGHT
    } else {
        0
    };
    let stops = &instance.task_stops[task];
    let mut best: Option<Insertion> = None;
    let mut failure = Infeasible::Precedence;
    let skip = |blink: &mut Option<&mut Blink>| match blink {
        Some(b) if b.rate > 0.0 => b.rng.unit() < b.rate,
        _ => false,
    };
    for first in 0..=route.len() {
        let seconds = if stops.len() == 2 {
            first + 1..=route.len() + 1
        } else {
            0..=0
        };
        for second in seconds {
            if skip(&mut blink) {
                continue;
            }
            buffer.clear();
            buffer.extend_from_slice(&route[..first]);
            buffer.push(stops[0]);
            buffer.extend_from_slice(&route[first..]);
            if stops.len() == 2 {
                buffer.insert(second, stops[1]);
            }
            match evaluate(instance, vehicle, buffer, scratch, None) {
                Ok(figures) => {
                    let delta = i128::from(figures.objective - before) + opening;
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
