//! Which unknown coalitions a least-core split most likely violates, for constraint
//! generation (`generate`): a model of the coalition costs fitted to the ones known,
//! and a local search over coalitions on that model.
//!
//! The model: `ĉ(S) = A(S) − λ_|S| · P(S)`, with `A(S)` the members' costs alone,
//! `P(S)` the sum over the pairs in S of their saving `c(i) + c(j) − c(ij)` (at least
//! 0), and `λ_k` fitted per coalition size to the known coalitions (least squares).
//! Routing costs pool between producers whose farms and customers lie near each other,
//! which the pair savings capture; `λ_k` accounts for the savings of a larger group
//! overlapping. The search maximises the estimated excess `x(S) − ĉ(S)` by adding,
//! dropping and swapping one member at a time, from the tightest known coalitions and
//! from every player alone, and keeps the best unknown coalitions it passes.

use std::collections::BTreeMap;

use super::cost_game::{CostGame, shares_sum};

/// Most pairs the report evaluates to fit the model (every pair up to 32 players);
/// above, unknown pairs count as saving nothing.
pub const MAX_PAIRS: usize = 500;

/// Tightest known coalitions the search starts from, besides every player alone.
const TIGHT_STARTS: usize = 32;

/// Moves one search makes at most.
const MAX_MOVES: usize = 64;

/// The fitted cost model.
#[derive(Debug, Clone)]
pub struct Model {
    alone: Vec<f64>,
    /// Pair savings, `players × players`, 0 on the diagonal.
    pair: Vec<Vec<f64>>,
    /// λ by coalition size (index = size).
    lambda: Vec<f64>,
}

/// The pairs whose cost is unknown.
pub fn missing_pairs(known: &CostGame) -> Vec<u64> {
    let n = known.players;
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (1u64 << i) | (1u64 << j)))
        .filter(|&mask| known.cost(mask).is_none())
        .collect()
}

impl Model {
    /// Fits the model to the coalitions `known`.
    pub fn fit(known: &CostGame) -> Model {
        let n = known.players;
        let alone = known.alone.clone();
        let mut pair = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in i + 1..n {
                if let Some(cost) = known.cost((1u64 << i) | (1u64 << j)) {
                    let saving = (alone[i] + alone[j] - cost).max(0.0);
                    pair[i][j] = saving;
                    pair[j][i] = saving;
                }
            }
        }
        let mut model = Model {
            alone,
            pair,
            lambda: vec![1.0; n + 1],
        };
        model.fit_lambda(known);
        model
    }

    /// λ_k by least squares over the known coalitions of size k (≥ 3); a size with
    /// none takes the nearest smaller size's.
    fn fit_lambda(&mut self, known: &CostGame) {
        let n = known.players;
        let mut sums = vec![(0.0, 0.0); n + 1];
        for &(mask, cost) in &known.rows {
            let size = mask.count_ones() as usize;
            let pairs = self.pair_savings(mask);
            if size >= 3 && pairs > 0.0 {
                let saved = self.alone_sum(mask) - cost;
                sums[size].0 += saved * pairs;
                sums[size].1 += pairs * pairs;
            }
        }
        for (size, (cross, squares)) in sums.iter().enumerate().skip(3) {
            self.lambda[size] = if *squares > 0.0 {
                (cross / squares).max(0.0)
            } else {
                self.lambda[size - 1]
            };
        }
    }

    fn alone_sum(&self, mask: u64) -> f64 {
        shares_sum(&self.alone, mask)
    }

    fn pair_savings(&self, mask: u64) -> f64 {
        let members: Vec<usize> = (0..self.alone.len())
            .filter(|i| mask >> i & 1 == 1)
            .collect();
        let mut total = 0.0;
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                total += self.pair[i][j];
            }
        }
        total
    }

    /// The estimated cost of `mask`.
    #[cfg(test)]
    pub fn cost(&self, mask: u64) -> f64 {
        let size = mask.count_ones() as usize;
        self.alone_sum(mask) - self.lambda[size] * self.pair_savings(mask)
    }
}

/// A coalition during the search, with what its moves need in O(1).
struct Walker<'a> {
    model: &'a Model,
    shares: &'a [f64],
    mask: u64,
    /// x(S) − A(S).
    paid_above_alone: f64,
    /// P(S).
    pairs: f64,
    /// Per player: the sum of its pair savings with the members.
    link: Vec<f64>,
}

impl<'a> Walker<'a> {
    fn new(model: &'a Model, shares: &'a [f64], mask: u64) -> Self {
        let n = shares.len();
        let link = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|j| mask >> j & 1 == 1)
                    .map(|j| model.pair[i][j])
                    .sum()
            })
            .collect();
        Walker {
            model,
            shares,
            mask,
            paid_above_alone: shares_sum(shares, mask) - model.alone_sum(mask),
            pairs: model.pair_savings(mask),
            link,
        }
    }

    fn excess_of(&self, size: usize, paid_above_alone: f64, pairs: f64) -> f64 {
        paid_above_alone + self.model.lambda[size] * pairs
    }

    /// The best move from here: (estimated excess, coalition, players in, out); every
    /// coalition one move away goes to `seen` with its estimated excess.
    fn best_move(
        &self,
        full: u64,
        seen: &mut dyn FnMut(f64, u64),
    ) -> Option<(f64, u64, Option<usize>, Option<usize>)> {
        let n = self.shares.len();
        let size = self.mask.count_ones() as usize;
        let gain = |i: usize| self.shares[i] - self.model.alone[i];
        let (inside, outside): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|i| self.mask >> i & 1 == 1);
        let mut best: Option<(f64, u64, Option<usize>, Option<usize>)> = None;
        let mut consider = |excess: f64, mask: u64, add: Option<usize>, drop: Option<usize>| {
            if mask == 0 || mask == full {
                return;
            }
            seen(excess, mask);
            if best.is_none_or(|b| excess > b.0) {
                best = Some((excess, mask, add, drop));
            }
        };
        for &i in &outside {
            let excess = self.excess_of(
                size + 1,
                self.paid_above_alone + gain(i),
                self.pairs + self.link[i],
            );
            consider(excess, self.mask | 1 << i, Some(i), None);
        }
        for &i in &inside {
            let excess = self.excess_of(
                size - 1,
                self.paid_above_alone - gain(i),
                self.pairs - self.link[i],
            );
            consider(excess, self.mask & !(1 << i), None, Some(i));
            for &j in &outside {
                let pairs = self.pairs - self.link[i] + self.link[j] - self.model.pair[i][j];
                let excess = self.excess_of(size, self.paid_above_alone - gain(i) + gain(j), pairs);
                consider(excess, (self.mask & !(1 << i)) | 1 << j, Some(j), Some(i));
            }
        }
        best
    }

    fn apply(&mut self, add: Option<usize>, drop: Option<usize>) {
        let n = self.shares.len();
        if let Some(i) = drop {
            self.mask &= !(1 << i);
            self.pairs -= self.link[i];
            self.paid_above_alone -= self.shares[i] - self.model.alone[i];
            for k in 0..n {
                self.link[k] -= self.model.pair[k][i];
            }
        }
        if let Some(j) = add {
            self.pairs += self.link[j];
            self.mask |= 1 << j;
            self.paid_above_alone += self.shares[j] - self.model.alone[j];
            for k in 0..n {
                self.link[k] += self.model.pair[k][j];
            }
        }
    }
}

/// Up to `wanted` unknown coalitions with the largest estimated excess under `shares`,
/// best first; deterministic.
pub fn candidates(known: &CostGame, shares: &[f64], model: &Model, wanted: usize) -> Vec<u64> {
    let full = known.full_mask();
    let mut tight: Vec<(f64, u64)> = known
        .rows
        .iter()
        .map(|&(mask, cost)| (shares_sum(shares, mask) - cost, mask))
        .collect();
    tight.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let starts = tight
        .iter()
        .take(TIGHT_STARTS)
        .map(|&(_, mask)| mask)
        .chain((0..known.players).map(|i| 1u64 << i));
    let mut found: BTreeMap<u64, f64> = BTreeMap::new();
    for start in starts {
        let mut walker = Walker::new(model, shares, start);
        let mut current = walker.excess_of(
            start.count_ones() as usize,
            walker.paid_above_alone,
            walker.pairs,
        );
        for _ in 0..MAX_MOVES {
            let mut seen = |excess: f64, mask: u64| {
                if known.cost(mask).is_none() {
                    let best = found.entry(mask).or_insert(excess);
                    *best = best.max(excess);
                }
            };
            let Some((excess, _, add, drop)) = walker.best_move(full, &mut seen) else {
                break;
            };
            if excess <= current {
                break;
            }
            walker.apply(add, drop);
            current = excess;
        }
    }
    let mut ranked: Vec<(f64, u64)> = found.into_iter().map(|(mask, e)| (e, mask)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(wanted)
        .map(|(_, mask)| mask)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_is_exact_on_a_game_of_pair_savings() {
        // Alone 10 each; pairs {0,1} and {2,3} save 4, the others 0; groups save the
        // sum of their pairs' savings (λ = 1).
        let cost = |mask: u64| -> f64 {
            let size = f64::from(mask.count_ones());
            let saving =
                4.0 * (f64::from(u8::from(mask & 3 == 3)) + f64::from(u8::from(mask & 12 == 12)));
            10.0 * size - saving
        };
        let rows: Vec<(u64, f64)> = (1..15u64).map(|m| (m, cost(m))).collect();
        let known = CostGame::sparse(4, cost(15), rows);
        let model = Model::fit(&known);
        for mask in 1..16u64 {
            assert!((model.cost(mask) - cost(mask)).abs() < 1e-9, "{mask:#b}");
        }
    }

    #[test]
    fn finds_the_coalition_a_split_overcharges() {
        // Same game, only pairs and singles known; the split charges {0,1} 9 + 9 = 18
        // against its cost 16: the search proposes unknown groups holding both.
        let cost = |mask: u64| -> f64 {
            let size = f64::from(mask.count_ones());
            let saving =
                4.0 * (f64::from(u8::from(mask & 3 == 3)) + f64::from(u8::from(mask & 12 == 12)));
            10.0 * size - saving
        };
        let rows: Vec<(u64, f64)> = (1..15u64)
            .filter(|m| m.count_ones() <= 2)
            .map(|m| (m, cost(m)))
            .collect();
        let known = CostGame::sparse(4, cost(15), rows);
        let model = Model::fit(&known);
        let shares = [9.0, 9.0, 7.0, 7.0];
        let found = candidates(&known, &shares, &model, 4);
        assert!(!found.is_empty());
        assert!(found.iter().all(|m| m.count_ones() == 3), "{found:?}");
        assert!(found[0] & 3 == 3, "{found:?}");
        assert_eq!(found, candidates(&known, &shares, &model, 4));
    }
}
