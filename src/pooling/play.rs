//! Playing the cost game: solving the coalitions a Shapley value needs and computing it.
//! Two ways, chosen by the number of players: the exact game solves every coalition
//! (which the nucleolus and the core also need, see `mod.rs`), the sampled game only
//! the prefixes of random orders of the players, so that large cooperatives stay
//! tractable, or a small game whose exact version would not finish in the time left
//! (the second way the report degrades, after fewer iterations per coalition).

use super::coalition::{self, Batch};
use super::cost_game::CostGame;
use super::fanout::{Coalitions, Whole};
use super::plans::Plans;
use super::report::{PoolingError, Report};
use super::totals::Totals;
use super::{pace, repair, shapley};
use crate::budget::Budget;
use crate::domain::{Problem, TravelMatrix};

use super::game::Player;

/// What the report needs to solve coalitions: the problem, its players and the pooled
/// plan, which stands for the grand coalition instead of being solved again.
pub struct Game<'a> {
    pub problem: &'a Problem,
    pub matrices: &'a [TravelMatrix],
    pub players: &'a [Player],
    pub budget: &'a Budget<'a>,
    pub pooled: Totals,
    /// The price of a task a coalition leaves unserved (`leftovers`).
    pub price: f64,
    /// Who solves the coalitions: this machine, or the workers of a cluster.
    pub coalitions: &'a dyn Coalitions,
}

/// The outcome of either way of playing.
pub struct Played {
    /// Each player alone.
    pub alone: Vec<Totals>,
    /// Shapley value per player, currency units.
    pub shapley: Vec<f64>,
    /// Standard error of each Shapley value (zeros when exact).
    pub shapley_errors: Vec<f64>,
    /// Repaired cost of every coalition by mask (exact game only).
    pub costs_by_mask: Option<Vec<f64>>,
    /// The coalitions whose cost is known: every one (exact game) or the prefixes of
    /// the sampled orders and the players alone.
    pub known: CostGame,
    /// The plans of the sampled game's coalitions, to warm-start more (empty for the
    /// exact game, which needs no more).
    pub plans: Plans,
    /// Iterations each coalition of the game got, for more of the same kind.
    pub iterations: u64,
}

impl Game<'_> {
    fn players(&self) -> usize {
        self.players.len()
    }

    fn price(&self) -> f64 {
        self.price
    }

    /// The mask of the grand coalition.
    fn full(&self) -> u64 {
        let n = self.players();
        if n == 64 { u64::MAX } else { (1u64 << n) - 1 }
    }

    /// The mask of each player alone.
    fn singles(&self) -> Vec<u64> {
        (0..self.players()).map(|i| 1u64 << i).collect()
    }

    /// Solves `batch` from and into `plans`; notes when the deadline made the
    /// coalition searches shorter.
    pub fn solve(
        &self,
        batch: Batch,
        plans: &mut Plans,
        report: &mut Report,
    ) -> Result<coalition::Solved, PoolingError> {
        let whole = Whole {
            problem: self.problem,
            matrices: self.matrices,
            players: self.players,
        };
        let solved = coalition::solve_all(&whole, self.coalitions, batch, self.budget, plans)?;
        if solved.fewest < solved.planned {
            report.notes.push(format!(
                "to answer within the time limit, coalition searches were cut from {} to as few as {} iterations",
                solved.planned, solved.fewest
            ));
        }
        Ok(solved)
    }

    /// Plays the exact game up to `max_exact` players and the sampled one (`samples`
    /// orders) above; degrades the exact game to a sampled one, with as many orders as
    /// the time left affords and a note, when its pace says it would not finish.
    pub fn play(
        &self,
        max_exact: usize,
        samples: usize,
        report: &mut Report,
    ) -> Result<Played, PoolingError> {
        if !report.shapley_exact {
            return self.play_sampled(samples, max_exact, report);
        }
        match self.play_exact(report) {
            Err(PoolingError::WouldNotFinish {
                solved,
                total,
                affordable_units,
                alone,
            }) => {
                // Half: a coalition solve costs more than its iterations (building the
                // sub-problem, the warm start), which the units measured at the planned
                // iterations do not show at one iteration (measured, BENCHMARKS.md).
                let orders = pace::sampled_orders(affordable_units / 2.0, self.players(), samples);
                if orders == 0 {
                    return Err(PoolingError::WouldNotFinish {
                        solved,
                        total,
                        affordable_units,
                        alone,
                    });
                }
                report.shapley_exact = false;
                report.notes.push(format!(
                    "the exact game would not finish in the time left ({solved} of {total} coalitions solved): Shapley value sampled over {orders} orders instead (± one standard error shown)"
                ));
                self.play_sampled(orders, max_exact, report)
            }
            other => other,
        }
    }

    /// Solves every coalition but the grand one, repairs the costs to be sub-additive and
    /// takes the exact Shapley value. Records the coalitions solved, the repair, and a
    /// note when the pooled plan is beaten by two groups (a sign of too short a search).
    pub fn play_exact(&self, report: &mut Report) -> Result<Played, PoolingError> {
        let (n, full) = (self.players(), self.full());
        let masks: Vec<u64> = (1..full).collect();
        let batch = Batch {
            masks: &masks,
            give_up: true,
            iterations: None,
        };
        let solved = self.solve(batch, &mut Plans::default(), report)?;
        let totals = solved.totals;
        report.coalitions_solved = masks.len();
        let mut costs = vec![0.0; 1 << n];
        for (mask, t) in masks.iter().zip(&totals) {
            costs[*mask as usize] = t.priced(self.price());
        }
        costs[full as usize] = self.pooled.priced(self.price());
        // Masks run from 1, so a coalition's totals sit at its mask minus one; a lone
        // player is the grand coalition, whose plan is the pooled one.
        let alone: Vec<Totals> = self
            .singles()
            .iter()
            .map(|&m| {
                if m == full {
                    self.pooled
                } else {
                    totals.get((m - 1) as usize).copied().unwrap_or_default()
                }
            })
            .collect();
        let (repaired, percent) = repair::repair(&mut costs, full as usize);
        report.coalitions_repaired = repaired;
        report.max_repair_percent = percent;
        if let Some(split) = repair::grand_split_is_cheaper(&costs, full as usize) {
            report.notes.push(format!(
                "the pooled plan ({:.2}) costs more than planning in two groups ({split:.2}); a longer search would pool better",
                costs[full as usize]
            ));
        }
        let shapley = shapley::exact(&costs, n);
        Ok(Played {
            alone,
            shapley,
            shapley_errors: vec![0.0; n],
            known: CostGame::dense(&costs, n),
            costs_by_mask: Some(costs),
            plans: Plans::default(),
            iterations: solved.fewest,
        })
    }

    /// Solves the prefixes of `samples` random orders (and every player alone, which the
    /// rows need) and takes the sampled Shapley value with its standard error. Records
    /// the coalitions solved and a note saying what sampling leaves out above
    /// `max_exact` players.
    pub fn play_sampled(
        &self,
        samples: usize,
        max_exact: usize,
        report: &mut Report,
    ) -> Result<Played, PoolingError> {
        let (n, full) = (self.players(), self.full());
        let orders = shapley::orders(n, samples, self.problem.options.seed);
        let masks = self.sampled_masks(&orders);
        let batch = Batch {
            masks: &masks,
            give_up: false,
            iterations: None,
        };
        let mut plans = Plans::default();
        let solved = self.solve(batch, &mut plans, report)?;
        let totals = solved.totals;
        report.coalitions_solved = masks.len();
        let cost_of = |mask: u64| -> f64 {
            if mask == full {
                return self.pooled.priced(self.price());
            }
            masks
                .binary_search(&mask)
                .map_or(0.0, |i| totals[i].priced(self.price()))
        };
        let (shapley, shapley_errors) = shapley::sampled(&orders, n, cost_of);
        let alone = self
            .singles()
            .iter()
            .map(|m| {
                masks
                    .binary_search(m)
                    .map_or(Totals::default(), |i| totals[i])
            })
            .collect();
        if n > max_exact {
            report.notes.push(format!(
                "{n} producers, above max_exact_producers ({max_exact}): Shapley value sampled over {samples} orders (± one standard error shown)"
            ));
        }
        let known = CostGame::sparse(
            n,
            cost_of(full),
            masks.iter().map(|&mask| (mask, cost_of(mask))),
        );
        Ok(Played {
            alone,
            shapley,
            shapley_errors,
            costs_by_mask: None,
            known,
            plans,
            iterations: solved.fewest,
        })
    }

    /// The sorted coalitions to solve for `orders`: their prefixes without the grand
    /// coalition (the pooled plan stands for it), plus every player alone.
    fn sampled_masks(&self, orders: &[Vec<usize>]) -> Vec<u64> {
        let full = self.full();
        let mut masks = shapley::prefixes(orders);
        masks.retain(|m| *m != full);
        for single in &self.singles() {
            if let Err(position) = masks.binary_search(single) {
                masks.insert(position, *single);
            }
        }
        masks
    }
}
