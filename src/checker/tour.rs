//! One tour, recomputed from its order of stops: schedule, loads, limits, cost.

use super::Finding;
use super::visits::{Visit, trip_loads, visits};
use crate::domain::{Problem, StepKind, TaskKind, TimeWindow, Tour, TravelMatrix, UNREACHABLE};

/// Figures of a feasible tour, recomputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TourFigures {
    /// Cost, micro-currency.
    pub cost_micro: i64,
    /// Distance, metres.
    pub distance_m: i64,
    /// Driving, seconds.
    pub travel_s: i64,
    /// Setup + service, seconds.
    pub service_s: i64,
    /// Waiting, seconds.
    pub waiting_s: i64,
    /// Departure to end, seconds.
    pub duration_s: i64,
}

/// A recomputed step: its site and the figures the tour must report.
struct Expected {
    site: Option<usize>,
    arrival_s: i64,
    waiting_s: i64,
    service_start_s: i64,
    service_s: i64,
    load: Vec<i64>,
    distance_m: i64,
    travel_s: i64,
}

fn first_window_start(windows: &[TimeWindow], arrival_s: i64) -> Option<i64> {
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

/// The delay after the shift start at which the vehicle leaves: the largest one that
/// moves neither the end of the tour (it only eats waiting) nor any stop out of the
/// window it starts in when leaving at the shift start. Found by trying the schedule:
/// the delay that each stop tolerates is its waiting so far plus its slack in its
/// window; the end tolerates the total waiting.
fn least_duration_delay_s(
    start_site: Option<usize>,
    visits: &[Visit],
    shift_start_s: i64,
    travel: impl Fn(Option<usize>, usize) -> i64,
) -> i64 {
    let mut time_s = shift_start_s;
    let mut previous = start_site;
    let mut waited_s = 0i64;
    let mut tolerated_s = i64::MAX;
    for stop in visits {
        let arrival_s = time_s + travel(previous, stop.site);
        let window = if stop.windows.is_empty() {
            Some((arrival_s, crate::domain::HORIZON_S.max(arrival_s)))
        } else {
            stop.windows
                .iter()
                .filter(|w| w.end_s >= arrival_s)
                .min_by_key(|w| w.start_s.max(arrival_s))
                .map(|w| (w.start_s.max(arrival_s), w.end_s))
        };
        let Some((start_s, end_s)) = window else {
            return 0;
        };
        waited_s += start_s - arrival_s;
        tolerated_s = tolerated_s.min(waited_s + end_s - start_s);
        let setup_s = if previous == Some(stop.site) {
            0
        } else {
            stop.setup_s
        };
        time_s = start_s + setup_s + stop.service_s;
        previous = Some(stop.site);
    }
    tolerated_s.min(waited_s).max(0)
}

/// Recomputes a tour and compares it with what it reports; lists every finding.
pub fn evaluate_tour(
    problem: &Problem,
    matrices: &[TravelMatrix],
    tour: &Tour,
) -> Result<TourFigures, Vec<Finding>> {
    let vehicle = &problem.vehicles[tour.vehicle];
    let place = format!("tour[{}]", vehicle.id);
    let mut findings = Vec::new();
    let matrix = &matrices[vehicle.profile];
    let visits = visits(problem, vehicle, tour, &place)?;
    let task_count = visits.iter().filter(|v| !v.reload).count();
    if let Some(limit) = vehicle.max_stops
        && task_count > limit
    {
        findings.push(Finding::new(
            &place,
            format!("{task_count} stops > max {limit}"),
        ));
    }
    let mut trip_loads = trip_loads(&visits, problem.dimensions).into_iter();

    let mut expected = Vec::with_capacity(tour.steps.len());
    let mut load = trip_loads.next().unwrap_or_default();
    let mut distance_m = 0i64;
    let mut travel_s = 0i64;
    let mut service_total_s = 0i64;
    let mut waiting_total_s = 0i64;
    let mut previous_site = vehicle.start_site;
    let travel = |from: Option<usize>, to: usize| -> i64 {
        from.map_or(0, |from| {
            let from_index = problem.sites[from].matrix_index;
            vehicle.travel_duration_s(matrix.duration_s(from_index, problem.sites[to].matrix_index))
        })
    };
    let departure_s = vehicle.shift.start_s
        + least_duration_delay_s(vehicle.start_site, &visits, vehicle.shift.start_s, travel);
    let mut time_s = departure_s;
    expected.push(Expected {
        site: vehicle.start_site,
        arrival_s: departure_s,
        waiting_s: 0,
        service_start_s: departure_s,
        service_s: 0,
        load: load.clone(),
        distance_m: 0,
        travel_s: 0,
    });
    let check_load = |load: &[i64], position: usize, findings: &mut Vec<Finding>| {
        if load.iter().zip(&vehicle.capacity).any(|(l, c)| l > c) || load.iter().any(|l| *l < 0) {
            findings.push(Finding::new(
                format!("{place} step {position}"),
                format!("load {load:?} outside capacity {:?}", vehicle.capacity),
            ));
        }
    };
    check_load(&load, 0, &mut findings);
    for (index, stop) in visits.iter().enumerate() {
        let site = &problem.sites[stop.site];
        let (leg_s, leg_m) = match previous_site {
            Some(from) => {
                let from_index = problem.sites[from].matrix_index;
                (
                    vehicle.travel_duration_s(matrix.duration_s(from_index, site.matrix_index)),
                    matrix.distance_m(from_index, site.matrix_index),
                )
            }
            None => (0, 0),
        };
        if leg_s >= UNREACHABLE || leg_m >= UNREACHABLE {
            findings.push(Finding::new(
                format!("{place} step {}", index + 1),
                "unreachable leg",
            ));
            return Err(findings);
        }
        let arrival_s = time_s + leg_s;
        let Some(service_start_s) = first_window_start(stop.windows, arrival_s) else {
            findings.push(Finding::new(
                format!("{place} step {}", index + 1),
                format!(
                    "arrival {arrival_s} s after every window of site {}",
                    site.id
                ),
            ));
            return Err(findings);
        };
        let setup_s = if previous_site == Some(stop.site) {
            0
        } else {
            stop.setup_s
        };
        let service_s = setup_s + stop.service_s;
        if stop.reload {
            load = trip_loads.next().unwrap_or_default();
        }
        for (l, c) in load.iter_mut().zip(&stop.change) {
            *l += c;
        }
        check_load(&load, index + 1, &mut findings);
        distance_m += leg_m;
        travel_s += leg_s;
        service_total_s += service_s;
        let waiting_s = service_start_s - arrival_s;
        waiting_total_s += waiting_s;
        expected.push(Expected {
            site: Some(stop.site),
            arrival_s,
            waiting_s,
            service_start_s,
            service_s,
            load: load.clone(),
            distance_m,
            travel_s,
        });
        time_s = service_start_s + service_s;
        previous_site = Some(stop.site);
    }
    // The end.
    let (leg_s, leg_m) = match (previous_site, vehicle.end_site) {
        (Some(from), Some(to)) => {
            let (from, to) = (
                problem.sites[from].matrix_index,
                problem.sites[to].matrix_index,
            );
            (
                vehicle.travel_duration_s(matrix.duration_s(from, to)),
                matrix.distance_m(from, to),
            )
        }
        _ => (0, 0),
    };
    if leg_s >= UNREACHABLE || leg_m >= UNREACHABLE {
        findings.push(Finding::new(&place, "unreachable end"));
        return Err(findings);
    }
    distance_m += leg_m;
    travel_s += leg_s;
    let end_s = time_s + leg_s;
    expected.push(Expected {
        site: vehicle.end_site,
        arrival_s: end_s,
        waiting_s: 0,
        service_start_s: end_s,
        service_s: 0,
        load: load.clone(),
        distance_m,
        travel_s,
    });
    let duration_s = end_s - departure_s;

    if end_s > vehicle.shift.end_s {
        findings.push(Finding::new(
            &place,
            format!("ends at {end_s} s after shift end {}", vehicle.shift.end_s),
        ));
    }
    let limits = [
        ("working time", vehicle.max_working_time_s, duration_s),
        ("travel time", vehicle.max_travel_time_s, travel_s),
        ("distance", vehicle.max_distance_m, distance_m),
    ];
    for (name, limit, value) in limits {
        if let Some(limit) = limit.filter(|limit| value > *limit) {
            findings.push(Finding::new(
                &place,
                format!("{name} {value} > max {limit}"),
            ));
        }
    }
    check_time_on_board(problem, tour, &expected, &place, &mut findings);

    // Compare with what the tour reports.
    for (position, (step, wanted)) in tour.steps.iter().zip(&expected).enumerate() {
        let reported = (
            step.site,
            step.arrival_s,
            step.waiting_s,
            step.service_start_s,
            step.service_s,
            &step.load,
            step.distance_m,
            step.travel_s,
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
        );
        let departure = wanted.service_start_s + wanted.service_s;
        if reported != recomputed || step.departure_s != departure {
            findings.push(Finding::new(
                format!("{place} step {position}"),
                format!("reports {reported:?} departing {}, recomputed {recomputed:?} departing {departure}", step.departure_s),
            ));
        }
    }
    let figures = TourFigures {
        cost_micro: vehicle
            .costs
            .tour_cost_micro(distance_m, travel_s, service_total_s),
        distance_m,
        travel_s,
        service_s: service_total_s,
        waiting_s: waiting_total_s,
        duration_s,
    };
    let reported = TourFigures {
        cost_micro: tour.cost_micro,
        distance_m: tour.distance_m,
        travel_s: tour.travel_s,
        service_s: tour.service_s,
        waiting_s: tour.waiting_s,
        duration_s: tour.duration_s,
    };
    if reported != figures {
        findings.push(Finding::new(
            &place,
            format!("reports {reported:?}, recomputed {figures:?}"),
        ));
    }
    if findings.is_empty() {
        Ok(figures)
    } else {
        Err(findings)
    }
}

fn check_time_on_board(
    problem: &Problem,
    tour: &Tour,
    expected: &[Expected],
    place: &str,
    findings: &mut Vec<Finding>,
) {
    for (pickup_position, step) in tour.steps.iter().enumerate() {
        let (Some(task_index), StepKind::Pickup) = (step.task, step.kind) else {
            continue;
        };
        let TaskKind::Shipment {
            max_time_on_board_s: Some(limit),
            ..
        } = problem.tasks[task_index].kind
        else {
            continue;
        };
        let delivery_position = tour
            .steps
            .iter()
            .position(|other| other.task == Some(task_index) && other.kind == StepKind::Delivery);
        if let Some(delivery_position) = delivery_position {
            let pickup = &expected[pickup_position];
            let on_board_s = expected[delivery_position].service_start_s
                - (pickup.service_start_s + pickup.service_s);
            if on_board_s > limit {
                findings.push(Finding::new(
                    format!("{place} task[{}]", problem.tasks[task_index].id),
                    format!("{on_board_s} s on board > max {limit}"),
                ));
            }
        }
    }
}
