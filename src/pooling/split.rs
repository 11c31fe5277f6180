//! Every rule of the report on a cost game already known (coalition costs by mask),
//! without solving any coalition: proportional to the alone costs, the exact Shapley
//! value, and the rules of the exact game (`core`: least core, nucleolus, EPM, core
//! checks), each with its status. The report's own path uses the proportional split
//! from here; property tests and benchmarks call [`split_game`] on random games, so
//! that what they check is the code the report runs.

use std::sync::atomic::AtomicBool;

use super::cost_game::CostGame;
use super::report::Report;
use super::rules::{Rule, RuleStatus};
use super::{core, shapley};
use crate::budget::Budget;

/// Most players [`split_game`] takes: every coalition is held in memory and enters the
/// linear programs (2^20 rows would not be a report).
pub const MAX_KNOWN_PLAYERS: usize = 16;

/// The shares of every rule on a known game, with the statuses and flags in `report`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Split {
    /// Proportional to each player's alone cost.
    pub proportional: Vec<f64>,
    /// The exact Shapley value.
    pub shapley: Vec<f64>,
    /// The nucleolus, when its programs succeeded.
    pub nucleolus: Option<Vec<f64>>,
    /// The Equal Profit Method split, when its program succeeded.
    pub epm: Option<Vec<f64>>,
    /// Rule statuses, the least-core value and the in-core flags (no producer rows).
    pub report: Report,
}

/// The pooled cost `pooled` split in proportion to each player's cost `alone` (all
/// zeros when nobody costs anything alone).
pub fn proportional(alone: &[f64], pooled: f64) -> Vec<f64> {
    let alone_sum: f64 = alone.iter().sum();
    alone
        .iter()
        .map(|cost| {
            if alone_sum > 0.0 {
                pooled * cost / alone_sum
            } else {
                0.0
            }
        })
        .collect()
}

/// Every rule on the game `costs` of `players` players (`costs[mask]`, `costs[0] = 0`).
/// Never fails: a game of the wrong size skips every rule, saying why; a rule whose
/// program fails says so in its status.
pub fn split_game(costs: &[f64], players: usize) -> Split {
    let mut split = Split::default();
    if players == 0 || players > MAX_KNOWN_PLAYERS || costs.len() != 1 << players {
        split.report.rules.skip_the_rest(&format!(
            "a known game needs 1 to {MAX_KNOWN_PLAYERS} players and one cost per coalition ({} costs for {players} players)",
            costs.len()
        ));
        return split;
    }
    let full = costs.len() - 1;
    let alone: Vec<f64> = (0..players).map(|i| costs[1 << i]).collect();
    split.proportional = proportional(&alone, costs[full]);
    split.shapley = shapley::exact(costs, players);
    split.report.rules.set(Rule::Proportional, RuleStatus::Ok);
    split.report.rules.set(Rule::Shapley, RuleStatus::Ok);
    let never = AtomicBool::new(false);
    let budget = Budget::new(&never);
    let game = CostGame::dense(costs, players);
    let inputs = core::Inputs {
        costs: &game,
        shapley: &split.shapley,
        proportional: &split.proportional,
        force_failure: false,
        budget: &budget,
    };
    let judgement = core::judge(&inputs, &mut split.report);
    split.nucleolus = judgement.nucleolus;
    split.epm = judgement.epm;
    split
}
