//! Distances on the earth, in one place: great-circle distance (geo's haversine, the
//! IUGG mean radius) for straight-line travel and snapping reports, and the local flat
//! projection the road graph's spatial index works in.

use geo::{Distance, Haversine, Point};

/// Mean earth radius, metres (IUGG), for the local projection.
const EARTH_RADIUS_M: f64 = 6_371_008.771_4;

/// The radius of geo's [`Haversine`] (GRS80 mean radius), metres, which
/// [`GreatCirclePoint`] must use to measure what geo measures.
const HAVERSINE_RADIUS_M: f64 = 6_371_008.8;

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

/// A point ready for many great-circle distances: geo's haversine terms that depend on
/// one end only, computed once. A matrix of n points then costs n cosines instead of 2n².
#[derive(Debug, Clone, Copy)]
pub struct GreatCirclePoint {
    lat_deg: f64,
    lon_deg: f64,
    cos_lat: f64,
}

impl GreatCirclePoint {
    /// The point (lat, lon) in degrees.
    pub fn new((lat_deg, lon_deg): (f64, f64)) -> Self {
        GreatCirclePoint {
            lat_deg,
            lon_deg,
            cos_lat: lat_deg.to_radians().cos(),
        }
    }

    /// [`haversine_m`] to `other`, to the bit: the same operations in the same order as
    /// geo's [`Haversine`] (a unit test holds them equal).
    #[inline]
    pub fn distance_m(&self, other: &GreatCirclePoint) -> f64 {
        let delta_theta = (other.lat_deg - self.lat_deg).to_radians();
        let delta_lambda = (other.lon_deg - self.lon_deg).to_radians();
        let a = (delta_theta / 2.0).sin().powi(2)
            + self.cos_lat * other.cos_lat * (delta_lambda / 2.0).sin().powi(2);
        let distance_m = HAVERSINE_RADIUS_M * (2.0 * a.sqrt().asin());
        if distance_m.is_nan() {
            std::f64::consts::PI * EARTH_RADIUS_M
        } else {
            distance_m
        }
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
    fn prepared_points_measure_what_geo_measures_to_the_bit() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |span: f64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state as f64 / u64::MAX as f64 - 0.5) * span
        };
        let mut points: Vec<(f64, f64)> = (0..300).map(|_| (next(180.0), next(360.0))).collect();
        points.extend((0..300).map(|_| (47.1 + next(0.2), 9.5 + next(0.2))));
        points.extend([
            (0.0, 0.0),
            (0.0, 180.0),
            (90.0, 0.0),
            (-90.0, 0.0),
            (45.0, -180.0),
        ]);
        for &a in &points {
            for &b in points.iter().step_by(7) {
                let prepared = GreatCirclePoint::new(a).distance_m(&GreatCirclePoint::new(b));
                assert_eq!(
                    prepared.to_bits(),
                    haversine_m(a, b).to_bits(),
                    "{a:?} {b:?}"
                );
            }
        }
    }

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
