//! One search: regret construction, then ruin & recreate under simulated annealing
//! until a stop condition; a recreated plan as good as the best before the objective
//! also gets the local search before the acceptance test. Sync and CPU-only; everything
//! random comes from its seed.

use std::time::Instant;

use super::decompose::Decomposition;
use super::instance::Instance;
use super::moves::fleet;
use super::moves::local_search;
use super::moves::recreate::{Workspace, greedy, regret};
use super::moves::ruin::ruin;
use super::rng::Rng;
use super::state::{Score, State};
use super::warm_start::WarmStart;
use super::{Checkpoints, Snapshot};
use crate::budget::Budget;
use crate::domain::{Objective, StopReason};

/// Share of the budget the fleet phase may use under the vehicles-first objective.
const FLEET_SHARE: f64 = 0.25;

/// Initial temperature under the vehicles-first objective, relative to the others'.
const VEHICLES_FIRST_TEMPERATURE: f64 = 2.0;

/// The result of one search.
pub struct Outcome {
    /// Best state found.
    pub best: State,
    /// Its score.
    pub score: Score,
    /// Iterations done.
    pub iterations: u64,
    /// Why it stopped.
    pub stop_reason: StopReason,
}

/// Runs search number `stream` of a solve seeded with `seed`, from `warm` when given
/// (its unassigned tasks are inserted by regret first), else from scratch, until
/// `budget` runs out; `on_improvement` hears of each new best score, `checkpoints` (when
/// given) of the best plan now and then.
pub fn run(
    instance: &Instance,
    (seed, stream): (u64, u64),
    budget: &Budget,
    on_improvement: &(dyn Fn(Score) + Sync),
    (warm, checkpoints): (Option<&WarmStart>, Option<&Checkpoints>),
) -> Outcome {
    let mut rng = Rng::new(seed, stream);
    let mut workspace = Workspace::new(instance);
    let (mut current, mut iterations) = construct(instance, &mut rng, &mut workspace, budget, warm);
    let mut current_score = current.score(instance);
    let mut best = current.clone();
    let mut best_score = current_score;
    on_improvement(best_score);
    let annealing = Annealing::new(instance, current_score, budget, iterations);
    let mut last_improvement = iterations;
    let mut next_checkpoint = checkpoints.map(|c| Instant::now() + c.every);
    let mut decomposition = Decomposition::new(instance, seed, stream);
    let stop_reason = loop {
        let now = Instant::now();
        if let Some(reason) = stop_reason(instance, budget, now, iterations, last_improvement) {
            break reason;
        }
        if let (Some(checkpoints), Some(at)) = (checkpoints, next_checkpoint)
            && now >= at
        {
            next_checkpoint = Some(now + checkpoints.every);
            (checkpoints.sink)(snapshot(instance, stream, iterations, &best, best_score));
        }
        let due = decomposition.as_mut().is_some_and(Decomposition::is_due);
        if due && let Some(decomposition) = decomposition.as_mut() {
            let temperature = annealing.temperature(budget, now, iterations);
            let (merged, spent) = decomposition.pass(instance, &current, temperature, budget);
            iterations += spent;
            (current_score, current) = (merged.score(instance), merged);
            if current_score < best_score {
                (best, best_score, last_improvement) = (current.clone(), current_score, iterations);
                on_improvement(best_score);
            }
            continue;
        }
        iterations += 1;
        let temperature = annealing.temperature(budget, now, iterations);
        let (candidate, score) = ruin_and_recreate(
            instance,
            &current,
            best_score,
            &mut rng,
            &mut workspace,
            budget,
        );
        if accept(score, current_score, temperature, &mut rng) {
            current = candidate;
            current_score = score;
            if score < best_score {
                best = current.clone();
                best_score = score;
                last_improvement = iterations;
                on_improvement(best_score);
            }
        }
    };
    Outcome {
        best,
        score: best_score,
        iterations,
        stop_reason,
    }
}

/// What [`refine`] found.
pub struct Refined {
    /// The best plan.
    pub best: State,
    /// Whether it is better than the plan it started from.
    pub improved: bool,
    /// Iterations done.
    pub iterations: u64,
}

/// Improves the plan `warm` of a sub-problem (see `decompose`) by ruin & recreate with
/// local search, cooling from `temperature` to a tenth of it over the budget's
/// iteration cap; `stream` numbers it among its siblings.
pub fn refine(
    instance: &Instance,
    warm: &WarmStart,
    (seed, stream): (u64, u64),
    budget: &Budget,
    temperature: f64,
) -> Refined {
    let mut rng = Rng::new(seed, stream);
    let mut workspace = Workspace::new(instance);
    let mut current = State::from_warm_start(instance, warm, &mut workspace.scratch);
    let start_score = current.score(instance);
    regret(instance, &mut current, &mut workspace, budget);
    let mut current_score = current.score(instance);
    let (mut best, mut best_score) = (current.clone(), current_score);
    let cap = budget.max_iterations().unwrap_or(0);
    let mut iterations = 0;
    while iterations < cap && !budget.is_over() {
        iterations += 1;
        let progress = iterations as f64 / cap as f64;
        let heat = temperature * 0.1_f64.powf(progress);
        let (candidate, score) = ruin_and_recreate(
            instance,
            &current,
            best_score,
            &mut rng,
            &mut workspace,
            budget,
        );
        if accept(score, current_score, heat, &mut rng) {
            (current, current_score) = (candidate, score);
            if score < best_score {
                (best, best_score) = (current.clone(), score);
            }
        }
    }
    Refined {
        best,
        improved: best_score < start_score,
        iterations,
    }
}

/// Search `stream`'s best plan after `iterations`, for a checkpoint.
fn snapshot(
    instance: &Instance,
    stream: u64,
    iterations: u64,
    best: &State,
    score: Score,
) -> Snapshot {
    let vehicles = instance.problem.vehicles.len();
    Snapshot {
        stream,
        iterations,
        best_objective: score.objective,
        best_unassigned: score.unassigned,
        plan: WarmStart::from_solution(&super::output::solution(instance, best), vehicles),
    }
}

/// The first plan: `warm`'s (or none) completed by regret, then, vehicles first, the
/// fleet phase on the first part of the budget. Also the iterations that phase spent.
fn construct(
    instance: &Instance,
    rng: &mut Rng,
    workspace: &mut Workspace,
    budget: &Budget,
    warm: Option<&WarmStart>,
) -> (State, u64) {
    let mut current = match warm {
        Some(warm) => State::from_warm_start(instance, warm, &mut workspace.scratch),
        None => State::empty(instance),
    };
    regret(instance, &mut current, workspace, budget);
    if instance.objective == Objective::Vehicles {
        return fleet::minimise(
            instance,
            &current,
            rng,
            workspace,
            &budget.share(FLEET_SHARE),
        );
    }
    (current, 0)
}

/// Why the search stops before iteration `iterations + 1`, if it does.
fn stop_reason(
    instance: &Instance,
    budget: &Budget,
    now: Instant,
    iterations: u64,
    last_improvement: u64,
) -> Option<StopReason> {
    if let Some(reason) = budget.expired(now) {
        return Some(reason);
    }
    // An iteration cap makes the run deterministic: no stagnation stop beside it.
    match (
        budget.max_iterations(),
        instance.problem.options.stagnation_iterations,
    ) {
        (Some(limit), _) if iterations >= limit => return Some(StopReason::MaxIterations),
        (None, Some(window)) if iterations - last_improvement >= window => {
            return Some(StopReason::NoImprovement);
        }
        _ => {}
    }
    if instance.task_count() == 0 {
        return Some(StopReason::NoImprovement);
    }
    None
}

/// One iteration's candidate: `current` ruined, recreated in SISR's order and, when
/// promising against `best_score`, improved by the local search; with its score.
fn ruin_and_recreate(
    instance: &Instance,
    current: &State,
    best_score: Score,
    rng: &mut Rng,
    workspace: &mut Workspace,
    budget: &Budget,
) -> (State, Score) {
    let mut candidate = current.clone();
    ruin(instance, &mut candidate, rng, workspace);
    let mut order = candidate.unassigned.clone();
    sort_for_recreate(instance, &candidate, &mut order, rng);
    greedy(instance, &mut candidate, &order, workspace, rng, 0.01);
    let mut score = candidate.score(instance);
    if instance.problem.options.local_search && promising(score, best_score) {
        let touched = touched(&current.routes, &candidate.routes);
        if local_search::improve(instance, &mut candidate, workspace, &touched, budget) {
            score = candidate.score(instance);
        }
    }
    (candidate, score)
}

/// The simulated annealing's cooling schedule, spanning what the budget has left after
/// the fleet phase.
struct Annealing {
    initial_temperature: f64,
    final_temperature: f64,
    started: Instant,
    /// Iterations spent before it (by the fleet phase).
    from: u64,
    /// Seconds it may run (infinite without a deadline, never zero).
    budget_s: f64,
}

impl Annealing {
    /// Starts now, hot in proportion to the average objective per task of `score`.
    fn new(instance: &Instance, score: Score, budget: &Budget, iterations: u64) -> Self {
        let tasks = instance.task_count().max(1) as f64;
        // The average objective per task; SISR's Solomon setting is about 8× that. Tuned
        // on Solomon R/RC and Li & Lim lr at 0.5 s (BENCHMARKS.md): 1× balances both
        // sets. Vehicles first, the fleet phase leaves tighter plans that need more heat
        // to move: 2× (Solomon, all 56, 10 s: +0.77 % at the best-known fleet against
        // +1.06 %).
        let scale = if instance.objective == Objective::Vehicles {
            VEHICLES_FIRST_TEMPERATURE
        } else {
            1.0
        };
        let initial_temperature = scale * (score.objective.max(1) as f64) / tasks;
        let started = Instant::now();
        let budget_s = budget
            .deadline()
            .map_or(f64::INFINITY, |deadline| {
                deadline.saturating_duration_since(started).as_secs_f64()
            })
            .max(1e-3);
        Annealing {
            initial_temperature,
            final_temperature: initial_temperature / 100.0,
            started,
            from: iterations,
            budget_s,
        }
    }

    /// The temperature of iteration `iterations`, at `now`. It cools with the iterations
    /// when they are limited (deterministic runs), else with the clock; u64::MAX means
    /// "until the time limit".
    fn temperature(&self, budget: &Budget, now: Instant, iterations: u64) -> f64 {
        let progress = match budget.max_iterations() {
            Some(limit) if limit < u64::MAX => {
                (iterations - self.from) as f64 / limit.saturating_sub(self.from).max(1) as f64
            }
            _ => now.saturating_duration_since(self.started).as_secs_f64() / self.budget_s,
        };
        self.initial_temperature
            * (self.final_temperature / self.initial_temperature).powf(progress.min(1.0))
    }
}

/// Per vehicle: whether its route differs between two plans.
fn touched(before: &[Vec<usize>], after: &[Vec<usize>]) -> Vec<bool> {
    before.iter().zip(after).map(|(a, b)| a != b).collect()
}

/// Whether a recreated plan gets the local search: when it is as good as the best
/// before the objective (every task in, no more vehicles). Moves start only from the
/// routes ruin and recreate changed, which keeps this cheap (Solomon, all 56, 1 s, mean
/// of 3 seeds: +0.87 % without local search, +0.60 % on plans within 15 % of the best
/// objective, +0.52 % on every plan from every route, +0.41 % from changed routes).
fn promising(candidate: Score, best: Score) -> bool {
    let key = |s: Score| (s.unassigned_weight, s.unassigned, s.vehicles);
    key(candidate) <= key(best)
}

/// Better on what comes before the objective: always; equal there: simulated annealing
/// on the objective; worse: never.
fn accept(candidate: Score, current: Score, temperature: f64, rng: &mut Rng) -> bool {
    let key = |s: Score| (s.unassigned_weight, s.unassigned, s.vehicles);
    match key(candidate).cmp(&key(current)) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => {
            let threshold = -temperature * (1.0 - rng.unit()).ln();
            (candidate.objective as f64) < current.objective as f64 + threshold
        }
    }
}

/// SISR's recreate orders: random, biggest first, farthest first, closest first;
/// always higher priorities first.
fn sort_for_recreate(instance: &Instance, state: &State, order: &mut [usize], rng: &mut Rng) {
    rng.shuffle(order);
    let size = |task: usize| -> i64 {
        instance.task_stops[task]
            .iter()
            .map(|&s| {
                instance.stops[s]
                    .change
                    .iter()
                    .map(|c| c.abs())
                    .sum::<i64>()
                    + instance.stops[s].start_load.iter().sum::<i64>()
            })
            .sum()
    };
    let spread = |task: usize| -> i64 {
        let stop = &instance.stops[instance.task_stops[task][0]];
        state
            .routes
            .iter()
            .enumerate()
            .filter_map(|(vehicle, _)| instance.problem.vehicles[vehicle].start_site)
            .map(|site| {
                instance.matrices[0]
                    .duration_s(instance.problem.sites[site].matrix_index, stop.location)
            })
            .min()
            .unwrap_or(0)
    };
    let draw = rng.below(11);
    if draw < 4 {
        // random order, kept
    } else if draw < 8 {
        order.sort_by_key(|&task| std::cmp::Reverse(size(task)));
    } else if draw < 10 {
        order.sort_by_key(|&task| std::cmp::Reverse(spread(task)));
    } else {
        order.sort_by_key(|&task| spread(task));
    }
    order.sort_by_key(|&task| std::cmp::Reverse(instance.problem.tasks[task].priority));
}
