//! The Equal Profit Method (Frisk, Göthe-Lundgren, Jörnsten & Rönnqvist 2010): the split
//! inside the core that makes every producer's relative saving `(c({i}) − x_i) / c({i})`
//! as equal as possible. One linear program, the rule a cooperative's meeting reads
//! most easily ("everyone saves about 18 %").
//!
//! Owned here: the program and the check of its answer. It goes through the same layer
//! as the least core (`lp`): costs scaled to a largest of 1, clarabel with a
//! deterministic iteration cap, and an answer that must satisfy its own constraints
//! before anyone uses it.
//!
//! The variables are the fractions `r_i = x_i / c({i})` of the alone cost each producer
//! pays (well conditioned whatever the ratio between producers), and the objective is
//! the spread `max r − min r`, which equals the largest difference of relative savings.
//! A player whose alone cost is 0 has no relative saving: it stays out of the spread and
//! the core constraints alone set its share.
//!
//! When the core is empty, the caller passes the least-core value ε* > 0 and the
//! program runs inside the least core (`x(S) ≤ c(S) + ε*`): the answer is then the most
//! even split among those that leave no group more than ε* better off alone, and the
//! report says so.

use good_lp::{Expression, Solution, SolverModel, Variable, clarabel, constraint, variables};

use super::cost_game::{CostGame, shares_sum};
use super::lp::{LpError, MAX_INTERIOR_ITERATIONS, TOLERANCE};

/// The EPM split of the cost game `costs` (by mask, `costs[0] = 0`), each coalition
/// allowed `allowed_excess` above its cost (0: the core; ε* > 0: the least core), in
/// the game's currency units.
#[cfg(test)]
pub fn epm(costs: &[f64], players: usize, allowed_excess: f64) -> Result<Vec<f64>, LpError> {
    epm_of(&CostGame::dense(costs, players), allowed_excess)
}

/// The EPM split over the coalitions `game` knows.
pub fn epm_of(game: &CostGame, allowed_excess: f64) -> Result<Vec<f64>, LpError> {
    if game.players == 1 {
        return Ok(vec![game.full_cost]);
    }
    if !game.all_finite() || !allowed_excess.is_finite() {
        return Err(LpError::Status {
            stage: "equal profit method".to_string(),
            status: "a cost is not a finite number".to_string(),
        });
    }
    let (game, scale) = game.scaled();
    let excess = allowed_excess.max(0.0) / scale;
    // ε* comes from another program, accurate to its solver's tolerance, and a core
    // of one point (an additive game) is empty after a 1e-9 perturbation: when the
    // exact program is infeasible, it runs again with TOLERANCE / 10 of room (relative).
    let (room, shares) = match solve_scaled(&game, excess) {
        Ok(shares) => (excess, shares),
        Err(_) => {
            let room = excess + 0.1 * TOLERANCE;
            (room, solve_scaled(&game, room)?)
        }
    };
    check(&game, room, &shares)?;
    Ok(shares.iter().map(|s| s * scale).collect())
}

/// The weight of player `i`'s variable: its alone cost when positive (the variable is
/// then the fraction it pays), 1 otherwise (the variable is its share).
fn weight(game: &CostGame, player: usize) -> f64 {
    let alone = game.alone[player];
    if alone > 0.0 { alone } else { 1.0 }
}

/// The program on a scaled game: shares.
fn solve_scaled(game: &CostGame, excess: f64) -> Result<Vec<f64>, LpError> {
    let players = game.players;
    let mut vars = variables!();
    let low = vars.add_variable();
    let high = vars.add_variable();
    let fraction: Vec<Variable> = (0..players).map(|_| vars.add_variable()).collect();
    let share = |mask: u64| -> Expression {
        (0..players)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| weight(game, i) * fraction[i])
            .sum()
    };
    let mut rows = vec![
        constraint!(share(game.full_mask()) == game.full_cost),
        constraint!(high - low >= 0.0),
    ];
    for (i, r) in fraction.iter().enumerate() {
        if game.alone[i] > 0.0 {
            rows.push(constraint!(*r - low >= 0.0));
            rows.push(constraint!(high - *r >= 0.0));
        }
    }
    for &(mask, cost) in &game.rows {
        rows.push(constraint!(share(mask) <= cost + excess));
    }
    let mut model = vars.minimise(high - low).using(clarabel);
    model.settings().max_iter(MAX_INTERIOR_ITERATIONS);
    let solution = model
        .with_all(rows)
        .solve()
        .map_err(|error| LpError::Status {
            stage: "equal profit method".to_string(),
            status: error.to_string(),
        })?;
    Ok(fraction
        .iter()
        .enumerate()
        .map(|(i, r)| weight(game, i) * solution.value(*r))
        .collect())
}

/// The answer satisfies its program within [`TOLERANCE`] (relative to the scaled game):
/// finite, efficient, and no coalition above its cost plus the allowed excess.
fn check(game: &CostGame, excess: f64, shares: &[f64]) -> Result<(), LpError> {
    let unverified = |what: String| LpError::Unverified {
        stage: "equal profit method".to_string(),
        what,
    };
    let slack = 10.0 * TOLERANCE;
    if shares.iter().any(|s| !s.is_finite()) {
        return Err(unverified("a share is not a finite number".to_string()));
    }
    let gap = (shares_sum(shares, game.full_mask()) - game.full_cost).abs();
    if gap > slack {
        return Err(unverified(format!("shares miss the total by {gap:.2e}")));
    }
    if let Some(&(mask, _)) = game
        .rows
        .iter()
        .find(|&&(mask, cost)| shares_sum(shares, mask) > cost + excess + slack)
    {
        return Err(unverified(format!(
            "coalition {mask:#b} pays more than its cost plus {excess:.2e}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5)
    }

    #[test]
    fn equal_savings_when_the_core_allows_them() {
        // Alone 10, 20, 30; pooled 48: everyone pays 80 % (the proportional split),
        // which no pair objects to.
        let costs = [0.0, 10.0, 20.0, 25.0, 30.0, 35.0, 45.0, 48.0];
        let shares = epm(&costs, 3, 0.0).unwrap();
        assert!(close(&shares, &[8.0, 16.0, 24.0]), "{shares:?}");
    }

    #[test]
    fn the_core_bends_equal_savings() {
        // Producers 2 and 3 together cost 38, so producer 1 pays its alone cost 10; the
        // others share 38 at the same rate, 76 %: (10, 15.2, 22.8).
        let costs = [0.0, 10.0, 20.0, 30.0, 30.0, 40.0, 38.0, 48.0];
        let shares = epm(&costs, 3, 0.0).unwrap();
        assert!(close(&shares, &[10.0, 15.2, 22.8]), "{shares:?}");
        assert!(
            crate::pooling::core_check::members_in_core(&shares, &CostGame::dense(&costs, 3))
                .iter()
                .all(|b| *b)
        );
    }

    #[test]
    fn symmetric_players_pay_the_same_and_shares_add_up() {
        let costs = [0.0, 10.0, 10.0, 16.0, 10.0, 16.0, 16.0, 21.0];
        let shares = epm(&costs, 3, 0.0).unwrap();
        assert!(close(&shares, &[7.0, 7.0, 7.0]), "{shares:?}");
        assert!((shares.iter().sum::<f64>() - 21.0).abs() < 1e-6);
    }

    #[test]
    fn runs_inside_the_least_core_when_the_core_is_empty() {
        // Pairs cost 10, all three 18: every pair pays 12 for an equal split, so the
        // core is empty (ε* = 2); inside the least core the symmetric split stands.
        let costs = [0.0, 6.0, 6.0, 10.0, 6.0, 10.0, 10.0, 18.0];
        assert!(epm(&costs, 3, 0.0).is_err());
        let shares = epm(&costs, 3, 2.0).unwrap();
        assert!(close(&shares, &[6.0, 6.0, 6.0]), "{shares:?}");
    }

    #[test]
    fn an_idle_player_pays_nothing() {
        // Player 2 has no tasks: alone 0, adds nothing to any group.
        let costs = [0.0, 10.0, 0.0, 10.0];
        let shares = epm(&costs, 2, 0.0).unwrap();
        assert!(close(&shares, &[10.0, 0.0]), "{shares:?}");
    }
}
