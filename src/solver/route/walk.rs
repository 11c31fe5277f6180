//! The pieces of one simulation of a route: a [`Walk`] carries the running figures
//! (place, clock, load, distance, driving, cost matrix cells, service, waiting) from the
//! departure to the
//! end. Every node, a stop or the hub, is reached the same way ([`Walk::arrive`]: the
//! leg, then the first window that still opens) and accounted the same way
//! ([`Walk::serve`]); only what happens to the load differs. A stop with soft windows
//! may start late, or early instead of waiting when the walk serves early, at the
//! window's price (`domain::soft_start`), added up as the walk's penalty. Small pieces in the
//! manner of PyVRP's duration and load segments, so each rule reads at once, and all
//! `#[inline]`: the evaluator runs millions of times and must not allocate.

pub use super::arrival::Arrival;
use super::arrival::leg;
use super::infeasible::Infeasible;
use super::trips::{Hub, reloaded_load};
use crate::domain::{Break, StepKind, TimeWindow, TourStep, Vehicle, earliest_start_s, soft_start};
use crate::solver::instance::{Instance, Stop, StopKind};

/// The running figures of a vehicle driving a sequence of stops.
pub struct Walk<'a, 'p> {
    instance: &'a Instance<'p>,
    vehicle_index: usize,
    vehicle: &'a Vehicle,
    /// Row in the matrices of the last node (none: an open start, reached for free).
    location: Option<usize>,
    /// Site of the last node: a stop at the same site needs no setup.
    site: Option<usize>,
    /// Departure from the last node, seconds.
    pub time_s: i64,
    /// On board when leaving the last node, per dimension.
    load: &'a mut [i64],
    /// Driven so far, metres.
    pub distance_m: i64,
    /// Driven so far, seconds.
    pub travel_s: i64,
    /// Cost matrix cells driven so far, currency units.
    pub matrix_cost: i64,
    /// Setup, service and reloads so far, seconds.
    pub service_s: i64,
    /// Waited for windows so far, seconds.
    pub waiting_s: i64,
    /// Whether a stop reached before its soft window opens is served at once (when the
    /// window's earliness allows) instead of waiting.
    pub serve_early: bool,
    /// Seconds late at soft windows so far.
    pub late_s: i64,
    /// Seconds early at soft windows so far.
    pub early_s: i64,
    /// Soft-window penalties so far, micro-currency.
    pub penalty_micro: i64,
}

impl<'a, 'p> Walk<'a, 'p> {
    /// At the start of `vehicle`'s shift, leaving at `departure_s` with `load` (already
    /// holding the first trip's deliveries).
    #[inline]
    pub fn depart(
        instance: &'a Instance<'p>,
        vehicle_index: usize,
        departure_s: i64,
        load: &'a mut [i64],
    ) -> Self {
        let vehicle = &instance.problem.vehicles[vehicle_index];
        Walk {
            instance,
            vehicle_index,
            vehicle,
            location: vehicle
                .start_site
                .map(|site| instance.problem.sites[site].matrix_index),
            site: vehicle.start_site,
            time_s: departure_s,
            load,
            distance_m: 0,
            travel_s: 0,
            matrix_cost: 0,
            service_s: 0,
            waiting_s: 0,
            serve_early: false,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
        }
    }

    /// Drives to `location` and waits for the first of `windows` still open.
    #[inline]
    fn arrive(&self, location: usize, windows: &[TimeWindow]) -> Result<Arrival, Infeasible> {
        let (leg_s, leg_m, leg_cost) =
            leg(self.instance, self.vehicle_index, self.location, location)?;
        let arrival_s = self.time_s + leg_s;
        let start_s = earliest_start_s(windows, arrival_s).ok_or(Infeasible::TimeWindows)?;
        Ok(Arrival::hard((leg_s, leg_m, leg_cost), arrival_s, start_s))
    }

    /// Drives to task stop `stop` and starts its service: in its hard windows as
    /// [`Walk::arrive`], in its soft windows possibly late or early, at their price.
    #[inline]
    fn arrive_at(&self, stop: &Stop) -> Result<Arrival, Infeasible> {
        if stop.soft.is_empty() {
            return self.arrive(stop.location, &stop.windows);
        }
        let (leg_s, leg_m, leg_cost) = leg(
            self.instance,
            self.vehicle_index,
            self.location,
            stop.location,
        )?;
        let arrival_s = self.time_s + leg_s;
        let start = soft_start(&stop.windows, &stop.soft, arrival_s, self.serve_early)
            .ok_or(Infeasible::TimeWindows)?;
        Ok(Arrival {
            leg_s,
            leg_m,
            leg_cost,
            arrival_s,
            start_s: start.start_s,
            late_s: start.late_s,
            early_s: start.early_s,
            penalty_micro: start.penalty_micro,
        })
    }

    /// Books the leg, the waiting and `service_s` of `arrival` and leaves the node.
    #[inline]
    fn serve(&mut self, arrival: &Arrival, service_s: i64, location: usize, site: usize) {
        self.distance_m += arrival.leg_m;
        self.travel_s += arrival.leg_s;
        self.matrix_cost += arrival.leg_cost;
        self.service_s += service_s;
        self.waiting_s += arrival.start_s - arrival.arrival_s;
        self.late_s += arrival.late_s;
        self.early_s += arrival.early_s;
        self.penalty_micro += arrival.penalty_micro;
        self.time_s = arrival.start_s + service_s;
        self.location = Some(location);
        self.site = Some(site);
    }

    /// When stop `stop_index` would start its service and be left if driven to now:
    /// (start, departure), or `None` when it cannot be reached in a window. What a
    /// break placed before it would delay.
    #[inline]
    pub fn peek(&self, stop_index: usize) -> Option<(i64, i64)> {
        let stop = &self.instance.stops[stop_index];
        let arrival = self.arrive_at(stop).ok()?;
        let setup_s = if self.site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        };
        Some((arrival.start_s, arrival.start_s + setup_s + stop.service_s))
    }

    /// Whether stop `stop_index` would still start its service at `start_s` if the
    /// vehicle left for it at `time_s` instead of now.
    #[inline]
    pub fn starts_at(&self, stop_index: usize, time_s: i64, start_s: i64) -> bool {
        let stop = &self.instance.stops[stop_index];
        let Ok((leg_s, _, _)) = leg(
            self.instance,
            self.vehicle_index,
            self.location,
            stop.location,
        ) else {
            return false;
        };
        let arrival_s = time_s + leg_s;
        if stop.soft.is_empty() {
            return earliest_start_s(&stop.windows, arrival_s) == Some(start_s);
        }
        soft_start(&stop.windows, &stop.soft, arrival_s, self.serve_early)
            .is_some_and(|start| start.start_s == start_s)
    }

    /// Whether `driver_break`'s load limit allows what is on board now.
    #[inline]
    pub fn break_load_fits(&self, driver_break: &Break) -> bool {
        driver_break
            .max_load
            .as_ref()
            .is_none_or(|max| self.load.iter().zip(max).all(|(l, m)| l <= m))
    }

    /// Takes `driver_break` where the vehicle is: waits for its first window still
    /// open, then rests for its duration (booked as service: paid working time, as
    /// VROOM counts it). `Breaks` when every window has closed or too much is on board.
    #[inline]
    pub fn take_break(&mut self, driver_break: &Break) -> Result<Arrival, Infeasible> {
        let start_s =
            earliest_start_s(&driver_break.windows, self.time_s).ok_or(Infeasible::Breaks)?;
        if !self.break_load_fits(driver_break) {
            return Err(Infeasible::Breaks);
        }
        let arrival = Arrival::hard((0, 0, 0), self.time_s, start_s);
        self.service_s += driver_break.duration_s;
        self.waiting_s += start_s - self.time_s;
        self.time_s = start_s + driver_break.duration_s;
        Ok(arrival)
    }

    /// The step of the break just taken after `arrival`, where the vehicle stands.
    pub fn break_step(&self, index: usize, arrival: &Arrival) -> TourStep {
        let mut step = self.step(StepKind::Break, None, self.site, arrival);
        step.driver_break = Some(index);
        step
    }

    /// `Capacity` when the load on board exceeds the vehicle's.
    #[inline]
    pub fn check_capacity(&self) -> Result<(), Infeasible> {
        if self
            .load
            .iter()
            .zip(&self.vehicle.capacity)
            .any(|(l, c)| l > c)
        {
            return Err(Infeasible::Capacity);
        }
        Ok(())
    }

    /// Reloads at `hub` before route position `position` for the trip ending before
    /// `trip_end`: the jobs' pickups come off, that trip's deliveries go on.
    #[inline]
    pub fn reload(
        &mut self,
        hub: &Hub,
        stops: &[usize],
        position: usize,
        trip_end: usize,
    ) -> Result<Arrival, Infeasible> {
        let arrival = self.arrive(hub.location, hub.windows)?;
        reloaded_load(self.instance, stops, position, trip_end, self.load);
        self.check_capacity()?;
        self.serve(&arrival, hub.duration_s, hub.location, hub.site);
        Ok(arrival)
    }

    /// Serves stop `stop_index`. `departure_of_stop` pairs pickups with deliveries: a
    /// pickup leaves its departure there, its delivery reads it (time on board) and
    /// marks it delivered (`i64::MIN + 1`).
    #[inline]
    pub fn visit(
        &mut self,
        stop_index: usize,
        departure_of_stop: &mut [i64],
    ) -> Result<Arrival, Infeasible> {
        let stop = &self.instance.stops[stop_index];
        let arrival = self.arrive_at(stop)?;
        let service_s = if self.site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        } + stop.service_s;
        for (l, c) in self.load.iter_mut().zip(&stop.change) {
            *l += c;
        }
        self.check_capacity()?;
        match stop.kind {
            StopKind::Pickup => {
                departure_of_stop[stop_index] = arrival.start_s + service_s;
            }
            StopKind::Delivery => {
                let pickup_departure = departure_of_stop[stop_index - 1];
                if pickup_departure == i64::MIN {
                    return Err(Infeasible::Precedence);
                }
                departure_of_stop[stop_index - 1] = i64::MIN + 1;
                if stop
                    .max_on_board_s
                    .is_some_and(|limit| arrival.start_s - pickup_departure > limit)
                {
                    return Err(Infeasible::MaxTimeOnBoard);
                }
            }
            StopKind::Job => {}
        }
        self.serve(&arrival, service_s, stop.location, stop.site);
        Ok(arrival)
    }

    /// Drives to the vehicle's end (none: an open end, reached where it is) within its
    /// shift; the clock then reads the end.
    #[inline]
    pub fn finish(&mut self) -> Result<(), Infeasible> {
        let (leg_s, leg_m, leg_cost) = match self.vehicle.end_site {
            Some(site) => leg(
                self.instance,
                self.vehicle_index,
                self.location,
                self.instance.problem.sites[site].matrix_index,
            )?,
            None => (0, 0, 0),
        };
        self.distance_m += leg_m;
        self.travel_s += leg_s;
        self.matrix_cost += leg_cost;
        let end_s = self.time_s + leg_s;
        if end_s > self.vehicle.shift.end_s {
            return Err(Infeasible::TimeWindows);
        }
        self.time_s = end_s;
        Ok(())
    }

    /// The tour's first step, before anything is driven.
    pub fn start_step(&self) -> TourStep {
        self.step(
            StepKind::Start,
            None,
            self.vehicle.start_site,
            &Arrival::here(self.time_s),
        )
    }

    /// The tour's last step, once [`Walk::finish`] reached the end.
    pub fn end_step(&self) -> TourStep {
        self.step(
            StepKind::End,
            None,
            self.vehicle.end_site,
            &Arrival::here(self.time_s),
        )
    }

    /// The step of the node just left after `arrival`, the figures so far included. The
    /// service is what passed between its start and the departure.
    pub fn step(
        &self,
        kind: StepKind,
        task: Option<usize>,
        site: Option<usize>,
        arrival: &Arrival,
    ) -> TourStep {
        TourStep {
            kind,
            task,
            driver_break: None,
            site,
            arrival_s: arrival.arrival_s,
            waiting_s: arrival.start_s - arrival.arrival_s,
            service_start_s: arrival.start_s,
            service_s: self.time_s - arrival.start_s,
            departure_s: self.time_s,
            load: self.load.to_vec(),
            distance_m: self.distance_m,
            travel_s: self.travel_s,
            late_s: arrival.late_s,
            early_s: arrival.early_s,
            penalty_micro: arrival.penalty_micro,
            violations: Vec::new(),
            transfer_leg: None,
        }
    }

    /// `Limits` when the tour, `duration_s` long, exceeds the vehicle's working time,
    /// driving time or distance.
    #[inline]
    pub fn check_limits(&self, duration_s: i64) -> Result<(), Infeasible> {
        let vehicle = self.vehicle;
        if vehicle
            .max_working_time_s
            .is_some_and(|limit| duration_s > limit)
            || vehicle
                .max_travel_time_s
                .is_some_and(|limit| self.travel_s > limit)
            || vehicle
                .max_distance_m
                .is_some_and(|limit| self.distance_m > limit)
        {
            return Err(Infeasible::Limits);
        }
        Ok(())
    }
}
