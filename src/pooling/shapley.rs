//! The Shapley value: each player's marginal cost averaged over every order in which
//! the players could join. Exact over all coalitions for small games; sampled over
//! random orders (with its standard error) for large ones.

use crate::solver::Rng;

/// Exact Shapley values from `costs` indexed by coalition mask over `players` players.
pub fn exact(costs: &[f64], players: usize) -> Vec<f64> {
    // weight[s] = s! (n - s - 1)! / n!, built without factorial overflow.
    let mut weight = vec![0.0; players];
    for (size, w) in weight.iter_mut().enumerate() {
        let mut value = 1.0 / players as f64;
        for k in 1..=size {
            value *= k as f64 / (players - k) as f64;
        }
        *w = value;
    }
    (0..players)
        .map(|player| {
            let bit = 1usize << player;
            (0..costs.len())
                .filter(|mask| mask & bit == 0)
                .map(|mask| weight[mask.count_ones() as usize] * (costs[mask | bit] - costs[mask]))
                .sum()
        })
        .collect()
}

/// `samples` random orders of `players` players (seeded).
pub fn orders(players: usize, samples: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = Rng::new(seed, 0x05A4_D1E5);
    (0..samples)
        .map(|_| {
            let mut order: Vec<usize> = (0..players).collect();
            rng.shuffle(&mut order);
            order
        })
        .collect()
}

/// The coalitions whose costs `orders` need (every prefix of every order).
pub fn prefixes(orders: &[Vec<usize>]) -> Vec<u64> {
    let mut masks: Vec<u64> = orders
        .iter()
        .flat_map(|order| {
            order.iter().scan(0u64, |mask, &player| {
                *mask |= 1 << player;
                Some(*mask)
            })
        })
        .collect();
    masks.sort_unstable();
    masks.dedup();
    masks
}

/// Sampled Shapley values and their standard errors, from the cost of each prefix.
pub fn sampled(
    orders: &[Vec<usize>],
    players: usize,
    cost: impl Fn(u64) -> f64,
) -> (Vec<f64>, Vec<f64>) {
    let mut sum = vec![0.0; players];
    let mut sum_squares = vec![0.0; players];
    for order in orders {
        let mut mask = 0u64;
        let mut before = 0.0;
        for &player in order {
            mask |= 1 << player;
            let after = cost(mask);
            let marginal = after - before;
            sum[player] += marginal;
            sum_squares[player] += marginal * marginal;
            before = after;
        }
    }
    let count = orders.len().max(1) as f64;
    let means: Vec<f64> = sum.iter().map(|s| s / count).collect();
    let errors = sum_squares
        .iter()
        .zip(&means)
        .map(|(squares, mean)| {
            let variance =
                (squares / count - mean * mean).max(0.0) * count / (count - 1.0).max(1.0);
            (variance / count).sqrt()
        })
        .collect();
    (means, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_two_player_saving_evenly() {
        // Alone 10 and 6, together 12: each gets half of the 4 saved.
        let costs = [0.0, 10.0, 6.0, 12.0];
        let values = exact(&costs, 2);
        assert!(
            (values[0] - 8.0).abs() < 1e-9 && (values[1] - 4.0).abs() < 1e-9,
            "{values:?}"
        );
    }

    #[test]
    fn sampling_every_order_is_exact() {
        let costs = [0.0, 10.0, 6.0, 12.0, 7.0, 15.0, 11.0, 16.0];
        let all = vec![
            vec![0, 1, 2],
            vec![0, 2, 1],
            vec![1, 0, 2],
            vec![1, 2, 0],
            vec![2, 0, 1],
            vec![2, 1, 0],
        ];
        let (means, _) = sampled(&all, 3, |mask| costs[mask as usize]);
        for (m, e) in means.iter().zip(exact(&costs, 3)) {
            assert!((m - e).abs() < 1e-9);
        }
        assert_eq!(prefixes(&all).len(), 7);
    }
}
