//! The operation RPCs of `serve --nats`: records in the JetStream key-value bucket, jobs
//! on the work-queue stream, solved by `tournee worker` processes anywhere. A front end
//! keeps nothing of its own, so any number of them serve the same operations and one
//! restarted loses nothing. Cancelling a queued operation ends it at once (the worker
//! that pulls its job later acks it unsolved); cancelling a running one marks its
//! record, which the worker holding the job watches.

use std::time::{Duration, Instant};

use tonic::Status;

use super::api::OperationsApi;
use super::kv_records::KvRecords;
use super::record::{Record, new_name, now_unix_ms};
use super::rpc::{cancel, owns, page_of, wait_until};
use super::{OperationError, SubmitPolicy};
use crate::cluster::{Cluster, ClusterError};
use crate::error::Error;
use crate::pb;
use crate::server::observe::failure;
use crate::validate;

/// The operations of a NATS JetStream cluster.
#[derive(Debug)]
pub struct JetStreamOperations {
    cluster: Cluster,
    records: KvRecords,
    submit: SubmitPolicy,
}

impl JetStreamOperations {
    /// Connects to the NATS server at `url` (declaring the layout if missing); new
    /// operations are checked against `submit`'s policy and kept its TTL once done.
    pub async fn connect(url: &str, submit: SubmitPolicy) -> Result<Self, OperationError> {
        let cluster = Cluster::connect(url, submit.ttl)
            .await
            .map_err(|error| OperationError::Queue(error.to_string()))?;
        let records = KvRecords::new(cluster.operations.clone());
        Ok(JetStreamOperations {
            cluster,
            records,
            submit,
        })
    }

    /// The records of the operations.
    pub(super) fn records(&self) -> &KvRecords {
        &self.records
    }

    /// What new operations are checked against, and kept for.
    pub(super) fn submit_policy(&self) -> &SubmitPolicy {
        &self.submit
    }

    /// The record `name` (and its revision) if the caller may see it.
    pub(super) async fn visible(
        &self,
        owner: &str,
        name: &str,
    ) -> Result<(Record, u64), OperationError> {
        match self.records.get(name).await? {
            Some((record, revision)) if owns(owner, &record) && !record.expired(now_unix_ms()) => {
                Ok((record, revision))
            }
            _ => Err(OperationError::NotFound(name.to_string())),
        }
    }
}

#[tonic::async_trait]
impl OperationsApi for JetStreamOperations {
    async fn submit(
        &self,
        owner: String,
        request: pb::SolveRequest,
    ) -> Result<pb::Operation, Status> {
        validate::problem_within(&request, &self.submit.policy)
            .map_err(|violations| failure(&Error::Validation(violations)))?;
        let name = new_name();
        let record = Record::queued(name.clone(), owner);
        // Recorded before it is queued: a worker never finds a job without its record.
        self.records
            .create(&record)
            .await
            .map_err(|error| error.status())?;
        if let Err(error) = self.cluster.publish_job(&name, &request).await {
            // Not queued: no operation, rather than one that never runs.
            let _ = self.records.delete(&name).await;
            return Err(match error {
                too_large @ ClusterError::TooLarge { .. } => {
                    OperationError::TooLarge(too_large.to_string())
                }
                error => OperationError::Queue(error.to_string()),
            }
            .status());
        }
        Ok(record.operation.unwrap_or_default())
    }

    async fn get(&self, owner: String, name: String) -> Result<pb::Operation, OperationError> {
        let (mut record, _) = self.visible(&owner, &name).await?;
        if record.is_batch() {
            record = self.batch_view(record).await?;
        }
        Ok(record.operation.unwrap_or_default())
    }

    async fn wait(
        &self,
        owner: String,
        request: pb::WaitOperationRequest,
        deadline: Option<Instant>,
    ) -> Result<pb::Operation, OperationError> {
        let until = wait_until(&request, deadline);
        let (first, _) = self.visible(&owner, &request.name).await?;
        if first.is_batch() {
            return self.wait_batch(&owner, &request.name, until).await;
        }
        loop {
            let (record, revision) = self.visible(&owner, &request.name).await?;
            if record.done() || Instant::now() >= until {
                return Ok(record.operation.unwrap_or_default());
            }
            self.records.changed(&request.name, revision, until).await?;
        }
    }

    async fn cancel(&self, owner: String, name: String) -> Result<pb::Operation, OperationError> {
        let (before, _) = self.visible(&owner, &name).await?;
        if before.is_batch() {
            self.cancel_items(&before).await?;
            return Ok(self.batch_view(before).await?.operation.unwrap_or_default());
        }
        let ttl_ms = self.submit.ttl_ms();
        let record = self
            .records
            .update(&name, |record| cancel(record, ttl_ms))
            .await?
            .ok_or_else(|| OperationError::NotFound(name.clone()))?;
        Ok(record.operation.unwrap_or_default())
    }

    async fn list(
        &self,
        owner: String,
        request: pb::ListOperationsRequest,
    ) -> Result<pb::ListOperationsResponse, OperationError> {
        let (after, size) = page_of(request)?;
        let now = now_unix_ms();
        let names = self.records.names().await?;
        let mut operations = Vec::new();
        let mut more = false;
        for name in names.into_iter().filter(|name| *name > after) {
            let Some((record, _)) = self.records.get(&name).await? else {
                continue;
            };
            if !owns(&owner, &record) || record.expired(now) {
                continue;
            }
            if operations.len() == size {
                more = true;
                break;
            }
            operations.push(record.operation.unwrap_or_default());
        }
        let next_page_token = match operations.last() {
            Some(last) if more => last.name.clone(),
            _ => String::new(),
        };
        Ok(pb::ListOperationsResponse {
            operations,
            next_page_token,
        })
    }

    async fn delete(&self, owner: String, name: String) -> Result<(), OperationError> {
        let (record, _) = self.visible(&owner, &name).await?;
        if !record.done() {
            return Err(OperationError::NotDone(name));
        }
        self.records.delete(&name).await
    }

    async fn submit_batch(
        &self,
        owner: String,
        request: pb::SubmitBatchRequest,
    ) -> Result<pb::Operation, Status> {
        self.submit_items(owner, request).await
    }

    /// Nothing runs here: the workers hold the jobs.
    async fn drain(&self, _patience: Duration) {}
}
