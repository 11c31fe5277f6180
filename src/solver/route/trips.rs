//! Where a vehicle that may reload at a hub splits its sequence of stops into trips.
//!
//! A trip loads its jobs' deliveries at its start (the depot or the hub) and brings
//! their pickups back; shipments stay on board across a reload. The split is greedy:
//! each trip runs as far as the capacity allows, so the search orders the stops and
//! the evaluator places the reloads. Whether a stretch of stops fits is monotone (a
//! shorter stretch never carries more), so running each trip as far as it goes gives
//! the fewest trips. The split reads loads only, never times: the schedule follows.

use super::infeasible::Infeasible;
use crate::solver::instance::{Instance, StopKind};

/// Reusable buffers of the split.
#[derive(Debug, Default)]
pub struct Trips {
    /// Route positions before which the vehicle reloads, ascending.
    pub reload_at: Vec<usize>,
    /// Shipments on board, per dimension.
    on_board: Vec<i64>,
    /// Highest load of the current trip so far, per dimension.
    peak: Vec<i64>,
    /// Load after the current trip's last stop, per dimension.
    last: Vec<i64>,
}

impl Trips {
    /// Buffers for `dimensions` capacity dimensions.
    pub fn new(dimensions: usize) -> Self {
        Trips {
            reload_at: Vec::new(),
            on_board: vec![0; dimensions],
            peak: vec![0; dimensions],
            last: vec![0; dimensions],
        }
    }

    /// Splits `stops` into the fewest trips `vehicle` can drive, filling `reload_at`.
    /// A vehicle without reloads gets one trip; `Capacity` when even a trip of its own
    /// overloads the vehicle or the trips exceed its maximum.
    pub fn split(
        &mut self,
        instance: &Instance,
        vehicle: usize,
        stops: &[usize],
    ) -> Result<(), Infeasible> {
        let vehicle = &instance.problem.vehicles[vehicle];
        let max_trips = vehicle.reload.as_ref().map_or(1, |reload| reload.max_trips);
        self.reload_at.clear();
        self.on_board.iter_mut().for_each(|v| *v = 0);
        self.start_trip();
        for (position, &stop_index) in stops.iter().enumerate() {
            let stop = &instance.stops[stop_index];
            if !self.fits(stop, &vehicle.capacity) {
                let trip_is_empty = self.reload_at.last().map_or(0, |&p| p) == position;
                if trip_is_empty || self.reload_at.len() + 1 >= max_trips {
                    return Err(Infeasible::Capacity);
                }
                self.reload_at.push(position);
                self.start_trip();
                if !self.fits(stop, &vehicle.capacity) {
                    return Err(Infeasible::Capacity);
                }
            }
            self.add(stop);
            if stop.kind != StopKind::Job {
                for (on_board, change) in self.on_board.iter_mut().zip(&stop.change) {
                    *on_board += change;
                }
            }
        }
        Ok(())
    }

    /// A trip starts with the shipments on board and nothing else.
    fn start_trip(&mut self) {
        self.peak.copy_from_slice(&self.on_board);
        self.last.copy_from_slice(&self.on_board);
    }

    /// Whether the current trip still fits once `stop` joins it: its delivery rides from
    /// the trip's start to the stop, raising every load before it.
    fn fits(&self, stop: &crate::solver::instance::Stop, capacity: &[i64]) -> bool {
        (0..capacity.len()).all(|d| {
            let delivered = stop.start_load[d];
            let after = self.last[d] + delivered + stop.change[d];
            (self.peak[d] + delivered).max(after) <= capacity[d]
        })
    }

    fn add(&mut self, stop: &crate::solver::instance::Stop) {
        for d in 0..self.peak.len() {
            let delivered = stop.start_load[d];
            self.last[d] += delivered + stop.change[d];
            self.peak[d] = (self.peak[d] + delivered).max(self.last[d]);
        }
    }
}

/// Adds the deliveries of a trip's jobs (loaded at its start) to `load`.
pub fn trip_deliveries(instance: &Instance, trip: &[usize], load: &mut [i64]) {
    for &stop in trip {
        for (l, a) in load.iter_mut().zip(&instance.stops[stop].start_load) {
            *l += a;
        }
    }
}

/// The hub a vehicle reloads at.
pub struct Hub<'a> {
    /// Site index.
    pub site: usize,
    /// Row of the site in the matrices.
    pub location: usize,
    /// The site's opening windows.
    pub windows: &'a [crate::domain::TimeWindow],
    /// Time per reload, seconds.
    pub duration_s: i64,
}

impl<'a> Hub<'a> {
    /// The hub of `vehicle`, if it reloads.
    pub fn of(instance: &'a Instance, vehicle: usize) -> Option<Self> {
        let reload = instance.problem.vehicles[vehicle].reload.as_ref()?;
        let site = &instance.problem.sites[reload.site];
        Some(Hub {
            site: reload.site,
            location: site.matrix_index,
            windows: &site.opening_windows,
            duration_s: reload.duration_s,
        })
    }
}

/// The load leaving the reload before route position `position` for the trip ending
/// before `trip_end`: the shipments on board (the jobs' pickups are unloaded at the
/// hub) and that trip's job deliveries.
pub fn reloaded_load(
    instance: &Instance,
    stops: &[usize],
    position: usize,
    trip_end: usize,
    load: &mut [i64],
) {
    load.iter_mut().for_each(|l| *l = 0);
    for &earlier in &stops[..position] {
        let earlier = &instance.stops[earlier];
        if earlier.kind != StopKind::Job {
            for (l, c) in load.iter_mut().zip(&earlier.change) {
                *l += c;
            }
        }
    }
    trip_deliveries(instance, &stops[position..trip_end], load);
}
