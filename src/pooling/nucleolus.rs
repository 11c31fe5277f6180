//! The least core and the nucleolus by a sequence of linear programs (`lp`). Stage k
//! minimises the largest excess `x(S) - c(S)` over the coalitions not yet fixed; a
//! coalition is fixed only when a second LP proves it is tight in every optimum of the
//! stage (fixing every tight coalition is a known mistake: Guajardo & Jörnsten 2015).
//! Coalitions whose vectors lie in the span of the fixed ones are settled; the
//! sequence ends when the shares are determined. Costs are scaled so that the largest
//! is 1 before any program sees them, and the final split is checked against the
//! least core (efficiency, x(S) ≤ c(S) + ε* within a tolerance relative to the game).

pub use super::lp::LpError;
use super::lp::{Backend, DEFAULT_BACKEND, Fixed, Program, TOLERANCE, scaled, shares_sum};

fn stage_lp(
    costs: &[f64],
    players: usize,
    fixed: &[Fixed],
    active: &[usize],
    probe: Option<(usize, f64)>,
    backend: Backend,
) -> Result<(f64, Vec<f64>), LpError> {
    Program {
        costs,
        players,
        fixed,
        active,
        probe,
    }
    .solve(backend)
}

/// The least-core value ε* (the core is empty when ε* > 0) and one least-core split.
pub fn least_core(costs: &[f64], players: usize) -> Result<(f64, Vec<f64>), LpError> {
    least_core_with(costs, players, DEFAULT_BACKEND)
}

/// [`least_core`] on a chosen backend.
pub fn least_core_with(
    costs: &[f64],
    players: usize,
    backend: Backend,
) -> Result<(f64, Vec<f64>), LpError> {
    let (costs, scale) = scaled(costs);
    let full = (1usize << players) - 1;
    let active: Vec<usize> = (1..full).collect();
    let (epsilon, shares) = stage_lp(&costs, players, &[], &active, None, backend)?;
    Ok((epsilon * scale, shares.iter().map(|s| s * scale).collect()))
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
    nucleolus_with(costs, players, DEFAULT_BACKEND)
}

/// [`nucleolus`] on a chosen backend; the split is checked against the least core.
pub fn nucleolus_with(
    costs: &[f64],
    players: usize,
    backend: Backend,
) -> Result<Vec<f64>, LpError> {
    let full = (1usize << players) - 1;
    if players == 1 {
        return Ok(vec![costs[full]]);
    }
    let (costs, scale) = scaled(costs);
    let (shares, least_core) = scaled_nucleolus(&costs, players, backend)?;
    let unverified = |what: String| LpError::Unverified {
        stage: "nucleolus".to_string(),
        what,
    };
    let gap = (shares_sum(&shares, full) - costs[full]).abs();
    if gap > 10.0 * TOLERANCE {
        return Err(unverified(format!("shares miss the total by {gap:.2e}")));
    }
    if let Some(mask) = (1..full)
        .find(|&mask| shares_sum(&shares, mask) - costs[mask] > least_core + 10.0 * TOLERANCE)
    {
        return Err(unverified(format!(
            "coalition {mask:#b} pays more than its cost plus the least-core value"
        )));
    }
    Ok(shares.iter().map(|s| s * scale).collect())
}

/// The sequence of programs on costs scaled to a largest of 1: (shares, ε* of the
/// first stage).
fn scaled_nucleolus(
    costs: &[f64],
    players: usize,
    backend: Backend,
) -> Result<(Vec<f64>, f64), LpError> {
    let full = (1usize << players) - 1;
    let mut span = Span { rows: Vec::new() };
    span.add(full, players);
    let mut fixed: Vec<Fixed> = Vec::new();
    let mut active: Vec<usize> = (1..full).collect();
    let mut shares = vec![costs[full] / players as f64; players];
    let mut least_core = None;
    while span.rank() < players && !active.is_empty() {
        let (epsilon, stage_shares) = stage_lp(costs, players, &fixed, &active, None, backend)?;
        least_core.get_or_insert(epsilon);
        shares = stage_shares;
        let tight: Vec<usize> = active
            .iter()
            .copied()
            .filter(|&mask| shares_sum(&shares, mask) - costs[mask] >= epsilon - TOLERANCE)
            .collect();
        let mut newly_fixed = false;
        for &mask in &tight {
            if span.contains(mask, players) {
                continue;
            }
            let probe = Some((mask, epsilon));
            let (slack, _) = stage_lp(costs, players, &fixed, &active, probe, backend)?;
            if slack <= 2.0 * TOLERANCE {
                newly_fixed = true;
                span.add(mask, players);
                fixed.push(Fixed {
                    mask,
                    value: costs[mask] + epsilon,
                });
            }
        }
        if !newly_fixed {
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
        let (_, determined) = stage_lp(costs, players, &fixed, &[], None, backend)?;
        shares = determined;
    }
    Ok((shares, least_core.unwrap_or(0.0)))
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
        let outcome = stage_lp(&costs, 2, &fixed, &[2], None, Backend::Microlp);
        assert!(
            matches!(&outcome, Err(LpError::Status { status, .. }) if status.contains("nfeasible")),
            "{outcome:?}"
        );
    }
}
