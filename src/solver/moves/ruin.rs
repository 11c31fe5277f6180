//! Ruin: take tasks out of routes so that recreate can place them better. String
//! removal (SISR, Christiaens & Vanden Berghe 2020) cuts strings of consecutive stops
//! near a random seed stop across a few routes; random removal spreads the damage.

use crate::solver::instance::Instance;
use crate::solver::rng::Rng;
use crate::solver::state::State;

/// Removes tasks from `state`; returns them (each once) and refreshes touched routes.
pub fn ruin(
    instance: &Instance,
    state: &mut State,
    rng: &mut Rng,
    workspace: &mut super::recreate::Workspace,
) -> Vec<usize> {
    let assigned = instance.task_count() - state.unassigned.len();
    if assigned == 0 {
        return Vec::new();
    }
    let most = assigned.min(10 + assigned / 10).max(1);
    let count = 1 + rng.below(most);
    let mut removed = if rng.unit() < 0.75 {
        strings(instance, state, rng, count)
    } else {
        random(instance, state, rng, count)
    };
    removed.sort_unstable();
    removed.dedup();
    super::transfer::with_partners(instance, &mut removed);
    let mut touched = Vec::new();
    for &task in &removed {
        if let Some(vehicle) = state.remove_task(instance, task) {
            touched.push(vehicle);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    for vehicle in touched {
        removed.extend(state.repair(instance, vehicle, &mut workspace.scratch));
    }
    for &task in &removed {
        if let Err(position) = state.unassigned.binary_search(&task) {
            state.unassigned.insert(position, task);
        }
    }
    if !instance.roles.is_empty() {
        removed.extend(super::transfer::drop_orphans(
            instance,
            state,
            &mut workspace.scratch,
        ));
        removed.sort_unstable();
        removed.dedup();
    }
    removed
}

fn random(instance: &Instance, state: &State, rng: &mut Rng, count: usize) -> Vec<usize> {
    let mut assigned: Vec<usize> = (0..instance.task_count())
        .filter(|t| state.unassigned.binary_search(t).is_err())
        .collect();
    rng.shuffle(&mut assigned);
    assigned.truncate(count);
    assigned
}

fn strings(instance: &Instance, state: &State, rng: &mut Rng, count: usize) -> Vec<usize> {
    let mut route_of = vec![usize::MAX; instance.stops.len()];
    for (vehicle, route) in state.routes.iter().enumerate() {
        for &stop in route {
            route_of[stop] = vehicle;
        }
    }
    let routed: Vec<usize> = (0..instance.stops.len())
        .filter(|s| route_of[*s] != usize::MAX)
        .collect();
    let seed = routed[rng.below(routed.len())];
    let mut removed = Vec::new();
    let mut ruined_routes = Vec::new();
    let average_length =
        (routed.len() / state.routes.iter().filter(|r| !r.is_empty()).count().max(1)).max(1);
    for &stop in std::iter::once(&seed).chain(instance.neighbours[seed].iter()) {
        if removed.len() >= count {
            break;
        }
        let vehicle = route_of[stop];
        if vehicle == usize::MAX || ruined_routes.contains(&vehicle) {
            continue;
        }
        ruined_routes.push(vehicle);
        let route = &state.routes[vehicle];
        let Some(position) = route.iter().position(|s| *s == stop) else {
            continue;
        };
        let length = 1 + rng.below(average_length.min(route.len()).min(2 * count));
        let start = position
            .saturating_sub(rng.below(length))
            .min(route.len() - length.min(route.len()));
        for &s in route.iter().skip(start).take(length) {
            removed.push(instance.stops[s].task);
        }
    }
    removed
}
