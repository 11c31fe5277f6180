//! The solver: a validated problem and its travel matrices in, a solution out. Sync,
//! CPU-only and deterministic: `threads` independent searches run on a rayon pool, each
//! seeded from `(seed, index)`, and the best wins by `(score, index)`, so a seed, a
//! thread count and an iteration limit always give the same answer.

mod fast_insertion;
mod fleet;
mod insertion;
mod instance;
mod local_search;
mod operator_bench;
mod output;
mod reasons;
mod recreate;
mod rng;
mod route_cache;
mod route_eval;
mod ruin;
mod search;
mod state;
mod trips;

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use local_search::Operator;
pub use operator_bench::OperatorBench;
pub use rng::Rng;
pub use search::NO_IMPROVEMENT_ITERATIONS;

use crate::domain::{Problem, Solution, StopReason, TravelMatrix};

/// Progress of a running solve, for streaming.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Objective value of the best plan so far (micro-currency, metres or seconds).
    pub best_objective: i64,
    /// Tasks it leaves out.
    pub best_unassigned: usize,
    /// Since the solve started, milliseconds.
    pub elapsed_ms: u64,
}

/// Errors of the solver itself (never of the request: that is validation's job).
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The thread pool could not be built.
    #[error("cannot start the search threads: {0}")]
    ThreadPool(String),
}

/// Outside limits on a solve.
pub struct Limits<'a> {
    /// A deadline set by the client (gRPC), if earlier than the time limit.
    pub client_deadline: Option<Instant>,
    /// Set when the client goes away.
    pub cancelled: &'a AtomicBool,
    /// Called on each new best plan.
    pub on_progress: &'a (dyn Fn(Progress) + Sync),
}

/// A plan to start the search from: per vehicle of the problem, its stops in order as
/// (task, which stop of the task: 0 for a job or a pickup, 1 for a delivery). The
/// search never returns anything worse than it (what it cannot place goes back to
/// regret insertion first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarmStart {
    /// Per vehicle index, its stops.
    pub routes: Vec<Vec<(usize, usize)>>,
}

impl WarmStart {
    /// The routes of a solution of a problem with `vehicles` vehicles.
    pub fn from_solution(solution: &Solution, vehicles: usize) -> Self {
        let mut routes = vec![Vec::new(); vehicles];
        for tour in &solution.tours {
            let Some(route) = routes.get_mut(tour.vehicle) else {
                continue;
            };
            route.extend(
                tour.steps
                    .iter()
                    .filter_map(|step| match (step.task, step.kind) {
                        (Some(task), crate::domain::StepKind::Delivery) => Some((task, 1)),
                        (Some(task), _) => Some((task, 0)),
                        (None, _) => None,
                    }),
            );
        }
        WarmStart { routes }
    }
}

/// Solves `problem` on `matrices` (one per profile).
pub fn solve(
    problem: &Problem,
    matrices: &[TravelMatrix],
    limits: &Limits,
) -> Result<Solution, SolveError> {
    solve_from(problem, matrices, limits, None)
}

/// Solves `problem` starting from `warm` when given.
pub fn solve_from(
    problem: &Problem,
    matrices: &[TravelMatrix],
    limits: &Limits,
    warm: Option<&WarmStart>,
) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let instance = instance::Instance::new(problem, matrices);
    let options = &problem.options;
    let time_limit = started + Duration::from_millis(options.time_limit_ms);
    let (deadline, deadline_reason) = match limits.client_deadline {
        Some(client) if client < time_limit => (client, StopReason::Deadline),
        _ => (time_limit, StopReason::TimeLimit),
    };
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let global_best: Mutex<Option<state::Score>> = Mutex::new(None);
    let on_improvement = |score: state::Score| {
        let Ok(mut best) = global_best.lock() else {
            return;
        };
        if best.is_none_or(|known| score < known) {
            *best = Some(score);
            (limits.on_progress)(Progress {
                best_objective: score.objective,
                best_unassigned: score.unassigned,
                elapsed_ms: started.elapsed().as_millis() as u64,
            });
        }
    };
    let control = search::Control {
        started,
        deadline,
        deadline_reason,
        cancelled: limits.cancelled,
        max_iterations: options.max_iterations,
        on_improvement: &on_improvement,
    };
    let run = |stream: u64| search::run(&instance, options.seed, stream, &control, warm);
    let outcomes: Vec<search::Outcome> = if threads == 1 {
        // On the caller's thread: callers that already run many solves in parallel
        // (the pooling report) need no pool per solve.
        vec![run(0)]
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|error| SolveError::ThreadPool(error.to_string()))?;
        pool.install(|| (0..threads as u64).into_par_iter().map(run).collect())
    };
    let iterations = outcomes.iter().map(|o| o.iterations).sum();
    let best = outcomes
        .into_iter()
        .enumerate()
        .min_by_key(|(index, outcome)| (outcome.score, *index))
        .map(|(_, o)| o);
    let mut solution = match &best {
        Some(outcome) => output::solution(&instance, &outcome.best),
        None => output::solution(&instance, &state::State::empty(&instance)),
    };
    solution.stop_reason = best.map_or(StopReason::MaxIterations, |o| o.stop_reason);
    solution.iterations = iterations;
    solution.elapsed_ms = started.elapsed().as_millis() as u64;
    #[cfg(debug_assertions)]
    if let Err(violations) = crate::checker::check(problem, matrices, &solution) {
        debug_assert!(
            false,
            "the solver's answer fails the checker: {violations:?}"
        );
    }
    Ok(solution)
}
