//! Travel matrices: durations and distances between matrix indices, for one profile.

use super::HORIZON_S;

/// Marks an unreachable pair: larger than any horizon, so a tour using it can never be
/// feasible, and still far from overflow when added.
pub const UNREACHABLE: i64 = HORIZON_S;

/// Square matrices of travel durations (seconds) and distances (metres), row-major,
/// row = from, column = to. An unreachable pair holds [`UNREACHABLE`] in both.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TravelMatrix {
    /// Rows (= columns).
    pub size: usize,
    /// Durations, seconds, `size * size` values.
    pub duration_s: Vec<i64>,
    /// Distances, metres, `size * size` values.
    pub distance_m: Vec<i64>,
}

impl TravelMatrix {
    /// A matrix of zeros.
    pub fn zeros(size: usize) -> Self {
        TravelMatrix {
            size,
            duration_s: vec![0; size * size],
            distance_m: vec![0; size * size],
        }
    }

    /// Travel time from `from` to `to`, seconds.
    #[inline]
    pub fn duration_s(&self, from: usize, to: usize) -> i64 {
        self.duration_s[from * self.size + to]
    }

    /// Travel distance from `from` to `to`, metres.
    #[inline]
    pub fn distance_m(&self, from: usize, to: usize) -> i64 {
        self.distance_m[from * self.size + to]
    }
}
