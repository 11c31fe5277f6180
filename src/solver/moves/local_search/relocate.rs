//! Relocate: take one task (a job, or a shipment's pickup and delivery together) out of
//! its route and put it at its cheapest place in a route that serves one of its stops'
//! nearest stops. Placements come from the insertion check recreate uses (O(1) per
//! position where the constraints allow), walked only to those that may beat the
//! removal's estimated saving; both routes are simulated only when the best placement
//! beats it.

use super::{GRANULARITY, Positions, arc, location, try_replace};
use crate::domain::Objective;
use crate::solver::instance::Instance;
use crate::solver::moves::bounded::best_among_below;
use crate::solver::moves::recreate::Workspace;
use crate::solver::state::State;

/// Estimated sum of the arc costs of `route` on `vehicle`, start and end included.
fn path(instance: &Instance, vehicle: usize, route: &[usize]) -> i64 {
    (0..=route.len())
        .map(|k| {
            arc(
                instance,
                vehicle,
                location(instance, vehicle, route, k),
                location(instance, vehicle, route, k + 1),
            )
        })
        .sum()
}

/// Tries to move every task once.
pub fn pass(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    positions: &mut Positions,
) -> bool {
    let mut improved = false;
    let mut targets: Vec<usize> = Vec::new();
    let mut reduced: Vec<usize> = Vec::new();
    for task in 0..instance.task_count() {
        let stops = &instance.task_stops[task];
        let Some((from, _)) = positions.of(stops[0]) else {
            continue;
        };
        if !positions.is_active(stops[0]) {
            continue;
        }
        targets.clear();
        for &stop in stops {
            for &near in instance.neighbours[stop].iter().take(GRANULARITY) {
                if let Some((vehicle, _)) = positions.of(near)
                    && vehicle != from
                    && !targets.contains(&vehicle)
                {
                    targets.push(vehicle);
                }
            }
        }
        if targets.is_empty() {
            continue;
        }
        let route = &state.routes[from];
        reduced.clear();
        reduced.extend(
            route
                .iter()
                .copied()
                .filter(|&s| instance.stops[s].task != task),
        );
        let frees_vehicle = reduced.is_empty() && instance.objective == Objective::Vehicles;
        let estimate = i128::from(path(instance, from, route) - path(instance, from, &reduced));
        // Only an insertion dearer than the saving is rejected: no pair above it is
        // worth pricing (the same move is found, in fewer pairs).
        let cap = (!frees_vehicle).then_some(estimate - 1);
        let Some(best) = best_among_below(
            instance,
            state,
            task,
            targets.iter().copied(),
            &mut workspace.scratch,
            &mut workspace.buffer,
            None,
            cap,
        ) else {
            continue;
        };
        if !frees_vehicle && best.delta >= estimate {
            continue;
        }
        let mut extended = state.routes[best.vehicle].clone();
        extended.insert(best.first, stops[0]);
        if let Some(&delivery) = stops.get(1) {
            extended.insert(best.second, delivery);
        }
        improved |= try_replace(
            instance,
            state,
            workspace,
            positions,
            &mut [
                (from, std::mem::take(&mut reduced)),
                (best.vehicle, extended),
            ],
        );
    }
    improved
}
