//! Insertion checks in O(1) per position (jobs) and O(1) per pair of positions
//! (shipments, walking the delivery forward from each pickup position), on a
//! [`RouteCache`]. Exact for windows, shift, capacities, setup, travel time, distance
//! and stop limits; the working-time limit is left to the caller, and routes or tasks
//! with a maximum time on board go through the full simulation instead (`supports`).

use super::cache::{RouteCache, between};
use super::evaluate::RouteFigures;
use crate::domain::{Objective, UNREACHABLE, earliest_start_s};
use crate::solver::instance::{Instance, Stop};

/// Whether the fast checks are exact for `task` on a route with this cache. The working
/// time depends on when the tour leaves, which an insertion anywhere can change: for a
/// vehicle with a working-time limit the caller verifies the best placements by
/// simulation; the duration objective and vehicles that reload (whose reloads move
/// with every insertion) always simulate.
pub fn supports(instance: &Instance, vehicle: usize, cache: &RouteCache, task: usize) -> bool {
    instance.objective != Objective::Duration
        && instance.problem.vehicles[vehicle].reload.is_none()
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
fn tail(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    b: usize,
    location: usize,
    site: usize,
    departure_s: i64,
) -> Option<i64> {
    let leg_s = between(instance, vehicle, Some(location), cache.location[b], true);
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
struct After {
    distance_m: i64,
    travel_s: i64,
    service_s: i64,
    stops: usize,
}

fn objective(instance: &Instance, vehicle: usize, after: &After) -> Option<i64> {
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
            .tour_cost_micro(after.distance_m, after.travel_s, after.service_s),
    })
}

/// Arrival, service start, service and departure at `stop` after a node at
/// (`location`, `site`) departing at `departure_s`; `None` when a window is missed.
fn visit(
    instance: &Instance,
    vehicle: usize,
    stop: &Stop,
    location: Option<usize>,
    site: Option<usize>,
    departure_s: i64,
) -> Option<(i64, i64)> {
    let leg_s = between(instance, vehicle, location, Some(stop.location), true);
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

fn fits(load: &[i64], extra: &[i64], capacity: &[i64]) -> bool {
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
    figures: &RouteFigures,
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

/// Every feasible pair of positions of a shipment (pickup `pickup_index`, delivery the
/// next stop) with its objective.
pub fn shipment(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    figures: &RouteFigures,
    pickup_index: usize,
    mut visit_pair: impl FnMut(Placement),
) {
    let pickup = &instance.stops[pickup_index];
    let delivery = &instance.stops[pickup_index + 1];
    let capacity = &instance.problem.vehicles[vehicle].capacity;
    let n = cache.len();
    for i in 0..=n {
        let Some(mut on_board) =
            OnBoard::after_pickup(instance, vehicle, cache, i, pickup, capacity)
        else {
            continue;
        };
        // Walk j = i, i+1, …: the delivery goes right after old node j (or after the
        // pickup when j = i); nodes i+1..=j are re-timed with the pickup before them.
        for j in i..=n {
            if j > i && !on_board.pass(instance, vehicle, cache, i, j) {
                break;
            }
            // A missed delivery window here may reopen later: keep walking.
            let Some((delivery_start_s, delivery_service_s)) = visit(
                instance,
                vehicle,
                delivery,
                on_board.location,
                on_board.site,
                on_board.departure_s,
            ) else {
                continue;
            };
            let Some(service_change_s) = tail(
                instance,
                vehicle,
                cache,
                j + 1,
                delivery.location,
                delivery.site,
                delivery_start_s + delivery_service_s,
            ) else {
                continue;
            };
            let (distance_m, travel_s) = if j == i {
                adjacent_legs(
                    instance,
                    vehicle,
                    cache,
                    i,
                    pickup.location,
                    delivery.location,
                )
            } else {
                (
                    on_board.between_distance_m
                        + cache.distance_m_via(instance, vehicle, j, delivery.location),
                    on_board.between_travel_s
                        + cache.travel_s_via(instance, vehicle, j, delivery.location),
                )
            };
            let after = After {
                distance_m: figures.distance_m + distance_m,
                travel_s: figures.travel_s + travel_s,
                service_s: figures.service_s
                    + on_board.service_s
                    + delivery_service_s
                    + service_change_s,
                stops: n + 2,
            };
            if let Some(objective) = objective(instance, vehicle, &after) {
                visit_pair(Placement {
                    first: i,
                    second: j + 1,
                    objective,
                });
            }
        }
    }
}

/// Extra distance and driving of a shipment whose pickup and delivery both go between
/// node `i` and node `i + 1`: i → pickup → delivery → i + 1 replaces i → i + 1.
#[inline]
fn adjacent_legs(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    i: usize,
    pickup: usize,
    delivery: usize,
) -> (i64, i64) {
    let (from, to) = (cache.location[i], cache.location[i + 1]);
    let d = |a: Option<usize>, b: Option<usize>| between(instance, vehicle, a, b, false);
    let t = |a: Option<usize>, b: Option<usize>| between(instance, vehicle, a, b, true);
    let p = Some(pickup);
    let q = Some(delivery);
    // An empty route drives nothing: no arc start → end to replace.
    let (old_d, old_t) = if cache.len() == 0 {
        (0, 0)
    } else {
        (d(from, to), t(from, to))
    };
    (
        d(from, p) + d(p, q) + d(q, to) - old_d,
        t(from, p) + t(p, q) + t(q, to) - old_t,
    )
}

/// A shipment's pickup on board while the walk looks for where its delivery goes: the
/// last node passed, when it was left, and what the pickup changed so far.
struct OnBoard<'a> {
    /// The pickup's load, per dimension.
    amount: &'a [i64],
    /// The vehicle's capacity, per dimension.
    capacity: &'a [i64],
    location: Option<usize>,
    site: Option<usize>,
    departure_s: i64,
    /// Service the pickup adds: its own and the setup change of the node after it.
    service_s: i64,
    /// Extra distance and driving of the pickup between node i and node i + 1.
    pickup_distance_m: i64,
    pickup_travel_s: i64,
    /// The same once a node lies between the pickup and the delivery (0 before).
    between_distance_m: i64,
    between_travel_s: i64,
}

impl<'a> OnBoard<'a> {
    /// The pickup placed right after node `i`, if its load and window allow.
    #[inline]
    fn after_pickup(
        instance: &Instance,
        vehicle: usize,
        cache: &RouteCache,
        i: usize,
        pickup: &'a Stop,
        capacity: &'a [i64],
    ) -> Option<Self> {
        let dims = capacity.len();
        let amount = &pickup.change;
        if !fits(&cache.load[i * dims..(i + 1) * dims], amount, capacity) {
            return None;
        }
        let (pickup_start_s, pickup_service_s) = visit(
            instance,
            vehicle,
            pickup,
            cache.location[i],
            cache.site[i],
            cache.departure_s[i],
        )?;
        let pickup_distance_m = cache.distance_m_via(instance, vehicle, i, pickup.location);
        let pickup_travel_s = cache.travel_s_via(instance, vehicle, i, pickup.location);
        Some(OnBoard {
            amount,
            capacity,
            location: Some(pickup.location),
            site: Some(pickup.site),
            departure_s: pickup_start_s + pickup_service_s,
            service_s: pickup_service_s,
            pickup_distance_m,
            pickup_travel_s,
            between_distance_m: 0,
            between_travel_s: 0,
        })
    }

    /// Passes old node `j` (after `i`, the pickup's position) with the pickup on board;
    /// false when its load or window forbids it, and so every later delivery position.
    #[inline]
    fn pass(
        &mut self,
        instance: &Instance,
        vehicle: usize,
        cache: &RouteCache,
        i: usize,
        j: usize,
    ) -> bool {
        let dims = self.capacity.len();
        // Re-time node j after its (possibly new) predecessor.
        let node: &Stop = &instance.stops[cache.stop[j]];
        if !fits(
            &cache.load[j * dims..(j + 1) * dims],
            self.amount,
            self.capacity,
        ) {
            return false;
        }
        let Some((start_s, service_s)) = visit(
            instance,
            vehicle,
            node,
            self.location,
            self.site,
            self.departure_s,
        ) else {
            return false;
        };
        if j == i + 1 {
            // The pickup now precedes node i+1: its leg and setup change.
            self.service_s += service_s - cache.service_s[j];
            self.between_distance_m = self.pickup_distance_m;
            self.between_travel_s = self.pickup_travel_s;
        }
        self.departure_s = start_s + service_s;
        self.location = Some(node.location);
        self.site = Some(node.site);
        true
    }
}
