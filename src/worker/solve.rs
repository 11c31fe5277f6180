//! One solve on a worker, beside what keeps its job: an in-progress acknowledgement a
//! third of the ack wait so often (the queue does not hand the job to another worker
//! while this one works), a watch on the operation's record (CancelOperation on any
//! front end marks it, and the search stops), and the worker's own stop (the search
//! stops and the job goes back to the queue). A pooling report's coalitions go out to
//! every worker through a `Fanout`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_nats::jetstream::{AckKind, Message};
use tokio::sync::watch;

use super::Worker;
use super::fanout::Fanout;
use crate::api::encode;
use crate::budget::Budget;
use crate::error::Error;
use crate::pb;
use crate::pipeline;
use crate::pooling::{Coalitions, Local};
use crate::travel::TravelConfig;
use crate::validate::{self, Policy};

/// Pause after a failed read of the record before watching it again.
const WATCH_RETRY: Duration = Duration::from_millis(500);

/// How a solve ended.
pub enum Solved {
    /// The search ended by itself (its limits), with a plan or an error.
    Done(Result<Box<pb::SolveResponse>, Error>),
    /// CancelOperation stopped it.
    Cancelled,
    /// The worker is stopping: the job goes back to the queue.
    Stopped,
}

impl Worker {
    /// Solves `request` of the operation `name` while keeping `message` (the job) held.
    pub(super) async fn solve(
        &self,
        message: &Message,
        name: &str,
        request: pb::SolveRequest,
        mut stopped: watch::Receiver<bool>,
    ) -> Solved {
        let cancelled = Arc::new(AtomicBool::new(false));
        let (travel, policy) = (self.config.travel.clone(), self.config.policy.clone());
        let flag = cancelled.clone();
        // Only a report has coalitions to fan out.
        let fanout = request
            .pooling
            .as_ref()
            .filter(|pooling| pooling.enabled)
            .and_then(|_| {
                let runtime = tokio::runtime::Handle::current();
                Fanout::new(self.pool.clone(), runtime, name, request.clone())
            })
            .map(Arc::new);
        let fanning = fanout.clone();
        let mut solving = tokio::task::spawn_blocking(move || {
            let coalitions: &dyn Coalitions = match &fanning {
                Some(fanout) => fanout.as_ref(),
                None => &Local,
            };
            solve_blocking(&request, (&policy, &travel), &flag, coalitions)
        });
        let every = (self.config.redelivery.ack_wait / 3).max(Duration::from_millis(100));
        let mut progress = tokio::time::interval(every);
        let mut watching = std::pin::pin!(self.cancel_requested(name));
        let (mut cancel_requested, mut stopping) = (false, *stopped.borrow());
        let result = loop {
            tokio::select! {
                joined = &mut solving => {
                    break joined.unwrap_or_else(|error| Err(Error::Internal(error.to_string())));
                }
                _ = progress.tick() => {
                    if let Err(error) = message.ack_with(AckKind::Progress).await {
                        tracing::warn!(%error, name, "cannot extend the job's ack wait");
                    }
                }
                () = &mut watching, if !cancel_requested => {
                    cancel_requested = true;
                    cancelled.store(true, Ordering::Relaxed);
                }
                changed = stopped.changed(), if !stopping => {
                    stopping = changed.is_err() || *stopped.borrow();
                    if stopping {
                        cancelled.store(true, Ordering::Relaxed);
                    }
                }
            }
        };
        // The plans stay for the next owner when the job goes back to the queue.
        if let Some(fanout) = fanout.filter(|_| !stopping) {
            fanout.forget().await;
        }
        if cancel_requested {
            Solved::Cancelled
        } else if stopping {
            Solved::Stopped
        } else {
            Solved::Done(result.map(Box::new))
        }
    }

    /// Completes once the record of `name` asks for a cancel.
    async fn cancel_requested(&self, name: &str) {
        loop {
            let far = Instant::now() + Duration::from_secs(3_600);
            match self.records.get(name).await {
                Ok(Some((record, _))) if record.cancel_requested => return,
                Ok(Some((_, revision))) => {
                    if self.records.changed(name, revision, far).await.is_err() {
                        tokio::time::sleep(WATCH_RETRY).await;
                    }
                }
                Ok(None) | Err(_) => tokio::time::sleep(WATCH_RETRY).await,
            }
        }
    }
}

/// Validates and solves `request` with no checkpoint (a worker that dies leaves the job
/// to another, which starts over); a panic is an error. Blocking.
fn solve_blocking(
    request: &pb::SolveRequest,
    (policy, travel): (&Policy, &TravelConfig),
    cancelled: &AtomicBool,
    coalitions: &dyn Coalitions,
) -> Result<pb::SolveResponse, Error> {
    let problem = validate::problem_within(request, policy)?;
    let budget = Budget::new(cancelled);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let starts = (None, None);
        let solved =
            pipeline::solve_problem_through(problem, &budget, &|_| {}, travel, starts, coalitions)?;
        Ok(encode::response(&solved))
    }))
    .unwrap_or_else(|_| Err(Error::Internal("the solve panicked".to_string())))
}
