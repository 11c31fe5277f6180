//! What a shipment's pair walk ([`super::fast_shipment`]) reads of the matrices, read
//! once per (shipment, route) instead of once per pair: per node of the route, the legs
//! of the delivery placed right after it (the arc that reaches a node is the cache's,
//! [`RouteCache::hops`]). Every pair
//! (pickup after node i, delivery after node j) re-timed node j and read five to eight
//! matrix cells, each through the vehicle's profile and table; on the 12-producer
//! pooling report those reads were a quarter of the search. The figures are the same
//! sums the walk made, in the same order, so the walk's answers do not change.
//!
//! Kept in the evaluation scratch, so that the buffers allocate only when a route is
//! longer than every one before (the bound's two vectors were allocated per call).

use super::cache::{Hop, RouteCache, between};
use crate::solver::instance::Instance;

/// Per node of one route, the legs of one delivery location (nodes numbered as in
/// [`RouteCache`]: 0 = start, 1..=n stops, n + 1 = end).
#[derive(Debug, Clone, Default)]
pub struct DeliveryLegs {
    /// Per node j ≤ n: travel time from node j to the delivery, seconds.
    pub to_s: Vec<i64>,
    /// Per node j ≤ n: travel time from the delivery to node j + 1, seconds.
    pub from_s: Vec<i64>,
    /// Per node j ≤ n: extra distance of the delivery between node j and node j + 1,
    /// metres ([`RouteCache::distance_m_via`]).
    pub via_distance_m: Vec<i64>,
    /// The same for the driving, seconds ([`RouteCache::travel_s_via`]).
    pub via_travel_s: Vec<i64>,
    /// Per j ≤ n + 1: the smallest `via_distance_m` at a node ≥ j (`i64::MAX` at n + 1).
    pub min_distance_m: Vec<i64>,
    /// The same for `via_travel_s`.
    pub min_travel_s: Vec<i64>,
}

/// Makes `buffer` `len` copies of `value`, keeping its allocation.
fn refill(buffer: &mut Vec<i64>, value: i64, len: usize) {
    buffer.clear();
    buffer.resize(len, value);
}

impl DeliveryLegs {
    /// Makes these the legs of a delivery at matrix index `delivery` on the route of
    /// `cache` on `vehicle`, in the buffers already held.
    pub fn fill(
        &mut self,
        instance: &Instance,
        vehicle: usize,
        cache: &RouteCache,
        delivery: usize,
    ) {
        let n = cache.len();
        let time = |a: Option<usize>, b: Option<usize>| between(instance, vehicle, a, b, true);
        let distance = |a: Option<usize>, b: Option<usize>| between(instance, vehicle, a, b, false);
        refill(&mut self.to_s, 0, n + 1);
        refill(&mut self.from_s, 0, n + 1);
        refill(&mut self.via_distance_m, 0, n + 1);
        refill(&mut self.via_travel_s, 0, n + 1);
        refill(&mut self.min_distance_m, i64::MAX, n + 2);
        refill(&mut self.min_travel_s, i64::MAX, n + 2);
        for j in 0..=n {
            let (here, next) = (cache.location[j], cache.location[j + 1]);
            self.to_s[j] = time(here, Some(delivery));
            self.from_s[j] = time(Some(delivery), next);
            // As `RouteCache::via` sums them: an empty route replaces no arc.
            let replaced = if n == 0 {
                Hop::default()
            } else {
                cache.hops[j + 1]
            };
            self.via_travel_s[j] = self.to_s[j] + self.from_s[j] - replaced.travel_s;
            self.via_distance_m[j] = distance(here, Some(delivery))
                + distance(Some(delivery), next)
                - replaced.distance_m;
        }
        for j in (0..=n).rev() {
            self.min_distance_m[j] = self.min_distance_m[j + 1].min(self.via_distance_m[j]);
            self.min_travel_s[j] = self.min_travel_s[j + 1].min(self.via_travel_s[j]);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::solver::tests::{lilim, regret_plan};

    /// Filled in turn for routes of other lengths and other deliveries, the reused
    /// buffers hold the cache's own legs, as fresh ones do.
    #[test]
    fn reused_legs_equal_the_cache_legs_route_after_route() {
        let solved = lilim(include_str!("../../../data/lilim/lc101.txt"));
        let instance = Instance::new(&solved.problem, &solved.matrices);
        let plan = regret_plan(&instance);
        let mut reused = DeliveryLegs::default();
        let mut routes = 0;
        for (vehicle, cache) in plan.caches.iter().enumerate().rev() {
            for delivery in [0, instance.stops[instance.stops.len() - 1].location] {
                reused.fill(&instance, vehicle, cache, delivery);
                let mut fresh = DeliveryLegs::default();
                fresh.fill(&instance, vehicle, cache, delivery);
                let n = cache.len();
                assert_eq!(reused.to_s.len(), n + 1);
                for j in 0..=n {
                    let via_d = cache.distance_m_via(&instance, vehicle, j, delivery);
                    let via_t = cache.travel_s_via(&instance, vehicle, j, delivery);
                    assert_eq!(
                        (reused.via_distance_m[j], reused.via_travel_s[j]),
                        (via_d, via_t)
                    );
                    let (from, to) = (cache.location[j], cache.location[j + 1]);
                    let arc_s =
                        crate::solver::route::cache::between(&instance, vehicle, from, to, true);
                    assert_eq!(cache.hops[j + 1].travel_s, arc_s);
                }
                assert_eq!(format!("{reused:?}"), format!("{fresh:?}"));
            }
            routes += usize::from(cache.len() > 0);
        }
        assert!(routes > 1, "{routes} routes with stops");
    }
}
