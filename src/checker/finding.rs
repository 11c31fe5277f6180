//! A [`Finding`]: one broken rule of a checked solution, named by where it broke. Every
//! rule file of the checker reports through it, so it stands in a file of its own below
//! them all, rather than in `mod.rs`, the entry that calls them.

/// One broken rule, naming where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {rule}")]
pub struct Finding {
    /// Where: `tour[vehicle-id] step 3`, `task[id]`, `summary`.
    pub place: String,
    /// What is wrong.
    pub rule: String,
}

impl Finding {
    pub(crate) fn new(place: impl Into<String>, rule: impl Into<String>) -> Self {
        Finding {
            place: place.into(),
            rule: rule.into(),
        }
    }
}
