//! Solomon (1987) and Gehring & Homberger (1999) VRPTW text files → a native request.
//! Owns the reading of the format only; the request's layout (sites, matrices, scaled
//! integers, fleet) is [`super::instance`]'s.
//!
//! The format (CRLF line endings in the distributed files; both are accepted):
//! ```text
//! C101
//!
//! VEHICLE
//! NUMBER     CAPACITY
//!   25         200
//!
//! CUSTOMER
//! CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
//!
//!     0      40         50          0          0       1236          0
//!     1      45         68         10        912        967         90
//! ```
//! Customer 0 is the depot: its window is the vehicles' shift. Every other customer is
//! a job with `delivery = [demand]`, id = its number, whose service must start in
//! `[ready, due]`.

use super::instance::{
    BenchmarkInstance, DistanceConvention, Node, base_request, delivery_jobs, integer, numbers,
    whole,
};
use crate::format_error::FormatError;

/// Reads a Solomon or Gehring & Homberger file (see the module docs).
pub fn parse_solomon(text: &str) -> Result<BenchmarkInstance, FormatError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .collect();
    let name = lines.first().map_or("", |(_, line)| line).to_string();
    let (fleet_size, capacity) = fleet(&lines)?;
    let section = lines
        .iter()
        .position(|(_, line)| line.to_ascii_uppercase().starts_with("CUST"))
        .ok_or_else(|| FormatError::field("CUSTOMER", "no customer table (`CUSTOMER`)"))?;
    // The section's title lines (`CUSTOMER`, `CUST NO. …`) hold no number; rows follow.
    let nodes = lines[section..]
        .iter()
        .skip_while(|(_, line)| numbers(line).is_none())
        .map(|&(number, line)| node(number, line))
        .collect::<Result<Vec<_>, _>>()?;
    check_ids(&nodes)?;
    let mut request = base_request(&nodes, DistanceConvention::Euclidean, fleet_size, capacity);
    request.jobs = delivery_jobs(&nodes);
    Ok(BenchmarkInstance {
        name,
        convention: DistanceConvention::Euclidean,
        nodes,
        fleet_size,
        capacity,
        request,
    })
}

/// The line after `NUMBER CAPACITY`: the fleet size and the capacity.
fn fleet(lines: &[(usize, &str)]) -> Result<(usize, i64), FormatError> {
    let header = lines
        .iter()
        .position(|(_, line)| line.to_ascii_uppercase().starts_with("NUMBER"))
        .ok_or_else(|| FormatError::field("VEHICLE", "no `NUMBER CAPACITY` header"))?;
    let Some(&(number, line)) = lines.get(header + 1) else {
        return Err(FormatError::field(
            "VEHICLE",
            "no fleet line after the header",
        ));
    };
    let values = numbers(line).unwrap_or_default();
    match values.as_slice() {
        [vehicles, capacity, ..] => {
            let vehicles = whole(*vehicles).filter(|&count| count >= 1);
            let capacity = integer(*capacity).filter(|&capacity| capacity >= 0);
            match (vehicles, capacity) {
                (Some(vehicles), Some(capacity)) => Ok((vehicles as usize, capacity)),
                _ => Err(FormatError::field(
                    format!("line {number}"),
                    "expected a positive fleet size and a non-negative capacity",
                )),
            }
        }
        _ => Err(FormatError::field(
            format!("line {number}"),
            format!("expected `vehicles capacity`, found {line:?}"),
        )),
    }
}

/// One row of the customer table: id, x, y, demand, ready, due, service.
fn node(number: usize, line: &str) -> Result<Node, FormatError> {
    let field = format!("line {number}");
    let values = numbers(line)
        .filter(|values| values.len() == 7)
        .ok_or_else(|| {
            let message = format!("expected 7 numbers (id x y demand ready due service): {line:?}");
            FormatError::field(&field, message)
        })?;
    let id = whole(values[0])
        .ok_or_else(|| FormatError::field(&field, "the id is not a non-negative integer"))?;
    let demand = integer(values[3])
        .ok_or_else(|| FormatError::field(&field, "the demand is not an integer"))?;
    Ok(Node {
        id,
        x: values[1],
        y: values[2],
        demand,
        window: Some((values[4], values[5])),
        service: values[6],
    })
}

/// The depot (id 0) comes first, then at least one customer; ids are unique.
pub(super) fn check_ids(nodes: &[Node]) -> Result<(), FormatError> {
    match nodes.first() {
        None => return Err(FormatError::field("nodes", "no depot and no customer")),
        Some(depot) if depot.id != 0 => {
            return Err(FormatError::field(
                "nodes[0]",
                format!("the depot must be node 0, found {}", depot.id),
            ));
        }
        Some(_) if nodes.len() < 2 => {
            return Err(FormatError::field("nodes", "no customer after the depot"));
        }
        Some(_) => {}
    }
    let mut ids: Vec<u64> = nodes.iter().map(|node| node.id).collect();
    ids.sort_unstable();
    match ids.windows(2).find(|pair| pair[0] == pair[1]) {
        Some(pair) => Err(FormatError::field(
            "nodes",
            format!("node {} appears twice", pair[0]),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scientific::instance::SCALE;

    const C101: &str = include_str!("../../data/solomon/C101.txt");

    #[test]
    fn reads_c101() {
        assert!(C101.contains("\r\n"), "the original CRLF bytes are kept");
        let instance = parse_solomon(C101).unwrap();
        assert_eq!(instance.name, "C101");
        assert_eq!((instance.fleet_size, instance.capacity), (25, 200));
        assert_eq!(instance.nodes.len(), 101);
        let request = &instance.request;
        assert_eq!(request.jobs.len(), 100);
        assert_eq!(request.sites.len(), 101);
        assert_eq!(request.vehicles.len(), 25);
        assert_eq!(request.vehicles[0].capacity, vec![200]);
        let shift = request.vehicles[0].shift.unwrap();
        assert_eq!((shift.start_s, shift.end_s), (0, 1236 * SCALE));
        // Customer 1: 45 68 10 912 967 90.
        assert_eq!(request.jobs[0].id, "1");
        assert_eq!(request.jobs[0].delivery, vec![10]);
        let site = &request.sites[1];
        assert_eq!(site.id, "1");
        let window = site.opening_windows[0];
        assert_eq!((window.start_s, window.end_s), (912 * SCALE, 967 * SCALE));
        assert_eq!(site.service_s, 90 * SCALE);
        let depot_to_1 = instance.routes_distance(&[vec![1]]) / 2.0;
        assert_eq!(depot_to_1, (25.0f64 + 324.0).sqrt());
        crate::validate::problem(request).unwrap();
    }

    #[test]
    fn measures_the_best_known_c101_plan() {
        let instance = parse_solomon(C101).unwrap();
        // The best-known 10-route plan (checked by the peers' check_solution.py).
        let routes: Vec<Vec<usize>> = [
            &[5, 3, 7, 8, 10, 11, 9, 6, 4, 2, 1, 75][..],
            &[13, 17, 18, 19, 15, 16, 14, 12],
            &[20, 24, 25, 27, 29, 30, 28, 26, 23, 22, 21],
            &[32, 33, 31, 35, 37, 38, 39, 36, 34],
            &[43, 42, 41, 40, 44, 46, 45, 48, 51, 50, 52, 49, 47],
            &[57, 55, 54, 53, 56, 58, 60, 59],
            &[67, 65, 63, 62, 74, 72, 61, 64, 68, 66, 69],
            &[81, 78, 76, 71, 70, 73, 77, 79, 80],
            &[90, 87, 86, 83, 82, 84, 85, 88, 89, 91],
            &[98, 96, 95, 94, 92, 93, 97, 100, 99],
        ]
        .iter()
        .map(|route| route.to_vec())
        .collect();
        let distance = instance.routes_distance(&routes);
        assert!((distance - 828.94).abs() < 0.005, "{distance}");
    }

    #[test]
    fn errors_name_the_line() {
        let text =
            "X\r\nVEHICLE\r\nNUMBER CAPACITY\r\n 2 10\r\nCUST NO.\r\n0 0 0 0 0 9 0\r\n1 1 1\r\n";
        let error = parse_solomon(text).unwrap_err();
        assert!(error.to_string().starts_with("line 7:"), "{error}");
        let text = "X\nVEHICLE\nNUMBER CAPACITY\n 2 10\nCUST NO.\n1 0 0 0 0 9 0\n2 1 1 1 0 9 0\n";
        let error = parse_solomon(text).unwrap_err();
        assert!(
            error.to_string().contains("depot must be node 0"),
            "{error}"
        );
        let error = parse_solomon("X\nCUST NO.\n").unwrap_err();
        assert!(error.to_string().contains("NUMBER CAPACITY"), "{error}");
    }
}
