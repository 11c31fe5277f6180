//! Plain Dijkstra on the forward star: the oracle the fast matrix engine is tested
//! against, and the path finder for tour geometry.
//!
//! Labels are (duration, distance) in lexicographic order, so one search gives the
//! fastest route and, among equally fast ones, the shortest: the distance reported is
//! the distance of the fastest path, as OSRM reports it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::graph::RoadGraph;

/// A (duration ms, distance dm) label; `UNREACHED` when no path exists.
pub type Label = (u64, u64);

/// The label of a node no search reached.
pub const UNREACHED: Label = (u64::MAX, u64::MAX);

/// Reusable per-thread search memory.
#[derive(Debug, Default)]
pub struct Search {
    label: Vec<Label>,
    parent: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Label, u32)>>,
}

impl Search {
    fn reset(&mut self, nodes: usize) {
        if self.label.len() != nodes {
            self.label = vec![UNREACHED; nodes];
            self.parent = vec![u32::MAX; nodes];
            self.touched.clear();
        }
        for &node in &self.touched {
            self.label[node as usize] = UNREACHED;
            self.parent[node as usize] = u32::MAX;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Runs from `sources` (node, starting label) until every node of `targets` is
    /// settled (or the graph is exhausted); returns each target's label.
    pub fn run(
        &mut self,
        graph: &RoadGraph,
        sources: &[(u32, Label)],
        targets: &[u32],
    ) -> Vec<Label> {
        self.reset(graph.node_count());
        for &(node, label) in sources {
            if label < self.label[node as usize] {
                self.label[node as usize] = label;
                self.touched.push(node);
                self.heap.push(Reverse((label, node)));
            }
        }
        let mut is_target = vec![false; 0];
        let mut remaining = 0usize;
        if !targets.is_empty() {
            is_target = vec![false; graph.node_count()];
            for &t in targets {
                if !is_target[t as usize] {
                    is_target[t as usize] = true;
                    remaining += 1;
                }
            }
        }
        while let Some(Reverse((label, node))) = self.heap.pop() {
            if label > self.label[node as usize] {
                continue;
            }
            if !is_target.is_empty() && is_target[node as usize] {
                is_target[node as usize] = false;
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
            for arc in graph.out_arcs(node) {
                let head = graph.head[arc];
                let next = (
                    label.0 + u64::from(graph.duration_ms[arc]),
                    label.1 + u64::from(graph.distance_dm[arc]),
                );
                if next < self.label[head as usize] {
                    if self.label[head as usize] == UNREACHED {
                        self.touched.push(head);
                    }
                    self.label[head as usize] = next;
                    self.parent[head as usize] = node;
                    self.heap.push(Reverse((next, head)));
                }
            }
        }
        targets.iter().map(|&t| self.label[t as usize]).collect()
    }

    /// The nodes from a source of the last run to `target`, in driving order.
    pub fn path_to(&self, target: u32) -> Vec<u32> {
        let mut path = vec![target];
        let mut node = target;
        while let Some(&parent) = self.parent.get(node as usize) {
            if parent == u32::MAX || path.len() > self.label.len() {
                break;
            }
            path.push(parent);
            node = parent;
        }
        path.reverse();
        path
    }
}

/// Node-to-node labels, row-major `sources × targets`, one search per source.
pub fn node_matrix(graph: &RoadGraph, sources: &[u32], targets: &[u32]) -> Vec<Label> {
    use rayon::prelude::*;
    sources
        .par_iter()
        .map_init(Search::default, |search, &source| {
            search.run(graph, &[(source, (0, 0))], targets)
        })
        .flatten_iter()
        .collect()
}
