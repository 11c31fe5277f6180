//! The one meaning of "vehicle `v` on shift `s`" that the solver (which plans each
//! shift as a vehicle of its own) and the checker (which holds each tour to its shift)
//! share, and the tours a fleet may drive: one per vehicle without shifts, one per
//! shift of a vehicle with shifts.

use std::borrow::Cow;

use super::problem::{Problem, Vehicle};

impl Vehicle {
    /// The vehicle as it drives on its shift `shift`: the shift's window, sites, breaks
    /// and limits, everything else (capacity, skills, costs with the fixed cost, profile,
    /// reload) its own; `None` when it has no such shift.
    pub fn on_shift(&self, shift: usize) -> Option<Vehicle> {
        let on = self.shifts.get(shift)?;
        Some(Vehicle {
            shift: on.window,
            start_site: on.start_site,
            end_site: on.end_site,
            breaks: on.breaks.clone(),
            max_working_time_s: on.max_working_time_s,
            max_travel_time_s: on.max_travel_time_s,
            max_distance_m: on.max_distance_m,
            max_stops: on.max_stops,
            shifts: Vec::new(),
            ..self.clone()
        })
    }
}

impl Problem {
    /// Every tour the fleet may drive, in order: `(vehicle, None)` for a vehicle without
    /// shifts, `(vehicle, Some(shift))` for each shift of one with shifts. The solver
    /// numbers its vehicles in this order.
    pub fn tour_slots(&self) -> Vec<(usize, Option<usize>)> {
        self.vehicles
            .iter()
            .enumerate()
            .flat_map(|(index, vehicle)| {
                let shifts: Vec<Option<usize>> = if vehicle.shifts.is_empty() {
                    vec![None]
                } else {
                    (0..vehicle.shifts.len()).map(Some).collect()
                };
                shifts.into_iter().map(move |shift| (index, shift))
            })
            .collect()
    }

    /// Whether some vehicle has shifts.
    pub fn has_shifts(&self) -> bool {
        self.vehicles.iter().any(|v| !v.shifts.is_empty())
    }

    /// The vehicle that drives a tour on `(vehicle, shift)`: the vehicle itself without
    /// a shift, the vehicle on its shift with one; `None` when the pair names no slot of
    /// [`Problem::tour_slots`] (a vehicle with shifts driving without one, or the other
    /// way round).
    pub fn tour_vehicle(&self, vehicle: usize, shift: Option<usize>) -> Option<Cow<'_, Vehicle>> {
        let driver = self.vehicles.get(vehicle)?;
        match shift {
            None if driver.shifts.is_empty() => Some(Cow::Borrowed(driver)),
            None => None,
            Some(shift) => driver.on_shift(shift).map(Cow::Owned),
        }
    }
}
