//! The locks of the given routes as the search needs them: the one vehicle a locked
//! task may ride on, and the rank of each stop that must keep its order
//! (`Lock::InSequence`). A task locked on a vehicle is compatible with no other one, so
//! every move that asks `Instance::compatible` keeps it there; the order is checked where
//! every route is judged, `route::evaluate`.

use crate::domain::{Lock, Problem, Visit};

/// Per task and per stop, what the locks keep.
#[derive(Debug, Clone, Default)]
pub struct Locks {
    /// Per task: the vehicle it is locked on.
    pub vehicle: Vec<Option<usize>>,
    /// Per stop (instance stop index): its rank among its vehicle's sequence-locked
    /// stops.
    pub rank: Vec<Option<usize>>,
    /// Per vehicle: whether its route holds sequence-locked stops.
    pub sequenced: Vec<bool>,
}

impl Locks {
    /// The locks of `problem`'s given routes; `task_stops` maps (task, which) to stops.
    pub fn new(problem: &Problem, task_stops: &[Vec<usize>], stops: usize) -> Self {
        let mut locks = Locks {
            vehicle: vec![None; problem.tasks.len()],
            rank: vec![None; stops],
            sequenced: vec![false; problem.vehicles.len()],
        };
        for route in &problem.routes {
            let mut rank = 0;
            for stop in &route.stops {
                let Visit::Task { task, which } = stop.visit else {
                    continue;
                };
                if stop.lock == Lock::Free {
                    continue;
                }
                locks.vehicle[task] = Some(route.vehicle);
                if stop.lock == Lock::InSequence
                    && let Some(&index) = task_stops[task].get(which)
                {
                    locks.rank[index] = Some(rank);
                    rank += 1;
                    locks.sequenced[route.vehicle] = true;
                }
            }
        }
        locks
    }

    /// Whether `stops` on `vehicle` keep the order of its sequence-locked stops (and
    /// hold no other vehicle's).
    pub fn in_order(&self, vehicle: usize, stops: &[usize]) -> bool {
        let mut last = None;
        for &stop in stops {
            let Some(rank) = self.rank[stop] else {
                continue;
            };
            if !self.sequenced[vehicle] || last.is_some_and(|last| rank < last) {
                return false;
            }
            last = Some(rank);
        }
        true
    }
}
