//! How much work a request may still do: a wall-clock deadline (with what reaching it
//! means), a cancellation flag and an iteration cap. One type from the edge to the
//! innermost loop: the server starts it with the client's deadline and a flag that a
//! client going away sets; the solver narrows it to the request's time limit and
//! iteration cap; the fleet phase takes a share of it; the pooling report's coalition
//! solves run under the same deadline and flag.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::domain::StopReason;

/// The limits of one piece of work. Narrowing never extends it: a new deadline or cap
/// counts only when it comes earlier or is smaller.
#[derive(Debug, Clone, Copy)]
pub struct Budget<'a> {
    started: Instant,
    deadline: Option<(Instant, StopReason)>,
    cancelled: &'a AtomicBool,
    max_iterations: Option<u64>,
}

impl<'a> Budget<'a> {
    /// A budget starting now with no deadline and no cap, stopped only by `cancelled`.
    pub fn new(cancelled: &'a AtomicBool) -> Self {
        Budget {
            started: Instant::now(),
            deadline: None,
            cancelled,
            max_iterations: None,
        }
    }

    /// This budget counted from `started` (a solve counts its time limit and shares from
    /// its own start).
    pub fn starting_at(self, started: Instant) -> Self {
        Budget { started, ..self }
    }

    /// This budget, also ending at the client's deadline when there is one.
    pub fn with_client_deadline(self, deadline: Option<Instant>) -> Self {
        match deadline {
            Some(at) => self.until(at, StopReason::Deadline),
            None => self,
        }
    }

    /// This budget, also ending at `at`, which then stops the work for `reason` (on a
    /// tie the new reason wins: a time limit that the client's deadline matches is
    /// still the time limit).
    pub fn until(mut self, at: Instant, reason: StopReason) -> Self {
        if self.deadline.is_none_or(|(known, _)| at <= known) {
            self.deadline = Some((at, reason));
        }
        self
    }

    /// This budget, also capped at `max_iterations` when given.
    pub fn with_max_iterations(mut self, max_iterations: Option<u64>) -> Self {
        if let Some(cap) = max_iterations {
            self.max_iterations = Some(self.max_iterations.map_or(cap, |known| known.min(cap)));
        }
        self
    }

    /// The first `fraction` of this budget: of the time from its start to its deadline,
    /// and of its iteration cap (an unlimited cap, `u64::MAX`, stays unlimited).
    pub fn share(self, fraction: f64) -> Self {
        let deadline = self.deadline.map(|(at, reason)| {
            let span = at.saturating_duration_since(self.started);
            (self.started + span.mul_f64(fraction), reason)
        });
        let max_iterations = self
            .max_iterations
            .filter(|&cap| cap < u64::MAX)
            .map(|cap| (cap as f64 * fraction) as u64);
        Budget {
            deadline,
            max_iterations,
            ..self
        }
    }

    /// When the budget began.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// When the work must stop, if ever.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline.map(|(at, _)| at)
    }

    /// The iteration cap, if any.
    pub fn max_iterations(&self) -> Option<u64> {
        self.max_iterations
    }

    /// Why the work must stop now on the clock or the flag, if it must: cancellation
    /// first, then the deadline.
    pub fn expired(&self, now: Instant) -> Option<StopReason> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Some(StopReason::Cancelled);
        }
        match self.deadline {
            Some((at, reason)) if now >= at => Some(reason),
            _ => None,
        }
    }

    /// Whether the work must stop now on the clock or the flag.
    pub fn is_over(&self) -> bool {
        self.expired(Instant::now()).is_some()
    }

    /// Whether `iterations` reach the cap.
    pub fn iterations_spent(&self, iterations: u64) -> bool {
        self.max_iterations.is_some_and(|cap| iterations >= cap)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn narrowing_keeps_the_earlier_deadline_and_the_smaller_cap() {
        let cancelled = AtomicBool::new(false);
        let budget = Budget::new(&cancelled);
        let now = budget.started();
        let client = now + Duration::from_secs(2);
        let narrowed = budget
            .with_client_deadline(Some(client))
            .until(now + Duration::from_secs(5), StopReason::TimeLimit)
            .with_max_iterations(Some(100))
            .with_max_iterations(Some(300));
        assert_eq!(narrowed.deadline(), Some(client));
        assert_eq!(narrowed.max_iterations(), Some(100));
        assert_eq!(narrowed.expired(client), Some(StopReason::Deadline));
        assert_eq!(narrowed.expired(now), None);
        let tie = budget
            .with_client_deadline(Some(client))
            .until(client, StopReason::TimeLimit);
        assert_eq!(tie.expired(client), Some(StopReason::TimeLimit));
        let share = narrowed.share(0.25);
        assert_eq!(share.deadline(), Some(now + Duration::from_millis(500)));
        assert_eq!(share.max_iterations(), Some(25));
        cancelled.store(true, Ordering::Relaxed);
        assert_eq!(share.expired(now), Some(StopReason::Cancelled));
    }
}
