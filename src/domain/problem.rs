//! The validated problem: sites, producers, vehicles and tasks with dense indices.

use super::shift::{Break, Shift};
use super::soft_window::Softness;
use super::time_window::TimeWindow;
use super::travel::{TravelSource, UNREACHABLE};

/// An amount or a capacity: one integer per dimension (crates, kg, …).
pub type Amount = Vec<i64>;

/// What a site is for (reports and maps only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// Not stated.
    Other,
    /// A producer's farm.
    Farm,
    /// A food hub or depot.
    Hub,
    /// A pickup point (point de retrait, AMAP, shop).
    PickupPoint,
}

/// A place vehicles start from, end at or stop at.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// External id, echoed back.
    pub id: String,
    /// Human-readable name (may be empty).
    pub name: String,
    /// What the site is.
    pub kind: SiteKind,
    /// Latitude and longitude in degrees, when given.
    pub coordinates_deg: Option<(f64, f64)>,
    /// Row/column of this site in the travel matrices.
    pub matrix_index: usize,
    /// Opening windows, sorted by start; empty means always open.
    pub opening_windows: Vec<TimeWindow>,
    /// Time spent once on arrival, seconds.
    pub setup_s: i64,
    /// Default service time per stop, seconds.
    pub service_s: i64,
}

/// A producer: owns goods and possibly vehicles.
#[derive(Debug, Clone, PartialEq)]
pub struct Producer {
    /// External id.
    pub id: String,
    /// Human-readable name (may be empty).
    pub name: String,
}

pub use super::costs::{Costs, MAX_TOUR_COST_MICRO, currency, micro_currency};

/// A vehicle of the fleet.
#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    /// External id.
    pub id: String,
    /// Free text for people, returned as given.
    pub description: String,
    /// Owning producer, if any.
    pub producer: Option<usize>,
    /// Start site; `None`: the tour starts at its first stop.
    pub start_site: Option<usize>,
    /// End site; `None`: open end.
    pub end_site: Option<usize>,
    /// Capacity per dimension.
    pub capacity: Amount,
    /// Skills, sorted and deduplicated.
    pub skills: Vec<String>,
    /// Working shift.
    pub shift: TimeWindow,
    /// Maximum working time (departure to end), seconds.
    pub max_working_time_s: Option<i64>,
    /// Maximum driving time, seconds.
    pub max_travel_time_s: Option<i64>,
    /// Maximum distance, metres.
    pub max_distance_m: Option<i64>,
    /// Maximum number of task stops.
    pub max_stops: Option<usize>,
    /// Costs of use.
    pub costs: Costs,
    /// Travel durations are divided by this factor (> 0).
    pub speed_factor: f64,
    /// Index into `Problem::profiles`.
    pub profile: usize,
    /// Reloads between trips; `None`: one trip.
    pub reload: Option<Reload>,
    /// The driver's breaks, sorted by their first window's start (the order a tour
    /// takes them in); each is taken once on a used tour.
    pub breaks: Vec<Break>,
    /// Shifts over the horizon, none overlapping, sorted by start; each used one is a
    /// tour of its own. Empty: one tour within `shift`.
    pub shifts: Vec<Shift>,
}

/// Where and how a vehicle reloads between trips: it unloads what its jobs collected
/// and loads the next trip's job deliveries; shipments stay on board.
#[derive(Debug, Clone, PartialEq)]
pub struct Reload {
    /// Site index of the hub.
    pub site: usize,
    /// Time spent at each reload, seconds.
    pub duration_s: i64,
    /// Most trips in the shift (≥ 2; `usize::MAX`: unlimited).
    pub max_trips: usize,
}

impl Vehicle {
    /// This vehicle's travel time for a profile duration `base_s`, seconds: divided by
    /// the speed factor and rounded; unreachable stays unreachable.
    pub fn travel_duration_s(&self, base_s: i64) -> i64 {
        if base_s >= UNREACHABLE || self.speed_factor == 1.0 {
            return base_s;
        }
        (base_s as f64 / self.speed_factor).round() as i64
    }
}

/// One end of a task, resolved against its site.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStop {
    /// Site index.
    pub site: usize,
    /// Service time, seconds.
    pub service_s: i64,
    /// Windows for the service start, sorted; empty means always open.
    pub time_windows: Vec<TimeWindow>,
    /// How far each window may be missed (one per window, in order); empty when every
    /// window is hard, the common case that the solver's fast paths keep for itself.
    pub soft: Vec<Softness>,
    /// Free text for people, returned as given.
    pub description: String,
}

/// What a task asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskKind {
    /// Picked up at `pickup`, delivered at `delivery`, by the same vehicle.
    Shipment {
        /// Loading stop.
        pickup: TaskStop,
        /// Unloading stop.
        delivery: TaskStop,
        /// Amount moved, per dimension.
        amount: Amount,
        /// Longest time on board (pickup service end → delivery service start), seconds.
        max_time_on_board_s: Option<i64>,
    },
    /// One stop: `delivery` loaded at the start, `pickup` carried to the end.
    Job {
        /// The stop.
        stop: TaskStop,
        /// Delivered here, per dimension.
        delivery: Amount,
        /// Collected here, per dimension.
        pickup: Amount,
    },
}

/// A shipment or a job.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// External id, unique among tasks.
    pub id: String,
    /// Owning producer, if any.
    pub producer: Option<usize>,
    /// Required skills, sorted and deduplicated.
    pub skills: Vec<String>,
    /// 0..=100, higher first.
    pub priority: u32,
    /// Its kind of goods (index into `Problem::goods_kinds`), if stated.
    pub goods_kind: Option<usize>,
    /// Shipment or job.
    pub kind: TaskKind,
    /// A shipment that may change vehicle at one of `Problem::transfer_points`.
    pub allow_transfer: bool,
}

impl Task {
    /// "shipment" or "job".
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            TaskKind::Shipment { .. } => "shipment",
            TaskKind::Job { .. } => "job",
        }
    }
}

/// What the search minimises after the unassigned tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Total cost.
    #[default]
    Cost,
    /// Total distance.
    Distance,
    /// Total working time.
    Duration,
    /// Vehicles used, then cost.
    Vehicles,
}

/// How long and how the search runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// What to minimise.
    pub objective: Objective,
    /// Wall-clock budget, milliseconds: the request's time limit, else its effort
    /// level's.
    pub time_limit_ms: u64,
    /// Iterations without a new best after which a search stops (`None`: it runs to
    /// its time or iteration limit).
    pub stagnation_iterations: Option<u64>,
    /// Seed of every random draw.
    pub seed: u64,
    /// Parallel searches; 0 means one per core.
    pub threads: usize,
    /// Iterations per parallel search, if limited.
    pub max_iterations: Option<u64>,
    /// Return each tour's road geometry.
    pub geometry: bool,
    /// Penalty per hour between the longest and shortest working time of the used
    /// vehicles, in the objective's unit (0: no balancing).
    pub balance_per_hour: f64,
    /// Run the local search after recreate (off for the many small coalition solves of
    /// the pooling report, whose iteration budgets were set without it).
    pub local_search: bool,
    /// Plan mode: time the given routes as they are, reporting what they break; no
    /// search.
    pub plan_only: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            objective: Objective::Cost,
            time_limit_ms: 5_000,
            stagnation_iterations: Some(2_000),
            seed: 0,
            threads: 0,
            max_iterations: None,
            geometry: false,
            balance_per_hour: 0.0,
            local_search: true,
            plan_only: false,
        }
    }
}

/// A validated routing problem: every index is in range, every amount has
/// `dimensions` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Sites.
    pub sites: Vec<Site>,
    /// Producers.
    pub producers: Vec<Producer>,
    /// Fleet (non-empty).
    pub vehicles: Vec<Vehicle>,
    /// Shipments and jobs.
    pub tasks: Vec<Task>,
    /// Capacity dimensions.
    pub dimensions: usize,
    /// Travel profile names, indexed by `Vehicle::profile`.
    pub profiles: Vec<String>,
    /// Travel source.
    pub travel: TravelSource,
    /// Search options.
    pub options: SearchOptions,
    /// The pooling report's options, when the report is asked for.
    pub pooling: Option<PoolingOptions>,
    /// Kinds of goods named by tasks, in order of first mention.
    pub goods_kinds: Vec<String>,
    /// Pairs of goods kinds (indices into `goods_kinds`) that never share a tour.
    pub incompatible_goods: Vec<(usize, usize)>,
    /// Pairs of goods kinds that may share a tour but are never on board together.
    pub apart_on_board: Vec<(usize, usize)>,
    /// The vehicles' given routes (only those given), by vehicle index.
    pub routes: Vec<super::route::InitialRoute>,
    /// Sites where shipments that allow it may change vehicle.
    pub transfer_points: Vec<super::transfer::TransferPoint>,
}

impl Problem {
    /// Whether tasks `a` and `b` may travel in the same tour.
    pub fn goods_compatible(&self, a: usize, b: usize) -> bool {
        match (self.tasks[a].goods_kind, self.tasks[b].goods_kind) {
            (Some(x), Some(y)) => !self
                .incompatible_goods
                .iter()
                .any(|&(p, q)| (p, q) == (x, y) || (p, q) == (y, x)),
            _ => true,
        }
    }
}

/// Default CO2 emission factor, kilograms per km: about the average type-approval
/// (WLTP) emissions of new vans in the EU in 2021–2022 according to the European
/// Environment Agency's monitoring of CO2 from new vans (≈200 g/km).
pub const DEFAULT_CO2_KG_PER_KM: f64 = 0.2;

/// Iterations shared by the coalition solves of a pooling report when the request does
/// not set them per coalition: about 7 s on 2 cores for 12 producers (BENCHMARKS.md).
pub const COALITION_ITERATION_BUDGET: u64 = 150_000;

/// Options of the pooling report.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolingOptions {
    /// Capacity of the stand-in van of a producer without vehicles (None: the fleet's
    /// largest per dimension).
    pub stand_in_capacity: Option<Amount>,
    /// Costs of the stand-in van (None: the fleet's first vehicle's).
    pub stand_in_costs: Option<Costs>,
    /// CO2 per km, kilograms, per profile of `Problem::profiles`.
    pub co2_kg_per_km: Vec<f64>,
    /// Exact Shapley value up to this many players.
    pub max_exact_producers: usize,
    /// Sampled orders above it.
    pub shapley_samples: usize,
    /// Search iterations per coalition solve; `None`: shared out of
    /// [`COALITION_ITERATION_BUDGET`].
    pub coalition_iterations: Option<u64>,
    /// Price of each task a coalition leaves unserved, currency units (0: not priced).
    pub unserved_task_cost: f64,
    /// Test-only hook: the report's linear programs fail as if the solver had, so that
    /// tests can check that the plan and the other rules still come back. Never set
    /// from a request.
    #[doc(hidden)]
    pub force_lp_failure: bool,
    /// Test-only hook: the coalition solves stop after the coalitions of this size, as
    /// if the time limit had been reached there. Never set from a request.
    #[doc(hidden)]
    pub stop_after_size: Option<u32>,
    /// Test-only hook: the work units (one search iteration for one member of a
    /// coalition) that the pacing projects to fit in the time left once the first
    /// layer is solved, whatever the clock says. Never set from a request.
    #[doc(hidden)]
    pub affordable_units: Option<f64>,
}
