//! Insertion checks in O(1) per position (jobs) and O(1) per pair of positions
//! (shipments, walking the delivery forward from each pickup position), on a
//! [`RouteCache`]. Exact for windows, shift, capacities, setup, travel time, distance
//! and stop limits; the working-time limit is left to the caller, and routes or tasks
//! with a maximum time on board go through the full simulation instead (`supports`).
//! Jobs are placed here; shipments, whose delivery walks forward from each pickup
//! position, in [`super::fast_shipment`] on the same pieces.

use super::cache::{RouteCache, between};
use crate::domain::TourFigures;
use crate::domain::{Objective, UNREACHABLE, earliest_start_s};
use crate::solver::instance::{Instance, Stop};

/// Whether the fast checks are exact for `task` on a route with this cache. The working
/// time depends on when the tour leaves, which an insertion anywhere can change: for a
/// vehicle with a working-time limit the caller verifies the best placements by
/// simulation; the duration objective, vehicles that reload (whose reloads move with
/// every insertion), vehicles with driver breaks (which move with every insertion too,
/// and may hold a stop's load), routes with sequence-locked stops (whose order only
/// `evaluate` checks), goods kept apart on board (which depends on the order)
/// fair workloads (which weigh each route's working time) and soft windows (whose
/// lateness and earliness the cached latest arrivals and the cost here do not price)
/// always simulate. So do vehicles priced by a cost matrix: the cache keeps no running
/// sum of its cells.
pub fn supports(instance: &Instance, vehicle: usize, cache: &RouteCache, task: usize) -> bool {
    let v = &instance.problem.vehicles[vehicle];
    instance.objective != Objective::Duration
        && !instance.matrices[v.profile].has_costs()
        && v.reload.is_none()
        && v.breaks.is_empty()
        && !instance.locks.sequenced[vehicle]
        && !instance.kept_apart_on_board(task)
        && instance.problem.options.balance_per_hour <= 0.0
        && !instance.soft_windows
        && !cache.limited_on_board
        && instance.task_stops[task]
            .iter()
            .all(|&s| instance.stops[s].max_on_board_s.is_none())
}

/// A feasible placement and the route's objective after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Route position of the first stop.
    pub first: usize,
    /// Route position of the second stop after the first is inserted (0 for jobs).
    pub second: usize,
    /// The route's objective after insertion.
    pub objective: i64,
}

/// Whether old node `b` and the rest of the route stay feasible after a new stop at
/// (`location`, `site`) departing at `departure_s`; if so, how much the service time of
/// node `b` changes (its setup depends on its predecessor's site).
#[inline]
pub(super) fn tail(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    b: usize,
    location: usize,
    site: usize,
    departure_s: i64,
) -> Option<i64> {
    let leg_s = between(instance, vehicle, Some(location), cache.location[b], true);
    tail_after(instance, cache, b, leg_s, site, departure_s)
}

/// [`tail`] with the leg from the new stop to node `b` already read (`leg_s`).
#[inline]
pub(super) fn tail_after(
    instance: &Instance,
    cache: &RouteCache,
    b: usize,
    leg_s: i64,
    site: usize,
    departure_s: i64,
) -> Option<i64> {
    let arrival_s = departure_s + leg_s;
    if leg_s >= UNREACHABLE || arrival_s > cache.latest_at(b, Some(site)) {
        return None;
    }
    if b == cache.len() + 1 {
        return Some(0);
    }
    let next: &Stop = &instance.stops[cache.stop[b]];
    let service_s = next.service_s
        + if Some(site) == cache.site[b] {
            0
        } else {
            next.setup_s
        };
    Some(service_s - cache.service_s[b])
}

/// Totals of the route after an insertion, checked against the vehicle's limits.
pub(super) struct After {
    pub(super) distance_m: i64,
    pub(super) travel_s: i64,
    pub(super) service_s: i64,
    pub(super) stops: usize,
}

/// The route's objective once a placement changes it to `after`; `None` when that
/// breaks the vehicle's travel-time, distance or stop limit.
#[inline]
pub(super) fn objective(instance: &Instance, vehicle: usize, after: &After) -> Option<i64> {
    let v = &instance.problem.vehicles[vehicle];
    if v.max_stops.is_some_and(|limit| after.stops > limit)
        || v.max_travel_time_s
            .is_some_and(|limit| after.travel_s > limit)
        || v.max_distance_m
            .is_some_and(|limit| after.distance_m > limit)
    {
        return None;
    }
    Some(match instance.objective {
        Objective::Distance => after.distance_m,
        _ => v
            .costs
            .tour_cost_micro(after.distance_m, after.travel_s, after.service_s, 0),
    })
}

/// Arrival, service start, service and departure at `stop` after a node at
/// (`location`, `site`) departing at `departure_s`; `None` when a window is missed.
#[inline]
pub(super) fn visit(
    instance: &Instance,
    vehicle: usize,
    stop: &Stop,
    location: Option<usize>,
    site: Option<usize>,
    departure_s: i64,
) -> Option<(i64, i64)> {
    let leg_s = between(instance, vehicle, location, Some(stop.location), true);
    visit_after(stop, leg_s, site, departure_s)
}

/// [`visit`] with the leg to `stop` already read (`leg_s`).
#[inline]
pub(super) fn visit_after(
    stop: &Stop,
    leg_s: i64,
    site: Option<usize>,
    departure_s: i64,
) -> Option<(i64, i64)> {
    if leg_s >= UNREACHABLE {
        return None;
    }
    let start_s = earliest_start_s(&stop.windows, departure_s + leg_s)?;
    let service_s = stop.service_s
        + if site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        };
    Some((start_s, service_s))
}

/// Whether `extra` on top of `load` stays within `capacity` in every dimension.
#[inline]
pub(super) fn fits(load: &[i64], extra: &[i64], capacity: &[i64]) -> bool {
    load.iter()
        .zip(extra)
        .zip(capacity)
        .all(|((l, e), c)| l + e <= *c)
}

/// Every feasible position of job `stop_index` with its objective.
pub fn job(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    figures: &TourFigures,
    stop_index: usize,
    mut visit_position: impl FnMut(Placement),
) {
    let stop = &instance.stops[stop_index];
    let capacity = &instance.problem.vehicles[vehicle].capacity;
    let dims = capacity.len();
    let n = cache.len();
    let delivery = &stop.start_load;
    let pickup: Vec<i64> = stop
        .change
        .iter()
        .zip(delivery)
        .map(|(c, d)| c + d)
        .collect();
    for a in 0..=n {
        let range = |k: usize| k * dims..(k + 1) * dims;
        if !fits(&cache.prefix_max[range(a)], delivery, capacity)
            || !fits(&cache.load[range(a)], &pickup, capacity)
            || !fits(&cache.suffix_max[range(a + 1)], &pickup, capacity)
        {
            continue;
        }
        let Some((start_s, service_s)) = visit(
            instance,
            vehicle,
            stop,
            cache.location[a],
            cache.site[a],
            cache.departure_s[a],
        ) else {
            continue;
        };
        let Some(service_change_s) = tail(
            instance,
            vehicle,
            cache,
            a + 1,
            stop.location,
            stop.site,
            start_s + service_s,
        ) else {
            continue;
        };
        let after = After {
            distance_m: figures.distance_m
                + cache.distance_m_via(instance, vehicle, a, stop.location),
            travel_s: figures.travel_s + cache.travel_s_via(instance, vehicle, a, stop.location),
            service_s: figures.service_s + service_s + service_change_s,
            stops: n + 1,
        };
        if let Some(objective) = objective(instance, vehicle, &after) {
            visit_position(Placement {
                first: a,
                second: 0,
                objective,
            });
        }
    }
}
