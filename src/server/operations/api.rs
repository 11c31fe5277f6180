//! The operation RPCs as the Routing service calls them, whatever keeps and runs the
//! operations: [`Embedded`] (the redb store and this process's solvers, the default)
//! or `JetStreamOperations` (`serve --nats`: NATS JetStream records, remote workers).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tonic::Status;

use super::{OperationError, Operations};
use crate::pb;

/// SubmitSolve and the calls on an operation, as `rpc.rs` documents them.
#[tonic::async_trait]
pub trait OperationsApi: Send + Sync + std::fmt::Debug {
    /// SubmitSolve: validates, stores and starts (or queues) a solve.
    async fn submit(
        &self,
        owner: String,
        request: pb::SolveRequest,
    ) -> Result<pb::Operation, Status>;
    /// GetOperation.
    async fn get(&self, owner: String, name: String) -> Result<pb::Operation, OperationError>;
    /// WaitOperation: done, or as it is when the wait or `deadline` ends.
    async fn wait(
        &self,
        owner: String,
        request: pb::WaitOperationRequest,
        deadline: Option<Instant>,
    ) -> Result<pb::Operation, OperationError>;
    /// CancelOperation.
    async fn cancel(&self, owner: String, name: String) -> Result<pb::Operation, OperationError>;
    /// ListOperations.
    async fn list(
        &self,
        owner: String,
        request: pb::ListOperationsRequest,
    ) -> Result<pb::ListOperationsResponse, OperationError>;
    /// DeleteOperation.
    async fn delete(&self, owner: String, name: String) -> Result<(), OperationError>;
    /// SubmitBatch: only where remote workers solve (`serve --nats`).
    async fn submit_batch(
        &self,
        _owner: String,
        _request: pb::SubmitBatchRequest,
    ) -> Result<pb::Operation, Status> {
        Err(Status::failed_precondition(
            "SubmitBatch needs a server started with --nats (its items go to the workers); \
             submit each request with SubmitSolve",
        ))
    }
    /// At shutdown: waits up to `patience` for this process's jobs to store how they
    /// ended.
    async fn drain(&self, patience: Duration);
}

/// The single-machine operations: the redb store and this process's solvers.
#[derive(Debug, Clone)]
pub struct Embedded(pub Arc<Operations>);

#[tonic::async_trait]
impl OperationsApi for Embedded {
    async fn submit(
        &self,
        owner: String,
        request: pb::SolveRequest,
    ) -> Result<pb::Operation, Status> {
        self.0.submit(owner, request).await
    }

    async fn get(&self, owner: String, name: String) -> Result<pb::Operation, OperationError> {
        self.0.get(owner, name).await
    }

    async fn wait(
        &self,
        owner: String,
        request: pb::WaitOperationRequest,
        deadline: Option<Instant>,
    ) -> Result<pb::Operation, OperationError> {
        self.0.wait(owner, request, deadline).await
    }

    async fn cancel(&self, owner: String, name: String) -> Result<pb::Operation, OperationError> {
        self.0.cancel(owner, name).await
    }

    async fn list(
        &self,
        owner: String,
        request: pb::ListOperationsRequest,
    ) -> Result<pb::ListOperationsResponse, OperationError> {
        self.0.list(owner, request).await
    }

    async fn delete(&self, owner: String, name: String) -> Result<(), OperationError> {
        self.0.delete(owner, name).await
    }

    async fn drain(&self, patience: Duration) {
        self.0.drain(patience).await
    }
}
