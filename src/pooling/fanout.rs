//! Who solves a layer of coalitions. The report decides which coalitions, in which
//! order (by size, so that each starts from its smaller splits) and with how many
//! iterations (`coalition`); a [`Coalitions`] solves one layer of them: [`Local`] on
//! this machine's cores (rayon), or another implementation that hands them to other
//! machines (the NATS workers, `worker::fanout`) and gathers their plans.
//!
//! A coalition travels as a [`Coalition`]: its mask, its iterations and the plans it
//! starts from, so that wherever it is solved, [`solve_coalition`] builds the same
//! sub-problem with the same seed from the same warm start and returns the same plan.

use rayon::prelude::*;

use super::game::{Player, sub_problem};
use super::plans::{Plan, Plans};
use crate::budget::Budget;
use crate::domain::{Problem, TravelMatrix};
use crate::solver;

/// One coalition to solve, with everything that is not the whole problem.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Coalition {
    /// Its members (bit `i` = player `i`).
    pub mask: u64,
    /// Iterations of its search.
    pub iterations: u64,
    /// The plans its search starts from: the two halves of its cheapest split, or a
    /// coalition with one member more; none when nothing solved fits.
    pub starts: Vec<(u64, Plan)>,
}

impl Coalition {
    /// The coalition `mask` with `iterations`, starting where `plans` says is best.
    pub fn from_plans(mask: u64, iterations: u64, plans: &Plans) -> Coalition {
        let starts = plans.best_start(mask).map_or(Vec::new(), |(part, rest)| {
            [part, rest]
                .into_iter()
                .filter_map(|m| plans.plan(m).map(|plan| (m, plan.clone())))
                .collect()
        });
        Coalition {
            mask,
            iterations,
            starts,
        }
    }
}

/// The whole problem a coalition is part of.
pub struct Whole<'a> {
    /// The validated problem.
    pub problem: &'a Problem,
    /// Its matrices.
    pub matrices: &'a [TravelMatrix],
    /// Its players (`players(problem)`).
    pub players: &'a [Player],
}

/// Solves layers of coalitions of one size.
pub trait Coalitions: Sync {
    /// Solves `layer` within `budget`: one plan per coalition, in the same order, `None`
    /// for a coalition the budget left no time for.
    fn solve_layer(
        &self,
        whole: &Whole,
        layer: &[Coalition],
        budget: &Budget,
    ) -> Result<Vec<Option<Plan>>, solver::SolveError>;

    /// Told before a batch's first layer (`done` 0) and after each layer: `done` of the
    /// batch's `total` coalitions are solved. Nothing by default; see `Counted`.
    fn progress(&self, _done: usize, _total: usize) {}
}

/// Solves every coalition of a layer on this machine, in parallel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Local;

impl Coalitions for Local {
    fn solve_layer(
        &self,
        whole: &Whole,
        layer: &[Coalition],
        budget: &Budget,
    ) -> Result<Vec<Option<Plan>>, solver::SolveError> {
        layer
            .par_iter()
            .map(|coalition| {
                if budget.is_over() {
                    return Ok(None);
                }
                solve_coalition(whole, coalition, budget).map(Some)
            })
            .collect()
    }
}

/// Solves `coalition` of `whole` within `budget`, warm-started from its starts: the
/// same plan wherever it runs (one thread, a seed from the request's and the mask).
pub fn solve_coalition(
    whole: &Whole,
    coalition: &Coalition,
    budget: &Budget,
) -> Result<Plan, solver::SolveError> {
    let sub = sub_problem(
        whole.problem,
        whole.players,
        coalition.mask,
        coalition.iterations,
    );
    if sub.problem.tasks.is_empty() {
        return Ok(Plan::default());
    }
    let mut starts = Plans::default();
    let (masks, plans): (Vec<u64>, Vec<Plan>) = coalition.starts.iter().cloned().unzip();
    starts.insert(&masks, plans);
    let warm = match masks.as_slice() {
        [] => None,
        [one] => Some(starts.warm_start(&sub, *one, 0)),
        [part, rest, ..] => Some(starts.warm_start(&sub, *part, *rest)),
    };
    let solution =
        solver::solve_from(&sub.problem, whole.matrices, budget, &|_| {}, warm.as_ref())?;
    let co2_kg_per_km = whole
        .problem
        .pooling
        .as_ref()
        .map_or(&[][..], |o| o.co2_kg_per_km.as_slice());
    Ok(Plan::of(&sub, &solution, co2_kg_per_km))
}
