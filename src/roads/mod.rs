//! The embedded road graph: an OpenStreetMap extract → car-drivable directed graph
//! (largest strongly connected component) → snapping → many-to-many matrices and
//! road geometry, with no server and no network.
//!
//! Preparation (parse, components, snapping grid, hierarchy) happens once per extract and
//! process: [`RoadNetwork::load`] keeps prepared networks keyed by the extract's SHA-256
//! and the profile version, so a server answers every request after the first at query
//! speed. For a region, `tournee prepare` writes the prepared network to a file once
//! ([`prepared`]) and every later start reads it instead of preparing again.

mod cache;
mod companion;
pub mod dijkstra;
pub mod engine;
mod error;
pub mod extent;
pub mod graph;
pub mod hierarchy;
mod many_to_many;
pub mod osm;
pub mod prepared;
pub mod profile;
pub mod snap;

pub use cache::{CacheCounts, cache_counts};
pub use error::RoadError;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::domain::{TravelMatrix, UNREACHABLE};
use crate::geodesy::haversine_m;
use cache::{cache_key, cached, remember};
use engine::{CchEngine, NodeMatrix};
use graph::{GraphStats, RoadGraph};
use snap::SnapIndex;

/// Bump when the profile or the graph building changes what a prepared network holds.
pub const PROFILE_VERSION: &str = "car-1";

/// A site moved onto the road graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SnappedPoint {
    /// The graph node the site starts and ends its legs at.
    pub node: u32,
    /// The node's position, (lat, lon) degrees.
    pub lat_lon_deg: (f64, f64),
    /// Distance from the given point to the node, metres.
    pub snap_distance_m: f64,
    /// Distance from the given point to the nearest drivable road segment, metres:
    /// what a rejection limit compares (the node can be further on a long segment).
    pub road_distance_m: f64,
}

/// Durations and distances between snapped points.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMatrix {
    /// One per point, in the points' order.
    pub snapped: Vec<SnappedPoint>,
    /// Seconds and metres; unreachable pairs hold [`UNREACHABLE`].
    pub matrix: TravelMatrix,
    /// Ordered (from, to) pairs with no path.
    pub unreachable: Vec<(usize, usize)>,
}

/// How long each preparation step took.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrepareTimes {
    /// Reading the PBF.
    pub parse: Duration,
    /// Components, forward star and snapping grid.
    pub graph: Duration,
    /// Ordering, building and customizing the hierarchy.
    pub hierarchy: Duration,
}

/// A prepared extract.
pub struct RoadNetwork {
    /// The graph the matrices run on.
    pub graph: RoadGraph,
    /// Sizes, for reports.
    pub stats: GraphStats,
    /// Preparation times, for reports.
    pub times: PrepareTimes,
    /// Where the network came from.
    pub source: PathBuf,
    /// SHA-256 of the extract it was prepared from.
    pub extract_sha256: [u8; 32],
    snap_index: SnapIndex,
    engine: CchEngine,
}

impl std::fmt::Debug for RoadNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoadNetwork")
            .field("source", &self.source)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl RoadNetwork {
    /// The prepared network of `path` — an OSM PBF extract, or a file written by
    /// `tournee prepare` — from the process cache when the same extract (by content and
    /// profile) was prepared or loaded before.
    pub fn load(path: &Path) -> Result<Arc<RoadNetwork>, RoadError> {
        if prepared::is_prepared(path) {
            return RoadNetwork::load_prepared(path);
        }
        let bytes = std::fs::read(path).map_err(|e| RoadError::Osm {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        RoadNetwork::load_bytes(&path.display().to_string(), &bytes)
    }

    /// The prepared network of a PBF held in memory (cached like [`Self::load`]).
    pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Arc<RoadNetwork>, RoadError> {
        let extract_sha256: [u8; 32] = Sha256::digest(bytes).into();
        let key = cache_key(&extract_sha256);
        if let Some(network) = cached(&key) {
            return Ok(network);
        }
        let started = Instant::now();
        let raw = osm::read_car_network_bytes(name, bytes)?;
        let network = Arc::new(RoadNetwork::from_raw(
            Path::new(name),
            &raw,
            extract_sha256,
            started.elapsed(),
        )?);
        remember(key, &network);
        Ok(network)
    }

    /// Reads a file written by [`Self::save_prepared`]: the header first, so that a
    /// network already in the cache costs one small read.
    fn load_prepared(path: &Path) -> Result<Arc<RoadNetwork>, RoadError> {
        let (reader, header) = prepared::PreparedReader::open(path, PROFILE_VERSION)?;
        let key = cache_key(&header.extract_sha256);
        if let Some(network) = cached(&key) {
            return Ok(network);
        }
        let network = Arc::new(RoadNetwork::from_prepared(path, reader, header)?);
        remember(key, &network);
        Ok(network)
    }

    /// Reads a file written by [`Self::save_prepared`] (no cache).
    pub fn read_prepared(path: &Path) -> Result<RoadNetwork, RoadError> {
        let (reader, header) = prepared::PreparedReader::open(path, PROFILE_VERSION)?;
        RoadNetwork::from_prepared(path, reader, header)
    }

    fn from_prepared(
        path: &Path,
        reader: prepared::PreparedReader,
        header: prepared::PreparedHeader,
    ) -> Result<RoadNetwork, RoadError> {
        let started = Instant::now();
        let parts = reader.parts(&header)?;
        let read = started.elapsed();
        Ok(RoadNetwork {
            times: PrepareTimes {
                parse: read,
                graph: Duration::ZERO,
                hierarchy: Duration::ZERO,
            },
            graph: parts.graph,
            stats: header.stats,
            source: path.to_path_buf(),
            extract_sha256: header.extract_sha256,
            snap_index: parts.snap_index,
            engine: CchEngine::from_hierarchy(parts.hierarchy),
        })
    }

    /// The customized hierarchy's upward graph (a prepared file's round trip is tested
    /// against it).
    pub fn hierarchy(&self) -> &hierarchy::Hierarchy {
        self.engine.hierarchy()
    }

    /// Reads and prepares the PBF `path` (no cache).
    pub fn prepare(path: &Path) -> Result<RoadNetwork, RoadError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| RoadError::Osm {
            path: name.clone(),
            message: e.to_string(),
        })?;
        let started = Instant::now();
        let network = osm::read_car_network_bytes(&name, &bytes)?;
        let extract_sha256 = Sha256::digest(&bytes).into();
        RoadNetwork::from_raw(path, &network, extract_sha256, started.elapsed())
    }

    /// Prepares a drivable network that did not come from a PBF (synthetic road grids
    /// for benchmarks); `extract_sha256` names it in the cache and in prepared files.
    pub fn from_raw(
        path: &Path,
        network: &osm::RawNetwork,
        extract_sha256: [u8; 32],
        parse: Duration,
    ) -> Result<RoadNetwork, RoadError> {
        let started = Instant::now();
        let (graph, stats) = RoadGraph::largest_component(network);
        if graph.arc_count() == 0 {
            return Err(RoadError::NoRoads {
                path: path.display().to_string(),
            });
        }
        let snap_index = SnapIndex::new(&graph);
        let graph_time = started.elapsed();
        let started = Instant::now();
        let engine = CchEngine::prepare(&graph);
        Ok(RoadNetwork {
            times: PrepareTimes {
                parse,
                graph: graph_time,
                hierarchy: started.elapsed(),
            },
            graph,
            stats,
            source: path.to_path_buf(),
            extract_sha256,
            snap_index,
            engine,
        })
    }

    /// Writes the prepared network to `path` for [`Self::load`] to read back without
    /// preparing again; returns the file's size in bytes.
    pub fn save_prepared(&self, path: &Path) -> Result<u64, RoadError> {
        let header = prepared::PreparedHeader {
            extract_sha256: self.extract_sha256,
            profile_version: PROFILE_VERSION.to_string(),
            extract_name: self
                .source
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            stats: self.stats,
        };
        prepared::write(
            path,
            &header,
            &self.graph,
            self.engine.hierarchy(),
            &self.snap_index,
        )
    }

    /// The roads with an end inside `bbox` as polylines, found through the snapping
    /// grid ([`extent::roads_within`]).
    pub fn roads_within(
        &self,
        bbox: &extent::BoundingBox,
        max_segments: usize,
    ) -> Result<Vec<Vec<(f64, f64)>>, usize> {
        extent::roads_within(&self.graph, &self.snap_index, bbox, max_segments)
    }

    /// Moves each (lat, lon) point to the nearer end of its nearest road segment.
    pub fn snap(&self, points_deg: &[(f64, f64)]) -> Vec<SnappedPoint> {
        points_deg
            .iter()
            .map(|&point| {
                let (node, road_distance_m) = match self.snap_index.snap(&self.graph, point) {
                    Some(s) => {
                        let arc = s.arc as usize;
                        let node = if s.fraction < 0.5 {
                            self.graph.tail[arc]
                        } else {
                            self.graph.head[arc]
                        };
                        (node, s.snap_distance_m)
                    }
                    None => (0, f64::INFINITY),
                };
                let lat_lon_deg = self.graph.lat_lon_deg[node as usize];
                SnappedPoint {
                    node,
                    lat_lon_deg,
                    snap_distance_m: haversine_m(point, lat_lon_deg),
                    road_distance_m,
                }
            })
            .collect()
    }

    /// The matrix between `points_deg` with the hierarchy.
    pub fn matrix(&self, points_deg: &[(f64, f64)]) -> RoadMatrix {
        let snapped = self.snap(points_deg);
        let nodes: Vec<u32> = snapped.iter().map(|s| s.node).collect();
        let node_matrix = self.engine.node_matrix(&nodes, &nodes);
        road_matrix(snapped, &node_matrix)
    }

    /// The same matrix by one plain Dijkstra per point: slow, exact, the test oracle.
    pub fn oracle_matrix(&self, points_deg: &[(f64, f64)]) -> RoadMatrix {
        let snapped = self.snap(points_deg);
        let nodes: Vec<u32> = snapped.iter().map(|s| s.node).collect();
        let labels = dijkstra::node_matrix(&self.graph, &nodes, &nodes);
        let reached = |l: &dijkstra::Label| *l != dijkstra::UNREACHED;
        let node_matrix = NodeMatrix {
            duration_ms: labels.iter().map(|l| reached(l).then_some(l.0)).collect(),
            distance_dm: labels.iter().map(|l| reached(l).then_some(l.1)).collect(),
        };
        road_matrix(snapped, &node_matrix)
    }

    /// The hierarchy's node-to-node answer (for tests against the oracle).
    pub fn node_matrix(&self, sources: &[u32], targets: &[u32]) -> NodeMatrix {
        self.engine.node_matrix(sources, targets)
    }

    /// The fastest road path between two snapped nodes, as (lat, lon) points.
    pub fn path_lat_lon(&self, from: u32, to: u32) -> Vec<(f64, f64)> {
        let mut search = dijkstra::Search::default();
        let label = search.run(&self.graph, &[(from, (0, 0))], &[to]);
        if label.first() == Some(&dijkstra::UNREACHED) {
            return Vec::new();
        }
        search
            .path_to(to)
            .into_iter()
            .map(|node| self.graph.lat_lon_deg[node as usize])
            .collect()
    }
}

fn road_matrix(snapped: Vec<SnappedPoint>, node_matrix: &NodeMatrix) -> RoadMatrix {
    let size = snapped.len();
    let mut matrix = TravelMatrix::zeros(size);
    let mut unreachable = Vec::new();
    for cell in 0..size * size {
        match (node_matrix.duration_ms[cell], node_matrix.distance_dm[cell]) {
            (Some(ms), Some(dm)) => {
                matrix.duration_s[cell] = ((ms + 500) / 1000) as i64;
                matrix.distance_m[cell] = ((dm + 5) / 10) as i64;
            }
            _ => {
                matrix.duration_s[cell] = UNREACHABLE;
                matrix.distance_m[cell] = UNREACHABLE;
                unreachable.push((cell / size, cell % size));
            }
        }
    }
    RoadMatrix {
        snapped,
        matrix,
        unreachable,
    }
}
