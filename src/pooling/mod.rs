//! The pooling report: what pooling saves against every producer driving alone, and a
//! fair split of the pooled cost between producers. No routing engine answers this,
//! yet it is the first question of every cooperative.
//!
//! The cost game: each player (producer) is a set of tasks and vehicles; a coalition's
//! cost is that of the plan serving its members' tasks with its members' vehicles
//! (`coalition`). Coalitions are solved in parallel (rayon), each seeded from
//! `(seed, coalition)`. Heuristic costs are repaired to be sub-additive (`repair`).
//! Shares: proportional to stand-alone cost, the Shapley value (exact up to
//! `max_exact_producers` players, sampled above with its standard error), and the
//! nucleolus (least core first) by linear programming (`nucleolus`). References:
//! Guajardo & Rönnqvist 2016 (review); Frisk et al. 2010; Krajewska et al. 2008.

mod coalition;
mod core_check;
mod game;
mod nucleolus;
mod plans;
mod repair;
mod shapley;

pub use game::{Player, players};
pub use nucleolus::LpError;

use crate::budget::Budget;
use crate::domain::{Problem, Solution, TravelMatrix, currency};
use crate::solver::SolveError;

/// Most players the report handles (coalitions are bit masks of a `u64`).
pub const MAX_PLAYERS: usize = 64;

/// Totals of one way of organising the transport.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    /// Cost, micro-currency.
    pub cost_micro: i64,
    /// Distance, metres.
    pub distance_m: i64,
    /// Working time, seconds.
    pub duration_s: i64,
    /// Driving time, seconds.
    pub travel_s: i64,
    /// Vehicles used.
    pub vehicles: usize,
    /// CO2, kilograms.
    pub co2_kg: f64,
    /// Tasks left unassigned.
    pub unassigned: usize,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.cost_micro += other.cost_micro;
        self.distance_m += other.distance_m;
        self.duration_s += other.duration_s;
        self.travel_s += other.travel_s;
        self.vehicles += other.vehicles;
        self.co2_kg += other.co2_kg;
        self.unassigned += other.unassigned;
    }
}

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
    /// Notes for the reader.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether the core is empty (exact games only).
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
    /// Too many players for coalition masks.
    #[error("{0} producers: the pooling report handles at most {MAX_PLAYERS}")]
    TooManyPlayers(usize),
}

/// Builds the report for `pooled`, the solution of `problem`.
pub fn report(
    problem: &Problem,
    matrices: &[TravelMatrix],
    pooled: &Solution,
    budget: &Budget,
) -> Result<Report, PoolingError> {
    let players = game::players(problem);
    let n = players.len();
    if n > MAX_PLAYERS {
        return Err(PoolingError::TooManyPlayers(n));
    }
    let co2 = problem
        .pooling
        .as_ref()
        .map_or(Vec::new(), |o| o.co2_kg_per_km.clone());
    let pooled_totals = Totals::of(problem, pooled, &co2);
    let max_exact = problem
        .pooling
        .as_ref()
        .map_or(12, |o| o.max_exact_producers);
    let mut report = Report {
        pooled: pooled_totals,
        shapley_exact: n <= max_exact,
        ..Report::default()
    };
    if n == 0 {
        return Ok(report);
    }
    let full = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let singles: Vec<u64> = (0..n).map(|i| 1u64 << i).collect();
    let (alone, costs_by_mask, shapley_values, shapley_errors) = if report.shapley_exact {
        let masks: Vec<u64> = (1..full).collect();
        let totals = coalition::solve_all(problem, matrices, &players, &masks, budget)?;
        report.coalitions_solved = masks.len();
        let mut costs = vec![0.0; 1 << n];
        for (mask, t) in masks.iter().zip(&totals) {
            costs[*mask as usize] = currency(t.cost_micro);
        }
        costs[full as usize] = currency(pooled_totals.cost_micro);
        let alone: Vec<Totals> = singles.iter().map(|m| totals[(*m - 1) as usize]).collect();
        let (repaired, percent) = repair::repair(&mut costs, full as usize);
        report.coalitions_repaired = repaired;
        report.max_repair_percent = percent;
        if let Some(split) = repair::grand_split_is_cheaper(&costs, full as usize) {
            report.notes.push(format!(
                "the pooled plan ({:.2}) costs more than planning in two groups ({split:.2}); a longer search would pool better",
                costs[full as usize]
            ));
        }
        let values = shapley::exact(&costs, n);
        (alone, Some(costs), values, vec![0.0; n])
    } else {
        let samples = problem.pooling.as_ref().map_or(200, |o| o.shapley_samples);
        let orders = shapley::orders(n, samples, problem.options.seed);
        let mut masks = shapley::prefixes(&orders);
        masks.retain(|m| *m != full);
        for single in &singles {
            if let Err(position) = masks.binary_search(single) {
                masks.insert(position, *single);
            }
        }
        let totals = coalition::solve_all(problem, matrices, &players, &masks, budget)?;
        report.coalitions_solved = masks.len();
        let cost_of = |mask: u64| -> f64 {
            if mask == full {
                return currency(pooled_totals.cost_micro);
            }
            masks
                .binary_search(&mask)
                .map_or(0.0, |i| currency(totals[i].cost_micro))
        };
        let (values, errors) = shapley::sampled(&orders, n, cost_of);
        let alone = singles
            .iter()
            .map(|m| {
                masks
                    .binary_search(m)
                    .map_or(Totals::default(), |i| totals[i])
            })
            .collect();
        report.notes.push(format!(
            "{n} producers: Shapley value sampled over {samples} orders (± one standard error shown); nucleolus and core need every coalition and are not computed above {max_exact} producers"
        ));
        (alone, None, values, errors)
    };
    for totals in &alone {
        report.alone.add(totals);
    }
    let pooled_cost = currency(pooled_totals.cost_micro);
    let alone_sum: f64 = alone.iter().map(|t| currency(t.cost_micro)).sum();
    let proportional: Vec<f64> = alone
        .iter()
        .map(|t| {
            if alone_sum > 0.0 {
                pooled_cost * currency(t.cost_micro) / alone_sum
            } else {
                0.0
            }
        })
        .collect();
    let mut nucleolus_shares = None;
    if let Some(costs) = &costs_by_mask {
        let (epsilon, _) = nucleolus::least_core(costs, n)?;
        report.least_core_value = Some(epsilon);
        let shares = nucleolus::nucleolus(costs, n)?;
        let all_in = |split: &[f64]| core_check::members_in_core(split, costs).iter().all(|b| *b);
        report.shapley_in_core = Some(all_in(&shapley_values));
        report.nucleolus_in_core = Some(all_in(&shares));
        report.proportional_in_core = Some(all_in(&proportional));
        if report.core_empty() == Some(true) {
            report.notes.push(format!(
                "the core is empty: whatever the split, some group of producers would pay at least {epsilon:.2} less on its own"
            ));
        }
        nucleolus_shares = Some(shares);
    }
    let member_flags = costs_by_mask
        .as_ref()
        .map(|costs| core_check::members_in_core(&shapley_values, costs));
    if players
        .iter()
        .any(|p| p.vehicles.is_empty() && !p.tasks.is_empty())
    {
        report.notes.push("producers without a vehicle drive alone with a stand-in van from their first pickup site".to_string());
    }
    if players.iter().any(|p| p.producer.is_none()) {
        report.notes.push(
            "tasks and vehicles without a producer form one more player, \"(unowned)\"".to_string(),
        );
    }
    if alone.iter().any(|t| t.unassigned > 0) {
        report.notes.push("some producers cannot serve all their tasks alone; their alone cost leaves those tasks out".to_string());
    }
    report.producers = players
        .iter()
        .enumerate()
        .map(|(i, player)| {
            let alone_cost = currency(alone[i].cost_micro);
            ProducerRow {
                producer: player.producer,
                alone: alone[i],
                proportional: proportional[i],
                shapley: shapley_values[i],
                shapley_error: shapley_errors[i],
                nucleolus: nucleolus_shares.as_ref().map(|s| s[i]),
                saving_percent: if alone_cost > 0.0 {
                    (alone_cost - shapley_values[i]) / alone_cost * 100.0
                } else {
                    0.0
                },
                in_core: member_flags.as_ref().map(|f| f[i]),
            }
        })
        .collect();
    Ok(report)
}
