//! The fast many-to-many engine: a customizable contraction hierarchy (the `cch` crate,
//! a RoutingKit port) over the road graph.
//!
//! Each arc carries the duration of its fastest path, in milliseconds, and that path's
//! length (`companion.rs`), customized once at preparation. One bucket query
//! (`many_to_many.rs`) carries both, ranking paths by time and then by length, as the
//! plain Dijkstra oracle does, so both halves of the matrix equal the oracle's.

use cch::{Cch, INF_WEIGHT, graph::Graph};

use super::companion;
use super::graph::RoadGraph;
use super::hierarchy::Hierarchy;
use super::many_to_many::label_matrix;

/// Node-to-node durations and distances, row-major `sources × targets`; `None` where no
/// path exists.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeMatrix {
    /// Fastest time, milliseconds.
    pub duration_ms: Vec<Option<u64>>,
    /// Length of that fastest path, decimetres.
    pub distance_dm: Vec<Option<u64>>,
}

/// A prepared contraction hierarchy, customized with (duration, distance) labels.
pub struct CchEngine {
    hierarchy: Hierarchy,
}

impl CchEngine {
    /// Orders, builds and customizes the hierarchy for `graph`, then keeps its query
    /// half ([`Hierarchy`]).
    pub fn prepare(graph: &RoadGraph) -> CchEngine {
        let latitude: Vec<f32> = graph.lat_lon_deg.iter().map(|p| p.0 as f32).collect();
        let longitude: Vec<f32> = graph.lat_lon_deg.iter().map(|p| p.1 as f32).collect();
        let order = cch::inertial_order(
            graph.node_count() as u32,
            &graph.tail,
            &graph.head,
            &latitude,
            &longitude,
        );
        let graph_input = Graph {
            first_out: graph.first_out.clone(),
            head: graph.head.clone(),
            weight: graph
                .duration_ms
                .iter()
                .map(|&w| w.min(INF_WEIGHT - 1))
                .collect(),
        };
        let cch = Cch::build(&graph_input, &order);
        let [forward, backward] =
            companion::customize(&cch, &graph_input.weight, &graph.distance_dm);
        CchEngine {
            hierarchy: Hierarchy::new(cch, forward, backward),
        }
    }

    /// An engine from a hierarchy read back from a prepared file.
    pub fn from_hierarchy(hierarchy: Hierarchy) -> Self {
        CchEngine { hierarchy }
    }

    /// The customized hierarchy, to write a prepared file.
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// Durations and fastest-path distances between graph nodes.
    pub fn node_matrix(&self, sources: &[u32], targets: &[u32]) -> NodeMatrix {
        let labels = label_matrix(&self.hierarchy, sources, targets);
        let (duration_ms, distance_dm) = labels
            .into_iter()
            .map(|l| companion::split(l).map_or((None, None), |(t, d)| (Some(t), Some(d))))
            .unzip();
        NodeMatrix {
            duration_ms,
            distance_dm,
        }
    }
}
