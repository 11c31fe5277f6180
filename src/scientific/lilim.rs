//! Li & Lim (2001) PDPTW text files → a native request. Owns the reading of the format
//! and the pairing of pickups with deliveries; the request's layout (sites, matrices,
//! scaled integers, fleet) is [`super::instance`]'s.
//!
//! The format (tab- or space-separated, CRLF or LF):
//! ```text
//! 25  200  1                               vehicles capacity speed
//! 0   40   50  0    0    1236  0   0   0    the depot (id 0)
//! 1   45   68  -10  912  967   90  11  0    id x y demand ready due service pickup delivery
//! 3   42   66  10   65   146   90  0   75
//! ```
//! A pickup has `demand > 0`, `pickup_sibling = 0` and `delivery_sibling` = the id of
//! its delivery; a delivery has `demand < 0` and `pickup_sibling` = the id of its pickup.
//! Each pair becomes a shipment `"s<pickup id>-<delivery id>"` (the VROOM output writer
//! turns that back into pickup and delivery task ids) of `amount = [demand]`. The
//! `speed` field is ignored: the literature uses travel time = distance (some files say
//! 0, others 1).

use super::instance::{
    BenchmarkInstance, DistanceConvention, Node, base_request, integer, numbers, whole,
};
use super::solomon::check_ids;
use crate::format_error::FormatError;
use crate::pb;

/// Reads a Li & Lim file (see the module docs). The name is left empty: the files have
/// none (callers use the file name).
pub fn parse_lilim(text: &str) -> Result<BenchmarkInstance, FormatError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty());
    let (fleet_size, capacity) = match lines.next() {
        Some((number, line)) => header(number, line)?,
        None => return Err(FormatError::field("line 1", "empty file")),
    };
    let mut nodes = Vec::new();
    let mut siblings = Vec::new();
    for (number, line) in lines {
        let (node, pickup_sibling, delivery_sibling) = row(number, line)?;
        nodes.push(node);
        siblings.push((pickup_sibling, delivery_sibling));
    }
    check_ids(&nodes)?;
    let pairs = pairs(&nodes, &siblings)?;
    let mut request = base_request(&nodes, DistanceConvention::Euclidean, fleet_size, capacity);
    request.shipments = pairs
        .iter()
        .map(|&(pickup, delivery)| {
            let (pickup, delivery) = (&nodes[pickup], &nodes[delivery]);
            pb::Shipment {
                id: format!("s{}-{}", pickup.id, delivery.id),
                pickup: Some(stop(pickup)),
                delivery: Some(stop(delivery)),
                amount: vec![pickup.demand],
                ..Default::default()
            }
        })
        .collect();
    Ok(BenchmarkInstance {
        name: String::new(),
        convention: DistanceConvention::Euclidean,
        nodes,
        fleet_size,
        capacity,
        request,
    })
}

/// The first line: `vehicles capacity speed`.
fn header(number: usize, line: &str) -> Result<(usize, i64), FormatError> {
    let values = numbers(line).unwrap_or_default();
    let parsed = match values.as_slice() {
        [vehicles, capacity, ..] => whole(*vehicles)
            .filter(|&count| count >= 1)
            .zip(integer(*capacity).filter(|&capacity| capacity >= 0)),
        _ => None,
    };
    parsed
        .map(|(vehicles, capacity)| (vehicles as usize, capacity))
        .ok_or_else(|| {
            let message = format!("expected `vehicles capacity speed`, found {line:?}");
            FormatError::field(format!("line {number}"), message)
        })
}

/// One node row: the node and its (pickup, delivery) sibling ids.
fn row(number: usize, line: &str) -> Result<(Node, u64, u64), FormatError> {
    let field = format!("line {number}");
    let values = numbers(line)
        .filter(|values| values.len() == 9)
        .ok_or_else(|| {
            let message = format!(
                "expected 9 numbers (id x y demand ready due service pickup delivery): {line:?}"
            );
            FormatError::field(&field, message)
        })?;
    let ids = [values[0], values[7], values[8]].map(whole);
    let [Some(id), Some(pickup_sibling), Some(delivery_sibling)] = ids else {
        return Err(FormatError::field(
            &field,
            "ids and siblings must be non-negative integers",
        ));
    };
    let demand = integer(values[3])
        .ok_or_else(|| FormatError::field(&field, "the demand is not an integer"))?;
    let node = Node {
        id,
        x: values[1],
        y: values[2],
        demand,
        window: Some((values[4], values[5])),
        service: values[6],
    };
    Ok((node, pickup_sibling, delivery_sibling))
}

/// (pickup, delivery) node positions, in the order of the pickups in the file. Every
/// node but the depot must be in exactly one consistent pair.
fn pairs(nodes: &[Node], siblings: &[(u64, u64)]) -> Result<Vec<(usize, usize)>, FormatError> {
    let position = |id: u64| nodes.iter().position(|node| node.id == id);
    let mut paired = vec![false; nodes.len()];
    let mut pairs = Vec::new();
    for (pickup, node) in nodes.iter().enumerate().skip(1) {
        let (pickup_sibling, delivery_sibling) = siblings[pickup];
        if pickup_sibling != 0 {
            continue; // a delivery: checked from its pickup
        }
        let field = format!("node {}", node.id);
        let delivery = position(delivery_sibling)
            .filter(|&delivery| delivery > 0 && delivery_sibling != 0)
            .ok_or_else(|| {
                let message =
                    format!("a pickup whose delivery {delivery_sibling} is not a customer");
                FormatError::field(&field, message)
            })?;
        if siblings[delivery] != (node.id, 0) {
            return Err(FormatError::field(
                &field,
                format!("its delivery {delivery_sibling} does not name it as its pickup"),
            ));
        }
        if node.demand < 0 || nodes[delivery].demand != -node.demand {
            return Err(FormatError::field(
                &field,
                format!(
                    "pickup demand {} and delivery demand {} are not opposite",
                    node.demand, nodes[delivery].demand
                ),
            ));
        }
        if paired[delivery] {
            return Err(FormatError::field(
                &field,
                format!("delivery {delivery_sibling} already belongs to another pickup"),
            ));
        }
        paired[pickup] = true;
        paired[delivery] = true;
        pairs.push((pickup, delivery));
    }
    match paired.iter().skip(1).position(|&done| !done) {
        Some(index) => Err(FormatError::field(
            format!("node {}", nodes[index + 1].id),
            "neither a pickup nor the delivery of one",
        )),
        None => Ok(pairs),
    }
}

/// A task stop at the node's site (its window and service come from the site).
fn stop(node: &Node) -> pb::TaskStop {
    pb::TaskStop {
        site_id: node.id.to_string(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scientific::instance::SCALE;

    const LC101: &str = include_str!("../../data/lilim/lc101.txt");

    #[test]
    fn reads_lc101() {
        assert!(LC101.contains("\r\n"), "the original CRLF bytes are kept");
        let instance = parse_lilim(LC101).unwrap();
        assert_eq!((instance.fleet_size, instance.capacity), (25, 200));
        assert_eq!(instance.nodes.len(), 107);
        let request = &instance.request;
        assert_eq!(request.shipments.len(), 53);
        assert_eq!(request.vehicles.len(), 25);
        // Node 3: 42 66 10 65 146 90, pickup of 75.
        let shipment = &request.shipments[0];
        assert_eq!(shipment.id, "s3-75");
        assert_eq!(shipment.amount, vec![10]);
        let site = &request.sites[3];
        assert_eq!(site.id, "3");
        let window = site.opening_windows[0];
        assert_eq!((window.start_s, window.end_s), (65 * SCALE, 146 * SCALE));
        let shift = request.vehicles[0].shift.unwrap();
        assert_eq!((shift.start_s, shift.end_s), (0, 1236 * SCALE));
        crate::validate::problem(request).unwrap();
    }

    #[test]
    fn rejects_inconsistent_pairs() {
        let text = "2 10 1\n0 0 0 0 0 99 0 0 0\n1 1 1 5 0 99 0 0 2\n2 2 2 -5 0 99 0 3 0\n";
        let error = parse_lilim(text).unwrap_err();
        assert!(error.to_string().contains("does not name it"), "{error}");
        let text = "2 10 1\n0 0 0 0 0 99 0 0 0\n1 1 1 5 0 99 0 0 2\n2 2 2 -4 0 99 0 1 0\n";
        let error = parse_lilim(text).unwrap_err();
        assert!(error.to_string().contains("not opposite"), "{error}");
        let text = "2 10 1\n0 0 0 0 0 99 0 0 0\n1 1 1 5 0 99 0 0 0\n";
        let error = parse_lilim(text).unwrap_err();
        assert!(error.to_string().contains("not a customer"), "{error}");
        let text = "2 10 1\n0 0 0 0 0 99 0 0 0\n1 1 1 5 0 99 0 0 2\n2 2 2 -5 0 99 0 1 0\n";
        assert_eq!(parse_lilim(text).unwrap().request.shipments.len(), 1);
    }
}
