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
//!
//! Labels are (duration, distance) pairs packed in one `u64` (`companion::label`), so
//! one query gives each cell's fastest time and that path's length.

use cch::{CchView, MetricView};
use rayon::prelude::*;

use super::companion::{UNREACHED, add, label};

const INVALID: u32 = u32::MAX;

/// Sources per parallel chunk: each chunk owns one distance array of the graph's size.
const SOURCE_CHUNK: usize = 32;

/// One direction's arc weights: durations (the duration metric) and the distances of
/// the paths they stand for (its companion).
#[derive(Clone, Copy)]
pub struct Weights<'a> {
    /// Milliseconds per hierarchy arc.
    pub duration_ms: &'a [u32],
    /// Decimetres per hierarchy arc.
    pub distance_dm: &'a [u32],
}

impl<'a> Weights<'a> {
    /// The forward and backward weights of a duration metric and its companion.
    pub fn of(durations: &MetricView<'a>, distances: &MetricView<'a>) -> [Weights<'a>; 2] {
        [
            Weights {
                duration_ms: durations.forward,
                distance_dm: distances.forward,
            },
            Weights {
                duration_ms: durations.backward,
                distance_dm: distances.backward,
            },
        ]
    }
}

/// Walks `start`'s elimination-tree ancestors, relaxing their upward arcs with
/// `weights`, and calls `visit(node, label)` at each reached ancestor with its final
/// label. Leaves `distance` all unreached again: upward arcs only reach ancestors,
/// each reset once it is visited.
fn walk(
    cch: &CchView,
    weights: Weights,
    start: u32,
    distance: &mut [u64],
    mut visit: impl FnMut(u32, u64),
) {
    distance[start as usize] = 0;
    let mut x = start;
    loop {
        let dx = distance[x as usize];
        distance[x as usize] = UNREACHED;
        if dx < UNREACHED {
            visit(x, dx);
            let arcs =
                cch.up_first_out[x as usize] as usize..cch.up_first_out[x as usize + 1] as usize;
            let durations = &weights.duration_ms[arcs.clone()];
            let distances = &weights.distance_dm[arcs.clone()];
            for ((&y, &duration), &length) in cch.up_head[arcs].iter().zip(durations).zip(distances)
            {
                let candidate = add(dx, label(duration, length));
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

/// Per node, the (target index, label from the node to the target) of every target
/// whose backward walk reached it: a CSR over the hierarchy's nodes.
struct Buckets {
    first: Vec<u32>,
    target: Vec<u32>,
    distance: Vec<u64>,
}

impl Buckets {
    fn new(cch: &CchView, backward: Weights, targets: &[u32]) -> Buckets {
        let nodes = cch.rank.len();
        let mut distance = vec![UNREACHED; nodes];
        let mut reached: Vec<(u32, u32, u64)> = Vec::new();
        for (index, &t) in targets.iter().enumerate() {
            let start = cch.rank[t as usize];
            walk(cch, backward, start, &mut distance, |x, d| {
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

/// `sources × targets` labels (`companion::split` reads them), row-major;
/// [`UNREACHED`] where no path exists.
pub fn label_matrix(
    cch: &CchView,
    [forward, backward]: [Weights; 2],
    sources: &[u32],
    targets: &[u32],
) -> Vec<u64> {
    if sources.is_empty() || targets.is_empty() {
        return Vec::new();
    }
    let buckets = Buckets::new(cch, backward, targets);
    sources
        .par_chunks(SOURCE_CHUNK)
        .flat_map_iter(|chunk| {
            let mut distance = vec![UNREACHED; cch.rank.len()];
            let mut rows = vec![UNREACHED; chunk.len() * targets.len()];
            for (row, &s) in rows.chunks_mut(targets.len()).zip(chunk) {
                walk(cch, forward, cch.rank[s as usize], &mut distance, |x, d| {
                    let entries =
                        buckets.first[x as usize] as usize..buckets.first[x as usize + 1] as usize;
                    for (&t, &to_t) in buckets.target[entries.clone()]
                        .iter()
                        .zip(&buckets.distance[entries])
                    {
                        let via = add(d, to_t);
                        let cell = &mut row[t as usize];
                        if via < *cell {
                            *cell = via;
                        }
                    }
                });
            }
            rows
        })
        .collect()
}
