//! When a vehicle leaves its start: the least-working-time delay after its shift
//! starts, found by walking the route's windows once (with its reloads and breaks
//! where the walk puts them, and its soft windows as the walk starts them).

use super::infeasible::Infeasible;
use super::trips::Hub;
use crate::domain::{TimeWindow, UNREACHABLE, earliest_window_s, soft_start};
use crate::solver::instance::Instance;

/// How long after its shift starts the vehicle should leave so that the tour takes the
/// least working time: every node's start moves later by the delay less the waiting
/// before it, so the delay is capped by the waiting it removes (the end must not move)
/// and by each node's slack in its current window (a node must not jump to a later
/// window). Leaving just in time for the first stop is the smallest such delay. The
/// driver's breaks `placed` count as nodes reached without a leg.
pub fn departure_delay_s(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    reload_at: &[usize],
    placed: &[(usize, usize)],
    serve_early: bool,
) -> Result<i64, Infeasible> {
    let vehicle = &instance.problem.vehicles[vehicle_index];
    let mut delay = Delay {
        serve_early,
        location: vehicle
            .start_site
            .map(|site| instance.problem.sites[site].matrix_index),
        time_s: vehicle.shift.start_s,
        waiting_s: 0,
        delay_s: i64::MAX,
    };
    let mut reloads = reload_at.iter().peekable();
    let mut breaks = placed.iter().peekable();
    let mut site = vehicle.start_site;
    for position in 0..=stops.len() {
        while let Some(&(_, index)) = breaks.next_if(|(at, _)| *at == position) {
            let driver_break = &vehicle.breaks[index];
            delay.time_s =
                delay.wait(&driver_break.windows, delay.time_s)? + driver_break.duration_s;
        }
        let Some(&stop_index) = stops.get(position) else {
            break;
        };
        if reloads.next_if_eq(&&position).is_some()
            && let Some(hub) = Hub::of(instance, vehicle_index)
        {
            delay.time_s =
                delay.reach(instance, vehicle_index, hub.location, hub.windows)? + hub.duration_s;
            site = Some(hub.site);
        }
        let stop = &instance.stops[stop_index];
        let start_s = if stop.soft.is_empty() {
            delay.reach(instance, vehicle_index, stop.location, &stop.windows)?
        } else {
            delay.reach_soft(instance, vehicle_index, stop)?
        };
        let setup_s = if site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        };
        delay.time_s = start_s + setup_s + stop.service_s;
        site = Some(stop.site);
    }
    Ok(delay.delay_s.min(delay.waiting_s).max(0))
}

/// The running figures of [`departure_delay_s`]: where and when the vehicle is, the
/// waiting so far and the smallest delay tolerated so far.
struct Delay {
    serve_early: bool,
    location: Option<usize>,
    time_s: i64,
    waiting_s: i64,
    delay_s: i64,
}

impl Delay {
    /// Drives to `to` and waits for `windows`; the service start.
    fn reach(
        &mut self,
        instance: &Instance,
        vehicle_index: usize,
        to: usize,
        windows: &[TimeWindow],
    ) -> Result<i64, Infeasible> {
        let arrival_s = self.drive(instance, vehicle_index, to)?;
        self.wait(windows, arrival_s)
    }

    /// Drives to `to`; the arrival.
    fn drive(
        &mut self,
        instance: &Instance,
        vehicle_index: usize,
        to: usize,
    ) -> Result<i64, Infeasible> {
        let leg_s = self
            .location
            .map_or(0, |from| instance.duration_s(vehicle_index, from, to));
        if leg_s >= UNREACHABLE {
            return Err(Infeasible::Unreachable);
        }
        self.location = Some(to);
        Ok(self.time_s + leg_s)
    }

    /// Drives to a stop with soft windows and starts it as the walk would; the delay
    /// may use the slack up to its window's end, never past it (no new lateness), and
    /// none once late. The service start.
    fn reach_soft(
        &mut self,
        instance: &Instance,
        vehicle_index: usize,
        stop: &crate::solver::instance::Stop,
    ) -> Result<i64, Infeasible> {
        let arrival_s = self.drive(instance, vehicle_index, stop.location)?;
        let start = soft_start(&stop.windows, &stop.soft, arrival_s, self.serve_early)
            .ok_or(Infeasible::TimeWindows)?;
        self.waiting_s += start.start_s - arrival_s;
        let slack_s = (start.window_end_s - start.start_s).max(0);
        self.delay_s = self.delay_s.min(self.waiting_s + slack_s);
        Ok(start.start_s)
    }

    /// Waits from `arrival_s` for `windows`; the service start.
    fn wait(&mut self, windows: &[TimeWindow], arrival_s: i64) -> Result<i64, Infeasible> {
        let (start_s, window_end_s) =
            earliest_window_s(windows, arrival_s).ok_or(Infeasible::TimeWindows)?;
        self.waiting_s += start_s - arrival_s;
        self.delay_s = self.delay_s.min(self.waiting_s + (window_end_s - start_s));
        Ok(start_s)
    }
}
