//! What a tour reports against what the replay recomputed: every step's site, times,
//! load and running figures, then the tour's totals. Any difference is a finding, so
//! a plan whose figures drift from its own schedule never passes as feasible.

use super::finding::Finding;
use super::replay::Expected;
use crate::domain::{Tour, TourFigures};

/// Compares the steps position by position; the departure is compared as the
/// recomputed service start plus service.
pub(super) fn compare_steps(
    tour: &Tour,
    expected: &[Expected],
    place: &str,
    findings: &mut Vec<Finding>,
) {
    for (position, (step, wanted)) in tour.steps.iter().zip(expected).enumerate() {
        let reported = (
            step.site,
            step.arrival_s,
            step.waiting_s,
            step.service_start_s,
            step.service_s,
            &step.load,
            step.distance_m,
            step.travel_s,
            (step.late_s, step.early_s, step.penalty_micro),
        );
        let recomputed = (
            wanted.site,
            wanted.arrival_s,
            wanted.waiting_s,
            wanted.service_start_s,
            wanted.service_s,
            &wanted.load,
            wanted.distance_m,
            wanted.travel_s,
            (wanted.late_s, wanted.early_s, wanted.penalty_micro),
        );
        let departure = wanted.service_start_s + wanted.service_s;
        if reported != recomputed || step.departure_s != departure {
            findings.push(Finding::new(
                format!("{place} step {position}"),
                format!("reports {reported:?} departing {}, recomputed {recomputed:?} departing {departure}", step.departure_s),
            ));
        }
    }
}

/// Compares the tour's totals (cost, distance, driving, service, waiting, duration).
pub(super) fn compare_figures(
    tour: &Tour,
    figures: &TourFigures,
    place: &str,
    findings: &mut Vec<Finding>,
) {
    let reported = tour.figures;
    if reported != *figures {
        findings.push(Finding::new(
            place,
            format!("reports {reported:?}, recomputed {figures:?}"),
        ));
    }
}
