//! The operation RPCs, in library terms: each takes the caller's owner and the request
//! message and answers with the message or an error; `routing_service.rs` wraps them in
//! the call logging and maps errors to statuses.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Poll;
use std::time::{Duration, Instant};

use tonic::Status;

use super::job::{Admitted, cancelled_error};
use super::record::{Record, new_name, now_unix_ms};
use super::{OperationError, Operations, caller_of};
use crate::error::Error;
use crate::pb;
use crate::server::auth::Caller;
use crate::server::observe::failure;
use crate::validate;

/// Operations per ListOperations page when the request says 0, and at most.
const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 1_000;
/// WaitOperation's wait when the request says 0, and at most.
const DEFAULT_WAIT: Duration = Duration::from_secs(60);
const MAX_WAIT: Duration = Duration::from_secs(3_600);
/// Time kept before the client's deadline for the answer to get back.
const ANSWER_MARGIN: Duration = Duration::from_millis(200);

impl Operations {
    /// SubmitSolve: validates `request`, takes a solver or a place in the queue (or is
    /// refused like Solve), stores the operation and starts it.
    pub async fn submit(
        self: &Arc<Self>,
        owner: String,
        request: pb::SolveRequest,
    ) -> Result<pb::Operation, Status> {
        validate::problem_within(&request, &self.solving.policy)
            .map_err(|violations| failure(&Error::Validation(violations)))?;
        let admitted = self
            .admit_or_refuse(caller_of(&owner))
            .await
            .map_err(|error| failure(&error))?;
        let name = new_name();
        let record = Record::queued(name.clone(), owner);
        let operation = record.operation.clone().unwrap_or_default();
        // Stored before it starts: a job never runs unrecorded.
        self.with_store(move |store| store.create(&record, &request))
            .await
            .map_err(|error| error.status())?;
        self.spawn(name, admitted);
        Ok(operation)
    }

    /// A solver now, or a place in the queue, or the refusal of a full queue, decided
    /// before SubmitSolve answers.
    async fn admit_or_refuse(&self, caller: Caller) -> Result<Admitted, Error> {
        let admission = self.solving.admission.clone();
        let mut admitting = Box::pin(async move { admission.admit(&caller, None).await });
        // One poll takes a free solver or joins the queue (or finds it full); the rest
        // of the wait happens on the job's task.
        let first = std::future::poll_fn(|context| Poll::Ready(admitting.as_mut().poll(context)));
        match first.await {
            Poll::Ready(admitted) => admitted.map(Admitted::Now),
            Poll::Pending => Ok(Admitted::Waiting(admitting)),
        }
    }

    /// GetOperation.
    pub async fn get(&self, owner: String, name: String) -> Result<pb::Operation, OperationError> {
        let record = self.visible(&owner, &name).await?;
        Ok(self.view(record))
    }

    /// WaitOperation: the operation once done, or as it is when `timeout_ms` (or the
    /// caller's deadline) passes.
    pub async fn wait(
        &self,
        owner: String,
        request: pb::WaitOperationRequest,
        deadline: Option<Instant>,
    ) -> Result<pb::Operation, OperationError> {
        let until = wait_until(&request, deadline);
        let mut changes = self.changed.subscribe();
        loop {
            changes.borrow_and_update();
            let record = self.visible(&owner, &request.name).await?;
            if record.done() || Instant::now() >= until {
                return Ok(self.view(record));
            }
            // A change or the end of the wait, whichever first; a closed channel (the
            // server going away) answers with the state as it is.
            let woken = tokio::time::timeout_at(until.into(), changes.changed()).await;
            if matches!(woken, Ok(Err(_))) {
                return Ok(self.view(record));
            }
        }
    }

    /// CancelOperation: a queued operation ends CANCELLED at once, a running one when
    /// its search stops (on this process, or at the next start); a done one stays.
    pub async fn cancel(
        &self,
        owner: String,
        name: String,
    ) -> Result<pb::Operation, OperationError> {
        let before = self.visible(&owner, &name).await?;
        let ttl_ms = self.ttl.as_millis().min(i64::MAX as u128) as i64;
        let owned = name.clone();
        let record = self
            .with_store(move |store| store.update(&owned, |record| cancel(record, ttl_ms)))
            .await?
            .ok_or_else(|| OperationError::NotFound(name.clone()))?;
        let live = self
            .live
            .lock()
            .ok()
            .and_then(|live| live.get(&name).cloned());
        match live {
            // Was queued, now done: its place in the queue goes to the next one.
            Some(live) if record.done() => {
                live.dequeued.notify_one();
                if !before.done() {
                    self.solving.metrics.operation_ended("cancelled");
                }
            }
            Some(live) => {
                live.cancel_requested.store(true, Ordering::Relaxed);
                live.cancelled.store(true, Ordering::Relaxed);
            }
            None => {}
        }
        self.notify();
        Ok(self.view(record))
    }

    /// ListOperations: a page of the caller's operations, oldest first.
    pub async fn list(
        &self,
        owner: String,
        request: pb::ListOperationsRequest,
    ) -> Result<pb::ListOperationsResponse, OperationError> {
        let (after, size) = page_of(request)?;
        let now = now_unix_ms();
        let mut records = self
            .with_store(move |store| {
                store.page(&after, size + 1, |record| {
                    owns(&owner, record) && !record.expired(now)
                })
            })
            .await?;
        let more = records.len() > size;
        records.truncate(size);
        let next_page_token = match records.last() {
            Some(last) if more => last.name().to_string(),
            _ => String::new(),
        };
        Ok(pb::ListOperationsResponse {
            operations: records
                .into_iter()
                .map(|record| self.view(record))
                .collect(),
            next_page_token,
        })
    }

    /// DeleteOperation: only a done operation (a running one would have nowhere to
    /// store its result).
    pub async fn delete(&self, owner: String, name: String) -> Result<(), OperationError> {
        let record = self.visible(&owner, &name).await?;
        if !record.done() {
            return Err(OperationError::NotDone(name));
        }
        self.with_store(move |store| store.delete(&name)).await?;
        Ok(())
    }

    /// The record `name` if the caller may see it and it has not expired.
    async fn visible(&self, owner: &str, name: &str) -> Result<Record, OperationError> {
        let owned = name.to_string();
        let record = self.with_store(move |store| store.get(&owned)).await?;
        match record {
            Some(record) if owns(owner, &record) && !record.expired(now_unix_ms()) => Ok(record),
            _ => Err(OperationError::NotFound(name.to_string())),
        }
    }
}

/// When a WaitOperation `request` answers at the latest: its timeout (default and
/// capped), or just before the caller's `deadline`.
pub(super) fn wait_until(request: &pb::WaitOperationRequest, deadline: Option<Instant>) -> Instant {
    let wait = match request.timeout_ms {
        0 => DEFAULT_WAIT,
        ms => Duration::from_millis(ms).min(MAX_WAIT),
    };
    let until = Instant::now() + wait;
    match deadline {
        Some(deadline) => until.min(deadline.checked_sub(ANSWER_MARGIN).unwrap_or(deadline)),
        None => until,
    }
}

/// A ListOperations `request`'s page: the name it starts after and its size.
pub(super) fn page_of(
    request: pb::ListOperationsRequest,
) -> Result<(String, usize), OperationError> {
    let after = request.page_token;
    if !(after.is_empty() || after.starts_with("operations/")) {
        return Err(OperationError::BadPageToken);
    }
    let size = match request.page_size as usize {
        0 => DEFAULT_PAGE_SIZE,
        size => size.min(MAX_PAGE_SIZE),
    };
    Ok((after, size))
}

/// Whether a caller identified as `owner` sees `record`: every record when the caller
/// has no identity (no authentication), its own otherwise.
pub(super) fn owns(owner: &str, record: &Record) -> bool {
    owner.is_empty() || record.owner == owner
}

/// Cancels `record`: whether to write it back.
pub(super) fn cancel(record: &mut Record, ttl_ms: i64) -> bool {
    if record.done() {
        return false;
    }
    let queued = record
        .operation
        .as_ref()
        .and_then(|op| op.metadata.as_ref())
        .is_some_and(|m| m.state == pb::OperationState::Queued as i32);
    if queued {
        let result = pb::operation::Result::Error(cancelled_error());
        record.finish(pb::OperationState::Cancelled, result, now_unix_ms(), ttl_ms);
    } else {
        record.cancel_requested = true;
    }
    true
}
