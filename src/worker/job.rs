//! One job's life on a worker: read its record (done already: ack, do not solve),
//! give it up when it was delivered more often than it may be tried, mark it running,
//! solve, then store how it ended in the record unless another worker did first, and
//! only then ack. A failure that another try may cure (an OSRM server down, a panic) is
//! noted in the record and the job handed back with a delay; any other failure ends the
//! operation FAILED at once.

use std::time::Duration;

use async_nats::jetstream::{AckKind, Message};
use prost::Message as _;
use tokio::sync::watch;

use super::Worker;
use super::solve::Solved;
use crate::api::status::status as failure;
use crate::cluster::{DeadLetter, Job};
use crate::pb;
use crate::server::operations::record::Record;
use crate::server::operations::{Ending, mark_running, record_ending, requeue};

/// Delay before a failed job is delivered again, per try so far.
const RETRY_DELAY_PER_TRY: Duration = Duration::from_secs(1);

impl Worker {
    /// Handles one delivery of a job; `stopped` turns true when the worker stops.
    pub(super) async fn handle(&self, message: Message, stopped: watch::Receiver<bool>) {
        let tries = message.info().map_or(1, |info| info.delivered);
        let job = match Job::decode(message.payload.as_ref()) {
            Ok(job) => job,
            Err(error) => {
                let reason = format!("the job message does not decode: {error}");
                return self.give_up(&message, "", tries, reason).await;
            }
        };
        let name = job.name.as_str();
        let record = match self.records.get(name).await {
            Ok(Some((record, _))) if !record.done() => record,
            // Done already (a redelivery after the result was stored), cancelled while
            // queued, or deleted: nothing to solve.
            Ok(_) => return acknowledge(&message, AckKind::Ack, name).await,
            Err(error) => {
                tracing::warn!(%error, name, "cannot read the job's record; handing it back");
                return acknowledge(&message, AckKind::Nak(Some(RETRY_DELAY_PER_TRY)), name).await;
            }
        };
        if tries > i64::from(self.config.redelivery.max_tries) {
            let reason = match record.last_failure.as_str() {
                "" => "a worker stopped while solving it (killed or crashed)".to_string(),
                failure => failure.to_string(),
            };
            return self.give_up(&message, name, tries, reason).await;
        }
        let Some(request) = job.request else {
            let reason = "the job carries no request".to_string();
            return self.give_up(&message, name, tries, reason).await;
        };
        match self.records.update(name, mark_running).await {
            Ok(Some(record)) if !record.done() => {}
            Ok(_) => return acknowledge(&message, AckKind::Ack, name).await,
            Err(error) => {
                tracing::warn!(%error, name, "cannot mark the job running; handing it back");
                return acknowledge(&message, AckKind::Nak(Some(RETRY_DELAY_PER_TRY)), name).await;
            }
        }
        tracing::info!(name, tries, "solving a job");
        let solved = self.solve(&message, name, request, stopped).await;
        self.conclude(&message, name, tries, solved).await;
    }

    /// Stores how the solve of `name` ended, then acks or hands the job back.
    async fn conclude(&self, message: &Message, name: &str, tries: i64, solved: Solved) {
        let ending = match solved {
            Solved::Done(Ok(response)) => Ending::Succeeded(response),
            Solved::Cancelled => Ending::Cancelled,
            Solved::Stopped => {
                let ttl_ms = self.ttl_ms();
                let back = self.records.update(name, |r| requeue(r, ttl_ms)).await;
                if let Err(error) = back {
                    tracing::warn!(%error, name, "cannot mark the job queued again");
                }
                return acknowledge(message, AckKind::Nak(None), name).await;
            }
            Solved::Done(Err(error)) => {
                let status = failure(&error);
                if !may_cure(status.code()) {
                    Ending::Failed(pb::OperationError {
                        code: status.code() as i32,
                        message: status.message().to_string(),
                    })
                } else {
                    let reason = status.message().to_string();
                    tracing::warn!(name, tries, reason, "a try failed; the job is tried again");
                    let ttl_ms = self.ttl_ms();
                    let noted = self
                        .records
                        .update(name, |r| note(r, &reason, ttl_ms))
                        .await;
                    if let Err(error) = noted {
                        tracing::warn!(%error, name, "cannot note the failure");
                    }
                    let delay = RETRY_DELAY_PER_TRY * u32::try_from(tries).unwrap_or(1);
                    return acknowledge(message, AckKind::Nak(Some(delay)), name).await;
                }
            }
        };
        self.store_and_ack(message, name, ending).await;
    }

    /// Writes `ending` into the record of `name` unless it is done, then acks.
    async fn store_and_ack(&self, message: &Message, name: &str, ending: Ending) {
        let ttl_ms = self.ttl_ms();
        let mut ending = Some(ending);
        let stored = self
            .records
            .update(name, |record| {
                // A result is written once: never over another worker's.
                match (record.done(), ending.take()) {
                    (false, Some(ending)) => {
                        record_ending(record, ending, ttl_ms);
                        true
                    }
                    _ => false,
                }
            })
            .await;
        match stored {
            Ok(_) => acknowledge(message, AckKind::Ack, name).await,
            Err(error) => {
                tracing::warn!(%error, name, "cannot store the result; handing the job back");
                acknowledge(message, AckKind::Nak(Some(RETRY_DELAY_PER_TRY)), name).await;
            }
        }
    }

    /// How long a done operation is kept, milliseconds.
    fn ttl_ms(&self) -> i64 {
        self.config.ttl.as_millis().min(i64::MAX as u128) as i64
    }

    /// Gives the job of `name` up: a dead letter with `reason`, the operation FAILED
    /// (unless done), and the job removed from the queue.
    async fn give_up(&self, message: &Message, name: &str, tries: i64, reason: String) {
        tracing::error!(name, tries, reason, "job given up: dead letter");
        let letter = DeadLetter {
            name: name.to_string(),
            tries,
            reason: reason.clone(),
        };
        if let Err(error) = self.cluster.dead_letter(&letter).await {
            tracing::warn!(%error, name, "cannot publish the dead letter; handing the job back");
            return acknowledge(message, AckKind::Nak(Some(RETRY_DELAY_PER_TRY)), name).await;
        }
        if !name.is_empty() {
            let error = pb::OperationError {
                code: tonic::Code::Aborted as i32,
                message: format!("given up after {tries} tries: {reason}"),
            };
            self.store_and_ack(message, name, Ending::Failed(error))
                .await;
        } else {
            acknowledge(message, AckKind::Term, name).await;
        }
    }
}

/// Whether another try may end otherwise: the travel source unreachable, or a fault of
/// the worker (a panic); the client's mistakes and the solver's verdicts stay.
fn may_cure(code: tonic::Code) -> bool {
    matches!(code, tonic::Code::Unavailable | tonic::Code::Internal)
}

/// Notes a failed try in `record` and queues it again: whether to write it back.
fn note(record: &mut Record, reason: &str, ttl_ms: i64) -> bool {
    if record.done() {
        return false;
    }
    record.last_failure = reason.to_string();
    requeue(record, ttl_ms)
}

/// Sends `kind` for the job of `name`; a lost acknowledgement only means a redelivery,
/// which the done record then absorbs.
async fn acknowledge(message: &Message, kind: AckKind, name: &str) {
    if let Err(error) = message.ack_with(kind).await {
        tracing::warn!(%error, name, "cannot acknowledge a job");
    }
}
