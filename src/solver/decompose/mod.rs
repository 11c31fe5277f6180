//! Decomposition of large instances: now and then the search splits its current plan
//! into groups of nearby routes ([`groups`]), solves each group as a problem of its
//! own ([`sub`]) with the same ruin & recreate for a bounded number of iterations, and
//! writes back each group's plan when it is better. A sub-problem of a hundred-odd
//! tasks iterates about ten times faster than the whole (every iteration clones, ruins
//! and re-prices a plan of the sub-problem's size, with SISR's small ruins), as in the
//! route-based decomposition of SISR-type and HGS-type solvers: about 1 % shorter on
//! Gehring & Homberger 1000 at 120 s (BENCHMARKS.md, "Decomposition"). Only from a
//! thousand stops (`SETTINGS`): smaller instances never reach it and keep their
//! answers bit for bit. Deterministic: each pass draws from its own generator seeded by
//! (seed, stream, pass), never from the search's, and draws every group's seed before
//! any group is solved, so that solving the groups side by side on the solve's threads
//! (`parallel`: how a large instance uses more than one core) gives the same merged
//! plan as solving them one after the other.

mod groups;
mod refine;
mod sub;

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::instance::Instance;
use super::rng::Rng;
use super::route::evaluate::Scratch;
use super::state::State;
use crate::budget::Budget;

/// How a search decomposes: its size threshold and pace.
#[derive(Debug, Clone, Copy)]
struct Settings {
    /// Stops (a shipment has two) from which a search decomposes.
    min_stops: usize,
    /// Tasks per group, about.
    group_tasks: usize,
    /// Iterations of the whole plan between two passes.
    period: u64,
    /// Iterations of a sub-problem per task of it.
    iterations_per_task: u64,
    /// Sub-problems start at this multiple of the search's temperature.
    heat: f64,
}

/// Measured on Gehring & Homberger 1000 and generated cooperative rounds
/// (BENCHMARKS.md, "Decomposition"): it pays at 1,000 stops and more; at 600 stops
/// (300 shipments) it did not, and Solomon, Li & Lim and Gehring & Homberger up to
/// 400 customers stay below, with their answers unchanged.
const SETTINGS: Settings = Settings {
    min_stops: 1_000,
    group_tasks: 150,
    period: 300,
    iterations_per_task: 20,
    heat: 1.0,
};

/// The pace where shipments are most of the tasks: a whole-plan iteration there walks
/// every (pickup, delivery) pair of positions on every route a ruined shipment may go
/// to, about twenty times a sub-problem iteration (against four for jobs), so that
/// [`SETTINGS`]' 300 of them between passes of 20 per task took most of a 20 s budget
/// on 1,000 shipments: 30 and 2 per task cut the 20 s cost by 3.8 % there (two seeds),
/// where on Gehring & Homberger 1000 (jobs) they cost 0.2 % (BENCHMARKS.md, "Pace of
/// the decomposition").
const SHIPMENT_SETTINGS: Settings = Settings {
    period: 30,
    iterations_per_task: 2,
    ..SETTINGS
};

/// The settings for `instance`: [`SHIPMENT_SETTINGS`] when shipments are most of its
/// tasks, else [`SETTINGS`].
fn settings_for(instance: &Instance) -> Settings {
    let stops = instance.stops.len();
    let tasks = instance.task_count();
    // A shipment has two stops, a job one: more stops than 1.5 per task means that
    // shipments are most of the tasks.
    if 2 * stops > 3 * tasks {
        SHIPMENT_SETTINGS
    } else {
        SETTINGS
    }
}

/// The decomposition schedule of one search.
pub struct Decomposition {
    settings: Settings,
    seed: u64,
    stream: u64,
    passes: u64,
    /// Iterations of the whole plan since the last pass.
    since: u64,
    /// Whether the groups of a pass are solved side by side on the current rayon pool.
    parallel: bool,
}

impl Decomposition {
    /// The schedule of search `stream` of a solve seeded with `seed`, or `None` when
    /// `instance` is too small, gives routes (their locks span groups), balances
    /// workloads (a penalty over every route) or may transfer shipments (a shipment's
    /// direct task and legs must stay in one problem).
    pub fn new(instance: &Instance, seed: u64, stream: u64) -> Option<Self> {
        Self::with_settings(instance, (seed, stream), settings_for(instance))
    }

    /// Whether a search of `instance` decomposes (see [`Self::new`]).
    pub fn applies(instance: &Instance) -> bool {
        eligible(instance, &settings_for(instance))
    }

    /// Solves the groups of each pass side by side on the rayon pool the search runs
    /// in: the merged plans are the same, only sooner.
    pub fn in_parallel(mut self) -> Self {
        self.parallel = true;
        self
    }

    /// [`Self::new`] with other settings.
    fn with_settings(
        instance: &Instance,
        (seed, stream): (u64, u64),
        settings: Settings,
    ) -> Option<Self> {
        eligible(instance, &settings).then_some(Decomposition {
            settings,
            seed,
            stream,
            passes: 0,
            since: 0,
            parallel: false,
        })
    }

    /// Counts one iteration of the whole plan; whether a pass is due before it.
    pub fn is_due(&mut self) -> bool {
        self.since += 1;
        self.since > self.settings.period
    }

    /// One pass over `plan` (the search's current plan, so that the annealing walk goes
    /// on from it): every group solved from its routes at `temperature` within
    /// `budget`; returns the merged plan (never worse than `plan`) and the iterations
    /// the sub-problems spent.
    pub fn pass(
        &mut self,
        instance: &Instance,
        plan: &State,
        temperature: f64,
        budget: &Budget,
    ) -> (State, u64) {
        self.since = 0;
        self.passes += 1;
        let mut rng = Rng::new(self.seed, self.stream ^ (self.passes << 32));
        let groups = groups::partition(instance, plan, &mut rng, self.settings.group_tasks);
        // Seeds drawn in group order before any group is solved: the same whether the
        // groups are then solved in turn or side by side.
        let jobs: Vec<(&groups::Group, (u64, u64))> = groups
            .iter()
            .filter(|g| g.tasks.len() >= 2)
            .map(|group| (group, (rng.next_u64(), 0)))
            .collect();
        let solve = |&(group, seeds): &(&groups::Group, (u64, u64))| {
            self.solve_group(instance, plan, group, seeds, (temperature, budget))
        };
        let solved: Vec<Option<(Option<sub::Solved>, u64)>> = if self.parallel {
            largest_first(&jobs, |(group, _)| group.tasks.len(), solve)
        } else {
            // In turn, a spent budget skips the groups after it.
            jobs.iter().map(solve).collect()
        };
        let mut merged = plan.clone();
        let mut scratch = Scratch::new(instance);
        let mut spent = 0;
        for ((group, _), outcome) in jobs.iter().zip(solved) {
            let Some((solved, iterations)) = outcome else {
                continue;
            };
            spent += iterations;
            if let Some(solved) = solved {
                sub::write_back(instance, &solved, group, &mut merged, &mut scratch);
            }
        }
        (merged, spent)
    }

    /// Solves `group`'s sub-problem from its routes in `plan`, seeded with `seeds`, at
    /// the search's `temperature` within `budget`: its plan in `instance`'s stops when
    /// it improved, and the iterations spent; `None` when the budget was already spent.
    fn solve_group(
        &self,
        instance: &Instance,
        plan: &State,
        group: &groups::Group,
        seeds: (u64, u64),
        (temperature, budget): (f64, &Budget),
    ) -> Option<(Option<sub::Solved>, u64)> {
        if budget.is_over() {
            return None;
        }
        let problem = sub::problem(instance.problem, group);
        let sub_instance = Instance::new(&problem, instance.matrices);
        let warm = sub::warm_start(instance, plan, group);
        let cap = self.settings.iterations_per_task * group.tasks.len() as u64;
        let sub_budget = budget.with_max_iterations(Some(cap));
        let heat = self.settings.heat * temperature;
        let refined = refine::refine(&sub_instance, &warm, seeds, &sub_budget, heat);
        let solved = refined
            .improved
            .then(|| sub::translate(instance, &sub_instance, &refined.best, group));
        Some((solved, refined.iterations))
    }
}

/// `solve` applied to every job on the current rayon pool, the results in the jobs'
/// order. Each thread takes the largest job left (by `size`) when it is free: a pass
/// waits for its last group, and a large group started last kept one thread busy while
/// the others idled (a rayon split hands each thread a half of the list instead).
fn largest_first<J: Sync, R: Send>(
    jobs: &[J],
    size: impl Fn(&J) -> usize,
    solve: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(size(&jobs[k])), k));
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().min(jobs.len()).max(1);
    let done: Vec<Vec<(usize, R)>> = (0..workers)
        .into_par_iter()
        .map(|_| {
            let mut mine = Vec::new();
            while let Some(&k) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                mine.push((k, solve(&jobs[k])));
            }
            mine
        })
        .collect();
    let mut results: Vec<(usize, R)> = done.into_iter().flatten().collect();
    results.sort_by_key(|&(k, _)| k);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Whether `instance` is large enough for `settings` and free of what spans groups.
fn eligible(instance: &Instance, settings: &Settings) -> bool {
    let problem = instance.problem;
    instance.stops.len() >= settings.min_stops
        && problem.routes.is_empty()
        && instance.roles.is_empty()
        && problem.options.balance_per_hour <= 0.0
        && settings.period > 0
}

#[cfg(test)]
mod tests;
