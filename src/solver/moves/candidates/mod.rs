//! Granular insertion on large fleets: the routes worth trying for a task. With 80–200
//! vans most routes are far from a task, and pricing a shipment in each (every pair of
//! positions) is much of a recreate's time. As HGS's granular neighbourhoods and
//! SISR's practice, a task here first tries only the routes holding one of its stops'
//! nearest stops and the few empty vehicles whose depots are nearest; the rest of the
//! fleet only when those give nothing, or give only an empty vehicle (so that no task
//! is left out, and no van opened, where some route the filter skipped takes it).
//!
//! In: the instance's neighbour lists and where each stop is ([`Locator`], kept by
//! recreate's greedy insertion). Out: the cheapest insertion among those routes, each
//! walked only to placements that may beat the best found before it
//! ([`best_among_below`]). Below [`MIN_VEHICLES`] vehicles or [`MIN_STOPS`] stops
//! nothing changes (Solomon, Li & Lim and the demo keep their answers).

use super::bounded::best_among_below;
use super::insertion::{Blink, Insertion};
use crate::solver::instance::Instance;
use crate::solver::route::evaluate::Scratch;
use crate::solver::state::State;

/// Nearest stops of each of a task's stops whose routes are tried.
pub const NEAR_STOPS: usize = 20;

/// Empty vehicles tried besides, the nearest by their depots.
pub const EMPTY_VEHICLES: usize = 2;

/// Fleets from this size on insert granularly.
pub const MIN_VEHICLES: usize = 40;

/// Instances from this many stops on insert granularly.
pub const MIN_STOPS: usize = 400;

/// No vehicle (an unassigned stop).
const NOWHERE: usize = usize::MAX;

/// Whether insertions on `instance` are granular: a large fleet on a large instance.
pub fn applies(instance: &Instance) -> bool {
    instance.problem.vehicles.len() >= MIN_VEHICLES && instance.stops.len() >= MIN_STOPS
}

/// Which vehicle each stop rides on (as of the last [`Locator::new`] and the placements
/// recorded since); a stale entry only adds or misses a candidate route, never a
/// placement the fallback would not find.
#[derive(Debug, Clone)]
pub struct Locator {
    vehicle_of_stop: Vec<usize>,
}

impl Locator {
    /// Where every stop of `state` is.
    pub fn new(instance: &Instance, state: &State) -> Self {
        let mut vehicle_of_stop = vec![NOWHERE; instance.stops.len()];
        for (vehicle, route) in state.routes.iter().enumerate() {
            for &stop in route {
                vehicle_of_stop[stop] = vehicle;
            }
        }
        Locator { vehicle_of_stop }
    }

    /// Records that `task` went into the route of `vehicle`.
    pub fn placed(&mut self, instance: &Instance, task: usize, vehicle: usize) {
        for &stop in &instance.task_stops[task] {
            self.vehicle_of_stop[stop] = vehicle;
        }
    }
}

/// The vehicles `task` tries first, nearest first, into `out`: the routes holding one
/// of the [`NEAR_STOPS`] nearest stops of its stops, the [`EMPTY_VEHICLES`] empty
/// vehicles nearest by depot that may take it, and the vehicle it is locked on; only
/// among those `allowed` (`None`: all) that may take it.
pub fn near_vehicles(
    instance: &Instance,
    state: &State,
    task: usize,
    locator: &Locator,
    allowed: Option<&[bool]>,
    out: &mut Vec<usize>,
) {
    out.clear();
    let stops = &instance.task_stops[task];
    let may_take = |vehicle: usize| {
        allowed.is_none_or(|allowed| allowed[vehicle]) && instance.compatible[task][vehicle]
    };
    // Rank by rank over the task's stops, so that the nearest routes come first (the
    // cheapest found early cuts the walks of the routes after it).
    for rank in 0..NEAR_STOPS {
        for &stop in stops {
            let Some(&near) = instance.neighbours[stop].get(rank) else {
                continue;
            };
            let vehicle = locator.vehicle_of_stop[near];
            if vehicle != NOWHERE
                && !state.routes[vehicle].is_empty()
                && !out.contains(&vehicle)
                && may_take(vehicle)
            {
                out.push(vehicle);
            }
        }
    }
    let empty = nearest_empty(instance, state, task, allowed);
    for vehicle in empty.chain(instance.locks.vehicle[task]) {
        if !out.contains(&vehicle) && may_take(vehicle) {
            out.push(vehicle);
        }
    }
}

/// The [`EMPTY_VEHICLES`] empty vehicles that may take `task` with the shortest drive
/// from their start to its first stop and from its last stop to their end (an open
/// start or end drives 0), the lowest index first on ties.
fn nearest_empty(
    instance: &Instance,
    state: &State,
    task: usize,
    allowed: Option<&[bool]>,
) -> impl Iterator<Item = usize> {
    let stops = &instance.task_stops[task];
    let (first, last) = (stops[0], stops[stops.len() - 1]);
    let site = |site: Option<usize>| site.map(|s| instance.problem.sites[s].matrix_index);
    let mut nearest: [(i64, usize); EMPTY_VEHICLES] = [(i64::MAX, NOWHERE); EMPTY_VEHICLES];
    for (vehicle, route) in state.routes.iter().enumerate() {
        if !route.is_empty()
            || !instance.compatible[task][vehicle]
            || allowed.is_some_and(|allowed| !allowed[vehicle])
        {
            continue;
        }
        let spec = &instance.problem.vehicles[vehicle];
        let drive = |from: Option<usize>, to: Option<usize>| match (from, to) {
            (Some(from), Some(to)) => instance.duration_s(vehicle, from, to),
            _ => 0,
        };
        let out_s = drive(site(spec.start_site), Some(instance.stops[first].location));
        let back_s = drive(Some(instance.stops[last].location), site(spec.end_site));
        let key = (out_s.saturating_add(back_s), vehicle);
        // Keep the few smallest keys, sorted: an insertion into a short array.
        if key < nearest[EMPTY_VEHICLES - 1] {
            nearest[EMPTY_VEHICLES - 1] = key;
            nearest.sort_unstable();
        }
    }
    nearest
        .into_iter()
        .map(|(_, vehicle)| vehicle)
        .filter(|&vehicle| vehicle != NOWHERE)
}

/// Cheapest insertion of `task`, trying the vehicles of [`near_vehicles`] (in `near`)
/// first and the rest of the `allowed` fleet only when they take it nowhere (every
/// vehicle) or only into an empty vehicle (every used route besides): the lowest delta
/// (among equals the first tried near, else the lowest vehicle).
#[allow(clippy::too_many_arguments)]
pub fn best_near(
    instance: &Instance,
    state: &State,
    task: usize,
    locator: &Locator,
    allowed: Option<&[bool]>,
    near: &mut Vec<usize>,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    mut blink: Option<&mut Blink>,
) -> Option<Insertion> {
    near_vehicles(instance, state, task, locator, allowed, near);
    let first = best_among_below(
        instance,
        state,
        task,
        near.iter().copied(),
        scratch,
        buffer,
        blink.as_deref_mut(),
        None,
    );
    let opens_vehicle = first.map(|f| state.routes[f.vehicle].is_empty());
    if opens_vehicle == Some(false) {
        return first;
    }
    let only_used = opens_vehicle == Some(true);
    let rest = (0..state.routes.len()).filter(|&vehicle| {
        !near.contains(&vehicle)
            && allowed.is_none_or(|allowed| allowed[vehicle])
            && !(only_used && state.routes[vehicle].is_empty())
    });
    let cap = first.map(|f| f.delta);
    let second = best_among_below(instance, state, task, rest, scratch, buffer, blink, cap);
    match (first, second) {
        (Some(f), Some(s)) if s.delta < f.delta => Some(s),
        (f, s) => f.or(s),
    }
}

#[cfg(test)]
mod tests;
