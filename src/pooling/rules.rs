//! Each allocation rule's own outcome. The pooled plan is the answer; the report's
//! rules (proportional, Shapley, least core, nucleolus, core checks) are extras, and
//! one that fails or is skipped says so here instead of failing the whole request.

use std::fmt;

/// An allocation rule of the report, or the core checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Shares proportional to each producer's cost alone.
    Proportional,
    /// The Shapley value (exact or sampled).
    Shapley,
    /// The least-core value (the first linear program).
    LeastCore,
    /// The nucleolus (a sequence of linear programs).
    Nucleolus,
    /// The Equal Profit Method (one linear program, inside the core or, when the core
    /// is empty, the least core).
    Epm,
    /// Whether each split is in the core (needs every coalition).
    Core,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 6] = [
        Rule::Proportional,
        Rule::Shapley,
        Rule::LeastCore,
        Rule::Nucleolus,
        Rule::Epm,
        Rule::Core,
    ];

    /// The rule's name on the wire ("proportional", "shapley", "least_core",
    /// "nucleolus", "epm", "core").
    pub fn name(self) -> &'static str {
        match self {
            Rule::Proportional => "proportional",
            Rule::Shapley => "shapley",
            Rule::LeastCore => "least_core",
            Rule::Nucleolus => "nucleolus",
            Rule::Epm => "epm",
            Rule::Core => "core",
        }
    }
}

/// What became of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleStatus {
    /// Computed and checked.
    Ok,
    /// Tried and failed, with why.
    Failed(String),
    /// Not tried, with why (e.g. too many producers, a time limit).
    Skipped(String),
}

impl RuleStatus {
    /// "ok", "failed" or "skipped".
    pub fn name(&self) -> &'static str {
        match self {
            RuleStatus::Ok => "ok",
            RuleStatus::Failed(_) => "failed",
            RuleStatus::Skipped(_) => "skipped",
        }
    }

    /// Why it failed or was skipped ("" when ok).
    pub fn reason(&self) -> &str {
        match self {
            RuleStatus::Ok => "",
            RuleStatus::Failed(reason) | RuleStatus::Skipped(reason) => reason,
        }
    }

    /// Whether the rule was computed.
    pub fn is_ok(&self) -> bool {
        matches!(self, RuleStatus::Ok)
    }
}

impl fmt::Display for RuleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleStatus::Ok => write!(f, "ok"),
            RuleStatus::Failed(reason) => write!(f, "failed: {reason}"),
            RuleStatus::Skipped(reason) => write!(f, "skipped: {reason}"),
        }
    }
}

/// The status of every rule, in [`Rule::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleStatuses(Vec<(Rule, RuleStatus)>);

impl Default for RuleStatuses {
    fn default() -> Self {
        RuleStatuses(
            Rule::ALL
                .iter()
                .map(|&rule| (rule, RuleStatus::Skipped("not computed".to_string())))
                .collect(),
        )
    }
}

impl RuleStatuses {
    /// Records the status of `rule`.
    pub fn set(&mut self, rule: Rule, status: RuleStatus) {
        for (known, slot) in &mut self.0 {
            if *known == rule {
                *slot = status;
                return;
            }
        }
    }

    /// The status of `rule`.
    pub fn get(&self, rule: Rule) -> &RuleStatus {
        self.0
            .iter()
            .find(|(known, _)| *known == rule)
            .map_or(&RuleStatus::Ok, |(_, status)| status)
    }

    /// Every rule with its status.
    pub fn iter(&self) -> impl Iterator<Item = &(Rule, RuleStatus)> {
        self.0.iter()
    }

    /// Marks every rule not yet computed as failed for `reason`.
    pub fn fail_the_rest(&mut self, reason: &str) {
        for (_, status) in &mut self.0 {
            if !status.is_ok() {
                *status = RuleStatus::Failed(reason.to_string());
            }
        }
    }

    /// Marks every rule not yet computed as skipped for `reason`.
    pub fn skip_the_rest(&mut self, reason: &str) {
        for (_, status) in &mut self.0 {
            if !status.is_ok() {
                *status = RuleStatus::Skipped(reason.to_string());
            }
        }
    }
}
