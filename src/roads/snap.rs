//! Snapping sites onto road segments, as OSRM does: the point is projected onto the
//! nearest drivable segment and the route starts (or ends) part-way along it, so a farm
//! gate halfway down a long rural road costs half the road, not all of it.
//!
//! The index is a flat grid over the network's extent in a local projection: each cell
//! lists the segments whose bounding box touches it (CSR arrays). Unlike a tree it is
//! two plain arrays, so a prepared file stores it and loading a region reads it instead
//! of rebuilding it (a region's R-tree took 10 s to bulk-load); building it is two
//! passes of counting. A query searches rings of cells around the point until no
//! unvisited cell can hold a nearer segment, so the answer is the exact nearest segment.

use super::graph::RoadGraph;
use crate::geodesy::LocalProjection;

/// A point moved onto the road: on arc `arc` (tail → head) at `fraction` of its length,
/// also drivable backwards through `reverse_arc` when the road is two-way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapped {
    /// The arc the point lies on.
    pub arc: u32,
    /// The arc head → tail, when the road is two-way.
    pub reverse_arc: Option<u32>,
    /// Position along `arc`, 0 at its tail, 1 at its head.
    pub fraction: f64,
    /// The snapped position, (lat, lon) degrees.
    pub lat_lon_deg: (f64, f64),
    /// How far the point was moved, metres.
    pub snap_distance_m: f64,
}

/// Segments per cell the grid aims at on average.
const SEGMENTS_PER_CELL: f64 = 2.0;
/// The smallest cell side, metres: finer cells only add empty ones.
const MIN_CELL_M: f64 = 10.0;

/// Where the grid lies and how it is cut: what a prepared file stores beside the arrays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridFrame {
    /// The projection's reference latitude, degrees.
    pub mean_lat_deg: f64,
    /// The grid's lower-left corner in the projection, metres.
    pub origin_m: [f64; 2],
    /// A cell's side, metres.
    pub cell_m: f64,
    /// Cells across (x) and up (y).
    pub columns: u32,
    /// Cells up (y).
    pub rows: u32,
}

/// A grid over the graph's undirected road segments.
pub struct SnapIndex {
    frame: GridFrame,
    projection: LocalProjection,
    /// Offsets into `cell_arcs`, one per cell plus the end (row-major, `y * columns + x`).
    cell_first: Vec<u32>,
    /// The segments (by one of their arcs) each cell holds.
    cell_arcs: Vec<u32>,
}

impl SnapIndex {
    /// Indexes every segment of `graph`.
    pub fn new(graph: &RoadGraph) -> SnapIndex {
        let count = graph.node_count().max(1) as f64;
        let mean_lat_deg = graph.lat_lon_deg.iter().map(|p| p.0).sum::<f64>() / count;
        let projection = LocalProjection::around(mean_lat_deg);
        let segments: Vec<u32> = (0..graph.arc_count())
            .filter(|&arc| {
                let (tail, head) = (graph.tail[arc], graph.head[arc]);
                tail < head || graph.find_arc(head, tail).is_none()
            })
            .map(|arc| arc as u32)
            .collect();
        let frame = frame_for(graph, projection, mean_lat_deg, segments.len());
        let mut index = SnapIndex {
            frame,
            projection,
            cell_first: vec![0; cell_count(&frame) + 1],
            cell_arcs: Vec::new(),
        };
        index.fill(graph, &segments);
        index
    }

    /// An index read back from a prepared file (its arrays checked by the reader).
    pub fn from_parts(frame: GridFrame, cell_first: Vec<u32>, cell_arcs: Vec<u32>) -> SnapIndex {
        SnapIndex {
            frame,
            projection: LocalProjection::around(frame.mean_lat_deg),
            cell_first,
            cell_arcs,
        }
    }

    /// The frame and the two arrays, to write a prepared file.
    pub fn parts(&self) -> (GridFrame, &Vec<u32>, &Vec<u32>) {
        (self.frame, &self.cell_first, &self.cell_arcs)
    }

    /// Counts the segments per cell, then places them (counting sort, so each cell
    /// lists its segments by arc number and the index is the same on every build).
    fn fill(&mut self, graph: &RoadGraph, segments: &[u32]) {
        let mut counts = vec![0u32; self.cell_first.len()];
        for &arc in segments {
            self.for_cells(graph, arc, |cell| counts[cell + 1] += 1);
        }
        for cell in 1..counts.len() {
            counts[cell] += counts[cell - 1];
        }
        self.cell_first.clone_from(&counts);
        let mut placed = vec![0; counts.last().copied().unwrap_or(0) as usize];
        let mut next = counts;
        for &arc in segments {
            self.for_cells(graph, arc, |cell| {
                placed[next[cell] as usize] = arc;
                next[cell] += 1;
            });
        }
        self.cell_arcs = placed;
    }

    /// Calls `visit` with every cell `arc`'s segment crosses: column by column, the
    /// rows the segment spans over that column (widened by a hair against rounding), so
    /// a long straight road lists the cells along it, not its whole bounding box.
    fn for_cells(&self, graph: &RoadGraph, arc: u32, mut visit: impl FnMut(usize)) {
        let [a, b] = self.segment(graph, arc);
        let frame = &self.frame;
        let hair_m = frame.cell_m * 1e-6;
        let (left, right) = (a[0].min(b[0]), a[0].max(b[0]));
        let first = self.cell_of([left - hair_m, 0.0])[0];
        let last = self.cell_of([right + hair_m, 0.0])[0];
        let slope = (b[1] - a[1]) / (b[0] - a[0]);
        for x in first..=last {
            let column_m = frame.origin_m[0] + f64::from(x) * frame.cell_m;
            let (from_m, to_m) = (left.max(column_m), right.min(column_m + frame.cell_m));
            let (low_m, high_m) = if slope.is_finite() {
                let (y0, y1) = (a[1] + (from_m - a[0]) * slope, a[1] + (to_m - a[0]) * slope);
                (y0.min(y1), y0.max(y1))
            } else {
                (a[1].min(b[1]), a[1].max(b[1]))
            };
            let low = self.cell_of([0.0, low_m - hair_m])[1];
            let high = self.cell_of([0.0, high_m + hair_m])[1];
            for y in low..=high {
                visit(y as usize * frame.columns as usize + x as usize);
            }
        }
    }

    fn segment(&self, graph: &RoadGraph, arc: u32) -> [[f64; 2]; 2] {
        let arc = arc as usize;
        [
            self.projection
                .to_xy(graph.lat_lon_deg[graph.tail[arc] as usize]),
            self.projection
                .to_xy(graph.lat_lon_deg[graph.head[arc] as usize]),
        ]
    }

    /// The cell holding `point`, clamped onto the grid.
    fn cell_of(&self, point: [f64; 2]) -> [u32; 2] {
        let frame = &self.frame;
        let along = |axis: usize, cells: u32| {
            let at = ((point[axis] - frame.origin_m[axis]) / frame.cell_m).floor();
            at.clamp(0.0, f64::from(cells - 1)) as u32
        };
        [along(0, frame.columns), along(1, frame.rows)]
    }

    /// The road segments (one arc each) listed in the cells a box touches, (lat, lon)
    /// degrees from its south-west to its north-east corner, sorted: every segment
    /// with an end inside the box is among them.
    pub fn arcs_near(&self, south_west_deg: (f64, f64), north_east_deg: (f64, f64)) -> Vec<u32> {
        let low = self.cell_of(self.projection.to_xy(south_west_deg));
        let high = self.cell_of(self.projection.to_xy(north_east_deg));
        let columns = self.frame.columns as usize;
        let mut arcs: Vec<u32> = (low[1]..=high[1])
            .flat_map(|y| (low[0]..=high[0]).map(move |x| y as usize * columns + x as usize))
            .flat_map(|cell| {
                let (first, end) = (self.cell_first[cell], self.cell_first[cell + 1]);
                self.cell_arcs[first as usize..end as usize].iter().copied()
            })
            .collect();
        arcs.sort_unstable();
        arcs.dedup();
        arcs
    }

    /// The nearest point on a road to `lat_lon_deg`; `None` only for an empty graph.
    pub fn snap(&self, graph: &RoadGraph, lat_lon_deg: (f64, f64)) -> Option<Snapped> {
        let query = self.projection.to_xy(lat_lon_deg);
        let (arc, fraction, distance_m) = self.nearest(graph, query)?;
        let [a, b] = self.segment(graph, arc);
        let on_road = [
            a[0] + fraction * (b[0] - a[0]),
            a[1] + fraction * (b[1] - a[1]),
        ];
        let (tail, head) = (graph.tail[arc as usize], graph.head[arc as usize]);
        Some(Snapped {
            arc,
            reverse_arc: graph.find_arc(head, tail).map(|r| r as u32),
            fraction,
            lat_lon_deg: self.projection.to_lat_lon(on_road),
            snap_distance_m: distance_m,
        })
    }

    /// The nearest segment to `query` (ties to the lower arc number), the fraction along
    /// it and the distance, metres: rings of cells outwards until the rest of the grid
    /// lies farther than the best segment found.
    fn nearest(&self, graph: &RoadGraph, query: [f64; 2]) -> Option<(u32, f64, f64)> {
        let centre = self.cell_of(query);
        let mut best: Option<(f64, u32, f64)> = None;
        for ring in 0.. {
            let Some(cells) = self.ring(centre, ring) else {
                break;
            };
            for cell in cells {
                let (first, end) = (self.cell_first[cell], self.cell_first[cell + 1]);
                for &arc in &self.cell_arcs[first as usize..end as usize] {
                    let (distance_m, fraction) = to_segment(query, self.segment(graph, arc));
                    if best.is_none_or(|(d, a, _)| (distance_m, arc) < (d, a)) {
                        best = Some((distance_m, arc, fraction));
                    }
                }
            }
            let beyond_m = self.beyond_ring_m(query, centre, ring);
            if best.is_some_and(|(d, _, _)| d <= beyond_m) {
                break;
            }
        }
        best.map(|(distance_m, arc, fraction)| (arc, fraction, distance_m))
    }

    /// The cells at Chebyshev distance `ring` from `centre` inside the grid; `None` once
    /// the ring lies wholly outside it.
    fn ring(&self, centre: [u32; 2], ring: u32) -> Option<Vec<usize>> {
        let (columns, rows) = (i64::from(self.frame.columns), i64::from(self.frame.rows));
        let (cx, cy, r) = (i64::from(centre[0]), i64::from(centre[1]), i64::from(ring));
        if cx - r < 0 && cy - r < 0 && cx + r >= columns && cy + r >= rows {
            return None;
        }
        let inside = |x: i64, y: i64| (0..columns).contains(&x) && (0..rows).contains(&y);
        let mut cells = Vec::new();
        for y in cy - r..=cy + r {
            let step = if y == cy - r || y == cy + r {
                1
            } else {
                (2 * r).max(1)
            };
            let mut x = cx - r;
            while x <= cx + r {
                if inside(x, y) {
                    cells.push((y * columns + x) as usize);
                }
                x += step;
            }
        }
        Some(cells)
    }

    /// A lower bound on the distance from `query` to any cell outside the rings up to
    /// `ring`: the nearest side of that square which the grid extends past.
    fn beyond_ring_m(&self, query: [f64; 2], centre: [u32; 2], ring: u32) -> f64 {
        let frame = &self.frame;
        let mut bound = f64::INFINITY;
        let cells = [frame.columns, frame.rows];
        for axis in 0..2 {
            let low = i64::from(centre[axis]) - i64::from(ring);
            let high = i64::from(centre[axis]) + i64::from(ring) + 1;
            let side_m = |cell: i64| frame.origin_m[axis] + cell as f64 * frame.cell_m;
            if low > 0 {
                bound = bound.min((query[axis] - side_m(low)).max(0.0));
            }
            if high < i64::from(cells[axis]) {
                bound = bound.min((side_m(high) - query[axis]).max(0.0));
            }
        }
        bound
    }
}

fn cell_count(frame: &GridFrame) -> usize {
    frame.columns as usize * frame.rows as usize
}

/// A frame over the graph's extent with about [`SEGMENTS_PER_CELL`] segments per cell.
fn frame_for(
    graph: &RoadGraph,
    projection: LocalProjection,
    mean_lat_deg: f64,
    segments: usize,
) -> GridFrame {
    let (mut low, mut high) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for &point in &graph.lat_lon_deg {
        let xy = projection.to_xy(point);
        for axis in 0..2 {
            low[axis] = low[axis].min(xy[axis]);
            high[axis] = high[axis].max(xy[axis]);
        }
    }
    if !low[0].is_finite() {
        (low, high) = ([0.0; 2], [0.0; 2]);
    }
    let area_m2 = ((high[0] - low[0]) * (high[1] - low[1])).max(1.0);
    let cells_wanted = (segments as f64 / SEGMENTS_PER_CELL).max(1.0);
    // The second bound keeps a thin strip of a network from cutting into many cells.
    let longest_side_m = (high[0] - low[0]).max(high[1] - low[1]);
    let cell_m = (area_m2 / cells_wanted)
        .sqrt()
        .max(longest_side_m / cells_wanted)
        .max(MIN_CELL_M);
    let across = |axis: usize| ((high[axis] - low[axis]) / cell_m).floor() as u32 + 1;
    GridFrame {
        mean_lat_deg,
        origin_m: low,
        cell_m,
        columns: across(0),
        rows: across(1),
    }
}

/// Distance from `point` to the segment `[a, b]`, metres, and the fraction along it of
/// the nearest point.
fn to_segment(point: [f64; 2], [a, b]: [[f64; 2]; 2]) -> (f64, f64) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length_sq = dx * dx + dy * dy;
    let fraction = if length_sq > 0.0 {
        (((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let on_road = [a[0] + fraction * dx, a[1] + fraction * dy];
    let distance_m = ((point[0] - on_road[0]).powi(2) + (point[1] - on_road[1]).powi(2)).sqrt();
    (distance_m, fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random graph of `nodes` points over about 20 × 20 km with a few long roads (a
    /// ferry-like 15 km segment among them), arcs sorted by tail.
    fn graph(nodes: usize, seed: u64) -> RoadGraph {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let lat_lon_deg: Vec<(f64, f64)> = (0..nodes)
            .map(|_| (44.7 + 0.18 * next(), 4.9 + 0.25 * next()))
            .collect();
        let mut arcs: Vec<(u32, u32)> = (0..nodes as u32)
            .flat_map(|tail| {
                let near = (tail + 1 + (next() * 3.0) as u32) % nodes as u32;
                let far = (next() * nodes as f64) as u32 % nodes as u32;
                [(tail, near), (near, tail), (tail, far)]
            })
            .filter(|(tail, head)| tail != head)
            .collect();
        arcs.sort_unstable();
        arcs.dedup();
        let mut first_out = vec![0u32; nodes + 1];
        for &(tail, _) in &arcs {
            first_out[tail as usize + 1] += 1;
        }
        for node in 1..=nodes {
            first_out[node] += first_out[node - 1];
        }
        RoadGraph {
            lat_lon_deg,
            first_out,
            tail: arcs.iter().map(|a| a.0).collect(),
            head: arcs.iter().map(|a| a.1).collect(),
            duration_ms: vec![1; arcs.len()],
            distance_dm: vec![1; arcs.len()],
        }
    }

    /// The nearest segment by trying them all.
    fn brute_force(graph: &RoadGraph, index: &SnapIndex, point: (f64, f64)) -> f64 {
        let query = index.projection.to_xy(point);
        (0..graph.arc_count() as u32)
            .map(|arc| to_segment(query, index.segment(graph, arc)).0)
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn the_grid_finds_the_nearest_segment_inside_and_far_outside_the_network() {
        for (nodes, seed) in [(1, 3), (2, 5), (40, 7), (400, 11)] {
            let graph = graph(nodes, seed);
            let index = SnapIndex::new(&graph);
            let cells = index.cell_first.len() - 1;
            assert!(cells <= 2 * graph.arc_count() + 2, "{cells} cells");
            let mut state = seed;
            for _ in 0..300 {
                state = state
                    .wrapping_mul(2_862_933_555_777_941_757)
                    .wrapping_add(3);
                let (u, v) = (
                    (state >> 40) as f64 / 16_777_216.0,
                    (state & 0xff_ffff) as f64,
                );
                // From inside the network to 30 km outside it on every side.
                let point = (44.4 + 0.8 * u, 4.5 + 1.0 * (v / 16_777_216.0));
                let expected = brute_force(&graph, &index, point);
                match index.snap(&graph, point) {
                    Some(snapped) if graph.arc_count() > 0 => assert!(
                        (snapped.snap_distance_m - expected).abs() < 1e-6,
                        "{point:?}: {} against {expected}",
                        snapped.snap_distance_m
                    ),
                    None => assert_eq!(graph.arc_count(), 0),
                    Some(_) => panic!("a snap on a graph without roads"),
                }
            }
        }
    }

    #[test]
    fn a_box_lists_every_segment_with_an_end_inside_it() {
        let graph = graph(400, 17);
        let index = SnapIndex::new(&graph);
        let mut state = 29u64;
        for _ in 0..200 {
            state = state
                .wrapping_mul(2_862_933_555_777_941_757)
                .wrapping_add(7);
            let (u, v) = (
                (state >> 40) as f64 / 16_777_216.0,
                (state & 0xff_ffff) as f64,
            );
            let south_west = (44.6 + 0.3 * u, 4.8 + 0.35 * (v / 16_777_216.0));
            let north_east = (south_west.0 + 0.01 + 0.05 * u, south_west.1 + 0.02);
            let inside = |node: u32| {
                let (lat, lon) = graph.lat_lon_deg[node as usize];
                (south_west.0..=north_east.0).contains(&lat)
                    && (south_west.1..=north_east.1).contains(&lon)
            };
            let near = index.arcs_near(south_west, north_east);
            for arc in 0..graph.arc_count() {
                let (tail, head) = (graph.tail[arc], graph.head[arc]);
                let stands_for_its_road = tail < head || graph.find_arc(head, tail).is_none();
                if stands_for_its_road && (inside(tail) || inside(head)) {
                    assert!(near.binary_search(&(arc as u32)).is_ok(), "arc {arc}");
                }
            }
        }
    }

    #[test]
    fn a_long_straight_road_is_listed_in_the_cells_along_it_not_its_whole_box() {
        let mut graph = graph(400, 13);
        // Arc 0 (from node 0 to a higher node, so it stands for its road) becomes a
        // 25 km diagonal across the whole network.
        let arc = 0;
        graph.lat_lon_deg[graph.tail[arc] as usize] = (44.7, 4.9);
        graph.lat_lon_deg[graph.head[arc] as usize] = (44.88, 5.15);
        let index = SnapIndex::new(&graph);
        let listed = (0..index.cell_first.len() - 1)
            .filter(|&cell| {
                let range = index.cell_first[cell] as usize..index.cell_first[cell + 1] as usize;
                index.cell_arcs[range].contains(&(arc as u32))
            })
            .count();
        let (columns, rows) = (index.frame.columns as usize, index.frame.rows as usize);
        assert!(listed >= columns.max(rows), "{listed} cells");
        assert!(
            listed <= 3 * (columns + rows),
            "{listed} cells of {columns} × {rows}"
        );
    }
}
