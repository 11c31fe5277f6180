//! Search options and the travel source.

use super::effort::{MAX_EFFORT, budgets};
use super::limits::MAX_TIME_LIMIT_MS;
use super::violation::{Code, Collector};
use crate::domain::{
    DEFAULT_DETOUR_FACTOR, DEFAULT_MAX_SNAP_DISTANCE_M, DEFAULT_OSRM_MAX_TABLE_SIZE,
    DEFAULT_OSRM_TIMEOUT_MS, DEFAULT_STRAIGHT_LINE_SPEED_KMH, Objective, SearchOptions, Site,
    TravelMatrix, TravelSource, UNREACHABLE,
};
use crate::pb;

/// How sites must be located for the chosen travel source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TravelKind {
    /// By matrix index.
    Supplied,
    /// By coordinates.
    StraightLine,
}

/// The travel kind a request asks for (coordinates unless matrices are supplied).
pub fn travel_kind(travel: Option<&pb::TravelOptions>) -> TravelKind {
    match travel.and_then(|t| t.source.as_ref()) {
        Some(pb::travel_options::Source::Matrices(_)) => TravelKind::Supplied,
        _ => TravelKind::StraightLine,
    }
}

/// Validates the search options of a request with `tasks` tasks.
pub fn search_options(
    collector: &mut Collector,
    options: Option<&pb::SolveOptions>,
    tasks: usize,
    max_time_limit_ms: u64,
) -> SearchOptions {
    let max_time_limit_ms = max_time_limit_ms.clamp(1, MAX_TIME_LIMIT_MS);
    let options = options.cloned().unwrap_or_default();
    let objective = match pb::Objective::try_from(options.objective) {
        Ok(pb::Objective::Unspecified | pb::Objective::Cost) => Objective::Cost,
        Ok(pb::Objective::Distance) => Objective::Distance,
        Ok(pb::Objective::Duration) => Objective::Duration,
        Ok(pb::Objective::Vehicles) => Objective::Vehicles,
        Err(_) => {
            collector.push(
                Code::OutOfRange,
                "options.objective",
                format!("{} is not an objective", options.objective),
            );
            Objective::Cost
        }
    };
    if let Some(time_limit_ms) = options.time_limit_ms
        && !(1..=max_time_limit_ms).contains(&time_limit_ms)
    {
        collector.push(
            Code::OutOfRange,
            "options.time_limit_ms",
            format!("{time_limit_ms} is not in 1..={max_time_limit_ms} ms"),
        );
    }
    if let Some(effort) = options.effort
        && effort > MAX_EFFORT
    {
        collector.push(
            Code::OutOfRange,
            "options.effort",
            format!("{effort} is not in 0..={MAX_EFFORT}"),
        );
    }
    let (time_limit_ms, stagnation_iterations) = budgets(
        options.time_limit_ms,
        options.effort,
        tasks,
        max_time_limit_ms,
    );
    if options.threads > 256 {
        collector.push(
            Code::OutOfRange,
            "options.threads",
            format!("{} is not in 0..=256", options.threads),
        );
    }
    let balance_per_hour = balance(collector, options.balance_per_hour);
    if options.max_iterations == Some(0) {
        collector.push(
            Code::OutOfRange,
            "options.max_iterations",
            "must be at least 1",
        );
    }
    SearchOptions {
        objective,
        time_limit_ms: time_limit_ms.clamp(1, max_time_limit_ms),
        stagnation_iterations,
        seed: options.seed,
        threads: options.threads.min(256) as usize,
        max_iterations: options.max_iterations,
        geometry: options.geometry,
        balance_per_hour,
        local_search: true,
        plan_only: options.plan_only,
    }
}

/// Validates the travel source against the sites and the vehicles' profiles.
pub fn travel(
    collector: &mut Collector,
    travel: Option<&pb::TravelOptions>,
    sites: &[Site],
    profiles: &[String],
    policy: &super::limits::Policy,
) -> TravelSource {
    match travel.and_then(|t| t.source.as_ref()) {
        Some(pb::travel_options::Source::Matrices(supplied)) => {
            TravelSource::Supplied(supplied_matrices(collector, supplied, sites, profiles))
        }
        Some(pb::travel_options::Source::StraightLine(line)) => straight_line(collector, line),
        Some(pb::travel_options::Source::RoadGraph(road)) => {
            let max_snap_distance_m = if road.max_snap_distance_m == 0.0 {
                DEFAULT_MAX_SNAP_DISTANCE_M
            } else {
                road.max_snap_distance_m
            };
            if !(max_snap_distance_m.is_finite() && max_snap_distance_m > 0.0) {
                collector.push(
                    Code::OutOfRange,
                    "travel.road_graph.max_snap_distance_m",
                    "must be a positive number of metres",
                );
            }
            TravelSource::RoadGraph {
                max_snap_distance_m,
                fallback: road.allow_straight_line_fallback,
            }
        }
        Some(pb::travel_options::Source::Osrm(osrm)) => {
            osrm_source(collector, osrm, &policy.osrm_urls)
        }
        None if travel.is_some() => straight_line(collector, &pb::StraightLine::default()),
        None => TravelSource::Default,
    }
}

/// Longest `travel.osrm.timeout_ms` a request may ask for, milliseconds.
pub const MAX_OSRM_TIMEOUT_MS: u64 = 60_000;

/// An OSRM source: an http(s) URL the policy allows (checked here, so a refused one is
/// never connected to), and a timeout of at most [`MAX_OSRM_TIMEOUT_MS`].
fn osrm_source(
    collector: &mut Collector,
    osrm: &pb::Osrm,
    allowed: &super::limits::OsrmUrls,
) -> TravelSource {
    let url = (!osrm.url.is_empty()).then(|| osrm.url.clone());
    if let Some(url) = &url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            collector.push(
                Code::OutOfRange,
                "travel.osrm.url",
                format!("{url:?} is not an http:// or https:// URL"),
            );
        } else if !allowed.allows(url) {
            collector.push(
                Code::NotAllowed,
                "travel.osrm.url",
                "not an OSRM server this server's operator allows (serve --osrm-allow); leave it empty to use the server's own",
            );
        }
    }
    let timeout_ms = if osrm.timeout_ms == 0 {
        DEFAULT_OSRM_TIMEOUT_MS
    } else {
        u64::from(osrm.timeout_ms)
    };
    if timeout_ms > MAX_OSRM_TIMEOUT_MS {
        collector.push(
            Code::OutOfRange,
            "travel.osrm.timeout_ms",
            format!("{timeout_ms} is not in 1..={MAX_OSRM_TIMEOUT_MS} ms"),
        );
    }
    TravelSource::Osrm {
        url,
        fallback: osrm.allow_straight_line_fallback,
        timeout_ms: timeout_ms.min(MAX_OSRM_TIMEOUT_MS),
        max_table_size: if osrm.max_table_size == 0 {
            DEFAULT_OSRM_MAX_TABLE_SIZE
        } else {
            osrm.max_table_size as usize
        },
    }
}

fn straight_line(collector: &mut Collector, line: &pb::StraightLine) -> TravelSource {
    let speed_kmh = if line.speed_kmh == 0.0 {
        DEFAULT_STRAIGHT_LINE_SPEED_KMH
    } else {
        line.speed_kmh
    };
    let detour_factor = if line.detour_factor == 0.0 {
        DEFAULT_DETOUR_FACTOR
    } else {
        line.detour_factor
    };
    if !(speed_kmh.is_finite() && speed_kmh > 0.0 && speed_kmh <= 300.0) {
        collector.push(
            Code::OutOfRange,
            "travel.straight_line.speed_kmh",
            "must be in (0, 300]",
        );
    }
    if !(detour_factor.is_finite() && (1.0..=10.0).contains(&detour_factor)) {
        collector.push(
            Code::OutOfRange,
            "travel.straight_line.detour_factor",
            "must be in [1, 10]",
        );
    }
    TravelSource::StraightLine {
        speed_kmh,
        detour_factor,
    }
}

fn supplied_matrices(
    collector: &mut Collector,
    supplied: &pb::SuppliedMatrices,
    sites: &[Site],
    profiles: &[String],
) -> Vec<TravelMatrix> {
    let mut matrices = Vec::with_capacity(profiles.len());
    for profile in profiles {
        let found = supplied
            .profiles
            .iter()
            .position(|p| super::fleet::profile_name(&p.profile) == *profile);
        let Some(index) = found else {
            collector.push(
                Code::Missing,
                "travel.matrices.profiles",
                format!("no matrices for profile {profile:?} used by a vehicle"),
            );
            matrices.push(TravelMatrix::zeros(0));
            continue;
        };
        let field = format!("travel.matrices.profiles[{index}]");
        let entry = &supplied.profiles[index];
        let size = entry.durations_s.len();
        let duration_s = square(
            collector,
            &format!("{field}.durations_s"),
            &entry.durations_s,
            size,
        );
        let mut duration_s = duration_s;
        let mut distance_m = if entry.distances_m.is_empty() {
            vec![0; size * size]
        } else {
            square(
                collector,
                &format!("{field}.distances_m"),
                &entry.distances_m,
                size,
            )
        };
        if duration_s.len() == distance_m.len() {
            mark_no_road(&mut duration_s, &mut distance_m);
        }
        for (site_index, site) in sites.iter().enumerate() {
            if site.coordinates_deg.is_none() && site.matrix_index >= size {
                collector.push(
                    Code::MatrixShape,
                    format!("sites[{site_index}].location.matrix_index"),
                    format!(
                        "{} is outside the {size}×{size} matrix of profile {profile:?}",
                        site.matrix_index
                    ),
                );
            }
        }
        let cost = super::cost_matrix::cost_cells(
            collector,
            &format!("{field}.costs"),
            &entry.costs,
            size,
        );
        matrices.push(TravelMatrix {
            size,
            duration_s,
            distance_m,
            cost,
            distances_known: !entry.distances_m.is_empty(),
        });
    }
    matrices
}

/// What a supplied matrix (and a ComputeMatrix answer) says of a pair with no road.
const NO_ROAD: i64 = -1;

/// A pair without a road in either of a profile's matrices has none in both: the
/// solver's fast paths read only the durations.
fn mark_no_road(duration_s: &mut [i64], distance_m: &mut [i64]) {
    for (duration, distance) in duration_s.iter_mut().zip(distance_m) {
        if *duration >= UNREACHABLE || *distance >= UNREACHABLE {
            (*duration, *distance) = (UNREACHABLE, UNREACHABLE);
        }
    }
}

/// The fair-workload penalty per hour, checked (0 when refused).
fn balance(collector: &mut Collector, per_hour: f64) -> f64 {
    if per_hour.is_finite() && per_hour >= 0.0 {
        return per_hour;
    }
    collector.push(
        Code::OutOfRange,
        "options.balance_per_hour",
        format!("{per_hour} is not a finite number ≥ 0"),
    );
    0.0
}

fn square(collector: &mut Collector, field: &str, rows: &[pb::MatrixRow], size: usize) -> Vec<i64> {
    let mut values = Vec::with_capacity(size * size);
    for (row_index, row) in rows.iter().enumerate() {
        if row.values.len() != size {
            collector.push(
                Code::MatrixShape,
                format!("{field}[{row_index}]"),
                format!(
                    "{} values; a {size}×{size} matrix needs {size} per row",
                    row.values.len()
                ),
            );
            return vec![0; size * size];
        }
        for (column, value) in row.values.iter().enumerate() {
            if *value < NO_ROAD || *value >= UNREACHABLE {
                collector.push(
                    Code::OutOfRange,
                    format!("{field}[{row_index}].values[{column}]"),
                    format!("{value} is not in 0..{UNREACHABLE}, nor -1 (no road)"),
                );
                return vec![0; size * size];
            }
        }
        values.extend(row.values.iter().map(|&value| match value {
            NO_ROAD => UNREACHABLE,
            value => value,
        }));
    }
    if rows.len() != size {
        collector.push(
            Code::MatrixShape,
            field,
            format!("{} rows for {size} columns", rows.len()),
        );
    }
    values
}
