//! The coalition solves: every coalition's plan, layer by layer (in parallel here, or
//! on other machines: `fanout`), each warm-started from its cheapest split, and its
//! totals.

use std::time::Instant;

use super::fanout::{Coalition, Coalitions, Whole};
use super::pace::{self, Pace};
use super::plans::{Plan, Plans};
use super::report::PoolingError;
use super::totals::Totals;
use crate::budget::Budget;
use crate::domain::{Problem, Solution};

/// Solves the coalitions `masks` through `solver`, a layer of one size at a time;
/// totals in the same order.
///
/// Coalitions go by size, smallest first, so that each one starts from the union of
/// the plans of its cheapest split into two smaller coalitions already solved: the
/// search never returns worse than that split, which is what sub-additivity asks, and
/// a few iterations improve on it where pooling pays.
///
/// Stops with [`PoolingError::Stopped`] as soon as the budget ends (time limit, client
/// deadline, cancellation): no coalition starts after that, so the report costs at
/// most one short coalition solve past the deadline. Before that, when the request
/// leaves the iterations per coalition to the report and the budget has a deadline,
/// layers get fewer iterations so that the rest fits (`pace`); with `give_up`, when
/// even one iteration each would not fit, stops early with
/// [`PoolingError::WouldNotFinish`] so that the caller can play a smaller game.
///
/// `plans` holds the coalitions solved before (warm starts) and receives the new ones.
pub fn solve_all(
    whole: &Whole,
    solver: &dyn Coalitions,
    batch: Batch,
    budget: &Budget,
    plans: &mut Plans,
) -> Result<Solved, PoolingError> {
    let (problem, players) = (whole.problem, whole.players);
    let Batch {
        masks,
        give_up,
        iterations,
    } = batch;
    let requested = iterations.or(problem
        .pooling
        .as_ref()
        .and_then(|o| o.coalition_iterations));
    let planned = requested.unwrap_or_else(|| {
        (crate::domain::COALITION_ITERATION_BUDGET / masks.len().max(1) as u64).clamp(20, 300)
    });
    let paced_deadline = paced_deadline(budget, requested);
    let mut pace = Pace::start();
    let mut fewest = planned;
    let mut by_size: Vec<u64> = masks.to_vec();
    by_size.sort_by_key(|mask| (mask.count_ones(), *mask));
    let mut solved_so_far = 0;
    solver.progress(0, masks.len());
    let alone = |plans: &Plans| -> Option<Vec<Totals>> {
        (0..players.len()).map(|i| plans.get(1u64 << i)).collect()
    };
    for layer in by_size.chunk_by(|a, b| a.count_ones() == b.count_ones()) {
        let members = layer.first().map_or(0, |mask| mask.count_ones());
        let remaining: f64 = by_size[solved_so_far..]
            .iter()
            .map(|mask| f64::from(mask.count_ones()))
            .sum();
        let affordable = paced_deadline.and_then(|d| pace.affordable_units(d));
        if let Some(error) = stop_before_layer(problem, give_up, members, remaining, affordable) {
            return Err(error.with(solved_so_far, masks.len(), alone(plans)));
        }
        let iterations = match paced_deadline {
            Some(deadline) => pace.iterations(planned, remaining, deadline),
            None => planned,
        };
        fewest = fewest.min(iterations);
        let coalitions: Vec<Coalition> = layer
            .iter()
            .map(|&mask| Coalition::from_plans(mask, iterations, plans))
            .collect();
        let solved = solver.solve_layer(whole, &coalitions, budget)?;
        let finished = solved.iter().filter(|plan| plan.is_some()).count();
        if let Some(reason) = budget.expired(Instant::now())
            && finished < layer.len()
        {
            insert_solved(plans, layer, solved);
            return Err(PoolingError::Stopped {
                solved: solved_so_far + finished,
                total: masks.len(),
                reason,
                alone: alone(plans),
            });
        }
        solved_so_far += finished;
        solver.progress(solved_so_far, masks.len());
        pace.record(finished, members, iterations);
        insert_solved(plans, layer, solved);
    }
    Ok(Solved {
        totals: masks.iter().map(|mask| plans.totals(*mask)).collect(),
        planned,
        fewest,
    })
}

/// The instant the solves are paced to: a share of the time left, when the request
/// leaves the iterations to the report and the budget has a deadline.
fn paced_deadline(budget: &Budget, requested: Option<u64>) -> Option<Instant> {
    let deadline = budget.deadline().filter(|_| requested.is_none())?;
    Some(pace::share_of(Instant::now(), deadline, pace::GAME_SHARE))
}

/// The coalitions one call solves.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'m> {
    /// Their masks.
    pub masks: &'m [u64],
    /// Stop early with [`PoolingError::WouldNotFinish`] when the pace says the batch
    /// would not finish.
    pub give_up: bool,
    /// Iterations per coalition (`None`: the request's, or a share of the budget).
    pub iterations: Option<u64>,
}

/// Why the solves stop before a layer; [`Stop::with`] makes it the report's error.
enum Stop {
    /// The test hook `stop_after_size`: as if the time limit were reached.
    Hook,
    /// The work units that fit in the time left are fewer than the work left.
    WouldNotFinish(f64),
}

impl Stop {
    fn with(self, solved: usize, total: usize, alone: Option<Vec<Totals>>) -> PoolingError {
        match self {
            Stop::Hook => PoolingError::Stopped {
                solved,
                total,
                reason: crate::domain::StopReason::TimeLimit,
                alone,
            },
            Stop::WouldNotFinish(affordable_units) => PoolingError::WouldNotFinish {
                solved,
                total,
                affordable_units,
                alone,
            },
        }
    }
}

/// Whether to stop before a layer of `members` members with `remaining_units` of work
/// left: the test hook's stop, or (with `give_up`) a projection (`affordable_units`, or
/// the test hook's) below the work left. The first layer always runs (nothing is
/// measured before it, and every rule needs the players alone).
fn stop_before_layer(
    problem: &Problem,
    give_up: bool,
    members: u32,
    remaining_units: f64,
    affordable_units: Option<f64>,
) -> Option<Stop> {
    let hooks = problem.pooling.as_ref();
    if members > 1 && give_up {
        let affordable = hooks.and_then(|o| o.affordable_units).or(affordable_units);
        if let Some(units) = affordable.filter(|units| *units < remaining_units) {
            return Some(Stop::WouldNotFinish(units));
        }
    }
    hooks
        .and_then(|o| o.stop_after_size)
        .filter(|size| members > *size)
        .map(|_| Stop::Hook)
}

/// Keeps the plans of the coalitions of `layer` that were solved (`None`: not started).
fn insert_solved(plans: &mut Plans, layer: &[u64], solved: Vec<Option<Plan>>) {
    let (masks, done): (Vec<u64>, Vec<Plan>) = layer
        .iter()
        .zip(solved)
        .filter_map(|(mask, plan)| plan.map(|plan| (*mask, plan)))
        .unzip();
    plans.insert(&masks, done);
}

/// The coalitions' totals, with the iterations they were given.
pub struct Solved {
    /// Totals in the order of the masks asked for.
    pub totals: Vec<Totals>,
    /// Iterations per coalition planned.
    pub planned: u64,
    /// Fewest iterations a layer got (fewer than planned: paced to the deadline).
    pub fewest: u64,
}

impl Totals {
    /// Measures a solution of `problem`; `co2_kg_per_km` per profile (missing: default).
    pub fn of(problem: &Problem, solution: &Solution, co2_kg_per_km: &[f64]) -> Self {
        let factors = Some(co2_kg_per_km);
        let co2_kg = solution
            .tours
            .iter()
            .map(|tour| {
                let profile = problem.vehicles[tour.vehicle].profile;
                let factor = factors
                    .and_then(|f| f.get(profile).copied())
                    .unwrap_or(crate::domain::DEFAULT_CO2_KG_PER_KM);
                tour.figures.distance_m as f64 / 1000.0 * factor
            })
            .sum();
        let s = &solution.summary;
        Totals {
            figures: s.figures,
            vehicles: s.vehicles_used,
            co2_kg,
            unassigned: s.unassigned,
        }
    }
}
