//! A literature instance as a native request, and its measure in the literature's units:
//! the common model of the scientific benchmark formats (Solomon and Gehring & Homberger
//! VRPTW, Li & Lim PDPTW, TSPLIB/CVRPLIB CVRP): the nodes of a file, how the literature
//! measures an edge, and the one way such a file becomes a native [`pb::SolveRequest`],
//! so that benchmarks go through the normal `validate` → `solver` path.
//!
//! Scale internally, report unscaled. The files speak of real-valued coordinates, times
//! and distances (travel time = distance); the solver works in integers. Every time,
//! window bound, service time and distance is multiplied by [`SCALE`] and rounded once,
//! here: a request's `_s` and `_m` values are file units × 1000. Travel times are rounded
//! *up* (distances to the nearest), so a plan feasible in integers is feasible with the
//! unrounded times of the literature too. Figures for people and for `bks.csv` are
//! recomputed from the coordinates by [`BenchmarkInstance::measure`], never read back
//! from the scaled integers.
//!
//! Request layout: one site per node, id = the node's number in the file, `matrix_index`
//! = its position; supplied matrices for profile `"car"`; `K` identical vehicles `"1"`..
//! `"K"` from and to the depot (node 0 in the file order), costs `per_km = 1` only, so
//! the API's cost is the unscaled distance and `OBJECTIVE_COST` ranks like distance.

use crate::domain::{Problem, Solution};
use crate::pb;

/// Factor applied to every time and distance of a benchmark file before rounding to the
/// solver's integers: 1000 keeps three decimals, more than the two the literature reports.
pub const SCALE: i64 = 1000;

/// How the literature measures an edge of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistanceConvention {
    /// Real-valued Euclidean distance, unrounded (Solomon, Homberger, Li & Lim).
    Euclidean,
    /// Euclidean distance rounded to the nearest integer per edge (TSPLIB `EUC_2D`
    /// `nint`, the CVRPLIB convention).
    RoundedEuclidean,
}

impl DistanceConvention {
    /// Length of the edge between two nodes, file units.
    pub fn edge(self, from: &Node, to: &Node) -> f64 {
        let exact = (from.x - to.x).hypot(from.y - to.y);
        match self {
            DistanceConvention::Euclidean => exact,
            DistanceConvention::RoundedEuclidean => (exact + 0.5).floor(),
        }
    }
}

/// One node of a benchmark file. Times are in the file's unit, unscaled.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Number written in the file; the site id.
    pub id: u64,
    /// x coordinate, file units.
    pub x: f64,
    /// y coordinate, file units.
    pub y: f64,
    /// Demand: loaded (> 0) or, for a Li & Lim delivery, unloaded (< 0).
    pub demand: i64,
    /// Time window `[ready, due]` of the service start, file time units; `None`: always
    /// open (CVRP).
    pub window: Option<(f64, f64)>,
    /// Service time, file time units.
    pub service: f64,
}

/// A benchmark file read into a native request, with what is needed to measure its
/// plans the way the literature does.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkInstance {
    /// Name written in the file (empty for Li & Lim, whose files have none).
    pub name: String,
    /// How an edge is measured.
    pub convention: DistanceConvention,
    /// Nodes in file order; the depot first.
    pub nodes: Vec<Node>,
    /// Vehicles available (the file's fleet size).
    pub fleet_size: usize,
    /// Capacity of every vehicle.
    pub capacity: i64,
    /// The problem as a native request (objective `COST`, default search options).
    pub request: pb::SolveRequest,
}

/// What a plan of a benchmark instance measures in the literature's convention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Vehicles used.
    pub vehicles: usize,
    /// Total distance, unscaled file units, recomputed from the coordinates.
    pub distance: f64,
    /// Tasks left out (a plan is only comparable with the literature when 0).
    pub unassigned: usize,
}

impl BenchmarkInstance {
    /// Measures `solution` of `problem` (validated from [`Self::request`]): vehicles and
    /// the unscaled distance recomputed edge by edge from the coordinates.
    pub fn measure(&self, problem: &Problem, solution: &Solution) -> Measure {
        let routes: Vec<Vec<usize>> = solution
            .tours
            .iter()
            .map(|tour| {
                tour.steps
                    .iter()
                    .filter_map(|step| step.site)
                    .filter_map(|site| problem.sites.get(site))
                    .map(|site| site.matrix_index)
                    .collect()
            })
            .collect();
        Measure {
            vehicles: solution.tours.len(),
            distance: routes.iter().map(|route| self.path_length(route)).sum(),
            unassigned: solution.unassigned.len(),
        }
    }

    /// Total distance of `routes`, unscaled file units. Each route lists node positions
    /// (indices into [`Self::nodes`]) without the depot: it is added at both ends, as in
    /// the literature's solution files. Positions out of range are skipped.
    pub fn routes_distance(&self, routes: &[Vec<usize>]) -> f64 {
        routes
            .iter()
            .filter(|route| !route.is_empty())
            .map(|route| {
                let mut path = Vec::with_capacity(route.len() + 2);
                path.push(0);
                path.extend_from_slice(route);
                path.push(0);
                self.path_length(&path)
            })
            .sum()
    }

    /// Length of the path through node positions, in order, file units.
    fn path_length(&self, path: &[usize]) -> f64 {
        path.windows(2)
            .filter_map(|pair| Some((self.nodes.get(pair[0])?, self.nodes.get(pair[1])?)))
            .map(|(from, to)| self.convention.edge(from, to))
            .sum()
    }
}

/// A file value × [`SCALE`], rounded to the nearest integer.
pub(super) fn scaled(value: f64) -> i64 {
    (value * SCALE as f64).round() as i64
}

/// One job per customer (every node but the depot, node 0), delivering its demand; the
/// job and its site are named by the node number.
pub(super) fn delivery_jobs(nodes: &[Node]) -> Vec<pb::Job> {
    nodes
        .iter()
        .skip(1)
        .map(|customer| pb::Job {
            id: customer.id.to_string(),
            stop: Some(pb::TaskStop {
                site_id: customer.id.to_string(),
                ..Default::default()
            }),
            delivery: vec![customer.demand],
            ..Default::default()
        })
        .collect()
}

/// The request's parts common to every benchmark format: one site per node, the
/// matrices, `fleet_size` vehicles at the depot (node 0); tasks are left to the reader.
pub(super) fn base_request(
    nodes: &[Node],
    convention: DistanceConvention,
    fleet_size: usize,
    capacity: i64,
) -> pb::SolveRequest {
    let sites = nodes
        .iter()
        .enumerate()
        .map(|(position, node)| pb::Site {
            id: node.id.to_string(),
            kind: if position == 0 {
                pb::SiteKind::Hub as i32
            } else {
                pb::SiteKind::Unspecified as i32
            },
            location: Some(pb::Location {
                kind: Some(pb::location::Kind::MatrixIndex(position as u32)),
            }),
            // The depot's window is the vehicles' shift, not an opening window.
            opening_windows: match node.window {
                Some((ready, due)) if position > 0 => vec![pb::TimeWindow {
                    start_s: scaled(ready),
                    end_s: scaled(due),
                    ..Default::default()
                }],
                _ => Vec::new(),
            },
            service_s: scaled(node.service),
            ..Default::default()
        })
        .collect();
    let depot_id = nodes.first().map(|depot| depot.id.to_string());
    let shift = nodes
        .first()
        .and_then(|depot| depot.window)
        .map(|(ready, due)| pb::TimeWindow {
            start_s: scaled(ready),
            end_s: scaled(due),
            ..Default::default()
        });
    let vehicles = (1..=fleet_size)
        .map(|number| pb::Vehicle {
            id: number.to_string(),
            start_site_id: depot_id.clone().unwrap_or_default(),
            end_site_id: depot_id.clone().unwrap_or_default(),
            capacity: vec![capacity],
            shift,
            costs: Some(pb::VehicleCosts {
                per_km: 1.0,
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    pb::SolveRequest {
        sites,
        vehicles,
        options: Some(pb::SolveOptions::default()),
        travel: Some(matrices(nodes, convention)),
        ..Default::default()
    }
}

/// Supplied matrices (profile "car"): distances × [`SCALE`] rounded to the nearest,
/// travel times × [`SCALE`] rounded up (never shorter than the literature's).
fn matrices(nodes: &[Node], convention: DistanceConvention) -> pb::TravelOptions {
    let mut durations_s = Vec::with_capacity(nodes.len());
    let mut distances_m = Vec::with_capacity(nodes.len());
    for from in nodes {
        let edges: Vec<f64> = nodes
            .iter()
            .map(|to| convention.edge(from, to) * SCALE as f64)
            .collect();
        distances_m.push(pb::MatrixRow {
            values: edges.iter().map(|edge| edge.round() as i64).collect(),
        });
        // The tolerance keeps an exact integer product (3-4-5 edges) from rounding up.
        durations_s.push(pb::MatrixRow {
            values: edges
                .iter()
                .map(|edge| (edge - 1e-6).ceil() as i64)
                .collect(),
        });
    }
    pb::TravelOptions {
        source: Some(pb::travel_options::Source::Matrices(pb::SuppliedMatrices {
            profiles: vec![pb::ProfileMatrices {
                profile: "car".to_string(),
                durations_s,
                distances_m,
                costs: Vec::new(),
            }],
        })),
    }
}

/// The numbers of a whitespace-separated line, or `None` when one is not a number.
pub(super) fn numbers(line: &str) -> Option<Vec<f64>> {
    line.split_whitespace()
        .map(|token| token.parse::<f64>().ok().filter(|value| value.is_finite()))
        .collect()
}

/// A file value that must be a non-negative integer (an id, a count).
pub(super) fn whole(value: f64) -> Option<u64> {
    (value.fract() == 0.0 && (0.0..9.0e15).contains(&value)).then_some(value as u64)
}

/// A file value that must be an integer (a demand).
pub(super) fn integer(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: u64, x: f64, y: f64) -> Node {
        Node {
            id,
            x,
            y,
            demand: 0,
            window: None,
            service: 0.0,
        }
    }

    #[test]
    fn edges_follow_the_convention() {
        let (a, b) = (node(0, 0.0, 0.0), node(1, 1.0, 1.0));
        assert_eq!(DistanceConvention::Euclidean.edge(&a, &b), 2f64.sqrt());
        assert_eq!(DistanceConvention::RoundedEuclidean.edge(&a, &b), 1.0);
        let c = node(2, 1.5, 0.0);
        assert_eq!(DistanceConvention::RoundedEuclidean.edge(&a, &c), 2.0);
    }

    #[test]
    fn times_round_up_and_distances_to_the_nearest() {
        let nodes = [node(0, 0.0, 0.0), node(1, 1.0, 1.0), node(2, 3.0, 4.0)];
        let request = base_request(&nodes, DistanceConvention::Euclidean, 2, 10);
        let Some(pb::travel_options::Source::Matrices(supplied)) =
            request.travel.and_then(|travel| travel.source)
        else {
            panic!("supplied matrices expected");
        };
        let profile = &supplied.profiles[0];
        assert_eq!(profile.distances_m[0].values, vec![0, 1414, 5000]);
        assert_eq!(profile.durations_s[0].values, vec![0, 1415, 5000]);
        assert_eq!(request.vehicles.len(), 2);
        assert_eq!(request.vehicles[1].id, "2");
        assert!(request.vehicles[0].shift.is_none());
    }
}
