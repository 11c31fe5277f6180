//! The timing of one given route: when each step is reached, waits and is served, and
//! how early or late it is. Two drives of the route: the first from the start of the
//! shift, every stop as early as it can be, picks each stop's window and gives the
//! legs; `schedule` then chooses the service starts as VROOM does, and the second
//! drive serves at them and writes the steps. Should the program find no answer, the
//! second drive leaves as late as keeps every stop as early as in the first (no more
//! waiting than needed). A step served before its window gets its `lead_time`, after
//! it (or its `service_before`) its `delay`, here; the other rules are
//! `violations.rs`'s.

use super::job_delivery;
use super::schedule::{self, Slot, Times};
use crate::domain::{
    InitialRoute, Problem, RouteViolation, StepKind, TaskKind, TimeWindow, Tour, TourFigures,
    TourStep, TravelMatrix, ViolationCause, Visit,
};

/// A step of the route as the timing sees it.
struct Node<'a> {
    kind: StepKind,
    task: Option<usize>,
    driver_break: Option<usize>,
    /// Where it is served; `None` for a break (served where the vehicle is).
    site: Option<usize>,
    windows: &'a [TimeWindow],
    /// Service (a break's duration), setup not included.
    service_s: i64,
    /// Load change, per dimension.
    change: Vec<i64>,
    /// `service_at` / `service_after`.
    after_s: Option<i64>,
    /// `service_at` / `service_before`.
    before_s: Option<i64>,
}

/// `route` timed on `matrix`: its tour, with `delay` violations on late steps.
pub fn time(problem: &Problem, matrix: &TravelMatrix, route: &InitialRoute) -> Tour {
    let nodes: Vec<Node> = route
        .stops
        .iter()
        .filter_map(|stop| node(problem, route.vehicle, stop))
        .collect();
    let shift = problem.vehicles[route.vehicle].shift;
    let route_of = (problem, matrix, route.vehicle, &nodes[..]);
    let first = drive(route_of, shift.start_s, None);
    let times = schedule::choose(shift, &first.slots, first.end_leg_s).unwrap_or_else(|| Times {
        departure_s: shift.start_s + first.put_off_s.max(0),
        starts_s: Vec::new(),
    });
    let planned = Some((&times.starts_s[..], &first.slots[..]));
    let mut tour = drive(route_of, times.departure_s, planned).tour;
    if let Some(start) = tour.steps.first_mut()
        && times.departure_s < shift.start_s
    {
        start.violations.push(RouteViolation {
            cause: ViolationCause::LeadTime,
            duration_s: Some(shift.start_s - times.departure_s),
        });
    }
    let shift_end_s = shift.end_s;
    if let Some(end) = tour.steps.last_mut()
        && end.arrival_s > shift_end_s
    {
        end.violations.push(RouteViolation {
            cause: ViolationCause::Delay,
            duration_s: Some(end.arrival_s - shift_end_s),
        });
    }
    tour
}

/// The node of `stop` (none for the start and the end, which every tour has anyway).
fn node<'a>(
    problem: &'a Problem,
    vehicle: usize,
    stop: &crate::domain::RouteStop,
) -> Option<Node<'a>> {
    let after_s = stop.service_at_s.or(stop.service_after_s);
    let before_s = stop.service_at_s.or(stop.service_before_s);
    let (kind, task, driver_break, task_stop, change) = match stop.visit {
        Visit::Start | Visit::End => return None,
        Visit::Break(index) => {
            let driver_break = &problem.vehicles[vehicle].breaks[index];
            return Some(Node {
                kind: StepKind::Break,
                task: None,
                driver_break: Some(index),
                site: None,
                windows: &driver_break.windows,
                service_s: driver_break.duration_s,
                change: vec![0; problem.dimensions],
                after_s,
                before_s,
            });
        }
        Visit::Task { task, which } => match &problem.tasks[task].kind {
            TaskKind::Job {
                stop,
                delivery,
                pickup,
            } => {
                let change = pickup.iter().zip(delivery).map(|(p, d)| p - d).collect();
                (StepKind::Job, task, None::<usize>, stop, change)
            }
            TaskKind::Shipment {
                pickup,
                delivery,
                amount,
                ..
            } => match which {
                0 => (StepKind::Pickup, task, None, pickup, amount.clone()),
                _ => {
                    let change = amount.iter().map(|a| -a).collect();
                    (StepKind::Delivery, task, None, delivery, change)
                }
            },
        },
    };
    Some(Node {
        kind,
        task: Some(task),
        driver_break,
        site: Some(task_stop.site),
        windows: &task_stop.time_windows,
        service_s: task_stop.service_s,
        change,
        after_s,
        before_s,
    })
}

/// A drive of the route: the tour, how long its departure could be put off, and the
/// steps as `schedule` sees them.
struct Drive {
    tour: Tour,
    put_off_s: i64,
    slots: Vec<Slot>,
    end_leg_s: i64,
}

/// The route to drive: the problem, the vehicle's matrix, the vehicle, its nodes.
type RouteOf<'a> = (&'a Problem, &'a TravelMatrix, usize, &'a [Node<'a>]);

/// Drives the route leaving at `departure_s`, every stop served as early as it can be,
/// or at the start `planned` for it (no earlier than reached) in the window it had.
fn drive(
    (problem, matrix, vehicle_index, nodes): RouteOf,
    departure_s: i64,
    planned: Option<(&[i64], &[Slot])>,
) -> Drive {
    let vehicle = &problem.vehicles[vehicle_index];
    let leg = |from: Option<usize>, to: Option<usize>| match (from, to) {
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
    let mut load = starting_load(problem, nodes);
    let mut walk = Walk {
        site: vehicle.start_site,
        time_s: departure_s,
        figures: TourFigures::default(),
        waited_s: 0,
        put_off_s: i64::MAX,
        steps: Vec::with_capacity(nodes.len() + 2),
        slots: Vec::with_capacity(nodes.len()),
    };
    walk.still(StepKind::Start, vehicle.start_site, &load);
    for (index, node) in nodes.iter().enumerate() {
        let to = node.site.or(walk.site);
        let (duration_s, distance_m) = match node.site {
            Some(_) => leg(walk.site, to),
            None => (0, 0),
        };
        for (l, c) in load.iter_mut().zip(&node.change) {
            *l += c;
        }
        let setup_s = match (node.site, node.task) {
            (Some(site), Some(_)) if walk.site != Some(site) => problem.sites[site].setup_s,
            _ => 0,
        };
        let plan =
            planned.and_then(|(starts, slots)| Some((*starts.get(index)?, *slots.get(index)?)));
        walk.serve(node, to, (duration_s, distance_m, setup_s), &load, plan);
    }
    let end_site = vehicle.end_site;
    let (duration_s, distance_m) = leg(walk.site, end_site);
    walk.figures.travel_s += duration_s;
    walk.figures.distance_m += distance_m;
    walk.time_s += duration_s;
    let put_off_s = walk.put_off_s.min(walk.waited_s);
    walk.still(StepKind::End, end_site.or(walk.site), &load);
    let mut figures = walk.figures;
    figures.duration_s = walk.time_s - departure_s;
    let matrix_cost = matrix_cost(problem, matrix, &walk.steps);
    figures.cost_micro = vehicle.costs.tour_cost_micro(
        figures.distance_m,
        figures.travel_s,
        figures.service_s,
        matrix_cost,
    );
    Drive {
        tour: Tour {
            vehicle: vehicle_index,
            shift: None,
            steps: walk.steps,
            figures,
            violations: Vec::new(),
        },
        put_off_s,
        slots: walk.slots,
        end_leg_s: duration_s,
    }
}

/// Where the drive is, and what it has done so far.
struct Walk {
    site: Option<usize>,
    time_s: i64,
    figures: TourFigures,
    /// Waiting so far, seconds.
    waited_s: i64,
    /// The most the departure can be put off by so far, seconds.
    put_off_s: i64,
    steps: Vec<TourStep>,
    /// The steps served so far, as `schedule` sees them.
    slots: Vec<Slot>,
}

impl Walk {
    /// A step where nothing is served (start, end).
    fn still(&mut self, kind: StepKind, site: Option<usize>, load: &[i64]) {
        self.steps.push(TourStep {
            kind,
            task: None,
            driver_break: None,
            site,
            arrival_s: self.time_s,
            waiting_s: 0,
            service_start_s: self.time_s,
            service_s: 0,
            departure_s: self.time_s,
            load: load.to_vec(),
            distance_m: self.figures.distance_m,
            travel_s: self.figures.travel_s,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
            violations: Vec::new(),
            transfer_leg: None,
        });
    }

    /// Drives the leg to `node` at `site`, waits for its window (or its `planned` start,
    /// in the window it had) and serves it.
    fn serve(
        &mut self,
        node: &Node,
        site: Option<usize>,
        (leg_s, leg_m, setup_s): (i64, i64, i64),
        load: &[i64],
        planned: Option<(i64, Slot)>,
    ) {
        self.figures.travel_s += leg_s;
        self.figures.distance_m += leg_m;
        let arrival_s = self.time_s + leg_s;
        let earliest_s = arrival_s.max(node.after_s.unwrap_or(i64::MIN));
        let window = node.windows.iter().find(|w| w.end_s >= earliest_s);
        let (start_s, open_s, window_end_s) = match (planned, window) {
            (Some((start_s, slot)), _) => (start_s.max(arrival_s), slot.open_s, slot.close_s),
            (None, Some(w)) => (earliest_s.max(w.start_s), w.start_s, w.end_s),
            (None, None) => {
                let closed_s = node.windows.last().map_or(i64::MAX, |w| w.end_s);
                (earliest_s, i64::MIN, closed_s)
            }
        };
        let latest_s = window_end_s.min(node.before_s.unwrap_or(i64::MAX));
        self.slots.push(Slot {
            leg_s,
            action_s: setup_s + node.service_s,
            open_s,
            close_s: window_end_s,
            after_s: node.after_s,
            before_s: node.before_s,
        });
        let waiting_s = start_s - arrival_s;
        // Putting the departure off by more than the waiting so far, this one's
        // included, and the slack left in the window would make this stop later.
        let slack_s = latest_s.saturating_sub(start_s).max(0);
        self.put_off_s = self
            .put_off_s
            .min((self.waited_s + waiting_s).saturating_add(slack_s));
        self.waited_s += waiting_s;
        let service_s = setup_s + node.service_s;
        self.figures.waiting_s += waiting_s;
        self.figures.service_s += service_s;
        self.time_s = start_s + service_s;
        self.site = site;
        let mut violations = Vec::new();
        if start_s < open_s {
            violations.push(RouteViolation {
                cause: ViolationCause::LeadTime,
                duration_s: Some(open_s - start_s),
            });
        }
        if start_s > latest_s {
            violations.push(RouteViolation {
                cause: ViolationCause::Delay,
                duration_s: Some(start_s - latest_s),
            });
        }
        self.steps.push(TourStep {
            kind: node.kind,
            task: node.task,
            driver_break: node.driver_break,
            site: node.site,
            arrival_s,
            waiting_s,
            service_start_s: start_s,
            service_s,
            departure_s: self.time_s,
            load: load.to_vec(),
            distance_m: self.figures.distance_m,
            travel_s: self.figures.travel_s,
            late_s: 0,
            early_s: 0,
            penalty_micro: 0,
            violations,
            transfer_leg: None,
        });
    }
}

/// What a profile's cost matrix charges for the legs of `steps`, driven site to site
/// (0 without a cost matrix).
fn matrix_cost(problem: &Problem, matrix: &TravelMatrix, steps: &[TourStep]) -> i64 {
    let sites: Vec<usize> = steps.iter().filter_map(|step| step.site).collect();
    sites
        .windows(2)
        .map(|pair| {
            let index = |site: usize| problem.sites[site].matrix_index;
            matrix.cost(index(pair[0]), index(pair[1]))
        })
        .sum()
}

/// What the van carries when it leaves: every job's delivery on the route.
fn starting_load(problem: &Problem, nodes: &[Node]) -> Vec<i64> {
    let mut load = vec![0; problem.dimensions];
    for node in nodes.iter().filter(|node| node.kind == StepKind::Job) {
        if let Some(task) = node.task {
            for (l, d) in load.iter_mut().zip(job_delivery(problem, task)) {
                *l += d;
            }
        }
    }
    load
}
