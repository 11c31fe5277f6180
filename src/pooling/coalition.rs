//! The coalition solves: every coalition's plan, in parallel, each warm-started from
//! its cheapest split, and its totals.

use std::time::Instant;

use rayon::prelude::*;

use super::game::{Player, sub_problem};
use super::pace::Pace;
use super::plans::{Plan, Plans};
use super::report::PoolingError;
use super::totals::Totals;
use crate::budget::Budget;
use crate::domain::{Problem, Solution, TravelMatrix};
use crate::solver;

/// Solves the coalitions `masks` in parallel; totals in the same order.
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
/// layers get fewer iterations so that the rest fits (`pace`).
pub fn solve_all(
    problem: &Problem,
    matrices: &[TravelMatrix],
    players: &[Player],
    masks: &[u64],
    budget: &Budget,
) -> Result<Solved, PoolingError> {
    let requested = problem
        .pooling
        .as_ref()
        .and_then(|o| o.coalition_iterations);
    let planned = requested.unwrap_or_else(|| {
        (crate::domain::COALITION_ITERATION_BUDGET / masks.len().max(1) as u64).clamp(20, 300)
    });
    let paced_deadline = budget.deadline().filter(|_| requested.is_none());
    let mut pace = Pace::start();
    let mut fewest = planned;
    let co2_kg_per_km = problem
        .pooling
        .as_ref()
        .map_or(&[][..], |o| o.co2_kg_per_km.as_slice());
    let mut by_size: Vec<u64> = masks.to_vec();
    by_size.sort_by_key(|mask| (mask.count_ones(), *mask));
    let mut plans = Plans::default();
    let mut solved_so_far = 0;
    for layer in by_size.chunk_by(|a, b| a.count_ones() == b.count_ones()) {
        let members = layer.first().map_or(0, |mask| mask.count_ones());
        let iterations = match paced_deadline {
            Some(deadline) => {
                let remaining: f64 = by_size[solved_so_far..]
                    .iter()
                    .map(|mask| f64::from(mask.count_ones()))
                    .sum();
                pace.iterations(planned, remaining, deadline)
            }
            None => planned,
        };
        fewest = fewest.min(iterations);
        let solved: Vec<Option<Plan>> = layer
            .par_iter()
            .map(|&mask| {
                if budget.is_over() {
                    return Ok(None);
                }
                let sub = sub_problem(problem, players, mask, iterations);
                if sub.problem.tasks.is_empty() {
                    return Ok(Some(Plan::default()));
                }
                let warm = plans
                    .best_split(mask)
                    .map(|(part, rest)| plans.warm_start(&sub, part, rest));
                let solution =
                    solver::solve_from(&sub.problem, matrices, budget, &|_| {}, warm.as_ref())?;
                Ok(Some(Plan::of(&sub, &solution, co2_kg_per_km)))
            })
            .collect::<Result<_, solver::SolveError>>()?;
        let finished = solved.iter().filter(|plan| plan.is_some()).count();
        if let Some(reason) = budget.expired(Instant::now())
            && finished < layer.len()
        {
            return Err(PoolingError::Stopped {
                solved: solved_so_far + finished,
                total: masks.len(),
                reason,
            });
        }
        solved_so_far += finished;
        pace.record(finished, members, iterations);
        plans.insert(layer, solved.into_iter().flatten().collect());
    }
    Ok(Solved {
        totals: masks.iter().map(|mask| plans.totals(*mask)).collect(),
        planned,
        fewest,
    })
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
