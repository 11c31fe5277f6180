//! Travel data: the problem's sites → one duration/distance matrix per profile, and the
//! road geometry of finished tours.
//!
//! Sources: matrices supplied with the request, the embedded OpenStreetMap road graph
//! ([`crate::roads`]), an OSRM server ([`osrm`]), or straight lines. The request picks
//! one; when it does not, [`TravelConfig`] (set by `serve --osm / --osrm-url` or the
//! CLI) decides. Whatever produced the numbers is named in the response, fallbacks
//! included, so a straight-line answer is never mistaken for a road answer.

mod geometry;
pub mod osrm;
mod point_matrix;
mod straight_line;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use geometry::{encode_polyline5, tour_geometry, tour_path};
pub use point_matrix::PointMatrix;
pub use straight_line::straight_line_matrix;

use crate::domain::{
    DEFAULT_DETOUR_FACTOR, DEFAULT_MAX_SNAP_DISTANCE_M, DEFAULT_OSRM_MAX_TABLE_SIZE,
    DEFAULT_OSRM_TIMEOUT_MS, DEFAULT_STRAIGHT_LINE_SPEED_KMH, Problem, TravelMatrix, TravelSource,
    UNREACHABLE,
};
use crate::roads::{RoadError, RoadNetwork};
use osrm::{OsrmClient, OsrmError};

/// Where the server or the CLI finds road data when a request does not say.
#[derive(Debug, Clone, Default)]
pub struct TravelConfig {
    /// An OSM PBF extract for the embedded road graph.
    pub osm: Option<OsmSource>,
    /// An OSRM server's base URL.
    pub osrm_url: Option<String>,
}

/// An OSM extract: a file, or bytes built into the binary (the demo's).
#[derive(Debug, Clone)]
pub enum OsmSource {
    /// A PBF file.
    File(PathBuf),
    /// A PBF held in memory, with a name for messages.
    Embedded {
        /// Shown in messages.
        name: &'static str,
        /// The PBF.
        bytes: &'static [u8],
    },
}

impl OsmSource {
    /// The prepared network (cached per content).
    pub fn load(&self) -> Result<Arc<RoadNetwork>, RoadError> {
        match self {
            OsmSource::File(path) => RoadNetwork::load(path),
            OsmSource::Embedded { name, bytes } => RoadNetwork::load_bytes(name, bytes),
        }
    }
}

/// Why travel data could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum TravelError {
    /// A road graph was asked for and the server has no extract.
    #[error(
        "no OpenStreetMap extract is configured (start the server with --osm FILE.pbf), and the request does not allow the straight-line fallback"
    )]
    NoExtract,
    /// OSRM was asked for and no URL is known.
    #[error("no OSRM server is configured (travel.osrm.url or --osrm-url)")]
    NoOsrmUrl,
    /// The extract could not be prepared.
    #[error(transparent)]
    Road(#[from] RoadError),
    /// The operator's OSRM server (`--osrm-url`) failed.
    #[error(transparent)]
    Osrm(#[from] OsrmError),
    /// The OSRM server named in the request (`travel.osrm.url`) failed.
    #[error(transparent)]
    RequestOsrm(OsrmError),
    /// Sites lie too far from every drivable road of the extract.
    #[error(transparent)]
    SitesOffRoad(#[from] SitesOffRoad),
}

/// Points further from a drivable road than the request allows: the client's mistake,
/// which the API edge reports as one field violation per point.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.descriptions().into_iter().map(|(field, text)| format!("{field}: {text}")).collect::<Vec<_>>().join("; "))]
pub struct SitesOffRoad {
    /// What the points are called in the request ("sites", "points").
    pub field: String,
    /// The limit they break, metres.
    pub limit_m: f64,
    /// Each point too far: its index and its distance to the nearest road, metres.
    pub points: Vec<(usize, f64)>,
}

impl SitesOffRoad {
    /// One (field path, what is wrong) per point.
    pub fn descriptions(&self) -> Vec<(String, String)> {
        self.points
            .iter()
            .map(|&(index, road_distance_m)| {
                (
                    format!("{}[{index}].location.coordinates", self.field),
                    format!(
                        "the nearest drivable road is {road_distance_m:.0} m away (limit {:.0} m, travel.road_graph.max_snap_distance_m)",
                        self.limit_m
                    ),
                )
            })
            .collect()
    }
}

/// The matrix between `points_deg` (lat, lon) for `source`; `field` names the points in
/// error messages (e.g. "sites", "points").
pub fn point_matrix(
    points_deg: &[(f64, f64)],
    source: &TravelSource,
    config: &TravelConfig,
    field: &str,
) -> Result<PointMatrix, TravelError> {
    let (speed_kmh, detour) = (DEFAULT_STRAIGHT_LINE_SPEED_KMH, DEFAULT_DETOUR_FACTOR);
    let road_graph = |max_snap_distance_m: f64, fallback: bool| match &config.osm {
        // Sites the extract does not cover fall back too, when the request allows it.
        Some(osm) => match road_matrix(points_deg, osm, max_snap_distance_m, field) {
            Err(TravelError::SitesOffRoad(_)) if fallback => Ok(PointMatrix::straight_line(
                points_deg, speed_kmh, detour, true,
            )),
            other => other,
        },
        None if fallback => Ok(PointMatrix::straight_line(
            points_deg, speed_kmh, detour, true,
        )),
        None => Err(TravelError::NoExtract),
    };
    match source {
        TravelSource::StraightLine {
            speed_kmh,
            detour_factor,
        } => Ok(PointMatrix::straight_line(
            points_deg,
            *speed_kmh,
            *detour_factor,
            false,
        )),
        TravelSource::Supplied(_) => Ok(PointMatrix::straight_line(
            points_deg, speed_kmh, detour, false,
        )),
        TravelSource::RoadGraph {
            max_snap_distance_m,
            fallback,
        } => road_graph(*max_snap_distance_m, *fallback),
        TravelSource::Osrm {
            url,
            fallback,
            timeout_ms,
            max_table_size,
        } => {
            let (named, operators) = (url.clone(), config.osrm_url.clone());
            let (url, failed): (String, fn(OsrmError) -> TravelError) = match (named, operators) {
                (Some(url), _) => (url, TravelError::RequestOsrm),
                (None, Some(url)) => (url, TravelError::Osrm),
                (None, None) => return Err(TravelError::NoOsrmUrl),
            };
            match osrm_matrix(points_deg, &url, *timeout_ms, *max_table_size) {
                Ok(matrix) => Ok(matrix),
                Err(_) if *fallback => Ok(PointMatrix::straight_line(
                    points_deg, speed_kmh, detour, true,
                )),
                Err(error) => Err(failed(error)),
            }
        }
        TravelSource::Default => match (&config.osm, &config.osrm_url) {
            (Some(_), _) => road_graph(DEFAULT_MAX_SNAP_DISTANCE_M, false),
            (None, Some(url)) => osrm_matrix(
                points_deg,
                url,
                DEFAULT_OSRM_TIMEOUT_MS,
                DEFAULT_OSRM_MAX_TABLE_SIZE,
            )
            .map_err(TravelError::Osrm),
            (None, None) => Ok(PointMatrix::straight_line(
                points_deg, speed_kmh, detour, false,
            )),
        },
    }
}

fn road_matrix(
    points_deg: &[(f64, f64)],
    osm: &OsmSource,
    max_snap_distance_m: f64,
    field: &str,
) -> Result<PointMatrix, TravelError> {
    let network = osm.load()?;
    let road = network.matrix(points_deg);
    let too_far: Vec<(usize, f64)> = road
        .snapped
        .iter()
        .enumerate()
        .filter(|(_, s)| s.road_distance_m > max_snap_distance_m)
        .map(|(index, s)| (index, s.road_distance_m))
        .collect();
    if !too_far.is_empty() {
        return Err(SitesOffRoad {
            field: field.to_string(),
            limit_m: max_snap_distance_m,
            points: too_far,
        }
        .into());
    }
    Ok(PointMatrix {
        matrix: road.matrix,
        source: "road_graph",
        snapped_deg: road.snapped.iter().map(|s| s.lat_lon_deg).collect(),
        snap_distances_m: road.snapped.iter().map(|s| s.snap_distance_m).collect(),
        nodes: road.snapped.iter().map(|s| s.node).collect(),
        unreachable: road.unreachable,
        road: Some(network),
        osrm: None,
    })
}

fn osrm_matrix(
    points_deg: &[(f64, f64)],
    url: &str,
    timeout_ms: u64,
    max_table_size: usize,
) -> Result<PointMatrix, OsrmError> {
    let client = OsrmClient::new(url, Duration::from_millis(timeout_ms))?
        .with_max_table_size(max_table_size);
    let table = client.table(points_deg)?;
    let size = table.size;
    let mut matrix = TravelMatrix::zeros(size);
    let mut unreachable = Vec::new();
    for cell in 0..size * size {
        match (table.durations_s[cell], table.distances_m[cell]) {
            (Some(duration_s), Some(distance_m)) => {
                matrix.duration_s[cell] = duration_s.round() as i64;
                matrix.distance_m[cell] = distance_m.round() as i64;
            }
            _ => {
                matrix.duration_s[cell] = UNREACHABLE;
                matrix.distance_m[cell] = UNREACHABLE;
                unreachable.push((cell / size, cell % size));
            }
        }
    }
    Ok(PointMatrix {
        matrix,
        source: "osrm",
        snapped_deg: table.snapped_lat_lon_deg,
        snap_distances_m: table.snap_distances_m,
        nodes: Vec::new(),
        unreachable,
        road: None,
        osrm: Some(Arc::new(client)),
    })
}

/// One matrix per profile of `problem.profiles` (every profile drives the same roads;
/// per-vehicle speed factors apply on top), with the source.
pub fn matrices(
    problem: &Problem,
    config: &TravelConfig,
) -> Result<(Vec<TravelMatrix>, PointMatrix), TravelError> {
    let profiles = problem.profiles.len().max(1);
    if let TravelSource::Supplied(matrices) = &problem.travel {
        return Ok((
            matrices.clone(),
            PointMatrix::plain(TravelMatrix::zeros(0), "matrices"),
        ));
    }
    let points: Vec<(f64, f64)> = problem
        .sites
        .iter()
        .map(|site| site.coordinates_deg.unwrap_or((0.0, 0.0)))
        .collect();
    let mut computed = point_matrix(&points, &problem.travel, config, "sites")?;
    // Moved, not copied: a solve reads its matrices, and the report of where the points
    // were placed has no use for the numbers (a 5,000-site matrix weighs 400 MB).
    let matrix = std::mem::replace(&mut computed.matrix, TravelMatrix::zeros(0));
    Ok((vec![matrix; profiles], computed))
}
