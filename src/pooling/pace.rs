//! Pacing the coalition solves to a deadline: the first way the report degrades when
//! time runs short. After each layer of coalitions the time spent per unit of work
//! (one search iteration for one member of a coalition) gives how many iterations the
//! remaining coalitions can afford; they get fewer, never more than planned. Each
//! coalition still starts from its best split, so fewer iterations never break
//! sub-additivity. The solves are paced to [`GAME_SHARE`] of the time left, so that the
//! linear programs have the rest. When even one iteration per coalition would not fit, the exact game
//! gives up for a sampled one (`play`), sized by [`sampled_orders`]. Without a deadline
//! nothing changes (tests stay deterministic).

use std::time::Instant;

/// Share of the time left that the projection may use: the rest absorbs its error.
const HEADROOM: f64 = 0.8;

/// Share of the time left when the coalition solves start that they are paced to: the
/// rest is for constraint generation and the linear programs.
pub const GAME_SHARE: f64 = 0.7;

/// The instant `share` of the way from `now` to `deadline`.
pub fn share_of(now: Instant, deadline: Instant, share: f64) -> Instant {
    now + deadline
        .saturating_duration_since(now)
        .mul_f64(share.clamp(0.0, 1.0))
}

/// What the solves so far cost, to project the rest.
#[derive(Debug)]
pub struct Pace {
    started: Instant,
    units_done: f64,
}

impl Pace {
    /// Starts measuring now.
    pub fn start() -> Self {
        Pace {
            started: Instant::now(),
            units_done: 0.0,
        }
    }

    /// Records a layer of `coalitions` coalitions of `members` members each, solved with
    /// `iterations` iterations.
    pub fn record(&mut self, coalitions: usize, members: u32, iterations: u64) {
        self.units_done += coalitions as f64 * f64::from(members) * iterations.max(1) as f64;
    }

    /// Work units (one iteration for one member) that fit before `deadline` at the pace
    /// measured so far, within the headroom; `None` before anything was measured.
    pub fn affordable_units(&self, deadline: Instant) -> Option<f64> {
        let now = Instant::now();
        let spent = now.duration_since(self.started).as_secs_f64();
        if self.units_done <= 0.0 || spent <= 0.0 {
            return None;
        }
        let left = deadline.saturating_duration_since(now).as_secs_f64();
        Some(HEADROOM * left * self.units_done / spent)
    }

    /// Iterations per coalition for work of `remaining_units` (members × coalitions
    /// left) before `deadline`, at most `planned`.
    pub fn iterations(&self, planned: u64, remaining_units: f64, deadline: Instant) -> u64 {
        let now = Instant::now();
        let spent = now.duration_since(self.started).as_secs_f64();
        let left = deadline.saturating_duration_since(now).as_secs_f64();
        fitted_iterations(planned, spent, self.units_done, remaining_units, left)
    }
}

/// The iterations that fit: `planned` when the projection allows it, fewer (at least
/// one) when `seconds_spent` on `units_done` says the remaining units would not fit in
/// the headroom of `seconds_left`.
pub fn fitted_iterations(
    planned: u64,
    seconds_spent: f64,
    units_done: f64,
    remaining_units: f64,
    seconds_left: f64,
) -> u64 {
    if units_done <= 0.0 || remaining_units <= 0.0 || seconds_spent <= 0.0 {
        return planned;
    }
    let seconds_per_unit = seconds_spent / units_done;
    let affordable = HEADROOM * seconds_left / (seconds_per_unit * remaining_units);
    if affordable >= planned as f64 {
        planned
    } else {
        (affordable.floor() as u64).max(1)
    }
}

/// Random orders a sampled Shapley value can afford with `affordable_units` of work at
/// one iteration per coalition, for `players` players: each order needs at most
/// n(n−1)/2 units for its prefixes (the grand coalition is the pooled plan), and every
/// player alone needs n more. At most `wanted`; 0 when fewer than 2 fit (no standard
/// error from one order).
pub fn sampled_orders(affordable_units: f64, players: usize, wanted: usize) -> usize {
    let n = players as f64;
    let per_order = (n * (n - 1.0) / 2.0).max(1.0);
    let orders = ((affordable_units - n) / per_order).floor();
    if !orders.is_finite() || orders < 2.0 {
        return 0;
    }
    (orders as usize).min(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_iterations_only_when_the_rest_would_not_fit() {
        // 1 s for 1,000 units: 1 ms a unit. 10,000 units left in 1,000 s: 80 would
        // fit, 36 are planned.
        assert_eq!(fitted_iterations(36, 1.0, 1_000.0, 10_000.0, 1_000.0), 36);
        // In 2 s: 0.8 × 2 / (0.001 × 10,000) = 0.16 → one iteration each.
        assert_eq!(fitted_iterations(36, 1.0, 1_000.0, 10_000.0, 2.0), 1);
        // In 40 s: 0.8 × 40 / 10 = 3.2 → 3.
        assert_eq!(fitted_iterations(36, 1.0, 1_000.0, 10_000.0, 40.0), 3);
        // Nothing measured yet: as planned.
        assert_eq!(fitted_iterations(36, 0.0, 0.0, 10_000.0, 1.0), 36);
    }

    #[test]
    fn sizes_the_sampled_game_to_the_units_left() {
        // 12 players: 66 units an order, 12 for the players alone.
        assert_eq!(sampled_orders(12.0 + 66.0 * 30.0, 12, 200), 30);
        assert_eq!(sampled_orders(1e9, 12, 200), 200);
        assert_eq!(sampled_orders(100.0, 12, 200), 0);
        assert_eq!(sampled_orders(f64::NAN, 12, 200), 0);
    }
}
