//! A group as a problem of its own: the parent's problem restricted to the group's
//! vehicles and tasks (sites, goods and producers kept, so indices into them stay
//! valid), its routes as a warm start, and the way back from the sub-problem's
//! numbering to the parent's.

use super::groups::Group;
use crate::domain::Problem;
use crate::solver::instance::Instance;
use crate::solver::state::State;
use crate::solver::warm_start::WarmStart;

/// The parent's problem with only `group`'s vehicles and tasks, numbered in the
/// group's order; no given routes (decomposition runs only without them), one thread.
pub fn problem(parent: &Problem, group: &Group) -> Problem {
    let mut options = parent.options.clone();
    options.threads = 1;
    Problem {
        sites: parent.sites.clone(),
        producers: parent.producers.clone(),
        vehicles: group
            .vehicles
            .iter()
            .map(|&v| parent.vehicles[v].clone())
            .collect(),
        tasks: group
            .tasks
            .iter()
            .map(|&t| parent.tasks[t].clone())
            .collect(),
        dimensions: parent.dimensions,
        profiles: parent.profiles.clone(),
        travel: parent.travel.clone(),
        options,
        pooling: None,
        goods_kinds: parent.goods_kinds.clone(),
        incompatible_goods: parent.incompatible_goods.clone(),
        apart_on_board: parent.apart_on_board.clone(),
        routes: Vec::new(),
        // Decomposition runs only without transfer groups.
        transfer_points: Vec::new(),
    }
}

/// The group's routes in `state`, numbered as in the sub-problem.
pub fn warm_start(instance: &Instance, state: &State, group: &Group) -> WarmStart {
    let routes = group
        .vehicles
        .iter()
        .map(|&v| {
            state.routes[v]
                .iter()
                .map(|&stop| {
                    let task = instance.stops[stop].task;
                    let which = usize::from(instance.task_stops[task][0] != stop);
                    let local = group.tasks.binary_search(&task).unwrap_or(usize::MAX);
                    (local, which)
                })
                .collect()
        })
        .collect();
    WarmStart { routes }
}

/// A sub-problem's plan in the parent's stops: per vehicle of the group its route,
/// and the parent's tasks it left out.
pub struct Solved {
    routes: Vec<Vec<usize>>,
    unassigned: Vec<usize>,
}

/// The sub-problem `sub`'s plan `solved` in `instance`'s stops and tasks.
pub fn translate(instance: &Instance, sub: &Instance, solved: &State, group: &Group) -> Solved {
    let routes = solved
        .routes
        .iter()
        .take(group.vehicles.len())
        .map(|route| {
            route
                .iter()
                .map(|&stop| {
                    let task = sub.stops[stop].task;
                    let which = usize::from(sub.task_stops[task][0] != stop);
                    instance.task_stops[group.tasks[task]][which]
                })
                .collect()
        })
        .collect();
    let unassigned = solved
        .unassigned
        .iter()
        .map(|&local| group.tasks[local])
        .collect();
    Solved { routes, unassigned }
}

/// Writes `solved` back into `state`'s vehicles of `group`: their routes replaced and
/// re-evaluated, the tasks it left out unassigned.
pub fn write_back(
    instance: &Instance,
    solved: &Solved,
    group: &Group,
    state: &mut State,
    scratch: &mut crate::solver::route::evaluate::Scratch,
) {
    for (route, &vehicle) in solved.routes.iter().zip(&group.vehicles) {
        state.routes[vehicle].clone_from(route);
        state.refresh(instance, vehicle, scratch);
    }
    for &task in &solved.unassigned {
        if let Err(position) = state.unassigned.binary_search(&task) {
            state.unassigned.insert(position, task);
        }
    }
}
