//! The shapes of the pooling report: the [`Report`] with its [`ProducerRow`]s, and the
//! [`PoolingError`] that stops one. `mod.rs` fills them and the games in `play` write
//! into them, so they live apart from both, below them.

use super::core_check;
use super::nucleolus::LpError;
use super::rules::RuleStatuses;
use super::totals::Totals;
use crate::domain::StopReason;
use crate::solver::SolveError;

/// Most players the report handles (coalitions are bit masks of a `u64`).
pub const MAX_PLAYERS: usize = 64;

/// One producer's row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProducerRow {
    /// The producer (`None`: what no producer owns).
    pub producer: Option<usize>,
    /// Its tasks served by its own vehicles (or stand-in) alone.
    pub alone: Totals,
    /// Share proportional to stand-alone cost, currency units.
    pub proportional: f64,
    /// Shapley value, currency units.
    pub shapley: f64,
    /// Standard error of a sampled Shapley value (0 when exact), currency units.
    pub shapley_error: f64,
    /// Nucleolus share, currency units (exact games only).
    pub nucleolus: Option<f64>,
    /// Equal Profit Method share, currency units (exact games only).
    pub epm: Option<f64>,
    /// Saving against driving alone under the Shapley split, percent.
    pub saving_percent: f64,
    /// No coalition containing the producer pays more than its cost under Shapley
    /// (exact games only).
    pub in_core: Option<bool>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Every producer alone, summed.
    pub alone: Totals,
    /// The pooled plan.
    pub pooled: Totals,
    /// One row per player.
    pub producers: Vec<ProducerRow>,
    /// Whether the Shapley value is exact.
    pub shapley_exact: bool,
    /// Coalitions solved.
    pub coalitions_solved: usize,
    /// Coalition costs lowered by the repair.
    pub coalitions_repaired: usize,
    /// Largest change of the repair, percent.
    pub max_repair_percent: f64,
    /// Least-core value, currency units (exact games only).
    pub least_core_value: Option<f64>,
    /// Whether the split is in the core, per method (exact games only).
    pub shapley_in_core: Option<bool>,
    /// Whether the nucleolus is in the core.
    pub nucleolus_in_core: Option<bool>,
    /// Whether the proportional split is in the core.
    pub proportional_in_core: Option<bool>,
    /// Whether the EPM split is in the core (always when the core is not empty).
    pub epm_in_core: Option<bool>,
    /// Notes for the reader.
    pub notes: Vec<String>,
    /// What became of each allocation rule (ok, failed or skipped, with why).
    pub rules: RuleStatuses,
    /// The (repaired) cost of every coalition by bit mask, currency units, exact games
    /// only: the game the least core and the nucleolus solve, kept so that their
    /// linear programs can be replayed and measured on their own.
    pub coalition_costs: Option<Vec<f64>>,
    /// Coalitions the least core, the nucleolus, the EPM and the in-core flags rest on
    /// (the grand one included): 2^n − 1 for the exact game.
    pub core_coalitions: usize,
    /// Whether those coalitions are not all of them (a large cooperative's game, by
    /// constraint generation): the rules are then approximate.
    pub core_coalitions_approximate: bool,
    /// The price of each task a coalition leaves unserved in the costs the rules split,
    /// currency units (`pooling.unserved_task_cost`, or the costliest task alone).
    pub unserved_price: f64,
}

impl Report {
    /// Whether the core is empty (exact games only): the least-core value is above the
    /// tolerance of the in-core flags, so that a split in the least core of a core
    /// called "not empty" is flagged in it.
    pub fn core_empty(&self) -> Option<bool> {
        self.least_core_value
            .map(|epsilon| epsilon > core_check::TOLERANCE)
    }
}

/// Errors of the report.
#[derive(Debug, thiserror::Error)]
pub enum PoolingError {
    /// A coalition solve failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// A linear program did not reach an optimum.
    #[error(transparent)]
    Lp(#[from] LpError),
    /// The budget ran out (time limit, client deadline, cancellation) before every
    /// coalition was solved.
    #[error("{} after {solved} of {total} coalitions", stop_text(*.reason))]
    Stopped {
        /// Coalitions solved.
        solved: usize,
        /// Coalitions the game needs.
        total: usize,
        /// What ended the work.
        reason: StopReason,
        /// Each player alone, when every one was solved before the stop: enough for
        /// the proportional split.
        alone: Option<Vec<Totals>>,
    },
    /// The pace of the coalitions solved so far says the rest of the exact game would
    /// not fit in the time left even at one iteration each (the game gives up, before
    /// the deadline, for a sampled one).
    #[error(
        "the exact game would not finish in the time left ({solved} of {total} coalitions solved)"
    )]
    WouldNotFinish {
        /// Coalitions solved.
        solved: usize,
        /// Coalitions the game needs.
        total: usize,
        /// Work units (one iteration for one member) that fit in the time left.
        affordable_units: f64,
        /// Each player alone (the first layer is always solved before this is known).
        alone: Option<Vec<Totals>>,
    },
    /// Too many players for coalition masks.
    #[error("{0} producers: the pooling report handles at most {MAX_PLAYERS}")]
    TooManyPlayers(usize),
}

/// What ended the work, for a reader: "time limit reached", "client deadline
/// reached", "cancelled".
pub fn stop_text(reason: StopReason) -> &'static str {
    match reason {
        StopReason::TimeLimit => "time limit reached",
        StopReason::Deadline => "client deadline reached",
        StopReason::Cancelled => "cancelled",
        StopReason::MaxIterations | StopReason::NoImprovement => "search budget spent",
    }
}
