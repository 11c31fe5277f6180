//! Swap: two jobs of different routes exchange places, each taking the other's
//! neighbours. Shipments move with relocate and 2-opt* instead (a swap of one stop would
//! split a pickup from its delivery).

use super::{GRANULARITY, Positions, arc, location, try_replace};
use crate::solver::instance::{Instance, StopKind};
use crate::solver::moves::recreate::Workspace;
use crate::solver::state::State;

/// Estimated change of route `vehicle` when the stop at `position` becomes `other`.
fn replaced(
    instance: &Instance,
    vehicle: usize,
    route: &[usize],
    position: usize,
    other: usize,
) -> i64 {
    let before = location(instance, vehicle, route, position);
    let after = location(instance, vehicle, route, position + 2);
    let old = Some(instance.stops[route[position]].location);
    let new = Some(instance.stops[other].location);
    arc(instance, vehicle, before, new) + arc(instance, vehicle, new, after)
        - arc(instance, vehicle, before, old)
        - arc(instance, vehicle, old, after)
}

/// Tries every swap of a job with one of its neighbours in another route.
pub fn pass(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    positions: &mut Positions,
) -> bool {
    let mut improved = false;
    for u in 0..instance.stops.len() {
        if !positions.is_active(u) {
            continue;
        }
        if instance.stops[u].kind != StopKind::Job {
            continue;
        }
        for &v in instance.neighbours[u].iter().take(GRANULARITY) {
            if instance.stops[v].kind != StopKind::Job {
                continue;
            }
            let Some((ra, i)) = positions.of(u) else {
                break;
            };
            let Some((rb, j)) = positions.of(v) else {
                continue;
            };
            if ra == rb {
                continue;
            }
            let (route_a, route_b) = (&state.routes[ra], &state.routes[rb]);
            let estimate =
                replaced(instance, ra, route_a, i, v) + replaced(instance, rb, route_b, j, u);
            if estimate >= 0 {
                continue;
            }
            let mut new_a = route_a.clone();
            let mut new_b = route_b.clone();
            new_a[i] = v;
            new_b[j] = u;
            improved |= try_replace(
                instance,
                state,
                workspace,
                positions,
                &mut [(ra, new_a), (rb, new_b)],
            );
        }
    }
    improved
}
