//! The recomputation walk: drives a tour's visits in order from the start to the end,
//! step by step, and records what every step must report (site, times, load, running
//! distance and driving) with the tour's running figures. Limits that need the whole
//! tour are checked afterwards by the caller; only the rules that make going further
//! meaningless (an unreachable leg, every window closed) stop the walk.

use super::finding::Finding;
use super::schedule::{Leg, Legs, departure_s, first_window_start};
use super::soft;
use super::visits::{Visit, trip_loads};
use crate::domain::{MAX_TOUR_COST_MICRO, TourFigures};

/// How far a step started from its soft window, and the price.
#[derive(Debug, Clone, Copy, Default)]
struct Deviation {
    late_s: i64,
    early_s: i64,
    penalty_micro: i64,
}

/// A recomputed step: its site and the figures the tour must report.
pub(super) struct Expected {
    pub site: Option<usize>,
    pub arrival_s: i64,
    pub waiting_s: i64,
    pub service_start_s: i64,
    pub service_s: i64,
    pub load: Vec<i64>,
    pub distance_m: i64,
    pub travel_s: i64,
    pub late_s: i64,
    pub early_s: i64,
    pub penalty_micro: i64,
}

/// A finished walk: every step, the figures, and the findings met on the way.
pub(super) struct Replayed {
    pub steps: Vec<Expected>,
    pub figures: TourFigures,
    pub end_s: i64,
    pub findings: Vec<Finding>,
}

/// Replays `visits` for `legs.vehicle`, serving early at soft windows or not;
/// `findings` are those found before the walk. On a stop, returns them with every
/// finding of the walk, the stopping one last.
pub(super) fn replay(
    legs: &Legs,
    visits: &[Visit],
    (place, serve_early): (&str, bool),
    findings: Vec<Finding>,
) -> Result<Replayed, Vec<Finding>> {
    let mut walk = Walk::depart(legs, visits, (place, serve_early), findings);
    for (index, visit) in visits.iter().enumerate() {
        if let Err(stop) = walk.visit(index + 1, visit) {
            walk.findings.push(stop);
            return Err(walk.findings);
        }
    }
    walk.end()
}

/// Where the vehicle is, when, with what on board, and what it has driven so far.
struct Walk<'a> {
    legs: &'a Legs<'a>,
    place: &'a str,
    serve_early: bool,
    /// The load each trip leaves with, the first already taken.
    trip_loads: std::vec::IntoIter<Vec<i64>>,
    departure_s: i64,
    time_s: i64,
    site: Option<usize>,
    load: Vec<i64>,
    /// Running distance, driving, service and waiting; cost and duration come at the end.
    figures: TourFigures,
    /// Running sum of the cost matrix's cells, currency units.
    matrix_cost: i64,
    steps: Vec<Expected>,
    findings: Vec<Finding>,
}

impl<'a> Walk<'a> {
    /// At the start site, ready to leave with the first trip's load.
    fn depart(
        legs: &'a Legs,
        visits: &[Visit],
        (place, serve_early): (&'a str, bool),
        findings: Vec<Finding>,
    ) -> Self {
        let mut trip_loads = trip_loads(visits, legs.problem.dimensions).into_iter();
        let departure_s = departure_s(legs, visits, serve_early);
        let mut walk = Walk {
            legs,
            place,
            serve_early,
            load: trip_loads.next().unwrap_or_default(),
            trip_loads,
            departure_s,
            time_s: departure_s,
            site: legs.vehicle.start_site,
            figures: TourFigures::default(),
            matrix_cost: 0,
            steps: Vec::new(),
            findings,
        };
        walk.record_still(walk.site, departure_s);
        walk.check_load(0);
        walk
    }

    /// Drives to `visit`, waits for its window, serves it; `Err` when it cannot be reached
    /// in time, which leaves every later step undefined.
    fn visit(&mut self, position: usize, visit: &Visit) -> Result<(), Finding> {
        let Some(site) = visit.site else {
            return self.rest(position, visit);
        };
        let leg = self.legs.between(self.site, Some(site));
        if leg.unreachable() {
            return Err(Finding::new(self.step_place(position), "unreachable leg"));
        }
        let arrival_s = self.time_s + leg.duration_s;
        let (service_start_s, deviation) = self.start(position, visit, site, arrival_s)?;
        let service_s = self.setup_s(visit) + visit.service_s;
        if visit.reload {
            self.reload();
        }
        for (l, c) in self.load.iter_mut().zip(&visit.change) {
            *l += c;
        }
        self.check_load(position);
        self.drive(leg);
        self.figures.service_s += service_s;
        let waiting_s = service_start_s - arrival_s;
        self.figures.waiting_s += waiting_s;
        self.figures.late_s += deviation.late_s;
        self.figures.early_s += deviation.early_s;
        self.figures.penalty_micro += deviation.penalty_micro;
        self.steps.push(Expected {
            site: Some(site),
            arrival_s,
            waiting_s,
            service_start_s,
            service_s,
            load: self.load.clone(),
            distance_m: self.figures.distance_m,
            travel_s: self.figures.travel_s,
            late_s: deviation.late_s,
            early_s: deviation.early_s,
            penalty_micro: deviation.penalty_micro,
        });
        self.time_s = service_start_s + service_s;
        self.site = Some(site);
        Ok(())
    }

    /// A driver's break where the vehicle stands: it starts inside one of its windows
    /// (waiting for the first still open) with no more than its `max_load` on board,
    /// and lasts its duration, counted as service.
    fn rest(&mut self, position: usize, visit: &Visit) -> Result<(), Finding> {
        let Some(driver_break) = visit.driver_break else {
            return Err(Finding::new(
                self.step_place(position),
                "a visit without a site",
            ));
        };
        let Some(service_start_s) = first_window_start(visit.windows, self.time_s) else {
            return Err(Finding::new(
                self.step_place(position),
                format!(
                    "break {} at {} s, after every one of its windows",
                    driver_break.id, self.time_s
                ),
            ));
        };
        if let Some(max_load) = &driver_break.max_load
            && self.load.iter().zip(max_load).any(|(l, m)| l > m)
        {
            self.findings.push(Finding::new(
                self.step_place(position),
                format!(
                    "break {} with load {:?} above its max_load {max_load:?}",
                    driver_break.id, self.load
                ),
            ));
        }
        let waiting_s = service_start_s - self.time_s;
        self.figures.service_s += visit.service_s;
        self.figures.waiting_s += waiting_s;
        self.steps.push(Expected {
            site: self.site,
            arrival_s: self.time_s,
            waiting_s,
            service_start_s,
            service_s: visit.service_s,
            load: self.load.clone(),
            distance_m: self.figures.distance_m,
            travel_s: self.figures.travel_s,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
        });
        self.time_s = service_start_s + visit.service_s;
        Ok(())
    }

    /// The service start of `visit` at `site` reached at `arrival_s`, and how late or
    /// early it is (nothing for hard windows); `Err` when every window has passed,
    /// which for soft windows means later than the maximum lateness allows.
    fn start(
        &self,
        position: usize,
        visit: &Visit,
        site: usize,
        arrival_s: i64,
    ) -> Result<(i64, Deviation), Finding> {
        let site_id = &self.legs.problem.sites[site].id;
        if visit.soft.is_empty() {
            let Some(start_s) = first_window_start(visit.windows, arrival_s) else {
                return Err(Finding::new(
                    self.step_place(position),
                    format!("arrival {arrival_s} s after every window of site {site_id}"),
                ));
            };
            return Ok((start_s, Deviation::default()));
        }
        match soft::start(visit.windows, visit.soft, arrival_s, self.serve_early) {
            Ok(start) => Ok((
                start.start_s,
                Deviation {
                    late_s: start.late_s,
                    early_s: start.early_s,
                    penalty_micro: start.penalty_micro,
                },
            )),
            Err(too_late) => Err(Finding::new(
                self.step_place(position),
                format!(
                    "arrival {arrival_s} s is {} s after the window of site {site_id}, past its maximum lateness {} s",
                    arrival_s.saturating_sub(too_late.end_s),
                    too_late.max_late_s
                ),
            )),
        }
    }

    /// Setup is paid only when the vehicle comes from another site.
    fn setup_s(&self, visit: &Visit) -> i64 {
        if self.site == visit.site {
            0
        } else {
            visit.setup_s
        }
    }

    /// A new trip starts: whatever the last trip still held is unloaded at the hub and
    /// the next trip's load taken on.
    fn reload(&mut self) {
        self.load = self.trip_loads.next().unwrap_or_default();
    }

    fn drive(&mut self, leg: Leg) {
        self.figures.distance_m += leg.distance_m;
        self.figures.travel_s += leg.duration_s;
        self.matrix_cost += leg.cost;
    }

    /// Drives to the end site (none for an open end) and closes the figures.
    fn end(mut self) -> Result<Replayed, Vec<Finding>> {
        let vehicle = self.legs.vehicle;
        let leg = self.legs.between(self.site, vehicle.end_site);
        if leg.unreachable() {
            self.findings
                .push(Finding::new(self.place, "unreachable end"));
            return Err(self.findings);
        }
        self.drive(leg);
        let end_s = self.time_s + leg.duration_s;
        self.record_still(vehicle.end_site, end_s);
        let figures = &mut self.figures;
        figures.duration_s = end_s - self.departure_s;
        let driving_micro = vehicle.costs.tour_cost_micro(
            figures.distance_m,
            figures.travel_s,
            figures.service_s,
            self.matrix_cost,
        );
        figures.cost_micro = driving_micro
            .saturating_add(figures.penalty_micro)
            .min(MAX_TOUR_COST_MICRO);
        Ok(Replayed {
            steps: self.steps,
            figures: self.figures,
            end_s,
            findings: self.findings,
        })
    }

    /// The start or the end: a step with neither waiting nor service.
    fn record_still(&mut self, site: Option<usize>, time_s: i64) {
        self.steps.push(Expected {
            site,
            arrival_s: time_s,
            waiting_s: 0,
            service_start_s: time_s,
            service_s: 0,
            load: self.load.clone(),
            distance_m: self.figures.distance_m,
            travel_s: self.figures.travel_s,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
        });
    }

    /// A negative load means goods delivered that were never on board.
    fn check_load(&mut self, position: usize) {
        let capacity = &self.legs.vehicle.capacity;
        let load = &self.load;
        if load.iter().zip(capacity).any(|(l, c)| l > c) || load.iter().any(|l| *l < 0) {
            self.findings.push(Finding::new(
                self.step_place(position),
                format!("load {load:?} outside capacity {capacity:?}"),
            ));
        }
    }

    fn step_place(&self, position: usize) -> String {
        format!("{} step {position}", self.place)
    }
}
