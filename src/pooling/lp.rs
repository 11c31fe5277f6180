//! One linear program of the least-core / nucleolus sequence, on a chosen backend
//! (good_lp driving clarabel, a pure-Rust interior-point solver, or microlp, a
//! pure-Rust simplex), with its answer checked before anyone uses it.
//!
//! The programs are highly degenerate: thousands of rows `x(S) - ε ≤ c(S)`, many
//! tight at once, costs that are sums of the same integers. `nucleolus` hands them
//! costs scaled so that the largest is 1, so the tolerances here are relative to
//! the game's size (BENCHMARKS.md, "LP backend", measured why clarabel is the default).

use super::cost_game::{CostGame, shares_sum};
use good_lp::{
    Expression, ResolutionError, Solution, SolverModel, Variable, clarabel, constraint, microlp,
    variable, variables,
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
    /// The solver's answer does not satisfy the program it was given.
    #[error("linear program {stage}: the answer fails its own check ({what})")]
    Unverified {
        /// Which LP.
        stage: String,
        /// What the check found.
        what: String,
    },
    /// The budget ended between two programs of a sequence.
    #[error("{reason} during the {stage}")]
    OutOfTime {
        /// Which sequence.
        stage: String,
        /// What ended it ("time limit reached", …).
        reason: String,
    },
}

/// Which solver runs the programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// clarabel: interior point, every stage in a few dozen iterations whatever the
    /// degeneracy (the default, by measurement).
    Clarabel,
    /// microlp: dense simplex; reports degenerate stages infeasible.
    Microlp,
}

/// The backend the report uses.
pub const DEFAULT_BACKEND: Backend = Backend::Clarabel;

/// Relative tolerance (costs scaled to a largest of 1) for deciding that a coalition is
/// tight and for checking answers: far above the solvers' own accuracy (1e-8), far
/// below a cent on any cooperative's bill.
pub const TOLERANCE: f64 = 1e-6;

/// Interior-point iterations allowed per program: a deterministic cap (no clock).
pub const MAX_INTERIOR_ITERATIONS: u32 = 200;

/// A constraint `x(S) = value` fixed by an earlier stage.
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    /// The coalition.
    pub mask: u64,
    /// Its fixed total.
    pub value: f64,
}

/// One program: `min ε` (or, with `probe = Some((row, ε*))`, `min x(S) - c(S)` for the
/// coalition of that row with ε at most ε*) over shares x with x(N) = c(N), the fixed
/// equalities, and x(S) - ε ≤ c(S) for every active row S.
pub struct Program<'a> {
    /// The game (scaled).
    pub game: &'a CostGame,
    /// Equalities of earlier stages.
    pub fixed: &'a [Fixed],
    /// Rows of the game still constrained by ε.
    pub active: &'a [usize],
    /// The row probed for tightness at level ε*, if any.
    pub probe: Option<(usize, f64)>,
}

/// Sum of `x` over coalition `mask`.
fn coalition_sum(x: &[Variable], mask: u64) -> Expression {
    x.iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, v)| *v)
        .sum()
}

impl Program<'_> {
    fn stage(&self) -> &'static str {
        match (self.probe, self.fixed.is_empty()) {
            (Some(_), _) => "nucleolus tightness probe",
            (None, true) => "least core",
            (None, false) => "nucleolus",
        }
    }

    /// Solves the program on `backend` and checks the answer: (ε or the probe's slack,
    /// shares).
    pub fn solve(&self, backend: Backend) -> Result<(f64, Vec<f64>), LpError> {
        let stage = self.stage();
        let game = self.game;
        if !game.all_finite() {
            return Err(LpError::Status {
                stage: "coalition costs".to_string(),
                status: "a cost is not a finite number".to_string(),
            });
        }
        // Finite bounds far beyond any answer: microlp handles free variables poorly.
        let largest = game
            .rows
            .iter()
            .map(|(_, c)| c.abs())
            .fold(game.full_cost.abs(), f64::max);
        let bound = 10.0 * (1.0 + largest);
        let mut vars = variables!();
        let epsilon = vars.add(variable().min(-bound).max(bound));
        let x: Vec<Variable> = (0..game.players)
            .map(|_| vars.add(variable().min(-bound).max(bound)))
            .collect();
        let objective: Expression = match self.probe {
            None => epsilon.into(),
            Some((row, _)) => coalition_sum(&x, game.rows[row].0) - game.rows[row].1,
        };
        let mut rows = vec![constraint!(
            coalition_sum(&x, game.full_mask()) == game.full_cost
        )];
        for f in self.fixed {
            rows.push(constraint!(coalition_sum(&x, f.mask) == f.value));
        }
        if let Some((_, level)) = self.probe {
            rows.push(constraint!(epsilon <= level + TOLERANCE));
        }
        for &row in self.active {
            let (mask, cost) = game.rows[row];
            rows.push(constraint!(coalition_sum(&x, mask) - epsilon <= cost));
        }
        let problem = vars.minimise(objective);
        let values = match backend {
            Backend::Clarabel => {
                let mut model = problem.using(clarabel);
                model.settings().max_iter(MAX_INTERIOR_ITERATIONS);
                values(model.with_all(rows).solve(), epsilon, &x)
            }
            Backend::Microlp => values(problem.using(microlp).with_all(rows).solve(), epsilon, &x),
        }
        .map_err(|error| LpError::Status {
            stage: stage.to_string(),
            status: error.to_string(),
        })?;
        let (level, shares) = values;
        self.check(stage, level, &shares)?;
        let value = match self.probe {
            None => level,
            // Slack of S at the optimum: c(S) + ε* - x(S), maximised.
            Some((row, level)) => {
                let (mask, cost) = game.rows[row];
                cost + level - shares_sum(&shares, mask)
            }
        };
        Ok((value, shares))
    }

    /// The answer satisfies the program within [`TOLERANCE`]: efficiency, the fixed
    /// equalities, and x(S) ≤ c(S) + ε for every active coalition.
    fn check(&self, stage: &str, epsilon: f64, shares: &[f64]) -> Result<(), LpError> {
        let unverified = |what: String| LpError::Unverified {
            stage: stage.to_string(),
            what,
        };
        let game = self.game;
        if shares.iter().any(|s| !s.is_finite()) || !epsilon.is_finite() {
            return Err(unverified("a value is not a finite number".to_string()));
        }
        let slack = 10.0 * TOLERANCE;
        let gap = (shares_sum(shares, game.full_mask()) - game.full_cost).abs();
        if gap > slack {
            return Err(unverified(format!("shares miss the total by {gap:.2e}")));
        }
        for f in self.fixed {
            let gap = (shares_sum(shares, f.mask) - f.value).abs();
            if gap > slack {
                return Err(unverified(format!(
                    "coalition {:#b} misses its fixed total by {gap:.2e}",
                    f.mask
                )));
            }
        }
        for &row in self.active {
            let (mask, cost) = game.rows[row];
            let excess = shares_sum(shares, mask) - cost - epsilon;
            if excess > slack {
                return Err(unverified(format!(
                    "coalition {mask:#b} exceeds its bound by {excess:.2e}"
                )));
            }
        }
        Ok(())
    }
}

/// Rows a program over many coalitions starts from, per player, beyond a base: the
/// rest enter only when the answer violates them.
const WORKING_ROWS_PER_PLAYER: usize = 8;
const WORKING_ROWS_BASE: usize = 32;

impl Program<'_> {
    /// Solves the program by row generation: over the active rows that `hint` (a
    /// split) makes the most binding, then adding the rows the answer violates until
    /// it violates none. An answer that satisfies every row of the whole program while
    /// optimal over a part of it is optimal for the whole: same answer as
    /// [`Program::solve`], on programs a fraction of the size (the exact game of 12
    /// producers has 4,094 rows; few of them bind).
    pub fn solve_by_rows(
        &self,
        hint: &[f64],
        backend: Backend,
    ) -> Result<(f64, Vec<f64>), LpError> {
        let game = self.game;
        let batch = WORKING_ROWS_BASE + WORKING_ROWS_PER_PLAYER * game.players;
        if self.active.len() <= 2 * batch {
            return self.solve(backend);
        }
        let excess = |shares: &[f64], row: usize| {
            let (mask, cost) = game.rows[row];
            shares_sum(shares, mask) - cost
        };
        let mut working = most_binding(self.active, batch, |row| excess(hint, row));
        if let Some((row, _)) = self.probe
            && !working.contains(&row)
        {
            working.push(row);
        }
        loop {
            working.sort_unstable();
            let part = Program {
                active: &working,
                ..*self
            };
            let (value, shares) = part.solve(backend)?;
            let epsilon = match self.probe {
                None => value,
                // The probe's ε is at most its level; its rows hold for that level.
                Some((_, level)) => level + TOLERANCE,
            };
            let violated: Vec<usize> = self
                .active
                .iter()
                .copied()
                .filter(|row| working.binary_search(row).is_err())
                .filter(|&row| excess(&shares, row) > epsilon + TOLERANCE)
                .collect();
            if violated.is_empty() {
                return Ok((value, shares));
            }
            working.extend(most_binding(&violated, batch, |row| excess(&shares, row)));
        }
    }
}

/// The `count` rows of `rows` with the largest `excess`, ties by row.
fn most_binding(rows: &[usize], count: usize, excess: impl Fn(usize) -> f64) -> Vec<usize> {
    let mut ranked: Vec<(f64, usize)> = rows.iter().map(|&row| (excess(row), row)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(count).map(|(_, row)| row).collect()
}

/// (ε, shares) of a solved model.
fn values(
    solved: Result<impl Solution, ResolutionError>,
    epsilon: Variable,
    x: &[Variable],
) -> Result<(f64, Vec<f64>), ResolutionError> {
    let solution = solved?;
    Ok((
        solution.value(epsilon),
        x.iter().map(|v| solution.value(*v)).collect(),
    ))
}
