//! The solver: a validated problem and its travel matrices in, a solution out. Sync,
//! CPU-only and deterministic: `threads` independent searches run on a rayon pool, each
//! seeded from `(seed, index)`, and the best wins by `(score, index)`, so a seed, a
//! thread count and an iteration limit always give the same answer. A large instance
//! (one the search decomposes) gets one search instead, whose sub-problems share the
//! pool's threads: it scales with the cores rather than repeating the walk.
//!
//! Layout: the model at the top (`instance`, `state`, `output`, `reasons`, `rng`,
//! `warm_start`) and the driver (`search`); `route` judges one vehicle's sequence
//! (evaluation, trips, caches, insertion); `moves` changes plans (ruin, recreate,
//! fleet, local search) and prices every change through `route`, which never imports
//! `moves`. `shifts` (a week's tours) and `transfers` (the legs of shipments that may
//! change van at a hub) reshape the problem before the search and the answer after.

mod decompose;
mod exchange;
#[cfg(test)]
mod tests;
mod instance;
mod iteration;
mod moves;
mod output;
mod reasons;
mod rng;
mod route;
mod search;
mod shifts;
mod state;
mod transfers;
mod warm_start;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use moves::local_search::Operator;
pub use moves::operator_bench::OperatorBench;
pub use rng::Rng;
pub use shifts::Split;
pub use warm_start::WarmStart;

use crate::budget::Budget;
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

/// Receives each new best plan's progress (from any search thread).
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Sync);

/// One search's best plan so far, handed out now and then so that a long-running
/// operation can store it and resume from it after a crash.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Which parallel search (0-based).
    pub stream: u64,
    /// Iterations this search has done.
    pub iterations: u64,
    /// Objective value of its best plan (micro-currency, metres or seconds).
    pub best_objective: i64,
    /// Tasks its best plan leaves out.
    pub best_unassigned: usize,
    /// Its best plan, as a warm start.
    pub plan: WarmStart,
}

/// How often each search hands out a [`Snapshot`], and to whom (from its own thread).
pub struct Checkpoints<'a> {
    /// Time between two snapshots of one search.
    pub every: Duration,
    /// Receives them; it runs on the search's thread, so keep it short.
    pub sink: &'a (dyn Fn(Snapshot) + Sync),
}

/// Solves `problem` on `matrices` (one per profile) within `budget`, narrowed to the
/// problem's time limit and iteration cap.
pub fn solve(
    problem: &Problem,
    matrices: &[TravelMatrix],
    budget: &Budget,
    on_progress: OnProgress,
) -> Result<Solution, SolveError> {
    solve_from(problem, matrices, budget, on_progress, None)
}

/// Solves `problem` starting from `warm` when given.
pub fn solve_from(
    problem: &Problem,
    matrices: &[TravelMatrix],
    budget: &Budget,
    on_progress: OnProgress,
    warm: Option<&WarmStart>,
) -> Result<Solution, SolveError> {
    solve_checkpointed(problem, matrices, budget, on_progress, warm, None)
}

/// Runs `streams` searches on a pool of `threads` threads, each on its own stream of
/// the seed.
fn run_streams(
    (threads, streams): (usize, usize),
    run: impl Fn(u64) -> search::Outcome + Sync + Send,
) -> Result<Vec<search::Outcome>, SolveError> {
    if threads == 1 {
        // On the caller's thread: callers that already run many solves in parallel
        // (the pooling report) need no pool per solve.
        return Ok(vec![run(0)]);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| SolveError::ThreadPool(error.to_string()))?;
    Ok(pool.install(|| (0..streams as u64).into_par_iter().map(&run).collect()))
}

/// The best of the searches' `outcomes` (the first on ties) as a solution of
/// `instance`, with the iterations of all.
fn best_of(instance: &instance::Instance, outcomes: Vec<search::Outcome>) -> Solution {
    let iterations = outcomes.iter().map(|o| o.iterations).sum();
    let best = outcomes
        .into_iter()
        .enumerate()
        .min_by_key(|(index, outcome)| (outcome.score, *index))
        .map(|(_, o)| o);
    let mut solution = match &best {
        Some(outcome) => output::solution(instance, &outcome.best),
        None => output::solution(instance, &state::State::empty(instance)),
    };
    solution.stop_reason = best.map_or(StopReason::MaxIterations, |o| o.stop_reason);
    solution.iterations = iterations;
    solution
}

/// Iterations between two meetings of the parallel searches: about a tenth of a
/// second's work on a hundred tasks, longer on larger instances.
fn meeting_period(instance: &instance::Instance) -> u64 {
    (10 * instance.task_count() as u64).max(500)
}

/// The instance the searches run on: the problem, its split into shifts, or its
/// expansion with transfer legs.
fn searched_instance<'a>(
    problem: &'a Problem,
    matrices: &'a [TravelMatrix],
    split: Option<&'a shifts::Split>,
    expansion: Option<&'a transfers::Expansion>,
) -> instance::Instance<'a> {
    let searched = match (split, expansion) {
        (Some(split), _) => &split.problem,
        (None, Some(expansion)) => &expansion.problem,
        (None, None) => problem,
    };
    let mut instance = instance::Instance::new(searched, matrices);
    if let Some(expansion) = expansion {
        instance.roles = instance::transfers::roles(instance.task_count(), &expansion.groups);
    }
    instance
}

/// Solves `problem` like [`solve_from`], each search also handing its best plan to
/// `checkpoints` now and then when given.
pub fn solve_checkpointed(
    problem: &Problem,
    matrices: &[TravelMatrix],
    budget: &Budget,
    on_progress: OnProgress,
    warm: Option<&WarmStart>,
    checkpoints: Option<&Checkpoints>,
) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let options = &problem.options;
    let budget = budget
        .starting_at(started)
        .until(
            started + Duration::from_millis(options.time_limit_ms),
            StopReason::TimeLimit,
        )
        .with_max_iterations(options.max_iterations);
    let split = shifts::Split::of(problem);
    // Validation refuses transfer points beside shifts.
    let expansion = split
        .is_none()
        .then(|| transfers::Expansion::of(problem, matrices))
        .flatten();
    let instance = searched_instance(problem, matrices, split.as_ref(), expansion.as_ref());
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        threads => threads,
    };
    let global_best: Mutex<Option<state::Score>> = Mutex::new(None);
    let on_improvement = |score: state::Score| {
        let Ok(mut best) = global_best.lock() else {
            return;
        };
        if best.is_none_or(|known| score < known) {
            *best = Some(score);
            on_progress(Progress {
                best_objective: score.objective,
                best_unassigned: score.unassigned,
                elapsed_ms: started.elapsed().as_millis() as u64,
            });
        }
    };
    // A large instance gets one search whose decomposition spreads its groups over
    // the threads: more of one walk beats the best of several short ones there, and
    // it scales past the number of searches (BENCHMARKS.md, "Threads on large
    // instances"). The answer is then the same for every thread count.
    let parallel = threads > 1 && decompose::Decomposition::applies(&instance);
    let streams = if parallel { 1 } else { threads };
    let meetings = exchange::Exchange::new(streams, meeting_period(&instance));
    let run = |stream: u64| {
        let seat = (streams > 1).then(|| meetings.seat(stream));
        search::run(
            &instance,
            (options.seed, stream, parallel),
            &budget,
            &on_improvement,
            (warm, checkpoints, seat),
        )
    };
    let mut solution = best_of(&instance, run_streams((threads, streams), run)?);
    solution.elapsed_ms = started.elapsed().as_millis() as u64;
    if let Some(split) = &split {
        split.join(&mut solution);
    }
    if let Some(expansion) = &expansion {
        expansion.join(&mut solution);
    }
    #[cfg(debug_assertions)]
    if let Err(violations) = crate::checker::check(problem, matrices, &solution) {
        debug_assert!(
            false,
            "the solver's answer fails the checker: {violations:?}"
        );
    }
    Ok(solution)
}
