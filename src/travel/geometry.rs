//! Tour geometry: the path a tour drives, as (lat, lon) points and as an encoded
//! polyline (precision 5, what OSRM's `geometries=polyline` returns).
//!
//! The path comes from the same source as the matrix that planned the tour: the
//! embedded road graph's fastest paths, OSRM's `/route`, or straight segments.

use geo::Coord;

use super::point_matrix::PointMatrix;

/// The points a tour through `sites` (indices into `points_deg`, in driving order)
/// drives along, (lat, lon) degrees.
pub fn tour_path(
    travel: &PointMatrix,
    points_deg: &[(f64, f64)],
    sites: &[usize],
) -> Vec<(f64, f64)> {
    if let Some(network) = &travel.road
        && travel.nodes.len() == points_deg.len()
    {
        let mut path: Vec<(f64, f64)> = Vec::new();
        for leg in sites.windows(2) {
            let (from, to) = (travel.nodes[leg[0]], travel.nodes[leg[1]]);
            let mut leg_path = network.path_lat_lon(from, to);
            if leg_path.is_empty() {
                leg_path = vec![points_deg[leg[0]], points_deg[leg[1]]];
            }
            if !path.is_empty() {
                leg_path.remove(0);
            }
            path.extend(leg_path);
        }
        return path;
    }
    if let Some(client) = &travel.osrm {
        let points: Vec<(f64, f64)> = sites
            .iter()
            .map(|&s| travel.snapped_deg.get(s).copied().unwrap_or(points_deg[s]))
            .collect();
        if let Ok(route) = client.route(&points)
            && let Ok(line) = polyline::decode_polyline(&route.polyline5, 5)
        {
            return line.0.iter().map(|c| (c.y, c.x)).collect();
        }
    }
    sites.iter().map(|&s| points_deg[s]).collect()
}

/// Encodes (lat, lon) points as a precision-5 polyline.
pub fn encode_polyline5(path_deg: &[(f64, f64)]) -> String {
    polyline::encode_coordinates(
        path_deg.iter().map(|&(lat, lon)| Coord { x: lon, y: lat }),
        5,
    )
    .unwrap_or_default()
}

/// The encoded polyline of a tour through `sites`.
pub fn tour_geometry(travel: &PointMatrix, points_deg: &[(f64, f64)], sites: &[usize]) -> String {
    encode_polyline5(&tour_path(travel, points_deg, sites))
}
