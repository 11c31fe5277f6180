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
//!
//! On a region the bucket scans at the top separators are most of the time (every
//! source meets every target there). Stall-on-demand was tried and left out: the labels
//! at those nodes are exact, so it pruned nothing measurable and cost a second pass
//! over each node's arcs (BENCHMARKS.md, "third step").

use std::cell::RefCell;

use rayon::prelude::*;

use super::companion::UNREACHED;
use super::hierarchy::{Hierarchy, NO_PARENT};

/// Sources or targets per parallel task: small enough for both cores to stay busy to
/// the end, large enough that a task's bookkeeping is noise.
const CHUNK: usize = 16;

thread_local! {
    /// One label per hierarchy node, per thread, all [`UNREACHED`] between walks (a walk
    /// leaves it as it found it): allocated once per thread instead of once per task —
    /// on a region of 5 M nodes, 40 MB written per task were a fifth of a matrix.
    static SCRATCH: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's scratch labels for `nodes` nodes (a fresh array when
/// the thread's own is in use). `f` must not start rayon work: a task stolen by this
/// thread meanwhile would find the scratch taken.
fn with_scratch<R>(nodes: usize, f: impl FnOnce(&mut [u64]) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            if scratch.len() < nodes {
                scratch.resize(nodes, UNREACHED);
            }
            f(&mut scratch[..nodes])
        }
        Err(_) => f(&mut vec![UNREACHED; nodes]),
    })
}

/// Labels and sums below are plain additions and `min`s, without branches: every label
/// is at most [`UNREACHED`] (just under 2⁶³), so a sum of two never overflows, and any
/// sum at or above [`UNREACHED`] reads as unreached (`companion::split`), as a
/// saturating sum would.
///
/// Walks `start`'s elimination-tree ancestors, relaxing their upward arcs with
/// `labels`, and calls `visit(node, label)` at each reached ancestor with its final
/// label. Leaves `distance` all unreached again: upward arcs only reach ancestors,
/// each reset once it is visited.
fn walk(
    hierarchy: &Hierarchy,
    labels: &[u64],
    start: u32,
    distance: &mut [u64],
    mut visit: impl FnMut(u32, u64),
) {
    distance[start as usize] = 0;
    let mut x = start;
    loop {
        let dx = distance[x as usize];
        distance[x as usize] = UNREACHED;
        let arcs =
            hierarchy.first_out[x as usize] as usize..hierarchy.first_out[x as usize + 1] as usize;
        let heads = &hierarchy.head[arcs.clone()];
        if dx < UNREACHED {
            visit(x, dx);
            for (&y, &label) in heads.iter().zip(&labels[arcs]) {
                let slot = &mut distance[y as usize];
                *slot = (*slot).min(dx + label);
            }
        }
        let parent = hierarchy.parent[x as usize];
        if parent == NO_PARENT {
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
    /// The targets' backward walks, in parallel; their entries are then placed by node
    /// in the targets' order, so the buckets are the same whatever the threads did.
    fn new(hierarchy: &Hierarchy, targets: &[u32]) -> Buckets {
        let nodes = hierarchy.node_count();
        let reached: Vec<Vec<(u32, u32, u64)>> = targets
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(chunk_index, chunk)| {
                with_scratch(nodes, |distance| {
                    let mut reached = Vec::new();
                    for (offset, &t) in chunk.iter().enumerate() {
                        let index = (chunk_index * CHUNK + offset) as u32;
                        let start = hierarchy.rank[t as usize];
                        walk(hierarchy, &hierarchy.backward, start, distance, |x, d| {
                            reached.push((x, index, d));
                        });
                    }
                    reached
                })
            })
            .collect();
        let mut first = vec![0u32; nodes + 1];
        for &(x, _, _) in reached.iter().flatten() {
            first[x as usize + 1] += 1;
        }
        for x in 0..nodes {
            first[x + 1] += first[x];
        }
        let entries = first[nodes] as usize;
        let mut next = first.clone();
        let (mut target, mut to_target) = (vec![0; entries], vec![0; entries]);
        for &(x, index, d) in reached.iter().flatten() {
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

    /// Lowers `row`'s cells through the buckets at `x`, reached at `d` from the source.
    fn scan(&self, x: u32, d: u64, row: &mut [u64]) {
        let entries = self.first[x as usize] as usize..self.first[x as usize + 1] as usize;
        for (&t, &to_t) in self.target[entries.clone()]
            .iter()
            .zip(&self.distance[entries])
        {
            let cell = &mut row[t as usize];
            *cell = (*cell).min(d + to_t);
        }
    }
}

/// `sources × targets` labels (`companion::split` reads them), row-major;
/// [`UNREACHED`] where no path exists. Sources and targets are spread over the threads;
/// every cell is an exact minimum, so the answer does not depend on how.
pub fn label_matrix(hierarchy: &Hierarchy, sources: &[u32], targets: &[u32]) -> Vec<u64> {
    if sources.is_empty() || targets.is_empty() {
        return Vec::new();
    }
    let buckets = Buckets::new(hierarchy, targets);
    let nodes = hierarchy.node_count();
    let mut matrix = vec![UNREACHED; sources.len() * targets.len()];
    matrix
        .par_chunks_mut(CHUNK * targets.len())
        .zip(sources.par_chunks(CHUNK))
        .for_each(|(rows, chunk)| {
            with_scratch(nodes, |distance| {
                for (row, &s) in rows.chunks_mut(targets.len()).zip(chunk) {
                    let start = hierarchy.rank[s as usize];
                    walk(hierarchy, &hierarchy.forward, start, distance, |x, d| {
                        buckets.scan(x, d, row);
                    });
                }
            })
        });
    matrix
}
