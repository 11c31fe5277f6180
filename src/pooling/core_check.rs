//! Core membership: no group of players pays more, under a split, than it would cost
//! on its own.

/// Tolerance in currency units (costs are rounded to micro-units upstream).
pub const TOLERANCE: f64 = 1e-6;

/// For each player: whether every coalition containing it pays at most its cost.
pub fn members_in_core(shares: &[f64], costs: &[f64]) -> Vec<bool> {
    let players = shares.len();
    let mut in_core = vec![true; players];
    for (mask, cost) in costs.iter().enumerate().skip(1) {
        let paid: f64 = (0..players)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| shares[i])
            .sum();
        if paid > cost + TOLERANCE * (1.0 + cost.abs()) {
            for (i, flag) in in_core.iter_mut().enumerate() {
                if mask >> i & 1 == 1 {
                    *flag = false;
                }
            }
        }
    }
    in_core
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_the_players_of_a_group_that_pays_too_much() {
        let costs = [0.0, 10.0, 6.0, 12.0];
        assert_eq!(members_in_core(&[8.0, 4.0], &costs), vec![true, true]);
        assert_eq!(members_in_core(&[11.0, 1.0], &costs), vec![false, true]);
    }
}
