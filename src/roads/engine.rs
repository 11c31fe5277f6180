//! The fast many-to-many engine: a customizable contraction hierarchy (the `cch` crate,
//! a RoutingKit port) over the road graph.
//!
//! Durations come from an exact millisecond metric; the distance of each fastest path
//! from its companion (`companion.rs`), customized once beside it. One bucket query
//! (`many_to_many.rs`) carries both, ranking paths by time and then by length, as the
//! plain Dijkstra oracle does, so both halves of the matrix equal the oracle's.

use cch::{Cch, INF_WEIGHT, Metric, graph::Graph};

use super::companion;
use super::graph::RoadGraph;
use super::many_to_many::{Weights, label_matrix};

/// Node-to-node durations and distances, row-major `sources × targets`; `None` where no
/// path exists.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeMatrix {
    /// Fastest time, milliseconds.
    pub duration_ms: Vec<Option<u64>>,
    /// Length of that fastest path, decimetres.
    pub distance_dm: Vec<Option<u64>>,
}

/// A prepared contraction hierarchy with its duration metric and the distance
/// companion of that metric.
pub struct CchEngine {
    cch: Cch,
    duration_metric: Metric,
    distance_companion: Metric,
}

impl CchEngine {
    /// Orders, builds and customizes the hierarchy for `graph`.
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
        let duration_metric = cch.customize(&graph_input.weight);
        let distance_companion =
            companion::customize(&cch, &graph_input.weight, &graph.distance_dm);
        CchEngine {
            cch,
            duration_metric,
            distance_companion,
        }
    }

    /// An engine from a hierarchy, its duration metric and its distance companion read
    /// back from a prepared file.
    pub fn from_parts(cch: Cch, duration_metric: Metric, distance_companion: Metric) -> Self {
        CchEngine {
            cch,
            duration_metric,
            distance_companion,
        }
    }

    /// The hierarchy, its duration metric and the metric's distance companion, to write
    /// a prepared file.
    pub fn parts(&self) -> (&Cch, &Metric, &Metric) {
        (&self.cch, &self.duration_metric, &self.distance_companion)
    }

    /// Durations and fastest-path distances between graph nodes.
    pub fn node_matrix(&self, sources: &[u32], targets: &[u32]) -> NodeMatrix {
        let weights = Weights::of(
            &self.duration_metric.view(),
            &self.distance_companion.view(),
        );
        let labels = label_matrix(&self.cch.view(), weights, sources, targets);
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
