//! Travel between sites: where its numbers come from ([`TravelSource`], with the
//! defaults of every source named once), and the matrices of durations, distances and
//! (when supplied) costs between matrix indices, one per profile.

use super::time_window::HORIZON_S;

/// Straight-line speed when the request does not state one, km/h.
pub const DEFAULT_STRAIGHT_LINE_SPEED_KMH: f64 = 50.0;

/// Road distance over great-circle distance when the request does not state it.
pub const DEFAULT_DETOUR_FACTOR: f64 = 1.3;

/// Sites further than this from a drivable road are rejected unless the request says
/// otherwise, metres.
pub const DEFAULT_MAX_SNAP_DISTANCE_M: f64 = 1_000.0;

/// OSRM request timeout when the request does not set one, milliseconds.
pub const DEFAULT_OSRM_TIMEOUT_MS: u64 = 10_000;

/// osrm-routed's default `--max-table-size`, assumed when the request does not say.
pub const DEFAULT_OSRM_MAX_TABLE_SIZE: usize = 100;

/// Where travel data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum TravelSource {
    /// Matrices supplied with the request, one per profile (same order as `profiles`).
    Supplied(Vec<TravelMatrix>),
    /// Great-circle distance × detour factor at a constant speed.
    StraightLine {
        /// Speed, km/h.
        speed_kmh: f64,
        /// Road distance / great-circle distance.
        detour_factor: f64,
    },
    /// The embedded OpenStreetMap road graph of the configured extract.
    RoadGraph {
        /// Sites further from a road are rejected, metres.
        max_snap_distance_m: f64,
        /// Straight lines when no extract is configured.
        fallback: bool,
    },
    /// An OSRM server.
    Osrm {
        /// Base URL; `None`: the configured one.
        url: Option<String>,
        /// Straight lines when the server fails.
        fallback: bool,
        /// Per-request timeout, milliseconds.
        timeout_ms: u64,
        /// The server's largest table.
        max_table_size: usize,
    },
    /// Not stated: the configured default (extract, else OSRM, else straight lines).
    Default,
}

/// Marks an unreachable pair: larger than any horizon, so a tour using it can never be
/// feasible, and still far from overflow when added.
pub const UNREACHABLE: i64 = HORIZON_S;

/// Square matrices of travel durations (seconds) and distances (metres), row-major,
/// row = from, column = to. An unreachable pair holds [`UNREACHABLE`] in both. A
/// profile may also come with a cost matrix (VROOM's `costs`): then what its vehicles
/// pay to drive is the sum of its cells along their tours, not a price per hour and km.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TravelMatrix {
    /// Rows (= columns).
    pub size: usize,
    /// Durations, seconds, `size * size` values.
    pub duration_s: Vec<i64>,
    /// Distances, metres, `size * size` values.
    pub distance_m: Vec<i64>,
    /// Travel costs, whole currency units per leg, `size * size` values; empty when the
    /// profile has no cost matrix.
    pub cost: Vec<i64>,
    /// Whether the distances are known: supplied durations without distances leave
    /// `distance_m` at 0 and this false, so that answers can leave distances out
    /// rather than report a distance of 0 (as VROOM does).
    pub distances_known: bool,
}

impl TravelMatrix {
    /// A matrix of zeros.
    pub fn zeros(size: usize) -> Self {
        TravelMatrix {
            size,
            duration_s: vec![0; size * size],
            distance_m: vec![0; size * size],
            cost: Vec::new(),
            distances_known: true,
        }
    }

    /// Whether travel on this profile is priced by a cost matrix.
    #[inline]
    pub fn has_costs(&self) -> bool {
        !self.cost.is_empty()
    }

    /// Travel cost from `from` to `to`, currency units (0 without a cost matrix).
    #[inline]
    pub fn cost(&self, from: usize, to: usize) -> i64 {
        if self.cost.is_empty() {
            0
        } else {
            self.cost[from * self.size + to]
        }
    }

    /// Travel time from `from` to `to`, seconds.
    #[inline]
    pub fn duration_s(&self, from: usize, to: usize) -> i64 {
        self.duration_s[from * self.size + to]
    }

    /// Travel distance from `from` to `to`, metres.
    #[inline]
    pub fn distance_m(&self, from: usize, to: usize) -> i64 {
        self.distance_m[from * self.size + to]
    }
}
