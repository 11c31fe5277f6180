//! The pooling report: what pooling saves against every producer driving alone, and a
//! fair split of the pooled cost between producers. No routing engine answers this,
//! yet it is the first question of every cooperative.
//!
//! The cost game: each player (producer) is a set of tasks and vehicles; a coalition's
//! cost is that of the plan serving its members' tasks with its members' vehicles
//! (`coalition`). Coalitions are solved a layer of one size at a time, in parallel
//! (rayon) or on the workers of a cluster (`fanout`), each seeded from
//! `(seed, coalition)`. Heuristic costs are repaired to be sub-additive (`repair`).
//! Shares: proportional to stand-alone cost, the Shapley value (exact up to
//! `max_exact_producers` players, sampled above with its standard error), and the
//! nucleolus (least core first) by linear programming (`nucleolus` over `lp`, checked
//! answers), the Equal Profit Method (`epm`: equal relative savings inside the core),
//! and core membership (`core`). Each rule records its own status (`rules`):
//! the report never fails the request, and stops, saying so, when the budget ends.
//! References: Guajardo & Rönnqvist 2016 (review); Frisk et al. 2010; Krajewska et al.
//! 2008.

mod coalition;
mod core;
mod core_check;
mod cost_game;
mod epm;
mod fanout;
mod game;
mod generate;
mod leftovers;
mod lp;
pub mod nucleolus;
mod pace;
mod plans;
mod play;
mod pricing;
mod progress;
mod repair;
mod report;
mod rules;
mod shapley;
mod split;
mod totals;

pub use cost_game::CostGame;
pub use fanout::{Coalition, Coalitions, Local, Whole, solve_coalition};
pub use game::{Player, players};
pub use lp::{Backend, LpError};
pub use plans::Plan;
pub use progress::{CoalitionProgress, Counted};
pub use report::{MAX_PLAYERS, PoolingError, ProducerRow, Report};
pub use rules::{Rule, RuleStatus, RuleStatuses};
pub use split::{MAX_KNOWN_PLAYERS, Split, split_game};
pub use totals::Totals;

use crate::budget::Budget;
use crate::domain::{Problem, Solution, TravelMatrix};

/// Builds the report for `pooled`, the solution of `problem`, solving its coalitions on
/// this machine. Never fails: a rule that cannot be computed says why in
/// [`Report::rules`], and the pooled plan stands.
pub fn report(
    problem: &Problem,
    matrices: &[TravelMatrix],
    pooled: &Solution,
    budget: &Budget,
) -> Report {
    report_through(problem, matrices, pooled, budget, &Local)
}

/// Builds the report like [`report`], its coalitions solved by `coalitions` (the
/// workers of a cluster, say): the same report wherever they are solved.
pub fn report_through(
    problem: &Problem,
    matrices: &[TravelMatrix],
    pooled: &Solution,
    budget: &Budget,
    coalitions: &dyn Coalitions,
) -> Report {
    let co2 = problem
        .pooling
        .as_ref()
        .map_or(Vec::new(), |o| o.co2_kg_per_km.clone());
    let mut report = Report {
        pooled: Totals::of(problem, pooled, &co2),
        unserved_price: leftovers::unserved_price(problem, matrices),
        ..Report::default()
    };
    match fill(problem, matrices, budget, coalitions, &mut report) {
        Ok(()) => {}
        Err(error @ (PoolingError::Stopped { .. } | PoolingError::WouldNotFinish { .. })) => {
            keep_proportional(problem, &error, &mut report);
            report.rules.skip_the_rest(&error.to_string());
            let skipped: Vec<&str> = report
                .rules
                .iter()
                .filter(|(_, status)| !status.is_ok())
                .map(|(rule, _)| rule.name())
                .collect();
            report.notes.push(format!(
                "the fair split was cut short ({error}); the pooled plan stands; skipped: {}",
                skipped.join(", ")
            ));
        }
        Err(error) => {
            report.rules.fail_the_rest(&error.to_string());
            report.notes.push(format!(
                "the fair split could not be computed ({error}); the pooled plan stands"
            ));
        }
    }
    report
}

/// Plays the game and computes every rule it can into `report`.
fn fill(
    problem: &Problem,
    matrices: &[TravelMatrix],
    budget: &Budget,
    coalitions: &dyn Coalitions,
    report: &mut Report,
) -> Result<(), PoolingError> {
    let players = game::players(problem);
    let n = players.len();
    if n > MAX_PLAYERS {
        report
            .rules
            .skip_the_rest(&PoolingError::TooManyPlayers(n).to_string());
        return Ok(());
    }
    let options = problem.pooling.as_ref();
    let max_exact = options.map_or(12, |o| o.max_exact_producers);
    report.shapley_exact = n <= max_exact;
    if n == 0 {
        report.rules.skip_the_rest("no producers: nothing to split");
        return Ok(());
    }
    let game = play::Game {
        problem,
        matrices,
        players: &players,
        budget,
        pooled: report.pooled,
        price: report.unserved_price,
        coalitions,
    };
    let samples = options.map_or(200, |o| o.shapley_samples);
    let mut played = game.play(max_exact, samples, report)?;
    for totals in &played.alone {
        report.alone.add(totals);
    }
    let price = report.unserved_price;
    let alone_costs: Vec<f64> = played.alone.iter().map(|t| t.priced(price)).collect();
    let proportional = split::proportional(&alone_costs, report.pooled.priced(price));
    report.rules.set(Rule::Proportional, RuleStatus::Ok);
    report.rules.set(Rule::Shapley, RuleStatus::Ok);
    let mut known = std::mem::take(&mut played.known);
    if !known.is_complete() {
        let sampled = known.rows.len();
        let generation = generate::extend_by_solving(
            &game,
            &mut known,
            &mut played.plans,
            played.iterations,
            report,
        );
        report.core_coalitions_approximate = !known.is_complete();
        report
            .notes
            .push(generate::note(&known, sampled, &generation));
    }
    report.core_coalitions = known.rows.len() + 1;
    let inputs = core::Inputs {
        costs: &known,
        shapley: &played.shapley,
        proportional: &proportional,
        force_failure: options.is_some_and(|o| o.force_lp_failure),
        budget,
    };
    let core = core::judge(&inputs, report);
    report.coalition_costs = played.costs_by_mask.take();
    push_player_notes(report, &players, &played.alone, price);
    report.producers = producer_rows(&players, &played, &proportional, Some(&core), price);
    Ok(())
}

/// When the report stopped after every player alone was solved: the proportional split
/// (it needs nothing more), the alone totals and rows with the other rules at 0.
fn keep_proportional(problem: &Problem, error: &PoolingError, report: &mut Report) {
    let alone = match error {
        PoolingError::Stopped { alone, .. } | PoolingError::WouldNotFinish { alone, .. } => {
            alone.as_deref()
        }
        _ => None,
    };
    let players = game::players(problem);
    let Some(alone) = alone.filter(|alone| alone.len() == players.len()) else {
        return;
    };
    let price = report.unserved_price;
    let alone_costs: Vec<f64> = alone.iter().map(|t| t.priced(price)).collect();
    let proportional = split::proportional(&alone_costs, report.pooled.priced(price));
    for totals in alone {
        report.alone.add(totals);
    }
    report.rules.set(Rule::Proportional, RuleStatus::Ok);
    report.producers = players
        .iter()
        .zip(alone.iter().zip(proportional))
        .map(|(player, (totals, share))| ProducerRow {
            producer: player.producer,
            alone: *totals,
            proportional: share,
            shapley: 0.0,
            shapley_error: 0.0,
            nucleolus: None,
            epm: None,
            saving_percent: 0.0,
            in_core: None,
        })
        .collect();
}

/// Notes on how players were formed and played alone, for a reader who would otherwise
/// wonder at a row.
fn push_player_notes(report: &mut Report, players: &[Player], alone: &[Totals], price: f64) {
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
    if alone.iter().any(|t| t.unassigned > 0) || report.pooled.unassigned > 0 {
        report.notes.push(format!("some tasks are left unserved (by a producer alone or by the pooled plan); each one is priced at {price:.2} in the costs the rules split (pooling.unserved_task_cost, by default the costliest task served alone by a van)"));
    }
}

/// One row per player: its cost alone and its share under each split.
fn producer_rows(
    players: &[Player],
    played: &play::Played,
    proportional: &[f64],
    core: Option<&core::Judgement>,
    price: f64,
) -> Vec<ProducerRow> {
    players
        .iter()
        .enumerate()
        .map(|(i, player)| {
            let alone_cost = played.alone[i].priced(price);
            let shapley = played.shapley[i];
            ProducerRow {
                producer: player.producer,
                alone: played.alone[i],
                proportional: proportional[i],
                shapley,
                shapley_error: played.shapley_errors[i],
                nucleolus: core
                    .and_then(|c| c.nucleolus.as_ref())
                    .map(|shares| shares[i]),
                epm: core.and_then(|c| c.epm.as_ref()).map(|shares| shares[i]),
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
