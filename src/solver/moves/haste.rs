//! Completing a plan past its deadline. Regret and greedy insertion try every pair of
//! positions for a shipment, O(route²) per route: 45 s for 4,900 hub deliveries where
//! the deadline was 2 s. Here each task goes next to its nearest stops instead: the
//! routes holding them (and the first empty vehicles) are the candidates, and the
//! positions tried are right after those stops and at the end, each priced by one
//! simulation — O(tasks × route length) in all, so that a deadline is kept at any size.
//! A task no nearby route takes goes at the end of the cheapest route that takes it
//! (O(vehicles × route length)), or stays unassigned.

use super::insertion::{Insertion, apply, best_at};
use super::workspace::Workspace;
use crate::solver::instance::Instance;
use crate::solver::state::State;

/// Routes holding a task's nearest stops that are candidates, and nearest stops of
/// each of its stops whose positions are tried.
const NEIGHBOURS: usize = 6;

/// Empty vehicles looked at besides.
const EMPTY_VEHICLES: usize = 2;

/// Inserts each of `tasks`, in order, next to its nearest stops.
pub fn finish_in_haste(
    instance: &Instance,
    state: &mut State,
    tasks: &[usize],
    workspace: &mut Workspace,
) {
    let mut vehicle_of_stop = vec![usize::MAX; instance.stops.len()];
    for (vehicle, route) in state.routes.iter().enumerate() {
        for &stop in route {
            vehicle_of_stop[stop] = vehicle;
        }
    }
    for &task in tasks {
        let near_routes = candidate_vehicles(instance, state, task, &vehicle_of_stop, workspace);
        let best =
            cheapest(instance, state, task, &near_routes, workspace, positions).or_else(|| {
                // No route nearby takes it: the end of any route.
                let all: Vec<usize> = (0..state.routes.len())
                    .filter(|&v| workspace.allowed.as_deref().is_none_or(|a| a[v]))
                    .collect();
                cheapest(
                    instance,
                    state,
                    task,
                    &all,
                    workspace,
                    |_, state, _, vehicle| {
                        let end = state.routes[vehicle].len();
                        vec![(
                            end,
                            if instance.task_stops[task].len() == 2 {
                                end + 1
                            } else {
                                0
                            },
                        )]
                    },
                )
            });
        if let Some(insertion) = best {
            apply(instance, state, task, &insertion, &mut workspace.scratch);
            for &stop in &instance.task_stops[task] {
                vehicle_of_stop[stop] = insertion.vehicle;
            }
        }
    }
}

/// The cheapest insertion of `task` into the routes of `vehicles` at the positions
/// `positions` gives for each.
fn cheapest(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicles: &[usize],
    workspace: &mut Workspace,
    positions: impl Fn(&Instance, &State, usize, usize) -> Vec<(usize, usize)>,
) -> Option<Insertion> {
    vehicles
        .iter()
        .filter_map(|&vehicle| {
            let positions = positions(instance, state, task, vehicle);
            best_at(
                instance,
                state,
                task,
                vehicle,
                &positions,
                &mut workspace.scratch,
                &mut workspace.buffer,
            )
        })
        .min_by_key(|insertion| (insertion.delta, insertion.vehicle))
}

/// The nearest stops of the task's stops.
fn near<'i>(instance: &'i Instance, task: usize) -> impl Iterator<Item = usize> + 'i {
    instance.task_stops[task]
        .iter()
        .flat_map(|&stop| instance.neighbours[stop].iter().copied())
}

/// The vehicles whose routes hold the task's nearest stops, and the first empty ones
/// that may take it, sorted, among those insertions may use.
fn candidate_vehicles(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle_of_stop: &[usize],
    workspace: &Workspace,
) -> Vec<usize> {
    let vehicles = state.routes.len();
    let mut candidates: Vec<usize> = Vec::new();
    for vehicle in near(instance, task).map(|other| vehicle_of_stop[other]) {
        if vehicle < vehicles && !candidates.contains(&vehicle) {
            candidates.push(vehicle);
            if candidates.len() == NEIGHBOURS {
                break;
            }
        }
    }
    candidates.extend(
        (0..vehicles)
            .filter(|&v| state.routes[v].is_empty() && instance.compatible[task][v])
            .take(EMPTY_VEHICLES),
    );
    candidates.sort_unstable();
    candidates.dedup();
    if let Some(allowed) = workspace.allowed.as_deref() {
        candidates.retain(|&vehicle| allowed[vehicle]);
    }
    candidates
}

/// Route stops closest to a new stop whose next positions are tried.
const CLOSEST: usize = 2;

/// The `CLOSEST` positions right after the route stops nearest to `stop`, from
/// `from` on.
fn after_closest(instance: &Instance, route: &[usize], stop: usize, from: usize) -> Vec<usize> {
    let Some(matrix) = instance.matrices.first() else {
        return Vec::new();
    };
    let location = instance.stops[stop].location;
    let mut nearest: Vec<(i64, usize)> = route
        .iter()
        .enumerate()
        .skip(from)
        .map(|(index, &other)| {
            (
                matrix.duration_s(instance.stops[other].location, location),
                index + 1,
            )
        })
        .collect();
    if nearest.len() > CLOSEST {
        nearest.select_nth_unstable(CLOSEST);
        nearest.truncate(CLOSEST);
    }
    nearest.into_iter().map(|(_, position)| position).collect()
}

/// The positions tried on `vehicle`'s route: the first stop right after the route
/// stops nearest to it, or at the end; a shipment's delivery right after the pickup,
/// after the stops nearest to it further on, or at the end.
fn positions(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicle: usize,
) -> Vec<(usize, usize)> {
    let route = &state.routes[vehicle];
    let stops = &instance.task_stops[task];
    let mut firsts = after_closest(instance, route, stops[0], 0);
    firsts.push(route.len());
    firsts.sort_unstable();
    firsts.dedup();
    let Some(&delivery) = stops.get(1) else {
        return firsts.into_iter().map(|first| (first, 0)).collect();
    };
    let mut pairs = Vec::new();
    for &first in &firsts {
        // Positions counted after the pickup went in: the stop at old index m ≥ first
        // is at m + 1, so "right after it" is m + 2 — one more than `after_closest`.
        pairs.push((first, first + 1));
        pairs.push((first, route.len() + 1));
        pairs.extend(
            after_closest(instance, route, delivery, first)
                .into_iter()
                .map(|after_old| (first, after_old + 1)),
        );
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
