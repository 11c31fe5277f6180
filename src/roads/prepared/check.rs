//! The bounds every index array of a prepared file must keep, so that queries,
//! customization and path searches on a loaded network index only within their arrays.

use rayon::prelude::*;

use super::PreparedParts;
use crate::roads::companion::UNREACHED;
use crate::roads::hierarchy::NO_PARENT;
use crate::roads::snap::GridFrame;

const INVALID: u32 = u32::MAX;

type Checked = Result<(), &'static str>;

fn all_below(values: &[u32], bound: usize, invalid_allowed: bool) -> bool {
    values
        .par_iter()
        .all(|&v| (v as usize) < bound || (invalid_allowed && v == INVALID))
}

/// A CSR offsets array: `count + 1` entries, non-decreasing, ending at `total`.
fn offsets(first: &[u32], count: usize, total: usize) -> bool {
    first.len() == count + 1
        && first.first() == Some(&0)
        && first.par_windows(2).all(|w| w[0] <= w[1])
        && first.last().map(|&l| l as usize) == Some(total)
}

/// Every index of `parts` within the array it points into.
pub fn parts(parts: &PreparedParts) -> Checked {
    let graph = &parts.graph;
    let (nodes, arcs) = (graph.node_count(), graph.arc_count());
    let graph_ok = offsets(&graph.first_out, nodes, arcs)
        && graph.tail.len() == arcs
        && graph.duration_ms.len() == arcs
        && graph.distance_dm.len() == arcs
        && all_below(&graph.tail, nodes, false)
        && all_below(&graph.head, nodes, false);
    if !graph_ok {
        return Err("graph arrays");
    }
    hierarchy(parts, nodes)
}

/// The hierarchy's arrays sized by its nodes and arcs, every index within them, and
/// every parent above its child, so that a walk up the elimination tree ends.
fn hierarchy(parts: &PreparedParts, nodes: usize) -> Checked {
    let hierarchy = &parts.hierarchy;
    let arcs = hierarchy.arc_count();
    let parents_above = hierarchy
        .parent
        .par_iter()
        .enumerate()
        .all(|(x, &p)| p == NO_PARENT || (p as usize > x && (p as usize) < nodes));
    let ok = hierarchy.rank.len() == nodes
        && hierarchy.parent.len() == nodes
        && hierarchy.forward.len() == arcs
        && hierarchy.backward.len() == arcs
        && labels_bounded(&hierarchy.forward)
        && labels_bounded(&hierarchy.backward)
        && all_below(&hierarchy.rank, nodes, false)
        && parents_above
        && offsets(&hierarchy.first_out, nodes, arcs)
        && all_below(&hierarchy.head, nodes, false)
        && heads_above_tails(&hierarchy.first_out, &hierarchy.head);
    if ok { Ok(()) } else { Err("hierarchy arrays") }
}

/// Every label at most the unreached one, so that a query's sum of two never overflows.
fn labels_bounded(labels: &[u64]) -> bool {
    labels.par_iter().all(|&l| l <= UNREACHED)
}

/// Every upward arc leads to a higher node (`first_out` already checked against
/// `head`).
fn heads_above_tails(first_out: &[u32], head: &[u32]) -> bool {
    first_out.par_windows(2).enumerate().all(|(x, arcs)| {
        head[arcs[0] as usize..arcs[1] as usize]
            .iter()
            .all(|&y| y as usize > x)
    })
}

/// A snapping grid whose frame is finite with at least one cell, whose offsets cover
/// its arcs, and whose arcs are arcs of the graph.
pub fn grid(frame: &GridFrame, cell_first: &[u32], cell_arcs: &[u32], arcs: usize) -> bool {
    let numbers = [
        frame.mean_lat_deg,
        frame.origin_m[0],
        frame.origin_m[1],
        frame.cell_m,
    ];
    let cells = frame.columns as usize * frame.rows as usize;
    numbers.iter().all(|n| n.is_finite())
        && frame.cell_m > 0.0
        && cells > 0
        && offsets(cell_first, cells, cell_arcs.len())
        && all_below(cell_arcs, arcs, false)
}
