//! Which routes are solved together: groups of nearby routes, and the empty vehicles
//! next to them. Nearness is read from the stops' neighbour lists (the matrix, not
//! coordinates, which a VROOM request with its own matrices does not have): two routes
//! are close when many stops of one have stops of the other among their nearest.

use crate::solver::instance::Instance;
use crate::solver::rng::Rng;
use crate::solver::state::State;

/// Nearest stops of each stop that link its route to others.
const LINKS_PER_STOP: usize = 10;

/// Empty vehicles one group may open at most.
const EMPTY_PER_GROUP: usize = 2;

/// One sub-problem's share of a plan: its vehicles (increasing) and their tasks
/// (increasing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Vehicle indices.
    pub vehicles: Vec<usize>,
    /// Task indices served by those vehicles.
    pub tasks: Vec<usize>,
}

/// Splits the used routes of `state` into groups of about `group_tasks` tasks, each
/// grown from a random route by adding the route most linked to the group so far; the
/// empty vehicles go to the group nearest their start, at most [`EMPTY_PER_GROUP`]
/// each. Deterministic for a given `rng` state (ties go to the lower index).
pub fn partition(
    instance: &Instance,
    state: &State,
    rng: &mut Rng,
    group_tasks: usize,
) -> Vec<Group> {
    let links = route_links(instance, state);
    let mut order: Vec<usize> = (0..state.routes.len())
        .filter(|&v| !state.routes[v].is_empty())
        .collect();
    rng.shuffle(&mut order);
    let mut grouped = vec![false; state.routes.len()];
    let mut groups = Vec::new();
    for &seed in &order {
        if grouped[seed] {
            continue;
        }
        groups.push(grow(
            instance,
            state,
            &links,
            &mut grouped,
            seed,
            group_tasks,
        ));
    }
    add_empty_vehicles(instance, state, &mut groups);
    for group in &mut groups {
        group.vehicles.sort_unstable();
        group.tasks = group
            .vehicles
            .iter()
            .flat_map(|&v| state.routes[v].iter().map(|&s| instance.stops[s].task))
            .collect();
        group.tasks.sort_unstable();
        group.tasks.dedup();
    }
    groups
}

/// Per vehicle: (other vehicle, links) pairs, sorted by vehicle.
fn route_links(instance: &Instance, state: &State) -> Vec<Vec<(usize, u32)>> {
    let mut route_of = vec![usize::MAX; instance.stops.len()];
    for (vehicle, route) in state.routes.iter().enumerate() {
        for &stop in route {
            route_of[stop] = vehicle;
        }
    }
    state
        .routes
        .iter()
        .enumerate()
        .map(|(vehicle, route)| {
            let mut others: Vec<usize> = route
                .iter()
                .flat_map(|&s| instance.neighbours[s].iter().take(LINKS_PER_STOP))
                .map(|&n| route_of[n])
                .filter(|&other| other != usize::MAX && other != vehicle)
                .collect();
            others.sort_unstable();
            let mut counted: Vec<(usize, u32)> = Vec::new();
            for other in others {
                match counted.last_mut() {
                    Some((last, count)) if *last == other => *count += 1,
                    _ => counted.push((other, 1)),
                }
            }
            counted
        })
        .collect()
}

/// The group grown from route `seed`, marking its routes grouped.
fn grow(
    instance: &Instance,
    state: &State,
    links: &[Vec<(usize, u32)>],
    grouped: &mut [bool],
    seed: usize,
    group_tasks: usize,
) -> Group {
    let tasks_of = |v: usize| -> usize {
        state.routes[v]
            .iter()
            .filter(|&&s| instance.task_stops[instance.stops[s].task][0] == s)
            .count()
    };
    let mut weight = vec![0_u32; state.routes.len()];
    let mut vehicles = Vec::new();
    let mut tasks = 0;
    let mut next = Some(seed);
    while let Some(vehicle) = next {
        grouped[vehicle] = true;
        vehicles.push(vehicle);
        tasks += tasks_of(vehicle);
        for &(other, count) in &links[vehicle] {
            weight[other] += count;
        }
        if tasks >= group_tasks {
            break;
        }
        next = (0..weight.len())
            .filter(|&v| !grouped[v] && weight[v] > 0)
            .max_by_key(|&v| (weight[v], std::cmp::Reverse(v)));
    }
    Group {
        vehicles,
        tasks: Vec::new(),
    }
}

/// Gives each empty vehicle to the group with a stop nearest its start (or end),
/// among those with room for one more.
fn add_empty_vehicles(instance: &Instance, state: &State, groups: &mut [Group]) {
    let mut opened = vec![0_usize; groups.len()];
    for vehicle in (0..state.routes.len()).filter(|&v| state.routes[v].is_empty()) {
        let problem = instance.problem;
        let Some(site) = problem.vehicles[vehicle]
            .start_site
            .or(problem.vehicles[vehicle].end_site)
        else {
            continue;
        };
        let from = problem.sites[site].matrix_index;
        let nearest = (0..groups.len())
            .filter(|&g| opened[g] < EMPTY_PER_GROUP)
            .filter_map(|g| {
                let closest = groups[g]
                    .vehicles
                    .iter()
                    .flat_map(|&v| state.routes[v].iter())
                    .map(|&s| instance.duration_s(vehicle, from, instance.stops[s].location))
                    .min()?;
                Some((closest, g))
            })
            .min();
        if let Some((_, g)) = nearest {
            opened[g] += 1;
            groups[g].vehicles.push(vehicle);
        }
    }
}
