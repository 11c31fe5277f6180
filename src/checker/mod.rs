//! The one feasibility-and-cost evaluator: it re-derives every schedule, load and cost
//! of a [`Solution`] from the [`Problem`] and the travel matrices alone, and lists every
//! broken rule as a [`Finding`] (not to be confused with `validate::Violation`, a bad
//! field of a request). Tests, benchmarks and a debug-build check of every solver
//! answer trust it, so it shares no code with the solver's own bookkeeping.
//!
//! The schedule rules it enforces (the contract every tour must meet):
//! - a stop's service (setup + service) starts inside one of its windows, at the earliest
//!   time after arrival; setup is paid when the site differs from the previous step's;
//! - the vehicle leaves its start just in time for its first stop, never before its
//!   shift starts, and ends (arrival at its end site, or the last departure for an open
//!   end) by the shift's end;
//! - loads start with every job delivery of the tour and never exceed the capacity;
//!   a vehicle that reloads may split its tour into trips at its hub (at most its
//!   maximum of trips): each trip leaves with its own job deliveries and the shipments
//!   on board, the jobs' pickups are unloaded at the hub, and a reload takes its
//!   duration inside the hub's opening windows;
//! - a stop with soft windows starts in the first window whose end plus maximum
//!   lateness the arrival has not passed, late when after its end; an early vehicle
//!   waits for it to open, or, on a tour that serves early (one with an early step),
//!   starts at once as far as its maximum earliness allows; lateness and earliness are
//!   priced per window and the penalties are part of the tour's cost;
//! - a shipment's pickup and delivery are on one tour, pickup first, within the maximum
//!   time on board (pickup departure → delivery service start);
//! - a vehicle with shifts drives at most one tour per shift, each held to its shift
//!   (window, sites, breaks, limits) as to a vehicle of its own, and its tours never
//!   overlap in time; a vehicle without shifts drives at most one tour;
//! - a used vehicle's driver takes each of its breaks once, where the previous step
//!   left the vehicle, starting inside one of the break's windows (waiting for it when
//!   early), for its duration (counted as service), with no more than its `max_load`
//!   on board; for the departure's delay a break counts as a stop without a leg;
//! - a transferred shipment (steps marked with a transfer leg) is two shipments, farm →
//!   transfer point and transfer point → destination, each on its tour; the second
//!   leg's pickup starts no earlier than the first leg's drop ends plus the transfer
//!   point's handling time, both inside its opening windows;
//! - a task locked on a vehicle by a given route is served by that vehicle (or left
//!   out), and the route's sequence-locked stops keep their given order.
//!
//! Where each rule lives: `assignment` holds the rules across tours (each task and
//! vehicle once, shipments whole, skills, goods), `locks` the given routes' locks; for each tour, `visits` resolves
//! the steps to stops and trip loads, `replay` walks them leg by leg with the time
//! and distance rules of `schedule`, `tour` holds the tour to its vehicle's limits,
//! and `compare` sets what the tour reports against what was recomputed; `transfers` views
//! transferred shipments as their legs and holds the second leg to the first. This file
//! adds the tours into the summary and compares it last.

mod assignment;
mod compare;
mod finding;
mod locks;
mod on_board;
mod replay;
mod schedule;
mod shifts;
mod soft;
mod tour;
mod transfers;
mod visits;

use crate::domain::{Problem, Solution, TravelMatrix};

pub use finding::Finding;
pub use tour::evaluate_tour;

/// Checks a solution; `Ok(())` when it is feasible and every reported figure matches.
/// `matrices` holds one travel matrix per profile of `problem.profiles`.
pub fn check(
    problem: &Problem,
    matrices: &[TravelMatrix],
    solution: &Solution,
) -> Result<(), Vec<Finding>> {
    let Some(view) = transfers::LegView::of(problem, solution) else {
        return check_tours(problem, matrices, solution);
    };
    // Transferred shipments: their legs as shipments of their own tours, then the
    // precedence across those tours.
    let mut findings = transfers::check(problem, solution);
    if let Err(mut more) = check_tours(&view.problem, matrices, &view.solution) {
        findings.append(&mut more);
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings)
    }
}

/// Every rule but the transfers' precedence across tours.
fn check_tours(
    problem: &Problem,
    matrices: &[TravelMatrix],
    solution: &Solution,
) -> Result<(), Vec<Finding>> {
    let mut findings = assignment::check(problem, solution);
    findings.append(&mut locks::check(problem, solution));
    let mut totals = crate::domain::Summary::default();
    for tour in &solution.tours {
        match evaluate_tour(problem, matrices, tour) {
            Ok(figures) => totals.count_tour(&figures),
            Err(mut tour_findings) => findings.append(&mut tour_findings),
        }
    }
    totals.unassigned = solution.unassigned.len();
    if findings.is_empty() && totals != solution.summary {
        findings.push(Finding::new(
            "summary",
            format!("reported {:?}, recomputed {:?}", solution.summary, totals),
        ));
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings)
    }
}
