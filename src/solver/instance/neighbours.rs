//! Each stop's nearest stops (what the local search's granular moves try first): built
//! once per instance, in groups of stops that read the matrix row by row. Its own file
//! because the instance's other tables do not need it.

use rayon::prelude::*;

use super::{NEIGHBOURS, Stop};
use crate::domain::TravelMatrix;

/// Stops whose neighbourhoods are built together: their travel times *from* every other
/// stop are read row by row for the whole group (a column of the matrix read stop by
/// stop misses the cache at every cell: a second at 4,900 stops).
const NEIGHBOUR_GROUP: usize = 64;

pub(super) fn neighbours(stops: &[Stop], matrix: Option<&TravelMatrix>) -> Vec<Vec<usize>> {
    let Some(matrix) = matrix else {
        return vec![Vec::new(); stops.len()];
    };
    // Groups in parallel: 96 million pairs at 9,800 stops.
    stops
        .par_chunks(NEIGHBOUR_GROUP)
        .enumerate()
        .flat_map_iter(|(group, chunk)| {
            let first = group * NEIGHBOUR_GROUP;
            // back[k][other]: from `other` to the group's k-th stop.
            let mut back = vec![vec![0_i64; stops.len()]; chunk.len()];
            for (other, o) in stops.iter().enumerate() {
                for (k, stop) in chunk.iter().enumerate() {
                    back[k][other] = proximity(matrix, o.location, stop.location);
                }
            }
            chunk
                .iter()
                .zip(back)
                .enumerate()
                .map(move |(k, (stop, back))| nearest(stops, matrix, first + k, stop, &back))
        })
        .collect()
}

/// How near `to` is from `from`: the cost matrix's cell when the profile has one (what
/// the search minimises then), else the travel time.
fn proximity(matrix: &TravelMatrix, from: usize, to: usize) -> i64 {
    if matrix.has_costs() {
        matrix.cost(from, to)
    } else {
        matrix.duration_s(from, to)
    }
}

/// The stops nearest to `stop` (number `index`), given the times from each to it.
fn nearest(
    stops: &[Stop],
    matrix: &TravelMatrix,
    index: usize,
    stop: &Stop,
    back: &[i64],
) -> Vec<usize> {
    let mut others: Vec<(i64, usize)> = stops
        .iter()
        .enumerate()
        .filter(|(other, _)| *other != index)
        .map(|(other, o)| {
            let d = proximity(matrix, stop.location, o.location).min(back[other]);
            (d, other)
        })
        .collect();
    // The nearest only, sorted: O(stops) per stop where a full sort is
    // O(stops log stops) (seconds at 10,000 stops).
    if others.len() > NEIGHBOURS {
        others.select_nth_unstable(NEIGHBOURS);
        others.truncate(NEIGHBOURS);
    }
    others.sort_unstable();
    others.into_iter().map(|(_, other)| other).collect()
}
