//! The solver's dense view of a problem: stops (a shipment has two, a job one), per
//! vehicle travel times, task–vehicle compatibility and stop neighbourhoods.

use crate::domain::{Objective, Problem, Softness, TaskKind, TaskStop, TimeWindow, TravelMatrix};

mod locks;
mod neighbours;
mod on_board;
pub mod transfers;

/// What a stop does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    /// Shipment loading.
    Pickup,
    /// Shipment unloading.
    Delivery,
    /// Single-stop job.
    Job,
}

/// One stop of a task.
#[derive(Debug, Clone)]
pub struct Stop {
    /// Task index.
    pub task: usize,
    /// What it does.
    pub kind: StopKind,
    /// Site index.
    pub site: usize,
    /// Matrix index.
    pub location: usize,
    /// Windows (sorted; empty = always open).
    pub windows: Vec<TimeWindow>,
    /// Their allowances, one per window; empty when every window is hard.
    pub soft: Vec<Softness>,
    /// Setup when arriving from another site, seconds.
    pub setup_s: i64,
    /// Service, seconds.
    pub service_s: i64,
    /// Load change at the stop, per dimension.
    pub change: Vec<i64>,
    /// Load added at the vehicle's start (job deliveries), per dimension.
    pub start_load: Vec<i64>,
    /// For a delivery: the max time on board of its shipment, seconds.
    pub max_on_board_s: Option<i64>,
}

/// Dense solver data over a problem and its matrices.
pub struct Instance<'a> {
    /// The problem.
    pub problem: &'a Problem,
    /// One matrix per profile.
    pub matrices: &'a [TravelMatrix],
    /// All stops.
    pub stops: Vec<Stop>,
    /// Per task: its stops (pickup then delivery, or the job's single stop).
    pub task_stops: Vec<Vec<usize>>,
    /// `compatible[task][vehicle]`: skills and capacity allow it.
    pub compatible: Vec<Vec<bool>>,
    /// Per stop: other stops by increasing distance (at most `NEIGHBOURS`).
    pub neighbours: Vec<Vec<usize>>,
    /// What the search minimises.
    pub objective: Objective,
    /// Whether some stop has a soft window: insertions are then priced by simulation
    /// (the fast paths know only hard windows and no penalty).
    pub soft_windows: bool,
    /// Whether some soft window allows early service: routes are then also walked
    /// serving early wherever allowed, and the cheaper walk kept.
    pub early_allowed: bool,
    /// What the given routes' locks keep.
    pub locks: locks::Locks,
    /// Per task: its role in a transfer group (empty when no shipment may transfer).
    pub roles: Vec<Option<transfers::Role>>,
    /// `clashes[kind][other]`: goods of these kinds never share a tour (empty when the
    /// problem has no incompatible goods).
    clashes: Vec<Vec<bool>>,
    /// `apart[kind][other]`: goods of these kinds are never on board together (empty
    /// when the problem has no such pair).
    apart: Vec<Vec<bool>>,
    /// Per vehicle: where its travel times and distances come from.
    tables: Vec<Tables<'a>>,
    /// Travel times scaled by a speed factor, one table per distinct (profile, factor).
    scaled: Vec<Vec<i64>>,
}

/// A vehicle's distance table and where its travel times come from, held per vehicle
/// so that a leg is read in two steps: through the vehicle, its profile and then the
/// matrix, each read waited on the one before (14 % of the pooling report's search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tables<'a> {
    /// The profile's distances, metres, `size` rows wide.
    distance_m: &'a [i64],
    /// Rows of both tables.
    size: usize,
    durations: Durations<'a>,
}

/// Where a vehicle's travel times come from. A speed factor other than 1 divides and
/// rounds every leg (`Vehicle::travel_duration_s`); doing that once per table instead
/// of in every evaluation saved a quarter of the demo's search time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durations<'a> {
    /// The profile's matrix as it is (speed factor 1).
    AsIs(&'a [i64]),
    /// The scaled copy `scaled[.0]`.
    Scaled(usize),
    /// Scaled leg by leg: the copy would be too large.
    Computed,
}

/// Largest matrix scaled into a copy, cells (64 MiB of `i64`).
const MAX_SCALED_CELLS: usize = 8 << 20;

/// Nearest stops kept per stop.
const NEIGHBOURS: usize = 40;

fn stop(problem: &Problem, task: usize, kind: StopKind, task_stop: &TaskStop, dims: usize) -> Stop {
    let site = &problem.sites[task_stop.site];
    Stop {
        task,
        kind,
        site: task_stop.site,
        location: site.matrix_index,
        windows: task_stop.time_windows.clone(),
        soft: task_stop.soft.clone(),
        setup_s: site.setup_s,
        service_s: task_stop.service_s,
        change: vec![0; dims],
        start_load: vec![0; dims],
        max_on_board_s: None,
    }
}

impl<'a> Instance<'a> {
    /// Builds the dense view.
    pub fn new(problem: &'a Problem, matrices: &'a [TravelMatrix]) -> Self {
        let dims = problem.dimensions;
        let mut stops = Vec::new();
        let mut task_stops = Vec::with_capacity(problem.tasks.len());
        for (index, task) in problem.tasks.iter().enumerate() {
            match &task.kind {
                TaskKind::Shipment {
                    pickup,
                    delivery,
                    amount,
                    max_time_on_board_s,
                } => {
                    let mut first = stop(problem, index, StopKind::Pickup, pickup, dims);
                    first.change = amount.clone();
                    let mut second = stop(problem, index, StopKind::Delivery, delivery, dims);
                    second.change = amount.iter().map(|a| -a).collect();
                    second.max_on_board_s = *max_time_on_board_s;
                    task_stops.push(vec![stops.len(), stops.len() + 1]);
                    stops.push(first);
                    stops.push(second);
                }
                TaskKind::Job {
                    stop: job_stop,
                    delivery,
                    pickup,
                } => {
                    let mut only = stop(problem, index, StopKind::Job, job_stop, dims);
                    only.change = pickup.iter().zip(delivery).map(|(p, d)| p - d).collect();
                    only.start_load = delivery.clone();
                    task_stops.push(vec![stops.len()]);
                    stops.push(only);
                }
            }
        }
        let locks = locks::Locks::new(problem, &task_stops, stops.len());
        let mut compatible = compatibility(problem);
        for (task, locked) in locks.vehicle.iter().enumerate() {
            if let Some(locked) = *locked {
                for (vehicle, allowed) in compatible[task].iter_mut().enumerate() {
                    *allowed &= vehicle == locked;
                }
            }
        }
        let neighbours = neighbours::neighbours(&stops, matrices.first());
        let kinds = problem.goods_kinds.len();
        let clashes = kind_pairs(kinds, &problem.incompatible_goods);
        let apart = kind_pairs(kinds, &problem.apart_on_board);
        let (tables, scaled) = tables(problem, matrices);
        let soft_windows = stops.iter().any(|stop| !stop.soft.is_empty());
        let early_allowed = stops
            .iter()
            .any(|stop| stop.soft.iter().any(|soft| soft.max_early_s > 0));
        Instance {
            soft_windows,
            early_allowed,
            clashes,
            apart,
            tables,
            scaled,
            problem,
            matrices,
            stops,
            task_stops,
            compatible,
            neighbours,
            objective: problem.options.objective,
            locks,
            roles: Vec::new(),
        }
    }

    /// Whether `task` carries goods that must not share a tour with those of `stops`.
    pub fn goods_clash(&self, task: usize, stops: &[usize]) -> bool {
        self.kinds_paired(&self.clashes, task, stops)
    }

    /// Whether `pairs` (a kind × kind table, empty for none) pairs `task`'s goods kind
    /// with that of some of `stops`.
    fn kinds_paired(&self, pairs: &[Vec<bool>], task: usize, stops: &[usize]) -> bool {
        if pairs.is_empty() {
            return false;
        }
        let Some(kind) = self.problem.tasks[task].goods_kind else {
            return false;
        };
        stops.iter().any(|&stop| {
            self.problem.tasks[self.stops[stop].task]
                .goods_kind
                .is_some_and(|other| pairs[kind][other])
        })
    }

    /// Whether a route's stops carry goods that must not share it, or goods that must
    /// not be on board together at some point of it.
    pub fn route_clashes(&self, stops: &[usize]) -> bool {
        let shared = !self.clashes.is_empty()
            && stops
                .iter()
                .enumerate()
                .any(|(i, &stop)| self.goods_clash(self.stops[stop].task, &stops[i + 1..]));
        shared || (!self.apart.is_empty() && on_board::clash(self, &self.apart, stops))
    }

    /// Whether `task`'s goods must stay apart on board from some kind: its insertions
    /// are then judged by simulation, where the route's order is known.
    pub fn kept_apart_on_board(&self, task: usize) -> bool {
        !self.apart.is_empty()
            && self.problem.tasks[task]
                .goods_kind
                .is_some_and(|kind| self.apart[kind].contains(&true))
    }

    /// Whether `task` carries goods that must not travel with some of `stops`' under
    /// either rule (for the unassigned reason: on board, the order may still allow it).
    pub fn kinds_conflict(&self, task: usize, stops: &[usize]) -> bool {
        self.goods_clash(task, stops) || self.kinds_paired(&self.apart, task, stops)
    }

    /// Travel time of `vehicle` from matrix index `from` to `to`, seconds. Inlined
    /// always: the call cost more than the read (the simulation's legs).
    #[inline(always)]
    pub fn duration_s(&self, vehicle: usize, from: usize, to: usize) -> i64 {
        let tables = &self.tables[vehicle];
        let cell = from * tables.size + to;
        match tables.durations {
            Durations::AsIs(duration_s) => duration_s[cell],
            Durations::Scaled(table) => self.scaled[table][cell],
            Durations::Computed => self.computed_duration_s(vehicle, from, to),
        }
    }

    /// [`Self::duration_s`] for a vehicle whose scaled table would be too large: out of
    /// line, so that the common cases stay small enough to inline.
    #[cold]
    #[inline(never)]
    fn computed_duration_s(&self, vehicle: usize, from: usize, to: usize) -> i64 {
        let v = &self.problem.vehicles[vehicle];
        v.travel_duration_s(self.matrices[v.profile].duration_s(from, to))
    }

    /// Travel distance of `vehicle` from `from` to `to`, metres.
    #[inline]
    pub fn distance_m(&self, vehicle: usize, from: usize, to: usize) -> i64 {
        let tables = &self.tables[vehicle];
        tables.distance_m[from * tables.size + to]
    }

    /// Cost matrix cell of `vehicle` from `from` to `to`, currency units (0: none).
    #[inline]
    pub fn cost(&self, vehicle: usize, from: usize, to: usize) -> i64 {
        let v = &self.problem.vehicles[vehicle];
        self.matrices[v.profile].cost(from, to)
    }

    /// Number of tasks.
    pub fn task_count(&self) -> usize {
        self.task_stops.len()
    }
}

/// `compatible[task][vehicle]`: the vehicle has every skill the task needs and room for
/// its amounts.
fn compatibility(problem: &Problem) -> Vec<Vec<bool>> {
    problem
        .tasks
        .iter()
        .map(|task| {
            problem
                .vehicles
                .iter()
                .map(|vehicle| {
                    let skilled = task
                        .skills
                        .iter()
                        .all(|s| vehicle.skills.binary_search(s).is_ok());
                    let fits = match &task.kind {
                        TaskKind::Shipment { amount, .. } => fits(amount, &vehicle.capacity),
                        TaskKind::Job {
                            delivery, pickup, ..
                        } => fits(delivery, &vehicle.capacity) && fits(pickup, &vehicle.capacity),
                    };
                    skilled && fits
                })
                .collect()
        })
        .collect()
}

/// Each vehicle's [`Tables`], and the scaled tables their [`Durations`] name: one per
/// distinct (profile, speed factor), each leg rounded exactly as
/// `Vehicle::travel_duration_s`.
fn tables<'a>(problem: &Problem, matrices: &'a [TravelMatrix]) -> (Vec<Tables<'a>>, Vec<Vec<i64>>) {
    let mut keys: Vec<(usize, u64)> = Vec::new();
    let mut scaled: Vec<Vec<i64>> = Vec::new();
    let mut durations = |vehicle: &crate::domain::Vehicle| {
        let matrix = &matrices[vehicle.profile];
        if vehicle.speed_factor == 1.0 {
            return Durations::AsIs(&matrix.duration_s);
        }
        if matrix.duration_s.len() > MAX_SCALED_CELLS {
            return Durations::Computed;
        }
        let key = (vehicle.profile, vehicle.speed_factor.to_bits());
        let table = keys
            .iter()
            .position(|&known| known == key)
            .unwrap_or_else(|| {
                keys.push(key);
                scaled.push(
                    matrix
                        .duration_s
                        .iter()
                        .map(|&base_s| vehicle.travel_duration_s(base_s))
                        .collect(),
                );
                scaled.len() - 1
            });
        Durations::Scaled(table)
    };
    let tables = problem
        .vehicles
        .iter()
        .map(|vehicle| {
            let matrix = &matrices[vehicle.profile];
            Tables {
                distance_m: &matrix.distance_m,
                size: matrix.size,
                durations: durations(vehicle),
            }
        })
        .collect();
    (tables, scaled)
}

/// `pairs` as a symmetric kind × kind table; empty when there are none.
fn kind_pairs(kinds: usize, pairs: &[(usize, usize)]) -> Vec<Vec<bool>> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut table = vec![vec![false; kinds]; kinds];
    for &(a, b) in pairs {
        table[a][b] = true;
        table[b][a] = true;
    }
    table
}

fn fits(amount: &[i64], capacity: &[i64]) -> bool {
    amount.iter().zip(capacity).all(|(a, c)| a <= c)
}
