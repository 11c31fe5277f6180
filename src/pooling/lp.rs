//! One linear program of the least-core / nucleolus sequence, on a chosen backend
//! (good_lp driving clarabel, a pure-Rust interior-point solver, or microlp, a
//! pure-Rust simplex), with its answer checked before anyone uses it.
//!
//! The programs are highly degenerate: thousands of rows `x(S) - ε ≤ c(S)`, many
//! tight at once, costs that are sums of the same integers. `nucleolus` hands them
//! costs scaled so that the largest is 1, so the tolerances here are relative to
//! the game's size (BENCHMARKS.md, "LP backend", measured why clarabel is the default).

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
    pub mask: usize,
    /// Its fixed total.
    pub value: f64,
}

/// One program: `min ε` (or, with `probe = Some((S, ε*))`, `min x(S) - c(S)` with ε at
/// most ε*) over shares x with x(N) = c(N), the fixed equalities, and
/// x(S) - ε ≤ c(S) for every active S.
pub struct Program<'a> {
    /// Cost by mask (scaled).
    pub costs: &'a [f64],
    /// Number of players.
    pub players: usize,
    /// Equalities of earlier stages.
    pub fixed: &'a [Fixed],
    /// Coalitions still constrained by ε.
    pub active: &'a [usize],
    /// The coalition probed for tightness at level ε*, if any.
    pub probe: Option<(usize, f64)>,
}

/// Sum of `x` over coalition `mask`.
fn coalition_sum(x: &[Variable], mask: usize) -> Expression {
    x.iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, v)| *v)
        .sum()
}

/// Costs divided by their largest magnitude, and that scale: every program sees costs
/// of at most 1 whatever the currency or the size of the cooperative.
pub fn scaled(costs: &[f64]) -> (Vec<f64>, f64) {
    let largest = costs.iter().map(|c| c.abs()).fold(0.0, f64::max);
    let scale = if largest.is_finite() && largest > 0.0 {
        largest
    } else {
        1.0
    };
    (costs.iter().map(|c| c / scale).collect(), scale)
}

/// Sum of `shares` over coalition `mask`.
pub fn shares_sum(shares: &[f64], mask: usize) -> f64 {
    shares
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, s)| s)
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
        if self.costs.iter().any(|c| !c.is_finite()) {
            return Err(LpError::Status {
                stage: "coalition costs".to_string(),
                status: "a cost is not a finite number".to_string(),
            });
        }
        // Finite bounds far beyond any answer: microlp handles free variables poorly.
        let bound = 10.0 * (1.0 + self.costs.iter().map(|c| c.abs()).fold(0.0, f64::max));
        let mut vars = variables!();
        let epsilon = vars.add(variable().min(-bound).max(bound));
        let x: Vec<Variable> = (0..self.players)
            .map(|_| vars.add(variable().min(-bound).max(bound)))
            .collect();
        let full = (1usize << self.players) - 1;
        let objective: Expression = match self.probe {
            None => epsilon.into(),
            Some((mask, _)) => coalition_sum(&x, mask) - self.costs[mask],
        };
        let mut rows = vec![constraint!(coalition_sum(&x, full) == self.costs[full])];
        for f in self.fixed {
            rows.push(constraint!(coalition_sum(&x, f.mask) == f.value));
        }
        if let Some((_, level)) = self.probe {
            rows.push(constraint!(epsilon <= level + TOLERANCE));
        }
        for &mask in self.active {
            rows.push(constraint!(
                coalition_sum(&x, mask) - epsilon <= self.costs[mask]
            ));
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
            Some((mask, level)) => self.costs[mask] + level - shares_sum(&shares, mask),
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
        let full = (1usize << self.players) - 1;
        if shares.iter().any(|s| !s.is_finite()) || !epsilon.is_finite() {
            return Err(unverified("a value is not a finite number".to_string()));
        }
        let slack = 10.0 * TOLERANCE;
        let gap = (shares_sum(shares, full) - self.costs[full]).abs();
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
        for &mask in self.active {
            let excess = shares_sum(shares, mask) - self.costs[mask] - epsilon;
            if excess > slack {
                return Err(unverified(format!(
                    "coalition {mask:#b} exceeds its bound by {excess:.2e}"
                )));
            }
        }
        Ok(())
    }
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
