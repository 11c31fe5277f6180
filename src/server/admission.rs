//! Admission control: at most `max_concurrent_solves` solves (and matrix computations)
//! run at once; the calls past them wait, at most `max_queue` of them, in one queue
//! (tokio's semaphore is fair: first come, first served); a call past the queue is
//! refused at once with [`Error::Busy`], which the client sees as `RESOURCE_EXHAUSTED`
//! with a retry delay. Waiting counts against the caller's deadline: a call whose
//! deadline passes in the queue gets [`Error::QueuedPastDeadline`] and never runs.
//!
//! With `--max-solves-per-key`, a key's own calls count too, before the queue (see
//! `per_key.rs`): a key at its limit is refused at once with [`Error::KeyBusy`].
//!
//! With `--max-calls-per-key-per-minute`, a key's new calls are charged first (see
//! `key_rate.rs`): a key past its rate is refused at once with [`Error::KeyRateLimited`].
//!
//! What flows in: a call's caller and deadline; out: a permit the call's blocking work
//! holds until it ends (so a client that goes away does not free a solver that is still
//! busy, nor its key's place).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::auth::Caller;
use super::key_rate::KeyRate;
use super::metrics::SolverGauge;
use super::per_key::{KeySlot, PerKey};
use crate::error::Error;

pub use crate::error::RETRY_AFTER_MS;

/// How many solves may run and wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionLimits {
    /// Solves (and matrix computations) running at once, at least 1.
    pub max_concurrent_solves: usize,
    /// Calls waiting for a solver; past them a call is refused.
    pub max_queue: usize,
}

impl Default for AdmissionLimits {
    /// One solve per core, four waiting per running solve.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        AdmissionLimits {
            max_concurrent_solves: cores,
            max_queue: 4 * cores,
        }
    }
}

/// The server's solvers and their queue, shared by every call.
#[derive(Debug)]
pub struct Admission {
    limits: AdmissionLimits,
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    per_key: Arc<PerKey>,
    rate: KeyRate,
}

/// A call's solver, and its key's place: both given back when the call's work ends.
#[derive(Debug)]
pub struct Permit {
    _solver: OwnedSemaphorePermit,
    _key: Option<KeySlot>,
}

/// Counts one waiting call while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    /// Solvers and a queue within `limits` (a limit of 0 solves counts as 1).
    pub fn new(limits: AdmissionLimits) -> Self {
        let limits = AdmissionLimits {
            max_concurrent_solves: limits.max_concurrent_solves.max(1),
            ..limits
        };
        Admission {
            limits,
            running: Arc::new(Semaphore::new(limits.max_concurrent_solves)),
            waiting: AtomicUsize::new(0),
            per_key: Arc::new(PerKey::new(None)),
            rate: KeyRate::default(),
        }
    }

    /// The same, with at most `max` calls running or waiting per API key (none: no
    /// limit).
    pub fn with_max_per_key(self, max: Option<usize>) -> Self {
        Admission {
            per_key: Arc::new(PerKey::new(max)),
            ..self
        }
    }

    /// The same, with at most `per_minute` new calls per API key and minute (none: no
    /// limit).
    pub fn with_rate_per_key(self, per_minute: Option<u32>) -> Self {
        Admission {
            rate: KeyRate::new(per_minute),
            ..self
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> AdmissionLimits {
        self.limits
    }

    /// Solves running now.
    pub fn running(&self) -> usize {
        self.limits
            .max_concurrent_solves
            .saturating_sub(self.running.available_permits())
    }

    /// Calls waiting now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    /// A solver for one new call of `caller`: at once when one is free, after waiting in
    /// the queue otherwise; refused when the caller's key is past its rate or at its
    /// limit, when the queue is full or when the deadline passes first.
    pub async fn admit(&self, caller: &Caller, deadline: Option<Instant>) -> Result<Permit, Error> {
        self.rate.charge(caller, Instant::now())?;
        self.admit_charged(caller, deadline).await
    }

    /// Like [`Self::admit`] for work already charged to its key's rate (a resumed job).
    pub async fn admit_charged(
        &self,
        caller: &Caller,
        deadline: Option<Instant>,
    ) -> Result<Permit, Error> {
        let key = self.per_key.take(caller)?;
        let solver = self.solver(deadline).await?;
        Ok(Permit {
            _solver: solver,
            _key: key,
        })
    }

    /// A solver, at once or after waiting in the queue.
    async fn solver(&self, deadline: Option<Instant>) -> Result<OwnedSemaphorePermit, Error> {
        if let Ok(permit) = self.running.clone().try_acquire_owned() {
            return Ok(permit);
        }
        let joined = self
            .waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |waiting| {
                (waiting < self.limits.max_queue).then_some(waiting + 1)
            });
        if joined.is_err() {
            return Err(Error::Busy {
                retry_after_ms: RETRY_AFTER_MS,
            });
        }
        let _waiting = Waiting(&self.waiting);
        let acquire = self.running.clone().acquire_owned();
        let acquired = match deadline {
            Some(at) => tokio::time::timeout_at(at.into(), acquire)
                .await
                .map_err(|_| Error::QueuedPastDeadline)?,
            None => acquire.await,
        };
        // The semaphore is never closed; a closed one would be a bug.
        acquired.map_err(|error| Error::Internal(error.to_string()))
    }
}

impl SolverGauge for Admission {
    fn running(&self) -> usize {
        Admission::running(self)
    }

    fn waiting(&self) -> usize {
        Admission::waiting(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_past_the_queue_and_past_the_deadline() {
        let admission = Admission::new(AdmissionLimits {
            max_concurrent_solves: 1,
            max_queue: 1,
        });
        let first = admission.admit(&Caller::Open, None).await.unwrap();
        assert_eq!(admission.running(), 1);
        // A deadline already past: the call waits in the queue, then is refused.
        let late = admission.admit(&Caller::Open, Some(Instant::now())).await;
        assert!(matches!(late, Err(Error::QueuedPastDeadline)));
        assert_eq!(admission.waiting(), 0);
        let queued = admission.admit(&Caller::Open, None);
        tokio::pin!(queued);
        assert!(futures_poll_once(queued.as_mut()).await.is_none());
        assert_eq!(admission.waiting(), 1);
        let refused = admission.admit(&Caller::Open, None).await;
        assert!(matches!(refused, Err(Error::Busy { .. })));
        drop(first);
        assert!(queued.await.is_ok());
        assert_eq!(admission.waiting(), 0);
    }

    /// Polls a future once: its output if ready.
    async fn futures_poll_once<F: std::future::Future + Unpin>(future: F) -> Option<F::Output> {
        let mut future = future;
        std::future::poll_fn(|context| {
            std::task::Poll::Ready(match std::pin::Pin::new(&mut future).poll(context) {
                std::task::Poll::Ready(output) => Some(output),
                std::task::Poll::Pending => None,
            })
        })
        .await
    }
}
