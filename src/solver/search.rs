//! One search: regret construction, then ruin & recreate under simulated annealing
//! until a stop condition; a recreated plan as good as the best before the objective
//! also gets the local search before the acceptance test. Sync and CPU-only; everything
//! random comes from its seed.

use std::time::Instant;

use super::decompose::Decomposition;
use super::exchange::Seat;
use super::instance::Instance;
use super::iteration::{accept, ruin_and_recreate};
use super::moves::fleet;
use super::moves::recreate::{Workspace, regret};
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
/// given) of the best plan now and then. With `parallel`, a large instance's
/// decomposition solves its groups side by side on the rayon pool the search runs in;
/// with a `seat`, the search meets the other searches now and then and goes on from the
/// best plan of all when it beats its own.
pub fn run(
    instance: &Instance,
    (seed, stream, parallel): (u64, u64, bool),
    budget: &Budget,
    on_improvement: &(dyn Fn(Score) + Sync),
    (warm, checkpoints, mut seat): (
        Option<&WarmStart>,
        Option<&Checkpoints>,
        Option<Seat<State>>,
    ),
) -> Outcome {
    let mut rng = Rng::new(seed, stream);
    let mut workspace = Workspace::new(instance);
    let (first, mut iterations) = construct(instance, &mut rng, &mut workspace, budget, warm);
    let mut walk = Walk::from(instance, first, iterations);
    on_improvement(walk.best_score);
    let annealing = Annealing::new(instance, walk.current_score, budget, iterations);
    let mut next_checkpoint = checkpoints.map(|c| Instant::now() + c.every);
    let mut decomposition = Decomposition::new(instance, seed, stream).map(|decomposition| {
        if parallel {
            decomposition.in_parallel()
        } else {
            decomposition
        }
    });
    let stop_reason = loop {
        let now = Instant::now();
        if let Some(reason) = stop_reason(instance, budget, now, iterations, walk.last_improvement)
        {
            break reason;
        }
        if let (Some(checkpoints), Some(at)) = (checkpoints, next_checkpoint)
            && now >= at
        {
            next_checkpoint = Some(now + checkpoints.every);
            let snapshot = snapshot(instance, stream, iterations, &walk.best, walk.best_score);
            (checkpoints.sink)(snapshot);
        }
        let due = decomposition.as_mut().is_some_and(Decomposition::is_due);
        if due && let Some(decomposition) = decomposition.as_mut() {
            let temperature = annealing.temperature(budget, now, iterations);
            let (merged, spent) = decomposition.pass(instance, &walk.current, temperature, budget);
            iterations += spent;
            let score = merged.score(instance);
            walk.move_to(merged, score, iterations, on_improvement);
            continue;
        }
        iterations += 1;
        let temperature = annealing.temperature(budget, now, iterations);
        let (candidate, score) = ruin_and_recreate(
            instance,
            &walk.current,
            walk.best_score,
            &mut rng,
            &mut workspace,
            budget,
        );
        if accept(score, walk.current_score, temperature, &mut rng) {
            walk.move_to(candidate, score, iterations, on_improvement);
        }
        let met = seat
            .as_mut()
            .and_then(|seat| seat.is_due(iterations).then_some(seat));
        if let Some((plan, score)) = met.and_then(|seat| seat.meet(&walk.best, walk.best_score)) {
            walk.move_to(plan, score, iterations, on_improvement);
        }
    };
    Outcome {
        best: walk.best,
        score: walk.best_score,
        iterations,
        stop_reason,
    }
}

/// Where the annealing walk stands, and the best plan it has seen.
struct Walk {
    current: State,
    current_score: Score,
    best: State,
    best_score: Score,
    /// Iterations done when the best last improved.
    last_improvement: u64,
}

impl Walk {
    /// A walk from `plan`, after `iterations` iterations.
    fn from(instance: &Instance, plan: State, iterations: u64) -> Self {
        let score = plan.score(instance);
        Walk {
            best: plan.clone(),
            current: plan,
            current_score: score,
            best_score: score,
            last_improvement: iterations,
        }
    }

    /// Goes on from `plan` (scored `score`), kept as the best when it beats it.
    fn move_to(
        &mut self,
        plan: State,
        score: Score,
        iterations: u64,
        on_improvement: &(dyn Fn(Score) + Sync),
    ) {
        (self.current, self.current_score) = (plan, score);
        if score < self.best_score {
            (self.best, self.best_score) = (self.current.clone(), score);
            self.last_improvement = iterations;
            on_improvement(score);
        }
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
