//! The query half of the contraction hierarchy: what a matrix reads, and all that a
//! prepared file stores of the hierarchy.
//!
//! The `cch` crate's structure also keeps what building and customizing need (the
//! down arcs, the input-arc maps, the contraction order): half of a region's hierarchy
//! by size, never read by a query since the metric is customized once, at
//! preparation. Keeping only the upward graph, with each arc's (duration, distance)
//! label packed in one `u64` per direction (`companion::label`), halves the prepared
//! file and the memory, makes loading a read of six arrays, and lets a query load one
//! number per arc instead of two.

use cch::Cch;

/// The elimination tree's root has no parent.
pub const NO_PARENT: u32 = u32::MAX;

/// The upward graph of a customized hierarchy, in hierarchy node numbers (ranks).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hierarchy {
    /// Graph node → hierarchy node.
    pub rank: Vec<u32>,
    /// Hierarchy node → its elimination-tree parent (always a higher node), or
    /// [`NO_PARENT`].
    pub parent: Vec<u32>,
    /// Upward arcs of hierarchy node `x`: `first_out[x]..first_out[x + 1]`.
    pub first_out: Vec<u32>,
    /// Head of each upward arc (a higher node).
    pub head: Vec<u32>,
    /// (duration ms, distance dm) label from each arc's tail to its head.
    pub forward: Vec<u64>,
    /// (duration ms, distance dm) label from each arc's head back to its tail.
    pub backward: Vec<u64>,
}

impl Hierarchy {
    /// Keeps the query arrays of `cch` with its customized labels.
    pub fn new(cch: Cch, forward: Vec<u64>, backward: Vec<u64>) -> Hierarchy {
        Hierarchy {
            rank: cch.rank,
            parent: cch.elimination_tree_parent,
            first_out: cch.up_first_out,
            head: cch.up_head,
            forward,
            backward,
        }
    }

    /// Number of hierarchy nodes (the graph's nodes).
    pub fn node_count(&self) -> usize {
        self.rank.len()
    }

    /// Number of upward arcs (input arcs and shortcuts).
    pub fn arc_count(&self) -> usize {
        self.head.len()
    }
}
