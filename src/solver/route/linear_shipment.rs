//! The cheapest delivery position for every pickup position of a shipment on a long
//! route in O(n log n) per route, where [`super::fast_shipment`]'s walk re-times the
//! nodes between pickup and delivery pair by pair (O(n²) when its bound prunes little).
//!
//! Segment data of the route's forward schedule (Vidal et al. 2013's concatenation, for
//! one window per stop): with `W_k` the waiting summed over nodes 1..=k, a delay `d`
//! that the pickup adds at node i + 1 is still `max(0, d - (W_k - W_{i+1}))` at node
//! k. So with `X = d + W_{i+1}`, node k ≥ i + 2 keeps its window iff `X ≤ slack_k +
//! W_k` (its "gate"), and the delivery fits right after node j iff `X ≤ open_j`, where
//! `open_j` is the largest delay the delivery's window and the rest of the route absorb
//! there, plus `W_j`. What the delivery adds after node j (distance, driving, service
//! and the setup change of node j + 1) does not depend on the pickup's position once
//! a node lies between them, so each pickup position's best delivery is a range query
//! over the positions its gates leave open: queries by decreasing `X`, delivery
//! positions entering a [`MinTree`] by decreasing `open_j`.
//!
//! Exact (same placement, same objective, ties to the first position, as the walk) for
//! one window per stop, the distance objective or cost rates ≥ 0 (the rounding of the
//! cost's three terms is covered by a band, see [`ROUNDING_BAND`]), no travel-time or
//! distance limit (which would tie the best delivery to the pickup's position); any
//! other route goes through the walk (`applies`). Not called by the search yet: the
//! pruned walk measured faster (see `LINEAR_FROM`). It reports one placement per pickup
//! position (its cheapest), where the walk reports every pair it reaches: a blink then
//! skips a pickup position's best, not one pair.

use std::cell::RefCell;

use super::cache::RouteCache;
use super::fast_insertion::{After, Placement, fits, objective};
use super::fast_shipment::{OnBoard, with_delivery};
use super::linear_delivery::{added, key, open_after, window_end};
use super::min_tree::{EMPTY, MinTree};
use crate::domain::{Objective, TourFigures};
use crate::solver::instance::{Instance, Stop};

/// Routes from this length on are where this could replace the walk. Not wired in:
/// measured on the generated rounds (BENCHMARKS.md, "Shipment insertion from segment
/// data"), the walk with its lower bound was faster even at 2,000 stops.
pub const LINEAR_FROM: usize = 96;

/// The cost objective's key is 36,000 × its unrounded value; the three rounded terms
/// are each within ½ of theirs, so two placements' costs differ by at most 3 from
/// their keys' difference / 36,000: every key within this of the least may still win.
const ROUNDING_BAND: i128 = 3 * 36_000;

/// Buffers kept between calls on one thread.
#[derive(Default)]
struct Buffers {
    gates: MinTree,
    keys: MinTree,
    /// Per node: waiting summed over nodes 1..=k.
    waited_s: Vec<i64>,
    /// Per node: first node ≥ k whose load cannot take the pickup's (n + 1: none).
    full_from: Vec<usize>,
    /// Per delivery position j: `open_j` (None: the delivery never fits there) and key.
    open: Vec<Option<(i128, i128)>>,
    /// Delivery positions by decreasing `open_j`.
    order: Vec<usize>,
    /// Pickup positions to query for deliveries two nodes on or later.
    queries: Vec<Query>,
    /// Per pickup position: its cheapest placement so far.
    best: Vec<Option<Placement>>,
}

/// A pickup position whose delivery may go two nodes on or later.
#[derive(Debug, Clone, Copy)]
struct Query {
    /// Its `X`: the delay at node i + 1 plus the waiting summed up to there.
    x: i128,
    /// The pickup position i.
    pickup: usize,
    /// The last delivery position its gates and loads leave open.
    last: usize,
    /// What the pickup adds to every such placement: distance, driving, service.
    share: (i64, i64, i64),
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// Whether [`shipment`] is exact and worth it for `pickup_index`'s shipment here.
pub fn applies(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    pickup_index: usize,
) -> bool {
    cache.len() >= LINEAR_FROM && exact(instance, vehicle, cache, pickup_index)
}

/// Whether [`shipment`] is exact for `pickup_index`'s shipment on this route (where
/// the walk's own conditions, `fast_insertion::supports`, hold).
pub fn exact(instance: &Instance, vehicle: usize, cache: &RouteCache, pickup_index: usize) -> bool {
    let v = &instance.problem.vehicles[vehicle];
    let costs = &v.costs;
    let n = cache.len();
    let one_window = |stop: usize| instance.stops[stop].windows.len() <= 1;
    v.max_travel_time_s.is_none()
        && v.max_distance_m.is_none()
        && (instance.objective == Objective::Distance
            || (costs.per_km_micro >= 0
                && costs.per_hour_micro >= 0
                && costs.per_task_hour_micro >= 0))
        && one_window(pickup_index)
        && one_window(pickup_index + 1)
        && cache.stop[1..=n].iter().all(|&stop| one_window(stop))
}

/// The cheapest feasible placement of the shipment (pickup `pickup_index`, delivery the
/// next stop) for each pickup position with one, in increasing position, to `visit`.
pub fn shipment(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    figures: &TourFigures,
    pickup_index: usize,
    mut visit: impl FnMut(Placement) -> bool,
) {
    BUFFERS.with(|buffers| {
        let buffers = &mut *buffers.borrow_mut();
        let delivery = &instance.stops[pickup_index + 1];
        segments(instance, vehicle, cache, pickup_index, buffers);
        near_placements(instance, vehicle, cache, figures, pickup_index, buffers);
        far_placements(instance, vehicle, cache, figures, delivery, buffers);
        for placement in buffers.best.iter().flatten() {
            visit(*placement);
        }
    });
}

/// Waiting, gates, capacity and delivery positions of the route for this shipment.
fn segments(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    pickup_index: usize,
    buffers: &mut Buffers,
) {
    let n = cache.len();
    let amount = &instance.stops[pickup_index].change;
    let capacity = &instance.problem.vehicles[vehicle].capacity;
    let dims = capacity.len();
    buffers.waited_s.clear();
    buffers.waited_s.push(0);
    buffers.gates.reset(n + 2);
    for k in 1..=n {
        let stop = &instance.stops[cache.stop[k]];
        let arrival_s = cache.departure_s[k - 1] + cache.travel_s(instance, vehicle, k - 1, k);
        let start_s = cache.departure_s[k] - cache.service_s[k];
        let waited_s = buffers.waited_s[k - 1] + (start_s - arrival_s);
        buffers.waited_s.push(waited_s);
        let slack = window_end(stop) - i128::from(start_s);
        buffers.gates.set(k, slack + i128::from(waited_s));
    }
    buffers.waited_s.push(buffers.waited_s[n]);
    buffers.full_from.clear();
    buffers.full_from.resize(n + 2, n + 1);
    for k in (0..=n).rev() {
        let full = !fits(&cache.load[k * dims..(k + 1) * dims], amount, capacity);
        buffers.full_from[k] = if full { k } else { buffers.full_from[k + 1] };
    }
    let delivery = &instance.stops[pickup_index + 1];
    buffers.open.clear();
    buffers.open.push(None);
    for j in 1..=n {
        let open = open_after(instance, vehicle, cache, j, delivery);
        let key = key(instance, vehicle, cache, j, delivery);
        buffers
            .open
            .push(open.map(|open| (open + i128::from(buffers.waited_s[j]), key)));
    }
    buffers.order.clear();
    buffers
        .order
        .extend((2..=n).filter(|&j| buffers.open[j].is_some()));
    let open = &buffers.open;
    buffers
        .order
        .sort_by_key(|&j| std::cmp::Reverse(open[j].map_or(i128::MIN, |(o, _)| o)));
}

/// The placements with the delivery right after the pickup or one node later, and the
/// queries for the later ones; a pickup position whose pickup makes node i + 1 earlier
/// (no triangle inequality, a setup saved) walks its later positions instead.
fn near_placements(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    figures: &TourFigures,
    pickup_index: usize,
    buffers: &mut Buffers,
) {
    let n = cache.len();
    let pickup = &instance.stops[pickup_index];
    let delivery = &instance.stops[pickup_index + 1];
    let capacity = &instance.problem.vehicles[vehicle].capacity;
    buffers.best.clear();
    buffers.best.resize(n + 1, None);
    buffers.queries.clear();
    for i in 0..=n {
        let Some(mut on_board) =
            OnBoard::after_pickup(instance, vehicle, cache, i, pickup, capacity)
        else {
            continue;
        };
        let offer = |best: &mut Option<Placement>, on_board: &OnBoard, j: usize| {
            let after = with_delivery(
                instance,
                vehicle,
                cache,
                figures,
                on_board,
                (i, j),
                delivery,
            );
            if let Some(objective) = after.and_then(|after| objective(instance, vehicle, &after))
                && best.is_none_or(|b| objective < b.objective)
            {
                *best = Some(Placement {
                    first: i,
                    second: j + 1,
                    objective,
                });
            }
        };
        offer(&mut buffers.best[i], &on_board, i);
        if i == n || !on_board.pass(instance, vehicle, cache, i, i + 1) {
            continue;
        }
        offer(&mut buffers.best[i], &on_board, i + 1);
        let delay_s = on_board.departure_s - cache.departure_s[i + 1];
        if delay_s < 0 {
            for j in i + 2..=n {
                if !on_board.pass(instance, vehicle, cache, i, j) {
                    break;
                }
                offer(&mut buffers.best[i], &on_board, j);
            }
            continue;
        }
        let x = i128::from(delay_s) + i128::from(buffers.waited_s[i + 1]);
        let late = buffers.gates.first_below(i + 2, x).unwrap_or(n + 1);
        let last = late.min(buffers.full_from[i + 1]).saturating_sub(1).min(n);
        if last >= i + 2 {
            buffers.queries.push(Query {
                x,
                pickup: i,
                last,
                share: (
                    on_board.between_distance_m,
                    on_board.between_travel_s,
                    on_board.service_s,
                ),
            });
        }
    }
}

/// The cheapest placement with the delivery two nodes or more after the pickup, for
/// every query: by decreasing `X`, each delivery position enters the key tree once its
/// `open_j` admits the query's delay; the least keys of the query's range (within the
/// rounding band) are priced exactly, the first of equal objectives kept.
fn far_placements(
    instance: &Instance,
    vehicle: usize,
    cache: &RouteCache,
    figures: &TourFigures,
    delivery: &Stop,
    buffers: &mut Buffers,
) {
    let n = cache.len();
    let band = if instance.objective == Objective::Distance {
        0
    } else {
        ROUNDING_BAND
    };
    let Buffers {
        keys,
        open,
        order,
        queries,
        best,
        ..
    } = buffers;
    keys.reset(n + 2);
    queries.sort_by_key(|q| std::cmp::Reverse(q.x));
    let mut entered = 0;
    for query in queries.iter() {
        while let Some(&j) = order.get(entered)
            && let Some((open_j, key)) = open[j]
            && open_j >= query.x
        {
            keys.set(j, key);
            entered += 1;
        }
        let range = query.pickup + 2..query.last + 1;
        let least = keys.min_in(range.clone());
        if least == EMPTY {
            continue;
        }
        let i = query.pickup;
        let (distance_m, travel_s, service_s) = query.share;
        keys.each_at_most(range, least.saturating_add(band), &mut |j| {
            let (d, t, s) = added(instance, vehicle, cache, j, delivery);
            let after = After {
                distance_m: figures.distance_m + distance_m + d,
                travel_s: figures.travel_s + travel_s + t,
                service_s: figures.service_s + service_s + s,
                stops: n + 2,
            };
            if let Some(objective) = objective(instance, vehicle, &after)
                && best[i].is_none_or(|b| objective < b.objective)
            {
                best[i] = Some(Placement {
                    first: i,
                    second: j + 1,
                    objective,
                });
            }
        });
    }
}

#[cfg(test)]
#[path = "linear_shipment_tests.rs"]
mod tests;
