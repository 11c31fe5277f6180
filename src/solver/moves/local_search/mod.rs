//! Local search: after recreate, moves that the random ruin rarely finds — relocating
//! a task next to a near stop of another route, exchanging route tails (2-opt*),
//! swapping two jobs, moving a string of stops within its route (or-opt) — each in its
//! own file, run until none improves.
//!
//! Every operator works on granular neighbourhoods (a stop's nearest stops) and filters
//! candidates with an O(1) estimate from the arcs a move adds and removes (the arc
//! costs of the objective: distance, travel time or the vehicle's per-km/per-hour
//! rates). Only a candidate the estimate finds improving is simulated in full
//! ([`evaluate`], O(route length)), so every constraint of the API holds without each
//! operator knowing them, and the plan's figures stay exact: a move is applied only
//! when the simulated objective is lower.

mod or_opt;
mod relocate;
mod swap;
mod two_opt_star;

use super::recreate::Workspace;
use crate::budget::Budget;
use crate::domain::Objective;
use crate::domain::TourFigures;
use crate::solver::instance::Instance;
use crate::solver::route::evaluate::evaluate;
use crate::solver::state::State;

/// Nearest stops an operator looks at around each stop.
const GRANULARITY: usize = 12;

/// Passes over every operator at most (each pass that improves nothing ends it).
const MAX_PASSES: usize = 20;

/// One operator of the local search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// Move one task (both stops of a shipment) into a neighbouring route.
    Relocate,
    /// Exchange the tails of two routes.
    TwoOptStar,
    /// Exchange two jobs of different routes.
    Swap,
    /// Move a string of up to three stops within its route.
    OrOpt,
}

impl Operator {
    /// Every operator, in the order a pass runs them.
    pub const ALL: [Operator; 4] = [
        Operator::TwoOptStar,
        Operator::Relocate,
        Operator::Swap,
        Operator::OrOpt,
    ];
}

/// Where each stop is: `(vehicle, position)`, `None` when unassigned; and which routes
/// the operators start from (the routes recreate or an earlier move changed: the rest
/// were already searched).
pub struct Positions {
    of_stop: Vec<Option<(usize, usize)>>,
    active: Vec<bool>,
    changed: Vec<bool>,
}

impl Positions {
    /// Positions of every stop of `state`, every route active.
    pub fn new(instance: &Instance, state: &State) -> Self {
        let vehicles = state.routes.len();
        let mut positions = Positions {
            of_stop: vec![None; instance.stops.len()],
            active: vec![true; vehicles],
            changed: vec![false; vehicles],
        };
        for vehicle in 0..vehicles {
            positions.update(state, vehicle);
        }
        positions.changed.fill(false);
        positions
    }

    /// Records the current order of the route of `vehicle`, which becomes active.
    pub fn update(&mut self, state: &State, vehicle: usize) {
        for (position, &stop) in state.routes[vehicle].iter().enumerate() {
            self.of_stop[stop] = Some((vehicle, position));
        }
        self.active[vehicle] = true;
        self.changed[vehicle] = true;
    }

    /// Vehicle and position of `stop`.
    pub fn of(&self, stop: usize) -> Option<(usize, usize)> {
        self.of_stop[stop]
    }

    /// Whether moves starting from `stop` are worth trying: it is in an active route.
    pub fn is_active(&self, stop: usize) -> bool {
        self.of_stop[stop].is_some_and(|(vehicle, _)| self.active[vehicle])
    }

    /// Marks `stop` unplaced (before its new route is recorded).
    pub fn clear(&mut self, stop: usize) {
        self.of_stop[stop] = None;
    }

    /// Only the routes of `vehicles` (true) stay active.
    fn restrict(&mut self, vehicles: &[bool]) {
        self.active.copy_from_slice(vehicles);
    }

    /// Starts a new round: the routes changed during the last one become the active
    /// ones; returns whether there are any.
    fn next_round(&mut self) -> bool {
        std::mem::swap(&mut self.active, &mut self.changed);
        self.changed.fill(false);
        self.active.iter().any(|&a| a)
    }
}

/// Estimated objective of driving from matrix index `from` to `to` on `vehicle` (0 next
/// to an open start or end). Exact for the distance objective; for costs it leaves out
/// rounding and service, which the full simulation adds back.
pub fn arc(instance: &Instance, vehicle: usize, from: Option<usize>, to: Option<usize>) -> i64 {
    let (Some(from), Some(to)) = (from, to) else {
        return 0;
    };
    match instance.objective {
        Objective::Distance => instance.distance_m(vehicle, from, to),
        Objective::Duration => instance.duration_s(vehicle, from, to),
        Objective::Cost | Objective::Vehicles => {
            let costs = &instance.problem.vehicles[vehicle].costs;
            let metres = instance.distance_m(vehicle, from, to);
            let seconds = instance.duration_s(vehicle, from, to);
            let matrix_cost = instance.cost(vehicle, from, to);
            (i128::from(costs.per_km_micro) * i128::from(metres) / 1000
                + i128::from(costs.per_hour_micro) * i128::from(seconds) / 3600
                + i128::from(matrix_cost) * 1_000_000) as i64
        }
    }
}

/// Matrix index of the stop at node `k` of a route (0 = start, len + 1 = end).
pub fn location(instance: &Instance, vehicle: usize, route: &[usize], k: usize) -> Option<usize> {
    let v = &instance.problem.vehicles[vehicle];
    let site = |s: Option<usize>| s.map(|s| instance.problem.sites[s].matrix_index);
    if k == 0 {
        site(v.start_site)
    } else if k == route.len() + 1 {
        site(v.end_site)
    } else {
        Some(instance.stops[route[k - 1]].location)
    }
}

/// Whether every task of `stops` may ride on `vehicle` (skills, capacity).
fn compatible(instance: &Instance, vehicle: usize, stops: &[usize]) -> bool {
    stops
        .iter()
        .all(|&stop| instance.compatible[instance.stops[stop].task][vehicle])
}

/// Replaces the routes of the vehicles in `changes` when every new route is feasible
/// and the plan improves (fewer vehicles under the vehicles-first objective, else a
/// lower objective); returns whether it did.
pub fn try_replace(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    positions: &mut Positions,
    changes: &mut [(usize, Vec<usize>)],
) -> bool {
    let mut figures: [TourFigures; 2] = Default::default();
    debug_assert!(changes.len() <= figures.len());
    let (mut before, mut after) = ((0usize, 0i64), (0usize, 0i64));
    let counts_vehicles = instance.objective == Objective::Vehicles;
    for (slot, (vehicle, route)) in changes.iter().enumerate() {
        if !compatible(instance, *vehicle, route) {
            return false;
        }
        let Ok(new) = evaluate(instance, *vehicle, route, &mut workspace.scratch, None) else {
            return false;
        };
        figures[slot] = new;
        let used = |empty: bool| usize::from(counts_vehicles && !empty);
        before.0 += used(state.routes[*vehicle].is_empty());
        before.1 += state.figures[*vehicle].objective(instance.objective);
        after.0 += used(route.is_empty());
        after.1 += new.objective(instance.objective);
    }
    if instance.problem.options.balance_per_hour > 0.0 {
        let replaced: Vec<(usize, Option<i64>)> = changes
            .iter()
            .zip(&figures)
            .map(|((vehicle, route), f)| (*vehicle, (!route.is_empty()).then_some(f.duration_s)))
            .collect();
        before.1 += state.imbalance(instance, &[]);
        after.1 += state.imbalance(instance, &replaced);
    }
    if after >= before {
        return false;
    }
    for (slot, (vehicle, route)) in changes.iter_mut().enumerate() {
        for &stop in &state.routes[*vehicle] {
            positions.clear(stop);
        }
        std::mem::swap(&mut state.routes[*vehicle], route);
        state.figures[*vehicle] = figures[slot];
        state.caches[*vehicle].rebuild(instance, *vehicle, &state.routes[*vehicle]);
    }
    for (vehicle, _) in changes.iter() {
        positions.update(state, *vehicle);
    }
    true
}

/// Runs one operator over the whole plan once; returns whether it improved it.
pub fn pass(
    operator: Operator,
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    positions: &mut Positions,
) -> bool {
    match operator {
        Operator::Relocate => relocate::pass(instance, state, workspace, positions),
        Operator::TwoOptStar => two_opt_star::pass(instance, state, workspace, positions),
        Operator::Swap => swap::pass(instance, state, workspace, positions),
        Operator::OrOpt => or_opt::pass(instance, state, workspace, positions),
    }
}

/// Applies the operators, starting from the routes of `touched` (true per vehicle),
/// until none improves the plan, `stop` says so, or after `MAX_PASSES` rounds; returns
/// whether the plan improved.
pub fn improve(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    touched: &[bool],
    budget: &Budget,
) -> bool {
    let mut positions = Positions::new(instance, state);
    positions.restrict(touched);
    let mut improved = false;
    for _ in 0..MAX_PASSES {
        let mut any = false;
        for operator in Operator::ALL {
            any |= pass(operator, instance, state, workspace, &mut positions);
        }
        improved |= any;
        if !any || budget.is_over() || !positions.next_round() {
            break;
        }
    }
    improved
}
