//! The cooperative game: players (producers, plus one pseudo-player for tasks and
//! vehicles without a producer), their stand-in vans, and the sub-problem of a
//! coalition.
//!
//! A coalition serves its members' tasks with its members' vehicles; a member with
//! tasks but no vehicle brings its stand-in van (from its first task's pickup site).
//! The grand coalition's cost is the pooled plan itself, solved with the real fleet.

use crate::domain::{Problem, Shift, TaskKind, TimeWindow, Vehicle};

/// One player of the game.
#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    /// The producer, or `None` for what no producer owns.
    pub producer: Option<usize>,
    /// Tasks the player owns.
    pub tasks: Vec<usize>,
    /// Vehicles the player owns.
    pub vehicles: Vec<usize>,
}

/// The players of a problem: every producer in order, then the pseudo-player of
/// unowned tasks and vehicles if there are any.
pub fn players(problem: &Problem) -> Vec<Player> {
    let mut players: Vec<Player> = (0..problem.producers.len())
        .map(|p| Player {
            producer: Some(p),
            tasks: Vec::new(),
            vehicles: Vec::new(),
        })
        .collect();
    let mut unowned = Player {
        producer: None,
        tasks: Vec::new(),
        vehicles: Vec::new(),
    };
    for (index, task) in problem.tasks.iter().enumerate() {
        match task.producer {
            Some(p) => players[p].tasks.push(index),
            None => unowned.tasks.push(index),
        }
    }
    for (index, vehicle) in problem.vehicles.iter().enumerate() {
        match vehicle.producer {
            Some(p) => players[p].vehicles.push(index),
            None => unowned.vehicles.push(index),
        }
    }
    if !unowned.tasks.is_empty() || !unowned.vehicles.is_empty() {
        players.push(unowned);
    }
    players
}

/// The stand-in van of a player without vehicles, or `None` if it has no task: from its
/// first task's pickup site and back, with the largest capacity of the fleet per
/// dimension, the first vehicle's costs and profile, the fleet's widest shift and every
/// skill its tasks need (unless the request states its own capacity and costs).
fn stand_in(problem: &Problem, player: &Player) -> Option<Vehicle> {
    let first_task = &problem.tasks[*player.tasks.first()?];
    let home = match &first_task.kind {
        TaskKind::Shipment { pickup, .. } => pickup.site,
        TaskKind::Job { stop, .. } => stop.site,
    };
    let template = problem.vehicles.first()?;
    let options = problem.pooling.as_ref();
    let mut skills: Vec<String> = player
        .tasks
        .iter()
        .flat_map(|&t| problem.tasks[t].skills.iter().cloned())
        .collect();
    skills.sort();
    skills.dedup();
    let shift = TimeWindow {
        start_s: problem
            .vehicles
            .iter()
            .map(|v| v.shift.start_s)
            .min()
            .unwrap_or(0),
        end_s: problem
            .vehicles
            .iter()
            .map(|v| v.shift.end_s)
            .max()
            .unwrap_or(0),
    };
    let name = player
        .producer
        .map_or("unowned", |p| problem.producers[p].id.as_str());
    Some(Vehicle {
        id: format!("stand-in-{name}"),
        description: String::new(),
        producer: player.producer,
        start_site: Some(home),
        end_site: Some(home),
        capacity: options
            .and_then(|o| o.stand_in_capacity.clone())
            .unwrap_or_else(|| largest_capacity(problem)),
        skills,
        shift,
        max_working_time_s: None,
        max_travel_time_s: None,
        max_distance_m: None,
        max_stops: None,
        costs: options
            .and_then(|o| o.stand_in_costs)
            .unwrap_or(template.costs),
        speed_factor: 1.0,
        profile: template.profile,
        reload: None,
        // A stand-in for a producer's own van: no driver's breaks are known for it.
        breaks: Vec::new(),
        shifts: stand_in_shifts(template, home),
    })
}

/// A week's stand-in drives on the days of the fleet's first van (its shifts' windows,
/// from and back to the producer's home, without breaks or limits), not one tour
/// across the week; without shifts it drives once, within the fleet's widest shift.
fn stand_in_shifts(template: &Vehicle, home: usize) -> Vec<Shift> {
    template
        .shifts
        .iter()
        .map(|shift| Shift {
            id: shift.id.clone(),
            window: shift.window,
            start_site: Some(home),
            end_site: Some(home),
            breaks: Vec::new(),
            max_working_time_s: None,
            max_travel_time_s: None,
            max_distance_m: None,
            max_stops: None,
        })
        .collect()
}

/// Per dimension, the largest capacity of the fleet: the default stand-in van.
fn largest_capacity(problem: &Problem) -> Vec<i64> {
    (0..problem.dimensions)
        .map(|d| {
            problem
                .vehicles
                .iter()
                .map(|v| v.capacity[d])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Who a vehicle of a coalition's problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum VehicleKey {
    /// A vehicle of the request (its index).
    Fleet(usize),
    /// The stand-in van of a player (its index).
    StandIn(usize),
}

/// A coalition's problem, with where its tasks and vehicles come from.
pub struct SubProblem {
    /// The problem: the members' tasks with the members' vehicles.
    pub problem: Problem,
    /// The request's index of each task, ascending.
    pub tasks: Vec<usize>,
    /// Who each vehicle is.
    pub vehicles: Vec<VehicleKey>,
}

/// The problem of coalition `mask` (bit `i` = player `i`), solved with
/// `iterations` iterations on one thread and a seed derived from `(seed, mask)`.
pub fn sub_problem(
    problem: &Problem,
    players: &[Player],
    mask: u64,
    iterations: u64,
) -> SubProblem {
    let members: Vec<(usize, &Player)> = players
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .collect();
    let mut task_indices: Vec<usize> = members
        .iter()
        .flat_map(|(_, p)| p.tasks.iter().copied())
        .collect();
    task_indices.sort_unstable();
    let mut vehicle_indices: Vec<usize> = members
        .iter()
        .flat_map(|(_, p)| p.vehicles.iter().copied())
        .collect();
    vehicle_indices.sort_unstable();
    let mut keys: Vec<VehicleKey> = vehicle_indices
        .iter()
        .map(|&v| VehicleKey::Fleet(v))
        .collect();
    let mut vehicles: Vec<Vehicle> = vehicle_indices
        .iter()
        .map(|&v| problem.vehicles[v].clone())
        .collect();
    for (index, player) in members.iter().filter(|(_, p)| p.vehicles.is_empty()) {
        if let Some(van) = stand_in(problem, player) {
            vehicles.push(van);
            keys.push(VehicleKey::StandIn(*index));
        }
    }
    let mut options = problem.options.clone();
    options.threads = 1;
    options.max_iterations = Some(iterations);
    // The shared iteration budget (COALITION_ITERATION_BUDGET) was set for ruin &
    // recreate alone: with the local search every coalition costs about three times as
    // long (12 producers: 24.7 s against 7.9 s) for a report that needs no repair.
    options.local_search = false;
    options.seed = problem.options.seed ^ mask.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    SubProblem {
        problem: Problem {
            tasks: task_indices
                .iter()
                .map(|&t| problem.tasks[t].clone())
                .collect(),
            vehicles,
            options,
            pooling: None,
            // Given routes name the whole problem's tasks and vehicles; a coalition
            // plans its own.
            routes: Vec::new(),
            ..problem.clone()
        },
        tasks: task_indices,
        vehicles: keys,
    }
}
