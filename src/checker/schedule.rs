//! The time and distance rules the replay applies at every step: what a leg between
//! two sites costs the vehicle, the earliest service start a stop's windows allow, and
//! when the vehicle leaves its start. Kept apart from the replay so each rule can be
//! read, and trusted, on its own.

use super::visits::Visit;
use crate::domain::{Problem, TimeWindow, TravelMatrix, UNREACHABLE, Vehicle};

/// One drive between two sites, as the vehicle makes it (its speed factor applied).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Leg {
    pub duration_s: i64,
    pub distance_m: i64,
    /// The cell of the profile's cost matrix, currency units (0 without one).
    pub cost: i64,
}

impl Leg {
    /// The matrices mark a pair without a road with [`UNREACHABLE`] in either figure.
    pub(super) fn unreachable(&self) -> bool {
        self.duration_s >= UNREACHABLE || self.distance_m >= UNREACHABLE
    }
}

/// The legs one vehicle drives: its profile's matrix seen through its speed factor.
pub(super) struct Legs<'a> {
    pub problem: &'a Problem,
    pub vehicle: &'a Vehicle,
    matrix: &'a TravelMatrix,
}

impl<'a> Legs<'a> {
    pub(super) fn new(
        problem: &'a Problem,
        vehicle: &'a Vehicle,
        matrices: &'a [TravelMatrix],
    ) -> Self {
        Legs {
            problem,
            vehicle,
            matrix: &matrices[vehicle.profile],
        }
    }

    /// A missing end (a vehicle without a start site, or an open end) costs nothing.
    pub(super) fn between(&self, from: Option<usize>, to: Option<usize>) -> Leg {
        let (Some(from), Some(to)) = (from, to) else {
            return Leg::default();
        };
        let from = self.problem.sites[from].matrix_index;
        let to = self.problem.sites[to].matrix_index;
        Leg {
            duration_s: self
                .vehicle
                .travel_duration_s(self.matrix.duration_s(from, to)),
            distance_m: self.matrix.distance_m(from, to),
            cost: self.matrix.cost(from, to),
        }
    }
}

/// The earliest service start at or after `arrival_s` inside a window; `None` when
/// every window has closed. No windows means always open.
pub(super) fn first_window_start(windows: &[TimeWindow], arrival_s: i64) -> Option<i64> {
    if windows.is_empty() {
        return Some(arrival_s);
    }
    let mut best: Option<i64> = None;
    for window in windows {
        if window.end_s >= arrival_s {
            let start = arrival_s.max(window.start_s);
            best = Some(best.map_or(start, |known: i64| known.min(start)));
        }
    }
    best
}

/// When the vehicle leaves its start: the shift start plus the least-duration delay.
pub(super) fn departure_s(legs: &Legs, visits: &[Visit], serve_early: bool) -> i64 {
    let vehicle = legs.vehicle;
    let travel = |from: Option<usize>, to: usize| legs.between(from, Some(to)).duration_s;
    let start = (vehicle.start_site, vehicle.shift.start_s);
    vehicle.shift.start_s + least_duration_delay_s(start, visits, serve_early, travel)
}

/// Where a visit reached at `arrival_s` starts and the end of the window it starts
/// in; `None` when every window has passed. A soft window's slack ends at its end: a
/// later departure must not make the stop later than it (no new lateness).
fn start_and_end(visit: &Visit, arrival_s: i64, serve_early: bool) -> Option<(i64, i64)> {
    if !visit.soft.is_empty() {
        let start = super::soft::start(visit.windows, visit.soft, arrival_s, serve_early).ok()?;
        return Some((start.start_s, start.end_s.max(start.start_s)));
    }
    if visit.windows.is_empty() {
        return Some((arrival_s, crate::domain::HORIZON_S.max(arrival_s)));
    }
    visit
        .windows
        .iter()
        .filter(|w| w.end_s >= arrival_s)
        .min_by_key(|w| w.start_s.max(arrival_s))
        .map(|w| (w.start_s.max(arrival_s), w.end_s))
}

/// The delay after the shift start at which the vehicle leaves: the largest one that
/// moves neither the end of the tour (it only eats waiting) nor any stop out of the
/// window it starts in when leaving at the shift start. Found by trying the schedule:
/// the delay that each stop tolerates is its waiting so far plus its slack in its
/// window; the end tolerates the total waiting.
fn least_duration_delay_s(
    (start_site, shift_start_s): (Option<usize>, i64),
    visits: &[Visit],
    serve_early: bool,
    travel: impl Fn(Option<usize>, usize) -> i64,
) -> i64 {
    let mut time_s = shift_start_s;
    let mut previous = start_site;
    let mut waited_s = 0i64;
    let mut tolerated_s = i64::MAX;
    for stop in visits {
        // A driver's break is taken where the vehicle stands: no leg, no setup.
        let arrival_s = time_s + stop.site.map_or(0, |site| travel(previous, site));
        let Some((start_s, end_s)) = start_and_end(stop, arrival_s, serve_early) else {
            return 0;
        };
        waited_s += start_s - arrival_s;
        tolerated_s = tolerated_s.min(waited_s + end_s - start_s);
        let setup_s = if stop.site.is_none() || previous == stop.site {
            0
        } else {
            stop.setup_s
        };
        time_s = start_s + setup_s + stop.service_s;
        previous = stop.site.or(previous);
    }
    tolerated_s.min(waited_s).max(0)
}
