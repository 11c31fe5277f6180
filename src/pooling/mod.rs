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
mod play;
mod repair;
mod report;
mod shapley;
mod totals;

pub use game::{Player, players};
pub use nucleolus::LpError;
pub use report::{MAX_PLAYERS, PoolingError, ProducerRow, Report};
pub use totals::Totals;

use crate::budget::Budget;
use crate::domain::{Problem, Solution, TravelMatrix, currency};

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
    let options = problem.pooling.as_ref();
    let co2 = options.map_or(Vec::new(), |o| o.co2_kg_per_km.clone());
    let pooled_totals = Totals::of(problem, pooled, &co2);
    let max_exact = options.map_or(12, |o| o.max_exact_producers);
    let mut report = Report {
        pooled: pooled_totals,
        shapley_exact: n <= max_exact,
        ..Report::default()
    };
    if n == 0 {
        return Ok(report);
    }
    let game = play::Game {
        problem,
        matrices,
        players: &players,
        budget,
        pooled: pooled_totals,
    };
    let played = if report.shapley_exact {
        game.play_exact(&mut report)?
    } else {
        let samples = options.map_or(200, |o| o.shapley_samples);
        game.play_sampled(samples, max_exact, &mut report)?
    };
    for totals in &played.alone {
        report.alone.add(totals);
    }
    let proportional =
        proportional_shares(&played.alone, currency(pooled_totals.figures.cost_micro));
    let core = match &played.costs_by_mask {
        Some(costs) => Some(judge_core(
            costs,
            &played.shapley,
            &proportional,
            &mut report,
        )?),
        None => None,
    };
    push_player_notes(&mut report, &players, &played.alone);
    report.producers = producer_rows(&players, &played, &proportional, core.as_ref());
    Ok(report)
}

/// The pooled cost split in proportion to each player's cost alone.
fn proportional_shares(alone: &[Totals], pooled_cost: f64) -> Vec<f64> {
    let alone_sum: f64 = alone.iter().map(|t| currency(t.figures.cost_micro)).sum();
    alone
        .iter()
        .map(|t| {
            if alone_sum > 0.0 {
                pooled_cost * currency(t.figures.cost_micro) / alone_sum
            } else {
                0.0
            }
        })
        .collect()
}

/// What the exact game says about the core, per player.
struct CoreJudgement {
    /// The nucleolus.
    nucleolus: Vec<f64>,
    /// Whether no coalition containing the player pays more than its cost under
    /// Shapley.
    shapley_member_in_core: Vec<bool>,
}

/// The linear programs of the exact game (least core, then nucleolus) and whether each
/// split is in the core; records them and notes an empty core.
fn judge_core(
    costs: &[f64],
    shapley: &[f64],
    proportional: &[f64],
    report: &mut Report,
) -> Result<CoreJudgement, PoolingError> {
    let n = shapley.len();
    let (epsilon, _) = nucleolus::least_core(costs, n)?;
    report.least_core_value = Some(epsilon);
    let shares = nucleolus::nucleolus(costs, n)?;
    let all_in = |split: &[f64]| core_check::members_in_core(split, costs).iter().all(|b| *b);
    report.shapley_in_core = Some(all_in(shapley));
    report.nucleolus_in_core = Some(all_in(&shares));
    report.proportional_in_core = Some(all_in(proportional));
    if report.core_empty() == Some(true) {
        report.notes.push(format!(
            "the core is empty: whatever the split, some group of producers would pay at least {epsilon:.2} less on its own"
        ));
    }
    Ok(CoreJudgement {
        nucleolus: shares,
        shapley_member_in_core: core_check::members_in_core(shapley, costs),
    })
}

/// Notes on how players were formed and played alone, for a reader who would otherwise
/// wonder at a row.
fn push_player_notes(report: &mut Report, players: &[Player], alone: &[Totals]) {
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
}

/// One row per player: its cost alone and its share under each split.
fn producer_rows(
    players: &[Player],
    played: &play::Played,
    proportional: &[f64],
    core: Option<&CoreJudgement>,
) -> Vec<ProducerRow> {
    players
        .iter()
        .enumerate()
        .map(|(i, player)| {
            let alone_cost = currency(played.alone[i].figures.cost_micro);
            let shapley = played.shapley[i];
            ProducerRow {
                producer: player.producer,
                alone: played.alone[i],
                proportional: proportional[i],
                shapley,
                shapley_error: played.shapley_errors[i],
                nucleolus: core.map(|c| c.nucleolus[i]),
                saving_percent: if alone_cost > 0.0 {
                    (alone_cost - shapley) / alone_cost * 100.0
                } else {
                    0.0
                },
                in_core: core.map(|c| c.shapley_member_in_core[i]),
            }
        })
        .collect()
}
