//! Constraint generation for a cooperative too large for every coalition (13 to 64
//! producers): the least core, the nucleolus and the EPM of its game are computed over
//! the coalitions evaluated, and this module chooses which more to evaluate so that the
//! answer rests on the ones that bind.
//!
//! First every pair of players is evaluated (up to `pricing::MAX_PAIRS`): pairs are
//! what the cost model of `pricing` is made of. Then each round solves the least core
//! over the coalitions known, lets `pricing` propose the unknown coalitions with the
//! largest estimated excess under its split, solves the best few in parallel like every
//! other coalition (warm-started from a known neighbour, same iterations as the sampled
//! game) and adds them. It ends when two rounds in a row found no violated coalition
//! (converged), after [`MAX_ROUNDS`], or at half the time left, so that the linear
//! programs still have the other half.

use std::time::Instant;

use super::coalition::Batch;
use super::cost_game::{CostGame, shares_sum};
use super::lp::{DEFAULT_BACKEND, TOLERANCE};
use super::nucleolus::least_core_of;
use super::plans::Plans;
use super::play::Game;
use super::pricing;
use super::report::Report;

/// Rounds in a row without a violated coalition that end the generation.
const QUIET_ROUNDS: usize = 3;

/// Rounds of generation at most.
pub const MAX_ROUNDS: usize = 20;

/// What the generation did, for the report's note.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generation {
    /// Rounds run.
    pub rounds: usize,
    /// Coalitions added.
    pub added: usize,
    /// Whether the last round found no violated coalition (or no candidate was left).
    pub converged: bool,
    /// Why it stopped before converging, if it did.
    pub stopped: Option<String>,
}

/// Candidates solved per round: enough to keep every core busy a few times over.
fn batch_size() -> usize {
    (4 * rayon::current_num_threads()).clamp(8, 32)
}

/// Adds to `known` the coalitions that bind, solving them with `iterations` each from
/// `plans`. Ends at half the time left.
pub fn extend_by_solving(
    game: &Game,
    known: &mut CostGame,
    plans: &mut Plans,
    iterations: u64,
    report: &mut Report,
) -> Generation {
    let started = Instant::now();
    let soft_end = game
        .budget
        .deadline()
        .map(|deadline| started + deadline.saturating_duration_since(started) / 2);
    let keep_going = || {
        let late = game.budget.is_over() || soft_end.is_some_and(|end| Instant::now() >= end);
        late.then(|| "the time for it ran out".to_string())
    };
    let price = game.price;
    let evaluate = |masks: &[u64]| -> Vec<(u64, f64)> {
        let batch = Batch {
            masks,
            give_up: false,
            iterations: Some(iterations.max(1)),
        };
        // A stop leaves the coalitions solved before it in `plans`: they count.
        let _ = game.solve(batch, plans, report);
        masks
            .iter()
            .filter_map(|&mask| plans.get(mask).map(|t| (mask, t.priced(price))))
            .collect()
    };
    extend(known, evaluate, &keep_going)
}

/// Adds to `known` the coalitions that bind: the missing pairs, then rounds of
/// candidates, `evaluate`d (their costs, or fewer when it stopped), while `keep_going`
/// says nothing.
pub fn extend(
    known: &mut CostGame,
    mut evaluate: impl FnMut(&[u64]) -> Vec<(u64, f64)>,
    keep_going: &dyn Fn() -> Option<String>,
) -> Generation {
    let mut generation = Generation::default();
    let pairs = pricing::missing_pairs(known);
    if !pairs.is_empty() && pairs.len() <= pricing::MAX_PAIRS {
        for (mask, cost) in evaluate(&pairs) {
            known.insert(mask, cost);
            generation.added += 1;
        }
    }
    let mut quiet_rounds = 0;
    while generation.rounds < MAX_ROUNDS {
        if let Some(why) = keep_going() {
            generation.stopped = Some(why);
            return generation;
        }
        let (epsilon, shares) = match least_core_of(known, DEFAULT_BACKEND) {
            Ok(answer) => answer,
            Err(error) => {
                generation.stopped = Some(error.to_string());
                return generation;
            }
        };
        let model = pricing::Model::fit(known);
        let candidates = pricing::candidates(known, &shares, &model, batch_size());
        if candidates.is_empty() {
            generation.converged = true;
            return generation;
        }
        let tolerance = TOLERANCE * known.scale();
        let mut violated = 0;
        for (mask, cost) in evaluate(&candidates) {
            if shares_sum(&shares, mask) - cost > epsilon + tolerance {
                violated += 1;
            }
            known.insert(mask, cost);
            generation.added += 1;
        }
        generation.rounds += 1;
        quiet_rounds = if violated == 0 { quiet_rounds + 1 } else { 0 };
        if quiet_rounds == QUIET_ROUNDS {
            generation.converged = true;
            return generation;
        }
    }
    generation.stopped = Some(format!("{MAX_ROUNDS} rounds"));
    generation
}

/// The note saying what the rules of a generated game rest on.
pub fn note(known: &CostGame, sampled: usize, generation: &Generation) -> String {
    let ending = match (&generation.stopped, generation.converged) {
        (_, true) => {
            format!("after which {QUIET_ROUNDS} rounds in a row found no violated coalition")
        }
        (Some(why), false) => format!("stopped: {why}"),
        (None, false) => "stopped".to_string(),
    };
    format!(
        "{} producers: the least core, the nucleolus, the EPM and the in-core flags rest on the {} coalitions evaluated ({sampled} from the sampled orders and the producers alone, {} added: the pairs and {} rounds of constraint generation, {ending}): they are approximate",
        known.players,
        known.rows.len() + 1,
        generation.added,
        generation.rounds
    )
}

#[cfg(test)]
mod recovery {
    use super::*;
    use crate::pooling::nucleolus::{least_core_of, nucleolus_of};
    use crate::pooling::shapley;
    use crate::solver::Rng;

    /// A random routing-like game of `n` players: each a farm at a random angle and
    /// distance around a hub; a coalition's cost is one tour from the hub through its
    /// farms in angular order (the largest angular gap left out), closed under the best
    /// split so that it is sub-additive.
    fn game(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = Rng::new(seed, 7);
        let farms: Vec<(f64, f64)> = (0..n)
            .map(|_| {
                let angle = std::f64::consts::TAU * rng.unit();
                let radius = 10.0 + 20.0 * rng.unit();
                (radius * angle.cos(), radius * angle.sin())
            })
            .collect();
        let distance =
            |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        let mut costs = vec![0.0; 1 << n];
        for (mask, cost) in costs.iter_mut().enumerate().skip(1) {
            let mut members: Vec<(f64, f64)> = (0..n)
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| farms[i])
                .collect();
            members.sort_by(|a, b| a.1.atan2(a.0).total_cmp(&b.1.atan2(b.0)));
            let m = members.len();
            let gap = |k: usize| {
                let (a, b) = (members[k], members[(k + 1) % m]);
                (b.1.atan2(b.0) - a.1.atan2(a.0)).rem_euclid(std::f64::consts::TAU)
            };
            let widest = (0..m)
                .max_by(|&a, &b| gap(a).total_cmp(&gap(b)))
                .unwrap_or(0);
            let mut tour = 0.0;
            let mut at = (0.0, 0.0);
            for k in 0..m {
                let farm = members[(widest + 1 + k) % m];
                tour += distance(at, farm);
                at = farm;
            }
            *cost = tour + distance(at, (0.0, 0.0)) + 5.0;
        }
        for mask in 1..costs.len() {
            let mut part = (mask - 1) & mask;
            while part > 0 {
                let split = costs[part] + costs[mask ^ part];
                if split < costs[mask] {
                    costs[mask] = split;
                }
                part = (part - 1) & mask;
            }
        }
        costs
    }

    /// From the prefixes of 20 sampled orders (about 14 % of the coalitions), the
    /// generation recovers the least-core value of most random routing-like games of
    /// ten players, and the nucleolus of what it knows stays close to the least core
    /// of the whole game. Fixed seeds: a regression guard on how good the pricing is.
    #[test]
    fn recovers_the_least_core_of_random_games() {
        let n = 10;
        let (mut recovered, mut close) = (0, 0);
        for seed in 0..10 {
            let costs = game(n, seed);
            let whole = CostGame::dense(&costs, n);
            let (epsilon, _) = least_core_of(&whole, DEFAULT_BACKEND).unwrap();
            let orders = shapley::orders(n, 20, seed);
            let mut masks = shapley::prefixes(&orders);
            masks.extend((0..n).map(|i| 1u64 << i));
            let cost_of = |mask: u64| costs[mask as usize];
            let full = whole.full_mask();
            let mut known =
                CostGame::sparse(n, cost_of(full), masks.iter().map(|&m| (m, cost_of(m))));
            let evaluate = |asked: &[u64]| asked.iter().map(|&m| (m, cost_of(m))).collect();
            let generation = extend(&mut known, evaluate, &|| None);
            assert!(generation.converged, "{generation:?}");
            assert!(known.rows.len() < 300, "{}", known.rows.len());
            let (approximate, _) = least_core_of(&known, DEFAULT_BACKEND).unwrap();
            assert!(
                approximate <= epsilon + 1e-6,
                "a relaxation: {approximate} > {epsilon}"
            );
            if epsilon - approximate < 1e-3 {
                recovered += 1;
            }
            let shares = nucleolus_of(&known, DEFAULT_BACKEND, &|| None).unwrap();
            if whole.largest_excess(&shares) <= epsilon + 1.0 {
                close += 1;
            }
        }
        assert!(recovered >= 8, "least core recovered in {recovered} of 10");
        assert!(
            close >= 9,
            "nucleolus within 1 of the least core in {close} of 10"
        );
    }
}
