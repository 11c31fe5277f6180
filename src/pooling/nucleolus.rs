//! The least core and the nucleolus by a sequence of linear programs (good_lp with the
//! pure-Rust microlp solver). Stage k minimises the largest excess `x(S) - c(S)` over
//! the coalitions not yet fixed; a coalition is fixed only when a second LP proves it
//! is tight in every optimum of the stage (fixing every tight coalition is a known
//! mistake: Guajardo & Jörnsten 2015). Coalitions whose vectors lie in the span of the
//! fixed ones are settled; the sequence ends when the shares are determined.

use good_lp::{
    Expression, ResolutionError, Solution, SolverModel, Variable, constraint, microlp, variable,
    variables,
};

/// Why an LP failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LpError {
    /// The solver reported a status other than optimal.
    #[error("linear program {stage}: {status}")]
    Status {
        /// Which LP.
        stage: String,
        /// What the solver said.
        status: String,
    },
}

fn status(stage: &str, error: ResolutionError) -> LpError {
    LpError::Status {
        stage: stage.to_string(),
        status: error.to_string(),
    }
}

/// A constraint `x(S) = value` fixed by an earlier stage.
#[derive(Debug, Clone, Copy)]
struct Fixed {
    mask: usize,
    value: f64,
}

fn coalition_sum(x: &[Variable], mask: usize) -> Expression {
    x.iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, v)| *v)
        .sum()
}

/// The least-core value ε* (the core is empty when ε* > 0) and one least-core split.
pub fn least_core(costs: &[f64], players: usize) -> Result<(f64, Vec<f64>), LpError> {
    let full = (1usize << players) - 1;
    let active: Vec<usize> = (1..full).collect();
    let (epsilon, shares) = stage_lp(costs, players, &[], &active, None)?;
    Ok((epsilon, shares))
}

/// Solves `min ε` (or, with `probe = Some((S, ε))`, `max c(S) + ε - x(S)` at that ε)
/// over shares x with x(N) = c(N), the fixed equalities, and x(S) ≤ c(S) + ε for
/// every active S. Returns (objective, shares).
fn stage_lp(
    costs: &[f64],
    players: usize,
    fixed: &[Fixed],
    active: &[usize],
    probe: Option<(usize, f64)>,
) -> Result<(f64, Vec<f64>), LpError> {
    let full = (1usize << players) - 1;
    if costs.iter().any(|c| !c.is_finite()) {
        return Err(LpError::Status {
            stage: "coalition costs".to_string(),
            status: "a cost is not a finite number".to_string(),
        });
    }
    // Finite bounds far beyond any answer: microlp handles free variables poorly.
    let bound = 10.0 * (1.0 + costs.iter().map(|c| c.abs()).fold(0.0, f64::max));
    let mut vars = variables!();
    let epsilon = vars.add(variable().min(-bound).max(bound));
    let x: Vec<Variable> = (0..players)
        .map(|_| vars.add(variable().min(-bound).max(bound)))
        .collect();
    let objective: Expression = match probe {
        None => epsilon.into(),
        Some((mask, _)) => coalition_sum(&x, mask) - costs[mask],
    };
    let mut model = vars.minimise(objective.clone()).using(microlp);
    model = model.with(constraint!(coalition_sum(&x, full) == costs[full]));
    for f in fixed {
        model = model.with(constraint!(coalition_sum(&x, f.mask) == f.value));
    }
    if let Some((_, level)) = probe {
        model = model.with(constraint!(epsilon == level));
    }
    for &mask in active {
        model = model.with(constraint!(
            coalition_sum(&x, mask) - epsilon <= costs[mask]
        ));
    }
    let stage = if probe.is_some() {
        "nucleolus tightness probe"
    } else {
        "least core"
    };
    let solution = model.solve().map_err(|e| status(stage, e))?;
    let shares: Vec<f64> = x.iter().map(|v| solution.value(*v)).collect();
    let value = match probe {
        None => solution.value(epsilon),
        // Slack of S at the optimum: c(S) + ε - x(S) maximised = -(min x(S) - c(S)) + ε.
        Some((mask, level)) => costs[mask] + level - shares_sum(&shares, mask),
    };
    Ok((value, shares))
}

fn shares_sum(shares: &[f64], mask: usize) -> f64 {
    shares
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, s)| s)
        .sum()
}

/// Row-echelon basis of the fixed coalition vectors, to tell which are determined.
struct Span {
    rows: Vec<Vec<f64>>,
}

impl Span {
    fn vector(mask: usize, players: usize) -> Vec<f64> {
        (0..players)
            .map(|i| if mask >> i & 1 == 1 { 1.0 } else { 0.0 })
            .collect()
    }

    /// Reduces `v` against the basis; the remainder is zero iff `v` is in the span.
    fn reduce(&self, mut v: Vec<f64>) -> Vec<f64> {
        for row in &self.rows {
            if let Some(pivot) = row.iter().position(|a| a.abs() > 1e-9) {
                let factor = v[pivot] / row[pivot];
                for (a, b) in v.iter_mut().zip(row) {
                    *a -= factor * b;
                }
            }
        }
        v
    }

    fn contains(&self, mask: usize, players: usize) -> bool {
        self.reduce(Self::vector(mask, players))
            .iter()
            .all(|a| a.abs() < 1e-9)
    }

    fn add(&mut self, mask: usize, players: usize) {
        let remainder = self.reduce(Self::vector(mask, players));
        if remainder.iter().any(|a| a.abs() > 1e-9) {
            self.rows.push(remainder);
        }
    }

    fn rank(&self) -> usize {
        self.rows.len()
    }
}

/// The nucleolus of the cost game `costs` (indexed by mask, `costs[0] = 0`).
pub fn nucleolus(costs: &[f64], players: usize) -> Result<Vec<f64>, LpError> {
    let full = (1usize << players) - 1;
    if players == 1 {
        return Ok(vec![costs[full]]);
    }
    let mut span = Span { rows: Vec::new() };
    span.add(full, players);
    let mut fixed: Vec<Fixed> = Vec::new();
    let mut active: Vec<usize> = (1..full).collect();
    let mut shares = vec![costs[full] / players as f64; players];
    let tolerance = 1e-7 * (1.0 + costs[full].abs());
    while span.rank() < players && !active.is_empty() {
        let (epsilon, stage_shares) = stage_lp(costs, players, &fixed, &active, None)?;
        shares = stage_shares;
        let tight: Vec<usize> = active
            .iter()
            .copied()
            .filter(|&mask| shares_sum(&shares, mask) - costs[mask] >= epsilon - tolerance)
            .collect();
        let mut newly_fixed = Vec::new();
        for &mask in &tight {
            if span.contains(mask, players) {
                continue;
            }
            let (slack, _) = stage_lp(costs, players, &fixed, &active, Some((mask, epsilon)))?;
            if slack <= tolerance {
                newly_fixed.push(mask);
                span.add(mask, players);
                fixed.push(Fixed {
                    mask,
                    value: costs[mask] + epsilon,
                });
            }
        }
        if newly_fixed.is_empty() {
            // Numerically no coalition proved always tight: fix every tight one so the
            // sequence ends (the shares of this stage are then the answer).
            for &mask in &tight {
                span.add(mask, players);
                fixed.push(Fixed {
                    mask,
                    value: costs[mask] + epsilon,
                });
            }
            if tight.is_empty() {
                break;
            }
        }
        active.retain(|&mask| !span.contains(mask, players));
    }
    if span.rank() >= players && !fixed.is_empty() {
        // Determined by the fixed equalities: solve them once more for clean values.
        let (_, determined) = stage_lp(costs, players, &fixed, &[], None)?;
        shares = determined;
    }
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_symmetric_saving_evenly() {
        // Three identical players: alone 10, any pair 16, all three 21.
        let costs = [0.0, 10.0, 10.0, 16.0, 10.0, 16.0, 16.0, 21.0];
        let shares = nucleolus(&costs, 3).unwrap();
        for share in &shares {
            assert!((share - 7.0).abs() < 1e-6, "{shares:?}");
        }
        let (epsilon, _) = least_core(&costs, 3).unwrap();
        // x(pair) = 14 ≤ 16 - 2 and x(i) = 7 ≤ 10 - 3: the least excess is -2.
        assert!((epsilon + 2.0).abs() < 1e-6, "{epsilon}");
    }

    #[test]
    fn finds_the_textbook_nucleolus() {
        // Two players: alone 10 and 6, together 12: the nucleolus splits the saving evenly.
        let shares = nucleolus(&[0.0, 10.0, 6.0, 12.0], 2).unwrap();
        assert!(
            (shares[0] - 8.0).abs() < 1e-6 && (shares[1] - 4.0).abs() < 1e-6,
            "{shares:?}"
        );
    }

    /// The nucleolus lexicographically minimises the sorted excesses: compare with a
    /// brute-force search over a grid of splits of an asymmetric game.
    #[test]
    fn matches_a_brute_force_search() {
        let costs = [0.0, 6.0, 7.0, 10.0, 8.0, 11.0, 12.0, 15.0];
        let excesses = |x: [f64; 3]| -> Vec<f64> {
            let mut e: Vec<f64> = (1..7usize)
                .map(|m| {
                    (0..3)
                        .filter(|i| m >> i & 1 == 1)
                        .map(|i| x[i])
                        .sum::<f64>()
                        - costs[m]
                })
                .collect();
            e.sort_by(|a, b| b.total_cmp(a));
            e
        };
        let mut best: Option<(Vec<f64>, [f64; 3])> = None;
        for a in 0..=1500 {
            for b in 0..=(1500 - a) {
                let x = [
                    a as f64 / 100.0,
                    b as f64 / 100.0,
                    15.0 - (a + b) as f64 / 100.0,
                ];
                let e = excesses(x);
                let better = best.as_ref().is_none_or(|(known, _)| {
                    e.iter()
                        .zip(known)
                        .find(|(p, q)| (*p - *q).abs() > 1e-9)
                        .is_some_and(|(p, q)| p < q)
                });
                if better {
                    best = Some((e, x));
                }
            }
        }
        let (_, expected) = best.unwrap();
        let shares = nucleolus(&costs, 3).unwrap();
        for (share, wanted) in shares.iter().zip(expected) {
            assert!((share - wanted).abs() < 0.011, "{shares:?} vs {expected:?}");
        }
    }

    #[test]
    fn reports_lp_failures_as_errors() {
        // A cost that is not a number makes the programs meaningless: an error, no panic.
        let costs = [0.0, f64::NAN, 6.0, 12.0];
        assert!(matches!(least_core(&costs, 2), Err(LpError::Status { .. })));
        // Contradictory fixed coalitions: the solver's "infeasible" comes back as an error.
        let costs = [0.0, 10.0, 6.0, 12.0];
        let fixed = [
            Fixed {
                mask: 1,
                value: 5.0,
            },
            Fixed {
                mask: 1,
                value: 6.0,
            },
        ];
        let outcome = stage_lp(&costs, 2, &fixed, &[2], None);
        assert!(
            matches!(&outcome, Err(LpError::Status { status, .. }) if status.contains("nfeasible")),
            "{outcome:?}"
        );
    }
}
