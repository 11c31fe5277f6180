//! Feasibility and cost of one vehicle's sequence of stops, by simulating it from the
//! start: windows (several per stop), shift, capacities, pickup before delivery, time on
//! board, working/travel time, distance and stop limits. O(length) per call; the same
//! simulation writes the schedule of the final answer. This file holds the entry and
//! the departure delay; the simulation's steps are [`super::walk::Walk`]'s.

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
}

impl Scratch {
    /// Buffers sized for an instance.
    pub fn new(instance: &Instance) -> Self {
        Scratch {
            load: vec![0; instance.problem.dimensions],
            departure_of_stop: vec![i64::MIN; instance.stops.len()],
            trips: Trips::new(instance.problem.dimensions),
        }
    }
}

/// How long after its shift starts the vehicle should leave so that the tour takes the
/// least working time: every node's start moves later by the delay less the waiting
/// before it, so the delay is capped by the waiting it removes (the end must not move)
/// and by each node's slack in its current window (a node must not jump to a later
/// window). Leaving just in time for the first stop is the smallest such delay.
fn departure_delay_s(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    reload_at: &[usize],
) -> Result<i64, Infeasible> {
    let vehicle = &instance.problem.vehicles[vehicle_index];
    let mut location = vehicle
        .start_site
        .map(|site| instance.problem.sites[site].matrix_index);
    let mut site = vehicle.start_site;
    let mut time_s = vehicle.shift.start_s;
    let mut waiting_s = 0i64;
    let mut delay_s = i64::MAX;
    // Drives from `from` to `to`, waits for `windows`; the service start.
    let mut reach = |from: Option<usize>, to: usize, windows: &[TimeWindow], time_s: i64| {
        let leg_s = from.map_or(0, |from| instance.duration_s(vehicle_index, from, to));
        if leg_s >= UNREACHABLE {
            return Err(Infeasible::Unreachable);
        }
        let arrival_s = time_s + leg_s;
        let (start_s, window_end_s) =
            earliest_window_s(windows, arrival_s).ok_or(Infeasible::TimeWindows)?;
        waiting_s += start_s - arrival_s;
        delay_s = delay_s.min(waiting_s + (window_end_s - start_s));
        Ok(start_s)
    };
    let mut reloads = reload_at.iter().peekable();
    for (position, &stop_index) in stops.iter().enumerate() {
        if reloads.next_if_eq(&&position).is_some()
            && let Some(hub) = Hub::of(instance, vehicle_index)
        {
            time_s = reach(location, hub.location, hub.windows, time_s)? + hub.duration_s;
            location = Some(hub.location);
            site = Some(hub.site);
        }
        let stop = &instance.stops[stop_index];
        let start_s = reach(location, stop.location, &stop.windows, time_s)?;
        let setup_s = if site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        };
        time_s = start_s + setup_s + stop.service_s;
        location = Some(stop.location);
        site = Some(stop.site);
    }
    Ok(delay_s.min(waiting_s).max(0))
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
    let result = simulate(instance, vehicle, stops, scratch, steps);
    for &stop in stops {
        scratch.departure_of_stop[stop] = i64::MIN;
    }
    result
}

/// Walks `stops` once trips are placed: the first trip's deliveries on board, the
/// departure delayed as far as no window or end moves, then each reload and stop in turn.
fn simulate(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    scratch: &mut Scratch,
    mut steps: Option<&mut Vec<TourStep>>,
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
    let departure_s =
        vehicle.shift.start_s + departure_delay_s(instance, vehicle_index, stops, reload_at)?;
    let mut walk = Walk::depart(instance, vehicle_index, departure_s, load);
    if let Some(steps) = steps.as_deref_mut() {
        steps.clear();
        steps.push(walk.start_step());
    }
    let mut reloads = reload_at.iter().enumerate().peekable();
    for (position, &stop_index) in stops.iter().enumerate() {
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
    let cost_micro = vehicle
        .costs
        .tour_cost_micro(walk.distance_m, walk.travel_s, walk.service_s);
    TourFigures {
        cost_micro,
        distance_m: walk.distance_m,
        travel_s: walk.travel_s,
        service_s: walk.service_s,
        waiting_s: walk.waiting_s,
        duration_s,
    }
}
