//! Per-route data that makes an insertion check O(1) per position (Savelsbergh 1992;
//! Vidal et al. 2013): the earliest schedule, the latest arrival at each node that keeps
//! the rest of the route feasible (with several windows per stop and setup paid or
//! not), and load maxima before and after each node.
//!
//! Nodes are numbered 0 = start, 1..=n = the route's stops, n + 1 = end.
//!
//! Hard windows only: the latest arrivals assume no stop may start late, and nothing
//! here prices a penalty. A problem with soft windows never reads these figures (the
//! fast paths' `supports` sends its insertions through the simulation).

use crate::domain::{TimeWindow, earliest_start_s};
use crate::solver::instance::Instance;

/// Marks a node that no arrival time can make feasible.
pub const NEVER: i64 = i64::MIN / 4;

/// Latest arrival at a stop with `windows` whose service (of `service_s`) must start by
/// `latest_start_s`, given that waiting is allowed.
pub fn latest_arrival_s(windows: &[TimeWindow], latest_start_s: i64) -> i64 {
    if windows.is_empty() {
        return latest_start_s;
    }
    windows
        .iter()
        .filter(|w| w.start_s <= latest_start_s)
        .map(|w| w.end_s.min(latest_start_s))
        .max()
        .unwrap_or(NEVER)
}

/// Makes `buffer` `len` copies of `value`, keeping its allocation.
fn refill(buffer: &mut Vec<i64>, value: i64, len: usize) {
    buffer.clear();
    buffer.resize(len, value);
}

/// The arc that reaches a node from the node before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hop {
    /// Distance, metres (0 next to an open start or end).
    pub distance_m: i64,
    /// Travel time, seconds (0 next to an open start or end).
    pub travel_s: i64,
}

/// Cached figures of one route.
#[derive(Debug, Clone, Default)]
pub struct RouteCache {
    /// Matrix index per node (`None`: open start or end).
    pub location: Vec<Option<usize>>,
    /// Site per node.
    pub site: Vec<Option<usize>>,
    /// Stop index per node (`usize::MAX` for start and end).
    pub stop: Vec<usize>,
    /// Per node k ≥ 1: the arc from node k − 1 (entry 0: none). Read by every detour
    /// ([`Self::distance_m_via`]) and every re-timing of a passed node, which read the
    /// matrices for it each time.
    pub hops: Vec<Hop>,
    /// Departure per node in the forward schedule (for the end: its arrival).
    pub departure_s: Vec<i64>,
    /// Setup + service per node as the route is.
    pub service_s: Vec<i64>,
    /// Latest arrival per node, setup paid.
    pub latest_paid_s: Vec<i64>,
    /// Latest arrival per node, setup not paid (same site as the predecessor).
    pub latest_free_s: Vec<i64>,
    /// Load after each node, `dims` values per node.
    pub load: Vec<i64>,
    /// Largest load at nodes 0..=k, per dimension.
    pub prefix_max: Vec<i64>,
    /// Largest load at nodes k..=n+1, per dimension.
    pub suffix_max: Vec<i64>,
    /// Whether a shipment of the route has a maximum time on board.
    pub limited_on_board: bool,
}

impl RouteCache {
    /// Builds the cache of `route` on `vehicle` (a feasible route).
    pub fn new(instance: &Instance, vehicle: usize, route: &[usize]) -> Self {
        let mut cache = RouteCache::default();
        cache.rebuild(instance, vehicle, route);
        cache
    }

    /// Makes this the cache of `route` on `vehicle` (a feasible route), in the buffers
    /// it already holds: the search rebuilds a route's cache after every change, and
    /// ten allocations and frees per rebuild showed in the profile.
    pub fn rebuild(&mut self, instance: &Instance, vehicle: usize, route: &[usize]) {
        let problem = instance.problem;
        let v = &problem.vehicles[vehicle];
        let site_location = |site: Option<usize>| site.map(|s| problem.sites[s].matrix_index);
        self.location.clear();
        self.site.clear();
        self.stop.clear();
        self.limited_on_board = false;
        self.location.push(site_location(v.start_site));
        self.site.push(v.start_site);
        self.stop.push(usize::MAX);
        for &stop in route {
            let s = &instance.stops[stop];
            self.location.push(Some(s.location));
            self.site.push(Some(s.site));
            self.stop.push(stop);
            self.limited_on_board |= s.max_on_board_s.is_some();
        }
        self.location.push(site_location(v.end_site));
        self.site.push(v.end_site);
        self.stop.push(usize::MAX);
        self.fill_hops(instance, vehicle);
        self.schedule_forward(instance, vehicle, route);
        self.schedule_backward(instance, vehicle, route);
        self.fill_loads(instance, route);
    }

    /// The arc that reaches each node, once its locations are known.
    fn fill_hops(&mut self, instance: &Instance, vehicle: usize) {
        self.hops.clear();
        self.hops.push(Hop::default());
        for k in 1..self.location.len() {
            let (from, to) = (self.location[k - 1], self.location[k]);
            self.hops.push(Hop {
                distance_m: between(instance, vehicle, from, to, false),
                travel_s: between(instance, vehicle, from, to, true),
            });
        }
    }

    /// Departures and service times, forward from the shift start.
    fn schedule_forward(&mut self, instance: &Instance, vehicle: usize, route: &[usize]) {
        let v = &instance.problem.vehicles[vehicle];
        let n = route.len();
        refill(&mut self.departure_s, v.shift.start_s, n + 2);
        refill(&mut self.service_s, 0, n + 2);
        for k in 1..=n {
            let s = &instance.stops[route[k - 1]];
            let arrival = self.departure_s[k - 1] + self.hops[k].travel_s;
            let start = earliest_start_s(&s.windows, arrival).unwrap_or(arrival);
            let setup = if self.site[k - 1] == Some(s.site) {
                0
            } else {
                s.setup_s
            };
            self.service_s[k] = setup + s.service_s;
            self.departure_s[k] = start + self.service_s[k];
        }
        self.departure_s[n + 1] = self.departure_s[n] + self.hops[n + 1].travel_s;
    }

    /// Latest arrivals (with and without setup), backwards from the shift end.
    fn schedule_backward(&mut self, instance: &Instance, vehicle: usize, route: &[usize]) {
        let v = &instance.problem.vehicles[vehicle];
        let n = route.len();
        refill(&mut self.latest_paid_s, v.shift.end_s, n + 2);
        refill(&mut self.latest_free_s, v.shift.end_s, n + 2);
        for k in (1..=n).rev() {
            let s = &instance.stops[route[k - 1]];
            let next_latest = self.latest_at(k + 1, self.site[k]);
            let after = next_latest - self.hops[k + 1].travel_s;
            self.latest_free_s[k] = latest_arrival_s(&s.windows, after - s.service_s);
            self.latest_paid_s[k] = latest_arrival_s(&s.windows, after - s.service_s - s.setup_s);
        }
    }

    /// Loads after every node (the start carries the jobs' deliveries) and their
    /// running maxima from either end.
    fn fill_loads(&mut self, instance: &Instance, route: &[usize]) {
        let dims = instance.problem.dimensions;
        let n = route.len();
        refill(&mut self.load, 0, (n + 2) * dims);
        for &stop in route {
            for (d, amount) in instance.stops[stop].start_load.iter().enumerate() {
                self.load[d] += amount;
            }
        }
        for k in 1..=n + 1 {
            for d in 0..dims {
                let change = if k <= n {
                    instance.stops[route[k - 1]].change[d]
                } else {
                    0
                };
                self.load[k * dims + d] = self.load[(k - 1) * dims + d] + change;
            }
        }
        self.prefix_max.clone_from(&self.load);
        self.suffix_max.clone_from(&self.load);
        for k in 1..n + 2 {
            for d in 0..dims {
                self.prefix_max[k * dims + d] =
                    self.prefix_max[k * dims + d].max(self.prefix_max[(k - 1) * dims + d]);
            }
        }
        for k in (0..n + 1).rev() {
            for d in 0..dims {
                self.suffix_max[k * dims + d] =
                    self.suffix_max[k * dims + d].max(self.suffix_max[(k + 1) * dims + d]);
            }
        }
    }

    /// Stops in the route.
    pub fn len(&self) -> usize {
        self.location.len() - 2
    }

    /// Latest arrival at node `k` when its predecessor is at `previous_site`.
    pub fn latest_at(&self, k: usize, previous_site: Option<usize>) -> i64 {
        if k == self.location.len() - 1
            || (previous_site.is_some() && previous_site == self.site[k])
        {
            self.latest_free_s[k]
        } else {
            self.latest_paid_s[k]
        }
    }
}

/// Travel time (`time`) or distance between two optional matrix indices. Inlined
/// always: called once per leg everywhere, out of line it cost more than its read.
#[inline(always)]
pub fn between(
    instance: &Instance,
    vehicle: usize,
    from: Option<usize>,
    to: Option<usize>,
    time: bool,
) -> i64 {
    match (from, to) {
        (Some(from), Some(to)) if time => instance.duration_s(vehicle, from, to),
        (Some(from), Some(to)) => instance.distance_m(vehicle, from, to),
        _ => 0,
    }
}

impl RouteCache {
    /// Extra distance of visiting `location` between node `a` and node `a + 1`, metres.
    #[inline]
    pub fn distance_m_via(
        &self,
        instance: &Instance,
        vehicle: usize,
        a: usize,
        location: usize,
    ) -> i64 {
        self.via(instance, vehicle, a, location, false)
    }

    /// Extra travel time of visiting `location` between node `a` and `a + 1`, seconds.
    #[inline]
    pub fn travel_s_via(
        &self,
        instance: &Instance,
        vehicle: usize,
        a: usize,
        location: usize,
    ) -> i64 {
        self.via(instance, vehicle, a, location, true)
    }

    #[inline]
    fn via(
        &self,
        instance: &Instance,
        vehicle: usize,
        a: usize,
        location: usize,
        time: bool,
    ) -> i64 {
        let (from, to) = (self.location[a], self.location[a + 1]);
        // An empty route drives nothing: no arc start → end to replace.
        let replaced = match (self.len(), time) {
            (0, _) => 0,
            (_, true) => self.hops[a + 1].travel_s,
            (_, false) => self.hops[a + 1].distance_m,
        };
        between(instance, vehicle, from, Some(location), time)
            + between(instance, vehicle, Some(location), to, time)
            - replaced
    }
}
