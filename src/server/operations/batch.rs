//! SubmitBatch on `serve --nats`: many requests (one per hub and day, say) become one
//! operation each, queued for the workers, and one batch operation whose record lists
//! them. The batch's progress is read from its items' records whenever it is asked
//! for, so no worker needs to know batches; the first reader that finds every item
//! done ends the batch (compare-and-set, like every record change).

use std::time::{Duration, Instant};

use tonic::Status;

use super::OperationError;
use super::api::OperationsApi;
use super::jetstream::JetStreamOperations;
use super::record::{Record, new_name, now_unix_ms};
use super::rpc::cancel;
use crate::error::Error;
use crate::pb;
use crate::server::observe::failure;
use crate::validate::{self, Violations};

/// Time between two looks at a batch's items while WaitOperation waits.
const BATCH_POLL: Duration = Duration::from_millis(250);

impl JetStreamOperations {
    /// SubmitBatch: every request validated first (field paths `requests[i].…`), then
    /// queued as its own operation, then the batch recorded.
    pub async fn submit_items(
        &self,
        owner: String,
        request: pb::SubmitBatchRequest,
    ) -> Result<pb::Operation, Status> {
        if request.requests.is_empty() {
            return Err(Status::invalid_argument(
                "requests: a batch needs at least one",
            ));
        }
        let mut violations = Vec::new();
        for (index, item) in request.requests.iter().enumerate() {
            if let Err(found) = validate::problem_within(item, &self.submit_policy().policy) {
                violations.extend(found.0.into_iter().map(|mut violation| {
                    violation.field = match violation.field.as_str() {
                        "" => format!("requests[{index}]"),
                        field => format!("requests[{index}].{field}"),
                    };
                    violation
                }));
            }
        }
        if !violations.is_empty() {
            return Err(failure(&Error::Validation(Violations(violations))));
        }
        let mut items = Vec::with_capacity(request.requests.len());
        for item in request.requests {
            items.push(OperationsApi::submit(self, owner.clone(), item).await?.name);
        }
        let mut record = Record::queued(new_name(), owner);
        let metadata = record.metadata_mut();
        metadata.items = items;
        metadata.state = pb::OperationState::Running as i32;
        metadata.phase = "items".to_string();
        metadata.start_time_unix_ms = now_unix_ms();
        self.records()
            .create(&record)
            .await
            .map_err(|error| error.status())?;
        Ok(record.operation.unwrap_or_default())
    }

    /// The batch `record` with its items counted, ended once they all are.
    pub(super) async fn batch_view(&self, mut record: Record) -> Result<Record, OperationError> {
        if record.done() {
            return Ok(record);
        }
        let items = record.metadata_mut().items.clone();
        let (mut done, mut failed) = (0, 0);
        for item in &items {
            match self.records().get(item).await? {
                Some((item, _)) if item.done() => {
                    done += 1;
                    let state = item.operation.and_then(|op| op.metadata).map(|m| m.state);
                    failed += u32::from(state != Some(pb::OperationState::Succeeded as i32));
                }
                Some(_) => {}
                // Deleted or expired before the batch was read: it counts as failed.
                None => (done, failed) = (done + 1, failed + 1),
            }
        }
        let metadata = record.metadata_mut();
        (metadata.items_done, metadata.items_failed) = (done, failed);
        if done as usize != items.len() {
            return Ok(record);
        }
        let ttl_ms = self.submit_policy().ttl_ms();
        let name = record.name().to_string();
        let ended = self
            .records()
            .update(&name, |stored| {
                if stored.done() {
                    return false;
                }
                let metadata = stored.metadata_mut();
                (metadata.items_done, metadata.items_failed) = (done, failed);
                let state = match failed {
                    0 => pb::OperationState::Succeeded,
                    _ => pb::OperationState::Failed,
                };
                let tally = pb::BatchResult {
                    succeeded: done - failed,
                    failed,
                };
                let result = pb::operation::Result::Batch(tally);
                stored.finish(state, result, now_unix_ms(), ttl_ms);
                true
            })
            .await?;
        Ok(ended.unwrap_or(record))
    }

    /// WaitOperation on the batch `name`: its items looked at now and then.
    pub(super) async fn wait_batch(
        &self,
        owner: &str,
        name: &str,
        until: Instant,
    ) -> Result<pb::Operation, OperationError> {
        loop {
            let (record, _) = self.visible(owner, name).await?;
            let record = self.batch_view(record).await?;
            let now = Instant::now();
            if record.done() || now >= until {
                return Ok(record.operation.unwrap_or_default());
            }
            tokio::time::sleep(BATCH_POLL.min(until - now)).await;
        }
    }

    /// CancelOperation on a batch: each of its items.
    pub(super) async fn cancel_items(&self, record: &Record) -> Result<(), OperationError> {
        let ttl_ms = self.submit_policy().ttl_ms();
        let items = record
            .operation
            .as_ref()
            .and_then(|op| op.metadata.as_ref())
            .map(|metadata| metadata.items.clone())
            .unwrap_or_default();
        for item in items {
            self.records()
                .update(&item, |record| cancel(record, ttl_ms))
                .await?;
        }
        Ok(())
    }
}
