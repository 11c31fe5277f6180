//! Given routes: a vehicle's stops as a client already planned them (VROOM's
//! `vehicles[].steps`). They seed the search, carry the locks a re-optimisation keeps,
//! and in plan mode are the plan itself. Also what plan mode reports of them: the
//! rules a given route breaks ([`RouteViolation`]).

/// One vehicle's given route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialRoute {
    /// Vehicle index.
    pub vehicle: usize,
    /// Its stops, in order.
    pub stops: Vec<RouteStop>,
}

/// What a given stop visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// The vehicle's start (only its timing constraints matter).
    Start,
    /// Stop `which` of task `task` (0: a job or a pickup, 1: a delivery).
    Task {
        /// Task index.
        task: usize,
        /// Which stop of the task.
        which: usize,
    },
    /// The vehicle's break of this index (into `Vehicle::breaks`).
    Break(usize),
    /// The vehicle's end (only its timing constraints matter).
    End,
}

/// What a re-optimisation keeps of a given task stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lock {
    /// Nothing: the stop may move anywhere or be left out.
    #[default]
    Free,
    /// The task stays on this vehicle, anywhere in its route.
    OnVehicle,
    /// The task stays on this vehicle, and the vehicle's `InSequence` stops keep their
    /// relative order.
    InSequence,
}

/// One stop of a given route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteStop {
    /// What it visits.
    pub visit: Visit,
    /// What a re-optimisation keeps.
    pub lock: Lock,
    /// Plan mode: service starts exactly then, seconds.
    pub service_at_s: Option<i64>,
    /// Plan mode: service starts no earlier, seconds.
    pub service_after_s: Option<i64>,
    /// Plan mode: service starts no later, seconds.
    pub service_before_s: Option<i64>,
}

/// Why a given route breaks a rule, in VROOM's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViolationCause {
    /// Service starts before its window (or the vehicle leaves before its shift).
    LeadTime,
    /// Service starts after its window (or the vehicle ends after its shift).
    Delay,
    /// The load exceeds the capacity.
    Load,
    /// More tasks than `max_stops`.
    MaxTasks,
    /// The vehicle lacks a skill of the task.
    Skills,
    /// A delivery without its pickup before it, or a pickup without its delivery.
    Precedence,
    /// A break of the vehicle is not in its route.
    MissingBreak,
    /// More driving than `max_travel_time_s`.
    MaxTravelTime,
    /// More on board during a break than its `max_load`.
    MaxLoad,
    /// Longer than `max_distance_m`.
    MaxDistance,
}

impl ViolationCause {
    /// VROOM's name of the cause.
    pub fn code(self) -> &'static str {
        match self {
            ViolationCause::LeadTime => "lead_time",
            ViolationCause::Delay => "delay",
            ViolationCause::Load => "load",
            ViolationCause::MaxTasks => "max_tasks",
            ViolationCause::Skills => "skills",
            ViolationCause::Precedence => "precedence",
            ViolationCause::MissingBreak => "missing_break",
            ViolationCause::MaxTravelTime => "max_travel_time",
            ViolationCause::MaxLoad => "max_load",
            ViolationCause::MaxDistance => "max_distance",
        }
    }
}

/// A rule a given route breaks, at a step or over a whole tour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteViolation {
    /// Which rule.
    pub cause: ViolationCause,
    /// Lateness (`Delay`) or earliness (`LeadTime`), seconds; `None` for the others.
    pub duration_s: Option<i64>,
}
