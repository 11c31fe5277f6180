//! The road graph's roads inside a box, as polylines to draw under the tours (the
//! planner page's offline map): each road once whatever its directions, and the arcs
//! joined into one polyline wherever a node only continues a road (two neighbours), so
//! that the answer stays small.

use std::collections::HashMap;

use super::graph::RoadGraph;
use super::snap::SnapIndex;

/// A box in degrees: west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// West edge, degrees of longitude.
    pub min_lon_deg: f64,
    /// South edge, degrees of latitude.
    pub min_lat_deg: f64,
    /// East edge, degrees of longitude.
    pub max_lon_deg: f64,
    /// North edge, degrees of latitude.
    pub max_lat_deg: f64,
}

impl BoundingBox {
    /// Whether `(lat, lon)` (degrees) lies inside or on the edge.
    pub fn contains(&self, (lat, lon): (f64, f64)) -> bool {
        (self.min_lat_deg..=self.max_lat_deg).contains(&lat)
            && (self.min_lon_deg..=self.max_lon_deg).contains(&lon)
    }
}

/// The roads with an end inside `bbox`, as polylines of (lat, lon) degrees, in a
/// deterministic order; `Err(segments)` when they are more than `max_segments`
/// segments (node to node), the box being too large to draw. Only the segments the
/// snapping grid lists near the box are looked at, not the whole region's.
pub fn roads_within(
    graph: &RoadGraph,
    grid: &SnapIndex,
    bbox: &BoundingBox,
    max_segments: usize,
) -> Result<Vec<Vec<(f64, f64)>>, usize> {
    let position = |node: u32| graph.lat_lon_deg[node as usize];
    let near = grid.arcs_near(
        (bbox.min_lat_deg, bbox.min_lon_deg),
        (bbox.max_lat_deg, bbox.max_lon_deg),
    );
    let mut edges: Vec<(u32, u32)> = near
        .into_iter()
        .map(|arc| arc as usize)
        .filter(|&arc| {
            bbox.contains(position(graph.tail[arc])) || bbox.contains(position(graph.head[arc]))
        })
        .map(|arc| {
            let (tail, head) = (graph.tail[arc], graph.head[arc]);
            (tail.min(head), tail.max(head))
        })
        .filter(|(a, b)| a != b)
        .collect();
    edges.sort_unstable();
    edges.dedup();
    if edges.len() > max_segments {
        return Err(edges.len());
    }
    let mut at: HashMap<u32, Vec<usize>> = HashMap::new();
    for (index, &(a, b)) in edges.iter().enumerate() {
        at.entry(a).or_default().push(index);
        at.entry(b).or_default().push(index);
    }
    let mut used = vec![false; edges.len()];
    let mut lines = Vec::new();
    for index in 0..edges.len() {
        if used[index] {
            continue;
        }
        used[index] = true;
        let (a, b) = edges[index];
        let mut backward = walk(a, &edges, &at, &mut used);
        let forward = walk(b, &edges, &at, &mut used);
        backward.reverse();
        backward.extend([a, b]);
        backward.extend(forward);
        lines.push(backward.into_iter().map(position).collect());
    }
    Ok(lines)
}

/// The nodes after `node` along unused edges while each node only continues the road
/// (two edges), marking the edges used.
fn walk(
    mut node: u32,
    edges: &[(u32, u32)],
    at: &HashMap<u32, Vec<usize>>,
    used: &mut [bool],
) -> Vec<u32> {
    let mut nodes = Vec::new();
    loop {
        let around = at.get(&node).map_or(&[][..], Vec::as_slice);
        if around.len() != 2 {
            return nodes;
        }
        let Some(&next) = around.iter().find(|&&edge| !used[edge]) else {
            return nodes;
        };
        used[next] = true;
        let (a, b) = edges[next];
        node = if a == node { b } else { a };
        nodes.push(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roads::osm::RawArc;

    fn arc(tail: u32, head: u32) -> RawArc {
        RawArc {
            tail,
            head,
            duration_ms: 1000,
            distance_dm: 100,
        }
    }

    /// A two-way road 0-1-2-3 with a one-way branch 1→4, and a node 5 far away.
    fn graph() -> RoadGraph {
        let nodes = vec![
            (47.0, 9.0),
            (47.0, 9.1),
            (47.0, 9.2),
            (47.0, 9.3),
            (47.1, 9.1),
            (48.0, 10.0),
        ];
        let arcs = vec![
            arc(0, 1),
            arc(1, 0),
            arc(1, 2),
            arc(2, 1),
            arc(2, 3),
            arc(3, 2),
            arc(1, 4),
            arc(3, 5),
        ];
        RoadGraph::from_arcs(nodes, arcs)
    }

    #[test]
    fn joins_the_arcs_of_a_road_and_draws_each_road_once() {
        let bbox = BoundingBox {
            min_lon_deg: 8.9,
            min_lat_deg: 46.9,
            max_lon_deg: 9.25,
            max_lat_deg: 47.2,
        };
        let graph = graph();
        let lines = roads_within(&graph, &SnapIndex::new(&graph), &bbox, 100).unwrap();
        let segments: usize = lines.iter().map(|line| line.len() - 1).sum();
        // 0-1, 1-2, 2-3 (3 is outside, 2 inside) and 1-4; not 3-5.
        assert_eq!(segments, 4, "{lines:?}");
        assert!(
            lines.iter().any(|line| line.len() == 3),
            "1-2-3 joined: {lines:?}"
        );
        assert!(lines.iter().flatten().all(|&(lat, _)| lat < 47.5));
    }

    #[test]
    fn refuses_a_box_with_too_many_segments() {
        let bbox = BoundingBox {
            min_lon_deg: 0.0,
            min_lat_deg: 0.0,
            max_lon_deg: 20.0,
            max_lat_deg: 60.0,
        };
        let graph = graph();
        assert_eq!(
            roads_within(&graph, &SnapIndex::new(&graph), &bbox, 3),
            Err(5)
        );
    }
}
