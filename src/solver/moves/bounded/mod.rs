//! The cheapest insertion of a task over several routes: every route in turn
//! ([`best_among`]), or, for a caller that only wants an insertion cheaper than some
//! figure, with each route's walk cut at the best found so far ([`best_among_below`]):
//! on long shipment routes most pairs of positions then need no pricing at all. Own
//! file because recreate (through the workspace) and the local search both ask it.

use super::insertion::{Blink, Insertion, best_in_route, best_in_route_below};
use crate::solver::instance::Instance;
use crate::solver::route::evaluate::Scratch;
use crate::solver::state::State;

/// Best insertion of `task` into the routes of `vehicles` (lowest delta, the first of
/// equals).
pub fn best_among(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicles: impl IntoIterator<Item = usize>,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    mut blink: Option<&mut Blink>,
) -> Option<Insertion> {
    let mut best: Option<Insertion> = None;
    for vehicle in vehicles {
        let found = best_in_route(
            instance,
            state,
            task,
            vehicle,
            scratch,
            buffer,
            blink.as_deref_mut(),
        );
        if let Ok(insertion) = found
            && best.is_none_or(|b| insertion.delta < b.delta)
        {
            best = Some(insertion);
        }
    }
    best
}

/// [`best_among`] for a caller that wants nothing dearer than `cap` (a delta; `None`: no
/// limit): each route is walked only to placements that may cost at most `cap` and at
/// most the best delta found in the routes before it. The same answer as
/// [`best_among`] whenever that costs at most `cap` (an equal delta in a later route is
/// still walked to, and loses as there); else a dearer insertion or none. Blinks draw
/// only for the placements walked to, so the draws differ from [`best_among`]'s.
#[allow(clippy::too_many_arguments)]
pub fn best_among_below(
    instance: &Instance,
    state: &State,
    task: usize,
    vehicles: impl IntoIterator<Item = usize>,
    scratch: &mut Scratch,
    buffer: &mut Vec<usize>,
    mut blink: Option<&mut Blink>,
    cap: Option<i128>,
) -> Option<Insertion> {
    let mut best: Option<Insertion> = None;
    for vehicle in vehicles {
        let below = match (cap, best) {
            (Some(cap), Some(b)) => Some(cap.min(b.delta)),
            (cap, b) => cap.or(b.map(|b| b.delta)),
        };
        let found = best_in_route_below(
            instance,
            state,
            task,
            vehicle,
            scratch,
            buffer,
            blink.as_deref_mut(),
            below,
        );
        if let Ok(insertion) = found
            && best.is_none_or(|b| insertion.delta < b.delta)
        {
            best = Some(insertion);
        }
    }
    best
}

#[cfg(test)]
mod tests;
