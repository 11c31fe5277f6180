//! The delivery's side of [`super::linear_shipment`]: per delivery position, the
//! largest delay of the node before it that the delivery's window and the rest of the
//! route still absorb, and what the delivery adds there (distance, driving, service)
//! with its order key. None of it depends on where the pickup goes, once a node lies
//! between the two.

use super::cache::{NEVER, RouteCache, between};
use crate::domain::{Objective, UNREACHABLE};
use crate::solver::instance::{Instance, Stop};

/// Far beyond any time of the horizon, and still safe to add to.
pub(super) const OPEN: i128 = i128::MAX / 4;

/// Latest start within one window (none: always open).
pub(super) fn window_end(stop: &Stop) -> i128 {
    stop.windows.first().map_or(OPEN, |w| i128::from(w.end_s))
}

/// The largest delay of node `j`'s departure that still lets the delivery go right
/// after it (its window, then the rest of the route); `None` when none does.
pub(super) fn open_after(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    j: usize,
    delivery: &Stop,
) -> Option<i128> {
    let to_delivery_s = between(
        instance,
        vehicle,
        cache.location[j],
        Some(delivery.location),
        true,
    );
    let to_next_s = between(
        instance,
        vehicle,
        Some(delivery.location),
        cache.location[j + 1],
        true,
    );
    if to_delivery_s >= UNREACHABLE || to_next_s >= UNREACHABLE {
        return None;
    }
    let service_s = delivery_service_s(cache, j, delivery);
    let arrival_s = i128::from(cache.departure_s[j] + to_delivery_s);
    let opens_s = delivery
        .windows
        .first()
        .map_or(i128::MIN, |w| i128::from(w.start_s));
    let start_s = arrival_s.max(opens_s);
    let latest_s = cache.latest_at(j + 1, Some(delivery.site));
    let after_s = i128::from(service_s + to_next_s);
    if latest_s <= NEVER
        || start_s > window_end(delivery)
        || start_s + after_s > i128::from(latest_s)
    {
        return None;
    }
    Some((window_end(delivery) - arrival_s).min(i128::from(latest_s) - after_s - arrival_s))
}

/// The delivery's setup and service right after node `j`.
pub(super) fn delivery_service_s(cache: &RouteCache, j: usize, delivery: &Stop) -> i64 {
    let setup_s = if cache.site[j] == Some(delivery.site) {
        0
    } else {
        delivery.setup_s
    };
    delivery.service_s + setup_s
}

/// What the delivery right after node `j` adds (with a node between it and the pickup):
/// distance, driving, and service (its own and node j + 1's setup change).
pub(super) fn added(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    j: usize,
    delivery: &Stop,
) -> (i64, i64, i64) {
    let mut service_s = delivery_service_s(cache, j, delivery);
    if j < cache.len() {
        let next = &instance.stops[cache.stop[j + 1]];
        let setup_s = if cache.site[j + 1] == Some(delivery.site) {
            0
        } else {
            next.setup_s
        };
        service_s += next.service_s + setup_s - cache.service_s[j + 1];
    }
    (
        cache.distance_m_via(instance, vehicle, j, delivery.location),
        cache.travel_s_via(instance, vehicle, j, delivery.location),
        service_s,
    )
}

/// The order key of the delivery right after node `j`: what it adds to the objective,
/// unrounded (× 36,000 for costs).
pub(super) fn key(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    j: usize,
    delivery: &Stop,
) -> i128 {
    let (distance_m, travel_s, service_s) = added(instance, vehicle, cache, j, delivery);
    match instance.objective {
        Objective::Distance => i128::from(distance_m),
        _ => {
            let costs = &instance.problem.vehicles[vehicle].costs;
            i128::from(costs.per_km_micro) * i128::from(distance_m) * 36
                + i128::from(costs.per_hour_micro) * i128::from(travel_s) * 10
                + i128::from(costs.per_task_hour_micro) * i128::from(service_s) * 10
        }
    }
}
