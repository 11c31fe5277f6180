//! Reads an OpenStreetMap PBF extract into the car-drivable arcs between way nodes.
//!
//! Two passes, as large extracts want: the ways first (keeping the drivable ones and
//! the ids of their nodes), then only those nodes' coordinates and tags. Way nodes
//! missing from a clipped extract cut the way there instead of failing.

use std::collections::HashMap;
use std::path::Path;

use osmpbf::{Element, ElementReader};

use super::error::RoadError;
use super::profile::{self, WaySpeed};
use crate::geodesy::haversine_m;

/// One directed road segment between two way nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawArc {
    /// Index of the start node.
    pub tail: u32,
    /// Index of the end node.
    pub head: u32,
    /// Driving time, milliseconds, with the penalty of the end node.
    pub duration_ms: u32,
    /// Length, decimetres.
    pub distance_dm: u32,
}

/// The drivable network of an extract, before the strongly connected filter.
#[derive(Debug, Default)]
pub struct RawNetwork {
    /// (lat, lon) in degrees per node index.
    pub lat_lon_deg: Vec<(f64, f64)>,
    /// Every directed segment a car may drive.
    pub arcs: Vec<RawArc>,
}

struct KeptWay {
    refs: Vec<i64>,
    speed: WaySpeed,
}

/// Reads the PBF file `path` with the car profile.
pub fn read_car_network(path: &Path) -> Result<RawNetwork, RoadError> {
    let name = path.display().to_string();
    read_with(&name, || ElementReader::from_path(path))
}

/// Reads a PBF held in memory with the car profile.
pub fn read_car_network_bytes(name: &str, bytes: &[u8]) -> Result<RawNetwork, RoadError> {
    read_with(name, || Ok(ElementReader::new(std::io::Cursor::new(bytes))))
}

fn read_with<R: std::io::Read + Send>(
    name: &str,
    open: impl Fn() -> Result<ElementReader<R>, osmpbf::Error>,
) -> Result<RawNetwork, RoadError> {
    let read_error = |source: osmpbf::Error| RoadError::Osm {
        path: name.to_string(),
        message: source.to_string(),
    };
    let ways = read_drivable_ways(open().map_err(read_error)?).map_err(read_error)?;
    let nodes = WayNodes::of(&ways);
    let positions =
        read_node_positions(open().map_err(read_error)?, &nodes.index_of).map_err(read_error)?;
    let arcs = arcs(&ways, &nodes, &positions);
    Ok(RawNetwork {
        lat_lon_deg: positions.lat_lon_deg,
        arcs,
    })
}

/// First pass: the ways the car profile may drive, with their node ids and speeds.
fn read_drivable_ways<R: std::io::Read + Send>(
    reader: ElementReader<R>,
) -> Result<Vec<KeptWay>, osmpbf::Error> {
    let mut ways = Vec::new();
    reader.for_each(|element| {
        if let Element::Way(way) = element
            && let Some(speed) = profile::car_way_speed(way.tags())
        {
            ways.push(KeptWay {
                refs: way.refs().collect(),
                speed,
            });
        }
    })?;
    Ok(ways)
}

/// The nodes of the kept ways: dense indices in order of first use, and the degree
/// that finds junctions.
struct WayNodes {
    index_of: HashMap<i64, u32>,
    /// Way segments meeting at each node (saturating: only ≥ 3 matters).
    degree: Vec<u8>,
}

impl WayNodes {
    fn of(ways: &[KeptWay]) -> WayNodes {
        let mut index_of: HashMap<i64, u32> = HashMap::new();
        let mut degree: Vec<u8> = Vec::new();
        for way in ways {
            for (position, id) in way.refs.iter().enumerate() {
                let next = index_of.len() as u32;
                let index = *index_of.entry(*id).or_insert(next);
                if index == next {
                    degree.push(0);
                }
                let ends = u8::from(position > 0) + u8::from(position + 1 < way.refs.len());
                degree[index as usize] = degree[index as usize].saturating_add(ends);
            }
        }
        WayNodes { index_of, degree }
    }

    fn is_junction(&self, node: u32) -> bool {
        self.degree[node as usize] >= 3
    }
}

/// Per node index: its position (NaN when the extract lacks the node) and the penalty
/// its tags (signals, crossings…) cost a car entering it.
struct NodePositions {
    lat_lon_deg: Vec<(f64, f64)>,
    penalty_s: Vec<f64>,
}

/// Second pass: the coordinates and tag penalties of the nodes in `index_of` only.
fn read_node_positions<R: std::io::Read + Send>(
    reader: ElementReader<R>,
    index_of: &HashMap<i64, u32>,
) -> Result<NodePositions, osmpbf::Error> {
    let mut lat_lon_deg = vec![(f64::NAN, f64::NAN); index_of.len()];
    let mut penalty_s = vec![0.0_f64; index_of.len()];
    reader.for_each(|element| {
        let (id, lat, lon, penalty) = match element {
            Element::DenseNode(node) => (
                node.id(),
                node.lat(),
                node.lon(),
                profile::node_penalty_s(node.tags()),
            ),
            Element::Node(node) => (
                node.id(),
                node.lat(),
                node.lon(),
                profile::node_penalty_s(node.tags()),
            ),
            _ => return,
        };
        if let Some(index) = index_of.get(&id) {
            lat_lon_deg[*index as usize] = (lat, lon);
            penalty_s[*index as usize] = penalty;
        }
    })?;
    Ok(NodePositions {
        lat_lon_deg,
        penalty_s,
    })
}

/// Every directed segment between consecutive way nodes the extract holds, in each
/// direction the way allows.
fn arcs(ways: &[KeptWay], nodes: &WayNodes, positions: &NodePositions) -> Vec<RawArc> {
    let entry_penalty_s = |node: u32| {
        positions.penalty_s[node as usize]
            + if nodes.is_junction(node) {
                profile::JUNCTION_PENALTY_S
            } else {
                0.0
            }
    };
    let mut arcs = Vec::new();
    for way in ways {
        for pair in way.refs.windows(2) {
            let (Some(&a), Some(&b)) = (nodes.index_of.get(&pair[0]), nodes.index_of.get(&pair[1]))
            else {
                continue;
            };
            let (pa, pb) = (
                positions.lat_lon_deg[a as usize],
                positions.lat_lon_deg[b as usize],
            );
            if pa.0.is_nan() || pb.0.is_nan() || a == b {
                continue; // a node the clipped extract does not hold
            }
            let length_m = haversine_m(pa, pb);
            let mut push = |tail: u32, head: u32, kmh: f64| {
                arcs.push(arc(tail, head, length_m, kmh, entry_penalty_s(head)));
            };
            if let Some(kmh) = way.speed.forward_kmh {
                push(a, b, kmh);
            }
            if let Some(kmh) = way.speed.backward_kmh {
                push(b, a, kmh);
            }
        }
    }
    arcs
}

/// A segment of `length_m` driven at `kmh` (clamped to what the profile allows), plus
/// the penalty of entering its head; both rounded and kept well inside `u32`.
fn arc(tail: u32, head: u32, length_m: f64, kmh: f64, head_penalty_s: f64) -> RawArc {
    let kmh = kmh.clamp(1.0, profile::MAX_SPEED_KMH);
    let seconds = length_m / (kmh / 3.6) + head_penalty_s;
    RawArc {
        tail,
        head,
        duration_ms: (seconds * 1000.0).round().min(u32::MAX as f64 / 4.0) as u32,
        distance_dm: (length_m * 10.0).round().min(u32::MAX as f64 / 4.0) as u32,
    }
}
