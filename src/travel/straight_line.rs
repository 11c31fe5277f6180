//! Straight-line travel: great-circle distance × a detour factor, at a constant speed.

use crate::domain::TravelMatrix;
use crate::geodesy::haversine_m;

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
