//! Property tests of the allocation rules over random cost games (no routing): every
//! rule of `tournee::pooling::split_game`, the code the report runs, on sub-additive
//! and other games, additive games, all-equal costs, games with an empty core, costs
//! perturbed by 1e-9 and scaled from 1e-6 to 1e9. Every rule comes back ok; the
//! nucleolus and the EPM add up to c(N); the nucleolus lies in the least core and gives
//! symmetric players the same share; the EPM lies in the core when it is not empty.
//! Fixed proptest seed and a bounded number of cases: deterministic, seconds in a debug
//! build (the LPs' dependencies are optimised, see Cargo.toml).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use tournee::pooling::{Rule, split_game};

/// The kinds of games drawn.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Random costs closed under the best split: sub-additive.
    SubAdditive,
    /// Random costs as drawn: often not sub-additive, often an empty core.
    Raw,
    /// c(S) = Σ c({i}): nothing to save, the core is one point.
    Additive,
    /// Every coalition costs the same.
    AllEqual,
    /// Pairs pool well, the grand coalition less: the core is empty (n ≥ 3).
    EmptyCore,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::SubAdditive),
        Just(Kind::Raw),
        Just(Kind::Additive),
        Just(Kind::AllEqual),
        Just(Kind::EmptyCore),
    ]
}

/// Lowers every coalition to its best split into two (smallest first).
fn close_sub_additive(costs: &mut [f64]) {
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
}

/// The game of `kind` on `n` players from uniform draws `draws` (one per mask).
fn game(kind: Kind, n: usize, draws: &[f64]) -> Vec<f64> {
    let size = |mask: usize| mask.count_ones() as f64;
    let alone = |i: usize| 1.0 + 99.0 * draws[1 << i];
    let mut costs: Vec<f64> = (0..1usize << n)
        .map(|mask| match kind {
            Kind::SubAdditive | Kind::Raw => {
                let sum: f64 = (0..n).filter(|i| mask >> i & 1 == 1).map(alone).sum();
                if mask.count_ones() == 1 {
                    sum
                } else {
                    sum * (0.4 + 0.8 * draws[mask])
                }
            }
            Kind::Additive => (0..n).filter(|i| mask >> i & 1 == 1).map(alone).sum(),
            Kind::AllEqual => 10.0,
            Kind::EmptyCore => match mask.count_ones() {
                1 => 6.0,
                k if k as usize == n => 4.0 * size(mask) + 1.0 + draws[mask],
                _ => 4.0 * size(mask),
            },
        })
        .collect();
    costs[0] = 0.0;
    if matches!(kind, Kind::SubAdditive) {
        close_sub_additive(&mut costs);
    }
    costs
}

fn sum_over(shares: &[f64], mask: usize) -> f64 {
    (0..shares.len())
        .filter(|i| mask >> i & 1 == 1)
        .map(|i| shares[i])
        .sum()
}

/// Swaps players 0 and 1 in a mask.
fn swapped(mask: usize) -> usize {
    let (a, b) = (mask & 1, mask >> 1 & 1);
    (mask & !3) | a << 1 | b
}

/// A fixed seed and few cases: the same games on every run, whatever the machine.
fn config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x7047_0011),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_rule_answers_and_the_splits_hold(
        kind in kind(),
        n in 2usize..=6,
        draws in prop::collection::vec(0.0f64..1.0, 64),
        jitter in prop::collection::vec(-1.0f64..1.0, 64),
        scale in prop::sample::select(vec![1e-6, 1e-3, 1.0, 1e3, 1e6, 1e9]),
        perturb in any::<bool>(),
        symmetric in any::<bool>(),
    ) {
        let mut costs = game(kind, n, &draws);
        if symmetric {
            // Average with the game that swaps players 0 and 1: they become symmetric.
            costs = (0..costs.len()).map(|m| (costs[m] + costs[swapped(m)]) / 2.0).collect();
        }
        for (mask, cost) in costs.iter_mut().enumerate().skip(1) {
            *cost *= scale * if perturb { 1.0 + 1e-9 * jitter[mask] } else { 1.0 };
        }
        let split = split_game(&costs, n);
        for (rule, status) in split.report.rules.iter() {
            prop_assert!(status.is_ok(), "{kind:?} n={n}: {} {status}", rule.name());
        }
        let full = costs.len() - 1;
        let largest = costs.iter().fold(0.0f64, |a, c| a.max(c.abs()));
        let tolerance = 1e-5 * largest;
        let nucleolus = split.nucleolus.clone().expect("nucleolus");
        let epm = split.epm.clone().expect("epm");
        let epsilon = split.report.least_core_value.expect("least core");
        for (name, shares) in [("nucleolus", &nucleolus), ("epm", &epm)] {
            let gap = (shares.iter().sum::<f64>() - costs[full]).abs();
            prop_assert!(gap <= tolerance, "{kind:?} {name}: misses c(N) by {gap:e}");
        }
        let core_empty = split.report.core_empty() == Some(true);
        for (mask, cost) in costs.iter().enumerate().take(full).skip(1) {
            let excess = sum_over(&nucleolus, mask) - cost;
            prop_assert!(excess <= epsilon + tolerance,
                "{kind:?} nucleolus: coalition {mask:#b} excess {excess:e} above ε* {epsilon:e}");
            let epm_excess = sum_over(&epm, mask) - cost;
            // In the core when ε* ≤ 0, in the least core otherwise (and then in the
            // core as the in-core flags read it when ε* is within their tolerance).
            let allowed = epsilon.max(0.0);
            prop_assert!(epm_excess <= allowed + tolerance,
                "{kind:?} epm: coalition {mask:#b} excess {epm_excess:e} (ε* {epsilon:e})");
        }
        if matches!(kind, Kind::EmptyCore) && n >= 3 {
            // Positive at every scale; called "empty" only above a micro-unit of
            // currency, the resolution of the report's costs.
            prop_assert!(epsilon > 0.0, "the empty-core game has ε* = {epsilon:e}");
        }
        if !core_empty {
            let worst = (1..full)
                .map(|m| (sum_over(&epm, m) - costs[m], m))
                .fold((f64::MIN, 0), |a, b| if b.0 > a.0 { b } else { a });
            prop_assert_eq!(split.report.epm_in_core, Some(true),
                "{:?} epm {:?} worst excess {:?} ε* {:e}", kind, epm, worst, epsilon);
            prop_assert_eq!(split.report.nucleolus_in_core, Some(true));
        }
        if symmetric {
            let gap = (nucleolus[0] - nucleolus[1]).abs();
            prop_assert!(gap <= tolerance, "{kind:?}: symmetric players' nucleolus {nucleolus:?}");
        }
    }
}

#[test]
fn a_game_of_the_wrong_size_skips_every_rule_and_a_nan_fails_the_programs() {
    let split = split_game(&[0.0, 1.0, 2.0], 2);
    assert!(
        split
            .report
            .rules
            .iter()
            .all(|(_, s)| s.name() == "skipped")
    );
    let split = split_game(&[0.0, 10.0, f64::NAN, 12.0], 2);
    for rule in [Rule::LeastCore, Rule::Nucleolus, Rule::Epm] {
        assert_eq!(split.report.rules.get(rule).name(), "failed", "{rule:?}");
    }
}

/// The sorted excesses (largest first) of `x` over the proper coalitions of `costs`.
fn sorted_excesses(costs: &[f64], x: &[f64]) -> Vec<f64> {
    let full = costs.len() - 1;
    let mut excesses: Vec<f64> = (1..full).map(|m| sum_over(x, m) - costs[m]).collect();
    excesses.sort_by(|a, b| b.total_cmp(a));
    excesses
}

/// Whether excesses `a` are lexicographically smaller than `b` (beyond `tolerance`).
fn lexicographically_smaller(a: &[f64], b: &[f64], tolerance: f64) -> bool {
    a.iter()
        .zip(b)
        .find(|(p, q)| (*p - *q).abs() > tolerance)
        .is_some_and(|(p, q)| p < q)
}

/// The nucleolus of a three-player game by brute force: the efficient split with the
/// lexicographically smallest sorted excesses, on a grid around `around` refined
/// three times (each time ±3 cells of the last grid, 60 cells a side).
fn brute_force_nucleolus(costs: &[f64], around: [f64; 2], mut half_width: f64) -> [f64; 3] {
    let total = costs[7];
    let mut best = around;
    for _ in 0..4 {
        let step = half_width / 30.0;
        let centre = best;
        let mut best_excesses: Option<Vec<f64>> = None;
        for a in -30..=30 {
            for b in -30..=30 {
                let x = [
                    centre[0] + f64::from(a) * step,
                    centre[1] + f64::from(b) * step,
                ];
                let e = sorted_excesses(costs, &[x[0], x[1], total - x[0] - x[1]]);
                if best_excesses
                    .as_ref()
                    .is_none_or(|known| lexicographically_smaller(&e, known, 1e-12))
                {
                    best_excesses = Some(e);
                    best = x;
                }
            }
        }
        half_width = 3.0 * step;
    }
    [best[0], best[1], total - best[0] - best[1]]
}

proptest! {
    #![proptest_config(Config { cases: 24, ..config() })]

    /// Three players, costs from 1 to 100: the report's nucleolus has sorted excesses
    /// no worse than a brute-force search's and lies within a cent of its point.
    #[test]
    fn the_nucleolus_of_three_players_matches_a_brute_force_search(
        kind in prop_oneof![Just(Kind::SubAdditive), Just(Kind::Raw), Just(Kind::EmptyCore)],
        draws in prop::collection::vec(0.0f64..1.0, 8),
    ) {
        let costs = game(kind, 3, &draws);
        let split = split_game(&costs, 3);
        let nucleolus = split.nucleolus.expect("nucleolus");
        let reference = brute_force_nucleolus(&costs, [costs[7] / 3.0, costs[7] / 3.0], costs[7]);
        let ours = sorted_excesses(&costs, &nucleolus);
        let theirs = sorted_excesses(&costs, &reference);
        prop_assert!(!lexicographically_smaller(&theirs, &ours, 1e-6),
            "{kind:?} {costs:?}: brute force {reference:?} {theirs:?} beats {nucleolus:?} {ours:?}");
        for (a, b) in nucleolus.iter().zip(reference) {
            prop_assert!((a - b).abs() < 0.01, "{kind:?} {costs:?}: {nucleolus:?} vs {reference:?}");
        }
    }

    /// A dummy player (it adds its alone cost to every group) pays exactly that under
    /// the nucleolus, Shapley and the EPM, whatever the others' game.
    #[test]
    fn a_dummy_player_pays_its_own_cost(
        kind in kind(),
        n in 2usize..=5,
        draws in prop::collection::vec(0.0f64..1.0, 32),
        own in 1.0f64..50.0,
    ) {
        let others = game(kind, n - 1, &draws);
        let dummy = 1usize << (n - 1);
        let costs: Vec<f64> = (0..1usize << n)
            .map(|mask| {
                let rest = others[mask & (dummy - 1)];
                if mask & dummy == 0 { rest } else { rest + own }
            })
            .collect();
        let split = split_game(&costs, n);
        let largest = costs.iter().fold(0.0f64, |a, c| a.max(c.abs()));
        let tolerance = 1e-5 * largest;
        let nucleolus = split.nucleolus.expect("nucleolus");
        prop_assert!((nucleolus[n - 1] - own).abs() <= tolerance, "{kind:?} {nucleolus:?} vs {own}");
        prop_assert!((split.shapley[n - 1] - own).abs() <= tolerance, "{:?}", split.shapley);
        // The EPM equalises relative savings; a dummy saves nothing, so the EPM may
        // charge it its own cost only when the others cannot all save nothing too:
        // it never pays more than alone (individual rationality, within the core).
        if split.report.core_empty() != Some(true) {
            let epm = split.epm.expect("epm");
            prop_assert!(epm[n - 1] <= own + tolerance, "{epm:?} vs {own}");
        }
    }
}
