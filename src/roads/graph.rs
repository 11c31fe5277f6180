//! The road graph the matrices run on: the largest strongly connected component of the
//! drivable network, as a directed CSR (forward star).
//!
//! Keeping only the largest component is what makes every snapped pair reachable: a
//! site is moved onto a road from which every other site can be reached and back.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::osm::{RawArc, RawNetwork};

/// A directed road graph in forward-star form.
#[derive(Debug, Clone, Default)]
pub struct RoadGraph {
    /// (lat, lon) in degrees per node.
    pub lat_lon_deg: Vec<(f64, f64)>,
    /// Arcs of node `v` are `first_out[v]..first_out[v + 1]`.
    pub first_out: Vec<u32>,
    /// Start node per arc (the CSR's implicit tail, stored for snapping and CCH input).
    pub tail: Vec<u32>,
    /// End node per arc.
    pub head: Vec<u32>,
    /// Driving time per arc, milliseconds.
    pub duration_ms: Vec<u32>,
    /// Length per arc, decimetres.
    pub distance_dm: Vec<u32>,
}

/// Graph size figures for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphStats {
    /// Nodes of the drivable network before the filter.
    pub network_nodes: usize,
    /// Strongly connected components in the network.
    pub components: usize,
    /// Nodes kept.
    pub nodes: usize,
    /// Arcs kept.
    pub arcs: usize,
}

impl RoadGraph {
    /// Keeps the largest strongly connected component of `network`.
    pub fn largest_component(network: &RawNetwork) -> (RoadGraph, GraphStats) {
        let mut graph = DiGraph::<(), ()>::with_capacity(network.lat_lon_deg.len(), 0);
        for _ in &network.lat_lon_deg {
            graph.add_node(());
        }
        for arc in &network.arcs {
            graph.add_edge(
                NodeIndex::new(arc.tail as usize),
                NodeIndex::new(arc.head as usize),
                (),
            );
        }
        let components = kosaraju_scc(&graph);
        let largest = components
            .iter()
            .max_by_key(|c| c.len())
            .cloned()
            .unwrap_or_default();
        let mut new_index = vec![u32::MAX; network.lat_lon_deg.len()];
        let mut kept = largest;
        kept.sort();
        for (new, old) in kept.iter().enumerate() {
            new_index[old.index()] = new as u32;
        }
        let lat_lon_deg = kept
            .iter()
            .map(|old| network.lat_lon_deg[old.index()])
            .collect();
        let arcs: Vec<RawArc> = network
            .arcs
            .iter()
            .filter_map(|arc| {
                let (tail, head) = (new_index[arc.tail as usize], new_index[arc.head as usize]);
                (tail != u32::MAX && head != u32::MAX).then_some(RawArc { tail, head, ..*arc })
            })
            .collect();
        let stats = GraphStats {
            network_nodes: network.lat_lon_deg.len(),
            components: components.len(),
            nodes: kept.len(),
            arcs: arcs.len(),
        };
        (RoadGraph::from_arcs(lat_lon_deg, arcs), stats)
    }

    /// Builds the forward star; parallel arcs keep only the fastest.
    pub fn from_arcs(lat_lon_deg: Vec<(f64, f64)>, mut arcs: Vec<RawArc>) -> RoadGraph {
        arcs.sort_by_key(|arc| (arc.tail, arc.head, arc.duration_ms, arc.distance_dm));
        arcs.dedup_by_key(|arc| (arc.tail, arc.head));
        let nodes = lat_lon_deg.len();
        let mut first_out = vec![0u32; nodes + 1];
        for arc in &arcs {
            first_out[arc.tail as usize + 1] += 1;
        }
        for v in 0..nodes {
            first_out[v + 1] += first_out[v];
        }
        RoadGraph {
            lat_lon_deg,
            first_out,
            tail: arcs.iter().map(|a| a.tail).collect(),
            head: arcs.iter().map(|a| a.head).collect(),
            duration_ms: arcs.iter().map(|a| a.duration_ms).collect(),
            distance_dm: arcs.iter().map(|a| a.distance_dm).collect(),
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.lat_lon_deg.len()
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// The arcs leaving `node`.
    #[inline]
    pub fn out_arcs(&self, node: u32) -> std::ops::Range<usize> {
        self.first_out[node as usize] as usize..self.first_out[node as usize + 1] as usize
    }

    /// The fastest arc speed, metres per second (at least 1).
    pub fn fastest_speed_mps(&self) -> f64 {
        (0..self.arc_count())
            .filter(|&arc| self.duration_ms[arc] > 0)
            .map(|arc| f64::from(self.distance_dm[arc]) * 100.0 / f64::from(self.duration_ms[arc]))
            .fold(1.0, f64::max)
    }

    /// The arc `tail → head`, if the road may be driven that way.
    pub fn find_arc(&self, tail: u32, head: u32) -> Option<usize> {
        self.out_arcs(tail).find(|&arc| self.head[arc] == head)
    }
}
