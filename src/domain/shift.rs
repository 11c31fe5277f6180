//! A driver's day: a vehicle's shifts over a planning horizon (a week) and the breaks
//! taken on one. What a vehicle on a shift is lives in `tour_slots.rs`.
//!
//! Times keep one origin for the whole horizon (e.g. Monday 00:00), so a shift on
//! Friday is just a later window; [`day_of`] names the day of a time for people.

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

/// A driver's break: taken between two stops where the vehicle is, starting inside one
/// of its windows, with at most `max_load` on board.
#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    /// External id, unique among the vehicle's breaks.
    pub id: String,
    /// Free text for people, returned as given.
    pub description: String,
    /// Windows for the break's start, sorted; empty means any time.
    pub windows: Vec<TimeWindow>,
    /// How long it lasts, seconds.
    pub duration_s: i64,
    /// Most goods on board during the break, per dimension; `None`: no limit.
    pub max_load: Option<Vec<i64>>,
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
