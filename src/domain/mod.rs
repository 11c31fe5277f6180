//! The domain: what users speak (sites, producers, vehicles, shipments, jobs) in plain
//! Rust types with integer units, and the solution. No IO, no protobuf. A `Problem` is
//! only built by `validate`, so every index in it is valid.

mod costs;
mod problem;
mod shift;
mod soft_window;
mod route;
mod solution;
mod time_window;
mod tour_slots;
mod transfer;
mod travel;

pub use problem::{
    Amount, COALITION_ITERATION_BUDGET, Costs, DEFAULT_CO2_KG_PER_KM, MAX_TOUR_COST_MICRO,
    Objective, PoolingOptions, Problem, Producer, Reload, SearchOptions, Site, SiteKind, Task,
    TaskKind, TaskStop, Vehicle, currency, micro_currency,
};
pub use route::{InitialRoute, Lock, RouteStop, RouteViolation, ViolationCause, Visit};
pub use shift::{Break, DAY_S, Shift, day_of};
pub use soft_window::{SoftStart, Softness, soft_start};
pub use solution::{
    Solution, StepKind, StopReason, Summary, Tour, TourFigures, TourStep, Unassigned,
    UnassignedReason,
};
pub use time_window::{HORIZON_S, TimeWindow, earliest_start_s, earliest_window_s};
pub use transfer::{TransferLeg, TransferPoint};
pub use travel::{
    DEFAULT_DETOUR_FACTOR, DEFAULT_MAX_SNAP_DISTANCE_M, DEFAULT_OSRM_MAX_TABLE_SIZE,
    DEFAULT_OSRM_TIMEOUT_MS, DEFAULT_STRAIGHT_LINE_SPEED_KMH, TravelMatrix, TravelSource,
    UNREACHABLE,
};
