//! A vehicle's shifts become solver vehicles: each (vehicle, shift) of
//! [`Problem::tour_slots`] is planned as a vehicle of its own, with the shift's window,
//! sites, breaks and limits and the vehicle's capacity, skills and costs, so that
//! every route rule (windows, breaks, limits, reloads) and every move works on shifts
//! unchanged, and the search chooses the day of each task by choosing its route. The
//! fixed cost is paid per used shift: a day's tour needs a day's driver (as in
//! reinterpretcat/vrp's pragmatic format, where a vehicle's shifts let it drive more
//! than once and `fixed` is "a fixed cost per vehicle tour").
//!
//! Split here, just before the dense instance is built, and joined back on the way out
//! (each tour names its vehicle and shift), the domain keeps one vehicle per vehicle of
//! the request and a problem without shifts is solved exactly as before.

use crate::domain::{Problem, Solution};

/// A problem whose vehicles with shifts are split into one vehicle per shift.
pub struct Split {
    /// The problem the search sees: one vehicle per slot.
    pub problem: Problem,
    /// Per solver vehicle: the request's vehicle and shift.
    slots: Vec<(usize, Option<usize>)>,
}

impl Split {
    /// The split of `problem`, or `None` when no vehicle has shifts (nothing to split).
    pub fn of(problem: &Problem) -> Option<Split> {
        if !problem.has_shifts() {
            return None;
        }
        let slots = problem.tour_slots();
        let vehicles = slots
            .iter()
            .filter_map(|&(vehicle, shift)| problem.tour_vehicle(vehicle, shift))
            .map(|vehicle| vehicle.into_owned())
            .collect();
        let problem = Problem {
            vehicles,
            ..problem.clone()
        };
        Some(Split { problem, slots })
    }

    /// Renames each tour of a solution of the split problem after its vehicle and
    /// shift in the request; the order of tours stays the search's.
    pub fn join(&self, solution: &mut Solution) {
        for tour in &mut solution.tours {
            if let Some(&(vehicle, shift)) = self.slots.get(tour.vehicle) {
                (tour.vehicle, tour.shift) = (vehicle, shift);
            }
        }
    }
}
