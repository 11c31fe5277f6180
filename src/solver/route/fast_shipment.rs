//! The O(1)-per-pair insertion check of a shipment on a [`RouteCache`]: for each pickup
//! position, the delivery walks forward node by node with the pickup on board
//! ([`OnBoard`]), re-timing only the nodes it passes. Built on the pieces of
//! [`super::fast_insertion`] and exact under the same conditions (`supports`).

use super::cache::{RouteCache, between};
use super::delivery_legs::DeliveryLegs;
use super::fast_insertion::{After, Placement, fits, objective, tail_after, visit, visit_after};
use crate::domain::{Costs, Objective, TourFigures};
use crate::solver::instance::{Instance, Stop};

/// Which pairs [`shipment`] walks to.
#[derive(Debug, Clone, Copy)]
pub struct Walk {
    /// Whether pairs that cannot beat the cheapest placement taken so far are skipped.
    pub prune: bool,
    /// With `prune`: the route objective above which no placement is wanted at all (a
    /// caller that has a cheaper insertion elsewhere), as if one that dear were taken.
    pub ceiling: Option<i64>,
}

/// Every feasible pair of positions of a shipment (pickup `pickup_index`, delivery the
/// next stop) with its objective, to `visit_pair`, which says whether it took the
/// placement into account (false: skipped, e.g. by a blink). With `walk.prune`, pairs
/// that cannot beat the cheapest placement taken so far (or `walk.ceiling`) are not
/// walked to (see [`Bound`]): the cheapest placement is the same (when within the
/// ceiling), found in O(route) pairs where the walk is O(route²) — the cost of a
/// shipment's insertion on long routes. Without it (a caller that keeps every
/// placement), every feasible pair is visited. The delivery's legs are read once into
/// `legs` (a caller's reused buffers). Says whether the bound left any pair out.
pub fn shipment(
    instance: &Instance,
    vehicle: usize,
    (cache, figures): (&RouteCache, &TourFigures),
    pickup_index: usize,
    walk: Walk,
    legs: &mut DeliveryLegs,
    mut visit_pair: impl FnMut(Placement) -> bool,
) -> bool {
    let pickup = &instance.stops[pickup_index];
    let delivery = &instance.stops[pickup_index + 1];
    let capacity = &instance.problem.vehicles[vehicle].capacity;
    let n = cache.len();
    legs.fill(instance, vehicle, cache, delivery.location);
    let route = Route {
        instance,
        vehicle,
        cache,
        figures,
        legs,
        delivery,
        pickup_to_delivery_s: between(
            instance,
            vehicle,
            Some(pickup.location),
            Some(delivery.location),
            true,
        ),
    };
    let bound = if walk.prune {
        Bound::new(instance, vehicle, figures, legs)
    } else {
        None
    };
    let mut cheapest: Option<i64> = walk.ceiling.filter(|_| walk.prune);
    let mut pruned = false;
    for i in 0..=n {
        let Some(mut on_board) =
            OnBoard::after_pickup(instance, vehicle, cache, i, pickup, capacity)
        else {
            continue;
        };
        let mut lowest = Lowest::default();
        // Walk j = i, i+1, …: the delivery goes right after old node j (or after the
        // pickup when j = i); nodes i+1..=j are re-timed with the pickup before them.
        for j in i..=n {
            if j > i
                && let (Some(bound), Some(cheapest)) = (&bound, cheapest)
                && bound.lowest(&on_board, j, &mut lowest) > cheapest
            {
                pruned = true;
                break;
            }
            if j > i && !on_board.pass(&route, i, j) {
                break;
            }
            // A missed delivery window here may reopen later: keep walking.
            let Some(after) = route.with_delivery(&on_board, (i, j)) else {
                continue;
            };
            if let Some(objective) = objective(instance, vehicle, &after) {
                let placement = Placement {
                    first: i,
                    second: j + 1,
                    objective,
                };
                if visit_pair(placement) {
                    cheapest = Some(cheapest.map_or(objective, |c| c.min(objective)));
                }
            }
        }
    }
    pruned
}

/// One (shipment, route) walk's fixed data: the route, its figures, and the legs of the
/// delivery read once.
struct Route<'r> {
    instance: &'r Instance<'r>,
    vehicle: usize,
    cache: &'r RouteCache,
    figures: &'r TourFigures,
    legs: &'r DeliveryLegs,
    delivery: &'r Stop,
    /// Travel time from the pickup to the delivery, seconds.
    pickup_to_delivery_s: i64,
}

impl Route<'_> {
    /// The route's figures with the pickup (on board since node `i`) and the delivery
    /// right after old node `j`; `None` when the delivery's window or the rest of the
    /// route forbids it there.
    #[inline]
    fn with_delivery(&self, on_board: &OnBoard, (i, j): (usize, usize)) -> Option<After> {
        let (instance, cache, delivery) = (self.instance, self.cache, self.delivery);
        // From the pickup when j = i, else from old node j.
        let leg_s = if j == i {
            self.pickup_to_delivery_s
        } else {
            self.legs.to_s[j]
        };
        let (delivery_start_s, delivery_service_s) =
            visit_after(delivery, leg_s, on_board.site, on_board.departure_s)?;
        let service_change_s = tail_after(
            instance,
            cache,
            j + 1,
            self.legs.from_s[j],
            delivery.site,
            delivery_start_s + delivery_service_s,
        )?;
        let (distance_m, travel_s) = if j == i {
            adjacent_legs(
                instance,
                self.vehicle,
                cache,
                i,
                on_board.pickup_location,
                delivery.location,
            )
        } else {
            (
                on_board.between_distance_m + self.legs.via_distance_m[j],
                on_board.between_travel_s + self.legs.via_travel_s[j],
            )
        };
        Some(After {
            distance_m: self.figures.distance_m + distance_m,
            travel_s: self.figures.travel_s + travel_s,
            service_s: self.figures.service_s
                + on_board.service_s
                + delivery_service_s
                + service_change_s,
            stops: cache.len() + 2,
        })
    }
}

/// A lower bound on the objective of a shipment whose pickup went right after node i
/// and whose delivery goes right after a node j > i: the distance and the driving are
/// then the route's plus the pickup's detour plus the delivery's detour at j (the two
/// arcs are apart), so at least the route's plus the pickup's plus the smallest
/// delivery detour from j on (`DeliveryLegs::min_distance_m`, `min_travel_s`); the
/// service only grows (setup changes aside, which the bound leaves out by counting no
/// service), and the cost grows with each of the three.
struct Bound<'a> {
    objective: Objective,
    /// The vehicle's rates.
    costs: Costs,
    distance_m: i64,
    travel_s: i64,
    /// Per j: the smallest distance detour of the delivery right after a node ≥ j.
    min_distance_m: &'a [i64],
    /// The same for the driving.
    min_travel_s: &'a [i64],
}

impl<'a> Bound<'a> {
    /// `None` when a cost rate is negative (the cost would not grow with the figures).
    fn new(
        instance: &Instance,
        vehicle: usize,
        figures: &TourFigures,
        legs: &'a DeliveryLegs,
    ) -> Option<Self> {
        let costs = &instance.problem.vehicles[vehicle].costs;
        if costs.per_km_micro < 0 || costs.per_hour_micro < 0 {
            return None;
        }
        Some(Bound {
            objective: instance.objective,
            costs: *costs,
            distance_m: figures.distance_m,
            travel_s: figures.travel_s,
            min_distance_m: &legs.min_distance_m,
            min_travel_s: &legs.min_travel_s,
        })
    }

    /// The least objective of the delivery right after any node from `j` on; `memo`
    /// holds the last one of this pickup position.
    #[inline]
    fn lowest(&self, on_board: &OnBoard, j: usize, memo: &mut Lowest) -> i64 {
        // The smallest detours from j on change only where j passes their node: until
        // then the bound is the one priced last.
        let key = (self.min_distance_m[j], self.min_travel_s[j]);
        if memo.key == Some(key) {
            return memo.objective;
        }
        memo.key = Some(key);
        memo.objective = self.price(on_board, j);
        memo.objective
    }

    /// [`Self::lowest`] priced.
    #[inline]
    fn price(&self, on_board: &OnBoard, j: usize) -> i64 {
        let distance_m = self
            .distance_m
            .saturating_add(on_board.pickup_distance_m)
            .saturating_add(self.min_distance_m[j]);
        let travel_s = self
            .travel_s
            .saturating_add(on_board.pickup_travel_s)
            .saturating_add(self.min_travel_s[j]);
        match self.objective {
            Objective::Distance => distance_m,
            _ => self.costs.tour_cost_micro(distance_m, travel_s, 0, 0),
        }
    }
}

/// The last bound [`Bound::lowest`] priced for one pickup position, and the smallest
/// detours it was priced for.
#[derive(Default)]
struct Lowest {
    key: Option<(i64, i64)>,
    objective: i64,
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
    /// Row in the matrices of the pickup.
    pickup_location: usize,
    /// Site of the last node passed (the pickup's, before any).
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
            pickup_location: pickup.location,
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
    fn pass(&mut self, route: &Route, i: usize, j: usize) -> bool {
        let (instance, cache) = (route.instance, route.cache);
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
        // From the pickup when j = i + 1, else from old node j − 1.
        let leg_s = if j == i + 1 {
            let from = Some(self.pickup_location);
            between(instance, route.vehicle, from, cache.location[j], true)
        } else {
            cache.hops[j].travel_s
        };
        let Some((start_s, service_s)) = visit_after(node, leg_s, self.site, self.departure_s)
        else {
            return false;
        };
        if j == i + 1 {
            // The pickup now precedes node i+1: its leg and setup change.
            self.service_s += service_s - cache.service_s[j];
            self.between_distance_m = self.pickup_distance_m;
            self.between_travel_s = self.pickup_travel_s;
        }
        self.departure_s = start_s + service_s;
        self.site = Some(node.site);
        true
    }
}
