//! The coalition solves: every coalition's plan, in parallel, each warm-started from
//! its cheapest split, and its totals.

use rayon::prelude::*;

use super::game::{Player, sub_problem};
use super::plans::{Plan, Plans};
use super::totals::Totals;
use crate::budget::Budget;
use crate::domain::{Problem, Solution, TravelMatrix};
use crate::solver::{self, SolveError};

/// Solves the coalitions `masks` in parallel; totals in the same order.
///
/// Coalitions go by size, smallest first, so that each one starts from the union of
/// the plans of its cheapest split into two smaller coalitions already solved: the
/// search never returns worse than that split, which is what sub-additivity asks, and
/// a few iterations improve on it where pooling pays.
pub fn solve_all(
    problem: &Problem,
    matrices: &[TravelMatrix],
    players: &[Player],
    masks: &[u64],
    budget: &Budget,
) -> Result<Vec<Totals>, SolveError> {
    let iterations = problem
        .pooling
        .as_ref()
        .and_then(|o| o.coalition_iterations)
        .unwrap_or_else(|| {
            (crate::domain::COALITION_ITERATION_BUDGET / masks.len().max(1) as u64).clamp(20, 300)
        });
    let co2_kg_per_km = problem
        .pooling
        .as_ref()
        .map_or(&[][..], |o| o.co2_kg_per_km.as_slice());
    let mut by_size: Vec<u64> = masks.to_vec();
    by_size.sort_by_key(|mask| (mask.count_ones(), *mask));
    let mut plans = Plans::default();
    for layer in by_size.chunk_by(|a, b| a.count_ones() == b.count_ones()) {
        let solved: Vec<Plan> = layer
            .par_iter()
            .map(|&mask| {
                let sub = sub_problem(problem, players, mask, iterations);
                if sub.problem.tasks.is_empty() {
                    return Ok(Plan::default());
                }
                let warm = plans
                    .best_split(mask)
                    .map(|(part, rest)| plans.warm_start(&sub, part, rest));
                let solution =
                    solver::solve_from(&sub.problem, matrices, budget, &|_| {}, warm.as_ref())?;
                Ok(Plan::of(&sub, &solution, co2_kg_per_km))
            })
            .collect::<Result<_, SolveError>>()?;
        plans.insert(layer, solved);
    }
    Ok(masks.iter().map(|mask| plans.totals(*mask)).collect())
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
