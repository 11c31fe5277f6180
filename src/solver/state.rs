//! A search state: one stop sequence per vehicle, the cached figures of each route and
//! the unassigned tasks, with the lexicographic score the search minimises.

use super::instance::Instance;
use super::route::cache::RouteCache;
use super::route::evaluate::{Scratch, evaluate};
use crate::domain::Objective;
use crate::domain::TourFigures;

/// What leaving out a task locked on a vehicle weighs: more than every unlocked task
/// together (at most 101 each), so a plan drops a locked task only when no plan keeps it.
const LOCKED_WEIGHT: u64 = 1 << 32;

/// What the search minimises, compared field by field: unassigned priority, unassigned
/// count, vehicles (for the vehicles-first objective), then the objective's value. In the
/// unassigned weight a shipment counts as its two stops, as VROOM counts a pickup and a
/// delivery as two tasks: leaving a shipment out weighs more than leaving out a job of
/// the same priority, so VROOM's inputs keep VROOM's choice of what to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Score {
    /// Sum of `1 + priority` over the stops of unassigned tasks, so any served task
    /// beats none and higher priorities weigh more ([`LOCKED_WEIGHT`] more for a locked
    /// one).
    pub unassigned_weight: u64,
    /// Unassigned tasks.
    pub unassigned: usize,
    /// Vehicles used (0 unless the objective is vehicles first).
    pub vehicles: usize,
    /// Sum of route objectives.
    pub objective: i64,
}

/// Routes and unassigned tasks.
#[derive(Debug, Clone)]
pub struct State {
    /// Per vehicle: its stops in order.
    pub routes: Vec<Vec<usize>>,
    /// Per vehicle: figures of its route.
    pub figures: Vec<TourFigures>,
    /// Per vehicle: the insertion cache of its route.
    pub caches: Vec<RouteCache>,
    /// Tasks in no route, sorted.
    pub unassigned: Vec<usize>,
}

impl State {
    /// Every vehicle empty, every task unassigned.
    pub fn empty(instance: &Instance) -> Self {
        let vehicles = instance.problem.vehicles.len();
        State {
            routes: vec![Vec::new(); vehicles],
            figures: vec![TourFigures::default(); vehicles],
            caches: (0..vehicles)
                .map(|v| RouteCache::new(instance, v, &[]))
                .collect(),
            unassigned: (0..instance.task_count()).collect(),
        }
    }

    /// The plan of a warm start: its routes as given, each repaired if it breaks a
    /// constraint, and every task it leaves out (or names twice, or by half, or on a
    /// vehicle it may not ride on) unassigned.
    pub fn from_warm_start(
        instance: &Instance,
        warm: &super::warm_start::WarmStart,
        scratch: &mut Scratch,
    ) -> Self {
        let mut state = State::empty(instance);
        let mut seen = vec![0usize; instance.task_count()];
        for route in warm.routes.iter().take(state.routes.len()) {
            for &(task, _) in route {
                if let Some(count) = seen.get_mut(task) {
                    *count += 1;
                }
            }
        }
        // A task is placed only if each of its stops appears exactly once, in one route,
        // of a vehicle it may ride on (a client's given route may name any).
        let placeable = |task: usize, vehicle: usize, route: &[(usize, usize)]| {
            task < instance.task_count()
                && instance.compatible[task][vehicle]
                && seen[task] == instance.task_stops[task].len()
                && (0..instance.task_stops[task].len())
                    .all(|which| route.iter().filter(|&&stop| stop == (task, which)).count() == 1)
        };
        for (vehicle, route) in warm.routes.iter().take(state.routes.len()).enumerate() {
            state.routes[vehicle] = route
                .iter()
                .filter(|&&(task, _)| placeable(task, vehicle, route))
                .map(|&(task, which)| instance.task_stops[task][which])
                .collect();
        }
        let mut placed = vec![false; instance.task_count()];
        for vehicle in 0..state.routes.len() {
            state.repair(instance, vehicle, scratch);
            for &stop in &state.routes[vehicle] {
                placed[instance.stops[stop].task] = true;
            }
        }
        state.unassigned = (0..instance.task_count()).filter(|&t| !placed[t]).collect();
        state
    }

    /// The score of the state.
    pub fn score(&self, instance: &Instance) -> Score {
        let stops = |task: usize| instance.task_stops[task].len();
        let unassigned_weight = self
            .unassigned
            .iter()
            .filter(|&&task| {
                instance.roles.is_empty() || instance.counts_unassigned(&self.unassigned, task)
            })
            .map(|&task| {
                let locked = instance.locks.vehicle[task].map_or(0, |_| LOCKED_WEIGHT);
                locked + (1 + u64::from(instance.problem.tasks[task].priority)) * stops(task) as u64
            })
            .sum();
        let vehicles = match instance.objective {
            Objective::Vehicles => self.routes.iter().filter(|route| !route.is_empty()).count(),
            _ => 0,
        };
        let objective: i64 = self
            .figures
            .iter()
            .map(|f| f.objective(instance.objective))
            .sum();
        let unassigned = if instance.roles.is_empty() {
            self.unassigned.len()
        } else {
            let counted = |&&task: &&usize| instance.counts_unassigned(&self.unassigned, task);
            self.unassigned.iter().filter(counted).count()
        };
        Score {
            unassigned_weight,
            unassigned,
            vehicles,
            objective: objective + self.imbalance(instance, &[]),
        }
    }

    /// The fair-workload penalty: `balance_per_hour` for each hour between the longest
    /// and the shortest working time of the used vehicles, in the objective's unit;
    /// with `replaced`, as if those vehicles' routes worked that many seconds (`None`:
    /// were empty).
    pub fn imbalance(&self, instance: &Instance, replaced: &[(usize, Option<i64>)]) -> i64 {
        let per_hour = instance.problem.options.balance_per_hour;
        if per_hour <= 0.0 {
            return 0;
        }
        let working = self
            .routes
            .iter()
            .zip(&self.figures)
            .enumerate()
            .filter_map(|(vehicle, (route, figures))| {
                match replaced.iter().find(|(changed, _)| *changed == vehicle) {
                    Some(&(_, working_s)) => working_s,
                    None => (!route.is_empty()).then_some(figures.duration_s),
                }
            });
        let (longest_s, shortest_s) = working.fold((i64::MIN, i64::MAX), |(long, short), s| {
            (long.max(s), short.min(s))
        });
        if longest_s < shortest_s {
            return 0;
        }
        // Cost objectives count micro-currency units.
        let unit = match instance.objective {
            Objective::Cost | Objective::Vehicles => 1e6,
            Objective::Distance | Objective::Duration => 1.0,
        };
        (per_hour * unit * (longest_s - shortest_s) as f64 / 3_600.0).round() as i64
    }

    /// Re-evaluates the route of `vehicle` after insertions that were checked feasible.
    pub fn refresh(&mut self, instance: &Instance, vehicle: usize, scratch: &mut Scratch) {
        let figures = evaluate(instance, vehicle, &self.routes[vehicle], scratch, None);
        debug_assert!(figures.is_ok(), "route {vehicle} became infeasible");
        self.figures[vehicle] = figures.unwrap_or_default();
        self.caches[vehicle].rebuild(instance, vehicle, &self.routes[vehicle]);
    }

    /// Re-evaluates the route of `vehicle` after removals. Removing a stop can break a
    /// route (goods picked up earlier wait longer on board for a delivery window; an
    /// earlier first stop lengthens the working day), so tasks are taken out until it
    /// is feasible again; returns those tasks (not yet marked unassigned).
    pub fn repair(
        &mut self,
        instance: &Instance,
        vehicle: usize,
        scratch: &mut Scratch,
    ) -> Vec<usize> {
        let mut dropped = Vec::new();
        loop {
            if let Ok(figures) = evaluate(instance, vehicle, &self.routes[vehicle], scratch, None) {
                self.figures[vehicle] = figures;
                self.caches[vehicle].rebuild(instance, vehicle, &self.routes[vehicle]);
                return dropped;
            }
            // Drop the task whose removal restores feasibility, else the last one.
            let route = &self.routes[vehicle];
            let mut tasks: Vec<usize> = route
                .iter()
                .map(|&stop| instance.stops[stop].task)
                .collect();
            tasks.dedup();
            let mut candidate = Vec::with_capacity(route.len());
            let healing = tasks.iter().copied().find(|&task| {
                candidate.clear();
                candidate.extend(
                    route
                        .iter()
                        .copied()
                        .filter(|&stop| instance.stops[stop].task != task),
                );
                evaluate(instance, vehicle, &candidate, scratch, None).is_ok()
            });
            let Some(task) = healing.or_else(|| tasks.last().copied()) else {
                self.figures[vehicle] = TourFigures::default();
                self.caches[vehicle] = RouteCache::new(instance, vehicle, &[]);
                return dropped;
            };
            self.routes[vehicle].retain(|&stop| instance.stops[stop].task != task);
            dropped.push(task);
        }
    }

    /// Removes every stop of `task` from its route; returns the route's vehicle.
    pub fn remove_task(&mut self, instance: &Instance, task: usize) -> Option<usize> {
        let first = instance.task_stops[task][0];
        let vehicle = self
            .routes
            .iter()
            .position(|route| route.contains(&first))?;
        self.routes[vehicle].retain(|stop| instance.stops[*stop].task != task);
        Some(vehicle)
    }
}
