//! Many-to-many distances on the hierarchy by buckets, for matrices on regional graphs.
//!
//! The `cch` crate's `distance_matrix` answers each source by sweeping the union of all
//! targets' elimination-tree ancestors: cheap on a town, but on a region of a million
//! nodes a thousand spread targets' ancestors cover a large part of the graph, swept
//! once per source. Here each target's ancestor walk is done once and its distances are
//! left in buckets at the nodes it passes; a source then walks its own ancestors and
//! reads only the buckets on its way (the classic bucket many-to-many of contraction
//! hierarchies, on the elimination tree). Both walks visit every ancestor, so the
//! answer is exact on a customized metric, as the crate's is.

use cch::{CchView, INF_WEIGHT, MetricView};
use rayon::prelude::*;

const INVALID: u32 = u32::MAX;

/// Sources per parallel chunk: each chunk owns one distance array of the graph's size.
const SOURCE_CHUNK: usize = 32;

/// Walks `start`'s elimination-tree ancestors, relaxing their upward arcs with
/// `weights`, and calls `visit(node, distance)` at each reached ancestor with its final
/// distance. Leaves `distance` all infinite again: upward arcs only reach ancestors,
/// each reset once it is visited.
fn walk(
    cch: &CchView,
    weights: &[u32],
    start: u32,
    distance: &mut [u32],
    mut visit: impl FnMut(u32, u32),
) {
    distance[start as usize] = 0;
    let mut x = start;
    loop {
        let dx = distance[x as usize];
        distance[x as usize] = INF_WEIGHT;
        if dx < INF_WEIGHT {
            visit(x, dx);
            let arcs =
                cch.up_first_out[x as usize] as usize..cch.up_first_out[x as usize + 1] as usize;
            for (&y, &w) in cch.up_head[arcs.clone()].iter().zip(&weights[arcs]) {
                let candidate = dx.saturating_add(w).min(INF_WEIGHT);
                let slot = &mut distance[y as usize];
                if candidate < *slot {
                    *slot = candidate;
                }
            }
        }
        let parent = cch.elimination_tree_parent[x as usize];
        if parent == INVALID {
            break;
        }
        x = parent;
    }
}

/// Per node, the (target index, distance from the node to the target) of every target
/// whose backward walk reached it: a CSR over the hierarchy's nodes.
struct Buckets {
    first: Vec<u32>,
    target: Vec<u32>,
    distance: Vec<u32>,
}

impl Buckets {
    fn new(cch: &CchView, metric: &MetricView, targets: &[u32]) -> Buckets {
        let nodes = cch.rank.len();
        let mut distance = vec![INF_WEIGHT; nodes];
        let mut reached: Vec<(u32, u32, u32)> = Vec::new();
        for (index, &t) in targets.iter().enumerate() {
            let start = cch.rank[t as usize];
            walk(cch, metric.backward, start, &mut distance, |x, d| {
                reached.push((x, index as u32, d));
            });
        }
        let mut first = vec![0u32; nodes + 1];
        for &(x, _, _) in &reached {
            first[x as usize + 1] += 1;
        }
        for x in 0..nodes {
            first[x + 1] += first[x];
        }
        let mut next = first.clone();
        let (mut target, mut to_target) = (vec![0; reached.len()], vec![0; reached.len()]);
        for (x, index, d) in reached {
            let slot = next[x as usize] as usize;
            next[x as usize] += 1;
            target[slot] = index;
            to_target[slot] = d;
        }
        Buckets {
            first,
            target,
            distance: to_target,
        }
    }
}

/// `sources × targets` distances, row-major; [`INF_WEIGHT`] where no path exists.
pub fn distance_matrix(
    cch: &CchView,
    metric: &MetricView,
    sources: &[u32],
    targets: &[u32],
) -> Vec<u32> {
    if sources.is_empty() || targets.is_empty() {
        return Vec::new();
    }
    let buckets = Buckets::new(cch, metric, targets);
    sources
        .par_chunks(SOURCE_CHUNK)
        .flat_map_iter(|chunk| {
            let mut distance = vec![INF_WEIGHT; cch.rank.len()];
            let mut rows = vec![INF_WEIGHT; chunk.len() * targets.len()];
            for (row, &s) in rows.chunks_mut(targets.len()).zip(chunk) {
                walk(
                    cch,
                    metric.forward,
                    cch.rank[s as usize],
                    &mut distance,
                    |x, d| {
                        let entries = buckets.first[x as usize] as usize
                            ..buckets.first[x as usize + 1] as usize;
                        for (&t, &to_t) in buckets.target[entries.clone()]
                            .iter()
                            .zip(&buckets.distance[entries])
                        {
                            let via = d.saturating_add(to_t).min(INF_WEIGHT);
                            let cell = &mut row[t as usize];
                            if via < *cell {
                                *cell = via;
                            }
                        }
                    },
                );
            }
            rows
        })
        .collect()
}
