//! Feasibility and cost of one vehicle's sequence of stops, by simulating it from the
//! start: windows (several per stop), shift, capacities, pickup before delivery, time on
//! board, working/travel time, distance and stop limits. O(length) per call; the same
//! simulation writes the schedule of the final answer.

use super::infeasible::Infeasible;
use super::trips::{Hub, Trips, reloaded_load, trip_deliveries};
use crate::domain::{
    Objective, StepKind, TimeWindow, TourStep, UNREACHABLE, earliest_start_s, earliest_window_s,
};
use crate::solver::instance::{Instance, StopKind};

/// Figures of a feasible sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RouteFigures {
    /// The objective's value of the route (0 when empty).
    pub objective: i64,
    /// Cost, micro-currency (0 when empty).
    pub cost_micro: i64,
    /// Distance, metres.
    pub distance_m: i64,
    /// Driving, seconds.
    pub travel_s: i64,
    /// Setup + service, seconds.
    pub service_s: i64,
    /// Waiting, seconds.
    pub waiting_s: i64,
    /// Departure to end, seconds.
    pub duration_s: i64,
}

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
) -> Result<RouteFigures, Infeasible> {
    if stops.is_empty() {
        return Ok(RouteFigures::default());
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

fn simulate(
    instance: &Instance,
    vehicle_index: usize,
    stops: &[usize],
    scratch: &mut Scratch,
    mut steps: Option<&mut Vec<TourStep>>,
) -> Result<RouteFigures, Infeasible> {
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
    let start_location = vehicle
        .start_site
        .map(|site| instance.problem.sites[site].matrix_index);
    let mut previous_location = start_location;
    let mut previous_site = vehicle.start_site;
    let departure_s =
        vehicle.shift.start_s + departure_delay_s(instance, vehicle_index, stops, reload_at)?;
    let mut time_s = departure_s;
    let (mut distance_m, mut travel_s, mut service_total_s, mut waiting_total_s) =
        (0i64, 0i64, 0i64, 0i64);
    if let Some(steps) = steps.as_deref_mut() {
        steps.clear();
        steps.push(step(
            StepKind::Start,
            None,
            vehicle.start_site,
            departure_s,
            0,
            departure_s,
            load,
            0,
            0,
        ));
    }
    let mut reloads = reload_at.iter().enumerate().peekable();
    for (position, &stop_index) in stops.iter().enumerate() {
        if let Some((trip, _)) = reloads.next_if(|(_, at)| **at == position)
            && let Some(hub) = Hub::of(instance, vehicle_index)
        {
            let (leg_s, leg_m) = leg(instance, vehicle_index, previous_location, hub.location)?;
            let arrival_s = time_s + leg_s;
            let start_s =
                earliest_start_s(hub.windows, arrival_s).ok_or(Infeasible::TimeWindows)?;
            let trip_end = reload_at.get(trip + 1).map_or(stops.len(), |&p| p);
            reloaded_load(instance, stops, position, trip_end, load);
            if load.iter().zip(&vehicle.capacity).any(|(l, c)| l > c) {
                return Err(Infeasible::Capacity);
            }
            distance_m += leg_m;
            travel_s += leg_s;
            service_total_s += hub.duration_s;
            waiting_total_s += start_s - arrival_s;
            time_s = start_s + hub.duration_s;
            if let Some(steps) = steps.as_deref_mut() {
                steps.push(step(
                    StepKind::Reload,
                    None,
                    Some(hub.site),
                    arrival_s,
                    start_s - arrival_s,
                    start_s,
                    load,
                    distance_m,
                    travel_s,
                ));
                if let Some(last) = steps.last_mut() {
                    last.service_s = hub.duration_s;
                    last.departure_s = time_s;
                }
            }
            previous_location = Some(hub.location);
            previous_site = Some(hub.site);
        }
        let stop = &instance.stops[stop_index];
        let (leg_s, leg_m) = leg(instance, vehicle_index, previous_location, stop.location)?;
        let arrival_s = time_s + leg_s;
        let service_start_s =
            earliest_start_s(&stop.windows, arrival_s).ok_or(Infeasible::TimeWindows)?;
        let waiting_s = service_start_s - arrival_s;
        let service_s = if previous_site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        } + stop.service_s;
        for (l, c) in load.iter_mut().zip(&stop.change) {
            *l += c;
        }
        if load.iter().zip(&vehicle.capacity).any(|(l, c)| l > c) {
            return Err(Infeasible::Capacity);
        }
        time_s = service_start_s + service_s;
        match stop.kind {
            StopKind::Pickup => scratch.departure_of_stop[stop_index] = time_s,
            StopKind::Delivery => {
                let pickup_departure = scratch.departure_of_stop[stop_index - 1];
                if pickup_departure == i64::MIN {
                    return Err(Infeasible::Precedence);
                }
                scratch.departure_of_stop[stop_index - 1] = i64::MIN + 1;
                if stop
                    .max_on_board_s
                    .is_some_and(|limit| service_start_s - pickup_departure > limit)
                {
                    return Err(Infeasible::MaxTimeOnBoard);
                }
            }
            StopKind::Job => {}
        }
        distance_m += leg_m;
        travel_s += leg_s;
        service_total_s += service_s;
        waiting_total_s += waiting_s;
        if let Some(steps) = steps.as_deref_mut() {
            let kind = match stop.kind {
                StopKind::Pickup => StepKind::Pickup,
                StopKind::Delivery => StepKind::Delivery,
                StopKind::Job => StepKind::Job,
            };
            steps.push(step(
                kind,
                Some(stop.task),
                Some(stop.site),
                arrival_s,
                waiting_s,
                service_start_s,
                load,
                distance_m,
                travel_s,
            ));
            if let Some(last) = steps.last_mut() {
                last.service_s = service_s;
                last.departure_s = time_s;
            }
        }
        previous_location = Some(stop.location);
        previous_site = Some(stop.site);
    }
    // A pickup whose delivery never came is still marked with its departure.
    if stops.iter().any(|&s| {
        instance.stops[s].kind == StopKind::Pickup && scratch.departure_of_stop[s] != i64::MIN + 1
    }) {
        return Err(Infeasible::Precedence);
    }
    let (end_leg_s, end_leg_m) = match vehicle.end_site {
        Some(site) => leg(
            instance,
            vehicle_index,
            previous_location,
            instance.problem.sites[site].matrix_index,
        )?,
        None => (0, 0),
    };
    distance_m += end_leg_m;
    travel_s += end_leg_s;
    let end_s = time_s + end_leg_s;
    if end_s > vehicle.shift.end_s {
        return Err(Infeasible::TimeWindows);
    }
    let duration_s = end_s - departure_s;
    if vehicle
        .max_working_time_s
        .is_some_and(|limit| duration_s > limit)
        || vehicle
            .max_travel_time_s
            .is_some_and(|limit| travel_s > limit)
        || vehicle
            .max_distance_m
            .is_some_and(|limit| distance_m > limit)
    {
        return Err(Infeasible::Limits);
    }
    if let Some(steps) = steps {
        steps.push(step(
            StepKind::End,
            None,
            vehicle.end_site,
            end_s,
            0,
            end_s,
            load,
            distance_m,
            travel_s,
        ));
    }
    let cost_micro = vehicle
        .costs
        .tour_cost_micro(distance_m, travel_s, service_total_s);
    let objective = match instance.objective {
        Objective::Cost | Objective::Vehicles => cost_micro,
        Objective::Distance => distance_m,
        Objective::Duration => duration_s,
    };
    Ok(RouteFigures {
        objective,
        cost_micro,
        distance_m,
        travel_s,
        service_s: service_total_s,
        waiting_s: waiting_total_s,
        duration_s,
    })
}

/// Driving time and distance from `from` (none: an open start, free) to `to`.
fn leg(
    instance: &Instance,
    vehicle: usize,
    from: Option<usize>,
    to: usize,
) -> Result<(i64, i64), Infeasible> {
    let Some(from) = from else {
        return Ok((0, 0));
    };
    let (leg_s, leg_m) = (
        instance.duration_s(vehicle, from, to),
        instance.distance_m(vehicle, from, to),
    );
    if leg_s >= UNREACHABLE || leg_m >= UNREACHABLE {
        return Err(Infeasible::Unreachable);
    }
    Ok((leg_s, leg_m))
}

#[allow(clippy::too_many_arguments)]
fn step(
    kind: StepKind,
    task: Option<usize>,
    site: Option<usize>,
    arrival_s: i64,
    waiting_s: i64,
    service_start_s: i64,
    load: &[i64],
    distance_m: i64,
    travel_s: i64,
) -> TourStep {
    TourStep {
        kind,
        task,
        site,
        arrival_s,
        waiting_s,
        service_start_s,
        service_s: 0,
        departure_s: service_start_s,
        load: load.to_vec(),
        distance_m,
        travel_s,
    }
}
