//! Travel data: the problem's sites → one duration/distance matrix per profile.
//! Sources: matrices supplied with the request, or straight lines from coordinates
//! (the embedded OSM road graph and OSRM come with the roads work).

mod straight_line;

pub use straight_line::{haversine_m, straight_line_matrix};

use crate::domain::{Problem, TravelMatrix, TravelSource};

/// One matrix per profile of `problem.profiles`, and the name of the source.
pub fn matrices(problem: &Problem) -> (Vec<TravelMatrix>, &'static str) {
    match &problem.travel {
        TravelSource::Supplied(matrices) => (matrices.clone(), "matrices"),
        TravelSource::StraightLine {
            speed_kmh,
            detour_factor,
        } => {
            let points: Vec<(f64, f64)> = problem
                .sites
                .iter()
                .map(|site| site.coordinates_deg.unwrap_or((0.0, 0.0)))
                .collect();
            let matrix = straight_line_matrix(&points, *speed_kmh, *detour_factor);
            (vec![matrix; problem.profiles.len().max(1)], "straight_line")
        }
    }
}
