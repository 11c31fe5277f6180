//! The least core and the nucleolus by a sequence of linear programs (`lp`). Stage k
//! minimises the largest excess `x(S) - c(S)` over the coalitions not yet fixed; a
//! coalition is fixed only when a second LP proves it is tight in every optimum of the
//! stage (fixing every tight coalition is a known mistake: Guajardo & Jörnsten 2015).
//! Coalitions whose vectors lie in the span of the fixed ones are settled; the
//! sequence ends when the shares are determined. Costs are scaled so that the largest
//! is 1 before any program sees them, and the final split is checked against the
//! least core (efficiency, x(S) ≤ c(S) + ε* within a tolerance relative to the game).
//! The game is a [`CostGame`]: every coalition for the exact game, the coalitions
//! evaluated so far for a large cooperative (the answer is then the nucleolus of that
//! game, which `generate` makes close to the whole one).

pub use super::cost_game::CostGame;
use super::cost_game::shares_sum;
pub use super::lp::LpError;
use super::lp::{Backend, DEFAULT_BACKEND, Fixed, Program, TOLERANCE};

/// Whether the sequence may go on: `None` to go on, `Some(why)` to stop.
pub type KeepGoing<'a> = &'a dyn Fn() -> Option<String>;

fn go_on() -> Option<String> {
    None
}

/// The least-core value ε* (the core is empty when ε* > 0) and one least-core split of
/// the game `costs` (by mask, `costs[0] = 0`).
pub fn least_core(costs: &[f64], players: usize) -> Result<(f64, Vec<f64>), LpError> {
    least_core_with(costs, players, DEFAULT_BACKEND)
}

/// [`least_core`] on a chosen backend.
pub fn least_core_with(
    costs: &[f64],
    players: usize,
    backend: Backend,
) -> Result<(f64, Vec<f64>), LpError> {
    least_core_of(&CostGame::dense(costs, players), backend)
}

/// The least-core value and one least-core split of the coalitions `game` knows.
pub fn least_core_of(game: &CostGame, backend: Backend) -> Result<(f64, Vec<f64>), LpError> {
    let (scaled, scale) = game.scaled();
    let active: Vec<usize> = (0..scaled.rows.len()).collect();
    let program = Program {
        game: &scaled,
        fixed: &[],
        active: &active,
        probe: None,
    };
    let (epsilon, shares) = program.solve_by_rows(&proportional_hint(&scaled), backend)?;
    Ok((epsilon * scale, shares.iter().map(|s| s * scale).collect()))
}

/// A first split to choose the rows a program starts from: the grand coalition's
/// cost in proportion to the players' costs alone.
fn proportional_hint(game: &CostGame) -> Vec<f64> {
    let total: f64 = game.alone.iter().sum();
    let n = game.players.max(1) as f64;
    game.alone
        .iter()
        .map(|alone| {
            if total > 0.0 {
                game.full_cost * alone / total
            } else {
                game.full_cost / n
            }
        })
        .collect()
}

/// Row-echelon basis of the fixed coalition vectors, to tell which are determined.
struct Span {
    rows: Vec<Vec<f64>>,
    players: usize,
}

impl Span {
    fn vector(&self, mask: u64) -> Vec<f64> {
        (0..self.players)
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

    fn contains(&self, mask: u64) -> bool {
        self.reduce(self.vector(mask))
            .iter()
            .all(|a| a.abs() < 1e-9)
    }

    fn add(&mut self, mask: u64) {
        let remainder = self.reduce(self.vector(mask));
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
    nucleolus_of(&CostGame::dense(costs, players), backend, &go_on)
}

/// The nucleolus of the coalitions `game` knows, checked against their least core;
/// `keep_going` is asked between two programs.
pub fn nucleolus_of(
    game: &CostGame,
    backend: Backend,
    keep_going: KeepGoing,
) -> Result<Vec<f64>, LpError> {
    if game.players == 1 {
        return Ok(vec![game.full_cost]);
    }
    let (scaled, scale) = game.scaled();
    let (shares, least_core) = scaled_nucleolus(&scaled, backend, keep_going)?;
    let unverified = |what: String| LpError::Unverified {
        stage: "nucleolus".to_string(),
        what,
    };
    let gap = (shares_sum(&shares, scaled.full_mask()) - scaled.full_cost).abs();
    if gap > 10.0 * TOLERANCE {
        return Err(unverified(format!("shares miss the total by {gap:.2e}")));
    }
    if let Some(&(mask, _)) = scaled
        .rows
        .iter()
        .find(|&&(mask, cost)| shares_sum(&shares, mask) - cost > least_core + 10.0 * TOLERANCE)
    {
        return Err(unverified(format!(
            "coalition {mask:#b} pays more than its cost plus the least-core value"
        )));
    }
    Ok(shares.iter().map(|s| s * scale).collect())
}

/// Where the sequence stands: the fixed equalities, their span and the rows still
/// constrained by ε.
struct Sequence<'a> {
    game: &'a CostGame,
    backend: Backend,
    span: Span,
    fixed: Vec<Fixed>,
    active: Vec<usize>,
    /// The last stage's split: the rows it binds start the next programs.
    hint: Vec<f64>,
}

impl Sequence<'_> {
    fn solve(&self, probe: Option<(usize, f64)>) -> Result<(f64, Vec<f64>), LpError> {
        Program {
            game: self.game,
            fixed: &self.fixed,
            active: &self.active,
            probe,
        }
        .solve_by_rows(&self.hint, self.backend)
    }

    fn fix(&mut self, row: usize, epsilon: f64) {
        let (mask, cost) = self.game.rows[row];
        self.span.add(mask);
        self.fixed.push(Fixed {
            mask,
            value: cost + epsilon,
        });
    }

    /// Fixes the tight rows proved tight in every optimum of the stage at `epsilon`;
    /// when none proves so numerically, every tight one (the sequence then ends).
    fn fix_tight(
        &mut self,
        tight: &[usize],
        epsilon: f64,
        keep_going: KeepGoing,
    ) -> Result<(), LpError> {
        let mut newly_fixed = false;
        for &row in tight {
            if self.span.contains(self.game.rows[row].0) {
                continue;
            }
            stop_if_asked(keep_going)?;
            let (slack, _) = self.solve(Some((row, epsilon)))?;
            if slack <= 2.0 * TOLERANCE {
                newly_fixed = true;
                self.fix(row, epsilon);
            }
        }
        if !newly_fixed {
            for &row in tight {
                self.fix(row, epsilon);
            }
        }
        Ok(())
    }
}

fn stop_if_asked(keep_going: KeepGoing) -> Result<(), LpError> {
    match keep_going() {
        None => Ok(()),
        Some(reason) => Err(LpError::OutOfTime {
            stage: "nucleolus".to_string(),
            reason,
        }),
    }
}

/// The sequence of programs on a game scaled to a largest cost of 1: (shares, ε* of
/// the first stage).
fn scaled_nucleolus(
    game: &CostGame,
    backend: Backend,
    keep_going: KeepGoing,
) -> Result<(Vec<f64>, f64), LpError> {
    let players = game.players;
    let mut sequence = Sequence {
        game,
        backend,
        span: Span {
            rows: Vec::new(),
            players,
        },
        fixed: Vec::new(),
        active: (0..game.rows.len()).collect(),
        hint: proportional_hint(game),
    };
    sequence.span.add(game.full_mask());
    let mut shares = vec![game.full_cost / players as f64; players];
    let mut least_core = None;
    while sequence.span.rank() < players && !sequence.active.is_empty() {
        stop_if_asked(keep_going)?;
        let (epsilon, stage_shares) = sequence.solve(None)?;
        least_core.get_or_insert(epsilon);
        shares = stage_shares;
        sequence.hint.clone_from(&shares);
        let tight: Vec<usize> = sequence
            .active
            .iter()
            .copied()
            .filter(|&row| {
                let (mask, cost) = game.rows[row];
                shares_sum(&shares, mask) - cost >= epsilon - TOLERANCE
            })
            .collect();
        if tight.is_empty() {
            break;
        }
        sequence.fix_tight(&tight, epsilon, keep_going)?;
        let span = &sequence.span;
        sequence
            .active
            .retain(|&row| !span.contains(game.rows[row].0));
    }
    if sequence.span.rank() >= players && !sequence.fixed.is_empty() {
        // Determined by the fixed equalities: solve them once more for clean values.
        sequence.active.clear();
        let (_, determined) = sequence.solve(None)?;
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
        let game = CostGame::dense(&costs, 2);
        let program = Program {
            game: &game,
            fixed: &fixed,
            active: &[1],
            probe: None,
        };
        let outcome = program.solve(Backend::Microlp);
        assert!(
            matches!(&outcome, Err(LpError::Status { status, .. }) if status.contains("nfeasible")),
            "{outcome:?}"
        );
    }
}
