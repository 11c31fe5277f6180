//! A vehicle's shifts over a planning horizon (a week): what one shift is, and the one
//! meaning of "vehicle `v` on shift `s`" that the solver (which plans each shift as a
//! vehicle of its own) and the checker (which holds each tour to its shift) share.
//!
//! Times keep one origin for the whole horizon (e.g. Monday 00:00), so a shift on
//! Friday is just a later window; [`day_of`] names the day of a time for people.

use std::borrow::Cow;

use super::problem::{Break, Problem, Vehicle};
use super::time_window::TimeWindow;

/// Seconds in a day, for [`day_of`].
pub const DAY_S: i64 = 86_400;

/// The day of `time_s` counted from the time origin (0: the origin's day).
pub fn day_of(time_s: i64) -> i64 {
    time_s.div_euclid(DAY_S)
}

/// One shift of a vehicle, its values already resolved against the vehicle's own
/// (validation does that: a shift that sets nothing takes the vehicle's sites, breaks
/// and limits).
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// External id, unique among the vehicle's shifts.
    pub id: String,
    /// When the shift runs.
    pub window: TimeWindow,
    /// Start site; `None`: the tour starts at its first stop.
    pub start_site: Option<usize>,
    /// End site; `None`: open end.
    pub end_site: Option<usize>,
    /// The driver's breaks on this shift, in the order a tour takes them.
    pub breaks: Vec<Break>,
    /// Maximum working time, seconds.
    pub max_working_time_s: Option<i64>,
    /// Maximum driving time, seconds.
    pub max_travel_time_s: Option<i64>,
    /// Maximum distance, metres.
    pub max_distance_m: Option<i64>,
    /// Maximum number of task stops.
    pub max_stops: Option<usize>,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_origin() {
        assert_eq!(day_of(0), 0);
        assert_eq!(day_of(DAY_S - 1), 0);
        assert_eq!(day_of(4 * DAY_S + 7 * 3600), 4);
        assert_eq!(day_of(-1), -1);
    }
}
