//! The fast many-to-many engine: a customizable contraction hierarchy (the `cch` crate,
//! a RoutingKit port) over the road graph.
//!
//! Durations come from an exact millisecond metric. The distance of the fastest path
//! comes from a second, packed metric `time × M + distance`, whose units are chosen per
//! call from the exact durations so that the distance part can never carry into the
//! time part: it ranks paths by time first, like the plain Dijkstra oracle, and its
//! distances are exact up to the per-arc rounding of the chosen units.

use std::sync::{Arc, Mutex};

use cch::{Cch, INF_WEIGHT, Metric, graph::Graph};

use super::graph::RoadGraph;

/// Node-to-node durations and distances, row-major `sources × targets`; `None` where no
/// path exists.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeMatrix {
    /// Fastest time, milliseconds.
    pub duration_ms: Vec<Option<u64>>,
    /// Length of that fastest path, decimetres.
    pub distance_dm: Vec<Option<u64>>,
}

/// A prepared contraction hierarchy with its duration metric.
pub struct CchEngine {
    cch: Cch,
    duration_metric: Metric,
    /// The last packed metric, under the bound it was customized for: customizing
    /// costs more than the query on a region, and calls of a similar reach share it.
    packed: Mutex<Option<(u64, PackedMetric)>>,
}

/// A packing and the hierarchy customized with it.
type PackedMetric = Arc<(Packing, Metric)>;

/// The bound a packing is made for: `longest_ms` rounded up to three significant bits
/// (at most a quarter more), so that calls of a similar reach share one packed metric,
/// and the same call gets the same packing whatever came before it.
fn packing_bound_ms(longest_ms: u64) -> u64 {
    let shift = (64 - longest_ms.leading_zeros()).saturating_sub(3);
    ((longest_ms >> shift) + 1) << shift
}

/// Fastest speed any arc may have, metres per second (140 km/h): bounds a path's length
/// from its duration.
const MAX_SPEED_MPS: f64 = super::profile::MAX_SPEED_KMH / 3.6;

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
        CchEngine {
            cch,
            duration_metric,
            packed: Mutex::new(None),
        }
    }

    /// An engine from a hierarchy and its duration metric read back from a prepared
    /// file.
    pub fn from_parts(cch: Cch, duration_metric: Metric) -> CchEngine {
        CchEngine {
            cch,
            duration_metric,
            packed: Mutex::new(None),
        }
    }

    /// The hierarchy and its duration metric, to write a prepared file.
    pub fn parts(&self) -> (&Cch, &Metric) {
        (&self.cch, &self.duration_metric)
    }

    fn query(&self, metric: &Metric, sources: &[u32], targets: &[u32]) -> Vec<u32> {
        super::many_to_many::distance_matrix(&self.cch.view(), &metric.view(), sources, targets)
    }

    /// The packed metric for paths up to `bound_ms`, customized now unless the last
    /// call's was for the same bound.
    fn packed_metric(&self, bound_ms: u64, graph: &RoadGraph) -> PackedMetric {
        let last = self.packed.lock().ok().and_then(|last| last.clone());
        if let Some((bound, metric)) = last
            && bound == bound_ms
        {
            return metric;
        }
        let packing = Packing::for_longest(bound_ms, graph);
        let weights: Vec<u32> = (0..graph.arc_count())
            .map(|arc| packing.pack(graph.duration_ms[arc], graph.distance_dm[arc]))
            .collect();
        let metric = Arc::new((packing, self.cch.customize(&weights)));
        if let Ok(mut last) = self.packed.lock() {
            *last = Some((bound_ms, metric.clone()));
        }
        metric
    }

    /// Durations and fastest-path distances between graph nodes.
    pub fn node_matrix(&self, graph: &RoadGraph, sources: &[u32], targets: &[u32]) -> NodeMatrix {
        let durations = self.query(&self.duration_metric, sources, targets);
        let duration_ms: Vec<Option<u64>> = durations
            .iter()
            .map(|&d| (d < INF_WEIGHT).then_some(u64::from(d)))
            .collect();
        let longest_ms = duration_ms.iter().flatten().copied().max().unwrap_or(0);
        let packed_metric = self.packed_metric(packing_bound_ms(longest_ms), graph);
        let (packing, packed_metric) = (&packed_metric.0, &packed_metric.1);
        let packed = self.query(packed_metric, sources, targets);
        let mut distance_dm: Vec<Option<u64>> = packed
            .iter()
            .zip(&duration_ms)
            .map(|(&p, d)| d.and(packing.distance_dm(p)))
            .collect();
        // Reachable but overflowing the packing: ask the plain search for those cells.
        let mut search = super::dijkstra::Search::default();
        for cell in 0..distance_dm.len() {
            if duration_ms[cell].is_some() && distance_dm[cell].is_none() {
                let (source, target) =
                    (sources[cell / targets.len()], targets[cell % targets.len()]);
                let label = search.run(graph, &[(source, (0, 0))], &[target]);
                distance_dm[cell] = label.first().map(|l| l.1);
            }
        }
        NodeMatrix {
            duration_ms,
            distance_dm,
        }
    }
}

/// Units of the packed metric: `time_unit_ms` and `distance_unit_dm` chosen so that
/// `time × multiplier + distance` stays below the hierarchy's infinity on every path
/// up to the longest duration asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Packing {
    time_unit_ms: f64,
    distance_unit_dm: f64,
    multiplier: u64,
}

impl Packing {
    /// Units for paths of at most `longest_ms` on `graph`.
    pub fn for_longest(longest_ms: u64, graph: &RoadGraph) -> Packing {
        // Rounding per arc can lengthen a path's packed time by half a unit per arc;
        // the slack covers that for paths of up to `arc_count` arcs.
        // A path of the packed metric is at most as slow in packed units as the fastest
        // path, which rounds to within half a unit per arc of its exact time: 20 %
        // margin covers that; a cell that still overflows reads as unreachable and is
        // recomputed by the caller.
        let time_unit_ms = 100.0;
        let longest_units = longest_ms as f64 / time_unit_ms * 1.2 + 100.0;
        let multiplier = ((f64::from(INF_WEIGHT) - 1.0) / (longest_units + 1.0))
            .floor()
            .max(2.0);
        let fastest_mps = graph.fastest_speed_mps().min(MAX_SPEED_MPS);
        let longest_distance_dm = (longest_ms as f64 / 1000.0 * fastest_mps * 10.0) * 1.25 + 10.0;
        let distance_unit_dm = (longest_distance_dm / (multiplier - 1.0)).max(1.0);
        Packing {
            time_unit_ms,
            distance_unit_dm,
            multiplier: multiplier as u64,
        }
    }

    /// The packed weight of one arc.
    pub fn pack(&self, duration_ms: u32, distance_dm: u32) -> u32 {
        let time = (f64::from(duration_ms) / self.time_unit_ms).round() as u64;
        let distance = (f64::from(distance_dm) / self.distance_unit_dm).round() as u64;
        (time * self.multiplier + distance).min(u64::from(INF_WEIGHT) - 1) as u32
    }

    /// The distance part of a packed path weight, decimetres.
    pub fn distance_dm(&self, packed: u32) -> Option<u64> {
        (packed < INF_WEIGHT).then(|| {
            ((u64::from(packed) % self.multiplier) as f64 * self.distance_unit_dm).round() as u64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::packing_bound_ms;

    #[test]
    fn a_packing_bound_covers_the_longest_path_with_at_most_a_quarter_more() {
        let mut previous = 0;
        for longest_ms in (0..20_000_000u64).step_by(997).chain([u64::from(u32::MAX)]) {
            let bound = packing_bound_ms(longest_ms);
            assert!(bound > longest_ms, "{longest_ms} → {bound}");
            assert!(
                bound <= longest_ms + longest_ms / 4 + 8,
                "{longest_ms} → {bound}"
            );
            assert!(bound >= previous, "{longest_ms} → {bound} after {previous}");
            previous = bound;
        }
        // Calls of a similar reach share a bound.
        assert_eq!(packing_bound_ms(3_000_000), packing_bound_ms(3_100_000));
    }
}
