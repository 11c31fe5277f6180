//! The rules of the exact game that need every coalition: the least core, the
//! nucleolus (linear programs, `nucleolus`), the Equal Profit Method (`epm`) and core
//! membership (`core_check`). Each
//! records its own status: a linear program that fails leaves the others standing.

use super::core_check;
use super::cost_game::CostGame;
use super::epm;
use super::lp::DEFAULT_BACKEND;
use super::nucleolus::{self, LpError};
use super::report::Report;
use super::report::stop_text;
use super::rules::{Rule, RuleStatus};
use crate::budget::Budget;

/// What the exact game says about the core, per player.
pub struct Judgement {
    /// The nucleolus, when its programs succeeded.
    pub nucleolus: Option<Vec<f64>>,
    /// The Equal Profit Method split, when its program succeeded.
    pub epm: Option<Vec<f64>>,
    /// Whether no coalition containing the player pays more than its cost under
    /// Shapley.
    pub shapley_member_in_core: Vec<bool>,
}

/// The failure the test-only hook `PoolingOptions::force_lp_failure` stands for.
fn forced(stage: &str) -> LpError {
    LpError::Status {
        stage: stage.to_string(),
        status: "failure forced by the test hook".to_string(),
    }
}

/// What the rules of the exact game work on.
pub struct Inputs<'a> {
    /// The game: every coalition (repaired costs) for the exact game, the coalitions
    /// evaluated for a large one; currency units.
    pub costs: &'a CostGame,
    /// The Shapley split.
    pub shapley: &'a [f64],
    /// The proportional split.
    pub proportional: &'a [f64],
    /// The test-only hook: the programs fail.
    pub force_failure: bool,
    /// The request's budget: a program does not start once it has ended.
    pub budget: &'a Budget<'a>,
}

/// The status of a program the budget leaves no time for, if it does not.
fn out_of_time(budget: &Budget, what: &str) -> Option<RuleStatus> {
    budget
        .expired(std::time::Instant::now())
        .map(|reason| RuleStatus::Skipped(format!("{} before the {what}", stop_text(reason))))
}

/// Runs the least core, the nucleolus and the core checks on the game and records each
/// one's values and status in `report`, with a note on an empty core.
pub fn judge(inputs: &Inputs, report: &mut Report) -> Judgement {
    let Inputs {
        costs,
        shapley,
        proportional,
        force_failure,
        budget,
    } = *inputs;
    let n = shapley.len();
    let all_in = |split: &[f64]| core_check::members_in_core(split, costs).iter().all(|b| *b);
    report.shapley_in_core = Some(all_in(shapley));
    report.proportional_in_core = Some(all_in(proportional));
    report.rules.set(Rule::Core, RuleStatus::Ok);
    let shapley_member_in_core = core_check::members_in_core(shapley, costs);
    if n < 2 {
        // One player pays the whole cost: no group to compare it with.
        report.rules.set(
            Rule::LeastCore,
            RuleStatus::Skipped("one producer: no smaller group to compare with".to_string()),
        );
        report.rules.set(Rule::Nucleolus, RuleStatus::Ok);
        report.rules.set(Rule::Epm, RuleStatus::Ok);
        report.nucleolus_in_core = Some(true);
        report.epm_in_core = Some(true);
        return Judgement {
            nucleolus: Some(vec![costs.full_cost]),
            epm: Some(vec![costs.full_cost]),
            shapley_member_in_core,
        };
    }
    let mut nucleolus = None;
    match out_of_time(budget, "least core") {
        Some(skipped) => report.rules.set(Rule::LeastCore, skipped),
        None => least_core_rule(costs, force_failure, report),
    }
    // The EPM is one program, the nucleolus a sequence: the cheaper first, so that a
    // short time limit keeps it.
    let mut epm = None;
    match out_of_time(budget, "equal profit method") {
        Some(skipped) => report.rules.set(Rule::Epm, skipped),
        None => epm = epm_rule(costs, force_failure, report, &all_in),
    }
    match out_of_time(budget, "nucleolus") {
        Some(skipped) => report.rules.set(Rule::Nucleolus, skipped),
        None => nucleolus = nucleolus_rule(costs, force_failure, budget, report, &all_in),
    }
    Judgement {
        nucleolus,
        epm,
        shapley_member_in_core,
    }
}

/// Runs one rule's linear programs (or, under the test hook, a failure instead) and
/// records its status: `ok` with the answer, `failed` with the reason.
fn run_rule<T>(
    rule: Rule,
    stage: &str,
    force_failure: bool,
    report: &mut Report,
    solve: impl FnOnce() -> Result<T, LpError>,
) -> Option<T> {
    let outcome = if force_failure {
        Err(forced(stage))
    } else {
        solve()
    };
    match outcome {
        Ok(answer) => {
            report.rules.set(rule, RuleStatus::Ok);
            Some(answer)
        }
        Err(error @ LpError::OutOfTime { .. }) => {
            report
                .rules
                .set(rule, RuleStatus::Skipped(error.to_string()));
            None
        }
        Err(error) => {
            report
                .rules
                .set(rule, RuleStatus::Failed(error.to_string()));
            None
        }
    }
}

/// The least-core value and its status.
fn least_core_rule(costs: &CostGame, force_failure: bool, report: &mut Report) {
    let least_core = run_rule(Rule::LeastCore, "least core", force_failure, report, || {
        nucleolus::least_core_of(costs, DEFAULT_BACKEND)
    });
    if let Some((epsilon, _)) = least_core {
        report.least_core_value = Some(epsilon);
        if report.core_empty() == Some(true) {
            report.notes.push(format!(
                "the core is empty: whatever the split, some group of producers would pay at least {epsilon:.2} less on its own"
            ));
        }
    }
}

/// The nucleolus, its status and whether it is in the core.
fn nucleolus_rule(
    costs: &CostGame,
    force_failure: bool,
    budget: &Budget,
    report: &mut Report,
    all_in: &dyn Fn(&[f64]) -> bool,
) -> Option<Vec<f64>> {
    let keep_going = || {
        budget
            .expired(std::time::Instant::now())
            .map(|reason| stop_text(reason).to_string())
    };
    let shares = run_rule(Rule::Nucleolus, "nucleolus", force_failure, report, || {
        nucleolus::nucleolus_of(costs, DEFAULT_BACKEND, &keep_going)
    })?;
    report.nucleolus_in_core = Some(all_in(&shares));
    Some(shares)
}

/// The Equal Profit Method, its status and whether it is in the core. Inside the core
/// when it is not empty (or when the least core is unknown); inside the least core,
/// with a note, when it is empty.
fn epm_rule(
    costs: &CostGame,
    force_failure: bool,
    report: &mut Report,
    all_in: &dyn Fn(&[f64]) -> bool,
) -> Option<Vec<f64>> {
    // Any positive ε*, even one too small for the report to call the core empty: at
    // ε* = 0 the program would be infeasible.
    let excess = report
        .least_core_value
        .map_or(0.0, |epsilon| epsilon.max(0.0));
    let shares = run_rule(
        Rule::Epm,
        "equal profit method",
        force_failure,
        report,
        || epm::epm_of(costs, excess),
    )?;
    report.epm_in_core = Some(all_in(&shares));
    if report.core_empty() == Some(true) {
        report.notes.push(format!(
            "the core is empty: the equal profit method split lies in the least core instead (no group is more than {excess:.2} better off alone)"
        ));
    }
    Some(shares)
}
