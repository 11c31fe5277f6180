//! [`PointMatrix`]: a matrix between points together with what produced it (the source,
//! the snapped positions, the road network or OSRM server behind the numbers). The
//! sources in `mod.rs` build it and `geometry` draws tours from it, so it stands below
//! both, in a file of its own.

use std::sync::Arc;

use super::osrm::OsrmClient;
use super::straight_line::straight_line_matrix;
use crate::domain::TravelMatrix;
use crate::roads::RoadNetwork;

/// A matrix between points with what produced it.
#[derive(Debug, Clone)]
pub struct PointMatrix {
    /// Seconds and metres; unreachable pairs hold [`UNREACHABLE`](crate::domain::UNREACHABLE).
    /// Empty in what [`super::matrices`] returns: the solve's matrices took the numbers.
    pub matrix: TravelMatrix,
    /// "road_graph", "osrm", "straight_line" or "straight_line_fallback".
    pub source: &'static str,
    /// Where each point was placed on the roads, (lat, lon) degrees (road sources).
    pub snapped_deg: Vec<(f64, f64)>,
    /// How far each point moved, metres (road sources).
    pub snap_distances_m: Vec<f64>,
    /// The road graph node of each point (embedded road graph only).
    pub nodes: Vec<u32>,
    /// Ordered pairs with no route.
    pub unreachable: Vec<(usize, usize)>,
    /// The road network behind the numbers, for geometry and maps.
    pub road: Option<Arc<RoadNetwork>>,
    /// The OSRM server behind the numbers, for geometry.
    pub osrm: Option<Arc<OsrmClient>>,
}

impl PointMatrix {
    pub(super) fn straight_line(
        points_deg: &[(f64, f64)],
        speed_kmh: f64,
        detour: f64,
        fallback: bool,
    ) -> Self {
        let source = if fallback {
            "straight_line_fallback"
        } else {
            "straight_line"
        };
        PointMatrix::plain(straight_line_matrix(points_deg, speed_kmh, detour), source)
    }

    /// A matrix with no road network behind it.
    pub(super) fn plain(matrix: TravelMatrix, source: &'static str) -> Self {
        PointMatrix {
            matrix,
            source,
            snapped_deg: Vec::new(),
            snap_distances_m: Vec::new(),
            nodes: Vec::new(),
            unreachable: Vec::new(),
            road: None,
            osrm: None,
        }
    }
}
