//! Running one operation: wait for a solver (the synchronous calls' admission control),
//! mark it running, solve on a blocking thread with progress kept in memory, then store
//! how it ended: the response (SUCCEEDED), the error (FAILED), CANCELLED, or, when the
//! server's stop ended the search, its best plan as a checkpoint with the operation
//! left running for the next start to resume.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::checkpoint::Checkpointer;
use super::record::{Checkpoint, Record, now_unix_ms};
use super::{Live, Operations};
use crate::api::encode;
use crate::budget::Budget;
use crate::error::Error;
use crate::pb;
use crate::pipeline;
use crate::server::metrics::{JobGauge, JobState};
use crate::server::observe;
use crate::solver::{Checkpoints, WarmStart};

/// What admission control hands a job (and a synchronous call): held until the job's
/// work ends.
pub type Permit = crate::server::admission::Permit;

/// A solver for a job: already held, or being waited for.
pub enum Admitted {
    /// Held.
    Now(Permit),
    /// Waited for in the admission queue.
    Waiting(Pin<Box<dyn Future<Output = Result<Permit, Error>> + Send>>),
}

/// How a run ended.
pub enum Ending {
    /// With a plan.
    Succeeded(Box<pb::SolveResponse>),
    /// With an error (code and message as the synchronous Solve's status).
    Failed(pb::OperationError),
    /// By CancelOperation.
    Cancelled,
    /// By the server's stop: resume from this plan at the next start.
    Checkpointed(Checkpoint),
}

impl Operations {
    /// Runs the operation `name` on a task of its own once `admitted` gives a solver.
    pub(super) fn spawn(self: &Arc<Self>, name: String, admitted: Admitted) {
        let live = Arc::new(Live::default());
        if let Ok(mut jobs) = self.live.lock() {
            jobs.insert(name.clone(), live.clone());
        }
        let operations = self.clone();
        let gauge = self.solving.metrics.job(JobState::Queued);
        tokio::spawn(async move {
            operations.run(&name, admitted, live, gauge).await;
            if let Ok(mut jobs) = operations.live.lock() {
                jobs.remove(&name);
            }
            operations.notify();
        });
    }

    /// Waits for a solver, runs the job and stores how it ended, counted in `gauge` as
    /// queued then running. A job the server's stop finds still waiting stays queued in
    /// the store.
    async fn run(
        self: &Arc<Self>,
        name: &str,
        admitted: Admitted,
        live: Arc<Live>,
        gauge: JobGauge,
    ) {
        let permit = match admitted {
            Admitted::Now(permit) => permit,
            Admitted::Waiting(waiting) => tokio::select! {
                admitted = waiting => match admitted {
                    Ok(permit) => permit,
                    Err(error) => return tracing::error!(%error, name, "no solver for a job"),
                },
                () = live.dequeued.notified() => return,
            },
        };
        let tracker = self.tracker.lock().ok().and_then(|tracker| tracker.clone());
        let Some(tracker) = tracker else { return };
        if self.solving.stop.is_raised() {
            return;
        }
        let owned = name.to_string();
        let started = self
            .with_store(move |store| {
                let record = store.update(&owned, start)?;
                Ok((record, store.request(&owned)?))
            })
            .await;
        let (record, request) = match started {
            Ok((Some(record), Some(request))) if !record.done() => (record, request),
            Ok((Some(record), None)) if !record.done() => {
                let lost = Error::Internal("the operation's request is not in the store".into());
                let ending = self.ending(Err(lost), &live);
                return self.store_ending(name, ending, &live).await;
            }
            Ok(_) => return,
            Err(error) => return tracing::error!(%error, name, "cannot start a job"),
        };
        self.notify();
        drop(gauge);
        let _running = self.solving.metrics.job(JobState::Running);
        let solving = self.solving.clone();
        let worker_live = live.clone();
        let (store, every, owned) = (self.store.clone(), self.checkpoint_every, name.to_string());
        let watching = solving.stop.cancel_on_stop(live.cancelled.clone());
        let solved = tokio::task::spawn_blocking(move || {
            let (_permit, _watching) = (permit, watching);
            let checkpointer = Checkpointer {
                store: &store,
                name: &owned,
                live: &worker_live,
                stored: Mutex::new(None),
            };
            solve((&record, &request), &solving, &checkpointer, every)
        })
        .await
        .unwrap_or_else(|error| Err(Error::Internal(error.to_string())));
        let ending = self.ending(solved, &live);
        self.store_ending(name, ending, &live).await;
        // Only now may the server exit: the ending is stored.
        drop(tracker);
    }

    /// How a run that returned `solved` ended.
    fn ending(&self, solved: Result<(pb::SolveResponse, WarmStart), Error>, live: &Live) -> Ending {
        if live.cancel_requested.load(Ordering::Relaxed) {
            return Ending::Cancelled;
        }
        match solved {
            Ok((response, warm))
                if response.stop_reason == pb::StopReason::Cancelled as i32
                    && self.solving.stop.is_raised() =>
            {
                Ending::Checkpointed(Checkpoint::from_warm_start(&warm))
            }
            Ok((response, _)) => Ending::Succeeded(Box::new(response)),
            Err(error) => {
                let status = observe::failure(&error);
                Ending::Failed(pb::OperationError {
                    code: status.code() as i32,
                    message: status.message().to_string(),
                })
            }
        }
    }

    /// Stores `ending` in the operation `name`'s record.
    async fn store_ending(&self, name: &str, ending: Ending, live: &Live) {
        let ttl_ms = self.ttl.as_millis().min(i64::MAX as u128) as i64;
        let progress = live.progress.lock().map(|p| p.clone()).unwrap_or_default();
        let how = match &ending {
            Ending::Succeeded(_) => "succeeded",
            Ending::Failed(_) => "failed",
            Ending::Cancelled => "cancelled",
            Ending::Checkpointed(_) => "checkpointed",
        };
        let owned = name.to_string();
        let stored = self
            .with_store(move |store| {
                store.update(&owned, |record| {
                    if record.done() {
                        return false;
                    }
                    end(record, ending, ttl_ms);
                    let metadata = record.metadata_mut();
                    metadata.coalitions_done = progress.coalitions_done;
                    metadata.coalitions_total = progress.coalitions_total;
                    if metadata.phase == "checkpointed" {
                        metadata.best_cost = progress.best_cost;
                        metadata.best_unassigned = progress.best_unassigned;
                    }
                    true
                })
            })
            .await;
        match stored {
            Ok(_) => self.solving.metrics.operation_ended(how),
            Err(error) => tracing::error!(%error, name,
                "cannot store how a job ended; it runs again at the next start"),
        }
    }
}

/// Marks `record` running (unless it is done): whether to write it back.
pub fn start(record: &mut Record) -> bool {
    if record.done() {
        return false;
    }
    let warm_started = record.checkpoint.is_some();
    let metadata = record.metadata_mut();
    metadata.state = pb::OperationState::Running as i32;
    metadata.phase = "preparing".to_string();
    metadata.start_time_unix_ms = now_unix_ms();
    metadata.attempts += 1;
    metadata.warm_started = warm_started;
    true
}

/// Writes `ending` into `record`.
pub fn end(record: &mut Record, ending: Ending, ttl_ms: i64) {
    let now = now_unix_ms();
    match ending {
        Ending::Succeeded(response) => {
            let metadata = record.metadata_mut();
            metadata.iterations = response.iterations;
            metadata.best_cost = response.summary.as_ref().map_or(0.0, |s| s.cost);
            metadata.best_unassigned = response.unassigned.len() as u32;
            let result = pb::operation::Result::Response(*response);
            record.finish(pb::OperationState::Succeeded, result, now, ttl_ms);
        }
        Ending::Failed(error) => {
            let result = pb::operation::Result::Error(error);
            record.finish(pb::OperationState::Failed, result, now, ttl_ms);
        }
        Ending::Cancelled => record.finish(
            pb::OperationState::Cancelled,
            pb::operation::Result::Error(cancelled_error()),
            now,
            ttl_ms,
        ),
        Ending::Checkpointed(checkpoint) => {
            record.checkpoint = Some(checkpoint);
            let metadata = record.metadata_mut();
            metadata.phase = "checkpointed".to_string();
            metadata.checkpoint_time_unix_ms = now;
        }
    }
}

/// The error of a cancelled operation (google.rpc.Code CANCELLED, as google.longrunning).
pub fn cancelled_error() -> pb::OperationError {
    pb::OperationError {
        code: tonic::Code::Cancelled as i32,
        message: "cancelled by CancelOperation".to_string(),
    }
}

/// Solves `record`'s request (from its checkpoint when it has one), keeping the live
/// progress and storing a checkpoint `every` so often; the response and its plan as a
/// warm start. Blocking.
fn solve(
    (record, request): (&Record, &pb::SolveRequest),
    solving: &super::Solving,
    checkpointer: &Checkpointer,
    every: Duration,
) -> Result<(pb::SolveResponse, WarmStart), Error> {
    let live = checkpointer.live;
    // Validated at submit; again here because the server's limits may have changed
    // since (a restart with other flags).
    let problem = crate::validate::problem_within(request, &solving.policy)?;
    let objective = problem.options.objective;
    let warm = record.checkpoint.as_ref().map(Checkpoint::to_warm_start);
    let on_progress = |progress| {
        let progress = encode::progress(objective, progress);
        if let Ok(mut live) = live.progress.lock() {
            live.best_cost = progress.best_cost;
            live.best_unassigned = progress.best_unassigned;
            live.phase = "searching";
        }
    };
    let on_coalitions = |counted: crate::pooling::CoalitionProgress| {
        if let Ok(mut live) = live.progress.lock() {
            live.coalitions_done = counted.done as u32;
            live.coalitions_total = counted.total as u32;
            live.phase = "pooling";
        }
    };
    let coalitions = crate::pooling::Counted::new(&crate::pooling::Local, &on_coalitions);
    if let Ok(mut progress) = live.progress.lock() {
        progress.phase = "preparing";
    }
    let budget = Budget::new(&live.cancelled);
    let sink = |snapshot| checkpointer.take(snapshot);
    let checkpoints = Checkpoints { every, sink: &sink };
    // A panic must not leave the job running for ever: it fails the operation.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let solved = pipeline::solve_problem_through(
            problem,
            &budget,
            &on_progress,
            &solving.travel,
            (warm.as_ref(), Some(&checkpoints)),
            &coalitions,
        )?;
        let response = encode::response(&solved);
        observe::solved(&solving.metrics, &response);
        Ok((
            response,
            WarmStart::of_plan(&solved.problem, &solved.solution),
        ))
    }))
    .unwrap_or_else(|_| Err(Error::Internal("the solve panicked".to_string())))
}

/// An unfinished record queued again, or ended CANCELLED if a cancel was asked for
/// meanwhile (a server restarting, a worker handing its job back): whether to write it
/// back.
pub fn requeue(record: &mut Record, ttl_ms: i64) -> bool {
    if record.done() {
        return false;
    }
    if record.cancel_requested {
        let result = pb::operation::Result::Error(cancelled_error());
        record.finish(pb::OperationState::Cancelled, result, now_unix_ms(), ttl_ms);
        return true;
    }
    let metadata = record.metadata_mut();
    metadata.state = pb::OperationState::Queued as i32;
    metadata.phase = "queued".to_string();
    true
}
