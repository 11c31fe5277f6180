//! The hierarchy's labels: for every arc, the duration of the fastest path it stands
//! for and that path's length, customized together.
//!
//! Matrices report the distance of the fastest path, as OSRM does. A second metric of
//! packed `time × M + distance` weights answered that before, customized per call for
//! the call's reach and queried beside the durations: on a region the customization
//! cost seconds and the second query doubled the matrix. Here the hierarchy is
//! customized once, at preparation, with (duration, distance) pairs in lexicographic
//! order (the plain Dijkstra oracle's order), and one query carries both (see [`label`]). The pairs form an
//! ordered monoid (addition keeps the order), so the customization's triangle
//! relaxation is exact for them as for plain durations, and the durations it finds are
//! the duration metric's own, so no separate duration metric is customized or stored.

use cch::{Cch, INF_WEIGHT};

const INVALID: u32 = u32::MAX;

/// The label of no path: every label at or above it is unreachable.
pub const UNREACHED: u64 = (INF_WEIGHT as u64) << 32;

/// A (duration ms, distance dm) pair as one number ordered like the pair: the duration
/// in the high half, the distance in the low half. Distances stay far below 2³² dm
/// (429,000 km) on any road path, so sums never carry into the duration.
pub fn label(duration_ms: u32, distance_dm: u32) -> u64 {
    if duration_ms >= INF_WEIGHT {
        UNREACHED
    } else {
        (u64::from(duration_ms) << 32) | u64::from(distance_dm)
    }
}

/// The sum of two labels, [`UNREACHED`] when either is.
pub fn add(a: u64, b: u64) -> u64 {
    a.saturating_add(b).min(UNREACHED)
}

/// The (duration ms, distance dm) of a label, `None` when unreached.
pub fn split(label: u64) -> Option<(u64, u64)> {
    (label < UNREACHED).then_some((label >> 32, label & u64::from(u32::MAX)))
}

/// Customizes `cch` with (duration, distance) pairs of the input arcs; returns the
/// forward and backward labels of its arcs.
pub fn customize(cch: &Cch, duration_ms: &[u32], distance_dm: &[u32]) -> [Vec<u64>; 2] {
    let input = |arc: u32| label(duration_ms[arc as usize], distance_dm[arc as usize]);
    let arcs = cch.up_head.len();
    let (mut forward, mut backward) = (vec![UNREACHED; arcs], vec![UNREACHED; arcs]);
    for arc in 0..arcs {
        for (labels, first_input, first_extra, extra) in [
            (
                &mut forward,
                &cch.forward_input_arc_of_cch,
                &cch.first_extra_forward_input_arc_of_cch,
                &cch.extra_forward_input_arc_of_cch,
            ),
            (
                &mut backward,
                &cch.backward_input_arc_of_cch,
                &cch.first_extra_backward_input_arc_of_cch,
                &cch.extra_backward_input_arc_of_cch,
            ),
        ] {
            if first_input[arc] != INVALID {
                labels[arc] = input(first_input[arc]);
            }
            for j in first_extra[arc]..first_extra[arc + 1] {
                labels[arc] = labels[arc].min(input(extra[j as usize]));
            }
        }
    }
    relax_triangles(cch, &mut forward, &mut backward);
    [forward, backward]
}

/// The lower-triangle relaxation of CCH customization (RoutingKit's order), node by
/// node upwards: every arc below a node is final before the node's arcs are relaxed.
fn relax_triangles(cch: &Cch, forward: &mut [u64], backward: &mut [u64]) {
    let nodes = cch.rank.len();
    let mut up_arc_to = vec![0u32; nodes];
    for x in 0..nodes {
        for xz in cch.up_first_out[x]..cch.up_first_out[x + 1] {
            up_arc_to[cch.up_head[xz as usize] as usize] = xz;
        }
        for xy_down in cch.down_first_out[x]..cch.down_first_out[x + 1] {
            let bottom = cch.down_to_up[xy_down as usize] as usize;
            let y = cch.down_head[xy_down as usize] as usize;
            for mid in (cch.up_first_out[y]..cch.up_first_out[y + 1]).rev() {
                let z = cch.up_head[mid as usize] as usize;
                if z <= x {
                    break;
                }
                let (mid, top) = (mid as usize, up_arc_to[z] as usize);
                forward[top] = forward[top].min(add(backward[bottom], forward[mid]));
                backward[top] = backward[top].min(add(forward[bottom], backward[mid]));
            }
        }
    }
}
