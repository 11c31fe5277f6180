//! Core membership: no group of players pays more, under a split, than it would cost
//! on its own.

use super::cost_game::{CostGame, shares_sum};

/// Tolerance in currency units (costs are rounded to micro-units upstream).
pub const TOLERANCE: f64 = 1e-6;

/// For each player: whether every coalition `game` knows containing it (the grand one
/// included) pays at most its cost.
pub fn members_in_core(shares: &[f64], game: &CostGame) -> Vec<bool> {
    let players = shares.len();
    let mut in_core = vec![true; players];
    let grand = (game.full_mask(), game.full_cost);
    for &(mask, cost) in game.rows.iter().chain(std::iter::once(&grand)) {
        let paid = shares_sum(shares, mask);
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
        let game = CostGame::dense(&[0.0, 10.0, 6.0, 12.0], 2);
        assert_eq!(members_in_core(&[8.0, 4.0], &game), vec![true, true]);
        assert_eq!(members_in_core(&[11.0, 1.0], &game), vec![false, true]);
    }
}
