//! Feasibility and cost of one vehicle's sequence of stops, by simulating it from the
//! start: windows (several per stop), shift, capacities, pickup before delivery, time on
//! board, working/travel time, distance and stop limits. O(length) per call; the same
//! simulation writes the schedule of the final answer. This file holds the entry; the
//! departure delay is [`super::delay`]'s, the simulation's steps [`super::walk::Walk`]'s.
//!
//! Soft windows: a route whose stops allow early service is walked twice, waiting
//! for every window and serving early wherever allowed, and the cheaper walk is kept
//! (cost, then working time; waiting on a tie). Per route rather than per stop, so
//! the schedule stays a forward walk that the checker can replay: it tells the two
//! apart by whether any step is early.

use super::breaks::{Breaks, Placed, Placing, all_taken};
use super::delay::departure_delay_s;
use super::infeasible::Infeasible;
use super::trips::{Hub, Trips, trip_deliveries};
use super::walk::Walk;
use crate::domain::{MAX_TOUR_COST_MICRO, StepKind, TourFigures, TourStep};
use crate::solver::instance::{Instance, StopKind};

/// Reusable buffers so evaluation allocates nothing.
#[derive(Debug, Default)]
pub struct Scratch {
    load: Vec<i64>,
    departure_of_stop: Vec<i64>,
    trips: Trips,
    breaks: Placed,
    /// Placements an insertion keeps to confirm by simulation, as (objective increase,
    /// first position, second position): kept here so that they allocate once.
    pub placements: Vec<(i128, usize, usize)>,
    /// The legs of the shipment a fast insertion walks, read once per route: kept here
    /// so that they allocate once.
    pub legs: super::delivery_legs::DeliveryLegs,
}

impl Scratch {
    /// Buffers sized for an instance.
    pub fn new(instance: &Instance) -> Self {
        Scratch {
            load: vec![0; instance.problem.dimensions],
            departure_of_stop: vec![i64::MIN; instance.stops.len()],
            trips: Trips::new(instance.problem.dimensions),
            breaks: Placed::new(),
            placements: Vec::new(),
            legs: Default::default(),
        }
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
    if instance.both_legs(stops) {
        return Err(Infeasible::Transfer);
    }
    if !instance.locks.in_order(vehicle, stops) {
        return Err(Infeasible::Locks);
    }
    if instance.problem.vehicles[vehicle].reload.is_some() {
        scratch.trips.split(instance, vehicle, stops)?;
    } else {
        scratch.trips.reload_at.clear();
    }
    if !instance.early_allowed || !may_serve_early(instance, stops) {
        return walk_route(instance, vehicle, stops, scratch, steps, false);
    }
    let waiting = walk_route(instance, vehicle, stops, scratch, None, false);
    let early = walk_route(instance, vehicle, stops, scratch, None, true);
    let serve_early = match (&waiting, &early) {
        (Ok(waits), Ok(early)) => {
            (early.cost_micro, early.duration_s) < (waits.cost_micro, waits.duration_s)
        }
        (Err(_), Ok(_)) => true,
        _ => false,
    };
    match steps {
        Some(steps) => walk_route(instance, vehicle, stops, scratch, Some(steps), serve_early),
        None if serve_early => early,
        None => waiting,
    }
}

/// Whether a stop of the route has a soft window that allows early service.
fn may_serve_early(instance: &Instance, stops: &[usize]) -> bool {
    stops.iter().any(|&stop| {
        instance.stops[stop]
            .soft
            .iter()
            .any(|soft| soft.max_early_s > 0)
    })
}

/// Walks the route once its trips are placed, serving early or not, with the
/// vehicle's breaks if it has any.
fn walk_route(
    instance: &Instance,
    vehicle: usize,
    stops: &[usize],
    scratch: &mut Scratch,
    steps: Option<&mut Vec<TourStep>>,
    serve_early: bool,
) -> Result<TourFigures, Infeasible> {
    let walk = Walking {
        vehicle,
        serve_early,
        placing: None,
    };
    if instance.problem.vehicles[vehicle].breaks.is_empty() {
        let result = simulate(instance, stops, scratch, steps, walk);
        clear_departures(scratch, stops);
        return result;
    }
    // The breaks are placed leaving at the shift start, then the departure is delayed
    // as far as neither they nor the stops move to another window, and they are
    // taken at the same places (the same tour when no delay is possible).
    let deciding = Walking {
        placing: Some(Placing::Decide),
        ..walk
    };
    let first = simulate(instance, stops, scratch, None, deciding);
    clear_departures(scratch, stops);
    let first = first?;
    if steps.is_none()
        && departure_delay_s(
            instance,
            vehicle,
            stops,
            &scratch.trips.reload_at,
            &scratch.breaks,
            serve_early,
        )? == 0
    {
        return Ok(first);
    }
    let following = Walking {
        placing: Some(Placing::Follow),
        ..walk
    };
    let result = simulate(instance, stops, scratch, steps, following);
    clear_departures(scratch, stops);
    result
}

/// How one walk goes: the vehicle, whether it serves early, how it places the
/// driver's breaks (`None`: it has none).
#[derive(Debug, Clone, Copy)]
struct Walking {
    vehicle: usize,
    serve_early: bool,
    placing: Option<Placing>,
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
    stops: &[usize],
    walking: Walking,
    scratch: &Scratch,
) -> Result<i64, Infeasible> {
    let reload_at = &scratch.trips.reload_at;
    let (vehicle, early) = (walking.vehicle, walking.serve_early);
    match walking.placing {
        Some(Placing::Decide) => Ok(0),
        Some(Placing::Follow) => {
            departure_delay_s(instance, vehicle, stops, reload_at, &scratch.breaks, early)
        }
        None => departure_delay_s(instance, vehicle, stops, reload_at, &[], early),
    }
}

/// Walks `stops` once trips are placed: the first trip's deliveries on board, the
/// departure delayed as far as no window or end moves (not when deciding where the
/// breaks go: then at the shift start), then each break, reload and stop in turn.
fn simulate(
    instance: &Instance,
    stops: &[usize],
    scratch: &mut Scratch,
    mut steps: Option<&mut Vec<TourStep>>,
    walking: Walking,
) -> Result<TourFigures, Infeasible> {
    let (vehicle_index, placing) = (walking.vehicle, walking.placing);
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
    let delay_s = delay_for(instance, stops, walking, scratch)?;
    let reload_at = &scratch.trips.reload_at;
    let load = &mut scratch.load;
    let departure_s = vehicle.shift.start_s + delay_s;
    let mut breaks =
        placing.map(|placing| Breaks::new(&vehicle.breaks, placing, &mut scratch.breaks));
    let mut walk = Walk::depart(instance, vehicle_index, departure_s, load);
    walk.serve_early = walking.serve_early;
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
    let cost_micro = vehicle
        .costs
        .tour_cost_micro(
            walk.distance_m,
            walk.travel_s,
            walk.service_s,
            walk.matrix_cost,
        )
        .saturating_add(walk.penalty_micro)
        .min(MAX_TOUR_COST_MICRO);
    TourFigures {
        cost_micro,
        distance_m: walk.distance_m,
        travel_s: walk.travel_s,
        service_s: walk.service_s,
        waiting_s: walk.waiting_s,
        duration_s,
        late_s: walk.late_s,
        early_s: walk.early_s,
        penalty_micro: walk.penalty_micro,
    }
}
