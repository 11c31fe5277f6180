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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{StepKind, TourFigures, TourStep};

    fn problem() -> Problem {
        let site = |id: &str| crate::pb::Site {
            id: id.into(),
            location: Some(crate::pb::Location {
                kind: Some(crate::pb::location::Kind::Coordinates(
                    crate::pb::Coordinates {
                        lat_deg: 47.1,
                        lon_deg: 9.5,
                    },
                )),
            }),
            ..Default::default()
        };
        let shift = |id: &str, start_s: i64| crate::pb::Shift {
            id: id.into(),
            window: Some(crate::pb::TimeWindow {
                start_s,
                end_s: start_s + 21_600,
                ..Default::default()
            }),
            ..Default::default()
        };
        let request = crate::pb::SolveRequest {
            sites: vec![site("hub")],
            vehicles: vec![crate::pb::Vehicle {
                id: "van".into(),
                start_site_id: "hub".into(),
                shifts: vec![shift("tue", 111_600), shift("fri", 370_800)],
                ..Default::default()
            }],
            ..Default::default()
        };
        crate::validate::problem(&request).unwrap_or_else(|v| panic!("{v}"))
    }

    /// A tour of the van on `shift` from `from_s` to `to_s` (its start and end steps).
    fn tour(shift: usize, from_s: i64, to_s: i64) -> Tour {
        let step = |kind, at_s| TourStep {
            kind,
            task: None,
            driver_break: None,
            site: Some(0),
            arrival_s: at_s,
            waiting_s: 0,
            service_start_s: at_s,
            service_s: 0,
            departure_s: at_s,
            load: Vec::new(),
            distance_m: 0,
            travel_s: 0,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
            violations: Vec::new(),
            transfer_leg: None,
        };
        Tour {
            vehicle: 0,
            shift: Some(shift),
            steps: vec![step(StepKind::Start, from_s), step(StepKind::End, to_s)],
            figures: TourFigures::default(),
            violations: Vec::new(),
        }
    }

    fn findings(tours: Vec<Tour>) -> Vec<Finding> {
        let solution = Solution {
            tours,
            ..Solution::default()
        };
        let mut findings = Vec::new();
        check(&problem(), &solution, &mut findings);
        findings
    }

    #[test]
    fn tours_of_one_vehicle_may_follow_each_other() {
        assert!(findings(vec![tour(1, 380_000, 390_000), tour(0, 120_000, 130_000)]).is_empty());
    }

    #[test]
    fn tours_of_one_vehicle_may_not_overlap() {
        let found = findings(vec![tour(0, 120_000, 130_000), tour(1, 125_000, 140_000)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].rule.contains("overlap"), "{found:?}");
        assert_eq!(found[0].place, "tour[van]");
    }
}
