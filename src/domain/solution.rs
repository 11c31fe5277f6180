//! A solved plan: tours with their schedule, unassigned tasks with reasons, totals.

use super::problem::{Amount, Objective};

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Leaves the start site.
    Start,
    /// A single-stop job.
    Job,
    /// A shipment is loaded.
    Pickup,
    /// A shipment is unloaded.
    Delivery,
    /// End of the tour.
    End,
    /// Reload at the hub between two trips.
    Reload,
    /// The driver's break, where the previous step left the vehicle.
    Break,
}

/// One step of a tour with its schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct TourStep {
    /// What happens.
    pub kind: StepKind,
    /// Task index (None for start and end).
    pub task: Option<usize>,
    /// Index of the break in its vehicle's `breaks` (a break step only).
    pub driver_break: Option<usize>,
    /// Site index (None for an open start or end).
    pub site: Option<usize>,
    /// Arrival, seconds.
    pub arrival_s: i64,
    /// Waiting before service, seconds.
    pub waiting_s: i64,
    /// Service start, seconds.
    pub service_start_s: i64,
    /// Setup + service, seconds.
    pub service_s: i64,
    /// Departure, seconds.
    pub departure_s: i64,
    /// Load after the step.
    pub load: Amount,
    /// Distance since the start, metres.
    pub distance_m: i64,
    /// Driving time since the start, seconds.
    pub travel_s: i64,
    /// Seconds the service started after its soft window closed.
    pub late_s: i64,
    /// Seconds the service started before its soft window opened.
    pub early_s: i64,
    /// What that lateness and earliness cost, micro-currency.
    pub penalty_micro: i64,
    /// Plan mode: the rules this step breaks (empty otherwise).
    pub violations: Vec<super::route::RouteViolation>,
    /// The leg of a transferred shipment this pickup or delivery serves (`None`: a
    /// shipment served direct, or not a shipment's step).
    pub transfer_leg: Option<super::transfer::TransferLeg>,
}

/// The figures of a tour; a plan's summary and the pooling report sum them. The
/// solver, the checker and every answer format share this one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct TourFigures {
    /// Cost, micro-currency.
    pub cost_micro: i64,
    /// Distance, metres.
    pub distance_m: i64,
    /// Driving time, seconds.
    pub travel_s: i64,
    /// Setup + service time, seconds.
    pub service_s: i64,
    /// Waiting time, seconds.
    pub waiting_s: i64,
    /// Departure to end (working time), seconds.
    pub duration_s: i64,
    /// Seconds late at soft windows, summed over the steps.
    pub late_s: i64,
    /// Seconds early at soft windows, summed over the steps.
    pub early_s: i64,
    /// Soft-window penalties, micro-currency; part of `cost_micro`.
    pub penalty_micro: i64,
}

impl TourFigures {
    /// Adds `other` figure by figure.
    pub fn add(&mut self, other: &TourFigures) {
        self.cost_micro += other.cost_micro;
        self.distance_m += other.distance_m;
        self.travel_s += other.travel_s;
        self.service_s += other.service_s;
        self.waiting_s += other.waiting_s;
        self.duration_s += other.duration_s;
        self.late_s += other.late_s;
        self.early_s += other.early_s;
        self.penalty_micro += other.penalty_micro;
    }

    /// The figure `objective` minimises (cost for the vehicles-first objective too).
    #[inline]
    pub fn objective(&self, objective: Objective) -> i64 {
        match objective {
            Objective::Cost | Objective::Vehicles => self.cost_micro,
            Objective::Distance => self.distance_m,
            Objective::Duration => self.duration_s,
        }
    }
}

/// One used vehicle's tour.
#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    /// Vehicle index.
    pub vehicle: usize,
    /// Index of the shift in the vehicle's `shifts` it is driven on; `None` for a
    /// vehicle without shifts.
    pub shift: Option<usize>,
    /// Steps, start and end included.
    pub steps: Vec<TourStep>,
    /// Its figures.
    pub figures: TourFigures,
    /// Plan mode: the rules the tour breaks, each cause once, delays and lead times
    /// summed (empty otherwise).
    pub violations: Vec<super::route::RouteViolation>,
}

/// Why a task was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnassignedReason {
    /// No vehicle has the skills.
    Skills,
    /// Too big for every compatible vehicle.
    Capacity,
    /// Windows and shifts cannot be met.
    TimeWindows,
    /// Maximum time on board cannot be met.
    MaxTimeOnBoard,
    /// Working time, travel time, distance or stop limits rule every vehicle out.
    VehicleLimits,
    /// Unreachable in the travel matrix.
    Unreachable,
    /// Could be served alone, but the fleet is full.
    FleetFull,
    /// Could be served alone, but every vehicle that could carries goods it must not
    /// travel with.
    IncompatibleGoods,
    /// The drivers' breaks cannot be placed on any compatible vehicle's tour with it.
    Breaks,
    /// Plan mode: no given route visits it.
    NotInPlan,
}

impl UnassignedReason {
    /// The reason in words.
    pub fn message(&self) -> &'static str {
        match self {
            UnassignedReason::Skills => "no vehicle has every required skill",
            UnassignedReason::Capacity => "the amount exceeds every compatible vehicle's capacity",
            UnassignedReason::TimeWindows => {
                "no compatible vehicle can reach the stops within their windows and its shift"
            }
            UnassignedReason::MaxTimeOnBoard => {
                "no compatible vehicle can keep the goods within their maximum time on board"
            }
            UnassignedReason::VehicleLimits => {
                "every compatible vehicle's working time, travel time, distance or stop limit rules it out"
            }
            UnassignedReason::Unreachable => "the stops cannot be reached from the vehicles' sites",
            UnassignedReason::FleetFull => {
                "a vehicle could serve it alone, but the fleet is full with other tasks"
            }
            UnassignedReason::IncompatibleGoods => {
                "every vehicle that could serve it alone carries goods it must not travel with"
            }
            UnassignedReason::Breaks => {
                "no compatible vehicle can take its driver's breaks on a tour with it"
            }
            UnassignedReason::NotInPlan => "plan mode: no given route visits it",
        }
    }

    /// Short code used in VROOM-format output.
    pub fn code(&self) -> &'static str {
        match self {
            UnassignedReason::Skills => "skills",
            UnassignedReason::Capacity => "capacity",
            UnassignedReason::TimeWindows => "time_windows",
            UnassignedReason::MaxTimeOnBoard => "max_time_on_board",
            UnassignedReason::VehicleLimits => "vehicle_limits",
            UnassignedReason::Unreachable => "unreachable",
            UnassignedReason::FleetFull => "fleet_full",
            UnassignedReason::IncompatibleGoods => "incompatible_goods",
            UnassignedReason::Breaks => "breaks",
            UnassignedReason::NotInPlan => "not_in_plan",
        }
    }
}

/// A task left out, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// Task index.
    pub task: usize,
    /// Why.
    pub reason: UnassignedReason,
}

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StopReason {
    /// Iteration limit.
    #[default]
    MaxIterations,
    /// No improvement for long.
    NoImprovement,
    /// Time limit: best so far.
    TimeLimit,
    /// Client deadline: best so far.
    Deadline,
    /// Cancelled: best so far.
    Cancelled,
}

/// Totals of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Its tours' figures, summed.
    pub figures: TourFigures,
    /// Vehicles used.
    pub vehicles_used: usize,
    /// Tasks left out.
    pub unassigned: usize,
    /// The longest working time of a used vehicle, seconds (0 without tours).
    pub longest_working_s: i64,
    /// The shortest working time of a used vehicle, seconds (0 without tours).
    pub shortest_working_s: i64,
}

impl Summary {
    /// Counts one more tour with `figures`.
    pub fn count_tour(&mut self, figures: &TourFigures) {
        self.figures.add(figures);
        let working_s = figures.duration_s;
        if self.vehicles_used == 0 {
            (self.longest_working_s, self.shortest_working_s) = (working_s, working_s);
        } else {
            self.longest_working_s = self.longest_working_s.max(working_s);
            self.shortest_working_s = self.shortest_working_s.min(working_s);
        }
        self.vehicles_used += 1;
    }
}

/// A plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Solution {
    /// Tours of used vehicles.
    pub tours: Vec<Tour>,
    /// Tasks left out.
    pub unassigned: Vec<Unassigned>,
    /// Totals.
    pub summary: Summary,
    /// Why the search stopped.
    pub stop_reason: StopReason,
    /// Search iterations, all parallel searches together.
    pub iterations: u64,
    /// Wall time, milliseconds.
    pub elapsed_ms: u64,
}

impl Solution {
    /// Recomputes `summary` from the tours and the unassigned list.
    pub fn summarise(&mut self) {
        let mut summary = Summary {
            unassigned: self.unassigned.len(),
            ..Summary::default()
        };
        for tour in &self.tours {
            summary.count_tour(&tour.figures);
        }
        self.summary = summary;
    }
}
