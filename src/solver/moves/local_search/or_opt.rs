//! Or-opt (Or 1976): move a string of one to three consecutive stops elsewhere in its
//! own route, next to one of its first stop's nearest stops. The moves between routes
//! belong to relocate and 2-opt*; this is the route's own order, which ruin & recreate
//! mends slowly on long routes (few vehicles, wide windows).

use super::{GRANULARITY, Positions, arc, location, try_replace};
use crate::solver::instance::{Instance, StopKind};
use crate::solver::moves::recreate::Workspace;
use crate::solver::state::State;

/// Longest string moved.
const MAX_STRING: usize = 3;

/// Estimated change of `route` on `vehicle` when positions `from..from + len` move to
/// just before position `to` (a position of the route as it is, outside the string).
fn estimate(
    instance: &Instance,
    vehicle: usize,
    route: &[usize],
    from: usize,
    len: usize,
    to: usize,
) -> i64 {
    // The stop at `position`, and the one before it (the start for position 0).
    let node = |position: usize| location(instance, vehicle, route, position + 1);
    let before = |position: usize| location(instance, vehicle, route, position);
    let cost = |a: Option<usize>, b: Option<usize>| arc(instance, vehicle, a, b);
    let (first, last) = (node(from), node(from + len - 1));
    let removed = cost(before(from), first) + cost(last, node(from + len))
        - cost(before(from), node(from + len));
    let added = cost(before(to), first) + cost(last, node(to)) - cost(before(to), node(to));
    added - removed
}

/// Tries every string move of each route towards a near stop of the same route.
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
        for len in 1..=MAX_STRING {
            for &v in instance.neighbours[u].iter().take(GRANULARITY) {
                let Some((vehicle, from)) = positions.of(u) else {
                    break;
                };
                let Some((other, at)) = positions.of(v) else {
                    continue;
                };
                let route = &state.routes[vehicle];
                if other != vehicle || from + len > route.len() || (from..from + len).contains(&at)
                {
                    continue;
                }
                // Just before v, or just after it.
                for to in [at, at + 1] {
                    let route = &state.routes[vehicle];
                    if to == from + len
                        || to == from
                        || !keeps_precedence(instance, positions, &route[from..from + len], to)
                        || estimate(instance, vehicle, route, from, len, to) >= 0
                    {
                        continue;
                    }
                    let moved = moved(route, from, len, to);
                    if try_replace(
                        instance,
                        state,
                        workspace,
                        positions,
                        &mut [(vehicle, moved)],
                    ) {
                        improved = true;
                        break;
                    }
                }
            }
        }
    }
    improved
}

/// Whether moving `string` before position `to` of its route keeps every pickup
/// before its delivery (the partner of a stop outside the string stays where it is).
fn keeps_precedence(
    instance: &Instance,
    positions: &Positions,
    string: &[usize],
    to: usize,
) -> bool {
    string.iter().all(|&stop| {
        let partner = match instance.stops[stop].kind {
            StopKind::Pickup => stop + 1,
            StopKind::Delivery => stop - 1,
            StopKind::Job => return true,
        };
        if string.contains(&partner) {
            return true;
        }
        match (instance.stops[stop].kind, positions.of(partner)) {
            (StopKind::Pickup, Some((_, delivery_at))) => to <= delivery_at,
            (StopKind::Delivery, Some((_, pickup_at))) => pickup_at < to,
            _ => true,
        }
    })
}

/// `route` with the string `from..from + len` moved before position `to`.
fn moved(route: &[usize], from: usize, len: usize, to: usize) -> Vec<usize> {
    let string = &route[from..from + len];
    let mut rest: Vec<usize> = route[..from]
        .iter()
        .chain(&route[from + len..])
        .copied()
        .collect();
    let at = if to > from { to - len } else { to };
    rest.splice(at..at, string.iter().copied());
    rest
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn moves_strings_forward_and_backward() {
        let route = [10, 11, 12, 13, 14, 15];
        assert_eq!(moved(&route, 1, 2, 5), vec![10, 13, 14, 11, 12, 15]);
        assert_eq!(moved(&route, 3, 2, 0), vec![13, 14, 10, 11, 12, 15]);
        assert_eq!(moved(&route, 4, 1, 6), vec![10, 11, 12, 13, 15, 14]);
    }
}
