//! Recreate and ruin for transfer groups (`solver::transfers`): a group goes back in
//! whichever way is cheaper, direct or as its two legs, and leaves whole. A leg without
//! its partner (after a repair dropped one) serves nothing: it is taken out again.

use super::insertion::{Blink, apply};
use super::workspace::Workspace;
use crate::domain::TourFigures;
use crate::solver::instance::Instance;
use crate::solver::instance::transfers::Role;
use crate::solver::route::cache::RouteCache;
use crate::solver::route::evaluate::Scratch;
use crate::solver::state::State;

/// One route as it was, to undo a tentative insertion.
struct Saved {
    vehicle: usize,
    route: Vec<usize>,
    figures: TourFigures,
    cache: RouteCache,
}

fn save(state: &State, vehicle: usize) -> Saved {
    Saved {
        vehicle,
        route: state.routes[vehicle].clone(),
        figures: state.figures[vehicle],
        cache: state.caches[vehicle].clone(),
    }
}

fn restore(state: &mut State, saved: Saved, task: usize) {
    state.routes[saved.vehicle] = saved.route;
    state.figures[saved.vehicle] = saved.figures;
    state.caches[saved.vehicle] = saved.cache;
    if let Err(position) = state.unassigned.binary_search(&task) {
        state.unassigned.insert(position, task);
    }
}

/// Puts the group of `task` (any of its tasks, all unassigned or a first leg alone)
/// back the cheaper way: direct, or its unassigned legs one after the other (the
/// second priced in the routes the first left). Nothing changes when neither fits.
pub fn insert_group(
    instance: &Instance,
    state: &mut State,
    task: usize,
    workspace: &mut Workspace,
    blink: Option<&mut Blink>,
) {
    let group = match instance.role(task) {
        Some(Role::Direct(group) | Role::First(group) | Role::Second(group)) => group,
        None => return,
    };
    let unassigned = |state: &State, task: usize| state.unassigned.binary_search(&task).is_ok();
    if !unassigned(state, group.direct) || !unassigned(state, group.second) {
        return;
    }
    let direct = workspace.best_anywhere(instance, state, group.direct, blink);
    let mut first_saved = None;
    let mut legs_delta = 0i128;
    if unassigned(state, group.first) {
        match workspace.best_anywhere(instance, state, group.first, None) {
            Some(first) => {
                first_saved = Some(save(state, first.vehicle));
                legs_delta = first.delta;
                apply(instance, state, group.first, &first, &mut workspace.scratch);
            }
            None => legs_delta = i128::MAX / 4,
        }
    }
    let second = (legs_delta < i128::MAX / 4)
        .then(|| workspace.best_anywhere(instance, state, group.second, None))
        .flatten();
    match second {
        Some(second) if direct.is_none_or(|d| legs_delta + second.delta < d.delta) => {
            apply(
                instance,
                state,
                group.second,
                &second,
                &mut workspace.scratch,
            );
        }
        _ => {
            if let Some(saved) = first_saved {
                restore(state, saved, group.first);
            }
            if let Some(direct) = direct
                && !instance.transfer_blocked(&state.unassigned, group.direct)
            {
                apply(
                    instance,
                    state,
                    group.direct,
                    &direct,
                    &mut workspace.scratch,
                );
            }
        }
    }
}

/// Adds to `tasks` the other leg of each leg in it, so that groups leave whole.
pub fn with_partners(instance: &Instance, tasks: &mut Vec<usize>) {
    let partners: Vec<usize> = tasks
        .iter()
        .filter_map(|&task| match instance.role(task) {
            Some(Role::First(group)) => Some(group.second),
            Some(Role::Second(group)) => Some(group.first),
            _ => None,
        })
        .collect();
    tasks.extend(partners);
    tasks.sort_unstable();
    tasks.dedup();
}

/// Takes out every leg in a route whose partner is not in one (and whatever the repair
/// of its route drops); marks them unassigned and returns them.
pub fn drop_orphans(instance: &Instance, state: &mut State, scratch: &mut Scratch) -> Vec<usize> {
    let mut dropped = Vec::new();
    if instance.roles.is_empty() {
        return dropped;
    }
    let unassigned = |state: &State, task: usize| state.unassigned.binary_search(&task).is_ok();
    loop {
        let orphan = (0..instance.task_count()).find(|&task| {
            let partner = match instance.role(task) {
                Some(Role::First(group)) => group.second,
                Some(Role::Second(group)) => group.first,
                _ => return false,
            };
            !unassigned(state, task) && unassigned(state, partner)
        });
        let Some(orphan) = orphan else {
            return dropped;
        };
        let mut out = vec![orphan];
        if let Some(vehicle) = state.remove_task(instance, orphan) {
            out.extend(state.repair(instance, vehicle, scratch));
        }
        for task in out {
            if let Err(position) = state.unassigned.binary_search(&task) {
                state.unassigned.insert(position, task);
            }
            dropped.push(task);
        }
    }
}
