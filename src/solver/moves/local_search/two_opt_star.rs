//! 2-opt* (Potvin & Rousseau 1995): cut two routes and exchange their tails, so that a
//! stop is followed by one of its nearest stops from the other route. A cut may only
//! fall where no shipment is on board, so that pickups and deliveries stay together.

use super::{GRANULARITY, Positions, arc, location, try_replace};
use crate::solver::instance::{Instance, StopKind};
use crate::solver::moves::recreate::Workspace;
use crate::solver::state::State;

/// Per prefix length `k` of `route`: whether every shipment picked up in the prefix is
/// also delivered in it.
fn closed_cuts(instance: &Instance, route: &[usize]) -> Vec<bool> {
    let mut open = 0i64;
    let mut closed = Vec::with_capacity(route.len() + 1);
    closed.push(true);
    for &stop in route {
        match instance.stops[stop].kind {
            StopKind::Pickup => open += 1,
            StopKind::Delivery => open -= 1,
            StopKind::Job => {}
        }
        closed.push(open == 0);
    }
    closed
}

/// Estimated cost of the arcs from the last stop of a head (or the start of `vehicle`)
/// through `tail` to the vehicle's end that a tail exchange changes: the junction and
/// the last arc.
fn link(
    instance: &Instance,
    vehicle: usize,
    route: &[usize],
    head_len: usize,
    tail: &[usize],
) -> i64 {
    let head_last = location(instance, vehicle, route, head_len);
    let end = location(instance, vehicle, &[], 1);
    match (tail.first(), tail.last()) {
        (Some(&first), Some(&last)) => {
            arc(
                instance,
                vehicle,
                head_last,
                Some(instance.stops[first].location),
            ) + arc(instance, vehicle, Some(instance.stops[last].location), end)
        }
        _ => arc(instance, vehicle, head_last, end),
    }
}

/// Tries every tail exchange that puts a stop before or after one of its neighbours.
pub fn pass(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    positions: &mut Positions,
) -> bool {
    let mut closed: Vec<Vec<bool>> = state
        .routes
        .iter()
        .map(|route| closed_cuts(instance, route))
        .collect();
    let mut improved = false;
    for u in 0..instance.stops.len() {
        if !positions.is_active(u) {
            continue;
        }
        for &v in instance.neighbours[u].iter().take(GRANULARITY) {
            let Some((ra, i)) = positions.of(u) else {
                break;
            };
            let Some((rb, j)) = positions.of(v) else {
                continue;
            };
            if ra == rb {
                continue;
            }
            // u then v (cut after u, before v), or v then u (cut after v, before u).
            let cuts = [(i + 1, j), (i, j + 1)];
            let applied = cuts.into_iter().any(|(a, b)| {
                exchange(
                    instance,
                    state,
                    workspace,
                    positions,
                    &closed,
                    (ra, a),
                    (rb, b),
                )
            });
            if applied {
                closed[ra] = closed_cuts(instance, &state.routes[ra]);
                closed[rb] = closed_cuts(instance, &state.routes[rb]);
                improved = true;
            }
        }
    }
    improved
}

/// Exchanges the tail of route `ra` from position `a` with the tail of `rb` from `b`
/// when the estimate and then the simulation find it better.
fn exchange(
    instance: &Instance,
    state: &mut State,
    workspace: &mut Workspace,
    positions: &mut Positions,
    closed: &[Vec<bool>],
    (ra, a): (usize, usize),
    (rb, b): (usize, usize),
) -> bool {
    if !closed[ra][a] || !closed[rb][b] {
        return false;
    }
    let (route_a, route_b) = (&state.routes[ra], &state.routes[rb]);
    if a == route_a.len() && b == route_b.len() {
        return false;
    }
    let before = link(instance, ra, route_a, a, &route_a[a..])
        + link(instance, rb, route_b, b, &route_b[b..]);
    let after = link(instance, ra, route_a, a, &route_b[b..])
        + link(instance, rb, route_b, b, &route_a[a..]);
    if after >= before {
        return false;
    }
    let new_a: Vec<usize> = route_a[..a].iter().chain(&route_b[b..]).copied().collect();
    let new_b: Vec<usize> = route_b[..b].iter().chain(&route_a[a..]).copied().collect();
    try_replace(
        instance,
        state,
        workspace,
        positions,
        &mut [(ra, new_a), (rb, new_b)],
    )
}
