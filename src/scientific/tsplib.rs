//! TSPLIB / CVRPLIB CVRP files (`TYPE : CVRP`, `EDGE_WEIGHT_TYPE : EUC_2D`, as the
//! Uchoa et al. X instances) → a native request. Owns the reading of the format; the
//! request's layout is [`super::instance`]'s.
//!
//! Conventions of CVRPLIB: the distance of an edge is the Euclidean distance rounded to
//! the nearest integer (`nint`), and the objective is the total distance. Node 1 (the
//! single `DEPOT_SECTION` entry) must come first. There are no time windows and no
//! service times. The fleet is unbounded in CVRPLIB; this reader offers twice the
//! bin-packing bound `⌈total demand / capacity⌉` (at most one vehicle per customer),
//! which the best-known plans never reach (X-n101-k25: 26 routes for a bound of 25).
//! Customers become jobs `delivery = [demand]` with id = their node number.

use super::instance::{
    BenchmarkInstance, DistanceConvention, Node, base_request, delivery_jobs, integer, numbers,
    whole,
};
use crate::format_error::FormatError;

/// Which part of the file a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Coordinates,
    Demands,
    Depots,
}

/// Reads a CVRPLIB file (see the module docs).
pub fn parse_tsplib(text: &str) -> Result<BenchmarkInstance, FormatError> {
    let mut name = String::new();
    let mut capacity = None;
    let mut coordinates: Vec<(u64, f64, f64)> = Vec::new();
    let mut demands: Vec<(u64, i64)> = Vec::new();
    let mut depots: Vec<u64> = Vec::new();
    let mut section = Section::Header;
    for (index, line) in text.lines().enumerate() {
        let (field, line) = (format!("line {}", index + 1), line.trim());
        let keyword = line.split([':', ' ', '\t']).next().unwrap_or("");
        match keyword.to_ascii_uppercase().as_str() {
            "" => continue,
            "EOF" => break,
            "NODE_COORD_SECTION" => section = Section::Coordinates,
            "DEMAND_SECTION" => section = Section::Demands,
            "DEPOT_SECTION" => section = Section::Depots,
            "NAME" => name = value(line).to_string(),
            "TYPE" if value(line) != "CVRP" => {
                let message = format!("TYPE {:?} is not supported (CVRP only)", value(line));
                return Err(FormatError::field(field, message));
            }
            "EDGE_WEIGHT_TYPE" if value(line) != "EUC_2D" => {
                let message = format!("EDGE_WEIGHT_TYPE {:?} is not EUC_2D", value(line));
                return Err(FormatError::field(field, message));
            }
            "CAPACITY" => {
                let parsed = value(line).parse::<f64>().ok().and_then(integer);
                capacity = Some(parsed.filter(|&capacity| capacity >= 0).ok_or_else(|| {
                    FormatError::field(&field, "CAPACITY is not a non-negative integer")
                })?);
            }
            _ if section == Section::Header => {} // COMMENT, DIMENSION and the like
            _ => {
                let values = numbers(line).unwrap_or_default();
                let bad = |expected: &str| {
                    FormatError::field(&field, format!("expected {expected}, found {line:?}"))
                };
                match (section, values.as_slice()) {
                    (Section::Coordinates, &[id, x, y]) => {
                        coordinates.push((whole(id).ok_or_else(|| bad("an integer id"))?, x, y));
                    }
                    (Section::Demands, &[id, demand]) => demands.push((
                        whole(id).ok_or_else(|| bad("an integer id"))?,
                        integer(demand).ok_or_else(|| bad("an integer demand"))?,
                    )),
                    (Section::Depots, &[id]) if id < 0.0 => section = Section::Header,
                    (Section::Depots, &[id]) => {
                        depots.push(whole(id).ok_or_else(|| bad("a depot id"))?)
                    }
                    (Section::Coordinates, _) => return Err(bad("`id x y`")),
                    (Section::Demands, _) => return Err(bad("`id demand`")),
                    _ => return Err(bad("one depot id or -1")),
                }
            }
        }
    }
    let capacity = capacity.ok_or_else(|| FormatError::field("CAPACITY", "missing"))?;
    let nodes = join(&coordinates, &demands, &depots)?;
    let total_demand: i64 = nodes.iter().map(|node| node.demand.max(0)).sum();
    let bound = if capacity > 0 {
        (total_demand + capacity - 1) / capacity
    } else {
        1
    };
    let customers = nodes.len() - 1;
    let fleet_size = (2 * bound.max(1) as usize).min(customers).max(1);
    let convention = DistanceConvention::RoundedEuclidean;
    let mut request = base_request(&nodes, convention, fleet_size, capacity);
    request.jobs = delivery_jobs(&nodes);
    Ok(BenchmarkInstance {
        name,
        convention,
        nodes,
        fleet_size,
        capacity,
        request,
    })
}

/// The text after `KEY :`, trimmed.
fn value(line: &str) -> &str {
    match line.split_once(':') {
        Some((_, value)) => value.trim(),
        None => line.split_whitespace().nth(1).unwrap_or(""),
    }
}

/// Coordinates and demands joined by id, the depot first; every node needs both.
fn join(
    coordinates: &[(u64, f64, f64)],
    demands: &[(u64, i64)],
    depots: &[u64],
) -> Result<Vec<Node>, FormatError> {
    let depot = match depots {
        [depot] => *depot,
        _ => {
            let message = format!("exactly one depot expected, found {}", depots.len());
            return Err(FormatError::field("DEPOT_SECTION", message));
        }
    };
    if coordinates.first().map(|&(id, _, _)| id) != Some(depot) {
        let message = format!("the depot {depot} must be the first node");
        return Err(FormatError::field("NODE_COORD_SECTION", message));
    }
    if coordinates.len() < 2 {
        return Err(FormatError::field("NODE_COORD_SECTION", "no customer"));
    }
    let mut nodes = Vec::with_capacity(coordinates.len());
    for &(id, x, y) in coordinates {
        let demand = demands
            .iter()
            .find(|&&(demand_id, _)| demand_id == id)
            .map(|&(_, demand)| demand)
            .ok_or_else(|| FormatError::field("DEMAND_SECTION", format!("no demand for {id}")))?;
        if nodes.iter().any(|node: &Node| node.id == id) {
            let message = format!("node {id} appears twice");
            return Err(FormatError::field("NODE_COORD_SECTION", message));
        }
        nodes.push(Node {
            id,
            x,
            y,
            demand,
            window: None,
            service: 0.0,
        });
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "NAME : \tX-tiny\t\r\nCOMMENT : \t\"made up\"\t\r\nTYPE : \tCVRP\t\r\n\
        DIMENSION : \t4\t\r\nEDGE_WEIGHT_TYPE : \tEUC_2D\t\r\nCAPACITY : \t10\t\r\n\
        NODE_COORD_SECTION\t\t\r\n1\t0\t0\r\n2\t3\t4\r\n3\t1\t1\r\n4\t0\t2\r\n\
        DEMAND_SECTION\t\t\r\n1\t0\t\r\n2\t6\t\r\n3\t6\t\r\n4\t1\t\r\n\
        DEPOT_SECTION\t\t\r\n\t1\t\r\n\t-1\t\r\nEOF\t\t\r\n";

    #[test]
    fn reads_a_cvrplib_file() {
        let instance = parse_tsplib(SMALL).unwrap();
        assert_eq!(instance.name, "X-tiny");
        assert_eq!(instance.capacity, 10);
        assert_eq!(instance.nodes.len(), 4);
        // ⌈13 / 10⌉ = 2, doubled: 4, at most one per customer: 3.
        assert_eq!(instance.fleet_size, 3);
        assert_eq!(instance.request.jobs.len(), 3);
        assert_eq!(instance.request.jobs[0].id, "2");
        assert_eq!(instance.request.jobs[0].delivery, vec![6]);
        assert!(instance.request.vehicles[0].shift.is_none());
        // nint: 0→2 is 5, 2→3 is √13 ≈ 3.6 → 4, 3→0 is √2 ≈ 1.41 → 1.
        assert_eq!(instance.routes_distance(&[vec![1, 2]]), 10.0);
        crate::validate::problem(&instance.request).unwrap();
    }

    #[test]
    fn rejects_other_types() {
        let text = SMALL.replace("EUC_2D", "EXPLICIT");
        let error = parse_tsplib(&text).unwrap_err();
        assert!(error.to_string().contains("EUC_2D"), "{error}");
        let text = SMALL.replace("4\t1\t\r\n", "");
        let error = parse_tsplib(&text).unwrap_err();
        assert!(error.to_string().contains("no demand for 4"), "{error}");
    }
}
