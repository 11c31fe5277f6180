//! Distances on the earth, in one place: great-circle distance (geo's haversine, the
//! IUGG mean radius) for straight-line travel and snapping reports, and the local flat
//! projection the road graph's spatial index works in.

use geo::{Distance, Haversine, Point};

/// Mean earth radius, metres (the radius of geo's [`Haversine`]).
const EARTH_RADIUS_M: f64 = 6_371_008.771_4;

/// Great-circle distance between two (lat, lon) points in degrees, metres.
pub fn haversine_m((lat_a, lon_a): (f64, f64), (lat_b, lon_b): (f64, f64)) -> f64 {
    let distance_m = Haversine.distance(Point::new(lon_a, lat_a), Point::new(lon_b, lat_b));
    // Rounding can push nearly antipodal points past the formula's domain.
    if distance_m.is_nan() {
        std::f64::consts::PI * EARTH_RADIUS_M
    } else {
        distance_m
    }
}

/// A local equirectangular projection to metres around a reference latitude: accurate
/// over a region of ~100 km, and cheap enough for every road segment of an extract.
#[derive(Debug, Clone, Copy)]
pub struct LocalProjection {
    cos_lat0: f64,
}

impl LocalProjection {
    /// The projection around `lat0_deg`.
    pub fn around(lat0_deg: f64) -> Self {
        LocalProjection {
            // Near a pole the east-west scale would vanish.
            cos_lat0: lat0_deg.to_radians().cos().max(0.01),
        }
    }

    /// (lat, lon) degrees → [x, y] metres.
    pub fn to_xy(self, (lat, lon): (f64, f64)) -> [f64; 2] {
        [
            lon.to_radians() * EARTH_RADIUS_M * self.cos_lat0,
            lat.to_radians() * EARTH_RADIUS_M,
        ]
    }

    /// [x, y] metres → (lat, lon) degrees.
    pub fn to_lat_lon(self, [x, y]: [f64; 2]) -> (f64, f64) {
        (
            (y / EARTH_RADIUS_M).to_degrees(),
            (x / (EARTH_RADIUS_M * self.cos_lat0)).to_degrees(),
        )
    }
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

    #[test]
    fn the_projection_goes_there_and_back() {
        let projection = LocalProjection::around(47.1);
        let (lat, lon) = projection.to_lat_lon(projection.to_xy((47.1410, 9.5209)));
        assert!((lat - 47.1410).abs() < 1e-9 && (lon - 9.5209).abs() < 1e-9);
    }
}
