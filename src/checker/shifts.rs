//! A vehicle's tours across its shifts: one driver drives one tour at a time, so the
//! spans of one vehicle's tours (leaving the start → the end) never overlap. Shifts
//! that validation keeps apart make this hold by construction; the checker does not
//! take validation's word for it.

use super::finding::Finding;
use crate::domain::{Problem, Solution, Tour};

/// Lists each pair of one vehicle's tours whose spans overlap.
pub(super) fn check(problem: &Problem, solution: &Solution, findings: &mut Vec<Finding>) {
    let mut spans: Vec<(usize, i64, i64, usize)> = solution
        .tours
        .iter()
        .enumerate()
        .filter_map(|(index, tour)| span(tour).map(|(from, to)| (tour.vehicle, from, to, index)))
        .collect();
    spans.sort_unstable();
    for pair in spans.windows(2) {
        let [
            (vehicle, _, first_end_s, _),
            (next_vehicle, next_start_s, _, _),
        ] = pair
        else {
            continue;
        };
        if vehicle == next_vehicle && next_start_s < first_end_s {
            let id = problem
                .vehicles
                .get(*vehicle)
                .map_or("?", |v| v.id.as_str());
            findings.push(Finding::new(
                format!("tour[{id}]"),
                format!(
                    "two tours of the vehicle overlap in time (one ends at {first_end_s} s, \
                     the next starts at {next_start_s} s)"
                ),
            ));
        }
    }
}

/// When a tour leaves its first step and when its last step is done, seconds.
fn span(tour: &Tour) -> Option<(i64, i64)> {
    let first = tour.steps.first()?;
    let last = tour.steps.last()?;
    Some((first.arrival_s.min(first.departure_s), last.departure_s))
}
