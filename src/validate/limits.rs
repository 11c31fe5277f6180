//! What one request may ask for: sites, tasks, vehicles, matrix cells, pooling players
//! and time limit. The sizes are checked before anything else in [`super::problem_within`] and
//! [`super::matrix_request_within`], from the lengths of what was decoded, so that a
//! request too large is refused before any memory sized by it is allocated (a matrix
//! grows with the square of the sites, listed or not). A breach names the field and the
//! limit, with the stable code `too_large`. The time limit allocates nothing: it is
//! checked with the other search options (`out_of_range`, as before), against
//! [`RequestLimits::max_time_limit_ms`], and from below against what a request of its
//! size needs ([`min_time_limit_ms`]): a request too big for its time limit is refused
//! at once instead of answering late.
//!
//! It also holds which OSRM servers a request may name ([`OsrmUrls`]), the other half
//! of what a server's operator lets a request ask for.

use super::fleet::profile_name;
use super::violation::{Code, Collector};
use crate::pb;

/// Longest time limit a request may ask for, milliseconds (one hour).
pub const MAX_TIME_LIMIT_MS: u64 = 3_600_000;

/// What the caller of validation lets a request ask for: the server sets it from its
/// flags; the CLI and the library's own callers use the default.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Sizes one request may ask for.
    pub limits: RequestLimits,
    /// The OSRM servers a request may name.
    pub osrm_urls: OsrmUrls,
}

/// Upper bounds on one request; the server's are set by `serve --max-…`, the CLI uses
/// the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// Sites of a Solve, points of a ComputeMatrix.
    pub max_sites: usize,
    /// Shipments plus jobs.
    pub max_tasks: usize,
    /// Vehicles, a vehicle with shifts counting once per shift.
    pub max_vehicles: usize,
    /// Travel matrix cells: sites² per profile computed, rows² per supplied matrix.
    pub max_matrix_cells: u64,
    /// Producers when the pooling report is asked for (each is a player of the game).
    pub max_pooling_players: usize,
    /// Longest `options.time_limit_ms`, milliseconds (at most one hour).
    pub max_time_limit_ms: u64,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_sites: 10_000,
            max_tasks: 10_000,
            max_vehicles: 2_000,
            max_matrix_cells: 25_000_000,
            max_pooling_players: 200,
            max_time_limit_ms: MAX_TIME_LIMIT_MS,
        }
    }
}

/// A count against its limit: a `too_large` violation on `field` when above.
fn at_most(collector: &mut Collector, field: &str, count: u64, limit: u64, what: &str) {
    if count > limit {
        collector.push(
            Code::TooLarge,
            field,
            format!("{count} {what}; this server accepts at most {limit}"),
        );
    }
}

/// The solver plans each shift as a vehicle of its own: a vehicle with shifts counts
/// once per shift.
fn vehicles_within(collector: &mut Collector, request: &pb::SolveRequest, limits: &RequestLimits) {
    let vehicles: u64 = request
        .vehicles
        .iter()
        .map(|v| v.shifts.len().max(1) as u64)
        .sum();
    let what = if vehicles > request.vehicles.len() as u64 {
        "vehicles (one per shift of a vehicle with shifts)"
    } else {
        "vehicles"
    };
    at_most(
        collector,
        "vehicles",
        vehicles,
        limits.max_vehicles as u64,
        what,
    );
}

/// Checks a Solve request's sizes against `limits`.
pub fn check_problem(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    limits: &RequestLimits,
) {
    let sites = request.sites.len() as u64;
    at_most(collector, "sites", sites, limits.max_sites as u64, "sites");
    let (shipments, jobs) = (request.shipments.len(), request.jobs.len());
    let tasks_field = if shipments >= jobs {
        "shipments"
    } else {
        "jobs"
    };
    let tasks = (shipments + jobs) as u64;
    at_most(
        collector,
        tasks_field,
        tasks,
        limits.max_tasks as u64,
        "tasks (shipments + jobs)",
    );
    vehicles_within(collector, request, limits);
    if !collector.is_empty() {
        return;
    }
    let supplied = match request.travel.as_ref().and_then(|t| t.source.as_ref()) {
        Some(pb::travel_options::Source::Matrices(supplied)) => Some(supplied),
        _ => None,
    };
    let cells = match supplied {
        Some(supplied) => supplied_cells(collector, supplied, limits.max_matrix_cells),
        None => {
            // One matrix per profile the fleet drives.
            let mut profiles: Vec<String> = request
                .vehicles
                .iter()
                .map(|v| profile_name(&v.profile))
                .collect();
            profiles.sort();
            profiles.dedup();
            let cells = sites
                .saturating_mul(sites)
                .saturating_mul(profiles.len().max(1) as u64);
            let what = format!(
                "matrix cells ({sites}² sites × {} profiles)",
                profiles.len().max(1)
            );
            at_most(collector, "sites", cells, limits.max_matrix_cells, &what);
            cells
        }
    };
    time_limit_for_size(collector, request, sites, cells);
    if request.pooling.as_ref().is_some_and(|p| p.enabled) {
        let players = request.producers.len() as u64;
        let what = "producers in the pooling report";
        at_most(
            collector,
            "producers",
            players,
            limits.max_pooling_players as u64,
            what,
        );
    }
}

/// The shortest time limit in which a request whose travel matrices have `cells` cells
/// gets a plan, milliseconds: building the matrices and the solver's neighbourhoods
/// grows with the cells (about 20 ns each on one core of a 2-core server), then a first
/// plan is completed in haste. A fixed rule, not a measure of this machine's speed, so
/// that the same request is accepted or refused everywhere.
pub fn min_time_limit_ms(cells: u64) -> u64 {
    MIN_TIME_LIMIT_MS + cells.saturating_mul(NS_PER_MATRIX_CELL) / 1_000_000
}

/// What any request needs, milliseconds.
const MIN_TIME_LIMIT_MS: u64 = 10;

/// What each matrix cell adds, nanoseconds (twice the measured cost, for busier machines).
const NS_PER_MATRIX_CELL: u64 = 40;

/// A time limit too short for the request's size is refused before any work: the
/// caller learns at once what it would have learnt after the limit (a plan late, or
/// none), with the least that would do.
fn time_limit_for_size(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    sites: u64,
    cells: u64,
) {
    let Some(given_ms) = request.options.as_ref().and_then(|o| o.time_limit_ms) else {
        return;
    };
    let least_ms = min_time_limit_ms(cells);
    // 0 is refused as out of range with the other options.
    if given_ms > 0 && given_ms < least_ms {
        collector.push(
            Code::OutOfRange,
            "options.time_limit_ms",
            format!(
                "{given_ms} ms is too short for {sites} sites ({cells} matrix cells): a plan needs at least {least_ms} ms"
            ),
        );
    }
}

/// Checks each supplied matrix's cells; the cells of the largest.
fn supplied_cells(
    collector: &mut Collector,
    supplied: &pb::SuppliedMatrices,
    max_cells: u64,
) -> u64 {
    let mut largest = 0;
    for (index, profile) in supplied.profiles.iter().enumerate() {
        let field = format!("travel.matrices.profiles[{index}]");
        for (name, rows) in [
            ("durations_s", &profile.durations_s),
            ("distances_m", &profile.distances_m),
            ("costs", &profile.costs),
        ] {
            let rows = rows.len() as u64;
            largest = largest.max(rows.saturating_mul(rows));
            let what = format!("matrix cells ({rows}² rows)");
            at_most(
                collector,
                &format!("{field}.{name}"),
                rows.saturating_mul(rows),
                max_cells,
                &what,
            );
        }
    }
    largest
}

/// Checks a ComputeMatrix request's sizes against `limits`.
pub fn check_matrix_request(
    collector: &mut Collector,
    request: &pb::ComputeMatrixRequest,
    limits: &RequestLimits,
) {
    let points = request.points.len() as u64;
    at_most(
        collector,
        "points",
        points,
        limits.max_sites as u64,
        "points",
    );
    let what = format!("matrix cells ({points}² points)");
    at_most(
        collector,
        "points",
        points.saturating_mul(points),
        limits.max_matrix_cells,
        &what,
    );
}

/// The OSRM servers a request may name in `travel.osrm.url`. The server allows only its
/// own `--osrm-url` and its `--osrm-allow` list, so that a request cannot make it fetch
/// any URL (its private network included); the CLI, whose user is the operator, allows
/// any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OsrmUrls {
    /// Any http(s) URL.
    #[default]
    Any,
    /// Only these base URLs (compared without a trailing slash).
    Only(Vec<String>),
}

impl OsrmUrls {
    /// Only `urls`, normalised.
    pub fn only<'a>(urls: impl IntoIterator<Item = &'a str>) -> OsrmUrls {
        OsrmUrls::Only(
            urls.into_iter()
                .map(|url| normalise(url).to_string())
                .collect(),
        )
    }

    /// Whether a request may name `url`.
    pub fn allows(&self, url: &str) -> bool {
        match self {
            OsrmUrls::Any => true,
            OsrmUrls::Only(urls) => urls.iter().any(|allowed| allowed == normalise(url)),
        }
    }
}

fn normalise(url: &str) -> &str {
    url.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_time_limit_grows_with_the_matrix() {
        assert_eq!(min_time_limit_ms(0), 10);
        assert_eq!(min_time_limit_ms(2_000 * 2_000), 170);
        // The largest matrix a default server computes: 25 million cells, 1.01 s.
        assert_eq!(min_time_limit_ms(25_000_000), 1_010);
        assert_eq!(min_time_limit_ms(u64::MAX), 10 + u64::MAX / 1_000_000);
    }
}
