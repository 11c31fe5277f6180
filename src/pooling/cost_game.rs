//! A cost game as the linear programs read it: the number of players, the grand
//! coalition's cost, each player's cost alone and the proper coalitions whose cost is
//! known. The exact game knows every coalition; the game of a large cooperative only
//! those evaluated so far (`generate` adds the ones that matter), so the least core,
//! the nucleolus, the EPM and the core checks all take this one shape and never index
//! 2^n costs by mask.

/// The coalitions known of a cost game, currency units (or scaled, see [`CostGame::scaled`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostGame {
    /// Number of players (at most 64: coalitions are bit masks).
    pub players: usize,
    /// Cost of the grand coalition.
    pub full_cost: f64,
    /// Each player's cost alone.
    pub alone: Vec<f64>,
    /// Proper coalitions (neither empty nor grand) with their cost, sorted by mask.
    pub rows: Vec<(u64, f64)>,
}

impl CostGame {
    /// The exact game `costs[mask]` (`costs[0] = 0`, `costs.len() = 2^players`).
    pub fn dense(costs: &[f64], players: usize) -> Self {
        let full = full_mask(players);
        let cost = |mask: u64| costs.get(mask as usize).copied().unwrap_or(f64::NAN);
        CostGame {
            players,
            full_cost: cost(full),
            alone: (0..players).map(|i| cost(1 << i)).collect(),
            rows: (1..full).map(|mask| (mask, cost(mask))).collect(),
        }
    }

    /// A game knowing only `rows` (any order, grand and empty coalitions ignored); the
    /// players alone must be among them (a player whose single is missing costs 0).
    pub fn sparse(
        players: usize,
        full_cost: f64,
        rows: impl IntoIterator<Item = (u64, f64)>,
    ) -> Self {
        let full = full_mask(players);
        let mut rows: Vec<(u64, f64)> = rows
            .into_iter()
            .filter(|&(mask, _)| mask != 0 && mask != full)
            .collect();
        rows.sort_by_key(|&(mask, _)| mask);
        rows.dedup_by_key(|&mut (mask, _)| mask);
        let mut game = CostGame {
            players,
            full_cost,
            alone: Vec::new(),
            rows,
        };
        game.alone = (0..players)
            .map(|i| {
                if players == 1 {
                    full_cost
                } else {
                    game.cost(1 << i).unwrap_or(0.0)
                }
            })
            .collect();
        game
    }

    /// The mask of the grand coalition.
    pub fn full_mask(&self) -> u64 {
        full_mask(self.players)
    }

    /// The known cost of `mask`.
    pub fn cost(&self, mask: u64) -> Option<f64> {
        if mask == self.full_mask() {
            return Some(self.full_cost);
        }
        self.rows
            .binary_search_by_key(&mask, |&(m, _)| m)
            .ok()
            .map(|i| self.rows[i].1)
    }

    /// Whether every proper coalition is known.
    pub fn is_complete(&self) -> bool {
        self.players < 64 && self.rows.len() as u64 == (1u64 << self.players).saturating_sub(2)
    }

    /// Adds (or replaces) the cost of `mask`, keeping the rows sorted.
    pub fn insert(&mut self, mask: u64, cost: f64) {
        if mask == 0 || mask == self.full_mask() {
            return;
        }
        match self.rows.binary_search_by_key(&mask, |&(m, _)| m) {
            Ok(i) => self.rows[i].1 = cost,
            Err(i) => self.rows.insert(i, (mask, cost)),
        }
    }

    /// Whether every cost is a finite number.
    pub fn all_finite(&self) -> bool {
        self.full_cost.is_finite()
            && self.alone.iter().all(|c| c.is_finite())
            && self.rows.iter().all(|(_, c)| c.is_finite())
    }

    /// The largest cost magnitude (1 when none is positive and finite): what
    /// [`CostGame::scaled`] divides by.
    pub fn scale(&self) -> f64 {
        let largest = self
            .rows
            .iter()
            .map(|(_, c)| c.abs())
            .chain(self.alone.iter().map(|c| c.abs()))
            .fold(self.full_cost.abs(), f64::max);
        if largest.is_finite() && largest > 0.0 {
            largest
        } else {
            1.0
        }
    }

    /// The game divided by its largest cost magnitude, and that scale: every program
    /// sees costs of at most 1 whatever the currency or the size of the cooperative.
    pub fn scaled(&self) -> (CostGame, f64) {
        let scale = self.scale();
        let game = CostGame {
            players: self.players,
            full_cost: self.full_cost / scale,
            alone: self.alone.iter().map(|c| c / scale).collect(),
            rows: self.rows.iter().map(|&(m, c)| (m, c / scale)).collect(),
        };
        (game, scale)
    }

    /// The largest excess `x(S) − c(S)` over the known proper coalitions (−∞ if none).
    pub fn largest_excess(&self, shares: &[f64]) -> f64 {
        self.rows
            .iter()
            .map(|&(mask, cost)| shares_sum(shares, mask) - cost)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The mask of the grand coalition of `players` players.
pub fn full_mask(players: usize) -> u64 {
    if players >= 64 {
        u64::MAX
    } else {
        (1u64 << players) - 1
    }
}

/// Sum of `shares` over coalition `mask`.
pub fn shares_sum(shares: &[f64], mask: u64) -> f64 {
    shares
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, s)| s)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_games_agree() {
        let costs = [0.0, 10.0, 6.0, 12.0];
        let dense = CostGame::dense(&costs, 2);
        let sparse = CostGame::sparse(2, 12.0, [(2, 6.0), (1, 10.0), (3, 12.0), (0, 0.0)]);
        assert_eq!(dense, sparse);
        assert!(dense.is_complete());
        assert_eq!(dense.cost(3), Some(12.0));
        assert_eq!(dense.alone, vec![10.0, 6.0]);
    }

    #[test]
    fn a_sparse_game_grows_in_order() {
        let mut game = CostGame::sparse(3, 21.0, [(1, 10.0), (2, 10.0), (4, 10.0)]);
        assert!(!game.is_complete());
        game.insert(5, 16.0);
        game.insert(3, 16.0);
        game.insert(5, 15.0);
        assert_eq!(
            game.rows,
            vec![(1, 10.0), (2, 10.0), (3, 16.0), (4, 10.0), (5, 15.0)]
        );
        assert!((game.largest_excess(&[7.0, 7.0, 7.0]) + 1.0).abs() < 1e-12);
    }
}
