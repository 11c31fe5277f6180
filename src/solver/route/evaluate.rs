//! Feasibility and cost of one vehicle's sequence of stops, by simulating it from the
//! start: windows (several per stop), shift, capacities, pickup before delivery, time on
//! board, working/travel time, distance and stop limits. O(length) per call; the same
//! simulation writes the schedule of the final answer. This file holds the entry and
//! the departure delay; the simulation's steps are [`super::walk::Walk`]'s.

use super::breaks::{Breaks, Placed, Placing, all_taken};
use super::infeasible::Infeasible;
use super::trips::{Hub, Trips, trip_deliveries};
use super::walk::Walk;
use crate::domain::{StepKind, TimeWindow, TourFigures, TourStep, UNREACHABLE, earliest_window_s};
use crate::solver::instance::{Instance, StopKind};

/// Reusable buffers so evaluation allocates nothing.
#[derive(Debug, Default)]
pub struct Scratch {
    load: Vec<i64>,
    departure_of_stop: Vec<i64>,
    trips: Trips,
    breaks: Placed,
}

impl Scratch {
    /// Buffers sized for an instance.
    pub fn new(instance: &Instance) -> Self {
        Scratch {
            load: vec![0; instance.problem.dimensions],
            departure_of_stop: vec![i64::MIN; instance.stops.len()],
            trips: Trips::new(instance.problem.dimensions),
            breaks: Placed::new(),
        }
    }
}

/// How long after its shift starts the vehicle should leave so that the tour takes the
/// least working time: every node's start moves later by the delay less the waiting
/// before it, so the delay is capped by the waiting it removes (the end must not move)
/// and by each node's slack in its current window (a node must not jump to a later
/// window). Leaving just in time for the first stop is the smallest such delay. The
/// driver's breaks `placed` count as nodes reached without a leg.
fn departure_delay_s(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    reload_at: &[usize],
    placed: &[(usize, usize)],
) -> Result<i64, Infeasible> {
    let vehicle = &instance.problem.vehicles[vehicle_index];
    let mut delay = Delay {
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
        let start_s = delay.reach(instance, vehicle_index, stop.location, &stop.windows)?;
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
        let leg_s = self
            .location
            .map_or(0, |from| instance.duration_s(vehicle_index, from, to));
        if leg_s >= UNREACHABLE {
            return Err(Infeasible::Unreachable);
        }
        self.location = Some(to);
        self.wait(windows, self.time_s + leg_s)
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

/// Evaluates `stops` on `vehicle`; `steps`, when given, receives the schedule.
pub fn evaluate(
    instance: &Instance,
    vehicle: usize,
    stops: &[usize],
    scratch: &mut Scratch,
    steps: Option<&mut Vec<TourStep>>,
) -> Result<TourFigures, Infeasible> {
    if stops.is_empty() {
        return Ok(TourFigures::default());
    }
    if instance.route_clashes(stops) {
        return Err(Infeasible::IncompatibleGoods);
    }
    if instance.problem.vehicles[vehicle].reload.is_some() {
        scratch.trips.split(instance, vehicle, stops)?;
    } else {
        scratch.trips.reload_at.clear();
    }
    if instance.problem.vehicles[vehicle].breaks.is_empty() {
        let result = simulate(instance, vehicle, stops, scratch, steps, None);
        clear_departures(scratch, stops);
        return result;
    }
    // The breaks are placed leaving at the shift start, then the departure is delayed
    // as far as neither they nor the stops move to another window, and they are
    // taken at the same places (the same tour when no delay is possible).
    let first = simulate(
        instance,
        vehicle,
        stops,
        scratch,
        None,
        Some(Placing::Decide),
    );
    clear_departures(scratch, stops);
    let first = first?;
    if steps.is_none()
        && departure_delay_s(
            instance,
            vehicle,
            stops,
            &scratch.trips.reload_at,
            &scratch.breaks,
        )? == 0
    {
        return Ok(first);
    }
    let result = simulate(
        instance,
        vehicle,
        stops,
        scratch,
        steps,
        Some(Placing::Follow),
    );
    clear_departures(scratch, stops);
    result
}

/// Forgets the pickups' departures of a walk, ready for the next.
fn clear_departures(scratch: &mut Scratch, stops: &[usize]) {
    for &stop in stops {
        scratch.departure_of_stop[stop] = i64::MIN;
    }
}

/// How long the departure waits: not at all while the breaks are being placed, else as
/// long as no window or end moves (with the breaks where the first walk put them).
fn delay_for(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    placing: Option<Placing>,
    scratch: &Scratch,
) -> Result<i64, Infeasible> {
    let reload_at = &scratch.trips.reload_at;
    match placing {
        Some(Placing::Decide) => Ok(0),
        Some(Placing::Follow) => {
            departure_delay_s(instance, vehicle_index, stops, reload_at, &scratch.breaks)
        }
        None => departure_delay_s(instance, vehicle_index, stops, reload_at, &[]),
    }
}

/// Walks `stops` once trips are placed: the first trip's deliveries on board, the
/// departure delayed as far as no window or end moves (not when deciding where the
/// breaks go: then at the shift start), then each break, reload and stop in turn.
/// `placing`: how the vehicle's breaks are placed (`None`: it has none).
fn simulate(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    scratch: &mut Scratch,
    mut steps: Option<&mut Vec<TourStep>>,
    placing: Option<Placing>,
) -> Result<TourFigures, Infeasible> {
    let vehicle = &instance.problem.vehicles[vehicle_index];
    if vehicle.max_stops.is_some_and(|limit| stops.len() > limit) {
        return Err(Infeasible::Limits);
    }
    let reload_at = &scratch.trips.reload_at;
    let load = &mut scratch.load;
    load.iter_mut().for_each(|l| *l = 0);
    trip_deliveries(
        instance,
        &stops[..reload_at.first().map_or(stops.len(), |&p| p)],
        load,
    );
    if load.iter().zip(&vehicle.capacity).any(|(l, c)| l > c) {
        return Err(Infeasible::Capacity);
    }
    let delay_s = delay_for(instance, vehicle_index, stops, placing, scratch)?;
    let reload_at = &scratch.trips.reload_at;
    let load = &mut scratch.load;
    let departure_s = vehicle.shift.start_s + delay_s;
    let mut breaks =
        placing.map(|placing| Breaks::new(&vehicle.breaks, placing, &mut scratch.breaks));
    let mut walk = Walk::depart(instance, vehicle_index, departure_s, load);
    if let Some(steps) = steps.as_deref_mut() {
        steps.clear();
        steps.push(walk.start_step());
    }
    let mut reloads = reload_at.iter().enumerate().peekable();
    for (position, &stop_index) in stops.iter().enumerate() {
        if let Some(breaks) = breaks.as_mut() {
            breaks.before(&mut walk, position, Some(stop_index), steps.as_deref_mut())?;
        }
        if let Some((trip, _)) = reloads.next_if(|(_, at)| **at == position)
            && let Some(hub) = Hub::of(instance, vehicle_index)
        {
            let trip_end = reload_at.get(trip + 1).map_or(stops.len(), |&p| p);
            let arrival = walk.reload(&hub, stops, position, trip_end)?;
            if let Some(steps) = steps.as_deref_mut() {
                steps.push(walk.step(StepKind::Reload, None, Some(hub.site), &arrival));
            }
        }
        let arrival = walk.visit(stop_index, &mut scratch.departure_of_stop)?;
        if let Some(steps) = steps.as_deref_mut() {
            let stop = &instance.stops[stop_index];
            let kind = match stop.kind {
                StopKind::Pickup => StepKind::Pickup,
                StopKind::Delivery => StepKind::Delivery,
                StopKind::Job => StepKind::Job,
            };
            steps.push(walk.step(kind, Some(stop.task), Some(stop.site), &arrival));
        }
    }
    // A pickup whose delivery never came is still marked with its departure.
    if stops.iter().any(|&s| {
        instance.stops[s].kind == StopKind::Pickup && scratch.departure_of_stop[s] != i64::MIN + 1
    }) {
        return Err(Infeasible::Precedence);
    }
    if let Some(breaks) = breaks.as_mut() {
        breaks.before(&mut walk, stops.len(), None, steps.as_deref_mut())?;
        debug_assert!(all_taken(breaks), "a break was left out of a walk");
    }
    walk.finish()?;
    let duration_s = walk.time_s - departure_s;
    walk.check_limits(duration_s)?;
    if let Some(steps) = steps {
        steps.push(walk.end_step());
    }
    Ok(figures(vehicle, &walk, duration_s))
}

/// The figures of a walk that reached its end, `duration_s` after its departure.
#[inline]
fn figures(vehicle: &crate::domain::Vehicle, walk: &Walk, duration_s: i64) -> TourFigures {
    let cost_micro = vehicle.costs.tour_cost_micro(
        walk.distance_m,
        walk.travel_s,
        walk.service_s,
        walk.matrix_cost,
    );
    TourFigures {
        cost_micro,
        distance_m: walk.distance_m,
        travel_s: walk.travel_s,
        service_s: walk.service_s,
        waiting_s: walk.waiting_s,
        duration_s,
    }
}
