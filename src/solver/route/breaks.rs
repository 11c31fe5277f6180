//! Where a tour takes its driver's breaks. A break happens between two nodes, where the
//! vehicle stands, so it is placed during the walk itself and every move that
//! simulates a route sees it. The first walk of a tour places the breaks by a rule
//! ([`Placing::Decide`]), taking them in their order; the final walk, once the
//! departure is delayed, takes them at the same places ([`Placing::Follow`]).
//!
//! The rule, before each stop, for the next break not yet taken: take it now when its
//! load limit allows and either (a) it could not start any more after the stop (it is
//! due), (b) it costs the stop nothing (it fits in the waiting before it), or (c) it
//! has a load limit and its window is open now (the load may not allow it later).
//! Otherwise it waits for a later stop; whatever is left is taken before the end.
//! Lazy because a break taken later never delays the stops before it.

use super::infeasible::Infeasible;
use super::walk::Walk;
use crate::domain::{Break, TourStep, earliest_start_s};

/// Breaks placed: (route position of the stop they come before — the route's length
/// for the end —, index in the vehicle's breaks), in the order they are taken.
pub type Placed = Vec<(usize, usize)>;

/// How a walk places breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// By the rule above, recording where.
    Decide,
    /// Where a former walk recorded.
    Follow,
}

/// The breaks of one walk: which is next, and where they go.
pub struct Breaks<'b> {
    breaks: &'b [Break],
    placing: Placing,
    placed: &'b mut Placed,
    /// Breaks taken so far (the next one's index in `breaks` when deciding, in
    /// `placed` when following).
    taken: usize,
}

impl<'b> Breaks<'b> {
    /// Starts a walk's breaks; deciding clears `placed`.
    pub fn new(breaks: &'b [Break], placing: Placing, placed: &'b mut Placed) -> Self {
        if placing == Placing::Decide {
            placed.clear();
        }
        Breaks {
            breaks,
            placing,
            placed,
            taken: 0,
        }
    }

    /// Takes the breaks that go before route position `position`, whose stop is
    /// `next` (`None`: the end, where every break left is taken).
    pub fn before(
        &mut self,
        walk: &mut Walk,
        position: usize,
        next: Option<usize>,
        mut steps: Option<&mut Vec<TourStep>>,
    ) -> Result<(), Infeasible> {
        while let Some(index) = self.next_at(walk, position, next)? {
            let arrival = walk.take_break(&self.breaks[index])?;
            if self.placing == Placing::Decide {
                self.placed.push((position, index));
            }
            self.taken += 1;
            if let Some(steps) = steps.as_deref_mut() {
                steps.push(walk.break_step(index, &arrival));
            }
        }
        Ok(())
    }

    /// The break to take now, if any.
    fn next_at(
        &self,
        walk: &Walk,
        position: usize,
        next: Option<usize>,
    ) -> Result<Option<usize>, Infeasible> {
        match self.placing {
            Placing::Follow => Ok(self
                .placed
                .get(self.taken)
                .filter(|(at, _)| *at == position)
                .map(|&(_, index)| index)),
            Placing::Decide => {
                let Some(driver_break) = self.breaks.get(self.taken) else {
                    return Ok(None);
                };
                let Some(stop) = next else {
                    return Ok(Some(self.taken));
                };
                Ok(take_now(walk, driver_break, stop)?.then_some(self.taken))
            }
        }
    }
}

/// The rule of the module's header for `driver_break` before stop `stop`; `Breaks`
/// when it is due but cannot be taken.
fn take_now(walk: &Walk, driver_break: &Break, stop: usize) -> Result<bool, Infeasible> {
    let start_s = earliest_start_s(&driver_break.windows, walk.time_s).ok_or(Infeasible::Breaks)?;
    let fits = walk.break_load_fits(driver_break);
    let Some((stop_start_s, stop_departure_s)) = walk.peek(stop) else {
        // The stop cannot be reached in time anyway: the walk fails there.
        return Ok(fits);
    };
    let due = earliest_start_s(&driver_break.windows, stop_departure_s).is_none();
    if due && !fits {
        return Err(Infeasible::Breaks);
    }
    let free = walk.starts_at(stop, start_s + driver_break.duration_s, stop_start_s);
    let open_now = driver_break.max_load.is_some() && start_s == walk.time_s;
    Ok(fits && (due || free || open_now))
}

/// Whether every break was taken (a walk that followed a placement took them all at
/// the end at the latest; a decided one too, by construction).
pub fn all_taken(breaks: &Breaks) -> bool {
    breaks.taken == breaks.breaks.len()
}
