//! Where things are: a place's, an Enterprise's or a Person's coordinates (on the node
//! itself or on its `hasAddress`, embedded or referenced) and a name to show, each
//! missing or dangling piece collected with its path.

use super::graph::{Graph, Node};
use super::terms::{FAMILY_NAME, FIRST_NAME, HAS_ADDRESS, LATITUDE, LONGITUDE, NAME};
use crate::validate::{Code, Collector};

/// The node a link names, or a `dfc.dangling_reference` at `from`'s `property`.
pub fn follow<'a>(
    graph: &'a Graph,
    from: &Node,
    property: &[super::terms::Term],
    id: &str,
    problems: &mut Collector,
) -> Option<&'a Node> {
    let node = graph.node(id);
    if node.is_none() {
        problems.push(
            Code::DfcDanglingReference,
            from.path(property),
            format!("links to {id}, which the document does not hold; embed that node or add it to @graph"),
        );
    }
    node
}

/// The first node `from` links to by `forward` (or that links to it by `inverse`):
/// `code` with `what` at `from`'s `forward` when there is none, a dangling reference
/// when the document does not hold it.
pub fn required<'a>(
    graph: &'a Graph,
    from: &Node,
    (forward, inverse): (&[super::terms::Term], &[super::terms::Term]),
    (code, what): (Code, &str),
    problems: &mut Collector,
) -> Option<&'a Node> {
    let Some(id) = graph.linked(from, forward, inverse).into_iter().next() else {
        problems.push(code, from.path(forward), what);
        return None;
    };
    follow(graph, from, forward, &id, problems)
}

/// A node's (lat, lon) in degrees: its own `latitude`/`longitude` (an Address), else
/// those of its `hasAddress`.
pub fn coordinates(graph: &Graph, node: &Node, problems: &mut Collector) -> Option<(f64, f64)> {
    if graph.literal(node, &LATITUDE).is_some() || graph.literal(node, &LONGITUDE).is_some() {
        return lat_lon(graph, node, problems);
    }
    let Some(address_id) = graph.link(node, &HAS_ADDRESS) else {
        let what = "needs an address with latitude and longitude (WGS84 degrees)";
        problems.push(Code::DfcMissingCoordinates, node.path(&HAS_ADDRESS), what);
        return None;
    };
    let address = follow(graph, node, &HAS_ADDRESS, &address_id, problems)?;
    lat_lon(graph, address, problems)
}

/// An Address's latitude and longitude, numbers in range; one violation when both are
/// missing.
fn lat_lon(graph: &Graph, address: &Node, problems: &mut Collector) -> Option<(f64, f64)> {
    let number = |property: &[super::terms::Term]| {
        graph
            .literal(address, property)
            .and_then(|literal| literal.number())
    };
    let (Some(latitude), Some(longitude)) = (number(&LATITUDE), number(&LONGITUDE)) else {
        let property: &[super::terms::Term] = if number(&LATITUDE).is_none() {
            &LATITUDE
        } else {
            &LONGITUDE
        };
        let what = "a farm, pickup place or delivery address needs numeric latitude and longitude (WGS84 degrees)";
        problems.push(Code::DfcMissingCoordinates, address.path(property), what);
        return None;
    };
    for (property, value, limit) in [(&LATITUDE, latitude, 90.0), (&LONGITUDE, longitude, 180.0)] {
        if value.abs() > limit {
            let what = format!("{value} is out of range (±{limit}°)");
            problems.push(Code::Coordinates, address.path(property), what);
            return None;
        }
    }
    Some((latitude, longitude))
}

/// A name to show: `name`, or a Person's first and family names, or the id.
pub fn name_of(graph: &Graph, node: &Node) -> String {
    if let Some(name) = graph.literal(node, &NAME) {
        return name.text();
    }
    let parts: Vec<String> = [&FIRST_NAME[..], &FAMILY_NAME[..]]
        .iter()
        .filter_map(|terms| graph.literal(node, terms).map(|literal| literal.text()))
        .collect();
    if parts.is_empty() {
        node.id.clone()
    } else {
        parts.join(" ")
    }
}
