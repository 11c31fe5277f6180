//! The bounds every index array of a prepared file must keep, so that queries,
//! customization and path searches on a loaded network index only within their arrays.

use super::PreparedParts;
use crate::roads::snap::GridFrame;

const INVALID: u32 = u32::MAX;

type Checked = Result<(), &'static str>;

fn all_below(values: &[u32], bound: usize, invalid_allowed: bool) -> bool {
    values
        .iter()
        .all(|&v| (v as usize) < bound || (invalid_allowed && v == INVALID))
}

/// A CSR offsets array: `count + 1` entries, non-decreasing, ending at `total`.
fn offsets(first: &[u32], count: usize, total: usize) -> bool {
    first.len() == count + 1
        && first.first() == Some(&0)
        && first.windows(2).all(|w| w[0] <= w[1])
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
    cch(parts, nodes, arcs)
}

fn cch(parts: &PreparedParts, nodes: usize, arcs: usize) -> Checked {
    let cch = &parts.cch;
    let shortcuts = cch.up_head.len();
    let per_node = [&cch.rank, &cch.order, &cch.elimination_tree_parent];
    let per_shortcut = [
        &cch.up_tail,
        &cch.down_head,
        &cch.down_to_up,
        &cch.forward_input_arc_of_cch,
        &cch.backward_input_arc_of_cch,
        &parts.duration_metric.forward,
        &parts.duration_metric.backward,
        &parts.distance_companion.forward,
        &parts.distance_companion.backward,
    ];
    let ok = per_node.iter().all(|a| a.len() == nodes)
        && per_shortcut.iter().all(|a| a.len() == shortcuts)
        && all_below(&cch.rank, nodes, false)
        && all_below(&cch.order, nodes, false)
        && all_below(&cch.elimination_tree_parent, nodes, true)
        && offsets(&cch.up_first_out, nodes, shortcuts)
        && offsets(&cch.down_first_out, nodes, shortcuts)
        && all_below(&cch.up_head, nodes, false)
        && all_below(&cch.up_tail, nodes, false)
        && all_below(&cch.down_head, nodes, false)
        && all_below(&cch.down_to_up, shortcuts, false)
        && cch.input_arc_to_cch_arc.len() == arcs
        && all_below(&cch.input_arc_to_cch_arc, shortcuts, false)
        && all_below(&cch.forward_input_arc_of_cch, arcs, true)
        && all_below(&cch.backward_input_arc_of_cch, arcs, true)
        && offsets(
            &cch.first_extra_forward_input_arc_of_cch,
            shortcuts,
            cch.extra_forward_input_arc_of_cch.len(),
        )
        && offsets(
            &cch.first_extra_backward_input_arc_of_cch,
            shortcuts,
            cch.extra_backward_input_arc_of_cch.len(),
        )
        && all_below(&cch.extra_forward_input_arc_of_cch, arcs, false)
        && all_below(&cch.extra_backward_input_arc_of_cch, arcs, false);
    if ok { Ok(()) } else { Err("hierarchy arrays") }
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
