//! Snapping sites onto road segments, as OSRM does: the point is projected onto the
//! nearest drivable segment and the route starts (or ends) part-way along it, so a farm
//! gate halfway down a long rural road costs half the road, not all of it.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use super::graph::RoadGraph;
use crate::geodesy::LocalProjection;

/// A point moved onto the road: on arc `arc` (tail → head) at `fraction` of its length,
/// also drivable backwards through `reverse_arc` when the road is two-way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapped {
    /// The arc the point lies on.
    pub arc: u32,
    /// The arc head → tail, when the road is two-way.
    pub reverse_arc: Option<u32>,
    /// Position along `arc`, 0 at its tail, 1 at its head.
    pub fraction: f64,
    /// The snapped position, (lat, lon) degrees.
    pub lat_lon_deg: (f64, f64),
    /// How far the point was moved, metres.
    pub snap_distance_m: f64,
}

/// An R-tree over the graph's road segments (one entry per undirected segment).
pub struct SnapIndex {
    tree: RTree<GeomWithData<Line<[f64; 2]>, u32>>,
    projection: LocalProjection,
}

impl SnapIndex {
    /// Indexes every segment of `graph`.
    pub fn new(graph: &RoadGraph) -> SnapIndex {
        let count = graph.node_count().max(1) as f64;
        let mean_lat = graph.lat_lon_deg.iter().map(|p| p.0).sum::<f64>() / count;
        let projection = LocalProjection::around(mean_lat);
        let segments = (0..graph.arc_count())
            .filter(|&arc| {
                let (tail, head) = (graph.tail[arc], graph.head[arc]);
                tail < head || graph.find_arc(head, tail).is_none()
            })
            .map(|arc| {
                let a = projection.to_xy(graph.lat_lon_deg[graph.tail[arc] as usize]);
                let b = projection.to_xy(graph.lat_lon_deg[graph.head[arc] as usize]);
                GeomWithData::new(Line::new(a, b), arc as u32)
            })
            .collect();
        SnapIndex {
            tree: RTree::bulk_load(segments),
            projection,
        }
    }

    /// The nearest point on a road to `lat_lon_deg`; `None` only for an empty graph.
    pub fn snap(&self, graph: &RoadGraph, lat_lon_deg: (f64, f64)) -> Option<Snapped> {
        let query = self.projection.to_xy(lat_lon_deg);
        let nearest = self.tree.nearest_neighbor(&query)?;
        let arc = nearest.data;
        let line = nearest.geom();
        let (a, b) = (line.from, line.to);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let length_sq = dx * dx + dy * dy;
        let fraction = if length_sq > 0.0 {
            (((query[0] - a[0]) * dx + (query[1] - a[1]) * dy) / length_sq).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let on_road = [a[0] + fraction * dx, a[1] + fraction * dy];
        let snap_distance_m =
            ((query[0] - on_road[0]).powi(2) + (query[1] - on_road[1]).powi(2)).sqrt();
        let (tail, head) = (graph.tail[arc as usize], graph.head[arc as usize]);
        Some(Snapped {
            arc,
            reverse_arc: graph.find_arc(head, tail).map(|r| r as u32),
            fraction,
            lat_lon_deg: self.projection.to_lat_lon(on_road),
            snap_distance_m,
        })
    }
}
