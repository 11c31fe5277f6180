//! Straight-line travel: great-circle distance × a detour factor, at a constant speed.

use crate::domain::TravelMatrix;

/// Mean earth radius, metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance between two (lat, lon) points in degrees, metres.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Matrix between `points` (lat, lon in degrees): distance in metres = great circle ×
/// `detour_factor`, duration in seconds = distance / speed, both rounded.
pub fn straight_line_matrix(
    points: &[(f64, f64)],
    speed_kmh: f64,
    detour_factor: f64,
) -> TravelMatrix {
    let size = points.len();
    let mut matrix = TravelMatrix::zeros(size);
    let speed_mps = speed_kmh / 3.6;
    for (from, a) in points.iter().enumerate() {
        for (to, b) in points.iter().enumerate() {
            let distance_m = haversine_m(*a, *b) * detour_factor;
            matrix.distance_m[from * size + to] = distance_m.round() as i64;
            matrix.duration_s[from * size + to] = (distance_m / speed_mps).round() as i64;
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_measure_a_known_distance() {
        // Vaduz → Schaan, about 2.8 km as the crow flies.
        let d = haversine_m((47.1410, 9.5209), (47.1650, 9.5097));
        assert!((2_600.0..2_900.0).contains(&d), "{d}");
    }
}
